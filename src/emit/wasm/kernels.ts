import { remembered } from "./memo.ts";
import { ModuleBuilder, type EncodedFunction } from "./encoder.ts";
import { flavorOf, type KernelVariant, type Precision } from "./kernels/flavor.ts";
import { SYNC_MODULE_LIMIT, kernelsListing, kernelsWat } from "./kernels/listing.ts";
import { defineNtKernels, ntDriver } from "./kernels/nt.ts";
import { BLOCK, packBytes } from "./kernels/block.ts";
import { GEMM_PARAMS } from "./kernels/params.ts";
import { XN_DRIVER_PARAMS, callXn, defineXnKernels, xnDriver } from "./kernels/xn.ts";

/**
 * Matrix-product kernels for the generated trainers, as one small WebAssembly module, in two variants that differ only
 * in how a product joins its partial sum (see `variants.ts` for how a generated trainer picks one at load time):
 * - `baseline`: baseline SIMD only, every product rounded then added, so every engine computes the same bits;
 * - `relaxed`: relaxed SIMD's `relaxed_madd`, which engines fuse (one rounding) on CPUs with FMA, about half the
 *   arithmetic instructions; an engine may also compute it unfused, exactly as the baseline.
 *
 * The module imports its memory as `env.memory` and exports three functions, all row-major, with pointers as BYTE
 * offsets into that memory, leading dimensions in ELEMENTS, and `acc` = 0 to overwrite C or ≠ 0 to add into it:
 *
 *   gemm_nt(m, n, k, a, lda, b, ldb, c, ldc, acc)   C[m×n] (+)= A[m×k] · B[n×k]ᵀ   (forward: x·Wᵀ)
 *   gemm_nn(m, n, k, a, lda, b, ldb, c, ldc, acc)   C[m×n] (+)= A[m×k] · B[k×n]    (backward: dX = dY·W)
 *   gemm_tn(m, n, k, a, lda, b, ldb, c, ldc, acc)   C[m×n] (+)= A[k×m]ᵀ · B[k×n]   (weight gradients: dW += dYᵀ·X)
 *
 * Summation order, fixed so that C[i][j] depends only on row i of A, column j of B, k and acc — never on the engine,
 * on m or n, or on which block of C the element falls in (a sample's results do not depend on the rest of its batch):
 * - nn, tn: the products in order p = 0 … k−1, summed from 0 in panels of BLOCK.kPanel (256) products; the first
 *   panel's sum is stored (acc = 0) or added to C (acc ≠ 0), each later panel's sum is added to C. For k ≤ 256 that
 *   is exactly the naive loop `s = 0; for p: s += a·b; C = acc ? C + s : s`, in the element type (f32 sums in f32).
 * - nt: four (f32) or two (f64) partial sums from 0, sum q taking the products p ≡ q (mod lanes) below
 *   k − k mod lanes in order; the last k mod lanes products go, in order, into sum 0. Then f32: (s₀ + s₂) + (s₁ + s₃),
 *   f64: s₀ + s₁; then stored, or added to C.
 * baseline: no fused multiply-add anywhere, every product is rounded, then added. relaxed: each product-and-add in
 * the sums above is one relaxed_madd (fused where the CPU has FMA); the sums across lanes and into C are plain adds.
 *
 * (The float32 rnn's tanh is in a module of its own, activations.ts.)
 *
 * m, n, k ≥ 0; k = 0 stores zeros (acc = 0) or leaves C untouched (acc ≠ 0). Only the m×n elements of C are
 * written, and only the elements of A and B that the product uses are read (nothing past a row's last element);
 * C must not overlap A or B. No alignment beyond the element's is required. The kernels never grow the memory.
 *
 * The module also exports a mutable i32 global, `pack`: 0 (the default), or the byte offset of a scratch of
 * `packBytes(size)` bytes (block.ts) that gemm_tn may overwrite with copies of A's blocks (xn.ts: faster, the same
 * bits). One per instance, so each thread's instance needs its own scratch; it must not overlap A, B or C.
 *
 * This file assembles the module; the parts are in `kernels/`: `nt.ts` (gemm_nt and its blocks), `xn.ts` (gemm_nn,
 * gemm_tn, their driver gemm_xn and its blocks), `lane-sums.ts` and `write-c.ts` (shared by both), `listing.ts` (the
 * text forms), `flavor.ts` (what differs per precision), `block.ts` (block sizes), `params.ts` and `common.ts`.
 */

