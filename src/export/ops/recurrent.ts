import type { RecurrentNode } from "../../ops/recurrent/family.ts";
import type { RnnNode } from "../../ops/rnn.ts";
import { attribute } from "../graph-builder.ts";
import { exporterFor, type NodeExport, type NodeExporter } from "../node-export.ts";

/**
 * rnn, lstm, gru → ONNX RNN, LSTM, GRU (opset 14), one node per layer, both directions in one node.
 *
 * - ONNX's default layout is time-major: X [seq, batch, input], Y [seq, directions, batch, hidden]. The batch-first
 *   input is transposed in, and Y transposed and reshaped back to [batch, seq, directions·hidden] (forward half
 *   first, as PyTorch). onnxruntime implements only `layout = 0`, so the transposes are explicit.
 * - Weights: W [directions, gates·hidden, input], R [directions, gates·hidden, hidden], B [directions, 2·gates·hidden]
 *   = (b_ih, b_hh), each direction's gate blocks reordered from PyTorch's order to ONNX's: LSTM i,f,g,o → i,o,f,c;
 *   GRU r,z,n → z,r,h with `linear_before_reset = 1` (PyTorch applies r to W_hn h + b_hn). No bias: B is left out.
 * - Layer k > 0 reads layer k − 1's Y as [seq, batch, directions·hidden].
 * - `lengths` becomes `sequence_lens`: each sample stops at its own length, the reverse direction starts at its own
 *   last step, and Y is 0 past the length, as pack_padded_sequence / pad_packed_sequence.
 */
interface Family {
  readonly opType: "RNN" | "LSTM" | "GRU";
  /** ONNX gate block k is PyTorch's block gateOrder[k]. */
  readonly gateOrder: readonly number[];
}

const families: Readonly<Record<string, Family>> = {
  rnn: { opType: "RNN", gateOrder: [0] },
  lstm: { opType: "LSTM", gateOrder: [0, 3, 1, 2] },
  gru: { opType: "GRU", gateOrder: [1, 0, 2] },
};

/** PyTorch's gate-stacked rows [gates·H, width] (or a bias [gates·H]) in ONNX's gate order. */
export function reorderGates(values: Float32Array, gateOrder: readonly number[], hiddenSize: number): Float32Array {
  const block = values.length / gateOrder.length;
  if (!Number.isInteger(block) || block % hiddenSize !== 0) throw new Error(`${values.length} elements do not stack ${gateOrder.length} gates of hidden size ${hiddenSize}`);
  const result = new Float32Array(values.length);
  gateOrder.forEach((from, to) => result.set(values.subarray(from * block, (from + 1) * block), to * block));
  return result;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const result = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    result.set(part, at);
    at += part.length;
  }
  return result;
}

function exportRecurrent(node: RecurrentNode, x: NodeExport): string {
  const family = families[node.op];
  if (family === undefined) throw new Error(`no ONNX recurrent family for ${node.op}`);
  const { hiddenSize: H, directions: D, numLayers } = node;
  const G = family.gateOrder.length;
  const gates = (suffix: string) => reorderGates(x.param(suffix).values, family.gateOrder, H);
  const directionSuffixes = (layer: number) => (D === 2 ? [`l${layer}`, `l${layer}_reverse`] : [`l${layer}`]);
  const [input, lengths] = x.inputs;
  const flatten = x.int64s("flatten", [3], [0, 0, -1]);
  // [batch, seq, input] → [seq, batch, input]
  let layerInput = x.emit("Transpose", [input!], "time_major", [attribute.ints("perm", [1, 0, 2])]);
  let y = "";
  for (let layer = 0; layer < numLayers; layer++) {
    const suffixes = directionSuffixes(layer);
    const inWidth = layer === 0 ? node.inputSize : D * H;
    const W = x.floats(`W_l${layer}`, [D, G * H, inWidth], concat(suffixes.map((s) => gates(`weight_ih_${s}`))));
    const R = x.floats(`R_l${layer}`, [D, G * H, H], concat(suffixes.map((s) => gates(`weight_hh_${s}`))));
    const B = node.bias ? x.floats(`B_l${layer}`, [D, 2 * G * H], concat(suffixes.flatMap((s) => [gates(`bias_ih_${s}`), gates(`bias_hh_${s}`)]))) : "";
    const attributes = [attribute.int("hidden_size", H), attribute.string("direction", D === 2 ? "bidirectional" : "forward")];
    if (node.op === "gru") attributes.push(attribute.int("linear_before_reset", 1));
    if (node.op === "rnn") attributes.push(attribute.strings("activations", new Array<string>(D).fill((node as RnnNode).nonlinearity === "relu" ? "Relu" : "Tanh")));
    const inputs = lengths === undefined ? [layerInput, W, R, B] : [layerInput, W, R, B, lengths];
    y = x.emit(family.opType, inputs, `Y_l${layer}`, attributes);
    if (layer < numLayers - 1) {
      // Y [seq, D, batch, H] → [seq, batch, D, H] → [seq, batch, D·H]: the next layer's X
      const sequenceMajor = x.emit("Transpose", [y], `Y_l${layer}_steps`, [attribute.ints("perm", [0, 2, 1, 3])]);
      layerInput = x.emit("Reshape", [sequenceMajor, flatten], `X_l${layer + 1}`);
    }
  }
  // Y [seq, D, batch, H] → [batch, seq, D, H] → [batch, seq, D·H]
  const batchFirst = x.emit("Transpose", [y], "batch_first", [attribute.ints("perm", [2, 0, 1, 3])]);
  return x.emit("Reshape", [batchFirst, flatten], "");
}

export const recurrentExporter: NodeExporter = exporterFor(exportRecurrent);
