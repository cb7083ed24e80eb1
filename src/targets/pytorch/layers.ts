import type { LayerNode } from "../../ir/types.ts";
import type { DropoutNode } from "../../ops/dropout.ts";
import type { ActivationNode } from "../../ops/elementwise.ts";
import type { EmbeddingNode } from "../../ops/embedding.ts";
import type { LinearNode } from "../../ops/linear.ts";
import type { RecurrentNode } from "../../ops/recurrent/family.ts";
import type { LayerOpName } from "../../ops/registry.ts";
import type { RnnNode } from "../../ops/rnn.ts";
import type { SequenceReductionNode } from "../../ops/sequence-reduction.ts";
import { pyFloat } from "./python-writer.ts";

/** The names one node's Python sees: its primary input, its lengths input (if any) and its submodule. */
export interface PythonNodeNames {
  readonly input: string;
  readonly lengths?: string;
  readonly module: string;
}

/** Python helper functions a node's code calls; each is written once into the script when some node needs it. */
export type PythonHelper = "recurrent" | "counted" | "gelu";

/**
 * How one layer op reads in PyTorch: the submodule it owns (registered under the node's id, so the state_dict names
 * are rnnc's), and the expression of its output. The table is keyed by the registry's op names, so an op added to
 * the registry without its PyTorch form does not type-check.
 */
export interface PythonLayer<Node extends LayerNode> {
  /** `nn.Linear(20, 5)`: the submodule's constructor, for ops with parameters. */
  readonly module?: (node: Node) => string;
  /** The output as an expression of the names, e.g. `self.fc(last)`. */
  readonly forward: (node: Node, names: PythonNodeNames) => string;
  readonly helpers?: (node: Node) => readonly PythonHelper[];
}

const cellClass = { rnn: "nn.RNN", lstm: "nn.LSTM", gru: "nn.GRU" } as const;

function recurrentModule(node: RecurrentNode, cell: keyof typeof cellClass, extra: readonly string[] = []): string {
  const args = [String(node.inputSize), String(node.hiddenSize)];
  if (node.numLayers !== 1) args.push(`num_layers=${node.numLayers}`);
  args.push(...extra);
  if (!node.bias) args.push("bias=False");
  args.push("batch_first=True");
  if (node.dropout > 0) args.push(`dropout=${pyFloat(node.dropout)}`);
  if (node.directions === 2) args.push("bidirectional=True");
  return `${cellClass[cell]}(${args.join(", ")})`;
}

const recurrentForward = (_: RecurrentNode, names: PythonNodeNames): string =>
  names.lengths === undefined ? `recurrent(${names.module}, ${names.input})` : `recurrent(${names.module}, ${names.input}, ${names.lengths})`;

function recurrent<Node extends RecurrentNode>(cell: keyof typeof cellClass, extra: (node: Node) => readonly string[] = () => []): PythonLayer<Node> {
  return { module: (node) => recurrentModule(node, cell, extra(node)), forward: recurrentForward, helpers: () => ["recurrent"] };
}

function activation(expression: (x: string) => string, helpers: readonly PythonHelper[] = []): PythonLayer<ActivationNode> {
  return { forward: (_, names) => expression(names.input), helpers: () => helpers };
}

const lastStep: PythonLayer<SequenceReductionNode> = {
  forward: (_, { input, lengths }) => (lengths === undefined ? `${input}[:, -1, :]` : `${input}[torch.arange(${input}.size(0), device=${input}.device), ${lengths} - 1]`),
};

const meanPool: PythonLayer<SequenceReductionNode> = {
  forward: (node, { input, lengths }) => (lengths === undefined ? `${input}.mean(1)` : `(${input} * counted(${lengths}, ${node.seqLen})).sum(1) / ${lengths}[:, None]`),
  helpers: (node) => (node.lengths === undefined ? [] : ["counted"]),
};

const maxPool: PythonLayer<SequenceReductionNode> = {
  forward: (node, { input, lengths }) => (lengths === undefined ? `${input}.max(1).values` : `${input}.masked_fill(~counted(${lengths}, ${node.seqLen}), -math.inf).max(1).values`),
  helpers: (node) => (node.lengths === undefined ? [] : ["counted"]),
};

const table: { readonly [Op in LayerOpName]: PythonLayer<never> } = {
  embedding: {
    module: (node: EmbeddingNode) => `nn.Embedding(${node.numEmbeddings}, ${node.dim}${node.paddingIdx === undefined ? "" : `, padding_idx=${node.paddingIdx}`})`,
    forward: (_: EmbeddingNode, names: PythonNodeNames) => `${names.module}(${names.input})`,
  },
  rnn: recurrent<RnnNode>("rnn", (node) => (node.nonlinearity === "tanh" ? [] : [`nonlinearity="${node.nonlinearity}"`])),
  lstm: recurrent("lstm"),
  gru: recurrent("gru"),
  last_step: lastStep,
  mean_pool: meanPool,
  max_pool: maxPool,
  linear: {
    module: (node: LinearNode) => `nn.Linear(${node.inFeatures}, ${node.outFeatures}${node.bias ? "" : ", bias=False"})`,
    forward: (_: LinearNode, names: PythonNodeNames) => `${names.module}(${names.input})`,
  },
  relu: activation((x) => `torch.relu(${x})`),
  tanh: activation((x) => `torch.tanh(${x})`),
  sigmoid: activation((x) => `torch.sigmoid(${x})`),
  gelu: activation((x) => `gelu(${x})`, ["gelu"]),
  dropout: { forward: (node: DropoutNode, names: PythonNodeNames) => `F.dropout(${names.input}, p=${pyFloat(node.p)}, training=self.training)` },
};

/**
 * The PyTorch form of a node's op. The cast widens each entry's own node type to the base, which TypeScript cannot
 * follow through an index by a runtime name (as src/ops/registry.ts does); lowering has typed the node by its op.
 */
export function pythonLayer(op: string): PythonLayer<LayerNode> {
  const entry = Object.hasOwn(table, op) ? (table as Readonly<Record<string, PythonLayer<never>>>)[op] : undefined;
  if (entry === undefined) throw new Error(`no PyTorch form for op ${JSON.stringify(op)}`);
  return entry as unknown as PythonLayer<LayerNode>;
}

