import { benchmarkModuleThreaded, trainStepFlops } from "../runtime/benchmark.ts";
import { exitCodes } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { report, type DiagnosticsFormat } from "./report.ts";

export interface BenchCommandOptions {
  readonly steps: number;
  readonly json: boolean;
  readonly diagnostics: DiagnosticsFormat;
  /** Overrides the spec's train.threads. */
  readonly threads?: number | "auto";
}

/** Times training steps of one spec's trainer (compiled in memory) on a full dummy batch. */
export async function benchCommand(io: Io, spec: string, options: BenchCommandOptions): Promise<number> {
  const { loaded, diagnostics, sources } = await loadSpec(io, spec, options.threads === undefined ? {} : { threads: options.threads });
  if (loaded === undefined) {
    report(io, diagnostics, options.diagnostics, sources);
    return exitCodes.userError;
  }
  const { module } = loaded;
  const result = await benchmarkModuleThreaded(module, { steps: options.steps, warmupSteps: Math.max(10, Math.ceil(options.steps / 5)) });
  const gflops = trainStepFlops(module) / (result.usPerStep * 1e3);
  const threads = result.threads === 1 ? "" : `, ${result.threads} threads`;
  if (!options.json) io.stdout(`${module.MODEL_NAME}: ${result.usPerStep.toFixed(1)} µs per training step (batch ${module.MAX_BATCH}${threads}), ${gflops.toFixed(2)} GFLOP/s, over ${result.steps} steps\n`);
  io.stdout(`${JSON.stringify({ us_per_step: result.usPerStep, steps: result.steps, batch: module.MAX_BATCH, gflops, ...(result.threads === 1 ? {} : { threads: result.threads }) })}\n`);
  return exitCodes.ok;
}
