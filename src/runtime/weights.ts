import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
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
    for (let i = 0; i < parameter.size; i++) {
      const value = tensor.data[i] ?? 0;
      if (!Number.isFinite(value)) {
        diagnostics.push(diag.checkpointMismatch(at, `\`${parameter.name}\` holds ${value} at flat index ${i}`, "these weights come from a run that diverged; start from earlier weights or a fresh init"));
        break;
      }
      model.parameters[parameter.offset + i] = value;
    }
  }
  for (const name of tensorFile.tensors.keys()) {
    if (!expectedNames.has(name)) diagnostics.push(diag.checkpointMismatch(at, `the weights hold \`${name}\`, which this model does not have`, `expected: ${[...expectedNames].join(", ")}`));
  }
  return diagnostics;
}

/** The model's parameters as F32 tensors under their state_dict names, ready for writeSafetensors. */
export function stateDict(module: GeneratedModule, parameters: Float32Array | Float64Array): NamedTensor[] {
  return module.PARAMETERS.map((p) => ({
    name: p.name,
    tensor: { dtype: "F32", shape: p.shape, data: Float32Array.from(parameters.subarray(p.offset, p.offset + p.size)) },
  }));
}
