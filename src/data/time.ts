/**
 * Time stamps: parsed to milliseconds since the Unix epoch, used only to order rows, reject duplicates and spot gaps.
 */

export type ParsedTime = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly why: string };

// YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by [T ]HH:MM[:SS[.fff]][Z|±HH[:]MM].
const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/**
 * ISO forms are parsed here, strictly, rather than by `Date.parse`: V8 turns `2012-02-30` into 1 March and reads
 * `2012-01-01T10:00` in the machine's time zone. Here the calendar is checked and a missing offset means UTC, so the
 * same file orders the same everywhere. Other forms (`Jan 5 2012`, `2012/01/05`) go to `Date.parse`, except bare
 * numbers, which it would read as dates (`12` is December 2001) when they are far more likely an index.
 */
export function parseTime(text: string): ParsedTime {
  const m = iso.exec(text);
  if (m !== null) return parseIso(m);
  if (/^[+-]?\d+(\.\d*)?$/.test(text)) return { ok: false, why: "a bare number is not a date (leave out the time column if it is a row index)" };
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? { ok: true, ms } : { ok: false, why: "the format is not recognised" };
}

function parseIso(m: RegExpExecArray): ParsedTime {
  const n = (group: string | undefined, fallback: number): number => (group === undefined ? fallback : Number(group));
  const year = n(m[1], 0);
  const month = n(m[2], 1);
  const day = n(m[3], 1);
  const hour = n(m[4], 0);
  const minute = n(m[5], 0);
  const second = n(m[6], 0);
  const millis = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  if (month < 1 || month > 12) return { ok: false, why: `there is no month ${month}` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return { ok: false, why: `month ${month} of ${year} has ${days} days` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, why: "the time of day is out of range" };
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return { ok: true, ms: date.getTime() + millis - offsetMinutes(m[8]) * 60_000 };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === "Z") return 0;
  const digits = zone.replace(":", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
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
