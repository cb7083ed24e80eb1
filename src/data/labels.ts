import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { CellProblems } from "./cell-problems.ts";
import type { Table } from "./csv.ts";
import { dataDiag } from "./diagnostics.ts";

/**
 * The class set: the caller's (for a model whose classes are fixed), or every distinct value of the column over all
 * rows, in code-unit order (not locale order, so it is the same on every machine). All rows, not just training
 * rows: the class set is part of the task's definition, not a fitted statistic, and a class that first appears
 * after the training period must still have an index (it is then simply never trained on).
 */
export function fitLabels(values: readonly string[], given?: readonly string[]): string[] {
  if (given !== undefined) return [...given];
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The class index of every row from `fromRow` on (earlier rows are never a window's last step or target, so their
 * labels do not matter); a label outside the class set is an error at its cell.
 */
export function labelIndices(table: Table, column: string, labels: readonly string[], fromRow: number): { indices?: Int32Array; diagnostics: Diagnostic[] } {
  const values = table.categorical[column] ?? [];
  const index = new Map(labels.map((label, i) => [label, i]));
  const indices = new Int32Array(values.length).fill(-1);
  const problems = new CellProblems();
  for (let r = fromRow; r < values.length; r++) {
    const label = values[r] ?? "";
    const i = index.get(label);
    if (i !== undefined) indices[r] = i;
    else {
      const at = { file: table.file, line: table.lines[r] ?? 1, column: table.fields[column] ?? 1 };
      problems.add(column, "unknownLabel", dataDiag.unknownLabel(at, table.rows[r] ?? r + 1, column, label, labels));
    }
  }
  const diagnostics = problems.diagnostics();
  return diagnostics.length > 0 ? { diagnostics } : { indices, diagnostics };
}
