import type { Diagnostic, SourcePosition } from "./diagnostic.ts";

/**
 * The catalogue: every diagnostic the tool can produce, with a stable code.
 * Codes never change meaning; retired codes are not reused.
 * Call sites use the typed constructors in `diag`, never ad-hoc strings.
 */
export const codes = {
  fileUnreadable: "RNNC0001",
  yamlSyntax: "RNNC0002",
  duplicateKey: "RNNC0003",
  fileUnwritable: "RNNC0004",
  unknownKey: "RNNC0010",
  missingKey: "RNNC0011",
  wrongType: "RNNC0012",
  outOfRange: "RNNC0013",
  unknownOp: "RNNC0014",
  invalidValue: "RNNC0015",
  unknownReference: "RNNC0020",
  forwardReference: "RNNC0021",
  duplicateId: "RNNC0022",
  reservedId: "RNNC0023",
  rankMismatch: "RNNC0030",
  dtypeMismatch: "RNNC0031",
  lossTargetMismatch: "RNNC0032",
  modelTooLarge: "RNNC0033",
  dataMismatch: "RNNC0034",
  corruptTensorFile: "RNNC0040",
  tensorMismatch: "RNNC0041",
  labelOutOfRange: "RNNC0042",
  nonFiniteData: "RNNC0043",
  checkpointMismatch: "RNNC0044",
  trainingDiverged: "RNNC0050",
  usage: "RNNC0060",
  internalError: "RNNC0070",
  // CSV data (constructed in src/data/diagnostics.ts, where positions are CSV line and field number)
  csvSyntax: "RNNC0080",
  unknownColumn: "RNNC0081",
  emptyCell: "RNNC0082",
  notANumber: "RNNC0083",
  badTime: "RNNC0084",
  duplicateTime: "RNNC0085",
  tooFewRows: "RNNC0086",
  invalidDataOption: "RNNC0087",
  unknownLabel: "RNNC0088",
  irregularTime: "RNNC0089",
  // Files, checkpoints and outputs (RNNC0100–RNNC0119): what a hostile or damaged file, or a clash between outputs
  // and inputs, must never get past.
  checkpointMetadata: "RNNC0100",
  nonFiniteWeights: "RNNC0101",
  outputIsInput: "RNNC0102",
  tensorFileTooLarge: "RNNC0103",
  // Resuming a run (RNNC0150–RNNC0159)
  resumeUnavailable: "RNNC0150",
  resumeMismatch: "RNNC0151",
  // Reading inputs safely and saying what is wrong with them (RNNC0120–RNNC0139)
  notUtf8: "RNNC0120",
  dataOutsideProject: "RNNC0121",
  fileTooLarge: "RNNC0122",
  csvDelimiter: "RNNC0123",
  ambiguousTime: "RNNC0124",
  invalidTimeFormat: "RNNC0125",
  dataColumnRole: "RNNC0126",
  nestingTooDeep: "RNNC0127",
  // Text data (RNNC0140–RNNC0149): the `data.text` section and the text files it names
  textDataOption: "RNNC0140",
  emptySample: "RNNC0141",
  unknownToken: "RNNC0142",
  // Reports (RNNC0160–RNNC0164): `train --report` and `--metrics-out` (constructed in src/report/diagnostics.ts)
  reportOutputClash: "RNNC0160",
  // `rnnc evaluate` (RNNC0165–RNNC0169)
  evaluateOptions: "RNNC0165",
  nothingToEvaluate: "RNNC0166",
  emptyEvaluation: "RNNC0167",
  // The PyTorch target (RNNC0190–RNNC0199): `compile --target`, and what the generated Python script reports
  pytorchUnavailable: "RNNC0190",
  unknownTarget: "RNNC0191",
  pytorchDataSection: "RNNC0192",
  pytorchDevice: "RNNC0193",
  // Export to other formats (RNNC0180–RNNC0189; constructed in src/export/diagnostics.ts)
  unknownExportFormat: "RNNC0180",
  notExpressibleInOnnx: "RNNC0181",
  exportOption: "RNNC0182",
  // The programmatic API (RNNC0170–RNNC0174): src/index.ts
  apiOption: "RNNC0170",
} as const;

