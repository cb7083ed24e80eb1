import { describe, expect, it } from "vitest";
import { checkColumnRoles } from "../../src/data/column-roles.ts";
import type { DataConfig } from "../../src/data/config.ts";
import { checkCsvAgainstSpec, readCsvFacts } from "../../src/data/csv-facts.ts";

/**
 * The checks of a `data` section that need no training: against itself (column roles, data.time_format) and against
 * its CSV's header and class set. `at` names the spec path a diagnostic points at, so the tests read as the spec.
 */

const config: DataConfig = {
  csv: "d.csv",
  time: "date",
  features: ["a", "b"],
  target: "label",
  window: 3,
  horizon: 1,
  split: { train: 0.7, validation: 0.15, test: 0.15 },
  normalize: "standard",
  transform: "none",
};
const at = (path: readonly (string | number)[]) => ({ file: path.join("."), line: 1, column: 1 });
const codesAt = (diagnostics: readonly { code: string; file: string }[]) => diagnostics.map((d) => `${d.code} ${d.file}`);

describe("checkColumnRoles", () => {
  it("accepts a plain section, and a regression target that is also a feature", () => {
    expect(checkColumnRoles(config, "classification", at)).toEqual([]);
    expect(checkColumnRoles({ ...config, target: "a" }, "regression", at)).toEqual([]);
  });

  it("reports each conflict at the key that makes it", () => {
    expect(codesAt(checkColumnRoles({ ...config, features: ["date", "a", "a", "label"] }, "classification", at))).toEqual([
      "RNNC0126 data.features.0",
      "RNNC0126 data.features.2",
      "RNNC0126 data.features.3",
    ]);
    expect(codesAt(checkColumnRoles({ ...config, target: "date" }, "regression", at))).toEqual(["RNNC0126 data.target"]);
  });

  it("checks data.time_format, which needs a time column", () => {
    expect(checkColumnRoles({ ...config, time_format: "DD.MM.YYYY" }, "classification", at)).toEqual([]);
    expect(codesAt(checkColumnRoles({ ...config, time_format: "DD.MM.YY" }, "classification", at))).toEqual(["RNNC0125 data.time_format"]);
    const { time: _time, ...untimed } = config;
    expect(checkColumnRoles({ ...untimed, time_format: "YYYY" }, "classification", at)[0]?.message).toContain("no `data.time` column");
  });
});

describe("checkCsvAgainstSpec", () => {
  const facts = (text: string, delimiter?: string) => {
    const read = readCsvFacts(text, "d.csv", { target: "label", ...(delimiter === undefined ? {} : { delimiter }) });
    if (read.facts === undefined) throw new Error(JSON.stringify(read.diagnostics));
    return read.facts;
  };
  const expectation = { task: "classification" as const, classes: 3, predictor: "fc" };

  it("passes a matching file, with its delimiter", () => {
    expect(checkCsvAgainstSpec(facts("date,a,b,label\n2020-01-01,1,2,x\n2020-01-02,1,2,y\n2020-01-03,1,2,z\n"), config, expectation, at)).toEqual([]);
    const semicolons = facts("date;a;b;label\n2020-01-01;1;2;x\n2020-01-02;1;2;y\n2020-01-03;1;2;z\n", ";");
    expect(checkCsvAgainstSpec(semicolons, { ...config, delimiter: ";" }, expectation, at)).toEqual([]);
  });

  it("reports missing columns at their keys, a wrong delimiter at the file, and the class count at data.target", () => {
    expect(codesAt(checkCsvAgainstSpec(facts("date,a,c,label\n2020-01-01,1,2,x\n"), config, expectation, at))).toEqual(["RNNC0081 data.features.1", "RNNC0034 data.target"]);
    expect(codesAt(checkCsvAgainstSpec(facts("date;a;b;label\n"), config, expectation, at))).toEqual(["RNNC0123 d.csv"]);
    expect(codesAt(checkCsvAgainstSpec(facts("nothing,here\n1,2\n"), config, expectation, at))).toEqual(["RNNC0081 data.csv"]);
  });
});
