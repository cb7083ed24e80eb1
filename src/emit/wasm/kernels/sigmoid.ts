import type { FunctionBuilder, Local } from "../encoder.ts";

/**
 * The float32 sigmoid, σ(x) = 1 / (1 + e^−x), evaluated in float32 with fixed operations only (no Math.exp, whose last
 * bits differ between engines), written once as JavaScript (src/emit/math.ts emits `sigmoidJavaScript`, every operation
 * rounded by Math.fround) and once as WebAssembly (`sigmoidQuads`, four lanes of f32x4, written into the gate kernels);
 * the two compute the same float32 operations in the same order, so they store the same bits on every engine:
 *
 *   a = |x|;  k = ⌊a·log₂e + ½⌋;  r = (k·ln2_hi − a) + k·ln2_lo  (so e^−a = 2^−k · e^r, |r| ≤ ln2/2, Cody–Waite)
 *   e = p(r) · 2^−k  with p the degree-7 Taylor polynomial of e^r (Horner)
 *   σ(x) = (x > 0 ? 1 : e) / (1 + e);  |x| ≥ 87: 1 for x > 0, 0 for x < 0; NaN → NaN
 *
 * p's truncation error is below r⁸/8! ≤ 6e-9 relative, far under float32's rounding, so the error is the rounding of
 * the float32 operations: within 4 ulps of the correctly rounded σ (test/kernels-gates-sigmoid.test.ts measures it).
 * k ≤ 126, so 2^−k is a normal float32; below −87, σ (< 1.7e-38) is stored as 0, as PyTorch's float sigmoid, whose
 * e^−x overflows there, stores it.
 */
const f32 = Math.fround;

export const SIGMOID = {
  log2e: f32(Math.LOG2E),
  /** ln 2 in two parts (Cephes' float ones): k·ln2_hi (9 significant bits) is exact for k < 2¹⁵. */
  ln2Hi: 0.693359375,
  ln2Lo: f32(-2.12194440e-4),
  /** e^r ≈ Σ rⁿ/n!, n = 0…7: coefficients from the highest degree down, as Horner uses them. */
  taylor: Array.from({ length: 8 }, (_, n) => f32(1 / factorial(7 - n))),
  /** Beyond |x| ≥ limit, float32 σ is stored as 1 or 0 (e^−87 ≈ 1.6e-38, near the smallest normal float32). */
  limit: 87,
  /** 2²³ + 127: (this − k)'s mantissa bits are 127 − k, which shifted left by 23 are the bits of the float32 2^−k. */
  exponentBias: 2 ** 23 + 127,
} as const;

function factorial(n: number): number {
  let product = 1;
  for (let i = 2; i <= n; i++) product *= i;
  return product;
}

/** The JavaScript: a table of 2^−k (exact halvings, once at load) and the function. */
export function sigmoidJavaScript(): string[] {
  const [c7, c6, ...rest] = SIGMOID.taylor;
  return [
    `/** 2^−k for k = 0…126, by exact halvings: sigmoid's scale. */`,
    `const SIGMOID_SCALE = new Float32Array(127);`,
    `for (let k = 0, scale = 1; k < 127; k++, scale *= 0.5) SIGMOID_SCALE[k] = scale;`,
    ``,
    `/** σ(x) for float32 storage, the same on every engine: e^−|x| = 2^−k·e^r in float32 (degree-7 Taylor for e^r, |r| ≤ ln2/2, every operation rounded), within 4 ulps. */`,
    `function sigmoid(value: number): number {`,
    `  const x = Math.fround(value);`,
    `  const a = Math.abs(x);`,
    `  if (!(a < ${SIGMOID.limit})) return x > 0 ? 1 : x < 0 ? 0 : x;`,
    `  const k = Math.floor(Math.fround(Math.fround(a * ${SIGMOID.log2e}) + 0.5));`,
    `  const r = Math.fround(Math.fround(Math.fround(k * ${SIGMOID.ln2Hi}) - a) + Math.fround(k * ${SIGMOID.ln2Lo}));`,
    `  let p = Math.fround(Math.fround(${c7} * r) + ${c6});`,
    ...rest.map((c) => `  p = Math.fround(Math.fround(p * r) + ${c});`),
    `  const e = Math.fround(p * SIGMOID_SCALE[k]!);`,
    `  return Math.fround((x > 0 ? 1 : e) / Math.fround(1 + e));`,
    `}`,
  ];
}

