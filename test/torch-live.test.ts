import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkParity } from "./helpers/parity.ts";

/**
 * Parity beyond the committed fixtures: where Debian's python3-torch is installed, tools/torch_fixtures.py writes a few
 * fresh random cases into a temp folder, and each must pass the same check as test/fixtures. One case in three reads
 * a whole float sequence (any cell, 1-3 layers, either direction, odd sizes, partial batches, ce or mse); the others
 * read padded sequences (token ids through an embedding or floats, packed or not, with lengths) and end in turn with
 * per-step outputs (ignore_index targets, language models), last_step, mean_pool and max_pool, so the default six
 * hold one of each. RNNC_LIVE_FIXTURES sets how many (default 6), RNNC_LIVE_SEED which ones (default 1); the same seed
 * always gives the same cases. Without torch: reported skipped.
 */
const python = "/usr/bin/python3";

function integerFromEnv(name: string, fallback: number, minimum: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) throw new Error(`${name} must be an integer ≥ ${minimum}, not "${text}"`);
  return value;
}

const count = integerFromEnv("RNNC_LIVE_FIXTURES", 6, 1);
const seed = integerFromEnv("RNNC_LIVE_SEED", 1, 0);
const torchAvailable = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
const root = torchAvailable ? mkdtempSync(join(tmpdir(), "rnnc-live-")) : undefined;

if (root === undefined) {
  console.log(`torch-live: skipped, ${python} cannot import torch (apt-get install python3-torch to run it)`);
} else {
  const args = ["tools/torch_fixtures.py", "--random", String(count), "--seed", String(seed)];
  console.log(`torch-live: ${count} random cases from seed ${seed}; to keep them: ${python} ${args.join(" ")} --out DIR`);
  execFileSync(python, [...args, "--out", root], { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
}
const cases = root === undefined ? [] : readdirSync(root).sort().map((name) => ({ name, dir: join(root, name) }));

describe.skipIf(root === undefined)(`parity with a live PyTorch run (seed ${seed})`, () => {
  afterAll(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it(`wrote ${count} cases`, () => {
    expect(cases).toHaveLength(count);
  });

  it.each(cases)("$name trains to PyTorch's losses and weights, with checked gradients", async ({ name, dir }) => {
    const report = await checkParity(dir);
    expect(report.problems).toEqual([]);
    console.log(`${name}: losses within ${report.worstLossError.toExponential(1)}, weights within ${report.worstWeightError.toExponential(1)} (${report.worstWeight ?? "none"})`);
  });
});
