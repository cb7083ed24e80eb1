import type { FunctionBuilder, FunctionRef, GlobalRef, Local, ModuleBuilder, ParamLocals } from "../encoder.ts";
import { BLOCK } from "./block.ts";
import { at, increment, multiplyAdd, range, returnIfNothingToAdd } from "./common.ts";
import { V128, type Flavor } from "./flavor.ts";
import { i32s, type GEMM_PARAMS } from "./params.ts";
import { writeC } from "./write-c.ts";

/** gemm_nn and gemm_tn, through their shared driver gemm_xn, and its inner kernels. */

export const XN_DRIVER_PARAMS = i32s(["m", "n", "k", "a", "rowStride", "kStride", "b", "ldb", "c", "ldc", "acc"]);
const XN_KERNEL_PARAMS = i32s(["pa", "pb", "pc", "k", "rowStride", "kStride", "ldb", "ldc", "acc"]);

/** gemm_nn and gemm_tn differ only in how A is walked: nn steps p along a row of A, tn steps p down a column. */
export function callXn(f: FunctionBuilder, p: ParamLocals<typeof GEMM_PARAMS>, fl: Flavor, xn: FunctionRef, kind: "nn" | "tn"): void {
  const ldaBytes = (): void => void f.get(p.lda).i32(fl.shift).op("i32.shl");
  const element = (): void => void f.i32(fl.size);
  f.get(p.m).get(p.n).get(p.k).get(p.a);
  if (kind === "nn") {
    ldaBytes(); // rowStride
    element(); // kStride
  } else {
    element();
    ldaBytes();
  }
  f.get(p.b).get(p.ldb).get(p.c).get(p.ldc).get(p.acc).call(xn);
}

interface XnKernel {
  readonly rows: number;
  /**
   * Reads A from the driver's pack scratch through one pointer: A[i+r][p] at pa + r·size, pa moving rows·size a
   * product (rowStride and kStride unused). One address register instead of one per row, 7–10% faster in V8 11.3.
   */
  readonly packed: boolean;
  /** Columns of C per call: a multiple of the lane count, or 1. */
  readonly columns: number;
  readonly ref: FunctionRef;
}

/**
 * Inner kernels for nn/tn: a rows×columns block of C over all of k, each row's sums in v128 accumulators.
 * Per step p: load B[p][j…] (contiguous), broadcast A[i+r][p] to each row r's vector, multiply, add.
 * A one-column block (the tail) uses lane 0 only: `load32_zero` for B, `store32_lane` for C.
 * The relaxed variant has one more, `xnp`, the widest block over packed A (the packed row blocks' narrower tails use
 * the others, whose strides walk the packed copy as well). The baseline variant goes without it to stay within 4 KB
 * (SYNC_MODULE_LIMIT): its packed row blocks run the plain kernels over the packed copy, the same bits a little slower.
 * Why not larger blocks: V8 11.3 allocates 15 vector registers and schedules all of a step's loads (B's vectors, each
 * row's broadcast of A) before its multiply-adds, so accumulators + loads must stay within 15; 5×8 needs 17 and spills
 * two accumulators every step, at half the speed (bench/README.md, "The ceiling").
 */
export function defineXnKernels(mod: ModuleBuilder, fl: Flavor): XnKernel[] {
  const shapes: [number, number, boolean][] = [];
  for (const rows of [BLOCK.xnRows, 1]) for (const columns of [BLOCK.xnVectors * fl.lanes, fl.lanes, 1]) shapes.push([rows, columns, false]);
  if (fl.variant === "relaxed") shapes.push([BLOCK.xnRows, BLOCK.xnVectors * fl.lanes, true]);
  return shapes.map(([rows, columns, packed]) => ({
    rows,
    columns,
    packed,
    ref: mod.func(
      `xn${packed ? "p" : ""}_${rows}x${columns}`,
      XN_KERNEL_PARAMS,
      [],
      { doc: `${rows}×${columns} block of C${columns === 1 ? ", lane 0" : ""}${packed ? ", A packed" : ""}` },
      (f, p) => xnKernelBody(f, p, fl, rows, columns, packed),
    ),
  }));
}

