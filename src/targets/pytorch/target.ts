import { architectureFingerprint } from "../../runtime/fingerprint.ts";
import { codes, escapeControl } from "../../diagnostics/codes.ts";
import { integerRanges } from "../../ir/integer-ranges.ts";
import type { Graph, ScheduleConfig } from "../../ir/types.ts";
import { layerOp, lossOp } from "../../ops/registry.ts";
import { pyCli } from "./py-cli.ts";
import { pyData } from "./py-data.ts";
import { pySafetensors } from "./py-files.ts";
import { pySchedule } from "./py-schedule.ts";
import { pyTrain } from "./py-train.ts";
import { pyHelpers } from "./helpers.ts";
import { emitModel, emitTraining, forwardInputs, liveNodes } from "./model.ts";
import { pyBool, pyString, pyValue, PythonWriter } from "./python-writer.ts";
import { emitSpecData, specDataImports } from "./spec-data.ts";

export interface PytorchOptions {
  /** The spec's path for the header (relative to the project root, so the output does not depend on the working directory). */
  readonly specPath: string;
  readonly specSha256: string;
  readonly compilerVersion: string;
  /** The spec's folder relative to the script's (`../models`), where the spec's data.csv is found. */
  readonly specFolder: string;
  /** The spec's data section reads text (`data.text`), which the graph does not carry and the script cannot read. */
  readonly textData: boolean;
}

/**
 * IR → a standalone Python training script (`<name>.py`): the nn.Module, the loss, optimizer, clipping and schedule
 * from the op tables in this folder, then the fixed parts (files, data, training loop, command line). Pure and
 * deterministic: the same graph and options give the same bytes.
 */
export function emitPytorch(graph: Graph, options: PytorchOptions): string {
  const w = new PythonWriter();
  const specPath = escapeControl(options.specPath);
  w.line(`#!/usr/bin/env python3`);
  w.comment(`Generated from ${specPath} (sha256 ${options.specSha256}) — do not edit.`);
  w.comment(`rnnc ${options.compilerVersion} --target pytorch: ${summary(graph)}.`);
  w.comment(`Regenerate with \`npx compile --target pytorch ${specPath}\`. Needs only PyTorch.`);
  w.line(`"""${graph.name}, trained in PyTorch as \`rnnc train\` trains it: the same flags, output and checkpoints.`);
  w.line();
  w.line(`    python3 ${graph.name}.py train [--init W.safetensors] [--data D.safetensors] [--epochs N]`);
  w.line(`                     [--log-format text|json] [--save S.safetensors] [--device auto|cpu|cuda]`);
  w.line(`    torchrun --nproc_per_node N ${graph.name}.py train ...   # DistributedDataParallel, the same global batch`);
  w.line(`"""`);
  for (const module of [...["argparse", "ctypes", "decimal", "json", "math", "os", "struct", "sys"], ...specDataImports(graph)].sort()) w.line(`import ${module}`);
  w.line();
  w.block("try:", () => {
    w.line("import torch");
    w.line("import torch.distributed as dist");
    w.line("import torch.nn as nn");
    w.line("import torch.nn.functional as F");
  });
  w.block("except ImportError as missing:", () => {
    const message = `${codes.pytorchUnavailable}: this script needs PyTorch, but Python cannot import it ({missing})`;
    w.line(`sys.stderr.write(f"{sys.argv[0]}:1:1: error ${message}\\n  hint: install PyTorch (pip install torch, or apt-get install python3-torch)\\n")`);
    w.line("sys.exit(2)");
  });
  w.line().line();
  emitConstants(graph, options, w);
  // the model first into its own writer: it tells which helpers the script needs, and they come before it
  const model = new PythonWriter();
  const helpers = emitModel(graph, model);
  for (const helper of helpers) w.line().line().source(pyHelpers[helper]);
  w.line().line();
  w.source(model.toString());
  w.line().line();
  emitTraining(graph, w);
  w.line().line();
  emitSpecData(graph, { specFolder: options.specFolder, textData: options.textData }, w);
  for (const part of [pySafetensors, pyData, pySchedule, pyTrain, pyCli]) w.line().line().source(part);
  return w.toString();
}

function summary(graph: Graph): string {
  const layers = graph.layers.map((node) => `${node.id} = ${layerOp(node.op).summary(node)}`);
  return `${graph.name}: ${layers.join("; ")}; loss ${lossOp(graph.loss.op).summary(graph.loss)}; ${graph.optimizer.op}`;
}

