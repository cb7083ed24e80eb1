import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Table } from "../../src/data/csv.ts";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { toOriginalUnits } from "../../src/data/preprocessing.ts";
import { splitCounts } from "../../src/data/split.ts";
import { makeWindows, type WindowOptions, type WindowedData } from "../../src/data/windows.ts";
import { csv, table, where } from "./helpers.ts";

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i], `element ${i}`).toBeCloseTo(value, digits));
}

function regression(t: Table, options: Partial<WindowOptions> = {}) {
  const result = makeWindows(t, { features: ["a"], target: "a", window: 3, horizon: 1, task: "regression", split: { train: 0.6, validation: 0.2, test: 0.2 }, normalize: "standard", transform: "none", ...options });
  if (result.data?.task !== "regression") throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.data;
}

// Ten days, a = day of month, b constant; the first two rows swapped in the file to show sorting by time.
const days = (a: (day: number) => number = (d) => d): string =>
  csv("d,a,b", `2020-01-02,${a(2)},7`, `2020-01-01,${a(1)},7`, ...Array.from({ length: 8 }, (_, k) => `2020-01-${String(k + 3).padStart(2, "0")},${a(k + 3)},7`));
const read = (text: string): Table => table(text, { time: "d", numeric: ["a", "b"] });

describe("splitCounts", () => {
  it("rounds cumulative boundaries half up, so the counts add up", () => {
    expect(splitCounts(7, { train: 0.6, validation: 0.2, test: 0.2 })).toEqual({ train: 4, validation: 2, test: 1 }); // 4.2 → 4, 5.6 → 6
    expect(splitCounts(10, { train: 0.7, validation: 0.15, test: 0.15 })).toEqual({ train: 7, validation: 2, test: 1 }); // 8.5 → 9
    expect(splitCounts(5, { train: 0.5, validation: 0, test: 0.5 })).toEqual({ train: 3, validation: 0, test: 2 });
    expect(splitCounts(5, { train: 0.8, validation: 0.2, test: 0 })).toEqual({ train: 4, validation: 1, test: 0 });
  });
});

