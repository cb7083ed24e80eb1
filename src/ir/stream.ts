import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { InputValue } from "../ops/op.ts";
import { layerOp } from "../ops/registry.ts";
import type { Spec } from "../spec/types.ts";
import { lowerLayers, type Positions } from "./lower.ts";
import type { InputNode, LayerNode, StreamGraph } from "./types.ts";

/**
 * The graph of the streaming inference API: the same nodes lowered again with every sequence input one step long
 * (float [batch, seq, features] → [batch, 1, features], int32 ids [batch, seq] → [batch, 1]). The generated module
 * then runs one step per call, each recurrent layer carrying its state from call to call. Undefined when the model
 * cannot run so: a node that needs the whole sequence (a bidirectional layer, lengths, pooling over time) or an
 * input that is not a sequence.
 */
export function lowerStream(spec: Spec, positions: Positions, inputs: readonly InputNode[], layers: readonly LayerNode[]): StreamGraph | undefined {
  const read = inputs.filter((input) => layers.some((node) => node.inputs.includes(input.id)));
  const values = new Map<string, InputValue>();
  const definedAt = new Map<string, SourcePosition>();
  const streamInputs: InputNode[] = [];
  for (const input of inputs) {
    definedAt.set(input.id, input.at);
    if (!read.includes(input)) continue;
    const dims = input.type.dims;
    const isSequence = (input.type.dtype === "float32" && dims.length === 3) || (input.type.dtype === "int32" && dims.length === 2);
    if (!isSequence) return undefined;
    const oneStep: InputNode = { ...input, type: { ...input.type, dims: dims.map((dim, i) => (i === 1 ? { name: dim.name, size: 1 } : dim)) } };
    streamInputs.push(oneStep);
    values.set(input.id, oneStep);
  }
  const diagnostics: Diagnostic[] = [];
  const lowered = lowerLayers(spec, positions, values, definedAt, diagnostics);
  if (lowered.failed || diagnostics.length > 0) return undefined;
  if (!lowered.layers.every((node) => layerOp(node.op).streaming?.(node) !== undefined)) return undefined;
  return { inputs: streamInputs, layers: lowered.layers };
}
