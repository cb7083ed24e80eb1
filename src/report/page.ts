import { summaryText } from "../cli/summary-command.ts";
import { accuracyChart, forecastChart, learningRateChart, lossChart } from "./curves.ts";
import { evaluationSection } from "./evaluation-section.ts";
import { escapeHtml, shortNumber } from "./html.ts";
import type { RunRecord } from "./run-record.ts";

/**
 * The page's only style. No script, no external resource of any kind: the Content-Security-Policy forbids every
 * fetch, so the file shows the same offline, from an e-mail or an archive, and cannot call anywhere.
 */
const style = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff; margin: 0; }
main { max-width: 1160px; margin: 0 auto; padding: 16px 12px 32px; }
h1 { font-size: 22px; margin: 0 0 2px; } h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin: 0 0 12px; }
table { border-collapse: collapse; } td, th { padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
table.numbers td, table.numbers th { border-bottom: 1px solid #eee; padding-right: 18px; }
th { font-weight: 600; color: #444; }
.row { display: flex; flex-wrap: wrap; gap: 12px 16px; align-items: flex-start; }
figure { margin: 0; } figcaption { font-weight: 600; color: #444; margin-bottom: 2px; }
.warn { color: #a40000; font-weight: 600; }
pre { background: #f7f7f7; padding: 10px 12px; overflow-x: auto; font-size: 12.5px; line-height: 1.35; }
svg text { font-size: 11px; fill: #333; } svg .legend { font-size: 12px; } svg .axis-label { fill: #555; }
svg .grid { stroke: #dde3ea; stroke-width: 1; } svg .empty { font-size: 14px; fill: #888; }
svg .marker { stroke: #888; stroke-width: 1; } svg .marker-label { fill: #666; }
svg text.count { fill: #222; } svg text.count.dark { fill: #fff; }
table.numbers { margin-bottom: 14px; }
`;

/** How many epochs this run trained: a resumed run (`--resume`) starts after the checkpoint's epoch. */
function trained(run: RunRecord): string {
  const first = run.epochs[0]?.epoch ?? 1;
  if (first === 1) return `${run.epochs.length} of ${run.epochsPlanned}`;
  return `${first} to ${first + run.epochs.length - 1} of ${run.epochsPlanned} (resumed after epoch ${first - 1})`;
}

/** The run's facts: what was trained, on what, how it ended. */
function facts(run: RunRecord): string {
  const ending =
    run.divergence !== undefined
      ? `<span class="warn">diverged</span> in epoch ${run.divergence.epoch}, step ${run.divergence.step}: ${escapeHtml(run.divergence.what)}`
      : run.stoppedEarly
        ? `stopped early: no better validation loss in ${run.patience ?? "?"} epochs`
        : "completed";
  const kept = run.keptEpoch === 0 ? "the initial weights (no epoch completed)" : `epoch ${run.keptEpoch}${run.epochs.some((e) => e.validationLoss !== undefined) && run.divergence === undefined ? " (best validation loss)" : ""}`;
  const rows: [string, string][] = [
    ["Spec", escapeHtml(run.spec)],
    ["Model", `${escapeHtml(run.model)} (${run.task})`],
    ["Data", escapeHtml(run.data)],
    ["Training", `${escapeHtml(run.optimizer.op)}, lr ${shortNumber(run.optimizer.lr)}; batch size ${run.batchSize}; seed ${run.seed}`],
    ["Epochs", `${trained(run)}, ${ending}`],
    ["Weights kept", kept],
    ["Parameters", run.summary.parameters.toLocaleString("en-US")],
  ];
  return `<table class="facts">${rows.map(([name, value]) => `<tr><th>${name}</th><td>${value}</td></tr>`).join("")}</table>`;
}

/** One self-contained HTML page: facts, curves per epoch, final evaluation, forecasts, the model summary. */
export function reportHtml(run: RunRecord): string {
  const accuracy = accuracyChart(run.epochs);
  const figure = (caption: string, svg: string) => `<figure><figcaption>${caption}</figcaption>${svg}</figure>`;
  const curves = [figure("Loss", lossChart(run.epochs, run.keptEpoch < run.epochs.length ? run.keptEpoch : undefined)), figure("Learning rate", learningRateChart(run.epochs)), ...(accuracy === undefined ? [] : [figure("Accuracy", accuracy)])];
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(run.model)}: training report</title>`,
    `<style>${style}</style></head><body><main>`,
    `<h1>${escapeHtml(run.model)}</h1>`,
    `<p class="sub">Training report written by rnnc ${escapeHtml(run.version)}</p>`,
    facts(run),
    `<section><h2>Training curves</h2><div class="row">${curves.join("\n")}</div></section>`,
    evaluationSection(run.evaluations),
    run.forecast === undefined ? "" : `<section><h2>Forecasts on the test split</h2>${forecastChart(run.forecast)}</section>`,
    `<section><h2>Model summary</h2><pre>${escapeHtml(summaryText(run.summary))}</pre></section>`,
    "</main></body></html>",
    "",
  ].join("\n");
}
