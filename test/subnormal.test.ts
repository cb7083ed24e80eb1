import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import type { Region } from "../src/emit/memory.ts";
import { memoryPlan } from "../src/emit/model-memory.ts";
import { BufferNames } from "../src/emit/names.ts";
import type { Graph } from "../src/ir/types.ts";
import { prepareBenchmark } from "../src/runtime/benchmark.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { sequenceClassifier } from "./helpers/inline-spec.ts";

/**
 * No subnormal float32 values are left in the backward pass's buffers after a training step over a long sequence from
 * a fresh init. Backpropagating through hundreds of steps, the carried gradient shrinks geometrically and, unless it
 * is flushed to zero where it is born, passes through float32's subnormal range (|x| < 2⁻¹²⁶), which x86 handles in
 * microcode, many times slower per operation (WebAssembly and JavaScript have no flush-to-zero mode). Counts values;
 * times nothing.
 */

/** float32's smallest normal magnitude, 2⁻¹²⁶. */
const SMALLEST_NORMAL = 2 ** -126;

/**
 * The float32 buffers the backward pass writes, from the memory plan the emitter lays the module out by (the same
 * offsets: many of these buffers are written only by the WebAssembly kernels, so the source declares no view of them):
 * the parameters' gradients, every layer's output gradient and every backward-only scratch buffer (`dPre`, `dGates`, …).
 */
function backwardRegions(graph: Graph): Region[] {
  const names = new BufferNames();
  const plan = memoryPlan(graph, names, new BufferNames("stream_", names), 4, "training");
  return plan.regions.filter((region) => region.kind === "gradients" || region.kind === "output gradients" || region.kind === "backward scratch");
}

function countSubnormals(values: Float32Array): number {
  let count = 0;
  for (const value of values) if (value !== 0 && Math.abs(value) < SMALLEST_NORMAL) count++;
  return count;
}

async function stepAndCount(specText: string, specPath: string): Promise<{ subnormals: Record<string, number>; nonzero: Record<string, number>; loss: number }> {
  const { files, graph } = compile(specText, { specPath, precision: "float32" });
  const file = files[0];
  if (file === undefined || graph === undefined) throw new Error(`${specPath} did not compile`);
  const regions = backwardRegions(graph);
  const benchmark = prepareBenchmark(await loadGeneratedModule(file.content));
  const { lastLoss } = benchmark.run(1); // one training step from the seeded fresh init, on a full dummy batch
  const memory = benchmark.model.parameters.buffer;
  const subnormals: Record<string, number> = {};
  const nonzero: Record<string, number> = {};
  for (const region of regions) {
    const values = new Float32Array(memory, region.at, region.elements);
    subnormals[region.name] = countSubnormals(values);
    nonzero[region.name] = values.reduce((n, value) => n + (value !== 0 ? 1 : 0), 0);
  }
  return { subnormals, nonzero, loss: lastLoss };
}

const longSequence = (op: string) =>
  sequenceClassifier({ seq: 256, input: 8, classes: 4, batch: 16, graph: `  - { id: rnn, op: ${op}, input: x, hidden_size: 32 }\n  - { id: last, op: last_step }` });

describe("subnormals in the backward pass", () => {
  it.each([
    ["rnn (bench/specs/long.yaml)", "bench/specs/long.yaml", readFileSync("bench/specs/long.yaml", "utf8")],
    ["lstm, 256 steps", "lstm.yaml", longSequence("lstm")],
    ["gru, 256 steps", "gru.yaml", longSequence("gru")],
  ])("%s: none left in the gradients, the layer gradients or the recurrent scratch after a step", async (_, specPath, specText) => {
    const { subnormals, nonzero, loss } = await stepAndCount(specText, specPath);
    expect(Number.isFinite(loss)).toBe(true);
    // Not vacuous: the buffers were found, and the backward pass wrote into them.
    expect(Object.keys(subnormals)).toContain("gradients");
    expect(Object.keys(subnormals).some((name) => /dPre|dGates/.test(name))).toBe(true);
    expect(nonzero["gradients"]).toBeGreaterThan(0);
    expect(subnormals).toEqual(Object.fromEntries(Object.keys(subnormals).map((name) => [name, 0])));
  });
});
