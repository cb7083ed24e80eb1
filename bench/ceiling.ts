/**
 * The arithmetic ceiling of 128-bit WebAssembly SIMD on this machine: a loop of independent float32 multiply-adds held
 * in registers (no memory traffic), `chains` accumulators, each `acc = acc + x·y` per iteration, with relaxed SIMD's
 * relaxed_madd (fused on CPUs with FMA) or the baseline's mul then add. Enough chains hide the instructions' latency,
 * so the best rate is the core's throughput for 128-bit vectors: the most any WebAssembly kernel can reach here.
 * bench/peak.ts prints it; bench/split.ts bounds a training step by it. The caller enables relaxed SIMD first.
 */
import { ModuleBuilder } from "../src/emit/wasm/encoder.ts";

interface WasmApi {
  Instance: new (module: object, imports: object) => { readonly exports: Readonly<Record<string, unknown>> };
  Module: new (bytes: Uint8Array) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const ITERATIONS = 2_000_000;

function peakModule(chains: number, fused: boolean): Uint8Array {
  const mod = new ModuleBuilder();
  mod.func("run", [["n", "i32"]] as const, ["f32"], { exportName: "run", doc: "multiply-adds in registers" }, (f, p) => {
    const acc = Array.from({ length: chains }, (_, i) => f.local(`acc${i}`, "v128"));
    const x = f.local("x", "v128");
    const y = f.local("y", "v128");
    f.f64(1.0000001).simd("f64x2.splat").set(x); // any bits: the values never matter, only the instruction count
    f.f64(0.9999999).simd("f64x2.splat").set(y);
    f.loop("step", () => {
      for (const a of acc) {
        if (fused) f.get(x).get(y).get(a).simd("f32x4.relaxed_madd").set(a);
        else f.get(a).get(x).get(y).simd("f32x4.mul").simd("f32x4.add").set(a);
      }
      f.get(p.n).i32(1).op("i32.sub").tee(p.n).brIf("step");
    });
    // sum the chains so none is dead code
    f.get(acc[0]!);
    for (const a of acc.slice(1)) f.get(a).simd("f32x4.add");
    f.simdLane("f32x4.extract_lane", 0);
  });
  return mod.encode().bytes;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** GFLOP/s of `chains` independent multiply-add chains: best of `rounds` rounds of CPU time. */
export function peakGflops(chains: number, fused: boolean, rounds = 7): number {
  const { exports } = new wasm.Instance(new wasm.Module(peakModule(chains, fused)), {});
  const run = exports["run"] as (n: number) => number;
  run(10_000);
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = cpuSeconds();
    run(ITERATIONS);
    best = Math.min(best, cpuSeconds() - start);
  }
  return (ITERATIONS * chains * 4 * 2) / best / 1e9;
}
