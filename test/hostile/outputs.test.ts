import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, linkSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "../helpers/cli.ts";

/**
 * `train --save` is checked before the first epoch (issue 13, class 6): `--save spec.yaml` once overwrote the spec
 * with exit 0, and `--save` into a directory or a missing folder failed only after every epoch had run. Each case
 * must exit 2 with its code, print no epoch, and leave every file as it was.
 */

const repo = process.cwd();

/** A project: the seed spec, its fixture data and weights, and a small CSV spec (`csv.yaml` reading `weather.csv`). */
function project(): string {
  const dir = temporaryDirectory();
  copyFileSync(resolve(repo, "test/fixtures/seed/model.yaml"), join(dir, "spec.yaml"));
  copyFileSync(resolve(repo, "test/fixtures/seed/data.safetensors"), join(dir, "data.safetensors"));
  copyFileSync(resolve(repo, "test/fixtures/seed/init.safetensors"), join(dir, "init.safetensors"));
  const weather = readFileSync(resolve(repo, "models/data/seattle-weather.csv"), "utf8");
  writeFileSync(join(dir, "weather.csv"), weather.split("\n").slice(0, 200).join("\n"));
  const csvSpec = readFileSync(resolve(repo, "models/seattle-weather.yaml"), "utf8").replace("data/seattle-weather.csv", "weather.csv");
  writeFileSync(join(dir, "csv.yaml"), csvSpec);
  mkdirSync(join(dir, "runs"));
  writeFileSync(join(dir, "a-file"), "not a folder");
  symlinkSync("spec.yaml", join(dir, "link-to-spec.yaml"));
  linkSync(join(dir, "spec.yaml"), join(dir, "hard-link-to-spec.yaml"));
  symlinkSync("data.safetensors", join(dir, "link-to-data.safetensors"));
  return dir;
}

/** Every file's bytes, by name, to show that a refused run changed nothing. */
function snapshot(dir: string): Map<string, string> {
  return new Map(readdirSync(dir, { recursive: true, encoding: "utf8" }).sort().map((name) => [name, readIfFile(join(dir, name))]));
}

function readIfFile(path: string): string {
  try {
    return readFileSync(path).toString("base64");
  } catch {
    return "(not a file)";
  }
}

interface SaveCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly code: string;
  readonly message: RegExp;
}

const seed = ["spec.yaml", "--data", "data.safetensors", "--init", "init.safetensors", "--epochs", "1"];

const saveCases: readonly SaveCase[] = [
  { name: "the spec itself", args: [...seed, "--save", "spec.yaml"], code: "RNNC0102", message: /spec\.yaml is also the spec/ },
  { name: "the spec as ./spec.yaml", args: [...seed, "--save", "./spec.yaml"], code: "RNNC0102", message: /spec\.yaml is also the spec/ },
  { name: "a symbolic link to the spec", args: [...seed, "--save", "link-to-spec.yaml"], code: "RNNC0102", message: /link-to-spec\.yaml is the same file as the spec spec\.yaml/ },
  { name: "a hard link to the spec", args: [...seed, "--save", "hard-link-to-spec.yaml"], code: "RNNC0102", message: /hard-link-to-spec\.yaml is the same file as the spec spec\.yaml/ },
  { name: "the --data file", args: [...seed, "--save", "data.safetensors"], code: "RNNC0102", message: /is also the --data file/ },
  { name: "a link to the --data file", args: [...seed, "--save", "link-to-data.safetensors"], code: "RNNC0102", message: /is the same file as the --data file data\.safetensors/ },
  { name: "the --init file", args: [...seed, "--save", "init.safetensors"], code: "RNNC0102", message: /is also the --init file/ },
  { name: "the CSV", args: ["csv.yaml", "--epochs", "1", "--save", "weather.csv"], code: "RNNC0102", message: /weather\.csv is also the CSV/ },
  { name: "the CSV's spec", args: ["csv.yaml", "--epochs", "1", "--save", "csv.yaml"], code: "RNNC0102", message: /csv\.yaml is also the spec/ },
  { name: "a directory", args: [...seed, "--save", "runs"], code: "RNNC0004", message: /cannot write runs: it is a directory/ },
  { name: "the working directory", args: [...seed, "--save", "."], code: "RNNC0004", message: /cannot write \.: it is a directory/ },
  { name: "a folder, with a slash", args: [...seed, "--save", "runs/"], code: "RNNC0004", message: /the path ends in a slash/ },
  { name: "a new folder, with a slash (it would have written a file)", args: [...seed, "--save", "new/"], code: "RNNC0004", message: /the path ends in a slash/ },
  { name: "the --data file, with a slash", args: [...seed, "--save", "data.safetensors/"], code: "RNNC0004", message: /the path ends in a slash/ },
  { name: "a file in a missing folder", args: [...seed, "--save", "missing/w.safetensors"], code: "RNNC0004", message: /its folder missing does not exist/ },
  { name: "a file below a file", args: [...seed, "--save", "a-file/w.safetensors"], code: "RNNC0004", message: /a-file is a file, not a folder/ },
  { name: "a file two folders below a file", args: [...seed, "--save", "a-file/runs/w.safetensors"], code: "RNNC0004", message: /a-file is a file, not a folder/ },
  { name: "a character device", args: [...seed, "--save", "/dev/null"], code: "RNNC0004", message: /it is a character device/ },
  { name: "a file name of 256 bytes", args: [...seed, "--save", `${"w".repeat(244)}.safetensors`], code: "RNNC0004", message: /its name is 256 bytes long; file systems allow 255/ },
];