describe("makeWindows: regression", () => {
  // 10 rows, window 3, horizon 1: 7 windows; 0.6/0.2/0.2 → 4 train, 2 validation, 1 test.
  // Training windows 0–3 read rows 0–5 and predict rows 3–6, so statistics come from rows 0–6: a = 1…7, mean 4,
  // population variance (9+4+1+0+1+4+9)/7 = 4, std 2. Targets 4, 5, 6, 7: mean 5.5, variance 1.25.
  const s = Math.sqrt(1.25);

  it("cuts windows by hand-computed rows and standardises with training statistics", () => {
    const t = read(days());
    const data = regression(t, { features: ["a", "b"], season: 2 });
    expect(data.preprocessing).toEqual({
      version: 1,
      task: "regression",
      features: ["a", "b"],
      target: "a",
      window: 3,
      horizon: 1,
      transform: "none",
      normalize: "standard",
      featureMean: [4, 7],
      featureStd: [2, 1], // b is constant: scaled by 1, not divided by 0
      targetMean: 5.5,
      targetStd: s,
    });
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([4, 2, 1]);
    // Window 0: rows 0–2, a = 1, 2, 3 → (a − 4)/2; b → 0. Layout [sample, step, feature].
    expectClose(data.train.x.subarray(0, 6), [-1.5, 0, -1, 0, -0.5, 0]);
    expectClose(data.train.y, [(4 - 5.5) / s, (5 - 5.5) / s, (6 - 5.5) / s, (7 - 5.5) / s]);
    expect(data.train.targetIndex).toEqual([3, 4, 5, 6]);
    expect(data.train.lastIndex).toEqual([2, 3, 4, 5]);
    expectClose(data.train.lastLevel, [3, 4, 5, 6]);
    expectClose(data.train.targetLevel, [4, 5, 6, 7]);
    expectClose(data.train.seasonalLevel ?? [], [2, 3, 4, 5]);
    expect(data.validation.targetIndex).toEqual([7, 8]);
    expectClose(data.validation.lastLevel, [7, 8]);
    // The test window reads rows 6–8 (a = 7, 8, 9) and predicts row 9 (a = 10), which is line 11 of the file.
    expectClose(data.test.x, [1.5, 0, 2, 0, 2.5, 0]);
    expectClose(data.test.y, [(10 - 5.5) / s]);
    expect(data.test.x.length).toBe(1 * 3 * 2);
    expect(t.lines[data.test.targetIndex[0] ?? -1]).toBe(11);
  });

  it("keeps raw values under normalize: none", () => {
    const data = regression(read(days()), { normalize: "none" });
    expect(data.preprocessing).toMatchObject({ featureMean: [0], featureStd: [1], targetMean: 0, targetStd: 1 });
    expectClose(data.test.x, [7, 8, 9]);
    expectClose(data.test.y, [10]);
  });

  it("does not leak: changing validation and test values leaves every fitted statistic and the training split alone", () => {
    const original = regression(read(days()));
    // Rows 7–9 (8–10 January) are only ever validation or test targets and inputs.
    const changed = regression(read(days((d) => (d >= 8 ? 1000 * d : d))));
    expect(changed.preprocessing).toEqual(original.preprocessing);
    expect(changed.train.x).toEqual(original.train.x);
    expect(changed.train.y).toEqual(original.train.y);
    expect(changed.test.x).not.toEqual(original.test.x);
    // …while row 6, the last training target, does count: the test can see a leak if there is one.
    expect(regression(read(days((d) => (d === 7 ? 70 : d)))).preprocessing.targetMean).not.toBe(5.5);
  });

  it("differences features and target, and maps predictions back to original units", () => {
    // Levels 10, 12, 11, 15, 14, 18, 20, 19; changes (rows 1–7) 2, −1, 4, −1, 4, 2, −1. Row 0 is dropped.
    // Window 2, horizon 1: 5 windows → 3 / 1 / 1. Window i reads rows i+1, i+2 and predicts row i+3.
    // Training covers rows 1–5: changes 2, −1, 4, −1, 4 → mean 1.6, variance 5.04.
    // Training targets (row i+3 minus row i+2): 4, −1, 4 → mean 7/3, variance ((5/3)² + (10/3)² + (5/3)²)/3 = 50/9.
    const levels = [10, 12, 11, 15, 14, 18, 20, 19];
    const t = table(csv("d,a", ...levels.map((a, i) => `2020-01-0${i + 1},${a}`)), { time: "d", numeric: ["a"] });
    const data = regression(t, { window: 2, transform: "difference" });
    const fs = Math.sqrt(5.04);
    const ts = Math.sqrt(50 / 9);
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([3, 1, 1]);
    expect(data.preprocessing.featureMean[0]).toBeCloseTo(1.6, 12);
    expect(data.preprocessing.featureStd[0]).toBeCloseTo(fs, 12);
    expect(data.preprocessing.targetMean).toBeCloseTo(7 / 3, 12);
    expect(data.preprocessing.targetStd).toBeCloseTo(ts, 12);
    expectClose(data.train.x, [(2 - 1.6) / fs, (-1 - 1.6) / fs, (-1 - 1.6) / fs, (4 - 1.6) / fs, (4 - 1.6) / fs, (-1 - 1.6) / fs]);
    expectClose(data.train.y, [(4 - 7 / 3) / ts, (-1 - 7 / 3) / ts, (4 - 7 / 3) / ts]);
    // Test window: rows 5, 6 (changes 4, 2); last level 20 (row 6); target 19 (row 7), a change of −1.
    expectClose(data.test.x, [(4 - 1.6) / fs, (2 - 1.6) / fs]);
    expectClose(data.test.y, [(-1 - 7 / 3) / ts]);
    expectClose(data.test.lastLevel, [20]);
    expectClose(data.test.targetLevel, [19]);
    // Round trip: the standardised change plus the last level is the target level, in every split.
    for (const split of [data.train, data.validation, data.test]) {
      split.y.forEach((y, k) => expect(toOriginalUnits(y, split.lastLevel[k] ?? NaN, data.preprocessing)).toBeCloseTo(split.targetLevel[k] ?? NaN, 4));
    }
  });

  it("predicts the change since the last step at longer horizons, so the round trip stays exact", () => {
    // Horizon 2, window 2: window 0 ends at row 2 (11) and predicts row 4 (14): a change of 3, not the 1-step −1.
    const levels = [10, 12, 11, 15, 14, 18, 20, 19];
    const t = table(csv("d,a", ...levels.map((a, i) => `2020-01-0${i + 1},${a}`)), { time: "d", numeric: ["a"] });
    const data = regression(t, { window: 2, horizon: 2, transform: "difference", normalize: "none", split: { train: 0.5, validation: 0.25, test: 0.25 } });
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([2, 1, 1]);
    expectClose(data.train.y, [14 - 11, 18 - 15]);
    expectClose(data.test.targetLevel, [19]);
    expect(toOriginalUnits(data.test.y[0] ?? NaN, data.test.lastLevel[0] ?? NaN, data.preprocessing)).toBeCloseTo(19, 5);
  });
});

