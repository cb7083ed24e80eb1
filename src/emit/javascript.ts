import { Project, ts } from "ts-morph";

export interface EmittedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * `--emit js`: the generated TypeScript module as an ES module `.js` and its `.d.ts`, for plain Node and browsers
 * (no loader, no build step) and for TypeScript users of the `.js`. TypeScript's own emitter, in memory: the same
 * module gives the same bytes. The header keeps saying how to regenerate, with `--emit js`.
 */
export function javascriptFiles(file: EmittedFile): EmittedFile[] {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      lib: ["lib.es2022.d.ts"],
      strict: true,
      declaration: true,
      removeComments: false,
      newLine: ts.NewLineKind.LineFeed,
      outDir: "/out",
    },
  });
  const base = file.path.replace(/\.ts$/, "");
  project.createSourceFile(`/src/${file.path}`, file.content);
  const result = project.emitToMemory();
  const problems = result.getDiagnostics();
  if (problems.length > 0) {
    const messages = problems.slice(0, 3).map((d) => ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, " "));
    throw new Error(`the generated ${file.path} does not type-check for --emit js: ${messages.join("; ")}`);
  }
  const byName = new Map(result.getFiles().map((emitted) => [emitted.filePath.replace(/^.*\//, ""), emitted.text]));
  // the header (the three comment lines above the first declaration): declaration emit drops it
  const header = file.content.slice(0, file.content.indexOf("\n/**") + 1).replace(/^(\/\/ Regenerate with `npx compile [^`]*)`/m, "$1 --emit js`");
  return [`${base}.js`, `${base}.d.ts`].map((path) => {
    const content = byName.get(path.replace(/^.*\//, ""));
    if (content === undefined) throw new Error(`TypeScript emitted no ${path}`);
    const body = content.startsWith("// Generated from ") ? content.slice(content.indexOf("\n/**") + 1) : content;
    return { path, content: `${header}${body}` };
  });
}
