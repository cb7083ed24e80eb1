import { boundaryId, padId } from "./vocabulary.ts";

/** A classifier's split: ids [count, sequence] padded with 0, each sample's token count, its label. */
export interface ClassificationArrays {
  readonly count: number;
  readonly tokens: Int32Array;
  readonly lengths: Int32Array;
  readonly labels: Int32Array;
  /** Each sample's final token id before any cut: what the last-token baseline reads. */
  readonly lastToken: Int32Array;
  /** How many samples were longer than `maxLength` and cut. */
  readonly truncated: number;
}

/** A language model's split: inputs `<s> c1 … cn` and targets `c1 … cn <s>`, both [count, sequence]. */
export interface LanguageModelArrays {
  readonly count: number;
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  /** Steps of each input that hold a token (n + 1). */
  readonly lengths: Int32Array;
  readonly truncated: number;
}

export function encodeClassification(samples: readonly { readonly ids: readonly number[]; readonly label: number }[], sequence: number, maxLength: number): ClassificationArrays {
  const count = samples.length;
  const tokens = new Int32Array(count * sequence).fill(padId);
  const lengths = new Int32Array(count);
  const labels = new Int32Array(count);
  const lastToken = new Int32Array(count);
  let truncated = 0;
  samples.forEach((sample, k) => {
    const kept = Math.min(sample.ids.length, maxLength);
    if (kept < sample.ids.length) truncated++;
    for (let t = 0; t < kept; t++) tokens[k * sequence + t] = sample.ids[t] ?? padId;
    lengths[k] = kept;
    labels[k] = sample.label;
    lastToken[k] = sample.ids[sample.ids.length - 1] ?? padId;
  });
  return { count, tokens, lengths, labels, lastToken, truncated };
}

/**
 * Each sample framed by the boundary token: the input is `<s>` then the sample, the target the sample then `<s>`, so
 * the model learns where samples start and end. Steps past the sample are padding in the input and `ignoreIndex` in
 * the target. A sample cut at `maxLength` does not end there, so its last step's target is ignored rather than
 * taught as an end.
 */
export function encodeLanguageModel(samples: readonly { readonly ids: readonly number[] }[], sequence: number, maxLength: number, ignoreIndex: number): LanguageModelArrays {
  const count = samples.length;
  const tokens = new Int32Array(count * sequence).fill(padId);
  const targets = new Int32Array(count * sequence).fill(ignoreIndex);
  const lengths = new Int32Array(count);
  let truncated = 0;
  samples.forEach((sample, k) => {
    const kept = Math.min(sample.ids.length, maxLength);
    const cut = kept < sample.ids.length;
    if (cut) truncated++;
    const row = k * sequence;
    tokens[row] = boundaryId;
    for (let t = 0; t < kept; t++) {
      const id = sample.ids[t] ?? padId;
      tokens[row + t + 1] = id;
      targets[row + t] = id;
    }
    if (!cut) targets[row + kept] = boundaryId;
    lengths[k] = kept + 1;
  });
  return { count, tokens, targets, lengths, truncated };
}
