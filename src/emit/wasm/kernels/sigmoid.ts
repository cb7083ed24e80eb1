import type { FunctionBuilder, Local } from "../encoder.ts";

/**
 * The float32 sigmoid, σ(x) = 1 / (1 + e^−x), in doubles with fixed operations only (no Math.exp, whose last bits
 * differ between engines), written once as JavaScript (src/emit/math.ts emits `SIGMOID_JS`) and once as WebAssembly
 * (`sigmoidPairs`, two doubles at a time, written into the gate kernels); the two compute the same double operations in the same order, so they
 * store the same float32 bits on every engine:
 *
 *   a = |x|;  k = ⌊a·log₂e + ½⌋;  r = k·ln2_hi − a + k·ln2_lo  (so e^−a = 2^−k · e^r, |r| ≤ ln2/2, Cody–Waite)
 *   e = p(r) · 2^−k  with p the degree-8 Taylor polynomial of e^r (Horner)
 *   σ(x) = (x > 0 ? 1 : e) / (1 + e);  |x| ≥ 104: 1 for x > 0, 0 for x < 0 (float32 rounds σ to those there); NaN → NaN
 *
 * Error: p's truncation error is below r⁹/9! ≤ 2.1e-10 relative, so the double result is within 3e-10 of σ(x) relative
 * (measured: 2.7e-10) and the stored float32 is the correctly rounded σ(x) or one of its neighbours: at most 1 ulp
 * (test/kernels-gates-sigmoid.test.ts measures both against the exact sigmoid). k ≤ 150, so 2^−k is a normal double.
 */
export const SIGMOID = {
  log2e: Math.LOG2E,
  /** ln 2 in two parts (fdlibm's): k·ln2_hi is exact for k < 2²⁰. */
  ln2Hi: 6.9314718036912381649e-1,
  ln2Lo: 1.9082149292705877e-10,
  /** e^r ≈ Σ rⁿ/n!, n = 0…8: coefficients from the highest degree down, as Horner uses them. */
  taylor: Array.from({ length: 9 }, (_, n) => 1 / factorial(8 - n)),
  /** Beyond |x| ≥ limit float32 σ is 1 or 0 (e^−104 < 2^−150, half the smallest float32 subnormal). */
  limit: 104,
} as const;

function factorial(n: number): number {
  let product = 1;
  for (let i = 2; i <= n; i++) product *= i;
  return product;
}

/** The JavaScript: a table of 2^−k (exact halvings, once at load) and the function. */
export function sigmoidJavaScript(): string[] {
  const [c8, c7, ...rest] = SIGMOID.taylor;
  return [
    `/** 2^−k for k = 0…150, by exact halvings: sigmoid's scale. */`,
    `const SIGMOID_SCALE = new Float64Array(151);`,
    `for (let k = 0, scale = 1; k < 151; k++, scale *= 0.5) SIGMOID_SCALE[k] = scale;`,
    ``,
    `/** σ(x) for float32 storage, the same on every engine: e^−|x| = 2^−k·e^r in doubles (degree-8 Taylor for e^r, |r| ≤ ln2/2), within 1 float32 ulp. */`,
    `function sigmoid(x: number): number {`,
    `  const a = Math.abs(x);`,
    `  if (!(a < ${SIGMOID.limit})) return x > 0 ? 1 : x < 0 ? 0 : x;`,
    `  const k = Math.floor(a * ${SIGMOID.log2e} + 0.5);`,
    `  const r = k * ${SIGMOID.ln2Hi} - a + k * ${SIGMOID.ln2Lo};`,
    `  let p = ${c8} * r + ${c7};`,
    ...rest.map((c) => `  p = p * r + ${c};`),
    `  const e = p * SIGMOID_SCALE[k]!;`,
    `  return (x > 0 ? 1 : e) / (1 + e);`,
    `}`,
  ];
}

