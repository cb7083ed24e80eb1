import { comment, constant, copyElements, forRange, type Writer } from "../emit/code.ts";
import type { Buffers } from "./op.ts";
import { emitStepsOfSample, sequenceReductionOp, type SequenceReductionNode } from "./sequence-reduction.ts";

/**
 * last_step — the last time step of a sequence, PyTorch's out[:, -1, :]; with `lengths`, each sample's own last
 * step out[b, lengths[b] − 1, :]. Shape rule: [batch, seq, features] → [batch, features].
 */
export function emitLastStepForward(node: SequenceReductionNode, buffers: Buffers, w: Writer): void {
  const { seqLen: T, features: F } = node;
  if (node.lengths === undefined) {
    comment(w, `last_step \`${node.id}\` forward: out[b, :] = in[${T - 1}, b, :] (sequences are time-major: the last step is one block)`);
    copyElements(w, buffers.output, 0, buffers.input, T === 1 ? 0 : `${T - 1} * batchSize * ${F}`, `batchSize * ${F}`, buffers.elementBytes);
    return;
  }
  comment(w, `last_step \`${node.id}\` forward: out[b, :] = in[lengths[b] − 1, b, :], each sample's own last step`);
  forRange(w, "b", "batchSize", () => {
    emitStepsOfSample(w, node, buffers);
    constant(w, "from", `((steps - 1) * batchSize + b) * ${F}`);
    forRange(w, "f", F, () => w.writeLine(`${buffers.output.view}[b * ${F} + f] = ${buffers.input.view}[from + f]!;`));
  });
}

export function emitLastStepBackward(node: SequenceReductionNode, buffers: Buffers, w: Writer): void {
  const { dInput } = buffers;
  if (dInput === undefined) return;
  const { seqLen: T, features: F } = node;
  comment(w, `last_step \`${node.id}\` backward: only the step taken receives gradient`);
  if (node.lengths === undefined) {
    constant(w, "to", `${T - 1} * batchSize * ${F}`);
    forRange(w, "i", `batchSize * ${F}`, () => w.writeLine(`${dInput.view}[to + i]! += ${buffers.dOutput.view}[i]!;`));
    return;
  }
  forRange(w, "b", "batchSize", () => {
    emitStepsOfSample(w, node, buffers);
    constant(w, "to", `((steps - 1) * batchSize + b) * ${F}`);
    forRange(w, "f", F, () => w.writeLine(`${dInput.view}[to + f]! += ${buffers.dOutput.view}[b * ${F} + f]!;`));
  });
}

export const lastStepOp = sequenceReductionOp({
  op: "last_step",
  description:
    "The last time step of a sequence: [batch, seq, features] → [batch, features]. Same as out[:, -1, :] (for a bidirectional layer, the reverse half there has seen one step, as in PyTorch); with `lengths`, each sample's own last step out[b, lengths[b] − 1, :].",
  // one step at a time, the last step is the current one
  streams: (node) => node.lengths === undefined,
  forward: emitLastStepForward,
  backward: emitLastStepBackward,
});
