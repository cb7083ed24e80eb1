import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where the PyTorch target's tests find PyTorch: Debian's python3-torch (1.13), as test/torch-live.test.ts does. */
export const python = "/usr/bin/python3";
export const torchAvailable = spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs generated scripts in one Python process (test/helpers/pytorch-run-many.py), importing torch once. */
export function runScripts(jobs: readonly { script: string; argv: readonly string[] }[]): ScriptRun[] {
  const result = spawnSync(python, ["test/helpers/pytorch-run-many.py"], { input: JSON.stringify(jobs), encoding: "utf8", maxBuffer: 1 << 28, timeout: 600_000 });
  if (result.status !== 0) throw new Error(`pytorch-run-many.py failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as ScriptRun[];
}

export interface EpochLine {
  readonly epoch: number;
  readonly loss: number;
  readonly lr: number;
  readonly val_loss?: number;
}

/** The epoch objects of a `--log-format json` log. */
export function epochLines(stdout: string): EpochLine[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as EpochLine & { event?: string })
    .filter((line) => line.event === undefined);
}

/** One training setting per optimizer, each with something more (a schedule, warmup, clipping or shuffling). */
export const trainingVariants: readonly { readonly optimizer: string; readonly train: string }[] = [
  { optimizer: "{ op: sgd, lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 0.01 }", train: "clip_grad_norm: 0.5, lr_schedule: { op: step, step_size: 1, gamma: 0.7 }" },
  { optimizer: "{ op: adamw, lr: 0.01, amsgrad: true }", train: "warmup_epochs: 1, lr_schedule: { op: cosine, t_max: 2, eta_min: 0.001 }" },
  { optimizer: "{ op: rmsprop, lr: 0.005, centered: true, momentum: 0.5 }", train: "clip_grad_value: 0.05, shuffle: true" },
  { optimizer: "{ op: adagrad, lr: 0.05, lr_decay: 0.05, weight_decay: 0.01 }", train: "lr_schedule: { op: reduce_on_plateau, factor: 0.5, patience: 0, threshold: 0.5 }" },
  { optimizer: "{ op: adam, lr: 0.01, weight_decay: 0.01 }", train: "lr_schedule: { op: exponential, gamma: 0.8 }, clip_grad_norm: 0.1, clip_grad_value: 0.02" },
];

/**
 * A copy of a case folder (model.yaml, init and data) whose spec trains with another optimizer and training
 * settings: the spec's `optimizer:` line is replaced and `train:` gets the extra keys (and, with `batchSize`, another
 * batch size). The model, init and data stay valid.
 */
export function variantCase(from: string, to: string, name: string, variant: { optimizer: string; train: string }, batchSize?: number): void {
  mkdirSync(to, { recursive: true });
  for (const file of ["init.safetensors", "data.safetensors"]) copyFileSync(join(from, file), join(to, file));
  const lines = readFileSync(join(from, "model.yaml"), "utf8").split("\n");
  const edited = lines.map((line) => {
    if (line.startsWith("name: ")) return `name: ${name}`;
    if (line.startsWith("optimizer: ")) return `optimizer: ${variant.optimizer}`;
    if (!line.startsWith("train: {")) return line;
    const keys = line.slice("train: {".length, line.lastIndexOf("}")).trim();
    const sized = batchSize === undefined ? keys : keys.replace(/batch_size: \d+/, `batch_size: ${batchSize}`);
    return `train: { ${[sized, variant.train].filter((part) => part !== "").join(", ")} }`;
  });
  writeFileSync(join(to, "model.yaml"), edited.join("\n"));
}
