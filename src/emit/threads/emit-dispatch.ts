import { comment, type Writer } from "../code.ts";
import { ELEMENTWISE_MODULES, emitElementwiseInstances } from "../kernels-embed.ts";
import { CHUNKS_PER_THREAD, ELEMENTWISE_WORK, MIN_CHUNK_WORK, MODEL_SPIN_ROUNDS, SPLIT_MIN_WORK, WORKER_SPIN_ROUNDS, type ThreadPlan } from "./plan.ts";
import { CHUNK_BITS, CONTROL, HEADER_INTS, JOB_LIMIT, ROW_FORMS, SLOT_INTS } from "./worker-source.ts";

const kernels = ["gemm_nt", "gemm_nn", "gemm_tn"] as const;

/**
 * Inside createModel of a threaded module: the shared memory, the kernels over it, and `gemm_nt`, `gemm_nn` and
 * `gemm_tn` as thin functions over one dispatcher, `product`, so the ops' calls read exactly as in a single-threaded
 * module. `product` splits a large product by rows of C: the kernels compute C[i][j] from row i of A (column i for
 * tn), column j of B, k and acc alone, in a fixed order, so the split gives the same bits for any thread count and
 * whichever thread computes a chunk. The protocol is described in worker-source.ts.
 *
 * The rnn's elementwise kernels (tanh_f32, tanh_backward_f32: ROW_FORMS) go through `product` too, as jobs 3, 4, …
 * over rows of 4 values: between two products of a step the workers then share that pass instead of waiting it out
 * (and falling asleep), and each value is computed alone, so the bits do not depend on the split either.
 */
