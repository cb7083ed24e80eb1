import { comment, constant, forRange, numberLiteral, type Writer } from "../emit/code.ts";
import type { Optimizer } from "../ir/types.ts";
import type { OptimizerOp, OptimizerSpecBase } from "./op.ts";

/**
 * adam — one fused step over the flat parameter array, exactly as torch.optim.Adam (L2 weight decay, not AdamW):
 *   g ← g + wd·θ;  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²
 *   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps)
 * eps is added after the square root and the bias correction, as PyTorch does.
 */
export interface AdamSpec extends OptimizerSpecBase {
  readonly op: "adam";
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weight_decay: number;
}

export interface Adam extends Optimizer {
  readonly op: "adam";
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

export function emitAdamStep(adam: Adam, w: Writer): void {
  comment(w, `adam: lr ${adam.lr}, betas (${adam.beta1}, ${adam.beta2}), eps ${adam.eps}, weight_decay ${adam.weightDecay}`);
  constant(w, "stepSize", `${numberLiteral(adam.lr)} / (1 - ${numberLiteral(adam.beta1)} ** optimizerState.step)`);
  constant(w, "correction2Sqrt", `Math.sqrt(1 - ${numberLiteral(adam.beta2)} ** optimizerState.step)`);
  forRange(w, "i", "PARAMETER_COUNT", () => {
    w.writeLine(adam.weightDecay === 0 ? "const g = gradients[i]!;" : `const g = gradients[i]! + ${numberLiteral(adam.weightDecay)} * parameters[i]!;`);
    w.writeLine(`m[i] = ${numberLiteral(adam.beta1)} * m[i]! + (1 - ${numberLiteral(adam.beta1)}) * g;`);
    w.writeLine(`v[i] = ${numberLiteral(adam.beta2)} * v[i]! + (1 - ${numberLiteral(adam.beta2)}) * g * g;`);
    w.writeLine(`parameters[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) / correction2Sqrt + ${numberLiteral(adam.eps)});`);
  });
}

export const adamOp: OptimizerOp<AdamSpec, Adam> = {
  schema: {
    description: "Adam with L2 weight decay, exactly as torch.optim.Adam.",
    properties: {
      lr: { description: "Learning rate.", type: "number", exclusiveMinimum: 0, maximum: 10, default: 0.001 },
      betas: {
        description: "Decay rates of the moment estimates.",
        type: "array",
        minItems: 2,
        maxItems: 2,
        items: { type: "number", minimum: 0, exclusiveMaximum: 1 },
        default: [0.9, 0.999],
      },
      eps: { description: "Added to the denominator after the square root.", type: "number", exclusiveMinimum: 0, maximum: 1, default: 1e-8 },
      weight_decay: { description: "L2 penalty added to the gradient.", type: "number", minimum: 0, maximum: 1, default: 0 },
    },
  },
  lower: (spec) => ({ op: "adam", lr: spec.lr, beta1: spec.betas[0], beta2: spec.betas[1], eps: spec.eps, weightDecay: spec.weight_decay }),
  summary: (adam) => `adam(lr=${adam.lr}, betas=(${adam.beta1}, ${adam.beta2}), eps=${adam.eps}, weight_decay=${adam.weightDecay})`,
  state: () => ["m", "v"],
  hyperparameters: (adam) => ({ lr: adam.lr, betas: [adam.beta1, adam.beta2], eps: adam.eps, weightDecay: adam.weightDecay }),
  emitStep: emitAdamStep,
};
