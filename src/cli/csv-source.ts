import { checkCsvAgainstSpec, readCsvFacts } from "../data/csv-facts.ts";
import { makeWindows, readTable, type Table, type WindowedData } from "../data/index.ts";
import { compileTimeFormat } from "../data/time-format.ts";
import { codes, diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { DataSource, Graph } from "../ir/types.ts";
import type { Dataset } from "../runtime/dataset.ts";
import type { GeneratedModule } from "../runtime/generated-module.ts";
import { parseSpecDocument } from "../spec/document.ts";
import { resolveSpecData, type DataAccess } from "./data-path.ts";
import { displayPath, type Io } from "./io.ts";
import { readTextFile } from "./read-file.ts";

export interface CsvData {
  readonly windows: WindowedData;
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test: Dataset;
  /** Warnings worth printing (e.g. gaps in the time axis). */
  readonly warnings: readonly Diagnostic[];
  /** Each table row's time (ms since the epoch), indexed as the windows' `targetIndex`; absent without `data.time`. */
  readonly time?: readonly number[];
}

/** The spec whose `data` section is being read: its path, its text (for positions) and what the CLI allows. */
export interface SpecData {
  readonly specPath: string;
  readonly specSource: string;
  readonly source: DataSource;
  readonly access: DataAccess;
}

const limitHint = "raise the limit with --max-data-bytes <n> if the file is meant to be this large";

/** Positions in the spec, by path; the `data` section itself when the spec cannot be re-read (it always can). */
function specPositions(spec: SpecData): (path: readonly (string | number)[]) => SourcePosition {
  const document = parseSpecDocument(spec.specPath, spec.specSource).document;
  return (path) => document?.positionOf(path) ?? spec.source.at;
}

/** The text of the CSV `data.csv` names: inside the project (or allowed outside), regular, within the limit, UTF-8. */
function readSpecCsv(io: Io, spec: SpecData): { text: string; shown: string } | { diagnostic: Diagnostic } {
  const at = spec.source.csvAt;
  const resolved = resolveSpecData(io, spec.specPath, spec.source.config.csv, spec.access, at);
  if ("diagnostic" in resolved) return resolved;
  const read = readTextFile(io.cwd, resolved.path, resolved.shown, { maxBytes: spec.access.maxBytes, limitHint, at, unreadable: diag.dataFileUnreadable });
  return read.ok ? { text: read.value, shown: resolved.shown } : { diagnostic: read.diagnostic };
}

/** A CSV given on the command line (`predict --csv`): the user's own choice, so only the size limit applies. */
function readArgumentCsv(io: Io, path: string, access: DataAccess): { text: string; shown: string } | { diagnostic: Diagnostic } {
  const shown = displayPath(io, path);
  const read = readTextFile(io.cwd, path, shown, { maxBytes: access.maxBytes, limitHint });
  return read.ok ? { text: read.value, shown } : { diagnostic: read.diagnostic };
}

/** The header and class set checked against the spec, at the spec keys; the same checks at compile and train time. */
function checkAgainstSpec(text: string, shown: string, spec: SpecData, graph: Pick<Graph, "loss">): Diagnostic[] {
  const { config, task } = spec.source;
  const read = readCsvFacts(text, shown, { ...(config.delimiter === undefined ? {} : { delimiter: config.delimiter }), ...(task === "classification" ? { target: config.target } : {}) });
  if (read.facts === undefined) return read.diagnostics;
  const loss = graph.loss;
  const expectation = loss.task === "classification" ? { task, classes: loss.width, predictor: loss.input } : { task, predictor: loss.input };
  return checkCsvAgainstSpec(read.facts, config, expectation, specPositions(spec));
}

/**
 * `compile` (and --check): when the spec's CSV can be read, its header and class count are checked against the spec
 * now rather than at `train`. A CSV that is missing, outside the project or too large is not an error here: the
 * data may live elsewhere at compile time, and `train` reports it.
 */
export function checkSpecCsv(io: Io, spec: SpecData, graph: Pick<Graph, "loss">): Diagnostic[] {
  const read = readSpecCsv(io, spec);
  // An encoding error is a problem of the data itself, not of where it is: worth reporting now.
  if ("diagnostic" in read) return read.diagnostic.code === codes.notUtf8 ? [read.diagnostic] : [];
  return checkAgainstSpec(read.text, read.shown, spec, graph);
}

function tableOf(text: string, shown: string, source: DataSource, needTarget: boolean): { table?: Table; diagnostics: readonly Diagnostic[] } {
  const { config, task } = source;
  const target = needTarget ? [config.target] : [];
  const numeric = task === "regression" ? [...config.features, ...target.filter((t) => !config.features.includes(t))] : config.features;
  const categorical = task === "classification" ? target : [];
  const format = config.time_format === undefined ? undefined : compileTimeFormat(config.time_format);
  return readTable(text, shown, {
    numeric,
    categorical,
    ...(config.time === undefined ? {} : { time: config.time }),
    ...(config.delimiter === undefined ? {} : { delimiter: config.delimiter }),
    ...(format !== undefined && "format" in format ? { timeFormat: format.format } : {}),
  });
}

/** The rows `predict` reads: `--csv` when given, else the spec's CSV. */
export function readPredictionTable(io: Io, spec: SpecData, csvArgument: string | undefined, needTarget: boolean): { table?: Table; diagnostics: readonly Diagnostic[] } {
  const read = csvArgument === undefined ? readSpecCsv(io, spec) : readArgumentCsv(io, csvArgument, spec.access);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  return tableOf(read.text, read.shown, spec.source, needTarget);
}

/** Reads, checks, windows, splits and normalises the spec's CSV; one Dataset per split, in the module's input names. */
export function loadCsvData(io: Io, spec: SpecData, graph: Pick<Graph, "loss">, module: GeneratedModule): { data?: CsvData; diagnostics: readonly Diagnostic[] } {
  const read = readSpecCsv(io, spec);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  const mismatches = checkAgainstSpec(read.text, read.shown, spec, graph);
  if (mismatches.length > 0) return { diagnostics: mismatches };
  const { source } = spec;
  const table = tableOf(read.text, read.shown, source, true);
  if (table.table === undefined) return { diagnostics: table.diagnostics };
  const warnings = table.diagnostics.filter((d) => d.severity === "warning");
  const { config, task } = source;
  const made = makeWindows(table.table, {
    features: config.features,
    target: config.target,
    window: config.window,
    horizon: config.horizon,
    task,
    split: config.split,
    normalize: config.normalize,
    transform: config.transform,
    ...(config.season === undefined ? {} : { season: config.season }),
    at: source.at,
  });
  const windows = made.data;
  if (windows === undefined) return { diagnostics: made.diagnostics };
  const dataset = (split: WindowedData["train"]): Dataset => ({ count: split.count, inputs: { [source.featureInput]: split.x, [module.LOSS.target]: split.y } });
  const time = table.table.time === undefined ? {} : { time: table.table.time };
  return { data: { windows, train: dataset(windows.train), validation: dataset(windows.validation), test: dataset(windows.test), warnings, ...time }, diagnostics: [...made.diagnostics] };
}
