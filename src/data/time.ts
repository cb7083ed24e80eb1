import { fractionMillis, offsetMinutes, timeFromParts, type ParsedTime } from "./calendar.ts";
import type { TimeFormat } from "./time-format.ts";

export type { ParsedTime } from "./calendar.ts";

/**
 * Time stamps: parsed to milliseconds since the Unix epoch, used only to order rows, reject duplicates and spot gaps.
 * Every reading is UTC unless the text carries an offset: never the machine's time zone, so a file orders the same
 * on every machine. `Date.parse` is never used: it reads non-ISO text in local time and guesses formats.
 */

// YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by [T ]HH:MM[:SS[.fff]][Z|±HH[:]MM].
const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
// Year first with slashes or dots, one or two digits for month and day: 2012/1/5, 2012.01.05 10:30. Unambiguous.
const yearFirst = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
// Day and month before the year: 01.02.2000 is 1 February in Germany and January 2 in the US.
const dayOrMonthFirst = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})((?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?)$/;

/**
 * With a `data.time_format`, the text must match it. Without one: ISO 8601 and year-first dates are read; day- and
 * month-first dates are refused as ambiguous (the format names the order); anything else is refused rather than
 * guessed at.
 */
export function parseTime(text: string, format?: TimeFormat): ParsedTime {
  if (format !== undefined) return format.parse(text);
  const isoMatch = iso.exec(text);
  if (isoMatch !== null) return fromGroups(isoMatch[1], isoMatch[2], isoMatch[3], isoMatch[4], isoMatch[5], isoMatch[6], isoMatch[7], isoMatch[8]);
  const yearMatch = yearFirst.exec(text);
  if (yearMatch !== null) return fromGroups(yearMatch[1], yearMatch[3], yearMatch[4], yearMatch[5], yearMatch[6], yearMatch[7], yearMatch[8], yearMatch[9]);
  const ambiguous = dayOrMonthFirst.exec(text);
  if (ambiguous !== null) {
    const separator = ambiguous[2] ?? "/";
    const clock = ambiguous[5] === undefined || ambiguous[5] === "" ? "" : ambiguous[5].split(":").length === 3 ? " HH:mm:ss" : " HH:mm";
    return {
      ok: false,
      why: "the day and the month could be either way round",
      ambiguous: { dayFirst: `DD${separator}MM${separator}YYYY${clock}`, monthFirst: `MM${separator}DD${separator}YYYY${clock}` },
    };
  }
  if (/^[+-]?\d+(\.\d*)?$/.test(text)) return { ok: false, why: "a bare number is not a date (leave out the time column if it is a row index)" };
  return { ok: false, why: "the format is not recognised" };
}

function fromGroups(...groups: (string | undefined)[]): ParsedTime {
  const [year, month, day, hour, minute, second, fraction, zone] = groups;
  const n = (group: string | undefined, fallback: number): number => (group === undefined ? fallback : Number(group));
  return timeFromParts({
    year: n(year, 0),
    month: n(month, 1),
    day: n(day, 1),
    hour: n(hour, 0),
    minute: n(minute, 0),
    second: n(second, 0),
    millis: fractionMillis(fraction),
    offsetMinutes: offsetMinutes(zone),
  });
}

/**
 * Indices i (into sorted, distinct times) where the step from i − 1 exceeds 1.5× the median step. The median, not
 * the minimum, is "usual": monthly data steps 28 to 31 days, and a missing month makes a step of about 61.
 */
export function findGaps(times: readonly number[]): { readonly gaps: number[]; readonly usual: number } {
  const steps: number[] = [];
  for (let i = 1; i < times.length; i++) steps.push((times[i] ?? 0) - (times[i - 1] ?? 0));
  if (steps.length < 2) return { gaps: [], usual: steps[0] ?? 0 };
  const sorted = [...steps].sort((a, b) => a - b);
  const usual = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  const gaps: number[] = [];
  steps.forEach((step, i) => {
    if (step > 1.5 * usual) gaps.push(i + 1);
  });
  return { gaps, usual };
}

/** "61 days", "6 hours": the unit is the largest that keeps the number at least 1. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) {
    if (ms >= size) {
      const count = Math.round((ms / size) * 10) / 10;
      return `${count} ${name}${count === 1 ? "" : "s"}`;
    }
  }
  return `${ms} ms`;
}
