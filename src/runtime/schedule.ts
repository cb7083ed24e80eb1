/**
 * Learning-rate schedules, stepped once after each epoch as the usual PyTorch loop steps its scheduler, with
 * PyTorch's semantics (REFERENCE.md): StepLR, ExponentialLR, CosineAnnealingLR (closed form), ReduceLROnPlateau
 * (mode min, relative threshold, no cooldown), and a linear warmup before any of them, as
 * SequentialLR([LinearLR(start_factor=1/(w+1), total_iters=w), schedule], milestones=[w]).
 */
export type ScheduleConfig =
  | { readonly op: "step"; readonly stepSize: number; readonly gamma: number }
  | { readonly op: "exponential"; readonly gamma: number }
  | { readonly op: "cosine"; readonly tMax: number; readonly etaMin: number }
  | { readonly op: "reduce_on_plateau"; readonly factor: number; readonly patience: number; readonly threshold: number; readonly minLr: number };

export interface Schedule {
  /** The learning rate for epoch `epoch` (1-based), given the loss watched after the epoch before (plateau only). */
  readonly lrAfter: (completedEpochs: number, watchedLoss: number) => number;
  /** Everything the schedule remembers, to save in a checkpoint and restore on resume. */
  readonly state: () => ScheduleState;
  readonly restore: (state: ScheduleState) => void;
}

export interface ScheduleState {
  readonly lr: number;
  readonly best: number;
  readonly badEpochs: number;
}

/** `warmup`: epochs at lr0·e/(warmup + 1) before the schedule starts counting its own epochs from 0. */
export function createSchedule(config: ScheduleConfig | undefined, lr0: number, warmup: number): Schedule {
  let lr = warmup > 0 ? lr0 / (warmup + 1) : lr0;
  let best = Infinity;
  let badEpochs = 0;
  const scheduled = (epochs: number): number => {
    if (config === undefined) return lr0;
    switch (config.op) {
      case "step":
        return lr0 * config.gamma ** Math.floor(epochs / config.stepSize);
      case "exponential":
        return lr0 * config.gamma ** epochs;
      case "cosine":
        return config.etaMin + ((lr0 - config.etaMin) * (1 + Math.cos((Math.PI * epochs) / config.tMax))) / 2;
      case "reduce_on_plateau":
        return lr;
    }
  };
  return {
    lrAfter(completed, watched) {
      if (completed < warmup) {
        lr = (lr0 * (completed + 1)) / (warmup + 1);
        return lr;
      }
      if (config?.op === "reduce_on_plateau") {
        if (completed === warmup) lr = lr0;
        else plateau(config, watched);
        return lr;
      }
      lr = scheduled(completed - warmup);
      return lr;
    },
    state: () => ({ lr, best, badEpochs }),
    restore(state) {
      ({ lr, best, badEpochs } = state);
    },
  };

  function plateau(options: Extract<ScheduleConfig, { op: "reduce_on_plateau" }>, loss: number): void {
    if (loss < best * (1 - options.threshold)) {
      best = loss;
      badEpochs = 0;
      return;
    }
    badEpochs++;
    if (badEpochs > options.patience) {
      const reduced = Math.max(lr * options.factor, options.minLr);
      if (lr - reduced > 1e-8) lr = reduced;
      badEpochs = 0;
    }
  }
}
