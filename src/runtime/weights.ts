import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { elementIndex, elementPosition, toPrecision } from "./elements.ts";
import type { GeneratedModule, Model } from "./generated-module.ts";
import type { NamedTensor, TensorFile } from "./safetensors.ts";

/** Loads a state_dict (PyTorch names, F32 or F64) into the model. Every parameter must be present with its exact shape. */
export function loadStateDict(module: GeneratedModule, model: Model, tensorFile: TensorFile, file: string): Diagnostic[] {
  const at = { file, line: 1, column: 1 };
  const diagnostics: Diagnostic[] = [];
  const expectedNames = new Set(module.PARAMETERS.map((p) => p.name));
  for (const parameter of module.PARAMETERS) {
    const tensor = tensorFile.tensors.get(parameter.name);
    if (tensor === undefined) {
      diagnostics.push(diag.checkpointMismatch(at, `the weights have no tensor \`${parameter.name}\``, `expected: ${[...expectedNames].join(", ")}`));
      continue;
    }
    if (tensor.shape.length !== parameter.shape.length || tensor.shape.some((d, i) => d !== parameter.shape[i])) {
      diagnostics.push(
        diag.checkpointMismatch(at, `\`${parameter.name}\` has shape [${tensor.shape.join(", ")}], but the spec needs [${parameter.shape.join(", ")}]`, "the weights were saved from a different model"),
      );
      continue;
    }
    if (tensor.dtype !== "F32" && tensor.dtype !== "F64") {
      diagnostics.push(diag.checkpointMismatch(at, `\`${parameter.name}\` is ${tensor.dtype}`, "weights must be F32 or F64"));
      continue;
    }
    // Checked after conversion to the model's type: F64 1e300 is finite in the file but Infinity in a float32 model.
    const converted = toPrecision(tensor.data, module.PRECISION);
    if ("bad" in converted) {
      diagnostics.push(diag.nonFiniteWeights(elementPosition(file, tensor, converted.bad.index), parameter.name, elementIndex(tensor.shape, converted.bad.index), converted.bad.value, module.PRECISION));
      continue;
    }
    model.parameters.set(converted.values, parameter.offset);
  }
  // One diagnostic for all of them: a hostile file can hold a million stray tensors.
  const extra = [...tensorFile.tensors.keys()].filter((name) => !expectedNames.has(name));
  if (extra.length > 0) {
    const shown = extra.slice(0, 5).map((name) => `\`${name}\``).join(", ");
    const more = extra.length > 5 ? ` and ${extra.length - 5} more` : "";
    diagnostics.push(diag.checkpointMismatch(at, `the weights hold ${shown}${more}, which this model does not have`, `expected: ${[...expectedNames].join(", ")}`));
  }
  return diagnostics;
}

/** The first tensor element that is not finite, as `{ name, element, value }`: what `--save` must never write. */
export function firstNonFinite(tensors: readonly NamedTensor[]): { name: string; element: string; value: number } | undefined {
  for (const { name, tensor } of tensors) {
    if (tensor.dtype === "I64") continue;
    const index = tensor.data.findIndex((value: number) => !Number.isFinite(value));
    if (index >= 0) return { name, element: elementIndex(tensor.shape, index), value: tensor.data[index] ?? NaN };
  }
  return undefined;
}

/** The model's parameters as F32 tensors under their state_dict names, ready for writeSafetensors. */
export function stateDict(module: GeneratedModule, parameters: Float32Array | Float64Array): NamedTensor[] {
  return module.PARAMETERS.map((p) => ({
    name: p.name,
    tensor: { dtype: "F32", shape: p.shape, data: Float32Array.from(parameters.subarray(p.offset, p.offset + p.size)) },
  }));
}
