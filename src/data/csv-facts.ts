import { CsvError, parse } from "csv-parse/sync";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { quoteShort } from "../diagnostics/escape.ts";
import { closest } from "../diagnostics/suggest.ts";
import type { DataConfig } from "./config.ts";
import { csvErrorMessage } from "./csv-errors.ts";
import { dataDiag } from "./diagnostics.ts";
import { betterDelimiter, delimiters } from "./header.ts";
import type { Task } from "./preprocessing.ts";

/** What a spec needs to know of its CSV before training: the header, and the class names of a classification target. */
export interface CsvFacts {
  readonly file: string;
  readonly header: readonly string[];
  /** Distinct non-empty values of the target column, sorted as the class set is (code-unit order). */
  readonly labels?: readonly string[];
}

/** Reads the header and (for a class target) the class names; never throws for bad input. */
export function readCsvFacts(text: string, file: string, options: { readonly delimiter?: string; readonly target?: string }): { facts?: CsvFacts; diagnostics: Diagnostic[] } {
  let records: string[][];
  try {
    const parsed: unknown = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, delimiter: options.delimiter ?? "," });
    records = (Array.isArray(parsed) ? parsed : []).filter((record): record is string[] => Array.isArray(record) && !(record.length === 1 && String(record[0]).trim() === ""));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === "number" && error.lines > 0 ? error.lines : 1;
    return { diagnostics: [dataDiag.csvSyntax({ file, line, column: 1 }, csvErrorMessage(error))] };
  }
  const header = (records[0] ?? []).map((name) => name.trim());
  const field = options.target === undefined ? -1 : header.indexOf(options.target);
  if (field < 0) return { facts: { file, header }, diagnostics: [] };
  const labels = new Set<string>();
  for (let r = 1; r < records.length; r++) {
    const label = (records[r]?.[field] ?? "").trim();
    if (label !== "") labels.add(label);
  }
  return { facts: { file, header, labels: [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) }, diagnostics: [] };
}

export interface SpecExpectation {
  readonly task: Task;
  /** cross_entropy: the number of classes the last node predicts, and its id. */
  readonly classes?: number;
  readonly predictor: string;
}

/**
 * The CSV against the spec, as `compile` can check it without training: the delimiter, every column the spec names
 * (reported at the spec key that names it), and the class count of a class target.
 */
export function checkCsvAgainstSpec(facts: CsvFacts, config: DataConfig, expectation: SpecExpectation, at: (path: readonly (string | number)[]) => SourcePosition): Diagnostic[] {
  const { header, file } = facts;
  const named: { name: string; path: (string | number)[] }[] = [
    ...(config.time === undefined ? [] : [{ name: config.time, path: ["data", "time"] }]),
    ...config.features.map((name, i) => ({ name, path: ["data", "features", i] })),
    { name: config.target, path: ["data", "target"] },
  ];
  const current = config.delimiter ?? ",";
  const better = betterDelimiter(header, current, named.map((n) => n.name));
  const found = better === undefined ? undefined : delimiters[better];
  if (found !== undefined) return [diag.csvDelimiter({ file, line: 1, column: 1 }, found.name, delimiters[current]?.name ?? JSON.stringify(current), found.yaml)];
  const missing = named.filter(({ name }) => !header.includes(name));
  if (missing.length === named.length) return [dataDiag.noKnownColumns(at(["data", "csv"]), named.map((n) => n.name), header.length, file)];
  const diagnostics = missing.map(({ name, path }) => dataDiag.unknownColumn(at(path), name, header, closest(name, header), file));
  const { labels } = facts;
  // No labels at all means no data rows: that is reported when the rows are read, not as "0 classes".
  if (expectation.task === "classification" && expectation.classes !== undefined && labels !== undefined && labels.length > 0 && labels.length !== expectation.classes) {
    const short = labels.slice(0, 10).map((label) => (Array.from(label).length > 30 ? quoteShort(label, 30) : label));
    const shown = labels.length > 10 ? `${short.join(", ")}, …` : short.join(", ");
    diagnostics.push(
      diag.dataMismatch(
        at(["data", "target"]),
        `the target column \`${config.target}\` holds ${labels.length} classes (${shown}), but \`${expectation.predictor}\` predicts ${expectation.classes}`,
        `set \`out_features: ${labels.length}\` on \`${expectation.predictor}\``,
      ),
    );
  }
  return diagnostics;
}
