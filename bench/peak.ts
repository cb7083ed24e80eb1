/**
 * The arithmetic ceiling of 128-bit WebAssembly SIMD on this machine, for reading the kernels' GFLOP/s against it:
 *
 *   npx tsx bench/peak.ts
 *
 * Times independent multiply-adds held in registers (bench/ceiling.ts), fused (relaxed_madd) and not, with 4, 8 and
 * 12 chains. Enough chains hide the instructions' latency, so the best rate is the core's throughput for 128-bit
 * vectors: the most any WebAssembly kernel can reach here, and what the matrix kernels (bench/kernels.ts) are measured
 * against. Best of 7 rounds of CPU time. Then the read bandwidth of 128-bit loads from buffers the size of L1, of the
 * batch-1 products' weights (W_hh of the medium LSTM: 256 KB) and beyond L2: what a matrix-vector product that reads
 * each weight once per step can stream at most.
 */
import { setFlagsFromString } from "node:v8";
import { peakGflops, readGbps } from "./ceiling.ts";

setFlagsFromString("--experimental-wasm-relaxed-simd"); // before any module compiles

const rows: string[] = ["| multiply-add | chains | GFLOP/s |", "|---|---:|---:|"];
for (const fused of [true, false]) {
  for (const chains of [4, 8, 12]) {
    rows.push(`| ${fused ? "relaxed_madd (fused)" : "mul + add"} | ${chains} | ${peakGflops(chains, fused).toFixed(1)} |`);
  }
}
console.log(rows.join("\n"));

const reads: string[] = ["| buffer read again and again | GB/s |", "|---|---:|"];
for (const kib of [16, 256, 768, 8192]) reads.push(`| ${kib} KiB | ${readGbps(kib * 1024).toFixed(1)} |`);
console.log(`\n${reads.join("\n")}`);
