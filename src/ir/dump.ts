import type { Graph, IrNode, TensorType } from "./types.ts";

/**
 * A stable text form of the IR: every value with its inferred shape (named dimensions), every parameter with its
 * place in the flat array, the loss, the optimizer. `rnnc compile --dump-ir` prints it; tests snapshot it.
 */
export function dumpGraph(graph: Graph): string {
  const type = (t: TensorType) => `${t.dtype}[${t.dims.map((dim) => ("size" in dim ? `${dim.name}=${dim.size}` : dim.name)).join(", ")}]`;
  const lines = [`graph ${graph.name}`];
  for (const input of graph.inputs) lines.push(`  input ${input.id}: ${type(input.type)}`);
  for (const node of graph.layers) lines.push(`  ${node.id} = ${describe(node)}: ${type(node.type)}`);
  const loss = graph.loss;
  lines.push(`  loss = ${loss.op}(${loss.input}, ${loss.target}) over ${loss.op === "cross_entropy" ? `${loss.classes} classes` : `${loss.outputs} outputs`}`);
  lines.push("parameters");
  for (const p of graph.parameters) lines.push(`  ${p.name}: [${p.shape.join(", ")}] at ${p.offset}..${p.offset + p.size}, init U(±${p.initBound})`);
  const { lr, beta1, beta2, eps, weightDecay } = graph.optimizer;
  lines.push(`optimizer adam(lr=${lr}, betas=(${beta1}, ${beta2}), eps=${eps}, weight_decay=${weightDecay})`);
  const { epochs, batchSize, seed, shuffle, patience } = graph.train;
  lines.push(`train epochs=${epochs} batch_size=${batchSize} seed=${seed}${shuffle ? " shuffle" : ""}${patience === undefined ? "" : ` patience=${patience}`}`);
  if (graph.data !== undefined) {
    const { config, task, featureInput } = graph.data;
    lines.push(`data ${task} from ${config.csv}: ${featureInput} ← windows of ${config.window} over [${config.features.join(", ")}], target ${config.target} +${config.horizon}`);
  }
  return `${lines.join("\n")}\n`;
}

function describe(node: IrNode): string {
  switch (node.op) {
    case "input":
      return `input ${node.id}`;
    case "rnn":
      return `rnn(${node.input}, hidden=${node.hiddenSize}, ${node.nonlinearity}${node.bias ? "" : ", no bias"})`;
    case "last_step":
      return `last_step(${node.input})`;
    case "linear":
      return `linear(${node.input}, ${node.inFeatures}→${node.outFeatures}${node.bias ? "" : ", no bias"})`;
  }
}
