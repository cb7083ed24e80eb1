import type { ScheduleConfig } from "./schedule.ts";

/**
 * What the runtime knows of a generated module: the exports every `generated/<name>.ts` has.
 * The runtime drives any such module; it imports nothing from the compiler.
 */
export type RealArray = Float32Array | Float64Array;
export type InputArray = RealArray | Int32Array;

export interface ParameterInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  /** PyTorch's default init: U(−bound, bound), or N(0, std²) with one row (a padding index) zeroed. */
  readonly init: { readonly distribution: "uniform"; readonly bound: number } | { readonly distribution: "normal"; readonly std: number; readonly zeroRow?: number };
}

export interface InputInfo {
  readonly name: string;
  readonly shape: readonly (number | "batch")[];
  readonly dtype: "float32" | "int32";
  /** For int32 inputs: every value in [min, max] (token ids, lengths, class indices), or `ignore`. */
  readonly range?: { readonly min: number; readonly max: number; readonly ignore?: number; readonly what: string };
}

export type Batch = Readonly<Record<string, InputArray>>;

/** What a module's init draws from: the runtime's Random is one. */
export interface InitRandom {
  uniform(): number;
  normal(): number;
}

export interface Model {
  readonly parameters: RealArray;
  /** Each layer's output from the last forward pass, by node id, in graph order. */
  readonly activations: Readonly<Record<string, RealArray>>;
  readonly gradients: RealArray;
  /** The step count and the optimizer's per-parameter arrays (Adam's `m` and `v`, …). */
  readonly optimizerState: OptimizerState;
  /** The dropout generator's state: restoring it replays the same masks. */
  readonly randomState: Uint32Array;
  /** Inference one step at a time with the recurrent state carried; absent when the model needs whole sequences. */
  readonly stream?: { step(input: Batch, batchSize: number): RealArray; reset(): void };
  /** Evaluation mode (dropout off). */
  forward(batch: Batch, batchSize: number): RealArray;
  /** Evaluation mode unless `training` is true. */
  loss(batch: Batch, batchSize: number, training?: boolean): number;
  lossAndGradients(batch: Batch, batchSize: number): number;
  step(): void;
  trainStep(batch: Batch, batchSize: number): number;
}

export interface OptimizerState {
  step: number;
  /** The learning rate of the next step (a schedule sets it between epochs). */
  lr: number;
  readonly [state: string]: RealArray | number;
}

/** The optimizer's per-parameter arrays. */
export function optimizerArrays(state: OptimizerState): RealArray[] {
  return Object.values(state).filter((value): value is RealArray => typeof value !== "number");
}

export interface GeneratedModule {
  readonly SPEC_SHA256: string;
  readonly MODEL_NAME: string;
  readonly PRECISION: "float32" | "float64";
  readonly MAX_BATCH: number;
  readonly PARAMETER_COUNT: number;
  readonly INPUTS: readonly InputInfo[];
  readonly LOSS:
    | { readonly op: string; readonly task: "classification"; readonly input: string; readonly target: string; readonly classes: number }
    | { readonly op: string; readonly task: "regression"; readonly input: string; readonly target: string; readonly outputs: number };
  readonly TRAIN: { readonly epochs: number; readonly batchSize: number; readonly seed: number; readonly warmupEpochs: number; readonly divergenceFactor: number; readonly schedule?: ScheduleConfig };
  readonly PARAMETERS: readonly ParameterInfo[];
  /** A model initialised as PyTorch's defaults from a generator seeded by `seed` (default TRAIN.seed). */
  createModel(options?: { readonly seed?: number }): Model;
  /** PyTorch's default init of every parameter, drawn in PARAMETERS order from `random`. */
  initParameters(parameters: RealArray, random: InitRandom): void;
}

/** Elements per sample of an input: the product of its static dimensions. */
export function perSample(input: InputInfo): number {
  return input.shape.reduce<number>((product, dim) => (dim === "batch" ? product : product * dim), 1);
}

/** The range an int32 input's values must lie in: its declared range, else the classes of the loss. */
export function integerRange(module: GeneratedModule, input: InputInfo): { readonly min: number; readonly max: number; readonly ignore?: number; readonly what: string } {
  return input.range ?? { min: 0, max: classCount(module) - 1, what: "class indices" };
}

/** The number of classes int32 inputs range over: the cross-entropy classes (an mse model reads no labels). */
export function classCount(module: GeneratedModule): number {
  return module.LOSS.task === "classification" ? module.LOSS.classes : 1;
}
