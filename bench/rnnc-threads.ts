/**
 * The rnnc-2t system (bench/systems.ts): bench/rnnc-worker.ts started with `--threads N` times the shape's trainer
 * compiled with train.threads: N (as `rnnc bench --threads N` compiles it), with its N threads running.
 */
import { readFileSync } from "node:fs";
import { compile } from "../src/compile.ts";
import { prepareBenchmark, type PreparedBenchmark } from "../src/runtime/benchmark.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { startModelThreads } from "../src/runtime/threads.ts";

const at = process.argv.indexOf("--threads");
/** The threads this worker process was asked for: 1 without `--threads`. */
export const benchThreads = at < 0 ? 1 : Number(process.argv[at + 1]);

/** The trainer of `specPath` on `benchThreads` threads, prepared as prepareBenchmark does, its threads started. */
export async function threadedBenchmark(specPath: string): Promise<PreparedBenchmark> {
  const file = compile(readFileSync(specPath, "utf8"), { specPath, threads: benchThreads }).files[0];
  if (file === undefined) throw new Error(`${specPath} does not compile`);
  const prepared = prepareBenchmark(await loadGeneratedModule(file.content));
  const running = await startModelThreads(prepared.model);
  if (running !== benchThreads) throw new Error(`${running} threads running, ${benchThreads} asked for`);
  return prepared;
}
