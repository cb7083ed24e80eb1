/**
 * The 1-based line on which each CSV record starts.
 *
 * Computed from byte offsets rather than taken from csv-parse's `info.lines`, which counts a CRLF inside a quoted
 * field as two lines and so drifts for every later record. `ends[k]` is the byte offset just past record k (csv-parse's
 * `info.bytes`); record k's raw text starts at `ends[k − 1]`, after any blank lines skipped before it.
 */
export function recordStartLines(bytes: Uint8Array, ends: readonly number[]): number[] {
  const CR = 0x0d;
  const LF = 0x0a;
  const isBlank = (b: number | undefined): boolean => b === 0x20 || b === 0x09;
  const starts: number[] = [];
  let line = 1;
  let offset = 0;
  // Advances `offset` to `to`, counting CRLF, LF and lone CR as one line break each.
  const advance = (to: number): void => {
    for (; offset < to; offset++) {
      const b = bytes[offset];
      if (b === LF || (b === CR && bytes[offset + 1] !== LF)) line++;
    }
  };
  for (const end of ends) {
    // Skip blank (empty or whitespace-only) lines that belong to this record's raw text but precede it.
    let start = offset;
    for (;;) {
      let probe = start;
      while (probe < end && isBlank(bytes[probe])) probe++;
      if (bytes[probe] === CR && bytes[probe + 1] === LF) probe += 2;
      else if (bytes[probe] === LF || bytes[probe] === CR) probe += 1;
      else break;
      if (probe > end) break;
      start = probe;
    }
    advance(start);
    starts.push(line);
    advance(end);
  }
  return starts;
}
