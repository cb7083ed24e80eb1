import { codes, escapeControl } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";

/** Export diagnostics, RNNC0180–RNNC0189 (codes in the catalogue, src/diagnostics/codes.ts). */
function error(code: string, at: SourcePosition, message: string, hint: string): Diagnostic {
  return { code, severity: "error", message: escapeControl(message), file: at.file, line: at.line, column: at.column, hint: escapeControl(hint) };
}

export const exportFormats = ["onnx"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportDiag = {
  unknownFormat: (at: SourcePosition, format: string) =>
    error(codes.unknownExportFormat, at, `unknown export format \`${format}\``, `valid formats: ${exportFormats.map((f) => `\`${f}\``).join(", ")}; nothing was written`),
  notExpressible: (at: SourcePosition, nodeId: string, op: string, reason: string) =>
    error(codes.notExpressibleInOnnx, at, `node \`${nodeId}\` (${op}) cannot be expressed in ONNX: ${reason}`, "export a spec without this node, or use the generated TypeScript module; nothing was written"),
  softmaxOnRegression: (at: SourcePosition, loss: string) =>
    error(
      codes.exportOption,
      at,
      `\`--softmax\` turns logits into class probabilities, but this spec's loss is \`${loss}\`, a regression`,
      "leave out `--softmax`: a regression model's outputs are its values; nothing was written",
    ),
};
