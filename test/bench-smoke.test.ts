import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";

/** The benchmark is not a test (timings are flaky); these only check that it runs and reports. */
describe("benchmark smoke", () => {
  it("bench/run.ts --quick runs rnnc and TF.js on the seed shape and prints the table", () => {
    const output = execFileSync("node", ["--import", "tsx", "bench/run.ts", "--quick", "--no-torch", "--no-compile"], { encoding: "utf8", timeout: 120_000 });
    expect(output).toMatch(/\| *rnnc *\|/);
    expect(output).toMatch(/tfjs-wasm/);
  });

  it("rnnc bench <spec> --json ends with {us_per_step, steps}", async () => {
    const result = await runCli(["bench", "models/simple-rnn.yaml", "--steps", "50", "--json"]);
    expect(result.code).toBe(0);
    const last = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { us_per_step: number; steps: number };
    expect(last.steps).toBe(50);
    expect(last.us_per_step).toBeGreaterThan(0);
  });
});
