import { describe, expect, it } from "vitest";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { typecheckModule } from "./helpers/typecheck.ts";
import { compile } from "../src/compile.ts";
import { compileSpecText } from "./helpers/inline-spec.ts";

/** The streaming API (one step per call, state carried) against the whole-sequence forward of the same weights. */
function spec(inputs: string, graph: string, loss: string): string {
  return `version: 1
name: streamed
input:
${inputs}
graph:
${graph}
loss: ${loss}
optimizer: { op: adam }
train: { batch_size: 3, seed: 1 }
`;
}

const languageModel = spec(
  `  tokens: { shape: [batch, 6], dtype: int32 }
  next: { shape: [batch, 6], dtype: int32 }`,
  `  - { id: emb, op: embedding, input: tokens, num_embeddings: 11, embedding_dim: 5 }
  - { id: rec, op: lstm, hidden_size: 7, num_layers: 2, dropout: 0.3 }
  - { id: hidden, op: linear, out_features: 6 }
  - { id: act, op: gelu }
  - { id: fc, op: linear, out_features: 11 }`,
  "{ op: cross_entropy, input: fc, target: next }",
);

describe("streaming inference", () => {
  it("a language model fed one token at a time gives the whole-sequence forward's logits at every step, within 1e-6", async () => {
    const module = await compileSpecText(languageModel);
    const model = module.createModel();
    initialiseParameters(module, model, new Random(5));
    const tokens = Int32Array.from({ length: 18 }, (_, i) => (i * 7 + 3) % 11);
    const whole = Float32Array.from(model.forward({ tokens, next: new Int32Array(18) }, 3).subarray(0, 6 * 3 * 11));
    const stream = model.stream!;
    stream.reset();
    let worst = 0;
    for (let round = 0; round < 2; round++) {
      for (let t = 0; t < 6; t++) {
        const step = Int32Array.from([0, 1, 2], (b) => tokens[b * 6 + t]!);
        const logits = stream.step({ tokens: step }, 3);
        for (let i = 0; i < 3 * 11; i++) worst = Math.max(worst, Math.abs(logits[i]! - whole[t * 3 * 11 + i]!)); // whole is time-major
      }
      stream.reset(); // the second round must agree again
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("a GRU classifier streamed over a sequence ends at the whole sequence's prediction", async () => {
    const source = spec(
      `  x: { shape: [batch, 5, 2], dtype: float32 }
  y: { shape: [batch], dtype: int32 }`,
      `  - { id: rec, op: gru, hidden_size: 4 }
  - { id: last, op: last_step }
  - { id: fc, op: linear, out_features: 3 }`,
      "{ op: cross_entropy, input: fc, target: y }",
    );
    const module = await compileSpecText(source);
    const model = module.createModel();
    initialiseParameters(module, model, new Random(9));
    const x = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.3));
    const whole = Float32Array.from(model.forward({ x, y: new Int32Array(3) }, 3).subarray(0, 9));
    model.stream!.reset();
    let output = new Float32Array(0);
    for (let t = 0; t < 5; t++) {
      const step = Float32Array.from({ length: 6 }, (_, i) => x[Math.floor(i / 2) * 10 + t * 2 + (i % 2)]!);
      output = Float32Array.from(model.stream!.step({ x: step }, 3).subarray(0, 9));
    }
    for (let i = 0; i < 9; i++) expect(Math.abs(output[i]! - whole[i]!)).toBeLessThan(1e-6);
  });

  it("is absent where a model needs the whole sequence: bidirectional layers, lengths, pooling", async () => {
    const needsWhole = [
      "  - { id: rec, op: gru, hidden_size: 4, bidirectional: true }\n  - { id: last, op: last_step }",
      "  - { id: rec, op: gru, hidden_size: 4 }\n  - { id: pool, op: mean_pool }",
    ];
    for (const graph of needsWhole) {
      const module = await compileSpecText(spec("  x: { shape: [batch, 5, 2], dtype: float32 }\n  y: { shape: [batch], dtype: int32 }", `${graph}\n  - { id: fc, op: linear, out_features: 3 }`, "{ op: cross_entropy, input: fc, target: y }"));
      expect(module.createModel().stream).toBeUndefined();
    }
  });

  it("the module with a stream type-checks on its own", () => {
    const file = compile(languageModel, { specPath: "lm.yaml" }).files[0];
    expect(typecheckModule(file?.path ?? "", file?.content ?? "")).toEqual([]);
  });
});

describe("the module checks int32 inputs itself", () => {
  it("a token id past the embedding table, a bad length or a bad class throws a RangeError instead of reading other memory", async () => {
    const module = await compileSpecText(languageModel);
    const model = module.createModel();
    const next = new Int32Array(18);
    expect(() => model.forward({ tokens: new Int32Array(18).fill(11), next }, 3)).toThrow(/token ids must lie in \[0, 10\]/);
    expect(() => model.trainStep({ tokens: new Int32Array(18), next: new Int32Array(18).fill(-7) }, 3)).toThrow(/class indices must lie in \[0, 10\] \(or be -100\)/);
    expect(() => model.stream!.step({ tokens: Int32Array.from([1, 2, 11]) }, 3)).toThrow(RangeError);
    expect(Number.isFinite(model.loss({ tokens: new Int32Array(18), next: new Int32Array(18).fill(-100) }, 3))).toBe(true);
  });
});
