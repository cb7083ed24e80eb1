import type { YAMLError } from "yaml";

/**
 * Where a YAML error really is. The parser reports some errors where it noticed them, not where the
 * mistake is: an unclosed bracket or quote at the end of the file, bad indentation at the line's first column.
 */
export function errorOffset(source: string, error: YAMLError): number {
  const offset = error.pos[0];
  const atEnd = source.slice(offset).trim() === "";
  if (atEnd && (error.code === "MISSING_CHAR" || error.code === "BAD_INDENT" || error.code === "UNEXPECTED_TOKEN")) {
    return unclosedOpener(source) ?? offset;
  }
  if (error.code === "TAB_AS_INDENT") return offset;
  // point at the first non-blank character of the line rather than its indentation
  let start = offset;
  while (source[start] === " ") start++;
  return source[start] === "\n" || start >= source.length ? offset : start;
}

/** The offset of the first bracket or quote that is never closed, if any (comments and quoted text skipped). */
export function unclosedOpener(source: string): number | undefined {
  const open: number[] = [];
  let quote: { char: string; at: number } | undefined;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? "";
    const before = i === 0 ? "\n" : (source[i - 1] ?? "");
    if (quote !== undefined) {
      if (char === "\\" && quote.char === '"') i++;
      else if (char === quote.char) quote = undefined;
      continue;
    }
    if (char === "#" && /\s/.test(before)) {
      while (i < source.length && source[i] !== "\n") i++;
    } else if ((char === '"' || char === "'") && /[\s:[{,]/.test(before)) {
      quote = { char, at: i };
    } else if (char === "{" || char === "[") {
      open.push(i);
    } else if ((char === "}" || char === "]") && open.length > 0) {
      open.pop();
    }
  }
  return quote?.at ?? open[0];
}

/** The parser's words, without its advice to call other functions of its own API. */
export function errorMessage(error: YAMLError): string {
  if (error.code === "MULTIPLE_DOCS") return "the file holds more than one YAML document; a spec is a single document (remove the `---` or `...` separator)";
  if (error.code === "TAG_RESOLVE_FAILED") return `${(error.message.split("\n")[0] ?? "").replace(/^Unresolved tag: /, "unknown tag ").replace("tag:yaml.org,2002:", "!!")}; specs use plain YAML without tags`;
  return (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
}
