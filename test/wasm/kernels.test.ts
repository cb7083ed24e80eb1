import fc from "fast-check";
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { buildKernels, kernelsText, type KernelVariant, type Precision } from "../../src/emit/wasm/kernels.ts";
import { BLOCK, packBytes } from "../../src/emit/wasm/kernels/block.ts";
import { PACK_AT, instantiateKernels, runGemm, wasm, type GemmCase, type Kind } from "./harness.ts";
import { denseC, exact, K_PANEL, naive, sameValue } from "./reference.ts";
import { uniform } from "../helpers/uniform.ts";

// Node 20 has relaxed SIMD behind a flag; it must be set before the relaxed variant's module is compiled.
setFlagsFromString("--experimental-wasm-relaxed-simd");

const VARIANTS: readonly (readonly [Precision, KernelVariant])[] = [
  ["float32", "baseline"],
  ["float64", "baseline"],
  ["float32", "relaxed"],
  ["float64", "relaxed"],
];
const KINDS: readonly Kind[] = ["nt", "nn", "tn"];
/** Relative to Σ|a·b| + |C|, so cancellation cannot make a correct result look wrong. */
const TOLERANCE: Record<Precision, number> = { float32: 1e-5, float64: 1e-12 };
/** Every dimension takes each of these: below, at and above the vector widths and register blocks. */
const SIZES = [1, 3, 4, 5, 7, 8, 9, 16, 17, 33];
/** The relaxed variant's reference rounds each fused multiply-add exactly (slower to compute): fewer sizes, fewer runs. */
const RELAXED_SIZES = [1, 3, 4, 5, 8, 9, 17];
const cpuHasFma = ((): boolean | undefined => {
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return undefined;
  }
})();
const PAGES = 64; // 4 MiB, fixed: the kernels never grow it

/**
 * Runs one case and checks it two ways: bit for bit against the documented summation order, and within TOLERANCE of
 * the float64 textbook loop. Returns the worst relative error seen.
 */
function check(precision: Precision, instance: ReturnType<typeof instantiateKernels>, c: GemmCase, value: (index: number) => number, tolerance = true, fused = false): number {
  const run = runGemm(instance.kernels, instance.memory, precision, c, value, instance.reserved);
  const operands = { kind: c.kind, m: c.m, n: c.n, k: c.k, A: run.A, lda: run.lda, B: run.B, ldb: run.ldb, C: run.before, ldc: run.ldc, acc: c.acc };
  const got = denseC(run.after, c.m, c.n, run.ldc);
  const want = exact(operands, precision, fused);
  const where = (i: number): string => `${JSON.stringify(c)}, ${precision}, C[${Math.floor(i / c.n)}][${i % c.n}]`;
  for (let i = 0; i < got.length; i++) {
    if (!sameValue(got[i]!, want[i]!)) throw new Error(`${where(i)}: got ${got[i]}, the documented order gives ${want[i]}`);
  }
  if (!tolerance) return 0;
  const { value: reference, scale } = naive(operands);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const error = Math.abs(got[i]! - reference[i]!) / (scale[i]! || 1);
    if (!(error <= TOLERANCE[precision])) throw new Error(`${where(i)}: got ${got[i]}, float64 gives ${reference[i]} (relative error ${error})`);
    worst = Math.max(worst, error);
  }
  return worst;
}

