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
  it.each(["models/simple-rnn.yaml", "models/co2-forecast.yaml"])("%s: no GC and no heap growth over 5000 training steps", (spec) => {
    const one = probe(spec, 1);
    const many = probe(spec, 5000);
    expect(many.finite).toBe(true);
    expect(many.collections).toBe(0);
    // One 16-byte heap number per step would be 80 KB over 5000 steps.
    expect(many.heapGrowthBytes - one.heapGrowthBytes).toBeLessThan(4096);
  });
});
