import { unsignedLeb128 } from "./leb128.ts";

/** A memory access's immediate. `align` is log2 of the promised alignment in bytes: a hint only, never a trap. */
export interface MemArg {
  readonly offset?: number;
  readonly align: number;
}

/** The immediate's bytes: alignment, then offset. */
export function encodeMemArg(mem: MemArg): number[] {
  return [...unsignedLeb128(mem.align), ...unsignedLeb128(mem.offset ?? 0)];
}

/** The immediate as WAT-like text: ` offset=… align=…`, the offset only when non-zero. */
export function showMemArg(mem: MemArg): string {
  return `${mem.offset ? ` offset=${mem.offset}` : ""} align=${2 ** mem.align}`;
}
