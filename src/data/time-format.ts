import { fractionMillis, monthFromName, offsetMinutes, timeFromParts, type ParsedTime } from "./calendar.ts";

/**
 * `data.time_format`: how the time column is written, when it is not ISO 8601. Tokens: `YYYY` year, `MM`/`M` month,
 * `MMM` month name (English, `Jan` or `January`), `DD`/`D` day, `HH`/`H` hour (0–23), `mm` minute, `ss` second,
 * `SSS` fraction of a second, `Z` offset from UTC (`Z`, `+02:00`, `-0530`); `T`, punctuation and `[text in
 * brackets]` stand for themselves, and a space for any run of spaces. A doubled token takes one or two digits
 * unless another number follows it directly (`YYYYMMDD`), where it takes exactly two. Without `Z`, times are UTC.
 */
export interface TimeFormat {
  readonly pattern: string;
  parse(text: string): ParsedTime;
}

type Field = "year" | "month" | "monthName" | "day" | "hour" | "minute" | "second" | "fraction" | "offset";

const tokens: readonly { readonly token: string; readonly field: Field; readonly digits?: true }[] = [
  { token: "YYYY", field: "year" },
  { token: "MMMM", field: "monthName" },
  { token: "MMM", field: "monthName" },
  { token: "MM", field: "month", digits: true },
  { token: "M", field: "month", digits: true },
  { token: "DD", field: "day", digits: true },
  { token: "D", field: "day", digits: true },
  { token: "HH", field: "hour", digits: true },
  { token: "H", field: "hour", digits: true },
  { token: "mm", field: "minute", digits: true },
  { token: "ss", field: "second", digits: true },
  { token: "SSS", field: "fraction" },
  { token: "SS", field: "fraction" },
  { token: "S", field: "fraction" },
  { token: "Z", field: "offset" },
];

/** Letters a reader would take for tokens that are not supported: refused rather than matched literally. */
const refused: Readonly<Record<string, string>> = {
  Y: "write the year with four digits, `YYYY` (two-digit years are ambiguous)",
  h: "the 12-hour clock is not supported; use `HH` (0–23)",
  a: "the 12-hour clock is not supported; use `HH` (0–23)",
  A: "the 12-hour clock is not supported; use `HH` (0–23)",
  m: "minutes are `mm`",
  s: "seconds are `ss`",
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiles a pattern, or says what is wrong with it. */
export function compileTimeFormat(pattern: string): { format: TimeFormat } | { why: string } {
  const fields: Field[] = [];
  const parts: { regex: string; field?: Field; digits?: true }[] = [];
  // A run of spaces (tabs, `[ ]`) is one `\s+`: adjacent `\s+\s+…` would make a long run of blanks in a cell
  // backtrack through every way of splitting it (24 spaces in the format and 60 in a cell took minutes).
  const pushSpace = (text: string): void => {
    if (text === "" || parts[parts.length - 1]?.regex === "\\s+") return;
    parts.push({ regex: "\\s+" });
  };
  for (let i = 0; i < pattern.length; ) {
    const char = pattern[i] ?? "";
    if (char === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close < 0) return { why: "a `[` is not closed" };
      const literal = pattern.slice(i + 1, close);
      if (/^\s*$/.test(literal)) pushSpace(literal);
      else parts.push({ regex: escapeRegExp(literal) });
      i = close + 1;
      continue;
    }
    const match = tokens.find(({ token }) => pattern.startsWith(token, i));
    if (match !== undefined) {
      if (fields.includes(match.field) || (match.field === "monthName" && fields.includes("month")) || (match.field === "month" && fields.includes("monthName"))) {
        return { why: `it gives the ${match.field === "monthName" ? "month" : match.field} twice` };
      }
      fields.push(match.field);
      parts.push({ regex: "", field: match.field, ...(match.digits === true ? { digits: true } : {}) });
      i += match.token.length;
      continue;
    }
    if (/[A-Za-z]/.test(char) && char !== "T") return { why: refused[char] ?? `\`${char}\` is not a token (put literal text in [brackets])` };
    if (/\s/.test(char)) pushSpace(char);
    else parts.push({ regex: escapeRegExp(char) });
    i++;
  }
  const missing = requiredFields(fields);
  if (missing !== undefined) return { why: missing };
  const regex = new RegExp(`^${parts.map((part, k) => (part.field === undefined ? part.regex : `(${fieldRegex(part.field, parts[k + 1]?.digits === true || parts[k + 1]?.field === "year")})`)).join("")}$`);
  const order = parts.flatMap((part) => (part.field === undefined ? [] : [part.field]));
  return { format: { pattern, parse: (text) => parseWith(regex, order, pattern, text.trim()) } };
}

function requiredFields(fields: readonly Field[]): string | undefined {
  const has = (field: Field): boolean => fields.includes(field);
  if (!has("year")) return "it has no year (`YYYY`)";
  if (has("day") && !has("month") && !has("monthName")) return "it has a day but no month";
  if (has("hour") && !has("day")) return "it has an hour but no day";
  if (has("minute") && !has("hour")) return "it has minutes but no hour";
  if (has("second") && !has("minute")) return "it has seconds but no minutes";
  if (has("fraction") && !has("second")) return "it has a fraction of a second but no seconds";
  return undefined;
}

function fieldRegex(field: Field, numberFollows: boolean): string {
  switch (field) {
    case "year":
      return "\\d{4}";
    case "monthName":
      return "[A-Za-z]{3,9}\\.?";
    case "fraction":
      return "\\d{1,9}";
    case "offset":
      return "Z|z|[+-]\\d{2}:?\\d{2}";
    default:
      return numberFollows ? "\\d{2}" : "\\d{1,2}";
  }
}

function parseWith(regex: RegExp, order: readonly Field[], pattern: string, text: string): ParsedTime {
  const match = regex.exec(text);
  if (match === null) return { ok: false, why: `it does not match \`data.time_format\` ${JSON.stringify(pattern)}` };
  const value = (field: Field): string | undefined => {
    const index = order.indexOf(field);
    return index < 0 ? undefined : match[index + 1];
  };
  const number = (field: Field, fallback: number): number => {
    const text = value(field);
    return text === undefined ? fallback : Number(text);
  };
  const name = value("monthName");
  const month = name === undefined ? number("month", 1) : monthFromName(name);
  if (month === undefined) return { ok: false, why: `${JSON.stringify(name)} is not a month name` };
  return timeFromParts({
    year: number("year", 0),
    month,
    day: number("day", 1),
    hour: number("hour", 0),
    minute: number("minute", 0),
    second: number("second", 0),
    millis: fractionMillis(value("fraction")),
    offsetMinutes: offsetMinutes(value("offset")),
  });
}
