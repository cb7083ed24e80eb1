import { comment, type Writer } from "../code.ts";
import { ELEMENTWISE_MODULES } from "../kernels-embed.ts";
import { CHUNKS_PER_THREAD, MIN_CHUNK_WORK, MODEL_SPIN_ROUNDS, SPLIT_MIN_WORK } from "./plan.ts";
import { CHUNK_BITS, CONTROL, JOB_LIMIT, ROW_ARGS, ROW_FORMS } from "./worker-source.ts";

/**
 * The model's side of the job protocol (worker-source.ts describes it): `chunkRows` decides whether and how a job is
 * split, `share` posts a job whose arguments are in the control block and claims chunks of it with the workers, and one
 * dispatcher per shared elementwise kernel writes its arguments (ROW_FORMS) and shares it.
 */

/** The products' kernels, jobs 0, 1, 2; the elementwise kernels come after them. */
export const PRODUCT_KERNELS = ["gemm_nt", "gemm_nn", "gemm_tn"] as const;
const kernels = PRODUCT_KERNELS;

export function emitChunkRows(w: Writer): void {
  w.writeLine(`/** Rows per chunk for a job of m rows of rowWork multiply-adds each: about ${CHUNKS_PER_THREAD} chunks a thread of ≥ ${MIN_CHUNK_WORK}, a multiple of 4 rows; 0 when it runs whole on this thread (one thread, or under ${SPLIT_MIN_WORK} multiply-adds, or one chunk). */`);
  w.write("function chunkRows(m: number, rowWork: number): number ").block(() => {
    w.writeLine(`if (threadCount < 2 || m < 8 || m * rowWork < ${SPLIT_MIN_WORK}) return 0;`);
    w.writeLine(`const rows = Math.ceil(Math.max(m / (${CHUNKS_PER_THREAD} * threadCount), ${MIN_CHUNK_WORK} / rowWork) / 4) * 4;`);
    w.writeLine("return rows >= m ? 0 : rows;");
  });
  w.blankLine();
}

/** `share`: posts the job whose arguments are in the control block, claims chunks of it with the workers, waits for theirs. */
export function emitShare(elementwise: boolean, w: Writer): void {
  const f = CONTROL;
  w.writeLine("/** Runs a job in chunks of `rows` rows that every thread claims; its arguments are already in the control block. */");
  w.write("function share(kernel: number, m: number, rows: number): void ").block(() => {
    w.writeLine(`job = job === ${JOB_LIMIT} ? 1 : job + 1;`);
    comment(w, "describe the job (the last one's claims were closed when it ended), then open its claims and post it");
    w.writeLine(`control[${f.kernel}] = kernel;`);
    w.writeLine(`control[${f.m}] = m;`);
    w.writeLine(`control[${f.chunkRows}] = rows;`);
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
        w.writeLine("const count = Math.min(rows, m - first);");
        const product = `kernelList[kernel]!(count, control[${f.n}]!, control[${f.n + 1}]!, control[${f.n + 2}]! + first * control[${f.aRow}]!, control[${f.n + 3}]!, control[${f.n + 4}]!, control[${f.n + 5}]!, control[${f.n + 6}]! + first * control[${f.cRow}]!, control[${f.n + 7}]!, control[${f.n + 8}]!);`;
        if (!elementwise) w.writeLine(product);
        else {
          w.writeLine(`if (kernel < ${kernels.length}) ${product}`);
          const args = Array.from({ length: ROW_ARGS }, (_, i) => `arg(${i}, first, count)`).join(", ");
          w.writeLine(`else elementwiseList[kernel - ${kernels.length}]!(${args});`);
        }
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
  if (!elementwise) return;
  w.writeLine("/** Argument i of an elementwise job's chunk: the pointer moved on to row `first`, or the chunk's `count` rows (see WORKER_SOURCE). */");
  w.write("function arg(i: number, first: number, count: number): number ").block(() => {
    w.writeLine(`const stride = control[${f.args + 1} + 2 * i]!;`);
    w.writeLine(`return stride < 0 ? count * -stride : control[${f.args} + 2 * i]! + first * stride;`);
  });
  w.blankLine();
}

/** The dispatcher of one elementwise kernel: whole on this thread, or its rows shared like a product's. */
export function emitElementwise(name: string, jobKernel: number, w: Writer): void {
  const form = ROW_FORMS[name]!;
  const parameters = ELEMENTWISE_MODULES.find((module) => name in module.kernels)!.kernels[name]!;
  if (parameters.length > ROW_ARGS) throw new Error(`${name}: ${parameters.length} parameters, the control block has room for ${ROW_ARGS}`);
  const m = form.unit === 1 ? form.rows : `${form.rows} / ${form.unit}`;
  w.writeLine(`/** ${name}, its ${form.rows === "count" ? `values in rows of ${form.unit}` : `${form.rows} rows`} shared by the threads when there are enough (${form.work} multiply-adds' worth a row). */`);
  w.write(`function ${name}(${parameters.map((p) => `${p}: number`).join(", ")}): void `).block(() => {
    w.writeLine(`const rows = chunkRows(${m}, ${form.work});`);
    w.write("if (rows === 0) ").block(() => {
      w.writeLine(`kernel_${name}(${parameters.join(", ")});`);
      w.writeLine("return;");
    });
    parameters.forEach((p, i) => {
      const stride = p === form.rows ? `${-form.unit}` : (form.strides[p] ?? "0");
      w.writeLine(`control[${CONTROL.args + 2 * i}] = ${p};`);
      w.writeLine(`control[${CONTROL.args + 2 * i + 1}] = ${stride};`);
    });
    w.writeLine(`share(${jobKernel}, ${m}, rows);`);
  });
}
