import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { diag } from "../diagnostics/codes.ts";
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  // Every duplicate key, but only the first syntax error: the parser's later ones are mostly its consequences.
  const duplicates = doc.errors.filter((error) => error.code === "DUPLICATE_KEY");
  const syntax = [...doc.errors, ...doc.warnings].filter((error) => error.code !== "DUPLICATE_KEY").slice(0, 1);
  const diagnostics: Diagnostic[] = [
    ...duplicates.map((error) => diag.duplicateKey(at(error.pos[0]), duplicateKeyName(source, error.pos[0]))),
    ...syntax.map((error) => diag.yamlSyntax(at(errorOffset(source, error)), errorMessage(error))),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  if (diagnostics.length > 0) return { diagnostics };
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) diagnostics.push(diag.yamlSyntax(at(alias.range?.[0] ?? 0), `the alias *${alias.source} refers to no anchor before it`));
    },
  });
  if (diagnostics.length > 0) return { diagnostics };
  let value: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs"): a spec must not make the compiler allocate gigabytes.
    value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    return { diagnostics: [diag.yamlSyntax(at(0), error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error))] };
  }

  const positionOf = (path: readonly (string | number)[], options?: { key?: boolean }): SourcePosition => {
    const found = locate(doc, path, options?.key === true);
    return at(found ?? 0);
  };
  return { document: { file, source, value, positionOf }, diagnostics };
}

function locate(doc: Document, path: readonly (string | number)[], wantKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const isLast = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
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

function rangeStart(node: unknown): number | undefined {
  return node !== null && typeof node === "object" && "range" in node ? (node as Node).range?.[0] : undefined;
}

function duplicateKeyName(source: string, offset: number): string {
  const match = /^[\s"']*([^:"'\n]+)/.exec(source.slice(offset));
  return match?.[1]?.trim() ?? "?";
}
