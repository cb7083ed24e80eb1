/**
 * Where a training step's time goes, and the fastest it could be in WebAssembly on this machine:
 *
 *   npx tsx bench/split.ts [--rounds 7] [--turn-ms 300] [shape …]     (default: every training shape)
 *
 * Loads each shape's trainer twice: as it is, and with every WebAssembly export it instantiates wrapped in a timer
 * (the matrix products, the gate and activation kernels). Rounds alternate the two; each turn runs the benchmark's
 * protocol (src/runtime/benchmark.ts: from the initial weights, a fresh Adam, about `--turn-ms` of steps). Reports,
 * as medians over rounds, the plain step; and, inside the instrumented step, the products' time and their GFLOP/s
 * there, the other kernels, and the rest (JavaScript: bias fills, copies, the loss, Adam, …, and the timers' own cost,
 * which the instrumented step's excess over the plain one shows).
 *
 * The bound: the instrumented step with its products at the ceiling of 128-bit WebAssembly SIMD (bench/ceiling.ts,
 * measured in this run) and everything else as measured: products' FLOPs / ceiling + other kernels + rest. No kernel
 * reaches the ceiling, so a target the bound's speed-up misses is out of reach without computing fewer FLOPs, faster
 * elementwise work, more threads or a faster engine. The speed-ups are against the one-thread PyTorch of the
 * committed run, bench/results/latest.json.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { peakGflops } from "./ceiling.ts";
import { median } from "./measure.ts";
import { compileSpecFile, benchDir, shapeNames, specPathOf } from "./shapes.ts";
import type { BenchReport } from "./report-json.ts";
import { enableRelaxedSimd } from "../src/cli/relaxed-simd.ts";
import { prepareBenchmark, type PreparedBenchmark } from "../src/runtime/benchmark.ts";

/** The issue #12 targets for one thread against PyTorch on one thread (speed-up, above 1 rnnc is faster). */
const TARGETS: Readonly<Record<string, number>> = {
  seed: 10, long: 4, medium: 1.2, wide: 0.7, "lstm-seed": 5, "gru-seed": 5, "lstm-medium": 1, "gru-medium": 1,
};

type Exported = (...args: number[]) => unknown;
interface WasmApi {
  readonly Instance: new (module: object, imports: object) => { readonly exports: Readonly<Record<string, unknown>> };
}

/** Per export name: milliseconds spent inside it and, for the products, their FLOPs (2·m·n·k per call). */
class Ledger {
  readonly ms = new Map<string, number>();
  flops = 0;
  /** Per product shape ("gemm_nt m×n×k"): time and FLOPs. */
  readonly products = new Map<string, { ms: number; flops: number }>();
  reset(): void {
    this.ms.clear();
    this.products.clear();
    this.flops = 0;
  }
  /** The same export, timed. Fixed arity (the widest export has 10 parameters): a rest parameter would allocate. */
  wrap(name: string, fn: Exported): Exported {
    const product = name.startsWith("gemm_");
    return (a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0, i = 0, j = 0, k = 0, l = 0) => {
      const start = performance.now();
      const result = fn(a, b, c, d, e, f, g, h, i, j, k, l);
      const ms = performance.now() - start;
      this.ms.set(name, (this.ms.get(name) ?? 0) + ms);
      if (product) {
        this.flops += 2 * a * b * c;
        const key = `${name} ${a}×${b}×${c}`; // the one allocation per call, after the clock has stopped
        const entry = this.products.get(key);
        if (entry === undefined) this.products.set(key, { ms, flops: 2 * a * b * c });
        else {
          entry.ms += ms;
          entry.flops += 2 * a * b * c;
        }
      }
      return result;
    };
  }
}

/**
 * Loads a trainer whose WebAssembly instances' function exports go through `ledger`. The generated module reads
 * `globalThis.WebAssembly` once, when it loads, so the instrumented API is installed only around that load; a comment
 * makes the source differ from the plain trainer's, which would otherwise be the same cached module.
 */
async function instrumentedTrainer(specPath: string, ledger: Ledger): Promise<PreparedBenchmark> {
  const global = globalThis as unknown as { WebAssembly: WasmApi };
  const real = global.WebAssembly;
  const Instance = function (module: object, imports: object) {
    const instance = new real.Instance(module, imports);
    const exports = Object.fromEntries(
      Object.entries(instance.exports).map(([name, value]) => [name, typeof value === "function" ? ledger.wrap(name, value as Exported) : value]),
    );
    return { exports };
  };
  global.WebAssembly = Object.assign(Object.create(real) as WasmApi, { Instance });
  try {
    return prepareBenchmark(await compileSpecFile(specPath, "// instrumented by bench/split.ts\n"));
  } finally {
    global.WebAssembly = real;
  }
}

function turnMs(trainer: PreparedBenchmark, steps: number): number {
  trainer.reset();
  return (trainer.run(steps).usPerStep * steps) / 1000;
}

interface Split {
  readonly shape: string;
  readonly plainUs: number;
  readonly instrumentedUs: number;
  readonly productsUs: number;
  readonly productFlops: number;
  readonly otherKernelsUs: number;
  readonly kernels: ReadonlyMap<string, number>;
  /** Per product shape, over every round: µs per step and GFLOP/s. */
  readonly products: ReadonlyMap<string, { readonly us: number; readonly gflops: number }>;
}

