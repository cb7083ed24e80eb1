/**
 * The JavaScript a product worker runs, embedded in a threaded generated module as the string WORKER_SOURCE (the
 * module stays self-contained: Node evaluates it with `new Worker(source, { eval: true })`, browsers load it from a
 * Blob URL). Plain JavaScript, no types: it is never compiled, only evaluated.
 *
 * The worker receives one message, `{ memory, module, control, slot, spin }`: the model's shared WebAssembly.Memory,
 * the kernels' compiled WebAssembly.Module (the very variant the model chose, so both sides compute the same bits),
 * the byte offset of the control block and its slot. It instantiates the kernels over that memory, answers "ready",
 * then serves its slot forever, never touching the event loop again:
 *
 *   slot (16 int32s): [0] job number (the model increments it to post a job)  [1] the job number last finished
 *                     [2] kernel (0 nt, 1 nn, 2 tn, −1 stop)  [3…12] m, n, k, a, lda, b, ldb, c, ldc, acc
 *
 * Waiting spins on Atomics.load for `spin` rounds (a training step posts products microseconds apart, and waking
 * a sleeping thread costs tens of microseconds), then sleeps in Atomics.wait until the next job is posted. A finished
 * job is announced with Atomics.notify, for a model thread that sleeps while it waits (see emit-dispatch.ts).
 */
export const CONTROL_SLOT_INTS = 16;

export const CONTROL_FIELD = { posted: 0, finished: 1, kernel: 2, arguments: 3 } as const;

export const workerSourceLines: readonly string[] = [
  '"use strict";',
  "function serve(init) {",
  "  const exports = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;",
  "  const kernels = [exports.gemm_nt, exports.gemm_nn, exports.gemm_tn];",
  `  const slot = new Int32Array(init.memory.buffer, init.control + init.slot * ${CONTROL_SLOT_INTS * 4}, ${CONTROL_SLOT_INTS});`,
  "  let seen = Atomics.load(slot, 0);",
  "  reply();",
  "  for (;;) {",
  "    let rounds = 0;",
  "    while (Atomics.load(slot, 0) === seen) {",
  "      if (++rounds > init.spin) {",
  "        Atomics.wait(slot, 0, seen);",
  "        rounds = 0;",
  "      }",
  "    }",
  "    seen = Atomics.load(slot, 0);",
  "    const kernel = slot[2];",
  "    if (kernel < 0) return;",
  "    kernels[kernel](slot[3], slot[4], slot[5], slot[6], slot[7], slot[8], slot[9], slot[10], slot[11], slot[12]);",
  "    Atomics.store(slot, 1, seen);",
  "    Atomics.notify(slot, 1);",
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
