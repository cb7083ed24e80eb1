import { readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, temporaryDirectory, type CliRun } from "./helpers/cli.ts";
import { epochLines, python, runScripts, torchAvailable, type ScriptRun } from "./helpers/pytorch-cases.ts";

/**
 * `compile --target pytorch` for specs with a CSV `data` section: the script reads the spec's CSV as rnnc does. From
 * the same init (saved by rnnc), its per-epoch training and validation losses (and accuracies) must be rnnc train's
 * within 1e-4; the preprocessing it stores must be rnnc's (numbers within 1e-9); its checkpoint must serve
 * `rnnc predict` and give `rnnc evaluate` the metrics rnnc's own identically trained checkpoint gives. The reference
 * is rnnc itself (whose losses test/pytorch-target.test.ts ties to PyTorch's). Skipped, with a note, without torch.
 */
const tolerance = 1e-4;
const specs = ["seattle-weather", "co2-forecast"] as const;

if (!torchAvailable) console.log(`pytorch-data: parity skipped, ${python} cannot import torch (apt-get install python3-torch to run it)`);

interface Metadata {
  readonly preprocessing?: string;
}

function metadataOf(path: string): Metadata {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8")) as { __metadata__?: Metadata };
  return header.__metadata__ ?? {};
}

/** Same keys in the same order, equal strings, numbers within `within`. */
function expectClose(actual: unknown, expected: unknown, within: number, path = "preprocessing"): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    expect(Math.abs((actual as number) - expected), `${path}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(within);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => expectClose((actual as unknown[])[i], item, within, `${path}[${i}]`));
  } else if (typeof expected === "object" && expected !== null) {
    expect(Object.keys(actual as object), path).toEqual(Object.keys(expected));
    for (const [key, item] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], item, within, `${path}.${key}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

const evaluation = (run: CliRun): Record<string, number> => JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;

describe("compile --target pytorch with a CSV data section (compiler side)", () => {
  const dir = temporaryDirectory();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("embeds the data section and the spec's folder as seen from the script, the same from any working directory", async () => {
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", join(dir, "a"), "models/co2-forecast.yaml"])).code).toBe(0);
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", join(dir, "b"), join(process.cwd(), "models/co2-forecast.yaml")], "/")).code).toBe(0);
    const text = readFileSync(join(dir, "a", "co2-forecast.py"), "utf8");
    expect(text).toBe(readFileSync(join(dir, "b", "co2-forecast.py"), "utf8"));
    expect(text).toContain('DATA_SECTION = "csv"');
    expect(text).toContain('"csv": "data/co2-concentration.csv"');
    expect(text).toContain('"transform": "difference"');
    // the spec's folder relative to the output folder, links resolved (a clone in /tmp shares part of the way)
    const expected = relative(realpathSync(join(dir, "a")), realpathSync(join(process.cwd(), "models")));
    expect(text).toContain(`"spec_folder": "${expected}"`);
  });

  it("a text data section is marked as such (the script refuses it) rather than read as no data", async () => {
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", join(dir, "c"), "models/name-gender.yaml"])).code).toBe(0);
    expect(readFileSync(join(dir, "c", "name-gender.py"), "utf8")).toContain('DATA_SECTION = "text"');
  });
});

describe.skipIf(!torchAvailable)("compile --target pytorch reads the spec's CSV as rnnc train does", () => {
  const dir = temporaryDirectory();
  const rnnc = new Map<string, CliRun>();
  const script = new Map<string, ScriptRun>();
  const saved = (spec: string, who: "rnnc" | "py"): string => join(dir, `${spec}.${who}.safetensors`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", dir, ...specs.map((spec) => `models/${spec}.yaml`)])).code).toBe(0);
    const jobs = [];
    for (const spec of specs) {
      const init = join(dir, `${spec}.init.safetensors`);
      expect((await runCli(["train", `models/${spec}.yaml`, "--epochs", "1", "--quiet", "--save", init])).code).toBe(0);
      rnnc.set(spec, await runCli(["train", `models/${spec}.yaml`, "--epochs", "3", "--quiet", "--log-format", "json", "--init", init, "--save", saved(spec, "rnnc")]));
      jobs.push({ script: join(dir, `${spec}.py`), argv: ["train", "--epochs", "3", "--log-format", "json", "--init", init, "--save", saved(spec, "py")] });
    }
    runScripts(jobs).forEach((run, i) => script.set(specs[i] ?? "", run));
  }, 600_000);

  for (const spec of specs) {
    it(`${spec}: per-epoch training and validation losses (and accuracies) equal rnnc train's`, () => {
      const ours = script.get(spec);
      expect(ours?.code, ours?.stderr).toBe(0);
      const expected = epochLines(rnnc.get(spec)?.stdout ?? "") as (ReturnType<typeof epochLines>[number] & { accuracy?: number; val_accuracy?: number })[];
      const actual = epochLines(ours?.stdout ?? "") as typeof expected;
      expect(expected.length).toBe(3);
      expect(actual.length).toBe(3);
      expected.forEach((line, i) => {
        const got = actual[i];
        expect(got?.epoch).toBe(line.epoch);
        expect(got?.lr).toBe(line.lr);
        for (const key of ["loss", "val_loss", "accuracy", "val_accuracy"] as const) {
          expect(got?.[key] === undefined, `${key} present in one log only`).toBe(line[key] === undefined);
          if (line[key] !== undefined) expect(Math.abs((got?.[key] ?? NaN) - line[key]), `epoch ${line.epoch} ${key}`).toBeLessThanOrEqual(tolerance);
        }
      });
    });

    it(`${spec}: the checkpoint stores rnnc's preprocessing`, () => {
      const expected = metadataOf(saved(spec, "rnnc")).preprocessing;
      const actual = metadataOf(saved(spec, "py")).preprocessing;
      expect(expected).toBeDefined();
      expect(actual).toBeDefined();
      expectClose(JSON.parse(actual ?? "null"), JSON.parse(expected ?? "null"), 1e-9);
    });

    it(`${spec}: rnnc predict accepts the script's checkpoint, and rnnc evaluate scores it as rnnc's own`, async () => {
      const predicted = await runCli(["predict", `models/${spec}.yaml`, "--weights", saved(spec, "py"), "--last", "1"]);
      expect(predicted.code, predicted.stderr).toBe(0);
      expect(predicted.stdout.trim().split("\n")).toHaveLength(1);
      const theirs = evaluation(await runCli(["evaluate", `models/${spec}.yaml`, "--weights", saved(spec, "rnnc"), "--format", "json"]));
      const ours = evaluation(await runCli(["evaluate", `models/${spec}.yaml`, "--weights", saved(spec, "py"), "--format", "json"]));
      const metric = spec === "seattle-weather" ? "accuracy" : "mae";
      expect(theirs[metric]).toBeTypeOf("number");
      expect(Math.abs((ours[metric] ?? NaN) - (theirs[metric] ?? NaN))).toBeLessThanOrEqual(tolerance);
      expect(Math.abs((ours["loss"] ?? NaN) - (theirs["loss"] ?? NaN))).toBeLessThanOrEqual(tolerance);
    });
  }
});

