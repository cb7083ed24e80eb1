import { describe, expect, it } from "vitest";
import { fitLastTokenRule, fitNgrams, majorityLabel, ngramLosses, predictByLastToken } from "../src/data/text/baselines.ts";
import { buildTextDataset } from "../src/data/text/dataset.ts";
import { encodeClassification, encodeLanguageModel } from "../src/data/text/encode.ts";
import { sampleLines } from "../src/data/text/lines.ts";
import { parseTextMetadata } from "../src/data/text/metadata.ts";
import { collectSamples } from "../src/data/text/samples.ts";
import { sampleLogits } from "../src/data/text/sampling.ts";
import { randomSplit } from "../src/data/text/split.ts";
import { compareCodePoints, joinTokens, tokenize } from "../src/data/text/tokenize.ts";
import { encodeTokens, fitVocabulary, tokenIds, tokenOf, vocabularySize } from "../src/data/text/vocabulary.ts";
import { Random } from "../src/runtime/prng.ts";

const char = { tokens: "char", lowercase: false } as const;
const word = { tokens: "word", lowercase: false } as const;
const at = { file: "t.txt", line: 1, column: 1 };

describe("tokenisation", () => {
  it("char: one token per code point, after NFC and trimming", () => {
    expect(tokenize("  Ana ", char)).toEqual(["A", "n", "a"]);
    expect(tokenize("Zoe\u0301", char)).toEqual(["Z", "o", "é"]); // e + combining acute → é
    expect(tokenize("a😀b", char)).toEqual(["a", "😀", "b"]); // not two UTF-16 halves
    expect(tokenize("Jo Ann", char)).toEqual(["J", "o", " ", "A", "n", "n"]);
  });

  it("word: split on any run of whitespace; lowercase is locale-independent", () => {
    expect(tokenize(" the  cat\tsat\u00a0down ", word)).toEqual(["the", "cat", "sat", "down"]);
    expect(tokenize("İstanbul ANNA", { tokens: "word", lowercase: true })).toEqual(["i̇stanbul", "anna"]);
    expect(tokenize("   ", word)).toEqual([]);
    expect(joinTokens(["a", "b"], "word")).toBe("a b");
    expect(joinTokens(["a", "b"], "char")).toBe("ab");
  });

  it("orders by code point, not by UTF-16 unit", () => {
    expect("\uffff" < "😀").toBe(false); // what JavaScript's < says
    expect(compareCodePoints("\uffff", "😀")).toBeLessThan(0);
    expect(compareCodePoints("ab", "a")).toBeGreaterThan(0);
    expect(compareCodePoints("a", "a")).toBe(0);
  });
});

describe("vocabulary", () => {
  it("reserves 0 <pad>, 1 <unk>, 2 <s>, then orders by descending count, ties by code point", () => {
    const vocabulary = fitVocabulary([["b", "a", "c"], ["a", "b"], ["a", "d"]], 1);
    // a ×3, b ×2, c ×1, d ×1
    expect(vocabulary.tokens).toEqual(["a", "b", "c", "d"]);
    expect(vocabularySize(vocabulary)).toBe(7);
    const ids = tokenIds(vocabulary);
    expect(encodeTokens(["a", "d", "z"], ids)).toEqual([3, 6, 1]);
    expect([0, 1, 2, 3].map((id) => tokenOf(vocabulary, id))).toEqual(["<pad>", "<unk>", "<s>", "a"]);
  });

  it("min_count leaves rare tokens out (they read as <unk>); a literal `<unk>` word is an ordinary token", () => {
    const vocabulary = fitVocabulary([["x", "y", "<unk>"], ["x", "<unk>"]], 2);
    expect(vocabulary.tokens).toEqual(["<unk>", "x"]);
    expect(encodeTokens(["y", "<unk>"], tokenIds(vocabulary))).toEqual([1, 3]);
  });
});

