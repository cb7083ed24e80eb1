/**
 * `npm run bench`: rnnc's generated trainers against TF.js (cpu, wasm) and PyTorch, inference against onnxruntime-web,
 * plus compile speed.
 *
 *   tsx bench/run.ts                       every shape, every system (8 minutes on a quiet 2-core machine, most of it TF.js cpu)
 *   tsx bench/run.ts --quick --no-torch    seconds: seed shape, few steps; the smoke test in `npm test`
 *   options: --shapes seed,long  --systems rnnc,torch  --no-torch  --no-compile  --rounds N  --out FILE
 *            --no-steady  --steady-after W (default 200)  --steady-budget SECONDS (default 60)   the steady-state table (bench/steady.ts)
 *            --skip-inference  --inference-only   the inference section (bench/inference/): rnnc, ort-wasm, ort-wasm-2t;
 *            with --systems, inference runs only if an ort-* system is named: --inference-only --systems rnnc,ort-wasm
 *            --openblas-coretype Haswell|default   skip the search for PyTorch's fastest OpenBLAS kernels (bench/blas.ts)
 *
 * Prints a Markdown report on stdout (progress on stderr) and writes JSON to bench/results/latest.json
 * (with --quick: bench/tmp/quick.json, which git ignores). Exits 1 if any system fails.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { configureTorchBlas, type TorchBlas } from "./blas.ts";
import { measureCompileSpeed, type CompileSpeed } from "./compile-speed.ts";
import { cpuSnapshot, foreignLoad, type ForeignLoad } from "./load.ts";
import { machineInfo } from "./machine.ts";
import { measure, type MeasureOptions } from "./measure.ts";
import { parseOptions } from "./options.ts";
import type { BenchShape } from "./protocol.ts";
import { markdown } from "./report.ts";
import { toJson, type BenchReport, type ShapeResult } from "./report-json.ts";
import { systemResults } from "./results.ts";
import { classifierFlops, loadShape, repoRoot } from "./shapes.ts";
import { measureSteady, type SteadyOptions } from "./steady.ts";
import { benchInference, type InferenceReport } from "./inference/run.ts";
import { findTorchPython, isTorch, startSystem, type SystemName, type SystemProcess, type TorchLaunch } from "./systems.ts";

const progress = (text: string) => process.stderr.write(`${text}\n`);

/**
 * Measures one shape on every system that sets it up (a system that cannot is noted and left out of this shape):
 * early training from a fresh init, then, unless `steady` is undefined, steady state (bench/steady.ts).
 */
