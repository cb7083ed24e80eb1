import type { Diagnostic, SourcePosition } from "../../diagnostics/diagnostic.ts";
import { dataDiag } from "../diagnostics.ts";
import { fitLabels } from "../labels.ts";
import type { SplitFractions } from "../split.ts";
import { encodeClassification, encodeLanguageModel, type ClassificationArrays, type LanguageModelArrays } from "./encode.ts";
import { collectSamples, type RawSample, type Sample } from "./samples.ts";
import type { TextTask } from "./source.ts";
import { checkSplitSizes, randomSplit, type Shuffler } from "./split.ts";
import type { Tokenization } from "./tokenize.ts";
import { encodeTokens, fitVocabulary, tokenIds, type Vocabulary } from "./vocabulary.ts";

export interface TextOptions {
  readonly task: TextTask;
  readonly tokens: Tokenization;
  readonly lowercase: boolean;
  readonly minCount: number;
  readonly maxLength: number;
  /** Steps of the tokens input. */
  readonly sequence: number;
  /** The loss's ignore_index: a language model's padded targets. */
  readonly ignoreIndex: number;
  readonly split: SplitFractions;
  /** A classifier's labels when the spec names them (one file per label); else those of the samples. */
  readonly labels?: readonly string[];
}

/** What the samples came to, for the line `train` prints before the first epoch. */
export interface TextSummary {
  readonly read: number;
  readonly repeated: number;
  readonly ambiguous: number;
  readonly distinct: number;
  readonly truncated: number;
}

export type TextDataset =
  | { readonly task: "classification"; readonly labels: readonly string[]; readonly vocabulary: Vocabulary; readonly splits: SplitArrays<ClassificationArrays>; readonly summary: TextSummary }
  | { readonly task: "language_model"; readonly vocabulary: Vocabulary; readonly splits: SplitArrays<LanguageModelArrays>; readonly summary: TextSummary };

export interface SplitArrays<T> {
  readonly train: T;
  readonly validation: T;
  readonly test: T;
}

/**
 * Samples → a model's arrays: deduplicated (a text under two labels left out), split at random with the seeded
 * generator, a vocabulary fitted on the training split's tokens (as the model sees them, after the cut at
 * `maxLength`), every split encoded with it. Labels are in code-unit order, as a CSV target's classes are.
 */
export function buildTextDataset(raw: readonly RawSample[], options: TextOptions, random: Shuffler, at: SourcePosition): { dataset?: TextDataset; diagnostics: Diagnostic[] } {
  const collected = collectSamples(raw, options);
  const { samples } = collected;
  if (samples.length === 0) return { diagnostics: [dataDiag.tooFewRows(at, raw.length === 0 ? "the text holds no sample" : "no sample is left once those under more than one label are left out", "give each label its own, different samples")] };
  const splits = randomSplit(samples, options.split, random);
  const empty = checkSplitSizes(samples.length, splits, options.split, at);
  if (empty.length > 0) return { diagnostics: empty };
  const vocabulary = fitVocabulary(splits.train.map((sample) => sample.tokens.slice(0, options.maxLength)), options.minCount);
  const ids = tokenIds(vocabulary);
  const encoded = (sample: Sample) => encodeTokens(sample.tokens, ids);
  const summary = (truncated: number): TextSummary => ({ read: raw.length, repeated: collected.repeated, ambiguous: collected.ambiguous, distinct: samples.length, truncated });
  if (options.task === "language_model") {
    const encode = (split: readonly Sample[]) => encodeLanguageModel(split.map((sample) => ({ ids: encoded(sample) })), options.sequence, options.maxLength, options.ignoreIndex);
    const arrays = { train: encode(splits.train), validation: encode(splits.validation), test: encode(splits.test) };
    return { dataset: { task: "language_model", vocabulary, splits: arrays, summary: summary(arrays.train.truncated + arrays.validation.truncated + arrays.test.truncated) }, diagnostics: [] };
  }
  const labels = fitLabels(options.labels ?? samples.map((sample) => sample.label ?? ""));
  const index = new Map(labels.map((label, i) => [label, i]));
  const encode = (split: readonly Sample[]) => encodeClassification(split.map((sample) => ({ ids: encoded(sample), label: index.get(sample.label ?? "") ?? 0 })), options.sequence, options.maxLength);
  const arrays = { train: encode(splits.train), validation: encode(splits.validation), test: encode(splits.test) };
  return { dataset: { task: "classification", labels, vocabulary, splits: arrays, summary: summary(arrays.train.truncated + arrays.validation.truncated + arrays.test.truncated) }, diagnostics: [] };
}
