import { classificationReport, regressionReport, type ClassificationReport, type RegressionReport } from "./metrics.ts";
import { allToOriginalUnits, type Preprocessing } from "./preprocessing.ts";
import type { ClassificationSplit, RegressionSplit } from "./windows.ts";

/**
 * Baselines a model must beat, scored on the same split as the model. A model that loses to "tomorrow is like
 * today" has learnt nothing useful, however low its loss.
 */

/** The training split's most frequent class; ties go to the lowest index, so the choice is deterministic. */
export function majorityClass(train: ClassificationSplit, classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const c of train.y) counts[c] = (counts[c] ?? 0) + 1;
  return counts.reduce((best, count, c) => (count > (counts[best] ?? 0) ? c : best), 0);
}

export interface ClassificationBaselines {
  /** Always predict the training split's most frequent class (`majorityClass`). */
  readonly majority: ClassificationReport & { readonly predictedClass: number };
  /** Predict the class of the window's last observed step. */
  readonly persistence: ClassificationReport;
}

export function classificationBaselines(train: ClassificationSplit, split: ClassificationSplit, classes: number): ClassificationBaselines {
  const predictedClass = majorityClass(train, classes);
  return {
    majority: { ...classificationReport(split.y, new Int32Array(split.count).fill(predictedClass), classes), predictedClass },
    persistence: classificationReport(split.y, split.lastLabel, classes),
  };
}

export interface RegressionBaselines {
  /** Next = the last observed level. */
  readonly persistence: RegressionReport;
  /**
   * Next = the level one season before the target. Absent when windows were made without a season, or when some
   * target of this split lies within the first season (no history): a score over only part of the split would not
   * be comparable with the model's.
   */
  readonly seasonalNaive?: RegressionReport;
}

export function regressionBaselines(split: RegressionSplit): RegressionBaselines {
  const persistence = regressionReport(split.targetLevel, split.lastLevel);
  const seasonal = split.seasonalLevel;
  if (seasonal === undefined || seasonal.some((v) => !Number.isFinite(v))) return { persistence };
  return { persistence, seasonalNaive: regressionReport(split.targetLevel, seasonal) };
}

/** Scores model outputs (standardised, changes under `difference`) in the target's original units. */
export function evaluateRegression(outputs: ArrayLike<number>, split: RegressionSplit, preprocessing: Preprocessing): RegressionReport {
  return regressionReport(split.targetLevel, allToOriginalUnits(outputs, split.lastLevel, preprocessing));
}
