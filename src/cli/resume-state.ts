import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { Model, RealArray } from "../runtime/generated-module.ts";
import type { RandomState } from "../runtime/prng.ts";
import type { NamedTensor, TensorFile } from "../runtime/safetensors.ts";
import type { TrainProgress } from "../runtime/train.ts";
import { parseResume, resumeJson } from "./resume-schema.ts";

/**
 * The part of a checkpoint that lets `rnnc train --resume` continue a run bit for bit: the weights after the last
 * epoch (the state_dict may hold the best epoch's), the best weights at full precision, every optimizer array,
 * the optimizer's step, the schedule, early stopping's bookkeeping and both generators. Tensors are named
 * `resume/…`: a `/` never occurs in a state_dict name, so they cannot collide with a layer's.
 */
export const resumePrefix = "resume/";

export interface ResumeSnapshot {
  readonly progress: TrainProgress;
  readonly lastParameters: RealArray;
  /** The run's own generator (shuffling), after the last epoch. */
  readonly run: RandomState;
}

export interface Resumed {
  readonly progress: TrainProgress;
  readonly bestParameters?: RealArray;
  readonly run: RandomState;
}

/** The tensors and the metadata entry a resumable checkpoint adds; `model` holds the weights the state_dict gets. */
export function resumeEntries(model: Model, snapshot: ResumeSnapshot): { tensors: NamedTensor[]; metadata: string } {
  const tensor = (name: string, values: RealArray): NamedTensor => ({
    name: `${resumePrefix}${name}`,
    tensor: values instanceof Float64Array ? { dtype: "F64", shape: [values.length], data: values } : { dtype: "F32", shape: [values.length], data: values },
  });
  const tensors = [tensor("parameters", snapshot.lastParameters)];
  if (snapshot.progress.best !== undefined) tensors.push(tensor("best_parameters", model.parameters));
  for (const [name, values] of optimizerEntries(model)) tensors.push(tensor(`optimizer/${name}`, values));
  const metadata = resumeJson({ version: 1, progress: snapshot.progress, optimizerStep: model.optimizerState.step, random: { run: snapshot.run, dropout: [...model.randomState] } });
  return { tensors, metadata };
}

/**
 * Restores a run from a checkpoint whose weights are already loaded: the last epoch's weights, the optimizer's arrays
 * and step, the dropout generator. Refuses a file without resume state, and one whose optimizer state belongs to
 * another optimizer or size of model.
 */
export function restoreRun(model: Model, file: TensorFile, at: SourcePosition): { resumed?: Resumed; diagnostics: Diagnostic[] } {
  const stored = file.metadata["resume"];
  const last = file.tensors.get(`${resumePrefix}parameters`);
  if (stored === undefined || last === undefined) return { diagnostics: [diag.resumeUnavailable(at, "the checkpoint holds no state to resume from (optimizer state, schedule, epoch, generators)")] };
  const parsed = parseResume(stored);
  if (parsed.resume === undefined) return { diagnostics: parsed.problems.map((problem) => diag.checkpointMetadata({ ...at, column: 9 }, problem)) };
  const resume = parsed.resume;
  const problems: string[] = [];
  const vector = (name: string, target: RealArray): void => {
    const tensor = file.tensors.get(`${resumePrefix}${name}`);
    if (tensor === undefined) return void problems.push(`it has no \`${resumePrefix}${name}\``);
    if (tensor.dtype !== (target instanceof Float64Array ? "F64" : "F32") || tensor.shape.length !== 1 || tensor.shape[0] !== target.length) {
      return void problems.push(`\`${resumePrefix}${name}\` is ${tensor.dtype} [${tensor.shape.join(", ")}], this model's is ${target instanceof Float64Array ? "F64" : "F32"} [${target.length}]`);
    }
    if (tensor.data.some((value: number | bigint) => typeof value !== "number" || !Number.isFinite(value))) return void problems.push(`\`${resumePrefix}${name}\` holds a value that is not finite`);
    target.set(tensor.data as RealArray);
  };
  const ours = new Set(optimizerEntries(model).map(([name]) => `optimizer/${name}`));
  const theirs = [...file.tensors.keys()].filter((name) => name.startsWith(`${resumePrefix}optimizer/`)).map((name) => name.slice(resumePrefix.length));
  const foreign = theirs.filter((name) => !ours.has(name));
  if (foreign.length > 0 || theirs.length !== ours.size) {
    const list = (names: Iterable<string>) => [...names].map((name) => `\`${name.slice("optimizer/".length)}\``).join(", ") || "none";
    return { diagnostics: [diag.resumeMismatch(at, `the checkpoint's optimizer state (${list(theirs)}) is not this spec's optimizer's (${list(ours)})`)] };
  }
  const bestParameters = resume.progress.best === undefined ? undefined : model.parameters.slice();
  if (bestParameters !== undefined) vector("best_parameters", bestParameters);
  vector("parameters", model.parameters);
  for (const [name, values] of optimizerEntries(model)) vector(`optimizer/${name}`, values);
  if (resume.random.dropout.length !== model.randomState.length) problems.push(`its dropout generator has ${resume.random.dropout.length} words, this model's ${model.randomState.length}`);
  if (problems.length > 0) return { diagnostics: problems.map((problem) => diag.resumeMismatch(at, `the checkpoint's resume state does not fit this model: ${problem}`)) };
  model.randomState.set(resume.random.dropout);
  model.optimizerState.step = resume.optimizerStep;
  return { resumed: { progress: resume.progress, ...(bestParameters === undefined ? {} : { bestParameters }), run: resume.random.run }, diagnostics: [] };
}

/** The optimizer's arrays by name (`m`, `v`, `momentum_buffer`, …), in a stable order. */
function optimizerEntries(model: Model): [string, RealArray][] {
  return Object.entries(model.optimizerState)
    .filter((entry): entry is [string, RealArray] => typeof entry[1] !== "number")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
