import { diag } from "../diagnostics/codes.ts";
import { comment, constant, numberLiteral } from "../emit/code.ts";
import type { Optimizer } from "../ir/types.ts";
import type { OptimizerOp, OptimizerSpecBase } from "./op.ts";

/**
 * sgd — exactly as torch.optim.SGD: g ← g + wd·θ; with momentum μ the buffer b ← g at the first step, then
 * b ← μ b + (1 − dampening) g; nesterov uses g + μ b, else b; θ ← θ − lr·g.
 */
export interface SgdSpec extends OptimizerSpecBase {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weight_decay: number;
}

export interface Sgd extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

export const sgdOp: OptimizerOp<SgdSpec, Sgd> = {
  schema: {
    description: "Stochastic gradient descent with optional momentum (and Nesterov's variant) and L2 weight decay, exactly as torch.optim.SGD.",
    required: ["lr"],
    properties: {
      lr: { description: "Learning rate (a schedule may change it after each epoch).", type: "number", exclusiveMinimum: 0, maximum: 100 },
      momentum: { description: "Momentum factor μ; 0 for plain SGD.", type: "number", minimum: 0, exclusiveMaximum: 1, default: 0 },
      dampening: { description: "Dampening of the momentum: b ← μ b + (1 − dampening) g.", type: "number", minimum: 0, maximum: 1, default: 0 },
      nesterov: { description: "Nesterov momentum (needs momentum > 0 and dampening 0).", type: "boolean", default: false },
      weight_decay: { description: "L2 penalty added to the gradient.", type: "number", minimum: 0, maximum: 1, default: 0 },
    },
  },
  lower(spec, keyAt) {
    if (spec.nesterov && (spec.momentum === 0 || spec.dampening !== 0)) {
      return {
        diagnostics: [diag.invalidValue(keyAt("nesterov"), "optimizer.nesterov", "true", `Nesterov momentum needs momentum > 0 and dampening 0 (here momentum ${spec.momentum}, dampening ${spec.dampening}), as PyTorch requires`)],
      };
    }
    return { node: { op: "sgd", lr: spec.lr, momentum: spec.momentum, dampening: spec.dampening, nesterov: spec.nesterov, weightDecay: spec.weight_decay } };
  },
  summary: (sgd) => `sgd(lr=${sgd.lr}, momentum=${sgd.momentum}, dampening=${sgd.dampening}${sgd.nesterov ? ", nesterov" : ""}, weight_decay=${sgd.weightDecay})`,
  state: (sgd) => (sgd.momentum === 0 ? [] : ["momentumBuffer"]),
  hyperparameters: (sgd) => ({ lr: sgd.lr, momentum: sgd.momentum, dampening: sgd.dampening, nesterov: sgd.nesterov, weightDecay: sgd.weightDecay }),
  emitStep(sgd, w, eachParameter) {
    const mu = numberLiteral(sgd.momentum);
    comment(w, `sgd: lr optimizerState.lr, momentum ${sgd.momentum}, dampening ${sgd.dampening}${sgd.nesterov ? ", nesterov" : ""}, weight_decay ${sgd.weightDecay}`);
    constant(w, "lr", "optimizerState.lr");
    if (sgd.momentum !== 0) constant(w, "first", "optimizerState.step === 1");
    eachParameter(() => {
      w.writeLine(sgd.weightDecay === 0 ? "const g = gradients[i]!;" : `const g = gradients[i]! + ${numberLiteral(sgd.weightDecay)} * parameters[i]!;`);
      if (sgd.momentum === 0) {
        w.writeLine("parameters[i]! -= lr * g;");
        return;
      }
      w.writeLine(`const buffer = first ? g : ${mu} * momentumBuffer[i]! + ${numberLiteral(1 - sgd.dampening)} * g;`);
      w.writeLine("momentumBuffer[i] = buffer;");
      w.writeLine(`parameters[i]! -= lr * ${sgd.nesterov ? `(g + ${mu} * buffer)` : "buffer"};`);
    });
  },
};
