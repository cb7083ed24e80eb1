import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * The training step allocates nothing: over thousands of steady-state steps no garbage collection runs and the heap
 * grows no more than over a single step. Measured in a child process with --expose-gc, so that the test runner's own
 * garbage is not counted.
 */
function probe(spec: string, steps: number): { collections: number; heapGrowthBytes: number; finite: boolean } {
  const output = execFileSync("node", ["--expose-gc", "--import", "tsx", "test/helpers/allocation-probe.ts", spec, String(steps)], { encoding: "utf8" });
  return JSON.parse(output.trim().split("\n").pop() ?? "{}") as { collections: number; heapGrowthBytes: number; finite: boolean };
}

describe("allocation", () => {
  // The gated models are slower per step; 1000 steps still show one heap number per step (16 KB) against the 4 KB bound.
  it.each([
    ["models/simple-rnn.yaml", 5000],
    ["models/co2-forecast.yaml", 5000],
    ["models/co2-forecast-lstm.yaml", 1000],
    ["models/seattle-weather-gru.yaml", 1000],
  ] as const)("%s: no GC and no heap growth over %i training steps", (spec, steps) => {
    const one = probe(spec, 1);
    const many = probe(spec, steps);
    expect(many.finite).toBe(true);
    expect(many.collections).toBe(0);
    // One 16-byte heap number per step would be 16 KB over 1000 steps.
    expect(many.heapGrowthBytes - one.heapGrowthBytes).toBeLessThan(4096);
  });
});
