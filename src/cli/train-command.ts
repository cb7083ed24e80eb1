import { diag } from "../diagnostics/codes.ts";
import { jsonText } from "../diagnostics/escape.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Graph } from "../ir/types.ts";
import { datasetFromTensors, dummyDataset, type Dataset } from "../runtime/dataset.ts";
import { evaluateSplit } from "../runtime/evaluate.ts";
import type { GeneratedModule } from "../runtime/generated-module.ts";
import { initialiseParameters } from "../runtime/init.ts";
import { Random } from "../runtime/prng.ts";
import { train, type EpochRecord } from "../runtime/train.ts";
import { checkReportPaths, writeReports, type ReportPaths } from "../report/write.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { loadCsvData, type CsvData, type SpecData } from "./csv-source.ts";
import { dataAccess, specDataPath } from "./data-path.ts";
import { evaluationJson, evaluationText } from "./eval-report.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, type Io } from "./io.ts";
import { checkSavePath, type NamedInput } from "./output-path.ts";
import { loadSpec } from "./load-spec.ts";
import { startModelThreads, stopModelThreads } from "../runtime/threads.ts";
import { createProgress } from "./progress.ts";
import { failWith, report, type DiagnosticsFormat } from "./report.ts";
import { readTensorFile } from "./tensor-file.ts";
import { evaluateText } from "./text-evaluate.ts";
import { textEvaluationJson, textEvaluationText, textSummary } from "./text-report.ts";
import { loadTextData, textInputPaths, textSpecOf, type TextData, type TextSpec } from "./text-source.ts";

export interface TrainCommandOptions extends ReportPaths {
  readonly init?: string;
  readonly resume?: string;
  readonly data?: string;
  readonly epochs?: number;
  readonly save?: string;
  readonly quiet?: boolean;
  readonly logFormat: "text" | "json";
  readonly diagnostics: DiagnosticsFormat;
  readonly allowExternalData?: boolean;
  readonly maxDataBytes?: number;
  /** Overrides the spec's train.threads. */
  readonly threads?: number | "auto";
}

/**
 * Compiles the spec in memory (the very text `compile` would write, so a stale generated file is never run),
 * initialises or loads weights, trains with a line per epoch, evaluates a CSV's validation and test splits against
 * baselines, and saves atomically.
 */
