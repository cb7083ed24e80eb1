/**
 * The lines of a source text, indexed once: looking up a line is a binary search, so printing n diagnostics of a
 * large file costs n log n, not n times the file (splitting the whole text per diagnostic was quadratic).
 * Line breaks are LF, CRLF and a lone CR, as editors count them.
 */
export class SourceLines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a) this.starts.push(i + 1);
      else if (code === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get count(): number {
    return this.starts.length;
  }

  /** The text of 1-based line `line`, without its line break; undefined past the end. */
  line(line: number): string | undefined {
    const start = this.starts[line - 1];
    if (start === undefined) return undefined;
    const next = this.starts[line];
    let end = next ?? this.text.length;
    if (next !== undefined) {
      end--; // the LF or lone CR
      if (this.text.charCodeAt(end) === 0x0a && this.text.charCodeAt(end - 1) === 0x0d) end--;
    }
    return this.text.slice(start, end);
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}
