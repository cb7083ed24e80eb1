import type { Preprocessing } from "../data/index.ts";
import type { TextMetadata } from "../data/text/metadata.ts";
import type { TextDataSource } from "../data/text/source.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { DataSource } from "../ir/types.ts";
import type { GeneratedModule, Model } from "../runtime/generated-module.ts";
import { writeSafetensors } from "../runtime/safetensors.ts";
import { firstNonFinite, loadStateDict, stateDict } from "../runtime/weights.ts";
import { compilerVersion } from "../compile.ts";
import { writeFilesAtomically } from "./atomic-write.ts";
import { checkedPreprocessing, checkedTextMetadata } from "./checkpoint-metadata.ts";
import { displayPath, type Io } from "./io.ts";
import { readTensorFile } from "./tensor-file.ts";

/**
 * Checkpoints are safetensors with PyTorch state_dict names (loadable with safetensors.torch.load_file) plus
 * metadata: the spec's hash, the epoch, and the fitted preprocessing (normalisation statistics, class labels), or for
 * text the vocabulary, labels and tokenisation (`text`).
 */
export interface CheckpointInfo {
  readonly epoch: number;
  readonly preprocessing?: Preprocessing;
  readonly text?: TextMetadata;
}

/**
 * Writes the checkpoint atomically; refuses weights that are not finite as F32 (a checkpoint that cannot be
 * trained from or predicted with is worse than none), and so leaves any earlier file in place.
 */
export async function saveCheckpoint(io: Io, module: GeneratedModule, model: Model, path: string, info: CheckpointInfo): Promise<Diagnostic | undefined> {
  const metadata: Record<string, string> = {
    format: "pt",
    generator: `rnnc ${compilerVersion}`,
    model: module.MODEL_NAME,
    spec_sha256: module.SPEC_SHA256,
    epoch: String(info.epoch),
  };
  if (info.preprocessing !== undefined) metadata["preprocessing"] = JSON.stringify(info.preprocessing);
  if (info.text !== undefined) metadata["text"] = JSON.stringify(info.text);
  const tensors = stateDict(module, model.parameters);
  const bad = firstNonFinite(tensors);
  if (bad !== undefined) {
    const at = { file: displayPath(io, path), line: 1, column: 1 };
    return diag.fileUnwritable(at, `\`${bad.name}\` holds ${bad.value} at ${bad.element} as F32`, "rnnc never saves non-finite weights; nothing was changed");
  }
  return writeFilesAtomically(io, [{ path, content: writeSafetensors(tensors, metadata) }], { createFolders: false });
}

/**
 * Loads weights into the model. Weights saved by rnnc carry the spec's hash: if it differs from this spec's, they are
 * refused even when the shapes agree (the same shapes can mean a different model). Foreign files (PyTorch's) have no
 * hash and are checked by names and shapes alone. Stored preprocessing is validated (schema, then against the spec's
 * `data` section) before anything uses it.
 */
export function loadCheckpoint(
  io: Io,
  module: GeneratedModule,
  model: Model,
  path: string,
  source: DataSource | undefined,
  text?: TextDataSource,
): { info?: { preprocessing?: Preprocessing; text?: TextMetadata }; diagnostics: readonly Diagnostic[] } {
  const read = readTensorFile(io, path);
  if (read.file === undefined) return { diagnostics: read.diagnostics };
  const at = { file: displayPath(io, path), line: 1, column: 1 };
  const hash = read.file.metadata["spec_sha256"];
  if (hash !== undefined && hash !== module.SPEC_SHA256) {
    return {
      diagnostics: [
        diag.checkpointMismatch(
          at,
          `these weights were trained from a different spec (sha256 ${hash.slice(0, 12)}…, this spec is ${module.SPEC_SHA256.slice(0, 12)}…)`,
          "use the spec they were trained from, or train afresh; a changed spec can give the same shapes a different meaning",
        ),
      ],
    };
  }
  const problems = loadStateDict(module, model, read.file, at.file);
  if (problems.length > 0) return { diagnostics: problems };
  const stored = read.file.metadata["preprocessing"];
  // Metadata lives in the header, which starts at byte 8: point there.
  const header = { ...at, column: 9 };
  const storedText = read.file.metadata["text"];
  if (storedText !== undefined || text !== undefined) {
    if (stored !== undefined) return { diagnostics: [diag.checkpointMismatch(header, "the checkpoint carries preprocessing for CSV data, but this spec reads text", "use the spec these weights were trained from, or train again with this one")] };
    if (storedText === undefined) return { info: {}, diagnostics: [] };
    const checkedText = checkedTextMetadata(storedText, text, module, header);
    return checkedText.metadata === undefined ? { diagnostics: checkedText.diagnostics } : { info: { text: checkedText.metadata }, diagnostics: [] };
  }
  if (stored === undefined) return { info: {}, diagnostics: [] };
  const checked = checkedPreprocessing(stored, source, module, header);
  return checked.preprocessing === undefined ? { diagnostics: checked.diagnostics } : { info: { preprocessing: checked.preprocessing }, diagnostics: [] };
}