export async function trainCommand(io: Io, spec: string, options: TrainCommandOptions): Promise<number> {
  const fail = failWith(io, options.diagnostics);
  const { loaded, diagnostics, sources } = await loadSpec(io, spec, options.threads === undefined ? {} : { threads: options.threads });
  if (loaded === undefined) return fail(diagnostics, sources);
  const { specPath, graph, module } = loaded;
  const textSpec = graph.data === undefined ? textSpecOf(specPath, sources.get(specPath) ?? "", graph, dataAccess(options)) : undefined;
  if (options.save !== undefined) {
    const unwritable = checkSavePath(io, options.save, inputsOf(io, specPath, graph, options, textSpec));
    if (unwritable !== undefined) return fail([unwritable]);
  }
  if (options.init !== undefined && options.resume !== undefined) {
    return fail([diag.usage({ file: "rnnc train", line: 1, column: 1 }, "`--init` and `--resume` were both given", "--resume continues a saved run (weights, optimizer, schedule, epoch); --init starts a new run from weights alone")]);
  }
  const badReportPath = checkReportPaths(io, options, inputsOf(io, specPath, graph, options, textSpec));
  if (badReportPath !== undefined) return fail([badReportPath]);
  const model = module.createModel();
  const random = new Random(module.TRAIN.seed);
  // always drawn, so that the dummy data and the shuffles after it come from the same place in the stream
  initialiseParameters(module, model, random);
  const weights = options.resume ?? options.init;
  const checkpoint = weights === undefined ? undefined : loadCheckpoint(io, module, model, weights, graph.data, textSpec?.source, { resume: options.resume !== undefined });
  if (checkpoint !== undefined && checkpoint.info === undefined) return fail(checkpoint.diagnostics);
  const resumed = checkpoint?.info?.resumed;

  const data = loadData(io, { specPath, specSource: sources.get(specPath) ?? "", access: dataAccess(options) }, graph, module, random, options.data, textSpec);
  if (data.train === undefined) return fail(data.diagnostics, sources);
  report(io, data.diagnostics, options.diagnostics, sources);
  if (data.text !== undefined && textSpec !== undefined) io.stdout(`${textSummary(data.text.text, textSpec.source.maxLength, options.logFormat)}\n`);

  const epochs = options.epochs ?? module.TRAIN.epochs;
  if (resumed !== undefined) {
    random.restore(resumed.run);
    const done = resumed.progress.epoch;
    if (done >= epochs && !resumed.progress.stoppedEarly) {
      return fail([diag.usage({ file: "rnnc train", line: 1, column: 1 }, `the run in ${displayPath(io, options.resume ?? "")} has trained ${done} epochs already; ${epochs} leaves nothing to do`, `give the total number of epochs to reach, e.g. \`--epochs ${done + epochs}\``)]);
    }
  }
  const progress = createProgress(io, epochs, options.quiet === true);
  // workers that share the products, when the spec or --threads asks: started once every input is checked, and
  // stopped however training ends (evaluation and saving run on this thread)
  await startModelThreads(model);
  let result: ReturnType<typeof train>;
  try {
    result = train(module, model, data.train, {
      ...(resumed === undefined ? {} : { resume: resumed }),
      epochs,
      batchSize: module.TRAIN.batchSize,
      ...(data.csv === undefined ? {} : { validation: data.csv.validation }),
      ...(data.text === undefined ? {} : { validation: data.text.validation }),
      ...(graph.train.patience === undefined ? {} : { patience: graph.train.patience }),
      ...(graph.train.shuffle ? { shuffle: random } : {}),
      onEpochStart: (epoch) => progress.epochStart(epoch),
      onStep: (step, steps, loss, samples) => progress.step(step, steps, loss, samples),
      onEpoch: (record) => {
        progress.epochEnd(record);
        // accuracy is printed for real data only: the seed's dummy-data lines stay exactly as they were
        io.stdout(`${formatEpoch(record, epochs, options.logFormat, options.data !== undefined || data.csv !== undefined || data.text !== undefined)}\n`);
      },
    });
  } finally {
    progress.stop();
    await stopModelThreads(model);
  }
  if (result.stoppedEarly) io.stdout(options.logFormat === "json" ? `${JSON.stringify({ event: "early_stop", best_epoch: result.keptEpoch })}\n` : `Stopped early; keeping the weights of epoch ${result.keptEpoch} (best validation loss)\n`);

  if (data.csv !== undefined && result.divergence === undefined) printEvaluations(io, module, data.csv, model, options.logFormat);
  if (data.text !== undefined && result.divergence === undefined) printTextEvaluations(io, module, data.text, model, options.logFormat);
  const preprocessing = data.csv?.windows.preprocessing;
  if (options.save !== undefined) {
    const metadata = { ...(preprocessing === undefined ? {} : { preprocessing }), ...(data.text === undefined ? {} : { text: data.text.metadata }) };
    const resume = result.progress === undefined ? {} : { resume: { progress: result.progress, lastParameters: result.lastParameters, run: random.state() } };
    const unwritable = await saveCheckpoint(io, module, model, options.save, { epoch: result.keptEpoch, ...metadata, ...resume });
    if (unwritable !== undefined) return fail([unwritable]);
  }
  const unreported = await writeReports(io, options, { specPath, graph, module, model, result, epochsPlanned: epochs, csv: data.csv, text: data.text, dataFile: options.data });
  if (unreported !== undefined) return fail([unreported]);
  if (result.divergence !== undefined) {
    const { epoch, step, what } = result.divergence;
    return fail([diag.trainingDiverged({ file: specPath, line: 1, column: 1 }, epoch, step, what)]);
  }
  return exitCodes.ok;
}

