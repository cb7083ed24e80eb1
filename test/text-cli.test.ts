import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensors, writeSafetensors } from "../src/runtime/safetensors.ts";
import { runCli } from "./helpers/cli.ts";

/**
 * The two name examples through the real CLI, trained briefly (one epoch each): the data summary and evaluation
 * lines, the checkpoint's text metadata, `predict --text/--file` and `sample`, and the mistakes a user makes with them.
 */
let scratch = "";
const checkpoints = { gender: "", generator: "" };
const trainOutput = { gender: "", generator: "" };

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rnnc-text-"));
  checkpoints.gender = join(scratch, "gender.safetensors");
  checkpoints.generator = join(scratch, "generator.safetensors");
  const gender = await runCli(["train", "models/name-gender.yaml", "--epochs", "1", "--save", checkpoints.gender, "--log-format", "json", "--quiet"]);
  expect(gender.stderr).toBe("");
  expect(gender.code).toBe(0);
  trainOutput.gender = gender.stdout;
  const generator = await runCli(["train", "models/name-generator.yaml", "--epochs", "1", "--save", checkpoints.generator, "--log-format", "json", "--quiet"]);
  expect(generator.stderr).toBe("");
  expect(generator.code).toBe(0);
  trainOutput.generator = generator.stdout;
}, 600_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const jsonLines = (text: string): Record<string, unknown>[] => text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);

/** The checkpoint with its `text` metadata replaced. */
function withText(path: string, edit: (text: Record<string, unknown>) => unknown): string {
  const read = readSafetensors(new Uint8Array(readFileSync(path)), path);
  if (read.file === undefined) throw new Error("unreadable checkpoint");
  const metadata = { ...read.file.metadata, text: JSON.stringify(edit(JSON.parse(read.file.metadata["text"] ?? "{}") as Record<string, unknown>)) };
  const tensors = [...read.file.tensors].map(([name, tensor]) => ({ name, tensor }));
  const out = join(scratch, `edited-${Math.random().toString(36).slice(2)}.safetensors`);
  writeFileSync(out, writeSafetensors(tensors, metadata));
  return out;
}

