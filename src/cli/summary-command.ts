import { escapeText } from "../diagnostics/escape.ts";
import { moduleMemory, type ModuleMemory } from "../emit/module-memory.ts";
import type { Target } from "../emit/target.ts";
import { summarise, type ModelSummary } from "../ir/summary.ts";
import { autoSingleThreadReason } from "../emit/threads/plan.ts";
import { exitCodes } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { loadSpec } from "./load-spec.ts";
import { failWith, type DiagnosticsFormat } from "./report.ts";

export interface SummaryCommandOptions {
  readonly json: boolean;
  readonly diagnostics: DiagnosticsFormat;
  /** Also report the memory of the module compiled for this target (src/emit/module-memory.ts). */
  readonly target?: Target;
}

/** `rnnc summary <spec>`: every layer with its output shape and parameters, then the model's totals. */
export async function summaryCommand(io: Io, spec: string, options: SummaryCommandOptions): Promise<number> {
  const { loaded, diagnostics, sources } = await loadSpec(io, spec);
  if (loaded === undefined) return failWith(io, options.diagnostics)(diagnostics, sources);
  const summary = summarise(loaded.graph);
  const memory = options.target === undefined ? undefined : moduleMemory(loaded.graph, "float32", options.target);
  if (options.json) io.stdout(`${JSON.stringify(memory === undefined ? summary : { ...summary, memory })}\n`);
  else io.stdout(`${summaryText(summary)}${memory === undefined ? "" : memoryText(memory)}`);
  return exitCodes.ok;
}

const count = (n: number): string => n.toLocaleString("en-US");

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function flops(n: number): string {
  if (n < 1e6) return `${count(n)}`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)} M`;
  return `${(n / 1e9).toFixed(2)} G`;
}

export function summaryText(summary: ModelSummary): string {
  const header = ["layer (op)", "output shape", "parameters"];
  const rows = summary.rows.map((row) => [escapeText(`${row.id} (${row.op})`), `[${row.shape.join(", ")}]`, count(row.parameters)]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("   ").trimEnd();
  const rule = "─".repeat(widths.reduce((sum, w) => sum + w, 0) + 6);
  return [
    `Model: ${escapeText(summary.name)}`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Parameters: ${count(summary.parameters)} (${bytes(summary.parameterBytes)} float32)`,
    `Gradients: ${bytes(summary.gradientBytes)}; optimizer state: ${bytes(summary.optimizerStateBytes)}`,
    `Layer outputs and their gradients, batch of ${summary.batchSize}: ${bytes(summary.activationBytes)}`,
    `FLOPs (matrix products) per forward pass: ${flops(summary.forwardFlops)}; per training step: ${flops(summary.trainStepFlops)}`,
    `Threads: ${threadsText(summary)}`,
    "",
  ].join("\n");
}

function threadsText(summary: ModelSummary): string {
  const threads = summary.threads ?? 1;
  if (threads === 1) return "1 (every product on the calling thread)";
  const single = threads === "auto" ? autoSingleThreadReason(summary.recurrentStepWork, summary.trainStepFlops) : undefined;
  if (single !== undefined) return `auto: 1 for this model, as ${single}`;
  const count = threads === "auto" ? "auto (the cores available when the model loads, at most 8)" : String(threads);
  return `${count}: large products split by rows between the caller and worker threads over shared memory`;
}

/** `Memory of the inference module (float32): 23.1 KiB in 1 page of WebAssembly memory: parameters 2.9 KiB, …` */
export function memoryText(memory: ModuleMemory): string {
  const parts = Object.entries(memory.parts).map(([kind, size]) => `${kind} ${bytes(size ?? 0)}`);
  return `Memory of the ${memory.target} module (${memory.precision}): ${bytes(memory.bytes)} in ${memory.pages} page${memory.pages === 1 ? "" : "s"} of WebAssembly memory: ${parts.join(", ")}\n`;
}
