import type { FunctionBuilder, Local } from "../encoder.ts";
import type { Flavor } from "./flavor.ts";

/** Small helpers shared by the kernel generators: array access, and instruction sequences used everywhere. */

/** `[0, 1, …, n − 1]` */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `items[index]`, which must exist. */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`index ${index} out of range`);
  return item;
}

/** k = 0 with acc ≠ 0 adds nothing: return before touching C (so even −0 and NaN payloads stay as they are). */
export function returnIfNothingToAdd(f: FunctionBuilder, k: Local, acc: Local): void {
  f.get(k).op("i32.eqz").if(() => {
    f.get(acc).if(() => void f.op("return"));
  });
}

/** `local = local + (value)` */
export function increment(f: FunctionBuilder, local: Local, value: () => void): void {
  f.get(local);
  value();
  f.op("i32.add").set(local);
}

/**
 * `sum = sum + x·y` on v128s: baseline `sum + round(x·y)`; relaxed `relaxed_madd(x, y, sum)`, fused where the CPU has
 * FMA. Either way the same products in the same order, so every summation-order promise holds in both variants.
 */
export function multiplyAdd(f: FunctionBuilder, fl: Flavor, sum: Local, x: Local, y: Local): void {
  if (fl.variant === "relaxed") f.get(x).get(y).get(sum).simd(fl.madd).set(sum);
  else f.get(sum).get(x).get(y).simd(fl.mul).simd(fl.add).set(sum);
}
