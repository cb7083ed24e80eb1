import { activationOp } from "./elementwise.ts";

/** relu — max(0, x), as torch.nn.ReLU (gradient 0 at 0, as PyTorch). */
export const reluOp = activationOp({
  op: "relu",
  description: "Rectified linear unit, elementwise: max(0, x). Same shape out as in. Same as torch.nn.ReLU.",
  value: "x > 0 ? x : 0",
  derivative: "(x > 0 ? 1 : 0)",
  helpers: [],
});
