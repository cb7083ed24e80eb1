import { CsvError, parse } from "csv-parse/sync";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { CellProblems } from "./cell-problems.ts";
import { csvErrorMessage } from "./csv-errors.ts";
import { dataDiag } from "./diagnostics.ts";
import { resolveColumns } from "./header.ts";
import { recordStartLines } from "./lines.ts";
import { AmbiguousTimes } from "./ambiguous-times.ts";
import { findGaps, formatDuration, parseTime } from "./time.ts";
import type { TimeFormat } from "./time-format.ts";

/** The largest finite float32. */
const float32Max = 3.4028234663852886e38;

export interface ReadTableOptions {
  /** A column of dates: rows are sorted by it (stably), and a repeated time is an error. Without it, file order. */
  readonly time?: string;
  /** Columns read as finite numbers. */
  readonly numeric: readonly string[];
  /** Columns read as trimmed strings (class labels). */
  readonly categorical?: readonly string[];
  /** Between fields: `,` (the default), `;`, a tab or `|`. */
  readonly delimiter?: string;
  /** How the time column is written, when it is not ISO 8601 (`data.time_format`). */
  readonly timeFormat?: TimeFormat;
}

/** The columns asked for, one entry per data row, in time order. */
export interface Table {
  readonly file: string;
  /** Every column name of the file, in order: for "did you mean" hints downstream. */
  readonly header: readonly string[];
  readonly rowCount: number;
  /** Milliseconds since the Unix epoch, strictly increasing; present when `time` was given. */
  readonly time?: readonly number[];
  readonly numeric: Readonly<Record<string, readonly number[]>>;
  readonly categorical: Readonly<Record<string, readonly string[]>>;
  /** The 1-based CSV line each row came from, so later phases can point at the file. */
  readonly lines: readonly number[];
  /** The 1-based data-record number of each row in the file (its "row" in messages). */
  readonly rows: readonly number[];
  /** The 1-based field number of each column read. */
  readonly fields: Readonly<Record<string, number>>;
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly bytes: number };
}

