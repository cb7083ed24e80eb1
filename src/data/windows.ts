import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { requireColumns, requireCount, requireDistinct } from "./columns.ts";
import type { Table } from "./csv.ts";
import { dataDiag } from "./diagnostics.ts";
import { fitLabels } from "./labels.ts";
import { rawTargets, windowMaker } from "./labelled-windows.ts";
import type { Normalize, Preprocessing, Task } from "./preprocessing.ts";
import { featureSeries, transformOffset, type Transform } from "./series.ts";
import { checkCounts, checkFractions, splitCounts, type SplitFractions } from "./split.ts";
import { meanStd } from "./statistics.ts";

export interface WindowOptions {
  readonly features: readonly string[];
  readonly target: string;
  /** Rows per window (the model's sequence length). */
  readonly window: number;
  /** How many rows after a window's last step its target is: 1 is the next row. */
  readonly horizon: number;
  readonly task: Task;
  readonly split: SplitFractions;
  readonly normalize: Normalize;
  readonly transform: Transform;
  /** Regression: rows per season (12 for monthly data), to expose each target's level one season earlier. */
  readonly season?: number;
  /** Classification: a fixed class set, e.g. from the spec; by default every distinct value, sorted. */
  readonly labels?: readonly string[];
  /** Where option errors point (say, the spec's `data:` node); by default line 1 of the CSV. */
  readonly at?: SourcePosition;
}

interface SplitBase {
  readonly count: number;
  /** [count, window, features], float32, preprocessed. */
  readonly x: Float32Array;
  /** Table row of each window's target. */
  readonly targetIndex: readonly number[];
  /** Table row of each window's last step. */
  readonly lastIndex: readonly number[];
}

export interface ClassificationSplit extends SplitBase {
  /** Class index of each target. */
  readonly y: Int32Array;
  /** Class index at each window's last step: the persistence baseline's prediction. */
  readonly lastLabel: Int32Array;
}

export interface RegressionSplit extends SplitBase {
  /** The standardised target (the standardised change since the last step, under `difference`). */
  readonly y: Float32Array;
  /** The target's level at each window's last step: undoes differencing, and is the persistence forecast. */
  readonly lastLevel: Float64Array;
  /** The target's level at the target row: what predictions are scored against, in original units. */
  readonly targetLevel: Float64Array;
  /** With `season`: the level `season` rows before the target (NaN before the series starts): seasonal-naive. */
  readonly seasonalLevel?: Float64Array;
}

type Splits<S> = { readonly train: S; readonly validation: S; readonly test: S; readonly preprocessing: Preprocessing };
export type WindowedData = ({ readonly task: "classification" } & Splits<ClassificationSplit>) | ({ readonly task: "regression" } & Splits<RegressionSplit>);

/**
 * Cuts a table into windows and splits them chronologically by target time. Window i reads (transformed) rows
 * [i, i + window) and predicts row i + window − 1 + horizon; under `difference` row 0 of the table has no change and is
 * dropped first. Every statistic is fitted on the rows the training windows cover (inputs and targets) only.
 */
export function makeWindows(table: Table, options: WindowOptions): { data?: WindowedData; diagnostics: Diagnostic[] } {
  const at = options.at ?? { file: table.file, line: 1, column: 1 };
  const { features, target, window, horizon, task, transform } = options;
  const diagnostics = [
    ...requireCount(window, "the window", at),
    ...requireCount(horizon, "the horizon", at),
    ...(options.season === undefined ? [] : requireCount(options.season, "the season", at)),
    ...checkFractions(options.split, at),
    ...requireDistinct(features, "feature", at),
    ...(options.labels === undefined ? [] : requireDistinct(options.labels, "class", at)),
    ...requireColumns(table, features, "numeric", "feature", at),
    ...requireColumns(table, [target], task === "regression" ? "numeric" : "categorical", "target", at),
  ];
  if (features.length === 0) diagnostics.push(dataDiag.invalidDataOption(at, "no features are given", "name at least one numeric column as a feature"));
  if (options.labels?.length === 0) diagnostics.push(dataDiag.invalidDataOption(at, "the class set is empty", "give at least one class, or leave the class set out to take it from the data"));
  if (diagnostics.length > 0) return { diagnostics };

  const offset = transformOffset(transform);
  const total = table.rowCount - offset - window - horizon + 1;
  if (total < 1) {
    const needed = offset + window + horizon;
    const why = `window ${window} + horizon ${horizon}${offset === 1 ? " + 1 for the difference" : ""}`;
    return { diagnostics: [dataDiag.tooFewRows(at, `the table has ${table.rowCount} rows, too few for a single window: ${why} needs ${needed}`, "use more rows, or a shorter window or horizon")] };
  }
  const counts = splitCounts(total, options.split);
  const countProblems = checkCounts(total, counts, options.split, table.rowCount, at);
  if (countProblems.length > 0) return { diagnostics: countProblems };

  // Window i: last step offset + i + window − 1, target that + horizon.
  const lastTrainingTarget = offset + counts.train - 1 + window - 1 + horizon;
  const fitted = fitFeatures(featureSeries(table, features, transform), offset, lastTrainingTarget, options.normalize);
  const base = { version: 1, task, features: [...features], target, window, horizon, transform, normalize: options.normalize, ...fitted } as const;
  const preprocessing: Preprocessing =
    task === "classification"
      ? { ...base, labels: fitLabels(table.categorical[target] ?? [], options.labels) }
      : { ...base, ...targetStatistics(rawTargets(table, base, 0, counts.train), options.normalize) };
  const made = windowMaker(table, preprocessing, task === "regression" ? options.season : undefined);
  if (made.maker === undefined) return { diagnostics: made.diagnostics };
  const validationEnd = counts.train + counts.validation;
  if (made.maker.task === "classification") {
    const split = made.maker.split;
    return { data: { task: "classification", train: split(0, counts.train), validation: split(counts.train, validationEnd), test: split(validationEnd, total), preprocessing }, diagnostics: [] };
  }
  const split = made.maker.split;
  return { data: { task: "regression", train: split(0, counts.train), validation: split(counts.train, validationEnd), test: split(validationEnd, total), preprocessing }, diagnostics: [] };
}

function targetStatistics(trainTargets: Float64Array, normalize: Normalize): { targetMean: number; targetStd: number } {
  const { mean, std } = normalize === "standard" ? meanStd(trainTargets) : { mean: 0, std: 1 };
  return { targetMean: mean, targetStd: std };
}

/**
 * Feature statistics over table rows [firstRow, lastRow]: from the first row a window can read to the last training
 * target. Validation and test rows after it never reach them (that would leak the future into training).
 */
function fitFeatures(series: readonly Float64Array[], firstRow: number, lastRow: number, normalize: Normalize): { featureMean: number[]; featureStd: number[] } {
  if (normalize === "none") return { featureMean: series.map(() => 0), featureStd: series.map(() => 1) };
  const stats = series.map((values) => meanStd(values.subarray(firstRow, lastRow + 1)));
  return { featureMean: stats.map((s) => s.mean), featureStd: stats.map((s) => s.std) };
}
