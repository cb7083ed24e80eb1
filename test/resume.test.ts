import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSafetensors, writeSafetensors, type NamedTensor } from "../src/runtime/safetensors.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/**
 * `rnnc train --resume`: a run saved after some epochs and resumed gives bit-identical losses and weights to the run
 * made in one go — with shuffling, dropout, a schedule, momentum, clipping, validation and early stopping — and
 * checkpoints are keyed to the architecture, not to the spec's bytes.
 */

const seattleCsv = join(process.cwd(), "models/data/seattle-weather.csv");

/** Shuffled mini-batches, dropout between layers and as an op, SGD with Nesterov momentum, a step schedule after warmup, clipping. */
const busySpec = `version: 1
name: busy
input:
  x: { shape: [batch, 5, 3], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
  - { id: rec, op: lstm, input: x, hidden_size: 6, num_layers: 2, dropout: 0.3 }
  - { id: last, op: last_step }
  - { id: drop, op: dropout, p: 0.2 }
  - { id: fc, op: linear, out_features: 3 }
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: sgd, lr: 0.1, momentum: 0.9, nesterov: true }
train: { epochs: 6, batch_size: 4, seed: 3, shuffle: true, warmup_epochs: 1, lr_schedule: { op: step, step_size: 2, gamma: 0.5 }, clip_grad_norm: 0.5 }
`;

/** Seattle weather with validation, a plateau schedule and early stopping that happens within the run. */
const plateauSpec = readFileSync("models/seattle-weather.yaml", "utf8")
  .replace("data/seattle-weather.csv", seattleCsv)
  .replace("optimizer: { op: adam, lr: 0.003 }", "optimizer: { op: rmsprop, lr: 0.02, centered: true, momentum: 0.5 }")
  .replace("train: { epochs: 60, batch_size: 32, seed: 0, patience: 10 }", "train: { epochs: 12, batch_size: 32, seed: 0, patience: 3, shuffle: true, lr_schedule: { op: reduce_on_plateau, factor: 0.5, patience: 0 } }");

function dataFile(dir: string): string {
  const count = 10;
  const x = Float32Array.from({ length: count * 5 * 3 }, (_, i) => Math.sin(i * 0.37) + 0.1 * (i % 7));
  const y = Int32Array.from({ length: count }, (_, i) => (i * 7) % 3);
  const tensors: NamedTensor[] = [
    { name: "x", tensor: { dtype: "F32", shape: [count, 5, 3], data: x } },
    { name: "y", tensor: { dtype: "I32", shape: [count], data: y } },
  ];
  const path = join(dir, "data.safetensors");
  writeFileSync(path, writeSafetensors(tensors));
  return path;
}

async function trainJson(argv: string[], dir: string): Promise<{ code: number; epochs: { epoch: number; loss: number; lr: number; val_loss?: number }[]; stdout: string; stderr: string }> {
  const result = await runCli(["train", ...argv, "--log-format", "json", "--allow-external-data"], dir);
  const epochs = result.stdout
    .split("\n")
    .filter((line) => line.startsWith('{"epoch"'))
    .map((line) => JSON.parse(line) as { epoch: number; epochs: number; loss: number; lr: number; val_loss?: number })
    // the number of epochs asked for differs between the runs compared; what each epoch did must not
    .map(({ epochs: _asked, ...epoch }) => epoch);
  return { code: result.code, epochs, stdout: result.stdout, stderr: result.stderr };
}

function tensorsOf(path: string): Map<string, number[]> {
  const file = readSafetensors(readFileSync(path), path).file;
  if (file === undefined) throw new Error(`unreadable ${path}`);
  return new Map([...file.tensors].map(([name, tensor]) => [name, Array.from(tensor.data, Number)]));
}

/** Trains `total` epochs in one go, and `first` then the rest through --resume; both must agree bit for bit. */
async function expectResumeIdentical(spec: string, first: number, total: number, extra: (dir: string) => string[] = () => []) {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "spec.yaml"), spec);
  const args = extra(dir);
  const whole = await trainJson(["spec.yaml", ...args, "--epochs", String(total), "--save", "whole.safetensors"], dir);
  expect(whole.code, whole.stderr).toBe(0);
  const part = await trainJson(["spec.yaml", ...args, "--epochs", String(first), "--save", "part.safetensors"], dir);
  expect(part.code, part.stderr).toBe(0);
  const rest = await trainJson(["spec.yaml", ...args, "--resume", "part.safetensors", "--epochs", String(total), "--save", "rest.safetensors"], dir);
  expect(rest.code, rest.stderr).toBe(0);
  // every epoch's loss, validation loss and learning rate, as exact doubles
  expect([...part.epochs, ...rest.epochs]).toEqual(whole.epochs);
  expect(tensorsOf(join(dir, "rest.safetensors"))).toEqual(tensorsOf(join(dir, "whole.safetensors")));
  return { whole, part, rest, dir };
}

