import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { compileInMemory, exportBytes, exportFixture, loadOnnxRuntime, outputShape, rnncForward, runOnnx, worstDifference } from "./helpers/onnx-runtime.ts";

/**
 * Every exported model, run by onnxruntime-web (WebAssembly backend, in Node), gives rnnc's own forward pass within
 * 1e-5: every PyTorch parity fixture (its trained final weights on its own data, padded sequences and lengths
 * included) and every example model (seeded init, dummy data). rnnc's forward is itself at parity with PyTorch
 * (test/parity.test.ts), so this checks the export's weight layouts, gate orders, transposes and masks.
 */
const tolerance = 1e-5;
const ort = await loadOnnxRuntime();
if (ort === undefined) console.log("onnx: skipped, onnxruntime-web cannot be loaded (npm ci installs it)");

const fixtures = readdirSync("test/fixtures").sort();
const models = readdirSync("models").filter((file) => file.endsWith(".yaml")).sort();

/** The largest difference seen in each case, printed at the end (the README quotes it). */
const worst = new Map<string, number>();
function agree(name: string, difference: number): void {
  worst.set(name, difference);
  expect(difference).toBeLessThanOrEqual(tolerance);
}
afterAll(() => {
  if (worst.size === 0) return;
  const [name, difference] = [...worst].reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`onnx: ${worst.size} models agree with onnxruntime; the largest difference is ${difference.toExponential(2)} (${name})`);
});

describe.skipIf(ort === undefined)("ONNX export agrees with onnxruntime", () => {
  it.each(fixtures)("fixture %s (trained weights, its data)", async (name) => {
    const { difference, dims, expectedDims } = await exportFixture(ort!, join("test/fixtures", name));
    expect(dims).toEqual(expectedDims);
    agree(name, difference);
  });

  it.each(models)("models/%s (seeded init, dummy data)", async (file) => {
    const specPath = `models/${file}`;
    const compiled = await compileInMemory(readFileSync(specPath, "utf8"), specPath);
    const model = compiled.module.createModel();
    initialiseParameters(compiled.module, model, new Random(11));
    const data = dummyDataset(compiled.module, new Random(12));
    const { steps, width } = outputShape(compiled.graph);
    const onnx = await runOnnx(ort!, exportBytes(compiled.graph, model.parameters), compiled.module, data);
    agree(specPath, worstDifference(onnx.values, rnncForward(compiled.module, model, data, steps, width)));
  });
});
