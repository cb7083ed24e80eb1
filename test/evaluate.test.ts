import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { argmax } from "../src/data/index.ts";
import { AccuracyCount } from "../src/runtime/accuracy.ts";
import type { Dataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { writeSafetensors } from "../src/runtime/safetensors.ts";
import { miniBatches, train } from "../src/runtime/train.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";
import { compileSpecFile } from "./helpers/compile-module.ts";

/**
 * `rnnc evaluate` and accuracy per epoch, each checked against a count made another way: by hand, from `forward`'s
 * outputs, from `rnnc predict`'s forecasts and the CSV's own labels, or by PyTorch (test/helpers/evaluate_reference.py).
 */
const python = "/usr/bin/python3";
const torchAvailable = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
if (!torchAvailable) console.log(`evaluate: the PyTorch reference is skipped, ${python} cannot import torch (apt-get install python3-torch to run it)`);

describe("accuracy from the logits a forward pass left", () => {
  it("counts per-sample targets: argmax, first on ties", () => {
    // 4 samples × 3 classes, batch-major rows: predictions 1, 0 (tie 0/2 → 0), 2, 1
    const logits = Float32Array.from([0, 5, 1, 3, 1, 3, 0, 0, 9, -1, 2, 1]);
    const count = new AccuracyCount({ target: "y", classes: 3, steps: 1, ignore: undefined }, logits);
    count.add({ y: Int32Array.from([1, 2, 2, 1]) }, 4);
    expect(count.value()).toBe(3 / 4);
    count.reset();
    expect(count.value()).toBeUndefined();
  });

  it("counts per-step targets time-major, skipping ignore_index", () => {
    // batch 2 × 2 steps × 2 classes; row t·2 + b. Predictions: (b0,t0)=1, (b1,t0)=0, (b0,t1)=0, (b1,t1)=1
    const logits = Float32Array.from([0, 1, 1, 0, 1, 0, 0, 1]);
    const count = new AccuracyCount({ target: "next", classes: 2, steps: 2, ignore: -100 }, logits);
    // targets batch-major [b, t]: b0 = [1, 1] (1 right of 2), b1 = [-100, 1] (1 right of 1)
    count.add({ next: Int32Array.from([1, 1, -100, 1]) }, 2);
    expect(count.value()).toBe(2 / 3);
  });

  it("train() reports each epoch's accuracy as forward passes before each step count it, and the validation accuracy after", async () => {
    const { module } = await compileSpecFile("models/simple-rnn.yaml");
    const random = new Random(7);
    const samples = (count: number): Dataset => ({
      count,
      inputs: { x: Float32Array.from({ length: count * 70 }, () => random.normal()), y: Int32Array.from({ length: count }, () => random.integerBelow(5)) },
    });
    const data = samples(40); // batches of 16, 16 and 8
    const validation = samples(12); // one batch: MAX_BATCH is 16
    const trained = module.createModel();
    initialiseParameters(module, trained, new Random(0));
    const replay = module.createModel();
    replay.parameters.set(trained.parameters);
    const { epochs } = train(module, trained, data, { epochs: 2, batchSize: 16, validation });
    const right = (outputs: ArrayLike<number>, labels: ArrayLike<number>, size: number): number => argmax(outputs, size, 5).filter((p, i) => p === labels[i]).length;
    for (const record of epochs) {
      let correct = 0;
      for (const { batch, size } of miniBatches(module, data, 16)) {
        correct += right(replay.forward(batch, size), batch["y"]!, size); // simple-rnn has no dropout: the same logits as training's
        replay.trainStep(batch, size);
      }
      expect(record.accuracy).toBe(correct / 40);
      const validationRight = right(replay.forward(validation.inputs, 12), validation.inputs["y"]!, 12);
      expect(record.validationAccuracy).toBe(validationRight / 12);
    }
  });

  it.each([
    ["models/simple-rnn.yaml", 5000],
    ["models/seattle-weather.yaml", 2000],
  ] as const)("%s: counting accuracy allocates nothing over %i steps", (spec, steps) => {
    const probe = (count: number) => JSON.parse(execFileSync("node", ["--expose-gc", "--import", "tsx", "test/helpers/allocation-probe.ts", spec, String(count), "accuracy"], { encoding: "utf8" }).trim().split("\n").pop() ?? "{}") as { collections: number; heapGrowthBytes: number; accuracy: number | null };
    const one = probe(1);
    const many = probe(steps);
    expect(many.accuracy).toBeGreaterThanOrEqual(0);
    expect(many.collections).toBe(0);
    expect(many.heapGrowthBytes - one.heapGrowthBytes).toBeLessThan(4096);
  });
});

describe("training logs", () => {
  it("appends Acc to the text line and accuracy to the JSON line with real data", async () => {
    const dir = temporaryDirectory();
    const data = join(dir, "d.safetensors");
    const random = new Random(3);
    writeFileSync(data, writeSafetensors([
      { name: "x", tensor: { dtype: "F32", shape: [20, 7, 10], data: Float32Array.from({ length: 1400 }, () => random.normal()) } },
      { name: "y", tensor: { dtype: "I32", shape: [20], data: Int32Array.from({ length: 20 }, () => random.integerBelow(5)) } },
    ]));
    const text = await runCli(["train", "models/simple-rnn.yaml", "--data", data, "--epochs", "2"]);
    expect(text.stdout).toMatch(/^Epoch \[1\/2\], Loss: \d\.\d{4}, Acc: \d\.\d{4}\nEpoch \[2\/2\]/);
    const json = await runCli(["train", "models/simple-rnn.yaml", "--data", data, "--epochs", "2", "--log-format", "json"]);
    const first = JSON.parse(json.stdout.split("\n")[0] ?? "{}") as { accuracy?: number; loss?: number };
    expect(first.accuracy?.toFixed(4)).toBe(/Acc: (\d\.\d{4})/.exec(text.stdout)?.[1]);
    // the seed's dummy data: its lines stay exactly as they were
    const dummy = await runCli(["train", "models/simple-rnn.yaml", "--epochs", "1"]);
    expect(dummy.stdout).toBe("Epoch [1/1], Loss: 1.5641\n");
  });
});

interface EvalJson {
  event: "eval";
  split: string;
  count: number;
  loss: number;
  accuracy?: number;
  labels?: string[];
  confusion?: number[][];
  per_class?: { class: string; precision: number | null; recall: number | null; support: number }[];
  mae?: number;
  rmse?: number;
  baselines?: Record<string, unknown>;
}

const seattle = "node_modules/vega-datasets/data/seattle-weather.csv";
const co2 = "node_modules/vega-datasets/data/co2-concentration.csv";

/** The header and the last `rows` rows of a CSV: "new" data the checkpoint's statistics were not fitted on alone. */
function tailCsv(dir: string, path: string, rows: number): { path: string; lines: string[][] } {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const kept = [lines[0] ?? "", ...lines.slice(-rows)];
  const out = join(dir, "new.csv");
  writeFileSync(out, `${kept.join("\n")}\n`);
  return { path: out, lines: kept.slice(1).map((line) => line.split(",")) };
}

describe("rnnc evaluate on CSV windows, with the checkpoint's preprocessing", () => {
  it("classification: the default is the test split training reported; --csv scores every window as predict forecasts them", async () => {
    const dir = temporaryDirectory();
    const weights = join(dir, "w.safetensors");
    const trained = await runCli(["train", "models/seattle-weather.yaml", "--epochs", "3", "--save", weights, "--log-format", "json"]);
    expect(trained.code).toBe(0);
    const reported = trained.stdout.split("\n").filter((line) => line.includes('"split":"test"'))[0];
    const evaluated = await runCli(["evaluate", "models/seattle-weather.yaml", "--weights", weights, "--format", "json"]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout.trim()).toBe(reported);

    const fresh = tailCsv(dir, seattle, 120);
    const all = await runCli(["evaluate", "models/seattle-weather.yaml", "--weights", weights, "--csv", fresh.path, "--format", "json"]);
    expect(all.code).toBe(0);
    const result = JSON.parse(all.stdout) as EvalJson;
    // predict's forecast k is made after row k + 6 for row k + 7; the last one has no row to check against
    const predicted = (await runCli(["predict", "models/seattle-weather.yaml", "--weights", weights, "--csv", fresh.path, "--format", "json"])).stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { prediction: string }).prediction);
    const labels = result.labels ?? [];
    expect(labels).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    const confusion = labels.map(() => labels.map(() => 0));
    let right = 0;
    for (let k = 0; k + 7 < fresh.lines.length; k++) {
      const actual = fresh.lines[k + 7]?.[5] ?? "";
      const guess = predicted[k] ?? "";
      confusion[labels.indexOf(actual)]![labels.indexOf(guess)]! += 1;
      if (actual === guess) right++;
    }
    expect(result.split).toBe("all");
    expect(result.count).toBe(113);
    expect(result.confusion).toEqual(confusion);
    expect(result.accuracy).toBe(right / 113);
    result.per_class?.forEach((scores, c) => {
      const column = confusion.reduce((sum, row) => sum + (row[c] ?? 0), 0);
      const support = confusion[c]!.reduce((a, b) => a + b, 0);
      expect(scores.class).toBe(labels[c]);
      expect(scores.support).toBe(support);
      expect(scores.precision).toBe(column === 0 ? null : confusion[c]![c]! / column);
      expect(scores.recall).toBe(support === 0 ? null : confusion[c]![c]! / support);
    });
    // no training split of this file is known, so no majority class: persistence only
    expect(Object.keys(result.baselines ?? {})).toEqual(["persistence"]);
    const text = await runCli(["evaluate", "models/seattle-weather.yaml", "--weights", weights, "--csv", fresh.path]);
    expect(text.stdout).toMatch(/^all \(113 windows\): loss \d\.\d{4}, accuracy \d\.\d{4} {2}\(persistence \d\.\d{4}\)\n {2}class/);
  });

  it("regression: MAE and RMSE in ppm, as recomputed from predict's forecasts and the CSV's levels", async () => {
    const dir = temporaryDirectory();
    const weights = join(dir, "w.safetensors");
    expect((await runCli(["train", "models/co2-forecast.yaml", "--epochs", "3", "--save", weights])).code).toBe(0);
    const fresh = tailCsv(dir, co2, 40);
    const result = JSON.parse((await runCli(["evaluate", "models/co2-forecast.yaml", "--weights", weights, "--csv", fresh.path, "--format", "json"])).stdout) as EvalJson;
    const forecasts = (await runCli(["predict", "models/co2-forecast.yaml", "--weights", weights, "--csv", fresh.path, "--format", "json"])).stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { prediction: number }).prediction);
    // a window of 12 differences reads 13 rows: forecast k is made after row k + 12 for row k + 13
    const errors: number[] = [];
    for (let k = 0; k + 13 < fresh.lines.length; k++) errors.push((forecasts[k] ?? NaN) - Number(fresh.lines[k + 13]?.[1]));
    expect(result.count).toBe(errors.length);
    expect(result.mae).toBeCloseTo(errors.reduce((sum, e) => sum + Math.abs(e), 0) / errors.length, 9);
    expect(result.rmse).toBeCloseTo(Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length), 9);
  });
});

