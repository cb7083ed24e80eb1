import { adamHyperparameters, adamKeys, adamState, adamSummary, emitAdamUpdate, lowerAdam, type Adam, type AdamSpec } from "./adam.ts";
import type { OptimizerOp } from "./op.ts";

/** adamw — Adam with decoupled weight decay, exactly as torch.optim.AdamW: θ ← θ·(1 − lr·wd) first, then Adam without L2. */
export const adamwOp: OptimizerOp<AdamSpec, Adam> = {
  schema: {
    description: "Adam with decoupled weight decay, exactly as torch.optim.AdamW: each step first shrinks θ by lr·weight_decay, then applies Adam's update without an L2 term.",
    properties: adamKeys({ description: "Decoupled weight decay: θ ← θ·(1 − lr·weight_decay) each step.", default: 0.01 }),
  },
  lower: (spec) => ({ node: lowerAdam("adamw", spec) }),
  summary: adamSummary,
  state: adamState,
  hyperparameters: adamHyperparameters,
  emitStep: (adam, w, each) => emitAdamUpdate(adam, true, w, each),
};
