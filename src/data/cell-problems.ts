import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { dataDiag } from "./diagnostics.ts";

/** How many diagnostics of one kind one column may produce before the rest are summed up in one. */
export const perColumnLimit = 5;

/**
 * Collects cell diagnostics, keeping the first few per column and kind: a column of 10,000 blanks deserves
 * five lines and a count, not 10,000 lines.
 */
export class CellProblems {
  private readonly groups = new Map<string, { column: string; kept: Diagnostic[]; overflow?: Diagnostic; extra: number }>();
  private readonly order: string[] = [];

  add(column: string, kind: string, diagnostic: Diagnostic): void {
    const key = `${column}\u0000${kind}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { column, kept: [], extra: 0 };
      this.groups.set(key, group);
      this.order.push(key);
    }
    if (group.kept.length < perColumnLimit) group.kept.push(diagnostic);
    else {
      group.overflow ??= diagnostic;
      group.extra++;
    }
  }

  /** In file order (line, then field), as an editor lists them; a summary sits at its first unlisted cell. */
  diagnostics(): Diagnostic[] {
    const all = this.order.flatMap((key) => {
      const group = this.groups.get(key);
      if (group === undefined) return [];
      return group.overflow === undefined ? group.kept : [...group.kept, dataDiag.more(group.overflow, group.extra, group.column)];
    });
    return all.sort((a, b) => a.line - b.line || a.column - b.column);
  }
}
