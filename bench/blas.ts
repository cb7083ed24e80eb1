import { cpuInfo } from "./machine.ts";
import { median } from "./measure.ts";
import { startTorch, torchThreads, type SystemProcess, type TorchLaunch } from "./systems.ts";

/**
 * PyTorch's anchor as strong as this machine allows. Debian's python3-torch computes its products (nn.RNN, nn.LSTM and
 * nn.GRU included) with the system BLAS; with libopenblas0-pthread that is OpenBLAS built for every x86 core
 * (DYNAMIC_ARCH), which picks its kernels from the CPU's model. On a virtual CPU the guess can be poor (a generic SSE3
 * "Prescott" on one of this project's machines) or merely not the fastest (AVX-512 kernels on a core that splits
 * 512-bit operations in two), so rather than trust it we measure: one PyTorch process per OPENBLAS_CORETYPE the CPU's
 * flags allow, each multiplying 512 × 512 matrices on one thread, in alternating rounds, and keep the fastest.
 * The kernels chosen on one thread serve both PyTorch systems (systems.ts sets their threads).
 */

export const matmulSize = 512;

export interface BlasProbeOptions {
  /** Try only this OPENBLAS_CORETYPE ("default": leave it unset) instead of every candidate. */
  readonly forced?: string | undefined;
  readonly rounds: number;
  /** Each candidate's turn in a round. */
  readonly roundSeconds: number;
}

export interface CoreTypeTrial {
  /** OPENBLAS_CORETYPE, or null for OpenBLAS's own choice. */
  readonly coreType: string | null;
  /** The kernels OpenBLAS actually ran (an unknown OPENBLAS_CORETYPE falls back to its own choice). */
  readonly core: string | null;
  readonly medianGflops: number;
  readonly samplesGflops: readonly number[];
}

export interface TorchBlas {
  /** What the chosen configuration runs, e.g. "OpenBLAS 0.3.21, Haswell kernels, 1 BLAS thread". */
  readonly library: string;
  readonly config: string | null;
  /** The OPENBLAS_CORETYPE given to the PyTorch workers (null: none, OpenBLAS's own choice). */
  readonly coreType: string | null;
  readonly core: string | null;
  /** Its 512 × 512 float32 matmul on one thread, median over the rounds. */
  readonly matmulGflops: number;
  readonly matmulSize: number;
  /** Every configuration tried, OpenBLAS's default first. */
  readonly trials: readonly CoreTypeTrial[];
}

/** OPENBLAS_CORETYPE values worth trying on this CPU: OpenBLAS's default (null) and every kernel family its flags run. */
export function coreTypeCandidates(flags: ReadonlySet<string>, model: string): (string | null)[] {
  const has = (...names: string[]) => names.every((name) => flags.has(name));
  const candidates: (string | null)[] = [null];
  if (has("avx2", "fma")) candidates.push("Haswell");
  if (has("avx2", "fma") && /AMD/i.test(model)) candidates.push("Zen");
  if (has("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")) candidates.push("SkylakeX");
  if (has("avx512f", "avx512bw", "avx512vl", "avx512_bf16")) candidates.push("Cooperlake");
  return candidates;
}

/** Unset (undefined) rather than inherited when null, so that the default really is OpenBLAS's own choice. */
function environmentFor(coreType: string | null): Record<string, string | undefined> {
  return { OPENBLAS_CORETYPE: coreType ?? undefined };
}

/**
 * Measures the candidates (or only `options.forced`) and returns how to start the PyTorch workers, with what was measured.
 */
export async function configureTorchBlas(python: string, options: BlasProbeOptions, progress: (text: string) => void): Promise<{ launch: TorchLaunch; blas: TorchBlas }> {
  const { forced, rounds, roundSeconds } = options;
  const { flags, model } = cpuInfo();
  let candidates = forced === undefined ? coreTypeCandidates(flags, model) : [forced === "default" ? null : forced];
  const probes: SystemProcess[] = [];
  try {
    const start = (coreType: string | null) => probes.push(startTorch("torch", { python, environment: environmentFor(coreType) }, torchThreads.torch));
    start(candidates[0]!);
    const first = [await probes[0]!.blas(matmulSize, roundSeconds)]; // also each probe's warm-up
    // Not OpenBLAS (MKL, the reference BLAS): OPENBLAS_CORETYPE means nothing, measure the one configuration.
    if (first[0]!.core === null) candidates = candidates.slice(0, 1);
    progress(`PyTorch BLAS: ${matmulSize}×${matmulSize} matmul with OPENBLAS_CORETYPE ${candidates.map((c) => c ?? "unset").join(", ")}`);
    for (const coreType of candidates.slice(1)) start(coreType);
    first.push(...(await Promise.all(probes.slice(1).map((probe) => probe.blas(matmulSize, roundSeconds)))));
    const samples: number[][] = candidates.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < probes.length; k++) {
        const index = (round + k) % probes.length;
        samples[index]!.push((await probes[index]!.blas(matmulSize, roundSeconds)).gflops);
      }
    }
    const trials: CoreTypeTrial[] = candidates.map((coreType, index) => ({
      coreType,
      core: first[index]!.core,
      medianGflops: median(samples[index]!),
      samplesGflops: samples[index]!,
    }));
    const best = trials.reduce((a, b) => (b.medianGflops > a.medianGflops ? b : a));
    const chosen = first[trials.indexOf(best)]!;
    progress(`  ${trials.map((t) => `${t.coreType ?? "unset"} (${t.core ?? "?"}) ${t.medianGflops.toFixed(1)}`).join(", ")} GFLOP/s → ${best.coreType ?? "unset"}`);
    return {
      launch: { python, environment: environmentFor(best.coreType) },
      blas: { library: chosen.library, config: chosen.config, coreType: best.coreType, core: best.core, matmulGflops: best.medianGflops, matmulSize, trials },
    };
  } finally {
    for (const probe of probes) probe.close();
  }
}
