/**
 * The kernel modules depend only on their few arguments (precision, variant, cell, shared memory), never on the spec,
 * so a process that compiles several specs (`compile --check models/*.yaml`, the tests, an editor integration)
 * assembles each module once: `remembered(cache, key, build)` returns what `build` gave for the same key before, else
 * builds and keeps it. The results are treated as read-only data.
 */
export function remembered<R>(cache: Map<string, R>, key: readonly (string | boolean)[], build: () => R): R {
  const id = key.join("\u0000");
  const cached = cache.get(id);
  if (cached !== undefined) return cached;
  const result = build();
  cache.set(id, result);
  return result;
}
