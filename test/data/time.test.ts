import { describe, expect, it } from "vitest";
import { findGaps, formatDuration, parseTime } from "../../src/data/time.ts";

describe("parseTime", () => {
  it("reads ISO dates as UTC, whatever the machine's time zone", () => {
    expect(parseTime("2012-01-05")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5) });
    expect(parseTime("2012-01")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 1) });
    expect(parseTime("1958")).toEqual({ ok: true, ms: Date.UTC(1958, 0, 1) });
    expect(parseTime("2012-01-05T10:30")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5, 10, 30) });
    expect(parseTime("2012-01-05 10:30:15.5Z")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5, 10, 30, 15, 500) });
    expect(parseTime("2012-01-05T10:30:00+02:00")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5, 8, 30) });
    // Not 1950: Date.UTC would read year 50 as 1950; the ISO string parser does not.
    expect(parseTime("0050-06-01")).toEqual({ ok: true, ms: Date.parse("0050-06-01T00:00:00Z") });
  });

  it("checks the calendar", () => {
    expect(parseTime("2012-02-29").ok).toBe(true);
    expect(parseTime("2011-02-29")).toEqual({ ok: false, why: "month 2 of 2011 has 28 days" });
    expect(parseTime("1900-02-29").ok).toBe(false);
    expect(parseTime("2000-02-29").ok).toBe(true);
    expect(parseTime("2012-13")).toEqual({ ok: false, why: "there is no month 13" });
    expect(parseTime("2012-01-01T24:00").ok).toBe(false);
  });

  it("passes other formats to Date.parse but refuses bare numbers and garbage", () => {
    expect(parseTime("2012/01/05").ok).toBe(true);
    expect(parseTime("12").ok).toBe(false);
    expect(parseTime("20120105").ok).toBe(false);
    expect(parseTime("soon").ok).toBe(false);
  });
});

describe("findGaps", () => {
  it("flags steps over 1.5 times the median step", () => {
    const day = 86_400_000;
    expect(findGaps([0, day, 2 * day, 5 * day, 6 * day])).toEqual({ gaps: [3], usual: day });
    expect(findGaps([0, day])).toEqual({ gaps: [], usual: day });
    expect(formatDuration(3 * day)).toBe("3 days");
    expect(formatDuration(day)).toBe("1 day");
    expect(formatDuration(90 * 60_000)).toBe("1.5 hours");
  });
});
