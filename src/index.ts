/**
 * rnnc as a library: `import { compile, train, predict } from "rnnc"`.
 *
 * - `compile(source, options)` is the pure core: spec text in, generated files and diagnostics out; no file system.
 * - `compileFile(path)` reads a spec first and records its path as `rnnc compile` does; it writes nothing.
 * - `train(spec, options)` and `predict(spec, options)` run the CLI's own code in this process, on files.
 *
 * None of them prints or exits: problems come back as `Diagnostic` values with stable codes (RNNC…), the file, line
 * and column, and a hint; `formatDiagnostic` renders one as the CLI would. Only a bug in rnnc throws.
 */
export { compile, compilerVersion, type CompileOptions, type CompileResult, type OutputFile } from "./compile.ts";
export { compileFile, type CompileFileOptions } from "./api/compile-file.ts";
export { train, type EpochLog, type TrainOptions, type TrainResult } from "./api/train.ts";
export { predict, type PredictOptions, type PredictResult } from "./api/predict.ts";
export type { JsonObject } from "./api/capture.ts";
export { hasErrors, type Diagnostic, type Severity, type SourcePosition } from "./diagnostics/diagnostic.ts";
export { codes, type DiagnosticCode } from "./diagnostics/codes.ts";
export { formatDiagnostic } from "./diagnostics/format.ts";
export type { Precision } from "./emit/module.ts";
