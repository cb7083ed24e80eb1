import { codes } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { jsonText } from "../diagnostics/escape.ts";
import { formatDiagnostic } from "../diagnostics/format.ts";
import { SourceLines } from "../diagnostics/source-lines.ts";
import { exitCodes } from "./exit-codes.ts";
import type { Io } from "./io.ts";

export type DiagnosticsFormat = "text" | "json";

/** A phase's first diagnostics are the useful ones; a spec or file with thousands of mistakes gets a count for the rest. */
export const printedDiagnosticsLimit = 50;

/**
 * Prints one phase's diagnostics on stderr: human-readable with a source frame (the first `printedDiagnosticsLimit`,
 * then how many more), or every one of them as one JSON array for editors and CI.
 */
export function report(io: Io, diagnostics: readonly Diagnostic[], format: DiagnosticsFormat, sources: ReadonlyMap<string, string> = new Map()): void {
  if (diagnostics.length === 0) return;
  if (format === "json") {
    io.stderr(`${jsonText(diagnostics)}\n`);
    return;
  }
  // Each file's lines are indexed once, however many diagnostics point into it.
  const indexed = new Map<string, SourceLines>();
  const linesOf = (file: string): SourceLines | undefined => {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    let lines = indexed.get(file);
    if (lines === undefined) indexed.set(file, (lines = new SourceLines(text)));
    return lines;
  };
  const shown = diagnostics.slice(0, printedDiagnosticsLimit);
  io.stderr(shown.map((diagnostic) => `${formatDiagnostic(diagnostic, linesOf(diagnostic.file))}\n`).join(""));
  const rest = diagnostics.length - shown.length;
  if (rest > 0) {
    const errors = diagnostics.slice(printedDiagnosticsLimit).filter((d) => d.severity === "error").length;
    const kinds = errors === rest ? `error${rest === 1 ? "" : "s"}` : `diagnostic${rest === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"})`;
    io.stderr(`… and ${rest} more ${kinds} not shown; fix these first, or see them all with \`--diagnostics json\`\n`);
  }
}

/** The exit code for diagnostics that stop a command: 70 when one is an internal error (a bug of rnnc's), else 2. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.code === codes.internalError) ? exitCodes.internalError : exitCodes.userError;
}

/** Reports a command's diagnostics and gives the exit code: the common way a command gives up. */
export function failWith(io: Io, format: DiagnosticsFormat): (diagnostics: readonly Diagnostic[], sources?: ReadonlyMap<string, string>) => number {
  return (diagnostics, sources = new Map()) => {
    report(io, diagnostics, format, sources);
    return exitCodeFor(diagnostics);
  };
}