describe("encoding", () => {
  it("a classifier's ids are padded with 0 and cut at max_length; lengths count what is kept", () => {
    const encoded = encodeClassification([{ ids: [5, 6, 7, 8], label: 1 }, { ids: [9], label: 0 }], 4, 3);
    expect(Array.from(encoded.tokens)).toEqual([5, 6, 7, 0, 9, 0, 0, 0]);
    expect(Array.from(encoded.lengths)).toEqual([3, 1]);
    expect(Array.from(encoded.labels)).toEqual([1, 0]);
    expect(Array.from(encoded.lastToken)).toEqual([8, 9]); // the sample's own last token, before the cut
    expect(encoded.truncated).toBe(1);
  });

  it("a language model reads <s> c1 … cn and predicts c1 … cn <s>; padding is ignore_index; a cut sample has no end", () => {
    const encoded = encodeLanguageModel([{ ids: [5, 6] }, { ids: [7, 8, 9, 10] }], 4, 3, -100);
    expect(Array.from(encoded.tokens)).toEqual([2, 5, 6, 0, 2, 7, 8, 9]);
    expect(Array.from(encoded.targets)).toEqual([5, 6, 2, -100, 7, 8, 9, -100]);
    expect(Array.from(encoded.lengths)).toEqual([3, 4]);
    expect(encoded.truncated).toBe(1);
  });
});

describe("samples, lines and splits", () => {
  it("one sample per line: CR, LF and CRLF; the final newline ends the last line; empty lines are errors at their line", () => {
    const read = sampleLines("\uFEFFAna\r\nBo\rCy\n\n  \nDee\n", "names.txt", char);
    expect(read.lines).toEqual([
      { text: "Ana", line: 1 },
      { text: "Bo", line: 2 },
      { text: "Cy", line: 3 },
      { text: "Dee", line: 6 },
    ]);
    expect(read.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["RNNC0141", "names.txt", 4],
      ["RNNC0141", "names.txt", 5],
    ]);
    expect(sampleLines("a\n", "x", char).diagnostics).toEqual([]);
    expect(sampleLines("a\n\n", "x", char).diagnostics.map((d) => d.line)).toEqual([2]);
  });

  it("keeps a repeated sample once and drops a text found under two labels", () => {
    const raw = [
      { text: "Ana", label: "f", at },
      { text: "Bob", label: "m", at },
      { text: "ana", label: "f", at },
      { text: "Jo", label: "f", at },
      { text: "Jo", label: "m", at },
      { text: "Bob", label: "m", at },
    ];
    const exact = collectSamples(raw, char);
    expect(exact.samples.map((s) => [s.tokens.join(""), s.label])).toEqual([["Ana", "f"], ["Bob", "m"], ["ana", "f"]]);
    expect([exact.repeated, exact.ambiguous]).toEqual([1, 1]);
    const folded = collectSamples(raw, { tokens: "char", lowercase: true });
    expect(folded.samples.map((s) => s.tokens.join(""))).toEqual(["ana", "bob"]);
    expect(folded.repeated).toBe(2);
  });

  it("the random split is a function of the seed, keeps every sample once, and uses the CSV split's rounding", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const fractions = { train: 0.7, validation: 0.15, test: 0.15 };
    const a = randomSplit(items, fractions, new Random(4));
    expect(randomSplit(items, fractions, new Random(4))).toEqual(a);
    expect(randomSplit(items, fractions, new Random(5))).not.toEqual(a);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([14, 3, 3]);
    expect([...a.train, ...a.validation, ...a.test].sort((x, y) => x - y)).toEqual(items);
    expect(a.train).not.toEqual(items.slice(0, 14)); // shuffled, not file order
  });

  it("fits the vocabulary on the training split only: a token seen only outside it reads as <unk>", () => {
    const raw = ["ab", "ba", "aab", "bba", "abab", "abba", "bbb", "q"].map((text) => ({ text, at }));
    const options = { task: "classification", tokens: "char", lowercase: false, minCount: 1, maxLength: 4, sequence: 4, ignoreIndex: -100, split: { train: 0.5, validation: 0, test: 0.5 }, labels: ["only"] } as const;
    let unknownSeen = 0;
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const dataset = buildTextDataset(raw.map((r) => ({ ...r, label: "only" })), options, new Random(seed), at).dataset;
      if (dataset?.task !== "classification") throw new Error("expected a classifier's dataset");
      const { vocabulary, splits } = dataset;
      const seen = (split: typeof splits.train) => new Set(Array.from(split.tokens).filter((id) => id > 2).map((id) => tokenOf(vocabulary, id)));
      // every vocabulary token occurs in training, and nothing in test decodes to a token training lacks
      expect(new Set(vocabulary.tokens)).toEqual(seen(splits.train));
      for (const token of seen(splits.test)) expect(vocabulary.tokens).toContain(token);
      const testOnly = ["a", "b", "q"].filter((c) => !vocabulary.tokens.includes(c));
      if (testOnly.length > 0) {
        expect(Array.from(splits.test.tokens)).toContain(1);
        unknownSeen++;
      }
    }
    expect(unknownSeen).toBeGreaterThan(0);
  });
});

