// `npx tsx tools/threads-share.ts <spec.yaml> [steps]`: how much of a one-thread training step is spent in the matrix
// products a threaded module (train.threads, src/emit/threads) would split, and so the most 2 threads can give
// (Amdahl). Compiles the spec with threads: 2, and times the products the dispatcher would split while it still runs
// them on one thread, by instrumenting its text. The README's Threads section quotes it.
import { readFileSync } from "node:fs";
import { enableRelaxedSimd } from "../src/cli/relaxed-simd.ts";
import { compile } from "../src/compile.ts";
import { CHUNKS_PER_THREAD, MIN_CHUNK_WORK, SPLIT_MIN_WORK } from "../src/emit/threads/plan.ts";
import { prepareBenchmark } from "../src/runtime/benchmark.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";

enableRelaxedSimd(); // as the CLI does
const [specPath, stepsText = "10"] = process.argv.slice(2);
if (specPath === undefined) throw new Error("usage: tools/threads-share.ts <spec.yaml> [steps]");
const steps = Number(stepsText);
const content = compile(readFileSync(specPath, "utf8"), { specPath, threads: 2 }).files[0]?.content ?? "";
const direct = `    if (threadCount < 2 || m < 8 || m * n * k < ${SPLIT_MIN_WORK}) {\n      kernelList[kernel]!(m, n, k, a, lda, b, ldb, c, ldc, acc);\n`;
if (!content.includes(direct)) throw new Error("the dispatcher's text changed: update tools/threads-share.ts");
const counter = "(globalThis as unknown as { splitTime: { ms: number } }).splitTime";
const timed = content.replace(
  direct,
  `    if (threadCount < 2 || m < 8 || m * n * k < ${SPLIT_MIN_WORK}) {\n` +
    `      const split = m >= 8 && m * n * k >= ${SPLIT_MIN_WORK} && Math.ceil(Math.max(m / ${2 * CHUNKS_PER_THREAD}, ${MIN_CHUNK_WORK} / (n * k)) / 4) * 4 < m;\n` +
    "      const start = split ? performance.now() : 0;\n" +
    "      kernelList[kernel]!(m, n, k, a, lda, b, ldb, c, ldc, acc);\n" +
    `      if (split) ${counter}.ms += performance.now() - start;\n`,
);
const splitTime = { ms: 0 };
(globalThis as unknown as { splitTime: { ms: number } }).splitTime = splitTime;
const prepared = prepareBenchmark(await loadGeneratedModule(timed));
prepared.run(5);
prepared.reset();
splitTime.ms = 0;
const { usPerStep } = prepared.run(steps);
const share = (splitTime.ms * 1000) / steps / usPerStep;
console.log(JSON.stringify({ spec: specPath, us_per_step: Math.round(usPerStep), split_share: Number(share.toFixed(3)), two_thread_bound: Number((1 / (1 - share / 2)).toFixed(2)) }));
