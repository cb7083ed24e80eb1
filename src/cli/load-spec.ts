import { compile } from "../compile.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Graph } from "../ir/types.ts";
import type { GeneratedModule } from "../runtime/generated-module.ts";
import { loadGeneratedModule } from "../runtime/load-module.ts";
import { projectPath } from "./project.ts";
import { displayPath, readText, type Io } from "./io.ts";

export interface LoadedSpec {
  readonly specPath: string;
  readonly graph: Graph;
  readonly module: GeneratedModule;
  /** The spec's text by path, so that diagnostics about it can show the source line. */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * What train, predict and bench start from: the spec compiled in memory to the very text `compile` would write,
 * loaded as a live module, so a stale generated file is never run.
 */
export async function loadSpec(io: Io, spec: string, overrides: { readonly threads?: number | "auto" } = {}): Promise<{ loaded?: LoadedSpec; diagnostics: readonly Diagnostic[]; sources: ReadonlyMap<string, string> }> {
  const specPath = displayPath(io, spec);
  const source = readText(io, spec);
  if (!source.ok) return { diagnostics: [source.diagnostic], sources: new Map() };
  const sources = new Map([[specPath, source.value]]);
  const compiled = compile(source.value, { specPath, headerPath: projectPath(io, spec), ...overrides });
  const generated = compiled.files[0];
  if (generated === undefined || compiled.graph === undefined) return { diagnostics: compiled.diagnostics, sources };
  const module = await loadGeneratedModule(generated.content);
  return { loaded: { specPath, graph: compiled.graph, module, sources }, diagnostics: compiled.diagnostics, sources };
}
