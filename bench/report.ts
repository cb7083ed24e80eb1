/** The Markdown view of a benchmark report (bench/results/latest.md); the report's data and JSON are report-json.ts. */
import type { TorchBlas } from "./blas.ts";
import type { SystemName } from "./systems.ts";
import { sig, table } from "./format.ts";
import { inferenceMarkdown } from "./inference/report.ts";
import type { BenchReport, ShapeResult, SystemResult } from "./report-json.ts";

function speedup(value: number | undefined): string {
  if (value === undefined) return "";
  if (Math.abs(value - 1) < 0.005) return "1×";
  return value > 1 ? `${sig(value)}× faster` : `${sig(1 / value)}× slower`;
}


function blasLine(blas: TorchBlas): string {
  const trials = blas.trials.map((t) => `${t.coreType ?? "unset"} → ${t.core ?? "?"} ${sig(t.medianGflops)}`).join(", ");
  const chosen = blas.coreType === null ? "OPENBLAS_CORETYPE unset (OpenBLAS's own choice)" : `OPENBLAS_CORETYPE=${blas.coreType}`;
  return `- PyTorch's BLAS: ${blas.library}; ${chosen}, OPENBLAS_NUM_THREADS=1: ${sig(blas.matmulGflops)} GFLOP/s on a ${blas.matmulSize}² float32 matmul, the fastest of ${trials} GFLOP/s`;
}

/** Columns of the summary, anchors in the order the README shows them. */
const summarySystems: readonly { readonly system: SystemName; readonly title: string }[] = [
  { system: "torch", title: "PyTorch 1 thread" },
  { system: "torch-2t", title: "PyTorch 2 threads (BLAS)" },
  { system: "tfjs-wasm", title: "TF.js wasm" },
  { system: "tfjs-cpu", title: "TF.js cpu" },
];

/** Which of a shape's tables: early training (`results`) or steady state. */
type Phase = (shape: ShapeResult) => readonly SystemResult[] | undefined;
const early: Phase = (shape) => shape.results;
const steady: Phase = (shape) => shape.steady?.results;

/** One row per shape: rnnc's time and GFLOP/s, then each anchor's time with rnnc's speed-up over it. */
function summaryTable(report: BenchReport, phase: Phase): string {
  const present = summarySystems.filter(({ system }) => report.shapes.some((s) => phase(s)?.some((r) => r.system === system)));
  const shapes = report.shapes.filter((s) => phase(s) !== undefined);
  const twoThreads = shapes.some((s) => phase(s)?.some((r) => r.system === "rnnc-2t"));
  const rows = shapes.map((s) => {
    const { shape } = s;
    const results = phase(s) ?? [];
    const rnnc = results.find((r) => r.system === "rnnc");
    const label = `${shape.name} (${shape.cell}, ${shape.batch}, ${shape.seq}, ${shape.input}, ${shape.hidden}, ${shape.classes})`;
    const anchors = present.map(({ system }) => {
      const result = results.find((r) => r.system === system);
      if (result === undefined) return "—";
      return rnnc === undefined ? sig(result.medianUs) : `${sig(result.medianUs)} (${sig(result.medianUs / rnnc.medianUs)}×)`;
    });
    // all cores on both sides: rnnc-2t's time, and its speed-up over torch-2t
    const rnnc2 = results.find((r) => r.system === "rnnc-2t");
    const torch2 = results.find((r) => r.system === "torch-2t");
    const allCores = rnnc2 === undefined ? "—" : torch2 === undefined ? sig(rnnc2.medianUs) : `${sig(rnnc2.medianUs)} (${sig(torch2.medianUs / rnnc2.medianUs)}×)`;
    return [label, rnnc === undefined ? "—" : sig(rnnc.medianUs), rnnc === undefined ? "—" : sig(rnnc.gflops), ...anchors, ...(twoThreads ? [allCores] : [])];
  });
  const header = ["shape (cell, B, T, I, H, C)", "rnnc µs/step", "rnnc GFLOP/s", ...present.map((p) => p.title), ...(twoThreads ? ["rnnc 2 threads (vs PyTorch 2 threads)"] : [])];
  return table(header, ["l", "r", "r", ...present.map((): "r" => "r"), ...(twoThreads ? (["r"] as const) : [])], rows);
}

