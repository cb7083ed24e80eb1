import { lastTokenBaseline } from "../cli/text-report.ts";
import { confusionHeatmap } from "./heatmap.ts";
import { escapeHtml, shortNumber } from "./html.ts";
import type { RunEvaluation } from "./run-record.ts";

interface Row {
  readonly split: string;
  readonly count: string;
  readonly loss: string;
  readonly score: string;
  readonly baselines: string;
}

const pair = (name: string, value: number | null | undefined) => `${name} ${shortNumber(value)}`;

/** One table row per evaluated split: the headline numbers next to the baselines they have to beat. */
function rowOf(run: RunEvaluation): Row {
  const evaluation = run.evaluation;
  const common = { split: evaluation.split, count: String(evaluation.count), loss: shortNumber(evaluation.loss) };
  if (run.source === "text") {
    const text = run.evaluation;
    if (text.task === "language_model") {
      return { ...common, loss: `${shortNumber(text.loss)} per token`, score: `${text.tokens} tokens`, baselines: `loss: ${pair("unigram", text.baselines.unigram)}, ${pair("bigram", text.baselines.bigram)}` };
    }
    const baselines = [pair("majority", text.baselines.majority.accuracy), pair(lastTokenBaseline(run.tokens).text, text.baselines.lastToken.accuracy)];
    return { ...common, score: `accuracy ${shortNumber(text.report.accuracy)}`, baselines: `accuracy: ${baselines.join(", ")}` };
  }
  const csv = run.evaluation;
  if (csv.task === "classification") {
    const baselines = [pair("majority", csv.baselines.majority.accuracy), pair("persistence", csv.baselines.persistence.accuracy)];
    return { ...common, score: `accuracy ${shortNumber(csv.report.accuracy)}`, baselines: `accuracy: ${baselines.join(", ")}` };
  }
  const { persistence, seasonalNaive } = csv.baselines;
  const seasonal = seasonalNaive === undefined ? "" : `; seasonal-naive ${shortNumber(seasonalNaive.mae)} / ${shortNumber(seasonalNaive.rmse)}`;
  return { ...common, score: `MAE ${shortNumber(csv.report.mae)}, RMSE ${shortNumber(csv.report.rmse)}`, baselines: `MAE / RMSE: persistence ${shortNumber(persistence.mae)} / ${shortNumber(persistence.rmse)}${seasonal}` };
}

/** The final evaluation: a table of the splits, then a confusion-matrix heatmap per split of a classifier. */
export function evaluationSection(evaluations: readonly RunEvaluation[]): string {
  if (evaluations.length === 0) return "";
  const rows = evaluations.map(rowOf);
  const cell = (text: string) => `<td>${escapeHtml(text)}</td>`;
  const table = [
    '<table class="numbers"><thead><tr><th>split</th><th>samples</th><th>loss</th><th>model</th><th>baselines</th></tr></thead><tbody>',
    ...rows.map((row) => `<tr>${[row.split, row.count, row.loss, row.score, row.baselines].map(cell).join("")}</tr>`),
    "</tbody></table>",
  ];
  const maps = evaluations.flatMap((run) => {
    const { evaluation } = run;
    if (evaluation.task !== "classification") return [];
    const labels = run.labels ?? [];
    const map = confusionHeatmap({ id: `confusion-${evaluation.split}`, title: `Confusion matrix, ${evaluation.split} split`, counts: evaluation.report.confusion, labels });
    return [`<figure><figcaption>Confusion matrix, ${escapeHtml(evaluation.split)} split (${evaluation.count} samples)</figcaption>${map}</figure>`];
  });
  return ['<section><h2>Final evaluation</h2>', ...table, maps.length === 0 ? "" : `<div class="row">${maps.join("\n")}</div>`, "</section>"].join("\n");
}