describe.skipIf(!torchAvailable)("the PyTorch script's CSV problems and refusals", () => {
  const dir = temporaryDirectory();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("weights a --data run saves load into rnnc evaluate --data, scoring as rnnc's own", async () => {
    const fixture = join("test", "fixtures", "gru-1");
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", dir, join(fixture, "model.yaml")])).code).toBe(0);
    const name = (/^name: (.+)$/m.exec(readFileSync(join(fixture, "model.yaml"), "utf8")) ?? [])[1] ?? "";
    const args = ["--init", join(fixture, "init.safetensors"), "--data", join(fixture, "data.safetensors"), "--epochs", "2"];
    const [run] = runScripts([{ script: join(dir, `${name}.py`), argv: ["train", ...args, "--save", join(dir, "py.safetensors")] }]);
    expect(run?.code, run?.stderr).toBe(0);
    expect((await runCli(["train", join(fixture, "model.yaml"), ...args, "--quiet", "--save", join(dir, "rnnc.safetensors")])).code).toBe(0);
    const score = async (weights: string) => {
      const result = await runCli(["evaluate", join(fixture, "model.yaml"), "--weights", weights, "--data", join(fixture, "data.safetensors"), "--format", "json"]);
      expect(result.code, result.stderr).toBe(0);
      return evaluation(result);
    };
    const ours = await score(join(dir, "py.safetensors"));
    const theirs = await score(join(dir, "rnnc.safetensors"));
    expect(ours["loss"]).toBeTypeOf("number");
    expect(Math.abs((ours["loss"] ?? NaN) - (theirs["loss"] ?? NaN))).toBeLessThanOrEqual(tolerance);
  });

  it("a bad cell is reported with rnnc's code at rnnc's line and field; text data and time_format are refused (RNNC0192)", async () => {
    const lines = readFileSync("models/data/seattle-weather.csv", "utf8").split("\n");
    lines[5] = (lines[5] ?? "").replace(/,[0-9.]+,/, ",1.2.3,");
    writeFileSync(join(dir, "bad.csv"), lines.join("\n"));
    const spec = readFileSync("models/seattle-weather.yaml", "utf8");
    const absolute = (csv: string, name: string) => spec.replace("csv: data/seattle-weather.csv", `csv: ${csv}`).replace("name: seattle-weather", `name: ${name}`);
    writeFileSync(join(dir, "formatted.yaml"), absolute(`${join(process.cwd(), "models/data/seattle-weather.csv")}\n  time_format: YYYY-MM-DD`, "seattle-formatted"));
    writeFileSync(join(dir, "bad.yaml"), absolute(join(dir, "bad.csv"), "seattle-bad"));
    const out = join(dir, "out");
    for (const path of ["models/seattle-weather.yaml", "models/name-gender.yaml", join(dir, "formatted.yaml")]) expect((await runCli(["compile", "--target", "pytorch", "--out-dir", out, path])).code).toBe(0);
    const [bad, text, formatted] = runScripts([
      { script: join(out, "seattle-weather.py"), argv: ["train", "--epochs", "1", "--csv", join(dir, "bad.csv")] },
      { script: join(out, "name-gender.py"), argv: ["train", "--epochs", "1"] },
      { script: join(out, "seattle-formatted.py"), argv: ["train", "--epochs", "1"] },
    ]);
    const reference = await runCli(["train", join(dir, "bad.yaml"), "--epochs", "1", "--allow-external-data"]);
    const position = /:(\d+:\d+): error (RNNC\d{4})/.exec(reference.stderr);
    expect(bad?.code).toBe(2);
    expect(position).not.toBeNull();
    expect(bad?.stderr).toContain(`bad.csv:${position?.[1]}: error ${position?.[2]}`);
    expect(text?.code).toBe(2);
    expect(text?.stderr).toContain("error RNNC0192: this script cannot read the spec's text data section");
    expect(formatted?.code).toBe(2);
    expect(formatted?.stderr).toContain("error RNNC0192: this script does not read times written as data.time_format");
  }, 120_000);
});
