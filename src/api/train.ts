import { trainCommand } from "../cli/train-command.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { capture, type JsonObject } from "./capture.ts";
import { checkCounts } from "./options.ts";

export interface TrainOptions {
  /** Paths (the spec, init, data, save) are relative to this folder; default: the process's working directory. */
  readonly cwd?: string;
  /** Start from these weights (safetensors, PyTorch state_dict names) instead of the seeded init. */
  readonly init?: string;
  /** Continue an interrupted run from a checkpoint saved by `train` (`--resume`): weights, optimizer and schedule state. */
  readonly resume?: string;
  /** Training data as safetensors, one tensor per spec input; default: the spec's `data` section, else dummy data. */
  readonly data?: string;
  /** Override the spec's `train.epochs`. */
  readonly epochs?: number;
  /** Write the trained weights here (atomically), with the metadata `predict` needs. */
  readonly save?: string;
  /** Let the spec's data files lie outside its project (`--allow-external-data`). */
  readonly allowExternalData?: boolean;
  /** The largest CSV read, in bytes (`--max-data-bytes`). */
  readonly maxDataBytes?: number;
  /** Called after every epoch, as it ends. */
  readonly onEpoch?: (epoch: EpochLog) => void;
}

/** One epoch, as `rnnc train --log-format json` prints it. */
export interface EpochLog {
  readonly epoch: number;
  readonly epochs: number;
  /** The mean of the epoch's mini-batch losses. */
  readonly loss: number;
  /** The learning rate the epoch ran with. */
  readonly lr: number;
  /** With a validation split: the loss on it after the epoch. */
  readonly valLoss?: number;
}

export interface TrainResult {
  /** True when training ran to the end (and the weights were saved, if asked). */
  readonly ok: boolean;
  /** What `rnnc train` would exit with: 0, 2 for a user error (the diagnostics say which), 70 for a bug. */
  readonly exitCode: number;
  /** Errors and warnings, as values with stable codes and positions; nothing is printed. */
  readonly diagnostics: readonly Diagnostic[];
  readonly epochs: readonly EpochLog[];
  /** With early stopping: the epoch whose weights were kept. */
  readonly bestEpoch?: number;
  /** Text data: what was read (samples, splits, vocabulary), as the `{"event":"data"}` line. */
  readonly data?: JsonObject;
  /** With a `data` section: the evaluation of the validation and test splits against baselines (`{"event":"eval"}` lines). */
  readonly evaluations: readonly JsonObject[];
}

function epochLog(record: JsonObject): EpochLog | undefined {
  const { epoch, epochs, loss, lr, val_loss: valLoss } = record;
  if (typeof epoch !== "number" || typeof epochs !== "number" || typeof loss !== "number" || typeof lr !== "number") return undefined;
  return typeof valLoss === "number" ? { epoch, epochs, loss, lr, valLoss } : { epoch, epochs, loss, lr };
}

/**
 * Trains a spec file as `rnnc train` does, in this process: compiled in memory, trained, evaluated and saved by the
 * same code. Returns the log and the diagnostics as values; never prints, never exits.
 */
export async function train(spec: string, options: TrainOptions = {}): Promise<TrainResult> {
  const invalid = checkCounts(spec, { epochs: options.epochs, maxDataBytes: options.maxDataBytes });
  if (invalid.length > 0) return { ok: false, exitCode: 2, diagnostics: invalid, epochs: [], evaluations: [] };
  const { cwd, onEpoch, init, resume, data, epochs, save, allowExternalData, maxDataBytes } = options;
  const flags = { init, resume, data, epochs, save, allowExternalData, maxDataBytes, logFormat: "json", diagnostics: "json" } as const;
  const logs: EpochLog[] = [];
  const captured = await capture(cwd ?? process.cwd(), (io) => trainCommand(io, spec, flags), (record) => {
    const log = record["event"] === undefined ? epochLog(record) : undefined;
    if (log === undefined) return;
    logs.push(log);
    onEpoch?.(log);
  });
  const events = (name: string) => captured.records.filter((record) => record["event"] === name);
  const bestEpoch = events("early_stop")[0]?.["best_epoch"];
  const dataEvent = events("data")[0];
  return {
    ok: captured.exitCode === 0,
    exitCode: captured.exitCode,
    diagnostics: captured.diagnostics,
    epochs: logs,
    ...(typeof bestEpoch === "number" ? { bestEpoch } : {}),
    ...(dataEvent === undefined ? {} : { data: dataEvent }),
    evaluations: events("eval"),
  };
}
