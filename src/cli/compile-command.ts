import { existsSync } from "node:fs";
import { posix, resolve } from "node:path";
import { compile } from "../compile.ts";
import { diag } from "../diagnostics/codes.ts";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Precision } from "../emit/module.ts";
import { escapeOutput, escapeText } from "../diagnostics/escape.ts";
import { dumpGraph } from "../ir/dump.ts";
import { checkTarget, companionFiles, targetFiles } from "../targets/pytorch/compile-target.ts";
import { javascriptFiles } from "../emit/javascript.ts";
import type { Target } from "../emit/target.ts";
import { checkSpecCsv } from "./csv-source.ts";
import { checkSpecText, textSpecOf } from "./text-source.ts";
import { dataAccess } from "./data-path.ts";
import { exitCodes } from "./exit-codes.ts";
import { writeFilesAtomically } from "./atomic-write.ts";
import { displayPath, readIfExists, readText, type Io } from "./io.ts";
import { clobberedInput } from "./output-path.ts";
import { projectPath } from "./project.ts";
import { specFolderFromOutDir } from "./script-location.ts";
import { exitCodeFor, failWith, report, type DiagnosticsFormat } from "./report.ts";

export interface CompileCommandOptions {
  readonly outDir: string;
  readonly check: boolean;
  readonly precision: Precision;
  readonly diagnostics: DiagnosticsFormat;
  /** Print each spec's IR (every tensor with its inferred shape) instead of writing files. */
  readonly dumpIr?: boolean;
  readonly allowExternalData?: boolean;
  readonly maxDataBytes?: number;
  /** `js`: also an ES module `<name>.js` and its `<name>.d.ts` beside the TypeScript, for Node and browsers without a loader. */
  readonly emit?: "ts" | "js";
  /** `training` (the default) or `inference` (src/emit/target.ts), or `pytorch` (a Python training script, src/targets/pytorch). */
  readonly target?: string;
}

/**
 * Compiles every spec; writes nothing unless all of them compile and all of them can be written, so one bad spec or
 * one unwritable file never leaves a half-updated tree.
 * With --check it writes nothing at all and names each output that differs from what its spec produces now.
 */
export async function compileCommand(io: Io, specs: readonly string[], options: CompileCommandOptions): Promise<number> {
  const fail = failWith(io, options.diagnostics);
  const unknownTarget = checkTarget(options.target, specs[0] ?? "compile");
  if (unknownTarget !== undefined) return fail([unknownTarget]);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const outputs: { path: string; content: string; spec: string }[] = [];
  for (const spec of specs) {
    const specPath = displayPath(io, spec);
    const read = readText(io, spec);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    sources.set(specPath, read.value);
    const moduleTarget: Target = options.target === "inference" ? "inference" : "training";
    const result = compile(read.value, { specPath, headerPath: projectPath(io, spec), precision: options.precision, target: moduleTarget });
    diagnostics.push(...result.diagnostics);
    // compile() stays pure; the CLI reads the spec's CSV, when it can, to check its columns and classes now.
    const data = result.graph?.data;
    if (data !== undefined && !hasErrors(result.diagnostics) && result.graph !== undefined) {
      diagnostics.push(...checkSpecCsv(io, { specPath, specSource: read.value, source: data, access: dataAccess(options) }, result.graph));
    }
    if (data === undefined && !hasErrors(result.diagnostics) && result.graph !== undefined) {
      const text = textSpecOf(specPath, read.value, result.graph, dataAccess(options));
      if (text !== undefined) diagnostics.push(...checkSpecText(io, text, result.graph, result.graph.train.seed));
    }
    if (options.dumpIr === true && result.graph !== undefined) io.stdout(escapeOutput(dumpGraph(result.graph)));
    const target = { specPath, headerPath: projectPath(io, spec), source: read.value, specFolder: specFolderFromOutDir(io, options.outDir, spec) };
    const outDir = displayPath(io, options.outDir);
    const modules = options.emit === "js" ? result.files.flatMap((file) => [file, ...javascriptFiles(file)]) : result.files;
    const files = [...targetFiles(options.target, { ...result, files: modules }, target), ...(options.check ? companionFiles(options.target, result, target, (path) => existsSync(resolve(io.cwd, path)), outDir) : [])];
    for (const file of files) outputs.push({ path: posix.join(outDir, file.path), content: file.content, spec: specPath });
  }
  const seen = new Map<string, string>();
  for (const output of outputs) {
    const first = seen.get(output.path);
    if (first !== undefined) {
      diagnostics.push(diag.usage({ file: output.spec, line: 1, column: 1 }, `${output.spec} and ${first} both generate ${output.path}`, "give each spec its own `name`"));
    }
    seen.set(output.path, output.spec);
  }
  report(io, diagnostics, options.diagnostics, sources);
  if (hasErrors(diagnostics)) return exitCodeFor(diagnostics);

  if (options.dumpIr === true) return exitCodes.ok;
  if (options.check) {
    const stale = outputs.filter((output) => readIfExists(io, output.path) !== output.content);
    for (const output of stale) {
      const state = readIfExists(io, output.path) !== undefined ? "stale" : existsSync(resolve(io.cwd, output.path)) ? "not a readable file (a pipe, device or folder, or too large)" : "missing";
      io.stderr(`${escapeText(output.path)}: ${state}; regenerate it with \`npx compile ${escapeText(output.spec)}${options.target === undefined || options.target === "training" ? "" : ` --target ${escapeText(options.target)}`}${options.emit === "js" ? " --emit js" : ""}\`\n`);
    }
    if (stale.length > 0) return exitCodes.checkFailed;
    io.stdout(`${outputs.length} generated file${outputs.length === 1 ? " is" : "s are"} up to date\n`);
    return exitCodes.ok;
  }

  // Every spec's output is written, or none: all temporaries first, then the renames (see writeFilesAtomically).
  const changed = outputs.filter((output) => readIfExists(io, output.path) !== output.content);
  const clobbered = changed.map((output) => clobberedInput(io, output.path, specs.map((spec) => ({ role: "spec", path: spec })))).filter((d) => d !== undefined);
  if (clobbered.length > 0) return fail(clobbered);
  const unwritable = await writeFilesAtomically(io, changed, { createFolders: true });
  if (unwritable !== undefined) return fail([unwritable]);
  for (const output of outputs) io.stdout(changed.includes(output) ? `wrote ${escapeText(output.path)}\n` : `${escapeText(output.path)} is up to date\n`);
  return exitCodes.ok;
}
