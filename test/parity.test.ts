import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { datasetFromTensors } from "../src/runtime/dataset.ts";
import { readSafetensors, type TensorFile } from "../src/runtime/safetensors.ts";
import { train } from "../src/runtime/train.ts";
import { loadStateDict } from "../src/runtime/weights.ts";
import { compileSpecFile } from "./helpers/compile-module.ts";
import { gradientCheck } from "./helpers/gradcheck.ts";

/**
 * PyTorch parity: each folder in test/fixtures was written by tools/torch_fixtures.py from a real PyTorch run
 * (init weights, data, per-epoch losses, final weights). rnnc must reproduce every epoch's loss and every final weight.
 */
const root = "test/fixtures";
const cases = readdirSync(root).filter((name) => !name.startsWith("."));

function tensors(path: string): TensorFile {
  const parsed = readSafetensors(new Uint8Array(readFileSync(path)), path);
  if (parsed.file === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.file;
}

interface Expected {
  readonly epochs: number;
  readonly losses: readonly number[];
  readonly generator: string;
}

describe.each(cases)("fixture %s", (name) => {
  const dir = `${root}/${name}`;
  const expected = JSON.parse(readFileSync(`${dir}/expected.json`, "utf8")) as Expected;

  it("was produced by the committed PyTorch script", () => {
    expect(expected.generator).toBe("tools/torch_fixtures.py");
    expect(tensors(`${dir}/init.safetensors`).metadata["generator"]).toBe("tools/torch_fixtures.py");
  });

  it("trains to PyTorch's losses and final weights", async () => {
    const { module } = await compileSpecFile(`${dir}/model.yaml`);
    const model = module.createModel();
    expect(loadStateDict(module, model, tensors(`${dir}/init.safetensors`), "init")).toEqual([]);
    const data = datasetFromTensors(module, tensors(`${dir}/data.safetensors`), "data");
    expect(data.diagnostics).toEqual([]);
    if (data.dataset === undefined) return;

    const result = train(module, model, data.dataset, { epochs: expected.epochs, batchSize: module.TRAIN.batchSize });
    expect(result.divergence).toBeUndefined();
    const losses = result.epochs.map((record) => record.loss);
    expect(losses).toHaveLength(expected.losses.length);
    losses.forEach((loss, i) => {
      const tolerance = 1e-4 + 1e-3 * Math.abs(expected.losses[i]!) * (expected.epochs > 50 ? 1 : 0);
      expect(Math.abs(loss - expected.losses[i]!), `epoch ${i + 1}: ${loss} vs ${expected.losses[i]}`).toBeLessThanOrEqual(tolerance);
    });

    const final = tensors(`${dir}/final.safetensors`);
    let worst = 0;
    for (const parameter of module.PARAMETERS) {
      const reference = final.tensors.get(parameter.name);
      expect(reference?.shape).toEqual(parameter.shape);
      for (let i = 0; i < parameter.size; i++) {
        worst = Math.max(worst, Math.abs(Number(reference?.data[i]) - model.parameters[parameter.offset + i]!));
      }
    }
    expect(worst).toBeLessThanOrEqual(1e-3);
  });

  it("has gradients that match finite differences", async () => {
    const { module } = await compileSpecFile(`${dir}/model.yaml`, "float64");
    const { mismatches } = gradientCheck(module, { seed: 3, batchSize: module.MAX_BATCH, maxPerParameter: 40 });
    expect(mismatches).toEqual([]);
  });
});

