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

/** The kernels' documented summation order, rounding every product and sum to the precision. */
export function exact(o: Operands, precision: Precision): Float64Array {
  const round = precision === "float32" ? Math.fround : (x: number) => x;
  const lanes = precision === "float32" ? 4 : 2;
  const { a, b } = accessors(o);
  const out = new Float64Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      const old = o.C[i * o.ldc + j]!;
      const product = (p: number): number => round(a(i, p) * b(p, j));
      let c: number;
      if (o.k === 0) {
        c = o.acc ? old : 0;
      } else if (o.kind === "nt") {
        const s = new Array<number>(lanes).fill(0);
        const full = o.k - (o.k % lanes);
        for (let p = 0; p < full; p++) s[p % lanes] = round(s[p % lanes]! + product(p));
        for (let p = full; p < o.k; p++) s[0] = round(s[0]! + product(p));
        const [s0, s1, s2, s3] = s as [number, number, number, number];
        const total = lanes === 4 ? round(round(s0 + s2) + round(s1 + s3)) : round(s0 + s1);
        c = o.acc ? round(old + total) : total;
      } else {
        let sum: number | undefined = o.acc ? old : undefined;
        for (let start = 0; start < o.k; start += K_PANEL) {
          let s = 0;
          for (let p = start; p < Math.min(o.k, start + K_PANEL); p++) s = round(s + product(p));
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
