import type { Diagnostic } from "./diagnostic.ts";
import { escapeSourceText, escapeText } from "./escape.ts";
import { SourceLines } from "./source-lines.ts";

/** A source line wider than this is shown as a window around the column, so one diagnostic stays a few lines. */
const frameWidth = 120;
/** A message or hint quoting a 1 MB key would be 1 MB on the terminal; past this it is cut (JSON output keeps all). */
const textWidth = 1000;

const bounded = (text: string): string => (text.length <= textWidth ? text : `${text.slice(0, textWidth)}… (${text.length - textWidth} more characters)`);

/**
 * `file:line:col: error CODE: message`, then the source line with a caret under the column, then the hint.
 * `source` is the text (or, for many diagnostics of one file, the indexed lines) of `diagnostic.file` when it is a
 * text file the caller has. Everything that came from the user is escaped here, whatever the constructor did.
 */
export function formatDiagnostic(diagnostic: Diagnostic, source?: string | SourceLines): string {
  const { file, line, column, severity, code, message, hint } = diagnostic;
  const lines = [`${bounded(escapeText(file))}:${line}:${column}: ${severity} ${code}: ${bounded(escapeText(message))}`];
  const lineIndex = typeof source === "string" ? new SourceLines(source) : source;
  const sourceLine = lineIndex?.line(line);
  if (sourceLine !== undefined && sourceLine.trim() !== "") {
    const gutter = String(line);
    const { text, caret } = frame(sourceLine, column);
    lines.push(` ${gutter} | ${text}`);
    lines.push(` ${" ".repeat(gutter.length)} | ${caret}`);
  }
  if (hint !== undefined) lines.push(`  hint: ${bounded(escapeText(hint))}`);
  return lines.join("\n");
}

/** The line (a window of it when it is long), escaped, and a caret line that lines up with it, tabs included. */
function frame(sourceLine: string, column: number): { text: string; caret: string } {
  const at = Math.min(Math.max(column - 1, 0), sourceLine.length);
  let start = 0;
  let end = sourceLine.length;
  if (end > frameWidth) {
    start = Math.max(0, at - frameWidth / 2);
    end = Math.min(sourceLine.length, start + frameWidth);
    start = Math.max(0, end - frameWidth);
  }
  const before = `${start > 0 ? "…" : ""}${escapeSourceText(sourceLine.slice(start, at))}`;
  const after = `${escapeSourceText(sourceLine.slice(at, end))}${end < sourceLine.length ? "…" : ""}`;
  return { text: before + after, caret: `${before.replace(/[^\t]/g, " ")}^` };
}
