import { diag } from "../../diagnostics/codes.ts";
import type { Precision } from "../../emit/module.ts";
import { showType, staticSize, type LayerNode } from "../../ir/types.ts";
import { lengthsKey, lengthsRange, lowerLengths } from "../lengths.ts";
import type { InputValue, JsonSchema, LayerOp, MathHelper, NodeSpecBase, OpSchema, ParameterShape, ScratchBuffer, ShapeRuleResult, SourcePosition } from "../op.ts";
import { emitRecurrentBackward, emitRecurrentForward, laneName, type Cell } from "./lane.ts";

/**
 * What rnn, lstm and gru share, as ONNX's RNN family shares its shape inference: the attributes (`num_layers`,
 * `bidirectional`, `dropout`, `bias`), the shape rule, PyTorch's parameter names and init, the layer/direction
 * structure with dropout between layers, and the products that are the same for every cell. A cell (the op file)
 * supplies only what happens at one time step, forward and backward.
 *
 * Layout: sequences are stored time-major inside a generated model, row (t, b) at t·batchSize + b, so the rows of one
 * step are contiguous and every product below is one kernel call. A layer's output is [T·batch, D·H]: direction d
 * writes columns d·H … d·H + H − 1 (forward half first, as PyTorch), so its rows are D·H apart.
 */

export interface RecurrentNodeSpec extends NodeSpecBase {
  readonly lengths?: string;
  readonly hidden_size: number;
  readonly num_layers: number;
  readonly bidirectional: boolean;
  readonly dropout: number;
  readonly bias: boolean;
}

export interface RecurrentNode extends LayerNode {
  readonly seqLen: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: 1 | 2;
  readonly dropout: number;
  readonly bias: boolean;
  /** The int32 [batch] input of each sample's length, when sequences have different lengths. */
  readonly lengths?: string;
}

/** The largest hidden size a spec may ask for: a [4H, H] weight then stays far below the parameter cap. */
export const maxHiddenSize = 4096;

/** The schema keys every recurrent op has; a cell adds its own (rnn's `nonlinearity`). */
export function recurrentSchema(description: string, extra: Readonly<Record<string, JsonSchema>> = {}): OpSchema {
  return {
    description,
    required: ["hidden_size"],
    references: ["lengths"],
    properties: {
      hidden_size: { description: "Size of the hidden state, per direction.", type: "integer", minimum: 1, maximum: maxHiddenSize },
      num_layers: { description: "Stacked layers: layer k > 0 reads layer k − 1's whole output (both directions).", type: "integer", minimum: 1, maximum: 16, default: 1 },
      bidirectional: {
        description: "Add a direction that reads the sequence backwards; the output is then [batch, seq, 2·hidden_size], forward half first.",
        type: "boolean",
        default: false,
      },
      dropout: {
        description: "Dropout on every layer's output except the last, in training only (as PyTorch); needs `num_layers` ≥ 2 to have an effect.",
        type: "number",
        minimum: 0,
        exclusiveMaximum: 1,
        default: 0,
      },
      ...extra,
      bias: { description: "Learn the biases b_ih and b_hh.", type: "boolean", default: true },
      ...lengthsKey,
    },
  };
}

