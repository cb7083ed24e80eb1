import { Project, ts, type SourceFile } from "ts-morph";

/**
 * typecheckModule (test/helpers/typecheck.ts) for many modules in a row: one in-memory project checks each module on
 * its own (added, checked, removed), so the standard library is parsed once, not per module (~0.2 s a module instead of
 * ~1 s). The settings must stay those of typecheckModule; test/graph-fuzz.test.ts checks that both agree on a source
 * that breaks each of them. Messages are flattened from the compiler's own diagnostic, so that chained messages read
 * in full (typecheckModule shows those as `undefined`).
 */
export class ModuleTypeChecker {
  private readonly project = new Project({
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

  check(fileName: string, content: string): string[] {
    const file: SourceFile = this.project.createSourceFile(fileName, content, { overwrite: true });
    try {
      return this.project
        .getPreEmitDiagnostics()
        .filter((d) => d.getSourceFile()?.getFilePath() === file.getFilePath() || d.getSourceFile() === undefined)
        .map((d) => `${d.getLineNumber() ?? 0}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n")}`);
    } finally {
      this.project.removeSourceFile(file);
    }
  }
}
