import type { SourcePosition } from "../../diagnostics/diagnostic.ts";
import { normalizeSample, tokenize, type TokenOptions } from "./tokenize.ts";

/** A sample as read: its text, its label (a classifier's), and where it was written. */
export interface RawSample {
  readonly text: string;
  readonly label?: string;
  readonly at: SourcePosition;
}

export interface Sample {
  readonly tokens: readonly string[];
  readonly label?: string;
  readonly at: SourcePosition;
}

export interface CollectedSamples {
  /** Each distinct sample once, in the order first read. */
  readonly samples: readonly Sample[];
  /** Samples dropped because the same text (after normalisation) came earlier with the same label. */
  readonly repeated: number;
  /** Distinct texts dropped because they came with more than one label: no model could get them right. */
  readonly ambiguous: number;
}

/**
 * Deduplicates samples, compared after normalisation (NFC, trimmed, lower-cased under `lowercase`), so a repeated
 * sample cannot sit in both the training and the test split. A text read under two labels (a name on both the
 * female and the male list) is left out altogether rather than assigned to one of them.
 */
export function collectSamples(raw: readonly RawSample[], options: TokenOptions): CollectedSamples {
  const labelsOf = new Map<string, Set<string | undefined>>();
  for (const sample of raw) {
    const key = normalizeSample(sample.text, options);
    const labels = labelsOf.get(key) ?? new Set<string | undefined>();
    labels.add(sample.label);
    labelsOf.set(key, labels);
  }
  const taken = new Set<string>();
  const samples: Sample[] = [];
  let repeated = 0;
  for (const sample of raw) {
    const key = normalizeSample(sample.text, options);
    if ((labelsOf.get(key)?.size ?? 0) > 1) continue;
    if (taken.has(key)) {
      repeated++;
      continue;
    }
    taken.add(key);
    samples.push({ tokens: tokenize(sample.text, options), ...(sample.label === undefined ? {} : { label: sample.label }), at: sample.at });
  }
  const ambiguous = [...labelsOf.values()].filter((labels) => labels.size > 1).length;
  return { samples, repeated, ambiguous };
}
