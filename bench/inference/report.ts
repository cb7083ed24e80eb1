import { sig, table } from "../format.ts";
import type { InferenceReport, InferenceResult } from "./run.ts";
import type { InferenceSystemName } from "./systems.ts";

const columns: readonly { readonly system: InferenceSystemName; readonly title: string }[] = [
  { system: "ort-wasm", title: "onnxruntime-web wasm, 1 thread" },
  { system: "ort-wasm-2t", title: "onnxruntime-web wasm, 2 threads" },
];

/** The "Inference" section of the benchmark report. */
export function inferenceMarkdown(report: InferenceReport): string {
  const { settings } = report;
  const lines: string[] = ["## Inference: µs per inference (each system's time / rnnc's in brackets: above 1× rnnc is faster)", ""];
  lines.push(
    ...Object.entries(report.versions).map(([name, version]) => `- ${name}: ${version}`),
    ...(report.foreignLoad === undefined ? [] : [`- Other processes kept ${sig(report.foreignLoad.otherCores)} cores busy during the inference runs`]),
    `- batch 1: one whole sequence of sample 0. rnnc feeds it through its streaming step, one time step per call, the state`,
    `  carried (\`compile --target inference\`, \`model.stream\`); onnxruntime runs the [1, T, I] sequence in one \`session.run\`.`,
    `  batch ${settings.largeBatch}: one full forward over ${settings.largeBatch} sequences (rnnc's \`forward\`, one \`session.run\`).`,
    `- Same model on both sides: rnnc's weights (seeded init) exported with \`rnnc export --format onnx\`'s exporter; the outputs of`,
    `  both batches agreed with rnnc's within ${settings.tolerance} before timing (largest differences below).`,
    `- Median of ${settings.rounds} rounds of ≈${settings.roundMs} ms per system, systems alternating each round, after ≥${settings.warmupMs} ms warm-up.`,
    "",
  );
  const present = columns.filter(({ system }) => report.cases.some((c) => c.results.some((r) => r.system === system)));
  const cell = (result: InferenceResult | undefined) => (result === undefined ? "—" : result.rnncSpeedup === undefined ? sig(result.medianUs) : `${sig(result.medianUs)} (${sig(result.rnncSpeedup)}×)`);
  const rows = report.cases.map(({ shape, batch, results }) => {
    const rnnc = results.find((r) => r.system === "rnnc");
    const label = `${shape.name} (${shape.cell}, ${shape.seq}, ${shape.input}, ${shape.hidden}, ${shape.classes})`;
    return [label, batch === 1 ? "1 (stream)" : String(batch), rnnc === undefined ? "—" : sig(rnnc.medianUs), ...present.map(({ system }) => cell(results.find((r) => r.system === system)))];
  });
  const header = ["shape (cell, T, I, H, C)", "batch", "rnnc µs", ...present.map((p) => p.title)];
  lines.push(table(header, ["l", "r", "r", ...present.map((): "r" => "r")], rows), "");
  const differences = report.agreement.map(({ shape, worst }) => `${shape}: ${Object.entries(worst).map(([name, value]) => `${name} ${value.toExponential(1)}`).join(", ")}`);
  if (differences.length > 0) lines.push(`Largest |output − rnnc's| over both batches: ${differences.join("; ")}.`, "");
  return lines.join("\n");
}

/** The report for the JSON file: times to 0.1 µs, ratios to 3 places. */
export function compactInference(report: InferenceReport): InferenceReport {
  const round = (value: number, places: number) => Number(value.toFixed(places));
  return {
    ...report,
    cases: report.cases.map((c) => ({
      ...c,
      results: c.results.map((r) => ({
        ...r,
        medianUs: round(r.medianUs, 1),
        bestUs: round(r.bestUs, 1),
        spreadPct: round(r.spreadPct, 1),
        samplesUs: r.samplesUs.map((us) => round(us, 1)),
        ...(r.rnncSpeedup === undefined ? {} : { rnncSpeedup: round(r.rnncSpeedup, 3) }),
      })),
    })),
    ...(report.foreignLoad === undefined ? {} : { foreignLoad: { otherCores: round(report.foreignLoad.otherCores, 3), stealCores: round(report.foreignLoad.stealCores, 3) } }),
  };
}