export function emitThreadedMemory(plan: ThreadPlan, used: ReadonlySet<string>, elementBytes: number, w: Writer): void {
  w.writeLine(`const memory = new wasm.Memory({ initial: ${plan.pages}, maximum: ${plan.pages}, shared: true });`);
  w.writeLine("const kernelModule = KERNELS.module;");
  const taken = kernels.map((kernel) => `${kernel}: kernel_${kernel.slice(5)}`);
  w.writeLine(`const { ${taken.join(", ")} } = new wasm.Instance(kernelModule, { env: { memory } }).exports as Kernels;`);
  const shared = Object.keys(ROW_FORMS).filter((name) => used.has(name));
  emitElementwiseInstances(w, (kernel) => used.has(kernel), shared);
  comment(w, `Threads: the control block at byte ${plan.controlAt}, a job header of ${HEADER_INTS} int32s and ${plan.slots} worker slot${plan.slots === 1 ? "" : "s"} of ${SLOT_INTS}; see WORKER_SOURCE`);
  w.writeLine(`const control = new Int32Array(memory.buffer, ${plan.controlAt}, ${HEADER_INTS + plan.slots * SLOT_INTS});`);
  const rowForms = shared.map((name) => `(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number) => ${ROW_FORMS[name]!.call.replace("f(", `kernel_${name}(`)}`);
  w.writeLine("/** By job kernel number: the products, then elementwise kernels in row form (see WORKER_SOURCE). */");
  w.writeLine(`const kernelList: ((m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number) => void)[] = [`);
  w.indent(() => ["kernel_nt", "kernel_nn", "kernel_tn", ...rowForms].forEach((kernel) => w.writeLine(`${kernel},`)));
  w.writeLine("];");
  const elementwise = shared.length === 0 ? "undefined" : `{ module: elementwiseModule, names: [${shared.map((name) => JSON.stringify(name)).join(", ")}] }`;
  w.writeLine(`const elementwiseInit = ${elementwise}; // what the workers instantiate besides the products`);
  w.writeLine("const workers: ProductWorker[] = [];");
  w.writeLine("let threadCount = 1;");
  w.writeLine("let job = 0; // the number of the last job posted, 1 to 2²¹ − 1 round and round");
  w.writeLine("let mayBlock = false; // whether this thread may sleep in Atomics.wait (not a browser's main thread)");
  w.blankLine();
  emitProduct(elementBytes, w);
  kernels.forEach((kernel, index) => {
    if (!used.has(kernel)) return;
    w.write(`function ${kernel}(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void `).block(() => {
      w.writeLine(`product(${index}, m, n, k, a, lda, b, ldb, c, ldc, acc);`);
    });
  });
  shared.forEach((name, index) => {
    const form = ROW_FORMS[name]!;
    const parameters = ELEMENTWISE_MODULES.find((module) => name in module.kernels)!.kernels[name]!;
    comment(w, `${name} over count / 4 rows of 4 values, shared like a product (≈ ${ELEMENTWISE_WORK} multiply-adds of work a value); count is a multiple of 4`);
    w.write(`function ${name}(${parameters.map((p) => `${p}: number`).join(", ")}): void `).block(() => {
      w.writeLine(`product(${kernels.length + index}, count >> 2, 4, ${ELEMENTWISE_WORK}, ${form.a}, 4, ${form.b}, 4, ${form.c}, 4, 0);`);
    });
  });
  w.blankLine();
  emitStartStop(plan, w);
}

function emitProduct(elementBytes: number, w: Writer): void {
  const f = CONTROL;
  w.writeLine(`/** C (+)= a product by kernel (0 nt, 1 nn, 2 tn): whole on this thread, or, when threads run and it has ≥ ${SPLIT_MIN_WORK} multiply-adds, in chunks of rows of C that every thread claims. */`);
  w.write("function product(kernel: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void ").block(() => {
    w.write(`if (threadCount < 2 || m < 8 || m * n * k < ${SPLIT_MIN_WORK}) `).block(() => {
      w.writeLine("kernelList[kernel]!(m, n, k, a, lda, b, ldb, c, ldc, acc);");
      w.writeLine("return;");
    });
    comment(w, `about ${CHUNKS_PER_THREAD} chunks per thread of ≥ ${MIN_CHUNK_WORK} multiply-adds, each a multiple of the kernels' 4-row blocks`);
    w.writeLine(`const rows = Math.ceil(Math.max(m / (${CHUNKS_PER_THREAD} * threadCount), ${MIN_CHUNK_WORK} / (n * k)) / 4) * 4;`);
    w.write("if (rows >= m) ").block(() => {
      w.writeLine("kernelList[kernel]!(m, n, k, a, lda, b, ldb, c, ldc, acc);");
      w.writeLine("return;");
    });
    comment(w, "row r of C reads row r of A (nt, nn) or its column r (tn)");
    w.writeLine(`const aRow = kernel === 2 ? ${elementBytes} : lda * ${elementBytes};`);
    w.writeLine(`const cRow = ldc * ${elementBytes};`);
    w.writeLine(`const bRow = kernel > 2 ? ldb * ${elementBytes} : 0; // a product's every row of C reads all of B`);
    w.writeLine(`job = job === ${JOB_LIMIT} ? 1 : job + 1;`);
    comment(w, "describe the job (the last one's claims were closed when it ended), then open its claims and post it");
    const fields = ["kernel", "m", "rows", "n", "k", "a", "lda", "b", "ldb", "c", "ldc", "acc", "aRow", "cRow"];
    fields.forEach((value, i) => w.writeLine(`control[${f.kernel + i}] = ${value};`));
    w.writeLine(`control[${f.bRow}] = bRow;`);
    w.writeLine(`Atomics.store(control, ${f.done}, 0);`);
    w.writeLine(`Atomics.store(control, ${f.failed}, 0);`);
    w.writeLine(`Atomics.store(control, ${f.claim}, job << ${CHUNK_BITS});`);
    w.writeLine(`Atomics.store(control, ${f.job}, job);`);
    w.writeLine(`Atomics.notify(control, ${f.job});`);
    w.writeLine("let mine = 0; // chunks this thread claimed");
    w.write("try ").inlineBlock(() => {
      w.write("for (;;) ").block(() => {
        w.writeLine(`const claim = Atomics.load(control, ${f.claim});`);
        w.writeLine(`const first = (claim & ${(1 << CHUNK_BITS) - 1}) * rows;`);
        w.writeLine("if (first >= m) break;");
        w.writeLine(`if (Atomics.compareExchange(control, ${f.claim}, claim, claim + 1) !== claim) continue;`);
        w.writeLine("mine++;");
        w.writeLine("kernelList[kernel]!(Math.min(rows, m - first), n, k, a + first * aRow, lda, b + first * bRow, ldb, c + first * cRow, ldc, acc);");
      });
    });
    w.write(" finally ").block(() => {
      comment(w, "close the claims (also when this thread's kernel threw), then wait for the chunks the workers took:");
      comment(w, "spin a while, then sleep where this thread may (a worker may be off its core)");
      w.writeLine(`const taken = (Atomics.exchange(control, ${f.claim}, 0) & ${(1 << CHUNK_BITS) - 1}) - mine;`);
      w.writeLine("let rounds = 0;");
      w.writeLine("let done: number;");
      w.write(`while ((done = Atomics.load(control, ${f.done})) !== taken) `).block(() => {
        w.writeLine(`if (++rounds > ${MODEL_SPIN_ROUNDS} && mayBlock) Atomics.wait(control, ${f.done}, done);`);
      });
    });
    w.write(`if (control[${f.failed}] !== 0) `).block(() => w.writeLine('throw new Error("a worker\'s part of a matrix product failed (its kernel trapped): this step\'s results are not valid");'));
  });
  w.blankLine();
}

function emitStartStop(plan: ThreadPlan, w: Writer): void {
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
        w.writeLine(`workers.push(await startWorker({ memory, module: kernelModule, elementwise: elementwiseInit, control: ${plan.controlAt}, slot, spin: ${WORKER_SPIN_ROUNDS} }));`);
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