async function benchShape(shape: BenchShape, systems: readonly SystemProcess[], options: MeasureOptions, steady: SteadyOptions | undefined, notes: string[]): Promise<ShapeResult> {
  const ready: SystemProcess[] = [];
  for (const system of systems) {
    try {
      await system.setup(shape);
      ready.push(system);
    } catch (error) {
      notes.push(`${shape.name}: ${system.name} could not set up: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const flopsPerStep = classifierFlops(shape);
  const measured = await measure(ready, options);
  for (const m of measured) notes.push(...m.warnings.map((warning) => `${shape.name}: ${warning}`));
  const results = systemResults(measured, ready.map((system) => system.name), flopsPerStep);
  progress(`  ${shape.name}: ${results.map((r) => `${r.system} ${(r.medianUs / 1000).toFixed(2)} ms`).join(", ")}`);
  const { specPath: _specPath, ...dims } = shape;
  if (steady === undefined) return { shape: dims, flopsPerStep, results };

  const later = await measureSteady(shape.name, ready, results, options, steady, notes);
  for (const m of later.measured) notes.push(...m.warnings.map((warning) => `${shape.name} (steady state): ${warning}`));
  const steadyResults = systemResults(later.measured, later.systems.map((system) => system.name), flopsPerStep);
  progress(`  ${shape.name} after ${steady.afterSteps} steps: ${steadyResults.map((r) => `${r.system} ${(r.medianUs / 1000).toFixed(2)} ms`).join(", ")}`);
  return { shape: dims, flopsPerStep, results, steady: { afterSteps: steady.afterSteps, results: steadyResults } };
}

/** CPU used by other processes between `start` and now: the machine's busy time less the coordinator's and the workers'. */
function measureForeignLoad(start: ReturnType<typeof cpuSnapshot>, ourCpuStart: NodeJS.CpuUsage, systems: readonly SystemProcess[]): ForeignLoad | undefined {
  const end = cpuSnapshot();
  const coordinator = process.cpuUsage(ourCpuStart);
  let ours = (coordinator.user + coordinator.system) / 1e6;
  for (const system of systems) {
    const seconds = system.cpuSeconds();
    if (seconds === undefined) return undefined;
    ours += seconds;
  }
  return foreignLoad(start, end, ours);
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions();
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const notes: string[] = [];
  const machine = machineInfo();

  let torch: TorchLaunch | undefined;
  let torchBlas: TorchBlas | undefined;
  let systemsToRun = options.systems;
  if (systemsToRun.some(isTorch)) {
    const found = findTorchPython();
    if ("python" in found) {
      // Before the load measurement starts: the probes are not the benchmark's systems.
      ({ launch: torch, blas: torchBlas } = await configureTorchBlas(found.python, options.blasProbe, progress));
    } else {
      notes.push(found.missing);
      progress(found.missing);
      systemsToRun = systemsToRun.filter((name) => !isTorch(name));
    }
  }

  if (systemsToRun.length > 0) progress(`starting ${systemsToRun.join(", ")}`);
  const loadStart = options.shapes.length > 0 ? cpuSnapshot() : undefined;
  const ourCpuStart = process.cpuUsage();
  const systems = systemsToRun.map((name) => startSystem(name, torch));
  const versions: Partial<Record<SystemName, string>> = {};
  const shapes: ShapeResult[] = [];
  let failed = false;
  let load: ForeignLoad | undefined;
  try {
    for (const system of systems) versions[system.name] = await system.info();
    for (const name of options.shapes) {
      progress(`shape ${name}`);
      shapes.push(await benchShape(await loadShape(name), systems, options.measureOptions, options.steady, notes));
    }
  } catch (error) {
    failed = true;
    notes.push(`aborted: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    load = measureForeignLoad(loadStart, ourCpuStart, systems);
    for (const system of systems) system.close();
  }
  if (load !== undefined && load.otherCores > 0.2) {
    notes.push(`Other processes used ${load.otherCores.toFixed(2)} cores on average while we measured: expect noise; compare medians with the spread column, or rerun on a quiet machine.`);
  }

  // After the training runs, so that their workers are gone; each system in its own process again.
  let inference: InferenceReport | undefined;
  if (options.inference !== undefined && !failed) {
    try {
      inference = await benchInference(options.inference.shapes, options.inference.systems, options.inference.options, progress);
      notes.push(...inference.notes);
    } catch (error) {
      failed = true;
      notes.push(`inference aborted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const inferenceIncomplete = inference !== undefined && inference.cases.some((c) => c.results.length < options.inference!.systems.length);

  // After the training runs, so that no worker process competes with the compiler for the cores.
  const compile: CompileSpeed[] = [];
  if (options.compile && !failed) {
    for (const spec of ["seed", "stacked8"]) {
      progress(`compile speed: ${spec}`);
      compile.push(measureCompileSpeed(spec, options.quick ? 1 : 5, options.quick ? 3 : 20));
    }
  }

  const missing = shapes.flatMap((s) => systemsToRun.filter((name) => !s.results.some((r) => r.system === name)).map((name) => `${s.shape.name}/${name}`));
  const rnncWarned = notes.some((note) => note.includes(": rnnc: "));
  const report: BenchReport = {
    machine,
    ...(load === undefined ? {} : { foreignLoad: load }),
    versions,
    ...(torchBlas === undefined ? {} : { torchBlas }),
    settings: { ...options.measureOptions, quick: options.quick, ...(options.steady === undefined ? {} : { steady: options.steady }) },
    shapes,
    ...(inference === undefined ? {} : { inference }),
    compile,
    notes,
  };
  process.stdout.write(markdown(report));
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, toJson(report));
  progress(`wrote ${relative(repoRoot, options.out)}`);
  return failed || missing.length > 0 || rnncWarned || inferenceIncomplete ? 1 : 0;
}

process.exitCode = await main();