function isParsedRecord(value: unknown): value is ParsedRecord {
  if (typeof value !== "object" || value === null || !("record" in value) || !("info" in value)) return false;
  const { record, info } = value;
  return Array.isArray(record) && typeof info === "object" && info !== null && "bytes" in info && typeof info.bytes === "number";
}

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Reads the named columns of a CSV text. Never throws for bad input: every problem is a diagnostic. */
export function readTable(text: string, file: string, options: ReadTableOptions): { table?: Table; diagnostics: Diagnostic[] } {
  const at = (line: number, column = 1) => ({ file, line, column });
  const diagnostics: Diagnostic[] = [];
  // The BOM is dropped here rather than by csv-parse so byte offsets and line numbers agree.
  const bytes = Buffer.from(text.replace(/^\uFEFF/, ""), "utf8");
  let parsed: ParsedRecord[];
  try {
    // relax_column_count: a short row is reported below as an empty cell at its own line, not as a parse failure.
    // csv-parse's types do not model `info: true`, so the shape is checked rather than assumed.
    const output: unknown[] = parse(bytes, { info: true, relax_column_count: true, skip_empty_lines: true, delimiter: options.delimiter ?? "," });
    parsed = output.filter(isParsedRecord);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error; // not bad input: a bug, for the CLI's internal-error path
    // csv-parse's `column` is the 0-based field index.
    const line = typeof error.lines === "number" && error.lines > 0 ? error.lines : 1;
    const column = typeof error.column === "number" ? error.column + 1 : 1;
    return { diagnostics: [dataDiag.csvSyntax(at(line, column), csvErrorMessage(error))] };
  }
  const starts = recordStartLines(bytes, parsed.map((p) => p.info.bytes));
  // A line of spaces is a blank line that skip_empty_lines does not recognise.
  const records = parsed.map((p, i) => ({ cells: p.record, line: starts[i] ?? 1 })).filter((r) => !(r.cells.length === 1 && (r.cells[0] ?? "").trim() === ""));
  const headerRecord = records.shift();
  if (headerRecord === undefined) return { diagnostics: [dataDiag.tooFewRows(at(1), "the CSV file is empty", "a CSV file starts with a header line naming its columns")] };
  const header = headerRecord.cells.map((name) => name.trim());

  const { fields, diagnostics: columnProblems } = resolveColumns(header, options, at(headerRecord.line));
  diagnostics.push(...columnProblems);
  if (diagnostics.length > 0) return { diagnostics };
  if (records.length === 0) {
    return { diagnostics: [dataDiag.tooFewRows(at(headerRecord.line), "the CSV has a header but no data rows", "add one row per time step below the header")] };
  }

  const problems = new CellProblems();
  const ambiguous = new AmbiguousTimes();
  const cellAt = (record: { cells: string[]; line: number }, name: string): { text: string; at: { file: string; line: number; column: number } } => {
    const field = fields[name] ?? 1;
    return { text: (record.cells[field - 1] ?? "").trim(), at: at(record.line, field) };
  };
  const numeric: Record<string, number[]> = {};
  const categorical: Record<string, string[]> = {};
  const times: number[] = [];
  const longRows: { record: { cells: string[]; line: number }; row: number }[] = [];
  records.forEach((record, index) => {
    const row = index + 1;
    if (record.cells.slice(header.length).some((cell) => cell.trim() !== "")) longRows.push({ record, row });
    const present = (name: string): string | undefined => {
      const { text, at: where } = cellAt(record, name);
      if (text !== "") return text;
      problems.add(name, "emptyCell", dataDiag.emptyCell(where, row, name));
      return undefined;
    };
    if (options.time !== undefined) {
      const text = present(options.time);
      const time = text === undefined ? undefined : parseTime(text, options.timeFormat);
      if (text !== undefined && time?.ok === false) {
        const where = cellAt(record, options.time).at;
        if (time.ambiguous !== undefined) ambiguous.add(where, row, text, time.ambiguous);
        else problems.add(options.time, "badTime", dataDiag.badTime(where, row, options.time, text, time.why));
      }
      times.push(time?.ok === true ? time.ms : NaN);
    }
    for (const name of options.numeric) {
      const text = present(name);
      const value = text !== undefined && decimal.test(text) ? Number(text) : NaN;
      if (text !== undefined && !Number.isFinite(value)) problems.add(name, "notANumber", dataDiag.notANumber(cellAt(record, name).at, row, name, text));
      // the model computes in float32: a cell it cannot hold would become Infinity after conversion
      else if (text !== undefined && Math.abs(value) > float32Max) problems.add(name, "notANumber", dataDiag.beyondFloat32(cellAt(record, name).at, row, name, text));
      (numeric[name] ??= []).push(value);
    }
    for (const name of options.categorical ?? []) (categorical[name] ??= []).push(present(name) ?? "");
  });
  const firstLong = longRows[0];
  if (firstLong !== undefined) {
    const { record, row } = firstLong;
    const leftOver = record.cells.slice(header.length).join(options.delimiter ?? ",");
    diagnostics.push(dataDiag.extraFields(at(record.line, header.length + 1), row, record.cells.length, header.length, leftOver, longRows.length - 1));
  }
  diagnostics.push(...ambiguous.diagnostics(options.time ?? ""), ...problems.diagnostics());
  if (diagnostics.length > 0) return { diagnostics: diagnostics.sort((a, b) => a.line - b.line || a.column - b.column) };

  // Stable sort by time (Array.prototype.sort is stable); file order when there is no time column.
  const order = records.map((_, i) => i);
  if (options.time !== undefined) order.sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0));
  const pick = <T>(values: readonly T[]): T[] => order.map((i) => values[i] as T);
  const table: Table = {
    file,
    header,
    rowCount: records.length,
    numeric: Object.fromEntries(Object.entries(numeric).map(([name, values]) => [name, pick(values)])),
    categorical: Object.fromEntries(Object.entries(categorical).map(([name, values]) => [name, pick(values)])),
    lines: pick(records.map((r) => r.line)),
    rows: order.map((i) => i + 1),
    fields,
    ...(options.time === undefined ? {} : { time: pick(times) }),
  };
  if (options.time !== undefined) diagnostics.push(...timeProblems(table, options.time, records));
  return diagnostics.some((d) => d.severity === "error") ? { diagnostics } : { table, diagnostics };
}

/** Duplicate times (errors) and gaps in the time grid (warnings), on the sorted table. */
function timeProblems(table: Table, column: string, records: readonly { cells: string[] }[]): Diagnostic[] {
  const time = table.time ?? [];
  const field = table.fields[column] ?? 1;
  const textOf = (i: number): string => (records[(table.rows[i] ?? 1) - 1]?.cells[field - 1] ?? "").trim();
  const problems = new CellProblems();
  for (let i = 1; i < time.length; i++) {
    if (time[i] !== time[i - 1]) continue;
    // Report the later of the two in file order, pointing back at the earlier.
    const [first, second] = (table.lines[i - 1] ?? 0) < (table.lines[i] ?? 0) ? [i - 1, i] : [i, i - 1];
    const where = { file: table.file, line: table.lines[second] ?? 1, column: field };
    problems.add(column, "duplicateTime", dataDiag.duplicateTime(where, table.rows[second] ?? 1, column, textOf(second), table.lines[first] ?? 1));
  }
  const duplicates = problems.diagnostics();
  if (duplicates.length > 0) return duplicates;
  const { gaps, usual } = findGaps(time);
  for (const i of gaps) {
    const where = { file: table.file, line: table.lines[i] ?? 1, column: field };
    problems.add(column, "irregularTime", dataDiag.irregularTime(where, table.rows[i] ?? 1, column, formatDuration((time[i] ?? 0) - (time[i - 1] ?? 0)), formatDuration(usual)));
  }
  return problems.diagnostics();
}
