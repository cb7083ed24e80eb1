import type { FunctionBuilder, Local } from "../encoder.ts";
import { at, range } from "./common.ts";
import { V128, type Flavor } from "./flavor.ts";

/**
 * Stores a block of sums into C (row r at pc + r·ldc, vector v at +16·v, or lane 0 only for a one-column block),
 * first adding C's old values when acc ≠ 0. All loads of C come before any store, so rows may alias.
 */
export function writeC(f: FunctionBuilder, fl: Flavor, sums: Local[][], pc: Local, ldc: Local, acc: Local, oneColumn: boolean): void {
  const rowPointers = [pc, ...range(sums.length - 1).map((r) => f.local(`c${r + 1}`, "i32"))];
  for (let r = 1; r < sums.length; r++) f.get(at(rowPointers, r - 1)).get(ldc).op("i32.add").set(at(rowPointers, r));
  f.get(acc).if(() => {
    sums.forEach((row, r) =>
      row.forEach((sum, v) => {
        f.get(at(rowPointers, r));
        if (oneColumn) f.simdMemory(fl.zeroLoad, fl.mem());
        else f.simdMemory("v128.load", fl.mem(v * V128));
        f.get(sum).simd(fl.add).set(sum);
      }),
    );
  });
  sums.forEach((row, r) =>
    row.forEach((sum, v) => {
      f.get(at(rowPointers, r)).get(sum);
      if (oneColumn) f.simdMemoryLane(fl.storeLane, fl.mem(), 0);
      else f.simdMemory("v128.store", fl.mem(v * V128));
    }),
  );
}
