import type { Preprocessing } from "../data/index.ts";
import type { TextMetadata } from "../data/text/metadata.ts";
import type { TextDataSource } from "../data/text/source.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { DataSource } from "../ir/types.ts";
import type { GeneratedModule, Model } from "../runtime/generated-module.ts";
import { writeSafetensors } from "../runtime/safetensors.ts";
import { architectureFingerprint } from "../runtime/fingerprint.ts";
import type { TensorFile } from "../runtime/safetensors.ts";
import { firstNonFinite, loadStateDict, stateDict } from "../runtime/weights.ts";
import { compilerVersion } from "../compile.ts";
import { writeFilesAtomically } from "./atomic-write.ts";
import { checkedPreprocessing, checkedTextMetadata } from "./checkpoint-metadata.ts";
import { displayPath, type Io } from "./io.ts";
import { restoreRun, resumeEntries, resumePrefix, type Resumed, type ResumeSnapshot } from "./resume-state.ts";
import { readTensorFile } from "./tensor-file.ts";

/**
 * Checkpoints are safetensors with PyTorch state_dict names (loadable with safetensors.torch.load_file) plus
 * metadata: the architecture's fingerprint (fingerprint.ts), the epoch, and the fitted preprocessing (normalisation
 * statistics, class labels), or for text the vocabulary, labels and tokenisation (`text`); and, from `rnnc train`, what
 * it takes to resume the run (resume-state.ts). The spec's hash is recorded for provenance only.
 */
export interface CheckpointInfo {
  readonly epoch: number;
  readonly preprocessing?: Preprocessing;
  readonly text?: TextMetadata;
  readonly resume?: ResumeSnapshot;
}

const fingerprintKey = "architecture_sha256";

/**
 * Writes the checkpoint atomically; refuses weights that are not finite as F32 (a checkpoint that cannot be
 * trained from or predicted with is worse than none), and so leaves any earlier file in place.
 */
export async function saveCheckpoint(io: Io, module: GeneratedModule, model: Model, path: string, info: CheckpointInfo): Promise<Diagnostic | undefined> {
  const metadata: Record<string, string> = {
    format: "pt",
    generator: `rnnc ${compilerVersion}`,
    model: module.MODEL_NAME,
    [fingerprintKey]: architectureFingerprint(module),
    spec_sha256: module.SPEC_SHA256,
    epoch: String(info.epoch),
  };
  if (info.preprocessing !== undefined) metadata["preprocessing"] = JSON.stringify(info.preprocessing);
  if (info.text !== undefined) metadata["text"] = JSON.stringify(info.text);
  const tensors = stateDict(module, model.parameters);
  if (info.resume !== undefined) {
    const resume = resumeEntries(model, info.resume);
    tensors.push(...resume.tensors);
    metadata["resume"] = resume.metadata;
  }
  const bad = firstNonFinite(tensors);
  if (bad !== undefined) {
    const at = { file: displayPath(io, path), line: 1, column: 1 };
    return diag.fileUnwritable(at, `\`${bad.name}\` holds ${bad.value} at ${bad.element} as F32`, "rnnc never saves non-finite weights; nothing was changed");
  }
  return writeFilesAtomically(io, [{ path, content: writeSafetensors(tensors, metadata) }], { createFolders: false });
}

/**
 * Loads weights into the model. A file saved by rnnc carries the architecture's fingerprint; a file without one
 * (PyTorch's, or one whose metadata was edited away) is foreign: its weights are checked by names and shapes alone, and
 * it can never supply preprocessing or a vocabulary. Either way a changed architecture is refused naming the tensor
 * and the shapes. Stored preprocessing is validated (schema, then against the spec's `data` section) before anything
 * uses it. With `resume`, the run's state (resume-state.ts) is restored into the model too.
 */
export function loadCheckpoint(
  io: Io,
  module: GeneratedModule,
  model: Model,
  path: string,
  source: DataSource | undefined,
  text?: TextDataSource,
  options: { readonly resume?: boolean } = {},
): { info?: { preprocessing?: Preprocessing; text?: TextMetadata; foreign: boolean; resumed?: Resumed }; diagnostics: readonly Diagnostic[] } {
  const read = readTensorFile(io, path);
  if (read.file === undefined) return { diagnostics: read.diagnostics };
  const at = { file: displayPath(io, path), line: 1, column: 1 };
  const fingerprint = read.file.metadata[fingerprintKey];
  const foreign = fingerprint === undefined;
  const problems = loadStateDict(module, model, weightsOnly(read.file), at.file);
  if (problems.length > 0) return { diagnostics: problems };
  // the tensors fit, so a different fingerprint means the metadata no longer describes them
  if (fingerprint !== undefined && fingerprint !== architectureFingerprint(module)) {
    return { diagnostics: [diag.checkpointMetadata({ ...at, column: 9 }, `\`${fingerprintKey}\` does not match the tensors the file holds`)] };
  }
  let resumed: Resumed | undefined;
  if (options.resume === true) {
    const restored = restoreRun(model, read.file, at);
    if (restored.resumed === undefined) return { diagnostics: restored.diagnostics };
    resumed = restored.resumed;
  }
  const found = { foreign, ...(resumed === undefined ? {} : { resumed }) };
  // a foreign file's metadata is not rnnc's to trust
  if (foreign) return { info: found, diagnostics: [] };
  const stored = read.file.metadata["preprocessing"];
  // Metadata lives in the header, which starts at byte 8: point there.
  const header = { ...at, column: 9 };
  const storedText = read.file.metadata["text"];
  if (storedText !== undefined || text !== undefined) {
    if (stored !== undefined) return { diagnostics: [diag.checkpointMismatch(header, "the checkpoint carries preprocessing for CSV data, but this spec reads text", "use the spec these weights were trained from, or train again with this one")] };
    if (storedText === undefined) return { info: found, diagnostics: [] };
    const checkedText = checkedTextMetadata(storedText, text, module, header);
    return checkedText.metadata === undefined ? { diagnostics: checkedText.diagnostics } : { info: { ...found, text: checkedText.metadata }, diagnostics: [] };
  }
  if (stored === undefined) return { info: found, diagnostics: [] };
  const checked = checkedPreprocessing(stored, source, module, header);
  return checked.preprocessing === undefined ? { diagnostics: checked.diagnostics } : { info: { ...found, preprocessing: checked.preprocessing }, diagnostics: [] };
}

/** The file without its `resume/…` tensors, which are not weights. */
function weightsOnly(file: TensorFile): TensorFile {
  return { ...file, tensors: new Map([...file.tensors].filter(([name]) => !name.startsWith(resumePrefix))) };
}
