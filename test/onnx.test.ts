import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { staticSize } from "../src/ir/types.ts";
import { datasetFromTensors, dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { loadStateDict } from "../src/runtime/weights.ts";
import { readTensors } from "./helpers/parity.ts";
import { compileInMemory, exportBytes, loadOnnxRuntime, rnncForward, runOnnx, worstDifference, type Compiled } from "./helpers/onnx-runtime.ts";

/**
 * Every exported model, run by onnxruntime-web (WebAssembly backend, in Node), gives rnnc's own forward pass within
 * 1e-5: every PyTorch parity fixture (its trained final weights on its own data, padded sequences and lengths
 * included) and every example model (seeded init, dummy data). rnnc's forward is itself at parity with PyTorch
 * (test/parity.test.ts), so this checks the export's weight layouts, gate orders, transposes and masks.
 */
const tolerance = 1e-5;
const ort = await loadOnnxRuntime();
if (ort === undefined) console.log("onnx: skipped, onnxruntime-web cannot be loaded (npm ci installs it)");

/** The prediction's shape per sample: [steps, width], steps 1 when it is not a sequence. */
function outputShape({ graph }: Compiled): { steps: number; width: number } {
  const node = graph.layers.find((layer) => layer.id === graph.loss.input)!;
  const sizes = node.type.dims.slice(1).map((dim) => staticSize(dim) ?? 0);
  return sizes.length === 2 ? { steps: sizes[0]!, width: sizes[1]! } : { steps: 1, width: sizes[0]! };
}

const fixtures = readdirSync("test/fixtures").sort();
const models = readdirSync("models").filter((file) => file.endsWith(".yaml")).sort();

/** The largest difference seen in each case, printed at the end (the README quotes it). */
const worst = new Map<string, number>();
function agree(name: string, onnx: ArrayLike<number>, rnnc: ArrayLike<number>): void {
  const difference = worstDifference(onnx, rnnc);
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
    const dir = join("test/fixtures", name);
    const compiled = await compileInMemory(readFileSync(join(dir, "model.yaml"), "utf8"), join(dir, "model.yaml"));
    const model = compiled.module.createModel();
    expect(loadStateDict(compiled.module, model, readTensors(join(dir, "final.safetensors")), "final")).toEqual([]);
    const data = datasetFromTensors(compiled.module, readTensors(join(dir, "data.safetensors")), "data").dataset!;
    const { steps, width } = outputShape(compiled);
    const onnx = await runOnnx(ort!, exportBytes(compiled.graph, model.parameters), compiled.module, data);
    expect(onnx.dims).toEqual(steps === 1 ? [data.count, width] : [data.count, steps, width]);
    agree(name, onnx.values, rnncForward(compiled.module, model, data, steps, width));
  });

  it.each(models)("models/%s (seeded init, dummy data)", async (file) => {
    const specPath = `models/${file}`;
    const compiled = await compileInMemory(readFileSync(specPath, "utf8"), specPath);
    const model = compiled.module.createModel();
    initialiseParameters(compiled.module, model, new Random(11));
    const data = dummyDataset(compiled.module, new Random(12));
    const { steps, width } = outputShape(compiled);
    const onnx = await runOnnx(ort!, exportBytes(compiled.graph, model.parameters), compiled.module, data);
    agree(specPath, onnx.values, rnncForward(compiled.module, model, data, steps, width));
  });
});