function xnKernelBody(f: FunctionBuilder, p: ParamLocals<typeof XN_KERNEL_PARAMS>, fl: Flavor, rows: number, columns: number, packed: boolean): void {
  const vectors = columns === 1 ? 1 : columns / fl.lanes;
  // packed: one pointer, row r at a constant offset; otherwise one pointer per row
  const aRow = packed ? [p.pa] : [p.pa, ...range(rows - 1).map((r) => f.local(`a${r + 1}`, "i32"))];
  const bVec = range(vectors).map((v) => f.local(`b${v}`, "v128"));
  const splat = f.local("s", "v128");
  const sums = range(rows).map((r) => range(vectors).map((v) => f.local(`c${r}_${v}`, "v128")));

  for (let r = 1; r < aRow.length; r++) f.get(at(aRow, r - 1)).get(p.rowStride).op("i32.add").set(at(aRow, r));
  f.block("done", () => {
    f.get(p.k).op("i32.eqz").brIf("done");
    f.loop("step", () => {
      bVec.forEach((bv, v) => {
        f.get(p.pb);
        if (columns === 1) f.simdMemory(fl.zeroLoad, fl.mem());
        else f.simdMemory("v128.load", fl.mem(v * V128));
        f.set(bv);
      });
      range(rows).forEach((r) => {
        if (packed) f.get(p.pa).simdMemory(fl.splatLoad, fl.mem(r * fl.size)).set(splat);
        else f.get(at(aRow, r)).simdMemory(fl.splatLoad, fl.mem()).set(splat);
        bVec.forEach((bv, v) => {
          const sum = at(at(sums, r), v);
          multiplyAdd(f, fl, sum, splat, bv);
        });
      });
      if (packed) increment(f, p.pa, () => f.i32(rows * fl.size));
      else for (const ar of aRow) increment(f, ar, () => f.get(p.kStride));
      increment(f, p.pb, () => f.get(p.ldb));
      f.get(p.k).i32(1).op("i32.sub").tee(p.k).brIf("step");
    });
  });
  writeC(f, fl, sums, p.pc, p.ldc, p.acc, columns === 1);
}

/**
 * gemm_xn: walks C in row blocks (BLOCK.xnRows, then single rows) and column blocks (wide, one vector, one column).
 *
 * tn's A is walked down its columns (rowStride is one element): a row block reads A[p][i…i+rows) at a stride of a
 * whole row of A per product, and with power-of-two rows those lines fall into a few sets of the L1 cache and evict
 * each other before the next column block reads them again. So when `pack` (a global the generated code sets to a
 * scratch of `packBytes` bytes, one per thread) is not 0, rowStride is one element (tn; nn only when lda = 1) and C
 * has at least BLOCK.packMinColumns columns, each row block first copies its panel of A into the scratch, contiguous,
 * and the kernels read the copy: the same values in the same order, so the same bits, in 8–20% less time on the
 * benchmark's weight gradients (bench/kernels.ts). Narrower C has too few column blocks to repay the copy. In the
 * relaxed float32 variant nn packs too (`transposingPack`: its rows are lda apart, so the copy is a transpose): the
 * one-pointer block then runs nn's per-step products 4–8% faster.
 */
