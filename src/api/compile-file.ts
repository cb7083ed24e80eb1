import { compile, type CompileResult } from "../compile.ts";
import { displayPath, readText } from "../cli/io.ts";
import { projectPath } from "../cli/project.ts";
import type { Precision } from "../emit/module.ts";

export interface CompileFileOptions {
  /** Paths are relative to this folder; default: the process's working directory. */
  readonly cwd?: string;
  readonly precision?: Precision;
}

/**
 * Reads a spec file and compiles it, as `rnnc compile` does (the same header: the spec's path relative to its
 * project), but writes nothing: the files come back as values, with the diagnostics. `compile` is the pure core.
 */
export function compileFile(path: string, options: CompileFileOptions = {}): CompileResult {
  const io = { cwd: options.cwd ?? process.cwd(), stdout: () => undefined, stderr: () => undefined };
  const read = readText(io, path);
  if (!read.ok) return { files: [], diagnostics: [read.diagnostic] };
  return compile(read.value, { specPath: displayPath(io, path), headerPath: projectPath(io, path), ...(options.precision === undefined ? {} : { precision: options.precision }) });
}
