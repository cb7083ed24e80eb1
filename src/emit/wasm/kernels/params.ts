/** `["m", "n"]` → `[["m", "i32"], ["n", "i32"]]`, keeping the names' literal types for `ParamLocals`. */
export function i32s<const N extends readonly string[]>(names: N): { readonly [I in keyof N]: readonly [N[I], "i32"] } {
  return names.map((name) => [name, "i32"] as const) as unknown as { readonly [I in keyof N]: readonly [N[I], "i32"] };
}

/** The parameters of the three exported kernels (see kernels.ts for their meaning). */
export const GEMM_PARAMS = i32s(["m", "n", "k", "a", "lda", "b", "ldb", "c", "ldc", "acc"]);