describe.each(saveCases)("--save names $name", ({ args, code, message }) => {
  it(`exits 2 with ${code} before any epoch, and changes nothing`, async () => {
    const dir = project();
    const before = snapshot(dir);
    const result = await runCli(["train", ...args], dir);
    expect(result.stderr).toMatch(new RegExp(`^\\S+:1:1: error ${code}: `, "m"));
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^ {2}hint: .*nothing was changed/m);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("--save that is fine", () => {
  it("writes a new file in an existing folder, and may replace an earlier checkpoint", async () => {
    const dir = project();
    expect((await runCli(["train", ...seed, "--save", "runs/w.safetensors"], dir)).code).toBe(0);
    const first = readFileSync(join(dir, "runs/w.safetensors"));
    expect((await runCli(["train", ...seed, "--epochs", "2", "--save", "runs/w.safetensors"], dir)).code).toBe(0);
    expect(readFileSync(join(dir, "runs/w.safetensors")).equals(first)).toBe(false);
    expect(readdirSync(join(dir, "runs"))).toEqual(["w.safetensors"]);
  });
});

describe("--save of a file that exists but cannot be replaced", () => {
  it("refuses an immutable checkpoint before any epoch (where chattr works: root on ext4, tmpfs, overlayfs)", async (context) => {
    const dir = project();
    writeFileSync(join(dir, "old.safetensors"), "the previous checkpoint");
    if (spawnSync("chattr", ["+i", join(dir, "old.safetensors")]).status !== 0) context.skip();
    try {
      const result = await runCli(["train", ...seed, "--save", "old.safetensors"], dir);
      expect(result.stderr).toMatch(/^old\.safetensors:1:1: error RNNC0004: cannot write old\.safetensors: the file is protected/m);
      expect(result.stdout).toBe("");
      expect(result.code).toBe(2);
    } finally {
      spawnSync("chattr", ["-i", join(dir, "old.safetensors")]);
    }
  });

  it("refuses another user's checkpoint in a sticky folder such as /tmp, before any epoch (run as nobody where possible)", (context) => {
    if (process.geteuid?.() !== 0 || spawnSync("setpriv", ["--version"]).status !== 0) context.skip();
    const dir = project();
    chmodSync(dir, 0o755);
    for (const name of ["spec.yaml", "data.safetensors", "init.safetensors"]) chmodSync(join(dir, name), 0o644);
    mkdirSync(join(dir, "shared"));
    chmodSync(join(dir, "shared"), 0o1777);
    writeFileSync(join(dir, "shared/w.safetensors"), "root's checkpoint", { mode: 0o666 });
    const bin = resolve(repo, "bin/rnnc.js");
    const result = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, bin, "train", ...seed, "--save", "shared/w.safetensors"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).toMatch(/^shared\/w\.safetensors:1:1: error RNNC0004: .*belongs to another user/m);
    expect(result.stdout).toBe("");
    expect(result.status).toBe(2);
    expect(readFileSync(join(dir, "shared/w.safetensors"), "utf8")).toBe("root's checkpoint");
  });
});

describe("--save with a long but legal name", () => {
  it("writes a 255-byte file name: the temporary file beside it gets a shorter name", async () => {
    const dir = project();
    const name = `${"w".repeat(243)}.safetensors`;
    const result = await runCli(["train", ...seed, "--save", name, "--quiet"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readdirSync(dir).filter((file) => file.startsWith(".rnnc-tmp-") || file === name)).toEqual([name]);
  });
});

describe("compile --check", () => {
  it("says a generated path that is a named pipe is not a readable file (not 'missing'), without blocking on it", async () => {
    const dir = project();
    mkdirSync(join(dir, "gen"));
    spawnSync("mkfifo", [join(dir, "gen/seed.ts")]); // the seed spec is `name: seed`
    const result = await runCli(["compile", "spec.yaml", "--out-dir", "gen", "--check"], dir);
    expect(result.stderr).toMatch(/^gen\/seed\.ts: not a readable file/m);
    expect(result.code).toBe(1);
  });
});

describe("compile", () => {
  it("refuses to write a generated module over its own spec", async () => {
    const dir = project();
    copyFileSync(join(dir, "spec.yaml"), join(dir, "seed.ts")); // a YAML spec that happens to end in .ts
    const named = readFileSync(join(dir, "seed.ts"), "utf8").replace(/^name: .*$/m, "name: seed");
    writeFileSync(join(dir, "seed.ts"), named);
    const result = await runCli(["compile", "seed.ts", "--out-dir", "."], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^seed\.ts:1:1: error RNNC0102: seed\.ts is also the spec/m);
    expect(readFileSync(join(dir, "seed.ts"), "utf8")).toBe(named);
  });
});
