import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

/**
 * The checks commander's argument parsers make on the command line (src/cli/main.ts), for options that come from
 * code instead: a count must be a positive safe integer. Each failure is a diagnostic (RNNC0170) at the spec.
 */
export function checkCounts(spec: string, counts: Readonly<Record<string, number | undefined>>): Diagnostic[] {
  const at = { file: spec, line: 1, column: 1 };
  return Object.entries(counts)
    .filter(([, value]) => value !== undefined && !(Number.isSafeInteger(value) && value >= 1))
    .map(([option]) => diag.apiOption(at, option, "a positive integer"));
}