describe("name-gender", () => {
  it("reports the data, then evaluates validation and test against the majority and last-letter baselines", () => {
    const lines = jsonLines(trainOutput.gender);
    expect(lines[0]).toMatchObject({ event: "data", samples: 8849, ambiguous: 419, vocabulary: 30, labels: ["female", "male"] });
    const data = lines[0] as { distinct: number; train: number; validation: number; test: number };
    expect(data.train + data.validation + data.test).toBe(data.distinct);
    expect(lines[1]).toMatchObject({ epoch: 1, epochs: 1 });
    const evals = lines.filter((line) => line["event"] === "eval");
    expect(evals.map((line) => line["split"])).toEqual(["validation", "test"]);
    for (const line of evals) {
      const baselines = line["baselines"] as Record<string, { accuracy: number }>;
      expect(Object.keys(baselines)).toEqual(["majority", "last_letter"]);
      expect(baselines["last_letter"]!.accuracy).toBeGreaterThan(baselines["majority"]!.accuracy);
      expect(line["accuracy"]).toBeGreaterThan(0.5);
    }
  });

  it("stores the vocabulary, labels and tokenisation in the checkpoint", () => {
    const read = readSafetensors(new Uint8Array(readFileSync(checkpoints.gender)), "gender");
    const text = JSON.parse(read.file?.metadata["text"] ?? "{}") as Record<string, unknown>;
    expect(text).toMatchObject({ version: 1, task: "classification", tokens: "char", lowercase: true, maxLength: 15, labels: ["female", "male"] });
    expect((text["vocabulary"] as string[]).length).toBe(27);
    expect(text["vocabulary"]).toContain("-");
  });

  it("classifies --text and every line of --file with the checkpoint's vocabulary", async () => {
    const one = await runCli(["predict", "models/name-gender.yaml", "--weights", checkpoints.gender, "--text", "Maria"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Maria: (female|male) {2}\((female|male) 0\.\d{3}, (female|male) 0\.\d{3}\)\n$/);
    const file = join(scratch, "names.txt");
    writeFileSync(file, "Olivia\nJames\nZoë\n");
    const many = await runCli(["predict", "models/name-gender.yaml", "--weights", checkpoints.gender, "--file", file, "--format", "json"]);
    expect(many.code).toBe(0);
    const predictions = jsonLines(many.stdout);
    expect(predictions.map((p) => p["text"])).toEqual(["Olivia", "James", "Zoë"]); // ë is not in the vocabulary: <unk>, no error
    for (const p of predictions) expect(Object.values(p["probabilities"] as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it("refuses what does not fit: no text given, an empty line, a language-model command, edited metadata", async () => {
    const none = await runCli(["predict", "models/name-gender.yaml", "--weights", checkpoints.gender, "--diagnostics", "json"]);
    expect([none.code, JSON.parse(none.stderr)[0].code]).toEqual([2, "RNNC0060"]);
    const file = join(scratch, "gap.txt");
    writeFileSync(file, "Olivia\n\nJames\n");
    const gap = await runCli(["predict", "models/name-gender.yaml", "--weights", checkpoints.gender, "--file", file, "--diagnostics", "json"]);
    expect(JSON.parse(gap.stderr)).toMatchObject([{ code: "RNNC0141", line: 2 }]);
    const sample = await runCli(["sample", "models/name-gender.yaml", "--weights", checkpoints.gender, "--diagnostics", "json"]);
    expect([sample.code, JSON.parse(sample.stderr)[0].code]).toEqual([2, "RNNC0060"]);
    const damaged = withText(checkpoints.gender, (text) => ({ ...text, vocabulary: ["a", "a"] }));
    const bad = await runCli(["predict", "models/name-gender.yaml", "--weights", damaged, "--text", "Ann", "--diagnostics", "json"]);
    expect([bad.code, JSON.parse(bad.stderr)[0].code]).toEqual([2, "RNNC0100"]);
    const disagreeing = withText(checkpoints.gender, (text) => ({ ...text, maxLength: 12 }));
    const mismatch = await runCli(["predict", "models/name-gender.yaml", "--weights", disagreeing, "--text", "Ann", "--diagnostics", "json"]);
    expect([mismatch.code, JSON.parse(mismatch.stderr)[0].code]).toEqual([2, "RNNC0044"]);
    expect(JSON.parse(mismatch.stderr)[0].message).toMatch(/max_length/);
  });
});

describe("name-generator", () => {
  it("evaluates cross-entropy per token against unigram and bigram baselines", () => {
    const evals = jsonLines(trainOutput.generator).filter((line) => line["event"] === "eval");
    expect(evals.map((line) => line["split"])).toEqual(["validation", "test"]);
    for (const line of evals) {
      const baselines = line["baselines"] as { unigram: { loss: number }; bigram: { loss: number } };
      expect(baselines.bigram.loss).toBeLessThan(baselines.unigram.loss);
      expect(line["loss"]).toBeGreaterThan(0);
      expect(line["tokens"]).toBeGreaterThan(line["count"] as number); // every name and its end
    }
  });

  it("samples names: reproducible by seed, continuing a prefix, at most --max-length characters", async () => {
    const args = ["sample", "models/name-generator.yaml", "--weights", checkpoints.generator, "--count", "70", "--seed", "7"];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const names = first.stdout.trimEnd().split("\n");
    expect(names).toHaveLength(70); // more than one batch of 64
    expect((await runCli(args)).stdout).toBe(first.stdout);
    expect((await runCli([...args.slice(0, -1), "8"])).stdout).not.toBe(first.stdout);
    const prefixed = await runCli(["sample", "models/name-generator.yaml", "--weights", checkpoints.generator, "--prefix", "Ma", "--count", "5", "--max-length", "6"]);
    for (const name of prefixed.stdout.trimEnd().split("\n")) {
      expect(name.startsWith("Ma")).toBe(true);
      expect(Array.from(name).length).toBeLessThanOrEqual(6);
    }
    const greedy = await runCli(["sample", "models/name-generator.yaml", "--weights", checkpoints.generator, "--count", "3", "--temperature", "0"]);
    const greedyNames = greedy.stdout.trimEnd().split("\n");
    expect(new Set(greedyNames).size).toBe(1); // no draw at temperature 0: every sample is the likeliest
  });

  it("refuses a prefix with a character it never saw, and predict on a language model", async () => {
    const unknown = await runCli(["sample", "models/name-generator.yaml", "--weights", checkpoints.generator, "--prefix", "Ma9", "--diagnostics", "json"]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr)).toMatchObject([{ code: "RNNC0142", file: "--prefix", column: 3 }]);
    const predict = await runCli(["predict", "models/name-generator.yaml", "--weights", checkpoints.generator, "--text", "Ann", "--diagnostics", "json"]);
    expect([predict.code, JSON.parse(predict.stderr)[0].code]).toEqual([2, "RNNC0060"]);
    const wrongModel = await runCli(["sample", "models/name-generator.yaml", "--weights", checkpoints.gender, "--diagnostics", "json"]);
    expect([wrongModel.code, JSON.parse(wrongModel.stderr)[0].code]).toEqual([2, "RNNC0044"]);
  });
});

describe("a word-level classifier from a CSV column", () => {
  it("trains, evaluates against the last-word rule, resumes with --init, and classifies new text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rnnc-words-"));
    try {
      writeFileSync(join(dir, "package.json"), "{}\n");
      const good = ["great film", "loved it", "a great story", "wonderful acting", "loved the music", "great fun", "simply wonderful", "what a great cast"];
      const bad = ["awful film", "hated it", "a dull story", "terrible acting", "hated the music", "boring mess", "simply awful", "what a dull cast"];
      const rows = [...good.map((text) => `"${text}",good`), ...bad.map((text) => `"${text}",bad`)];
      writeFileSync(join(dir, "reviews.csv"), `review,verdict\n${[...rows, ...rows.map((row) => row.replace('"', '"Really '))].join("\n")}\n`);
      writeFileSync(
        join(dir, "model.yaml"),
        `version: 1
name: reviews
input:
  tokens: { shape: [batch, 6], dtype: int32 }
  verdict: { shape: [batch], dtype: int32 }
graph:
  - { id: emb, op: embedding, input: tokens, num_embeddings: 40, embedding_dim: 8, padding_idx: 0 }
  - { id: rnn, op: gru, hidden_size: 8 }
  - { id: pool, op: max_pool }
  - { id: fc, op: linear, out_features: 2 }
loss: { op: cross_entropy, input: fc, target: verdict }
optimizer: { op: adam, lr: 0.02 }
train: { epochs: 3, batch_size: 8, seed: 1 }
data:
  text: { csv: reviews.csv, column: review, label: verdict, tokens: word, lowercase: true }
  split: { train: 0.5, validation: 0.25, test: 0.25 }
`,
      );
      const trained = await runCli(["train", "model.yaml", "--save", "w.safetensors", "--log-format", "json", "--quiet"], dir);
      expect(trained.stderr).toBe("");
      expect(trained.code).toBe(0);
      const lines = jsonLines(trained.stdout);
      expect(lines[0]).toMatchObject({ event: "data", samples: 32, distinct: 32, labels: ["bad", "good"] });
      const test = lines.find((line) => line["event"] === "eval" && line["split"] === "test");
      expect(Object.keys(test?.["baselines"] as object)).toEqual(["majority", "last_word"]);
      const resumed = await runCli(["train", "model.yaml", "--init", "w.safetensors", "--epochs", "1"], dir);
      expect(resumed.code).toBe(0);
      const predicted = await runCli(["predict", "model.yaml", "--weights", "w.safetensors", "--text", "Really  GREAT   film", "--format", "json"], dir);
      expect(predicted.code).toBe(0);
      expect(jsonLines(predicted.stdout)[0]).toMatchObject({ text: "Really  GREAT   film" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
