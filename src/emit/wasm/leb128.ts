/**
 * The binary format's primitive encodings: LEB128 integers (spec §5.2.2), and the length-prefixed vectors (§5.1.3)
 * and names (§5.2.4) built on them.
 */

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function unsignedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`u32 out of range: ${value}`);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest % 0x80;
    rest = Math.floor(rest / 0x80);
    if (rest === 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Signed LEB128 of an integer in [−2^31, 2^31) (i32 immediates). */
export function signedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new RangeError(`s32 out of range: ${value}`);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7; // arithmetic shift: stays −1 for negative numbers
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A UTF-8 name: its byte length, then the bytes. */
export function encodeName(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...unsignedLeb128(bytes.length), ...bytes];
}

/** A vector: its element count, then the elements' bytes. */
export function encodeVector(items: readonly (readonly number[])[]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}
