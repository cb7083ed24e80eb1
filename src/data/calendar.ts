/** A parsed time stamp, or why the text is not one. `ambiguous` marks text that is a date in more than one reading. */
export type ParsedTime =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly why: string; readonly ambiguous?: { readonly dayFirst: string; readonly monthFirst: string } };

/** The fields of a time stamp as written; the offset is the writer's distance from UTC (0 when none is written). */
export interface TimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millis: number;
  readonly offsetMinutes: number;
}

/**
 * Milliseconds since the Unix epoch, in UTC, with the calendar checked (V8's `Date.parse` turns `2012-02-30` into
 * 1 March). Never the machine's time zone: the same file orders the same everywhere.
 */
export function timeFromParts(parts: TimeParts): ParsedTime {
  const { year, month, day, hour, minute, second, millis, offsetMinutes } = parts;
  if (month < 1 || month > 12) return { ok: false, why: `there is no month ${month}` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return { ok: false, why: `month ${month} of ${year} has ${days} days` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, why: "the time of day is out of range" };
  if (Number.isNaN(offsetMinutes)) return { ok: false, why: "the offset from UTC has more than 59 minutes" };
  if (Math.abs(offsetMinutes) > 18 * 60) return { ok: false, why: "the offset from UTC is more than 18 hours" };
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return { ok: true, ms: date.getTime() + millis - offsetMinutes * 60_000 };
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `Z`, `+02:00`, `-0530` → minutes east of UTC; undefined (no offset written) is UTC; NaN for minutes past 59 (`+00:99`). */
export function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === "" || zone === "Z" || zone === "z") return 0;
  const digits = zone.replace(":", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  const minutes = Number(digits.slice(3, 5));
  if (minutes > 59) return Number.NaN;
  return sign * (Number(digits.slice(1, 3)) * 60 + minutes);
}

/** Fractional seconds as written (`5`, `500`, `123456789`) → milliseconds. */
export const fractionMillis = (digits: string | undefined): number => (digits === undefined || digits === "" ? 0 : Number(`0.${digits}`) * 1000);

const monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** `Jan`, `january`, `Sept`, `Sep.` → 1–12 (English, any case, at least three letters); undefined otherwise. */
export function monthFromName(name: string): number | undefined {
  const lower = name.toLowerCase().replace(/\.$/, "");
  const index = lower.length < 3 ? -1 : monthNames.findIndex((month) => month.startsWith(lower));
  return index >= 0 ? index + 1 : undefined;
}
