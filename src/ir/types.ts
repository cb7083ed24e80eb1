import type { DataConfig } from "../data/config.ts";
import type { SourcePosition } from "../diagnostics/diagnostic.ts";

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

interface NodeCommon {
  readonly id: string;
  readonly type: TensorType;
  /** Where the node was written, for diagnostics. */
  readonly at: SourcePosition;
}

export interface InputNode extends NodeCommon {
  readonly op: "input";
}

export interface RnnNode extends NodeCommon {
  readonly op: "rnn";
  readonly input: string;
  readonly seqLen: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly nonlinearity: "tanh" | "relu";
  readonly bias: boolean;
}

export interface LastStepNode extends NodeCommon {
  readonly op: "last_step";
  readonly input: string;
  readonly seqLen: number;
  readonly features: number;
}

export interface LinearNode extends NodeCommon {
  readonly op: "linear";
  readonly input: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly bias: boolean;
}

export type LayerNode = RnnNode | LastStepNode | LinearNode;
export type IrNode = InputNode | LayerNode;

export interface CrossEntropyLoss {
  readonly op: "cross_entropy";
  readonly input: string;
  readonly target: string;
  readonly classes: number;
  readonly at: SourcePosition;
}

export interface MseLoss {
  readonly op: "mse";
  readonly input: string;
  readonly target: string;
  /** Width of the prediction: [batch, outputs]. */
  readonly outputs: number;
  readonly at: SourcePosition;
}

export type Loss = CrossEntropyLoss | MseLoss;

/** A learned tensor, named as PyTorch's state_dict names it, stored at `offset` in one flat parameter array. */
export interface Parameter {
  readonly name: string;
  readonly node: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  /** PyTorch's default init draws from U(−initBound, initBound). */
  readonly initBound: number;
}

export interface Adam {
  readonly op: "adam";
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
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

export interface Graph {
  readonly name: string;
  readonly inputs: readonly InputNode[];
  readonly layers: readonly LayerNode[];
  readonly loss: Loss;
  readonly parameters: readonly Parameter[];
  readonly optimizer: Adam;
  readonly train: { readonly epochs: number; readonly batchSize: number; readonly seed: number; readonly shuffle: boolean; readonly patience?: number };
  readonly data?: DataSource;
}

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
