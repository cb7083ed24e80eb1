import { predictCommand } from "../cli/predict-command.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { capture, type JsonObject } from "./capture.ts";
import { checkCounts } from "./options.ts";

export interface PredictOptions {
  /** Weights saved by `train` with `save` (they carry the normalisation, or the vocabulary and labels). */
  readonly weights: string;
  /** Paths are relative to this folder; default: the process's working directory. */
  readonly cwd?: string;
  /** Series models: the rows to predict from; default: the spec's `data.csv`. */
  readonly csv?: string;
  /** Series models: only the last n windows. */
  readonly last?: number;
  /** Text models: classify this one sample. */
  readonly text?: string;
  /** Text models: classify every line of this file. */
  readonly file?: string;
  readonly allowExternalData?: boolean;
  readonly maxDataBytes?: number;
}

export interface PredictResult {
  readonly ok: boolean;
  /** What `rnnc predict` would exit with: 0, 2 for a user error, 70 for a bug. */
  readonly exitCode: number;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * One object per window or text, as `rnnc predict --format json` prints them: `{ after, horizon, prediction,
   * probabilities }` for a classifier of series, `{ after, horizon, prediction }` (in the target's units) for a
   * regression, `{ text, prediction, probabilities }` for text.
   */
  readonly predictions: readonly JsonObject[];
}

/** Predicts as `rnnc predict` does, in this process; returns predictions and diagnostics as values, printing nothing. */
export async function predict(spec: string, options: PredictOptions): Promise<PredictResult> {
  const invalid = checkCounts(spec, { last: options.last, maxDataBytes: options.maxDataBytes });
  if (invalid.length > 0) return { ok: false, exitCode: 2, diagnostics: invalid, predictions: [] };
  const { cwd, ...flags } = options;
  const captured = await capture(cwd ?? process.cwd(), (io) => predictCommand(io, spec, { ...flags, format: "json", diagnostics: "json" }));
  return { ok: captured.exitCode === 0, exitCode: captured.exitCode, diagnostics: captured.diagnostics, predictions: captured.records };
}
