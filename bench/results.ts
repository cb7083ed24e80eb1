import type { Measurement } from "./measure.ts";
import type { SystemResult } from "./report-json.ts";
import type { SystemName } from "./systems.ts";

/** A shape's measurements as report rows: median, best round, GFLOP/s from the median, rnnc's speed-up, spread. */
export function systemResults(measured: readonly Measurement[], names: readonly SystemName[], flopsPerStep: number): SystemResult[] {
  const rnncUs = measured.find((m) => m.name === "rnnc")?.medianUs;
  return measured.map((m, index) => {
    const spread = (Math.max(...m.samplesUs) - Math.min(...m.samplesUs)) / m.medianUs;
    return {
      system: names[index]!,
      medianUs: m.medianUs,
      bestUs: Math.min(...m.samplesUs),
      gflops: flopsPerStep / m.medianUs / 1e3,
      ...(rnncUs === undefined ? {} : { speedupVsRnnc: rnncUs / m.medianUs }),
      spreadPct: 100 * spread,
      samplesUs: m.samplesUs,
      stepsPerRound: m.stepsPerRound,
      lastLoss: m.lastLoss,
    };
  });
}
