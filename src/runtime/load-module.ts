import { ts } from "ts-morph";
import type { GeneratedModule } from "./generated-module.ts";

/**
 * Turns the text of a generated module into a live module: strip the types, import it from a data: URL.
 * The module has no imports, so nothing needs resolving. `train` uses this on the text `compile` would write.
 */
export async function loadGeneratedModule(source: string): Promise<GeneratedModule> {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false },
  });
  const url = `data:text/javascript;base64,${Buffer.from(outputText, "utf8").toString("base64")}`;
  const loaded = (await import(url)) as Partial<GeneratedModule>;
  if (typeof loaded.createModel !== "function" || !Array.isArray(loaded.PARAMETERS)) {
    throw new Error("not an rnnc generated module: createModel or PARAMETERS is missing");
  }
  return loaded as GeneratedModule;
}
