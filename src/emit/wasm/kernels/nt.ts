import type { FunctionBuilder, FunctionRef, Local, ModuleBuilder, ParamLocals } from "../encoder.ts";
import { BLOCK } from "./block.ts";
import { at, increment, multiplyAdd, range, returnIfNothingToAdd } from "./common.ts";
import { V128, type Flavor } from "./flavor.ts";
import { emitLaneSums } from "./lane-sums.ts";
import { i32s, type GEMM_PARAMS } from "./params.ts";
import { writeC } from "./write-c.ts";

/** gemm_nt and its inner kernels. */

const NT_KERNEL_PARAMS = i32s(["pa", "pb", "pc", "k", "lda", "ldb", "ldc", "acc"]);

interface NtKernels {
  /** BLOCK.ntRows × BLOCK.ntColumns block of C. */
  readonly wide: FunctionRef;
  /** BLOCK.ntRows × 1 block of C (the column tail). */
  readonly narrow: FunctionRef;
  /** 1 × `columns` block of C: an odd last row, so that a one-row product (batch 1) does its work once. */
  readonly single: { readonly kernel: FunctionRef; readonly columns: number } | undefined;
}

/**
 * Inner kernels for nt: rows of A times rows of B, both contiguous along k. Each (row, column) pair keeps a v128 of
 * partial dot products, and one load of a row of A (or B) feeds every column (or row) of the block. The k tail loads
 * one element into lane 0 (`load32_zero`) and runs the same multiply-adds. Then each row's partial sums are summed
 * across lanes into one vector of C. Every C load comes before any C store, so both rows may be the same row (lda = ldc = 0).
 */
export function defineNtKernels(mod: ModuleBuilder, fl: Flavor, singleColumns: number): NtKernels {
  if (BLOCK.ntColumns % fl.lanes !== 0) throw new Error("the nt column block must be a multiple of the lane count");
  const kernel = (rows: number, columns: number, doc: string): FunctionRef =>
    mod.func(`nt_${rows}x${columns}`, NT_KERNEL_PARAMS, [], { doc }, (f, p) => ntKernelBody(f, p, fl, rows, columns));
  return {
    wide: kernel(BLOCK.ntRows, BLOCK.ntColumns, `${BLOCK.ntRows}×${BLOCK.ntColumns} block of C`),
    narrow: kernel(BLOCK.ntRows, 1, `${BLOCK.ntRows}×1 block of C (the rows may alias)`),
    single: singleColumns > 0 ? { kernel: kernel(1, singleColumns, `1×${singleColumns} block of C`), columns: singleColumns } : undefined,
  };
}

function ntKernelBody(f: FunctionBuilder, p: ParamLocals<typeof NT_KERNEL_PARAMS>, fl: Flavor, rows: number, columns: number): void {
  const aRow = [p.pa, ...range(rows - 1).map((r) => f.local(`a${r + 1}`, "i32"))];
  const bRow = [p.pb, ...range(columns - 1).map((col) => f.local(`b${col + 1}`, "i32"))];
  const count = f.local("count", "i32");
  const x = range(rows).map((r) => f.local(`x${r}`, "v128"));
  const y = f.local("y", "v128");
  const sums = range(rows).map((r) => range(columns).map((col) => f.local(`s${r}_${col}`, "v128")));

  for (let r = 1; r < rows; r++) f.get(at(aRow, r - 1)).get(p.lda).op("i32.add").set(at(aRow, r));
  for (let col = 1; col < columns; col++) f.get(at(bRow, col - 1)).get(p.ldb).op("i32.add").set(at(bRow, col));

  const loop = (label: string, load: () => void, step: number): void => {
    f.block(label, () => {
      f.get(count).op("i32.eqz").brIf(label);
      f.loop(`${label}_step`, () => {
        aRow.forEach((ar, r) => {
          f.get(ar);
          load();
          f.set(at(x, r));
        });
        bRow.forEach((br, col) => {
          f.get(br);
          load();
          f.set(y);
          x.forEach((xr, r) => {
            const sum = at(at(sums, r), col);
            multiplyAdd(f, fl, sum, xr, y);
          });
        });
        for (const ptr of [...aRow, ...bRow]) increment(f, ptr, () => f.i32(step));
        f.get(count).i32(1).op("i32.sub").tee(count).brIf(`${label}_step`);
      });
    });
  };
  f.get(p.k).i32(Math.log2(fl.lanes)).op("i32.shr_u").set(count);
  loop("vectors", () => void f.simdMemory("v128.load", fl.mem()), V128);
  f.get(p.k).i32(fl.lanes - 1).op("i32.and").set(count);
  loop("tail", () => void f.simdMemory(fl.zeroLoad, fl.mem()), fl.size);

  // Row r's partial sums for columns g·lanes … (g+1)·lanes − 1 become one vector of C, kept in the first of them.
  const out = sums.map((row) => range(Math.ceil(columns / fl.lanes)).map((g) => emitLaneSums(f, fl, row.slice(g * fl.lanes, (g + 1) * fl.lanes))));
  writeC(f, fl, out, p.pc, p.ldc, p.acc, columns === 1);
}

