import { escapeText } from "../diagnostics/escape.ts";
import type { Evaluation } from "../runtime/evaluate.ts";

/** One JSON object per evaluated split, as the README documents. */
export function evaluationJson(evaluation: Evaluation, labels: readonly string[] | undefined): Record<string, unknown> {
  const common = { event: "eval", split: evaluation.split, count: evaluation.count, loss: evaluation.loss };
  if (evaluation.task === "classification") {
    const { report, baselines } = evaluation;
    return {
      ...common,
      accuracy: report.accuracy,
      per_class: report.perClass.map((scores, i) => ({ class: labels?.[i] ?? String(i), precision: scores.precision, recall: scores.recall, support: scores.support })),
      confusion: report.confusion,
      baselines: { majority: { accuracy: baselines.majority.accuracy }, persistence: { accuracy: baselines.persistence.accuracy } },
    };
  }
  const { report, baselines } = evaluation;
  return {
    ...common,
    mae: report.mae,
    rmse: report.rmse,
    baselines: {
      persistence: { mae: baselines.persistence.mae, rmse: baselines.persistence.rmse },
      ...(baselines.seasonalNaive === undefined ? {} : { seasonal_naive: { mae: baselines.seasonalNaive.mae, rmse: baselines.seasonalNaive.rmse } }),
    },
  };
}

const fixed = (value: number | null, digits = 4): string => (value === null ? "—" : value.toFixed(digits));

/** A few readable lines per split: the headline metric next to the baselines, then per-class detail. */
export function evaluationText(evaluation: Evaluation, labels: readonly string[] | undefined): string {
  if (evaluation.task === "regression") {
    const { report, baselines } = evaluation;
    const seasonal = baselines.seasonalNaive === undefined ? "" : `, seasonal-naive ${fixed(baselines.seasonalNaive.rmse)}`;
    return [
      `${evaluation.split} (${evaluation.count} windows): loss ${fixed(evaluation.loss)}`,
      `  RMSE ${fixed(report.rmse)}  (persistence ${fixed(baselines.persistence.rmse)}${seasonal})`,
      `  MAE  ${fixed(report.mae)}  (persistence ${fixed(baselines.persistence.mae)}${baselines.seasonalNaive === undefined ? "" : `, seasonal-naive ${fixed(baselines.seasonalNaive.mae)}`})`,
    ].join("\n");
  }
  const { report, baselines } = evaluation;
  // Class names come from the CSV: escaped before they reach the terminal.
  const names = report.perClass.map((_, i) => escapeText(labels?.[i] ?? String(i)));
  const width = Math.max(8, ...names.map((name) => name.length));
  const lines = [
    `${evaluation.split} (${evaluation.count} windows): loss ${fixed(evaluation.loss)}, accuracy ${fixed(report.accuracy)}  (majority ${fixed(baselines.majority.accuracy)}, persistence ${fixed(baselines.persistence.accuracy)})`,
    `  ${"class".padEnd(width)}  precision  recall  support   confusion (predicted →)`,
  ];
  report.perClass.forEach((scores, i) => {
    const row = (report.confusion[i] ?? []).map((n) => String(n).padStart(4)).join("");
    lines.push(`  ${(names[i] ?? "").padEnd(width)}  ${fixed(scores.precision).padStart(9)}  ${fixed(scores.recall).padStart(6)}  ${String(scores.support).padStart(7)}  ${row}`);
  });
  return lines.join("\n");
}