export function xnDriver(f: FunctionBuilder, p: ParamLocals<typeof XN_DRIVER_PARAMS>, fl: Flavor, kernels: XnKernel[], pack: GlobalRef): void {
  const panel = f.local("panel", "i32"); // products in this pass over C: min(k left, BLOCK.kPanel)
  const i = f.local("i", "i32");
  const j = f.local("j", "i32"); // byte offset of the column block within a row
  const pa = f.local("pa", "i32");
  const pc = f.local("pc", "i32");
  const rowBytes = f.local("rowBytes", "i32");
  const packing = f.local("packing", "i32"); // whether row blocks of A are packed (tn, wide enough C, a scratch set)
  const blockA = { a: f.local("blockA", "i32"), rowStride: f.local("blockRowStride", "i32"), kStride: f.local("blockKStride", "i32") };
  returnIfNothingToAdd(f, p.k, p.acc);
  f.get(p.ldb).i32(fl.shift).op("i32.shl").set(p.ldb);
  f.get(p.ldc).i32(fl.shift).op("i32.shl").set(p.ldc);
  f.get(p.n).i32(fl.shift).op("i32.shl").set(rowBytes);
  const transposes = transposingPack(fl);
  f.global(pack).op("i32.eqz").op("i32.eqz");
  if (transposes) f.get(p.rowStride).i32(fl.size).op("i32.eq").get(p.kStride).i32(fl.size).op("i32.eq").op("i32.or").op("i32.and");
  else f.get(p.rowStride).i32(fl.size).op("i32.eq").op("i32.and");
  f.get(p.n).i32(BLOCK.packMinColumns).op("i32.ge_s").op("i32.and").set(packing);

  const sweepColumns = (rows: number): void => {
    f.i32(0).set(j);
    for (const kernel of kernels.filter((kk) => kk.rows === rows && !kk.packed)) {
      const width = kernel.columns * fl.size;
      const callOne = (ref: FunctionRef): void => {
        f.get(blockA.a).get(p.b).get(j).op("i32.add").get(pc).get(j).op("i32.add");
        f.get(panel).get(blockA.rowStride).get(blockA.kStride).get(p.ldb).get(p.ldc).get(p.acc).call(ref);
      };
      // a packed row block takes the packed kernel where there is one, the plain ones (over the packed copy) elsewhere
      const packed = kernels.find((pk) => pk.packed && pk.rows === rows && pk.columns === kernel.columns);
      const call = (): void => {
        if (packed === undefined) callOne(kernel.ref);
        else f.get(packing).if(() => callOne(packed.ref), () => callOne(kernel.ref));
        increment(f, j, () => f.i32(width));
      };
      const fits = (): void => void f.get(rowBytes).get(j).op("i32.sub").i32(width).op("i32.ge_s");
      // After the wide blocks, a one-vector block fits at most once; the others repeat.
      if (kernel.columns === fl.lanes && BLOCK.xnVectors === 2) {
        fits();
        f.if(call);
      } else {
        f.while(`cols${rows}x${kernel.columns}`, fits, call);
      }
    }
  };
  // One pass over C per panel of k, so the panel's rows of A and B stay in cache while every block of C uses them.
  f.loop("panels", () => {
    f.i32(BLOCK.kPanel).get(p.k).get(p.k).i32(BLOCK.kPanel).op("i32.gt_u").op("select").set(panel);
    f.get(p.a).set(pa);
    f.get(p.c).set(pc);
    f.i32(0).set(i);
    for (const rows of [BLOCK.xnRows, 1]) {
      f.while(
        `rows${rows}`,
        () => void f.get(p.m).get(i).op("i32.sub").i32(rows).op("i32.ge_s"),
        () => {
          f.get(pa).set(blockA.a);
          f.get(p.rowStride).set(blockA.rowStride);
          f.get(p.kStride).set(blockA.kStride);
          if (rows > 1) {
            f.get(packing).if(() => {
              if (!transposes) return packRows(f, fl, rows, pa, p.kStride, panel, pack, blockA);
              f.get(p.rowStride).i32(fl.size).op("i32.eq").if(
                () => packRows(f, fl, rows, pa, p.kStride, panel, pack, blockA),
                () => packColumns(f, fl, rows, pa, p.rowStride, panel, pack, blockA),
              );
            });
          }
          sweepColumns(rows);
          increment(f, pa, () => f.get(p.rowStride).i32(rows).op("i32.mul"));
          increment(f, pc, () => f.get(p.ldc).i32(rows).op("i32.mul"));
          increment(f, i, () => f.i32(rows));
        },
      );
    }
    // Next panel: later panels add to C.
    increment(f, p.a, () => f.get(p.kStride).get(panel).op("i32.mul"));
    increment(f, p.b, () => f.get(p.ldb).get(panel).op("i32.mul"));
    f.i32(1).set(p.acc);
    f.get(p.k).get(panel).op("i32.sub").tee(p.k).brIf("panels");
  });
}

/**
 * Copies A[p][i…i+rows) for the panel's p (`rows` contiguous elements at pa + p·kStride) to pack + p·rows·size, whole
 * vectors at a time, and points the row block's kernels at the copy.
 */
function packRows(
  f: FunctionBuilder,
  fl: Flavor,
  rows: number,
  pa: Local,
  kStride: Local,
  panel: Local,
  pack: GlobalRef,
  blockA: { readonly a: Local; readonly rowStride: Local; readonly kStride: Local },
): void {
  const from = f.local("packFrom", "i32");
  const to = f.local("packTo", "i32");
  const end = f.local("packEnd", "i32");
  const bytes = rows * fl.size;
  if (bytes % V128 !== 0) throw new Error(`packRows copies whole vectors: ${rows} rows of ${fl.size} bytes are not`);
  f.get(pa).set(from);
  f.global(pack).tee(to).get(panel).i32(bytes).op("i32.mul").op("i32.add").set(end);
  f.loop("pack", () => {
    for (let v = 0; v < bytes / V128; v++) {
      f.get(to).get(from).simdMemory("v128.load", fl.mem(v * V128)).simdMemory("v128.store", fl.mem(v * V128));
    }
    increment(f, from, () => f.get(kStride));
    increment(f, to, () => f.i32(bytes));
    f.get(to).get(end).op("i32.lt_u").brIf("pack");
  });
  f.global(pack).set(blockA.a);
  f.i32(fl.size).set(blockA.rowStride);
  f.i32(bytes).set(blockA.kStride);
}

