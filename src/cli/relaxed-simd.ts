import { setFlagsFromString } from "node:v8";

/**
 * Lets the generated trainers load their relaxed-SIMD kernels (fused multiply-add, src/emit/wasm/variants.ts) in
 * Node 20, which has relaxed SIMD behind a flag (browsers ship it). A trainer checks for it when it loads, with
 * WebAssembly.validate, so this must run before any generated module is imported. Engines that have relaxed SIMD
 * on by default (Node ≥ 22) ignore the flag. `RNNC_BASELINE_SIMD=1` leaves it off: the baseline kernels, the same
 * bits on every engine.
 */
export function enableRelaxedSimd(): void {
  if (process.env["RNNC_BASELINE_SIMD"] === "1") return;
  setFlagsFromString("--experimental-wasm-relaxed-simd");
}
