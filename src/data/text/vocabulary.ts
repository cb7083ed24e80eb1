import { compareCodePoints } from "./tokenize.ts";

/** Ids every vocabulary reserves: padding, unknown tokens, and the boundary that starts and ends a sample. */
export const padId = 0;
export const unknownId = 1;
export const boundaryId = 2;
export const specialTokens = ["<pad>", "<unk>", "<s>"] as const;

/**
 * A vocabulary: the special ids 0–2, then `tokens[i]` at id 3 + i. Special tokens are ids, never text, so a word
 * that happens to read `<unk>` is an ordinary token.
 */
export interface Vocabulary {
  readonly tokens: readonly string[];
}

export const vocabularySize = (vocabulary: Vocabulary): number => specialTokens.length + vocabulary.tokens.length;

/**
 * Fitted on the training samples only: every token seen at least `minCount` times, the most frequent first, ties in
 * code-point order, so the same samples always give the same ids.
 */
export function fitVocabulary(samples: readonly (readonly string[])[], minCount: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const sample of samples) for (const token of sample) counts.set(token, (counts.get(token) ?? 0) + 1);
  const kept = [...counts].filter(([, count]) => count >= minCount);
  kept.sort(([a, countA], [b, countB]) => countB - countA || compareCodePoints(a, b));
  return { tokens: kept.map(([token]) => token) };
}

/** Token → id, built once per vocabulary. */
export function tokenIds(vocabulary: Vocabulary): ReadonlyMap<string, number> {
  return new Map(vocabulary.tokens.map((token, i) => [token, specialTokens.length + i]));
}

/** Ids of a sample's tokens; a token outside the vocabulary is `<unk>`. */
export function encodeTokens(tokens: readonly string[], ids: ReadonlyMap<string, number>): number[] {
  return tokens.map((token) => ids.get(token) ?? unknownId);
}

/** The text of an id: the token, or the special's name. */
export function tokenOf(vocabulary: Vocabulary, id: number): string {
  return id < specialTokens.length ? (specialTokens[id] ?? "<unk>") : (vocabulary.tokens[id - specialTokens.length] ?? "<unk>");
}
