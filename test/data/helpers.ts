import { readTable, type ReadTableOptions, type Table } from "../../src/data/csv.ts";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";

/** Reads a CSV that must be clean (no errors); warnings are allowed and returned. */
export function table(csv: string, options: ReadTableOptions, file = "t.csv"): Table {
  const result = readTable(csv, file, options);
  if (result.table === undefined) throw new Error(`expected a table, got ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.table;
}

/** The fields a test pins down: code, severity and position. */
export function where(d: Diagnostic | undefined): { code?: string; line?: number; column?: number; severity?: string } {
  return d === undefined ? {} : { code: d.code, line: d.line, column: d.column, severity: d.severity };
}

/** CSV text from lines, so tests show the file as it is laid out. */
export const csv = (...lines: string[]): string => `${lines.join("\n")}\n`;