function formatEpoch(record: EpochRecord, epochs: number, format: "text" | "json", realData: boolean): string {
  const accuracy = realData ? record.accuracy : undefined;
  const validationAccuracy = realData ? record.validationAccuracy : undefined;
  if (format === "json") {
    return JSON.stringify({
      ...(record.validationLoss === undefined ? { epoch: record.epoch, epochs, loss: record.loss, lr: record.lr } : { epoch: record.epoch, epochs, loss: record.loss, val_loss: record.validationLoss, lr: record.lr }),
      ...(accuracy === undefined ? {} : { accuracy }),
      ...(validationAccuracy === undefined ? {} : { val_accuracy: validationAccuracy }),
    });
  }
  const line = `Epoch [${record.epoch}/${epochs}], Loss: ${record.loss.toFixed(4)}`;
  const withValidation = record.validationLoss === undefined ? line : `${line}, Val Loss: ${record.validationLoss.toFixed(4)}`;
  return `${withValidation}${accuracy === undefined ? "" : `, Acc: ${accuracy.toFixed(4)}`}${validationAccuracy === undefined ? "" : `, Val Acc: ${validationAccuracy.toFixed(4)}`}`;
}

function printEvaluations(io: Io, module: GeneratedModule, csv: CsvData, model: ReturnType<GeneratedModule["createModel"]>, format: "text" | "json"): void {
  const labels = csv.windows.preprocessing.labels;
  for (const [split, dataset] of [["validation", csv.validation], ["test", csv.test]] as const) {
    const evaluation = evaluateSplit(module, model, csv.windows, split, dataset);
    if (evaluation === undefined) continue;
    io.stdout(`${format === "json" ? jsonText(evaluationJson(evaluation, labels)) : evaluationText(evaluation, labels)}\n`);
  }
}

function printTextEvaluations(io: Io, module: GeneratedModule, data: TextData, model: ReturnType<GeneratedModule["createModel"]>, format: "text" | "json"): void {
  const labels = data.text.task === "classification" ? data.text.labels : [];
  for (const split of ["validation", "test"] as const) {
    const evaluation = evaluateText(module, model, data, split);
    if (evaluation === undefined) continue;
    io.stdout(`${format === "json" ? jsonText(textEvaluationJson(evaluation, labels, data.metadata.tokens)) : textEvaluationText(evaluation, labels, data.metadata.tokens)}\n`);
  }
}

/** Every file the run reads, which --save must not replace. */
function inputsOf(io: Io, specPath: string, graph: Graph, options: TrainCommandOptions, textSpec: TextSpec | undefined): NamedInput[] {
  const inputs: NamedInput[] = [{ role: "spec", path: specPath }];
  if (graph.data !== undefined) inputs.push({ role: "CSV", path: specDataPath(io, specPath, graph.data.config.csv) });
  if (textSpec !== undefined) for (const path of textInputPaths(io, textSpec)) inputs.push({ role: "text file", path });
  if (options.data !== undefined) inputs.push({ role: "--data file", path: options.data });
  if (options.init !== undefined) inputs.push({ role: "--init file", path: options.init });
  if (options.resume !== undefined) inputs.push({ role: "--resume file", path: options.resume });
  return inputs;
}

/** Training data: --data (safetensors), else the spec's CSV or text, else the seed's dummy data. */
function loadData(
  io: Io,
  spec: Omit<SpecData, "source">,
  graph: Graph,
  module: GeneratedModule,
  random: Random,
  dataPath: string | undefined,
  textSpec: TextSpec | undefined,
): { train?: Dataset; csv?: CsvData; text?: TextData; diagnostics: readonly Diagnostic[] } {
  if (dataPath !== undefined) {
    const parsed = readTensorFile(io, dataPath);
    if (parsed.file === undefined) return { diagnostics: parsed.diagnostics };
    const result = datasetFromTensors(module, parsed.file, displayPath(io, dataPath));
    return result.dataset === undefined ? { diagnostics: result.diagnostics } : { train: result.dataset, diagnostics: [] };
  }
  if (graph.data !== undefined) {
    const loaded = loadCsvData(io, { ...spec, source: graph.data }, graph, module);
    return loaded.data === undefined ? { diagnostics: loaded.diagnostics } : { train: loaded.data.train, csv: loaded.data, diagnostics: loaded.data.warnings };
  }
  if (textSpec !== undefined) {
    const loaded = loadTextData(io, textSpec, graph, module.TRAIN.seed);
    return loaded.data === undefined ? { diagnostics: loaded.diagnostics } : { train: loaded.data.train, text: loaded.data, diagnostics: [] };
  }
  return { train: dummyDataset(module, random), diagnostics: [] };
}
