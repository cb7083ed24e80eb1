import { Project, ts } from "ts-morph";

/**
 * Type-checks a generated module on its own, under settings stricter than most users':
 * if it passes here it compiles in their repos too.
 */
export function typecheckModule(fileName: string, content: string): string[] {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      lib: ["lib.es2022.d.ts"],
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      exactOptionalPropertyTypes: true,
      isolatedModules: true,
      noEmit: true,
    },
  });
  const file = project.createSourceFile(fileName, content);
  return project
    .getPreEmitDiagnostics()
    .filter((d) => d.getSourceFile()?.getFilePath() === file.getFilePath() || d.getSourceFile() === undefined)
    .map((d) => `${d.getLineNumber() ?? 0}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, "\n")}`);
}
