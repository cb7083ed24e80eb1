import { isTextData } from "../../data/config.ts";
import type { DataSource, Graph } from "../../ir/types.ts";
import { parseSpecDocument } from "../../spec/document.ts";
import { validateSpec } from "../../spec/validate.ts";
import { pyCsv } from "./py-csv.ts";
import { pyWindows } from "./py-windows.ts";
import { pyString, pyValue, type PythonWriter } from "./python-writer.ts";

/** The modules the CSV pipeline imports beyond the script's own: only scripts whose spec has a CSV data section. */
export function specDataImports(graph: Graph): readonly string[] {
  return csvSection(graph) === undefined ? [] : ["csv", "io", "re"];
}

function csvSection(graph: Graph): DataSource | undefined {
  return graph.data;
}

/** Whether the spec's `data` section reads text: the graph carries CSV sections only (text is read by the CLI). */
export function readsText(specPath: string, source: string): boolean {
  const document = parseSpecDocument(specPath, source).document;
  const data = document === undefined ? undefined : validateSpec(document).spec?.data;
  return data !== undefined && isTextData(data);
}

/**
 * The spec's `data` section. A CSV time series is read, windowed, split and standardised in the script as rnnc
 * reads it (py-csv.ts, py-windows.ts), from the file the spec names, found from the script's own folder
 * (`specFolder`: the spec's folder relative to it). Text data (`data.text`) is not read here: asked to train without
 * --data, the script says so with a coded error, as it does for what it cannot match exactly (`data.time_format`).
 */
export function emitSpecData(graph: Graph, where: { specFolder: string; textData: boolean }, w: PythonWriter): void {
  const data = csvSection(graph);
  if (data === undefined) {
    w.line(`DATA_SECTION = ${where.textData ? pyString("text") : "None"}`);
    w.line().line();
    w.block("def spec_data(args):", () => {
      w.line(`"""The spec's data section: ${where.textData ? "text (data.text), which this script does not read" : "none; only here so every script has one"}."""`);
      w.line(
        `raise UserError(CODES["data_section"], sys.argv[0], "this script cannot read the spec's ${where.textData ? "text data section (data.text)" : "data section"}", "train from --data D.safetensors (one tensor per spec input), or with rnnc train")`,
      );
    });
    return;
  }
  const { config } = data;
  const loss = graph.loss;
  const section = {
    csv: config.csv,
    spec_folder: where.specFolder,
    time: config.time,
    time_format: config.time_format,
    delimiter: config.delimiter ?? ",",
    features: config.features,
    target: config.target,
    window: config.window,
    horizon: config.horizon,
    transform: config.transform,
    normalize: config.normalize,
    split: config.split,
    task: data.task,
    classes: loss.task === "classification" ? loss.width : undefined,
    feature_input: data.featureInput,
  };
  w.line(`DATA_SECTION = ${pyString("csv")}`);
  w.comment("The spec's data section; spec_folder is the spec's folder as seen from this script's, where data.csv is resolved.");
  w.line(`DATA = ${pyValue(section)}`);
  w.line().line();
  w.source(String.raw`
def spec_csv(argument):
    """(path, shown): --csv when given, else the spec's data.csv, an absolute path as written, a relative one against
    the spec's folder (found from this script's own folder, so any working directory will do)."""
    if argument is not None:
        return argument, argument
    if os.path.isabs(DATA["csv"]):
        return DATA["csv"], DATA["csv"]
    path = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), DATA["spec_folder"], DATA["csv"]))
    return path, os.path.relpath(path)


def spec_data(args):
    """(train, validation or None, preprocessing): the spec's CSV read, windowed, split and standardised as rnnc train
    reads it; the preprocessing is what the checkpoint stores."""
    if DATA["time_format"] is not None:
        raise UserError(CODES["data_section"], sys.argv[0], f"this script does not read times written as data.time_format '{DATA['time_format']}'", "train with rnnc train, or write the time column as ISO 8601 and drop data.time_format")
    path, shown = spec_csv(args.csv)
    train, validation, _, preprocessing = make_windows(read_table(path, shown), shown)
    return train, validation if len(validation[LOSS_TARGET]) > 0 else None, preprocessing
`);
  for (const part of [pyCsv, pyWindows]) w.line().line().source(part);
}
