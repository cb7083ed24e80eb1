import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { hasErrors, type Diagnostic } from "./diagnostics/diagnostic.ts";
import { diag } from "./diagnostics/codes.ts";
import { emitModule, type Precision } from "./emit/module.ts";
import type { Target } from "./emit/target.ts";
import { verifyModuleText } from "./emit/verify.ts";
import { lower } from "./ir/lower.ts";
import type { Graph } from "./ir/types.ts";
import { parseSpecDocument } from "./spec/document.ts";
import { validateSpec } from "./spec/validate.ts";

export const compilerVersion: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export interface CompileOptions {
  /** The spec's path as the user wrote it: used in diagnostics (and the generated header unless `headerPath` is given). */
  readonly specPath: string;
  /** The spec's path for the generated header, e.g. relative to the project root so output does not depend on the working directory. */
  readonly headerPath?: string;
  /** float32 (the default, PyTorch's) or float64 (for gradient checks). */
  readonly precision?: Precision;
  /** training (the default) or inference: forward and streaming only (src/emit/target.ts). */
  readonly target?: Target;
  /** Overrides the spec's train.threads (`rnnc train|bench --threads`). */
  readonly threads?: number | "auto";
}

export interface OutputFile {
  /** Relative to the output directory: `<name>.ts`. */
  readonly path: string;
  readonly content: string;
}

export interface CompileResult {
  readonly files: readonly OutputFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly graph?: Graph;
}

/** load → validate → lower → emit. Pure: no file system, no globals; the CLI does the I/O. Diagnostics come in source order. */
export function compile(source: string, options: CompileOptions): CompileResult {
  const result = compilePhases(source, options);
  const diagnostics = [...result.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ...result, diagnostics };
}

function compilePhases(source: string, options: CompileOptions): CompileResult {
  const parsed = parseSpecDocument(options.specPath, source);
  if (parsed.document === undefined) return { files: [], diagnostics: parsed.diagnostics };
  const validated = validateSpec(parsed.document);
  if (validated.spec === undefined) return { files: [], diagnostics: validated.diagnostics };
  const lowered = lower(validated.spec, parsed.document);
  if (lowered.graph === undefined || hasErrors(lowered.diagnostics)) return { files: [], diagnostics: lowered.diagnostics };

  const graph = options.threads === undefined ? lowered.graph : { ...lowered.graph, train: { ...lowered.graph.train, threads: options.threads } };
  const content = emitModule(graph, {
    specPath: options.headerPath ?? options.specPath,
    specSha256: sha256(source),
    precision: options.precision ?? "float32",
    compilerVersion,
    ...(options.target === undefined ? {} : { target: options.target }),
  });
  const path = `${lowered.graph.name}.ts`;
  const problems = verifyModuleText(path, content);
  if (problems.length > 0) {
    const at = { file: options.specPath, line: 1, column: 1 };
    return { files: [], diagnostics: [...lowered.diagnostics, diag.internalError(at, `the generated ${path} would not load: ${problems.slice(0, 3).join("; ")}`)] };
  }
  return { files: [{ path, content }], diagnostics: lowered.diagnostics, graph };
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
