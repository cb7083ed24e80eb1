import { readFileSync } from "node:fs";
import { compile } from "../../src/compile.ts";
import type { Precision } from "../../src/emit/module.ts";
import type { GeneratedModule } from "../../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../../src/runtime/load-module.ts";

/** Compiles a spec file (path relative to the repo root) and loads the result, failing loudly on any diagnostic. */
export async function compileSpecFile(specPath: string, precision: Precision = "float32"): Promise<{ module: GeneratedModule; content: string }> {
  const result = compile(readFileSync(specPath, "utf8"), { specPath, precision });
  const file = result.files[0];
  if (file === undefined) throw new Error(`${specPath} did not compile: ${JSON.stringify(result.diagnostics)}`);
  return { module: await loadGeneratedModule(file.content), content: file.content };
}
