import { escapeText } from "../diagnostics/escape.ts";
import type { Evaluation } from "../runtime/evaluate.ts";

/** One JSON object per evaluated split, as the README documents. */
export function evaluationJson(evaluation: Evaluation, labels: readonly string[] | undefined): Record<string, unknown> {
  const common = { event: "eval", split: evaluation.split, count: evaluation.count, ...(evaluation.unit === undefined ? {} : { unit: evaluation.unit }), loss: evaluation.loss };
  if (evaluation.task === "classification") {
    const { report, baselines } = evaluation;
    return {
      ...common,
      accuracy: report.accuracy,
      per_class: report.perClass.map((scores, i) => ({ class: labels?.[i] ?? String(i), precision: scores.precision, recall: scores.recall, support: scores.support })),
      // rows are the true class, columns the predicted one, both in the order of `labels`
      labels: report.perClass.map((_, i) => labels?.[i] ?? String(i)),
      confusion: report.confusion,
      ...(baselines === undefined
        ? {}
        : { baselines: { ...(baselines.majority === undefined ? {} : { majority: { accuracy: baselines.majority.accuracy } }), persistence: { accuracy: baselines.persistence.accuracy } } }),
    };
  }
  const { report, baselines } = evaluation;
  return {
    ...common,
    mae: report.mae,
    rmse: report.rmse,
    ...(baselines === undefined
      ? {}
      : {
          baselines: {
            persistence: { mae: baselines.persistence.mae, rmse: baselines.persistence.rmse },
            ...(baselines.seasonalNaive === undefined ? {} : { seasonal_naive: { mae: baselines.seasonalNaive.mae, rmse: baselines.seasonalNaive.rmse } }),
          },
        }),
  };
}

/** "(persistence 1.40, seasonal-naive 2.50)", or nothing without baselines. */
function compared(baselines: readonly (readonly [string, number | null | undefined])[]): string {
  const present = baselines.filter((entry): entry is readonly [string, number | null] => entry[1] !== undefined);
  return present.length === 0 ? "" : `  (${present.map(([name, value]) => `${name} ${fixed(value)}`).join(", ")})`;
}

const fixed = (value: number | null, digits = 4): string => (value === null ? "—" : value.toFixed(digits));

/** A few readable lines per split: the headline metric next to the baselines, then per-class detail. */
export function evaluationText(evaluation: Evaluation, labels: readonly string[] | undefined): string {
  const heading = `${evaluation.split} (${evaluation.count} ${evaluation.unit ?? "windows"}): loss ${fixed(evaluation.loss)}`;
  if (evaluation.task === "regression") {
    const { report, baselines } = evaluation;
    const versus = (metric: "rmse" | "mae") => compared([["persistence", baselines?.persistence[metric]], ["seasonal-naive", baselines?.seasonalNaive?.[metric]]]);
    return [heading, `  RMSE ${fixed(report.rmse)}${versus("rmse")}`, `  MAE  ${fixed(report.mae)}${versus("mae")}`].join("\n");
  }
  const { report, baselines } = evaluation;
  // Class names come from the CSV: escaped before they reach the terminal.
  const names = report.perClass.map((_, i) => escapeText(labels?.[i] ?? String(i)));
  const width = Math.max(8, ...names.map((name) => name.length));
  const lines = [
    `${heading}, accuracy ${fixed(report.accuracy)}${compared([["majority", baselines?.majority?.accuracy], ["persistence", baselines?.persistence.accuracy]])}`,
    `  ${"class".padEnd(width)}  precision  recall  support   confusion (predicted →)`,
  ];
  report.perClass.forEach((scores, i) => {
    const row = (report.confusion[i] ?? []).map((n) => String(n).padStart(4)).join("");
    lines.push(`  ${(names[i] ?? "").padEnd(width)}  ${fixed(scores.precision).padStart(9)}  ${fixed(scores.recall).padStart(6)}  ${String(scores.support).padStart(7)}  ${row}`);
  });
  return lines.join("\n");
}
