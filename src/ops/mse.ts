import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type Loss } from "../ir/types.ts";
import type { InputValue, LossBuffers, LossOp, LossPositions, LossSpecBase, ShapeRuleResult } from "./op.ts";

export interface MseLoss extends Loss {
  readonly op: "mse";
  /** Width of the prediction: [batch, outputs] or [batch, seq, outputs]. */
  readonly outputs: number;
  /** 1 for [batch, outputs]; the sequence length for a per-step prediction. */
  readonly steps: number;
}

/**
 * mse — mean over every element of (prediction − target)², as torch.nn.MSELoss().
 * Shape rule: prediction [batch, outputs] float32 with a float32 target [batch, outputs] ([batch] when outputs is 1),
 * or per step: [batch, seq, outputs] with [batch, seq, outputs] ([batch, seq] when outputs is 1) → scalar.
 */
export function lowerMse(spec: LossSpecBase, prediction: InputValue, target: InputValue, at: LossPositions): ShapeRuleResult<MseLoss> {
  const dims = prediction.type.dims;
  const outputDim = dims[dims.length - 1];
  const outputs = outputDim === undefined ? undefined : staticSize(outputDim);
  const steps = dims.length === 2 ? 1 : dims.length === 3 && dims[1] !== undefined ? staticSize(dims[1]) : undefined;
  if (dims[0]?.name !== "batch" || outputs === undefined || steps === undefined) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `mse needs a prediction [batch, outputs] or [batch, seq, outputs], but \`${prediction.id}\` has shape [${showType(prediction.type).join(", ")}]`,
          "end the graph with a linear layer",
        ),
      ],
    };
  }
  if (dims.length === 3 && target.type.dims.length < 3 && !(outputs === 1 && target.type.dims.length === 2 && staticSize(target.type.dims[1]!) === steps)) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `\`${target.id}\` holds values per sample, so mse needs a prediction [batch, outputs], but \`${prediction.id}\` is a sequence [${showType(prediction.type).join(", ")}]`,
          "reduce the sequence first, e.g. with a last_step node before the last linear layer; or give a target per step",
        ),
      ],
    };
  }
  const leading = dims.length === 2 ? ["batch"] : ["batch", steps];
  const shapes = [[...leading, outputs], ...(outputs === 1 ? [leading] : [])].map((shape) => shape.join(","));
  const fits = target.type.dtype === "float32" && shapes.includes(showType(target.type).join(","));
  if (!fits) {
    const expected = `[${[...leading, ...(outputs === 1 ? [] : [outputs])].join(", ")}]`;
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.target,
          `mse needs a float32 target shaped like the prediction [${[...leading, outputs].join(", ")}], but \`${target.id}\` is ${target.type.dtype} [${showType(target.type).join(", ")}]`,
          `declare it as \`${target.id}: { shape: ${expected}, dtype: float32 }\``,
        ),
      ],
    };
  }
  return { node: { op: "mse", input: spec.input, target: spec.target, outputs, steps, task: "regression", width: outputs, at: at.input } };
}

/**
 * Writes statements that set `loss` (the mean) and the prediction's gradient 2(prediction − target) / count.
 * A per-step prediction is time-major (row t·batchSize + b), its target batch-major ([b, t]).
 */
export function emitMse(loss: MseLoss, { prediction, target, dPrediction }: LossBuffers, w: Writer): void {
  const { outputs: K, steps: T } = loss;
  comment(w, `mse: loss = mean((prediction − target)²) over batchSize·${T * K} elements; dPrediction = 2(prediction − target) / count`);
  constant(w, "scale", `1 / (batchSize * ${T * K})`);
  w.writeLine("let total = 0;");
  const body = (predicted: string, actual: string) => {
    constant(w, "difference", `${prediction}[${predicted}]! - ${target}[${actual}]!`);
    w.writeLine("total += difference * difference;");
    w.writeLine(`${dPrediction}[${predicted}] = 2 * difference * scale;`);
  };
  if (T === 1) forRange(w, "i", `batchSize * ${K}`, () => body("i", "i"));
  else forRange(w, "b", "batchSize", () => forRange(w, "t", T, () => forRange(w, "k", K, () => body(`(t * batchSize + b) * ${K} + k`, `(b * ${T} + t) * ${K} + k`))));
  constant(w, "loss", "total * scale");
}

export const mseOp: LossOp<LossSpecBase, MseLoss> = {
  schema: {
    description: "Mean squared error over every element of the prediction [batch, outputs] (or per step, [batch, seq, outputs]) against a float32 target of the same shape (without the last axis when outputs is 1). Same as torch.nn.MSELoss().",
    required: ["input", "target"],
    properties: {
      input: { $ref: "#/$defs/identifier", description: "The node whose output is the prediction: the last node of the graph." },
      target: { $ref: "#/$defs/identifier", description: "The spec input that holds the true values." },
    },
  },
  lower: lowerMse,
  summary: (loss) => `mse(${loss.input}, ${loss.target}) over ${loss.outputs} outputs${loss.steps === 1 ? "" : ` at each of ${loss.steps} steps`}`,
  emit: emitMse,
};
