import { describe, expect, it } from "vitest";
import { classificationBaselines, evaluateRegression, majorityClass, regressionBaselines } from "../../src/data/baselines.ts";
import { accuracy, argmax, classificationReport, confusionMatrix, mae, perClassScores, rmse } from "../../src/data/metrics.ts";
import type { Preprocessing } from "../../src/data/preprocessing.ts";
import type { ClassificationSplit, RegressionSplit } from "../../src/data/windows.ts";

describe("classification metrics", () => {
  // 3 classes. True 0 0 1 1 2 2; predicted 0 1 1 1 0 1.
  const actual = [0, 0, 1, 1, 2, 2];
  const predicted = [0, 1, 1, 1, 0, 1];

  it("counts accuracy and the confusion matrix (rows true, columns predicted)", () => {
    expect(accuracy(actual, predicted)).toBe(3 / 6);
    expect(confusionMatrix(actual, predicted, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 1, 0],
    ]);
  });

  it("gives precision and recall per class, null where undefined (0/0)", () => {
    // Class 0: predicted twice, right once; class 1: predicted 4 times, right twice; class 2: never predicted.
    expect(perClassScores(confusionMatrix(actual, predicted, 3))).toEqual([
      { precision: 1 / 2, recall: 1 / 2, support: 2 },
      { precision: 2 / 4, recall: 2 / 2, support: 2 },
      { precision: null, recall: 0, support: 2 },
    ]);
    expect(classificationReport([1], [1], 2).perClass[0]).toEqual({ precision: null, recall: null, support: 0 });
  });

  it("picks the highest score per row", () => {
    expect([...argmax([0.1, 0.7, 0.2, 3, -1, 2], 2, 3)]).toEqual([1, 0]);
  });

  it("scores the majority and persistence baselines on a split", () => {
    const split = (y: number[], lastLabel: number[]): ClassificationSplit => ({ count: y.length, x: new Float32Array(0), targetIndex: [], lastIndex: [], y: Int32Array.from(y), lastLabel: Int32Array.from(lastLabel) });
    // Training split: class 2 three times, class 1 twice → majority 2. A 1–2 tie would go to 1.
    const train = split([2, 1, 2, 1, 2], [0, 0, 0, 0, 0]);
    expect(majorityClass(train, 3)).toBe(2);
    expect(majorityClass(split([2, 1], [0, 0]), 3)).toBe(1);
    // Test: true 2 2 0 1; last observed 2 0 0 2.
    const test = split([2, 2, 0, 1], [2, 0, 0, 2]);
    const baselines = classificationBaselines(train, test, 3);
    expect(baselines.majority.predictedClass).toBe(2);
    expect(baselines.majority.accuracy).toBe(2 / 4);
    expect(baselines.persistence.accuracy).toBe(2 / 4);
    expect(baselines.persistence.confusion).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [1, 0, 1],
    ]);
  });
});

describe("regression metrics", () => {
  it("computes MAE and RMSE", () => {
    // Errors 1, −2, 3, 0 → MAE 6/4, RMSE √(14/4).
    expect(mae([1, 2, 3, 4], [0, 4, 0, 4])).toBe(1.5);
    expect(rmse([1, 2, 3, 4], [0, 4, 0, 4])).toBeCloseTo(Math.sqrt(3.5), 15);
    expect(() => mae([1], [1, 2])).toThrow(RangeError);
  });

  const split: RegressionSplit = {
    count: 3,
    x: new Float32Array(0),
    targetIndex: [],
    lastIndex: [],
    y: new Float32Array([0.5, -1, 2]),
    lastLevel: new Float64Array([10, 12, 11]),
    targetLevel: new Float64Array([12, 11, 15]),
    seasonalLevel: new Float64Array([11, 11, 13]),
  };

  it("scores persistence and seasonal-naive baselines in original units", () => {
    const b = regressionBaselines(split);
    // Persistence errors 2, −1, 4: MAE 7/3, RMSE √(21/3). Seasonal errors 1, 0, 2: MAE 1, RMSE √(5/3).
    expect(b.persistence.mae).toBeCloseTo(7 / 3, 12);
    expect(b.persistence.rmse).toBeCloseTo(Math.sqrt(7), 12);
    expect(b.seasonalNaive?.mae).toBeCloseTo(1, 12);
    expect(b.seasonalNaive?.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    // A target within the first season has no seasonal forecast: no partial score.
    expect(regressionBaselines({ ...split, seasonalLevel: new Float64Array([NaN, 11, 13]) }).seasonalNaive).toBeUndefined();
  });

  it("evaluates model outputs after undoing standardisation and differencing", () => {
    const p: Preprocessing = { version: 1, task: "regression", features: ["a"], target: "a", window: 2, horizon: 1, transform: "difference", normalize: "standard", featureMean: [0], featureStd: [1], targetMean: 1, targetStd: 2 };
    // Outputs 0.5, −1, 2 → changes 2, −1, 5 → levels 12, 11, 16 against 12, 11, 15: errors 0, 0, 1.
    const report = evaluateRegression(split.y, split, p);
    expect(report.mae).toBeCloseTo(1 / 3, 6);
    expect(report.rmse).toBeCloseTo(Math.sqrt(1 / 3), 6);
  });
});
