/**
 * A/B of generated trainers by CPU time, in one process: for a loaded, shared machine, where wall time mostly measures
 * the other processes (bench/ab.ts is the same comparison by wall time, in the benchmark's own workers).
 *
 *   npx compile bench/specs/medium.yaml --out-dir /tmp/new   (and the same from the baseline checkout into /tmp/base)
 *   npx tsx bench/ab-cpu.ts --rounds 7 /tmp/base/bench-medium.ts /tmp/new/bench-medium.ts
 *
 * Each file's trainer runs the benchmark's protocol (src/runtime/benchmark.ts: every turn restarts from the initial
 * weights and a fresh Adam, so every turn times the same early stretch of training), turns alternating in a rotating
 * order, each turn about `--turn-ms` of CPU time (at most 1000 steps). Prints each file's median and best CPU µs per
 * step (user + system of this process) and the medians' ratio to the first file's. Relaxed SIMD is on, as in the CLI.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { enableRelaxedSimd } from "../src/cli/relaxed-simd.ts";
import { prepareBenchmark, type PreparedBenchmark } from "../src/runtime/benchmark.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { median } from "./measure.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: "string", default: "7" }, "turn-ms": { type: "string", default: "150" } } });
enableRelaxedSimd();
const trainers: PreparedBenchmark[] = [];
for (const file of positionals) trainers.push(prepareBenchmark(await loadGeneratedModule(readFileSync(file, "utf8"))));

function cpuRun(trainer: PreparedBenchmark, steps: number): number {
  trainer.reset();
  const start = process.cpuUsage();
  trainer.run(steps);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / steps;
}

// Warm-up (lets V8 optimise), then size each turn.
const steps = trainers.map((trainer) => {
  let usPerStep = cpuRun(trainer, 1);
  for (let spent = 0; spent < 1e6; spent += usPerStep * 10) usPerStep = cpuRun(trainer, 10);
  return Math.max(1, Math.min(1000, Math.round((Number(values["turn-ms"]) * 1000) / usPerStep)));
});
const samples: number[][] = trainers.map(() => []);
for (let round = 0; round < Number(values.rounds); round++) {
  for (let k = 0; k < trainers.length; k++) {
    const index = (round + k) % trainers.length;
    samples[index]!.push(cpuRun(trainers[index]!, steps[index]!));
  }
}
const first = median(samples[0]!);
positionals.forEach((file, i) => {
  const m = median(samples[i]!);
  process.stdout.write(`${file}: median ${m.toFixed(1)} µs/step (best ${Math.min(...samples[i]!).toFixed(1)}, ${steps[i]} steps a turn), ${(m / first).toFixed(3)}× the first\n`);
});
