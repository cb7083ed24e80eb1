import { jsonText } from "../diagnostics/escape.ts";
import { evaluationJson } from "../cli/eval-report.ts";
import { textEvaluationJson } from "../cli/text-report.ts";
import type { EpochMetrics, RunEvaluation, RunRecord } from "./run-record.ts";

/**
 * `--metrics-out`: the report's numbers as JSON lines. One object per epoch, with the keys and full-precision
 * values of `--log-format json`'s epoch lines (plus `accuracy` and `val_accuracy` when the run has them); then the
 * log's `{"event":"eval",…}` object per evaluated split; then one `{"event":"summary",…}` line about the run.
 */
export function metricsJsonLines(run: RunRecord): string {
  const lines = [
    ...run.epochs.map((record) => epochJson(record, run.epochsPlanned)),
    ...run.evaluations.map(evaluationLine),
    {
      event: "summary",
      spec: run.spec,
      model: run.model,
      epochs: run.epochsPlanned,
      epochs_run: run.epochs.length,
      kept_epoch: run.keptEpoch,
      stopped_early: run.stoppedEarly,
      diverged: run.divergence === undefined ? null : { epoch: run.divergence.epoch, step: run.divergence.step, what: run.divergence.what },
      parameters: run.summary.parameters,
    },
  ];
  return lines.map((line) => `${jsonText(line)}\n`).join("");
}

function epochJson(record: EpochMetrics, epochs: number): Record<string, number> {
  return {
    epoch: record.epoch,
    epochs,
    loss: record.loss,
    ...(record.validationLoss === undefined ? {} : { val_loss: record.validationLoss }),
    lr: record.lr,
    ...(record.accuracy === undefined ? {} : { accuracy: record.accuracy }),
    ...(record.validationAccuracy === undefined ? {} : { val_accuracy: record.validationAccuracy }),
  };
}

function evaluationLine(run: RunEvaluation): Record<string, unknown> {
  return run.source === "csv" ? evaluationJson(run.evaluation, run.labels) : textEvaluationJson(run.evaluation, run.labels, run.tokens);
}
