/**
 * Draws a class from softmax(logits / temperature), skipping `excluded` ids (padding and `<unk>`: a sample never
 * ends up holding them). `uniform` is a draw in [0, 1) from a seeded generator. Temperature 0 takes the likeliest
 * class (ties to the lowest id), so output is deterministic without any draw.
 */
export function sampleLogits(logits: ArrayLike<number>, temperature: number, uniform: () => number, excluded: ReadonlySet<number>): number {
  let best = -1;
  for (let c = 0; c < logits.length; c++) {
    if (!excluded.has(c) && (best < 0 || (logits[c] ?? -Infinity) > (logits[best] ?? -Infinity))) best = c;
  }
  if (temperature === 0 || best < 0) return Math.max(best, 0);
  const max = (logits[best] ?? 0) / temperature;
  const weights = Array.from({ length: logits.length }, (_, c) => (excluded.has(c) ? 0 : Math.exp((logits[c] ?? -Infinity) / temperature - max)));
  const total = weights.reduce((a, b) => a + b, 0);
  let draw = uniform() * total;
  for (let c = 0; c < weights.length; c++) {
    draw -= weights[c] ?? 0;
    if (draw < 0) return c;
  }
  return best; // rounding left a sliver: the likeliest is as good an answer as any
}
