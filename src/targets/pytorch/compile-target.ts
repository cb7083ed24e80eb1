import { compilerVersion, sha256, type CompileResult, type OutputFile } from "../../compile.ts";
import { diag } from "../../diagnostics/codes.ts";
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";
import { readsText } from "./spec-data.ts";
import { emitPytorch } from "./target.ts";

/** The targets `compile --target` knows: the TypeScript trainer (the default), the inference-only module, the PyTorch script. */
export const targets = ["training", "inference", "pytorch"] as const;

export interface TargetContext {
  /** The spec's path as the user wrote it, for diagnostics. */
  readonly specPath: string;
  /** The spec's path for the generated header (relative to the project root). */
  readonly headerPath: string;
  /** The spec's text, whose SHA-256 the script carries into its checkpoints. */
  readonly source: string;
  /** The spec's folder relative to the output folder (`../models`): where the script finds the spec's data.csv. */
  readonly specFolder?: string;
}

/** `<name>.py`: the spec's PyTorch training script, from the graph compile() lowered. Pure. */
export function pytorchFile(result: CompileResult, context: TargetContext): OutputFile | undefined {
  if (result.graph === undefined) return undefined;
  const content = emitPytorch(result.graph, { specPath: context.headerPath, specSha256: sha256(context.source), compilerVersion, specFolder: context.specFolder ?? ".", textData: readsText(context.specPath, context.source) });
  return { path: `${result.graph.name}.py`, content };
}

/** RNNC0191 when `--target` names no target rnnc has; reported once, at the first spec. */
export function checkTarget(target: string | undefined, firstSpec: string): Diagnostic | undefined {
  if (target === undefined || (targets as readonly string[]).includes(target)) return undefined;
  return diag.unknownTarget({ file: firstSpec, line: 1, column: 1 }, target, targets);
}

/**
 * The files `compile --target <target>` writes for one compiled spec: the TypeScript module for `training` (or no
 * --target), the Python script for `pytorch`.
 */
export function targetFiles(target: string | undefined, result: CompileResult, context: TargetContext): readonly OutputFile[] {
  if (target !== "pytorch") return result.files;
  const file = pytorchFile(result, context);
  return file === undefined ? [] : [file];
}

/**
 * What `compile --check` also compares when the TypeScript module is the target: the spec's PyTorch script, if one
 * has been generated beside it (`exists(path)`), so a stale `<name>.py` fails the check too.
 */
export function companionFiles(target: string | undefined, result: CompileResult, context: TargetContext, exists: (path: string) => boolean, outDir: string): readonly OutputFile[] {
  if (target !== undefined && target !== "training") return [];
  const file = pytorchFile(result, context);
  return file !== undefined && exists(`${outDir}/${file.path}`) ? [file] : [];
}
