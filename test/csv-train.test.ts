import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readSafetensors } from "../src/runtime/safetensors.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/** The two real-data examples, trained through the CLI as the README shows, and the CSV path's failure modes. */
interface EvalRecord {
  event: "eval";
  split: string;
  accuracy?: number;
  rmse?: number;
  mae?: number;
  baselines: Record<string, { accuracy?: number; rmse?: number }>;
}

function evals(stdout: string): EvalRecord[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record): record is EvalRecord & Record<string, unknown> => record["event"] === "eval");
}

describe("models/seattle-weather.yaml", () => {
  it("beats the majority-class baseline on the test split, reproducibly, logging val_loss per epoch", async () => {
    const first = await runCli(["train", "models/seattle-weather.yaml", "--log-format", "json"]);
    expect(first.code).toBe(0);
    const epochs = first.stdout.split("\n").filter((line) => line.startsWith('{"epoch"')).map((line) => JSON.parse(line) as { val_loss?: number });
    expect(epochs.length).toBeGreaterThan(5);
    expect(epochs.every((record) => typeof record.val_loss === "number")).toBe(true);
    const test = evals(first.stdout).find((record) => record.split === "test");
    expect(test?.accuracy).toBeGreaterThan((test?.baselines["majority"]?.accuracy ?? 1) + 0.1);
    const second = await runCli(["train", "models/seattle-weather.yaml", "--log-format", "json"]);
    expect(second.stdout).toBe(first.stdout);
  });

  it("saves normalisation and labels with the weights, and predicts class names from them", async () => {
    const dir = temporaryDirectory();
    const checkpoint = join(dir, "w.safetensors");
    expect((await runCli(["train", "models/seattle-weather.yaml", "--epochs", "3", "--save", checkpoint])).code).toBe(0);
    const file = readSafetensors(new Uint8Array(readFileSync(checkpoint)), "w").file;
    const preprocessing = JSON.parse(file?.metadata["preprocessing"] ?? "{}") as { labels: string[]; featureMean: number[] };
    expect(preprocessing.labels).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    expect(preprocessing.featureMean).toHaveLength(4);
    const predicted = await runCli(["predict", "models/seattle-weather.yaml", "--weights", checkpoint, "--last", "2", "--format", "json"]);
    expect(predicted.code).toBe(0);
    const lines = predicted.stdout.trim().split("\n").map((line) => JSON.parse(line) as { after: string; prediction: string; probabilities: Record<string, number> });
    expect(lines.map((line) => line.after)).toEqual(["2015-12-30", "2015-12-31"]);
    for (const line of lines) {
      expect(preprocessing.labels).toContain(line.prediction);
      expect(Object.values(line.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
  });
});

describe("models/co2-forecast.yaml", () => {
  it("beats persistence and seasonal-naive on test RMSE, in ppm", async () => {
    const result = await runCli(["train", "models/co2-forecast.yaml", "--log-format", "json"]);
    expect(result.code).toBe(0);
    const test = evals(result.stdout).find((record) => record.split === "test");
    expect(test?.rmse).toBeLessThan(test?.baselines["persistence"]?.rmse ?? 0);
    expect(test?.rmse).toBeLessThan(test?.baselines["seasonal_naive"]?.rmse ?? 0);
  });
});

describe("CSV data errors", () => {
  const repo = process.cwd();
  function project(csv: string, edit: (spec: string) => string = (spec) => spec): string {
    const dir = temporaryDirectory();
    mkdirSync(join(dir, "models"));
    writeFileSync(join(dir, "models/weather.csv"), csv);
    const spec = readFileSync(resolve(repo, "models/seattle-weather.yaml"), "utf8").replace("data/seattle-weather.csv", "weather.csv");
    writeFileSync(join(dir, "models/m.yaml"), edit(spec));
    return dir;
  }
  const good = readFileSync("models/data/seattle-weather.csv", "utf8");

  it("a non-numeric cell is reported at its CSV line and field, exit 2", async () => {
    const lines = good.split("\n");
    lines[5] = lines[5]!.replace(/^([^,]*),[^,]*,/, "$1,n/a,");
    const result = await runCli(["train", "models/m.yaml"], project(lines.join("\n")));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^models\/weather\.csv:6:2: error RNNC0083: .*row 5, column `precipitation`/m);
  });

  it("a missing column is named, with a suggestion", async () => {
    const result = await runCli(["train", "models/m.yaml"], project(good.replace("temp_max", "tempmax")));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0081");
    expect(result.stderr).toContain("`tempmax`");
  });

  it("a missing CSV file points at data.csv in the spec", async () => {
    const dir = project(good);
    copyFileSync(join(dir, "models/m.yaml"), join(dir, "models/n.yaml"));
    writeFileSync(join(dir, "models/n.yaml"), readFileSync(join(dir, "models/n.yaml"), "utf8").replace("weather.csv", "nope.csv"));
    const result = await runCli(["train", "models/n.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^models\/n\.yaml:22:8: error RNNC0001: cannot read models\/nope\.csv: no such file/m);
  });

  it("a window that disagrees with the input's sequence length is a compile error", async () => {
    const dir = project(good, (spec) => spec.replace("window: 7", "window: 5"));
    const result = await runCli(["compile", "models/m.yaml", "--out-dir", "out"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error RNNC0034: the windows are 5 steps long, but `x` is \[batch, 7, 4\]/);
  });

  it("a class count that disagrees with out_features is reported at data.target", async () => {
    const dir = project(good, (spec) => spec.replace("out_features: 5", "out_features: 4"));
    const result = await runCli(["train", "models/m.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^models\/m\.yaml:\d+:11: error RNNC0034: the target column `weather` holds 5 classes/m);
  });

  it("weights of another architecture are refused naming the tensor; another lr is the same architecture", async () => {
    const dir = temporaryDirectory();
    const checkpoint = join(dir, "w.safetensors");
    await runCli(["train", "models/simple-rnn.yaml", "--epochs", "1", "--save", checkpoint]);
    const other = join(dir, "other.yaml");
    writeFileSync(other, readFileSync("models/simple-rnn.yaml", "utf8").replace("out_features: 5", "out_features: 4"));
    const result = await runCli(["train", other, "--init", checkpoint]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0044: `fc.weight` has shape [5, 20], but the spec needs [4, 20]");
    const relearned = join(dir, "relearned.yaml");
    writeFileSync(relearned, readFileSync("models/simple-rnn.yaml", "utf8").replace("lr: 0.001", "lr: 0.002"));
    expect((await runCli(["train", relearned, "--init", checkpoint, "--epochs", "1"])).code).toBe(0);
  });
});
