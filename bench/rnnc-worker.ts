/**
 * rnnc under test: compiles the shape's spec in memory, loads the generated trainer and times `trainStep`
 * through src/runtime/benchmark.ts (the code behind `rnnc bench`). Speaks bench/protocol.ts on stdin/stdout.
 * With `--threads N` (the rnnc-2t system), on N threads: see bench/rnnc-threads.ts.
 */
import { benchThreads, threadedBenchmark } from "./rnnc-threads.ts";
import { enableRelaxedSimd } from "../src/cli/relaxed-simd.ts";
import { compilerVersion } from "../src/compile.ts";
import { prepareBenchmark, type PreparedBenchmark } from "../src/runtime/benchmark.ts";
import { serve } from "./protocol.ts";
import { restoreSnapshot, takeSnapshot, type TrainingSnapshot } from "./rnnc-snapshot.ts";
import { compileSpecFile } from "./shapes.ts";

let prepared: PreparedBenchmark | undefined;
let snapshot: TrainingSnapshot | undefined;
enableRelaxedSimd(); // as the CLI does: the relaxed-SIMD kernels where the CPU can run them

await serve({
  info: () => ({ ok: true, version: `rnnc ${compilerVersion} (generated TypeScript, float32, Node ${process.versions.node}${benchThreads === 1 ? "" : `, ${benchThreads} threads`})` }),
  async setup(shape) {
    prepared = prepareBenchmark(await compileSpecFile(shape.specPath));
    snapshot = undefined;
    if (prepared.batchSize !== shape.batch) throw new Error(`MAX_BATCH ${prepared.batchSize} ≠ shape batch ${shape.batch}`);
    if (benchThreads !== 1) prepared = await threadedBenchmark(shape.specPath);
    return { ok: true };
  },
  snapshot(steps) {
    if (prepared === undefined) throw new Error("snapshot before setup");
    prepared.reset();
    prepared.run(steps);
    snapshot = takeSnapshot(prepared.model);
    return { ok: true };
  },
  time(steps, from) {
    if (prepared === undefined) throw new Error("time before setup");
    if (from === "init") prepared.reset();
    else if (snapshot === undefined) throw new Error("time from a snapshot before any snapshot");
    else restoreSnapshot(prepared.model, snapshot);
    const { usPerStep, lastLoss } = prepared.run(steps);
    return { ok: true, usPerStep, loss: lastLoss };
  },
});