/** The shape rule: [batch, seq, input_size] float32 → [batch, seq, D·hidden_size]. */
export function lowerRecurrent<Spec extends RecurrentNodeSpec, Extra extends object>(
  op: string,
  spec: Spec,
  inputs: readonly InputValue[],
  at: SourcePosition,
  keyAt: (key: string) => SourcePosition,
  extra: Extra,
): ShapeRuleResult<RecurrentNode & Extra> {
  const input = inputs[0]!;
  const [batch, seq, features] = input.type.dims;
  const seqLen = seq === undefined ? undefined : staticSize(seq);
  const inputSize = features === undefined ? undefined : staticSize(features);
  if (input.type.dims.length !== 3 || batch?.name !== "batch" || seqLen === undefined || inputSize === undefined) {
    return {
      diagnostics: [diag.rankMismatch(at, spec.id, op, "a sequence [batch, seq, features]", showType(input.type), `\`${input.id}\` is not a batch-first sequence`)],
    };
  }
  if (input.type.dtype !== "float32") return { diagnostics: [diag.dtypeMismatch(at, spec.id, "float32", input.type.dtype)] };
  const { lengths, diagnostics } = lowerLengths(spec.id, op, inputs, keyAt);
  if (diagnostics.length > 0) return { diagnostics };
  const directions = spec.bidirectional ? 2 : 1;
  return {
    node: {
      op,
      id: spec.id,
      input: input.id,
      inputs: lengths === undefined ? [input.id] : [input.id, lengths],
      at,
      seqLen,
      inputSize,
      hiddenSize: spec.hidden_size,
      numLayers: spec.num_layers,
      directions,
      dropout: spec.dropout,
      bias: spec.bias,
      type: { dims: [{ name: "batch" }, { name: "seq", size: seqLen }, { name: "hidden", size: directions * spec.hidden_size }], dtype: "float32" },
      ...(lengths === undefined ? {} : { lengths }),
      ...extra,
    },
  };
}

/** `rnn(x, 10→20, 2 layers, bidirectional, dropout 0.2, no bias)`: the attributes that differ from the defaults. */
export function recurrentSummary(node: RecurrentNode, ...more: string[]): string {
  const parts = [`${node.inputSize}→${node.hiddenSize}`, ...more];
  if (node.numLayers > 1) parts.push(`${node.numLayers} layers`);
  if (node.directions === 2) parts.push("bidirectional");
  if (node.dropout > 0) parts.push(`dropout ${node.dropout}`);
  if (!node.bias) parts.push("no bias");
  if (node.lengths !== undefined) parts.push(`lengths ${node.lengths}`);
  return `${node.op}(${node.input}, ${parts.join(", ")})`;
}

/** `l0`, `l0_reverse`, `l1`, …: PyTorch's suffixes, in its state_dict order (layer by layer, forward direction first). */
export function lanes(node: RecurrentNode): { layer: number; reverse: boolean; suffix: string }[] {
  const result = [];
  for (let layer = 0; layer < node.numLayers; layer++) {
    for (let d = 0; d < node.directions; d++) result.push({ layer, reverse: d === 1, suffix: `l${layer}${d === 1 ? "_reverse" : ""}` });
  }
  return result;
}

/** Every weight and bias ~ U(−1/√H, 1/√H), as PyTorch's reset_parameters; names exactly as its state_dict. */
export function recurrentParameters(node: RecurrentNode, gates: number): ParameterShape[] {
  const H = node.hiddenSize;
  const init = { distribution: "uniform", bound: 1 / Math.sqrt(H) } as const;
  return lanes(node).flatMap(({ layer, suffix }) => {
    const inWidth = layer === 0 ? node.inputSize : node.directions * H;
    const weights = [
      { suffix: `weight_ih_${suffix}`, shape: [gates * H, inWidth], init },
      { suffix: `weight_hh_${suffix}`, shape: [gates * H, H], init },
    ];
    if (!node.bias) return weights;
    return [...weights, { suffix: `bias_ih_${suffix}`, shape: [gates * H], init }, { suffix: `bias_hh_${suffix}`, shape: [gates * H], init }];
  });
}

/** Per-lane scratch a cell needs: `perStep` elements per sample per time step, or `perSample` once per sample. */
export interface CellScratch {
  readonly name: string;
  readonly perStep?: number;
  readonly perSample?: number;
  readonly phase: "forward" | "backward";
}

