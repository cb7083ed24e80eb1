import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../src/compile.ts";
import { buildOnnxModel, exportOnnx } from "../../src/export/export-onnx.ts";
import { staticSize, type Graph } from "../../src/ir/types.ts";
import { datasetFromTensors, type Dataset } from "../../src/runtime/dataset.ts";
import { perSample, type GeneratedModule, type Model } from "../../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";
import { loadStateDict } from "../../src/runtime/weights.ts";
import { readTensors } from "./parity.ts";
import { worstDifference } from "../../src/runtime/elements.ts";

export { worstDifference };

/**
 * onnxruntime-web (WebAssembly backend, one thread) as the independent runtime for exported models, and rnnc's own
 * forward pass to compare it with. A missing onnxruntime-web makes the tests report themselves skipped.
 */
type Ort = typeof import("onnxruntime-web");

export async function loadOnnxRuntime(): Promise<Ort | undefined> {
  try {
    const ort = await import("onnxruntime-web");
    ort.env.wasm.numThreads = 1;
    return ort;
  } catch {
    return undefined;
  }
}

export interface Compiled {
  readonly graph: Graph;
  readonly module: GeneratedModule;
}

export async function compileInMemory(source: string, specPath: string): Promise<Compiled> {
  const result = compile(source, { specPath });
  const file = result.files[0];
  if (file === undefined || result.graph === undefined) throw new Error(`${specPath} did not compile: ${JSON.stringify(result.diagnostics)}`);
  return { graph: result.graph, module: await loadGeneratedModule(file.content) };
}

export function exportBytes(graph: Graph, parameters: ArrayLike<number>, softmax = false): Uint8Array {
  const exported = exportOnnx(graph, parameters, { softmax, producerVersion: "test", metadata: {} });
  if (exported.bytes === undefined) throw new Error(`export failed: ${JSON.stringify(exported.diagnostics)}`);
  return exported.bytes;
}

export function graphInputNames(graph: Graph, parameters: ArrayLike<number>): string[] {
  return buildOnnxModel(graph, parameters, { softmax: false, producerVersion: "test", metadata: {} }).model?.graph.input.map((input) => input.name) ?? [];
}

/** Runs the exported model on every sample at once; returns its one output, batch-first, and its shape. */
export async function runOnnx(ort: Ort, bytes: Uint8Array, module: GeneratedModule, data: Dataset): Promise<{ values: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  const feeds: Record<string, InstanceType<Ort["Tensor"]>> = {};
  for (const name of session.inputNames) {
    const info = module.INPUTS.find((input) => input.name === name);
    const values = data.inputs[name];
    if (info === undefined || values === undefined) throw new Error(`the ONNX model reads ${name}, which the data lacks`);
    const dims = [data.count, ...info.shape.filter((dim): dim is number => dim !== "batch")];
    feeds[name] = info.dtype === "int32" ? new ort.Tensor("int32", Int32Array.from(values), dims) : new ort.Tensor("float32", Float32Array.from(values), dims);
  }
  const outputs = await session.run(feeds);
  const output = outputs[session.outputNames[0]!];
  await session.release();
  if (output === undefined || !(output.data instanceof Float32Array)) throw new Error("the ONNX model gave no float32 output");
  return { values: output.data, dims: output.dims };
}

/**
 * rnnc's forward pass over every sample, in mini-batches of at most MAX_BATCH, batch-first. A sequence output comes
 * out of the module time-major ([seq, batch, features], its internal layout), so it is transposed here.
 */
export function rnncForward(module: GeneratedModule, model: Model, data: Dataset, steps: number, width: number): Float32Array {
  const result = new Float32Array(data.count * steps * width);
  for (let start = 0; start < data.count; start += module.MAX_BATCH) {
    const size = Math.min(module.MAX_BATCH, data.count - start);
    const batch = Object.fromEntries(module.INPUTS.map((input) => [input.name, data.inputs[input.name]!.slice(start * perSample(input), (start + size) * perSample(input))]));
    const out = model.forward(batch, size);
    for (let b = 0; b < size; b++) {
      for (let t = 0; t < steps; t++) {
        for (let f = 0; f < width; f++) result[((start + b) * steps + t) * width + f] = out[(t * size + b) * width + f]!;
      }
    }
  }
  return result;
}


/** The prediction's rank: 3 for a sequence [batch, seq, features] (seq may be 1), else 2. */
export function outputRank(graph: Graph): number {
  return graph.layers.find((layer) => layer.id === graph.loss.input)?.type.dims.length ?? 0;
}

/** The prediction's shape per sample: [steps, width], steps 1 when it is not a sequence. */
export function outputShape(graph: Graph): { steps: number; width: number } {
  const node = graph.layers.find((layer) => layer.id === graph.loss.input);
  if (node === undefined) throw new Error(`the loss reads ${graph.loss.input}, which is no node`);
  const sizes = node.type.dims.slice(1).map((dim) => staticSize(dim) ?? 0);
  return sizes.length === 2 ? { steps: sizes[0]!, width: sizes[1]! } : { steps: 1, width: sizes[0]! };
}

/**
 * A PyTorch parity case folder (model.yaml, final.safetensors, data.safetensors): exported with its trained weights,
 * run by onnxruntime on its own data; returns the largest difference from rnnc's forward, and onnxruntime's shape.
 */
export async function exportFixture(ort: Ort, dir: string): Promise<{ difference: number; dims: readonly number[]; expectedDims: readonly number[] }> {
  const specPath = join(dir, "model.yaml");
  const { graph, module } = await compileInMemory(readFileSync(specPath, "utf8"), specPath);
  const model = module.createModel();
  const problems = loadStateDict(module, model, readTensors(join(dir, "final.safetensors")), "final");
  if (problems.length > 0) throw new Error(`${dir}: ${JSON.stringify(problems)}`);
  const data = datasetFromTensors(module, readTensors(join(dir, "data.safetensors")), "data").dataset;
  if (data === undefined) throw new Error(`${dir}: unreadable data`);
  const { steps, width } = outputShape(graph);
  const onnx = await runOnnx(ort, exportBytes(graph, model.parameters), module, data);
  const expectedDims = outputRank(graph) === 3 ? [data.count, steps, width] : [data.count, width];
  return { difference: worstDifference(onnx.values, rnncForward(module, model, data, steps, width)), dims: onnx.dims, expectedDims };
}
