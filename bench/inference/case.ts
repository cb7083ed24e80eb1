import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseDocument } from "yaml";
import { compile, compilerVersion } from "../../src/compile.ts";
import { exportOnnx } from "../../src/export/export-onnx.ts";
import type { Batch, InputInfo, RealArray } from "../../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";
import { Random } from "../../src/runtime/prng.ts";
import { repoRoot, specPathOf } from "../shapes.ts";

/**
 * One inference case: a bench shape's spec compiled with `--target inference`, its model initialised from a fixed
 * seed, the same weights exported to ONNX, and one fixed batch of inputs. Both workers (rnnc's and onnxruntime's)
 * build it the same way from the same seeds, so they run the same model on the same numbers; the coordinator checks
 * that their outputs agree before it times anything.
 */

/** rnn, lstm and gru at the seed and medium sizes (bench/specs). */
export const inferenceShapeNames = ["seed", "medium", "lstm-seed", "lstm-medium", "gru-seed", "gru-medium"] as const;

/** The large batch: a full forward over this many sequences. The small one is 1, streamed one time step at a time. */
export const largeBatch = 64;

/** What the inference target's model offers (src/emit/target.ts): the forward pass and the streaming API. */
export interface InferenceModel {
  readonly parameters: RealArray;
  readonly stream?: { step(input: Batch, batchSize: number): RealArray; reset(): void };
  forward(inputs: Batch, batchSize: number): RealArray;
}

interface InferenceModule {
  readonly MAX_BATCH: number;
  readonly INPUTS: readonly InputInfo[];
  createModel(options?: { readonly seed?: number }): InferenceModel;
}

export interface InferenceCase {
  readonly name: string;
  readonly seq: number;
  readonly input: number;
  readonly classes: number;
  readonly model: InferenceModel;
  readonly onnx: Uint8Array;
  /** [largeBatch, seq, input], batch-first; sample 0 is the batch-1 case's sequence. */
  readonly x: Float32Array;
}

/** The spec's text with `train.batch_size` raised to `largeBatch`, which sizes the module's buffers (MAX_BATCH). */
function specWithBatch(specPath: string): string {
  const document = parseDocument(readFileSync(specPath, "utf8"));
  const batch = Number(document.getIn(["train", "batch_size"]));
  if (!(batch >= largeBatch)) document.setIn(["train", "batch_size"], largeBatch);
  return document.toString();
}

export async function buildCase(name: string): Promise<InferenceCase> {
  const specPath = specPathOf(name);
  const displayPath = relative(repoRoot, specPath);
  const result = compile(specWithBatch(specPath), { specPath: displayPath, target: "inference" });
  const file = result.files[0];
  if (file === undefined || result.graph === undefined) throw new Error(`${displayPath} does not compile: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const module = (await loadGeneratedModule(file.content)) as unknown as InferenceModule;
  const model = module.createModel({ seed: 0 });
  const x = module.INPUTS.find((input) => input.name === "x");
  const [, seq, input] = x?.shape ?? [];
  if (typeof seq !== "number" || typeof input !== "number") throw new Error(`${displayPath}: expected an input x of shape [batch, seq, input]`);
  const exported = exportOnnx(result.graph, model.parameters, { softmax: false, producerVersion: compilerVersion, metadata: {} });
  if (exported.bytes === undefined) throw new Error(`${displayPath}: ONNX export failed: ${exported.diagnostics.map((d) => d.message).join("; ")}`);
  const random = new Random(1);
  const values = Float32Array.from({ length: largeBatch * seq * input }, () => random.normal());
  const fc = result.graph.parameters.find((p) => p.name === "fc.bias");
  if (fc === undefined) throw new Error(`${displayPath}: expected a linear head fc`);
  return { name, seq, input, classes: fc.size, model, onnx: exported.bytes, x: values };
}
