// Run with `node --expose-gc --import tsx test/helpers/threads-allocation-probe.ts <steps>`: the allocation probe
// (allocation-probe.ts) for a threaded module, models/simple-rnn.yaml widened so that its products are split, on two
// threads. Reports one JSON line: garbage collections and heap growth over `steps` steady-state steps, and the jobs
// the worker took.
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { compile } from "../../src/compile.ts";
import { dummyDataset } from "../../src/runtime/dataset.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";
import { Random } from "../../src/runtime/prng.ts";
import type { ThreadedModel } from "../../src/runtime/threads.ts";

const steps = Number(process.argv[2] ?? "1000");
const source = readFileSync("models/simple-rnn.yaml", "utf8").replace("hidden_size: 20", "hidden_size: 64").replace("batch_size: 16", "batch_size: 32");
const file = compile(source, { specPath: "models/simple-rnn.yaml", threads: 2 }).files[0];
if (file === undefined) throw new Error("does not compile");
const module = await loadGeneratedModule(file.content);
const model = module.createModel() as ReturnType<typeof module.createModel> & ThreadedModel;
const threads = (await model.startThreads?.(2)) ?? 1;
const batch = dummyDataset(module, new Random(0)).inputs;
const batchSize = module.TRAIN.batchSize;
const losses = new Float64Array(steps);

function train(count: number): void {
  for (let i = 0; i < count; i++) losses[i % losses.length] = model.trainStep(batch, batchSize);
}

for (let round = 0; round < 10; round++) train(200);
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error("run with --expose-gc");

async function window(): Promise<{ collections: number; heapGrowthBytes: number }> {
  collect!();
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ["gc"] });
  const before = process.memoryUsage().heapUsed;
  train(steps);
  const after = process.memoryUsage().heapUsed;
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { collections, heapGrowthBytes: after - before };
}

const windows = [await window(), await window(), await window()];
const best = windows.reduce((a, b) => (b.collections < a.collections || (b.collections === a.collections && b.heapGrowthBytes < a.heapGrowthBytes) ? b : a));
// the job counter, the header's first int32 (src/emit/threads/worker-source.ts)
const controlAt = Number(/Threads: the control block at byte (\d+)/.exec(file.content)?.[1] ?? "0");
const jobs = new Int32Array(model.parameters.buffer, controlAt, 1)[0]!;
await model.stopThreads?.();
console.log(JSON.stringify({ steps, threads, jobs, ...best, windows, finite: losses.every(Number.isFinite) }));
