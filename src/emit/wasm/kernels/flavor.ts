import type { MemArg, SimdMemoryLaneOp, SimdMemoryOp, SimdPlainOp } from "../encoder.ts";

/** The element type of the matrices. */
export type Precision = "float32" | "float64";

/**
 * How a product is added to a partial sum: `baseline` rounds the product, then adds (baseline SIMD, the same bits on
 * every engine); `relaxed` uses relaxed SIMD's multiply-add, fused (one rounding) where the CPU has FMA.
 */
export type KernelVariant = "baseline" | "relaxed";

/** What differs between the precisions: element size, lanes per v128, and the matching instructions. */
export interface Flavor {
  /** Bytes per element, and its log2. */
  readonly size: number;
  readonly shift: number;
  /** Elements per v128. */
  readonly lanes: number;
  /** Element alignment only: rows may start anywhere an element may. */
  readonly mem: (offset?: number) => MemArg;
  readonly splatLoad: SimdMemoryOp;
  readonly zeroLoad: SimdMemoryOp;
  readonly storeLane: SimdMemoryLaneOp;
  readonly add: SimdPlainOp;
  readonly mul: SimdPlainOp;
  /** relaxed_madd(a, b, c) = a·b + c, for the relaxed variant. */
  readonly madd: SimdPlainOp;
  /** Which multiply-add the kernels emit (`multiplyAdd` in common.ts). */
  readonly variant: KernelVariant;
}

export const FLAVORS: Record<Precision, Flavor> = {
  float32: {
    size: 4,
    shift: 2,
    lanes: 4,
    mem: (offset) => ({ offset, align: 2 }),
    splatLoad: "v128.load32_splat",
    zeroLoad: "v128.load32_zero",
    storeLane: "v128.store32_lane",
    add: "f32x4.add",
    mul: "f32x4.mul",
    madd: "f32x4.relaxed_madd",
    variant: "baseline",
  },
  float64: {
    size: 8,
    shift: 3,
    lanes: 2,
    mem: (offset) => ({ offset, align: 3 }),
    splatLoad: "v128.load64_splat",
    zeroLoad: "v128.load64_zero",
    storeLane: "v128.store64_lane",
    add: "f64x2.add",
    mul: "f64x2.mul",
    madd: "f64x2.relaxed_madd",
    variant: "baseline",
  },
};

export function flavorOf(precision: Precision, variant: KernelVariant): Flavor {
  return { ...FLAVORS[precision], variant };
}

/** Bytes per v128. */
export const V128 = 16;
