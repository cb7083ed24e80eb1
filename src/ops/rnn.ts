import { comment, forRange, offset, type Writer } from "../emit/code.ts";
import type { Precision } from "../emit/module.ts";
import { recurrentOp, type RecurrentNode, type RecurrentNodeSpec } from "./recurrent/family.ts";
import type { Cell, Lane } from "./recurrent/lane.ts";
import { carryBack, fillBias, projectPrevious, projectInputs, skipPastLength, timeLoop, weightGradients } from "./recurrent/steps.ts";

/**
 * rnn — Elman RNN, as torch.nn.RNN(batch_first=True), h_0 = 0:  h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh).
 * The pre-activation is computed in the output itself, then activated in place.
 */
export interface RnnNodeSpec extends RecurrentNodeSpec {
  readonly op: "rnn";
  readonly nonlinearity: "tanh" | "relu";
}

export interface RnnNode extends RecurrentNode {
  readonly nonlinearity: "tanh" | "relu";
}

/**
 * Whether a step's rows are activated, and their gradient taken, in WebAssembly (tanh_f32 and tanh_backward_f32,
 * src/emit/wasm/activations.ts: bit for bit the float32 `tanh` helper and the backward loop): float32 tanh,
 * the rows contiguous (one direction, no lengths) and a multiple of 4 values.
 */
function wasmTanh(node: RnnNode, precision: Precision): boolean {
  return node.nonlinearity === "tanh" && precision === "float32" && node.directions === 1 && node.lengths === undefined && node.hiddenSize % 4 === 0;
}

/**
 * The gradient at the pre-activation, as the backward loop computes it from `dOut` and the stored `h`: through tanh,
 * dOut·(1 − h²), in float32 arithmetic for float32 builds (every operation rounded, as PyTorch's float tanh_backward
 * and the WebAssembly tanh_backward_f32 compute it), in doubles for float64; then flushed (src/emit/math.ts).
 */
export function preActivationGradient(nonlinearity: RnnNode["nonlinearity"], precision: Precision, dOut: string): string {
  if (nonlinearity === "relu") return `flush(${dOut} * (h > 0 ? 1 : 0))`;
  if (precision === "float64") return `flush(${dOut} * (1 - h * h))`;
  return `flush(Math.fround(${dOut} * Math.fround(1 - Math.fround(h * h))))`;
}

function cell(node: RnnNode): Cell {
  const nonlinearity = node.nonlinearity;
  const activate = nonlinearity === "tanh" ? "tanh(pre)" : "pre > 0 ? pre : 0";
  return {
    gates: 1,
    cellState: false,
    equations: `h_t = ${nonlinearity}(x_t W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)`,
    forward(l: Lane, w: Writer) {
      const { T, H, DH, column, y } = l;
      fillBias(w, l, y, column, DH, H, `${T} * batchSize`, true);
      projectInputs(w, l, y, column, DH, H, l.bIh !== undefined);
      const inWasm = wasmTanh(node, l.E === 4 ? "float32" : "float64");
      timeLoop(w, l, "forward", () => {
        projectPrevious(w, l, y, column, DH, H, "out[t] += h_prev W_hhᵀ");
        if (inWasm) {
          comment(w, "h = tanh(pre) over the step's rows at once (WebAssembly, bit for bit the tanh helper)");
          w.writeLine(`tanh_f32(${offset(y.at, `row * ${H}`, l.E)}, batchSize * ${H});`);
          return;
        }
        forRange(w, "b", "batchSize", () => {
          w.writeLine(`const base = (row + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
          skipPastLength(w, l, () => forRange(w, "j", H, () => w.writeLine(`${y.view}[base + j] = 0;`)));
          forRange(w, "j", H, () => {
            w.writeLine(`const pre = ${y.view}[base + j]!;`);
            w.writeLine(`${y.view}[base + j] = ${activate};`);
          });
        });
      });
    },
    backward(l: Lane, w: Writer) {
      const { H, DH, column, y, dy } = l;
      const dPre = l.scratch("dPre");
      const precision = l.E === 4 ? "float32" : "float64";
      const inWasm = wasmTanh(node, precision);
      timeLoop(w, l, "backward", () => {
        if (inWasm) {
          comment(w, "dPre = flush(dOut·(1 − h²)) over the step's rows at once (WebAssembly, bit for bit the loop)");
          w.writeLine(`tanh_backward_f32(${offset(dPre.at, `row * ${H}`, l.E)}, ${offset(dy.at, `row * ${H}`, l.E)}, ${offset(y.at, `row * ${H}`, l.E)}, batchSize * ${H});`);
        } else {
          forRange(w, "b", "batchSize", () => {
            w.writeLine(`const base = (row + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
            w.writeLine(`const gate = (row + b) * ${H};`);
            skipPastLength(w, l, () => forRange(w, "j", H, () => w.writeLine(`${dPre.view}[gate + j] = 0;`)));
            forRange(w, "j", H, () => {
              w.writeLine(`const h = ${y.view}[base + j]!;`);
              w.writeLine(`${dPre.view}[gate + j] = ${preActivationGradient(nonlinearity, precision, `${dy.view}[base + j]!`)};`);
            });
          });
        }
        w.write("if (s > 0) ").block(() => carryBack(w, l, dPre, 1));
      });
      weightGradients(w, l, dPre, dPre, 1);
    },
  };
}

export const rnnOp = recurrentOp<RnnNodeSpec, RnnNode>({
  op: "rnn",
  description:
    "Elman RNN, batch-first: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), h_0 = 0. [batch, seq, input] → [batch, seq, D·hidden_size]. Same as torch.nn.RNN(batch_first=True).",
  gates: 1,
  cell: (node) => cell(node),
  scratch: (node) => [{ name: "dPre", perStep: node.hiddenSize, phase: "backward" }],
  helpers: (node, precision) => (wasmTanh(node, precision) ? [] : node.nonlinearity === "tanh" ? ["tanh", "flush"] : ["flush"]),
  extraSchema: { nonlinearity: { description: "Activation.", enum: ["tanh", "relu"], default: "tanh" } },
  extraNode: (spec) => ({ nonlinearity: spec.nonlinearity }),
  extraSummary: (node) => [node.nonlinearity],
});
