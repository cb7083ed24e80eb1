import { comment, constant, numberLiteral } from "../emit/code.ts";
import type { Optimizer } from "../ir/types.ts";
import type { OptimizerOp, OptimizerSpecBase } from "./op.ts";

/**
 * rmsprop — exactly as torch.optim.RMSprop: g ← g + wd·θ; v ← α v + (1 − α) g²; centered: ḡ ← α ḡ + (1 − α) g and the
 * denominator √(v − ḡ²) + eps, else √v + eps; with momentum μ: b ← μ b + g/denom, θ ← θ − lr·b; else θ ← θ − lr·g/denom.
 */
export interface RmspropSpec extends OptimizerSpecBase {
  readonly alpha: number;
  readonly eps: number;
  readonly weight_decay: number;
  readonly momentum: number;
  readonly centered: boolean;
}

export interface Rmsprop extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
}

export const rmspropOp: OptimizerOp<RmspropSpec, Rmsprop> = {
  schema: {
    description: "RMSprop, exactly as torch.optim.RMSprop: a running mean of squared gradients scales each step, optionally centered and with momentum.",
    properties: {
      lr: { description: "Learning rate (a schedule may change it after each epoch).", type: "number", exclusiveMinimum: 0, maximum: 10, default: 0.01 },
      alpha: { description: "Smoothing constant of the running mean of squared gradients.", type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.99 },
      eps: { description: "Added to the denominator after the square root.", type: "number", exclusiveMinimum: 0, maximum: 1, default: 1e-8 },
      weight_decay: { description: "L2 penalty added to the gradient.", type: "number", minimum: 0, maximum: 1, default: 0 },
      momentum: { description: "Momentum factor μ; 0 for none.", type: "number", minimum: 0, exclusiveMaximum: 1, default: 0 },
      centered: { description: "Divide by an estimate of the gradient's variance rather than its second moment.", type: "boolean", default: false },
    },
  },
  lower: (spec) => ({ node: { op: "rmsprop", lr: spec.lr, alpha: spec.alpha, eps: spec.eps, weightDecay: spec.weight_decay, momentum: spec.momentum, centered: spec.centered } }),
  summary: (o) => `rmsprop(lr=${o.lr}, alpha=${o.alpha}, eps=${o.eps}, weight_decay=${o.weightDecay}, momentum=${o.momentum}${o.centered ? ", centered" : ""})`,
  state: (o) => ["squareAverage", ...(o.centered ? ["gradientAverage"] : []), ...(o.momentum === 0 ? [] : ["momentumBuffer"])],
  hyperparameters: (o) => ({ lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.weightDecay, momentum: o.momentum, centered: o.centered }),
  emitStep(o, w, eachParameter) {
    const alpha = numberLiteral(o.alpha);
    const rest = numberLiteral(1 - o.alpha);
    comment(w, `rmsprop: lr optimizerState.lr, alpha ${o.alpha}, eps ${o.eps}, weight_decay ${o.weightDecay}, momentum ${o.momentum}${o.centered ? ", centered" : ""}`);
    constant(w, "lr", "optimizerState.lr");
    eachParameter(() => {
      w.writeLine(o.weightDecay === 0 ? "const g = gradients[i]!;" : `const g = gradients[i]! + ${numberLiteral(o.weightDecay)} * parameters[i]!;`);
      w.writeLine(`squareAverage[i] = ${alpha} * squareAverage[i]! + ${rest} * g * g;`);
      if (o.centered) {
        w.writeLine(`gradientAverage[i] = ${alpha} * gradientAverage[i]! + ${rest} * g;`);
        w.writeLine(`const denominator = Math.sqrt(squareAverage[i]! - gradientAverage[i]! * gradientAverage[i]!) + ${numberLiteral(o.eps)};`);
      } else {
        w.writeLine(`const denominator = Math.sqrt(squareAverage[i]!) + ${numberLiteral(o.eps)};`);
      }
      if (o.momentum === 0) {
        w.writeLine("parameters[i]! -= (lr * g) / denominator;");
        return;
      }
      w.writeLine(`momentumBuffer[i] = ${numberLiteral(o.momentum)} * momentumBuffer[i]! + g / denominator;`);
      w.writeLine("parameters[i]! -= lr * momentumBuffer[i]!;");
    });
  },
};
