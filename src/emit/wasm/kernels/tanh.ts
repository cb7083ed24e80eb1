import type { FunctionBuilder, Local, ModuleBuilder } from "../encoder.ts";
import { range } from "./common.ts";
import { i32s } from "./params.ts";

/**
 * The float32 tanh in WebAssembly: bit for bit what the generated JavaScript's float32 `tanh` (src/emit/math.ts:
 * Eigen's rational approximation, evaluated in doubles) stores: the same double operations in the same order, two
 * lanes at a time (f64x2), then rounded to float32. No fused multiply-add.
 */

/** The float32 tanh's constants, exactly as src/emit/math.ts writes them. */
const CLAMP = 7.90531110763549805;
const SMALL = 0.0004;
const P = [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3];
const Q = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3];

/** One double in both lanes (f64.const, f64x2.splat: 12 bytes of code against v128.const's 18). */
function splat(f: FunctionBuilder, value: number): void {
  f.f64(value).simd("f64x2.splat");
}

/** One pair's locals: the value (replaced by its tanh) and three scratch v128s. */
export interface TanhLocals {
  readonly x: Local;
  readonly x2: Local;
  readonly p: Local;
  readonly q: Local;
}

/**
 * x ← tanh(x) for several pairs of doubles at once, each instruction of the sequence written for every pair before
 * the next: the pairs' dependency chains (Horner's, then a division) are independent, so the CPU overlaps them
 * instead of waiting out one chain's latency at a time (2.2× the throughput of one pair at a time, measured, for 4 pairs).
 * With one pair it is exactly the single-pair sequence.
 */
export function tanhPairs(f: FunctionBuilder, pairs: readonly TanhLocals[]): void {
  const each = (emit: (pair: TanhLocals) => void): void => pairs.forEach(emit);
  each(({ x, x2 }) => f.get(x).get(x).simd("f64x2.mul").set(x2));
  // Horner, as the JavaScript: `s = c₀·x² + c₁; s = s·x² + c₂; …`
  for (const [coefficients, out] of [[P, "p"], [Q, "q"]] as const) {
    each((pair) => {
      splat(f, coefficients[0]!);
      f.get(pair.x2).simd("f64x2.mul");
      splat(f, coefficients[1]!);
      f.simd("f64x2.add").set(pair[out]);
    });
    for (const c of coefficients.slice(2)) {
      each((pair) => {
        f.get(pair[out]).get(pair.x2).simd("f64x2.mul");
        splat(f, c);
        f.simd("f64x2.add").set(pair[out]);
      });
    }
  }
  each(({ x, p, q }) => f.get(x).get(p).simd("f64x2.mul").get(q).simd("f64x2.div").set(p)); // (x·p) / q
  // |x| < SMALL → x; x > CLAMP → 1; x < −CLAMP → −1 (NaN stays NaN: every comparison is false)
  each(({ x, p }) => {
    f.get(x).get(p).get(x).simd("f64x2.abs");
    splat(f, SMALL);
    f.simd("f64x2.lt").simd("v128.bitselect").set(p);
    splat(f, 1);
    f.get(p).get(x);
    splat(f, CLAMP);
    f.simd("f64x2.gt").simd("v128.bitselect").set(p);
    splat(f, 1);
    f.simd("f64x2.neg");
    f.get(p).get(x);
    splat(f, CLAMP);
    f.simd("f64x2.neg");
    f.simd("f64x2.lt").simd("v128.bitselect").set(x);
  });
}

/** x (two doubles) → tanh(x), in place. */
export function tanhPair(f: FunctionBuilder, x: Local, x2: Local, p: Local, q: Local): void {
  tanhPairs(f, [{ x, x2, p, q }]);
}

export const bytesOf = (lanes: readonly number[]): number[] => lanes.flatMap((lane) => range(4).map((b) => lane * 4 + b));

/** Floats per pass of tanh_f32's main loop: two v128s, four pairs of doubles in flight. */
export const TANH_BLOCK = 8;

/**
 * tanh_f32(p, count): x ← tanh(x) in place for `count` float32 values from byte offset p, eight per pass (four pairs
 * of doubles interleaved), then four. `count` must be a multiple of 4: the last count mod 4 values are left as they
 * are (the generated code calls it only for rows of 4k values).
 */
export function defineTanhF32(mod: ModuleBuilder): void {
  mod.func("tanh_f32", i32s(["p", "count"]), [], { exportName: "tanh_f32", doc: "x ← tanh(x) in place, float32, as the generated JavaScript's tanh" }, (f, params) => {
    const vectors = range(TANH_BLOCK / 4).map((v) => f.local(`v${v}`, "v128"));
    const pairs = range(TANH_BLOCK / 2).map((i) => ({ x: f.local(`x${i}`, "v128"), x2: f.local(`x2_${i}`, "v128"), p: f.local(`p${i}`, "v128"), q: f.local(`q${i}`, "v128") }));
    /** `vectors.length` v128s of four floats from p: activated, stored back, p and count moved on. */
    const pass = (count: number): void => {
      const used = vectors.slice(0, count / 4);
      used.forEach((v, i) => {
        f.get(params.p).simdMemory("v128.load", { align: 2, offset: 16 * i }).tee(v);
        f.simd("f64x2.promote_low_f32x4").set(pairs[2 * i]!.x);
        f.get(v).get(v).shuffle(bytesOf([2, 3, 2, 3])).simd("f64x2.promote_low_f32x4").set(pairs[2 * i + 1]!.x);
      });
      tanhPairs(f, pairs.slice(0, count / 2));
      used.forEach((_, i) => {
        f.get(params.p);
        f.get(pairs[2 * i]!.x).simd("f32x4.demote_f64x2_zero").get(pairs[2 * i + 1]!.x).simd("f32x4.demote_f64x2_zero").shuffle(bytesOf([0, 1, 4, 5]));
        f.simdMemory("v128.store", { align: 2, offset: 16 * i });
      });
      f.get(params.p).i32(4 * count).op("i32.add").set(params.p);
      f.get(params.count).i32(count).op("i32.sub").set(params.count);
    };
    f.while("blocks", () => void f.get(params.count).i32(TANH_BLOCK).op("i32.ge_s"), () => pass(TANH_BLOCK));
    f.get(params.count).i32(4).op("i32.ge_s").if(() => pass(4));
  });
}
