import { comment, type Writer } from "../code.ts";
import { MODEL_SPIN_ROUNDS, SPLIT_MIN_WORK, WORKER_SPIN_ROUNDS, type ThreadPlan } from "./plan.ts";
import { CONTROL_FIELD, CONTROL_SLOT_INTS } from "./worker-source.ts";

const kernels = ["gemm_nt", "gemm_nn", "gemm_tn"] as const;

/**
 * Inside createModel of a threaded module: the shared memory, the kernels over it, and `gemm_nt`, `gemm_nn` and
 * `gemm_tn` as thin functions over one dispatcher, `product`, so the ops' calls read exactly as in a single-threaded
 * module. `product` splits a large product by rows of C: the kernels compute C[i][j] from row i of A (column i for
 * tn), column j of B, k and acc alone, in a fixed order, so the split gives the same bits for any thread count.
 */
export function emitThreadedMemory(plan: ThreadPlan, used: ReadonlySet<string>, elementBytes: number, w: Writer): void {
  const slotInts = CONTROL_SLOT_INTS;
  w.writeLine(`const memory = new wasm.Memory({ initial: ${plan.pages}, maximum: ${plan.pages}, shared: true });`);
  w.writeLine("const kernelModule = new wasm.Module(KERNELS_WASM);");
  const taken = [...kernels.map((kernel) => `${kernel}: kernel_${kernel.slice(5)}`), ...(used.has("tanh_f32") ? ["tanh_f32"] : [])];
  w.writeLine(`const { ${taken.join(", ")} } = new wasm.Instance(kernelModule, { env: { memory } }).exports as Kernels;`);
  comment(w, `Threads: ${plan.slots} worker slot${plan.slots === 1 ? "" : "s"} of ${slotInts} int32s at byte ${plan.controlAt} (job posted, job finished, kernel, its 10 arguments); see WORKER_SOURCE`);
  w.writeLine(`const control = new Int32Array(memory.buffer, ${plan.controlAt}, ${plan.slots * slotInts});`);
  w.writeLine("const kernelList = [kernel_nt, kernel_nn, kernel_tn];");
  w.writeLine("const workers: ProductWorker[] = [];");
  w.writeLine("let threadCount = 1;");
  w.writeLine("let mayBlock = false; // whether this thread may sleep in Atomics.wait (not a browser's main thread)");
  w.blankLine();
  emitProduct(elementBytes, w);
  kernels.forEach((kernel, index) => {
    if (!used.has(kernel)) return;
    w.write(`function ${kernel}(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void `).block(() => {
      w.writeLine(`product(${index}, m, n, k, a, lda, b, ldb, c, ldc, acc);`);
    });
  });
  w.blankLine();
  emitStartStop(plan, w);
}

