/**
 * rnnc under test: compiles the shape's spec in memory, loads the generated trainer and times `trainStep`
 * through src/runtime/benchmark.ts (the code behind `rnnc bench`). Speaks bench/protocol.ts on stdin/stdout.
 * With `--threads N` (the rnnc-2t system), compiled with train.threads: N and timed with its N threads running.
 */
import { enableRelaxedSimd } from "../src/cli/relaxed-simd.ts";
import { compilerVersion } from "../src/compile.ts";
import { prepareBenchmark, type PreparedBenchmark } from "../src/runtime/benchmark.ts";
import { readFileSync } from "node:fs";
import { compile } from "../src/compile.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { startModelThreads } from "../src/runtime/threads.ts";
import { serve } from "./protocol.ts";
import { compileSpecFile } from "./shapes.ts";

const threadsAt = process.argv.indexOf("--threads");
const threads = threadsAt < 0 ? 1 : Number(process.argv[threadsAt + 1]);

/** The shape's trainer with train.threads set to `threads` (as `rnnc bench --threads` compiles it). */
async function compileThreaded(specPath: string): Promise<Awaited<ReturnType<typeof compileSpecFile>>> {
  const file = compile(readFileSync(specPath, "utf8"), { specPath, threads }).files[0];
  if (file === undefined) throw new Error(`${specPath} does not compile`);
  return loadGeneratedModule(file.content);
}

let prepared: PreparedBenchmark | undefined;
enableRelaxedSimd(); // as the CLI does: the relaxed-SIMD kernels where the CPU can run them

await serve({
  info: () => ({ ok: true, version: `rnnc ${compilerVersion} (generated TypeScript, float32, Node ${process.versions.node}${threads === 1 ? "" : `, ${threads} threads`})` }),
  async setup(shape) {
    prepared = prepareBenchmark(threads === 1 ? await compileSpecFile(shape.specPath) : await compileThreaded(shape.specPath));
    const running = await startModelThreads(prepared.model);
    if (running !== threads) throw new Error(`${running} threads running, ${threads} asked for`);
    if (prepared.batchSize !== shape.batch) throw new Error(`MAX_BATCH ${prepared.batchSize} ≠ shape batch ${shape.batch}`);
    return { ok: true };
  },
  time(steps) {
    if (prepared === undefined) throw new Error("time before setup");
    prepared.reset();
    const { usPerStep, lastLoss } = prepared.run(steps);
    return { ok: true, usPerStep, loss: lastLoss };
  },
});
