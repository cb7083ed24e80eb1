import { comment, type Writer } from "../code.ts";
import { emitElementwiseInstances, emitPackScratch } from "../kernels-embed.ts";
import { emitChunkRows, emitElementwise, emitShare, PRODUCT_KERNELS as kernels } from "./emit-share.ts";
import { WORKER_SPIN_ROUNDS, type ThreadPlan } from "./plan.ts";
import { CONTROL, HEADER_INTS, JOB_LIMIT, ROW_FORMS, SLOT_INTS } from "./worker-source.ts";

/**
 * Inside createModel of a threaded module: the shared memory, the kernels over it, and `gemm_nt`, `gemm_nn` and
 * `gemm_tn` as thin functions over one dispatcher, `product`, so the ops' calls read exactly as in a single-threaded
 * module. `product` splits a large product by rows of C: the kernels compute C[i][j] from row i of A (column i for
 * tn), column j of B, k and acc alone, in a fixed order, so the split gives the same bits for any thread count and
 * whichever thread computes a chunk. The protocol is described in worker-source.ts.
 *
 * The elementwise kernels (the rnn's tanh and its derivative, the LSTM's and GRU's gate passes: ROW_FORMS) are shared
 * the same way, as jobs 3, 4, … split by rows: between two products of a step the workers then share that pass
 * instead of waiting it out (and falling asleep), and each row is computed alone, so the bits do not depend on the
 * split either.
 */
export function emitThreadedMemory(plan: ThreadPlan, used: ReadonlySet<string>, elementBytes: number, packAt: number | undefined, w: Writer): void {
  w.writeLine(`const memory = new wasm.Memory({ initial: ${plan.pages}, maximum: ${plan.pages}, shared: true });`);
  w.writeLine("const kernelModule = KERNELS.module;");
  const taken = [...kernels.map((kernel) => `${kernel}: kernel_${kernel.slice(5)}`), ...(packAt === undefined ? [] : ["pack"])];
  w.writeLine(`const { ${taken.join(", ")} } = new wasm.Instance(kernelModule, { env: { memory } }).exports as Kernels;`);
  if (packAt !== undefined) emitPackScratch("pack", packAt, w);
  const shared = Object.keys(ROW_FORMS).filter((name) => used.has(name));
  emitElementwiseInstances(w, (kernel) => used.has(kernel), shared);
  comment(w, `Threads: the control block at byte ${plan.controlAt}, a job header of ${HEADER_INTS} int32s and ${plan.slots} worker slot${plan.slots === 1 ? "" : "s"} of ${SLOT_INTS}; see WORKER_SOURCE`);
  if (packAt !== undefined) comment(w, `each worker's gemm_tn packing scratch: ${plan.packBytes} bytes from byte ${plan.packAt}, in slot order`);
  w.writeLine(`const control = new Int32Array(memory.buffer, ${plan.controlAt}, ${HEADER_INTS + plan.slots * SLOT_INTS});`);
  w.writeLine("const kernelList = [kernel_nt, kernel_nn, kernel_tn];");
  if (shared.length > 0) {
    w.writeLine(`/** Job kernels ${kernels.length} on: the elementwise kernels the workers share (WORKER_SOURCE's arguments in row form). */`);
    w.writeLine(`const elementwiseList: ((...args: number[]) => void)[] = [${shared.map((name) => `kernel_${name}`).join(", ")}];`);
  }
  const elementwise = shared.length === 0 ? "undefined" : `{ module: elementwiseModule, names: [${shared.map((name) => JSON.stringify(name)).join(", ")}] }`;
  w.writeLine(`const elementwiseInit = ${elementwise}; // what the workers instantiate besides the products`);
  w.writeLine("const workers: ProductWorker[] = [];");
  w.writeLine("let threadCount = 1;");
  w.writeLine("let job = 0; // the number of the last job posted, 1 to 2²¹ − 1 round and round");
  w.writeLine("let mayBlock = false; // whether this thread may sleep in Atomics.wait (not a browser's main thread)");
  w.blankLine();
  emitChunkRows(w);
  emitProduct(elementBytes, w);
  emitShare(shared.length > 0, w);
  kernels.forEach((kernel, index) => {
    if (!used.has(kernel)) return;
    w.write(`function ${kernel}(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void `).block(() => {
      w.writeLine(`product(${index}, m, n, k, a, lda, b, ldb, c, ldc, acc);`);
    });
  });
  shared.forEach((name, index) => emitElementwise(name, kernels.length + index, w));
  w.blankLine();
  emitStartStop(plan, packAt !== undefined, w);
}

