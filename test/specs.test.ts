import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import { gradientCheck } from "./helpers/gradcheck.ts";
import { typecheckModule } from "./helpers/typecheck.ts";

/**
 * Good specs that once broke the compiler: test/specs/<case>/model.yaml. Each must compile without diagnostics,
 * type-check on its own under strict settings, train a few steps with finite losses, and match central finite
 * differences in a float64 build.
 */
const cases = readdirSync("test/specs")
  .filter((name) => statSync(join("test/specs", name)).isDirectory())
  .sort();

describe.each(cases)("test/specs/%s", (name) => {
  const specPath = `test/specs/${name}/model.yaml`;
  const source = readFileSync(specPath, "utf8");
  const result = compile(source, { specPath });
  const file = result.files[0];

  it("compiles without diagnostics, to a module that type-checks on its own", () => {
    expect(result.diagnostics).toEqual([]);
    expect(typecheckModule(file?.path ?? "model.ts", file?.content ?? "")).toEqual([]);
  });

  it("trains a few steps with finite losses", async () => {
    const module = await loadGeneratedModule(file?.content ?? "");
    const model = module.createModel();
    const random = new Random(module.TRAIN.seed);
    initialiseParameters(module, model, random);
    const data = dummyDataset(module, random);
    const losses = Array.from({ length: 5 }, () => model.trainStep(data.inputs, module.MAX_BATCH));
    expect(losses.every(Number.isFinite), String(losses)).toBe(true);
    expect(losses[4]!).toBeLessThan(losses[0]!);
  });

  it("matches central finite differences for every parameter (float64 build, partial batch)", async () => {
    const float64 = compile(source, { specPath, precision: "float64" }).files[0];
    const module = await loadGeneratedModule(float64?.content ?? "");
    const { mismatches, checked } = gradientCheck(module, { seed: 3, batchSize: module.MAX_BATCH - 1, maxPerParameter: 16 });
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(module.PARAMETERS.length);
  });
});
