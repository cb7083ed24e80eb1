import { diag } from "../../diagnostics/codes.ts";
import { comment, forRange, gemm, offset, type Writer } from "../../emit/code.ts";
import type { Precision } from "../../emit/module.ts";
import { showType, staticSize, type LayerNode } from "../../ir/types.ts";
import type { BufferRef, Buffers, InputValue, JsonSchema, LayerOp, MathHelper, NodeSpecBase, OpSchema, ParameterRef, ParameterShape, ScratchBuffer, ShapeRuleResult, SourcePosition } from "../op.ts";
import { lengthsKey, lengthsRange, lowerLengths } from "../lengths.ts";
import { emitDropoutMask } from "../dropout-mask.ts";

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
function lanes(node: RecurrentNode): { layer: number; reverse: boolean; suffix: string }[] {
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

const laneName = (name: string, layer: number, reverse: boolean) => `${name}L${layer}${reverse ? "R" : ""}`;

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

/** One layer in one direction: what a cell's step emitters work with. */
export interface Lane {
  readonly node: RecurrentNode;
  readonly layer: number;
  readonly reverse: boolean;
  readonly T: number;
  readonly H: number;
  /** D·H: the row width of the layer's output. */
  readonly DH: number;
  /** d·H: this direction's first column in the layer's output. */
  readonly column: number;
  readonly inWidth: number;
  readonly x: BufferRef;
  readonly dx: BufferRef | undefined;
  readonly y: BufferRef;
  readonly dy: BufferRef;
  readonly wIh: ParameterRef;
  readonly wHh: ParameterRef;
  readonly bIh: ParameterRef | undefined;
  readonly bHh: ParameterRef | undefined;
  readonly scratch: (name: string) => BufferRef;
  /** Each sample's length (int32, [batch]) when sequences have different lengths. */
  readonly lengths: BufferRef | undefined;
  /** The streaming API's carried state ([batch, H] each): the initial h (and c) instead of zeros, saved after the step. */
  readonly state: { readonly h: BufferRef; readonly c: BufferRef | undefined } | undefined;
  readonly E: number;
}

/** What a cell (rnn, lstm, gru) supplies to the family. */
export interface Cell {
  /** Gates stacked in the weights: 1, 4 (i, f, g, o) or 3 (r, z, n). */
  readonly gates: number;
  readonly equations: string;
  /** Whether it carries a cell state c besides h (LSTM), which the streaming API keeps too. */
  readonly cellState: boolean;
  readonly forward: (lane: Lane, w: Writer) => void;
  readonly backward: (lane: Lane, w: Writer) => void;
}

function lane(node: RecurrentNode, buffers: Buffers, layer: number, reverse: boolean, cellState: boolean): Lane {
  const H = node.hiddenSize;
  const DH = node.directions * H;
  const last = layer === node.numLayers - 1;
  const suffix = `l${layer}${reverse ? "_reverse" : ""}`;
  const layerInput = (k: number) => buffers.scratch(laneName(node.dropout > 0 ? "drop" : "out", k, false));
  return {
    node,
    layer,
    reverse,
    T: node.seqLen,
    H,
    DH,
    column: reverse ? H : 0,
    inWidth: layer === 0 ? node.inputSize : DH,
    x: layer === 0 ? buffers.input : layerInput(layer - 1),
    dx: layer === 0 ? buffers.dInput : buffers.scratch(laneName("dout", layer - 1, false)),
    y: last ? buffers.output : buffers.scratch(laneName("out", layer, false)),
    dy: last ? buffers.dOutput : buffers.scratch(laneName("dout", layer, false)),
    wIh: buffers.param(`weight_ih_${suffix}`),
    wHh: buffers.param(`weight_hh_${suffix}`),
    bIh: node.bias ? buffers.param(`bias_ih_${suffix}`) : undefined,
    bHh: node.bias ? buffers.param(`bias_hh_${suffix}`) : undefined,
    scratch: (name) => buffers.scratch(laneName(name, layer, reverse)),
    lengths: node.lengths === undefined ? undefined : buffers.inputs[1],
    state: buffers.state === undefined ? undefined : { h: buffers.state(laneName("h", layer, false)), c: cellState ? buffers.state(laneName("c", layer, false)) : undefined },
    E: buffers.elementBytes,
  };
}

export function emitRecurrentForward(node: RecurrentNode, cell: Cell, buffers: Buffers, w: Writer): void {
  const width = node.directions * node.hiddenSize;
  for (let layer = 0; layer < node.numLayers; layer++) {
    for (let d = 0; d < node.directions; d++) {
      const l = lane(node, buffers, layer, d === 1, cell.cellState);
      comment(w, `${node.op} \`${node.id}\` layer ${layer}${d === 1 ? ", reverse direction" : ""} forward: ${cell.equations}`);
      w.block(() => cell.forward(l, w));
      if (l.state !== undefined) saveState(w, l, cell);
    }
    if (layer < node.numLayers - 1 && node.dropout > 0) {
      const out = buffers.scratch(laneName("out", layer, false));
      const mask = buffers.scratch(laneName("mask", layer, false));
      const drop = buffers.scratch(laneName("drop", layer, false));
      w.block(() => emitDropoutMask(w, node.dropout, mask.view, `${node.seqLen} * batchSize * ${width}`, `between layers ${layer} and ${layer + 1}`));
      forRange(w, "i", `${node.seqLen} * batchSize * ${width}`, () => w.writeLine(`${drop.view}[i] = ${out.view}[i]! * ${mask.view}[i]!;`));
    }
  }
}

export function emitRecurrentBackward(node: RecurrentNode, cell: Cell, buffers: Buffers, w: Writer): void {
  const count = `${node.seqLen} * batchSize * ${node.directions * node.hiddenSize}`;
  for (let layer = 0; layer < node.numLayers - 1; layer++) w.writeLine(`${buffers.scratch(laneName("dout", layer, false)).view}.fill(0, 0, ${count});`);
  for (let layer = node.numLayers - 1; layer >= 0; layer--) {
    for (let d = node.directions - 1; d >= 0; d--) {
      const l = lane(node, buffers, layer, d === 1, cell.cellState);
      if (l.dx === undefined && layer === 0) comment(w, `${node.op} \`${node.id}\` layer 0${d === 1 ? ", reverse direction" : ""} backward through time (its input is a spec input: no input gradient)`);
      else comment(w, `${node.op} \`${node.id}\` layer ${layer}${d === 1 ? ", reverse direction" : ""} backward through time`);
      w.block(() => cell.backward(l, w));
    }
    if (layer > 0 && node.dropout > 0) {
      const dOut = buffers.scratch(laneName("dout", layer - 1, false));
      const mask = buffers.scratch(laneName("mask", layer - 1, false));
      comment(w, `dropout between layers ${layer - 1} and ${layer} backward: the same mask`);
      forRange(w, "i", count, () => w.writeLine(`${dOut.view}[i]! *= ${mask.view}[i]!;`));
    }
  }
}

/**
 * `for (let s = 0; s < T; s++) { const t = …; const row = t * batchSize; … }`: steps in this direction's order
 * (backwards for the reverse direction, and reversed again by `backward`). `prevRow` is the row of the step before
 * in this direction's order, meaningful when s > 0.
 */
export function timeLoop(w: Writer, l: Lane, order: "forward" | "backward", body: () => void): void {
  const T = l.T;
  const head = order === "forward" ? `for (let s = 0; s < ${T}; s++) ` : `for (let s = ${T} - 1; s >= 0; s--) `;
  w.write(head).block(() => {
    w.writeLine(`const t = ${l.reverse ? `${T - 1} - s` : "s"};`);
    w.writeLine("const row = t * batchSize;");
    w.writeLine(`const prevRow = ${l.reverse ? "(t + 1)" : "(t - 1)"} * batchSize;`);
    body();
  });
}

/** `target[r, column + j] = b_ih[j] (+ b_hh[j])` for `rows` rows, or nothing without biases (the next product then overwrites). */
export function fillBias(w: Writer, l: Lane, target: BufferRef, column: number, ld: number, width: number, rows: string, both: boolean): void {
  if (l.bIh === undefined || l.bHh === undefined) return;
  const bIh = l.bIh.value.view;
  const bHh = l.bHh.value.view;
  const at = column === 0 ? `r * ${ld} + j` : `r * ${ld} + ${column} + j`;
  if (column === 0 && ld === width) {
    // Rows back to back: fill the first, then copy what is filled onto what follows, doubling (memcpy, not a loop).
    comment(w, both ? "start from b_ih + b_hh: the first row, then copies of the rows filled so far" : "start from b_ih: the first row, then copies of the rows filled so far");
    forRange(w, "j", width, () => w.writeLine(`${target.view}[j] = ${bIh}[j]!${both ? ` + ${bHh}[j]!` : ""};`));
    w.writeLine(`for (let filled = ${width}; filled < ${rows} * ${width}; filled *= 2) ${target.view}.copyWithin(filled, 0, Math.min(filled, ${rows} * ${width} - filled));`);
    return;
  }
  comment(w, both ? "start from b_ih + b_hh" : "start from b_ih");
  forRange(w, "r", rows, () => forRange(w, "j", width, () => w.writeLine(`${target.view}[${at}] = ${bIh}[j]!${both ? ` + ${bHh}[j]!` : ""};`)));
}

/** The input projection of every step at once: `target[t, b, column…] (+)= x[t, b] W_ihᵀ`. */
export function projectInputs(w: Writer, l: Lane, target: BufferRef, column: number, ld: number, width: number, accumulate: boolean): void {
  gemm(
    w,
    "nt",
    { m: `${l.T} * batchSize`, n: width, k: l.inWidth, a: l.x.at, lda: l.inWidth, b: l.wIh.value.at, ldb: l.inWidth, c: offset(target.at, column, l.E), ldc: ld, accumulate },
    `the input projection of every step at once: ${accumulate ? "+" : ""}= x[t, b] W_ihᵀ`,
  );
}

/** `target[row, column…] += h_prev W_hhᵀ` for the current step: h_prev is this direction's output at the step before. */
export function projectHidden(w: Writer, l: Lane, target: BufferRef, column: number, ld: number, width: number, what: string): void {
  const c = column === 0 ? `row * ${ld}` : `row * ${ld} + ${column}`;
  gemm(
    w,
    "nt",
    { m: "batchSize", n: width, k: l.H, a: offset(l.y.at, l.column === 0 ? `prevRow * ${l.DH}` : `prevRow * ${l.DH} + ${l.column}`, l.E), lda: l.DH, b: l.wHh.value.at, ldb: l.H, c: offset(target.at, c, l.E), ldc: ld, accumulate: true },
    what,
  );
}

/**
 * `target[row] += h_prev W_hhᵀ` when there is a previous step; at the first step h_prev is 0, or with the streaming
 * API the state carried from the last call.
 */
export function projectPrevious(w: Writer, l: Lane, target: BufferRef, column: number, ld: number, width: number, what: string): void {
  w.write("if (s > 0) ").block(() => projectHidden(w, l, target, column, ld, width, what));
  const state = l.state;
  if (state === undefined) return;
  const c = column === 0 ? `row * ${ld}` : `row * ${ld} + ${column}`;
  w.write("else ").block(() =>
    gemm(
      w,
      "nt",
      { m: "batchSize", n: width, k: l.H, a: state.h.at, lda: l.H, b: l.wHh.value.at, ldb: l.H, c: offset(target.at, c, l.E), ldc: ld, accumulate: true },
      `${what.split(" += ")[0] ?? "target"} += h_carried W_hhᵀ (the state carried from the last step)`,
    ),
  );
}

/** h_prev[b, j] at the first step: 0, or the carried state. */
export function initialHidden(l: Lane): string {
  return l.state === undefined ? "0" : `${l.state.h.view}[b * ${l.H} + j]!`;
}

/** c_prev[b, j] at the first step: 0, or the carried cell state. */
export function initialCell(l: Lane): string {
  return l.state?.c === undefined ? "0" : `${l.state.c.view}[b * ${l.H} + j]!`;
}

/** After a streaming step: keep h (and c) of the last step for the next call. */
function saveState(w: Writer, l: Lane, cell: Cell): void {
  const state = l.state!;
  comment(w, "keep the last step's state for the next call");
  forRange(w, "b", "batchSize", () =>
    forRange(w, "j", l.H, () => {
      w.writeLine(`${state.h.view}[b * ${l.H} + j] = ${l.y.view}[(${l.T - 1} * batchSize + b) * ${l.DH} + ${l.column} + j]!;`);
      if (state.c !== undefined && cell.cellState) w.writeLine(`${state.c.view}[b * ${l.H} + j] = ${l.scratch("cell").view}[(${l.T - 1} * batchSize + b) * ${l.H} + j]!;`);
    }),
  );
}

/** `dy[prevRow] += dGates[row] W_hh`: the gradient carried back to the previous step's hidden state. */
export function carryBack(w: Writer, l: Lane, dGates: BufferRef, gates: number): void {
  gemm(
    w,
    "nn",
    { m: "batchSize", n: l.H, k: gates * l.H, a: offset(dGates.at, `row * ${gates * l.H}`, l.E), lda: gates * l.H, b: l.wHh.value.at, ldb: l.H, c: offset(l.dy.at, l.column === 0 ? `prevRow * ${l.DH}` : `prevRow * ${l.DH} + ${l.column}`, l.E), ldc: l.DH, accumulate: true },
    "dL/dh_prev += dGates W_hh (the gradient carried back through the recurrence)",
  );
}

/**
 * After the time loop: dW_ih += dGatesᵀ x; dW_hh += Σ_t dGatesHidden[t]ᵀ h_prev(t) (rows one step apart, so one product);
 * db_ih += Σ dGates, db_hh += Σ dGatesHidden; dx += dGates W_ih.
 */
export function weightGradients(w: Writer, l: Lane, dGates: BufferRef, dGatesHidden: BufferRef, gates: number): void {
  const GH = gates * l.H;
  const { T, E } = l;
  gemm(w, "tn", { m: GH, n: l.inWidth, k: `${T} * batchSize`, a: dGates.at, lda: GH, b: l.x.at, ldb: l.inWidth, c: l.wIh.grad.at, ldc: l.inWidth, accumulate: true }, "dW_ih += Σ_{t,b} dGates[t, b]ᵀ x[t, b]");
  if (T > 1) {
    // forward direction: dGates rows of steps 1…T−1 pair with h of steps 0…T−2; reverse: steps 0…T−2 with h of 1…T−1
    const gatesFrom = l.reverse ? 0 : `batchSize * ${GH}`;
    const hiddenFrom = l.reverse ? `batchSize * ${l.DH} + ${l.column}` : l.column;
    gemm(
      w,
      "tn",
      { m: GH, n: l.H, k: `${T - 1} * batchSize`, a: offset(dGatesHidden.at, gatesFrom, E), lda: GH, b: offset(l.y.at, hiddenFrom, E), ldb: l.DH, c: l.wHh.grad.at, ldc: l.H, accumulate: true },
      "dW_hh += Σ_t dGates[t]ᵀ h_prev(t): the previous step's rows lie one batch away",
    );
  }
  if (l.bIh !== undefined && l.bHh !== undefined) biasGradients(w, l, dGates, dGatesHidden, GH);
  if (l.dx !== undefined) {
    gemm(w, "nn", { m: `${T} * batchSize`, n: l.inWidth, k: GH, a: dGates.at, lda: GH, b: l.wIh.value.at, ldb: l.inWidth, c: l.dx.at, ldc: l.inWidth, accumulate: true }, "dL/dx[t, b] += dGates[t, b] W_ih");
  }
}

/**
 * Past a sample's length (`t ≥ lengths[b]`) a step is skipped, as a packed sequence skips it: `skipped` emits what
 * stands there instead (zero outputs in the forward pass, zero gradients in the backward pass). Emitted inside the
 * loop over b; nothing without lengths.
 */
export function skipPastLength(w: Writer, l: Lane, skipped: () => void): void {
  if (l.lengths === undefined) return;
  w.write(`if (t >= ${l.lengths.view}[b]!) `).block(() => {
    skipped();
    w.writeLine("continue;");
  });
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

/**
 * db_ih += Σ_{t,b} dGates[t, b], db_hh += Σ dGatesHidden (the same sums when they are one buffer). Each column is
 * summed in a double, row after row; four columns at a time (when GH allows), so each cache line read down the rows
 * serves four sums instead of one. The same sums, in the same order, as one column at a time.
 */
function biasGradients(w: Writer, l: Lane, dGates: BufferRef, dGatesHidden: BufferRef, GH: number): void {
  const same = dGates === dGatesHidden;
  const columns = GH % 4 === 0 ? 4 : 1;
  const lanes = Array.from({ length: columns }, (_, c) => c);
  const sums = (prefix: string) => lanes.map((c) => `${prefix}${c}`);
  const index = (c: number) => (c === 0 ? `r * ${GH} + j` : `r * ${GH} + j + ${c}`);
  comment(w, same ? "db_ih = db_hh = Σ_{t,b} dGates[t, b]" : "db_ih = Σ dGates, db_hh = Σ dGatesHidden");
  w.write(`for (let j = 0; j < ${GH}; j += ${columns}) `).block(() => {
    w.writeLine(`let ${[...sums("sum"), ...(same ? [] : sums("sumHidden"))].map((name) => `${name} = 0`).join(", ")};`);
    forRange(w, "r", `${l.T} * batchSize`, () => {
      for (const c of lanes) w.writeLine(`sum${c} += ${dGates.view}[${index(c)}]!;`);
      if (!same) for (const c of lanes) w.writeLine(`sumHidden${c} += ${dGatesHidden.view}[${index(c)}]!;`);
    });
    for (const c of lanes) {
      const j = c === 0 ? "j" : `j + ${c}`;
      w.writeLine(`${l.bIh!.grad.view}[${j}]! += sum${c};`);
      w.writeLine(`${l.bHh!.grad.view}[${j}]! += ${same ? `sum${c}` : `sumHidden${c}`};`);
    }
  });
}
