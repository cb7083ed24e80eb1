/**
 * GFLOP/s of the kernel variants side by side, on the products the benchmark shapes' training steps make:
 *
 *   npx tsx bench/kernels.ts [--rounds 7] [--precision float32|float64]
 *
 * Per product, each variant's time is the fastest of `rounds` rounds of ≥ 50 ms of CPU time (user + system, so the
 * time this process spends descheduled on a shared machine does not count), variants alternating round by round.
 * The relaxed variant needs relaxed SIMD: the flag is set before any module is compiled. Each instance's `pack` scratch
 * is set, as the generated trainers set it, so gemm_tn packs its blocks of A (src/emit/wasm/kernels/xn.ts).
 */
import { setFlagsFromString } from "node:v8";
import { parseArgs } from "node:util";
import { buildKernels, type KernelVariant, type Precision } from "../src/emit/wasm/kernels.ts";
import { KERNEL_VARIANTS } from "../src/emit/wasm/variants.ts";

setFlagsFromString("--experimental-wasm-relaxed-simd");

type Kind = "nt" | "nn" | "tn";
type Gemm = (m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number) => void;
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { readonly exports: Readonly<Record<`gemm_${Kind}`, Gemm>> & { readonly pack: { value: number } } };
  Module: new (bytes: Uint8Array) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** [label, kind, m, n, k]: per shape, the per-step products (×T per training step) and the per-step-batched ones. */
const PRODUCTS: [string, Kind, number, number, number][] = [
  ["medium h·W_hhᵀ (per step)", "nt", 64, 128, 128],
  ["medium x·W_ihᵀ (all steps)", "nt", 4096, 128, 32],
  ["medium dGates·W_hh (per step)", "nn", 64, 128, 128],
  ["medium dW_hh", "tn", 128, 128, 4032],
  ["medium dW_ih", "tn", 128, 32, 4096],
  ["wide h·W_hhᵀ (per step)", "nt", 128, 256, 256],
  ["wide dGates·W_hh (per step)", "nn", 128, 256, 256],
  ["wide dW_hh", "tn", 256, 256, 3968],
  ["lstm-medium h·W_hhᵀ (per step)", "nt", 64, 512, 128],
  ["lstm-medium dGates·W_hh (per step)", "nn", 64, 128, 512],
  ["lstm-medium dW_hh", "tn", 512, 128, 4032],
  ["long h·W_hhᵀ (per step)", "nt", 32, 32, 32],
  ["lstm-medium h·W_hhᵀ (batch 1)", "nt", 1, 512, 128],
  ["gru-medium h·W_hhᵀ (batch 1)", "nt", 1, 384, 128],
  ["medium h·W_hhᵀ (batch 1)", "nt", 1, 128, 128],
  ["long dPre·W_hh (per step)", "nn", 32, 32, 32],
];

const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" }, precision: { type: "string", default: "float32" } } });
const precision = values.precision as Precision;
const size = precision === "float32" ? 4 : 8;
const pages = Math.ceil((Math.max(...PRODUCTS.map(([, , m, n, k]) => m * k + n * k + m * n)) * size) / 65536) + 1;

const instances = KERNEL_VARIANTS.map((variant) => {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(buildKernels(precision, variant).bytes), { env: { memory } });
  exports.pack.value = (pages - 1) * 65536; // gemm_tn's packing scratch, in the spare last page, as the trainers set it
  const values = precision === "float32" ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) * 0.5;
  return { variant, exports };
});

function secondsPerCall(run: () => void, minSeconds: number): number {
  let calls = 1;
  for (;;) {
    const start = process.cpuUsage();
    for (let r = 0; r < calls; r++) run();
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    if (seconds >= minSeconds) return seconds / calls;
    calls *= seconds < minSeconds / 8 ? 8 : 2;
  }
}

const rounds = Number(values.rounds);
console.log(`${precision}, GFLOP/s = 2·m·n·k / CPU seconds per call, best of ${rounds} alternating rounds\n`);
console.log(`| product | kind m×n×k | ${KERNEL_VARIANTS.join(" | ")} | ${KERNEL_VARIANTS[0]}/${KERNEL_VARIANTS[1]} |`);
console.log(`|---|---|${KERNEL_VARIANTS.map(() => "---:|").join("")}---:|`);
for (const [label, kind, m, n, k] of PRODUCTS) {
  const [lda, ldb] = kind === "nt" ? [k, k] : kind === "nn" ? [k, n] : [m, n];
  const [a, b, c] = [0, m * k * size, (m * k + n * k) * size];
  const best = new Map<KernelVariant, number>();
  for (const { exports } of instances) secondsPerCall(() => exports[`gemm_${kind}`](m, n, k, a, lda, b, ldb, c, n, 0), 0.1); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const { variant, exports } of round % 2 === 0 ? instances : [...instances].reverse()) {
      const seconds = secondsPerCall(() => exports[`gemm_${kind}`](m, n, k, a, lda, b, ldb, c, n, 0), 0.05);
      best.set(variant, Math.min(best.get(variant) ?? Infinity, seconds));
    }
  }
  const gflops = KERNEL_VARIANTS.map((variant) => (2 * m * n * k) / best.get(variant)! / 1e9);
  console.log(`| ${label} | ${kind} ${m}×${n}×${k} | ${gflops.map((g) => g.toFixed(1)).join(" | ")} | ${(gflops[0]! / gflops[1]!).toFixed(2)} |`);
}
