import { describe, expect, it } from "vitest";
import type { Batch } from "../src/runtime/generated-module.ts";
import { gradientCheck } from "./helpers/gradcheck.ts";
import { compileSpecText } from "./helpers/inline-spec.ts";

/**
 * Token inputs, per-step layers and losses, variable lengths and pooling: float64 gradients against central finite
 * differences, with random lengths in [1, seq] (the dummy data draws every int32 input within its declared range).
 */
function spec(options: { inputs: string; graph: string; loss: string }): string {
  return `version: 1
name: inline
input:
${options.inputs}
graph:
${options.graph}
loss: ${options.loss}
optimizer: { op: adam, lr: 0.01 }
train: { epochs: 2, batch_size: 5, seed: 3 }
`;
}

const tokenInputs = `  tokens: { shape: [batch, 6], dtype: int32 }
  lengths: { shape: [batch], dtype: int32 }
  y: { shape: [batch], dtype: int32 }`;

const cells = ["rnn", "lstm", "gru"] as const;
const variants = cells.flatMap((op) => [1, 2].flatMap((layers) => [false, true].map((bidirectional) => ({ op, layers, bidirectional }))));

describe.each(variants)("$op with lengths, $layers layer(s), bidirectional $bidirectional", ({ op, layers, bidirectional }) => {
  it("has gradients that match finite differences (embedding with padding, packed steps, each sample's last step)", async () => {
    const graph = `  - { id: emb, op: embedding, input: tokens, num_embeddings: 7, embedding_dim: 3, padding_idx: 0 }
  - { id: rec, op: ${op}, hidden_size: 4, num_layers: ${layers}, bidirectional: ${bidirectional}, lengths: lengths }
  - { id: last, op: last_step, lengths: lengths }
  - { id: fc, op: linear, out_features: 3 }`;
    const module = await compileSpecText(spec({ inputs: tokenInputs, graph, loss: "{ op: cross_entropy, input: fc, target: y }" }), "float64");
    const { mismatches, checked } = gradientCheck(module, { seed: 21, batchSize: 4, maxPerParameter: 30 });
    expect(checked).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });
});

describe("pooling", () => {
  it.each(["mean_pool", "max_pool"])("%s with and without lengths has gradients that match finite differences", async (pool) => {
    for (const lengths of [", lengths: lengths", ""]) {
      const graph = `  - { id: emb, op: embedding, input: tokens, num_embeddings: 9, embedding_dim: 4 }
  - { id: rec, op: gru, hidden_size: 5, bidirectional: true${lengths} }
  - { id: pool, op: ${pool}${lengths} }
  - { id: fc, op: linear, out_features: 3 }`;
      const module = await compileSpecText(spec({ inputs: tokenInputs, graph, loss: "{ op: cross_entropy, input: fc, target: y }" }), "float64");
      expect(gradientCheck(module, { seed: 4, batchSize: 5, maxPerParameter: 30 }).mismatches).toEqual([]);
    }
  });
});

