import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { summarise } from "../src/ir/summary.ts";
import { rnnClassifierFlops } from "../src/runtime/benchmark.ts";
import { runCli } from "./helpers/cli.ts";

describe("rnnc summary", () => {
  const graph = compile(readFileSync("models/simple-rnn.yaml", "utf8"), { specPath: "models/simple-rnn.yaml" }).graph!;

  it("counts every layer's parameters, the totals and the FLOPs the benchmark counts for the seed model", () => {
    const summary = summarise(graph);
    expect(summary.rows.map((row) => [row.id, row.shape, row.parameters])).toEqual([
      ["rnn", ["batch", 7, 20], 20 * 10 + 20 * 20 + 2 * 20],
      ["last", ["batch", 20], 0],
      ["fc", ["batch", 5], 5 * 20 + 5],
    ]);
    expect(summary.parameters).toBe(745);
    expect(summary.optimizerStateBytes).toBe(2 * 4 * 745); // Adam's m and v
    expect(summary.trainStepFlops).toBe(rnnClassifierFlops({ batch: 16, seq: 7, input: 10, hidden: 20, classes: 5 }));
  });

  it("prints a table with totals, and JSON with --json", async () => {
    const text = await runCli(["summary", "models/simple-rnn.yaml"], process.cwd());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^rnn \(rnn\)\s+\[batch, 7, 20\]\s+640$/m);
    expect(text.stdout).toContain("Parameters: 745 (2.9 KiB float32)");
    const json = await runCli(["summary", "models/simple-rnn.yaml", "--json"], process.cwd());
    expect(JSON.parse(json.stdout)).toMatchObject({ name: "simple-rnn", parameters: 745 });
  });

  it("a bad spec gets its diagnostics and exit 2", async () => {
    const result = await runCli(["summary", "test/bad-specs/num-layers-zero/model.yaml"], process.cwd());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("RNNC0013");
  });
});
