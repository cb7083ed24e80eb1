import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";
import { readExpected, readTensors } from "./helpers/parity.ts";
import { epochLines, python, runScripts, torchAvailable, trainingVariants, variantCase, type EpochLine, type ScriptRun } from "./helpers/pytorch-cases.ts";

/**
 * `compile --target pytorch`: the generated script, from the same init and data, must print the per-epoch losses
 * (and learning rates) that `rnnc train --log-format json` prints, within 1e-4: on every committed fixture, on fresh
 * random cases from tools/torch_fixtures.py (also checked against the PyTorch run that wrote them), and on those
 * cases retrained with every optimizer, schedules, warmup, clipping and shuffling. Two processes under torchrun (gloo)
 * must print what one prints; saved weights must load into rnnc. Without torch in /usr/bin/python3 the parity tests
 * report themselves skipped (the compiler-side tests still run). RNNC_PYTORCH_RANDOM sets how many random cases
 * (default 6), RNNC_PYTORCH_SEED which (default 7).
 */
const randomCount = Number(process.env["RNNC_PYTORCH_RANDOM"] ?? 6);
const randomSeed = Number(process.env["RNNC_PYTORCH_SEED"] ?? 7);
const fixtures = join(process.cwd(), "test", "fixtures");
const tolerance = 1e-4;

interface Case {
  readonly name: string;
  readonly dir: string;
  /** PyTorch's own losses for this case (tools/torch_fixtures.py), when its spec is the one PyTorch trained. */
  readonly expected?: readonly number[];
}

if (!torchAvailable) console.log(`pytorch-target: parity skipped, ${python} cannot import torch (apt-get install python3-torch to run it)`);

