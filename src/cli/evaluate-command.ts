import { splitCounts, type Preprocessing } from "../data/index.ts";
import { windowMaker } from "../data/labelled-windows.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { jsonText } from "../diagnostics/escape.ts";
import type { DataSource } from "../ir/types.ts";
import { datasetFromTensors } from "../runtime/dataset.ts";
import { evaluateDataset } from "../runtime/evaluate-data.ts";
import { evaluateWindows, type EvaluatedSplit, type Evaluation, type LabelledWindows } from "../runtime/evaluate.ts";
import type { GeneratedModule, Model } from "../runtime/generated-module.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { readPredictionTable } from "./csv-source.ts";
import { dataAccess } from "./data-path.ts";
import { evaluationJson, evaluationText } from "./eval-report.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, type Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { failWith, type DiagnosticsFormat } from "./report.ts";
import { readTensorFile } from "./tensor-file.ts";
import { textSpecOf } from "./text-source.ts";
import { firstUnrepresentableInput } from "./window-check.ts";

export interface EvaluateCommandOptions {
  readonly weights: string;
  /** Labelled samples as safetensors, one tensor per spec input (as `train --data` reads). */
  readonly data?: string;
  /** A CSV with the spec's columns; default: the spec's data.csv. */
  readonly csv?: string;
  /** Which windows of the CSV: default `all` with --csv, the spec's `test` split without. */
  readonly split?: EvaluatedSplit;
  readonly format: "text" | "json";
  readonly diagnostics: DiagnosticsFormat;
  readonly allowExternalData?: boolean;
  readonly maxDataBytes?: number;
}

/**
 * Loss and metrics of trained weights on labelled data: tensor data (`--data`) as it is, or CSV windows cut and
 * standardised with the statistics stored in the checkpoint (never refitted). Classification: accuracy, per-class
 * precision and recall and the confusion matrix, labelled with the checkpoint's class names; regression: MAE and
 * RMSE, in the target's units for CSV data.
 */
export async function evaluateCommand(io: Io, spec: string, options: EvaluateCommandOptions): Promise<number> {
  const fail = failWith(io, options.diagnostics);
  const { loaded, diagnostics, sources } = await loadSpec(io, spec);
  if (loaded === undefined) return fail(diagnostics, sources);
  const { specPath, module, graph } = loaded;
  const at = { file: specPath, line: 1, column: 1 };
  if (options.data !== undefined && options.csv !== undefined) return fail([diag.evaluateOptions(at, "`--data` and `--csv` both name the data to evaluate on", "give one of them: tensor data with --data, or CSV rows with --csv")]);
  if (options.data !== undefined && options.split !== undefined) return fail([diag.evaluateOptions(at, "`--split` picks windows of a CSV, but `--data` is evaluated whole", "leave out --split, or evaluate CSV rows with --csv")]);
  const access = dataAccess(options);
  const textSpec = graph.data === undefined ? textSpecOf(specPath, sources.get(specPath) ?? "", graph, access) : undefined;

  const model = module.createModel();
  const checkpoint = loadCheckpoint(io, module, model, options.weights, graph.data, textSpec?.source);
  if (checkpoint.info === undefined) return fail(checkpoint.diagnostics);
  const labels = checkpoint.info.preprocessing?.labels ?? checkpoint.info.text?.labels;

  let evaluated: { evaluation?: Evaluation; diagnostics: readonly Diagnostic[] };
  if (options.data !== undefined) evaluated = onTensors(io, module, model, options.data);
  else if (graph.data !== undefined) {
    const preprocessing = checkpoint.info.preprocessing;
    if (preprocessing === undefined) {
      const weights = { file: displayPath(io, options.weights), line: 1, column: 1 };
      return fail([diag.checkpointMismatch(weights, "these weights carry no preprocessing (normalisation statistics, class labels), so CSV rows cannot be turned into what they were trained on", "evaluate a checkpoint saved by `rnnc train --save` from a spec with a `data` section, or give tensor data with --data")]);
    }
    evaluated = onCsv(io, loaded, { model, source: graph.data, specSource: sources.get(specPath) ?? "", preprocessing, options });
  } else if (textSpec !== undefined) {
    return fail([diag.evaluateOptions(at, "`evaluate` reads CSV windows or tensor data, and this spec's data is text", "`rnnc train` reports the text's validation and test splits; evaluate other labelled samples with --data (token ids, as the model reads them)")]);
  } else return fail([diag.nothingToEvaluate(at)]);

  if (evaluated.evaluation === undefined) return fail(evaluated.diagnostics, sources);
  const evaluation = evaluated.evaluation;
  io.stdout(`${options.format === "json" ? jsonText(evaluationJson(evaluation, labels)) : evaluationText(evaluation, labels)}\n`);
  return exitCodes.ok;
}

