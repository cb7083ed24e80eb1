import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { moduleMemory } from "../src/emit/module-memory.ts";
import { dummyDataset } from "../src/runtime/dataset.ts";
import type { Batch, GeneratedModule, RealArray } from "../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import { runCli } from "./helpers/cli.ts";
import { typecheckModule } from "./helpers/typecheck.ts";

/** `compile --target inference`: the forward pass and streaming API alone, giving the training module's outputs. */
const repo = process.cwd();
const models = ["simple-rnn", "seattle-weather-gru", "co2-forecast-lstm", "name-gender", "name-generator"];

interface InferenceModel {
  readonly parameters: RealArray;
  readonly stream?: { step(input: Batch, batchSize: number): RealArray; reset(): void };
  loadSafetensors(bytes: Uint8Array): void;
  saveSafetensors(): Uint8Array;
  forward(inputs: Batch, batchSize: number): RealArray;
}

function compiled(name: string, target: "training" | "inference"): string {
  const path = `models/${name}.yaml`;
  const file = compile(readFileSync(resolve(repo, path), "utf8"), { specPath: path, target }).files[0];
  if (file === undefined) throw new Error(`${path} does not compile`);
  return file.content;
}

/** The bytes the module's own "Memory: … (N bytes)" comment states. */
const statedBytes = (text: string) => Number(/one WebAssembly\.Memory \((\d+) bytes\)/.exec(text)?.[1]);

describe("compile --target inference", () => {
  for (const name of models) {
    it(`${name}: type-checks strictly, has no gradients, optimizer or backward, and gives the training module's forward and stream`, async () => {
      const text = compiled(name, "inference");
      expect(typecheckModule(`${name}.ts`, text)).toEqual([]);
      expect(text).toBe(compiled(name, "inference")); // byte-identical for the same input
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""); // comments may mention what is left out
      for (const absent of ["gradients", "dout_", "opt_", "backward", "computeLoss", "trainStep", "optimizerState", "dw_"]) expect(code, absent).not.toContain(absent);

      const training = await loadGeneratedModule(compiled(name, "training"));
      const inference = (await loadGeneratedModule(text)) as unknown as Omit<GeneratedModule, "createModel"> & { createModel(options?: { seed?: number }): InferenceModel };
      const trained = training.createModel({ seed: 4 }) as ReturnType<GeneratedModule["createModel"]> & { saveSafetensors(): Uint8Array };
      const model = inference.createModel({ seed: 5 });
      model.loadSafetensors(trained.saveSafetensors());
      expect(Array.from(model.parameters)).toEqual(Array.from(trained.parameters));
      expect(Array.from(inference.createModel({ seed: 4 }).parameters)).toEqual(Array.from(trained.parameters));

      const batch = dummyDataset(training, new Random(2)).inputs;
      const size = Math.min(3, training.MAX_BATCH);
      const width = training.LOSS.task === "classification" ? training.LOSS.classes : training.LOSS.outputs;
      const expected = Array.from(trained.forward(batch, size).subarray(0, size * width));
      expect(Array.from(model.forward(batch, size).subarray(0, size * width))).toEqual(expected);

      expect(model.stream === undefined).toBe(trained.stream === undefined);
      if (trained.stream !== undefined && model.stream !== undefined) {
        const input = training.INPUTS[0]!;
        const perStep = input.shape.length === 3 ? Number(input.shape[2]) : 1;
        const seq = Number(input.shape[1]);
        const source = batch[input.name]!;
        trained.stream.reset();
        model.stream.reset();
        for (let t = 0; t < seq; t++) {
          const step = source instanceof Int32Array ? new Int32Array(size) : new Float32Array(size * perStep);
          for (let b = 0; b < size; b++) for (let f = 0; f < perStep; f++) step[b * perStep + f] = source[(b * seq + t) * perStep + f]!;
          const want = Array.from(trained.stream.step({ [input.name]: step }, size).subarray(0, size * width));
          expect(Array.from(model.stream.step({ [input.name]: step }, size).subarray(0, size * width))).toEqual(want);
        }
      }
    });
  }

  it("lays out less memory than training, and rnnc summary --target reports exactly the module's own layout", async () => {
    for (const name of ["simple-rnn", "name-generator"]) {
      const inference = statedBytes(compiled(name, "inference"));
      const training = statedBytes(compiled(name, "training"));
      // exactly the training module's layout without gradients, optimizer state, output gradients and backward scratch
      const graph = compile(readFileSync(resolve(repo, `models/${name}.yaml`), "utf8"), { specPath: "m.yaml" }).graph!;
      const parts = moduleMemory(graph, "float32", "training").parts;
      const trainingOnly = (parts.gradients ?? 0) + (parts["optimizer state"] ?? 0) + (parts["output gradients"] ?? 0) + (parts["backward scratch"] ?? 0);
      expect(trainingOnly).toBeGreaterThan(0);
      expect(inference).toBe(training - trainingOnly);
      const text = await runCli(["summary", `models/${name}.yaml`, "--target", "inference"]);
      expect(text.stdout).toMatch(/^Memory of the inference module \(float32\): .* in \d+ pages? of WebAssembly memory: parameters .*, layer outputs/m);
      expect(text.stdout).not.toMatch(/gradients \d|optimizer state \d|backward scratch/);
      const json = await runCli(["summary", `models/${name}.yaml`, "--target", "inference", "--json"]);
      expect((JSON.parse(json.stdout) as { memory: { bytes: number } }).memory.bytes).toBe(inference);
      const trainingJson = await runCli(["summary", `models/${name}.yaml`, "--target", "training", "--json"]);
      const memory = (JSON.parse(trainingJson.stdout) as { memory: { bytes: number; parts: Record<string, number> } }).memory;
      expect(memory.bytes).toBe(training);
      expect(Object.values(memory.parts).reduce((a, b) => a + b, 0)).toBe(training);
    }
    const graph = compile(readFileSync(resolve(repo, "models/simple-rnn.yaml"), "utf8"), { specPath: "models/simple-rnn.yaml" }).graph!;
    expect(moduleMemory(graph, "float32", "inference").parts.gradients).toBeUndefined();
  });

  it("refuses an unknown target with exit 2, and names --target inference in --check's advice", async () => {
    const unknown = await runCli(["compile", "models/simple-rnn.yaml", "--target", "gpu", "--check"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/error RNNC0191: unknown --target `gpu`\n  hint: valid targets: `training`, `inference`, `pytorch`/);
    const check = await runCli(["compile", "models/simple-rnn.yaml", "--target", "inference", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("generated/simple-rnn.ts: stale; regenerate it with `npx compile models/simple-rnn.yaml --target inference`");
  });

  it.each([
    ["models/simple-rnn.yaml", 5000, "forward"],
    ["models/simple-rnn.yaml", 5000, "stream"],
    ["models/co2-forecast-lstm.yaml", 1000, "stream"],
  ] as const)("%s: %i calls of %s allocate nothing (no GC, no heap growth)", (spec, steps, mode) => {
    const probe = (count: number) =>
      JSON.parse(execFileSync("node", ["--expose-gc", "--import", "tsx", "test/helpers/inference-allocation-probe.ts", spec, String(count), mode], { encoding: "utf8" }).trim().split("\n").pop() ?? "{}") as {
        collections: number;
        heapGrowthBytes: number;
        finite: boolean;
      };
    const one = probe(1);
    const many = probe(steps);
    expect(many.finite).toBe(true);
    expect(many.collections).toBe(0);
    expect(many.heapGrowthBytes - one.heapGrowthBytes).toBeLessThan(4096);
  });
});
