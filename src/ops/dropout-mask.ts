import { comment, forRange, numberLiteral, type Writer } from "../emit/code.ts";

/**
 * Inverted dropout's mask, as PyTorch: in training each element is kept with probability 1 − p and scaled by
 * 1/(1 − p), else zeroed; outside training the mask is all ones, so the layer is the identity. The mask is kept for
 * the backward pass. Draws come from the module's seeded generator (`random()`), so a run is reproducible.
 */
export function emitDropoutMask(w: Writer, p: number, mask: string, count: string, where: string): void {
  comment(w, `dropout ${where}: keep with probability ${numberLiteral(1 - p)}, scaled by 1/(1 − p); the identity outside training`);
  w.write("if (training) ").block(() => {
    forRange(w, "i", count, () => w.writeLine(`${mask}[i] = random() < ${numberLiteral(p)} ? 0 : ${numberLiteral(1 / (1 - p))};`));
  });
  w.write("else ").block(() => w.writeLine(`${mask}.fill(1, 0, ${count});`));
}
