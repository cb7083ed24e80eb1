import { codes, escapeControl } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";

/** Report diagnostics, RNNC0160–RNNC0164 (codes in the catalogue, `src/diagnostics/codes.ts`). */
export const reportDiag = {
  /** Two outputs of one run (`--report`, `--metrics-out`, `--save`) name the same file: the later would replace the earlier. */
  outputClash: (at: SourcePosition, first: string, second: string, path: string): Diagnostic => ({
    code: codes.reportOutputClash,
    severity: "error",
    message: escapeControl(`${first} and ${second} both name ${path}: one would overwrite the other`),
    file: at.file,
    line: at.line,
    column: at.column,
    hint: "give each output its own file; nothing was changed",
  }),
};
