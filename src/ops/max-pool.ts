import { comment, forRange } from "../emit/code.ts";
import { forSampleFeature, sequenceReductionOp } from "./sequence-reduction.ts";

/**
 * max_pool — the maximum over time, x.max(dim=1).values, or over each sample's first lengths[b] steps. The step
 * that holds the maximum (the first, on ties, as PyTorch's CPU max) is kept for the backward pass, which sends the
 * gradient there alone.
 */
export const maxPoolOp = sequenceReductionOp({
  op: "max_pool",
  description:
    "The maximum over time: [batch, seq, features] → [batch, features], as x.max(dim=1).values; with `lengths`, over each sample's first lengths[b] steps. The gradient goes to the step that holds the maximum.",
  scratch: (node) => [{ name: "argmax", perItem: node.features, fixed: 0, phase: "forward" }],
  forward(node, buffers, w) {
    const F = node.features;
    const argmax = buffers.scratch("argmax").view;
    comment(w, `max_pool \`${node.id}\` forward: out[b, f] = max_{t < steps} in[t, b, f], remembering which t`);
    forSampleFeature(w, node, buffers, () => {
      w.writeLine(`let best = ${buffers.input.view}[b * ${F} + f]!;`);
      w.writeLine("let at = 0;");
      w.write("for (let t = 1; t < steps; t++) ").block(() => {
        w.writeLine(`const value = ${buffers.input.view}[(t * batchSize + b) * ${F} + f]!;`);
        w.write("if (value > best) ").block(() => {
          w.writeLine("best = value;");
          w.writeLine("at = t;");
        });
      });
      w.writeLine(`${buffers.output.view}[b * ${F} + f] = best;`);
      w.writeLine(`${argmax}[b * ${F} + f] = at;`);
    });
  },
  backward(node, buffers, w) {
    const dInput = buffers.dInput;
    if (dInput === undefined) return;
    const F = node.features;
    const argmax = buffers.scratch("argmax").view;
    comment(w, `max_pool \`${node.id}\` backward: the gradient goes to the step that held the maximum`);
    forRange(w, "i", `batchSize * ${F}`, () => {
      w.writeLine(`${dInput.view}[(${argmax}[i]! * batchSize) * ${F} + i]! += ${buffers.dOutput.view}[i]!;`);
    });
  },
});
