import { CST, Composer, Parser, YAMLParseError, type Document } from "yaml";

/**
 * How deeply collections may nest. A spec needs four or five levels; the YAML composer, `toJS` and the validator
 * all recurse, and a few hundred levels (`[[[[…` on one line) exhaust the stack, which used to surface as
 * "Maximum call stack size exceeded" reported as a syntax error.
 */
export const maxNesting = 64;

export type ParsedYaml = { readonly document: Document.Parsed } | { readonly tooDeep: { readonly offset: number } };

/**
 * parseDocument, in its two steps, with a check between them: the parser builds its concrete syntax tree with an
 * explicit stack (it never recurses), so the tree's depth can be measured, without recursion either, before the
 * recursive composer sees it. `merge: true` reads `<<: *anchor` as a merge key (YAML 1.1), as users expect.
 * `resolveKnownTags: false`: `!!binary`, `!!timestamp`, `!!set`, `!!omap` and `!!pairs` would otherwise become a
 * Uint8Array, a Date, a Set or a Map, which the schema then describes as "a mapping"; they are refused as every
 * other tag is.
 */
export function parseYaml(text: string): ParsedYaml {
  const tokens = Array.from(new Parser().parse(text));
  const deep = firstTooDeep(tokens);
  if (deep !== undefined) return { tooDeep: { offset: deep } };
  const composer = new Composer({ uniqueKeys: false, strict: true, prettyErrors: false, merge: true, resolveKnownTags: false });
  let document: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (document === undefined) document = next;
    else {
      document.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document, if only an empty one.
  if (document === undefined) throw new Error("the YAML composer yielded no document");
  return { document };
}

/** The offset of the first collection (in source order) nested deeper than `maxNesting`, if any. */
function firstTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const pending: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  let first: number | undefined;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { token, depth } = next;
    if (token.type === "document") {
      if (token.value !== undefined) pending.push({ token: token.value, depth });
      continue;
    }
    if (!CST.isCollection(token)) continue;
    if (depth + 1 > maxNesting) {
      first = Math.min(first ?? token.offset, token.offset);
      continue;
    }
    for (const item of token.items) {
      if (item.key !== undefined && item.key !== null) pending.push({ token: item.key, depth: depth + 1 });
      if (item.value !== undefined) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return first;
}