describe("train --resume", () => {
  it("3 + 3 epochs of the seed model equal 6 in one go, to the byte of the checkpoint", async () => {
    const { dir, rest } = await expectResumeIdentical(readFileSync("models/simple-rnn.yaml", "utf8"), 3, 6);
    expect(rest.epochs.map((e) => e.epoch)).toEqual([4, 5, 6]);
    expect(readFileSync(join(dir, "rest.safetensors")).equals(readFileSync(join(dir, "whole.safetensors")))).toBe(true);
  });

  it("with shuffling, dropout, Nesterov momentum, warmup, a step schedule and clipping over several mini-batches", async () => {
    const { whole } = await expectResumeIdentical(busySpec, 3, 6, (dir) => ["--data", dataFile(dir)]);
    // the schedule really moved the learning rate across the resume point
    expect(new Set(whole.epochs.map((e) => e.lr)).size).toBeGreaterThan(2);
  });

  it("with a validation split, a plateau schedule and early stopping, wherever the run is cut", async () => {
    const { whole } = await expectResumeIdentical(plateauSpec, 2, 12);
    expect(whole.stdout).toContain('"event":"early_stop"');
    const stoppedAt = whole.epochs.length;
    expect(stoppedAt).toBeLessThan(12);
    // cut after the run has stopped early: resuming trains nothing more and keeps the same weights
    await expectResumeIdentical(plateauSpec, stoppedAt, 12);
  }, 60_000);
});

describe("train --resume refuses what it cannot continue", () => {
  it("--resume together with --init", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "spec.yaml"), readFileSync("models/simple-rnn.yaml", "utf8"));
    const saved = await trainJson(["spec.yaml", "--epochs", "1", "--save", "a.safetensors"], dir);
    expect(saved.code).toBe(0);
    const both = await runCli(["train", "spec.yaml", "--resume", "a.safetensors", "--init", "a.safetensors"], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/error RNNC0060: `--init` and `--resume` were both given/);
  });

  it("a checkpoint without optimizer state (weights alone, as PyTorch or a diverged run writes them)", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "spec.yaml"), readFileSync("models/simple-rnn.yaml", "utf8"));
    await trainJson(["spec.yaml", "--epochs", "1", "--save", "a.safetensors"], dir);
    const weights = [...tensorsOf(join(dir, "a.safetensors"))].filter(([name]) => !name.startsWith("resume/"));
    const file = readSafetensors(readFileSync(join(dir, "a.safetensors")), "a").file!;
    const tensors: NamedTensor[] = weights.map(([name, data]) => ({ name, tensor: { dtype: "F32", shape: file.tensors.get(name)!.shape, data: Float32Array.from(data) } }));
    writeFileSync(join(dir, "weights.safetensors"), writeSafetensors(tensors));
    const resumed = await runCli(["train", "spec.yaml", "--resume", "weights.safetensors", "--epochs", "3"], dir);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/weights\.safetensors:1:1: error RNNC0150: the checkpoint holds no state to resume from/);
    // --init takes the same file: weights alone are a warm start
    expect((await runCli(["train", "spec.yaml", "--init", "weights.safetensors", "--epochs", "1"], dir)).code).toBe(0);
  });

  it("a checkpoint of another optimizer, of another architecture, or one that has trained the epochs asked for", async () => {
    const dir = temporaryDirectory();
    const seed = readFileSync("models/simple-rnn.yaml", "utf8");
    writeFileSync(join(dir, "spec.yaml"), seed);
    writeFileSync(join(dir, "sgd.yaml"), seed.replace("optimizer: { op: adam, lr: 0.001 }", "optimizer: { op: sgd, lr: 0.01, momentum: 0.9 }"));
    writeFileSync(join(dir, "wider.yaml"), seed.replace("hidden_size: 20", "hidden_size: 24"));
    await trainJson(["spec.yaml", "--epochs", "2", "--save", "a.safetensors"], dir);
    const other = await runCli(["train", "sgd.yaml", "--resume", "a.safetensors", "--epochs", "3"], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/error RNNC0151: the checkpoint's optimizer state \(`m`, `v`\) is not this spec's optimizer's \(`momentumBuffer`\)/);
    const wider = await runCli(["train", "wider.yaml", "--resume", "a.safetensors", "--epochs", "3"], dir);
    expect(wider.code).toBe(2);
    expect(wider.stderr).toMatch(/error RNNC0044: `rnn\.weight_ih_l0` has shape \[20, 10\], but the spec needs \[24, 10\]/);
    const done = await runCli(["train", "spec.yaml", "--resume", "a.safetensors", "--epochs", "2"], dir);
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/error RNNC0060: the run in a\.safetensors has trained 2 epochs already/);
  });
});