describe.skipIf(!torchAvailable)("rnnc evaluate --data against PyTorch", () => {
  it("loss, accuracy, confusion matrix, precision and recall of models/simple-rnn.yaml", async () => {
    const dir = temporaryDirectory();
    const random = new Random(11);
    const write = (name: string, count: number) => {
      const path = join(dir, name);
      writeFileSync(path, writeSafetensors([
        { name: "x", tensor: { dtype: "F32", shape: [count, 7, 10], data: Float32Array.from({ length: count * 70 }, () => random.normal()) } },
        // skewed towards classes 0 and 1, so that some class is never predicted and its precision is 0/0
        { name: "y", tensor: { dtype: "I64", shape: [count], data: BigInt64Array.from({ length: count }, () => BigInt(random.integerBelow(3) === 0 ? random.integerBelow(5) : random.integerBelow(2))) } },
      ]));
      return path;
    };
    const trainData = write("train.safetensors", 64);
    const testData = write("test.safetensors", 37); // more than MAX_BATCH 16: three batches, the last partial
    const weights = join(dir, "w.safetensors");
    expect((await runCli(["train", "models/simple-rnn.yaml", "--data", trainData, "--epochs", "30", "--save", weights])).code).toBe(0);
    const evaluated = await runCli(["evaluate", "models/simple-rnn.yaml", "--weights", weights, "--data", testData, "--format", "json"]);
    expect(evaluated.code).toBe(0);
    const ours = JSON.parse(evaluated.stdout) as EvalJson;
    const theirs = JSON.parse(execFileSync(python, ["test/helpers/evaluate_reference.py", weights, testData], { encoding: "utf8" })) as { loss: number; accuracy: number; confusion: number[][]; precision: (number | null)[]; recall: (number | null)[] };
    expect(ours.count).toBe(37);
    expect(ours.loss).toBeCloseTo(theirs.loss, 5);
    expect(ours.accuracy).toBe(theirs.accuracy);
    expect(ours.confusion).toEqual(theirs.confusion);
    expect(ours.per_class?.map((c) => c.precision)).toEqual(theirs.precision);
    expect(ours.per_class?.map((c) => c.recall)).toEqual(theirs.recall);
    expect(ours.labels).toEqual(["0", "1", "2", "3", "4"]); // no class names in a --data checkpoint
    expect(ours.baselines).toBeUndefined();
  });
});

