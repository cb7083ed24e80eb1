import { unsignedLeb128 } from "./leb128.ts";

/** Binary codes of value types and instructions, by their WAT names (spec §5.3, §5.4). */

/** Value types with their binary codes (spec §5.3.1). */
export const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = keyof typeof VALTYPE;

/** Plain instructions (no immediates), by their WAT names. */
export const OP = {
  unreachable: 0x00,
  nop: 0x01,
  return: 0x0f,
  drop: 0x1a,
  select: 0x1b,
  "i32.eqz": 0x45,
  "i32.eq": 0x46,
  "i32.ne": 0x47,
  "i32.lt_s": 0x48,
  "i32.lt_u": 0x49,
  "i32.gt_s": 0x4a,
  "i32.gt_u": 0x4b,
  "i32.le_s": 0x4c,
  "i32.le_u": 0x4d,
  "i32.ge_s": 0x4e,
  "i32.ge_u": 0x4f,
  "i32.add": 0x6a,
  "i32.sub": 0x6b,
  "i32.mul": 0x6c,
  "i32.and": 0x71,
  "i32.or": 0x72,
  "i32.shl": 0x74,
  "i32.shr_s": 0x75,
  "i32.shr_u": 0x76,
  "f32.add": 0x92,
  "f32.mul": 0x94,
  "f64.add": 0xa0,
  "f64.mul": 0xa2,
} as const;
export type PlainOp = keyof typeof OP;

/** Scalar memory instructions (immediate: memarg). */
export const MEMORY_OP = {
  "i32.load": 0x28,
  "f32.load": 0x2a,
  "f64.load": 0x2b,
  "i32.store": 0x36,
  "f32.store": 0x38,
  "f64.store": 0x39,
} as const;

/** The prefix byte of every SIMD instruction; the SIMD opcode follows as an unsigned LEB128. */
export const SIMD_PREFIX = 0xfd;

/**
 * Fixed-width SIMD opcodes: baseline SIMD (deterministic), and the two relaxed-SIMD multiply-adds, `relaxed_madd(a, b, c)`
 * = a·b + c, which an engine may compute fused (one rounding, on a CPU with FMA) or as a rounded product then a sum.
 * Only the kernels' "relaxed" variant uses them (kernels.ts), chosen at load time where the engine supports them.
 */
export const SIMD_OP = {
  // memory (immediate: memarg)
  "v128.load": 0x00,
  "v128.load32_splat": 0x09,
  "v128.load64_splat": 0x0a,
  "v128.store": 0x0b,
  "v128.load32_zero": 0x5c,
  "v128.load64_zero": 0x5d,
  // memory + lane (immediates: memarg, lane index)
  "v128.load32_lane": 0x56,
  "v128.load64_lane": 0x57,
  "v128.store32_lane": 0x5a,
  "v128.store64_lane": 0x5b,
  // constants and shuffles (immediate: 16 bytes)
  "v128.const": 0x0c,
  "i8x16.shuffle": 0x0d,
  // lane access (immediate: lane index)
  "f32x4.extract_lane": 0x1f,
  "f64x2.extract_lane": 0x21,
  // plain
  "f32x4.splat": 0x13,
  "f64x2.splat": 0x14,
  "f32x4.add": 0xe4,
  "f32x4.sub": 0xe5,
  "f32x4.mul": 0xe6,
  "f32x4.div": 0xe7,
  "f32x4.abs": 0xe0,
  "f32x4.neg": 0xe1,
  "f32x4.lt": 0x43,
  "f32x4.gt": 0x44,
  "f32x4.floor": 0x68,
  "i32x4.shl": 0xab,
  "f64x2.add": 0xf0,
  "f64x2.sub": 0xf1,
  "f64x2.mul": 0xf2,
  "f64x2.div": 0xf3,
  "f64x2.abs": 0xec,
  "f64x2.neg": 0xed,
  "f64x2.lt": 0x49,
  "f64x2.gt": 0x4a,
  "v128.bitselect": 0x52,
  "f32x4.demote_f64x2_zero": 0x5e,
  "f64x2.promote_low_f32x4": 0x5f,
  // used by the elementwise kernels (gates.ts): sigmoid's exponent and the masks of the gate formulas
  "f64x2.floor": 0x75,
  "i64x2.shl": 0xcb,
  "f64x2.eq": 0x47,
  // relaxed SIMD (plain, three operands)
  "f32x4.relaxed_madd": 0x105,
  "f64x2.relaxed_madd": 0x107,
} as const;
export type SimdOp = keyof typeof SIMD_OP;
export type SimdPlainOp =
  | "f32x4.splat"
  | "f64x2.splat"
  | "f32x4.add"
  | "f32x4.sub"
  | "f32x4.mul"
  | "f32x4.div"
  | "f32x4.abs"
  | "f32x4.neg"
  | "f32x4.lt"
  | "f32x4.gt"
  | "f32x4.floor"
  | "i32x4.shl"
  | "f64x2.add"
  | "f64x2.sub"
  | "f64x2.mul"
  | "f64x2.div"
  | "f64x2.abs"
  | "f64x2.neg"
  | "f64x2.lt"
  | "f64x2.gt"
  | "v128.bitselect"
  | "f32x4.demote_f64x2_zero"
  | "f64x2.promote_low_f32x4"
  | "f64x2.floor"
  | "i64x2.shl"
  | "f64x2.eq"
  | "f32x4.relaxed_madd"
  | "f64x2.relaxed_madd";
export type SimdMemoryOp = "v128.load" | "v128.load32_splat" | "v128.load64_splat" | "v128.store" | "v128.load32_zero" | "v128.load64_zero";
export type SimdMemoryLaneOp = "v128.load32_lane" | "v128.load64_lane" | "v128.store32_lane" | "v128.store64_lane";
export type SimdLaneOp = "f32x4.extract_lane" | "f64x2.extract_lane";

/** Control, local and constant instructions, and the empty block type; the function builder writes their immediates. */
export const CONTROL = { block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, call: 0x10 } as const;
export const LOCAL = { get: 0x20, set: 0x21, tee: 0x22 } as const;
export const GLOBAL_GET = 0x23;
export const I32_CONST = 0x41;
export const F32_CONST = 0x43;
export const F64_CONST = 0x44;
export const EMPTY_BLOCK_TYPE = 0x40;

/** Lane immediates must name a lane of the instruction's shape: 4 lanes of 32 bits or 2 of 64. */
export function checkLane(name: SimdLaneOp | SimdMemoryLaneOp, lane: number): void {
  const lanes = /32|f32x4/.test(name) ? 4 : 2;
  if (!Number.isInteger(lane) || lane < 0 || lane >= lanes) throw new RangeError(`${name}: no lane ${lane}`);
}

/** A SIMD instruction's opcode bytes: the prefix, then its code as an unsigned LEB128. */
export function simdOpcode(name: SimdOp): number[] {
  return [SIMD_PREFIX, ...unsignedLeb128(SIMD_OP[name])];
}