describe("checkpoints are keyed to the architecture, not to the spec's bytes", () => {
  it("comments, CRLF line endings, epochs and lr do not matter; a wider layer does, named by tensor and shape", async () => {
    const dir = temporaryDirectory();
    const seed = readFileSync("models/simple-rnn.yaml", "utf8");
    writeFileSync(join(dir, "spec.yaml"), seed);
    await trainJson(["spec.yaml", "--epochs", "1", "--save", "a.safetensors"], dir);
    const cosmetic = `# a comment\n${seed}`.replace("epochs: 10", "epochs: 4").replace("lr: 0.001", "lr: 0.01").replaceAll("\n", "\r\n");
    writeFileSync(join(dir, "edited.yaml"), cosmetic);
    const warm = await trainJson(["edited.yaml", "--init", "a.safetensors", "--epochs", "1"], dir);
    expect(warm.code, warm.stderr).toBe(0);
    const resumed = await trainJson(["edited.yaml", "--resume", "a.safetensors"], dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([2, 3, 4]);
    writeFileSync(join(dir, "deeper.yaml"), seed.replace("hidden_size: 20", "hidden_size: 20\n    num_layers: 2"));
    const deeper = await runCli(["train", "deeper.yaml", "--init", "a.safetensors"], dir);
    expect(deeper.code).toBe(2);
    expect(deeper.stderr).toMatch(/error RNNC0044: the weights have no tensor `rnn\.weight_ih_l1`/);
  });

  it("a file whose fingerprint was removed is foreign: its preprocessing is never used; a forged fingerprint is refused", async () => {
    const dir = temporaryDirectory();
    const spec = readFileSync("models/seattle-weather.yaml", "utf8").replace("data/seattle-weather.csv", seattleCsv).replace("epochs: 60", "epochs: 1");
    writeFileSync(join(dir, "spec.yaml"), spec);
    const trained = await trainJson(["spec.yaml", "--save", "a.safetensors"], dir);
    expect(trained.code, trained.stderr).toBe(0);
    const predicted = await runCli(["predict", "spec.yaml", "--weights", "a.safetensors", "--last", "1", "--allow-external-data"], dir);
    expect(predicted.code, predicted.stderr).toBe(0);
    const rewrite = (name: string, edit: (metadata: Record<string, string>) => void) => {
      const file = readSafetensors(readFileSync(join(dir, "a.safetensors")), "a").file!;
      const metadata = { ...file.metadata };
      edit(metadata);
      const tensors: NamedTensor[] = [...file.tensors].map(([tensorName, tensor]) => ({ name: tensorName, tensor }));
      writeFileSync(join(dir, name), writeSafetensors(tensors, metadata));
    };
    rewrite("foreign.safetensors", (metadata) => delete metadata["architecture_sha256"]);
    const foreign = await runCli(["predict", "spec.yaml", "--weights", "foreign.safetensors", "--allow-external-data"], dir);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/error RNNC0044: these weights carry no rnnc architecture fingerprint, so no preprocessing stored with them is trusted/);
    rewrite("forged.safetensors", (metadata) => (metadata["architecture_sha256"] = "0".repeat(64)));
    const forged = await runCli(["predict", "spec.yaml", "--weights", "forged.safetensors", "--allow-external-data"], dir);
    expect(forged.code).toBe(2);
    expect(forged.stderr).toMatch(/forged\.safetensors:1:9: error RNNC0100: .*`architecture_sha256` does not match the tensors the file holds/);
  });
});
