import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { staticSize } from "../src/ir/types.ts";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { graphArbitrary, toYaml } from "./helpers/graph-arbitrary.ts";
import { compileInMemory, exportBytes, exportFixture, loadOnnxRuntime, rnncForward, runOnnx, worstDifference } from "./helpers/onnx-runtime.ts";

/**
 * Random graphs from the graph fuzzer (test/helpers/graph-arbitrary.ts: every float op, stacked and bidirectional
 * cells, per-step heads, several inputs, dead branches, layers reading the target, ids such as `x`, `toString` or
 * `Math`) export to ONNX models that onnxruntime runs to rnnc's forward within 1e-5. ONNX_FUZZ_RUNS sets how many
 * (default 12), ONNX_FUZZ_SEED which. That fuzzer makes no token ids or lengths, so where PyTorch is installed,
 * fresh random cases of tools/torch_fixtures.py (padded token or float sequences, packed or not, ending in per-step
 * outputs, last_step or pools, trained by PyTorch) are exported too: ONNX_TORCH_CASES of them (default 6), from
 * ONNX_TORCH_SEED (default 3); elsewhere reported skipped.
 */
const runs = Number(process.env["ONNX_FUZZ_RUNS"] ?? 12);
const seed = Number(process.env["ONNX_FUZZ_SEED"] ?? 20261128);
const ort = await loadOnnxRuntime();
if (ort === undefined) console.log("onnx-fuzz: skipped, onnxruntime-web cannot be loaded (npm ci installs it)");

describe.skipIf(ort === undefined)("ONNX export of random graphs", () => {
  it.each(fc.sample(graphArbitrary, { numRuns: runs, seed }).map((spec, i) => [i, spec] as const))("graph %i agrees with onnxruntime", async (_, spec) => {
    const source = toYaml(spec);
    const { graph, module } = await compileInMemory(source, "onnx-fuzz.yaml");
    const model = module.createModel();
    initialiseParameters(module, model, new Random(spec.seed));
    const data = dummyDataset(module, new Random(spec.seed + 1));
    const output = graph.layers.find((node) => node.id === graph.loss.input)!;
    const sizes = output.type.dims.slice(1).map((dim) => staticSize(dim) ?? 0);
    const [steps, width] = sizes.length === 2 ? [sizes[0]!, sizes[1]!] : [1, sizes[0]!];
    const onnx = await runOnnx(ort!, exportBytes(graph, model.parameters), module, data);
    expect(worstDifference(onnx.values, rnncForward(module, model, data, steps, width)), source).toBeLessThanOrEqual(1e-5);
  });
});

const python = "/usr/bin/python3";
const torchCases = Number(process.env["ONNX_TORCH_CASES"] ?? 6);
const torchSeed = Number(process.env["ONNX_TORCH_SEED"] ?? 3);
const torchAvailable = ort !== undefined && spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
if (ort !== undefined && !torchAvailable) console.log(`onnx-fuzz: PyTorch cases skipped, ${python} cannot import torch`);
const root = torchAvailable ? mkdtempSync(join(tmpdir(), "rnnc-onnx-live-")) : undefined;
if (root !== undefined) {
  const args = ["tools/torch_fixtures.py", "--random", String(torchCases), "--seed", String(torchSeed), "--out", root];
  execFileSync(python, args, { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
}
const cases = root === undefined ? [] : readdirSync(root).sort();

describe.skipIf(root === undefined)(`ONNX export of fresh PyTorch cases (seed ${torchSeed})`, () => {
  afterAll(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });
  it.each(cases)("%s agrees with onnxruntime", async (name) => {
    const { difference, dims, expectedDims } = await exportFixture(ort!, join(root!, name));
    expect(dims).toEqual(expectedDims);
    expect(difference).toBeLessThanOrEqual(1e-5);
  });
});