describe.each(VARIANTS)("wasm kernels, %s, %s", (precision, variant) => {
  const { bytes, listing } = buildKernels(precision, variant);
  const instance = instantiateKernels(bytes, PAGES);
  const relaxed = variant === "relaxed";
  // Whether this engine fuses relaxed_madd: a·b + c where one rounding gives 2⁻²⁴ (float64: 2⁻⁵⁴) and two give 0.
  const fused = relaxed && fusesOnThisEngine(precision, instance);
  const checkCase = (c: GemmCase, value: (index: number) => number, tolerance = true): number => check(precision, instance, c, value, tolerance, fused);

  it("is a valid module (the baseline under 4 KB) that imports env.memory and exports the three kernels and the pack global", () => {
    expect(wasm.validate(bytes)).toBe(true);
    // Chrome ≤ 114 compiles modules up to 4 KB synchronously on a page's main thread; the relaxed variant may be larger
    // (a wider one-row kernel), and where it does not compile the generated module takes the baseline (kernels-variants.test.ts)
    if (!relaxed) expect(bytes.length).toBeLessThanOrEqual(4096);
    const module = new wasm.Module(bytes);
    expect(wasm.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    expect(wasm.Module.exports(module)).toEqual([
      { name: "gemm_nt", kind: "function" },
      { name: "gemm_nn", kind: "function" },
      { name: "gemm_tn", kind: "function" },
      { name: "pack", kind: "global" },
    ]);
  });

  it("is deterministic, and its listing outlines it", () => {
    expect(buildKernels(precision, variant).bytes).toEqual(bytes);
    expect(listing).toContain(`${precision}, ${bytes.length} bytes`);
    expect(listing).toContain(`(import "env" "memory" (memory 0))`);
    for (const kind of KINDS) expect(listing).toContain(`(func $gemm_${kind} (export "gemm_${kind}") (param $m $n $k $a $lda $b $ldb $c $ldc $acc i32))`);
    expect(listing.split("\n").length).toBeLessThan(30);
    if (relaxed) {
      expect(kernelsText(precision, variant)).toMatch(precision === "float32" ? /f32x4\.relaxed_madd/ : /f64x2\.relaxed_madd/);
      expect(kernelsText(precision, variant)).not.toMatch(precision === "float32" ? /f32x4\.mul\b/ : /f64x2\.mul\b/);
      expect(bytes).not.toEqual(buildKernels(precision, "baseline").bytes);
    } else {
      expect(kernelsText(precision, variant)).not.toMatch(/relaxed|fma/);
    }
  });

  it.each(KINDS)("gemm_%s matches on every combination of sizes 1…33, with padded leading dimensions, acc 0 and 1", (kind) => {
    const random = uniform(42);
    const value = (): number => random() * 2 - 1;
    let index = 0;
    let worst = 0;
    const sizes = relaxed ? RELAXED_SIZES : SIZES;
    for (const m of sizes) {
      for (const n of sizes) {
        for (const k of sizes) {
          for (const acc of [0, 1]) {
            const c: GemmCase = { kind, m, n, k, padA: 1 + (index % 3), padB: 1 + ((index >> 1) % 3), padC: 1 + ((index >> 2) % 3), acc, last: (["a", "b", "c"] as const)[index % 3]!, skew: index % 5 };
            worst = Math.max(worst, checkCase(c, value));
            index++;
          }
        }
      }
    }
    expect(worst).toBeLessThan(TOLERANCE[precision]);
  });

  it.each(KINDS)("gemm_%s sums long k in panels (k around and above the panel size)", (kind) => {
    const random = uniform(7);
    for (const k of [K_PANEL - 1, K_PANEL, K_PANEL + 1, 2 * K_PANEL + 3, 600]) {
      for (const acc of [0, 1]) {
        for (const [m, n] of [[5, 9], [1, 1], [4, 8]] as const) {
          checkCase({ kind, m, n, k, padA: 2, padB: 0, padC: 1, acc, last: "b", skew: 1 }, () => random() * 2 - 1);
        }
      }
    }
  });

  it.each(KINDS)("gemm_%s with k = 0 stores zeros (acc 0) or leaves C exactly as it was (acc 1), and m or n = 0 writes nothing", (kind) => {
    const specials = [-0, Number.NaN, 1.5, -Infinity];
    for (const acc of [0, 1]) {
      const c: GemmCase = { kind, m: 5, n: 9, k: 0, padA: 1, padB: 1, padC: 2, acc, last: "c", skew: 0 };
      const run = runGemm(instance.kernels, instance.memory, precision, c, (i) => specials[i % specials.length]!);
      const got = denseC(run.after, 5, 9, run.ldc);
      const before = denseC(run.before, 5, 9, run.ldc);
      got.forEach((x, i) => expect(sameValue(x, acc ? before[i]! : 0)).toBe(true));
    }
    for (const [m, n] of [[0, 5], [5, 0], [0, 0]] as const) {
      for (const acc of [0, 1]) runGemm(instance.kernels, instance.memory, precision, { kind, m, n, k: 3, padA: 1, padB: 1, padC: 1, acc, last: "a", skew: 0 }, () => 1);
    }
  });

  it.each(KINDS)("gemm_%s gives every element of C the same bits whichever rows and columns are computed with it", (kind) => {
    // Batch invariance: one row (or column) at a time must agree with the whole product, bit for bit.
    const [m, n, k] = [11, 13, 37];
    const random = uniform(3);
    const Real = precision === "float32" ? Float32Array : Float64Array;
    const size = Real.BYTES_PER_ELEMENT;
    const all = new Real(instance.memory.buffer);
    const a = new Real(m * k).map(() => random() - 0.5);
    const b = new Real(n * k).map(() => random() - 0.5);
    const [aAt, bAt, wholeAt, pieceAt] = [0, 1000, 2000, 3000];
    all.set(a, aAt);
    all.set(b, bAt);
    const [lda, ldb] = kind === "tn" ? [m, n] : kind === "nn" ? [k, n] : [k, k];
    const aRow = (i: number): number => (kind === "tn" ? aAt + i : aAt + i * lda);
    const bCol = (j: number): number => (kind === "nt" ? bAt + j * ldb : bAt + j);
    const gemm = instance.kernels[`gemm_${kind}`];
    gemm(m, n, k, aAt * size, lda, bAt * size, ldb, wholeAt * size, n, 0);
    for (let i = 0; i < m; i++) gemm(1, n, k, aRow(i) * size, lda, bAt * size, ldb, (pieceAt + i * n) * size, n, 0);
    expect(all.slice(pieceAt, pieceAt + m * n)).toEqual(all.slice(wholeAt, wholeAt + m * n));
    all.fill(0, pieceAt, pieceAt + m * n);
    for (let j = 0; j < n; j++) gemm(m, 1, k, aAt * size, lda, bCol(j) * size, ldb, (pieceAt + j) * size, n, 0);
    expect(all.slice(pieceAt, pieceAt + m * n)).toEqual(all.slice(wholeAt, wholeAt + m * n));
  });

  it.each(["tn", "nn"] as const)("gemm_%s gives the same bits with a pack scratch, which tn (and the relaxed float32 nn) uses for C of 64 columns or more", (kind) => {
    const size = precision === "float32" ? 4 : 8;
    const scratch = packBytes(size);
    const packed = instantiateKernels(bytes, PAGES, scratch);
    const region = (): Uint8Array => new Uint8Array(packed.memory.buffer, PACK_AT, scratch).slice();
    const random = uniform(11);
    const value = (): number => random() * 2 - 1;
    const ns = relaxed ? [BLOCK.packMinColumns - 1, BLOCK.packMinColumns, 77] : [BLOCK.packMinColumns - 1, BLOCK.packMinColumns, 65, 70, 72, 100];
    let index = 0;
    for (const m of relaxed ? [3, 4, 9] : [1, 3, 4, 5, 8, 9]) {
      for (const n of ns) {
        for (const k of relaxed ? [1, 7, K_PANEL + 1] : [1, 5, K_PANEL, K_PANEL + 1, 2 * K_PANEL + 3]) {
          const acc = index % 2;
          new Uint8Array(packed.memory.buffer, PACK_AT, scratch).fill(0xff); // NaNs: a kernel reading stale scratch could not match
          const before = region();
          const c: GemmCase = { kind, m, n, k, padA: index % 3, padB: (index >> 1) % 3, padC: 1, acc, last: (["a", "b", "c"] as const)[index % 3]!, skew: index % 5 };
          check(precision, packed, c, value, !relaxed, fused);
          // the scratch is used exactly when the driver documents it: A's rows one element apart (tn; nn when lda = 1),
          // or nn in the relaxed float32 variant (a transposing copy); a row block of 4 (m ≥ 4); C wide enough
          const packable = kind === "tn" || k + c.padA === 1 || (relaxed && precision === "float32");
          const used = packable && m >= BLOCK.xnRows && n >= BLOCK.packMinColumns;
          expect(region().some((byte, i) => byte !== before[i]), JSON.stringify(c)).toBe(used);
          index++;
        }
      }
    }
  });

  it("traps when an operand runs past the end of memory", () => {
    const end = instance.memory.buffer.byteLength;
    // A is 4×4: 64 bytes in float32, so starting 60 bytes from the end its last element is out of bounds.
    expect(() => instance.kernels.gemm_nn(4, 8, 4, end - 60, 4, 0, 8, 256, 8, 0)).toThrow(wasm.RuntimeError);
  });

  it.skipIf(!relaxed || cpuHasFma === undefined)("relaxed: fuses the multiply-add exactly when the CPU has FMA (checked bit for bit above either way)", () => {
    expect(fused).toBe(cpuHasFma);
  });

  it("does not grow the memory", () => {
    expect(instance.memory.buffer.byteLength).toBe(PAGES * 65536);
  });

  describe("property: any sizes, paddings and offsets", () => {
    const dims = fc.integer({ min: 0, max: 40 });
    const cases = fc.record({
      kind: fc.constantFrom<Kind>(...KINDS),
      m: dims,
      n: dims,
      k: fc.oneof(dims, fc.integer({ min: 0, max: 600 })),
      padA: fc.integer({ min: 0, max: 5 }),
      padB: fc.integer({ min: 0, max: 5 }),
      padC: fc.integer({ min: 0, max: 5 }),
      acc: fc.constantFrom(0, 1, 7),
      last: fc.constantFrom<"a" | "b" | "c">("a", "b", "c"),
      skew: fc.integer({ min: 0, max: 7 }),
    });

    it("matches the documented order bit for bit, and float64 within tolerance", () => {
      fc.assert(
        fc.property(cases, fc.integer(), (c, seed) => {
          const random = uniform(seed);
          checkCase(c, () => random() * 4 - 2);
        }),
        { numRuns: relaxed ? 60 : 300, seed: 20240611 },
      );
    });

    it("handles infinities, NaNs, signed zeros, subnormals and overflow exactly as the documented order does", () => {
      const tiny = precision === "float32" ? 1e-40 : 1e-310;
      const huge = precision === "float32" ? 3e38 : 1.5e308;
      const special = fc.constantFrom(0, -0, Infinity, -Infinity, Number.NaN, tiny, -tiny, huge, -huge, 1, -1, 0.1);
      fc.assert(
        fc.property(cases, fc.array(special, { minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 10 }), (c, values, density) => {
          // Mostly ordinary numbers with a sprinkling of special ones.
          const random = uniform(values.length * 31 + density);
          let i = 0;
          const value = (): number => (random() * 10 < density ? values[i++ % values.length]! : random() * 2 - 1);
          checkCase(c, value, false);
        }),
        { numRuns: relaxed ? 60 : 300, seed: 7 },
      );
    });
  });
});

/**
 * Runs gemm_nn on a 1×1 product with k = 2 whose second multiply-add gives a·b + c = 2⁻²⁴ (float32; 2⁻⁵⁴ in float64)
 * exactly, while rounding a·b first gives 0: true when the kernels fuse.
 */
function fusesOnThisEngine(precision: Precision, instance: ReturnType<typeof instantiateKernels>): boolean {
  const [bits, tiny] = precision === "float32" ? [12, 2 ** -24] : [27, 2 ** -54];
  const x = 1 + 2 ** -bits;
  const Real = precision === "float32" ? Float32Array : Float64Array;
  const all = new Real(instance.memory.buffer, 0, 16);
  // A = [c, x] (1×2), B = [1; x] (2×1), C at element 8: C = c·1 + x·x with c = −(x·x − tiny), representable.
  all.set([-(x * x - tiny), x, 0, 0, 1, x, 0, 0, 0]);
  const size = Real.BYTES_PER_ELEMENT;
  instance.kernels.gemm_nn(1, 1, 2, 0, 2, 4 * size, 1, 8 * size, 1, 0);
  return all[8] === tiny;
}
