import { activationOp } from "./elementwise.ts";

/** sigmoid — 1 / (1 + e^−x), as torch.nn.Sigmoid; the derivative y(1 − y) reads the output. */
export const sigmoidOp = activationOp({
  op: "sigmoid",
  description: "Logistic sigmoid 1 / (1 + e^-x), elementwise. Same shape out as in. Same as torch.nn.Sigmoid.",
  value: "sigmoid(x)",
  derivative: "(y * (1 - y))",
  helpers: ["sigmoid"],
});
