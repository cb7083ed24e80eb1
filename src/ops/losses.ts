import type { Writer } from "../emit/code.ts";
import { assertNever, type Loss } from "../ir/types.ts";
import type { LossSpec } from "../spec/types.ts";
import { emitCrossEntropy, lowerCrossEntropy } from "./cross-entropy.ts";
import { emitMse, lowerMse } from "./mse.ts";
import type { InputValue, ShapeRuleResult, SourcePosition } from "./op.ts";

/** The loss ops: each has a shape rule over (prediction, target) and an emitter of the loss and its gradient. */
export function lowerLoss(spec: LossSpec, prediction: InputValue, target: InputValue, at: { input: SourcePosition; target: SourcePosition }): ShapeRuleResult<Loss> {
  switch (spec.op) {
    case "cross_entropy":
      return lowerCrossEntropy(spec, prediction, target, at);
    case "mse":
      return lowerMse(spec, prediction, target, at);
    default:
      return assertNever(spec);
  }
}

export function emitLoss(loss: Loss, prediction: string, target: string, dPrediction: string, w: Writer): void {
  switch (loss.op) {
    case "cross_entropy":
      return emitCrossEntropy(loss, prediction, target, dPrediction, w);
    case "mse":
      return emitMse(loss, prediction, target, dPrediction, w);
    default:
      return assertNever(loss);
  }
}

/** Width of the loss input: classes for cross_entropy, outputs for mse. */
export function lossWidth(loss: Loss): number {
  return loss.op === "cross_entropy" ? loss.classes : loss.outputs;
}
