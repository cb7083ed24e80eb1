import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../src/cli/main.ts";
import { compile } from "../src/compile.ts";

/**
 * Every string of a spec that could reach the generated file (the model name, node ids, input names, the
 * references between them, and keys) is tried with code-injection payloads. Each spec must be refused with a
 * diagnostic, `rnnc compile` must write no file at all, and a generated file that was already there must be
 * left byte-identical. Diagnostics must not pass control characters through to the terminal either.
 */

const payloads: Readonly<Record<string, string>> = {
  semicolon: "x; process.exit(1)",
  doubleQuote: 'x"; process.exit(1); "',
  singleQuote: "x'); process.exit(1); ('",
  backtick: "x`; process.exit(1); `",
  templateHole: "${process.exit(1)}",
  newline: "x\nprocess.exit(1)",
  carriageReturn: "x\rprocess.exit(1)",
  lineSeparator: "x\u2028process.exit(1)",
  commentClose: "x */ process.exit(1); /*",
  lineComment: "x // process.exit(1)",
  cyrillicLookalike: "f\u0441", // "fс": Cyrillic es, looks like "fc"
  cyrillicA: "l\u0430st", // "lаst": Cyrillic a
  ansiEscape: "x\u001b[2J",
  nul: "x\u0000y",
  empty: "",
  pathTraversal: "../../evil",
  proto: "__proto__",
  constructor: "constructor",
};

/** Payloads that are harmless as names but must still be refused where they are dangling references. */
const prototypeMembers = ["toString", "hasOwnProperty", "valueOf"];

const q = (text: string): string => JSON.stringify(text); // a JSON string is a valid YAML double-quoted scalar

/** The seed spec, with one slot replaced. Every slot's other uses are kept consistent, so the slot is the only problem. */
function spec(parts: { name?: string; x?: string; y?: string; fc?: string; lastInput?: string; lossInput?: string; lossTarget?: string; extraKey?: string }): string {
  const x = parts.x ?? "x";
  const y = parts.y ?? "y";
  const fc = parts.fc ?? "fc";
  return [
    "version: 1",
    `name: ${q(parts.name ?? "simple-rnn")}`,
    "input:",
    `  ${q(x)}: { shape: [batch, 7, 10], dtype: float32 }`,
    `  ${q(y)}: { shape: [batch], dtype: int32 }`,
    "graph:",
    "  - id: rnn",
    "    op: rnn",
    `    input: ${q(x)}`,
    "    hidden_size: 20",
    "  - id: last",
    "    op: last_step",
    ...(parts.lastInput === undefined ? [] : [`    input: ${q(parts.lastInput)}`]),
    `  - id: ${q(fc)}`,
    "    op: linear",
    "    out_features: 5",
    `loss: { op: cross_entropy, input: ${q(parts.lossInput ?? fc)}, target: ${q(parts.lossTarget ?? y)} }`,
    "optimizer: { op: adam, lr: 0.001 }",
    "train: { epochs: 1, batch_size: 16, seed: 0 }",
    ...(parts.extraKey === undefined ? [] : [`${q(parts.extraKey)}: 1`]),
    "",
  ].join("\n");
}

type Slot = (payload: string) => string;
const slots: Readonly<Record<string, Slot>> = {
  "model name": (p) => spec({ name: p }),
  "node id (and the loss input naming it)": (p) => spec({ fc: p }),
  "node input reference": (p) => spec({ lastInput: p }),
  "input name (and the rnn input naming it)": (p) => spec({ x: p }),
  "target input name (and the loss target naming it)": (p) => spec({ y: p }),
  "loss input reference": (p) => spec({ lossInput: p }),
  "loss target reference": (p) => spec({ lossTarget: p }),
  "top-level key": (p) => spec({ extraKey: p }),
};

/**
 * `constructor` is a fine file name, so it is allowed as the model `name` (it only becomes `constructor.ts` and
 * a JSON string); everywhere else it is a reserved identifier.
 */
const exempt = (slot: string, payloadName: string): boolean => slot === "model name" && payloadName === "constructor";

const cases: { slot: string; payloadName: string; source: string }[] = [];
for (const [slot, build] of Object.entries(slots)) {
  for (const [payloadName, payload] of Object.entries(payloads)) {
    if (!exempt(slot, payloadName)) cases.push({ slot, payloadName, source: build(payload) });
  }
}
for (const member of prototypeMembers) {
  cases.push({ slot: "node input reference", payloadName: member, source: spec({ lastInput: member }) });
  cases.push({ slot: "loss input reference", payloadName: member, source: spec({ lossInput: member }) });
  cases.push({ slot: "loss target reference", payloadName: member, source: spec({ lossTarget: member }) });
}

