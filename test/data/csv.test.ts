import { describe, expect, it } from "vitest";
import { readTable } from "../../src/data/csv.ts";
import { compileTimeFormat } from "../../src/data/time-format.ts";
import { csv, table, where } from "./helpers.ts";

describe("readTable: good files", () => {
  it("reads numeric and categorical columns, sorts rows by time, and keeps each row's CSV line", () => {
    const t = table(csv("date,temp,weather,unused", "2020-01-03,3.5,sun,x", "2020-01-01,-1,rain,y", "2020-01-02,2e1, fog ,z"), {
      time: "date",
      numeric: ["temp"],
      categorical: ["weather"],
    });
    expect(t.rowCount).toBe(3);
    expect(t.numeric["temp"]).toEqual([-1, 20, 3.5]);
    expect(t.categorical["weather"]).toEqual(["rain", "fog", "sun"]); // trimmed
    expect(t.lines).toEqual([3, 4, 2]);
    expect(t.rows).toEqual([2, 3, 1]);
    expect(t.time).toEqual([Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3)]);
    expect(t.fields).toEqual({ date: 1, temp: 2, weather: 3 });
    expect(t.header).toEqual(["date", "temp", "weather", "unused"]);
  });

  it("keeps file order without a time column", () => {
    const t = table(csv("a", "3", "1", "2"), { numeric: ["a"] });
    expect(t.numeric["a"]).toEqual([3, 1, 2]);
    expect(t.time).toBeUndefined();
  });

  it("accepts YYYY-MM, year-first dates, and other formats when data.time_format names them", () => {
    const monthly = table(csv("month,v", "1958-04,2", "1958-03,1"), { time: "month", numeric: ["v"] });
    expect(monthly.time).toEqual([Date.UTC(1958, 2, 1), Date.UTC(1958, 3, 1)]);
    expect(monthly.numeric["v"]).toEqual([1, 2]);
    const slashed = table(csv("when,v", "2012/1/2,2", "2012/1/1,1"), { time: "when", numeric: ["v"] });
    expect(slashed.time).toEqual([Date.UTC(2012, 0, 1), Date.UTC(2012, 0, 2)]);
    const format = compileTimeFormat("MMM D YYYY");
    if (!("format" in format)) throw new Error(format.why);
    const spelled = table(csv("when,v", "Jan 2 2012,2", "Jan 1 2012,1"), { time: "when", numeric: ["v"], timeFormat: format.format });
    expect(spelled.numeric["v"]).toEqual([1, 2]);
    expect(spelled.time).toEqual([Date.UTC(2012, 0, 1), Date.UTC(2012, 0, 2)]);
  });

  it("counts lines across blank lines, a BOM, CRLF and quoted fields that span lines", () => {
    const text = '\uFEFFd,v,note\r\n2020-01-01,1,"two\r\nlines"\r\n\r\n   \r\n2020-01-02,2,x\r\n';
    const t = table(text, { time: "d", numeric: ["v"] });
    expect(t.lines).toEqual([2, 6]);
    expect(t.header).toEqual(["d", "v", "note"]);
  });

  it("warns about a gap in the time grid at the row after it", () => {
    // Monthly with March missing: one warning at the April row.
    const result = readTable(csv("m,v", "2020-01,1", "2020-02,2", "2020-04,4", "2020-05,5", "2020-06,6"), "m.csv", { time: "m", numeric: ["v"] });
    expect(result.table?.rowCount).toBe(5);
    expect(result.diagnostics.map(where)).toEqual([{ code: "RNNC0089", line: 4, column: 1, severity: "warning" }]);
    expect(result.diagnostics[0]?.message).toContain("row 3, column `m`");
    expect(result.diagnostics[0]?.message).toContain("60 days");
  });
});

