import { comment, type Writer } from "../../emit/code.ts";
import type { Precision } from "../../emit/module.ts";
import type { BufferRef, MathHelper } from "../op.ts";
import type { RecurrentNode } from "./family.ts";
import type { Lane } from "./lane.ts";

/**
 * Calls of the gate kernels (src/emit/wasm/gates.ts) in place of an LSTM's or GRU's per-step gate loops: one call per
 * time step over all its rows, bit for bit the loop it replaces. They apply to float32 builds whose step rows are
 * contiguous (one direction, no per-sample lengths) and whose hidden size is a multiple of 4 (the kernels go four
 * float32 values at a time); every other lane keeps the JavaScript loops.
 */
export function usesGateKernels(node: RecurrentNode, precision: Precision): boolean {
  return precision === "float32" && node.directions === 1 && node.lengths === undefined && node.hiddenSize % 4 === 0;
}

/**
 * `expression` as the gate loops compute it: rounded to float32 in float32 builds (as the gate kernels compute, and
 * PyTorch's float cells; the loops round every operation), as it is in float64 builds.
 */
export function rounded(l: Lane): (expression: string) => string {
  return lanePrecision(l) === "float32" ? (expression) => `Math.fround(${expression})` : (expression) => expression;
}

/** The lane's precision, from its element size. */
export const lanePrecision = (l: Lane): Precision => (l.E === 4 ? "float32" : "float64");

/** f₁·f₂·…·fₙ multiplied left to right, as the kernels' `product`: each product rounded in float32 builds. */
export function productOf(l: Lane, ...factors: readonly string[]): string {
  const r = rounded(l);
  return factors.slice(1).reduce((acc, factor) => r(`${acc} * ${factor}`), factors[0] ?? "1");
}

/** The factor (1 − v), or with `square` (1 − v·v), as the kernels' `oneMinus`. */
export function oneMinusOf(l: Lane, v: string, square = false): string {
  const r = rounded(l);
  const difference = r(`1 - ${square ? r(`${v} * ${v}`) : v}`);
  return difference.startsWith("Math.fround(") ? difference : `(${difference})`;
}

/** The JavaScript helpers a cell's loops call, none when every lane of the node runs in the gate kernels. */
export function gateHelpers(node: RecurrentNode, precision: Precision): readonly MathHelper[] {
  return usesGateKernels(node, precision) ? [] : ["sigmoid", "tanh", "flush"];
}

/** The byte offset of row `row` of a buffer whose rows are `width` elements. */
const rowAt = (l: Lane, buffer: BufferRef, row: string, width: number): string => `${buffer.at} + ${row} * ${width * l.E}`;

/** `s > 0 ? <previous row> : <first-step value>` and the matching hasPrev flag. */
function previous(l: Lane, buffer: BufferRef, width: number, first: BufferRef | undefined): { pointer: string; hasPrev: string } {
  const prev = rowAt(l, buffer, "prevRow", width);
  return first === undefined ? { pointer: `s > 0 ? ${prev} : 0`, hasPrev: "s > 0 ? 1 : 0" } : { pointer: `s > 0 ? ${prev} : ${first.at}`, hasPrev: "1" };
}

function call(w: Writer, kernel: string, args: readonly (string | number)[]): void {
  w.writeLine(`${kernel}(${args.join(", ")});`);
}

export function lstmForwardKernel(w: Writer, l: Lane, gates: BufferRef, cell: BufferRef): void {
  const { H } = l;
  const { pointer, hasPrev } = previous(l, cell, H, l.state?.c);
  comment(w, "i, f, o = σ(·), g = tanh(·) over the gates; c = f⊙c_prev + i⊙g; h = o⊙tanh(c): the step's rows in WebAssembly, float32, bit for bit the JavaScript loop");
  call(w, "lstm_forward_f32", [rowAt(l, gates, "row", 4 * H), pointer, rowAt(l, cell, "row", H), rowAt(l, l.y, "row", H), "batchSize", H, hasPrev]);
}

export function lstmBackwardKernel(w: Writer, l: Lane, gates: BufferRef, cell: BufferRef, dGates: BufferRef, dCell: BufferRef): void {
  const { H } = l;
  const { pointer, hasPrev } = previous(l, cell, H, undefined);
  comment(w, "dGates and the carried dL/dc from dL/dh: the step's rows in WebAssembly, bit for bit the JavaScript loop");
  call(w, "lstm_backward_f32", [rowAt(l, gates, "row", 4 * H), rowAt(l, cell, "row", H), pointer, rowAt(l, l.dy, "row", H), dCell.at, rowAt(l, dGates, "row", 4 * H), "batchSize", H, hasPrev]);
}

export function gruForwardKernel(w: Writer, l: Lane, gates: BufferRef, hidden: BufferRef): void {
  const { H } = l;
  const { pointer, hasPrev } = previous(l, l.y, H, l.state?.h);
  comment(w, "r, z = σ(·), n = tanh(· + r⊙(h W_hnᵀ + b_hn)); h = (1 − z)⊙n + z⊙h_prev: the step's rows in WebAssembly, float32, bit for bit the JavaScript loop");
  call(w, "gru_forward_f32", [rowAt(l, gates, "row", 3 * H), rowAt(l, hidden, "row", 3 * H), pointer, rowAt(l, l.y, "row", H), "batchSize", H, hasPrev]);
}

export function gruBackwardKernel(w: Writer, l: Lane, gates: BufferRef, hidden: BufferRef, dGates: BufferRef, dHidden: BufferRef): void {
  const { H } = l;
  const { pointer, hasPrev } = previous(l, l.y, H, undefined);
  const dyPrev = previous(l, l.dy, H, undefined).pointer;
  comment(w, "dGates, dHidden and dL/dh_prev += dh⊙z: the step's rows in WebAssembly, bit for bit the JavaScript loop");
  call(w, "gru_backward_f32", [rowAt(l, gates, "row", 3 * H), rowAt(l, hidden, "row", 3 * H), pointer, rowAt(l, l.dy, "row", H), dyPrev, rowAt(l, dGates, "row", 3 * H), rowAt(l, dHidden, "row", 3 * H), "batchSize", H, hasPrev]);
}