/** Every system of every shape: median, best, GFLOP/s, rnnc's speed-up, spread (and for steady state, early/steady). */
function detailTable(report: BenchReport, phase: Phase): string {
  const withEarly = phase === steady;
  const rows: string[][] = [];
  for (const s of report.shapes) {
    const { shape, flopsPerStep } = s;
    const label = `**${shape.name}** ${shape.cell} B${shape.batch} T${shape.seq} I${shape.input} H${shape.hidden} C${shape.classes}, ${sig(flopsPerStep / 1e6)} MFLOP`;
    (phase(s) ?? []).forEach((r, index) => {
      const earlyUs = s.results.find((e) => e.system === r.system)?.medianUs;
      const ratio = withEarly ? [earlyUs === undefined ? "—" : `${sig(earlyUs / r.medianUs)}×`] : [];
      rows.push([index === 0 ? label : "", r.system, sig(r.medianUs), sig(r.bestUs), sig(r.gflops), speedup(r.speedupVsRnnc), `${sig(r.spreadPct)}%`, ...ratio]);
    });
  }
  const header = ["shape", "system", "µs/step (median)", "best", "GFLOP/s", "vs rnnc", "spread", ...(withEarly ? ["early/steady"] : [])];
  return table(header, ["l", "l", "r", "r", "r", "l", "r", ...(withEarly ? (["r"] as const) : [])], rows);
}

export function markdown(report: BenchReport): string {
  const { machine, settings } = report;
  const lines: string[] = [];
  lines.push(`# rnnc benchmark${settings.quick ? " (--quick: smoke test, numbers not meaningful)" : ""}`, "");
  lines.push(
    `- ${machine.date} · commit ${machine.commit}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores (${machine.simd}), ${machine.memoryGiB} GiB · ${machine.os}`,
    `- Node ${machine.node} (V8 ${machine.v8})`,
    ...(report.foreignLoad === undefined
      ? []
      : [`- Other processes kept ${sig(report.foreignLoad.otherCores)} of ${machine.cores} cores busy during the training runs (hypervisor steal: ${sig(report.foreignLoad.stealCores)} cores)`]),
    ...Object.entries(report.versions).map(([name, version]) => `- ${name}: ${version}`),
    ...(report.torchBlas === undefined ? [] : [blasLine(report.torchBlas)]),
    "",
  );
  if (report.shapes.length > 0) lines.push(...trainingSections(report));
  if (report.inference !== undefined) lines.push(inferenceMarkdown(report.inference));

  if (report.compile.length > 0) {
    lines.push("## Compile speed", "");
    const compileRows = report.compile.map((c) => [c.spec, String(c.generatedLines), sig(c.cliMedianMs), sig(c.inProcessMedianMs)]);
    lines.push(
      table(["spec", "generated lines", `\`node bin/compile.js\`, fresh process, ms (median of ${report.compile[0]?.cliRuns})`, "compile() in a warm process, ms"], ["l", "r", "r", "r"], compileRows),
      "",
    );
  }

  if (report.notes.length > 0) lines.push("## Notes", "", ...report.notes.map((note) => `- ${note}`), "");
  return lines.join("\n");
}

/** The training tables: early training, and steady state when it was measured. */
function trainingSections(report: BenchReport): string[] {
  const { machine, settings } = report;
  const lines: string[] = [];
  lines.push(
    `- One training step = forward + BPTT backward + Adam on one full batch, single-threaded everywhere but torch-2t`,
    `  (PyTorch on 2 of this machine's ${machine.cores} cores: OPENBLAS_NUM_THREADS=2, torch.set_num_threads(1); see bench/systems.ts).`,
    `  Median of ${settings.rounds} rounds of ≈${settings.roundMs} ms per system (1 to ${settings.maxSteps} steps), systems alternating each round, after ≥${settings.warmupMs} ms warm-up;`,
    `  each round restarts training from the same initial weights with a fresh Adam, untimed.`,
    `  GFLOP/s counts matmul FLOPs only, training step = 3× forward (see src/runtime/benchmark.ts).`,
    "",
  );

  const afterSteps = settings.steady?.afterSteps;
  lines.push("## Summary, early training: µs per training step (rnnc's speed-up over each: above 1× rnnc is faster)", "");
  lines.push(summaryTable(report, early), "");
  if (afterSteps !== undefined) {
    lines.push(`## Summary, steady state: µs per training step after ${afterSteps} untimed steps (rnnc's speed-up over each)`, "");
    lines.push(summaryTable(report, steady), "");
  }

  lines.push("## Training step, early training (from the initial weights)", "");
  lines.push(detailTable(report, early), "");
  if (afterSteps !== undefined) {
    lines.push(`## Training step, steady state (from the state after ${afterSteps} steps)`, "");
    lines.push(`Each timed window restores the weights and Adam state that ${afterSteps} untimed steps from the initial weights reached; "early/steady" is the early-training median over this one.`, "");
    lines.push(detailTable(report, steady), "");
  }

  return lines;
}

