import { comment, copyElements, forRange, type Writer } from "../emit/code.ts";
import { recurrentOp, type RecurrentNode, type RecurrentNodeSpec } from "./recurrent/family.ts";
import type { Cell, Lane } from "./recurrent/lane.ts";
import { carryBack, doubleRows, fillBias, initialHidden, projectPrevious, projectInputs, skipPastLength, timeLoop, weightGradients } from "./recurrent/steps.ts";
import { gruBackwardKernel, gruForwardKernel, gateHelpers, lanePrecision, oneMinusOf, productOf, rounded, usesGateKernels } from "./recurrent/gate-kernels.ts";

/**
 * gru — as torch.nn.GRU(batch_first=True), h_0 = 0. Gates stacked in PyTorch's row order r, z, n:
 *   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr),  z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz),
 *   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h
 * The hidden projection is kept apart from the input projection (n needs W_hn h + b_hn on its own).
 */
export interface GruNodeSpec extends RecurrentNodeSpec {
  readonly op: "gru";
}

const gruCell: Cell = {
  gates: 3,
  cellState: false,
  equations: "r, z = σ(x W_iᵀ + b_i + h_prev W_hᵀ + b_h); n = tanh(x W_inᵀ + b_in + r⊙(h_prev W_hnᵀ + b_hn)); h = (1 − z)⊙n + z⊙h_prev",
  forward(l: Lane, w: Writer) {
    const { T, H, DH, column, y } = l;
    const gates = l.scratch("gates");
    const hidden = l.scratch("hidden");
    fillBias(w, l, gates, 0, 3 * H, 3 * H, `${T} * batchSize`, false);
    projectInputs(w, l, gates, 0, 3 * H, 3 * H, l.bIh !== undefined);
    timeLoop(w, l, "forward", () => {
      if (l.bHh === undefined) w.writeLine(`${hidden.view}.fill(0, row * ${3 * H}, (row + batchSize) * ${3 * H}); // hidden[t] starts from 0 (no b_hh)`);
      else {
        comment(w, "hidden[t] starts from b_hh: the first row, then copies of the rows filled so far");
        copyElements(w, hidden, `row * ${3 * H}`, l.bHh.value, 0, 3 * H, l.E);
        doubleRows(w, hidden, `row * ${3 * H}`, "batchSize", 3 * H);
      }
      projectPrevious(w, l, hidden, 0, 3 * H, 3 * H, "hidden[t] += h_prev W_hhᵀ");
      if (usesGateKernels(l.node, lanePrecision(l))) return gruForwardKernel(w, l, gates, hidden);
      const q = rounded(l);
      forRange(w, "b", "batchSize", () => {
        w.writeLine(`const gate = (row + b) * ${3 * H};`);
        w.writeLine(`const base = (row + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
        w.writeLine(`const prevBase = (prevRow + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
        skipPastLength(w, l, () => forRange(w, "j", H, () => w.writeLine(`${y.view}[base + j] = 0;`)));
        forRange(w, "j", H, () => {
          w.writeLine(`const r = sigmoid(${gates.view}[gate + j]! + ${hidden.view}[gate + j]!);`);
          w.writeLine(`const z = sigmoid(${gates.view}[gate + ${H} + j]! + ${hidden.view}[gate + ${H} + j]!);`);
          w.writeLine(`const n = tanh(${q(`${gates.view}[gate + ${2 * H} + j]! + ${q(`r * ${hidden.view}[gate + ${2 * H} + j]!`)}`)});`);
          w.writeLine(`${gates.view}[gate + j] = r;`);
          w.writeLine(`${gates.view}[gate + ${H} + j] = z;`);
          w.writeLine(`${gates.view}[gate + ${2 * H} + j] = n;`);
          w.writeLine(`${y.view}[base + j] = ${q(`${q(`(${q("1 - z")}) * n`)} + ${q(`z * (s > 0 ? ${y.view}[prevBase + j]! : ${initialHidden(l)})`)}`)};`);
        });
      });
    });
  },
  backward(l: Lane, w: Writer) {
    const { H, DH, column, y, dy } = l;
    const gates = l.scratch("gates");
    const hidden = l.scratch("hidden");
    const dGates = l.scratch("dGates");
    const dHidden = l.scratch("dHidden");
    timeLoop(w, l, "backward", () => {
      if (usesGateKernels(l.node, lanePrecision(l))) gruBackwardKernel(w, l, gates, hidden, dGates, dHidden);
      else forRange(w, "b", "batchSize", () => {
        w.writeLine(`const gate = (row + b) * ${3 * H};`);
        w.writeLine(`const base = (row + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
        w.writeLine(`const prevBase = (prevRow + b) * ${DH}${column === 0 ? "" : ` + ${column}`};`);
        skipPastLength(w, l, () =>
          forRange(w, "j", 3 * H, () => {
            w.writeLine(`${dGates.view}[gate + j] = 0;`);
            w.writeLine(`${dHidden.view}[gate + j] = 0;`);
          }),
        );
        forRange(w, "j", H, () => {
          w.writeLine(`const r = ${gates.view}[gate + j]!;`);
          w.writeLine(`const z = ${gates.view}[gate + ${H} + j]!;`);
          w.writeLine(`const n = ${gates.view}[gate + ${2 * H} + j]!;`);
          w.writeLine(`const dh = ${dy.view}[base + j]!;`);
          w.writeLine(`const hPrev = s > 0 ? ${y.view}[prevBase + j]! : 0;`);
          w.writeLine(`const dn = flush(${productOf(l, "dh", oneMinusOf(l, "z"), oneMinusOf(l, "n", true))});`);
          w.writeLine(`const dr = flush(${productOf(l, "dn", `${hidden.view}[gate + ${2 * H} + j]!`, "r", oneMinusOf(l, "r"))});`);
          w.writeLine(`const dz = flush(${productOf(l, "dh", lanePrecision(l) === "float32" ? "Math.fround(hPrev - n)" : "(hPrev - n)", "z", oneMinusOf(l, "z"))});`);
          w.writeLine(`${dGates.view}[gate + j] = dr;`);
          w.writeLine(`${dGates.view}[gate + ${H} + j] = dz;`);
          w.writeLine(`${dGates.view}[gate + ${2 * H} + j] = dn;`);
          w.writeLine(`${dHidden.view}[gate + j] = dr;`);
          w.writeLine(`${dHidden.view}[gate + ${H} + j] = dz;`);
          w.writeLine(`${dHidden.view}[gate + ${2 * H} + j] = flush(${productOf(l, "dn", "r")});`);
          w.writeLine(`if (s > 0) ${dy.view}[prevBase + j]! += flush(${productOf(l, "dh", "z")});`);
        });
      });
      w.write("if (s > 0) ").block(() => carryBack(w, l, dHidden, 3));
    });
    weightGradients(w, l, dGates, dHidden, 3);
  },
};

export const gruOp = recurrentOp<GruNodeSpec, RecurrentNode>({
  op: "gru",
  description:
    "Gated recurrent unit, batch-first: gates r, z, n (PyTorch's order), n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h_t = (1 − z)⊙n + z⊙h_{t-1}, h_0 = 0. [batch, seq, input] → [batch, seq, D·hidden_size]. Same as torch.nn.GRU(batch_first=True).",
  gates: 3,
  cell: () => gruCell,
  scratch: (node) => [
    { name: "gates", perStep: 3 * node.hiddenSize, phase: "forward" },
    { name: "hidden", perStep: 3 * node.hiddenSize, phase: "forward" },
    { name: "dGates", perStep: 3 * node.hiddenSize, phase: "backward" },
    { name: "dHidden", perStep: 3 * node.hiddenSize, phase: "backward" },
  ],
  helpers: (node, precision) => gateHelpers(node, precision),
  extraNode: () => ({}),
});
