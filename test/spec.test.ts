import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpecDocument } from "../src/spec/document.ts";
import { validateSpec } from "../src/spec/validate.ts";
import { specSchema } from "../src/spec/schema.ts";
import { lower } from "../src/ir/lower.ts";
import { showType } from "../src/ir/types.ts";

function load(source: string) {
  const parsed = parseSpecDocument("m.yaml", source);
  if (parsed.document === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return { document: parsed.document, ...validateSpec(parsed.document) };
}

describe("spec schema", () => {
  it("fills PyTorch's defaults", () => {
    const { spec } = load(readFileSync("models/simple-rnn.yaml", "utf8"));
    expect(spec?.graph[0]).toMatchObject({ op: "rnn", nonlinearity: "tanh", bias: true });
    expect(spec?.graph[2]).toMatchObject({ op: "linear", bias: true });
    expect(spec?.optimizer).toEqual({ op: "adam", lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
  });

  it("fills train defaults when the section is absent", () => {
    const source = readFileSync("models/simple-rnn.yaml", "utf8").replace(/^train:.*$/m, "");
    expect(load(source).spec?.train).toEqual({ epochs: 10, batch_size: 16, seed: 0, shuffle: false, warmup_epochs: 0, divergence_factor: 10000, threads: 1 });
  });

  it("documents every property, so the README's spec reference is complete", async () => {
    type Described = { properties?: Record<string, { description?: string }> };
    const defs = specSchema["$defs"] as Record<string, Described>;
    const { registry } = await import("../src/ops/registry.ts");
    const names = [...registry.layers, ...registry.losses, ...registry.optimizers].map(([name]) => name);
    const sections: Described[] = [...names.map((name) => defs[name]!), (specSchema["properties"] as Record<string, Described>)["train"]!];
    for (const section of sections) {
      expect(Object.keys(section.properties ?? {}).length).toBeGreaterThan(0);
      for (const [key, property] of Object.entries(section.properties ?? {})) {
        if (key === "id" || key === "op" || key === "input") continue;
        expect(property.description, key).toBeTruthy();
      }
    }
  });
});

describe("lowering and shape inference", () => {
  it("gives every tensor a named shape with a symbolic batch", () => {
    const { spec, document } = load(readFileSync("models/simple-rnn.yaml", "utf8"));
    const { graph, diagnostics } = lower(spec!, document);
    expect(diagnostics).toEqual([]);
    expect(graph?.layers.map((node) => [node.id, showType(node.type)])).toEqual([
      ["rnn", ["batch", 7, 20]],
      ["last", ["batch", 20]],
      ["fc", ["batch", 5]],
    ]);
    expect(graph?.parameters.map((p) => [p.name, p.shape])).toEqual([
      ["rnn.weight_ih_l0", [20, 10]],
      ["rnn.weight_hh_l0", [20, 20]],
      ["rnn.bias_ih_l0", [20]],
      ["rnn.bias_hh_l0", [20]],
      ["fc.weight", [5, 20]],
      ["fc.bias", [5]],
    ]);
  });

  it("stacks recurrent layers: a second rnn takes the first one's hidden size as its input size", () => {
    const source = readFileSync("models/simple-rnn.yaml", "utf8").replace("  - id: last", "  - id: rnn2\n    op: rnn\n    hidden_size: 8\n  - id: last");
    const { spec, document } = load(source);
    const { graph } = lower(spec!, document);
    expect(graph?.parameters.find((p) => p.name === "rnn2.weight_ih_l0")?.shape).toEqual([8, 20]);
  });

  it("names both values, the shape and the position when a shape rule fails", () => {
    const source = readFileSync("models/simple-rnn.yaml", "utf8").replace(/  - id: last\n    op: last_step\n/, "");
    const { spec, document } = load(source);
    const { diagnostics } = lower(spec!, document);
    expect(diagnostics).toHaveLength(1);
    // without last_step, fc is applied per step: its logits are a sequence, which a per-sample target cannot score
    expect(diagnostics[0]).toMatchObject({ code: "RNNC0032", line: 17, column: 35 }); // the loss line, 19, moved up by the two removed
    expect(diagnostics[0]?.message).toBe("`y` holds one class per sample, so cross_entropy needs logits [batch, classes], but `fc` is a sequence [batch, 7, 5]");
    expect(diagnostics[0]?.hint).toContain("last_step");
  });
});

describe("derived artefacts", () => {
  it("src/spec/schema.json is the schema the op registry derives (regenerate with `npm run docs`)", async () => {
    const { specSchemaText } = await import("../src/ops/schema.ts");
    expect(readFileSync("src/spec/schema.json", "utf8")).toBe(specSchemaText());
  });

  it("every registered op, loss and optimizer has a branch in the schema, and nothing else does", async () => {
    const { registry } = await import("../src/ops/registry.ts");
    const defs = specSchema["$defs"] as Record<string, { oneOf?: { $ref: string }[] }>;
    const branches = (group: string) => (defs[group]?.oneOf ?? []).map((branch) => branch.$ref.split("/").pop());
    expect(branches("node")).toEqual(registry.layers.map(([name]) => name));
    expect(branches("loss")).toEqual(registry.losses.map(([name]) => name));
    expect(branches("optimizer")).toEqual(registry.optimizers.map(([name]) => name));
  });
});

describe("README", () => {
  it("has a spec reference that matches the schema (regenerate with `npm run docs`)", async () => {
    const { replaceReference } = await import("../src/spec/readme-section.ts");
    const readme = readFileSync("README.md", "utf8");
    expect(replaceReference(readme)).toBe(readme);
  });
});

describe("YAML edge cases found by fuzzing", () => {
  it("an alias to a missing anchor is a diagnostic, not an exception", async () => {
    const { compile } = await import("../src/compile.ts");
    const result = compile("*'", { specPath: "a.yaml" });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["RNNC0002"]);
  });

  it("alias expansion is bounded (billion laughs)", async () => {
    const { compile } = await import("../src/compile.ts");
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const result = compile(levels.join("\n"), { specPath: "laughs.yaml" });
    expect(result.diagnostics[0]?.code).toBe("RNNC0002");
  });
});
