import { showType, type Graph, type LayerNode } from "../../ir/types.ts";
import { layerOp, lossOp } from "../../ops/registry.ts";
import { pythonLayer, type PythonHelper } from "./layers.ts";
import { pythonLoss } from "./losses.ts";
import { moduleAccess, PythonNames } from "./names.ts";
import { pythonOptimizer } from "./optimizers.ts";
import { pyFloat, type PythonWriter } from "./python-writer.ts";

/** The nodes the loss depends on: only they run in `forward` (the rest keep their parameters, untrained, as in rnnc). */
export function liveNodes(graph: Graph): Set<string> {
  const byId = new Map(graph.layers.map((node) => [node.id, node]));
  const live = new Set<string>();
  const visit = (id: string): void => {
    const node = byId.get(id);
    if (node === undefined || live.has(id)) return;
    live.add(id);
    node.inputs.forEach(visit);
  };
  visit(graph.loss.input);
  return live;
}

/** The spec inputs `forward` reads, in the spec's order. */
export function forwardInputs(graph: Graph): string[] {
  const read = new Set(graph.layers.filter((node) => liveNodes(graph).has(node.id)).flatMap((node) => node.inputs));
  return graph.inputs.map((input) => input.id).filter((id) => read.has(id));
}

/** `class Model(nn.Module)`: a submodule per node with parameters, registered under its id; `forward` one line per node. */
export function emitModel(graph: Graph, w: PythonWriter): readonly PythonHelper[] {
  const names = new PythonNames();
  const helpers = new Set<PythonHelper>();
  const live = liveNodes(graph);
  const inputs = forwardInputs(graph);
  const shape = (id: string) => {
    const type = graph.inputs.find((input) => input.id === id)?.type ?? graph.layers.find((node) => node.id === id)?.type;
    return type === undefined ? "" : `[${showType(type).join(", ")}] ${type.dtype}`;
  };
  w.block("class Model(nn.Module):", () => {
    w.line(`"""${graph.name} in PyTorch: each layer with parameters is the submodule named by its id, so the state_dict`);
    w.line(`names are rnnc's, and starts from PyTorch's default init."""`);
    w.line();
    w.block("def __init__(self):", () => {
      w.line("super().__init__()");
      for (const node of graph.layers) {
        const module = pythonLayer(node.op).module?.(node);
        if (module === undefined) continue;
        w.comment(`${node.id} = ${layerOp(node.op).summary(node)}${live.has(node.id) ? "" : " (not on the path to the loss: never trained)"}`);
        w.line(`${moduleAccess(node.id)} = ${module}`);
      }
    });
    w.line();
    w.block(`def forward(self, ${inputs.map((id) => names.local(id)).join(", ")}):`, () => {
      const docInputs = inputs.map((id) => `${id} ${shape(id)}`).join(", ");
      w.line(`"""${docInputs} -> ${graph.loss.input} ${shape(graph.loss.input)}"""`);
      for (const node of graph.layers) {
        if (!live.has(node.id)) continue;
        emitNode(node, names, w, helpers);
      }
      w.line(`return ${names.local(graph.loss.input)}`);
    });
  });
  return [...helpers].sort();
}

function emitNode(node: LayerNode, names: PythonNames, w: PythonWriter, helpers: Set<PythonHelper>): void {
  const python = pythonLayer(node.op);
  const lengths = node.inputs[1];
  const input = names.local(node.input);
  const expression = python.forward(node, { input, module: moduleAccess(node.id), ...(lengths === undefined ? {} : { lengths: names.local(lengths) }) });
  for (const helper of python.helpers?.(node) ?? []) helpers.add(helper);
  w.comment(`${layerOp(node.op).summary(node)}: [${showType(node.type).join(", ")}]`);
  w.line(`${names.local(node.id)} = ${expression}`);
}

/** loss_sum, loss_count, make_optimizer and clip_gradients: the spec's loss, optimizer and clipping. */
export function emitTraining(graph: Graph, w: PythonWriter): void {
  const loss = pythonLoss(graph.loss.op);
  w.block("def loss_sum(prediction, target):", () => {
    w.line(`"""${lossOp(graph.loss.op).summary(graph.loss)}, summed: ${loss.describe(graph.loss)}."""`);
    w.line(`return ${loss.sum(graph.loss)}`);
  });
  w.line().line();
  w.block("def loss_count(target):", () => {
    w.line(`"""How many terms a mini-batch's mean loss divides by, from its whole target."""`);
    w.line(`return ${loss.count(graph.loss)}`);
  });
  w.line().line();
  w.block("def accuracy_counts(prediction, target):", () => {
    const accuracy = loss.accuracy?.(graph.loss);
    w.line(`"""${accuracy === undefined ? "None: the loss is not a classifier's, so there is no accuracy." : "(right, scored): the scored targets, and those the logits rank first."}"""`);
    w.line(`return ${accuracy ?? "None"}`);
  });
  w.line().line();
  w.block("def make_optimizer(parameters):", () => w.line(`return ${pythonOptimizer(graph.optimizer)}`));
  w.line().line();
  w.block("def clip_gradients(parameters):", () => {
    const { clipGradValue, clipGradNorm } = graph.train;
    if (clipGradValue === undefined && clipGradNorm === undefined) {
      w.line(`"""The spec clips nothing."""`);
      return;
    }
    w.line(`"""Before each step, as torch.nn.utils: element values first, then the total norm."""`);
    w.line("parameters = list(parameters)");
    if (clipGradValue !== undefined) w.line(`nn.utils.clip_grad_value_(parameters, ${pyFloat(clipGradValue)})`);
    if (clipGradNorm !== undefined) w.line(`nn.utils.clip_grad_norm_(parameters, ${pyFloat(clipGradNorm)})`);
  });
}
