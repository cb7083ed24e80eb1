/**
 * The JavaScript a product worker runs, embedded in a threaded generated module as the string WORKER_SOURCE (the
 * module stays self-contained: Node evaluates it with `new Worker(source, { eval: true })`, browsers load it from a
 * Blob URL). Plain JavaScript, no types: it is never compiled, only evaluated.
 *
 * The worker receives one message, `{ memory, module, elementwise, control, slot, spin }`: the model's shared
 * WebAssembly.Memory, the kernels' compiled WebAssembly.Module (the very variant the model chose, so every thread
 * computes the same bits), the elementwise module and the names of its kernels that the model shares out (or
 * undefined), the byte offset of the control block and the worker's slot in it. It instantiates the kernels over that
 * memory, answers "ready", then serves jobs forever, never touching its event loop again.
 *
 * The control block (int32s): the job header, then one 16-int32 line per worker (its count of chunks done):
 *
 *   [0] job number (the model bumps it to post a job)   [1] claim word: job number · 1024 + next chunk
 *   [2] chunks done by workers   [3] kernel (0 nt, 1 nn, 2 tn, −1 stop)   [4] m   [5] rows per chunk
 *   [6…14] n, k, a, lda, b, ldb, c, ldc, acc   [15] bytes from one row of C's A operand to the next   [16] … of C
 *   [17] set when a worker's kernel call threw: the chunk still counts as done, so the model never waits forever
 *   [20 + 2i, 21 + 2i] for i < 10: an elementwise job's arguments, each a value and its bytes per row (`ROW_FORMS`)
 *
 * Kernels 0–2 are the products; 3 on are elementwise kernels (the rnn's tanh and its derivative, the LSTM's and GRU's
 * gate passes) split by rows like a product: a chunk calls the kernel with every pointer argument moved on to the
 * chunk's first row (value + first · bytes per row) and its row count in place of the whole (a negative "bytes per
 * row" −u marks that argument: rows · u).
 *
 * A job is one product, cut into chunks of rows of C. Every thread, the model's included, claims chunks with a
 * compare-exchange on the claim word until none is left, so a worker that is late (asleep, or off its core on a
 * busy machine) takes fewer chunks instead of holding the product up. The job number in the claim word makes a late
 * worker's claim on an older job fail. Which thread computes a row never changes its bits (see emit-dispatch.ts).
 *
 * Waiting spins on Atomics.load for `spin` rounds (a training step posts products microseconds apart, and waking
 * a sleeping thread costs tens of microseconds), then sleeps in Atomics.wait until the next job is posted.
 */
export const CONTROL = { job: 0, claim: 1, done: 2, kernel: 3, m: 4, chunkRows: 5, n: 6, aRow: 15, cRow: 16, failed: 17, args: 20 } as const;

/** Int32s in the job header (256 bytes) and per worker (64 bytes, so no two threads write one cache line). */
export const HEADER_INTS = 64;
/** Arguments an elementwise job passes (its kernel's parameters, the largest has 10). */
export const ROW_ARGS = 10;
export const SLOT_INTS = 16;
/** Chunks per job are numbered in the claim word's low 10 bits; the job number, below 2²¹, in the rest. */
export const CHUNK_BITS = 10;
export const JOB_LIMIT = 0x1fffff;

/**
 * The elementwise kernels a threaded module shares out, and how each splits by rows: which parameter counts the rows
 * (`rows`, in units of `unit` values), every pointer's bytes per row (the others are passed as they are: H, flags),
 * and a row's work in multiply-adds' worth of time (≈ 32 a value for the activations, measured when they computed in doubles). Each row's values
 * depend only on that row's inputs (the kernels walk rows independently), so any split gives the same bits.
 */