describe("rnnc evaluate refuses bad input with coded, positioned errors and exit 2", () => {
  const dataFile = (dir: string, shape: number[]) => {
    const path = join(dir, "d.safetensors");
    const size = shape.reduce((a, b) => a * b, 1);
    writeFileSync(path, writeSafetensors([
      { name: "x", tensor: { dtype: "F32", shape, data: new Float32Array(size) } },
      { name: "y", tensor: { dtype: "I32", shape: [shape[0] ?? 1], data: new Int32Array(shape[0] ?? 1) } },
    ]));
    return path;
  };

  it.each([
    ["missing weights", (dir: string) => ["evaluate", "models/simple-rnn.yaml", "--weights", join(dir, "none.safetensors"), "--data", dataFile(dir, [4, 7, 10])], "RNNC0001", /none\.safetensors:1:1/],
    ["data that does not fit the inputs", (dir: string) => ["evaluate", "models/simple-rnn.yaml", "--weights", "test/fixtures/seed/init.safetensors", "--data", dataFile(dir, [4, 7, 9])], "RNNC0041", /d\.safetensors:1:1/],
    ["--data with --csv", (dir: string) => ["evaluate", "models/seattle-weather.yaml", "--weights", "w.safetensors", "--data", dataFile(dir, [4, 7, 4]), "--csv", "x.csv"], "RNNC0165", /models\/seattle-weather\.yaml:1:1/],
    ["no data at all", () => ["evaluate", "models/simple-rnn.yaml", "--weights", "test/fixtures/seed/init.safetensors"], "RNNC0166", /models\/simple-rnn\.yaml:1:1/],
  ] as const)("%s", async (_, args, code, position) => {
    const dir = temporaryDirectory();
    const result = await runCli([...args(dir)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(code);
    expect(result.stderr).toMatch(position);
    expect(result.stderr).toContain("hint:");
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  it("weights of another architecture", async () => {
    const dir = temporaryDirectory();
    const weights = join(dir, "co2.safetensors");
    expect((await runCli(["train", "models/co2-forecast.yaml", "--epochs", "1", "--save", weights])).code).toBe(0);
    const result = await runCli(["evaluate", "models/seattle-weather.yaml", "--weights", weights]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0044");
    expect(result.stderr).toContain("co2.safetensors:1:1");
  });

  it("a CSV too short for one window with its target", async () => {
    const dir = temporaryDirectory();
    const weights = join(dir, "w.safetensors");
    expect((await runCli(["train", "models/seattle-weather.yaml", "--epochs", "1", "--save", weights])).code).toBe(0);
    const short = tailCsv(dir, seattle, 7);
    const result = await runCli(["evaluate", "models/seattle-weather.yaml", "--weights", weights, "--csv", short.path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0167");
    expect(result.stderr).toContain("new.csv:1:1");
  });
});
