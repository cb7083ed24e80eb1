// The programmatic API (src/index.ts): the same results as the CLI, diagnostics as values, nothing printed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { codes, compile, compileFile, formatDiagnostic, predict, train, type EpochLog } from "../src/index.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

// Every call below must print nothing: a library reports through its return values.
let writes: string[] = [];
beforeEach(() => {
  writes = [];
  const record = (text: string | Uint8Array): boolean => (writes.push(String(text)), true);
  vi.spyOn(process.stdout, "write").mockImplementation(record);
  vi.spyOn(process.stderr, "write").mockImplementation(record);
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(writes).toEqual([]);
});

describe("compile and compileFile", () => {
  it("compileFile gives the committed generated file byte for byte, from any working directory", () => {
    const committed = readFileSync("generated/simple-rnn.ts", "utf8");
    for (const [path, cwd] of [["models/simple-rnn.yaml", process.cwd()], ["simple-rnn.yaml", join(process.cwd(), "models")]] as const) {
      const result = compileFile(path, { cwd });
      expect(result.diagnostics).toEqual([]);
      expect(result.files.map((file) => file.path)).toEqual(["simple-rnn.ts"]);
      expect(result.files[0]?.content).toBe(committed);
    }
  });

  it("a bad spec gives positioned diagnostics with hints as values, and no files", () => {
    const source = readFileSync("models/simple-rnn.yaml", "utf8").replace("hidden_size: 20", "hiden_size: 20");
    const result = compile(source, { specPath: "bad.yaml" });
    expect(result.files).toEqual([]);
    expect(result.diagnostics[0]).toMatchObject({ code: codes.unknownKey, severity: "error", file: "bad.yaml", line: 13, column: 5 });
    expect(result.diagnostics[0]?.hint).toContain("hidden_size");
    expect(formatDiagnostic(result.diagnostics[0]!, source)).toMatch(/^bad\.yaml:13:5: error RNNC0010: unknown key `hiden_size`/);
  });

  it("a missing file is a diagnostic, not an exception", () => {
    expect(compileFile("models/nope.yaml").diagnostics).toMatchObject([{ code: codes.fileUnreadable, file: "models/nope.yaml" }]);
  });
});

describe("train", () => {
  it("trains a PyTorch fixture from its init and data to PyTorch's losses, reporting each epoch as it ends", async () => {
    const dir = "test/fixtures/seed";
    const expected = JSON.parse(readFileSync(`${dir}/expected.json`, "utf8")) as { losses: number[] };
    const live: EpochLog[] = [];
    const result = await train(`${dir}/model.yaml`, { init: `${dir}/init.safetensors`, data: `${dir}/data.safetensors`, onEpoch: (epoch) => live.push(epoch) });
    expect(result).toMatchObject({ ok: true, exitCode: 0, diagnostics: [], evaluations: [] });
    expect(result.epochs).toHaveLength(expected.losses.length);
    result.epochs.forEach((epoch, i) => expect(Math.abs(epoch.loss - expected.losses[i]!)).toBeLessThan(1e-4));
    expect(live).toEqual(result.epochs);
  });

  it("resumes a saved run: 3 + 3 epochs give the losses of 6 in one go", async () => {
    const saved = join(temporaryDirectory(), "half.safetensors");
    const whole = await train("models/simple-rnn.yaml", { epochs: 6 });
    const first = await train("models/simple-rnn.yaml", { epochs: 3, save: saved });
    const rest = await train("models/simple-rnn.yaml", { epochs: 6, resume: saved });
    expect([first.ok, rest.ok]).toEqual([true, true]);
    expect([...first.epochs, ...rest.epochs].map((epoch) => epoch.loss)).toEqual(whole.epochs.map((epoch) => epoch.loss));
  });

  it("a bad option or a bad file comes back as a diagnostic with the CLI's exit code", async () => {
    const zero = await train("models/simple-rnn.yaml", { epochs: 0 });
    expect(zero).toMatchObject({ ok: false, exitCode: 2, epochs: [], diagnostics: [{ code: codes.apiOption, file: "models/simple-rnn.yaml" }] });
    expect(zero.diagnostics[0]?.message).toContain("`epochs`");
    const missing = await train("models/simple-rnn.yaml", { init: "nope.safetensors", epochs: 1 });
    expect(missing).toMatchObject({ ok: false, exitCode: 2, epochs: [], diagnostics: [{ code: codes.fileUnreadable }] });
  });
});

describe("predict", () => {
  it("trains on a CSV, saves, and predicts the same windows as the CLI, with the CSV's own dates", async () => {
    const dir = temporaryDirectory();
    const weights = join(dir, "w.safetensors");
    const trained = await train("models/seattle-weather.yaml", { epochs: 2, save: weights });
    expect(trained.ok).toBe(true);
    expect(trained.epochs.map((epoch) => epoch.epoch)).toEqual([1, 2]);
    expect(trained.epochs.every((epoch) => epoch.valLoss !== undefined && Number.isFinite(epoch.valLoss))).toBe(true);
    expect(trained.evaluations.map((evaluation) => evaluation["split"])).toEqual(["validation", "test"]);

    const result = await predict("models/seattle-weather.yaml", { weights, last: 3 });
    expect(result).toMatchObject({ ok: true, exitCode: 0, diagnostics: [] });
    const cli = await runCli(["predict", "models/seattle-weather.yaml", "--weights", weights, "--last", "3", "--format", "json"]);
    expect(result.predictions).toEqual(cli.stdout.trim().split("\n").map((line) => JSON.parse(line) as unknown));

    // The last three windows end on the CSV's last three dates: predict forecasts past the data (the newest window's
    // next day), unlike training, whose windows need a target row.
    const dates = readFileSync("models/data/seattle-weather.csv", "utf8").trim().split("\n").slice(1).map((row) => row.split(",")[0]);
    expect(result.predictions.map((p) => p["after"])).toEqual(dates.slice(-3));
    for (const prediction of result.predictions) {
      const probabilities = Object.values(prediction["probabilities"] as Record<string, number>);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }

    const bad = await predict("models/seattle-weather.yaml", { weights, last: -1 });
    expect(bad.diagnostics).toMatchObject([{ code: codes.apiOption }]);
    const noWeights = await predict("models/seattle-weather.yaml", { weights: join(dir, "none.safetensors") });
    expect(noWeights).toMatchObject({ ok: false, exitCode: 2, predictions: [], diagnostics: [{ code: codes.fileUnreadable }] });
  });
});
