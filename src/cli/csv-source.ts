import { dirname, posix } from "node:path";
import { makeWindows, readTable, type Table, type WindowedData } from "../data/index.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { DataSource } from "../ir/types.ts";
import type { Dataset } from "../runtime/dataset.ts";
import type { GeneratedModule } from "../runtime/generated-module.ts";
import { displayPath, readText, type Io } from "./io.ts";

export interface CsvData {
  readonly windows: WindowedData;
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly test: Dataset;
  /** Warnings worth printing (e.g. gaps in the time axis). */
  readonly warnings: readonly Diagnostic[];
}

/** The CSV a spec's `data.csv` names: relative to the spec file, shown relative to the working directory. */
export function csvPath(io: Io, specPath: string, csv: string): string {
  return displayPath(io, posix.join(dirname(specPath), csv));
}

export function readCsvTable(io: Io, path: string, source: DataSource, needTarget: boolean): { table?: Table; diagnostics: readonly Diagnostic[] } {
  const text = readText(io, path);
  if (!text.ok) return { diagnostics: [{ ...text.diagnostic, file: source.csvAt.file, line: source.csvAt.line, column: source.csvAt.column }] };
  const { config, task } = source;
  const target = needTarget ? [config.target] : [];
  const numeric = task === "regression" ? [...config.features, ...target.filter((t) => !config.features.includes(t))] : config.features;
  const categorical = task === "classification" ? target : [];
  return readTable(text.value, path, config.time === undefined ? { numeric, categorical } : { time: config.time, numeric, categorical });
}

/** Reads, windows, splits and normalises the spec's CSV; one Dataset per split, in the module's input names. */
export function loadCsvData(io: Io, specPath: string, module: GeneratedModule, source: DataSource): { data?: CsvData; diagnostics: readonly Diagnostic[] } {
  const path = csvPath(io, specPath, source.config.csv);
  const read = readCsvTable(io, path, source, true);
  if (read.table === undefined) return { diagnostics: read.diagnostics };
  const warnings = read.diagnostics.filter((d) => d.severity === "warning");
  const { config, task } = source;
  const made = makeWindows(read.table, {
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
  const labels = windows.preprocessing.labels;
  if (module.LOSS.task === "classification" && labels !== undefined && labels.length !== module.LOSS.classes) {
    return {
      diagnostics: [
        diag.dataMismatch(
          source.targetAt,
          `the target column \`${config.target}\` holds ${labels.length} classes (${labels.join(", ")}), but \`${module.LOSS.input}\` predicts ${module.LOSS.classes}`,
          `set \`out_features: ${labels.length}\` on \`${module.LOSS.input}\``,
        ),
      ],
    };
  }
  const dataset = (split: WindowedData["train"]): Dataset => ({ count: split.count, inputs: { [source.featureInput]: split.x, [module.LOSS.target]: split.y } });
  return { data: { windows, train: dataset(windows.train), validation: dataset(windows.validation), test: dataset(windows.test), warnings }, diagnostics: [...made.diagnostics] };
}
