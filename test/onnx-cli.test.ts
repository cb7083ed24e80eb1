import { architectureFingerprint } from "../src/runtime/fingerprint.ts";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildOnnxModel } from "../src/export/export-onnx.ts";
import { decodeModel } from "../src/export/onnx-proto.ts";
import { onnxMapping } from "../src/export/ops/table.ts";
import { layerOpNames } from "../src/ops/registry.ts";
import { datasetFromTensors } from "../src/runtime/dataset.ts";
import { loadStateDict } from "../src/runtime/weights.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";
import { compileInMemory, loadOnnxRuntime, rnncForward, runOnnx, worstDifference } from "./helpers/onnx-runtime.ts";
import { readTensors } from "./helpers/parity.ts";

/** `rnnc export`: what it writes, and every way it refuses (coded, positioned, exit 2, nothing written). */
const ort = await loadOnnxRuntime();
if (ort === undefined) console.log("onnx-cli: onnxruntime checks skipped, onnxruntime-web cannot be loaded (npm ci installs it)");

const fixture = "test/fixtures/packed-lstm-bidir-2layer";
const spec = join(fixture, "model.yaml");
const weights = join(fixture, "final.safetensors");
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe("rnnc export --format onnx", () => {
  it("writes a model whose graph is LSTM nodes with sequence_lens, and which onnxruntime runs as rnnc does", async () => {
    const dir = temporaryDirectory();
    const output = join(dir, "model.onnx");
    const result = await runCli(["export", spec, "--weights", weights, "--format", "onnx", "-o", output]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ONNX opset 14, \d+ bytes, output logits \[batch, 3\]/);
    const bytes = new Uint8Array(readFileSync(output));
    const decoded = decodeModel(bytes) as { opset_import: { version: number }[]; graph: { node: { op_type: string; input: string[] }[]; input: { name: string }[] }; metadata_props: { key: string; value: string }[] };
    expect(decoded.opset_import[0]?.version).toBe(14);
    const lstms = decoded.graph.node.filter((node) => node.op_type === "LSTM");
    expect(lstms).toHaveLength(2);
    for (const lstm of lstms) expect(lstm.input[4]).toBe("lengths");
    expect(decoded.graph.input.map((input) => input.name)).toEqual(["tokens", "lengths"]);
    const compiled = await compileInMemory(readFileSync(spec, "utf8"), spec);
    expect(decoded.metadata_props).toContainEqual({ key: "rnnc.spec_sha256", value: compiled.module.SPEC_SHA256 });
    expect(decoded.metadata_props).toContainEqual({ key: "rnnc.architecture_sha256", value: architectureFingerprint(compiled.module.PARAMETERS) });
    if (ort === undefined) return;
    const model = compiled.module.createModel();
    expect(loadStateDict(compiled.module, model, readTensors(weights), "final")).toEqual([]);
    const data = datasetFromTensors(compiled.module, readTensors(join(fixture, "data.safetensors")), "data").dataset!;
    const onnx = await runOnnx(ort, bytes, compiled.module, data);
    expect(worstDifference(onnx.values, rnncForward(compiled.module, model, data, 1, 3))).toBeLessThanOrEqual(1e-5);
  });

  it("with --softmax, outputs class probabilities: softmax of rnnc's logits", async () => {
    const output = join(temporaryDirectory(), "probabilities.onnx");
    const result = await runCli(["export", spec, "--weights", weights, "-o", output, "--softmax"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/output probabilities \[batch, 3\]/);
    if (ort === undefined) return;
    const compiled = await compileInMemory(readFileSync(spec, "utf8"), spec);
    const model = compiled.module.createModel();
    loadStateDict(compiled.module, model, readTensors(weights), "final");
    const data = datasetFromTensors(compiled.module, readTensors(join(fixture, "data.safetensors")), "data").dataset!;
    const logits = rnncForward(compiled.module, model, data, 1, 3);
    const expected = new Float64Array(logits.length);
    for (let b = 0; b < data.count; b++) {
      const row = Array.from(logits.subarray(b * 3, b * 3 + 3));
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      row.forEach((v, k) => (expected[b * 3 + k] = Math.exp(v - max) / sum));
    }
    const onnx = await runOnnx(ort, new Uint8Array(readFileSync(output)), compiled.module, data);
    expect(worstDifference(onnx.values, expected)).toBeLessThanOrEqual(1e-6);
  });
});

describe("rnnc export of a model trained on text", () => {
  it("carries the checkpoint's vocabulary and labels in metadata_props (rnnc.text)", async () => {
    const dir = temporaryDirectory();
    const saved = join(dir, "gender.safetensors");
    expect((await runCli(["train", "models/name-gender.yaml", "--epochs", "1", "--save", saved])).code).toBe(0);
    const output = join(dir, "gender.onnx");
    const result = await runCli(["export", "models/name-gender.yaml", "--weights", saved, "-o", output]);
    expect(result.stderr).toBe("");
    const decoded = decodeModel(new Uint8Array(readFileSync(output))) as { metadata_props: { key: string; value: string }[] };
    const text = decoded.metadata_props.find((entry) => entry.key === "rnnc.text");
    expect(JSON.parse(text?.value ?? "{}")).toMatchObject({ labels: ["female", "male"], tokens: "char" });
  });
});

describe("rnnc export refuses bad input: coded, positioned, exit 2, nothing written", () => {
  /** Runs an export whose output already holds `before`; the file must still hold it afterwards. */
  async function refused(args: (output: string) => string[]) {
    const dir = temporaryDirectory();
    const output = join(dir, "model.onnx");
    writeFileSync(output, "before");
    const result = await runCli(args(output));
    expect(result.code).toBe(2);
    noStackTrace(result.stderr);
    expect(readFileSync(output, "utf8")).toBe("before");
    expect(readdirSync(dir)).toEqual(["model.onnx"]);
    return result.stderr;
  }

  it("an unknown --format (RNNC0180)", async () => {
    const stderr = await refused((output) => ["export", spec, "--weights", weights, "--format", "tflite", "-o", output]);
    expect(stderr).toContain("--format:1:1: error RNNC0180: unknown export format `tflite`");
    expect(stderr).toContain("valid formats: `onnx`");
  });

  it("foreign weights of another architecture (a checkpoint mismatch naming the tensor and both shapes)", async () => {
    const stderr = await refused((output) => ["export", "test/fixtures/seed/model.yaml", "--weights", "test/fixtures/lstm-1/final.safetensors", "-o", output]);
    expect(stderr).toMatch(/test\/fixtures\/lstm-1\/final\.safetensors:\d+:\d+: error RNNC00(41|44): `rnn\.weight_ih_l0` has shape \[32, 5\], but the spec needs \[20, 10\]/);
  });

  it("rnnc weights saved from another architecture (RNNC0044, naming what changed)", async () => {
    const dir = temporaryDirectory();
    const saved = join(dir, "seed.safetensors");
    expect((await runCli(["train", "test/fixtures/seed/model.yaml", "--epochs", "1", "--save", saved])).code).toBe(0);
    const stderr = await refused((output) => ["export", "test/fixtures/rnn-odd/model.yaml", "--weights", saved, "-o", output]);
    expect(stderr).toMatch(/seed\.safetensors:1:1: error RNNC0044: `rnn\.weight_ih_l0` has shape \[20, 10\], but the spec needs \[5, 3\]/);
  });

  it("an output path that is the spec or the weights (RNNC0102), which stay as they were", async () => {
    const dir = temporaryDirectory();
    const copy = (from: string, name: string) => {
      writeFileSync(join(dir, name), readFileSync(from));
      return join(dir, name);
    };
    const specCopy = copy(spec, "model.yaml");
    const weightsCopy = copy(weights, "w.safetensors");
    for (const [target, role] of [
      [specCopy, "spec"],
      [weightsCopy, "--weights file"],
    ] as const) {
      const before = readFileSync(target);
      const result = await runCli(["export", specCopy, "--weights", weightsCopy, "-o", target]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`:1:1: error RNNC0102: .* is also the ${role.replace("-", "\\-")}`));
      expect(readFileSync(target)).toEqual(before);
    }
  });

  it("--softmax on a regression (RNNC0182, at the loss)", async () => {
    const regression = "test/fixtures/mse-regression/model.yaml";
    const line = readFileSync(regression, "utf8").split("\n").findIndex((text) => text.startsWith("loss:")) + 1;
    const stderr = await refused((output) => ["export", regression, "--weights", "test/fixtures/mse-regression/final.safetensors", "-o", output, "--softmax"]);
    expect(stderr).toMatch(new RegExp(`${regression}:${line}:\\d+: error RNNC0182: \`--softmax\` turns logits into class probabilities`));
  });

  it("an output folder that does not exist (RNNC0004), creating nothing", async () => {
    const output = join(temporaryDirectory(), "missing", "model.onnx");
    const result = await runCli(["export", spec, "--weights", weights, "-o", output]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error RNNC0004");
    expect(existsSync(join(output, ".."))).toBe(false);
  });

  it("every op ONNX export meets today has a mapping; a node without one is RNNC0181 at the node", async () => {
    for (const op of layerOpNames) expect(onnxMapping(op), op).toHaveProperty("exporter");
    const compiled = await compileInMemory(readFileSync(spec, "utf8"), spec);
    const rnn = compiled.graph.layers.find((node) => node.op === "lstm")!;
    const graph = { ...compiled.graph, layers: compiled.graph.layers.map((node) => (node === rnn ? { ...node, op: "mystery" } : node)) };
    const built = buildOnnxModel(graph, compiled.module.createModel().parameters, { softmax: false, producerVersion: "test", metadata: {} });
    expect(built.model).toBeUndefined();
    expect(built.diagnostics).toEqual([expect.objectContaining({ code: "RNNC0181", file: spec, line: rnn.at.line, column: rnn.at.column })]);
    expect(rnn.at.line).toBeGreaterThan(1);
  });
});
