import { describe, expect, it } from "vitest";
import { findGaps, formatDuration, parseTime } from "../../src/data/time.ts";
import { compileTimeFormat } from "../../src/data/time-format.ts";
import { formatTime, timeResolution } from "../../src/data/time-print.ts";

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

  it("reads year-first dates as UTC but refuses bare numbers, garbage and what only Date.parse would guess", () => {
    expect(parseTime("2012/01/05")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5) });
    expect(parseTime("2000/01/01 00:00")).toEqual({ ok: true, ms: Date.UTC(2000, 0, 1) });
    expect(parseTime("2012.1.5 7:05:30")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5, 7, 5, 30) });
    expect(parseTime("2012-1-5")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5) });
    expect(parseTime("12").ok).toBe(false);
    expect(parseTime("20120105").ok).toBe(false);
    expect(parseTime("soon").ok).toBe(false);
    expect(parseTime("Jan 5 2012")).toEqual({ ok: false, why: "the format is not recognised" });
    expect(parseTime("Thu, 01 Jan 2015 00:00:00 GMT").ok).toBe(false);
  });

  it("refuses day- and month-first dates as ambiguous, naming both formats", () => {
    expect(parseTime("01.02.2000")).toEqual({ ok: false, why: "the day and the month could be either way round", ambiguous: { dayFirst: "DD.MM.YYYY", monthFirst: "MM.DD.YYYY" } });
    expect(parseTime("13/02/2000 08:00")).toMatchObject({ ok: false, ambiguous: { dayFirst: "DD/MM/YYYY HH:mm", monthFirst: "MM/DD/YYYY HH:mm" } });
  });

  it("gives the same instant whatever the machine's time zone", () => {
    const saved = process.env["TZ"];
    const texts = ["2000-01-01T08:00", "2000/01/01 00:00", "2012-03-25 02:30", "2012-01-05T10:30:00+02:00"];
    const read = (tz: string): (number | undefined)[] => {
      process.env["TZ"] = tz;
      return texts.map((text) => {
        const time = parseTime(text);
        return time.ok ? time.ms : undefined;
      });
    };
    try {
      const utc = read("UTC");
      expect(read("America/Los_Angeles")).toEqual(utc);
      expect(read("Asia/Kolkata")).toEqual(utc);
      expect(read("Europe/Berlin")).toEqual(utc);
      expect(utc[1]).not.toBe(utc[0]); // 08:00 and 00:00 of the same day are different rows, not duplicates
    } finally {
      if (saved === undefined) delete process.env["TZ"];
      else process.env["TZ"] = saved;
    }
  });
});

describe("data.time_format", () => {
  const parse = (pattern: string, text: string) => {
    const compiled = compileTimeFormat(pattern);
    if (!("format" in compiled)) throw new Error(compiled.why);
    return compiled.format.parse(text);
  };

  it("reads day-first, month-first, month names, compact forms and offsets, in UTC", () => {
    expect(parse("DD.MM.YYYY", "01.02.2000")).toEqual({ ok: true, ms: Date.UTC(2000, 1, 1) });
    expect(parse("MM/DD/YYYY", "01/02/2000")).toEqual({ ok: true, ms: Date.UTC(2000, 0, 2) });
    expect(parse("M/D/YYYY H:mm", "1/2/2000 7:05")).toEqual({ ok: true, ms: Date.UTC(2000, 0, 2, 7, 5) });
    expect(parse("MMM D YYYY", "Jan 5 2012")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5) });
    expect(parse("D MMMM YYYY", "5 september 2012")).toEqual({ ok: true, ms: Date.UTC(2012, 8, 5) });
    expect(parse("YYYYMMDD", "20120105")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5) });
    expect(parse("YYYYMMDDTHHmmss", "20120105T102030")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5, 10, 20, 30) });
    expect(parse("DD.MM.YYYY HH:mm:ss.SSS Z", "05.01.2012 10:30:00.5 +02:00")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5, 8, 30, 0, 500) });
    expect(parse("[week of] YYYY-MM-DD", "week of 2012-01-05")).toEqual({ ok: true, ms: Date.UTC(2012, 0, 5) });
  });

  it("checks the calendar and the match", () => {
    expect(parse("DD.MM.YYYY", "31.02.2000")).toEqual({ ok: false, why: "month 2 of 2000 has 29 days" });
    expect(parse("DD.MM.YYYY", "2000-02-01")).toEqual({ ok: false, why: 'it does not match `data.time_format` "DD.MM.YYYY"' });
    expect(parse("MMM D YYYY", "Foo 5 2012")).toEqual({ ok: false, why: '"Foo" is not a month name' });
  });

  it("refuses formats that cannot be read one way only", () => {
    const why = (pattern: string): string | undefined => {
      const compiled = compileTimeFormat(pattern);
      return "why" in compiled ? compiled.why : undefined;
    };
    expect(why("DD.MM.YY")).toContain("four digits");
    expect(why("MM/DD")).toBe("it has no year (`YYYY`)");
    expect(why("YYYY-MM-DD hh:mm")).toContain("12-hour");
    expect(why("YYYY-MM-DD HH:mm a")).toContain("12-hour");
    expect(why("YYYY-MM-DD MM")).toBe("it gives the month twice");
    expect(why("YYYY [MM")).toBe("a `[` is not closed");
    expect(why("YYYY-MM-DD q")).toContain("not a token");
    expect(why("YYYY-DD")).toBe("it has a day but no month");
  });
});

describe("printing times at the data's resolution", () => {
  it("prints days as days, hours with their time, months as months", () => {
    const day = [Date.UTC(2015, 11, 30), Date.UTC(2015, 11, 31)];
    const hours = [Date.UTC(2015, 11, 31, 0), Date.UTC(2015, 11, 31, 1), Date.UTC(2015, 11, 31, 2)];
    const months = [Date.UTC(2015, 10, 1), Date.UTC(2015, 11, 1)];
    expect(day.map((ms) => formatTime(ms, timeResolution(day)))).toEqual(["2015-12-30", "2015-12-31"]);
    expect(hours.map((ms) => formatTime(ms, timeResolution(hours)))).toEqual(["2015-12-31T00:00Z", "2015-12-31T01:00Z", "2015-12-31T02:00Z"]);
    expect(months.map((ms) => formatTime(ms, timeResolution(months)))).toEqual(["2015-11", "2015-12"]);
    expect(formatTime(Date.UTC(1958, 0, 1), timeResolution([Date.UTC(1958, 0, 1), Date.UTC(1959, 0, 1)]))).toBe("1958");
    expect(formatTime(Date.UTC(2015, 0, 1, 0, 0, 5), "second")).toBe("2015-01-01T00:00:05Z");
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
