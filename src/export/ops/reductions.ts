import type { SequenceReductionNode } from "../../ops/sequence-reduction.ts";
import { attribute } from "../graph-builder.ts";
import { dataType } from "../onnx-types.ts";
import { exporterFor, type NodeExport, type NodeExporter } from "../node-export.ts";

/**
 * last_step, mean_pool, max_pool: [batch, seq, features] → [batch, features] over the time axis (1), or over each
 * sample's first lengths[b] steps.
 */

/** out[:, T − 1, :], or with lengths out[b, lengths[b] − 1, :] (GatherND with one batch dimension). */
function exportLastStep(node: SequenceReductionNode, x: NodeExport): string {
  const [input, lengths] = x.inputs;
  if (lengths === undefined) return x.emit("Gather", [input!, x.int64s("last", [], [node.seqLen - 1])], "", [attribute.int("axis", 1)]);
  // With lengths this is Y at each sample's own last step: a reverse direction's half there has seen one step, as
  // PyTorch's out[b, lengths[b] − 1] (not Y_h, the reverse direction's final state).
  const wide = x.emit("Cast", [lengths], "lengths_int64", [attribute.int("to", dataType.int64)]);
  const last = x.emit("Sub", [wide, x.int64s("one", [], [1])], "last");
  const index = x.emit("Unsqueeze", [last, x.int64s("axis", [1], [1])], "index");
  return x.emit("GatherND", [input!, index], "", [attribute.int("batch_dims", 1)]);
}

/** mask[b, t, 0] = t < lengths[b]: bool [batch, seq, 1]. */
function stepMask(node: SequenceReductionNode, x: NodeExport, lengths: string): string {
  const steps = x.int32s("steps", [1, node.seqLen], Array.from({ length: node.seqLen }, (_, t) => t));
  const column = x.emit("Unsqueeze", [lengths, x.int64s("axis_1", [1], [1])], "lengths_column");
  const mask = x.emit("Less", [steps, column], "valid");
  return x.emit("Unsqueeze", [mask, x.int64s("axis_2", [1], [2])], "valid_steps");
}

/** The mean over time, or Σ_{t < lengths[b]} x[b, t] / lengths[b]. */
function exportMeanPool(node: SequenceReductionNode, x: NodeExport): string {
  const [input, lengths] = x.inputs;
  const time = [attribute.ints("axes", [1]), attribute.int("keepdims", 0)];
  if (lengths === undefined) return x.emit("ReduceMean", [input!], "", time);
  const weights = x.emit("Cast", [stepMask(node, x, lengths)], "weights", [attribute.int("to", dataType.float)]);
  const kept = x.emit("Mul", [input!, weights], "kept");
  const sum = x.emit("ReduceSum", [kept, x.int64s("time", [1], [1])], "sum", [attribute.int("keepdims", 0)]);
  const count = x.emit("Cast", [x.emit("Unsqueeze", [lengths, x.int64s("axis_count", [1], [1])], "count_int32")], "count", [attribute.int("to", dataType.float)]);
  return x.emit("Div", [sum, count], "");
}

/** The maximum over time, or over each sample's first lengths[b] steps (later steps count as −∞). */
function exportMaxPool(node: SequenceReductionNode, x: NodeExport): string {
  const [input, lengths] = x.inputs;
  const time = [attribute.ints("axes", [1]), attribute.int("keepdims", 0)];
  if (lengths === undefined) return x.emit("ReduceMax", [input!], "", time);
  const masked = x.emit("Where", [stepMask(node, x, lengths), input!, x.floats("minus_infinity", [], [-Infinity])], "masked");
  return x.emit("ReduceMax", [masked], "", time);
}

export const lastStepExporter: NodeExporter = exporterFor(exportLastStep);
export const meanPoolExporter: NodeExporter = exporterFor(exportMeanPool);
export const maxPoolExporter: NodeExporter = exporterFor(exportMaxPool);
