import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type MseLoss } from "../ir/types.ts";
import type { MseSpec } from "../spec/types.ts";
import type { InputValue, ShapeRuleResult, SourcePosition } from "./op.ts";

/**
 * mse — mean over every element of (prediction − target)², as torch.nn.MSELoss().
 * Shape rule: prediction [batch, outputs] float32, target float32 [batch, outputs] (or [batch] when outputs is 1) → scalar.
 */
export function lowerMse(spec: MseSpec, prediction: InputValue, target: InputValue, at: { readonly input: SourcePosition; readonly target: SourcePosition }): ShapeRuleResult<MseLoss> {
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
  return { node: { op: "mse", input: spec.input, target: spec.target, outputs, at: at.input } };
}

/** Writes statements that set `loss` (the mean) and the prediction's gradient 2(prediction − target) / count. */
export function emitMse(loss: MseLoss, prediction: string, target: string, dPrediction: string, w: Writer): void {
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
