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
  readonly initBound: number;
}

export interface InputInfo {
  readonly name: string;
  readonly shape: readonly (number | "batch")[];
  readonly dtype: "float32" | "int32";
}

export type Batch = Readonly<Record<string, InputArray>>;

export interface Model {
  readonly parameters: RealArray;
  /** Each layer's output from the last forward pass, by node id, in graph order. */
  readonly activations: Readonly<Record<string, RealArray>>;
  readonly gradients: RealArray;
  readonly optimizerState: { readonly m: RealArray; readonly v: RealArray; step: number };
  forward(batch: Batch, batchSize: number): RealArray;
  loss(batch: Batch, batchSize: number): number;
  lossAndGradients(batch: Batch, batchSize: number): number;
  step(): void;
  trainStep(batch: Batch, batchSize: number): number;
}

export interface GeneratedModule {
  readonly SPEC_SHA256: string;
  readonly MODEL_NAME: string;
  readonly PRECISION: "float32" | "float64";
  readonly MAX_BATCH: number;
  readonly PARAMETER_COUNT: number;
  readonly INPUTS: readonly InputInfo[];
  readonly LOSS:
    | { readonly op: "cross_entropy"; readonly input: string; readonly target: string; readonly classes: number }
    | { readonly op: "mse"; readonly input: string; readonly target: string; readonly outputs: number };
  readonly TRAIN: { readonly epochs: number; readonly batchSize: number; readonly seed: number };
  readonly PARAMETERS: readonly ParameterInfo[];
  createModel(): Model;
}

/** Elements per sample of an input: the product of its static dimensions. */
export function perSample(input: InputInfo): number {
  return input.shape.reduce<number>((product, dim) => (dim === "batch" ? product : product * dim), 1);
}

/** The number of classes int32 inputs range over: the cross-entropy classes (an mse model reads no labels). */
export function classCount(module: GeneratedModule): number {
  return module.LOSS.op === "cross_entropy" ? module.LOSS.classes : 1;
}
