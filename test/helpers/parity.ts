import { readFileSync } from "node:fs";
import { join } from "node:path";
import { datasetFromTensors } from "../../src/runtime/dataset.ts";
import { perSample, type Batch, type GeneratedModule } from "../../src/runtime/generated-module.ts";
import { readSafetensors, type TensorFile } from "../../src/runtime/safetensors.ts";
import { train } from "../../src/runtime/train.ts";
import { loadStateDict } from "../../src/runtime/weights.ts";
import { compileSpecFile } from "./compile-module.ts";
import { gradientCheck } from "./gradcheck.ts";

/**
 * PyTorch parity for one case folder written by tools/torch_fixtures.py (model.yaml, init/data/final.safetensors,
 * expected.json): rnnc compiles the spec, trains from PyTorch's initial weights on PyTorch's data, and must reproduce
 * every epoch's loss and every final weight; a float64 build's gradients on the fixture's first mini-batch must match
 * central finite differences.
 */

/** What the check found. `problems` is empty exactly when the case is at parity; the numbers say how close it was. */
export interface ParityReport {
  readonly problems: readonly string[];
  readonly epochsCompared: number;
  readonly weightsCompared: number;
  readonly worstLossError: number;
  readonly worstWeightError: number;
  /** The parameter that holds the worst weight error. */
  readonly worstWeight?: string;
  readonly gradientsChecked: number;
}

export interface Expected {
  readonly case: string;
  readonly epochs: number;
  readonly losses: readonly number[];
  /** PyTorch's learning rate at the start of each epoch (the schedule's, after warmup). */
  readonly lrs: readonly number[];
  readonly generator: string;
}

const weightTolerance = 1e-3;

/** 1e-4 on every epoch's loss, plus 1e-3 relative on long runs, where float32 rounding has had time to compound. */
export function lossTolerance(expected: Expected, epochIndex: number): number {
  return 1e-4 + (expected.epochs > 50 ? 1e-3 * Math.abs(expected.losses[epochIndex] ?? 0) : 0);
}

export function readTensors(path: string): TensorFile {
  const parsed = readSafetensors(new Uint8Array(readFileSync(path)), path);
  if (parsed.file === undefined) throw new Error(`${path}: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.file;
}

export function readExpected(dir: string): Expected {
  return JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
}

export async function checkParity(dir: string): Promise<ParityReport> {
  const float32 = await compile(dir, "float32");
  if (typeof float32 === "string") return { problems: [float32], epochsCompared: 0, weightsCompared: 0, worstLossError: Infinity, worstWeightError: Infinity, gradientsChecked: 0 };
  const training = checkTraining(float32, dir);
  const gradients = await checkGradients(dir);
  return { ...training, problems: [...training.problems, ...gradients.problems], gradientsChecked: gradients.checked };
}

async function compile(dir: string, precision: "float32" | "float64"): Promise<GeneratedModule | string> {
  try {
    return (await compileSpecFile(join(dir, "model.yaml"), precision)).module;
  } catch (error) {
    return `model.yaml (${precision}): ${error instanceof Error ? error.message : String(error)}`;
  }
}

function checkTraining(module: GeneratedModule, dir: string): Omit<ParityReport, "gradientsChecked"> {
  const empty = { epochsCompared: 0, weightsCompared: 0, worstLossError: Infinity, worstWeightError: Infinity };
  const expected = readExpected(dir);
  const model = module.createModel();
  const problems = loadStateDict(module, model, readTensors(join(dir, "init.safetensors")), "init").map((d) => `init: ${d.message}`);
  const data = datasetFromTensors(module, readTensors(join(dir, "data.safetensors")), "data");
  problems.push(...data.diagnostics.map((d) => `data: ${d.message}`));
  if (data.dataset === undefined || problems.length > 0) return { ...empty, problems };

  const result = train(module, model, data.dataset, { epochs: expected.epochs, batchSize: module.TRAIN.batchSize });
  if (result.divergence !== undefined) problems.push(`diverged: ${JSON.stringify(result.divergence)}`);
  if (result.epochs.length !== expected.losses.length) problems.push(`trained ${result.epochs.length} epochs, PyTorch ${expected.losses.length}`);
  let worstLossError = 0;
  result.epochs.forEach((record, i) => {
    const reference = expected.losses[i] ?? NaN;
    const error = Math.abs(record.loss - reference);
    worstLossError = Math.max(worstLossError, error);
    if (!(error <= lossTolerance(expected, i))) problems.push(`epoch ${i + 1}: loss ${record.loss}, PyTorch ${reference}`);
    const lr = expected.lrs[i] ?? NaN;
    if (!(Math.abs(record.lr - lr) <= 1e-12 * lr)) problems.push(`epoch ${i + 1}: learning rate ${record.lr}, PyTorch ${lr}`);
  });

  const final = readTensors(join(dir, "final.safetensors"));
  const names = new Set(module.PARAMETERS.map((parameter) => parameter.name));
  for (const name of final.tensors.keys()) if (!names.has(name)) problems.push(`final weights hold ${name}, which the module lacks`);
  let worstWeightError = 0;
  let worstWeight: string | undefined;
  let weightsCompared = 0;
  for (const parameter of module.PARAMETERS) {
    const reference = final.tensors.get(parameter.name);
    if (reference === undefined || reference.shape.join() !== parameter.shape.join()) {
      problems.push(`${parameter.name} [${parameter.shape.join(", ")}]: PyTorch has ${reference === undefined ? "no such tensor" : `[${reference.shape.join(", ")}]`}`);
      continue;
    }
    let worst = 0;
    for (let i = 0; i < parameter.size; i++) worst = Math.max(worst, Math.abs(Number(reference.data[i]) - model.parameters[parameter.offset + i]!));
    weightsCompared += parameter.size;
    if (worst >= worstWeightError || Number.isNaN(worst)) [worstWeightError, worstWeight] = [worst, parameter.name];
    if (!(worst <= weightTolerance)) problems.push(`${parameter.name}: final weights differ by up to ${worst}`);
  }
  return { problems, epochsCompared: result.epochs.length, weightsCompared, worstLossError, worstWeightError, ...(worstWeight === undefined ? {} : { worstWeight }) };
}

/** Gradients at random weights, on the fixture's first mini-batch: its ignored targets, padding and lengths. */
async function checkGradients(dir: string): Promise<{ problems: string[]; checked: number }> {
  const module = await compile(dir, "float64");
  if (typeof module === "string") return { problems: [module], checked: 0 };
  const data = datasetFromTensors(module, readTensors(join(dir, "data.safetensors")), "data").dataset;
  if (data === undefined) return { problems: ["data: unreadable in the float64 build"], checked: 0 };
  const useFixtureData = (batch: Batch, size: number) => {
    for (const input of module.INPUTS) {
      const width = perSample(input);
      const samples = data.inputs[input.name]!.subarray(0, Math.min(size, data.count) * width);
      (batch[input.name] as Float64Array | Int32Array).set(samples);
    }
  };
  const { mismatches, checked } = gradientCheck(module, { seed: 3, batchSize: module.MAX_BATCH, maxPerParameter: 40, prepare: useFixtureData });
  const problems = mismatches.map((m) => `gradient of ${m.parameter}[${m.index}]: analytic ${m.analytic}, finite differences ${m.numeric}`);
  if (checked === 0) problems.push("no gradient was checked");
  return { problems, checked };
}
