import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { closest } from "../diagnostics/suggest.ts";
import type { Table } from "./csv.ts";
import { dataDiag } from "./diagnostics.ts";

export type ColumnKind = "numeric" | "categorical";

/**
 * Checks that each named column was read, and read as the kind asked for. A column the file has but that was not
 * read (or was read as the other kind) is a configuration slip, not a typo, so it gets its own message.
 */
export function requireColumns(table: Table, names: readonly string[], kind: ColumnKind, role: string, at: SourcePosition): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    if (table[kind][name] !== undefined) continue;
    const other: ColumnKind = kind === "numeric" ? "categorical" : "numeric";
    const where = { ...at, column: table.fields[name] ?? at.column };
    if (table[other][name] !== undefined) {
      diagnostics.push(dataDiag.invalidDataOption(where, `the ${role} \`${name}\` was read as ${other}, but it must be ${kind}`, `list \`${name}\` among the ${kind} columns when reading the table`));
    } else if (table.header.includes(name)) {
      diagnostics.push(dataDiag.invalidDataOption(where, `the ${role} \`${name}\` was not read from the CSV`, `list \`${name}\` among the ${kind} columns when reading the table`));
    } else {
      diagnostics.push(dataDiag.unknownColumn(where, name, table.header, closest(name, table.header)));
    }
  }
  return diagnostics;
}

/** Every name at most once: a feature listed twice would silently double its weight in the input. */
export function requireDistinct(names: readonly string[], role: string, at: SourcePosition): Diagnostic[] {
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  return [...new Set(repeated)].map((name) => dataDiag.invalidDataOption(at, `the ${role} \`${name}\` is listed more than once`, "list each column once"));
}

/** A window length, horizon or season: a whole number of rows, at least 1. */
export function requireCount(value: number, what: string, at: SourcePosition): Diagnostic[] {
  return Number.isInteger(value) && value >= 1 ? [] : [dataDiag.invalidDataOption(at, `${what} is ${value}, but it must be a whole number of rows, at least 1`, `set ${what} to 1 or more`)];
}
