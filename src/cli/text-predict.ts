import { argmax } from "../data/index.ts";
import { encodeClassification } from "../data/text/encode.ts";
import { sampleLines, type TextLine } from "../data/text/lines.ts";
import type { TextMetadata } from "../data/text/metadata.ts";
import { tokenize } from "../data/text/tokenize.ts";
import { encodeTokens, tokenIds } from "../data/text/vocabulary.ts";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { escapeText, jsonText } from "../diagnostics/escape.ts";
import { predictAll } from "../runtime/evaluate.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { exitCodes } from "./exit-codes.ts";
import { displayPath, type Io } from "./io.ts";
import type { LoadedSpec } from "./load-spec.ts";
import { readTextFile } from "./read-file.ts";
import { failWith, type DiagnosticsFormat } from "./report.ts";
import type { TextSpec } from "./text-source.ts";

export interface TextPredictOptions {
  readonly weights: string;
  readonly text?: string;
  readonly file?: string;
  readonly format: "text" | "json";
  readonly diagnostics: DiagnosticsFormat;
  readonly maxDataBytes: number;
}

/** The checkpoint's text metadata, required: without the vocabulary the weights cannot read text. */
export function loadTextCheckpoint(io: Io, loaded: LoadedSpec, spec: TextSpec, weights: string): { model?: ReturnType<LoadedSpec["module"]["createModel"]>; metadata?: TextMetadata; diagnostics: readonly Diagnostic[] } {
  const model = loaded.module.createModel();
  const checkpoint = loadCheckpoint(io, loaded.module, model, weights, undefined, spec.source);
  if (checkpoint.info === undefined) return { diagnostics: checkpoint.diagnostics };
  const metadata = checkpoint.info.text;
  if (metadata === undefined) {
    const at = { file: displayPath(io, weights), line: 1, column: 1 };
    const what = checkpoint.info.foreign ? "these weights carry no rnnc architecture fingerprint, so no vocabulary stored with them is trusted" : "these weights carry no vocabulary";
    return { diagnostics: [diag.checkpointMismatch(at, what, "use a checkpoint saved by `rnnc train --save` from this spec (it stores the vocabulary and labels)")] };
  }
  return { model, metadata, diagnostics: [] };
}

/** The samples to classify: `--text` (one), or every line of `--file` (the user's own file: only the size limit applies). */
function samplesToClassify(io: Io, options: TextPredictOptions, metadata: TextMetadata): { lines?: TextLine[]; diagnostics: Diagnostic[] } {
  const usage = { file: "rnnc predict", line: 1, column: 1 };
  if (options.text !== undefined && options.file !== undefined) return { diagnostics: [diag.usage(usage, "`--text` and `--file` were both given", "classify one text with --text, or a file of one sample per line with --file")] };
  if (options.text !== undefined) {
    const lines = sampleLines(options.text.replace(/[\r\n]+/g, " "), "--text", metadata);
    return lines.diagnostics.length > 0 ? { diagnostics: lines.diagnostics } : { lines: lines.lines, diagnostics: [] };
  }
  if (options.file === undefined) return { diagnostics: [diag.usage(usage, "this spec's model classifies text: give it with `--text` or `--file`", "e.g. `rnnc predict spec.yaml --weights w.safetensors --text \"Maria\"`")] };
  const shown = displayPath(io, options.file);
  const read = readTextFile(io.cwd, options.file, shown, { maxBytes: options.maxDataBytes, limitHint: "raise the limit with --max-data-bytes <n>" });
  if (!read.ok) return { diagnostics: [read.diagnostic] };
  const lines = sampleLines(read.value, shown, metadata);
  return lines.diagnostics.length > 0 ? { diagnostics: lines.diagnostics } : { lines: lines.lines, diagnostics: [] };
}

/** Classifies each sample with the checkpoint's own vocabulary, cut and labels; one line per sample, in order. */
export function predictText(io: Io, loaded: LoadedSpec, spec: TextSpec, options: TextPredictOptions): number {
  const fail = failWith(io, options.diagnostics);
  const { module } = loaded;
  const { source } = spec;
  if (source.task === "language_model") {
    return fail([diag.usage({ file: loaded.specPath, line: 1, column: 1 }, "this spec is a language model: it predicts next tokens, not a label", "write new samples with `rnnc sample <spec> --weights <checkpoint>`")]);
  }
  const checkpoint = loadTextCheckpoint(io, loaded, spec, options.weights);
  if (checkpoint.model === undefined || checkpoint.metadata === undefined) return fail(checkpoint.diagnostics);
  const { model, metadata } = checkpoint;
  const samples = samplesToClassify(io, options, metadata);
  if (samples.lines === undefined) return fail(samples.diagnostics);
  const ids = tokenIds({ tokens: metadata.vocabulary });
  const encoded = encodeClassification(samples.lines.map((line) => ({ ids: encodeTokens(tokenize(line.text, metadata), ids), label: 0 })), source.sequence, metadata.maxLength);
  const inputs = { [source.tokensInput]: encoded.tokens, [source.targetInput]: encoded.labels, ...(source.lengthsInput === undefined ? {} : { [source.lengthsInput]: encoded.lengths }) };
  const labels = metadata.labels ?? [];
  const logits = predictAll(module, model, { count: encoded.count, inputs }, labels.length);
  const best = argmax(logits, encoded.count, labels.length);
  samples.lines.forEach((line, k) => {
    const row = Array.from(logits.subarray(k * labels.length, (k + 1) * labels.length));
    const max = Math.max(...row);
    const exps = row.map((logit) => Math.exp(logit - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const ranked = exps.map((e, i) => ({ label: labels[i] ?? String(i), probability: e / sum })).sort((a, b) => b.probability - a.probability);
    const prediction = labels[best[k] ?? 0] ?? "?";
    const text = line.text.trim();
    io.stdout(
      options.format === "json"
        ? `${jsonText({ text, prediction, probabilities: Object.fromEntries(ranked.map((r) => [r.label, r.probability])) })}\n`
        : `${escapeText(text)}: ${escapeText(prediction)}  (${ranked.map((r) => `${escapeText(r.label)} ${r.probability.toFixed(3)}`).join(", ")})\n`,
    );
  });
  return exitCodes.ok;
}