describe("readTable: bad files", () => {
  it("names a missing column, suggests the near miss and lists what there is", () => {
    const result = readTable(csv("date,temp_max,wind", "2020-01-01,1,2"), "w.csv", { time: "date", numeric: ["temp_mx", "humidity"] });
    expect(result.table).toBeUndefined();
    expect(result.diagnostics.map(where)).toEqual([
      { code: "RNNC0081", line: 1, column: 1, severity: "error" },
      { code: "RNNC0081", line: 1, column: 1, severity: "error" },
    ]);
    expect(result.diagnostics[0]?.message).toBe("the CSV has no column `temp_mx`");
    expect(result.diagnostics[0]?.hint).toBe("did you mean `temp_max`? columns: `date`, `temp_max`, `wind`");
    expect(result.diagnostics[1]?.hint).toBe("columns: `date`, `temp_max`, `wind`");
  });

  it("reports an empty cell, and a missing one in a short row, at its line and field", () => {
    const result = readTable(csv("date,a,b", "2020-01-01,1,2", "2020-01-02,,3", "2020-01-03,4"), "e.csv", { time: "date", numeric: ["a", "b"] });
    expect(result.diagnostics.map(where)).toEqual([
      { code: "RNNC0082", line: 3, column: 2, severity: "error" },
      { code: "RNNC0082", line: 4, column: 3, severity: "error" },
    ]);
    expect(result.diagnostics[0]?.message).toBe("row 2, column `a` is empty");
    expect(result.diagnostics[0]?.file).toBe("e.csv");
  });

  it("reports non-numeric cells, including NaN and Infinity, rather than reading them as NaN", () => {
    const result = readTable(csv("a,b", "1,x", "NaN,2", "0x10,Infinity", "3,4"), "n.csv", { numeric: ["a", "b"] });
    expect(result.diagnostics.map(where)).toEqual([
      { code: "RNNC0083", line: 2, column: 2, severity: "error" },
      { code: "RNNC0083", line: 3, column: 1, severity: "error" },
      { code: "RNNC0083", line: 4, column: 1, severity: "error" },
      { code: "RNNC0083", line: 4, column: 2, severity: "error" },
    ]);
    expect(result.diagnostics[0]?.message).toBe('row 1, column `b` is "x", which is not a finite number');
  });

  it("reports a bad date, including an impossible calendar day and a bare number", () => {
    const result = readTable(csv("d,v", "2020-01-01,1", "2020-02-30,2", "yesterday,3", "17,4"), "d.csv", { time: "d", numeric: ["v"] });
    expect(result.diagnostics.map(where)).toEqual([
      { code: "RNNC0084", line: 3, column: 1, severity: "error" },
      { code: "RNNC0084", line: 4, column: 1, severity: "error" },
      { code: "RNNC0084", line: 5, column: 1, severity: "error" },
    ]);
    expect(result.diagnostics[0]?.message).toContain("month 2 of 2020 has 29 days");
  });

  it("reports a duplicate time at its later line, pointing back at the first", () => {
    const result = readTable(csv("d,v", "2020-01-02,1", "2020-01-01,2", "2020-01-03,3", "2020-01-01,4"), "dup.csv", { time: "d", numeric: ["v"] });
    expect(result.table).toBeUndefined();
    expect(result.diagnostics.map(where)).toEqual([{ code: "RNNC0085", line: 5, column: 1, severity: "error" }]);
    expect(result.diagnostics[0]?.message).toBe('row 4, column `d` repeats the time "2020-01-01"');
    expect(result.diagnostics[0]?.hint).toContain("line 3");
  });

  it("lists five problems per column and kind, then one line for the rest", () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i},`);
    const result = readTable(csv("a,b", ...rows), "many.csv", { numeric: ["a", "b"] });
    expect(result.diagnostics.length).toBe(6);
    expect(result.diagnostics[5]).toMatchObject({ code: "RNNC0082", line: 7, column: 2 });
    expect(result.diagnostics[5]?.message).toContain("7 more like this in column `b`");
  });

  it("reports CSV syntax errors, an empty file and a header without rows", () => {
    const unclosed = readTable('a,b\n1,2\n"3,4\n', "q.csv", { numeric: ["a"] });
    expect(unclosed.diagnostics.map(where)).toEqual([{ code: "RNNC0080", line: 3, column: 1, severity: "error" }]);
    expect(readTable("", "e.csv", { numeric: ["a"] }).diagnostics.map(where)).toEqual([{ code: "RNNC0086", line: 1, column: 1, severity: "error" }]);
    expect(readTable("a,b\n", "h.csv", { numeric: ["a"] }).diagnostics.map(where)).toEqual([{ code: "RNNC0086", line: 1, column: 1, severity: "error" }]);
  });

  it("rejects a column asked for twice and a header that names one twice", () => {
    expect(readTable(csv("a,b", "1,2"), "x.csv", { numeric: ["a"], categorical: ["a"] }).diagnostics.map((d) => d.code)).toEqual(["RNNC0087"]);
    expect(readTable(csv("a,b,a", "1,2,3"), "x.csv", { numeric: ["a"] }).diagnostics.map(where)).toEqual([{ code: "RNNC0080", line: 1, column: 3, severity: "error" }]);
  });
});

describe("readTable: delimiters, ambiguous dates, hostile cells", () => {
  it("reads a semicolon file with delimiter ';'", () => {
    const t = table(csv("d;v", "2020-01-01;1.5", "2020-01-02;2"), { time: "d", numeric: ["v"], delimiter: ";" });
    expect(t.numeric["v"]).toEqual([1.5, 2]);
  });

  it("spots a semicolon or tab file read with commas: one diagnostic naming the delimiter option", () => {
    for (const [separator, option] of [[";", '";"'], ["\t", '"\\t"'], ["|", '"|"']] as const) {
      const text = csv(["date", "temp", "rain"].join(separator), ["2020-01-01", "1,5", "0"].join(separator));
      const result = readTable(text, "t.csv", { time: "date", numeric: ["temp", "rain"] });
      expect(result.diagnostics.map(where)).toEqual([{ code: "RNNC0123", line: 1, column: 1, severity: "error" }]);
      expect(result.diagnostics[0]?.hint).toContain(`data.delimiter: ${option}`);
    }
    const commas = readTable(csv("date,temp", "2020-01-01,1"), "t.csv", { time: "date", numeric: ["temp"], delimiter: ";" });
    expect(commas.diagnostics[0]?.hint).toContain('data.delimiter: ","');
  });

  it("points a decimal comma out", () => {
    const result = readTable(csv("d;v", "2020-01-01;1,5"), "t.csv", { time: "d", numeric: ["v"], delimiter: ";" });
    expect(result.diagnostics[0]?.hint).toContain("decimal point");
  });

  it("reports day-or-month-first dates once for the column, with the order the data forces", () => {
    const text = csv("d,v", "01.02.2000,1", "02.02.2000,2", "13.02.2000,3");
    const result = readTable(text, "t.csv", { time: "d", numeric: ["v"] });
    expect(result.diagnostics.map(where)).toEqual([{ code: "RNNC0124", line: 2, column: 1, severity: "error" }]);
    expect(result.diagnostics[0]?.message).toContain("and 2 more rows like it");
    expect(result.diagnostics[0]?.hint).toContain('row 3 is "13.02.2000", so the day comes first: set `data.time_format: "DD.MM.YYYY"`');
    const format = compileTimeFormat("DD.MM.YYYY");
    if (!("format" in format)) throw new Error(format.why);
    expect(table(text, { time: "d", numeric: ["v"], timeFormat: format.format }).time).toEqual([Date.UTC(2000, 1, 1), Date.UTC(2000, 1, 2), Date.UTC(2000, 1, 13)]);
  });

  it("quotes at most a short, escaped piece of a bad cell, and lists a header of thousands briefly", () => {
    const long = `${"x".repeat(5000)}\u001b[2J`;
    const result = readTable(csv("d,v", `2020-01-01,${long}`), "t.csv", { time: "d", numeric: ["v"] });
    expect(result.diagnostics[0]?.message.length).toBeLessThan(200);
    expect(result.diagnostics[0]?.message).not.toContain("\u001b");
    const wide = Array.from({ length: 5000 }, (_, i) => `column_${i}`).join(",");
    const missing = readTable(`${wide}\n${"1,".repeat(4999)}1\n`, "t.csv", { numeric: ["column_1", "nope"] });
    expect(missing.diagnostics[0]?.hint?.length).toBeLessThan(600);
    expect(missing.diagnostics[0]?.hint).toContain("and 4980 more");
  });

  it("quotes nothing of a file that has none of the columns asked for (it may be the wrong file, with secrets)", () => {
    const result = readTable("root:x:0:0:root:/root:/bin/bash\napi_token=sk-live-0123\n", "t.csv", { time: "date", numeric: ["a"] });
    expect(result.diagnostics.map(where)).toEqual([{ code: "RNNC0081", line: 1, column: 1, severity: "error" }]);
    expect(JSON.stringify(result.diagnostics)).not.toMatch(/root|api_token/);
  });

  it("says what is wrong with quotes without quoting the field", () => {
    const secret = "s3cret-token-value";
    const result = readTable(`a,b\n1,x"${secret}"y\n`, "t.csv", { numeric: ["a"] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["RNNC0080"]);
    expect(JSON.stringify(result.diagnostics)).not.toContain(secret);
  });
});
