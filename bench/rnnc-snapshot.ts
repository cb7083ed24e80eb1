import type { Model, RealArray } from "../src/runtime/generated-module.ts";

/**
 * A copy of everything a training step reads and writes besides the batch: the parameters, the optimizer's step,
 * learning rate and per-parameter arrays, and the dropout generator. Restoring it replays training from that point
 * exactly, which is what the steady-state measurement needs (bench/steady.ts): every timed window starts there.
 */
export interface TrainingSnapshot {
  readonly parameters: RealArray;
  readonly step: number;
  readonly lr: number;
  readonly optimizerArrays: ReadonlyMap<string, RealArray>;
  readonly randomState: Uint32Array;
}

export function takeSnapshot(model: Model): TrainingSnapshot {
  const optimizerArrays = new Map<string, RealArray>();
  for (const [key, value] of Object.entries(model.optimizerState)) if (typeof value !== "number") optimizerArrays.set(key, value.slice());
  return {
    parameters: model.parameters.slice(),
    step: model.optimizerState.step,
    lr: model.optimizerState.lr,
    optimizerArrays,
    randomState: model.randomState.slice(),
  };
}

export function restoreSnapshot(model: Model, snapshot: TrainingSnapshot): void {
  model.parameters.set(snapshot.parameters);
  for (const [key, values] of snapshot.optimizerArrays) {
    const target = model.optimizerState[key];
    if (typeof target === "number" || target === undefined) throw new Error(`optimizer state ${key} is not an array`);
    target.set(values);
  }
  model.optimizerState.step = snapshot.step;
  model.optimizerState.lr = snapshot.lr;
  model.randomState.set(snapshot.randomState);
}