/** One double in both lanes. */
export function splat(f: FunctionBuilder, value: number): void {
  f.f64(value).simd("f64x2.splat");
}

/** 2^52 + 1023: (this − k)'s low bits are 1023 − k, which shifted left by 52 are the bits of the double 2^−k. */
const EXPONENT_BIAS = 2 ** 52 + 1023;

/** One pair's locals for `sigmoidPairs`: the input (left as it is), the result, and scratch. */
export interface SigmoidLocals {
  readonly x: Local;
  readonly out: Local;
  readonly a: Local;
  readonly k: Local;
  readonly r: Local;
  readonly p: Local;
  readonly e: Local;
  readonly positive: Local;
}

/** A pair's locals, named `<prefix>_<name>`. */
export function sigmoidLocals(f: FunctionBuilder, prefix: string, x: Local, out: Local): SigmoidLocals {
  const [a, k, r, p, e, positive] = ["a", "k", "r", "p", "e", "positive"].map((name) => f.local(`${prefix}_${name}`, "v128")) as [Local, Local, Local, Local, Local, Local];
  return { x, out, a, k, r, p, e, positive };
}

/**
 * out ← σ(x) for several pairs of doubles, each step written for every pair before the next, so that the pairs'
 * dependency chains (Horner's, then a division) overlap in the CPU. `one` and `zero` hold 1 and 0 in both lanes.
 */
export function sigmoidPairs(f: FunctionBuilder, pairs: readonly SigmoidLocals[], one: Local, zero: Local): void {
  const each = (emit: (pair: SigmoidLocals) => void): void => pairs.forEach(emit);
  each(({ x, a }) => f.get(x).simd("f64x2.abs").set(a));
  each(({ a, k }) => {
    f.get(a);
    splat(f, SIGMOID.log2e);
    f.simd("f64x2.mul");
    splat(f, 0.5);
    f.simd("f64x2.add").simd("f64x2.floor").set(k);
  });
  // r = (k·ln2_hi − a) + k·ln2_lo
  each(({ a, k, r }) => {
    f.get(k);
    splat(f, SIGMOID.ln2Hi);
    f.simd("f64x2.mul").get(a).simd("f64x2.sub").get(k);
    splat(f, SIGMOID.ln2Lo);
    f.simd("f64x2.mul").simd("f64x2.add").set(r);
  });
  const [c8, c7, ...rest] = SIGMOID.taylor;
  each(({ r, p }) => {
    splat(f, c8!);
    f.get(r).simd("f64x2.mul");
    splat(f, c7!);
    f.simd("f64x2.add").set(p);
  });
  for (const c of rest) {
    each(({ r, p }) => {
      f.get(p).get(r).simd("f64x2.mul");
      splat(f, c);
      f.simd("f64x2.add").set(p);
    });
  }
  // e = p · 2^−k, the scale built from its bits; lanes with |x| ≥ limit or NaN get garbage here, replaced below
  each(({ k, p, e }) => {
    f.get(p);
    splat(f, EXPONENT_BIAS);
    f.get(k).simd("f64x2.sub").i32(52).simd("i64x2.shl").simd("f64x2.mul").set(e);
  });
  // (x > 0 ? 1 : e) / (1 + e)
  each(({ x, e, positive, out }) => {
    f.get(one).get(e).get(x).get(zero).simd("f64x2.gt").tee(positive).simd("v128.bitselect");
    f.get(one).get(e).simd("f64x2.add").simd("f64x2.div").set(out);
  });
  // |x| ≥ limit or NaN: x > 0 ? 1 : x < 0 ? 0 : x
  each(({ x, a, positive, out }) => {
    f.get(out).get(one).get(zero).get(x).get(x).get(zero).simd("f64x2.lt").simd("v128.bitselect").get(positive).simd("v128.bitselect");
    f.get(a);
    splat(f, SIGMOID.limit);
    f.simd("f64x2.lt").simd("v128.bitselect").set(out);
  });
}
