import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { SPLIT_MIN_WORK } from "../src/emit/threads/plan.ts";
import type { Precision } from "../src/emit/module.ts";
import type { GeneratedModule, Model } from "../src/runtime/generated-module.ts";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import type { ThreadedModel } from "../src/runtime/threads.ts";
import { summaryText } from "../src/cli/summary-command.ts";
import { summarise } from "../src/ir/summary.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";
import { typecheckModule } from "./helpers/typecheck.ts";
import { sequenceClassifier } from "./helpers/inline-spec.ts";

/**
 * train.threads (src/emit/threads): workers share the large products by rows of C, and the numbers must be bitwise
 * those of one thread — the reference here is the single-threaded module itself, trained from the same seed.
 */
async function load(source: string, precision: Precision, threads?: number | "auto"): Promise<{ module: GeneratedModule; content: string }> {
  const file = compile(source, { specPath: "inline.yaml", precision, ...(threads === undefined ? {} : { threads }) }).files[0];
  if (file === undefined) throw new Error("did not compile");
  return { module: await loadGeneratedModule(file.content), content: file.content };
}

/** Losses of `steps` training steps on one seeded dummy batch, and the parameters after them, as raw bytes. */
function trainRun(module: GeneratedModule, model: Model, steps: number): { losses: number[]; parameters: Uint8Array } {
  const batch = dummyDataset(module, new Random(3)).inputs;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(model.trainStep(batch, module.TRAIN.batchSize));
  const parameters = model.parameters;
  return { losses, parameters: new Uint8Array(parameters.buffer.slice(parameters.byteOffset, parameters.byteOffset + parameters.byteLength)) };
}

/** Chunks of products each worker computed: read from the control block, whose place the module's comment gives. */
function chunksByWorker(content: string, model: Model): number[] {
  const match = /Threads: the control block at byte (\d+), a job header of (\d+) int32s and (\d+) worker slots? of (\d+)/.exec(content);
  if (match === null) throw new Error("no control block");
  const [at, header, slots, slotInts] = match.slice(1).map(Number) as [number, number, number, number];
  const control = new Int32Array(model.parameters.buffer, at, header + slots * slotInts);
  return Array.from({ length: slots }, (_, slot) => control[header + slot * slotInts]!);
}

/**
 * Each case, and the kernel of the last job a forward pass posts on 2 threads: a product (0: nt), or, where a float32
 * LSTM's or GRU's gate pass is large enough to be shared too (worker-source.ts ROW_FORMS), that pass (3).
 */
const cases = [
  ["rnn, 2 layers, bidirectional", "  - { id: rnn, op: rnn, input: x, hidden_size: 48, num_layers: 2, bidirectional: true }\n  - { id: last, op: last_step }", "float32", 0],
  ["lstm", "  - { id: rnn, op: lstm, input: x, hidden_size: 40 }\n  - { id: last, op: last_step }\n  - { id: hidden, op: linear, out_features: 64 }", "float32", 3],
  ["gru, float64", "  - { id: rnn, op: gru, input: x, hidden_size: 40 }\n  - { id: pool, op: mean_pool }", "float64", 0],
  ["gru, float32", "  - { id: rnn, op: gru, input: x, hidden_size: 40 }\n  - { id: last, op: last_step }", "float32", 3],
  // C of 64 columns: gemm_tn packs its blocks of A (kernels/xn.ts), each thread into its own scratch
  ["rnn, 64 hidden: the weight gradients packed on every thread", "  - { id: rnn, op: rnn, input: x, hidden_size: 64 }\n  - { id: last, op: last_step }", "float32", 0],
] as const;

/** The kernel of the last job posted to the workers (the control block's place is in the module's comment). */
function lastJobKernel(content: string, model: Model): number {
  const at = Number(/the control block at byte (\d+)/.exec(content)?.[1]);
  return new Int32Array(model.parameters.buffer, at, 4)[3]!;
}

