import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readSafetensors } from "../src/runtime/safetensors.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

const repo = process.cwd();
const seedSpec = resolve(repo, "models/simple-rnn.yaml");

/** A scratch project (a package.json marks its root) with the seed spec at models/simple-rnn.yaml. */
function project(): string {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "package.json"), "{}\n");
  mkdirSync(join(dir, "models"));
  copyFileSync(seedSpec, join(dir, "models/simple-rnn.yaml"));
  return dir;
}

describe("rnnc compile", () => {
  it("writes generated/<name>.ts, identical to the checked-in file", async () => {
    const dir = project();
    const result = await runCli(["compile", "models/simple-rnn.yaml"], dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(dir, "generated/simple-rnn.ts"), "utf8")).toBe(readFileSync(resolve(repo, "generated/simple-rnn.ts"), "utf8"));
  });

  it("--check passes on fresh output, fails with exit 1 naming stale and missing files, and writes nothing", async () => {
    const dir = project();
    expect((await runCli(["compile", "--check", "models/simple-rnn.yaml"], dir)).code).toBe(1);
    expect(existsSync(join(dir, "generated"))).toBe(false);

    await runCli(["compile", "models/simple-rnn.yaml"], dir);
    const fresh = await runCli(["compile", "--check", "models/simple-rnn.yaml"], dir);
    expect(fresh.code).toBe(0);

    const out = join(dir, "generated/simple-rnn.ts");
    writeFileSync(out, `${readFileSync(out, "utf8")}// edited by hand\n`);
    const stale = await runCli(["compile", "--check", "models/simple-rnn.yaml"], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("generated/simple-rnn.ts: stale");
    expect(readFileSync(out, "utf8")).toContain("// edited by hand");
  });

  it("--out-dir chooses where the module goes", async () => {
    const dir = project();
    expect((await runCli(["compile", "models/simple-rnn.yaml", "--out-dir", "src/models"], dir)).code).toBe(0);
    expect(existsSync(join(dir, "src/models/simple-rnn.ts"))).toBe(true);
  });

  it("on a bad spec exits 2 with a positioned diagnostic, and leaves the earlier generated file byte-identical", async () => {
    const dir = project();
    await runCli(["compile", "models/simple-rnn.yaml"], dir);
    const before = readFileSync(join(dir, "generated/simple-rnn.ts"));
    const spec = join(dir, "models/simple-rnn.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("hidden_size: 20", "hiden_size: 20"));
    const result = await runCli(["compile", "models/simple-rnn.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("RNNC0011");
    expect(result.stderr).toMatch(/^models\/simple-rnn\.yaml:13:5: error RNNC0010: unknown key `hiden_size`/m);
    expect(result.stderr).toContain("did you mean `hidden_size`?");
    expect(readFileSync(join(dir, "generated/simple-rnn.ts"))).toEqual(before);
    expect(readdirSync(join(dir, "generated"))).toEqual(["simple-rnn.ts"]);
  });

  it("a missing spec file is a diagnostic, not a crash", async () => {
    const result = await runCli(["compile", "models/nope.yaml"], temporaryDirectory());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^models\/nope\.yaml:1:1: error RNNC0001: cannot read models\/nope\.yaml: no such file/);
  });

  it("--diagnostics json prints machine-readable diagnostics", async () => {
    const dir = project();
    writeFileSync(join(dir, "models/bad.yaml"), "version: 1\nname: bad\n");
    const result = await runCli(["compile", "models/bad.yaml", "--diagnostics", "json"], dir);
    expect(result.code).toBe(2);
    const parsed = JSON.parse(result.stderr) as { code: string; line: number }[];
    expect(parsed.map((d) => d.code)).toEqual(["RNNC0011", "RNNC0011", "RNNC0011", "RNNC0011"]);
  });

  it("an --out-dir that cannot be written is RNNC0004 with exit 2, not a crash", async () => {
    const dir = project();
    writeFileSync(join(dir, "blocker"), "a file where a directory should be");
    const result = await runCli(["compile", "models/simple-rnn.yaml", "--out-dir", "blocker/out"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^blocker\/out\/simple-rnn\.ts:1:1: error RNNC0004: cannot write/m);
    expect(readdirSync(dir).sort()).toEqual(["blocker", "models", "package.json"]);
  });

  it("two specs that would write the same file are refused before anything is written", async () => {
    const dir = project();
    copyFileSync(join(dir, "models/simple-rnn.yaml"), join(dir, "models/copy.yaml"));
    const result = await runCli(["compile", "models/simple-rnn.yaml", "models/copy.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("both generate generated/simple-rnn.ts");
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });

  it("unknown flags are usage errors with exit 2", async () => {
    expect((await runCli(["compile", "--nope", "models/simple-rnn.yaml"])).code).toBe(2);
  });
});

describe("rnnc train", () => {
  it("prints the seed's log line format, loss starting near ln 5 and falling every epoch", async () => {
    const result = await runCli(["train", "models/simple-rnn.yaml"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(10);
    const losses = lines.map((line, i) => {
      const match = new RegExp(`^Epoch \\[${i + 1}/10\\], Loss: (\\d\\.\\d{4})$`).exec(line);
      expect(match, line).not.toBeNull();
      return Number(match?.[1]);
    });
    expect(Math.abs(losses[0]! - Math.log(5))).toBeLessThan(0.15);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]!);
  });

  it("--log-format json prints one object per epoch at full precision; --epochs overrides the spec", async () => {
    const result = await runCli(["train", "models/simple-rnn.yaml", "--log-format", "json", "--epochs", "3"]);
    const records = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { epoch: number; epochs: number; loss: number });
    expect(records.map((r) => [r.epoch, r.epochs])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(String(records[0]?.loss).length).toBeGreaterThan(8);
  });

  it("is reproducible: same spec and seed give identical losses", async () => {
    const first = await runCli(["train", "models/simple-rnn.yaml", "--log-format", "json"]);
    const second = await runCli(["train", "models/simple-rnn.yaml", "--log-format", "json"]);
    expect(first.stdout).toBe(second.stdout);
  });

  it("--save writes state_dict-named F32 safetensors that --init resumes from", async () => {
    const dir = temporaryDirectory();
    const saved = join(dir, "w.safetensors");
    expect((await runCli(["train", seedSpec, "--epochs", "2", "--save", saved])).code).toBe(0);
    const file = readSafetensors(new Uint8Array(readFileSync(saved)), saved).file;
    // the state_dict first, then what --resume needs (resume-state.ts): the last weights and Adam's moments
    expect([...(file?.tensors.keys() ?? [])]).toEqual(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias", "resume/parameters", "resume/optimizer/m", "resume/optimizer/v"]);
    expect(file?.tensors.get("rnn.weight_ih_l0")).toMatchObject({ dtype: "F32", shape: [20, 10] });
    expect(file?.metadata["architecture_sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(file?.metadata["spec_sha256"]).toMatch(/^[0-9a-f]{64}$/);

    const resumed = await runCli(["train", seedSpec, "--epochs", "1", "--init", saved, "--log-format", "json"]);
    expect(resumed.code).toBe(0);
  });

  it("--save to an unwritable path is RNNC0004 with exit 2", async () => {
    const dir = temporaryDirectory();
    mkdirSync(join(dir, "w.safetensors"));
    const result = await runCli(["train", seedSpec, "--epochs", "1", "--save", join(dir, "w.safetensors")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error RNNC0004: cannot write");
  });

  it("trains the fixture data from --init/--data exactly as PyTorch did (seed case)", async () => {
    const result = await runCli([
      "train",
      "test/fixtures/seed/model.yaml",
      "--init",
      "test/fixtures/seed/init.safetensors",
      "--data",
      "test/fixtures/seed/data.safetensors",
      "--log-format",
      "json",
    ]);
    const expected = JSON.parse(readFileSync("test/fixtures/seed/expected.json", "utf8")) as { losses: number[] };
    const losses = result.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { loss: number }).loss);
    losses.forEach((loss, i) => expect(Math.abs(loss - expected.losses[i]!)).toBeLessThan(1e-4));
  });
});

describe("the installed bins", () => {
  it("`compile --check` over models/ passes (what CI runs)", () => {
    const output = execFileSync("node", ["bin/compile.js", "--check", ...readdirSync("models").filter((f) => f.endsWith(".yaml")).map((f) => `models/${f}`)], { encoding: "utf8" });
    expect(output).toMatch(/up to date/);
  });

  it("a bad spec exits 2 with no stack trace", () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "bad.yaml"), "version: 1\nname: [unclosed\n");
    const result = spawnSync("node", [resolve(repo, "bin/rnnc.js"), "compile", "bad.yaml"], { cwd: dir, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^bad\.yaml:\d+:\d+: error RNNC0002: YAML syntax error/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("train.shuffle", () => {
  it("reorders the samples every epoch, reproducibly from the seed; off by default", async () => {
    const dir = temporaryDirectory();
    const fixture = "test/fixtures/odd-relu"; // 10 samples in batches of 4
    const spec = readFileSync(`${fixture}/model.yaml`, "utf8");
    writeFileSync(join(dir, "shuffled.yaml"), spec.replace("seed: 0 }", "seed: 0, shuffle: true }"));
    const args = ["--init", resolve(`${fixture}/init.safetensors`), "--data", resolve(`${fixture}/data.safetensors`), "--log-format", "json"];
    const losses = async (path: string) => (await runCli(["train", path, ...args])).stdout.trim().split("\n").map((line) => (JSON.parse(line) as { loss: number }).loss);
    const inOrder = await losses(resolve(`${fixture}/model.yaml`));
    const shuffled = await losses(join(dir, "shuffled.yaml"));
    expect(shuffled).toHaveLength(inOrder.length);
    expect(shuffled).not.toEqual(inOrder);
    expect(await losses(join(dir, "shuffled.yaml"))).toEqual(shuffled);
  });
});

describe("training that diverges", () => {
  it("stops with RNNC0050 naming epoch, step and what went non-finite, exits 2, and saves the last finite weights", async () => {
    const { writeSafetensors } = await import("../src/runtime/safetensors.ts");
    const dir = temporaryDirectory();
    writeFileSync(
      join(dir, "blowup.yaml"),
      readFileSync(seedSpec, "utf8").replace("hidden_size: 20", "hidden_size: 20\n    nonlinearity: relu").replace("lr: 0.001", "lr: 10"),
    );
    const x = Float32Array.from({ length: 16 * 7 * 10 }, (_, i) => (i % 3 === 0 ? -3e38 : 3e38));
    const y = Int32Array.from({ length: 16 }, (_, i) => i % 5);
    writeFileSync(
      join(dir, "data.safetensors"),
      writeSafetensors([
        { name: "x", tensor: { dtype: "F32", shape: [16, 7, 10], data: x } },
        { name: "y", tensor: { dtype: "I32", shape: [16], data: y } },
      ]),
    );
    const result = await runCli(["train", "blowup.yaml", "--data", "data.safetensors", "--save", "w.safetensors"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^blowup\.yaml:1:1: error RNNC0050: training diverged at epoch 1, step 1: the output of `rnn` \(element \d+\) is not finite/m);
    const saved = readSafetensors(new Uint8Array(readFileSync(join(dir, "w.safetensors"))), "w").file;
    for (const tensor of saved?.tensors.values() ?? []) expect([...(tensor.data as Float32Array)].every(Number.isFinite)).toBe(true);
    expect(saved?.tensors.size).toBe(6);
  });
});
