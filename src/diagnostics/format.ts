import type { Diagnostic } from "./diagnostic.ts";

/**
 * `file:line:col: error CODE: message`, then the source line with a caret under the column, then the hint.
 * `source` is the text of `diagnostic.file` when it is a text file the caller has.
 */
export function formatDiagnostic(diagnostic: Diagnostic, source?: string): string {
  const lines = [`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`];
  const sourceLine = source?.split(/\r?\n/)[diagnostic.line - 1];
  if (sourceLine !== undefined && sourceLine.trim() !== "") {
    const gutter = String(diagnostic.line);
    lines.push(` ${gutter} | ${sourceLine}`);
    lines.push(` ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, diagnostic.column - 1))}^`);
  }
  if (diagnostic.hint !== undefined) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.join("\n");
}
