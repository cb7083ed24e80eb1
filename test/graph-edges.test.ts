import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import { typecheckModule } from "./helpers/typecheck.ts";

/** Graph shapes at the edges of the op model, each once a bug the graph fuzzer found. */
const head = (input: string, graph: string, loss: string, optimizer = "{ op: adam }") =>
  `version: 1\nname: edge\ninput:\n${input}\ngraph:\n${graph}\nloss: ${loss}\noptimizer: ${optimizer}\ntrain: { batch_size: 2 }\n`;

describe("graphs at the edges", () => {
  it("a model that calls only some kernels, or none, declares only those and type-checks", () => {
    const flat = head("  x: { shape: [batch, 3], dtype: float32 }\n  y: { shape: [batch], dtype: int32 }", "  - { id: fc, op: linear, out_features: 2 }", "{ op: cross_entropy, input: fc, target: y }");
    const bigram = head("  tokens: { shape: [batch, 4], dtype: int32 }\n  next: { shape: [batch, 4], dtype: int32 }", "  - { id: emb, op: embedding, num_embeddings: 6, embedding_dim: 6 }", "{ op: cross_entropy, input: emb, target: next }");
    for (const source of [flat, bigram]) {
      const file = compile(source, { specPath: "edge.yaml" }).files[0];
      expect(file).toBeDefined();
      expect(typecheckModule("edge.ts", file?.content ?? "")).toEqual([]);
    }
    expect(compile(bigram, { specPath: "edge.yaml" }).files[0]?.content).not.toContain("KERNELS_WASM");
  });

  it("a graph without parameters is refused: there is nothing to train", () => {
    const result = compile(head("  x: { shape: [batch, 2], dtype: float32 }\n  y: { shape: [batch, 2], dtype: float32 }", "  - { id: act, op: relu }", "{ op: mse, input: act, target: y }"), { specPath: "edge.yaml" });
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["RNNC0032", 7]]);
  });

  it("a loss that reads a spec input is refused at the loss's input", () => {
    const result = compile(head("  x: { shape: [batch, 3], dtype: float32 }\n  y: { shape: [batch, 3], dtype: float32 }", "  - { id: fc, op: linear, out_features: 3 }", "{ op: mse, input: x, target: y }"), { specPath: "edge.yaml" });
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["RNNC0032", 8, 25]]);
  });

  it.each(["{ op: adam, weight_decay: 0.1 }", "{ op: adamw }", "{ op: sgd, lr: 0.1, momentum: 0.9, weight_decay: 0.1 }"])(
    "%s leaves the parameters of a branch the loss does not read alone, as PyTorch does, and trains the rest",
    async (optimizer) => {
      const source = head("  x: { shape: [batch, 2], dtype: float32 }\n  y: { shape: [batch], dtype: int32 }", "  - { id: unused, op: linear, out_features: 2 }\n  - { id: fc, op: linear, input: x, out_features: 2 }", "{ op: cross_entropy, input: fc, target: y }", optimizer);
      const module = await loadGeneratedModule(compile(source, { specPath: "edge.yaml" }).files[0]?.content ?? "");
      const model = module.createModel() as ReturnType<typeof module.createModel> & { stateDict: Record<string, Float32Array> };
      const random = new Random(1);
      initialiseParameters(module, model, random);
      const unused = model.stateDict["unused.weight"]!.slice();
      const fc = model.stateDict["fc.weight"]!.slice();
      model.trainStep(dummyDataset(module, random).inputs, module.MAX_BATCH);
      expect(model.stateDict["unused.weight"]).toEqual(unused);
      expect(model.stateDict["fc.weight"]).not.toEqual(fc);
    },
  );
});
