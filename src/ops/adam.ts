import { comment, constant, forRange, numberLiteral, type Writer } from "../emit/code.ts";
import type { Adam } from "../ir/types.ts";

/**
 * adam — one fused step over the flat parameter array, exactly as torch.optim.Adam (L2 weight decay, not AdamW):
 *   g ← g + wd·θ;  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²
 *   θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps)
 * eps is added after the square root and the bias correction, as PyTorch does.
 */
export function emitAdamStep(adam: Adam, w: Writer): void {
  comment(w, `adam: lr ${adam.lr}, betas (${adam.beta1}, ${adam.beta2}), eps ${adam.eps}, weight_decay ${adam.weightDecay}`);
  w.writeLine("optimizerState.step += 1;");
  constant(w, "stepSize", `${numberLiteral(adam.lr)} / (1 - ${numberLiteral(adam.beta1)} ** optimizerState.step)`);
  constant(w, "correction2Sqrt", `Math.sqrt(1 - ${numberLiteral(adam.beta2)} ** optimizerState.step)`);
  constant(w, "m", "optimizerState.m");
  constant(w, "v", "optimizerState.v");
  forRange(w, "i", "PARAMETER_COUNT", () => {
    w.writeLine(adam.weightDecay === 0 ? "const g = gradients[i]!;" : `const g = gradients[i]! + ${numberLiteral(adam.weightDecay)} * parameters[i]!;`);
    w.writeLine(`m[i] = ${numberLiteral(adam.beta1)} * m[i]! + (1 - ${numberLiteral(adam.beta1)}) * g;`);
    w.writeLine(`v[i] = ${numberLiteral(adam.beta2)} * v[i]! + (1 - ${numberLiteral(adam.beta2)}) * g * g;`);
    w.writeLine(`parameters[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) / correction2Sqrt + ${numberLiteral(adam.eps)});`);
  });
}
