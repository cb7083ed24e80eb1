import type { FunctionBuilder, Local } from "../encoder.ts";
import { range } from "./common.ts";
import type { Flavor } from "./flavor.ts";

/**
 * Reduces partial-sum vectors in place, into the first: for `lanes` inputs x₀ … the result's lane q is the sum of
 * xq's lanes (a 4×4 or 2×2 transpose fused with the additions, so a row of nt's results is one contiguous store);
 * for one input, lane 0 is the sum of its lanes. Either way a vector's lanes are summed as f32 (l₀ + l₂) + (l₁ + l₃),
 * f64 l₀ + l₁.
 */
export function emitLaneSums(f: FunctionBuilder, fl: Flavor, x: Local[]): Local {
  // i8x16.shuffle's byte indices for a shuffle of whole lanes (0 … lanes−1 from the first operand, then the second's).
  const lanes = (picks: number[]): number[] => picks.flatMap((lane) => range(fl.size).map((byte) => lane * fl.size + byte));
  /** into = shuffle(first, second, evens) + shuffle(first, second, odds) */
  const pairSums = (into: Local, first: Local, second: Local, evens: number[], odds: number[]): void => {
    f.get(first).get(second).shuffle(lanes(evens));
    f.get(first).get(second).shuffle(lanes(odds));
    f.simd(fl.add).set(into);
  };
  const [x0, x1, x2, x3] = x as [Local, Local | undefined, Local | undefined, Local | undefined];
  if (x.length === 1) {
    if (fl.lanes === 4) {
      pairSums(x0, x0, x0, [0, 1, 4, 5], [2, 3, 6, 7]); // (l₀+l₂, l₁+l₃, …)
      pairSums(x0, x0, x0, [0, 4, 0, 0], [1, 5, 1, 1]); // lane 0: (l₀+l₂) + (l₁+l₃)
    } else {
      pairSums(x0, x0, x0, [0, 2], [1, 3]); // lane 0: l₀ + l₁
    }
  } else if (fl.lanes === 2 && x1 !== undefined) {
    pairSums(x0, x0, x1, [0, 2], [1, 3]); // (x0₀ + x0₁, x1₀ + x1₁)
  } else if (x1 !== undefined && x2 !== undefined && x3 !== undefined) {
    pairSums(x0, x0, x1, [0, 4, 1, 5], [2, 6, 3, 7]); // (x0₀+x0₂, x1₀+x1₂, x0₁+x0₃, x1₁+x1₃)
    pairSums(x2, x2, x3, [0, 4, 1, 5], [2, 6, 3, 7]); // the same for x2, x3
    pairSums(x0, x0, x2, [0, 1, 4, 5], [2, 3, 6, 7]); // lane q: (xq₀+xq₂) + (xq₁+xq₃)
  } else {
    throw new Error(`cannot reduce ${x.length} vectors of ${fl.lanes} lanes`);
  }
  return x0;
}
