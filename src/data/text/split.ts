import type { Diagnostic, SourcePosition } from "../../diagnostics/diagnostic.ts";
import { dataDiag } from "../diagnostics.ts";
import { splitCounts, type SplitFractions } from "../split.ts";

/** What a random split draws from: a seeded generator (src/runtime/prng.ts's Random). */
export interface Shuffler {
  integerBelow(n: number): number;
}

export interface Splits<T> {
  readonly train: readonly T[];
  readonly validation: readonly T[];
  readonly test: readonly T[];
}

/**
 * A seeded random split of samples that have no time order: a Fisher–Yates shuffle, then the first `train` fraction,
 * then validation, then test (counts rounded as the CSV split rounds them). Each split keeps the shuffled order, so
 * mini-batches do not follow the files' (often alphabetical) order.
 */
export function randomSplit<T>(items: readonly T[], fractions: SplitFractions, random: Shuffler): Splits<T> {
  const order = items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.integerBelow(i + 1);
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  const shuffled = order.map((i) => items[i] as T);
  const counts = splitCounts(items.length, fractions);
  return {
    train: shuffled.slice(0, counts.train),
    validation: shuffled.slice(counts.train, counts.train + counts.validation),
    test: shuffled.slice(counts.train + counts.validation),
  };
}

/** A split asked for (fraction above 0) that holds no sample is an error: it could not be evaluated. */
export function checkSplitSizes(total: number, splits: Splits<unknown>, fractions: SplitFractions, at: SourcePosition): Diagnostic[] {
  return (["train", "validation", "test"] as const)
    .filter((name) => fractions[name] > 0 && splits[name].length === 0)
    .map((name) =>
      dataDiag.tooFewRows(at, `the ${name} split holds no sample: there ${total === 1 ? "is 1 distinct sample" : `are ${total} distinct samples`}, and ${fractions[name]} of them rounds to 0`, "add samples, or give this split a larger fraction (or 0)"),
    );
}
