import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { closest } from "../diagnostics/suggest.ts";
import { dataDiag } from "./diagnostics.ts";

/** The delimiters `data.delimiter` takes, and how each is named in messages and written in a spec. */
export const delimiters: Readonly<Record<string, { readonly name: string; readonly yaml: string }>> = {
  ",": { name: "commas", yaml: '","' },
  ";": { name: "semicolons", yaml: '";"' },
  "\t": { name: "tabs", yaml: '"\\t"' },
  "|": { name: "vertical bars", yaml: '"|"' },
};

/**
 * Another delimiter that would find more of the wanted columns in the header than `current` does: a semicolon
 * export read with commas has one column named `date;temp;rain`, and listing every missing column would bury that.
 */
export function betterDelimiter(header: readonly string[], current: string, wanted: readonly string[]): string | undefined {
  const text = header.join(current);
  const found = (fields: readonly string[]): number => wanted.filter((name) => fields.includes(name)).length;
  let best: string | undefined;
  let bestCount = found(header);
  for (const candidate of Object.keys(delimiters)) {
    if (candidate === current) continue;
    const fields = text.split(candidate).map((field) => field.trim().replace(/^"(.*)"$/, "$1"));
    const count = found(fields);
    if (fields.length >= 2 && count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

export interface ColumnRequest {
  readonly time?: string;
  readonly numeric: readonly string[];
  readonly categorical?: readonly string[];
  readonly delimiter?: string;
}

/** The 1-based field number of every column asked for; a missing, repeated or twice-asked-for column is an error. */
export function resolveColumns(header: readonly string[], request: ColumnRequest, at: SourcePosition): { fields: Record<string, number>; diagnostics: Diagnostic[] } {
  const fields: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  const wanted = [...(request.time === undefined ? [] : [request.time]), ...request.numeric, ...(request.categorical ?? [])];
  const current = request.delimiter ?? ",";
  if (wanted.some((name) => !header.includes(name))) {
    const better = betterDelimiter(header, current, wanted);
    const found = better === undefined ? undefined : delimiters[better];
    if (found !== undefined) return { fields, diagnostics: [diag.csvDelimiter(at, found.name, delimiters[current]?.name ?? JSON.stringify(current), found.yaml)] };
  }
  if (wanted.length > 0 && wanted.every((name) => !header.includes(name))) return { fields, diagnostics: [dataDiag.noKnownColumns(at, [...new Set(wanted)], header.length)] };
  for (const name of new Set(wanted)) {
    const first = header.indexOf(name);
    const second = header.indexOf(name, first + 1);
    if (first < 0) diagnostics.push(dataDiag.unknownColumn(at, name, header, closest(name, header)));
    else if (second >= 0) diagnostics.push(dataDiag.csvSyntax({ ...at, column: second + 1 }, `the header names \`${name}\` twice`));
    else fields[name] = first + 1;
    if (wanted.indexOf(name) !== wanted.lastIndexOf(name)) {
      diagnostics.push(dataDiag.invalidDataOption({ ...at, column: fields[name] ?? 1 }, `column \`${name}\` is asked for more than once`, "a column is the time, a numeric or a categorical column: pick one"));
    }
  }
  return { fields, diagnostics };
}