describe("per-step outputs", () => {
  it("a character language model (embedding → lstm → per-step linear, cross-entropy with ignored targets) has gradients that match finite differences", async () => {
    const inputs = `  tokens: { shape: [batch, 5], dtype: int32 }
  next: { shape: [batch, 5], dtype: int32 }`;
    const graph = `  - { id: emb, op: embedding, input: tokens, num_embeddings: 6, embedding_dim: 3, padding_idx: 0 }
  - { id: rec, op: lstm, hidden_size: 4 }
  - { id: hidden, op: linear, out_features: 5 }
  - { id: act, op: tanh }
  - { id: fc, op: linear, out_features: 6 }`;
    const module = await compileSpecText(spec({ inputs, graph, loss: "{ op: cross_entropy, input: fc, target: next, ignore_index: -1 }" }), "float64");
    const ignoreSome = (batch: Batch) => {
      const next = batch["next"] as Int32Array;
      for (let i = 0; i < next.length; i += 3) next[i] = -1; // a third of the targets are padding
    };
    const { mismatches, checked } = gradientCheck(module, { seed: 8, batchSize: 4, maxPerParameter: 30, prepare: ignoreSome });
    expect(checked).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });

  it("ignored targets change nothing: the loss is the mean over the others", async () => {
    const inputs = `  tokens: { shape: [batch, 4], dtype: int32 }
  next: { shape: [batch, 4], dtype: int32 }`;
    const graph = `  - { id: emb, op: embedding, input: tokens, num_embeddings: 5, embedding_dim: 3 }
  - { id: fc, op: linear, out_features: 5 }`;
    const module = await compileSpecText(spec({ inputs, graph, loss: "{ op: cross_entropy, input: fc, target: next }" }), "float64");
    const model = module.createModel();
    model.parameters.forEach((_, i) => (model.parameters[i] = Math.sin(i)));
    const tokens = Int32Array.from([1, 2, 3, 4, 0, 1, 2, 3]);
    const all = Int32Array.from([2, 3, 4, 0, 1, 2, 3, 4]);
    const some = Int32Array.from([2, -100, 4, -100, -100, -100, -100, -100]);
    const logits = Float64Array.from(model.forward({ tokens, next: all }, 2).subarray(0, 40));
    // time-major logits: row t·2 + b; sample 0's steps 0 and 2 are counted
    const term = (row: number, label: number) => {
      const values = logits.subarray(row * 5, row * 5 + 5);
      return Math.log(values.reduce((sum, v) => sum + Math.exp(v), 0)) - values[label]!;
    };
    expect(model.loss({ tokens, next: some }, 2)).toBeCloseTo((term(0, 2) + term(4, 4)) / 2, 12);
  });

  it("per-step linear with mse has gradients that match finite differences", async () => {
    const inputs = `  x: { shape: [batch, 4, 3], dtype: float32 }
  target: { shape: [batch, 4, 2], dtype: float32 }`;
    const graph = `  - { id: rec, op: gru, hidden_size: 5 }
  - { id: fc, op: linear, out_features: 2 }`;
    const module = await compileSpecText(spec({ inputs, graph, loss: "{ op: mse, input: fc, target: target }" }), "float64");
    expect(gradientCheck(module, { seed: 2, batchSize: 3, maxPerParameter: 30 }).mismatches).toEqual([]);
  });
});

describe("packed sequences", () => {
  it("outputs past a sample's length are 0, and what lies past it does not matter", async () => {
    const inputs = `  x: { shape: [batch, 5, 2], dtype: float32 }
  lengths: { shape: [batch], dtype: int32 }
  y: { shape: [batch], dtype: int32 }`;
    const graph = `  - { id: rec, op: lstm, hidden_size: 3, bidirectional: true, num_layers: 2, lengths: lengths }
  - { id: last, op: last_step, lengths: lengths }
  - { id: fc, op: linear, out_features: 2 }`;
    const module = await compileSpecText(spec({ inputs, graph, loss: "{ op: cross_entropy, input: fc, target: y }" }), "float64");
    const model = module.createModel();
    model.parameters.forEach((_, i) => (model.parameters[i] = Math.cos(i * 0.7) * 0.5));
    const x = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i));
    const lengths = Int32Array.from([3, 5]);
    const y = Int32Array.from([0, 1]);
    const first = Float64Array.from(model.forward({ x, lengths, y }, 2).subarray(0, 4));
    const sequence = model.activations["rec"]!;
    for (let t = 3; t < 5; t++) for (let j = 0; j < 6; j++) expect(sequence[(t * 2 + 0) * 6 + j]).toBe(0); // sample 0, steps 3 and 4
    x.fill(99, 6, 10); // sample 0's padding steps
    expect(Array.from(model.forward({ x, lengths, y }, 2).subarray(0, 4))).toEqual(Array.from(first));
  });
});
