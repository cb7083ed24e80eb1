/**
 * `npm run bench`'s command line (documented at the top of bench/run.ts) and its presets: what each part of the run
 * measures, and how long, in full and with --quick.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { MeasureOptions } from "./measure.ts";
import { benchDir, shapeNames } from "./shapes.ts";
import type { SteadyOptions } from "./steady.ts";
import { inferenceShapeNames } from "./inference/case.ts";
import { inferenceSystemNames, type InferenceSystemName } from "./inference/systems.ts";
import { isTorch, systemNames, type SystemName } from "./systems.ts";

const full: MeasureOptions = { warmupMs: 1500, roundMs: 400, rounds: 11, maxSteps: 1000 };
const quick: MeasureOptions = { warmupMs: 30, roundMs: 10, rounds: 3, maxSteps: 100 };
const fullBlasProbe = { rounds: 7, roundSeconds: 0.3 };
const quickBlasProbe = { rounds: 1, roundSeconds: 0.05 };
const fullInference: MeasureOptions = { warmupMs: 1000, roundMs: 300, rounds: 11, maxSteps: 100_000 };
const quickInference: MeasureOptions = { warmupMs: 20, roundMs: 10, rounds: 3, maxSteps: 1000 };
const fullSteady: SteadyOptions = { afterSteps: 200, budgetSeconds: 60 };
const quickSteady: SteadyOptions = { afterSteps: 5, budgetSeconds: 10 };

export function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      shapes: { type: "string" },
      systems: { type: "string" },
      "no-torch": { type: "boolean", default: false },
      "no-compile": { type: "boolean", default: false },
      rounds: { type: "string" },
      out: { type: "string" },
      "openblas-coretype": { type: "string" },
      "no-steady": { type: "boolean", default: false },
      "steady-after": { type: "string" },
      "steady-budget": { type: "string" },
      "skip-inference": { type: "boolean", default: false },
      "inference-only": { type: "boolean", default: false },
    },
  });
  const shapes = values.shapes?.split(",") ?? (values.quick ? ["seed"] : [...shapeNames]);
  for (const shape of shapes) if (!(shapeNames as readonly string[]).includes(shape)) throw new Error(`unknown shape ${shape}; known: ${shapeNames.join(", ")}`);
  const known: readonly string[] = [...new Set([...systemNames, ...inferenceSystemNames])];
  const requested = [...new Set(values.systems?.split(",") ?? known)];
  for (const name of requested) if (!known.includes(name)) throw new Error(`unknown system ${name}; known: ${known.join(", ")}`);
  const systems = values["inference-only"]
    ? []
    : requested.filter((name): name is SystemName => (systemNames as readonly string[]).includes(name) && !(values["no-torch"] && isTorch(name)));
  // Inference runs unless skipped, and when --systems is given, only if it names an onnxruntime system (or --inference-only).
  const inferenceSystems = requested.filter((name): name is InferenceSystemName => (inferenceSystemNames as readonly string[]).includes(name));
  const runInference = !values["skip-inference"] && (values["inference-only"] || inferenceSystems.some((name) => name !== "rnnc"));
  const inferenceShapes = shapes.filter((name) => (inferenceShapeNames as readonly string[]).includes(name));
  const inference = runInference && inferenceShapes.length > 0
    ? { shapes: inferenceShapes, systems: inferenceSystems.includes("rnnc") ? inferenceSystems : (["rnnc", ...inferenceSystems] as InferenceSystemName[]), options: { ...(values.quick ? quickInference : fullInference), ...(values.rounds === undefined ? {} : { rounds: Number(values.rounds) }) } }
    : undefined;
  const base = values.quick ? quick : full;
  const rounds = values.rounds === undefined ? base.rounds : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const out = values.out ?? join(benchDir, values.quick ? "tmp/quick.json" : "results/latest.json");
  const blasProbe = { ...(values.quick ? quickBlasProbe : fullBlasProbe), forced: values["openblas-coretype"] };
  const steadyBase = values.quick ? quickSteady : fullSteady;
  const afterSteps = values["steady-after"] === undefined ? steadyBase.afterSteps : Number(values["steady-after"]);
  const budgetSeconds = values["steady-budget"] === undefined ? steadyBase.budgetSeconds : Number(values["steady-budget"]);
  if (!Number.isInteger(afterSteps) || afterSteps < 1) throw new Error(`--steady-after must be a positive integer, got ${values["steady-after"]}`);
  if (!(budgetSeconds >= 0)) throw new Error(`--steady-budget must be a number of seconds, got ${values["steady-budget"]}`);
  const steady = values["no-steady"] ? undefined : { afterSteps, budgetSeconds };
  const trainingShapes = systems.length === 0 ? [] : shapes;
  const compile = !values["no-compile"] && !values["inference-only"];
  return { quick: values.quick, shapes: trainingShapes, systems, measureOptions: { ...base, rounds }, blasProbe, steady, inference, compile, out };
}

