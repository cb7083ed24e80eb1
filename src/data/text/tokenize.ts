/**
 * Text → tokens. A sample is NFC-normalised (so "é" typed as one character or as e + accent is one token) and
 * trimmed of surrounding whitespace, lower-cased when asked; then `char` makes every code point a token (not every
 * UTF-16 unit: an emoji is one token) and `word` splits on runs of whitespace.
 */
export type Tokenization = "char" | "word";

export interface TokenOptions {
  readonly tokens: Tokenization;
  readonly lowercase: boolean;
}

/** The sample as it is compared and tokenised: NFC, trimmed, lower-cased when asked (locale-independent). */
export function normalizeSample(text: string, options: Pick<TokenOptions, "lowercase">): string {
  const normalized = text.normalize("NFC").trim();
  return options.lowercase ? normalized.toLowerCase() : normalized;
}

export function tokenize(text: string, options: TokenOptions): string[] {
  const normalized = normalizeSample(text, options);
  if (options.tokens === "char") return Array.from(normalized);
  return normalized.split(/\s+/u).filter((word) => word !== "");
}

/** Tokens back to text: characters run together, words are joined by a space. */
export function joinTokens(tokens: readonly string[], tokenization: Tokenization): string {
  return tokens.join(tokenization === "char" ? "" : " ");
}

/** Orders strings by Unicode code point (JavaScript's `<` compares UTF-16 units, which puts U+FFFD after U+1F600). */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done === true || y.done === true) return x.done === true ? (y.done === true ? 0 : -1) : 1;
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
}
