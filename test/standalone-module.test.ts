import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import type { GeneratedModule } from "../src/runtime/generated-module.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import { writeSafetensors, type NamedTensor } from "../src/runtime/safetensors.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/**
 * A generated module on its own: `createModel({ seed })` starts from the weights `rnnc train` starts from, and a
 * plain loop over `trainStep` reproduces `rnnc train`'s per-epoch losses, without anything from src/runtime.
 */
const repo = process.cwd();
const models = ["simple-rnn", "seattle-weather", "seattle-weather-gru", "co2-forecast", "co2-forecast-lstm", "name-gender", "name-generator"];

async function moduleOf(name: string, precision: "float32" | "float64" = "float32"): Promise<GeneratedModule> {
  const path = `models/${name}.yaml`;
  return loadGeneratedModule(compile(readFileSync(resolve(repo, path), "utf8"), { specPath: path, precision }).files[0]!.content);
}

/** The shape a standalone caller sees: the module's own exports, nothing from the runtime. */
interface Standalone {
  readonly MAX_BATCH: number;
  createModel(options?: { seed?: number }): {
    readonly parameters: Float32Array;
    trainStep(batch: Record<string, Float32Array | Int32Array>, batchSize: number): number;
    forward(inputs: Record<string, Float32Array | Int32Array>, batchSize: number): Float32Array;
  };
}

describe("createModel({ seed })", () => {
  for (const name of models) {
    it(`${name}: gives the parameters rnnc train initialises (runtime Random, same seed), and the seed matters`, async () => {
      const module = await moduleOf(name);
      for (const seed of [0, 1, 4294967295]) {
        const reference = module.createModel({ seed: 12345 });
        initialiseParameters(module, reference, new Random(seed));
        expect(Array.from(module.createModel({ seed }).parameters)).toEqual(Array.from(reference.parameters));
      }
      expect(Array.from(module.createModel().parameters)).toEqual(Array.from(module.createModel({ seed: module.TRAIN.seed }).parameters));
      expect(Array.from(module.createModel({ seed: 1 }).parameters)).not.toEqual(Array.from(module.createModel({ seed: 2 }).parameters));
    });
  }

  it("draws what the runtime's own init drew before it moved into the module, and leaves the runtime's stream where that did", async () => {
    // name-gender: an embedding (normal init, odd element count, so a spare normal is left over) and a padding row
    const module = await moduleOf("name-gender");
    const model = module.createModel();
    const random = new Random(3);
    initialiseParameters(module, model, random);
    // the runtime's init as it was (src/runtime/init.ts before this change), on a second generator
    const reference = new Random(3);
    const expected = new Float32Array(module.PARAMETER_COUNT);
    for (const p of module.PARAMETERS) {
      const init = p.init;
      for (let i = 0; i < p.size; i++) expected[p.offset + i] = init.distribution === "uniform" ? reference.uniformIn(-init.bound, init.bound) : reference.normal() * init.std;
      if (init.distribution === "normal" && init.zeroRow !== undefined) expected.fill(0, p.offset + init.zeroRow * p.shape[1]!, p.offset + (init.zeroRow + 1) * p.shape[1]!);
    }
    expect(module.PARAMETERS.some((p) => p.init.distribution === "normal" && p.init.zeroRow !== undefined)).toBe(true);
    expect(Array.from(model.parameters)).toEqual(Array.from(expected));
    expect([random.normal(), random.normal(), random.uniform()]).toEqual([reference.normal(), reference.normal(), reference.uniform()]);
  });

  it("holds float64 builds to the same draws, and refuses a seed that is not a 32-bit unsigned integer", async () => {
    const single = await moduleOf("name-generator");
    const double = await moduleOf("name-generator", "float64");
    const a = single.createModel({ seed: 9 }).parameters;
    const b = double.createModel({ seed: 9 }).parameters;
    expect(Array.from(b, (value) => Math.fround(value))).toEqual(Array.from(a));
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => single.createModel({ seed })).toThrow(RangeError);
  });
});

describe("a generated module imported on its own", () => {
  it("trains from createModel({ seed }) to rnnc train's per-epoch losses on the same data (partial last batch)", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "package.json"), "{}\n");
    mkdirSync(join(dir, "models"));
    const spec = readFileSync(resolve(repo, "models/simple-rnn.yaml"), "utf8");
    writeFileSync(join(dir, "models/simple-rnn.yaml"), spec);
    const count = 37;
    const x = Float32Array.from({ length: count * 7 * 10 }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.3));
    const y = Int32Array.from({ length: count }, (_, i) => (i * 3 + (i >> 2)) % 5);
    const tensors: NamedTensor[] = [
      { name: "x", tensor: { dtype: "F32", shape: [count, 7, 10], data: x } },
      { name: "y", tensor: { dtype: "I32", shape: [count], data: y } },
    ];
    writeFileSync(join(dir, "data.safetensors"), writeSafetensors(tensors));
    const epochs = 4;
    const cli = await runCli(["train", "models/simple-rnn.yaml", "--data", "data.safetensors", "--epochs", String(epochs), "--log-format", "json"], dir);
    expect(cli.code, cli.stderr).toBe(0);
    const expected = cli.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { loss: number }).loss);
    expect(expected).toHaveLength(epochs);

    // the checked-in module, compiled in the scratch project, imported by file as any program would
    expect((await runCli(["compile", "models/simple-rnn.yaml"], dir)).code).toBe(0);
    const path = join(dir, "generated/simple-rnn.ts");
    expect(readFileSync(path, "utf8")).toBe(readFileSync(resolve(repo, "generated/simple-rnn.ts"), "utf8"));
    const module = (await import(pathToFileURL(path).href)) as Standalone;
    const model = module.createModel({ seed: 0 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let total = 0;
      let steps = 0;
      for (let start = 0; start < count; start += module.MAX_BATCH) {
        const size = Math.min(module.MAX_BATCH, count - start);
        total += model.trainStep({ x: x.subarray(start * 70, (start + size) * 70), y: y.subarray(start, start + size) }, size);
        steps++;
      }
      losses.push(total / steps);
    }
    expect(losses).toEqual(expected);
  });

  it("forward reads only the inputs the layers use: no target needed, and the same logits as with one", async () => {
    const module = (await import(pathToFileURL(resolve(repo, "generated/simple-rnn.ts")).href)) as Standalone;
    const model = module.createModel({ seed: 2 });
    const x = Float32Array.from({ length: 3 * 70 }, (_, i) => Math.cos(i));
    const alone = Float32Array.from(model.forward({ x }, 3).subarray(0, 15));
    const withTarget = Float32Array.from(model.forward({ x, y: new Int32Array(3) }, 3).subarray(0, 15));
    expect(Array.from(alone)).toEqual(Array.from(withTarget));
    expect(alone.some((value) => value !== 0)).toBe(true);
    expect(() => model.forward({}, 3)).toThrow(/inputs\.x must hold/);
    expect(() => model.trainStep({ x }, 3)).toThrow(/batch\.y must hold/);
  });
});
