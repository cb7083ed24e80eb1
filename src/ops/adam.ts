import { comment, constant, numberLiteral, type Writer } from "../emit/code.ts";
import type { Optimizer } from "../ir/types.ts";
import type { OptimizerOp, OptimizerSpecBase } from "./op.ts";

/**
 * adam — one fused step over the flat parameter array, exactly as torch.optim.Adam (L2 weight decay, not AdamW):
 *   g ← g + wd·θ;  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  with amsgrad v̂ ← max(v̂, v) is used for v
 *   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps)
 * eps is added after the square root and the bias correction, as PyTorch does. AdamW (adamw.ts) shares the update.
 */
export interface AdamSpec extends OptimizerSpecBase {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weight_decay: number;
  readonly amsgrad: boolean;
}

export interface Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
}

export const adamKeys = (weightDecay: { description: string; default: number }) => ({
  lr: { description: "Learning rate (a schedule may change it after each epoch).", type: "number", exclusiveMinimum: 0, maximum: 10, default: 0.001 },
  betas: {
    description: "Decay rates of the moment estimates.",
    type: "array",
    minItems: 2,
    maxItems: 2,
    items: { type: "number", minimum: 0, exclusiveMaximum: 1 },
    default: [0.9, 0.999],
  },
  eps: { description: "Added to the denominator after the square root.", type: "number", exclusiveMinimum: 0, maximum: 1, default: 1e-8 },
  weight_decay: { ...weightDecay, type: "number", minimum: 0, maximum: 1 },
  amsgrad: { description: "Use the maximum of past second moments in the denominator (AMSGrad).", type: "boolean", default: false },
});

export const lowerAdam = (op: string, spec: AdamSpec): Adam => ({
  op,
  lr: spec.lr,
  beta1: spec.betas[0],
  beta2: spec.betas[1],
  eps: spec.eps,
  weightDecay: spec.weight_decay,
  amsgrad: spec.amsgrad,
});

export const adamSummary = (adam: Adam): string =>
  `${adam.op}(lr=${adam.lr}, betas=(${adam.beta1}, ${adam.beta2}), eps=${adam.eps}, weight_decay=${adam.weightDecay}${adam.amsgrad ? ", amsgrad" : ""})`;

export const adamState = (adam: Adam): string[] => (adam.amsgrad ? ["m", "v", "vMax"] : ["m", "v"]);

export const adamHyperparameters = (adam: Adam) => ({ lr: adam.lr, betas: [adam.beta1, adam.beta2], eps: adam.eps, weightDecay: adam.weightDecay, amsgrad: adam.amsgrad });

/** The Adam update; `decoupled` is AdamW's θ ← θ·(1 − lr·wd) before it instead of the L2 term in the gradient. */
export function emitAdamUpdate(adam: Adam, decoupled: boolean, w: Writer, eachParameter: (body: () => void) => void): void {
  comment(w, `${adam.op}: lr optimizerState.lr, betas (${adam.beta1}, ${adam.beta2}), eps ${adam.eps}, weight_decay ${adam.weightDecay}${decoupled ? " (decoupled)" : ""}${adam.amsgrad ? ", amsgrad" : ""}`);
  constant(w, "lr", "optimizerState.lr");
  constant(w, "stepSize", `lr / (1 - ${numberLiteral(adam.beta1)} ** optimizerState.step)`);
  constant(w, "correction2Sqrt", `Math.sqrt(1 - ${numberLiteral(adam.beta2)} ** optimizerState.step)`);
  const l2 = !decoupled && adam.weightDecay !== 0;
  eachParameter(() => {
    if (decoupled && adam.weightDecay !== 0) w.writeLine(`parameters[i]! *= 1 - lr * ${numberLiteral(adam.weightDecay)};`);
    w.writeLine(l2 ? `const g = gradients[i]! + ${numberLiteral(adam.weightDecay)} * parameters[i]!;` : "const g = gradients[i]!;");
    w.writeLine(`m[i] = ${numberLiteral(adam.beta1)} * m[i]! + (1 - ${numberLiteral(adam.beta1)}) * g;`);
    w.writeLine(`v[i] = ${numberLiteral(adam.beta2)} * v[i]! + (1 - ${numberLiteral(adam.beta2)}) * g * g;`);
    if (adam.amsgrad) w.writeLine("if (v[i]! > vMax[i]!) vMax[i] = v[i]!;");
    w.writeLine(`parameters[i]! -= (stepSize * m[i]!) / (Math.sqrt(${adam.amsgrad ? "vMax" : "v"}[i]!) / correction2Sqrt + ${numberLiteral(adam.eps)});`);
  });
}

export const adamOp: OptimizerOp<AdamSpec, Adam> = {
  schema: { description: "Adam with L2 weight decay, exactly as torch.optim.Adam.", properties: adamKeys({ description: "L2 penalty added to the gradient.", default: 0 }) },
  lower: (spec) => ({ node: lowerAdam("adam", spec) }),
  summary: adamSummary,
  state: adamState,
  hyperparameters: adamHyperparameters,
  emitStep: (adam, w, each) => emitAdamUpdate(adam, false, w, each),
};
