import { TANH_F32 } from "../../tanh-constants.ts";
import type { FunctionBuilder, Local, ModuleBuilder } from "../encoder.ts";
import { range } from "./common.ts";
import { i32s } from "./params.ts";

/**
 * The float32 tanh in WebAssembly: Eigen's rational approximation evaluated in float32 (as Eigen's float tanh is), four
 * lanes at a time (f32x4): bit for bit the generated JavaScript's float32 `tanh` (src/emit/math.ts), which rounds every
 * operation to float32 (Math.fround): the same operations in the same order, no fused multiply-add. Within 7 ulps of
 * the correctly rounded tanh (test/kernels-activations.test.ts).
 */

/** One float32 constant in all four lanes (f32.const, f32x4.splat: 7 bytes of code against v128.const's 18). */
function splat(f: FunctionBuilder, value: number): void {
  f.f32(value).simd("f32x4.splat");
}

/** One vector's locals: the value (replaced by its tanh) and three scratch v128s. */
export interface TanhLocals {
  readonly x: Local;
  readonly x2: Local;
  readonly p: Local;
  readonly q: Local;
}

/**
 * x ← tanh(x) for several vectors of four float32 values at once, each instruction of the sequence written for every
 * vector before the next: their dependency chains (Horner's, then a division) are independent, so the CPU overlaps
 * them instead of waiting out one chain's latency at a time.
 */
export function tanhQuads(f: FunctionBuilder, quads: readonly TanhLocals[]): void {
  const each = (emit: (quad: TanhLocals) => void): void => quads.forEach(emit);
  const { clamp, small, p: P, q: Q } = TANH_F32;
  each(({ x, x2 }) => f.get(x).get(x).simd("f32x4.mul").set(x2));
  // Horner, as the JavaScript: `s = c₀·x² + c₁; s = s·x² + c₂; …`, each operation rounded to float32
  for (const [coefficients, out] of [[P, "p"], [Q, "q"]] as const) {
    each((quad) => {
      splat(f, coefficients[0]!);
      f.get(quad.x2).simd("f32x4.mul");
      splat(f, coefficients[1]!);
      f.simd("f32x4.add").set(quad[out]);
    });
    for (const c of coefficients.slice(2)) {
      each((quad) => {
        f.get(quad[out]).get(quad.x2).simd("f32x4.mul");
        splat(f, c);
        f.simd("f32x4.add").set(quad[out]);
      });
    }
  }
  each(({ x, p, q }) => f.get(x).get(p).simd("f32x4.mul").get(q).simd("f32x4.div").set(p)); // (x·p) / q
  // |x| < small → x; x > clamp → 1; x < −clamp → −1 (NaN stays NaN: every comparison is false)
  each(({ x, p }) => {
    f.get(x).get(p).get(x).simd("f32x4.abs");
    splat(f, small);
    f.simd("f32x4.lt").simd("v128.bitselect").set(p);
    splat(f, 1);
    f.get(p).get(x);
    splat(f, clamp);
    f.simd("f32x4.gt").simd("v128.bitselect").set(p);
    splat(f, -1);
    f.get(p).get(x);
    splat(f, -clamp);
    f.simd("f32x4.lt").simd("v128.bitselect").set(x);
  });
}

/** Floats per pass of tanh_f32's main loop: vectors of four, their chains interleaved. */
export const TANH_BLOCK = 8;

/**
 * tanh_f32(p, count): x ← tanh(x) in place for `count` float32 values from byte offset p, TANH_BLOCK per pass, then four.
 * `count` must be a multiple of 4: the last count mod 4 values are left as they are (the generated code calls it only
 * for rows of 4k values).
 */
export function defineTanhF32(mod: ModuleBuilder): void {
  mod.func("tanh_f32", i32s(["p", "count"]), [], { exportName: "tanh_f32", doc: "x ← tanh(x) in place, float32, as the generated JavaScript's tanh" }, (f, params) => {
    const quads = range(TANH_BLOCK / 4).map((i) => ({ x: f.local(`x${i}`, "v128"), x2: f.local(`x2_${i}`, "v128"), p: f.local(`p${i}`, "v128"), q: f.local(`q${i}`, "v128") }));
    /** `count` floats from p: loaded, activated, stored back; p and count moved on. */
    const pass = (count: number): void => {
      const used = quads.slice(0, count / 4);
      used.forEach(({ x }, i) => f.get(params.p).simdMemory("v128.load", { align: 2, offset: 16 * i }).set(x));
      tanhQuads(f, used);
      used.forEach(({ x }, i) => f.get(params.p).get(x).simdMemory("v128.store", { align: 2, offset: 16 * i }));
      f.get(params.p).i32(4 * count).op("i32.add").set(params.p);
      f.get(params.count).i32(count).op("i32.sub").set(params.count);
    };
    f.while("blocks", () => void f.get(params.count).i32(TANH_BLOCK).op("i32.ge_s"), () => pass(TANH_BLOCK));
    f.get(params.count).i32(4).op("i32.ge_s").if(() => pass(4));
  });
}
