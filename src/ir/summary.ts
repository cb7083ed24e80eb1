import { layerOp, optimizerOp } from "../ops/registry.ts";
import { elementsPerItem, showType, type Graph } from "./types.ts";

/** One row of `rnnc summary`: a layer, its output shape with named dimensions, its parameter count. */
export interface SummaryRow {
  readonly id: string;
  readonly op: string;
  readonly description: string;
  readonly shape: readonly (string | number)[];
  readonly parameters: number;
}

export interface ModelSummary {
  readonly name: string;
  readonly rows: readonly SummaryRow[];
  readonly parameters: number;
  /** Bytes of float32 storage. */
  readonly parameterBytes: number;
  readonly gradientBytes: number;
  readonly optimizerStateBytes: number;
  /** Layer outputs and their gradients for a batch of `batchSize`, float32. */
  readonly activationBytes: number;
  readonly batchSize: number;
  /** Matrix-product FLOPs of a forward pass over a batch, and of a training step (forward, backward ≈ 2 × forward). */
  readonly forwardFlops: number;
  readonly trainStepFlops: number;
  /** The largest product a training step repeats: each recurrent layer's per-step h·W_hhᵀ (batch × gates·H × H multiply-adds); absent without a recurrent layer. */
  readonly recurrentStepWork?: number;
  /** train.threads: how many threads share the matrix products (`auto`: the cores available at load time). */
  readonly threads?: number | "auto";
}

/** Keras-style model summary, derived from the IR: pure, for `rnnc summary`. */
export function summarise(graph: Graph): ModelSummary {
  const rows = graph.layers.map((node) => ({
    id: node.id,
    op: node.op,
    description: layerOp(node.op).summary(node),
    shape: showType(node.type),
    parameters: graph.parameters.filter((p) => p.node === node.id).reduce((sum, p) => sum + p.size, 0),
  }));
  const parameters = graph.parameters.reduce((sum, p) => sum + p.size, 0);
  const batchSize = graph.train.batchSize;
  const perSample = graph.layers.reduce((sum, node) => sum + (layerOp(node.op).flops?.(node) ?? 0), 0);
  const stateArrays = optimizerOp(graph.optimizer.op).state(graph.optimizer).length;
  return {
    name: graph.name,
    rows,
    parameters,
    parameterBytes: 4 * parameters,
    gradientBytes: 4 * parameters,
    optimizerStateBytes: 4 * parameters * stateArrays,
    activationBytes: 2 * 4 * batchSize * graph.layers.reduce((sum, node) => sum + elementsPerItem(node.type), 0),
    batchSize,
    forwardFlops: perSample * batchSize,
    trainStepFlops: 3 * perSample * batchSize,
    ...recurrentStepWork(graph),
    threads: graph.train.threads,
  };
}

function recurrentStepWork(graph: Graph): { recurrentStepWork?: number } {
  const works = graph.parameters.filter((p) => /\.weight_hh_l\d+(_reverse)?$/.test(p.name) && p.shape.length === 2).map((p) => graph.train.batchSize * p.shape[0]! * p.shape[1]!);
  return works.length === 0 ? {} : { recurrentStepWork: Math.max(...works) };
}
