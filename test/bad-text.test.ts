import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "./helpers/cli.ts";

/**
 * The text corpus: test/bad-data/text/<case>/ holds model.yaml (a `data.text` section), its text or CSV files, and
 * expected.json, as the CSV corpus does (test/bad-data/csv/README.md): the commands to run in that folder and the
 * diagnostics each must report, {code, file, line, column}, in order, written from reading the files. Every case
 * must also exit 2 with a hint, no stack trace, nothing on stdout, and nothing a terminal would act on.
 */

interface Expected {
  readonly commands: readonly ("train" | "compile")[];
  readonly args?: readonly string[];
  readonly diagnostics: readonly { code: string; file: string; line: number; column: number }[];
}

const corpus = join(dirname(fileURLToPath(import.meta.url)), "bad-data", "text");
const cases = readdirSync(corpus)
  .filter((name) => statSync(join(corpus, name)).isDirectory())
  .sort();
const expectedOf = (name: string): Expected => JSON.parse(readFileSync(join(corpus, name, "expected.json"), "utf8")) as Expected;

function argv(command: "train" | "compile", expected: Expected, format: "json" | "text"): string[] {
  const base = command === "train" ? ["train", "model.yaml"] : ["compile", "model.yaml", "--check", "--out-dir", temporaryDirectory()];
  return [...base, ...(expected.args ?? []), "--diagnostics", format];
}

describe("the text corpus", () => {
  it("holds a case for each kind of bad text file and data.text section", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
});

describe.each(cases)("bad text %s", (name) => {
  const expected = expectedOf(name);
  const cwd = join(corpus, name);

  it.each(expected.commands.map((command) => [command]))("%s reports exactly the expected diagnostics, exit 2", async (command) => {
    const result = await runCli(argv(command, expected, "json"), cwd);
    const reported = (JSON.parse(result.stderr) as { code: string; file: string; line: number; column: number; hint?: string }[]).map(({ code, file, line, column }) => ({ code, file, line, column }));
    expect(reported).toEqual(expected.diagnostics);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });

  it("prints them with a hint, no stack trace, nothing raw for the terminal, and no other line of the file", async () => {
    const result = await runCli(argv(expected.commands[0] ?? "train", expected, "text"), cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ {2}hint: \S/m);
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    for (const line of result.stderr.split("\n")) expect(line.length, line.slice(0, 80)).toBeLessThan(700);
    // Secrets of a file that is not this spec's CSV never reach the output, nor does the rest of a long cell.
    expect(result.stderr).not.toMatch(/daemon|api_token|root:x|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/);
  });
});