const scratch = mkdtempSync(join(tmpdir(), "rnnc-injection-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

/** C0 and C1 controls (newlines, ESC, NUL…): they could forge extra diagnostic lines or drive the terminal. */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

describe("the clean spec these cases start from", () => {
  it("compiles, so each case's only problem is its payload", () => {
    const result = compile(spec({}), { specPath: "clean.yaml" });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.length).toBe(1);
  });
});

describe.each(cases)("$slot = $payloadName", ({ source }) => {
  it("is refused with an error diagnostic and no output", () => {
    let result: ReturnType<typeof compile> | undefined;
    expect(() => (result = compile(source, { specPath: "spec.yaml" }))).not.toThrow();
    expect(result?.files).toEqual([]);
    expect(result?.diagnostics.some((d) => d.severity === "error" && d.code.startsWith("RNNC"))).toBe(true);
  });

  it("keeps control characters out of the diagnostics", () => {
    const result = compile(source, { specPath: "spec.yaml" });
    for (const d of result.diagnostics) {
      expect(d.message, d.code).not.toMatch(controlCharacters);
      expect(d.hint ?? "", d.code).not.toMatch(controlCharacters);
    }
  });

  it("makes `rnnc compile` exit 2, write nothing, and leave the existing generated file byte-identical", async () => {
    const dir = join(scratch, `case-${counter++}`);
    mkdirSync(join(dir, "out"), { recursive: true });
    writeFileSync(join(dir, "spec.yaml"), source);
    const existing = "// generated earlier by a good spec; must survive a failed compile byte for byte\nexport const MODEL_NAME = \"simple-rnn\";\n";
    writeFileSync(join(dir, "out", "simple-rnn.ts"), existing);
    const before = listFiles(scratch);

    const result = await cli(["compile", "spec.yaml", "--out-dir", "out"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^spec\.yaml:\d+:\d+: error RNNC\d{4}:/m);
    expect(listFiles(scratch)).toEqual(before);
    expect(readFileSync(join(dir, "out", "simple-rnn.ts"), "utf8")).toBe(existing);
  });
});

describe("the spec's path, which the generated header quotes", () => {
  const seed = spec({});
  const lineTerminators = /\r\n|\r|\n|\u2028|\u2029/;
  const marker = "__rnncInjectedByPath";

  it.each([
    ["a newline", `models/a\nglobalThis.${marker} = 1; //.yaml`],
    ["a carriage return", `models/a\rglobalThis.${marker} = 1; //.yaml`],
    ["a line separator", `models/a\u2028globalThis.${marker} = 1; //.yaml`],
    ["a paragraph separator", `models/a\u2029globalThis.${marker} = 1; //.yaml`],
  ])("cannot end the header comment with %s", (_what, specPath) => {
    let result: ReturnType<typeof compile> | undefined;
    expect(() => (result = compile(seed, { specPath }))).not.toThrow();
    for (const file of result?.files ?? []) {
      const lines = file.content.split(lineTerminators).filter((line) => line.includes(marker));
      for (const line of lines) expect(line.trimStart().startsWith("//") || line.trimStart().startsWith("*"), line).toBe(true);
    }
  });

  it("is handled by `rnnc compile` and `rnnc train` for a spec in a directory whose name holds a newline", async () => {
    // A path cannot hold `//`, but a directory name can hold a newline and a statement.
    const dir = join(scratch, "path-injection");
    const evilDirectory = `a\nglobalThis.${marker} = 1; x`;
    mkdirSync(join(dir, evilDirectory), { recursive: true });
    writeFileSync(join(dir, evilDirectory, "x.yaml"), seed);

    const compiled = await cli(["compile", `${evilDirectory}/x.yaml`, "--out-dir", "out"], dir);
    expect(compiled.stderr).not.toContain("internal error");
    expect([0, 2]).toContain(compiled.code);
    for (const file of listFiles(dir).filter((path) => path.startsWith("out"))) {
      const lines = readFileSync(join(dir, file), "utf8").split(lineTerminators).filter((line) => line.includes(marker));
      for (const line of lines) expect(line.trimStart().startsWith("//"), line).toBe(true);
    }

    const trained = await cli(["train", `${evilDirectory}/x.yaml`, "--epochs", "1"], dir);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(trained.stderr).not.toContain("internal error");
    expect([0, 2]).toContain(trained.code);
  });
});
