import { architectureFingerprint } from "../src/runtime/fingerprint.ts";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { readSafetensors, writeSafetensors, type NamedTensor, type TensorFile } from "../src/runtime/safetensors.ts";
import { stateDict } from "../src/runtime/weights.ts";
import { createModel, PARAMETERS, SPEC_SHA256 } from "../generated/simple-rnn.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/**
 * model.loadSafetensors / model.saveSafetensors in the generated module, checked against the repo's own reader and
 * writer (src/runtime/safetensors.ts) and against files PyTorch wrote (tools/torch_safetensors.py: the committed
 * ones in test/standalone-fixtures/, and fresh ones where /usr/bin/python3 has torch).
 */
const repo = process.cwd();
const fixtures = resolve(repo, "test/standalone-fixtures/torch-simple-rnn");
const python = "/usr/bin/python3";
const torchAvailable = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

function read(bytes: Uint8Array): TensorFile {
  // a copy as a plain Uint8Array: the runtime's reader copies tensors with .slice(), which on a Node Buffer is a view
  const parsed = readSafetensors(new Uint8Array(bytes), "test");
  if (parsed.file === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.file;
}

function floats(file: TensorFile, name: string): number[] {
  const tensor = file.tensors.get(name);
  if (tensor === undefined || tensor.dtype === "I64") throw new Error(`no float tensor ${name}`);
  return Array.from(tensor.data);
}

/** PyTorch's weights loaded by name give PyTorch's logits, and the F64 file the same weights. */
function checkTorchFiles(folder: string): void {
  const model = createModel({ seed: 3 });
  const weights = readFileSync(join(folder, "weights.safetensors"));
  model.loadSafetensors(weights);
  const reference = read(weights);
  for (const p of PARAMETERS) expect(Array.from(model.stateDict[p.name]), p.name).toEqual(floats(reference, p.name));
  const check = read(readFileSync(join(folder, "check.safetensors")));
  const logits = model.forward({ x: Float32Array.from(floats(check, "x")) }, 3);
  const expected = floats(check, "logits");
  expect(expected).toHaveLength(15);
  for (let i = 0; i < 15; i++) expect(Math.abs(logits[i]! - expected[i]!), `logit ${i}`).toBeLessThan(1e-5);
  const fromDouble = createModel({ seed: 4 });
  fromDouble.loadSafetensors(readFileSync(join(folder, "weights-f64.safetensors")));
  expect(Array.from(fromDouble.parameters)).toEqual(Array.from(model.parameters));
}

describe("model.loadSafetensors reads files PyTorch wrote", () => {
  it("committed: the weights by state_dict name, so forward gives PyTorch's logits within 1e-5; F64 as F32", () => checkTorchFiles(fixtures));
  it.skipIf(!torchAvailable)("fresh from tools/torch_safetensors.py (skipped without /usr/bin/python3 and torch)", () => {
    const out = temporaryDirectory();
    const run = spawnSync(python, ["tools/torch_safetensors.py", out], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    checkTorchFiles(out);
  });
  if (!torchAvailable) console.warn("test/standalone-safetensors.test.ts: /usr/bin/python3 has no torch; the fresh PyTorch files are skipped (the committed ones still run)");
});

describe("model.saveSafetensors and the repo's reader and writer agree", () => {
  it("saved bytes read back with src/runtime/safetensors.ts: every name, shape and value, and the spec's hash", () => {
    const model = createModel({ seed: 11 });
    const file = read(model.saveSafetensors({ note: "hello" }));
    expect([...file.tensors.keys()]).toEqual(PARAMETERS.map((p) => p.name));
    for (const p of PARAMETERS) {
      const tensor = file.tensors.get(p.name)!;
      expect({ dtype: tensor.dtype, shape: tensor.shape }).toEqual({ dtype: "F32", shape: p.shape });
      expect(Array.from(tensor.data as Float32Array)).toEqual(Array.from(model.stateDict[p.name]));
    }
    expect(file.metadata).toMatchObject({ spec_sha256: SPEC_SHA256, model: "simple-rnn", note: "hello" });
  });

  it("what the runtime writes, the module loads; and saving is byte-identical to the runtime's writer with the same metadata", async () => {
    const module = await loadGeneratedModule(readFileSync(resolve(repo, "generated/simple-rnn.ts"), "utf8"));
    const source = module.createModel({ seed: 21 });
    const bytes = writeSafetensors(stateDict(module, source.parameters));
    const target = createModel({ seed: 22 });
    target.loadSafetensors(bytes);
    expect(Array.from(target.parameters)).toEqual(Array.from(source.parameters));
    const metadata = { format: "pt", model: "simple-rnn", architecture_sha256: architectureFingerprint(module.PARAMETERS), spec_sha256: SPEC_SHA256 };
    expect(Buffer.from(target.saveSafetensors())).toEqual(Buffer.from(writeSafetensors(stateDict(module, target.parameters), metadata)));
  });

  it("a float64 build saves F64 that reads back exactly", async () => {
    const path = "models/simple-rnn.yaml";
    const module = await loadGeneratedModule(compile(readFileSync(path, "utf8"), { specPath: path, precision: "float64" }).files[0]!.content);
    const model = module.createModel({ seed: 5 }) as ReturnType<typeof module.createModel> & { saveSafetensors(): Uint8Array; loadSafetensors(bytes: Uint8Array): void };
    model.parameters[0] = 0.1; // not a float32
    const file = read(model.saveSafetensors());
    expect(file.tensors.get("rnn.weight_ih_l0")?.dtype).toBe("F64");
    const again = module.createModel({ seed: 6 }) as typeof model;
    again.loadSafetensors(model.saveSafetensors());
    expect(Array.from(again.parameters)).toEqual(Array.from(model.parameters));
  });

  it("rnnc train --init accepts what the module saved, and the module loads what rnnc train --save wrote", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "package.json"), "{}\n");
    mkdirSync(join(dir, "models"));
    copyFileSync(resolve(repo, "models/simple-rnn.yaml"), join(dir, "models/simple-rnn.yaml"));
    writeFileSync(join(dir, "init.safetensors"), createModel({ seed: 8 }).saveSafetensors());
    const trained = await runCli(["train", "models/simple-rnn.yaml", "--init", "init.safetensors", "--epochs", "2", "--save", "out.safetensors"], dir);
    expect(trained.code, trained.stderr).toBe(0);
    const model = createModel({ seed: 9 });
    const saved = readFileSync(join(dir, "out.safetensors"));
    model.loadSafetensors(saved);
    for (const p of PARAMETERS) expect(Array.from(model.stateDict[p.name])).toEqual(floats(read(saved), p.name));
  });
});

