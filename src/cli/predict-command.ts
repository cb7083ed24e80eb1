import { predictionWindows, toOriginalUnits, type Preprocessing, type Table } from "../data/index.ts";
import { diag } from "../diagnostics/codes.ts";
import { predictAll } from "../runtime/evaluate.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { formatTime, timeResolution } from "../data/time-print.ts";
import { escapeText, jsonText } from "../diagnostics/escape.ts";
import { readPredictionTable } from "./csv-source.ts";
import { dataAccess } from "./data-path.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, type Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { firstUnrepresentableInput } from "./window-check.ts";
import { failWith, type DiagnosticsFormat } from "./report.ts";
import { predictText } from "./text-predict.ts";
import { textSpecOf } from "./text-source.ts";
import { defaultMaxDataBytes } from "./data-path.ts";

export interface PredictCommandOptions {
  readonly weights: string;
  readonly csv?: string;
  readonly last?: number;
  /** Text models: one sample to classify, or a file of one sample per line. */
  readonly text?: string;
  readonly file?: string;
  readonly format: "text" | "json";
  readonly diagnostics: DiagnosticsFormat;
  readonly allowExternalData?: boolean;
  readonly maxDataBytes?: number;
}

/**
 * Predicts from every complete window of a CSV with trained weights, preprocessing the rows with the statistics stored
 * in the checkpoint (never refitted): class names with probabilities, or values in the target's own units.
 */
export async function predictCommand(io: Io, spec: string, options: PredictCommandOptions): Promise<number> {
  const fail = failWith(io, options.diagnostics);
  const { loaded, diagnostics, sources } = await loadSpec(io, spec);
  if (loaded === undefined) return fail(diagnostics, sources);
  const { specPath, module } = loaded;
  const dataSource = loaded.graph.data;
  const at = { file: specPath, line: 1, column: 1 };
  const textSpec = dataSource === undefined ? textSpecOf(specPath, sources.get(specPath) ?? "", loaded.graph, dataAccess(options)) : undefined;
  if (textSpec !== undefined) {
    if (options.csv !== undefined || options.last !== undefined) return fail([diag.usage(at, "`--csv` and `--last` read CSV windows, but this spec's data is text", "give the text with `--text` or `--file`")]);
    const { weights, text, file, format, diagnostics: diagnosticsFormat } = options;
    return predictText(io, loaded, textSpec, { weights, format, diagnostics: diagnosticsFormat, maxDataBytes: options.maxDataBytes ?? defaultMaxDataBytes, ...(text === undefined ? {} : { text }), ...(file === undefined ? {} : { file }) });
  }
  if (options.text !== undefined || options.file !== undefined) return fail([diag.usage(at, "`--text` and `--file` are for models of text, but this spec's data is not text", "predict from CSV windows with `--csv` (default: the spec's CSV)")]);
  if (dataSource === undefined) {
    return fail([diag.usage(at, "`predict` reads CSV windows, but this spec has no `data` section", "add a `data:` section describing the CSV columns, train with it, then predict")]);
  }

  const model = module.createModel();
  const checkpoint = loadCheckpoint(io, module, model, options.weights, dataSource);
  if (checkpoint.info === undefined) return fail(checkpoint.diagnostics);
  const preprocessing = checkpoint.info.preprocessing;
  if (preprocessing === undefined) {
    const what = checkpoint.info.foreign ? "these weights carry no rnnc architecture fingerprint, so no preprocessing stored with them is trusted" : "these weights carry no preprocessing (normalisation statistics, class labels)";
    return fail([diag.checkpointMismatch({ file: displayPath(io, options.weights), line: 1, column: 1 }, what, "predict with a checkpoint saved by `rnnc train --save` from a spec with a `data` section")]);
  }

  const specData = { specPath, specSource: sources.get(specPath) ?? "", source: dataSource, access: dataAccess(options) };
  const read = readPredictionTable(io, specData, options.csv, preprocessing.task === "regression");
  if (read.table === undefined) return fail(read.diagnostics);
  const made = predictionWindows(read.table, preprocessing);
  if (made.windows === undefined) return fail(made.diagnostics);
  const windows = made.windows;
  const unrepresentable = firstUnrepresentableInput(windows, read.table, preprocessing);
  if (unrepresentable !== undefined) return fail([unrepresentable]);

  const target = module.INPUTS.find((input) => input.name === module.LOSS.target);
  const placeholder = target?.dtype === "int32" ? new Int32Array(windows.count) : new Float32Array(windows.count);
  const width = module.LOSS.task === "classification" ? module.LOSS.classes : 1;
  const outputs = predictAll(module, model, { count: windows.count, inputs: { [dataSource.featureInput]: windows.x, [module.LOSS.target]: placeholder } }, width);

  const first = options.last === undefined ? 0 : Math.max(0, windows.count - options.last);
  const timeOf = timesOf(read.table);
  for (let k = first; k < windows.count; k++) {
    const when = timeOf(windows.lastIndex[k] ?? 0);
    const row = outputs.subarray(k * width, (k + 1) * width);
    const line = preprocessing.task === "classification" ? classLine(when, row, preprocessing, options.format) : valueLine(when, toOriginalUnits(row[0] ?? NaN, windows.lastLevel?.[k] ?? NaN, preprocessing), preprocessing.horizon, options.format);
    io.stdout(`${line}\n`);
  }
  return exitCodes.ok;
}

/** A window's last observed row: its time, as precisely as the data is written (hourly data keeps its hours), else its row. */
function timesOf(table: Table): (row: number) => string {
  const resolution = timeResolution(table.time ?? []);
  return (row) => {
    const time = table.time?.[row];
    return time === undefined ? `row ${table.rows[row] ?? row + 1}` : formatTime(time, resolution);
  };
}

function classLine(when: string, logits: Float64Array, preprocessing: Preprocessing, format: "text" | "json"): string {
  const max = Math.max(...logits);
  const exps = Array.from(logits, (logit) => Math.exp(logit - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  const labels = preprocessing.labels ?? [];
  const ranked = exps.map((e, i) => ({ label: labels[i] ?? String(i), probability: e / sum })).sort((a, b) => b.probability - a.probability);
  const best = ranked[0];
  if (format === "json") return jsonText({ after: when, horizon: preprocessing.horizon, prediction: best?.label, probabilities: Object.fromEntries(ranked.map((r) => [r.label, r.probability])) });
  // Labels come from the CSV: escaped, so a label cannot send control sequences to the terminal.
  return `${when} +${preprocessing.horizon}: ${escapeText(best?.label ?? "?")}  (${ranked.map((r) => `${escapeText(r.label)} ${r.probability.toFixed(3)}`).join(", ")})`;
}

function valueLine(when: string, value: number, horizon: number, format: "text" | "json"): string {
  return format === "json" ? JSON.stringify({ after: when, horizon, prediction: value }) : `${when} +${horizon}: ${value.toFixed(4)}`;
}
