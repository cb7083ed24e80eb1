/**
 * Evaluation metrics over one split. Mean cross-entropy is the training loss and is computed by the trainer; these
 * are the numbers a person reads. Inputs of different lengths are a caller's bug, not bad data, so they throw.
 */

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`metrics need as many predictions as targets, got ${b.length} and ${a.length}`);
  return a.length;
}

/** Index of the largest of each row of `classes` scores (logits or probabilities), laid out [count, classes]. */
export function argmax(scores: ArrayLike<number>, count: number, classes: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((scores[i * classes + c] ?? -Infinity) > (scores[i * classes + best] ?? -Infinity)) best = c;
    out[i] = best;
  }
  return out;
}

/** Fraction predicted right; NaN for an empty split (which `makeWindows` never produces unless asked for none). */
export function accuracy(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = sameLength(actual, predicted);
  let right = 0;
  for (let i = 0; i < n; i++) if (actual[i] === predicted[i]) right++;
  return right / n;
}

/** counts[true][predicted]: rows are the true class, columns the predicted one. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const n = sameLength(actual, predicted);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < n; i++) {
    const row = counts[actual[i] ?? -1];
    const p = predicted[i] ?? -1;
    if (row !== undefined && p >= 0 && p < classes) row[p] = (row[p] ?? 0) + 1;
  }
  return counts;
}

export interface ClassScores {
  /** Of the windows predicted as this class, the fraction that were; null when the class was never predicted (0/0). */
  readonly precision: number | null;
  /** Of the windows of this class, the fraction predicted as it; null when the class never occurs here (0/0). */
  readonly recall: number | null;
  /** How many windows of this class there are. */
  readonly support: number;
}

export function perClassScores(confusion: readonly (readonly number[])[]): ClassScores[] {
  return confusion.map((row, c) => {
    const hits = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    return { precision: predicted === 0 ? null : hits / predicted, recall: support === 0 ? null : hits / support, support };
  });
}

export interface ClassificationReport {
  readonly count: number;
  readonly accuracy: number;
  readonly confusion: number[][];
  readonly perClass: ClassScores[];
}

export function classificationReport(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ClassificationReport {
  const confusion = confusionMatrix(actual, predicted, classes);
  return { count: actual.length, accuracy: accuracy(actual, predicted), confusion, perClass: perClassScores(confusion) };
}

/** Mean absolute error; in whatever units both arguments are in (callers pass original units). */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = sameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((actual[i] ?? NaN) - (predicted[i] ?? NaN));
  return sum / n;
}

/** Root mean squared error. */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = sameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ((actual[i] ?? NaN) - (predicted[i] ?? NaN)) ** 2;
  return Math.sqrt(sum / n);
}

export interface RegressionReport {
  readonly count: number;
  readonly mae: number;
  readonly rmse: number;
}

export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionReport {
  return { count: actual.length, mae: mae(actual, predicted), rmse: rmse(actual, predicted) };
}
