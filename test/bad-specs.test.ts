import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../src/compile.ts";

/**
 * The bad-spec corpus: test/bad-specs/<case>/model.yaml and the diagnostics it must produce, in
 * test/bad-specs/<case>/expected.json. The expectations are written by hand from reading the YAML; they are
 * the independent reference, so they are never regenerated from the compiler's output.
 */

interface ExpectedDiagnostic {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  /** Optional: a substring the diagnostic's hint must contain (e.g. the "did you mean" suggestion). */
  readonly hintIncludes?: string;
}

const corpus = join(dirname(fileURLToPath(import.meta.url)), "bad-specs");
const caseNames = readdirSync(corpus)
  .filter((name) => statSync(join(corpus, name)).isDirectory())
  .sort();

/** The catalogue (src/diagnostics/codes.ts) gives every diagnostic a hint, as the README promises: none is exempt. */
const codesWithoutHint = new Set<string>();

/** Every code a spec (as opposed to a data file or a training run) can produce. */
const specCodes = [
  "RNNC0002", "RNNC0003", "RNNC0010", "RNNC0011", "RNNC0012", "RNNC0013", "RNNC0014", "RNNC0015",
  "RNNC0020", "RNNC0021", "RNNC0022", "RNNC0023", "RNNC0030", "RNNC0031", "RNNC0032", "RNNC0033", "RNNC0034",
  "RNNC0087", "RNNC0126", "RNNC0127",
];

function loadCase(name: string): { specPath: string; source: string; expected: readonly ExpectedDiagnostic[] } {
  const specPath = `test/bad-specs/${name}/model.yaml`;
  const source = readFileSync(join(corpus, name, "model.yaml"), "utf8");
  const expected = (JSON.parse(readFileSync(join(corpus, name, "expected.json"), "utf8")) as { diagnostics: ExpectedDiagnostic[] }).diagnostics;
  return { specPath, source, expected };
}

type Outcome = { readonly result: CompileResult } | { readonly thrown: unknown };
const outcomes = new Map<string, Outcome>();

/** Compiles a case once; a throw is recorded, not propagated, so that every test can say what happened. */
function outcome(name: string): Outcome {
  let found = outcomes.get(name);
  if (found === undefined) {
    const { source, specPath } = loadCase(name);
    try {
      found = { result: compile(source, { specPath }) };
    } catch (thrown) {
      found = { thrown };
    }
    outcomes.set(name, found);
  }
  return found;
}

function resultOf(name: string): CompileResult {
  const found = outcome(name);
  if ("thrown" in found) throw new Error(`compile threw: ${found.thrown instanceof Error ? found.thrown.stack : String(found.thrown)}`);
  return found.result;
}

describe("the bad-spec corpus", () => {
  it("holds at least 60 cases, each a model.yaml with a non-empty expected.json", () => {
    expect(caseNames.length).toBeGreaterThanOrEqual(60);
    for (const name of caseNames) expect(loadCase(name).expected.length, name).toBeGreaterThan(0);
  });

  it("exercises every diagnostic code a spec can produce", () => {
    const covered = new Set(caseNames.flatMap((name) => loadCase(name).expected.map((d) => d.code)));
    expect(specCodes.filter((code) => !covered.has(code))).toEqual([]);
  });
});

describe.each(caseNames)("bad spec %s", (name) => {
  const { specPath, expected } = loadCase(name);

  it("compiles without throwing", () => {
    const found = outcome(name);
    expect("thrown" in found ? String((found as { thrown: unknown }).thrown) : undefined).toBeUndefined();
  });

  it("reports exactly the expected diagnostics, in order, and emits nothing", () => {
    const result = resultOf(name);
    expect(result.diagnostics.map(({ code, line, column }) => ({ code, line, column }))).toEqual(
      expected.map(({ code, line, column }) => ({ code, line, column })),
    );
    expect(result.files).toEqual([]);
  });

  it("gives every diagnostic a readable message, the file, and the catalogue's hint", () => {
    const result = resultOf(name);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) {
      expect(d.severity, d.message).toBe("error");
      expect(d.file).toBe(specPath);
      expect(d.message.trim(), d.code).not.toBe("");
      if (!codesWithoutHint.has(d.code)) expect(d.hint?.trim() ?? "", `${d.code} ${d.message}: hint`).not.toBe("");
      // The validator's own English must not leak through half-translated ("it must be must NOT have fewer than 2 items").
      for (const text of [d.message, d.hint ?? ""]) expect(text, d.code).not.toMatch(/must be must|must NOT/);
    }
    for (const e of expected) {
      if (e.hintIncludes === undefined) continue;
      const match = result.diagnostics.find((d) => d.code === e.code && d.line === e.line && d.column === e.column);
      expect(match, `${e.code} at ${e.line}:${e.column}`).toBeDefined();
      expect(match?.hint ?? "").toContain(e.hintIncludes);
    }
  });
});

describe("resource limits", () => {
  it("refuses an alias bomb (billion laughs) with a YAML diagnostic, quickly and without throwing", () => {
    const levels = "abcdefghij".split("");
    const lines = [`${levels[0]}: &${levels[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
    for (let i = 1; i < levels.length; i++) {
      const previous = levels[i - 1];
      lines.push(`${levels[i]}: &${levels[i]} [${Array.from({ length: 10 }, () => `*${previous}`).join(", ")}]`);
    }
    const source = `${lines.join("\n")}\n`;
    const started = performance.now();
    let result: CompileResult | undefined;
    expect(() => (result = compile(source, { specPath: "bomb.yaml" }))).not.toThrow();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result?.diagnostics[0]?.code).toBe("RNNC0002");
    expect(result?.files).toEqual([]);
  });

  it.each(caseNames.filter((name) => name.startsWith("too-large-")))("refuses %s in well under a second, without allocating its tensors", (name) => {
    const { source, specPath } = loadCase(name);
    compile(source, { specPath }); // warm up: the first call pays for loading the compiler
    const before = process.memoryUsage();
    const started = performance.now();
    const result = compile(source, { specPath });
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    expect(result.diagnostics.map((d) => d.code)).toContain("RNNC0033");
    expect(elapsed).toBeLessThan(500);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 1024 * 1024);
  });
});
