import { diag } from "../../diagnostics/codes.ts";
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";
import { tokenize, type TokenOptions } from "./tokenize.ts";

export interface TextLine {
  readonly text: string;
  /** 1-based, counting CR, LF and CRLF as editors do. */
  readonly line: number;
}

/** A file with thousands of empty lines gets the first few, then a count. */
const reportedEmpty = 10;

/**
 * One sample per line. A byte-order mark is dropped; the newline that ends the last line does not start another;
 * every other line must hold at least one token (an empty line, or under `word` one of spaces, is an error at its
 * line: silently skipping it could hide a truncated or mangled file).
 */
export function sampleLines(text: string, file: string, options: TokenOptions): { lines: TextLine[]; diagnostics: Diagnostic[] } {
  const pieces = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  if (pieces.length > 1 && pieces[pieces.length - 1] === "") pieces.pop();
  const lines: TextLine[] = [];
  const empty: number[] = [];
  pieces.forEach((piece, i) => {
    if (tokenize(piece, options).length === 0) empty.push(i + 1);
    else lines.push({ text: piece, line: i + 1 });
  });
  const diagnostics = empty.slice(0, reportedEmpty).map((line) => diag.emptySample({ file, line, column: 1 }, `line ${line}`));
  if (empty.length > reportedEmpty) {
    const rest = empty.length - reportedEmpty;
    diagnostics.push(diag.emptySample({ file, line: empty[reportedEmpty] ?? 1, column: 1 }, `line ${empty[reportedEmpty]} and ${rest - 1} more line${rest === 2 ? "" : "s"} after it`));
  }
  return { lines, diagnostics };
}
