import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { formatDiagnostic } from "../diagnostics/format.ts";
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
