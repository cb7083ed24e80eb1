import { activationOp } from "./elementwise.ts";

/** tanh — as torch.nn.Tanh; the derivative 1 − y² reads the output. */
export const tanhOp = activationOp({
  op: "tanh",
  description: "Hyperbolic tangent, elementwise. Same shape out as in. Same as torch.nn.Tanh.",
  value: "tanh(x)",
  derivative: "(1 - y * y)",
  helpers: ["tanh"],
});
