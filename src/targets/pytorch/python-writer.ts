/**
 * A line writer for Python source: the target's builder, as ts-morph's writer is the TypeScript target's. Blocks
 * indent by four spaces; `block("def f():", body)` writes the header and indents what `body` writes.
 */
export class PythonWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text = ""): this {
    this.lines.push(text === "" ? "" : `${"    ".repeat(this.depth)}${text}`);
    return this;
  }

  /** `# text`, one comment line per line of text. */
  comment(text: string): this {
    for (const part of text.split("\n")) this.line(`# ${part}`);
    return this;
  }

  block(header: string, body: () => void): this {
    this.line(header);
    this.depth++;
    const before = this.lines.length;
    body();
    if (this.lines.length === before) this.line("pass");
    this.depth--;
    return this;
  }

  /** Python source written elsewhere (a fixed part of the script), re-indented to the current depth. */
  source(text: string): this {
    for (const line of text.replace(/^\n+|\n+$/g, "").split("\n")) this.line(line);
    return this;
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

/** A Python string literal (JSON's escapes are valid Python; non-ASCII is escaped so the file is plain ASCII-safe). */
export function pyString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A number as a Python literal that reads back as the same double. */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot emit non-finite number ${value}`);
  return Object.is(value, -0) ? "0" : String(value);
}

/** A float literal: always with a point or exponent, so Python reads a float even for whole values. */
export function pyFloat(value: number): string {
  const text = pyNumber(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export function pyBool(value: boolean): string {
  return value ? "True" : "False";
}

/** A Python value from JSON-like data: dicts, lists, strings, numbers, booleans, None for undefined/null. */
export function pyValue(value: unknown): string {
  if (value === undefined || value === null) return "None";
  if (typeof value === "boolean") return pyBool(value);
  if (typeof value === "number") return pyNumber(value);
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${pyString(key)}: ${pyValue(item)}`);
  return `{${entries.join(", ")}}`;
}