describe("makeWindows: round trip, for any series", () => {
  it("turns every standardised (differenced) target back into its level", () => {
    // Realistic series: two-decimal readings, with runs of constants (a flat stretch makes a zero std).
    const level = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }).map((v) => v / 100), fc.constantFrom(0, 5));
    fc.assert(
      fc.property(fc.array(level, { minLength: 30, maxLength: 60 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (levels, window, horizon, difference) => {
        const t = table(csv("a", ...levels.map(String)), { numeric: ["a"] });
        const data = regression(t, { window, horizon, transform: difference ? "difference" : "none" });
        for (const split of [data.train, data.validation, data.test]) {
          expect(split.x.every(Number.isFinite)).toBe(true);
          split.y.forEach((y, k) => {
            const back = toOriginalUnits(y, split.lastLevel[k] ?? NaN, data.preprocessing);
            // y is float32 (relative error 6e-8, in units of the target's std); the rest is float64 rounding.
            const target = split.targetLevel[k] ?? NaN;
            const tolerance = 2e-7 * (Math.abs(y) + 1) * (data.preprocessing.targetStd ?? 1) + 1e-12 * (Math.abs(target) + Math.abs(split.lastLevel[k] ?? 0));
            expect(Math.abs(back - target)).toBeLessThanOrEqual(tolerance);
          });
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("makeWindows: classification", () => {
  // Labels sorted: fog 0, rain 1, sun 2. Window 2, horizon 1: 6 windows, 0.5/0.25/0.25 → 3 / 2 / 1 (4.5 → 5).
  const weather = ["sun", "rain", "sun", "fog", "sun", "rain", "rain", "sun"];
  const t = table(csv("d,t,w", ...weather.map((w, i) => `2021-01-0${i + 1},${i + 1},${w}`)), { time: "d", numeric: ["t"], categorical: ["w"] });
  const classify = (options: Partial<WindowOptions> = {}): { data?: WindowedData; diagnostics: readonly Diagnostic[] } =>
    makeWindows(t, { features: ["t"], target: "w", window: 2, horizon: 1, task: "classification", split: { train: 0.5, validation: 0.25, test: 0.25 }, normalize: "standard", transform: "none", ...options });

  it("maps labels to sorted class indices and exposes the last observed label", () => {
    const data = classify().data;
    if (data?.task !== "classification") throw new Error("expected classification");
    expect(data.preprocessing.labels).toEqual(["fog", "rain", "sun"]);
    expect(data.preprocessing.targetMean).toBeUndefined();
    // Training targets are rows 2–4, so statistics come from rows 0–4: t = 1…5, mean 3, variance 2.
    expect(data.preprocessing.featureMean).toEqual([3]);
    expect(data.preprocessing.featureStd[0]).toBeCloseTo(Math.SQRT2, 12);
    // Targets rows 2–7: sun fog sun | rain rain | sun; last steps rows 1–6: rain sun fog | sun rain | rain.
    expect([...data.train.y, ...data.validation.y, ...data.test.y]).toEqual([2, 0, 2, 1, 1, 2]);
    expect([...data.train.lastLabel, ...data.validation.lastLabel, ...data.test.lastLabel]).toEqual([1, 2, 0, 2, 1, 1]);
    expectClose(data.test.x, [(6 - 3) / Math.SQRT2, (7 - 3) / Math.SQRT2]);
  });

  it("uses a given class set in its order, and rejects a label outside it at its cell", () => {
    const given = classify({ labels: ["sun", "rain", "fog", "snow"] }).data;
    if (given?.task !== "classification") throw new Error("expected classification");
    expect([...given.train.y]).toEqual([0, 2, 0]);
    const missing = classify({ labels: ["sun", "rain"] });
    expect(missing.data).toBeUndefined();
    // Row 3 (fog) is the first such; it is line 5 of the file, field 3.
    expect(missing.diagnostics.map(where)).toEqual([{ code: "RNNC0088", line: 5, column: 3, severity: "error" }]);
  });
});

describe("makeWindows: bad options and too little data", () => {
  const small = read(days());
  const base: WindowOptions = { features: ["a"], target: "a", window: 3, horizon: 1, task: "regression", split: { train: 0.6, validation: 0.2, test: 0.2 }, normalize: "standard", transform: "none" };

  it("reports too few rows for a single window", () => {
    const result = makeWindows(small, { ...base, window: 9, horizon: 2 });
    expect(result.diagnostics.map(where)).toEqual([{ code: "RNNC0086", line: 1, column: 1, severity: "error" }]);
    expect(result.diagnostics[0]?.message).toContain("window 9 + horizon 2 needs 11");
  });

  it("reports each split too small to hold a window", () => {
    const result = makeWindows(small, { ...base, window: 6, split: { train: 0.9, validation: 0.05, test: 0.05 } }); // 4 windows: 4 / 0 / 0
    expect(result.diagnostics.map((d) => d.code)).toEqual(["RNNC0086", "RNNC0086"]);
    expect(result.diagnostics[0]?.message).toContain("validation split holds no window");
  });

  it("reports bad options, pointing where the caller says", () => {
    const at = { file: "model.yaml", line: 12, column: 3 };
    const result = makeWindows(small, { ...base, window: 0, features: ["a", "a"], split: { train: 0.8, validation: 0.2, test: 0.2 }, at });
    expect(result.diagnostics.map(where)).toEqual(Array.from({ length: 3 }, () => ({ code: "RNNC0087", line: 12, column: 3, severity: "error" })));
  });

  it("names an unknown feature with a suggestion, and a column read as the wrong kind", () => {
    const t = table(csv("d,temp,w", "2020-01-01,1,x"), { time: "d", numeric: ["temp"], categorical: ["w"] });
    const result = makeWindows(t, { ...base, features: ["tmp", "w"], target: "temp" });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["RNNC0081", "RNNC0087"]);
    expect(result.diagnostics[0]?.hint).toContain("did you mean `temp`?");
    expect(result.diagnostics[1]?.message).toBe("the feature `w` was read as categorical, but it must be numeric");
  });
});
