import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Table } from "./csv.ts";
import { labelIndices } from "./labels.ts";
import type { Preprocessing } from "./preprocessing.ts";
import { featureSeries, transformOffset, writeWindow } from "./series.ts";
import type { ClassificationSplit, RegressionSplit } from "./windows.ts";

/** What cuts a table into labelled windows: fitted preprocessing (training fits it first; evaluation reads it from a checkpoint). */
export type WindowShape = Omit<Preprocessing, "version" | "normalize">;

/** Windows [first, end) of one table, in time order; window i reads rows up to `lastRow(i)` and predicts `lastRow(i) + horizon`. */
export type WindowMaker =
  | { readonly task: "classification"; readonly total: number; split(first: number, end: number): ClassificationSplit }
  | { readonly task: "regression"; readonly total: number; split(first: number, end: number): RegressionSplit };

/** How many windows with a target a table holds (under `difference` row 0 has no change and is dropped first). */
export function windowCount(rowCount: number, shape: Pick<WindowShape, "transform" | "window" | "horizon">): number {
  return rowCount - transformOffset(shape.transform) - shape.window - shape.horizon + 1;
}

/**
 * The model's regression target of windows [first, end), before standardisation: the level at the target row, or
 * under `difference` its change from the window's last step. Training fits the target's statistics on these.
 */
export function rawTargets(table: Table, shape: Pick<WindowShape, "target" | "transform" | "window" | "horizon">, first: number, end: number): Float64Array {
  const levels = table.numeric[shape.target] ?? [];
  const offset = transformOffset(shape.transform);
  return Float64Array.from({ length: end - first }, (_, k) => {
    const last = offset + first + k + shape.window - 1;
    const level = levels[last + shape.horizon] ?? NaN;
    return shape.transform === "difference" ? level - (levels[last] ?? NaN) : level;
  });
}

/**
 * Labelled windows of a table under fitted preprocessing: the features standardised with the given statistics, the
 * target as a class index (a label outside `labels` is an error at its cell) or standardised with the target's
 * statistics, plus what the baselines need. `season` (regression) exposes each target's level one season earlier.
 */
export function windowMaker(table: Table, shape: WindowShape, season?: number): { maker?: WindowMaker; diagnostics: Diagnostic[] } {
  const { features, window, horizon, transform } = shape;
  const offset = transformOffset(transform);
  const total = Math.max(0, windowCount(table.rowCount, shape));
  const lastRow = (i: number): number => offset + i + window - 1;
  const series = featureSeries(table, features, transform);
  const frame = (first: number, end: number) => {
    const count = end - first;
    const x = new Float32Array(count * window * features.length);
    const lastIndex: number[] = [];
    const targetIndex: number[] = [];
    for (let k = 0; k < count; k++) {
      writeWindow(x, k, series, lastRow(first + k), window, shape.featureMean, shape.featureStd);
      lastIndex.push(lastRow(first + k));
      targetIndex.push(lastRow(first + k) + horizon);
    }
    return { count, x, lastIndex, targetIndex };
  };

  if (shape.task === "classification") {
    const indexed = labelIndices(table, shape.target, shape.labels ?? [], Math.min(lastRow(0), table.rowCount));
    if (indexed.indices === undefined) return { diagnostics: indexed.diagnostics };
    const classes = indexed.indices;
    const split = (first: number, end: number): ClassificationSplit => {
      const f = frame(first, end);
      return { ...f, y: Int32Array.from(f.targetIndex, (r) => classes[r] ?? -1), lastLabel: Int32Array.from(f.lastIndex, (r) => classes[r] ?? -1) };
    };
    return { maker: { task: "classification", total, split }, diagnostics: [] };
  }

  const levels = table.numeric[shape.target] ?? [];
  const level = (r: number): number => (r >= 0 ? (levels[r] ?? NaN) : NaN);
  const targetMean = shape.targetMean ?? 0;
  const targetStd = shape.targetStd ?? 1;
  const split = (first: number, end: number): RegressionSplit => {
    const f = frame(first, end);
    const common = {
      ...f,
      y: Float32Array.from(rawTargets(table, shape, first, end), (raw) => (raw - targetMean) / targetStd),
      lastLevel: Float64Array.from(f.lastIndex, level),
      targetLevel: Float64Array.from(f.targetIndex, level),
    };
    return season === undefined ? common : { ...common, seasonalLevel: Float64Array.from(f.targetIndex, (r) => level(r - season)) };
  };
  return { maker: { task: "regression", total, split }, diagnostics: [] };
}