function emitProduct(elementBytes: number, w: Writer): void {
  const f = CONTROL;
  w.writeLine("/** C (+)= a product by kernel (0 nt, 1 nn, 2 tn): whole on this thread, or in chunks of rows of C that every thread claims. */");
  w.write("function product(kernel: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void ").block(() => {
    w.writeLine("const rows = chunkRows(m, n * k);");
    w.write("if (rows === 0) ").block(() => {
      w.writeLine("kernelList[kernel]!(m, n, k, a, lda, b, ldb, c, ldc, acc);");
      w.writeLine("return;");
    });
    comment(w, "row r of C reads row r of A (nt, nn) or its column r (tn)");
    const fields = ["n", "k", "a", "lda", "b", "ldb", "c", "ldc", "acc", `kernel === 2 ? ${elementBytes} : lda * ${elementBytes}`, `ldc * ${elementBytes}`];
    fields.forEach((value, i) => w.writeLine(`control[${f.n + i}] = ${value};`));
    w.writeLine("share(kernel, m, rows);");
  });
  w.blankLine();
}

function emitStartStop(plan: ThreadPlan, packs: boolean, w: Writer): void {
  const f = CONTROL;
  w.writeLine(`/** Starts count − 1 workers (default: THREADS; at most ${plan.slots + 1}) that take their share of every large product; resolves to the threads now running. */`);
  w.write("async function startThreads(count?: number): Promise<number> ").block(() => {
    w.writeLine("await stopThreads();");
    w.writeLine('const wanted = count ?? (THREADS === "auto" ? await availableThreads() : THREADS);');
    w.write("if (!Number.isInteger(wanted) || wanted < 1) ").block(() => w.writeLine("throw new RangeError(`threads must be a positive integer, got ${wanted}`);"));
    w.writeLine("control.fill(0);");
    w.writeLine("job = 0;");
    w.write("try ").inlineBlock(() => {
      w.writeLine(`mayBlock = Atomics.wait(control, ${f.done}, 1, 0) === "not-equal"; // throws where waiting is not allowed`);
    });
    w.write(" catch ").block(() => w.writeLine("mayBlock = false;"));
    w.write("try ").inlineBlock(() => {
      w.write(`for (let slot = 0; slot < Math.min(wanted, ${plan.slots + 1}) - 1; slot++) `).block(() => {
        const pack = !packs ? "0" : `${plan.packAt} + slot * ${plan.packBytes}`; // each worker's own scratch
        w.writeLine(`workers.push(await startWorker({ memory, module: kernelModule, elementwise: elementwiseInit, control: ${plan.controlAt}, slot, spin: ${WORKER_SPIN_ROUNDS}, pack: ${pack} }));`);
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
    comment(w, "a job with kernel −1 ends every worker's loop");
    w.writeLine(`Atomics.store(control, ${f.claim}, 0);`);
    w.writeLine(`control[${f.kernel}] = -1;`);
    w.writeLine(`job = job === ${JOB_LIMIT} ? 1 : job + 1;`);
    w.writeLine(`Atomics.store(control, ${f.job}, job);`);
    w.writeLine(`Atomics.notify(control, ${f.job});`);
    w.writeLine("await Promise.all(workers.splice(0).map((worker) => worker.terminate()));");
  });
  w.blankLine();
}