describe("threads", () => {
  it.each(cases)("%s: 1, 2 and 3 threads train to the same bits", async (_, graph, precision, lastKernel) => {
    const source = sequenceClassifier({ seq: 6, input: 24, classes: 5, batch: 36, graph });
    const single = await load(source, precision);
    const threaded = await load(source, precision, 3);
    expect(single.content).not.toContain("startThreads");
    expect(threaded.content).toContain("shared: true");

    const reference = trainRun(single.module, single.module.createModel(), 6);
    for (const count of [1, 2, 3]) {
      const model = threaded.module.createModel() as Model & ThreadedModel;
      expect(await model.startThreads?.(count)).toBe(count);
      expect(model.threads).toBe(count);
      const run = trainRun(threaded.module, model, 6);
      // a worker never scheduled during those steps (a busy machine) leaves its chunks to the others: forward passes,
      // which change no parameter, until every worker has taken some
      const batch = dummyDataset(threaded.module, new Random(3)).inputs;
      for (let pass = 0; pass < 200 && chunksByWorker(threaded.content, model).slice(0, count - 1).includes(0); pass++) model.forward(batch, threaded.module.TRAIN.batchSize);
      const perWorker = chunksByWorker(threaded.content, model);
      model.forward(batch, threaded.module.TRAIN.batchSize);
      const lastJob = lastJobKernel(threaded.content, model);
      await model.stopThreads?.();
      if (count === 2) expect(lastJob).toBe(lastKernel);
      expect(model.threads).toBe(1);
      expect(run.losses).toEqual(reference.losses);
      expect(Buffer.compare(run.parameters, reference.parameters)).toBe(0);
      // the workers really did compute rows: every worker started took chunks, the others none
      for (const [slot, chunks] of perWorker.entries()) {
        if (slot < count - 1) expect(chunks).toBeGreaterThan(0);
        else expect(chunks).toBe(0);
      }
    }
  });

  it("the rnn's tanh and its derivative are shared out like products (jobs 3 and 4), to the same bits", async () => {
    // 72 × 64 values a step: over the split threshold (worker-source.ts ROW_FORMS, plan.ts ELEMENTWISE_WORK)
    const source = sequenceClassifier({ seq: 5, input: 16, classes: 4, batch: 72, graph: "  - { id: rnn, op: rnn, input: x, hidden_size: 64 }\n  - { id: last, op: last_step }" });
    const single = await load(source, "float32");
    const threaded = await load(source, "float32", 2);
    expect(threaded.content).toContain("function tanh_backward_f32(dPre: number, dOut: number, h: number, count: number): void {");
    const reference = trainRun(single.module, single.module.createModel(), 5);
    for (const count of [1, 2]) {
      const model = threaded.module.createModel() as Model & ThreadedModel;
      expect(await model.startThreads?.(count)).toBe(count);
      const run = trainRun(threaded.module, model, 5);
      // the last job a forward pass posts is its last step's tanh (the head's product is too small to share)
      model.forward(dummyDataset(threaded.module, new Random(3)).inputs, threaded.module.TRAIN.batchSize);
      const lastJob = lastJobKernel(threaded.content, model);
      await model.stopThreads?.();
      expect(run.losses).toEqual(reference.losses);
      expect(Buffer.compare(run.parameters, reference.parameters)).toBe(0);
      if (count === 2) expect(lastJob).toBe(3);
    }
  });

  it("a product whose kernel traps throws on whichever thread it trapped, never hangs, and the model trains on", async () => {
    const source = sequenceClassifier({ seq: 6, input: 24, classes: 5, batch: 36, graph: "  - { id: rnn, op: lstm, input: x, hidden_size: 40 }\n  - { id: last, op: last_step }" });
    const single = await load(source, "float32");
    const reference = trainRun(single.module, single.module.createModel(), 3);
    // the dispatcher, exposed for this test only by editing the module's text
    const text = compile(source, { specPath: "inline.yaml", threads: 2 }).files[0]?.content.replace("    startThreads,\n", "    startThreads,\n    product,\n") ?? "";
    const module = await loadGeneratedModule(text);
    type Product = (kernel: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number) => void;
    const model = module.createModel() as Model & ThreadedModel & { product: Product };
    expect(await model.startThreads?.(2)).toBe(2);
    const memoryBytes = model.parameters.buffer.byteLength;
    // C [64 × 64] from 20 rows before the end of the memory: the chunks past row 20 write outside it and trap
    for (let i = 0; i < 30; i++) expect(() => model.product(0, 64, 64, 64, 0, 64, 0, 64, memoryBytes - 20 * 64 * 4, 64, 0)).toThrow(/out of bounds|a worker's part of a matrix product failed/);
    const run = trainRun(module, model, 3);
    await model.stopThreads?.();
    expect(run.losses).toEqual(reference.losses);
    expect(Buffer.compare(run.parameters, reference.parameters)).toBe(0);
  });

  it("a threaded module type-checks on its own under strict settings: training and inference, float32 and float64", () => {
    const source = readFileSync("models/co2-forecast-lstm.yaml", "utf8");
    for (const [target, precision, threads] of [["training", "float32", 2], ["inference", "float64", "auto"]] as const) {
      const content = compile(source, { specPath: "models/co2-forecast-lstm.yaml", target, precision, threads }).files[0]?.content ?? "";
      expect(content).toContain("startThreads(count?: number): Promise<number>;");
      expect(typecheckModule(`co2-${target}.ts`, content)).toEqual([]);
    }
  });

  it("an inference module's forward pass on 2 threads gives the single-threaded module's bits", async () => {
    const source = sequenceClassifier({ seq: 8, input: 24, classes: 5, batch: 64, graph: "  - { id: rnn, op: gru, input: x, hidden_size: 64 }\n  - { id: last, op: last_step }" });
    const compiled = (threads?: number) => compile(source, { specPath: "inline.yaml", target: "inference", ...(threads === undefined ? {} : { threads }) }).files[0]?.content ?? "";
    const single = (await loadGeneratedModule(compiled())).createModel();
    const threadedText = compiled(2);
    const threaded = (await loadGeneratedModule(threadedText)).createModel() as Model & ThreadedModel;
    expect(await threaded.startThreads?.()).toBe(2);
    const x = new Float32Array(64 * 8 * 24).map((_, i) => Math.sin(i));
    const expected = single.forward({ x }, 64).slice();
    let logits = threaded.forward({ x }, 64).slice();
    // a worker that was never scheduled during one pass leaves every chunk to the caller: pass again until it took some
    for (let pass = 0; pass < 50 && chunksByWorker(threadedText, threaded)[0] === 0; pass++) logits = threaded.forward({ x }, 64).slice();
    expect(chunksByWorker(threadedText, threaded)[0]).toBeGreaterThan(0);
    await threaded.stopThreads?.();
    expect(Buffer.compare(Buffer.from(logits.buffer), Buffer.from(expected.buffer))).toBe(0);
  });

  it("a model whose threads is 1 is emitted exactly as without the key", () => {
    const base = readFileSync("models/simple-rnn.yaml", "utf8");
    const explicit = base.replace("train: {", "train: { threads: 1,");
    expect(explicit).not.toBe(base);
    // the spec's hash (in the header and SPEC_SHA256) is all that differs
    const unhashed = (text: string) => text.replaceAll(/[0-9a-f]{64}/g, "<sha256>");
    const emitted = (text: string) => unhashed(compile(text, { specPath: "models/simple-rnn.yaml" }).files[0]?.content ?? "");
    expect(emitted(explicit)).toBe(emitted(base));
    expect(emitted(base)).toBe(unhashed(readFileSync("generated/simple-rnn.ts", "utf8")));
  });

  /** A one-layer classifier with `threads: auto`: its IR, its summary, and its module's model. */
  async function autoModel(shape: { seq: number; input: number; batch: number; op: string; hidden: number }) {
    const source = sequenceClassifier({ ...shape, classes: 3, graph: `  - { id: rnn, op: ${shape.op}, input: x, hidden_size: ${shape.hidden} }\n  - { id: last, op: last_step }` });
    const auto = source.replace("train: {", "train: { threads: auto,");
    const graph = compile(auto, { specPath: "inline.yaml" }).graph!;
    const { module, content } = await load(auto, "float32");
    return { source, summary: summarise(graph), module, content, model: module.createModel() as Model & ThreadedModel };
  }

  it("auto starts the cores available, at most 8, for a model worth sharing, and the summary shows it", async () => {
    // a per-step recurrent product of 64 × 512 × 128 multiply-adds, worth splitting
    const { source, summary, module, model } = await autoModel({ seq: 8, input: 64, batch: 64, op: "lstm", hidden: 128 });
    expect(summary.recurrentStepWork).toBe(64 * 512 * 128);
    expect(64 * 512 * 128).toBeGreaterThanOrEqual(SPLIT_MIN_WORK);
    expect((module as unknown as { THREADS: unknown }).THREADS).toBe("auto");
    const { availableParallelism } = await import("node:os");
    expect(await model.startThreads?.()).toBe(Math.min(8, availableParallelism()));
    await model.stopThreads?.();
    expect(summaryText(summary)).toMatch(/^Threads: auto \(the cores available when the model loads, at most 8\): large products split/m);
    expect(summaryText(summarise(compile(source, { specPath: "inline.yaml" }).graph!))).toMatch(/^Threads: 1 \(every product on the calling thread\)$/m);
  });

  it("auto starts no worker for a model whose recurrence is too small to split, and says why; startThreads(2) still starts one", async () => {
    // a long sequence (many FLOPs a step) over a small state: 16 × 32 × 32 multiply-adds a step, not worth splitting
    const { summary, content, model } = await autoModel({ seq: 512, input: 8, batch: 16, op: "rnn", hidden: 32 });
    expect(summary.recurrentStepWork).toBe(16 * 32 * 32);
    expect(16 * 32 * 32).toBeLessThan(SPLIT_MIN_WORK);
    expect(await model.startThreads?.()).toBe(1);
    expect(model.threads).toBe(1);
    expect(await model.startThreads?.(2)).toBe(2);
    await model.stopThreads?.();
    expect(summaryText(summary)).toMatch(/^Threads: auto: 1 for this model, as its largest per-step recurrent product at MAX_BATCH is 16,384 multiply-adds, below the 131,072 worth splitting$/m);
    expect(content).toContain("The threads `auto` means for this model: 1, as its largest per-step recurrent product");
  });

  it("rejects a bad train.threads with a positioned diagnostic", () => {
    const source = sequenceClassifier({ seq: 4, input: 8, classes: 3, batch: 16, graph: "  - { id: rnn, op: rnn, input: x, hidden_size: 8 }\n  - { id: last, op: last_step }" });
    for (const [value, code] of [["all", "RNNC0015"], ["0", "RNNC0013"], ["true", "RNNC0012"]] as const) {
      const result = compile(source.replace("train: {", `train: { threads: ${value},`), { specPath: "inline.yaml" });
      expect(result.files).toHaveLength(0);
      expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([[code, 12]]);
    }
  });

  it("rnnc bench --threads 2 runs the spec on two threads; a bad --threads is a usage error", async () => {
    const bench = await runCli(["bench", "models/simple-rnn.yaml", "--steps", "5", "--json", "--threads", "2"]);
    expect(bench.code).toBe(0);
    expect((JSON.parse(bench.stdout.trim()) as { threads?: number }).threads).toBe(2);
    const single = await runCli(["bench", "models/simple-rnn.yaml", "--steps", "5", "--json"]);
    expect((JSON.parse(single.stdout.trim()) as { threads?: number }).threads).toBeUndefined();
    const bad = await runCli(["bench", "models/simple-rnn.yaml", "--threads", "zero"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected auto or a number of threads/);
  });

  it("rnnc train --threads 2 prints the same epochs as one thread, at full precision", async () => {
    // products large enough to be split: 64 × 64 (·3 gates) recurrent steps
    const spec = join(temporaryDirectory(), "wide.yaml");
    writeFileSync(spec, sequenceClassifier({ seq: 6, input: 24, classes: 5, batch: 64, graph: "  - { id: rnn, op: gru, input: x, hidden_size: 64 }\n  - { id: last, op: last_step }" }));
    const one = await runCli(["train", spec, "--quiet", "--log-format", "json", "--epochs", "3"]);
    const two = await runCli(["train", spec, "--quiet", "--log-format", "json", "--epochs", "3", "--threads", "2"]);
    expect(one.stdout.split("\n").filter((line) => line.startsWith('{"epoch"'))).toHaveLength(3);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });
});

describe("threads: allocation", () => {
  it("a threaded training step allocates nothing: no GC and no heap growth over 1000 steps on 2 threads", () => {
    const probe = (steps: number) =>
      JSON.parse(execFileSync("node", ["--expose-gc", "--import", "tsx", "test/helpers/threads-allocation-probe.ts", String(steps)], { encoding: "utf8" }).trim().split("\n").pop() ?? "{}") as {
        collections: number;
        heapGrowthBytes: number;
        threads: number;
        jobs: number;
      };
    const one = probe(1);
    const many = probe(1000);
    expect(many.threads).toBe(2);
    expect(many.jobs).toBeGreaterThan(1000);
    expect(many.collections).toBe(0);
    expect(many.heapGrowthBytes - one.heapGrowthBytes).toBeLessThan(4096);
  });
});