/** `--data`: every sample, in the model's own units; no baselines (nothing says what came before a sample). */
function onTensors(io: Io, module: GeneratedModule, model: Model, path: string): { evaluation?: Evaluation; diagnostics: readonly Diagnostic[] } {
  const read = readTensorFile(io, path);
  if (read.file === undefined) return { diagnostics: read.diagnostics };
  const made = datasetFromTensors(module, read.file, displayPath(io, path));
  if (made.dataset === undefined) return { diagnostics: made.diagnostics };
  const evaluation = evaluateDataset(module, model, made.dataset);
  return evaluation === undefined ? { diagnostics: [] } : { evaluation, diagnostics: [] };
}

interface CsvRequest {
  readonly model: Model;
  readonly source: DataSource;
  readonly specSource: string;
  readonly preprocessing: Preprocessing;
  readonly options: EvaluateCommandOptions;
}

/**
 * CSV rows (`--csv`, else the spec's data.csv), windowed with the checkpoint's preprocessing. `--split` takes the
 * spec's split fractions over this file's windows: without `--csv` the default `test` is exactly the test split
 * training reported; with `--csv` the default is every window of the file.
 */
function onCsv(io: Io, loaded: { specPath: string; module: GeneratedModule }, request: CsvRequest): { evaluation?: Evaluation; diagnostics: readonly Diagnostic[] } {
  const { source, preprocessing, options } = request;
  const { module } = loaded;
  const specData = { specPath: loaded.specPath, specSource: request.specSource, source, access: dataAccess(options) };
  const read = readPredictionTable(io, specData, options.csv, true);
  if (read.table === undefined) return { diagnostics: read.diagnostics };
  const table = read.table;
  const made = windowMaker(table, preprocessing, source.task === "regression" ? source.config.season : undefined);
  if (made.maker === undefined) return { diagnostics: made.diagnostics };
  const maker = made.maker;
  const split = options.split ?? (options.csv === undefined ? "test" : "all");
  const counts = splitCounts(maker.total, source.config.split);
  const ranges = { train: [0, counts.train], validation: [counts.train, counts.train + counts.validation], test: [counts.train + counts.validation, maker.total], all: [0, maker.total] } as const;
  const [first, end] = ranges[split];
  if (end <= first) {
    const what = split === "all" ? `${table.file} (${table.rowCount} rows)` : `the ${split} split of ${table.file} (${maker.total} windows in all)`;
    const needed = preprocessing.window + preprocessing.horizon + (preprocessing.transform === "difference" ? 1 : 0);
    return { diagnostics: [diag.emptyEvaluation({ file: table.file, line: 1, column: 1 }, what, split === "all" ? `a window with its target needs ${needed} rows` : "choose another split with --split, or --split all")] };
  }
  const labelled: LabelledWindows = maker.task === "classification" ? { task: "classification", windows: maker.split(first, end), ...(split === "all" || counts.train === 0 ? {} : { train: maker.split(0, counts.train) }) } : { task: "regression", windows: maker.split(first, end) };
  const unrepresentable = firstUnrepresentableInput(labelled.windows, table, preprocessing);
  if (unrepresentable !== undefined) return { diagnostics: [unrepresentable] };
  const dataset = { count: labelled.windows.count, inputs: { [source.featureInput]: labelled.windows.x, [module.LOSS.target]: labelled.windows.y } };
  return { evaluation: evaluateWindows(module, request.model, labelled, preprocessing, split, dataset), diagnostics: [] };
}
