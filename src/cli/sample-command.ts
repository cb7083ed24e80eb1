import { sampleLogits } from "../data/text/sampling.ts";
import { joinTokens, tokenize } from "../data/text/tokenize.ts";
import { boundaryId, padId, tokenIds, tokenOf, unknownId } from "../data/text/vocabulary.ts";
import { diag } from "../diagnostics/codes.ts";
import { escapeText } from "../diagnostics/escape.ts";
import { Random } from "../runtime/prng.ts";
import { dataAccess } from "./data-path.ts";
import { exitCodes } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { failWith, type DiagnosticsFormat } from "./report.ts";
import { loadTextCheckpoint } from "./text-predict.ts";
import { textSpecOf } from "./text-source.ts";

export interface SampleCommandOptions {
  readonly weights: string;
  readonly prefix: string;
  readonly count: number;
  readonly temperature: number;
  readonly maxLength?: number;
  readonly seed?: number;
  readonly diagnostics: DiagnosticsFormat;
}

/**
 * Writes new samples with a language model through the generated module's streaming API: reset, feed `<s>` and the
 * prefix one token at a time, then draw each next token from softmax(logits / T) with a seeded generator and feed it
 * back, until the model writes `<s>` (the end of a sample) or the sample reaches --max-length tokens. Up to
 * MAX_BATCH samples run side by side, one per batch row. One sample per line, prefix included.
 */
export async function sampleCommand(io: Io, spec: string, options: SampleCommandOptions): Promise<number> {
  const fail = failWith(io, options.diagnostics);
  const { loaded, diagnostics, sources } = await loadSpec(io, spec);
  if (loaded === undefined) return fail(diagnostics, sources);
  const at = { file: loaded.specPath, line: 1, column: 1 };
  const textSpec = loaded.graph.data === undefined ? textSpecOf(loaded.specPath, sources.get(loaded.specPath) ?? "", loaded.graph, dataAccess({})) : undefined;
  if (textSpec?.source.task !== "language_model") {
    return fail([diag.usage(at, "`sample` needs a language model: a spec whose `data.text` feeds a per-step cross_entropy over the vocabulary", "see models/name-generator.yaml")]);
  }
  const checkpoint = loadTextCheckpoint(io, loaded, textSpec, options.weights);
  if (checkpoint.model === undefined || checkpoint.metadata === undefined) return fail(checkpoint.diagnostics);
  const { model, metadata } = checkpoint;
  const stream = model.stream;
  if (stream === undefined) return fail([diag.usage(at, "this model cannot run one step at a time (a bidirectional layer, lengths or pooling need the whole sequence)", "sample from a unidirectional model without `lengths`")]);

  const ids = tokenIds({ tokens: metadata.vocabulary });
  const prefixTokens = tokenize(options.prefix, metadata);
  const prefix: number[] = [];
  for (const [i, token] of prefixTokens.entries()) {
    const id = ids.get(token);
    if (id === undefined) return fail([diag.unknownToken({ file: "--prefix", line: 1, column: i + 1 }, token, "--prefix", "the model has never seen it, so it cannot continue from it; use tokens of the training text")]);
    prefix.push(id);
  }
  const maxLength = options.maxLength ?? metadata.maxLength;
  if (prefix.length >= maxLength) return fail([diag.usage({ file: "--prefix", line: 1, column: 1 }, `the prefix is ${prefix.length} tokens, and samples stop at ${maxLength}`, "shorten the prefix or raise --max-length")]);

  const random = new Random(options.seed ?? loaded.module.TRAIN.seed);
  const excluded = new Set([padId, unknownId]);
  const classes = loaded.module.LOSS.task === "classification" ? loaded.module.LOSS.classes : 1;
  for (let start = 0; start < options.count; start += loaded.module.MAX_BATCH) {
    const size = Math.min(loaded.module.MAX_BATCH, options.count - start);
    const step = new Int32Array(size);
    const feed = () => stream.step({ [textSpec.source.tokensInput]: step }, size);
    stream.reset();
    step.fill(boundaryId);
    let logits = feed();
    for (const id of prefix) {
      step.fill(id);
      logits = feed();
    }
    const samples = Array.from({ length: size }, () => [...prefix]);
    const done = new Array<boolean>(size).fill(false);
    while (done.includes(false)) {
      for (let b = 0; b < size; b++) {
        if (done[b] === true) {
          step[b] = padId;
          continue;
        }
        const next = sampleLogits(logits.subarray(b * classes, (b + 1) * classes), options.temperature, () => random.uniform(), excluded);
        const sample = samples[b] ?? [];
        if (next !== boundaryId) sample.push(next);
        if (next === boundaryId || sample.length >= maxLength) done[b] = true;
        step[b] = next;
      }
      if (done.includes(false)) logits = feed();
    }
    for (const sample of samples) io.stdout(`${escapeText(joinTokens(sample.map((id) => tokenOf({ tokens: metadata.vocabulary }, id)), metadata.tokens))}\n`);
  }
  return exitCodes.ok;
}
