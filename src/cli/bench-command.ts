import { compile } from "../compile.ts";
import { benchmarkModule, trainStepFlops } from "../runtime/benchmark.ts";
import { loadGeneratedModule } from "../runtime/load-module.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, readText, type Io } from "./io.ts";
import { report, type DiagnosticsFormat } from "./report.ts";

export interface BenchCommandOptions {
  readonly steps: number;
  readonly json: boolean;
  readonly diagnostics: DiagnosticsFormat;
}

/** Times training steps of one spec's trainer (compiled in memory) on a full dummy batch. */
export async function benchCommand(io: Io, spec: string, options: BenchCommandOptions): Promise<number> {
  const specPath = displayPath(io, spec);
  const source = readText(io, spec);
  if (!source.ok) {
    report(io, [source.diagnostic], options.diagnostics);
    return exitCodes.userError;
  }
  const compiled = compile(source.value, { specPath });
  const file = compiled.files[0];
  if (file === undefined) {
    report(io, compiled.diagnostics, options.diagnostics, new Map([[specPath, source.value]]));
    return exitCodes.userError;
  }
  const module = await loadGeneratedModule(file.content);
  const result = benchmarkModule(module, { steps: options.steps, warmupSteps: Math.max(10, Math.ceil(options.steps / 5)) });
  const gflops = trainStepFlops(module) / (result.usPerStep * 1e3);
  if (!options.json) io.stdout(`${module.MODEL_NAME}: ${result.usPerStep.toFixed(1)} µs per training step (batch ${module.MAX_BATCH}), ${gflops.toFixed(2)} GFLOP/s, over ${result.steps} steps\n`);
  io.stdout(`${JSON.stringify({ us_per_step: result.usPerStep, steps: result.steps, batch: module.MAX_BATCH, gflops })}\n`);
  return exitCodes.ok;
}
