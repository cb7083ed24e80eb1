import type { ClassificationArrays, LanguageModelArrays } from "./encode.ts";

/**
 * Baselines a text model must beat, fitted on the training split and scored on the same samples as the model.
 * Classification: the majority label, and the label most frequent among training samples with the same final token
 * (for first names, the last letter: "-a" is mostly female). Language model: unigram and bigram models with add-one
 * smoothing over the model's own classes (the whole vocabulary), scored as cross-entropy per predicted token.
 */

/** The most frequent label; ties go to the lowest index, so the choice is deterministic. */
export function majorityLabel(labels: ArrayLike<number>, classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i] ?? 0] = (counts[labels[i] ?? 0] ?? 0) + 1;
  return counts.reduce((best, count, c) => (count > (counts[best] ?? 0) ? c : best), 0);
}

export interface LastTokenRule {
  /** Final token id → the label most frequent among training samples ending in it. */
  readonly byToken: ReadonlyMap<number, number>;
  /** For a final token never seen in training. */
  readonly fallback: number;
}

export function fitLastTokenRule(train: Pick<ClassificationArrays, "labels" | "lastToken">, classes: number): LastTokenRule {
  const labelsByToken = new Map<number, number[]>();
  train.lastToken.forEach((token, k) => {
    const labels = labelsByToken.get(token) ?? [];
    labels.push(train.labels[k] ?? 0);
    labelsByToken.set(token, labels);
  });
  const byToken = new Map([...labelsByToken].map(([token, labels]) => [token, majorityLabel(labels, classes)]));
  return { byToken, fallback: majorityLabel(train.labels, classes) };
}

export function predictByLastToken(rule: LastTokenRule, lastToken: Int32Array): Int32Array {
  return lastToken.map((token) => rule.byToken.get(token) ?? rule.fallback);
}

/** Token counts of a language model's training targets: alone, and after each previous input token. */
export interface NgramCounts {
  readonly classes: number;
  readonly unigram: Float64Array;
  readonly total: number;
  readonly bigram: ReadonlyMap<number, number>;
  readonly previous: Float64Array;
}

/** Every step whose target is not ignored, as (previous token = the input there, target). */
function forEachTarget(split: Pick<LanguageModelArrays, "tokens" | "targets">, ignoreIndex: number, visit: (previous: number, target: number) => void): void {
  for (let i = 0; i < split.targets.length; i++) {
    const target = split.targets[i] ?? ignoreIndex;
    if (target !== ignoreIndex) visit(split.tokens[i] ?? 0, target);
  }
}

export function fitNgrams(train: Pick<LanguageModelArrays, "tokens" | "targets">, ignoreIndex: number, classes: number): NgramCounts {
  const unigram = new Float64Array(classes);
  const previous = new Float64Array(classes);
  const bigram = new Map<number, number>();
  let total = 0;
  forEachTarget(train, ignoreIndex, (before, target) => {
    unigram[target] = (unigram[target] ?? 0) + 1;
    previous[before] = (previous[before] ?? 0) + 1;
    bigram.set(before * classes + target, (bigram.get(before * classes + target) ?? 0) + 1);
    total++;
  });
  return { classes, unigram, total, bigram, previous };
}

/** Mean cross-entropy (nats per predicted token) of the add-one unigram and bigram models on a split. */
export function ngramLosses(counts: NgramCounts, split: Pick<LanguageModelArrays, "tokens" | "targets">, ignoreIndex: number): { unigram: number; bigram: number; targets: number } {
  const V = counts.classes;
  let unigram = 0;
  let bigram = 0;
  let targets = 0;
  forEachTarget(split, ignoreIndex, (before, target) => {
    unigram -= Math.log(((counts.unigram[target] ?? 0) + 1) / (counts.total + V));
    bigram -= Math.log(((counts.bigram.get(before * V + target) ?? 0) + 1) / ((counts.previous[before] ?? 0) + V));
    targets++;
  });
  return { unigram: unigram / targets, bigram: bigram / targets, targets };
}