/**
 * nn's packing, in the relaxed float32 variant (whose one-pointer block repays it; the baseline has no room for it):
 * A[i+r][p] for the panel's p, four products at a time, is a 4×4 transpose of four row vectors (eight shuffles) into
 * pack + p·16; the last panel % 4 products one value at a time. Then the row block's kernels read the copy, as tn's.
 */
export function transposingPack(fl: Flavor): boolean {
  return fl.variant === "relaxed" && fl.size === 4 && BLOCK.xnRows === 4;
}

function packColumns(
  f: FunctionBuilder,
  fl: Flavor,
  rows: number,
  pa: Local,
  rowStride: Local,
  panel: Local,
  pack: GlobalRef,
  blockA: { readonly a: Local; readonly rowStride: Local; readonly kStride: Local },
): void {
  const from = range(rows).map((r) => f.local(`gather${r}`, "i32"));
  const row = range(rows).map((r) => f.local(`gatherRow${r}`, "v128"));
  const pair = range(rows).map((r) => f.local(`gatherPair${r}`, "v128"));
  const to = f.local("gatherTo", "i32");
  const end = f.local("gatherEnd", "i32");
  const bytes = rows * fl.size;
  // byte indices of i8x16.shuffle for whole f32 lanes: lane l of the first operand, lane 4 + l of the second
  const lanes = (picks: number[]): number[] => picks.flatMap((lane) => range(4).map((byte) => lane * 4 + byte));
  f.get(pa).set(at(from, 0));
  for (let r = 1; r < rows; r++) f.get(at(from, r - 1)).get(rowStride).op("i32.add").set(at(from, r));
  f.global(pack).set(to);
  // whole groups of four products
  f.global(pack).get(panel).i32(-4).op("i32.and").i32(bytes).op("i32.mul").op("i32.add").set(end);
  f.block("gathered", () => {
    f.get(to).get(end).op("i32.ge_u").brIf("gathered");
    f.loop("gather", () => {
      range(rows).forEach((r) => f.get(at(from, r)).simdMemory("v128.load", fl.mem()).set(at(row, r)));
      // pairs: (r0[0] r1[0] r0[1] r1[1]), (r0[2] r1[2] r0[3] r1[3]), the same for rows 2 and 3
      f.get(at(row, 0)).get(at(row, 1)).shuffle(lanes([0, 4, 1, 5])).set(at(pair, 0));
      f.get(at(row, 0)).get(at(row, 1)).shuffle(lanes([2, 6, 3, 7])).set(at(pair, 1));
      f.get(at(row, 2)).get(at(row, 3)).shuffle(lanes([0, 4, 1, 5])).set(at(pair, 2));
      f.get(at(row, 2)).get(at(row, 3)).shuffle(lanes([2, 6, 3, 7])).set(at(pair, 3));
      // product q's four rows: the low or high halves of two pairs
      const out = (q: number, first: Local, second: Local, high: boolean): void => {
        f.get(to).get(first).get(second).shuffle(lanes(high ? [2, 3, 6, 7] : [0, 1, 4, 5])).simdMemory("v128.store", fl.mem(q * V128));
      };
      out(0, at(pair, 0), at(pair, 2), false);
      out(1, at(pair, 0), at(pair, 2), true);
      out(2, at(pair, 1), at(pair, 3), false);
      out(3, at(pair, 1), at(pair, 3), true);
      for (const r of range(rows)) increment(f, at(from, r), () => f.i32(V128));
      increment(f, to, () => f.i32(4 * bytes));
      f.get(to).get(end).op("i32.lt_u").brIf("gather");
    });
  });
  // the last panel % 4 products, one value at a time
  f.global(pack).get(panel).i32(bytes).op("i32.mul").op("i32.add").set(end);
  f.block("rest", () => {
    f.get(to).get(end).op("i32.ge_u").brIf("rest");
    f.loop("one", () => {
      range(rows).forEach((r) => {
        f.get(to).get(at(from, r)).memory("f32.load", fl.mem()).memory("f32.store", fl.mem(r * fl.size));
        increment(f, at(from, r), () => f.i32(fl.size));
      });
      increment(f, to, () => f.i32(bytes));
      f.get(to).get(end).op("i32.lt_u").brIf("one");
    });
  });
  f.global(pack).set(blockA.a);
  f.i32(fl.size).set(blockA.rowStride);
  f.i32(bytes).set(blockA.kStride);
}
