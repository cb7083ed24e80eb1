import type { TextDataset } from "../data/text/dataset.ts";
import type { Tokenization } from "../data/text/tokenize.ts";
import { vocabularySize } from "../data/text/vocabulary.ts";
import { escapeText, jsonText } from "../diagnostics/escape.ts";
import type { TextEvaluation } from "./text-evaluate.ts";

const count = (n: number): string => n.toLocaleString("en-US");
const fixed = (value: number | null, digits = 4): string => (value === null ? "—" : value.toFixed(digits));

/** The last-token rule by what a token is: the last letter of a name, the last word of a sentence. */
export const lastTokenBaseline = (tokens: Tokenization): { key: string; text: string } => (tokens === "char" ? { key: "last_letter", text: "last letter" } : { key: "last_word", text: "last word" });

/** What the text came to before training: distinct samples, what was left out and why, the splits, the vocabulary. */
export function textSummary(text: TextDataset, maxLength: number, format: "text" | "json"): string {
  const { summary, splits } = text;
  const sizes = { train: splits.train.count, validation: splits.validation.count, test: splits.test.count };
  const size = vocabularySize(text.vocabulary);
  if (format === "json") {
    return jsonText({ event: "data", samples: summary.read, distinct: summary.distinct, repeated: summary.repeated, ambiguous: summary.ambiguous, truncated: summary.truncated, ...sizes, vocabulary: size, ...(text.task === "classification" ? { labels: text.labels } : {}) });
  }
  const dropped = [
    summary.ambiguous > 0 ? `${count(summary.ambiguous)} found under more than one label left out` : "",
    summary.repeated > 0 ? `${count(summary.repeated)} repeats dropped` : "",
    summary.truncated > 0 ? `${count(summary.truncated)} cut at ${maxLength} tokens` : "",
  ].filter((part) => part !== "");
  const labels = text.task === "classification" ? `; labels ${text.labels.map((label) => escapeText(label)).join(", ")}` : "";
  return `Text: ${count(summary.read)} samples read, ${count(summary.distinct)} distinct${dropped.length > 0 ? ` (${dropped.join(", ")})` : ""}; split ${count(sizes.train)} / ${count(sizes.validation)} / ${count(sizes.test)}; vocabulary ${count(size)} ids${labels}`;
}

/** One `{"event":"eval",…}` object per split, as the CSV evaluation's. */
export function textEvaluationJson(evaluation: TextEvaluation, labels: readonly string[], tokens: Tokenization): Record<string, unknown> {
  const common = { event: "eval", split: evaluation.split, count: evaluation.count };
  if (evaluation.task === "language_model") {
    return { ...common, tokens: evaluation.tokens, loss: evaluation.loss, baselines: { unigram: { loss: evaluation.baselines.unigram }, bigram: { loss: evaluation.baselines.bigram } } };
  }
  const { report, baselines } = evaluation;
  return {
    ...common,
    loss: evaluation.loss,
    accuracy: report.accuracy,
    per_class: report.perClass.map((scores, i) => ({ class: labels[i] ?? String(i), precision: scores.precision, recall: scores.recall, support: scores.support })),
    confusion: report.confusion,
    baselines: { majority: { accuracy: baselines.majority.accuracy }, [lastTokenBaseline(tokens).key]: { accuracy: baselines.lastToken.accuracy } },
  };
}

export function textEvaluationText(evaluation: TextEvaluation, labels: readonly string[], tokens: Tokenization): string {
  if (evaluation.task === "language_model") {
    const { baselines } = evaluation;
    return `${evaluation.split} (${count(evaluation.count)} samples, ${count(evaluation.tokens)} tokens): loss ${fixed(evaluation.loss)} per token  (unigram ${fixed(baselines.unigram)}, bigram ${fixed(baselines.bigram)})`;
  }
  const { report, baselines } = evaluation;
  const names = report.perClass.map((_, i) => escapeText(labels[i] ?? String(i)));
  const width = Math.max(8, ...names.map((name) => name.length));
  const lines = [
    `${evaluation.split} (${count(evaluation.count)} samples): loss ${fixed(evaluation.loss)}, accuracy ${fixed(report.accuracy)}  (majority ${fixed(baselines.majority.accuracy)}, ${lastTokenBaseline(tokens).text} ${fixed(baselines.lastToken.accuracy)})`,
    `  ${"class".padEnd(width)}  precision  recall  support   confusion (predicted →)`,
  ];
  report.perClass.forEach((scores, i) => {
    const row = (report.confusion[i] ?? []).map((n) => String(n).padStart(5)).join("");
    lines.push(`  ${(names[i] ?? "").padEnd(width)}  ${fixed(scores.precision).padStart(9)}  ${fixed(scores.recall).padStart(6)}  ${String(scores.support).padStart(7)}  ${row}`);
  });
  return lines.join("\n");
}
