import { compile } from "../compile.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { datasetFromTensors, dummyDataset, type Dataset } from "../runtime/dataset.ts";
import type { GeneratedModule, Model } from "../runtime/generated-module.ts";
import { initialiseParameters } from "../runtime/init.ts";
import { loadGeneratedModule } from "../runtime/load-module.ts";
import { Random } from "../runtime/prng.ts";
import { readSafetensors, writeSafetensors } from "../runtime/safetensors.ts";
import { train } from "../runtime/train.ts";
import { loadStateDict, stateDict } from "../runtime/weights.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, readBytes, readText, writeAtomically, type Io } from "./io.ts";
import { report, type DiagnosticsFormat } from "./report.ts";

export interface TrainCommandOptions {
  readonly init?: string;
  readonly data?: string;
  readonly epochs?: number;
  readonly save?: string;
  readonly logFormat: "text" | "json";
  readonly diagnostics: DiagnosticsFormat;
}

/**
 * Compiles the spec in memory (the very text `compile` would write, so a stale generated file is never run),
 * initialises or loads weights, trains, prints one line per epoch, and saves atomically.
 */
export async function trainCommand(io: Io, spec: string, options: TrainCommandOptions): Promise<number> {
  const fail = (diagnostics: readonly Diagnostic[], sources = new Map<string, string>()): number => {
    report(io, diagnostics, options.diagnostics, sources);
    return exitCodes.userError;
  };
  const specPath = displayPath(io, spec);
  const source = readText(io, spec);
  if (!source.ok) return fail([source.diagnostic]);
  const compiled = compile(source.value, { specPath });
  const generated = compiled.files[0];
  if (generated === undefined) return fail(compiled.diagnostics, new Map([[specPath, source.value]]));

  const module = await loadGeneratedModule(generated.content);
  const model = module.createModel();
  const random = new Random(module.TRAIN.seed);
  const initPath = options.init;
  if (initPath === undefined) {
    initialiseParameters(module, model, random);
  } else {
    const problems = loadTensors(io, initPath, (file) => loadStateDict(module, model, file, displayPath(io, initPath)));
    if (problems.length > 0) return fail(problems);
  }

  const data = options.data === undefined ? { dataset: dummyDataset(module, random), diagnostics: [] } : loadDataset(io, module, options.data);
  if (data.dataset === undefined) return fail(data.diagnostics);

  const epochs = options.epochs ?? module.TRAIN.epochs;
  const result = train(module, model, data.dataset, {
    epochs,
    batchSize: module.TRAIN.batchSize,
    onEpoch: (epoch, loss) =>
      io.stdout(options.logFormat === "json" ? `${JSON.stringify({ epoch, epochs, loss })}\n` : `Epoch [${epoch}/${epochs}], Loss: ${loss.toFixed(4)}\n`),
  });
  if (options.save !== undefined) save(io, module, model, options.save, result.losses.length);
  if (result.divergence !== undefined) {
    const { epoch, step, what } = result.divergence;
    return fail([diag.trainingDiverged({ file: specPath, line: 1, column: 1 }, epoch, step, what)]);
  }
  return exitCodes.ok;
}

function loadTensors(io: Io, path: string, use: (file: NonNullable<ReturnType<typeof readSafetensors>["file"]>) => Diagnostic[]): Diagnostic[] {
  const bytes = readBytes(io, path);
  if (!bytes.ok) return [bytes.diagnostic];
  const parsed = readSafetensors(bytes.value, displayPath(io, path));
  if (parsed.file === undefined) return parsed.diagnostics;
  return use(parsed.file);
}

function loadDataset(io: Io, module: GeneratedModule, path: string): { dataset?: Dataset; diagnostics: readonly Diagnostic[] } {
  let dataset: Dataset | undefined;
  const diagnostics = loadTensors(io, path, (file) => {
    const result = datasetFromTensors(module, file, displayPath(io, path));
    dataset = result.dataset;
    return result.diagnostics;
  });
  return dataset === undefined ? { diagnostics } : { dataset, diagnostics };
}

function save(io: Io, module: GeneratedModule, model: Model, path: string, epochs: number): void {
  const bytes = writeSafetensors(stateDict(module, model.parameters), {
    format: "pt",
    generator: "rnnc",
    spec_sha256: module.SPEC_SHA256,
    epochs: String(epochs),
  });
  writeAtomically(io, path, bytes);
}