function emitConstants(graph: Graph, options: PytorchOptions, w: PythonWriter): void {
  const ranges = integerRanges(graph);
  w.line(`SPEC_SHA256 = ${pyString(options.specSha256)}`);
  w.comment("What checkpoints are keyed to: every parameter's name, shape and dtype (as rnnc's src/runtime/fingerprint.ts).");
  w.line(`ARCHITECTURE_SHA256 = ${pyString(architectureFingerprint(graph.parameters))}`);
  const draws = graph.parameters.map((p) => `(${pyString(p.init.distribution)}, ${p.size})`);
  w.line(`INIT_DRAWS = [${draws.join(", ")}]`);
  w.line(`MODEL_NAME = ${pyString(graph.name)}`);
  w.line(`GENERATOR = ${pyString(`rnnc ${options.compilerVersion} --target pytorch`)}`);
  w.comment("The spec's inputs: dtype, shape after the batch axis, and for integers (min, max, ignored value, what they are).");
  w.block("INPUTS = {", () => {
    for (const input of graph.inputs) {
      const shape = input.type.dims.slice(1).map((dim) => ("size" in dim ? dim.size : 0));
      const range = ranges.get(input.id);
      const valid = range === undefined ? "None" : `(${range.min}, ${range.max}, ${range.ignore ?? "None"}, ${pyString(range.what)})`;
      w.line(`${pyString(input.id)}: (${pyString(input.type.dtype)}, [${shape.join(", ")}], ${valid}),`);
    }
  });
  w.line("}");
  w.line(`FORWARD_INPUTS = [${forwardInputs(graph).map(pyString).join(", ")}]`);
  w.line(`LOSS_TARGET = ${pyString(graph.loss.target)}`);
  const t = graph.train;
  const train = {
    epochs: t.epochs,
    batch_size: t.batchSize,
    seed: t.seed,
    shuffle: t.shuffle,
    patience: t.patience,
    warmup_epochs: t.warmupEpochs,
    divergence_factor: t.divergenceFactor,
  };
  w.line(`TRAIN = ${pyValue(train)}`);
  w.line(`SCHEDULE = ${pyValue(scheduleDict(t.schedule))}`);
  const dead = graph.parameters.some((p) => !liveNodes(graph).has(p.node));
  w.comment("Parameters outside the loss's path get no gradient; DistributedDataParallel must be told.");
  w.line(`UNUSED_PARAMETERS = ${pyBool(dead)}`);
  w.comment("Diagnostic codes, as rnnc's (src/diagnostics/codes.ts).");
  const table = {
    unreadable: codes.fileUnreadable,
    unwritable: codes.fileUnwritable,
    corrupt: codes.corruptTensorFile,
    tensor_mismatch: codes.tensorMismatch,
    out_of_range: codes.labelOutOfRange,
    non_finite: codes.nonFiniteData,
    checkpoint_mismatch: codes.checkpointMismatch,
    non_finite_weights: codes.nonFiniteWeights,
    output_is_input: codes.outputIsInput,
    diverged: codes.trainingDiverged,
    data_section: codes.pytorchDataSection,
    distributed: codes.pytorchDevice,
    ...(graph.data === undefined ? {} : csvCodes),
  };
  w.line(`CODES = ${pyValue(table)}`);
}

/** What the CSV pipeline reports, as src/data/diagnostics.ts reports it. */
const csvCodes = {
  not_utf8: codes.notUtf8,
  csv_syntax: codes.csvSyntax,
  unknown_column: codes.unknownColumn,
  empty_cell: codes.emptyCell,
  not_a_number: codes.notANumber,
  bad_time: codes.badTime,
  duplicate_time: codes.duplicateTime,
  too_few_rows: codes.tooFewRows,
  data_mismatch: codes.dataMismatch,
};

function scheduleDict(schedule: ScheduleConfig | undefined): Record<string, unknown> | undefined {
  if (schedule === undefined) return undefined;
  switch (schedule.op) {
    case "step":
      return { op: "step", step_size: schedule.stepSize, gamma: schedule.gamma };
    case "exponential":
      return { op: "exponential", gamma: schedule.gamma };
    case "cosine":
      return { op: "cosine", t_max: schedule.tMax, eta_min: schedule.etaMin };
    case "reduce_on_plateau":
      return { op: "reduce_on_plateau", factor: schedule.factor, patience: schedule.patience, threshold: schedule.threshold, min_lr: schedule.minLr };
  }
}