export const ROW_FORMS: Readonly<Record<string, RowForm>> = {
  tanh_f32: { rows: "count", unit: 4, strides: { p: "16" }, work: "128" },
  tanh_backward_f32: { rows: "count", unit: 4, strides: { dPre: "16", dOut: "16", h: "16" }, work: "128" },
  lstm_forward_f32: { rows: "batch", unit: 1, strides: { gates: "16 * H", cPrev: "4 * H", cell: "4 * H", h: "4 * H" }, work: "160 * H" },
  lstm_backward_f32: { rows: "batch", unit: 1, strides: { gates: "16 * H", cell: "4 * H", cPrev: "4 * H", dh: "4 * H", dCell: "4 * H", dGates: "16 * H" }, work: "128 * H" },
  gru_forward_f32: { rows: "batch", unit: 1, strides: { gates: "12 * H", hidden: "12 * H", hPrev: "4 * H", h: "4 * H" }, work: "96 * H" },
  gru_backward_f32: { rows: "batch", unit: 1, strides: { gates: "12 * H", hidden: "12 * H", hPrev: "4 * H", dh: "4 * H", dhPrev: "4 * H", dGates: "12 * H", dHidden: "12 * H" }, work: "96 * H" },
};

interface RowForm {
  readonly rows: string;
  readonly unit: number;
  /** Bytes per row of each pointer parameter, an expression of the kernel's parameters (float32 rows). */
  readonly strides: Readonly<Record<string, string>>;
  readonly work: string;
}

export const workerSourceLines: readonly string[] = [
  '"use strict";',
  "/** Argument i of an elementwise job's chunk: the pointer moved on to row `first`, or the chunk's `count` rows. */",
  "function arg(control, i, first, count) {",
  `  const stride = control[${CONTROL.args + 1} + 2 * i];`,
  `  return stride < 0 ? count * -stride : control[${CONTROL.args} + 2 * i] + first * stride;`,
  "}",
  "function serve(init) {",
  "  const exports = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;",
  "  exports.pack.value = init.pack; // this worker's gemm_tn packing scratch (0: none)",
  "  const kernels = [exports.gemm_nt, exports.gemm_nn, exports.gemm_tn];",
  "  if (init.elementwise !== undefined) {",
  "    const more = new WebAssembly.Instance(init.elementwise.module, { env: { memory: init.memory } }).exports;",
  "    for (const name of init.elementwise.names) kernels.push(more[name]);",
  "  }",
  `  const control = new Int32Array(init.memory.buffer, init.control, ${HEADER_INTS});`,
  `  const mine = new Int32Array(init.memory.buffer, init.control + ${HEADER_INTS * 4} + init.slot * ${SLOT_INTS * 4}, ${SLOT_INTS});`,
  "  let seen = Atomics.load(control, 0);",
  "  reply();",
  "  for (;;) {",
  "    let rounds = 0;",
  "    while (Atomics.load(control, 0) === seen) {",
  "      if (++rounds > init.spin) {",
  "        Atomics.wait(control, 0, seen);",
  "        rounds = 0;",
  "      }",
  "    }",
  "    seen = Atomics.load(control, 0);",
  "    const kernel = control[3];",
  "    if (kernel < 0) return;",
  "    const m = control[4], rows = control[5], n = control[6], k = control[7], a = control[8], lda = control[9];",
  "    const b = control[10], ldb = control[11], c = control[12], ldc = control[13], acc = control[14], aRow = control[15], cRow = control[16];",
  "    for (;;) {",
  "      const claim = Atomics.load(control, 1);",
  `      const first = (claim & ${(1 << CHUNK_BITS) - 1}) * rows;`,
  `      if (claim >> ${CHUNK_BITS} !== seen || first >= m) break;`,
  "      if (Atomics.compareExchange(control, 1, claim, claim + 1) !== claim) continue;",
  "      try {",
  "        const count = Math.min(rows, m - first);",
  "        if (kernel < 3) kernels[kernel](count, n, k, a + first * aRow, lda, b, ldb, c + first * cRow, ldc, acc);",
  `        else kernels[kernel](${Array.from({ length: ROW_ARGS }, (_, i) => `arg(control, ${i}, first, count)`).join(", ")});`,
  "      } catch {",
  "        Atomics.store(control, 17, 1);",
  "      }",
  "      Atomics.add(mine, 0, 1);",
  "      Atomics.add(control, 2, 1);",
  "      Atomics.notify(control, 2);",
  "    }",
  "  }",
  "}",
  "let reply;",
  'if (typeof require === "function") {',
  '  const { parentPort } = require("node:worker_threads");',
  '  reply = () => parentPort.postMessage("ready");',
  '  parentPort.once("message", serve);',
  "} else {",
  '  reply = () => self.postMessage("ready");',
  "  self.onmessage = (event) => serve(event.data);",
  "}",
];
