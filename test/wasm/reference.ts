/**
 * Reference products for the kernel tests, in plain JS over the same row-major layout (element indices, leading
 * dimensions in elements). `exact` replays the kernels' documented summation order with the kernels' rounding, so
 * its results must match bit for bit; `naive` is the textbook loop in float64, for tolerance checks.
 */
import type { Precision } from "../../src/emit/wasm/kernels.ts";
import type { Kind, Real } from "./harness.ts";

export interface Operands {
  readonly kind: Kind;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly A: ArrayLike<number>;
  readonly lda: number;
  readonly B: ArrayLike<number>;
  readonly ldb: number;
  /** C before the call. */
  readonly C: ArrayLike<number>;
  readonly ldc: number;
  readonly acc: number;
}

/** Products per panel in nn/tn: must match the kernels' BLOCK.kPanel. */
export const K_PANEL = 256;

function accessors(o: Operands): { a: (i: number, p: number) => number; b: (p: number, j: number) => number } {
  return {
    a: o.kind === "tn" ? (i, p) => o.A[p * o.lda + i]! : (i, p) => o.A[i * o.lda + p]!,
    b: o.kind === "nt" ? (p, j) => o.B[j * o.ldb + p]! : (p, j) => o.B[p * o.ldb + j]!,
  };
}

/** float64 sums in index order; also Σ|a·b| + |C| per element, the scale for a relative tolerance. */
export function naive(o: Operands): { value: Float64Array; scale: Float64Array } {
  const { a, b } = accessors(o);
  const value = new Float64Array(o.m * o.n);
  const scale = new Float64Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < o.k; p++) {
        const product = a(i, p) * b(p, j);
        s += product;
        abs += Math.abs(product);
      }
      const old = o.C[i * o.ldc + j]!;
      value[i * o.n + j] = o.acc ? old + s : s;
      scale[i * o.n + j] = abs + (o.acc ? Math.abs(old) : 0);
    }
  }
  return { value, scale };
}

/**
 * The kernels' documented summation order, rounding every product and sum to the precision; with `fused`, each
 * product joins its partial sum with one rounding (the relaxed variant on a CPU with FMA).
 */
export function exact(o: Operands, precision: Precision, fused = false): Float64Array {
  const round = precision === "float32" ? Math.fround : (x: number) => x;
  const lanes = precision === "float32" ? 4 : 2;
  const { a, b } = accessors(o);
  const out = new Float64Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      const old = o.C[i * o.ldc + j]!;
      const product = (p: number): number => round(a(i, p) * b(p, j));
      const addProduct = fused ? (sum: number, p: number): number => fusedMultiplyAdd(a(i, p), b(p, j), sum, precision) : (sum: number, p: number): number => round(sum + product(p));
      let c: number;
      if (o.k === 0) {
        c = o.acc ? old : 0;
      } else if (o.kind === "nt") {
        const s = new Array<number>(lanes).fill(0);
        const full = o.k - (o.k % lanes);
        for (let p = 0; p < full; p++) s[p % lanes] = addProduct(s[p % lanes]!, p);
        for (let p = full; p < o.k; p++) s[0] = addProduct(s[0]!, p);
        const [s0, s1, s2, s3] = s as [number, number, number, number];
        const total = lanes === 4 ? round(round(s0 + s2) + round(s1 + s3)) : round(s0 + s1);
        c = o.acc ? round(old + total) : total;
      } else {
        let sum: number | undefined = o.acc ? old : undefined;
        for (let start = 0; start < o.k; start += K_PANEL) {
          let s = 0;
          for (let p = start; p < Math.min(o.k, start + K_PANEL); p++) s = addProduct(s, p);
          sum = sum === undefined ? s : round(sum + s);
        }
        c = sum ?? 0;
      }
      out[i * o.n + j] = c;
    }
  }
  return out;
}

/** C's m×n elements, densely. */
export function denseC(C: Real, m: number, n: number, ldc: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = C[i * ldc + j]!;
  return out;
}

/** Same value, with every NaN equal to every NaN, and +0 ≠ −0. */
export function sameValue(x: number, y: number): boolean {
  return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
}

const bits64 = new Float64Array(1);
const words64 = new BigUint64Array(bits64.buffer);

/** A finite double as m·2^e exactly. */
function decompose(x: number): { m: bigint; e: number } {
  bits64[0] = x;
  const bits = words64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (biased !== 0) {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return { m: bits >> 63n === 1n ? -m : m, e };
}

/** m·2^e rounded to nearest-even in the precision (subnormals and overflow to ±∞ included). */
function roundExact(m: bigint, e: number, precision: Precision): number {
  const [digits, minExponent] = precision === "float32" ? [24, -149] : [53, -1074];
  const negative = m < 0n;
  let magnitude = negative ? -m : m;
  const shift = Math.max(e + magnitude.toString(2).length - digits, minExponent) - e;
  if (shift > 0) {
    const dropped = magnitude & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    magnitude >>= BigInt(shift);
    if (dropped > half || (dropped === half && (magnitude & 1n) === 1n)) magnitude += 1n;
    e += shift;
  }
  let value = Number(magnitude); // exact: at most `digits` bits
  for (; e > 0; e -= Math.min(e, 1000)) value *= 2 ** Math.min(e, 1000);
  for (; e < 0; e += Math.min(-e, 1000)) value /= 2 ** Math.min(-e, 1000);
  const rounded = precision === "float32" ? Math.fround(value) : value;
  return negative ? -rounded : rounded;
}

/** a·b + c with one rounding to the precision, as a fused multiply-add computes it. */
export function fusedMultiplyAdd(a: number, b: number, c: number, precision: Precision): number {
  const round = precision === "float32" ? Math.fround : (x: number) => x;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return round(a * b + c);
  if (!Number.isFinite(c)) return c; // the exact product is finite, even where rounding it would overflow
  if (precision === "float32") return fusedFloat32(a, b, c);
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const [pm, pe] = [x.m * y.m, x.e + y.e];
  const e = Math.min(pe, z.e);
  const m = (pm << BigInt(pe - e)) + (z.m << BigInt(z.e - e));
  // An exact zero takes its sign as the unfused sum does (−0 only when the product and c are both −0).
  return m === 0n ? round(round(a * b) + c) : roundExact(m, e, precision);
}

/**
 * float32 fast path: a·b is exact in a double; TwoSum gives a·b + c = s + err exactly; rounding s to odd (when err ≠ 0)
 * and then to float32 rounds once correctly, since a double has more than 24 + 2 digits.
 */
function fusedFloat32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const virtual = s - p;
  const err = p - (s - virtual) + (c - virtual);
  if (err === 0 || !Number.isFinite(s)) return Math.fround(s);
  bits64[0] = s;
  if ((words64[0]! & 1n) === 0n) words64[0] = words64[0]! + (s > 0 === err > 0 ? 1n : -1n);
  return Math.fround(bits64[0]!);
}
