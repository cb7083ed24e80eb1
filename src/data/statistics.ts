/** Mean and population standard deviation, in float64, two-pass (numerically safer than sum-of-squares). */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 1 };
  let sum = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? 0;
    sum += v;
    scale = Math.max(scale, Math.abs(v));
  }
  const mean = sum / n;
  if (scale === 0) return { mean, std: 1 };
  // Deviations are squared in units of a power of two near `scale`, so 1e-160 does not underflow to 0 when squared
  // (nor 1e160 overflow). A power of two divides exactly: for ordinary data the result is bit-identical to the
  // unscaled formula.
  const unit = 2 ** Math.ceil(Math.log2(scale));
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (((values[i] ?? 0) - mean) / unit) ** 2;
  return { mean, std: safeStd(unit * Math.sqrt(squares / n), scale) };
}

/**
 * A constant column has std 0; dividing by it would turn every value into NaN or ±Inf. Scaling by 1 instead leaves
 * the centred column at 0, which is what "no information" should look like. "Constant" is judged against the
 * column's own magnitude (`scale`, its largest |value|), not against 1: a constant 0.1 column comes out of floating
 * point with a std near 1e-17, while a column measured in units of 1e-15 has a real std of that order.
 */
export function safeStd(std: number, scale: number): number {
  return Number.isFinite(std) && std > 1e-10 * scale ? std : 1;
}
