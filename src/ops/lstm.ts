import { forRange, type Writer } from "../emit/code.ts";
import { recurrentOp, type RecurrentNode, type RecurrentNodeSpec } from "./recurrent/family.ts";
import type { Cell, Lane } from "./recurrent/lane.ts";
import { carryBack, fillBias, initialCell, projectPrevious, projectInputs, skipPastLength, timeLoop, weightGradients } from "./recurrent/steps.ts";
import { lstmBackwardKernel, lstmForwardKernel, gateHelpers, lanePrecision, oneMinusOf, productOf, rounded, usesGateKernels } from "./recurrent/gate-kernels.ts";

/**
 * lstm — as torch.nn.LSTM(batch_first=True), h_0 = c_0 = 0. Gates stacked in PyTorch's row order i, f, g, o:
 *   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh;  c = f⊙c_prev + i⊙g;  h = o⊙tanh(c)
 * The forward pass keeps the activated gates and every cell state for the backward pass.
 */
export interface LstmNodeSpec extends RecurrentNodeSpec {
  readonly op: "lstm";
}

const lstmCell: Cell = {
  gates: 4,
  cellState: true,
  equations: "[i f g o] = [σ σ tanh σ](x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)",
  forward(l: Lane, w: Writer) {
    const { T, H, DH, column, y } = l;
    const gates = l.scratch("gates");
    const cell = l.scratch("cell");
    fillBias(w, l, gates, 0, 4 * H, 4 * H, `${T} * batchSize`, true);
    projectInputs(w, l, gates, 0, 4 * H, 4 * H, l.bIh !== undefined);
    timeLoop(w, l, "forward", () => {
      projectPrevious(w, l, gates, 0, 4 * H, 4 * H, "gates[t] += h_prev W_hhᵀ");
      if (usesGateKernels(l.node, lanePrecision(l))) return lstmForwardKernel(w, l, gates, cell);
      const r = rounded(l);
      forRange(w, "b", "batchSize", () => {
        w.writeLine(`const gate = (row + b) * ${4 * H};`);
        w.writeLine(`const state = (row + b) * ${H};`);
        w.writeLine(`const prevState = (prevRow + b) * ${H};`);
        w.writeLine(`const base = (row + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
        skipPastLength(w, l, () =>
          forRange(w, "j", H, () => {
            w.writeLine(`${y.view}[base + j] = 0;`);
            w.writeLine(`${cell.view}[state + j] = 0;`);
          }),
        );
        forRange(w, "j", H, () => {
          w.writeLine(`const i = sigmoid(${gates.view}[gate + j]!);`);
          w.writeLine(`const f = sigmoid(${gates.view}[gate + ${H} + j]!);`);
          w.writeLine(`const g = tanh(${gates.view}[gate + ${2 * H} + j]!);`);
          w.writeLine(`const o = sigmoid(${gates.view}[gate + ${3 * H} + j]!);`);
          w.writeLine(`${gates.view}[gate + j] = i;`);
          w.writeLine(`${gates.view}[gate + ${H} + j] = f;`);
          w.writeLine(`${gates.view}[gate + ${2 * H} + j] = g;`);
          w.writeLine(`${gates.view}[gate + ${3 * H} + j] = o;`);
          w.writeLine(`const c = ${r(`${r(`f * (s > 0 ? ${cell.view}[prevState + j]! : ${initialCell(l)})`)} + ${r("i * g")}`)};`);
          w.writeLine(`${cell.view}[state + j] = c;`);
          w.writeLine(`${y.view}[base + j] = ${r("o * tanh(c)")};`);
        });
      });
    });
  },
  backward(l: Lane, w: Writer) {
    const { H, DH, column, dy } = l;
    const gates = l.scratch("gates");
    const cell = l.scratch("cell");
    const dGates = l.scratch("dGates");
    const dCell = l.scratch("dCell");
    w.writeLine(`${dCell.view}.fill(0, 0, batchSize * ${H}); // dL/dc carried from the step after, none after the last`);
    const r = rounded(l);
    timeLoop(w, l, "backward", () => {
      if (usesGateKernels(l.node, lanePrecision(l))) lstmBackwardKernel(w, l, gates, cell, dGates, dCell);
      else forRange(w, "b", "batchSize", () => {
        w.writeLine(`const gate = (row + b) * ${4 * H};`);
        w.writeLine(`const state = (row + b) * ${H};`);
        w.writeLine(`const prevState = (prevRow + b) * ${H};`);
        w.writeLine(`const base = (row + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
        skipPastLength(w, l, () => {
          forRange(w, "j", 4 * H, () => w.writeLine(`${dGates.view}[gate + j] = 0;`));
          forRange(w, "j", H, () => w.writeLine(`${dCell.view}[b * ${H} + j] = 0;`));
        });
        forRange(w, "j", H, () => {
          w.writeLine(`const i = ${gates.view}[gate + j]!;`);
          w.writeLine(`const f = ${gates.view}[gate + ${H} + j]!;`);
          w.writeLine(`const g = ${gates.view}[gate + ${2 * H} + j]!;`);
          w.writeLine(`const o = ${gates.view}[gate + ${3 * H} + j]!;`);
          w.writeLine(`const tanhC = tanh(${cell.view}[state + j]!);`);
          w.writeLine(`const dh = ${dy.view}[base + j]!;`);
          w.writeLine(`const dc = ${r(`${dCell.view}[b * ${H} + j]! + ${productOf(l, "dh", "o", oneMinusOf(l, "tanhC", true))}`)};`);
          w.writeLine(`const cPrev = s > 0 ? ${cell.view}[prevState + j]! : 0;`);
          w.writeLine(`${dGates.view}[gate + j] = flush(${productOf(l, "dc", "g", "i", oneMinusOf(l, "i"))});`);
          w.writeLine(`${dGates.view}[gate + ${H} + j] = flush(${productOf(l, "dc", "cPrev", "f", oneMinusOf(l, "f"))});`);
          w.writeLine(`${dGates.view}[gate + ${2 * H} + j] = flush(${productOf(l, "dc", "i", oneMinusOf(l, "g", true))});`);
          w.writeLine(`${dGates.view}[gate + ${3 * H} + j] = flush(${productOf(l, "dh", "tanhC", "o", oneMinusOf(l, "o"))});`);
          w.writeLine(`${dCell.view}[b * ${H} + j] = flush(${productOf(l, "dc", "f")});`);
        });
      });
      w.write("if (s > 0) ").block(() => carryBack(w, l, dGates, 4));
    });
    weightGradients(w, l, dGates, dGates, 4);
  },
};

export const lstmOp = recurrentOp<LstmNodeSpec, RecurrentNode>({
  op: "lstm",
  description:
    "Long short-term memory (LSTM), batch-first: gates i, f, g, o (PyTorch's order), c_t = f⊙c_{t-1} + i⊙g, h_t = o⊙tanh(c_t), h_0 = c_0 = 0. [batch, seq, input] → [batch, seq, D·hidden_size]. Same as torch.nn.LSTM(batch_first=True).",
  gates: 4,
  cell: () => lstmCell,
  scratch: (node) => [
    { name: "gates", perStep: 4 * node.hiddenSize, phase: "forward" },
    { name: "cell", perStep: node.hiddenSize, phase: "forward" },
    { name: "dGates", perStep: 4 * node.hiddenSize, phase: "backward" },
    { name: "dCell", perSample: node.hiddenSize, phase: "backward" },
  ],
  helpers: (node, precision) => gateHelpers(node, precision),
  extraNode: () => ({}),
});
