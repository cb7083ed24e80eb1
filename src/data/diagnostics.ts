import { codes, escapeControl } from "../diagnostics/codes.ts";
import { quoteShort } from "../diagnostics/escape.ts";
import type { Diagnostic, Severity, SourcePosition } from "../diagnostics/diagnostic.ts";

/**
 * Data-layer diagnostics, RNNC0080–RNNC0089 (codes in the catalogue, `src/diagnostics/codes.ts`).
 *
 * Positions in a CSV: `file` is the CSV path, `line` the 1-based line of the file, `column` the 1-based field number
 * (not a character offset: a cell's characters move with quoting and spacing, its field number does not).
 */
export const dataCodes = {
  csvSyntax: codes.csvSyntax,
  unknownColumn: codes.unknownColumn,
  emptyCell: codes.emptyCell,
  notANumber: codes.notANumber,
  badTime: codes.badTime,
  duplicateTime: codes.duplicateTime,
  tooFewRows: codes.tooFewRows,
  invalidDataOption: codes.invalidDataOption,
  unknownLabel: codes.unknownLabel,
  irregularTime: codes.irregularTime,
} as const;

export type DataDiagnosticCode = (typeof dataCodes)[keyof typeof dataCodes];

function make(severity: Severity, code: DataDiagnosticCode, at: SourcePosition, message: string, hint?: string): Diagnostic {
  const base = { code, severity, message: escapeControl(message), file: at.file, line: at.line, column: at.column };
  return hint === undefined ? base : { ...base, hint: escapeControl(hint) };
}

/** Names from a file (a header can hold thousands, of any length): the first few, each shortened. */
const listedNames = 20;
const list = (items: readonly string[]): string => {
  const shown = items.slice(0, listedNames).map((item) => (Array.from(item).length > 40 ? quoteShort(item) : `\`${item}\``));
  return items.length > listedNames ? `${shown.join(", ")} and ${items.length - listedNames} more` : shown.join(", ");
};

/** "row 3, column `temp`": rows count data records from 1 in file order, so they ignore the header and blank lines. */
const cell = (row: number, column: string): string => `row ${row}, column \`${column}\``;

export const dataDiag = {
  csvSyntax: (at: SourcePosition, message: string) =>
    make("error", dataCodes.csvSyntax, at, `CSV syntax error: ${message}`, "a CSV file has a header line, then one record per line; check quotes and delimiters near here"),
  /** `file`: name the CSV, when the diagnostic points at the spec rather than into the file. */
  unknownColumn: (at: SourcePosition, name: string, available: readonly string[], suggestion: string | undefined, file?: string) =>
    make(
      "error",
      dataCodes.unknownColumn,
      at,
      `the CSV${file === undefined ? "" : ` ${file}`} has no column \`${name}\``,
      suggestion !== undefined ? `did you mean \`${suggestion}\`? columns: ${list(available)}` : `columns: ${list(available)}`,
    ),
  /** No column the spec names is in the header: likely the wrong file, so nothing of it is quoted (it may hold secrets). */
  noKnownColumns: (at: SourcePosition, names: readonly string[], columnCount: number, file?: string) =>
    make(
      "error",
      dataCodes.unknownColumn,
      at,
      `the CSV${file === undefined ? "" : ` ${file}`} has none of the columns ${list(names)}`,
      `its first line names ${columnCount} column${columnCount === 1 ? "" : "s"}, none of them these; check that this is the file you meant`,
    ),
  /** A row longer than the header: csv-parse is relaxed about it, but a value left over means the row was split wrongly. */
  extraFields: (at: SourcePosition, row: number, fields: number, headerFields: number, leftOver: string, otherRows: number) =>
    make(
      "error",
      dataCodes.csvSyntax,
      at,
      `row ${row} has ${fields} fields, but the header names ${headerFields}: ${quoteShort(leftOver)} is left over${otherRows > 0 ? ` (and ${otherRows} more row${otherRows === 1 ? "" : "s"} like it)` : ""}`,
      "a value that holds the delimiter splits in two (a decimal comma `10,5` is read as 10 and 5): quote it, or write `10.5`",
    ),
  emptyCell: (at: SourcePosition, row: number, column: string) =>
    make("error", dataCodes.emptyCell, at, `${cell(row, column)} is empty`, "every cell of a column the model reads needs a value; fill or drop the row before training"),
  notANumber: (at: SourcePosition, row: number, column: string, text: string) =>
    make(
      "error",
      dataCodes.notANumber,
      at,
      `${cell(row, column)} is ${quoteShort(text)}, which is not a finite number`,
      /^[+-]?\d+,\d+$/.test(text) ? "numbers take a decimal point, not a decimal comma: write `1.5`, not `1,5`" : "numeric columns take decimal numbers such as `12.5` or `-3e2`",
    ),
  beyondFloat32: (at: SourcePosition, row: number, column: string, text: string) =>
    make(
      "error",
      dataCodes.notANumber,
      at,
      `${cell(row, column)} is ${quoteShort(text)}, beyond what float32 can hold (±3.4e38): it would become Infinity`,
      "rescale the column (e.g. to other units) before training",
    ),
  badTime: (at: SourcePosition, row: number, column: string, text: string, why: string) =>
    make(
      "error",
      dataCodes.badTime,
      at,
      `${cell(row, column)} is ${quoteShort(text)}, which is not a date: ${why}`,
      "write dates as ISO `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (`YYYY-MM-DDTHH:MM:SSZ` works too), or name their format with `data.time_format`, e.g. `DD.MM.YYYY`",
    ),
  duplicateTime: (at: SourcePosition, row: number, column: string, text: string, firstLine: number) =>
    make("error", dataCodes.duplicateTime, at, `${cell(row, column)} repeats the time ${quoteShort(text)}`, `line ${firstLine} has the same time; a series has one row per time step`),
  tooFewRows: (at: SourcePosition, message: string, hint: string) => make("error", dataCodes.tooFewRows, at, message, hint),
  invalidDataOption: (at: SourcePosition, message: string, hint: string) => make("error", dataCodes.invalidDataOption, at, message, hint),
  unknownLabel: (at: SourcePosition, row: number, column: string, label: string, labels: readonly string[]) =>
    make("error", dataCodes.unknownLabel, at, `${cell(row, column)} is the class ${quoteShort(label)}, which is not one of the model's classes`, `classes: ${list(labels)}`),
  irregularTime: (at: SourcePosition, row: number, column: string, gap: string, usual: string) =>
    make(
      "warning",
      dataCodes.irregularTime,
      at,
      `${cell(row, column)} comes ${gap} after the previous row, but rows are usually ${usual} apart`,
      "windows, differences and seasons count rows, not time: a gap silently joins the rows either side of it; fill it if that matters",
    ),
  /** Stands for the rest of one column's diagnostics of one code, so a bad export does not bury the output. */
  more: (first: Diagnostic, count: number, column: string): Diagnostic => ({
    ...first,
    message: `${count} more like this in column \`${column}\`, the first at this line`,
    hint: "only the first few per column and kind are listed",
  }),
};
