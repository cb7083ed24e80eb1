import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../src/cli/main.ts";
import { badFileCases, split, type BadFileCase } from "./bad-data/cases.ts";
import { goodFileCases, moreBadFileCases } from "./bad-data/more-cases.ts";

/**
 * `rnnc train` on the seed spec with one bad file (test/bad-data/cases.ts) and the other one good:
 * exit 2, a `file:line:col: error CODE:` diagnostic naming the bad file, a hint, no stack trace, no training.
 */

const seed = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "seed");
const good = { data: new Uint8Array(readFileSync(join(seed, "data.safetensors"))), init: new Uint8Array(readFileSync(join(seed, "init.safetensors"))) };
let scratch = "";

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "rnnc-bad-data-"));
  copyFileSync(join(seed, "model.yaml"), join(scratch, "model.yaml"));
  writeFileSync(join(scratch, "data.safetensors"), good.data);
  writeFileSync(join(scratch, "init.safetensors"), good.init);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function train(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(["train", "model.yaml", "--quiet", ...args], { cwd: scratch, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the fixtures these cases start from", () => {
  it("are as the cases assume", () => {
    const data = split(good.data).header;
    expect(data["x"]).toEqual({ dtype: "F32", shape: [16, 7, 10], data_offsets: [0, 4480] });
    expect(data["y"]).toEqual({ dtype: "I64", shape: [16], data_offsets: [4480, 4608] });
    expect(split(good.init).header["fc.bias"]).toEqual({ dtype: "F32", shape: [5], data_offsets: [2960, 2980] });
  });

  it("train cleanly together", async () => {
    const result = await train(["--data", "data.safetensors", "--init", "init.safetensors", "--epochs", "1"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });
});

/** Puts the bad thing at `scratch/name`. */
function place(name: string, make: BadFileCase["make"], file: "data" | "init"): void {
  const path = join(scratch, name);
  if (make === "directory") mkdirSync(path);
  else if (make === "fifo") execFileSync("mkfifo", [path]);
  else if (make === "dev-zero") symlinkSync("/dev/zero", path);
  else if (make === "link-loop") symlinkSync(name, path);
  else if (make !== "missing") writeFileSync(path, make(good[file]));
}

describe.each([...badFileCases, ...moreBadFileCases].map((c, index) => ({ ...c, index })))("$file: $name", ({ file, make, code, index }) => {
  it(`exits 2 with ${code} on the bad file, a hint, and no stack trace`, async () => {
    const bad = `bad-${index}.safetensors`;
    place(bad, make, file);
    const data = file === "data" ? bad : "data.safetensors";
    const init = file === "init" ? bad : "init.safetensors";

    const result = await train(["--data", data, "--init", init]);

    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).toMatch(new RegExp(`^${escape(bad)}:\\d+:\\d+: error ${code}:`, "m"));
    expect(result.stderr).toMatch(/^ {2}hint: \S/m);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
  });
});

describe.each(goodFileCases.map((c, index) => ({ ...c, index })))("odd but valid $file: $name", ({ file, make, index }) => {
  it("trains", async () => {
    const odd = `odd-${index}.safetensors`;
    writeFileSync(join(scratch, odd), make(good[file]));
    const result = await train(["--data", file === "data" ? odd : "data.safetensors", "--init", file === "init" ? odd : "init.safetensors", "--epochs", "1"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
  });
});
