import { comment, forRange } from "../emit/code.ts";
import { forSampleFeature, sequenceReductionOp } from "./sequence-reduction.ts";

/** mean_pool — the mean over time, x.mean(dim=1), or over each sample's first lengths[b] steps. */
export const meanPoolOp = sequenceReductionOp({
  op: "mean_pool",
  description: "The mean over time: [batch, seq, features] → [batch, features], as x.mean(dim=1); with `lengths`, over each sample's first lengths[b] steps.",
  forward(node, buffers, w) {
    const F = node.features;
    comment(w, `mean_pool \`${node.id}\` forward: out[b, f] = Σ_{t < steps} in[t, b, f] / steps`);
    forSampleFeature(w, node, buffers, () => {
      w.writeLine("let sum = 0;");
      forRange(w, "t", "steps", () => w.writeLine(`sum += ${buffers.input.view}[(t * batchSize + b) * ${F} + f]!;`));
      w.writeLine(`${buffers.output.view}[b * ${F} + f] = sum / steps;`);
    });
  },
  backward(node, buffers, w) {
    const dInput = buffers.dInput;
    if (dInput === undefined) return;
    const F = node.features;
    comment(w, `mean_pool \`${node.id}\` backward: each counted step gets dOut / steps`);
    forSampleFeature(w, node, buffers, () => {
      w.writeLine(`const share = ${buffers.dOutput.view}[b * ${F} + f]! / steps;`);
      forRange(w, "t", "steps", () => w.writeLine(`${dInput.view}[(t * batchSize + b) * ${F} + f]! += share;`));
    });
  },
});
