// Run with `node --expose-gc --import tsx test/helpers/inference-allocation-probe.ts <spec> <steps> <forward|stream>`:
// calls an inference module's forward (or stream.step) in steady state and reports, as one JSON line, how many
// garbage collections ran and how much the heap grew meanwhile (as test/helpers/allocation-probe.ts does for training).
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { compile } from "../../src/compile.ts";
import { dummyDataset } from "../../src/runtime/dataset.ts";
import type { Batch, GeneratedModule, RealArray } from "../../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";
import { Random } from "../../src/runtime/prng.ts";

const [specPath = "models/simple-rnn.yaml", stepsText = "5000", mode = "forward"] = process.argv.slice(2);
const steps = Number(stepsText);
const source = readFileSync(specPath, "utf8");
const inference = compile(source, { specPath, target: "inference" }).files[0];
const training = compile(source, { specPath }).files[0];
if (inference === undefined || training === undefined) throw new Error(`${specPath} does not compile`);
// the training module only makes the dummy data (it has the batch layout); the inference module is what is measured
const data = dummyDataset(await loadGeneratedModule(training.content), new Random(0)).inputs;
const module = (await loadGeneratedModule(inference.content)) as unknown as GeneratedModule;
const model = module.createModel({ seed: 0 });
const batchSize = module.MAX_BATCH;
const stream = model.stream;
const firstInput = module.INPUTS[0]!;
const oneStep: Batch = { [firstInput.name]: data[firstInput.name]!.subarray(0, batchSize * (firstInput.shape[2] === undefined ? 1 : Number(firstInput.shape[2]))) };
const sums = new Float64Array(steps);

function run(count: number): void {
  for (let i = 0; i < count; i++) {
    const out: RealArray = mode === "stream" ? stream!.step(oneStep, batchSize) : model.forward(data, batchSize);
    sums[i % sums.length] = out[0]!;
  }
}

for (let round = 0; round < 10; round++) run(500);
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
  run(steps);
  const after = process.memoryUsage().heapUsed;
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { collections, heapGrowthBytes: after - before };
}

const windows = [await window(), await window(), await window()];
const best = windows.reduce((a, b) => (b.collections < a.collections || (b.collections === a.collections && b.heapGrowthBytes < a.heapGrowthBytes) ? b : a));
console.log(JSON.stringify({ steps, ...best, windows, finite: sums.every(Number.isFinite) }));
