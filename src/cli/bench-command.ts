import { benchmarkModule, trainStepFlops } from "../runtime/benchmark.ts";
import { exitCodes } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { report, type DiagnosticsFormat } from "./report.ts";

export interface BenchCommandOptions {
  readonly steps: number;
  readonly json: boolean;
  readonly diagnostics: DiagnosticsFormat;
}

/** Times training steps of one spec's trainer (compiled in memory) on a full dummy batch. */
export async function benchCommand(io: Io, spec: string, options: BenchCommandOptions): Promise<number> {
  const { loaded, diagnostics, sources } = await loadSpec(io, spec);
  if (loaded === undefined) {
    report(io, diagnostics, options.diagnostics, sources);
    return exitCodes.userError;
  }
  const { module } = loaded;
  const result = benchmarkModule(module, { steps: options.steps, warmupSteps: Math.max(10, Math.ceil(options.steps / 5)) });
  const gflops = trainStepFlops(module) / (result.usPerStep * 1e3);
  if (!options.json) io.stdout(`${module.MODEL_NAME}: ${result.usPerStep.toFixed(1)} µs per training step (batch ${module.MAX_BATCH}), ${gflops.toFixed(2)} GFLOP/s, over ${result.steps} steps\n`);
  io.stdout(`${JSON.stringify({ us_per_step: result.usPerStep, steps: result.steps, batch: module.MAX_BATCH, gflops })}\n`);
  return exitCodes.ok;
}
