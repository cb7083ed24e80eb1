import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkParity, readExpected, readTensors } from "./helpers/parity.ts";

/**
 * PyTorch parity: each folder in test/fixtures was written by tools/torch_fixtures.py from a real PyTorch run
 * (init weights, data, per-epoch losses, final weights). rnnc must reproduce every epoch's loss and every final weight,
 * and its float64 gradients must match finite differences (test/helpers/parity.ts). test/torch-live.test.ts runs the
 * same check on fresh random cases when PyTorch is installed.
 */
const root = "test/fixtures";
const cases = readdirSync(root).filter((name) => !name.startsWith("."));

describe.each(cases)("fixture %s", (name) => {
  const dir = `${root}/${name}`;

  it("was produced by the committed PyTorch script", () => {
    const expected = readExpected(dir);
    expect(expected.case).toBe(name);
    expect(expected.generator).toBe("tools/torch_fixtures.py");
    expect(readTensors(`${dir}/init.safetensors`).metadata["generator"]).toBe("tools/torch_fixtures.py");
  });

  it("trains to PyTorch's losses and final weights, with gradients that match finite differences", async () => {
    expect((await checkParity(dir)).problems).toEqual([]);
  });
});
