import type { FunctionBuilder, FunctionRef, Local, ModuleBuilder } from "../encoder.ts";
import { range } from "./common.ts";
import { i32s } from "./params.ts";

/**
 * tanh_f32(p, count): x ← tanh(x) in place for `count` float32 values from byte offset p, bit for bit what the
 * generated JavaScript's float32 `tanh` (src/emit/math.ts: Eigen's rational approximation, evaluated in doubles)
 * stores: the same double operations in the same order, two lanes at a time (f64x2), then rounded to float32.
 * No fused multiply-add, in either kernel variant. Four values per step: `count` must be a multiple of 4 (the last
 * count mod 4 values are left as they are; the generated code calls it only for rows of 4k values).
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

/** Horner, as the JavaScript: `s = c₀·x² + c₁; s = s·x² + c₂; …` */
function polynomial(f: FunctionBuilder, x2: Local, into: Local, coefficients: readonly number[]): void {
  splat(f, coefficients[0]!);
  f.get(x2).simd("f64x2.mul");
  splat(f, coefficients[1]!);
  f.simd("f64x2.add").set(into);
  for (const c of coefficients.slice(2)) {
    f.get(into).get(x2).simd("f64x2.mul");
    splat(f, c);
    f.simd("f64x2.add").set(into);
  }
}

/** x (two doubles) → tanh(x), in place. */
export function tanhPair(f: FunctionBuilder, x: Local, x2: Local, p: Local, q: Local): void {
  f.get(x).get(x).simd("f64x2.mul").set(x2);
  polynomial(f, x2, p, P);
  polynomial(f, x2, q, Q);
  f.get(x).get(p).simd("f64x2.mul").get(q).simd("f64x2.div").set(p); // (x·p) / q
  // |x| < SMALL → x; x > CLAMP → 1; x < −CLAMP → −1 (NaN stays NaN: every comparison is false)
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
}

const bytesOf = (lanes: readonly number[]) => lanes.flatMap((lane) => range(4).map((b) => lane * 4 + b));

/** Declares tanh_f32 (exported) and its helper tanh_f64x2 in the module (one copy of the arithmetic: the 4 KB budget). */
export function defineTanh(mod: ModuleBuilder): void {
  const pair = defineTanhPair(mod);
  defineTanhF32(mod, pair);
}

/** Declares tanh_f64x2(x) → the float32 tanh of two doubles, still as doubles (also used by the gate kernels). */
export function defineTanhPair(mod: ModuleBuilder): FunctionRef {
  return mod.func("tanh_f64x2", [["x", "v128"]] as const, ["v128"], { doc: "two doubles → their float32 tanh, still as doubles" }, (f, params) => {
    const [x2, pp, q] = ["x2", "pp", "q"].map((name) => f.local(name, "v128")) as [Local, Local, Local];
    tanhPair(f, params.x, x2, pp, q);
    f.get(params.x);
  });
}

function defineTanhF32(mod: ModuleBuilder, pair: FunctionRef): void {
  mod.func("tanh_f32", i32s(["p", "count"]), [], { exportName: "tanh_f32", doc: "x ← tanh(x) in place, float32, as the generated JavaScript's tanh" }, (f, params) => {
    const v = f.local("v", "v128");
    /** v (four floats, or one in lane 0) → tanh of each, in v. */
    const body = (): void => {
      f.get(v).simd("f64x2.promote_low_f32x4").call(pair).simd("f32x4.demote_f64x2_zero");
      f.get(v).get(v).shuffle(bytesOf([2, 3, 2, 3])).simd("f64x2.promote_low_f32x4").call(pair).simd("f32x4.demote_f64x2_zero");
      f.shuffle(bytesOf([0, 1, 4, 5])).set(v);
    };
    f.while(
      "quads",
      () => void f.get(params.count).i32(4).op("i32.ge_s"),
      () => {
        f.get(params.p).get(params.p).simdMemory("v128.load", { align: 2 }).set(v);
        body();
        f.get(v).simdMemory("v128.store", { align: 2 });
        f.get(params.p).i32(16).op("i32.add").set(params.p);
        f.get(params.count).i32(4).op("i32.sub").set(params.count);
      },
    );
  });
}
