/**
 * The arithmetic ceiling of 128-bit WebAssembly SIMD on this machine: a loop of independent float32 multiply-adds held
 * in registers (no memory traffic), `chains` accumulators, each `acc = acc + x·y` per iteration, with relaxed SIMD's
 * relaxed_madd (fused on CPUs with FMA) or the baseline's mul then add. Enough chains hide the instructions' latency,
 * so the best rate is the core's throughput for 128-bit vectors: the most any WebAssembly kernel can reach here.
 * bench/peak.ts prints it; bench/split.ts bounds a training step by it. The caller enables relaxed SIMD first.
 *
 * And the other ceiling, for products that read each weight once (batch 1): how fast a loop of 128-bit loads reads a
 * buffer of a given size again and again, which is as fast as a matrix-vector product can stream its matrix.
 */
import { ModuleBuilder } from "../src/emit/wasm/encoder.ts";

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
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

/**
 * `read(p, bytes, rounds)`: 128-bit loads over [p, p + bytes), `rounds` times, each added into one of eight
 * accumulators: enough chains that two loads a cycle, not the additions' latency, are the limit.
 */
function readModule(): Uint8Array {
  const mod = new ModuleBuilder().importMemory("env", "memory", 1);
  const params = [["p", "i32"], ["bytes", "i32"], ["rounds", "i32"]] as const;
  mod.func("read", params, ["f32"], { exportName: "read", doc: "loads in a loop" }, (f, p) => {
    const acc = Array.from({ length: 8 }, (_, i) => f.local(`acc${i}`, "v128"));
    const at = f.local("at", "i32");
    const end = f.local("end", "i32");
    f.get(p.p).get(p.bytes).op("i32.add").set(end);
    f.loop("round", () => {
      f.get(p.p).set(at);
      f.loop("line", () => {
        acc.forEach((a, i) => void f.get(a).get(at).simdMemory("v128.load", { align: 4, offset: 16 * i }).simd("f32x4.add").set(a));
        f.get(at).i32(128).op("i32.add").tee(at).get(end).op("i32.lt_u").brIf("line");
      });
      f.get(p.rounds).i32(1).op("i32.sub").tee(p.rounds).brIf("round");
    });
    f.get(acc[0]!);
    for (const a of acc.slice(1)) f.get(a).simd("f32x4.add");
    f.simdLane("f32x4.extract_lane", 0);
  });
  return mod.encode().bytes;
}

/** GB/s reading a `bytes` buffer (a multiple of 128) again and again with 128-bit loads: best of `rounds` rounds of CPU time. */
export function readGbps(bytes: number, rounds = 7): number {
  const pages = Math.ceil(bytes / 65536) + 1;
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(readModule()), { env: { memory } });
  const read = exports["read"] as (p: number, bytes: number, rounds: number) => number;
  new Float32Array(memory.buffer).fill(1); // written, so every page is its own (untouched pages all read one zero page)
  const repeats = Math.max(1, Math.round(2e8 / bytes));
  read(0, bytes, 1);
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = cpuSeconds();
    read(0, bytes, repeats);
    best = Math.min(best, cpuSeconds() - start);
  }
  return (bytes * repeats) / best / 1e9;
}
