import type { LayerNode, Loss, Optimizer } from "../ir/types.ts";
import { adagradOp } from "./adagrad.ts";
import { adamOp } from "./adam.ts";
import { adamwOp } from "./adamw.ts";
import { crossEntropyOp } from "./cross-entropy.ts";
import { dropoutOp } from "./dropout.ts";
import { embeddingOp } from "./embedding.ts";
import { geluOp } from "./gelu.ts";
import { gruOp } from "./gru.ts";
import { lastStepOp } from "./last-step.ts";
import { linearOp } from "./linear.ts";
import { lstmOp } from "./lstm.ts";
import { maxPoolOp } from "./max-pool.ts";
import { meanPoolOp } from "./mean-pool.ts";
import { mseOp } from "./mse.ts";
import type { LayerOp, LossOp, LossSpecBase, NodeSpecBase, OptimizerOp, OptimizerSpecBase } from "./op.ts";
import { reluOp } from "./relu.ts";
import { rmspropOp } from "./rmsprop.ts";
import { rnnOp } from "./rnn.ts";
import { sgdOp } from "./sgd.ts";
import { sigmoidOp } from "./sigmoid.ts";
import { tanhOp } from "./tanh.ts";

/**
 * The only lists of ops, losses and optimizers. Adding one is its own file and one line here; the JSON Schema,
 * the README reference, `--dump-ir` and the generated header are derived from these tables (`npm run docs`
 * regenerates src/spec/schema.json and the README, and a test fails while either is stale). The order here is
 * the order of the reference.
 */
const layerOps = {
  embedding: embeddingOp,
  rnn: rnnOp,
  lstm: lstmOp,
  gru: gruOp,
  last_step: lastStepOp,
  mean_pool: meanPoolOp,
  max_pool: maxPoolOp,
  linear: linearOp,
  relu: reluOp,
  tanh: tanhOp,
  sigmoid: sigmoidOp,
  gelu: geluOp,
  dropout: dropoutOp,
};

const lossOps = {
  cross_entropy: crossEntropyOp,
  mse: mseOp,
};

const optimizerOps = {
  adam: adamOp,
  adamw: adamwOp,
  sgd: sgdOp,
  rmsprop: rmspropOp,
  adagrad: adagradOp,
};

export type LayerOpName = keyof typeof layerOps;
export const layerOpNames = Object.keys(layerOps) as LayerOpName[];
export const lossOpNames = Object.keys(lossOps) as (keyof typeof lossOps)[];
export const optimizerOpNames = Object.keys(optimizerOps) as (keyof typeof optimizerOps)[];

/*
 * Lookups by name. Each table entry is typed with its own spec and node; the casts only widen that correlation to
 * the base types, which TypeScript cannot follow through an index by a runtime name. The schema has already checked
 * that a spec's `op` names an entry and that its keys are that op's.
 */
export function layerOp(op: string): LayerOp<NodeSpecBase, LayerNode> {
  return lookup(layerOps, op) as unknown as LayerOp<NodeSpecBase, LayerNode>;
}

export function lossOp(op: string): LossOp<LossSpecBase, Loss> {
  return lookup(lossOps, op) as unknown as LossOp<LossSpecBase, Loss>;
}

export function optimizerOp(op: string): OptimizerOp<OptimizerSpecBase, Optimizer> {
  return lookup(optimizerOps, op) as unknown as OptimizerOp<OptimizerSpecBase, Optimizer>;
}

function lookup<T>(table: Readonly<Record<string, T>>, op: string): T {
  const entry = Object.hasOwn(table, op) ? table[op] : undefined;
  if (entry === undefined) throw new Error(`no op named ${JSON.stringify(op)} in the registry`);
  return entry;
}

/** Every entry with its name, for deriving the schema and the reference. */
export const registry = {
  layers: layerOpNames.map((name) => [name, layerOp(name)] as const),
  losses: lossOpNames.map((name) => [name, lossOp(name)] as const),
  optimizers: optimizerOpNames.map((name) => [name, optimizerOp(name)] as const),
} as const;
