import { comment, copyElements, forRange, type Writer } from "../../emit/code.ts";
import { emitDropoutMask } from "../dropout-mask.ts";
import type { BufferRef, Buffers, ParameterRef } from "../op.ts";
import type { RecurrentNode } from "./family.ts";

/**
 * One recurrent layer in one direction (a lane), and the forward and backward passes over all of a node's layers and
 * directions with dropout between layers: the structure of ops/recurrent/family.ts, which a cell fills in per step.
 */

/** A scratch or state buffer's name for one layer and direction: `outL0`, `dGatesL1R`. */
export const laneName = (name: string, layer: number, reverse: boolean) => `${name}L${layer}${reverse ? "R" : ""}`;

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

/** After a streaming step: keep h (and c) of the last step for the next call: copies within the kernels' memory. */
function saveState(w: Writer, l: Lane, cell: Cell): void {
  const state = l.state!;
  const lastRow = l.T === 1 ? "0" : `${l.T - 1} * batchSize`;
  const lastRowAt = (width: number): string => (l.T === 1 ? "0" : `${lastRow} * ${width}`);
  comment(w, "keep the last step's state for the next call");
  if (l.DH === l.H) copyElements(w, state.h, 0, l.y, lastRowAt(l.H), `batchSize * ${l.H}`, l.E);
  else forRange(w, "b", "batchSize", () => copyElements(w, state.h, `b * ${l.H}`, l.y, `(${lastRow} + b) * ${l.DH} + ${l.column}`, l.H, l.E));
  if (state.c !== undefined && cell.cellState) copyElements(w, state.c, 0, l.scratch("cell"), lastRowAt(l.H), `batchSize * ${l.H}`, l.E);
}
