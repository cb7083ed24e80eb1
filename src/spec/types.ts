import type { DataConfig } from "../data/config.ts";

/**
 * The spec as the schema guarantees it after validation (defaults filled).
 * Keep in step with schema.json: the schema is the source of truth, and a test checks both agree.
 */
export type Dim = "batch" | number;

export interface TensorSpec {
  readonly shape: readonly Dim[];
  readonly dtype: "float32" | "int32";
}

interface NodeBase {
  readonly id: string;
  readonly input?: string;
}

export interface RnnNodeSpec extends NodeBase {
  readonly op: "rnn";
  readonly hidden_size: number;
  readonly nonlinearity: "tanh" | "relu";
  readonly bias: boolean;
}

export interface LastStepNodeSpec extends NodeBase {
  readonly op: "last_step";
}

export interface LinearNodeSpec extends NodeBase {
  readonly op: "linear";
  readonly out_features: number;
  readonly bias: boolean;
}

export type NodeSpec = RnnNodeSpec | LastStepNodeSpec | LinearNodeSpec;

export interface CrossEntropySpec {
  readonly op: "cross_entropy";
  readonly input: string;
  readonly target: string;
}

export interface MseSpec {
  readonly op: "mse";
  readonly input: string;
  readonly target: string;
}

export type LossSpec = CrossEntropySpec | MseSpec;

export interface AdamSpec {
  readonly op: "adam";
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weight_decay: number;
}

export interface TrainSpec {
  readonly epochs: number;
  readonly batch_size: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly patience?: number;
}

export interface Spec {
  readonly version: 1;
  readonly name: string;
  readonly input: Readonly<Record<string, TensorSpec>>;
  readonly graph: readonly NodeSpec[];
  readonly loss: LossSpec;
  readonly optimizer: AdamSpec;
  readonly train: TrainSpec;
  readonly data?: DataConfig;
}
