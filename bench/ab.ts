/**
 * A/B timing of rnnc against another checkout of itself (a baseline), for one lever at a time:
 *
 *   git archive <commit> | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npx tsx bench/ab.ts --baseline /tmp/base --shapes long,medium --rounds 9 [--torch] [--round-ms 400]
 *
 * Both trainers run the benchmark's protocol (bench/protocol.ts: each turn restarts from the initial weights, so
 * every window times the same early stretch of training) in their own processes, alternating turn by turn in a
 * rotating order (bench/measure.ts), so load from other processes hits both alike. `--torch` adds PyTorch on one
 * thread with the BLAS `--openblas-coretype` names (default: Haswell, this machine's fastest; no kernel search) as a
 * fixed anchor. Prints one Markdown row per shape: medians, the spread (max − min over median) and new/base.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { measure, type Timer } from "./measure.ts";
import { loadShape, shapeNames } from "./shapes.ts";
import { findTorchPython, SystemProcess, startTorch, torchThreads } from "./systems.ts";
import { benchDir } from "./shapes.ts";

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    shapes: { type: "string", default: "long,medium" },
    rounds: { type: "string", default: "9" },
    "round-ms": { type: "string", default: "400" },
    "warmup-ms": { type: "string", default: "1500" },
    torch: { type: "boolean", default: false },
    "openblas-coretype": { type: "string", default: "Haswell" },
  },
});
if (values.baseline === undefined) throw new Error("--baseline DIR: a checkout of the baseline with node_modules");
const shapes = values.shapes.split(",");
for (const shape of shapes) if (!(shapeNames as readonly string[]).includes(shape)) throw new Error(`unknown shape ${shape}`);

/** A worker under a name of its own (SystemProcess names are the benchmark's systems). */
const named = (name: string, process: SystemProcess): Timer & { process: SystemProcess } => ({ name, process, time: (steps) => process.time(steps) });
const rnncWorker = (root: string) => new SystemProcess("rnnc", process.execPath, ["--import", "tsx", join(root, "bench", "rnnc-worker.ts")]);

const timers = [named("base", rnncWorker(resolve(values.baseline))), named("new", rnncWorker(join(benchDir, "..")))];
if (values.torch) {
  const found = findTorchPython();
  if ("python" in found) {
    const coreType = values["openblas-coretype"];
    const environment = coreType === "default" ? {} : { OPENBLAS_CORETYPE: coreType };
    timers.push(named("torch", startTorch("torch", { python: found.python, environment }, torchThreads.torch)));
  } else process.stderr.write(`${found.missing}\n`);
}

const options = { warmupMs: Number(values["warmup-ms"]), roundMs: Number(values["round-ms"]), rounds: Number(values.rounds), maxSteps: 1000 };
const us = (value: number) => Math.round(value).toLocaleString("en-US");
const header = ["shape", ...timers.map((t) => `${t.name} µs (spread)`), "new/base"];
process.stdout.write(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|\n`);
try {
  for (const name of shapes) {
    const shape = await loadShape(name);
    for (const timer of timers) await timer.process.setup(shape);
    const results = await measure(timers, options);
    const cells = results.map((r) => `${us(r.medianUs)} (${Math.round((100 * (Math.max(...r.samplesUs) - Math.min(...r.samplesUs))) / r.medianUs)}%)`);
    const ratio = results[1]!.medianUs / results[0]!.medianUs;
    process.stdout.write(`| ${name} | ${cells.join(" | ")} | ${ratio.toFixed(3)} |\n`);
    for (const r of results) for (const warning of r.warnings) process.stderr.write(`${name}: ${warning}\n`);
  }
} finally {
  for (const timer of timers) timer.process.close();
}
