import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { coreTypeCandidates } from "../bench/blas.ts";
import { classifierFlops, loadShape } from "../bench/shapes.ts";
import { runCli } from "./helpers/cli.ts";

/** The benchmark is not a test (timings are flaky); these only check that it runs and reports, and what it builds. */
describe("benchmark smoke", () => {
  it("bench/run.ts --quick runs rnnc and TF.js on the seed and lstm-seed shapes and prints the table", () => {
    const output = execFileSync("node", ["--import", "tsx", "bench/run.ts", "--quick", "--no-torch", "--no-compile", "--skip-inference", "--shapes", "seed,lstm-seed"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(output).toMatch(/\| *rnnc *\|/);
    expect(output).toMatch(/tfjs-wasm/);
    expect(output).toMatch(/\*\*lstm-seed\*\* lstm B16 T7 I10 H20 C5/);
    expect(output).toMatch(/\| lstm-seed \(lstm, 16, 7, 10, 20, 5\) \|/);
  });

  it("bench/split.ts times the seed shape's kernels from both of its WebAssembly modules inside its training step", () => {
    const output = execFileSync("node", ["--import", "tsx", "bench/split.ts", "--rounds", "1", "--turn-ms", "20", "seed"], { encoding: "utf8", timeout: 120_000 });
    // | seed | step | instrumented | products (share, GFLOP/s) | other kernels (share) | rest (share) | bound | …
    const row = /^\| seed \| ([\d.,]+) \| ([\d.,]+) \| ([\d.,]+) \((\d+)%, ([\d.]+)\) \| ([\d.,]+) \((\d+)%\)/m.exec(output);
    expect(row, output).not.toBeNull();
    const [step, instrumented, products, productShare, gflops, others, otherShare] = row!.slice(1).map((x) => Number(x.replace(/,/g, "")));
    expect(step).toBeGreaterThan(0);
    expect(products).toBeGreaterThan(0);
    expect(products! + others!).toBeLessThan(instrumented!);
    expect(productShare! + otherShare!).toBeLessThan(100);
    expect(gflops).toBeGreaterThan(0);
    // every product kind from the matrix module, and the rnn's tanh from the activation module
    for (const name of ["gemm_nt", "gemm_nn", "gemm_tn", "tanh_f32", "tanh_backward_f32"]) expect(output).toMatch(new RegExp(`seed: .*\\b${name} [\\d.]+`));
  });

  it("reads the cell and the dimensions of every bench shape back from the compiled module", async () => {
    const expected = [
      { name: "seed", cell: "rnn", batch: 16, seq: 7, input: 10, hidden: 20, classes: 5 },
      { name: "lstm-seed", cell: "lstm", batch: 16, seq: 7, input: 10, hidden: 20, classes: 5 },
      { name: "gru-seed", cell: "gru", batch: 16, seq: 7, input: 10, hidden: 20, classes: 5 },
      { name: "lstm-medium", cell: "lstm", batch: 64, seq: 64, input: 32, hidden: 128, classes: 10 },
      { name: "gru-medium", cell: "gru", batch: 64, seq: 64, input: 32, hidden: 128, classes: 10 },
    ];
    for (const want of expected) {
      const { specPath: _specPath, ...shape } = await loadShape(want.name);
      expect(shape).toEqual(want);
    }
    // Gates multiply the recurrent products: 4× for the LSTM, 3× for the GRU (loadShape also checks trainStepFlops).
    const seed = await loadShape("seed");
    const lstm = await loadShape("lstm-seed");
    const linear = 3 * 2 * 16 * 20 * 5;
    expect(classifierFlops(lstm) - linear).toBe(4 * (classifierFlops(seed) - linear));
  });

  it("tries the OpenBLAS kernels the CPU's flags allow, and OpenBLAS's own choice first", () => {
    const avx512 = new Set(["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"]);
    expect(coreTypeCandidates(avx512, "AMD EPYC")).toEqual([null, "Haswell", "Zen", "SkylakeX", "Cooperlake"]);
    expect(coreTypeCandidates(new Set(["avx2", "fma"]), "Intel Xeon")).toEqual([null, "Haswell"]);
    expect(coreTypeCandidates(new Set(["sse4_2"]), "QEMU Virtual CPU")).toEqual([null]);
  });

  it("rnnc bench <spec> --json ends with {us_per_step, steps}", async () => {
    const result = await runCli(["bench", "models/simple-rnn.yaml", "--steps", "50", "--json"]);
    expect(result.code).toBe(0);
    const last = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { us_per_step: number; steps: number };
    expect(last.steps).toBe(50);
    expect(last.us_per_step).toBeGreaterThan(0);
  });
});
