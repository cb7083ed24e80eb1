/**
 * GFLOP/s of the wasm kernels against naive JS triple loops, on the shapes the trainers use.
 * Run: `npx tsx test/wasm/bench-kernels.ts [float32|float64]` (not part of `npm test`).
 */
import { buildKernels, type Precision } from "../../src/emit/wasm/kernels.ts";
import { instantiateKernels, type GemmKernel, type Kind } from "./harness.ts";

const SHAPES: [number, number, number][] = [
  [16, 20, 20],
  [64, 128, 128],
  [64, 128, 32],
  [128, 256, 256],
  [4096, 128, 64],
];

type Real = Float32Array | Float64Array;

type Naive = (m: number, n: number, k: number, A: Real, lda: number, B: Real, ldb: number, C: Real, ldc: number, acc: number) => void;

/** The loops a code generator would write without wasm: C[i][j] (+)= Σp A·B, the sum kept in a double. */
const NAIVE: Record<Kind, Naive> = {
  nt: (m, n, k, A, lda, B, ldb, C, ldc, acc) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * lda + p]! * B[j * ldb + p]!;
        C[i * ldc + j] = acc ? C[i * ldc + j]! + s : s;
      }
    }
  },
  nn: (m, n, k, A, lda, B, ldb, C, ldc, acc) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * lda + p]! * B[p * ldb + j]!;
        C[i * ldc + j] = acc ? C[i * ldc + j]! + s : s;
      }
    }
  },
  tn: (m, n, k, A, lda, B, ldb, C, ldc, acc) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[p * lda + i]! * B[p * ldb + j]!;
        C[i * ldc + j] = acc ? C[i * ldc + j]! + s : s;
      }
    }
  },
};

/**
 * Seconds per call, by the process's CPU time (user + system), not wall time: on a shared machine the time this
 * process spends descheduled does not count. Repeats the call until a round lasts at least minSeconds.
 */
function time(run: () => void, minSeconds: number): number {
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

/**
 * The fastest of many short rounds: on a shared machine the other processes only ever slow a round down, so the
 * minimum is the best estimate of the uncontended time.
 */
function best(run: () => void, rounds: number, minSeconds: number): number {
  time(run, 0.2); // warm-up: lets V8 tier the code up to TurboFan
  return Math.min(...Array.from({ length: rounds }, () => time(run, minSeconds)));
}

const args = process.argv.slice(2);
const precision: Precision = args.includes("float64") ? "float64" : "float32";
const withJs = !args.includes("--no-js");
const { bytes } = buildKernels(precision);
const Real = precision === "float32" ? Float32Array : Float64Array;
const size = Real.BYTES_PER_ELEMENT;
const maxElements = Math.max(...SHAPES.map(([m, n, k]) => (m + n) * k + m * n + n * k + m * n + m * k));
const { memory, kernels } = instantiateKernels(bytes, Math.ceil((maxElements * size) / 65536) + 1);

function measure(kind: Kind, m: number, n: number, k: number): { wasm: number; js: number | undefined } {
  const [aRows, aCols] = kind === "tn" ? [k, m] : [m, k];
  const [bRows, bCols] = kind === "nt" ? [n, k] : [k, n];
  const aOff = 0;
  const bOff = aOff + aRows * aCols * size;
  const cOff = bOff + bRows * bCols * size;
  const A = new Real(memory.buffer, aOff, aRows * aCols);
  const B = new Real(memory.buffer, bOff, bRows * bCols);
  const C = new Real(memory.buffer, cOff, m * n);
  for (const x of [A, B]) for (let i = 0; i < x.length; i++) x[i] = Math.random() - 0.5;
  const gemm: GemmKernel = kernels[`gemm_${kind}`];
  const flops = 2 * m * n * k;
  const wasm = flops / best(() => gemm(m, n, k, aOff, aCols, bOff, bCols, cOff, n, 1), 10, 0.1) / 1e9;
  const js = withJs ? flops / best(() => NAIVE[kind](m, n, k, A, aCols, B, bCols, C, n, 1), 5, 0.05) / 1e9 : undefined;
  return { wasm, js };
}

function row(kind: Kind, m: number, n: number, k: number, label = ""): void {
  const { wasm, js } = measure(kind, m, n, k);
  const jsCells = js === undefined ? "" : ` ${js.toFixed(2)} | ${(wasm / js).toFixed(0)}× |`;
  console.log(`| ${m}×${n}×${k}${label} | ${kind} | ${wasm.toFixed(1)} |${jsCells}`);
}

console.log(`${precision}: module ${bytes.length} bytes. GFLOP/s = 2·m·n·k / CPU time per call, fastest of 10 rounds of ≥ 100 ms.`);
const header = withJs ? "| m×n×k | kernel | wasm | naive JS | speed-up |\n|---|---|---:|---:|---:|" : "| m×n×k | kernel | wasm |\n|---|---|---:|";
console.log("\nEvery kernel on each shape:\n");
console.log(header);
for (const [m, n, k] of SHAPES) for (const kind of ["nt", "nn", "tn"] as const) row(kind, m, n, k);
console.log("\nAs a linear layer's training uses them: forward Y = X·Wᵀ is nt(m=batch, n=out, k=in); backward dX = dY·W is nn(m=batch, n=in, k=out), dW = dYᵀ·X is tn(m=out, n=in, k=batch):\n");
console.log(header);
for (const [m, n, k] of SHAPES) {
  row("nn", m, k, n, " (dX)");
  row("tn", n, k, m, " (dW)");
}
