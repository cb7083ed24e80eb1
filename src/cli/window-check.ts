import type { PredictionWindows, Preprocessing, Table } from "../data/index.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

/**
 * The first model input that is not finite as float32 after the checkpoint's standardisation, at its CSV cell. Valid
 * statistics can still overflow: a std of 1e-40 (positive, so the schema allows it) or a value far outside what
 * training saw turns a cell into Infinity, and the model would then print NaN forecasts.
 */
export function firstUnrepresentableInput(windows: PredictionWindows, table: Table, preprocessing: Preprocessing): Diagnostic | undefined {
  const { x } = windows;
  const index = x.findIndex((value) => !Number.isFinite(value));
  if (index < 0) return undefined;
  const features = preprocessing.features.length;
  const sample = Math.floor(index / (preprocessing.window * features));
  const step = Math.floor(index / features) % preprocessing.window;
  const feature = index % features;
  const row = (windows.lastIndex[sample] ?? 0) - preprocessing.window + 1 + step;
  const column = preprocessing.features[feature] ?? "";
  const at = { file: table.file, line: table.lines[row] ?? 1, column: table.fields[column] ?? 1 };
  return diag.unrepresentableInput(at, table.rows[row] ?? row + 1, column, x[index] ?? NaN, preprocessing.featureMean[feature] ?? 0, preprocessing.featureStd[feature] ?? 1);
}
