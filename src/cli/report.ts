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

/** Reports a command's diagnostics and gives the user-error exit code: the common way a command gives up. */
export function failWith(io: Io, format: DiagnosticsFormat): (diagnostics: readonly Diagnostic[], sources?: ReadonlyMap<string, string>) => number {
  return (diagnostics, sources = new Map()) => {
    report(io, diagnostics, format, sources);
    return exitCodes.userError;
  };
}