/** The family's own scratch (the outputs of inner layers, their gradients and dropout masks) and the cell's, per lane. */
export function recurrentScratch(node: RecurrentNode, cell: readonly CellScratch[]): ScratchBuffer[] {
  const width = node.seqLen * node.directions * node.hiddenSize;
  const buffers: ScratchBuffer[] = [];
  for (let layer = 0; layer < node.numLayers - 1; layer++) {
    buffers.push({ name: laneName("out", layer, false), perItem: width, fixed: 0, phase: "forward" });
    buffers.push({ name: laneName("dout", layer, false), perItem: width, fixed: 0, phase: "backward" });
    if (node.dropout > 0) {
      buffers.push({ name: laneName("mask", layer, false), perItem: width, fixed: 0, phase: "forward" });
      buffers.push({ name: laneName("drop", layer, false), perItem: width, fixed: 0, phase: "forward" });
    }
  }
  for (const { layer, reverse } of lanes(node)) {
    for (const s of cell) buffers.push({ name: laneName(s.name, layer, reverse), perItem: s.perStep !== undefined ? s.perStep * node.seqLen : (s.perSample ?? 0), fixed: 0, phase: s.phase });
  }
  return buffers;
}

export function recurrentHelpers(node: RecurrentNode, cell: readonly MathHelper[]): MathHelper[] {
  return node.dropout > 0 && node.numLayers > 1 ? [...cell, "random"] : [...cell];
}

/** What a recurrent op file declares: its cell and what differs between cells. */
export interface RecurrentOpDefinition<Spec extends RecurrentNodeSpec, Node extends RecurrentNode> {
  readonly op: string;
  readonly description: string;
  readonly gates: number;
  readonly cell: (node: Node) => Cell;
  readonly scratch: (node: Node) => readonly CellScratch[];
  readonly helpers: (node: Node, precision: Precision) => readonly MathHelper[];
  /** Keys of the cell's own (rnn's `nonlinearity`), and how they reach the node. */
  readonly extraSchema?: Readonly<Record<string, JsonSchema>>;
  readonly extraNode: (spec: Spec) => Omit<Node, keyof RecurrentNode>;
  readonly extraSummary?: (node: Node) => readonly string[];
}

/** A recurrent op from its cell: everything but the cell is the family's. */
export function recurrentOp<Spec extends RecurrentNodeSpec, Node extends RecurrentNode>(definition: RecurrentOpDefinition<Spec, Node>): LayerOp<Spec, Node> {
  const { op, gates } = definition;
  return {
    schema: recurrentSchema(definition.description, definition.extraSchema),
    lower: (spec, inputs, at, keyAt) => lowerRecurrent(op, spec, inputs, at, keyAt, definition.extraNode(spec)) as ShapeRuleResult<Node>,
    summary: (node) => recurrentSummary(node, ...(definition.extraSummary?.(node) ?? [])),
    parameters: (node) => recurrentParameters(node, gates),
    // every layer and direction: T steps of [gates·H, in + H] multiply-adds
    flops: (node) => recurrentParameters(node, gates).reduce((sum, p) => sum + (p.shape.length === 2 ? 2 * node.seqLen * p.shape[0]! * p.shape[1]! : 0), 0),
    scratch: (node) => recurrentScratch(node, definition.scratch(node)),
    helpers: (node, precision) => recurrentHelpers(node, definition.helpers(node, precision)),
    integerRanges: (node) => lengthsRange(node.lengths, node.seqLen),
    streaming: (node) => {
      if (node.directions !== 1 || node.lengths !== undefined) return undefined;
      const cellState = definition.cell(node).cellState;
      const state = [];
      for (let layer = 0; layer < node.numLayers; layer++) {
        state.push({ name: laneName("h", layer, false), perItem: node.hiddenSize });
        if (cellState) state.push({ name: laneName("c", layer, false), perItem: node.hiddenSize });
      }
      return { state };
    },
    forward: (node, buffers, w) => emitRecurrentForward(node, definition.cell(node), buffers, w),
    backward: (node, buffers, w) => emitRecurrentBackward(node, definition.cell(node), buffers, w),
  };
}
