import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type LayerNode } from "../ir/types.ts";
import type { Buffers, InputValue, LayerOp, NodeSpecBase, ShapeRuleResult, SourcePosition } from "./op.ts";

export interface LastStepNode extends LayerNode {
  readonly seqLen: number;
  readonly features: number;
}

/**
 * last_step — the last time step of a sequence, PyTorch's out[:, -1, :].
 * Shape rule: [batch, seq, features] → [batch, features].
 */
export function lowerLastStep(spec: NodeSpecBase, inputs: readonly InputValue[], at: SourcePosition): ShapeRuleResult<LastStepNode> {
  const input = inputs[0]!;
  const [batch, seq, features] = input.type.dims;
  const seqLen = seq === undefined ? undefined : staticSize(seq);
  const size = features === undefined ? undefined : staticSize(features);
  if (input.type.dims.length !== 3 || batch?.name !== "batch" || seqLen === undefined || size === undefined || features === undefined) {
    return {
      diagnostics: [
        diag.rankMismatch(
          at,
          spec.id,
          "last_step",
          "a sequence [batch, seq, features]",
          showType(input.type),
          `\`${input.id}\` has no time axis to take the last step of; remove this node or feed it a sequence`,
        ),
      ],
    };
  }
  return {
    node: { op: "last_step", id: spec.id, input: input.id, inputs: [input.id], at, seqLen, features: size, type: { dims: [batch, features], dtype: input.type.dtype } },
  };
}

export function emitLastStepForward(node: LastStepNode, buffers: Buffers, w: Writer): void {
  const { seqLen: T, features: F } = node;
  comment(w, `last_step \`${node.id}\` forward: out[b, :] = in[${T - 1}, b, :] (sequences are time-major: the last step is one block)`);
  constant(w, "from", `${T - 1} * batchSize * ${F}`);
  forRange(w, "i", `batchSize * ${F}`, () => w.writeLine(`${buffers.output.view}[i] = ${buffers.input.view}[from + i]!;`));
}

export function emitLastStepBackward(node: LastStepNode, buffers: Buffers, w: Writer): void {
  const { dInput } = buffers;
  if (dInput === undefined) return;
  const { seqLen: T, features: F } = node;
  comment(w, `last_step \`${node.id}\` backward: only the last step receives gradient`);
  constant(w, "to", `${T - 1} * batchSize * ${F}`);
  forRange(w, "i", `batchSize * ${F}`, () => w.writeLine(`${dInput.view}[to + i]! += ${buffers.dOutput.view}[i]!;`));
}

export const lastStepOp: LayerOp<NodeSpecBase, LastStepNode> = {
  schema: {
    description: "The last time step of a sequence: [batch, seq, features] → [batch, features]. Same as out[:, -1, :] (for a bidirectional layer, the reverse half there has seen one step, as in PyTorch).",
    properties: {},
  },
  lower: lowerLastStep,
  summary: (node) => `last_step(${node.input})`,
  parameters: () => [],
  scratch: () => [],
  helpers: () => [],
  forward: emitLastStepForward,
  backward: emitLastStepBackward,
};
