import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renameAll } from "../../src/cli/atomic-write.ts";
import { saveCheckpoint } from "../../src/cli/checkpoint.ts";
import { loadSpec } from "../../src/cli/load-spec.ts";
import { runCli, temporaryDirectory } from "../helpers/cli.ts";

/**
 * Writes that fail half-way (issue 13, classes 8 and 10): `compile` of several specs writes every file or none, so
 * its "nothing was changed" is true; an output path through a file is worded, never a raw EEXIST or ENOTDIR; and
 * `--save` never writes weights that are not finite.
 */

const seed = readFileSync(resolve("models/simple-rnn.yaml"), "utf8");

/** A project with specs `a.yaml` and `b.yaml` (models `a` and `b`). */
function twoSpecs(): string {
  const dir = temporaryDirectory();
  writeFileSync(join(dir, "a.yaml"), seed.replace("name: simple-rnn", "name: a"));
  writeFileSync(join(dir, "b.yaml"), seed.replace("name: simple-rnn", "name: b"));
  return dir;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith(".rnnc-tmp-"));

describe("compile of several specs", () => {
  it("writes nothing when one output cannot be written, though the other could (it once replaced a.ts)", async () => {
    const dir = twoSpecs();
    mkdirSync(join(dir, "generated/b.ts"), { recursive: true });
    writeFileSync(join(dir, "generated/a.ts"), "// the previous a.ts\n");
    const result = await runCli(["compile", "a.yaml", "b.yaml"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^generated\/b\.ts:1:1: error RNNC0004: cannot write generated\/b\.ts: it is a directory\n {2}hint: .*nothing was changed/m);
    expect(result.stdout).toBe("");
    expect(readFileSync(join(dir, "generated/a.ts"), "utf8")).toBe("// the previous a.ts\n");
    expect(leftovers(join(dir, "generated"))).toEqual([]);
  });

  it("writes both when both can be written", async () => {
    const dir = twoSpecs();
    const result = await runCli(["compile", "a.yaml", "b.yaml"], dir);
    expect(result).toMatchObject({ code: 0, stdout: "wrote generated/a.ts\nwrote generated/b.ts\n" });
    expect(readdirSync(join(dir, "generated")).sort()).toEqual(["a.ts", "b.ts"]);
  });

  it("reports an --out-dir that is a file in words (it was a raw EEXIST), and creates nothing", async () => {
    const dir = twoSpecs();
    writeFileSync(join(dir, "out"), "a file");
    const result = await runCli(["compile", "a.yaml", "b.yaml", "--out-dir", "out"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^out\/a\.ts:1:1: error RNNC0004: cannot write out\/a\.ts: out is a file, not a folder$/m);
    expect(result.stderr).not.toMatch(/EEXIST|ENOTDIR/);
    expect(readFileSync(join(dir, "out"), "utf8")).toBe("a file");
  });

  it("reports an --out-dir below a file in words (it was a raw ENOTDIR)", async () => {
    const dir = twoSpecs();
    writeFileSync(join(dir, "out"), "a file");
    const result = await runCli(["compile", "a.yaml", "--out-dir", "out/deeper/still"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error RNNC0004: cannot write out\/deeper\/still\/a\.ts: a part of the path is a file, not a folder/);
    expect(result.stderr).not.toMatch(/EEXIST|ENOTDIR/);
  });
});

describe("renaming several files into place", () => {
  it("puts back what the earlier renames replaced when a later one fails", () => {
    const dir = temporaryDirectory();
    const targets = ["one.ts", "two.ts", "three.ts"].map((name) => ({ path: name, absolute: join(dir, name) }));
    writeFileSync(join(dir, "one.ts"), "old one");
    mkdirSync(join(dir, "three.ts")); // a directory with content: the rename onto it fails
    writeFileSync(join(dir, "three.ts/keep"), "");
    const temporaries = ["t1", "t2", "t3"].map((name) => join(dir, name));
    for (const temporary of temporaries) writeFileSync(temporary, "new");
    const pending = new Set(temporaries);

    expect(() => renameAll(targets, temporaries, pending)).toThrow(/it is a directory|not empty|the system reports/);

    expect(readFileSync(join(dir, "one.ts"), "utf8")).toBe("old one");
    expect(existsSync(join(dir, "two.ts"))).toBe(false); // it did not exist before
    expect([...pending]).toEqual([join(dir, "t3")]); // the caller removes what is still pending
  });
});

describe("train --save", () => {
  it("never writes weights that are not finite, and leaves the old file", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "w.safetensors"), "the previous checkpoint");
    const io = { cwd: dir, stdout: () => {}, stderr: () => {} };
    const { loaded } = await loadSpec(io, resolve("models/simple-rnn.yaml"));
    if (loaded === undefined) throw new Error("the seed spec does not load");
    const model = loaded.module.createModel();
    model.parameters[3] = Number.NaN;
    const refused = await saveCheckpoint(io, loaded.module, model, "w.safetensors", { epoch: 1 });
    expect(refused?.code).toBe("RNNC0004");
    expect(refused?.message).toMatch(/`rnn.weight_ih_l0` holds NaN at element \[0, 3\] as F32/);
    expect(readFileSync(join(dir, "w.safetensors"), "utf8")).toBe("the previous checkpoint");
    expect(leftovers(dir)).toEqual([]);
  });
});
