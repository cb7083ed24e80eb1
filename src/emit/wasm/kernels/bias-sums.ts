import type { Local, ModuleBuilder } from "../encoder.ts";
import { range } from "./common.ts";
import { i32s } from "./params.ts";
import { splat } from "./sigmoid.ts";

/**
 * bias_sums_f32(src, rows, cols, dstA, dstB, both): for every column j of a rows×cols float32 matrix (row-major,
 * contiguous), the sum of the column in a double, row after row from 0, added into dstA[j] (and, with both ≠ 0, into
 * dstB[j]) and rounded to float32: bit for bit the recurrent layers' bias-gradient loop (src/ops/recurrent/steps.ts,
 * `db_ih[j] += sum`, `db_hh[j] += sum`), which sums the same values in the same order. Sixteen columns per pass down
 * the rows (one 64-byte line of each row, eight pairs of doubles), then four. `cols` must be a multiple of 4.
 */
export function defineBiasSums(mod: ModuleBuilder): void {
  const params = i32s(["src", "rows", "cols", "dstA", "dstB", "both"]);
  mod.func("bias_sums_f32", params, [], { exportName: "bias_sums_f32", doc: "dst[j] += Σ_r src[r][j] in doubles, float32 (bias gradients)" }, (f, p) => {
    const sums = range(8).map((i) => f.local(`sum${i}`, "v128"));
    const row = f.local("row", "i32");
    const r = f.local("r", "i32");
    const j = f.local("j", "i32"); // byte offset of the pass's first column
    const stride = f.local("stride", "i32");
    f.get(p.cols).i32(2).op("i32.shl").set(stride);
    /** dst[j + 2i …] += sums[i], for the pass's pairs */
    const addInto = (dst: Local, pairs: Local[]): void => {
      pairs.forEach((sum, i) => {
        f.get(dst).get(j).op("i32.add");
        f.get(dst).get(j).op("i32.add").simdMemory("v128.load64_zero", { align: 2, offset: 8 * i }).simd("f64x2.promote_low_f32x4");
        f.get(sum).simd("f64x2.add").simd("f32x4.demote_f64x2_zero");
        f.simdMemoryLane("v128.store64_lane", { align: 2, offset: 8 * i }, 0);
      });
    };
    const pass = (columns: number): void => {
      const pairs = sums.slice(0, columns / 2);
      for (const sum of pairs) {
        splat(f, 0);
        f.set(sum);
      }
      f.get(p.src).get(j).op("i32.add").set(row);
      f.get(p.rows).set(r);
      f.block("summed", () => {
        f.get(r).op("i32.eqz").brIf("summed");
        f.loop("rows", () => {
          pairs.forEach((sum, i) => {
            f.get(sum).get(row).simdMemory("v128.load64_zero", { align: 2, offset: 8 * i }).simd("f64x2.promote_low_f32x4");
            f.simd("f64x2.add").set(sum);
          });
          f.get(row).get(stride).op("i32.add").set(row);
          f.get(r).i32(1).op("i32.sub").tee(r).brIf("rows");
        });
      });
      addInto(p.dstA, pairs);
      f.get(p.both).if(() => addInto(p.dstB, pairs));
      f.get(j).i32(4 * columns).op("i32.add").set(j);
    };
    for (const columns of [16, 4]) f.while(`pass${columns}`, () => void f.get(stride).get(j).op("i32.sub").i32(4 * columns).op("i32.ge_s"), () => pass(columns));
  });
}
