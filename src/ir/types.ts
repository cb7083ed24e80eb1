import type { DataConfig } from "../data/config.ts";
import type { SourcePosition } from "../diagnostics/diagnostic.ts";
import type { ScheduleConfig } from "../runtime/schedule.ts";

/**
 * The IR: a readonly graph in execution order, every value typed with named dimensions.
 * `batch` is the one symbolic dimension; every other size is a compile-time constant.
 */
export type Dim = { readonly name: "batch" } | { readonly name: string; readonly size: number };

export type DType = "float32" | "int32";

export interface TensorType {
  readonly dims: readonly Dim[];
  readonly dtype: DType;
}

export interface InputNode {
  readonly op: "input";
  readonly id: string;
  readonly type: TensorType;
  /** Where the node was written, for diagnostics. */
  readonly at: SourcePosition;
}

/**
 * A layer of the graph. Each op (one file in src/ops) extends this with its own attributes and a literal `op`;
 * everything else works on this base and reaches an op's specifics only through the registry.
 */
export interface LayerNode {
  readonly op: string;
  readonly id: string;
  /** The primary value this node reads (`inputs[0]`). */
  readonly input: string;
  /** Every value this node reads, primary first (e.g. a sequence-length input after it). */
  readonly inputs: readonly string[];
  readonly type: TensorType;
  readonly at: SourcePosition;
}

export type IrNode = InputNode | LayerNode;

/** How PyTorch initialises a parameter: U(−bound, bound), or N(0, std²) with one row (a padding index) zeroed. */
export type ParameterInit = { readonly distribution: "uniform"; readonly bound: number } | { readonly distribution: "normal"; readonly std: number; readonly zeroRow?: number };

export function showInit(init: ParameterInit): string {
  if (init.distribution === "uniform") return `U(±${init.bound})`;
  return `N(0, ${init.std}²)${init.zeroRow === undefined ? "" : `, row ${init.zeroRow} zero`}`;
}

/** A loss over (prediction, target); each loss op extends this. */
export interface Loss {
  readonly op: string;
  readonly input: string;
  readonly target: string;
  /** classification: the prediction holds logits over `width` classes; regression: `width` values. */
  readonly task: "classification" | "regression";
  readonly width: number;
  readonly at: SourcePosition;
}

/** An optimizer with its hyperparameters; each optimizer op extends this. */
export interface Optimizer {
  readonly op: string;
  readonly lr: number;
}

/** A learned tensor, named as PyTorch's state_dict names it, stored at `offset` in one flat parameter array. */
export interface Parameter {
  readonly name: string;
  readonly node: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  /** PyTorch's default init for it. */
  readonly init: ParameterInit;
}

/** A spec's `data` section, checked against the graph: which input the windows feed and what the task is. */
export interface DataSource {
  readonly config: DataConfig;
  readonly task: "classification" | "regression";
  /** The spec input that receives the windows [batch, window, features]. */
  readonly featureInput: string;
  /** Where the section and its csv path were written, for diagnostics about the file. */
  readonly at: SourcePosition;
  readonly csvAt: SourcePosition;
  readonly targetAt: SourcePosition;
}

/** The same nodes lowered for one step at a time (see ir/stream.ts). */
export interface StreamGraph {
  /** The inputs the layers read, each one step long. */
  readonly inputs: readonly InputNode[];
  readonly layers: readonly LayerNode[];
}

export interface Graph {
  readonly name: string;
  readonly inputs: readonly InputNode[];
  readonly layers: readonly LayerNode[];
  readonly loss: Loss;
  readonly parameters: readonly Parameter[];
  readonly optimizer: Optimizer;
  readonly train: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly seed: number;
    readonly shuffle: boolean;
    readonly patience?: number;
    /** Before each step, scale all gradients so their total L2 norm is at most this (clip_grad_norm_). */
    readonly clipGradNorm?: number;
    /** Before each step, clamp every gradient element to [−v, v] (clip_grad_value_). */
    readonly clipGradValue?: number;
    /** The learning-rate schedule, stepped after each epoch by the runtime (in camelCase, as the generated TRAIN). */
    readonly schedule?: ScheduleConfig;
    readonly warmupEpochs: number;
    readonly divergenceFactor: number;
    /** Threads sharing the matrix products (1: single-threaded, the module unchanged); `auto`: the cores at load time. */
    readonly threads: number | "auto";
  };
  readonly data?: DataSource;
  /** Present when the model can run one step at a time (streaming inference). */
  readonly stream?: StreamGraph;
}

/** The schedule as the runtime steps it: the generated TRAIN constant carries it to the runtime unchanged. */
export type { ScheduleConfig } from "../runtime/schedule.ts";

export function assertNever(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}

export function staticSize(dim: Dim): number | undefined {
  return "size" in dim ? dim.size : undefined;
}

/** Elements per batch item: the product of the static dimensions. */
export function elementsPerItem(type: TensorType): number {
  return type.dims.reduce((product, dim) => product * (staticSize(dim) ?? 1), 1);
}

export function showType(type: TensorType): (string | number)[] {
  return type.dims.map((dim) => ("size" in dim ? dim.size : dim.name));
}
