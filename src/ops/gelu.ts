import { activationOp } from "./elementwise.ts";

/** gelu — x·Φ(x) with the exact normal CDF (erf), as torch.nn.GELU() (approximate="none"); derivative Φ(x) + x·φ(x). */
export const geluOp = activationOp({
  op: "gelu",
  description: "Gaussian error linear unit, elementwise: x·Φ(x) with the exact normal CDF Φ. Same shape out as in. Same as torch.nn.GELU().",
  value: "x * normalCdf(x)",
  derivative: "(normalCdf(x) + x * 0.3989422804014327 * Math.exp(-0.5 * x * x))",
  helpers: ["gelu"],
});
