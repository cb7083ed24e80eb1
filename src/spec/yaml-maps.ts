import { isAlias, isMap, isScalar, isSeq, type Document, type Pair, type YAMLMap } from "yaml";

/**
 * Mappings of a parsed document, looked at in linear time. The parser's own `uniqueKeys` check compares each new
 * key with every earlier one (quadratic: 20,000 keys took seconds), and a spec with many diagnostics looks up many
 * keys; both go through a per-map index here.
 */

/** `<<` of a merge (`<<: *base`): the parser gives it a symbol value when merges are on. */
export const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === "symbol";

const keyOf = (key: unknown): string | undefined => (isScalar(key) && !isMergeKey(key) ? `${typeof key.value}:${String(key.value)}` : undefined);

const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pair whose (scalar) key reads as `key`; the first one, as a duplicate is an error anyway. */
export function pairByKey(map: YAMLMap, key: string): Pair | undefined {
  let index = indexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items) {
      const name = isScalar(pair.key) && !isMergeKey(pair.key) ? String(pair.key.value) : undefined;
      if (name !== undefined && !index.has(name)) index.set(name, pair);
    }
    indexes.set(map, index);
  }
  return index.get(key);
}

/** The nodes a map merges in, in the order they take precedence. */
export function mergeSources(map: YAMLMap): unknown[] {
  return map.items.filter((pair) => isMergeKey(pair.key)).flatMap((pair) => (isSeq(pair.value) ? pair.value.items : [pair.value]));
}

/** Every map of the document, without recursion (depth was bounded before, but a wide document is cheap this way). */
function maps(doc: Document): YAMLMap[] {
  const found: YAMLMap[] = [];
  const pending: unknown[] = [doc.contents];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (isMap(node)) {
      found.push(node);
      for (const pair of node.items) pending.push(pair.key, pair.value);
    } else if (isSeq(node)) pending.push(...node.items);
  }
  return found;
}

/** Each key written a second time in the same map, at the second one. */
export function duplicateKeys(doc: Document): { offset: number; key: string }[] {
  const duplicates: { offset: number; key: string }[] = [];
  for (const map of maps(doc)) {
    const seen = new Set<string>();
    for (const pair of map.items) {
      const key = keyOf(pair.key);
      if (key === undefined) continue;
      if (seen.has(key)) duplicates.push({ offset: isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0, key: isScalar(pair.key) ? String(pair.key.value) : "?" });
      seen.add(key);
    }
  }
  return duplicates.sort((a, b) => a.offset - b.offset);
}

/** The value of the first merge key that is not a map, an alias of one, or a list of those (toJS would throw). */
export function badMergeValue(doc: Document): number | undefined {
  for (const map of maps(doc)) {
    for (const pair of map.items) {
      if (!isMergeKey(pair.key)) continue;
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      const bad = sources.find((source) => !isMap(isAlias(source) ? source.resolve(doc) : source));
      if (bad !== undefined || sources.length === 0) {
        const node = bad ?? pair.value;
        return (isAlias(node) || isMap(node) || isScalar(node) || isSeq(node) ? node.range?.[0] : undefined) ?? (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? 0;
      }
    }
  }
  return undefined;
}
