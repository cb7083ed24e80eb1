import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCase, largeBatch } from "../bench/inference/case.ts";
import type { BenchReport } from "../bench/report-json.ts";
import { loadOnnxRuntime, worstDifference } from "./helpers/onnx-runtime.ts";

/**
 * The benchmark's steady-state and inference sections run and report (timings are never asserted), and the inference
 * case gives onnxruntime-web the very model rnnc runs: its outputs, computed here independently of the benchmark's
 * own agreement check, match rnnc's stream and forward.
 */
const ort = await loadOnnxRuntime();
if (ort === undefined) console.log("bench inference: skipped, onnxruntime-web cannot be loaded (npm ci installs it)");
const dir = mkdtempSync(join(tmpdir(), "rnnc-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: readonly string[], out: string): { markdown: string; report: BenchReport } {
  const markdown = execFileSync("node", ["--import", "tsx", "bench/run.ts", "--quick", "--no-compile", "--out", out, ...args], { encoding: "utf8", timeout: 180_000 });
  return { markdown, report: JSON.parse(readFileSync(out, "utf8")) as BenchReport };
}

describe("benchmark: steady state", () => {
  it("--quick reports early training and steady state for every system, in Markdown and JSON", () => {
    const { markdown, report } = bench(["--skip-inference", "--shapes", "seed", "--systems", "rnnc,tfjs-wasm"], join(dir, "steady.json"));
    expect(markdown).toContain("## Summary, early training");
    expect(markdown).toMatch(/## Summary, steady state: µs per training step after 5 untimed steps/);
    expect(markdown).toMatch(/## Training step, steady state[\s\S]*\| *rnnc *\|[\s\S]*\| *tfjs-wasm *\|/);
    const [seed] = report.shapes;
    expect(seed?.steady?.afterSteps).toBe(5);
    expect(seed?.steady?.results.map((r) => r.system)).toEqual(["rnnc", "tfjs-wasm"]);
    expect(seed?.results.map((r) => r.system)).toEqual(["rnnc", "tfjs-wasm"]);
    // A window from the snapshot trains on from step 5: its last loss differs from the early window's.
    for (const system of ["rnnc", "tfjs-wasm"]) {
      const early = seed?.results.find((r) => r.system === system);
      const steady = seed?.steady?.results.find((r) => r.system === system);
      expect(Number.isFinite(steady?.lastLoss)).toBe(true);
      expect(steady?.lastLoss).not.toBe(early?.lastLoss);
    }
    expect(report.inference).toBeUndefined();
  });
});

describe.skipIf(ort === undefined)("benchmark: inference against onnxruntime-web", () => {
  it.each(["seed", "lstm-seed", "gru-seed"])("%s: onnxruntime-web runs the exported case and agrees with rnnc's stream and forward within 1e-4", async (name) => {
    const inference = await buildCase(name);
    const session = await ort!.InferenceSession.create(inference.onnx, { executionProviders: ["wasm"] });
    const { seq, input, classes, x, model } = inference;
    const run = async (values: Float32Array, batch: number) => (await session.run({ x: new ort!.Tensor("float32", values, [batch, seq, input]) }))[session.outputNames[0]!]!.data as Float32Array;
    const many = await run(x, largeBatch);
    const one = await run(x.slice(0, seq * input), 1);
    await session.release();
    const forward = model.forward({ x }, largeBatch).slice(0, largeBatch * classes);
    model.stream!.reset();
    let streamed = new Float32Array(0);
    for (let t = 0; t < seq; t++) streamed = Float32Array.from(model.stream!.step({ x: x.slice(t * input, (t + 1) * input) }, 1).subarray(0, classes));
    expect(many.length).toBe(largeBatch * classes);
    expect(worstDifference(many, forward)).toBeLessThanOrEqual(1e-4);
    expect(worstDifference(one, streamed)).toBeLessThanOrEqual(1e-4);
    expect(new Set(Array.from(many.slice(0, classes * 4)).map((v) => v.toFixed(6))).size).toBeGreaterThan(classes); // samples differ
  });

  it("bench/run.ts --quick --inference-only reports both batches for rnnc and onnxruntime-web, in Markdown and JSON", () => {
    const { markdown, report } = bench(["--inference-only", "--shapes", "seed", "--systems", "rnnc,ort-wasm"], join(dir, "inference.json"));
    expect(markdown).toContain("## Inference");
    expect(markdown).toMatch(/\| seed \(rnn, 7, 10, 20, 5\) \| 1 \(stream\) \|/);
    expect(markdown).toMatch(/\| seed \(rnn, 7, 10, 20, 5\) \| 64 \|/);
    expect(markdown).not.toContain("## Training step");
    expect(report.shapes).toEqual([]);
    const cases = report.inference?.cases ?? [];
    expect(cases.map((c) => [c.mode, c.batch])).toEqual([["stream", 1], ["batch", largeBatch]]);
    for (const c of cases) expect(c.results.map((r) => r.system)).toEqual(["rnnc", "ort-wasm"]);
    expect(report.inference?.agreement[0]?.worst["ort-wasm"]).toBeLessThanOrEqual(1e-4);
  });
});