export type DiagnosticCode = (typeof codes)[keyof typeof codes];

/** Control characters from user text (a key with a newline or an escape sequence) are shown escaped, never sent to a terminal. */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function error(code: DiagnosticCode, at: SourcePosition, message: string, hint?: string): Diagnostic {
  const base = { code, severity: "error" as const, message: escapeControl(message), file: at.file, line: at.line, column: at.column };
  return hint === undefined ? base : { ...base, hint: escapeControl(hint) };
}

const list = (items: readonly string[]): string => items.map((item) => `\`${item}\``).join(", ");
const shape = (dims: readonly (string | number)[]): string => `[${dims.join(", ")}]`;

export const diag = {
  fileUnreadable: (at: SourcePosition, reason: string) =>
    error(codes.fileUnreadable, at, `cannot read ${at.file}: ${reason}`, "check the path; it is resolved against the current directory"),
  fileUnwritable: (at: SourcePosition, reason: string, hint = "check that the directory can be created and written; nothing was changed") =>
    error(codes.fileUnwritable, at, `cannot write ${at.file}: ${reason}`, hint),
  yamlSyntax: (at: SourcePosition, message: string) =>
    error(codes.yamlSyntax, at, `YAML syntax error: ${message}`, "a spec is a YAML mapping; check indentation, colons and brackets near here"),
  duplicateKey: (at: SourcePosition, key: string) =>
    error(codes.duplicateKey, at, `duplicate key \`${key}\``, "a key may appear once per mapping; remove one of them"),
  unknownKey: (at: SourcePosition, key: string, where: string, allowed: readonly string[], suggestion: string | undefined) =>
    error(
      codes.unknownKey,
      at,
      `unknown key \`${key}\` in ${where}`,
      suggestion !== undefined ? `did you mean \`${suggestion}\`? valid keys: ${list(allowed)}` : `valid keys: ${list(allowed)}`,
    ),
  missingKey: (at: SourcePosition, key: string, where: string) =>
    error(codes.missingKey, at, `missing required key \`${key}\` in ${where}`, `add \`${key}:\` here`),
  wrongType: (at: SourcePosition, where: string, expected: string, got: string, hint: string) =>
    error(codes.wrongType, at, `${where} must be ${expected}, got ${got}`, hint),
  outOfRange: (at: SourcePosition, where: string, got: string, range: string) =>
    error(codes.outOfRange, at, `${where} is ${got}, which is out of range`, `it must be ${range}`),
  unknownOp: (at: SourcePosition, op: string, valid: readonly string[], suggestion: string | undefined) =>
    error(
      codes.unknownOp,
      at,
      `unknown op \`${op}\``,
      suggestion !== undefined ? `did you mean \`${suggestion}\`? valid ops: ${list(valid)}` : `valid ops: ${list(valid)}`,
    ),
  invalidValue: (at: SourcePosition, where: string, got: string, expected: string) =>
    error(codes.invalidValue, at, `${where} has the invalid value ${got}`, expected),
  unknownReference: (at: SourcePosition, subject: string, ref: string, known: readonly string[], suggestion: string | undefined) =>
    error(
      codes.unknownReference,
      at,
      `${subject} refers to \`${ref}\`, which is neither a spec input nor a node`,
      suggestion !== undefined ? `did you mean \`${suggestion}\`? known: ${list(known)}` : `known: ${list(known)}`,
    ),
  forwardReference: (at: SourcePosition, nodeId: string, ref: string) =>
    error(
      codes.forwardReference,
      at,
      ref === nodeId ? `node \`${nodeId}\` takes its own output as input` : `node \`${nodeId}\` takes input \`${ref}\`, which is defined after it`,
      "nodes run in the order written: move the node it depends on above it (this also rules out cycles)",
    ),
  duplicateId: (at: SourcePosition, id: string, first: SourcePosition) =>
    error(codes.duplicateId, at, `duplicate id \`${id}\``, `\`${id}\` is already defined at ${first.line}:${first.column}; ids must be unique`),
  reservedId: (at: SourcePosition, id: string, why: string) =>
    error(codes.reservedId, at, `the id \`${id}\` is reserved: ${why}`, "pick another name"),
  rankMismatch: (at: SourcePosition, nodeId: string, op: string, expected: string, got: readonly (string | number)[], hint: string) =>
    error(codes.rankMismatch, at, `node \`${nodeId}\` (${op}) expects ${expected}, but its input has shape ${shape(got)}`, hint),
  dtypeMismatch: (at: SourcePosition, nodeId: string, expected: string, got: string) =>
    error(
      codes.dtypeMismatch,
      at,
      `node \`${nodeId}\` expects ${expected}, but its input is ${got}`,
      got === "int32"
        ? "int32 values are token ids, lengths or class indices: turn token ids into vectors with an `embedding` node first, or declare the input as float32"
        : `give it a ${expected} input`,
    ),
  /** One int32 input read as two kinds of integer that share no value (lengths in [1, 6] and token ids in [0, 0]). */
  integerRangeConflict: (at: SourcePosition, input: string, reading: string, earlier: readonly string[]) =>
    error(
      codes.dtypeMismatch,
      at,
      `\`${input}\` can hold no value: ${reading}, but it is also read by ${earlier.join(", ")}`,
      "give each role its own spec input (e.g. a separate `lengths: { shape: [batch], dtype: int32 }`), or widen a range (`num_embeddings`, the number of classes)",
    ),
  lossTargetMismatch: (at: SourcePosition, message: string, hint: string) => error(codes.lossTargetMismatch, at, message, hint),
  dataMismatch: (at: SourcePosition, message: string, hint: string) => error(codes.dataMismatch, at, message, hint),
  modelTooLarge: (at: SourcePosition, what: string, elements: number, limit: number) =>
    error(
      codes.modelTooLarge,
      at,
      `${what} would need ${elements.toLocaleString("en-US")} elements, more than the limit of ${limit.toLocaleString("en-US")}`,
      "reduce the sizes; rnnc refuses before allocating anything",
    ),
  corruptTensorFile: (at: SourcePosition, message: string) =>
    error(codes.corruptTensorFile, at, `corrupt safetensors file: ${message}`, "the file may be truncated or not a safetensors file; write it again"),
  tensorMismatch: (at: SourcePosition, message: string, hint: string) => error(codes.tensorMismatch, at, message, hint),
  /** An int32 input value outside what the model can read: a class index, a token id, a sequence length. */
  labelOutOfRange: (at: SourcePosition, tensor: string, sample: number, position: number | undefined, value: number, range: { min: number; max: number; ignore?: number; what: string }) =>
    error(
      codes.labelOutOfRange,
      at,
      `\`${tensor}\` holds ${value} at sample ${sample}${position === undefined ? "" : `, position ${position}`}, out of range for ${range.what}`,
      `${range.what} must be integers in [${range.min}, ${range.max}]${range.ignore === undefined ? "" : ` (or ${range.ignore}, which the loss ignores)`}`,
    ),
  nonFiniteData: (at: SourcePosition, tensor: string, element: string, value: number, precision: string) =>
    Number.isFinite(value)
      ? error(
          codes.nonFiniteData,
          at,
          `\`${tensor}\` holds ${value} at ${element}, which ${precision} cannot hold (it would become ${value > 0 ? "" : "-"}Infinity)`,
          "rescale the data (standardise it) before training",
        )
      : error(codes.nonFiniteData, at, `\`${tensor}\` holds ${value} at ${element}`, "clean or impute the data before training"),
  unrepresentableInput: (at: SourcePosition, row: number, column: string, value: number, mean: number, std: number) =>
    error(
      codes.nonFiniteData,
      at,
      `row ${row}, column \`${column}\` standardised with the checkpoint's mean ${mean} and std ${std} is ${value}, which float32 cannot hold`,
      "the row, or the checkpoint's statistics, are far outside what the model was trained on; check both",
    ),
  checkpointMismatch: (at: SourcePosition, message: string, hint: string) => error(codes.checkpointMismatch, at, message, hint),
  trainingDiverged: (at: SourcePosition, epoch: number, step: number, what: string) =>
    error(
      codes.trainingDiverged,
      at,
      `training diverged at epoch ${epoch}, step ${step}: ${what}`,
      "lower the learning rate, clip the gradients (train.clip_grad_norm) or normalise the data; --save keeps the last good weights",
    ),
  usage: (at: SourcePosition, message: string, hint: string) => error(codes.usage, at, message, hint),
  resumeUnavailable: (at: SourcePosition, message: string) =>
    error(
      codes.resumeUnavailable,
      at,
      message,
      "it was saved by a run that diverged, by an older rnnc or by another tool; `--init` starts from its weights with a fresh optimizer instead",
    ),
  resumeMismatch: (at: SourcePosition, message: string) =>
    error(codes.resumeMismatch, at, message, "resume with the spec (optimizer and model) the run was saved from, or start from its weights with `--init`"),
  /** `compile --target` names no target rnnc has (the PyTorch target, src/targets/pytorch). */
  unknownTarget: (at: SourcePosition, target: string, known: readonly string[]) =>
    error(codes.unknownTarget, at, `unknown --target \`${target}\``, `valid targets: ${list(known)}`),
  /** A bug in rnnc caught before it could do harm (exit 70): e.g. generated code that does not parse. */
  internalError: (at: SourcePosition, message: string) =>
    error(codes.internalError, at, message, "this is a bug in rnnc, not in your spec; nothing was written. Please report it with the spec"),
  checkpointMetadata: (at: SourcePosition, message: string) =>
    error(
      codes.checkpointMetadata,
      at,
      `the checkpoint's metadata is invalid: ${message}`,
      "the file was edited or damaged after `rnnc train --save` wrote it; save it again from the spec and data",
    ),
  nonFiniteWeights: (at: SourcePosition, tensor: string, element: string, value: number, precision: string) =>
    error(
      codes.nonFiniteWeights,
      at,
      Number.isFinite(value)
        ? `\`${tensor}\` holds ${value} at ${element}, which ${precision} cannot hold (it would become ${value > 0 ? "" : "-"}Infinity)`
        : `\`${tensor}\` holds ${value} at ${element}`,
      "these weights come from a run that diverged or were damaged; start from earlier weights or a fresh init",
    ),
  outputIsInput: (at: SourcePosition, output: string, role: string, input: string) =>
    error(
      codes.outputIsInput,
      at,
      input === output ? `${output} is also the ${role}: writing it would destroy an input` : `${output} is the same file as the ${role} ${input}: writing it would destroy an input`,
      "write to another path; nothing was changed",
    ),
  tensorFileTooLarge: (at: SourcePosition, what: string, limit: string) =>
    error(
      codes.tensorFileTooLarge,
      at,
      `${what}; rnnc reads at most ${limit}`,
      "rnnc's own files have headers of a few kilobytes and a few tensors; this is not one of them, or not a safetensors file",
    ),
  // Reading inputs safely and saying what is wrong with them (RNNC0120–RNNC0139)
  dataFileUnreadable: (at: SourcePosition, path: string, reason: string) =>
    error(codes.fileUnreadable, at, `cannot read ${path}: ${reason}`, "`data.csv` is resolved against the spec's folder (an absolute path is taken as it is)"),
  /** `looksLike`: an encoding recognised from a byte-order mark, named in the message and the hint. */
  notUtf8: (at: SourcePosition, offset: number, byte: number, looksLike?: string) =>
    error(
      codes.notUtf8,
      at,
      looksLike === undefined
        ? `${at.file} is not UTF-8: the byte 0x${byte.toString(16).padStart(2, "0")} at offset ${offset} (line ${at.line}, byte ${at.column} of the line) does not belong to a UTF-8 character`
        : `${at.file} is not UTF-8: it starts with the byte-order mark of ${looksLike}`,
      `save the file as UTF-8; ${looksLike === undefined ? "a Latin-1 or Windows-1252 export converts with `iconv -f latin1 -t utf-8 in.csv > out.csv`" : `convert it with \`iconv -f ${looksLike.toLowerCase()} -t utf-8 in.csv > out.csv\``}`,
    ),
  dataOutsideProject: (at: SourcePosition, path: string, project: string) =>
    error(
      codes.dataOutsideProject,
      at,
      `the data file ${path} is outside the spec's project (${project})`,
      "a spec may only read files inside its project (the nearest folder with package.json or .git), so a shared spec cannot read your other files; move the file into the project, or pass --allow-external-data if you trust this spec",
    ),
  fileTooLarge: (at: SourcePosition, path: string, size: number, limit: number, hint: string) =>
    error(codes.fileTooLarge, at, `${path} is ${size.toLocaleString("en-US")} bytes, more than the limit of ${limit.toLocaleString("en-US")}`, hint),
  csvDelimiter: (at: SourcePosition, found: string, expected: string, option: string) =>
    error(
      codes.csvDelimiter,
      at,
      `the CSV's header looks separated by ${found}, not ${expected}`,
      `set \`data.delimiter: ${option}\` in the spec (or save the file with ${expected})`,
    ),
  ambiguousTime: (at: SourcePosition, message: string, hint: string) => error(codes.ambiguousTime, at, message, hint),
  invalidTimeFormat: (at: SourcePosition, format: string, why: string) =>
    error(
      codes.invalidTimeFormat,
      at,
      `\`data.time_format\` ${JSON.stringify(format)} is not a date format: ${why}`,
      "write it with YYYY, MM, DD, HH, mm, ss and the separators of the data, e.g. `DD.MM.YYYY` or `MM/DD/YYYY HH:mm`, or `MMM D YYYY` for `Jan 5 2012`",
    ),
  dataColumnRole: (at: SourcePosition, message: string, hint: string) => error(codes.dataColumnRole, at, message, hint),
  nestingTooDeep: (at: SourcePosition, limit: number) =>
    error(codes.nestingTooDeep, at, `the YAML is nested more than ${limit} levels deep here`, "a spec needs only a few levels of nesting; check for unclosed or repeated brackets"),
  // Text data (RNNC0140–RNNC0149)
  /** `data.text` keys that do not go together, or that do not fit the task the loss defines. */
  textDataOption: (at: SourcePosition, message: string, hint: string) => error(codes.textDataOption, at, message, hint),
  /** `what`: "line 12" of a text file, or "row 3, column `name`" of a CSV. */
  emptySample: (at: SourcePosition, what: string) =>
    error(codes.emptySample, at, `${what} is empty, but each one is a sample and needs at least one token`, "remove it or fill it in (a file's last line may end with a newline; an empty line after that is a sample)"),
  /** A token the model's vocabulary does not hold, where `<unk>` will not do (a prefix to continue). */
  unknownToken: (at: SourcePosition, token: string, where: string, hint: string) => error(codes.unknownToken, at, `${where} holds \`${token}\`, which is not in the model's vocabulary`, hint),
  // `rnnc evaluate` (RNNC0165–RNNC0169)
  /** Options of `evaluate` that do not go together, or do not fit the spec's data. */
  evaluateOptions: (at: SourcePosition, message: string, hint: string) => error(codes.evaluateOptions, at, message, hint),
  nothingToEvaluate: (at: SourcePosition) =>
    error(
      codes.nothingToEvaluate,
      at,
      "there is no data to evaluate on: this spec has no `data` section",
      "give labelled samples with `--data D.safetensors` (one tensor per spec input, as `rnnc train --data` reads)",
    ),
  emptyEvaluation: (at: SourcePosition, what: string, hint: string) => error(codes.emptyEvaluation, at, `${what} holds no window to evaluate`, hint),
  // The programmatic API (RNNC0170–RNNC0174)
  /** An option passed to `train` or `predict` from code that the command line would have refused (src/api/options.ts). */
  apiOption: (at: SourcePosition, option: string, expected: string) =>
    error(codes.apiOption, at, `option \`${option}\` must be ${expected}`, `pass ${expected} as \`${option}\`, or leave it out for the default`),
};
