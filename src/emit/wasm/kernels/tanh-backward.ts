import type { ModuleBuilder } from "../encoder.ts";
import { i32s } from "./params.ts";

/** The flush bound as a float32 (an f32 x is below 1e-30 exactly when it is below fround(1e-30), which lies above 1e-30). */
const FLUSH_BELOW = Math.fround(1e-30);

/**
 * tanh_backward_f32(dPre, dOut, h, count): dPre[i] = flush(dOut[i] · (1 − h[i]·h[i])) for `count` float32 values,
 * byte offsets, four at a time in float32 arithmetic: the rnn's backward loop for float32 builds (src/ops/rnn.ts,
 * `preActivationGradient`), the same float32 operations in the same order, so bit for bit what that loop stores.
 * `count` must be a multiple of 4 (the last count mod 4 values are not written). dPre may be dOut.
 */
export function defineTanhBackward(mod: ModuleBuilder): void {
  const params = i32s(["dPre", "dOut", "h", "count"]);
  mod.func("tanh_backward_f32", params, [], { exportName: "tanh_backward_f32", doc: "dPre = flush(dOut·(1 − h²)), float32, as the rnn's backward loop" }, (f, p) => {
    const h = f.local("hv", "v128");
    const v = f.local("v", "v128");
    f.while(
      "quads",
      () => void f.get(p.count).i32(4).op("i32.ge_s"),
      () => {
        f.get(p.h).simdMemory("v128.load", { align: 2 }).set(h);
        // v = dOut · (1 − h·h)
        f.get(p.dOut).simdMemory("v128.load", { align: 2 });
        f.f32(1).simd("f32x4.splat").get(h).get(h).simd("f32x4.mul").simd("f32x4.sub");
        f.simd("f32x4.mul").set(v);
        // |v| < 1e-30 → 0 (NaN and ±∞ pass through)
        f.get(p.dPre);
        f.f32(0).simd("f32x4.splat").get(v).get(v).simd("f32x4.abs").f32(FLUSH_BELOW).simd("f32x4.splat").simd("f32x4.lt").simd("v128.bitselect");
        f.simdMemory("v128.store", { align: 2 });
        for (const pointer of [p.dPre, p.dOut, p.h]) f.get(pointer).i32(16).op("i32.add").set(pointer);
        f.get(p.count).i32(4).op("i32.sub").set(p.count);
      },
    );
  });
}
