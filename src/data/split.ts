import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { dataDiag } from "./diagnostics.ts";

/** Fractions of the windows, in time order: the first `train`, then `validation`, then `test`. */
export interface SplitFractions {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

export interface SplitCounts {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** Fractions must be finite, non-negative, with a positive `train`, and add up to 1. */
export function checkFractions(fractions: SplitFractions, at: SourcePosition): Diagnostic[] {
  const values = [fractions.train, fractions.validation, fractions.test];
  const sum = values.reduce((a, b) => a + b, 0);
  const valid = values.every((v) => Number.isFinite(v) && v >= 0) && fractions.train > 0 && Math.abs(sum - 1) <= 1e-6;
  if (valid) return [];
  const got = `train ${fractions.train}, validation ${fractions.validation}, test ${fractions.test}`;
  return [dataDiag.invalidDataOption(at, `the split fractions (${got}) are not valid`, "give non-negative fractions that add up to 1, with train above 0, e.g. 0.7 / 0.15 / 0.15")];
}

/**
 * Boundaries are rounded cumulatively, half up: train end = round(n·train), validation end = round(n·(train +
 * validation)), so the three counts always add up to n, and a zero fraction always gets exactly zero windows.
 * The nudge keeps a boundary meant to be x.5 from rounding down when binary floating point makes it x.4999….
 */
export function splitCounts(total: number, fractions: SplitFractions): SplitCounts {
  const round = (x: number): number => Math.min(total, Math.floor(x + 0.5 + 1e-9));
  const trainEnd = round(total * fractions.train);
  const validationEnd = fractions.test === 0 ? total : fractions.validation === 0 ? trainEnd : Math.max(trainEnd, round(total * (fractions.train + fractions.validation)));
  return { train: trainEnd, validation: validationEnd - trainEnd, test: total - validationEnd };
}

/** A split that was asked for (fraction above 0) but holds no window is an error: it could not be evaluated. */
export function checkCounts(total: number, counts: SplitCounts, fractions: SplitFractions, rows: number, at: SourcePosition): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const name of ["train", "validation", "test"] as const) {
    if (fractions[name] > 0 && counts[name] === 0) {
      diagnostics.push(
        dataDiag.tooFewRows(
          at,
          `the ${name} split holds no window: ${rows} rows make ${total} window${total === 1 ? "" : "s"}, and ${fractions[name]} of them rounds to 0`,
          "use more rows, a shorter window or horizon, or a larger fraction for this split",
        ),
      );
    }
  }
  return diagnostics;
}
