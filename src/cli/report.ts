import { codes } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { formatDiagnostic } from "../diagnostics/format.ts";
import { exitCodes } from "./exit-codes.ts";
import type { Io } from "./io.ts";

export type DiagnosticsFormat = "text" | "json";

/** Prints diagnostics on stderr: human-readable with a source frame, or one JSON array for editors and CI. */
export function report(io: Io, diagnostics: readonly Diagnostic[], format: DiagnosticsFormat, sources: ReadonlyMap<string, string> = new Map()): void {
  if (diagnostics.length === 0) return;
  if (format === "json") {
    io.stderr(`${JSON.stringify(diagnostics)}\n`);
    return;
  }
  for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic, sources.get(diagnostic.file))}\n`);
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
