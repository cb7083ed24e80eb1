// Run with `node --expose-gc --import tsx test/helpers/allocation-probe.ts <spec> <steps> [accuracy]`: trains in steady state
// and reports, as one JSON line, how many garbage collections ran and how much the heap grew meanwhile. With
// `accuracy`, each window also counts training accuracy `steps` times from the logits a step leaves, as
// src/runtime/train.ts does after every step.
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { compile } from "../../src/compile.ts";
import { epochAccuracy } from "../../src/runtime/accuracy.ts";
import { dummyDataset } from "../../src/runtime/dataset.ts";
import { initialiseParameters } from "../../src/runtime/init.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";
import { Random } from "../../src/runtime/prng.ts";

const [specPath = "models/simple-rnn.yaml", stepsText = "5000", mode = ""] = process.argv.slice(2);
const steps = Number(stepsText);
const file = compile(readFileSync(specPath, "utf8"), { specPath }).files[0];
if (file === undefined) throw new Error(`${specPath} does not compile`);
const module = await loadGeneratedModule(file.content);
const model = module.createModel();
const random = new Random(0);
initialiseParameters(module, model, random);
const batch = dummyDataset(module, random).inputs;
const batchSize = module.TRAIN.batchSize;
const losses = new Float64Array(steps);

/** What a training loop does: steps, keeping each loss in a preallocated array. */
function train(count: number): void {
  for (let i = 0; i < count; i++) losses[i % losses.length] = model.trainStep(batch, batchSize);
}

const accuracy = mode === "accuracy" ? epochAccuracy(module, model)?.training : undefined;
if (mode === "accuracy" && accuracy === undefined) throw new Error(`${specPath} is not a classifier`);

/**
 * Accuracy counting in a loop of its own: in the training loop's body V8 may spend its inlining budget on the
 * counter instead of the step's loss computation, whose returned loss is then boxed (16 bytes a step, whoever calls).
 */
function countAccuracy(count: number): void {
  for (let i = 0; i < count; i++) accuracy?.add(batch, batchSize);
}

// Warm up until V8 has optimised both the step and this loop: an unoptimised caller boxes each returned loss.
for (let round = 0; round < 10; round++) {
  train(500);
  countAccuracy(500);
}
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error("run with --expose-gc");

/**
 * One measured window: garbage collections and heap growth over `steps` steps. A step that allocates shows in
 * every window; a one-off (V8 finishing an optimisation late on a loaded machine) in one at most, so the best of
 * three windows is reported.
 */
async function window(): Promise<{ collections: number; heapGrowthBytes: number }> {
  collect!();
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ["gc"] });
  const before = process.memoryUsage().heapUsed;
  train(steps);
  countAccuracy(accuracy === undefined ? 0 : steps);
  const after = process.memoryUsage().heapUsed;
  // GC entries are delivered asynchronously: give the observer a turn before reading the count.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { collections, heapGrowthBytes: after - before };
}

const windows = [await window(), await window(), await window()];
const best = windows.reduce((a, b) => (b.collections < a.collections || (b.collections === a.collections && b.heapGrowthBytes < a.heapGrowthBytes) ? b : a));
console.log(JSON.stringify({ steps, ...best, windows, finite: losses.every(Number.isFinite), accuracy: accuracy?.value() ?? null }));