describe("compile --target pytorch (compiler side)", () => {
  const dir = temporaryDirectory();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes <name>.py, byte-identical from run to run and from any working directory", async () => {
    const first = await runCli(["compile", "--target", "pytorch", "--out-dir", join(dir, "a"), "models/simple-rnn.yaml"]);
    expect(first.code).toBe(0);
    const again = await runCli(["compile", "--target", "pytorch", "--out-dir", join(dir, "b"), join(process.cwd(), "models/simple-rnn.yaml")], "/");
    expect(again.code).toBe(0);
    const text = readFileSync(join(dir, "a", "simple-rnn.py"), "utf8");
    expect(readFileSync(join(dir, "b", "simple-rnn.py"), "utf8")).toBe(text);
    expect(text).toContain("self.rnn = nn.RNN(10, 20, batch_first=True)");
    expect(readdirSync(join(dir, "a"))).toEqual(["simple-rnn.py"]);
  });

  it("refuses an unknown --target with RNNC0191 and exit 2, writing nothing", async () => {
    const result = await runCli(["compile", "--target", "onnx", "--out-dir", join(dir, "c"), "models/simple-rnn.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error RNNC0191: unknown --target `onnx`");
    expect(result.stderr).toContain("valid targets: `training`, `inference`, `pytorch`");
    expect(existsSync(join(dir, "c"))).toBe(false);
  });

  it("compile --check also compares a <name>.py that exists beside the module, and finds it stale", async () => {
    const out = join(dir, "d");
    expect((await runCli(["compile", "--out-dir", out, "models/simple-rnn.yaml"])).code).toBe(0);
    expect((await runCli(["compile", "--check", "--out-dir", out, "models/simple-rnn.yaml"])).stdout).toContain("1 generated file is up to date");
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", out, "models/simple-rnn.yaml"])).code).toBe(0);
    expect((await runCli(["compile", "--check", "--out-dir", out, "models/simple-rnn.yaml"])).stdout).toContain("2 generated files are up to date");
    writeFileSync(join(out, "simple-rnn.py"), `${readFileSync(join(out, "simple-rnn.py"), "utf8")}# edited\n`);
    const stale = await runCli(["compile", "--check", "--out-dir", out, "models/simple-rnn.yaml"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("simple-rnn.py: stale");
  });

  it("the committed generated/simple-rnn.py is the script the spec produces now", async () => {
    const result = await runCli(["compile", "--target", "pytorch", "--check", "models/simple-rnn.yaml"]);
    expect(result.code).toBe(0);
  });
});

describe.skipIf(!torchAvailable)("compile --target pytorch trains as rnnc train does", () => {
  const root = temporaryDirectory();
  const cases: Case[] = [];
  const python = new Map<string, ScriptRun>();
  const scripts = new Map<string, string>();

  beforeAll(async () => {
    for (const name of readdirSync(fixtures).sort()) cases.push({ name, dir: join(fixtures, name), expected: readExpected(join(fixtures, name)).losses });
    const random = join(root, "random");
    execFileSync(python_, ["tools/torch_fixtures.py", "--random", String(randomCount), "--seed", String(randomSeed), "--out", random], { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
    readdirSync(random).sort().forEach((name, index) => {
      cases.push({ name, dir: join(random, name), expected: readExpected(join(random, name)).losses });
      const variant = trainingVariants[index % trainingVariants.length]!;
      const variantName = `${name}-${variant.optimizer.split(",")[0]!.replace(/[^a-z]/g, "").slice(2)}`;
      variantCase(join(random, name), join(root, "variants", variantName), variantName, variant);
      cases.push({ name: variantName, dir: join(root, "variants", variantName) });
    });
    for (const { name, dir } of cases) {
      const result = await runCli(["compile", "--target", "pytorch", "--out-dir", join(root, "scripts"), join(dir, "model.yaml")]);
      if (result.code !== 0) throw new Error(`${name}: ${result.stderr}`);
      const specName = /^name: (.*)$/m.exec(readFileSync(join(dir, "model.yaml"), "utf8"))![1]!;
      scripts.set(name, join(root, "scripts", `${specName}.py`));
    }
    const runs = runScripts(cases.map(({ name, dir }) => ({ script: scripts.get(name)!, argv: ["train", ...trainArgs(dir, join(root, `${name}.py.safetensors`))] })));
    cases.forEach(({ name }, index) => python.set(name, runs[index]!));
  }, 600_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("has committed fixtures, random cases and a variant per random case", () => {
    expect(cases.length).toBe(readdirSync(fixtures).length + 2 * randomCount);
    const optimizers = new Set(cases.map(({ dir }) => /optimizer: \{ op: (\w+)/.exec(readFileSync(join(dir, "model.yaml"), "utf8"))?.[1]));
    expect([...optimizers].sort()).toEqual(["adagrad", "adam", "adamw", "rmsprop", "sgd"]);
  });

  it.each([...Array(readdirSync(fixtures).length + 2 * randomCount).keys()])("case %i: the script's losses equal rnnc train's", async (index) => {
    const { name, dir, expected } = cases[index]!;
    const run = python.get(name)!;
    expect(run.stderr, name).toBe("");
    expect(run.code, name).toBe(0);
    const ours = epochLines(run.stdout);
    const rnnc = await runCli(["train", join(dir, "model.yaml"), ...trainArgs(dir, join(root, `${name}.rnnc.safetensors`))]);
    expect(rnnc.code, rnnc.stderr).toBe(0);
    const reference = epochLines(rnnc.stdout);
    expect(ours.length, name).toBe(reference.length);
    const worst = ours.reduce((max, line, i) => Math.max(max, Math.abs(line.loss - reference[i]!.loss)), 0);
    console.log(`${name}: ${ours.length} epochs, losses within ${worst.toExponential(1)} of rnnc train`);
    ours.forEach((line: EpochLine, i) => {
      expect(Math.abs(line.loss - reference[i]!.loss), `${name} epoch ${i + 1}`).toBeLessThanOrEqual(tolerance);
      expect(line.lr, `${name} epoch ${i + 1} lr`).toBeCloseTo(reference[i]!.lr, 12);
      if (expected !== undefined) expect(Math.abs(line.loss - expected[i]!), `${name} epoch ${i + 1} vs PyTorch's loop`).toBeLessThanOrEqual(tolerance);
    });
    // the script's checkpoint is rnnc's: the same names, shapes and metadata keys, the spec's hash; rnnc trains on from it
    const saved = readTensors(join(root, `${name}.py.safetensors`));
    const rnncSaved = readTensors(join(root, `${name}.rnnc.safetensors`));
    // … but for what only rnnc's own trainer can resume from (resume/… tensors and metadata)
    expect([...saved.tensors.keys()]).toEqual([...rnncSaved.tensors.keys()].filter((key) => !key.startsWith("resume/")));
    expect(Object.keys(saved.metadata).sort()).toEqual(Object.keys(rnncSaved.metadata).filter((key) => key !== "resume").sort());
    expect(saved.metadata["spec_sha256"]).toBe(rnncSaved.metadata["spec_sha256"]);
    expect(saved.metadata["architecture_sha256"]).toBe(rnncSaved.metadata["architecture_sha256"]);
    if (index % 8 !== 0) return;
    const resumed = await runCli(["train", join(dir, "model.yaml"), "--init", join(root, `${name}.py.safetensors`), "--data", join(dir, "data.safetensors"), "--epochs", "1"]);
    expect(resumed.code, resumed.stderr).toBe(0);
  });
});

describe.skipIf(!torchAvailable)("the PyTorch target's own runs", () => {
  const root = temporaryDirectory();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /**
   * Two gloo processes on this machine: each takes its share of every global mini-batch, so its log is the
   * single-process one. The cases: per-step targets with ignore_index and packed lengths, a global batch of 13 then 1
   * (one process gets no sample), clipping, a schedule, Nesterov; and a spec with an untrained branch
   * (find_unused_parameters), shuffling and the seed's dummy data from PyTorch's default init. Each runs twice: the
   * ranks started with torchrun's environment (the DDP path alone), and under torchrun itself. Both once deadlocked
   * at exit now and then (PyTorch 1.13 joins gloo's threads holding the GIL: Run.finish in the script).
   */
  it("two processes under torchrun print what one process prints", async () => {
    variantCase(join(fixtures, "char-lm-packed-ignore-1"), join(root, "ddp"), "ddp-case", trainingVariants[0]!, 13);
    writeFileSync(join(root, "dead.yaml"), deadBranchSpec);
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", root, join(root, "ddp", "model.yaml"), join(root, "dead.yaml")])).code).toBe(0);
    const runs = [
      { script: join(root, "ddp-case.py"), argv: ["train", "--init", join(root, "ddp", "init.safetensors"), "--data", join(root, "ddp", "data.safetensors"), "--log-format", "json"] },
      { script: join(root, "dead-branch.py"), argv: ["train", "--log-format", "json"] },
    ];
    const single = runScripts(runs);
    for (const [index, run] of runs.entries()) {
      const one = epochLines(single[index]!.stdout);
      expect(one.length).toBeGreaterThan(0);
      for (const launch of [twoRanks, torchrun]) {
        const save = join(root, `ddp-${index}-${launch.name}.safetensors`);
        const two = await launch(run.script, [...run.argv, "--save", save]);
        expect(two.status, `${launch.name}: ${two.stderr}`).toBe(0);
        const lines = epochLines(two.stdout.replace(/^\[default0\]:/gm, ""));
        expect(lines.length).toBe(one.length);
        lines.forEach((line, i) => {
          expect(Math.abs(line.loss - one[i]!.loss)).toBeLessThanOrEqual(1e-5);
          expect(line.lr).toBe(one[i]!.lr);
        });
        expect(existsSync(save)).toBe(true);
        console.log(`${launch.name} 2 × ${run.script.split("/").pop()}: ${lines.length} epochs, within ${Math.max(...lines.map((line, i) => Math.abs(line.loss - one[i]!.loss))).toExponential(1)} of one process`);
      }
    }
  }, 300_000);

  it("without --data, trains on rnnc's dummy data: from the same init, rnnc train's losses", async () => {
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", root, "models/simple-rnn.yaml"])).code).toBe(0);
    const init = join(fixtures, "seed", "init.safetensors");
    const [run] = runScripts([{ script: join(root, "simple-rnn.py"), argv: ["train", "--init", init, "--log-format", "json"] }]);
    const rnnc = await runCli(["train", "models/simple-rnn.yaml", "--init", init, "--log-format", "json"]);
    const reference = epochLines(rnnc.stdout);
    const ours = epochLines(run!.stdout);
    expect(ours.length).toBe(10);
    ours.forEach((line, i) => expect(Math.abs(line.loss - reference[i]!.loss)).toBeLessThanOrEqual(tolerance));
  });

  it("prints the same text lines as rnnc train", async () => {
    const init = join(fixtures, "seed", "init.safetensors");
    const [run] = runScripts([{ script: "generated/simple-rnn.py", argv: ["train", "--init", init, "--epochs", "3"] }]);
    const rnnc = await runCli(["train", "models/simple-rnn.yaml", "--init", init, "--epochs", "3"]);
    expect(run!.stdout).toBe(rnnc.stdout);
    expect(run!.stdout).toMatch(/^Epoch \[1\/3\], Loss: \d\.\d{4}\n/);
  });

  it("ids that are Python keywords, nn.Module methods or the script's own names still train, under their state_dict names", async () => {
    writeFileSync(join(root, "hygiene.yaml"), hygieneSpec);
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", root, join(root, "hygiene.yaml")])).code).toBe(0);
    const save = join(root, "hygiene.safetensors");
    const [run] = runScripts([{ script: join(root, "hygiene.py"), argv: ["train", "--save", save] }]);
    expect(run!.stderr).toBe("");
    expect(run!.stdout).toMatch(/^Epoch \[1\/2\], Loss: \d+\.\d{4}\nEpoch \[2\/2\]/);
    expect([...readTensors(save).tensors.keys()]).toEqual(["lambda.weight_ih_l0", "lambda.weight_hh_l0", "lambda.bias_ih_l0", "lambda.bias_hh_l0", "train.weight", "train.bias", "len.weight", "len.bias"]);
    expect((await runCli(["train", join(root, "hygiene.yaml"), "--init", save, "--epochs", "1"])).code).toBe(0);
  });

  it("without torch, the script says so with RNNC0190 and exits 2", () => {
    // -S: no site-packages, where Debian's torch lives
    const result = spawnSync(python, ["-S", "generated/simple-rnn.py", "train"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^generated\/simple-rnn\.py:1:1: error RNNC0190: this script needs PyTorch/);
    expect(result.stderr).toContain("hint: install PyTorch");
  });

  it("refuses weights of another architecture (RNNC0044) and bad data (RNNC0041), exit 2, no traceback", async () => {
    const other = join(root, "other.safetensors");
    // a script of another architecture: the packed character LM fixture's
    expect((await runCli(["compile", "--target", "pytorch", "--out-dir", join(root, "other"), join(fixtures, "char-lm-packed-ignore-1", "model.yaml")])).code).toBe(0);
    const otherScript = readdirSync(join(root, "other")).find((name) => name.endsWith(".py"))!;
    const [trained, refused, badData] = runScripts([
      { script: "generated/simple-rnn.py", argv: ["train", "--epochs", "1", "--save", other] },
      { script: join(root, "other", otherScript), argv: ["train", "--init", other] },
      { script: "generated/simple-rnn.py", argv: ["train", "--data", join(fixtures, "gru-1", "data.safetensors")] },
    ]);
    expect(trained!.code).toBe(0);
    expect(refused!.code).toBe(2);
    expect(refused!.stderr).toMatch(/error RNNC0044: the weights have no tensor '\w+\.weight\w*'/);
    expect(badData!.code).toBe(2);
    expect(badData!.stderr).toMatch(/error RNNC0041: 'x' has shape \[10, 6, 5\], but the spec says \[N, 7, 10\]/);
    expect(`${refused!.stderr}${badData!.stderr}`).not.toContain("Traceback");
  });
});

const hygieneSpec = `version: 1
name: hygiene
input:
  self: { shape: [batch, 4, 3], dtype: float32 }
  torch: { shape: [batch], dtype: int32 }
graph:
  - { id: lambda, op: lstm, input: self, hidden_size: 5 }
  - { id: gelu, op: relu }
  - { id: recurrent, op: gelu }
  - { id: train, op: linear, out_features: 4 }
  - { id: forward, op: mean_pool }
  - { id: len, op: linear, out_features: 3 }
loss: { op: cross_entropy, input: len, target: torch }
optimizer: { op: rmsprop }
train: { epochs: 2, batch_size: 3, seed: 1 }
`;

const deadBranchSpec = `version: 1
name: dead-branch
input:
  x: { shape: [batch, 5, 3], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
  - { id: rnn, op: gru, input: x, hidden_size: 6 }
  - { id: side, op: linear, input: rnn, out_features: 2 }   # not on the loss's path
  - { id: last, op: last_step, input: rnn }
  - { id: fc, op: linear, out_features: 3 }
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: adam, lr: 0.01 }
train: { epochs: 3, batch_size: 4, seed: 0, shuffle: true }
`;

interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A child process's exit and output; killed after 120 s (a hung rank fails the test instead of stalling it). */
function finished(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((done) => {
    const child = spawn(python, args, { env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_CORETYPE: "Sandybridge", ...env }, timeout: 120_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

/**
 * Two ranks of the script with the environment torchrun gives each worker (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
 * MASTER_PORT): the DDP path alone, without torchrun's elastic agent.
 */
async function twoRanks(script: string, argv: readonly string[]): Promise<Finished> {
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const rank = (index: number) =>
    finished([script, ...argv], { RANK: String(index), LOCAL_RANK: String(index), WORLD_SIZE: "2", LOCAL_WORLD_SIZE: "2", MASTER_ADDR: "127.0.0.1", MASTER_PORT: port });
  const [first, second] = await Promise.all([rank(0), rank(1)]);
  return { status: first.status === 0 ? second.status : first.status, stdout: first.stdout, stderr: `${first.stderr}${second.stderr}` };
}

/**
 * torchrun itself. Debian's (PyTorch 1.13 on Python 3.11) fails on its default --redirects 0 (Python 3.11 no longer
 * iterates a Flag's zero member), so output is redirected and teed: rank 0's lines come prefixed with [default0]:.
 */
function torchrun(script: string, argv: readonly string[]): Promise<Finished> {
  return finished(["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--redirects", "1", "--tee", "1", script, ...argv], {});
}

const python_ = python;

function trainArgs(dir: string, save: string): string[] {
  return ["--init", join(dir, "init.safetensors"), "--data", join(dir, "data.safetensors"), "--log-format", "json", "--save", save];
}