/** One double in both lanes (the gate kernels' float64 arithmetic). */
export function splat(f: FunctionBuilder, value: number): void {
  f.f64(value).simd("f64x2.splat");
}

/** One float32 in all four lanes. */
export function splat32(f: FunctionBuilder, value: number): void {
  f.f32(value).simd("f32x4.splat");
}

/** One vector's locals for `sigmoidQuads`: the input (left as it is), the result, and scratch. */
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

/** A vector's locals, named `<prefix>_<name>`. */
export function sigmoidLocals(f: FunctionBuilder, prefix: string, x: Local, out: Local): SigmoidLocals {
  const [a, k, r, p, e, positive] = ["a", "k", "r", "p", "e", "positive"].map((name) => f.local(`${prefix}_${name}`, "v128")) as [Local, Local, Local, Local, Local, Local];
  return { x, out, a, k, r, p, e, positive };
}

/**
 * out ← σ(x) for several vectors of four float32 values, each step written for every vector before the next, so that
 * their dependency chains (Horner's, then a division) overlap in the CPU. `one` and `zero` hold 1 and 0 in every lane.
 */
export function sigmoidQuads(f: FunctionBuilder, quads: readonly SigmoidLocals[], one: Local, zero: Local): void {
  const each = (emit: (quad: SigmoidLocals) => void): void => quads.forEach(emit);
  each(({ x, a }) => f.get(x).simd("f32x4.abs").set(a));
  each(({ a, k }) => {
    f.get(a);
    splat32(f, SIGMOID.log2e);
    f.simd("f32x4.mul");
    splat32(f, 0.5);
    f.simd("f32x4.add").simd("f32x4.floor").set(k);
  });
  // r = (k·ln2_hi − a) + k·ln2_lo
  each(({ a, k, r }) => {
    f.get(k);
    splat32(f, SIGMOID.ln2Hi);
    f.simd("f32x4.mul").get(a).simd("f32x4.sub").get(k);
    splat32(f, SIGMOID.ln2Lo);
    f.simd("f32x4.mul").simd("f32x4.add").set(r);
  });
  const [c7, c6, ...rest] = SIGMOID.taylor;
  each(({ r, p }) => {
    splat32(f, c7!);
    f.get(r).simd("f32x4.mul");
    splat32(f, c6!);
    f.simd("f32x4.add").set(p);
  });
  for (const c of rest) {
    each(({ r, p }) => {
      f.get(p).get(r).simd("f32x4.mul");
      splat32(f, c);
      f.simd("f32x4.add").set(p);
    });
  }
  // e = p · 2^−k, the scale built from its bits; lanes with |x| ≥ limit or NaN get garbage here, replaced below
  each(({ k, p, e }) => {
    f.get(p);
    splat32(f, SIGMOID.exponentBias);
    f.get(k).simd("f32x4.sub").i32(23).simd("i32x4.shl").simd("f32x4.mul").set(e);
  });
  // (x > 0 ? 1 : e) / (1 + e)
  each(({ x, e, positive, out }) => {
    f.get(one).get(e).get(x).get(zero).simd("f32x4.gt").tee(positive).simd("v128.bitselect");
    f.get(one).get(e).simd("f32x4.add").simd("f32x4.div").set(out);
  });
  // |x| ≥ limit or NaN: x > 0 ? 1 : x < 0 ? 0 : x
  each(({ x, a, positive, out }) => {
    f.get(out).get(one).get(zero).get(x).get(x).get(zero).simd("f32x4.lt").simd("v128.bitselect").get(positive).simd("v128.bitselect");
    f.get(a);
    splat32(f, SIGMOID.limit);
    f.simd("f32x4.lt").simd("v128.bitselect").set(out);
  });
}
