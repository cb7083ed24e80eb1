import { describe, expect, it } from "vitest";
import { allToOriginalUnits, predictionWindows, toOriginalUnits, type Preprocessing } from "../../src/data/preprocessing.ts";
import { makeWindows } from "../../src/data/windows.ts";
import { csv, table, where } from "./helpers.ts";

// A stored record, as it would come back from checkpoint metadata.
const stored: Preprocessing = JSON.parse(
  JSON.stringify({ version: 1, task: "regression", features: ["a"], target: "a", window: 3, horizon: 1, transform: "none", normalize: "standard", featureMean: [4], featureStd: [2], targetMean: 5.5, targetStd: 0.5 }),
);

describe("predictionWindows", () => {
  it("applies stored statistics to new rows without refitting, one window per complete window", () => {
    const t = table(csv("d,a", "2021-05-01,8", "2021-05-02,9", "2021-05-03,10", "2021-05-04,12"), { time: "d", numeric: ["a"] });
    const result = predictionWindows(t, stored);
    const w = result.windows;
    if (w === undefined) throw new Error(JSON.stringify(result.diagnostics));
    expect(w.count).toBe(2);
    // (a − 4) / 2 for a = 8, 9, 10 and 9, 10, 12.
    expect([...w.x]).toEqual([2, 2.5, 3, 2.5, 3, 4]);
    expect(w.lastIndex).toEqual([2, 3]);
    expect([...(w.lastLevel ?? [])]).toEqual([10, 12]);
    // An output of 1 means 5.5 + 0.5 · 1 = 6 in original units (no difference: the last level is not added).
    expect(toOriginalUnits(1, 12, stored)).toBe(6);
  });

  it("matches the training windows exactly on the training table, differencing included", () => {
    const levels = [10, 12, 11, 15, 14, 18, 20, 19];
    const t = table(csv("d,a", ...levels.map((a, i) => `2020-01-0${i + 1},${a}`)), { time: "d", numeric: ["a"] });
    const made = makeWindows(t, { features: ["a"], target: "a", window: 2, horizon: 1, task: "regression", split: { train: 0.6, validation: 0.2, test: 0.2 }, normalize: "standard", transform: "difference" });
    if (made.data?.task !== "regression") throw new Error("expected regression");
    const { preprocessing, train, validation, test } = made.data;
    const w = predictionWindows(t, preprocessing).windows;
    // 7 changes, window 2: 6 windows; the first 5 are the labelled ones, the 6th forecasts past the end.
    expect(w?.count).toBe(6);
    expect(w?.x.subarray(0, 10)).toEqual(new Float32Array([...train.x, ...validation.x, ...test.x]));
    expect(w?.lastLevel?.[5]).toBe(19);
    // Output 0 is the mean change: 19 + 7/3.
    expect(allToOriginalUnits([0], [19], preprocessing)[0]).toBeCloseTo(19 + 7 / 3, 12);
  });

  it("reports too few rows and missing columns", () => {
    const short = table(csv("d,a", "2021-05-01,8", "2021-05-02,9"), { time: "d", numeric: ["a"] });
    expect(predictionWindows(short, stored).diagnostics.map(where)).toEqual([{ code: "RNNC0086", line: 1, column: 1, severity: "error" }]);
    const other = table(csv("d,b", "2021-05-01,8"), { time: "d", numeric: ["b"] });
    expect(predictionWindows(other, stored).diagnostics.map((d) => d.code)).toEqual(["RNNC0081", "RNNC0081"]);
  });
});
