/** The data layer's public surface: CSV → table → windows and preprocessing → metrics and baselines. */
export { readTable, type ReadTableOptions, type Table } from "./csv.ts";
export { makeWindows, type WindowOptions, type WindowedData, type ClassificationSplit, type RegressionSplit } from "./windows.ts";
export { predictionWindows, toOriginalUnits, allToOriginalUnits, type Preprocessing, type PredictionWindows, type Task, type Normalize } from "./preprocessing.ts";
export type { Transform } from "./series.ts";
export { splitCounts, type SplitFractions, type SplitCounts } from "./split.ts";
export { accuracy, argmax, confusionMatrix, perClassScores, classificationReport, mae, rmse, regressionReport } from "./metrics.ts";
export type { ClassScores, ClassificationReport, RegressionReport } from "./metrics.ts";
export { majorityClass, classificationBaselines, regressionBaselines, evaluateRegression } from "./baselines.ts";
export type { ClassificationBaselines, RegressionBaselines } from "./baselines.ts";
export { dataCodes, dataDiag, type DataDiagnosticCode } from "./diagnostics.ts";