describe("model.loadSafetensors refuses bad files with an Error naming the problem, and changes nothing", () => {
  const good = (): NamedTensor[] => stateDictOf(createModel({ seed: 1 }).parameters);
  const cases: [string, () => Uint8Array, RegExp][] = [
    ["a missing tensor", () => writeSafetensors(good().filter((t) => t.name !== "fc.bias")), /there is no tensor "fc\.bias"/],
    ["an extra tensor", () => writeSafetensors([...good(), { name: "fc.weight_extra", tensor: { dtype: "F32", shape: [1], data: new Float32Array(1) } }]), /"fc\.weight_extra", which this model does not have/],
    ["a wrong shape", () => writeSafetensors(good().map((t) => (t.name === "fc.weight" ? { name: t.name, tensor: { dtype: "F32", shape: [20, 5], data: t.tensor.data as Float32Array } } : t))), /"fc\.weight" has shape \[20,5\], but this model's is \[5, 20\]/],
    ["an integer dtype", () => writeSafetensors(good().map((t) => (t.name === "fc.bias" ? { name: t.name, tensor: { dtype: "I32", shape: [5], data: new Int32Array(5) } } : t))), /"fc\.bias" is "I32"; weights must be F32 or F64/],
    ["a NaN", () => writeSafetensors(good().map((t) => (t.name === "fc.bias" ? { name: t.name, tensor: { dtype: "F32", shape: [5], data: Float32Array.of(0, 0, Number.NaN, 0, 0) } } : t))), /"fc\.bias" element 2 is NaN/],
    ["an F64 value too large for float32", () => writeSafetensors(good().map((t) => (t.name === "fc.bias" ? { name: t.name, tensor: { dtype: "F64", shape: [5], data: Float64Array.of(0, 1e300, 0, 0, 0) } } : t))), /"fc\.bias" element 1 is 1e\+300 \(as float32\)/],
    ["a fingerprint that does not describe the tensors", () => writeSafetensors(good(), { architecture_sha256: "0".repeat(64) }), /architecture_sha256 does not match the tensors it holds/],
    ["a truncated file", () => writeSafetensors(good()).subarray(0, 500), /data_offsets \[.*\] do not hold/],
    ["a header longer than the file", () => writeSafetensors(good()).subarray(0, 40), /the header length is \d+ bytes, but only 32 follow/],
    ["a few bytes", () => Uint8Array.of(1, 2, 3), /3 bytes are too few/],
    ["a header that is not JSON", () => withHeader("{not json"), /the header is not UTF-8 JSON/],
    ["a header that is a list", () => withHeader("[1, 2]"), /the header is not a JSON object/],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      const model = createModel({ seed: 2 });
      const before = Array.from(model.parameters);
      expect(() => model.loadSafetensors(bytes())).toThrow(message);
      expect(Array.from(model.parameters)).toEqual(before);
    });
  }

  it("saveSafetensors refuses non-finite weights", () => {
    const model = createModel({ seed: 2 });
    model.stateDict["fc.weight"][3] = Number.POSITIVE_INFINITY;
    expect(() => model.saveSafetensors()).toThrow(/"fc\.weight" element 3 is Infinity; refusing to save/);
  });
});

function stateDictOf(parameters: Float32Array): NamedTensor[] {
  return PARAMETERS.map((p) => ({ name: p.name, tensor: { dtype: "F32", shape: [...p.shape], data: parameters.slice(p.offset, p.offset + p.size) } }));
}

function withHeader(text: string): Uint8Array {
  const header = new TextEncoder().encode(text);
  const bytes = new Uint8Array(8 + header.length);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 8);
  return bytes;
}
