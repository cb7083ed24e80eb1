import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { integerRange, perSample, type GeneratedModule, type InputArray, type InputInfo } from "./generated-module.ts";
import type { Random } from "./prng.ts";
import { elementIndex, elementPosition, toPrecision } from "./elements.ts";
import type { TensorFile } from "./safetensors.ts";

/** Samples for every spec input, sample-major, in the module's storage types. */
export interface Dataset {
  readonly count: number;
  readonly inputs: Readonly<Record<string, InputArray>>;
}

/**
 * The seed notebook's dummy data: one batch of `TRAIN.batchSize` samples, float inputs ~ N(0, 1),
 * the target uniform over the classes.
 */
export function dummyDataset(module: GeneratedModule, random: Random): Dataset {
  const count = module.TRAIN.batchSize;
  const inputs: Record<string, InputArray> = {};
  for (const input of module.INPUTS) {
    const size = count * perSample(input);
    if (input.dtype === "int32") {
      const labels = new Int32Array(size);
      const { min, max } = integerRange(module, input);
      for (let i = 0; i < size; i++) labels[i] = min + random.integerBelow(max - min + 1);
      inputs[input.name] = labels;
    } else {
      const values = module.PRECISION === "float32" ? new Float32Array(size) : new Float64Array(size);
      for (let i = 0; i < size; i++) values[i] = random.normal();
      inputs[input.name] = values;
    }
  }
  return { count, inputs };
}

/**
 * A dataset from a safetensors file with one tensor per spec input, named after it: [N, …static dims].
 * Float inputs take F32 or F64; int inputs I32 or I64. Shapes, label range and finiteness (in the model's float type,
 * so F64 1e300 is refused as well as NaN) are all checked.
 */
export function datasetFromTensors(module: GeneratedModule, tensorFile: TensorFile, file: string): { dataset?: Dataset; diagnostics: Diagnostic[] } {
  const at = { file, line: 1, column: 1 };
  const diagnostics: Diagnostic[] = [];
  const inputs: Record<string, InputArray> = {};
  let count: number | undefined;
  for (const input of module.INPUTS) {
    const tensor = tensorFile.tensors.get(input.name);
    const expected = `[N, ${input.shape.slice(1).join(", ")}]`.replace(", ]", "]");
    if (tensor === undefined) {
      diagnostics.push(diag.tensorMismatch(at, `the data has no tensor \`${input.name}\``, `store the spec input \`${input.name}\` as a tensor of shape ${expected}; found: ${someNames([...tensorFile.tensors.keys()])}`));
      continue;
    }
    const staticDims = input.shape.slice(1);
    const n = tensor.shape[0];
    if (n === undefined || tensor.shape.length !== input.shape.length || staticDims.some((d, i) => tensor.shape[i + 1] !== d)) {
      diagnostics.push(diag.tensorMismatch(at, `\`${input.name}\` has shape [${tensor.shape.join(", ")}], but the spec says ${expected}`, "the data must match the spec's input shapes"));
      continue;
    }
    if (n === 0) {
      diagnostics.push(diag.tensorMismatch(at, `\`${input.name}\` holds no samples`, "a dataset needs at least one sample"));
      continue;
    }
    if (count !== undefined && n !== count) {
      diagnostics.push(diag.tensorMismatch(at, `\`${input.name}\` has ${n} samples, but another input has ${count}`, "every input needs one entry per sample"));
      continue;
    }
    count = n;
    const converted = input.dtype === "int32" ? toIntegers(tensor, input, module, at, diagnostics) : toReals(tensor, input.name, module, at, diagnostics);
    if (converted !== undefined) inputs[input.name] = converted;
  }
  if (diagnostics.length > 0 || count === undefined) return { diagnostics };
  return { dataset: { count, inputs }, diagnostics };
}

/** At most ten names: a hostile file can hold thousands of tensors with long names. */
function someNames(names: readonly string[]): string {
  if (names.length === 0) return "none";
  return names.length <= 10 ? names.join(", ") : `${names.slice(0, 10).join(", ")} and ${names.length - 10} more`;
}

type Tensor = TensorFile["tensors"] extends ReadonlyMap<string, infer T> ? T : never;
type Position = { file: string; line: number; column: number };

function toReals(tensor: Tensor, name: string, module: GeneratedModule, at: Position, diagnostics: Diagnostic[]): InputArray | undefined {
  if (tensor.dtype !== "F32" && tensor.dtype !== "F64") {
    diagnostics.push(diag.tensorMismatch(at, `\`${name}\` is ${tensor.dtype}, but the spec says float32`, "store it as F32 (or F64)"));
    return undefined;
  }
  const converted = toPrecision(tensor.data, module.PRECISION);
  if ("bad" in converted) {
    diagnostics.push(diag.nonFiniteData(elementPosition(at.file, tensor, converted.bad.index), name, elementIndex(tensor.shape, converted.bad.index), converted.bad.value, module.PRECISION));
    return undefined;
  }
  return converted.values;
}

function toIntegers(tensor: Tensor, input: InputInfo, module: GeneratedModule, at: Position, diagnostics: Diagnostic[]): InputArray | undefined {
  const name = input.name;
  const range = integerRange(module, input);
  if (tensor.dtype !== "I32" && tensor.dtype !== "I64") {
    diagnostics.push(diag.tensorMismatch(at, `\`${name}\` is ${tensor.dtype}, but the spec says int32 ${range.what}`, "store it as I64 (PyTorch's default) or I32"));
    return undefined;
  }
  const width = perSample(input);
  const values = new Int32Array(tensor.data.length);
  for (let i = 0; i < values.length; i++) {
    const value = Number(tensor.data[i] ?? 0);
    if (!(value >= range.min && value <= range.max) && value !== range.ignore) {
      diagnostics.push(diag.labelOutOfRange(elementPosition(at.file, tensor, i), name, Math.floor(i / width), width === 1 ? undefined : i % width, value, range));
      return undefined;
    }
    values[i] = value;
  }
  // Every target ignored: the loss would be 0 (PyTorch's NaN) in every step and nothing would be learned.
  if (name === module.LOSS.target && range.ignore !== undefined && values.length > 0 && values.every((value) => value === range.ignore)) {
    diagnostics.push(
      diag.tensorMismatch(
        elementPosition(at.file, tensor, 0),
        `every value of \`${name}\` is ${range.ignore}, the loss's ignore_index: there is nothing to learn from`,
        `store the class indices in \`${name}\` (${range.ignore} only for padding), or set \`loss.ignore_index\` to the value your data uses for padding`,
      ),
    );
    return undefined;
  }
  return values;
}
