/**
 * What `npm run bench` measured, as data: the report's types, and the JSON written to bench/results (the Markdown
 * view of the same report is report.ts).
 */
import type { TorchBlas } from "./blas.ts";
import type { CompileSpeed } from "./compile-speed.ts";
import type { ForeignLoad } from "./load.ts";
import type { MachineInfo } from "./machine.ts";
import type { MeasureOptions } from "./measure.ts";
import type { BenchShape } from "./protocol.ts";
import type { SteadyOptions } from "./steady.ts";
import type { SystemName } from "./systems.ts";
import { compactInference } from "./inference/report.ts";
import type { InferenceReport } from "./inference/run.ts";

export interface SystemResult {
  readonly system: SystemName;
  readonly medianUs: number;
  /** The fastest round: less disturbed by other load than the median, but optimistic. */
  readonly bestUs: number;
  /** From the median. */
  readonly gflops: number;
  /** rnnc's median time / this system's: above 1 this system is faster than rnnc. */
  readonly speedupVsRnnc?: number;
  /** (slowest − fastest round) / median, in percent: how far to trust the median. */
  readonly spreadPct: number;
  readonly samplesUs: readonly number[];
  readonly stepsPerRound: number;
  readonly lastLoss: number;
}

export interface ShapeResult {
  readonly shape: Omit<BenchShape, "specPath">;
  readonly flopsPerStep: number;
  /** Early training: every timed window starts from the initial weights and a fresh Adam. */
  readonly results: readonly SystemResult[];
  /** Steady state: every timed window starts from the state after `afterSteps` steps (bench/steady.ts). */
  readonly steady?: { readonly afterSteps: number; readonly results: readonly SystemResult[] };
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly versions: Partial<Record<SystemName, string>>;
  /** How PyTorch's BLAS was configured, and what its kernels multiply at (bench/blas.ts). */
  readonly torchBlas?: TorchBlas;
  readonly settings: MeasureOptions & { readonly quick: boolean; readonly steady?: SteadyOptions };
  readonly shapes: readonly ShapeResult[];
  readonly compile: readonly CompileSpeed[];
  /** Other processes' CPU use during the training measurements. */
  readonly foreignLoad?: ForeignLoad;
  /** Forward latency against onnxruntime (bench/inference/); absent with --skip-inference. */
  readonly inference?: InferenceReport;
  /** Skipped systems, failures and warnings, in the order they happened. */
  readonly notes: readonly string[];
}

/** The JSON kept in bench/results: samples rounded to 0.1 µs so that the file stays small and diffable. */
const round = (value: number, places: number) => Number(value.toFixed(places));

function compactResult(r: SystemResult): SystemResult {
  return {
    ...r,
    medianUs: round(r.medianUs, 1),
    bestUs: round(r.bestUs, 1),
    gflops: round(r.gflops, 3),
    ...(r.speedupVsRnnc === undefined ? {} : { speedupVsRnnc: round(r.speedupVsRnnc, 3) }),
    spreadPct: round(r.spreadPct, 1),
    samplesUs: r.samplesUs.map((us) => round(us, 1)),
    lastLoss: round(r.lastLoss, 6),
  };
}

export function toJson(report: BenchReport): string {
  const compact: BenchReport = {
    ...report,
    shapes: report.shapes.map((s) => ({
      ...s,
      results: s.results.map(compactResult),
      ...(s.steady === undefined ? {} : { steady: { ...s.steady, results: s.steady.results.map(compactResult) } }),
    })),
    ...(report.foreignLoad === undefined
      ? {}
      : { foreignLoad: { otherCores: round(report.foreignLoad.otherCores, 3), stealCores: round(report.foreignLoad.stealCores, 3) } }),
    ...(report.torchBlas === undefined
      ? {}
      : {
          torchBlas: {
            ...report.torchBlas,
            matmulGflops: round(report.torchBlas.matmulGflops, 2),
            trials: report.torchBlas.trials.map((t) => ({ ...t, medianGflops: round(t.medianGflops, 2), samplesGflops: t.samplesGflops.map((g) => round(g, 2)) })),
          },
        }),
    ...(report.inference === undefined ? {} : { inference: compactInference(report.inference) }),
    compile: report.compile.map((c) => ({ ...c, cliMedianMs: round(c.cliMedianMs, 1), inProcessMedianMs: round(c.inProcessMedianMs, 2) })),
  };
  // One line per array of numbers (the samples), so that a report is a page rather than hundreds of lines.
  const text = JSON.stringify(compact, null, 2).replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`);
  return `${text}\n`;
}
