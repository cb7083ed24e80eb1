import { ModuleBuilder } from "./encoder.ts";
import { buildKernels, type KernelVariant, type Precision } from "./kernels.ts";

/**
 * The kernels a generated trainer carries, and how it picks one when it loads: the `relaxed` variant (relaxed SIMD's
 * multiply-add, fused on CPUs with FMA: Chrome ≥ 114, Firefox ≥ 120, Node 20 with --experimental-wasm-relaxed-simd,
 * which the rnnc CLI turns on) where the engine validates a relaxed-SIMD module, else the `baseline` variant.
 *
 * What differs: with FMA each product joins its partial sum with one rounding instead of two, so a trainer's numbers
 * differ from the baseline's in the last bits (both within the parity tolerances). On one engine and CPU either
 * variant gives the same numbers run after run; the baseline gives the same bits on every engine.
 */

export const KERNEL_VARIANTS: readonly KernelVariant[] = ["relaxed", "baseline"];

/** A minimal module, (func (param v128 v128 v128) (result v128) f32x4.relaxed_madd): valid only where relaxed SIMD is. */
export function relaxedSimdProbe(): Uint8Array {
  const mod = new ModuleBuilder();
  const params = [["a", "v128"], ["b", "v128"], ["c", "v128"]] as const;
  mod.func("probe", params, ["v128"], { doc: "a·b + c" }, (f, p) => void f.get(p.a).get(p.b).get(p.c).simd("f32x4.relaxed_madd"));
  return mod.encode().bytes;
}

/** The byte arrays' names in the generated file, by variant. */
export const kernelBytesName = (variant: KernelVariant): string => `KERNELS_WASM_${variant.toUpperCase()}`;

/** Both variants' bytes and listings, for the generated file (with `sharedMemory`, importing a shared memory: threads). */
export function kernelVariants(precision: Precision, sharedMemory = false): { variant: KernelVariant; bytes: Uint8Array; listing: string }[] {
  return KERNEL_VARIANTS.map((variant) => ({ variant, ...buildKernels(precision, variant, sharedMemory) }));
}

/**
 * The lines that compile the kernels once, when the generated module loads (after both byte arrays and
 * RELAXED_SIMD_PROBE are declared): the relaxed variant where the engine validates relaxed SIMD and compiles that
 * module, else the baseline. The relaxed variant may be over the 4 KB that Chrome ≤ 114 compiles synchronously on
 * a page's main thread (`kernels.ts`); Chrome 114, the one version with both relaxed SIMD and that limit, throws
 * there, and the module falls back to the baseline, which stays under it.
 */
export function kernelChoiceLines(): string[] {
  return [
    "/** The kernels, compiled once: relaxed SIMD's (fused multiply-add) where this engine has relaxed SIMD and compiles them, the baseline's elsewhere. */",
    "const KERNELS = compileKernels();",
    `export const KERNEL_VARIANT: "relaxed" | "baseline" = KERNELS.variant;`,
    "",
    `function compileKernels(): { readonly variant: "relaxed" | "baseline"; readonly module: object } {`,
    "  if (wasm.validate(RELAXED_SIMD_PROBE)) {",
    "    try {",
    `      return { variant: "relaxed", module: new wasm.Module(${kernelBytesName("relaxed")}) };`,
    "    } catch {",
    "      // an engine that compiles only small modules synchronously (Chrome 114 on a page's main thread): the baseline is under 4 KB",
    "    }",
    "  }",
    `  return { variant: "baseline", module: new wasm.Module(${kernelBytesName("baseline")}) };`,
    "}",
  ];
}
