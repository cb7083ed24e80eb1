import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble, split } from "./bad-data/cases.ts";
import { metadataCases, type MetadataCase } from "./bad-data/metadata-cases.ts";
import { runCli } from "./helpers/cli.ts";

/**
 * `rnnc predict` (and `train --init`) with a checkpoint whose preprocessing metadata was edited
 * (test/bad-data/metadata-cases.ts): exit 2, a coded diagnostic at the checkpoint's header (or at the CSV cell that
 * overflows), a hint, no stack trace, nothing predicted.
 */

const specs = { regression: "models/co2-forecast.yaml", classification: "models/seattle-weather.yaml" } as const;
const csvs = { regression: "models/data/co2-concentration.csv", classification: "models/data/seattle-weather.csv" } as const;
let scratch = "";
const trained: Record<MetadataCase["checkpoint"], Uint8Array> = { regression: new Uint8Array(), classification: new Uint8Array() };

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rnnc-bad-metadata-"));
  for (const task of ["regression", "classification"] as const) {
    const path = join(scratch, `${task}.safetensors`);
    const result = await runCli(["train", specs[task], "--epochs", "1", "--save", path]);
    expect(result.code).toBe(0);
    trained[task] = new Uint8Array(readFileSync(path));
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The trained checkpoint with `__metadata__.preprocessing` replaced by the case's edit. */
function edited(task: MetadataCase["checkpoint"], edit: MetadataCase["edit"]): Uint8Array {
  const parts = split(trained[task]);
  const metadata = parts.header["__metadata__"] as Record<string, string>;
  const stored = JSON.parse(metadata["preprocessing"] ?? "{}") as Record<string, unknown>;
  parts.header["__metadata__"] = { ...metadata, preprocessing: edit(stored) };
  return assemble(parts);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the checkpoints these cases start from", () => {
  it("predict cleanly", async () => {
    for (const task of ["regression", "classification"] as const) {
      const path = join(scratch, `${task}.safetensors`);
      const result = await runCli(["predict", specs[task], "--weights", path, "--last", "1"]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
    }
  });
});

describe.each(metadataCases.map((c, index) => ({ ...c, index })))("$checkpoint: $name", ({ checkpoint, edit, code, at, index }) => {
  it(`predict exits 2 with ${code}, a hint, no stack trace, and predicts nothing`, async () => {
    const path = join(scratch, `bad-${index}.safetensors`);
    writeFileSync(path, edited(checkpoint, edit));
    const result = await runCli(["predict", specs[checkpoint], "--weights", path]);
    const file = at === "csv" ? csvs[checkpoint] : relative(process.cwd(), path);
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).toMatch(new RegExp(`^${escape(file)}:\\d+:\\d+: error ${code}:`, "m"));
    expect(result.stderr).toMatch(/^ {2}hint: \S/m);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
  });
});

describe("train --init", () => {
  it("refuses a checkpoint with invalid preprocessing before any epoch runs", async () => {
    const path = join(scratch, "init.safetensors");
    writeFileSync(path, edited("classification", () => "null"));
    const result = await runCli(["train", specs.classification, "--init", path, "--epochs", "1"]);
    expect(result.stderr).toMatch(/error RNNC0100: the checkpoint's metadata is invalid: `preprocessing` must be of type object/);
    expect(result).toMatchObject({ code: 2, stdout: "" });
  });
});

describe("a checkpoint with thousands of problems", () => {
  it("gets ten diagnostics, the last counting the rest", async () => {
    const path = join(scratch, "many.safetensors");
    writeFileSync(path, edited("classification", (stored) => JSON.stringify({ ...stored, featureStd: Array<number>(5000).fill(0) })));
    const result = await runCli(["predict", specs.classification, "--weights", path, "--diagnostics", "json"]);
    const diagnostics = JSON.parse(result.stderr) as { code: string; message: string }[];
    expect(diagnostics).toHaveLength(10);
    expect(diagnostics.every((d) => d.code === "RNNC0100")).toBe(true);
    expect(diagnostics[9]?.message).toMatch(/and 4990 more/);
  });
});
