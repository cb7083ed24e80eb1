import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { parseSpecDocument } from "../src/spec/document.ts";
import { maxNesting } from "../src/spec/yaml-parse.ts";

/** How the YAML layer reads what users write: merge keys, every line-ending style, deep nesting, many keys. */

const seed = readFileSync("models/simple-rnn.yaml", "utf8");
const where = (result: ReturnType<typeof compile>) => result.diagnostics.map(({ code, line, column }) => ({ code, line, column }));

describe("merge keys (<<: *anchor)", () => {
  it("merge an anchored mapping, with keys written beside them taking precedence", () => {
    const spec = seed.replace(
      /graph:[\s\S]*?loss:/,
      ["graph:", "  - &layer { id: rnn, op: rnn, input: x, hidden_size: 20 }", "  - <<: *layer", "    id: rnn2", "    input: rnn", "  - { id: last, op: last_step }", "  - { id: fc, op: linear, out_features: 5 }", "loss:"].join("\n"),
    );
    const result = compile(spec, { specPath: "m.yaml" });
    expect(result.diagnostics).toEqual([]);
    expect(result.graph?.layers.map((layer) => layer.id)).toEqual(["rnn", "rnn2", "last", "fc"]);
  });

  it("point at a merged key where it is written, in the anchored mapping", () => {
    const document = parseSpecDocument("m.yaml", "base: &b { lr: 0.1 }\noptimizer:\n  <<: *b\n  op: adam\n").document;
    expect(document?.value).toEqual({ base: { lr: 0.1 }, optimizer: { lr: 0.1, op: "adam" } });
    expect(document?.positionOf(["optimizer", "lr"])).toEqual({ file: "m.yaml", line: 1, column: 16 });
    expect(document?.positionOf(["optimizer", "op"], { key: true })).toEqual({ file: "m.yaml", line: 4, column: 3 });
  });
});

describe("line endings", () => {
  const bad = seed.replace("hidden_size: 20", "hiden_size: 20");
  const line = bad.split("\n").findIndex((text) => text.includes("hiden_size")) + 1;
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR only", "\r"],
  ])("%s: the same single diagnostic, at the same line", (_, ending) => {
    const result = compile(bad.replace(/\n/g, ending), { specPath: "m.yaml" });
    expect(where(result)).toEqual([{ code: "RNNC0010", line, column: 5 }]);
  });

  it("a CR-only spec compiles to the same module as its LF original, but for its hash", () => {
    const lf = compile(seed, { specPath: "m.yaml" }).files[0]?.content ?? "";
    const cr = compile(seed.replace(/\n/g, "\r"), { specPath: "m.yaml" }).files[0]?.content ?? "";
    const body = (text: string): string => text.replace(/[0-9a-f]{64}/g, "");
    expect(body(cr)).toBe(body(lf));
  });
});

describe("nesting", () => {
  it.each([
    ["flow sequences", (n: number) => `input: ${"[".repeat(n)}${"]".repeat(n)}\n`, 3],
    ["flow mappings", (n: number) => `input: ${"{a: ".repeat(n)}1${"}".repeat(n)}\n`, 3],
    ["block sequences on one line", (n: number) => `input:\n  ${"- ".repeat(n)}x\n`, 4],
  ])("100,000 levels of %s: RNNC0127 at the first level too deep, quickly, no stack overflow", (_, make, line) => {
    const started = performance.now();
    const result = compile(`version: 1\nname: x\n${make(100_000)}`, { specPath: "m.yaml" });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: "RNNC0127", line });
    expect(result.diagnostics[0]?.message).not.toContain("call stack");
  });

  it(`${maxNesting} levels are fine`, () => {
    const document = parseSpecDocument("m.yaml", `a: ${"[".repeat(maxNesting - 1)}${"]".repeat(maxNesting - 1)}\n`);
    expect(document.diagnostics).toEqual([]);
  });

  it("aliases that nest anchored values deeper than the stack allows are RNNC0127 too, or the alias limit", () => {
    const lines = ["a0: &a0 [x]"];
    for (let i = 1; i < 60; i++) lines.push(`a${i}: &a${i} ${"[".repeat(60)}*a${i - 1}${"]".repeat(60)}`);
    const result = compile(`${lines.join("\n")}\n`, { specPath: "m.yaml" });
    expect(result.diagnostics.map((d) => d.code)).toEqual([expect.stringMatching(/^RNNC0(127|002)$/)]);
  });
});

describe("a 5 MB spec with 100,000 unknown keys", () => {
  it("is answered in seconds, with every key reported at its line", () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `  junk_key_${i}_padding_padding_padding_padding: ${i}`);
    const source = seed.replace("train: {", `train:\n${keys.join("\n")}\ntrain_: {`);
    expect(source.length).toBeGreaterThan(5_000_000);
    const started = performance.now();
    const result = compile(source, { specPath: "m.yaml" });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(result.diagnostics).toHaveLength(100_001);
    expect(result.diagnostics[99_999]).toMatchObject({ code: "RNNC0010", line: 21 + 100_000, column: 3 });
  });

  it("100,000 duplicate keys are each reported, in linear time", () => {
    const keys = Array.from({ length: 100_000 }, () => "  epochs: 1");
    const started = performance.now();
    const result = compile(seed.replace("train: {", `train:\n${keys.join("\n")}\ntrain_: {`), { specPath: "m.yaml" });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(result.diagnostics).toHaveLength(99_999);
    expect(result.diagnostics.every((d) => d.code === "RNNC0003")).toBe(true);
  });
});
