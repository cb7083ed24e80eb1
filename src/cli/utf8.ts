/**
 * Text files are UTF-8. Decoding with replacement characters turned a Latin-1 `é` into `�` and the error into a
 * riddle ("did you mean `w�ather`?"); here the first byte that is not UTF-8 is found and reported instead.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { offset: number; byte: number } | { tooLong: true } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    // Well-formed UTF-8 that still failed: more characters than a JavaScript string holds (about 512 Mi).
    if (offset === undefined) return { tooLong: true };
    return { offset, byte: bytes[offset] ?? 0 };
  }
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const extra = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (extra === 0) return i;
    let codePoint = lead & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    const shortest = [0, 0x80, 0x800, 0x10000][extra] ?? 0;
    if (codePoint < shortest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += extra + 1;
  }
  return undefined;
}

/** 1-based line and byte column of a byte offset; LF, CRLF and a lone CR each end a line. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || (byte === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
