import { comment, copyElements, forRange, gemm, offset, type Writer } from "../../emit/code.ts";
import type { BufferRef } from "../op.ts";
import type { Lane } from "./lane.ts";

/**
 * The per-step pieces every cell (rnn, lstm, gru) emits the same way: the time loop, the bias fill and the input and
 * hidden products, the initial state, and in backward the carried gradient, the weight and bias gradients, and skipping
 * the steps past a sample's length. Layout as in family.ts: time-major rows, one kernel call per product.
 */

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
  const { bIh: ih, bHh: hh } = l;
  // the views are named only where the code reads them (reading `.view` declares the view in the module)
  const sum = (j: string): string => `${ih.value.view}[${j}]!${both ? ` + ${hh.value.view}[${j}]!` : ""}`;
  const at = column === 0 ? `r * ${ld} + j` : `r * ${ld} + ${column} + j`;
  if (column === 0 && ld === width) {
    // Rows back to back: fill the first, then copy what is filled onto what follows, doubling (memcpy, not a loop).
    comment(w, both ? "start from b_ih + b_hh: the first row, then copies of the rows filled so far" : "start from b_ih: the first row, then copies of the rows filled so far");
    if (both) forRange(w, "j", width, () => w.writeLine(`${target.view}[j] = ${sum("j")};`));
    else copyElements(w, target, 0, ih.value, 0, width, l.E);
    doubleRows(w, target, "0", rows, width);
    return;
  }
  comment(w, both ? "start from b_ih + b_hh" : "start from b_ih");
  forRange(w, "r", rows, () => forRange(w, "j", width, () => w.writeLine(`${target.view}[${at}] = ${sum("j")};`)));
}

/** Rows 1 … rows − 1 of `target` from `first` on (each `width` elements) as copies of row 0, doubling what is copied. */
export function doubleRows(w: Writer, target: BufferRef, first: string, rows: string, width: number): void {
  const base = first === "0" ? "" : `${first} + `;
  w.writeLine(`for (let filled = ${width}; filled < ${rows} * ${width}; filled *= 2) ${target.view}.copyWithin(${base}filled, ${first}, ${base}Math.min(filled, ${rows} * ${width} - filled));`);
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

/**
 * db_ih += Σ_{t,b} dGates[t, b], db_hh += Σ dGatesHidden (the same sums when they are one buffer). Each column is
 * summed in a double, row after row; four columns at a time (when GH allows), so each cache line read down the rows
 * serves four sums instead of one. The same sums, in the same order, as one column at a time.
 */
function biasGradients(w: Writer, l: Lane, dGates: BufferRef, dGatesHidden: BufferRef, GH: number): void {
  const same = dGates === dGatesHidden;
  if (l.E === 4 && GH % 4 === 0) {
    // float32: the same sums in WebAssembly (src/emit/wasm/kernels/bias-sums.ts), bit for bit, sixteen columns a pass
    comment(w, same ? "db_ih = db_hh = Σ_{t,b} dGates[t, b] (WebAssembly, bit for bit the loop)" : "db_ih = Σ dGates, db_hh = Σ dGatesHidden (WebAssembly, bit for bit the loop)");
    const rows = `${l.T} * batchSize`;
    if (same) w.writeLine(`bias_sums_f32(${dGates.at}, ${rows}, ${GH}, ${l.bIh!.grad.at}, ${l.bHh!.grad.at}, 1);`);
    else {
      w.writeLine(`bias_sums_f32(${dGates.at}, ${rows}, ${GH}, ${l.bIh!.grad.at}, 0, 0);`);
      w.writeLine(`bias_sums_f32(${dGatesHidden.at}, ${rows}, ${GH}, ${l.bHh!.grad.at}, 0, 0);`);
    }
    return;
  }
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
