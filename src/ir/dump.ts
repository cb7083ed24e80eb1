import { layerOp, lossOp, optimizerOp } from "../ops/registry.ts";
import { showInit, type Graph, type TensorType } from "./types.ts";

/**
 * A stable text form of the IR: every value with its inferred shape (named dimensions), every parameter with its
 * place in the flat array, the loss, the optimizer. `rnnc compile --dump-ir` prints it; tests snapshot it.
 */
export function dumpGraph(graph: Graph): string {
  const type = (t: TensorType) => `${t.dtype}[${t.dims.map((dim) => ("size" in dim ? `${dim.name}=${dim.size}` : dim.name)).join(", ")}]`;
  const lines = [`graph ${graph.name}`];
  for (const input of graph.inputs) lines.push(`  input ${input.id}: ${type(input.type)}`);
  for (const node of graph.layers) lines.push(`  ${node.id} = ${layerOp(node.op).summary(node)}: ${type(node.type)}`);
  const loss = graph.loss;
  lines.push(`  loss = ${lossOp(loss.op).summary(loss)}`);
  lines.push("parameters");
  for (const p of graph.parameters) lines.push(`  ${p.name}: [${p.shape.join(", ")}] at ${p.offset}..${p.offset + p.size}, init ${showInit(p.init)}`);
  lines.push(`optimizer ${optimizerOp(graph.optimizer.op).summary(graph.optimizer)}`);
  const { epochs, batchSize, seed, shuffle, patience } = graph.train;
  lines.push(`train epochs=${epochs} batch_size=${batchSize} seed=${seed}${shuffle ? " shuffle" : ""}${patience === undefined ? "" : ` patience=${patience}`}`);
  if (graph.data !== undefined) {
    const { config, task, featureInput } = graph.data;
    lines.push(`data ${task} from ${config.csv}: ${featureInput} ← windows of ${config.window} over [${config.features.join(", ")}], target ${config.target} +${config.horizon}`);
  }
  return `${lines.join("\n")}\n`;
}
