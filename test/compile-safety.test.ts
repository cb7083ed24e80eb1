import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { verifyModuleText } from "../src/emit/verify.ts";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

const repo = process.cwd();

describe("compile checks its own output before anyone can load it", () => {
  const generated = readFileSync("generated/simple-rnn.ts", "utf8");

  it("finds nothing wrong with a generated module", () => {
    expect(verifyModuleText("simple-rnn.ts", generated)).toEqual([]);
  });

  it("finds a name declared twice in one scope, the bug class that once passed compile and failed in train", () => {
    const broken = generated.replace("const source = inputs.x;", "const source = inputs.x;\n      const source = inputs.y;");
    expect(broken).not.toBe(generated);
    expect(verifyModuleText("simple-rnn.ts", broken).join("\n")).toMatch(/redeclare block-scoped variable 'source'/);
  });

  it("finds text that does not parse", () => {
    expect(verifyModuleText("simple-rnn.ts", generated.replace("function checkInputs(", "function checkInputs(("))).not.toEqual([]);
  });

  it("two last_step nodes and two inputs each read by a node compile to modules that verify", () => {
    const source = `version: 1
name: two-of-each
input:
  a: { shape: [batch, 4, 3], dtype: float32 }
  b: { shape: [batch, 5, 2], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
  - { id: left, op: gru, input: b, hidden_size: 4 }
  - { id: leftLast, op: last_step }
  - { id: right, op: lstm, input: a, hidden_size: 4 }
  - { id: last, op: last_step }
  - { id: fc, op: linear, out_features: 3 }
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: adam }
`;
    const result = compile(source, { specPath: "two.yaml" });
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toHaveLength(1);
  });
});

describe("the generated file does not depend on the working directory", () => {
  it("compiling from the spec's folder, the project root or elsewhere gives the same bytes, and --check agrees", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "package.json"), "{}\n");
    mkdirSync(join(dir, "models"));
    copyFileSync(resolve(repo, "models/simple-rnn.yaml"), join(dir, "models/simple-rnn.yaml"));

    expect((await runCli(["compile", "simple-rnn.yaml", "--out-dir", "../generated"], join(dir, "models"))).code).toBe(0);
    const fromModels = readFileSync(join(dir, "generated/simple-rnn.ts"), "utf8");
    expect(fromModels).toContain("// Generated from models/simple-rnn.yaml");
    const check = await runCli(["compile", "--check", "models/simple-rnn.yaml"], dir);
    expect(check).toMatchObject({ code: 0 });

    mkdirSync(join(dir, "elsewhere"));
    expect((await runCli(["compile", "--check", "../models/simple-rnn.yaml", "--out-dir", "../generated"], join(dir, "elsewhere"))).code).toBe(0);
  });
});
