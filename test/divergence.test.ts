import { describe, expect, it } from "vitest";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { Random } from "../src/runtime/prng.ts";
import { train } from "../src/runtime/train.ts";
import { compileSpecText, sequenceClassifier } from "./helpers/inline-spec.ts";

describe("divergence that stays finite", () => {
  it("a loss that grows past divergence_factor × the first epoch's stops training, naming it, with the last good weights kept", async () => {
    const source = sequenceClassifier({ seq: 3, input: 2, classes: 3, batch: 8, graph: "  - { id: rec, op: rnn, hidden_size: 8, nonlinearity: relu }\n  - { id: last, op: last_step }" })
      .replace("optimizer: { op: adam, lr: 0.01 }", "optimizer: { op: sgd, lr: 40 }")
      .replace("train: { epochs: 2,", "train: { epochs: 30, divergence_factor: 3,");
    const module = await compileSpecText(source, "float64");
    expect(module.TRAIN.divergenceFactor).toBe(3);
    const model = module.createModel();
    const random = new Random(4);
    initialiseParameters(module, model, random);
    const data = dummyDataset(module, random);
    const seen: number[] = [];
    const result = train(module, model, data, { epochs: 30, batchSize: 8, divergenceFactor: module.TRAIN.divergenceFactor, onEpoch: (record) => seen.push(record.loss) });
    expect(result.divergence?.what).toMatch(/^the loss grew to [\d.e+]+, over 3 × the first epoch's [\d.]+$/);
    // every loss it reported stayed within the bound; the weights are finite
    for (const loss of seen) expect(loss).toBeLessThanOrEqual(3 * seen[0]!);
    expect(Array.from(model.parameters).every(Number.isFinite)).toBe(true);
  });
});
