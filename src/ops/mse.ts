import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type Loss } from "../ir/types.ts";
import type { InputValue, LossBuffers, LossOp, LossSpecBase, ShapeRuleResult, SourcePosition } from "./op.ts";

export interface MseLoss extends Loss {
  readonly op: "mse";
  /** Width of the prediction: [batch, outputs]. */
  readonly outputs: number;
}

/**
 * mse — mean over every element of (prediction − target)², as torch.nn.MSELoss().
 * Shape rule: prediction [batch, outputs] float32, target float32 [batch, outputs] (or [batch] when outputs is 1) → scalar.
 */
export function lowerMse(spec: LossSpecBase, prediction: InputValue, target: InputValue, at: { readonly input: SourcePosition; readonly target: SourcePosition }): ShapeRuleResult<MseLoss> {
  const [batch, outputDim] = prediction.type.dims;
  const outputs = outputDim === undefined ? undefined : staticSize(outputDim);
  if (prediction.type.dims.length !== 2 || batch?.name !== "batch" || outputs === undefined) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.input,
          `mse needs a prediction [batch, outputs], but \`${prediction.id}\` has shape [${showType(prediction.type).join(", ")}]`,
          prediction.type.dims.length === 3 ? "reduce the sequence first, e.g. with a last_step node" : "end the graph with a linear layer",
        ),
      ],
    };
  }
  const targetShape = showType(target.type);
  const fits =
    target.type.dtype === "float32" &&
    target.type.dims[0]?.name === "batch" &&
    ((target.type.dims.length === 2 && staticSize(target.type.dims[1]!) === outputs) || (target.type.dims.length === 1 && outputs === 1));
  if (!fits) {
    return {
      diagnostics: [
        diag.lossTargetMismatch(
          at.target,
          `mse needs a float32 target shaped like the prediction [batch, ${outputs}], but \`${target.id}\` is ${target.type.dtype} [${targetShape.join(", ")}]`,
          `declare it as \`${target.id}: { shape: [batch${outputs === 1 ? "" : `, ${outputs}`}], dtype: float32 }\``,
        ),
      ],
    };
  }
  return { node: { op: "mse", input: spec.input, target: spec.target, outputs, task: "regression", width: outputs, at: at.input } };
}

/** Writes statements that set `loss` (the mean) and the prediction's gradient 2(prediction − target) / count. */
export function emitMse(loss: MseLoss, { prediction, target, dPrediction }: LossBuffers, w: Writer): void {
  comment(w, `mse: loss = mean((prediction − target)²) over batchSize·${loss.outputs} elements; dPrediction = 2(prediction − target) / count`);
  constant(w, "count", `batchSize * ${loss.outputs}`);
  constant(w, "scale", "1 / count");
  w.writeLine("let total = 0;");
  forRange(w, "i", "count", () => {
    constant(w, "difference", `${prediction}[i]! - ${target}[i]!`);
    w.writeLine("total += difference * difference;");
    w.writeLine(`${dPrediction}[i] = 2 * difference * scale;`);
  });
  constant(w, "loss", "total * scale");
}

export const mseOp: LossOp<LossSpecBase, MseLoss> = {
  schema: {
    description: "Mean squared error over every element of the prediction [batch, outputs] against a float32 target of the same shape ([batch] when outputs is 1). Same as torch.nn.MSELoss().",
    required: ["input", "target"],
    properties: {
      input: { $ref: "#/$defs/identifier", description: "The node whose output is the prediction: the last node of the graph." },
      target: { $ref: "#/$defs/identifier", description: "The spec input that holds the true values." },
    },
  },
  lower: lowerMse,
  summary: (loss) => `mse(${loss.input}, ${loss.target}) over ${loss.outputs} outputs`,
  emit: emitMse,
};
