import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { compileSpecFile } from "./helpers/compile-module.ts";
import { gradientCheck } from "./helpers/gradcheck.ts";
import { typecheckModule } from "./helpers/typecheck.ts";

/** Every model in models/ compiles, its checked-in trainer is fresh, type-checks, and its gradients are right. */
const specs = readdirSync("models")
  .filter((file) => file.endsWith(".yaml"))
  .map((file) => `models/${file}`);

describe.each(specs)("%s", (specPath) => {
  const source = readFileSync(specPath, "utf8");
  const result = compile(source, { specPath });
  const file = result.files[0];

  it("compiles without diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(file).toBeDefined();
  });

  it("compiles to byte-identical output every time", () => {
    expect(compile(source, { specPath }).files[0]?.content).toBe(file?.content);
  });

  it("has a fresh checked-in generated file", () => {
    expect(readFileSync(`generated/${file?.path ?? ""}`, "utf8")).toBe(file?.content);
  });

  it("type-checks on its own under strict settings, with no imports", () => {
    expect(typecheckModule(file?.path ?? "model.ts", file?.content ?? "")).toEqual([]);
    expect(file?.content).not.toMatch(/^\s*import\s/m);
  });

  it("exposes every parameter by its state_dict name as a view into the flat parameters", async () => {
    const { module } = await compileSpecFile(specPath);
    const model = module.createModel() as ReturnType<typeof module.createModel> & { stateDict: Record<string, Float32Array> };
    expect(Object.keys(model.stateDict)).toEqual(module.PARAMETERS.map((p) => p.name));
    for (const parameter of module.PARAMETERS) {
      const view = model.stateDict[parameter.name];
      expect(view?.length).toBe(parameter.size);
      view?.fill(parameter.offset + 0.5);
      expect(model.parameters[parameter.offset + parameter.size - 1]).toBe(parameter.offset + 0.5);
    }
  });

  it("matches central finite differences for every parameter (float64 build, partial batch)", async () => {
    const { module } = await compileSpecFile(specPath, "float64");
    const { mismatches, checked } = gradientCheck(module, { seed: 7, batchSize: Math.max(1, module.MAX_BATCH - 3), maxPerParameter: 64 });
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(module.PARAMETERS.length);
  });
});