function emitProduct(elementBytes: number, w: Writer): void {
  const f = CONTROL_FIELD;
  w.writeLine(`/** C (+)= a product by kernel (0 nt, 1 nn, 2 tn): whole on this thread, or split by rows of C when threads run and it has ≥ ${SPLIT_MIN_WORK} multiply-adds. */`);
  w.write("function product(kernel: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void ").block(() => {
    w.writeLine("const parts = Math.min(threadCount, m >> 2);");
    w.write(`if (parts < 2 || m * n * k < ${SPLIT_MIN_WORK}) `).block(() => {
      w.writeLine("kernelList[kernel]!(m, n, k, a, lda, b, ldb, c, ldc, acc);");
      w.writeLine("return;");
    });
    comment(w, "rows per part, a multiple of the kernels' 4-row blocks; row r of C reads row r of A (nt, nn) or its column r (tn)");
    w.writeLine("const rows = Math.ceil(m / (4 * parts)) * 4;");
    w.writeLine(`const aRow = kernel === 2 ? ${elementBytes} : lda * ${elementBytes};`);
    w.writeLine("let posted = 0;");
    w.write("for (let first = rows; first < m; first += rows) ").block(() => {
      w.writeLine(`const slot = posted++ * ${CONTROL_SLOT_INTS};`);
      const args = ["kernel", "Math.min(rows, m - first)", "n", "k", "a + first * aRow", "lda", "b", "ldb", `c + first * ldc * ${elementBytes}`, "ldc", "acc"];
      args.forEach((value, i) => w.writeLine(`control[slot + ${f.kernel + i}] = ${value};`));
      w.writeLine(`Atomics.add(control, slot + ${f.posted}, 1);`);
      w.writeLine(`Atomics.notify(control, slot + ${f.posted});`);
    });
    w.writeLine("kernelList[kernel]!(rows, n, k, a, lda, b, ldb, c, ldc, acc);");
    comment(w, "wait for the workers' rows: spin a while, then sleep where this thread may (on a busy machine a worker may be off its core)");
    w.write("for (let worker = 0; worker < posted; worker++) ").block(() => {
      w.writeLine(`const slot = worker * ${CONTROL_SLOT_INTS};`);
      w.writeLine(`const job = Atomics.load(control, slot + ${f.posted});`);
      w.writeLine("let rounds = 0;");
      w.writeLine("let finished: number;");
      w.write(`while ((finished = Atomics.load(control, slot + ${f.finished})) !== job) `).block(() => {
        w.writeLine(`if (++rounds > ${MODEL_SPIN_ROUNDS} && mayBlock) Atomics.wait(control, slot + ${f.finished}, finished);`);
      });
    });
  });
  w.blankLine();
}

function emitStartStop(plan: ThreadPlan, w: Writer): void {
  const f = CONTROL_FIELD;
  w.writeLine(`/** Starts count − 1 workers (default: THREADS; at most ${plan.slots + 1}) that take their share of every large product; resolves to the threads now running. */`);
  w.write("async function startThreads(count?: number): Promise<number> ").block(() => {
    w.writeLine("await stopThreads();");
    w.writeLine('const wanted = count ?? (THREADS === "auto" ? await availableThreads() : THREADS);');
    w.write("if (!Number.isInteger(wanted) || wanted < 1) ").block(() => w.writeLine("throw new RangeError(`threads must be a positive integer, got ${wanted}`);"));
    w.writeLine("control.fill(0);");
    w.write("try ").inlineBlock(() => {
      w.writeLine(`mayBlock = Atomics.wait(control, ${f.finished}, 1, 0) === "not-equal"; // throws where waiting is not allowed`);
    });
    w.write(" catch ").block(() => w.writeLine("mayBlock = false;"));
    w.write("try ").inlineBlock(() => {
      w.write(`for (let slot = 0; slot < Math.min(wanted, ${plan.slots + 1}) - 1; slot++) `).block(() => {
        w.writeLine(`workers.push(await startWorker({ memory, module: kernelModule, control: ${plan.controlAt}, slot, spin: ${WORKER_SPIN_ROUNDS} }));`);
      });
    });
    w.write(" catch (error) ").block(() => {
      w.writeLine("await stopThreads();");
      w.writeLine("throw error;");
    });
    w.writeLine("threadCount = workers.length + 1;");
    w.writeLine("return threadCount;");
  });
  w.blankLine();
  w.writeLine("/** Ends the workers: every product runs on the calling thread again. */");
  w.write("async function stopThreads(): Promise<void> ").block(() => {
    w.writeLine("threadCount = 1;");
    w.write("for (let slot = 0; slot < workers.length; slot++) ").block(() => {
      w.writeLine(`control[slot * ${CONTROL_SLOT_INTS} + ${f.kernel}] = -1;`);
      w.writeLine(`Atomics.add(control, slot * ${CONTROL_SLOT_INTS} + ${f.posted}, 1);`);
      w.writeLine(`Atomics.notify(control, slot * ${CONTROL_SLOT_INTS} + ${f.posted});`);
    });
    w.writeLine("await Promise.all(workers.splice(0).map((worker) => worker.terminate()));");
  });
  w.blankLine();
}
