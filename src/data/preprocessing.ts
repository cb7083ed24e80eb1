import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { requireColumns } from "./columns.ts";
import type { Table } from "./csv.ts";
import { dataDiag } from "./diagnostics.ts";
import { featureSeries, transformOffset, writeWindow, type Transform } from "./series.ts";

export type Task = "classification" | "regression";
export type Normalize = "standard" | "none";

/**
 * Everything needed to turn new rows into model input and model output back into the target's units: fitted on the
 * training split, then stored in checkpoint metadata, so it is plain JSON (numbers, strings, arrays).
 */
export interface Preprocessing {
  readonly version: 1;
  readonly task: Task;
  readonly features: readonly string[];
  readonly target: string;
  readonly window: number;
  readonly horizon: number;
  readonly transform: Transform;
  readonly normalize: Normalize;
  /** Per feature, of the transformed values; 0 and 1 under `normalize: none`, so applying them is the identity. */
  readonly featureMean: readonly number[];
  readonly featureStd: readonly number[];
  /** Regression only: of the transformed target (the change under `difference`); 0 and 1 under `none`. */
  readonly targetMean?: number;
  readonly targetStd?: number;
  /** Classification only: class index i is `labels[i]`. */
  readonly labels?: readonly string[];
}

/**
 * A model output (standardised, and a change under `difference`) in the target's own units: un-standardise, then
 * add the level at the window's last step when the model predicts changes. The change is measured from that last
 * observed step to the target row, so this is exact for any horizon.
 */
export function toOriginalUnits(prediction: number, lastLevel: number, preprocessing: Preprocessing): number {
  const value = prediction * (preprocessing.targetStd ?? 1) + (preprocessing.targetMean ?? 0);
  return preprocessing.transform === "difference" ? lastLevel + value : value;
}

/** `toOriginalUnits` over a batch. */
export function allToOriginalUnits(predictions: ArrayLike<number>, lastLevel: ArrayLike<number>, preprocessing: Preprocessing): Float64Array {
  const out = new Float64Array(predictions.length);
  for (let i = 0; i < predictions.length; i++) out[i] = toOriginalUnits(predictions[i] ?? NaN, lastLevel[i] ?? NaN, preprocessing);
  return out;
}

/** Model input for every complete window of a table, preprocessed exactly as in training. */
export interface PredictionWindows {
  readonly count: number;
  /** [count, window, features]. */
  readonly x: Float32Array;
  /** Table row of each window's last step; the prediction is for `horizon` rows after it. */
  readonly lastIndex: readonly number[];
  /** Regression: the target's level at each window's last step, for `toOriginalUnits`. */
  readonly lastLevel?: Float64Array;
}

/**
 * Applies fitted preprocessing to new rows (read with the same columns): one window ending at each row that has a
 * full window behind it, oldest first; the last one is the forecast from the newest data. No statistic is refitted.
 */
export function predictionWindows(table: Table, preprocessing: Preprocessing, at?: SourcePosition): { windows?: PredictionWindows; diagnostics: Diagnostic[] } {
  const where = at ?? { file: table.file, line: 1, column: 1 };
  const { features, window, transform, task, target } = preprocessing;
  const diagnostics = requireColumns(table, features, "numeric", "feature", where);
  if (task === "regression") diagnostics.push(...requireColumns(table, [target], "numeric", "target", where));
  if (diagnostics.length > 0) return { diagnostics };
  const offset = transformOffset(transform);
  const count = table.rowCount - offset - window + 1;
  if (count < 1) {
    const needed = window + offset;
    return { diagnostics: [dataDiag.tooFewRows(where, `a window needs ${needed} rows, but the table has ${table.rowCount}`, `give at least the last ${needed} rows${offset === 1 ? " (a window of differences needs one row more than its length)" : ""}`)] };
  }
  const series = featureSeries(table, features, transform);
  const x = new Float32Array(count * window * features.length);
  const lastIndex: number[] = [];
  const levels = table.numeric[target];
  const lastLevel = task === "regression" ? new Float64Array(count) : undefined;
  for (let k = 0; k < count; k++) {
    const last = offset + k + window - 1;
    writeWindow(x, k, series, last, window, preprocessing.featureMean, preprocessing.featureStd);
    lastIndex.push(last);
    if (lastLevel !== undefined) lastLevel[k] = levels?.[last] ?? NaN;
  }
  return { windows: lastLevel === undefined ? { count, x, lastIndex } : { count, x, lastIndex, lastLevel }, diagnostics: [] };
}
