import type { DataSection } from "../data/config.ts";

/**
 * The spec as the schema guarantees it after validation (defaults filled).
 * The schema (derived from the op registry) is the source of truth.
 */
export type Dim = "batch" | number;

export interface TensorSpec {
  readonly shape: readonly Dim[];
  readonly dtype: "float32" | "int32";
}

/**
 * A graph node as the schema guarantees it: `id`, `op`, an optional `input`, and the keys of its op (each op file
 * declares its own spec type extending this, with its keys; the schema is derived from those files).
 */
export interface NodeSpec {
  readonly id: string;
  readonly op: string;
  readonly input?: string;
}

export interface LossSpec {
  readonly op: string;
  readonly input: string;
  readonly target: string;
}

export interface OptimizerSpec {
  readonly op: string;
  readonly lr: number;
}

export type ScheduleSpec =
  | { readonly op: "step"; readonly step_size: number; readonly gamma: number }
  | { readonly op: "exponential"; readonly gamma: number }
  | { readonly op: "cosine"; readonly t_max: number; readonly eta_min: number }
  | { readonly op: "reduce_on_plateau"; readonly factor: number; readonly patience: number; readonly threshold: number; readonly min_lr: number };

export interface TrainSpec {
  readonly epochs: number;
  readonly batch_size: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly patience?: number;
  readonly clip_grad_norm?: number;
  readonly lr_schedule?: ScheduleSpec;
  readonly warmup_epochs: number;
  readonly divergence_factor: number;
  readonly clip_grad_value?: number;
  /** Threads sharing the matrix products: a count, or `auto` (the cores available at load time). */
  readonly threads: number | "auto";
}

export interface Spec {
  readonly version: 1;
  readonly name: string;
  readonly input: Readonly<Record<string, TensorSpec>>;
  readonly graph: readonly NodeSpec[];
  readonly loss: LossSpec;
  readonly optimizer: OptimizerSpec;
  readonly train: TrainSpec;
  readonly data?: DataSection;
}