async function split(shape: string, rounds: number, targetMs: number): Promise<Split> {
  const ledger = new Ledger();
  const plain = prepareBenchmark(await compileSpecFile(specPathOf(shape)));
  const instrumented = await instrumentedTrainer(specPathOf(shape), ledger);
  // Warm-up (lets V8 optimise), then size a turn.
  let usPerStep = turnMs(plain, 1) * 1000;
  for (let spent = 0; spent < 1000; spent += turnMs(instrumented, 5) + turnMs(plain, 5)) usPerStep = (turnMs(plain, 5) * 1000) / 5;
  const steps = Math.max(1, Math.min(1000, Math.round((targetMs * 1000) / usPerStep)));
  const plainUs: number[] = [];
  const instrumentedUs: number[] = [];
  const productsUs: number[] = [];
  const otherUs: number[] = [];
  const perKernel = new Map<string, number[]>();
  let productFlops = 0;
  const products = new Map<string, { ms: number; flops: number }>();
  for (let round = 0; round < rounds; round++) {
    plainUs.push((turnMs(plain, steps) * 1000) / steps);
    ledger.reset();
    instrumentedUs.push((turnMs(instrumented, steps) * 1000) / steps);
    let inProducts = 0;
    let inOthers = 0;
    for (const [name, ms] of ledger.ms) {
      const us = (ms * 1000) / steps;
      if (name.startsWith("gemm_")) inProducts += us;
      else inOthers += us;
      perKernel.set(name, [...(perKernel.get(name) ?? []), us]);
    }
    productsUs.push(inProducts);
    otherUs.push(inOthers);
    productFlops = ledger.flops / steps;
    for (const [key, { ms, flops }] of ledger.products) {
      const entry = products.get(key) ?? { ms: 0, flops: 0 };
      products.set(key, { ms: entry.ms + ms, flops: entry.flops + flops });
    }
  }
  return {
    shape,
    plainUs: median(plainUs),
    instrumentedUs: median(instrumentedUs),
    productsUs: median(productsUs),
    productFlops,
    otherKernelsUs: median(otherUs),
    kernels: new Map([...perKernel].map(([name, samples]) => [name, median(samples)])),
    products: new Map([...products].map(([key, { ms, flops }]) => [key, { us: (ms * 1000) / (steps * rounds), gflops: flops / ms / 1e6 }])),
  };
}

function torchOneThreadUs(): ReadonlyMap<string, number> {
  const report = JSON.parse(readFileSync(join(benchDir, "results", "latest.json"), "utf8")) as BenchReport;
  const times = new Map<string, number>();
  for (const shape of report.shapes) {
    const torch = shape.results.find((r) => r.system === "torch");
    if (torch !== undefined) times.set(shape.shape.name, torch.medianUs);
  }
  return times;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: "string", default: "7" }, "turn-ms": { type: "string", default: "300" } } });
enableRelaxedSimd();
const shapes = positionals.length > 0 ? positionals : shapeNames;
const ceiling = peakGflops(12, true);
const torch = torchOneThreadUs();
const fmt = (us: number) => (us >= 100 ? Math.round(us).toLocaleString("en") : us.toPrecision(3));
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}%`;

console.log(`Ceiling of 128-bit WebAssembly SIMD here: ${ceiling.toFixed(1)} GFLOP/s (12 fused chains). µs per training step, medians of ${values.rounds} rounds.\n`);
console.log("| shape | step | instrumented | products (share, GFLOP/s there) | other kernels | rest (JavaScript) | bound: products at the ceiling | PyTorch 1 thread | speed-up now / at the bound | target |");
console.log("| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const details: string[] = [];
for (const shape of shapes) {
  const s = await split(shape, Number(values.rounds), Number(values["turn-ms"]));
  const rest = s.instrumentedUs - s.productsUs - s.otherKernelsUs;
  const bound = s.productFlops / (ceiling * 1e3) + s.otherKernelsUs + rest;
  const torchUs = torch.get(shape);
  const speedups = torchUs === undefined ? "—" : `${(torchUs / s.plainUs).toFixed(2)}× / ${(torchUs / bound).toFixed(2)}×`; // now: the plain step
  console.log(
    `| ${shape} | ${fmt(s.plainUs)} | ${fmt(s.instrumentedUs)} | ${fmt(s.productsUs)} (${pct(s.productsUs, s.instrumentedUs)}, ${(s.productFlops / s.productsUs / 1e3).toFixed(1)}) | ${fmt(s.otherKernelsUs)} (${pct(s.otherKernelsUs, s.instrumentedUs)}) | ${fmt(rest)} (${pct(rest, s.instrumentedUs)}) | ${fmt(bound)} | ${torchUs === undefined ? "—" : fmt(torchUs)} | ${speedups} | ${TARGETS[shape] ?? "—"}× |`,
  );
  details.push(`${shape}: ${[...s.kernels].sort((x, y) => y[1] - x[1]).map(([name, us]) => `${name} ${fmt(us)}`).join(", ")}`);
  const byTime = [...s.products].sort((x, y) => y[1].us - x[1].us);
  details.push(`${shape}'s products: ${byTime.map(([key, { us, gflops }]) => `${key} ${fmt(us)} µs at ${gflops.toFixed(1)} GFLOP/s`).join(", ")}`);
}
console.log(`\nµs per step in each export:\n\n${details.map((line) => `- ${line}`).join("\n")}`);
