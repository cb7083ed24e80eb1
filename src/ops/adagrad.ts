import { comment, constant, numberLiteral } from "../emit/code.ts";
import type { Optimizer } from "../ir/types.ts";
import type { OptimizerOp, OptimizerSpecBase } from "./op.ts";

/**
 * adagrad — exactly as torch.optim.Adagrad: g ← g + wd·θ; clr = lr / (1 + (t − 1)·lr_decay); s ← s + g²;
 * θ ← θ − clr · g / (√s + eps).
 */
export interface AdagradSpec extends OptimizerSpecBase {
  readonly lr_decay: number;
  readonly weight_decay: number;
  readonly eps: number;
  readonly initial_accumulator_value: number;
}

export interface Adagrad extends Optimizer {
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly eps: number;
  readonly initialAccumulator: number;
}

export const adagradOp: OptimizerOp<AdagradSpec, Adagrad> = {
  schema: {
    description: "Adagrad, exactly as torch.optim.Adagrad: each parameter's step shrinks with the sum of its squared gradients.",
    properties: {
      lr: { description: "Learning rate (a schedule may change it after each epoch).", type: "number", exclusiveMinimum: 0, maximum: 10, default: 0.01 },
      lr_decay: { description: "The step's rate is lr / (1 + (t − 1)·lr_decay) at step t.", type: "number", minimum: 0, maximum: 1, default: 0 },
      weight_decay: { description: "L2 penalty added to the gradient.", type: "number", minimum: 0, maximum: 1, default: 0 },
      eps: { description: "Added to the denominator after the square root.", type: "number", exclusiveMinimum: 0, maximum: 1, default: 1e-10 },
      initial_accumulator_value: { description: "The sum of squared gradients starts here.", type: "number", minimum: 0, maximum: 1000, default: 0 },
    },
  },
  lower: (spec) => ({ node: { op: "adagrad", lr: spec.lr, lrDecay: spec.lr_decay, weightDecay: spec.weight_decay, eps: spec.eps, initialAccumulator: spec.initial_accumulator_value } }),
  summary: (o) => `adagrad(lr=${o.lr}, lr_decay=${o.lrDecay}, weight_decay=${o.weightDecay}, eps=${o.eps}, initial_accumulator_value=${o.initialAccumulator})`,
  state: () => ["sum"],
  hyperparameters: (o) => ({ lr: o.lr, lrDecay: o.lrDecay, weightDecay: o.weightDecay, eps: o.eps, initialAccumulator: o.initialAccumulator }),
  emitStep(o, w, eachParameter) {
    comment(w, `adagrad: lr optimizerState.lr, lr_decay ${o.lrDecay}, weight_decay ${o.weightDecay}, eps ${o.eps}`);
    if (o.initialAccumulator !== 0) w.writeLine(`if (optimizerState.step === 1) sum.fill(${numberLiteral(o.initialAccumulator)});`);
    constant(w, "clr", `optimizerState.lr / (1 + (optimizerState.step - 1) * ${numberLiteral(o.lrDecay)})`);
    eachParameter(() => {
      w.writeLine(o.weightDecay === 0 ? "const g = gradients[i]!;" : `const g = gradients[i]! + ${numberLiteral(o.weightDecay)} * parameters[i]!;`);
      w.writeLine("sum[i] = sum[i]! + g * g;");
      w.writeLine(`parameters[i]! -= (clr * g) / (Math.sqrt(sum[i]!) + ${numberLiteral(o.eps)});`);
    });
  },
};