export type { KernelVariant, Precision } from "./kernels/flavor.ts";

export interface Kernels {
  /** The module's binary. */
  readonly bytes: Uint8Array;
  /** A short WAT-like outline of the module, for a comment beside the bytes in generated code. */
  readonly listing: string;
}

/** Builds the kernel module for one precision and variant. Deterministic: the same arguments give the same bytes. */
const built = new Map<string, Kernels>();

export function buildKernels(precision: Precision, variant: KernelVariant = "baseline", sharedMemory = false): Kernels {
  return remembered(built, [precision, variant, sharedMemory], () => build(precision, variant, sharedMemory));
}

function build(precision: Precision, variant: KernelVariant, sharedMemory: boolean): Kernels {
  const { bytes, functions, globals } = assemble(precision, variant, sharedMemory);
  const listing = kernelsListing(precision, variant, bytes, functions, globals);
  // threaded modules (src/emit/threads): the same code over a shared memory
  return { bytes, listing: sharedMemory ? listing.replaceAll("(memory 0))", "(memory 0 65536 shared))") : listing };
}

/** The module's full WAT-like text, instruction by instruction: for reviewing and debugging the generator. */
export function kernelsText(precision: Precision, variant: KernelVariant = "baseline"): string {
  const { bytes, functions, globals } = assemble(precision, variant);
  return kernelsWat(bytes, functions, globals);
}

/**
 * The module with a one-row nt kernel (a batch-1 product does its work once instead of twice), as wide as fits:
 * - `relaxed`: always the widest (BLOCK.ntSingleColumns[0]), which puts the float32 module over the 4 KB that Chrome ≤ 114
 *   compiles synchronously on a page's main thread; Chrome 114 is the only engine with both relaxed SIMD and that limit,
 *   and there the generated module falls back to the baseline (`variants.ts`);
 * - `baseline`: the widest that keeps the module within 4 KB, or none (float32: none; an odd last row then runs as a
 *   pair of itself). The bits are the same either way; only the time differs.
 */
function assemble(precision: Precision, variant: KernelVariant, sharedMemory = false): { bytes: Uint8Array; functions: EncodedFunction[]; globals: string[] } {
  const [widest] = BLOCK.ntSingleColumns;
  if (variant === "relaxed") return assembleWith(precision, variant, sharedMemory, widest);
  for (const columns of BLOCK.ntSingleColumns) {
    const module = assembleWith(precision, variant, sharedMemory, columns);
    if (module.bytes.length <= SYNC_MODULE_LIMIT) return module;
  }
  return assembleWith(precision, variant, sharedMemory, 0);
}

function assembleWith(precision: Precision, variant: KernelVariant, sharedMemory: boolean, singleColumns: number): { bytes: Uint8Array; functions: EncodedFunction[]; globals: string[] } {
  const fl = flavorOf(precision, variant);
  const mod = new ModuleBuilder().importMemory("env", "memory", 0, sharedMemory);

  // Bodies are built when the module is encoded, after every declaration below, so they may refer to later ones.
  mod.func("gemm_nt", GEMM_PARAMS, [], { exportName: "gemm_nt", doc: "C[m×n] (+)= A[m×k]·B[n×k]ᵀ" }, (f, p) => ntDriver(f, p, fl, nt));
  mod.func("gemm_nn", GEMM_PARAMS, [], { exportName: "gemm_nn", doc: "C[m×n] (+)= A[m×k]·B[k×n]" }, (f, p) => callXn(f, p, fl, xn, "nn"));
  mod.func("gemm_tn", GEMM_PARAMS, [], { exportName: "gemm_tn", doc: "C[m×n] (+)= A[k×m]ᵀ·B[k×n]" }, (f, p) => callXn(f, p, fl, xn, "tn"));
  const pack = mod.global("pack", 0, `gemm_tn's scratch: ${packBytes(fl.size)} bytes per thread; 0 = none, no packing`);
  const xn = mod.func("gemm_xn", XN_DRIVER_PARAMS, [], { doc: "nn, tn: A[i][p] at a + i·rowStride + p·kStride (bytes)" }, (f, p) =>
    xnDriver(f, p, fl, xnKernels, pack),
  );
  const xnKernels = defineXnKernels(mod, fl);
  const nt = defineNtKernels(mod, fl, singleColumns);
  return mod.encode();
}
