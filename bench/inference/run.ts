import { cpuSnapshot, foreignLoad, type ForeignLoad } from "../load.ts";
import { measure, type MeasureOptions, type Timer } from "../measure.ts";
import { loadShape } from "../shapes.ts";
import { largeBatch } from "./case.ts";
import { inferenceModes, type InferenceMode } from "./protocol.ts";
import { InferenceWorker, type InferenceSystemName } from "./systems.ts";
import { worstDifference } from "../../src/runtime/elements.ts";

/**
 * The inference benchmark (issue #12 item 6): per shape, every system builds the same case (bench/inference/case.ts);
 * the outputs of both modes must agree with rnnc's within `tolerance` before anything is timed (a system that
 * disagrees is left out of that shape, with a note); then each mode is measured like training (bench/measure.ts):
 * warm-up, then rounds in which every system runs for about `roundMs` in rotating order; the median over rounds.
 */
export const tolerance = 1e-4;

export interface InferenceResult {
  readonly system: InferenceSystemName;
  /** µs per inference: a whole sequence at batch 1 (stream), or the whole large batch. */
  readonly medianUs: number;
  readonly bestUs: number;
  readonly spreadPct: number;
  readonly samplesUs: readonly number[];
  readonly runsPerRound: number;
  /** This system's median / rnnc's: above 1 rnnc is faster. */
  readonly rnncSpeedup?: number;
}

export interface InferenceCaseResult {
  readonly shape: { readonly name: string; readonly cell: string; readonly seq: number; readonly input: number; readonly hidden: number; readonly classes: number };
  readonly mode: InferenceMode;
  readonly batch: number;
  readonly results: readonly InferenceResult[];
}

export interface InferenceReport {
  readonly versions: Partial<Record<InferenceSystemName, string>>;
  readonly settings: MeasureOptions & { readonly tolerance: number; readonly largeBatch: number };
  /** Per shape, the largest |output − rnnc's output| of each other system over both modes. */
  readonly agreement: readonly { readonly shape: string; readonly worst: Partial<Record<InferenceSystemName, number>> }[];
  readonly cases: readonly InferenceCaseResult[];
  readonly foreignLoad?: ForeignLoad;
  readonly notes: readonly string[];
}

function result(system: InferenceSystemName, samplesUs: readonly number[], medianUs: number, runsPerRound: number, rnncUs: number | undefined): InferenceResult {
  return {
    system,
    medianUs,
    bestUs: Math.min(...samplesUs),
    spreadPct: (100 * (Math.max(...samplesUs) - Math.min(...samplesUs))) / medianUs,
    samplesUs,
    runsPerRound,
    ...(rnncUs === undefined ? {} : { rnncSpeedup: medianUs / rnncUs }),
  };
}

export async function benchInference(
  shapeNames: readonly string[],
  systemNames: readonly InferenceSystemName[],
  options: MeasureOptions,
  progress: (text: string) => void,
): Promise<InferenceReport> {
  const notes: string[] = [];
  const workers = systemNames.map((name) => new InferenceWorker(name));
  const versions: Partial<Record<InferenceSystemName, string>> = {};
  const agreement: { shape: string; worst: Partial<Record<InferenceSystemName, number>> }[] = [];
  const cases: InferenceCaseResult[] = [];
  const loadStart = cpuSnapshot();
  const ourStart = process.cpuUsage();
  let load: ForeignLoad | undefined;
  try {
    for (const worker of workers) versions[worker.name] = await worker.info();
    const rnnc = workers.find((worker) => worker.name === "rnnc");
    if (rnnc === undefined) throw new Error("the inference benchmark compares with rnnc: add rnnc to --systems");
    for (const name of shapeNames) {
      progress(`inference ${name}`);
      const { specPath: _specPath, batch: _batch, ...shape } = await loadShape(name);
      for (const worker of workers) await worker.setup(name);
      const expected = await rnnc.outputs();
      const worst: Partial<Record<InferenceSystemName, number>> = {};
      const agreeing: InferenceWorker[] = [];
      for (const worker of workers) {
        const outputs = worker === rnnc ? expected : await worker.outputs();
        const difference = Math.max(worstDifference(outputs.stream, expected.stream), worstDifference(outputs.batch, expected.batch));
        if (worker !== rnnc) worst[worker.name] = difference;
        if (difference <= tolerance) agreeing.push(worker);
        else notes.push(`${name}: ${worker.name} left out: its outputs differ from rnnc's by up to ${difference.toExponential(2)} (tolerance ${tolerance})`);
      }
      agreement.push({ shape: name, worst });
      for (const mode of inferenceModes) {
        const timers: Timer[] = agreeing.map((worker) => ({
          name: worker.name,
          time: async (runs) => {
            const { usPerRun, checksum } = await worker.time(mode, runs);
            return { usPerStep: usPerRun, loss: checksum };
          },
        }));
        const measured = await measure(timers, options);
        for (const m of measured) notes.push(...m.warnings.map((warning) => `${name} (${mode}): ${warning.replace("the loss", "the output")}`));
        const rnncUs = measured.find((m) => m.name === "rnnc")?.medianUs;
        const results = measured.map((m, index) => result(agreeing[index]!.name, m.samplesUs, m.medianUs, m.stepsPerRound, rnncUs));
        progress(`  ${name} ${mode}: ${results.map((r) => `${r.system} ${r.medianUs.toFixed(0)} µs`).join(", ")}`);
        cases.push({ shape, mode, batch: mode === "stream" ? 1 : largeBatch, results });
      }
    }
  } finally {
    const ours = process.cpuUsage(ourStart);
    const workerSeconds = workers.map((worker) => worker.cpuSeconds());
    if (workerSeconds.every((seconds) => seconds !== undefined)) {
      load = foreignLoad(loadStart, cpuSnapshot(), (ours.user + ours.system) / 1e6 + workerSeconds.reduce((a, b) => a + b, 0));
    }
    for (const worker of workers) worker.close();
  }
  return { versions, settings: { ...options, tolerance, largeBatch }, agreement, cases, ...(load === undefined ? {} : { foreignLoad: load }), notes };
}
