import { describe, expect, it } from "vitest";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { miniBatches } from "../src/runtime/train.ts";
import { gradientCheck } from "./helpers/gradcheck.ts";
import { compileSpecText, sequenceClassifier } from "./helpers/inline-spec.ts";

/**
 * Every recurrent cell × layers × direction, and the new layers, against central finite differences of the float64
 * build (odd sizes, a partial batch). Parity with PyTorch is in test/parity.test.ts; this pins the gradients.
 */
const cells = ["rnn", "lstm", "gru"] as const;
const combinations = cells.flatMap((op) => [1, 2, 3].flatMap((layers) => [false, true].map((bidirectional) => ({ op, layers, bidirectional }))));

describe.each(combinations)("$op, $layers layer(s), bidirectional $bidirectional", ({ op, layers, bidirectional }) => {
  it("has gradients that match finite differences", async () => {
    const graph = `  - { id: rec, op: ${op}, hidden_size: 5, num_layers: ${layers}, bidirectional: ${bidirectional}${op === "rnn" && layers === 2 ? ", nonlinearity: relu" : ""} }
  - { id: last, op: last_step }`;
    const module = await compileSpecText(sequenceClassifier({ seq: 4, input: 3, classes: 3, batch: 5, graph }), "float64");
    const { mismatches, checked } = gradientCheck(module, { seed: 11, batchSize: 4, maxPerParameter: 30 });
    expect(checked).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });
});

describe("activations and dropout", () => {
  it.each(["relu", "tanh", "sigmoid", "gelu"])("a %s head has gradients that match finite differences", async (activation) => {
    const graph = `  - { id: rec, op: gru, hidden_size: 6 }
  - { id: last, op: last_step }
  - { id: hidden, op: linear, out_features: 7 }
  - { id: act, op: ${activation} }`;
    const module = await compileSpecText(sequenceClassifier({ seq: 3, input: 2, classes: 3, batch: 4, graph }), "float64");
    const { mismatches } = gradientCheck(module, { seed: 5, batchSize: 3, maxPerParameter: 40 });
    expect(mismatches).toEqual([]);
  });

  it("a model with dropout between layers and in the head has gradients that match finite differences, masks held fixed", async () => {
    const graph = `  - { id: rec, op: lstm, hidden_size: 6, num_layers: 2, bidirectional: true, dropout: 0.3 }
  - { id: last, op: last_step }
  - { id: hidden, op: linear, out_features: 8 }
  - { id: act, op: relu }
  - { id: drop, op: dropout, p: 0.4 }`;
    const module = await compileSpecText(sequenceClassifier({ seq: 4, input: 3, classes: 3, batch: 5, graph }), "float64");
    const { mismatches } = gradientCheck(module, { seed: 9, batchSize: 5, maxPerParameter: 30 });
    expect(mismatches).toEqual([]);
  });

  it("keeps a 1 − p fraction scaled by 1/(1 − p) in training, and is the identity in evaluation", async () => {
    const p = 0.3;
    const source = sequenceClassifier({ seq: 50, input: 40, classes: 2, batch: 20, graph: `  - { id: drop, op: dropout, p: ${p} }\n  - { id: last, op: last_step }` });
    const module = await compileSpecText(source, "float64");
    const model = module.createModel();
    const random = new Random(1);
    initialiseParameters(module, model, random);
    const { batch, size } = miniBatches(module, dummyDataset(module, random), module.MAX_BATCH)[0]!;
    const x = batch["x"]!;
    const count = size * 50 * 40;
    const dropped = model.activations["drop"]!;
    // time-major inside the model: element (t, b, f) of the activation is x[b, t, f]
    const inputAt = (i: number) => {
      const f = i % 40;
      const b = Math.floor(i / 40) % size;
      const t = Math.floor(i / (40 * size));
      return x[(b * 50 + t) * 40 + f]!;
    };

    model.loss(batch, size, true);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const value = dropped[i]!;
      if (value === 0) continue;
      kept++;
      expect(value).toBeCloseTo(inputAt(i) / (1 - p), 12);
    }
    const fraction = kept / count;
    // 40,000 Bernoulli(0.7) draws: the standard deviation of the fraction is 0.0023
    expect(Math.abs(fraction - (1 - p))).toBeLessThan(0.01);

    const before = model.randomState[0];
    model.forward(batch, size);
    for (let i = 0; i < count; i++) expect(dropped[i]).toBe(inputAt(i));
    expect(model.randomState[0]).toBe(before); // evaluation draws nothing
  });

  it("draws new masks each training step, reproducibly from the seed", async () => {
    const source = sequenceClassifier({ seq: 3, input: 4, classes: 2, batch: 6, graph: `  - { id: rec, op: gru, hidden_size: 8, num_layers: 2, dropout: 0.5 }\n  - { id: last, op: last_step }` });
    const module = await compileSpecText(source);
    const run = () => {
      const model = module.createModel();
      const random = new Random(2);
      initialiseParameters(module, model, random);
      const { batch, size } = miniBatches(module, dummyDataset(module, random), module.MAX_BATCH)[0]!;
      return [model.loss(batch, size, true), model.loss(batch, size, true), model.loss(batch, size)];
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first[0]).not.toBe(first[1]);
  });
});
