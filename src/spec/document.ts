import { isAlias, isMap, isSeq, visit, type Document, type Node, type YAMLMap } from "yaml";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { diag } from "../diagnostics/codes.ts";
import { SourceLines } from "../diagnostics/source-lines.ts";
import { badMergeValue, duplicateKeys, mergeSources, pairByKey } from "./yaml-maps.ts";
import { maxNesting, parseYaml } from "./yaml-parse.ts";
import { errorMessage, errorOffset } from "./yaml-errors.ts";

/** A parsed YAML document that can say where any value in it came from. */
export interface SpecDocument {
  readonly file: string;
  readonly source: string;
  readonly value: unknown;
  /** Position of the value at `path` (or of its key, when `key` is true); falls back to the nearest ancestor. */
  positionOf(path: readonly (string | number)[], options?: { key?: boolean }): SourcePosition;
}

export function parseSpecDocument(file: string, source: string): { document?: SpecDocument; diagnostics: Diagnostic[] } {
  // A lone CR is a line break to editors and to YAML 1.2, but not to the parser: CR-only files (classic Mac) read as
  // one long line. CR → LF keeps every offset, so positions stay those of the file as written.
  const text = source.replace(/\r(?!\n)/g, "\n");
  const lines = new SourceLines(text);
  const at = (offset: number): SourcePosition => ({ file, ...lines.position(offset) });
  const parsed = parseYaml(text);
  if ("tooDeep" in parsed) return { diagnostics: [diag.nestingTooDeep(at(parsed.tooDeep.offset), maxNesting)] };
  const doc = parsed.document;
  // Every duplicate key, but only the first syntax error: the parser's later ones are mostly its consequences.
  const syntax = [...doc.errors, ...doc.warnings].slice(0, 1);
  const diagnostics: Diagnostic[] = [
    ...duplicateKeys(doc).map(({ offset, key }) => diag.duplicateKey(at(offset), key)),
    ...syntax.map((error) =>
      error.code === "RESOURCE_EXHAUSTION" ? diag.nestingTooDeep(at(error.pos[0]), maxNesting) : diag.yamlSyntax(at(errorOffset(text, error)), errorMessage(error)),
    ),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  if (diagnostics.length > 0) return { diagnostics };
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) diagnostics.push(diag.yamlSyntax(at(alias.range?.[0] ?? 0), `the alias *${alias.source} refers to no anchor before it`));
    },
  });
  if (diagnostics.length > 0) return { diagnostics };
  const badMerge = badMergeValue(doc);
  if (badMerge !== undefined) return { diagnostics: [diag.yamlSyntax(at(badMerge), "a merge key `<<` takes a mapping, an alias of one (`<<: *base`), or a list of them")] };
  let value: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs"): a spec must not make the compiler allocate gigabytes.
    value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // Aliases nest anchored values inside each other, so the resolved value can be deeper than the text.
    if (error instanceof RangeError) return { diagnostics: [diag.nestingTooDeep(at(firstAlias(doc) ?? 0), maxNesting)] };
    return { diagnostics: [diag.yamlSyntax(at(firstAlias(doc) ?? 0), error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error))] };
  }

  const positionOf = (path: readonly (string | number)[], options?: { key?: boolean }): SourcePosition => {
    const found = locate(doc, path, options?.key === true);
    return at(found ?? 0);
  };
  return { document: { file, source, value, positionOf }, diagnostics };
}

/**
 * Walks `path` down the document. A key that a map takes from a merge (`<<: *base`) is found where it is written,
 * in the anchored map.
 */
function locate(doc: Document, path: readonly (string | number)[], wantKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const isLast = i === path.length - 1;
    node = resolved(doc, node);
    if (isMap(node)) {
      const pair = findPair(doc, node, String(segment));
      if (pair === undefined) return best;
      if (isLast && wantKey) return rangeStart(pair.key) ?? best;
      node = pair.value;
      best = rangeStart(node) ?? rangeStart(pair.key) ?? best;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      best = rangeStart(node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}

/** The map's own pair for `key`, else one it merges in (the first merge source that has it, as YAML 1.1 says). */
function findPair(doc: Document, map: YAMLMap, key: string): { key: unknown; value: unknown } | undefined {
  const own = pairByKey(map, key);
  if (own !== undefined) return own;
  for (const source of mergeSources(map)) {
    const target = resolved(doc, source);
    if (isMap(target) && target !== map) {
      const pair = pairByKey(target, key);
      if (pair !== undefined) return pair;
    }
  }
  return undefined;
}

const resolved = (doc: Document, node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

function firstAlias(doc: Document): number | undefined {
  let first: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      first ??= alias.range?.[0];
      return visit.BREAK;
    },
  });
  return first;
}

function rangeStart(node: unknown): number | undefined {
  return node !== null && typeof node === "object" && "range" in node ? (node as Node).range?.[0] : undefined;
}