describe("baselines on hand-made data", () => {
  it("majority ties go to the lowest label; the last-token rule falls back to the majority for an unseen token", () => {
    expect(majorityLabel([1, 0, 1, 0], 2)).toBe(0);
    expect(majorityLabel([1, 1, 0], 2)).toBe(1);
    // last tokens: 7 → labels 0, 0, 1; 8 → 1; majority over all labels: 0 (3 of 5)
    const rule = fitLastTokenRule({ lastToken: Int32Array.from([7, 7, 7, 8, 9]), labels: Int32Array.from([0, 0, 1, 1, 0]) }, 2);
    expect(Array.from(predictByLastToken(rule, Int32Array.from([7, 8, 9, 42])))).toEqual([0, 1, 0, 0]);
  });

  it("add-one unigram and bigram cross-entropy, computed by hand", () => {
    // vocabulary of 4 classes; one training sample: input <s>=2, 3, 3 → targets 3, 3, <s>=2
    const train = { tokens: Int32Array.from([2, 3, 3]), targets: Int32Array.from([3, 3, 2]) };
    const counts = fitNgrams(train, -100, 4);
    // test: input 2, 3 → targets 3, 2 (one ignored position)
    const test = { tokens: Int32Array.from([2, 3, 0]), targets: Int32Array.from([3, 2, -100]) };
    const losses = ngramLosses(counts, test, -100);
    // unigram: p(3) = (2+1)/(3+4), p(2) = (1+1)/(3+4)
    expect(losses.unigram).toBeCloseTo(-(Math.log(3 / 7) + Math.log(2 / 7)) / 2, 12);
    // bigram: p(3 | 2) = (1+1)/(1+4); p(2 | 3) = (1+1)/(2+4)
    expect(losses.bigram).toBeCloseTo(-(Math.log(2 / 5) + Math.log(2 / 6)) / 2, 12);
    expect(losses.targets).toBe(2);
  });
});

describe("sampling", () => {
  it("temperature 0 takes the likeliest allowed id; excluded ids are never drawn; draws follow the softmax", () => {
    const logits = [5, 0, 1, 1];
    expect(sampleLogits(logits, 0, () => 0.5, new Set())).toBe(0);
    expect(sampleLogits(logits, 0, () => 0.5, new Set([0]))).toBe(2);
    const random = new Random(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleLogits(logits, 1, () => random.uniform(), new Set([0]))]! += 1;
    expect(counts[0]).toBe(0);
    // softmax over ids 1–3 of (0, 1, 1): 1/(1+2e), e/(1+2e), e/(1+2e)
    expect(counts[1]! / 20000).toBeCloseTo(1 / (1 + 2 * Math.E), 1);
  });
});

describe("checkpoint text metadata", () => {
  const valid = { version: 1, task: "classification", tokens: "char", lowercase: true, maxLength: 15, vocabulary: ["a", "b"], labels: ["female", "male"] };
  it("accepts what train writes and names what is wrong otherwise", () => {
    expect(parseTextMetadata(JSON.stringify(valid)).metadata).toEqual(valid);
    expect(parseTextMetadata("{").problems).toEqual(["`text` is not valid JSON"]);
    expect(parseTextMetadata(JSON.stringify({ ...valid, vocabulary: ["a", "a"] })).problems[0]).toMatch(/text\.vocabulary/);
    expect(parseTextMetadata(JSON.stringify({ ...valid, labels: undefined })).problems).toEqual(["`text` lacks `labels`, which a classifier's checkpoint needs"]);
    expect(parseTextMetadata(JSON.stringify({ ...valid, task: "language_model" })).problems).toEqual(["`text.labels` does not belong to a language model's checkpoint"]);
    expect(parseTextMetadata(JSON.stringify({ ...valid, maxLength: 0 })).problems[0]).toMatch(/text\.maxLength/);
    expect(parseTextMetadata(JSON.stringify({ ...valid, extra: 1 })).problems[0]).toMatch(/unknown key `extra`/);
  });
});
