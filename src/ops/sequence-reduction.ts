import { diag } from "../diagnostics/codes.ts";
import { forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type LayerNode } from "../ir/types.ts";
import { lengthsKey, lengthsRange, lowerLengths } from "./lengths.ts";
import type { Buffers, InputValue, IntegerRange, JsonSchema, LayerOp, NodeSpecBase, OpSchema, ScratchBuffer, ShapeRuleResult, SourcePosition } from "./op.ts";

/**
 * What last_step, mean_pool and max_pool share: [batch, seq, features] → [batch, features], reducing over the time
 * axis, over each sample's first lengths[b] steps when `lengths:` names an int32 [batch] input.
 */
export interface SequenceReductionSpec extends NodeSpecBase {
  readonly lengths?: string;
}

export interface SequenceReductionNode extends LayerNode {
  readonly seqLen: number;
  readonly features: number;
  readonly lengths?: string;
}

export function sequenceReductionSchema(description: string, extra: Readonly<Record<string, JsonSchema>> = {}): OpSchema {
  return { description, references: ["lengths"], properties: { ...extra, ...lengthsKey } };
}

export function lowerSequenceReduction(
  op: string,
  spec: SequenceReductionSpec,
  inputs: readonly InputValue[],
  at: SourcePosition,
  keyAt: (key: string) => SourcePosition,
): ShapeRuleResult<SequenceReductionNode> {
  const input = inputs[0]!;
  const [batch, seq, features] = input.type.dims;
  const seqLen = seq === undefined ? undefined : staticSize(seq);
  const size = features === undefined ? undefined : staticSize(features);
  if (input.type.dims.length !== 3 || batch?.name !== "batch" || seqLen === undefined || size === undefined || features === undefined) {
    return {
      diagnostics: [
        diag.rankMismatch(at, spec.id, op, "a sequence [batch, seq, features]", showType(input.type), `\`${input.id}\` has no time axis to reduce; remove this node or feed it a sequence`),
      ],
    };
  }
  if (input.type.dtype !== "float32") return { diagnostics: [diag.dtypeMismatch(at, spec.id, "float32", input.type.dtype)] };
  const { lengths, diagnostics } = lowerLengths(spec.id, op, inputs, keyAt);
  if (diagnostics.length > 0) return { diagnostics };
  return {
    node: {
      op,
      id: spec.id,
      input: input.id,
      inputs: lengths === undefined ? [input.id] : [input.id, lengths],
      at,
      seqLen,
      features: size,
      type: { dims: [batch, features], dtype: "float32" },
      ...(lengths === undefined ? {} : { lengths }),
    },
  };
}

export function reductionSummary(node: SequenceReductionNode): string {
  return `${node.op}(${node.input}${node.lengths === undefined ? "" : `, lengths ${node.lengths}`})`;
}

export function reductionRanges(node: SequenceReductionNode): IntegerRange[] {
  return lengthsRange(node.lengths, node.seqLen);
}

/** `const steps = lengths[b]` (or the sequence length), inside a loop over b: how many steps sample b has. */
export function emitStepsOfSample(w: Writer, node: SequenceReductionNode, buffers: Buffers): void {
  w.writeLine(`const steps = ${node.lengths === undefined ? node.seqLen : `${buffers.inputs[1]!.view}[b]!`};`);
}

/** `for (let b …) { const steps = …; for (let f …) { body } }` */
export function forSampleFeature(w: Writer, node: SequenceReductionNode, buffers: Buffers, body: () => void): void {
  forRange(w, "b", "batchSize", () => {
    emitStepsOfSample(w, node, buffers);
    forRange(w, "f", node.features, body);
  });
}

/** What a reduction op file declares; the shape rule, lengths, summary and ranges are the family's. */
export interface SequenceReductionDefinition {
  readonly op: string;
  readonly description: string;
  readonly scratch?: (node: SequenceReductionNode) => readonly ScratchBuffer[];
  /** Whether it can run one step at a time for the streaming API (last_step without lengths can). */
  readonly streams?: (node: SequenceReductionNode) => boolean;
  readonly forward: LayerOp<SequenceReductionSpec, SequenceReductionNode>["forward"];
  readonly backward: LayerOp<SequenceReductionSpec, SequenceReductionNode>["backward"];
}

export function sequenceReductionOp(definition: SequenceReductionDefinition): LayerOp<SequenceReductionSpec, SequenceReductionNode> {
  return {
    schema: sequenceReductionSchema(definition.description),
    lower: (spec, inputs, at, keyAt) => lowerSequenceReduction(definition.op, spec, inputs, at, keyAt),
    summary: reductionSummary,
    parameters: () => [],
    scratch: (node) => definition.scratch?.(node) ?? [],
    helpers: () => [],
    integerRanges: reductionRanges,
    streaming: (node) => (definition.streams?.(node) === true ? { state: [] } : undefined),
    forward: definition.forward,
    backward: definition.backward,
  };
}
