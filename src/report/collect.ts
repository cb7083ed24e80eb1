import { compilerVersion } from "../compile.ts";
import { allToOriginalUnits } from "../data/index.ts";
import { formatTime, timeResolution } from "../data/time-print.ts";
import type { Graph } from "../ir/types.ts";
import { summarise } from "../ir/summary.ts";
import { evaluateSplit, predictAll } from "../runtime/evaluate.ts";
import type { GeneratedModule, Model } from "../runtime/generated-module.ts";
import type { TrainResult } from "../runtime/train.ts";
import type { CsvData } from "../cli/csv-source.ts";
import { displayPath, type Io } from "../cli/io.ts";
import { evaluateText } from "../cli/text-evaluate.ts";
import type { TextData } from "../cli/text-source.ts";
import type { Forecast, RunEvaluation, RunRecord } from "./run-record.ts";

/** What `rnnc train` had at the end of a run: the compiled spec, the trained model, the data and the trainer's result. */
export interface FinishedRun {
  readonly specPath: string;
  readonly graph: Graph;
  readonly module: GeneratedModule;
  readonly model: Model;
  readonly result: TrainResult;
  readonly epochsPlanned: number;
  readonly csv?: CsvData;
  readonly text?: TextData;
  /** `--data`, when the run trained on a safetensors file. */
  readonly dataFile?: string;
}

const splits = ["validation", "test"] as const;

/**
 * The final evaluations, computed as the log's are (the same functions on the same weights, so the same numbers);
 * none after a divergence, as the log prints none.
 */
function evaluations(run: FinishedRun): RunEvaluation[] {
  if (run.result.divergence !== undefined) return [];
  const { module, model, csv, text } = run;
  if (csv !== undefined) {
    const labels = csv.windows.preprocessing.labels;
    return splits.flatMap((split) => {
      const evaluation = evaluateSplit(module, model, csv.windows, split, csv[split]);
      return evaluation === undefined ? [] : [{ source: "csv" as const, evaluation, ...(labels === undefined ? {} : { labels }) }];
    });
  }
  if (text !== undefined) {
    const labels = text.text.task === "classification" ? text.text.labels : [];
    return splits.flatMap((split) => {
      const evaluation = evaluateText(module, model, text, split);
      return evaluation === undefined ? [] : [{ source: "text" as const, evaluation, labels, tokens: text.metadata.tokens }];
    });
  }
  return [];
}

/** Regression on a CSV: each test window's forecast beside the actual level, in the target's units. */
function forecast(run: FinishedRun): Forecast | undefined {
  const { csv, graph } = run;
  if (csv === undefined || csv.windows.task !== "regression" || graph.data === undefined || run.result.divergence !== undefined) return undefined;
  const test = csv.windows.test;
  if (test.count === 0) return undefined;
  const predicted = allToOriginalUnits(predictAll(run.module, run.model, csv.test, 1), test.lastLevel, csv.windows.preprocessing);
  const times = csv.time;
  const resolution = timeResolution(test.targetIndex.map((row) => times?.[row] ?? 0));
  const when = test.targetIndex.map((row) => {
    const time = times?.[row];
    return time === undefined ? `row ${row + 1}` : formatTime(time, resolution);
  });
  return { target: graph.data.config.target, when, actual: Array.from(test.targetLevel), predicted: Array.from(predicted) };
}

function dataDescription(io: Io, run: FinishedRun): string {
  if (run.dataFile !== undefined) return `--data ${displayPath(io, run.dataFile)}`;
  if (run.csv !== undefined) {
    const { train, validation, test } = run.csv;
    return `the spec's CSV, ${run.graph.data?.config.csv ?? ""}: ${train.count} / ${validation.count} / ${test.count} windows (train / validation / test)`;
  }
  if (run.text !== undefined) return `the spec's text: ${run.text.train.count} / ${run.text.validation.count} / ${run.text.test.count} samples (train / validation / test)`;
  return "the seed's dummy data (one batch)";
}

/** Gathers the report's numbers; computes only what the run did not keep (the evaluations, the forecasts). */
export function collectRun(io: Io, run: FinishedRun): RunRecord {
  const { graph, result } = run;
  const task = run.text?.text.task === "language_model" ? "language model" : graph.loss.task;
  const forecasted = forecast(run);
  return {
    spec: displayPath(io, run.specPath),
    model: graph.name,
    version: compilerVersion,
    data: dataDescription(io, run),
    task,
    optimizer: { op: graph.optimizer.op, lr: graph.optimizer.lr },
    batchSize: graph.train.batchSize,
    seed: graph.train.seed,
    epochsPlanned: run.epochsPlanned,
    epochs: result.epochs,
    keptEpoch: result.keptEpoch,
    stoppedEarly: result.stoppedEarly,
    ...(graph.train.patience === undefined ? {} : { patience: graph.train.patience }),
    ...(result.divergence === undefined ? {} : { divergence: result.divergence }),
    evaluations: evaluations(run),
    ...(forecasted === undefined ? {} : { forecast: forecasted }),
    summary: summarise(graph),
  };
}
