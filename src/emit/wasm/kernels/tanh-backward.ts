import type { ModuleBuilder } from "../encoder.ts";
import { range } from "./common.ts";
import { GATE_HELPERS } from "./gates-helpers.ts";
import { i32s } from "./params.ts";
import { splat } from "./sigmoid.ts";
import { bytesOf } from "./tanh.ts";

/**
 * tanh_backward_f32(dPre, dOut, h, count): dPre[i] = flush(dOut[i] · (1 − h[i]·h[i])) for `count` float32 values,
 * byte offsets, four at a time: the rnn's backward loop (src/ops/rnn.ts), the same double operations in the same
 * order, then rounded to float32, so bit for bit what that loop stores. `count` must be a multiple of 4 (the last
 * count mod 4 values are not written). dPre may be dOut.
 */
export function defineTanhBackward(mod: ModuleBuilder): void {
  const params = i32s(["dPre", "dOut", "h", "count"]);
  mod.func("tanh_backward_f32", params, [], { exportName: "tanh_backward_f32", doc: "dPre = flush(dOut·(1 − h²)), float32, as the rnn's backward loop" }, (f, p) => {
    const h = f.local("hv", "v128");
    const d = f.local("dv", "v128");
    const half = range(2).map((i) => f.local(`half${i}`, "v128"));
    /** doubles of floats 2i, 2i + 1 of `v` */
    const promote = (v: typeof h, i: number): void => {
      f.get(v);
      if (i === 1) f.get(v).shuffle(bytesOf([2, 3, 2, 3]));
      f.simd("f64x2.promote_low_f32x4");
    };
    f.while(
      "quads",
      () => void f.get(p.count).i32(4).op("i32.ge_s"),
      () => {
        f.get(p.h).simdMemory("v128.load", { align: 2 }).set(h);
        f.get(p.dOut).simdMemory("v128.load", { align: 2 }).set(d);
        half.forEach((out, i) => {
          promote(d, i);
          splat(f, 1);
          promote(h, i);
          promote(h, i);
          f.simd("f64x2.mul").simd("f64x2.sub").simd("f64x2.mul");
          GATE_HELPERS.flush(f);
          f.set(out);
        });
        f.get(p.dPre);
        f.get(half[0]!).simd("f32x4.demote_f64x2_zero").get(half[1]!).simd("f32x4.demote_f64x2_zero").shuffle(bytesOf([0, 1, 4, 5]));
        f.simdMemory("v128.store", { align: 2 });
        for (const pointer of [p.dPre, p.dOut, p.h]) f.get(pointer).i32(16).op("i32.add").set(pointer);
        f.get(p.count).i32(4).op("i32.sub").set(p.count);
      },
    );
  });
}
