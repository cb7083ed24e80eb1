import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classificationBaselines, regressionBaselines } from "../../src/data/baselines.ts";
import { readTable } from "../../src/data/csv.ts";
import { predictionWindows } from "../../src/data/preprocessing.ts";
import { makeWindows } from "../../src/data/windows.ts";

const split = { train: 0.7, validation: 0.15, test: 0.15 };
const load = (name: string): { file: string; text: string } => {
  const file = `models/data/${name}`;
  return { file, text: readFileSync(file, "utf8") };
};

describe("seattle-weather.csv: next day's weather from the last 7 days", () => {
  const { file, text } = load("seattle-weather.csv");
  const features = ["precipitation", "temp_max", "temp_min", "wind"];
  const read = readTable(text, file, { time: "date", numeric: features, categorical: ["weather"] });

  it("reads 4 years of daily rows cleanly", () => {
    expect(read.diagnostics).toEqual([]);
    expect(read.table?.rowCount).toBe(1461);
    expect(read.table?.lines[0]).toBe(2);
  });

  it("makes 1454 windows, split 1018 / 218 / 218, and scores the baselines", () => {
    if (read.table === undefined) throw new Error("no table");
    const made = makeWindows(read.table, { features, target: "weather", window: 7, horizon: 1, task: "classification", split, normalize: "standard", transform: "none" });
    if (made.data?.task !== "classification") throw new Error(JSON.stringify(made.diagnostics));
    const { train, validation, test, preprocessing } = made.data;
    expect([train.count, validation.count, test.count]).toEqual([1018, 218, 218]);
    expect(preprocessing.labels).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    expect(train.x.length).toBe(1018 * 7 * 4);
    expect(train.x.every(Number.isFinite)).toBe(true);
    // Checked against an independent Python computation: majority (sun) 105/218, persistence 134/218.
    const baselines = classificationBaselines(train, test, 5);
    expect(baselines.majority.predictedClass).toBe(4);
    expect(baselines.majority.accuracy).toBeCloseTo(105 / 218, 12);
    expect(baselines.persistence.accuracy).toBeCloseTo(134 / 218, 12);
    expect(JSON.parse(JSON.stringify(preprocessing))).toEqual(preprocessing);
  });
});

describe("co2-concentration.csv: next month's CO2 from the last 12 months of changes", () => {
  const { file, text } = load("co2-concentration.csv");
  const read = readTable(text, file, { time: "Date", numeric: ["CO2"] });

  it("reads 741 monthly rows and warns about the three gaps in the record", () => {
    expect(read.table?.rowCount).toBe(741);
    expect(read.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["RNNC0089", "warning", 5], // 1958-07, June missing
      ["RNNC0089", "warning", 8], // 1958-11, October missing
      ["RNNC0089", "warning", 71], // 1964-05, February to April missing
    ]);
  });

  it("makes 728 windows, split 510 / 109 / 109, and scores persistence and seasonal-naive in ppm", () => {
    if (read.table === undefined) throw new Error("no table");
    const made = makeWindows(read.table, { features: ["CO2"], target: "CO2", window: 12, horizon: 1, task: "regression", split, normalize: "standard", transform: "difference", season: 12 });
    if (made.data?.task !== "regression") throw new Error(JSON.stringify(made.diagnostics));
    const { train, validation, test } = made.data;
    expect([train.count, validation.count, test.count]).toEqual([510, 109, 109]);
    // Checked against an independent Python computation over the same 109 test targets (2011-04 … 2020-04).
    const baselines = regressionBaselines(test);
    expect(baselines.persistence.rmse).toBeCloseTo(1.40176, 4);
    expect(baselines.persistence.mae).toBeCloseTo(1.25037, 4);
    expect(baselines.seasonalNaive?.rmse).toBeCloseTo(2.49874, 4);
    // The newest 12 months give one more window, forecasting May 2020.
    const forecast = predictionWindows(read.table, made.data.preprocessing).windows;
    expect(forecast?.count).toBe(729);
    expect(forecast?.lastLevel?.[728]).toBe(416.18);
  });
});