/**
 * gemm_nt: walks C in pairs of rows and, along each, blocks of BLOCK.ntColumns columns, then single columns. An odd
 * last row first takes one-row blocks where the module has them (a one-row product, a batch-1 step, then does its
 * work once); otherwise, and for the columns those leave, the pair kernels with strides 0, so the second row aliases
 * the first.
 */
export function ntDriver(f: FunctionBuilder, p: ParamLocals<typeof GEMM_PARAMS>, fl: Flavor, kernels: NtKernels): void {
  if (BLOCK.ntRows !== 2) throw new Error("ntDriver pairs rows");
  const i = f.local("i", "i32");
  const j = f.local("j", "i32");
  const pb = f.local("pb", "i32");
  const pc = f.local("pc", "i32");
  const pairLda = f.local("pairLda", "i32");
  const pairLdc = f.local("pairLdc", "i32");
  const paired = f.local("paired", "i32");
  const single = kernels.single;
  returnIfNothingToAdd(f, p.k, p.acc);
  for (const ld of [p.lda, p.ldb, p.ldc]) f.get(ld).i32(fl.shift).op("i32.shl").set(ld);

  f.while(
    "rows",
    () => void f.get(i).get(p.m).op("i32.lt_s"),
    () => {
      // Two rows left or more: the next row is lda on; one left: it pairs with itself in the column tail.
      f.get(p.m).get(i).op("i32.sub").i32(2).op("i32.ge_s").set(paired);
      const pairStride = (ld: Local, out: Local): void => void f.get(ld).i32(0).get(paired).op("select").set(out);
      pairStride(p.lda, pairLda);
      pairStride(p.ldc, pairLdc);
      f.i32(0).set(j);
      f.get(p.b).set(pb);
      f.get(p.c).set(pc);
      const blocks: { columns: number; call: () => void; onlyUnpaired?: boolean }[] = [
        ...(single === undefined ? [] : [{ columns: single.columns, call: () => callKernel(single.kernel), onlyUnpaired: true }]),
        { columns: BLOCK.ntColumns, call: () => callKernel(kernels.wide) },
        { columns: 1, call: () => callKernel(kernels.narrow) },
      ];
      for (const { columns, call, onlyUnpaired } of blocks) {
        f.while(
          `cols${columns}`,
          () => {
            f.get(p.n).get(j).op("i32.sub").i32(columns).op("i32.ge_s");
            if (onlyUnpaired === true) f.get(paired).op("i32.eqz").op("i32.and");
          },
          () => {
            call();
            increment(f, j, () => f.i32(columns));
            increment(f, pb, () => f.get(p.ldb).i32(columns).op("i32.mul"));
            increment(f, pc, () => f.i32(columns * fl.size));
          },
        );
      }
      increment(f, p.a, () => f.get(p.lda).i32(2).op("i32.mul"));
      increment(f, p.c, () => f.get(p.ldc).i32(2).op("i32.mul"));
      increment(f, i, () => f.i32(2));
    },
  );

  function callKernel(kernel: FunctionRef): void {
    f.get(p.a).get(pb).get(pc).get(p.k).get(pairLda).get(p.ldb).get(pairLdc).get(p.acc).call(kernel);
  }
}
