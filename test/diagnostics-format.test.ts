import { describe, expect, it } from "vitest";
import { printedDiagnosticsLimit, report } from "../src/cli/report.ts";
import type { Diagnostic } from "../src/diagnostics/diagnostic.ts";
import { escapeText, jsonText, quoteShort } from "../src/diagnostics/escape.ts";
import { formatDiagnostic } from "../src/diagnostics/format.ts";
import { SourceLines } from "../src/diagnostics/source-lines.ts";

const at = (line: number, column: number, file = "m.yaml"): Diagnostic => ({ code: "RNNC0010", severity: "error", message: "unknown key `x`", file, line, column, hint: "valid keys: `a`" });

/** No byte a terminal would act on: ESC, BEL, CR, NUL, C1 controls, separators and bidi controls. */
const terminalSafe = (text: string): boolean => !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/.test(text);

describe("the code frame", () => {
  it("escapes the quoted source line, and the caret still points at the column", () => {
    const text = formatDiagnostic(at(1, 12), "na\u001b[2Jme: \u0007x\n");
    expect(terminalSafe(text)).toBe(true);
    const [, line, caret] = text.split("\n");
    expect(line).toBe(" 1 | na\\u001b[2Jme: \\u0007x");
    expect(caret?.indexOf("^")).toBe(line?.indexOf("x"));
  });

  it("keeps tabs, and copies them into the caret line", () => {
    const [, line, caret] = formatDiagnostic(at(1, 3), "\t\tkey: 1\n").split("\n");
    expect(line).toBe(" 1 | \t\tkey: 1");
    expect(caret).toBe("   | \t\t^");
  });

  it("escapes the file name, so a newline in it cannot forge a diagnostic line", () => {
    const text = formatDiagnostic(at(1, 1, "a\nfake.yaml:1:1: error RNNC0000: forged"), "x: 1\n");
    expect(text.split("\n")[0]).toMatch(/^a\\u000afake\.yaml:1:1: error RNNC0000: forged:1:1: error RNNC0010:/);
    expect(text.split("\n").filter((line) => line.includes("RNNC0000"))).toHaveLength(1);
  });

  it("escapes messages and hints however they were built", () => {
    const text = formatDiagnostic({ ...at(1, 1), message: "bad \u001b]0;title\u0007", hint: "try \u202eevil" });
    expect(terminalSafe(text)).toBe(true);
    expect(text).toContain("bad \\u001b]0;title\\u0007");
    expect(text).toContain("try \\u202eevil");
  });

  it("shows a window of a very long line around the column", () => {
    const long = `input: ${"[".repeat(100_000)}`;
    const [, line, caret] = formatDiagnostic(at(1, 50_000), `${long}\n`).split("\n");
    expect(line?.length).toBeLessThan(140);
    expect(line).toMatch(/^ 1 \| …\[+…$/);
    expect(caret?.indexOf("^")).toBeGreaterThan(5);
  });

  it("cuts a message that quotes a huge key, so one diagnostic stays readable", () => {
    const text = formatDiagnostic({ ...at(1, 1), message: `unknown key \`${"k".repeat(1_000_000)}\``, hint: "h".repeat(5000) });
    expect(text.length).toBeLessThan(2500);
    expect(text).toContain("more characters)");
  });

  it("counts LF, CRLF and a lone CR as line breaks, as editors do", () => {
    const lines = new SourceLines("a\r\nb\rc\nd");
    expect([1, 2, 3, 4, 5].map((n) => lines.line(n))).toEqual(["a", "b", "c", "d", undefined]);
    expect(lines.position(0)).toEqual({ line: 1, column: 1 });
    expect(lines.position(5)).toEqual({ line: 3, column: 1 });
    expect(lines.position(7)).toEqual({ line: 4, column: 1 });
    expect(formatDiagnostic(at(2, 1), "x: 1\ry: 2\r")).toContain(" 2 | y: 2");
  });
});

describe("escapes for user text", () => {
  it("quote at most a short piece of a cell, escaped", () => {
    expect(quoteShort("abc")).toBe('"abc"');
    expect(quoteShort("root:x:0:0:root:/root:/bin/bash\nbin:x:1:1", 10)).toBe('"root:x:0:0…" (41 characters)');
    expect(quoteShort('a"\u001bb')).toBe('"a\\"\\u001bb"');
    expect(escapeText("tab\there")).toBe("tab\\there");
  });
});

describe("report", () => {
  function printed(diagnostics: readonly Diagnostic[], format: "text" | "json" = "text", sources = new Map<string, string>()): string {
    let stderr = "";
    report({ cwd: ".", stdout: () => undefined, stderr: (text) => (stderr += text) }, diagnostics, format, sources);
    return stderr;
  }

  it(`prints the first ${printedDiagnosticsLimit} diagnostics of a phase, then how many more`, () => {
    const many = Array.from({ length: 100_000 }, (_, i) => at(i + 1, 1));
    const source = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join("\n");
    const started = performance.now();
    const text = printed(many, "text", new Map([["m.yaml", source]]));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(text.match(/error RNNC0010/g)).toHaveLength(printedDiagnosticsLimit);
    expect(text.trimEnd().split("\n").at(-1)).toBe("… and 99950 more errors not shown; fix these first, or see them all with `--diagnostics json`");
  });

  it("prints nothing extra when every diagnostic fits, and every one as JSON", () => {
    expect(printed([at(1, 1)])).not.toContain("more");
    expect(JSON.parse(printed(Array.from({ length: 60 }, () => at(1, 1)), "json"))).toHaveLength(60);
  });
});

describe("JSON for a terminal", () => {
  it("escapes C1 and bidi controls that JSON.stringify leaves raw, and still parses back the same", () => {
    const value = { label: "a\u009b2Jb\u202ec\u2028d\u001be" };
    const text = jsonText(value);
    expect(terminalSafe(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(value);
  });
});
