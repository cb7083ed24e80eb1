import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { quoteShort } from "../diagnostics/escape.ts";

/**
 * Day- and month-first dates (`01.02.2000`) in a time column. They are one problem of the column, not of each cell:
 * one diagnostic at the first, with the order the data forces when some value settles it (a 13 can only be a day).
 */
export class AmbiguousTimes {
  private first?: { at: SourcePosition; row: number; text: string; formats: { dayFirst: string; monthFirst: string } };
  private count = 0;
  private forced?: { order: "dayFirst" | "monthFirst"; row: number; text: string };

  add(at: SourcePosition, row: number, text: string, formats: { dayFirst: string; monthFirst: string }): void {
    this.first ??= { at, row, text, formats };
    this.count++;
    if (this.forced !== undefined) return;
    const [a, b] = text.split(/[/.\-T ]/).map(Number);
    if ((a ?? 0) > 12) this.forced = { order: "dayFirst", row, text };
    else if ((b ?? 0) > 12) this.forced = { order: "monthFirst", row, text };
  }

  diagnostics(column: string): Diagnostic[] {
    const first = this.first;
    if (first === undefined) return [];
    const { dayFirst, monthFirst } = first.formats;
    const others = this.count > 1 ? ` (and ${this.count - 1} more rows like it)` : "";
    const message = `row ${first.row}, column \`${column}\` is ${quoteShort(first.text)}${others}: day-month or month-day? Dates written this way are read only with \`data.time_format\``;
    const forced = this.forced;
    const hint =
      forced === undefined
        ? `set \`data.time_format: "${dayFirst}"\` (day first) or \`"${monthFirst}"\` (month first) in the spec`
        : `row ${forced.row} is ${quoteShort(forced.text)}, so the ${forced.order === "dayFirst" ? "day" : "month"} comes first: set \`data.time_format: "${forced.order === "dayFirst" ? dayFirst : monthFirst}"\` in the spec`;
    return [diag.ambiguousTime(first.at, message, hint)];
  }
}
