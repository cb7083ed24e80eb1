import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import type { Diagnostic } from "../src/diagnostics/diagnostic.ts";
import { layerOpNames, lossOpNames } from "../src/ops/registry.ts";
import { dummyDataset } from "../src/runtime/dataset.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import { gradientCheck } from "./helpers/gradcheck.ts";
import { expectedParameters, graphArbitrary, toYaml, valuesOf, type GraphSpec, type Shape } from "./helpers/graph-arbitrary.ts";
import { mutate, mutationArbitrary, mutations } from "./helpers/graph-mutations.ts";
import { typecheckModule } from "./helpers/typecheck.ts";
import { ModuleTypeChecker } from "./helpers/typecheck-many.ts";

/**
 * The graph fuzzer: random valid graphs composed from the op registry (test/helpers/graph-arbitrary.ts) must compile
 * without errors, with every shape and parameter as the fuzzer's own model of the ops says, and train to finite
 * losses, with exactly zero gradients in dead branches; a sample must type-check on its own under strict settings and
 * compile byte-identically, another pass a float64 gradient check; and each graph made invalid by one mutation
 * (test/helpers/graph-mutations.ts) must get coded diagnostics and no file. GRAPH_FUZZ_RUNS sets the runs (default 40; the samples scale with it),
 * GRAPH_FUZZ_SEED the fast-check seed. The four bugs it found (unused kernels declared, a graph without parameters,
 * a loss on a spec input, weight decay moving dead branches) are fixed and pinned in test/graph-edges.test.ts.
 */
const runs = Number(process.env["GRAPH_FUZZ_RUNS"] ?? 40);
const seed = Number(process.env["GRAPH_FUZZ_SEED"] ?? 20261127);
console.info(`graph fuzzer: seed ${seed}, ${runs} runs (set GRAPH_FUZZ_SEED and GRAPH_FUZZ_RUNS to change)`);

const specPath = "graph-fuzz.yaml";
/** vitest's default of 60 s is for the default runs; long runs get time in proportion. */
const timeout = 60_000 + runs * 1_000;

function expectCoded(diagnostics: readonly Diagnostic[], source: string): void {
  const lines = source.split("\n").length;
  for (const d of diagnostics) {
    expect(d.code, d.message).toMatch(/^RNNC\d{4}$/);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

function errorsOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
}

/** The nodes the loss depends on: the loss input and, transitively, every node it reads. */
function liveNodes(spec: GraphSpec): Set<string> {
  const live = new Set([spec.loss.input]);
  for (const node of [...spec.nodes].reverse()) if (live.has(node.id)) live.add(node.reads);
  return live;
}

/** Nodes that neither another node nor the loss reads: the ends of dead branches. */
function deadNodes(spec: GraphSpec): number {
  return spec.nodes.filter((node) => node.id !== spec.loss.input && !spec.nodes.some((other) => other.reads === node.id)).length;
}

describe("graph fuzzer", () => {
  it("generates graphs that reach every float op, both losses, several inputs, repeats, explicit inputs, dead branches and layers reading the target", () => {
    const sample = fc.sample(graphArbitrary, { numRuns: 300, seed });
    const ops = new Set(sample.flatMap((spec) => spec.nodes.map((node) => node.op)));
    // every op but embedding, which reads int32 token ids (covered with lengths by test/sequences.test.ts and the live PyTorch cases)
    expect([...ops].sort()).toEqual(layerOpNames.filter((op) => op !== "embedding").sort());
    expect(new Set(sample.map((spec) => spec.loss.op))).toEqual(new Set(lossOpNames));
    const inputsRead = (spec: GraphSpec) => new Set(spec.nodes.map((node) => node.reads).filter((id) => spec.inputs.some((input) => input.name === id))).size;
    expect(sample.some((spec) => inputsRead(spec) >= 3)).toBe(true);
    for (const op of ["last_step", "linear", "lstm"]) expect(sample.some((spec) => spec.nodes.filter((node) => node.op === op).length >= 2)).toBe(true);
    expect(sample.filter((spec) => deadNodes(spec) > 0).length).toBeGreaterThan(sample.length / 4);
    expect(sample.some((spec) => spec.nodes.some((node, i) => node.input !== undefined && node.input !== spec.nodes[i - 1]?.id))).toBe(true);
    expect(sample.some((spec) => spec.nodes.filter((node) => node.reads === spec.nodes[0]?.id).length >= 2)).toBe(true);
    expect(sample.some((spec) => spec.nodes.some((node) => node.reads === spec.loss.target))).toBe(true);
  });

  it("compiles every generated graph without errors, to the shapes and parameters of the fuzzer's model, and trains it to finite losses", async () => {
    const started = Date.now();
    const seen = { cases: 0, nodes: 0, dead: 0 };
    await fc.assert(
      fc.asyncProperty(graphArbitrary, async (spec) => {
        const source = toYaml(spec);
        const result = compile(source, { specPath });
        expectCoded(result.diagnostics, source);
        expect(errorsOf(result.diagnostics), source).toEqual([]);
        const file = result.files[0];
        expect(file, source).toBeDefined();
        // every shape and parameter as the fuzzer's own model of the ops (and PyTorch's state_dict) says
        const dims = (shape: Shape | undefined) => (shape?.kind === "sequence" ? [shape.seq, shape.features] : [shape?.features]);
        const inferred = result.graph?.layers.map((node) => [node.id, node.type.dtype, node.type.dims.slice(1).map((dim) => ("size" in dim ? dim.size : dim.name))]);
        expect(inferred, source).toEqual(valuesOf(spec).slice(spec.inputs.length).map((value) => [value.id, "float32", dims(value.shape)]));
        const module = await loadGeneratedModule(file?.content ?? "");
        expect(module.INPUTS.map((input) => input.name)).toEqual(spec.inputs.map((input) => input.name));
        expect(module.PARAMETERS.map((p) => ({ name: p.name, shape: [...p.shape] })), source).toEqual(expectedParameters(spec));

        const model = module.createModel();
        expect(Object.keys(model.activations)).toEqual(spec.nodes.map((node) => node.id));
        const random = new Random(spec.seed);
        initialiseParameters(module, model, random);
        const data = dummyDataset(module, random);
        const batchSize = 1 + (spec.seed % module.MAX_BATCH); // often a partial batch
        const live = liveNodes(spec);
        const dead = module.PARAMETERS.filter((p) => !live.has(p.name.split(".")[0]!));
        const initial = Float64Array.from(model.parameters);
        for (let step = 0; step < 2; step++) {
          const loss = model.trainStep(data.inputs, batchSize);
          expect(Number.isFinite(loss), `step ${step} loss ${loss} for\n${source}`).toBe(true);
        }
        expect(model.parameters.every(Number.isFinite), source).toBe(true);
        // a dead branch cannot affect the loss: its parameters' gradients are exactly zero, and (as in PyTorch) they stay put
        for (const { name, offset, size } of dead) {
          expect(model.gradients.subarray(offset, offset + size).every((g) => g === 0), `${name} in\n${source}`).toBe(true);
          expect(model.parameters.subarray(offset, offset + size), `${name} in\n${source}`).toEqual(Float32Array.from(initial.subarray(offset, offset + size)));
        }
        const width = module.LOSS.task === "classification" ? module.LOSS.classes : module.LOSS.outputs;
        expect(model.forward(data.inputs, batchSize).subarray(0, batchSize * width).every(Number.isFinite), source).toBe(true);

        seen.cases++;
        seen.nodes += spec.nodes.length;
        seen.dead += deadNodes(spec) > 0 ? 1 : 0;
      }),
      { numRuns: runs, seed },
    );
    console.info(`graph fuzzer: ${seen.cases} graphs trained (${seen.nodes} nodes, ${seen.dead} with dead branches) in ${Date.now() - started} ms`);
  }, timeout);

  it("type-checks modules as typecheckModule does, under each of its settings", () => {
    const breaksEverySetting = [
      "export function unusedBoth(unusedParameter: number, xs: number[]): number { const unusedLocal = 1; const first: number = xs[0]; return first; }",
      "export function noReturn(flag: boolean): number { if (flag) return 1; }",
      "export function implicitAny(x) { return x; }",
      "interface Optional { a?: number }",
      "export const exact: Optional = { a: undefined };",
      "export const es2023 = [1].findLast((v) => v > 0);",
      "export const dom = document;",
    ].join("\n");
    const lineOf = (problem: string) => problem.slice(0, problem.indexOf(":"));
    const expected = typecheckModule("settings.ts", breaksEverySetting);
    expect(expected.length).toBeGreaterThanOrEqual(9);
    const problems = new ModuleTypeChecker().check("settings.ts", breaksEverySetting);
    expect(problems.map(lineOf)).toEqual(expected.map(lineOf));
    expect(problems.filter((problem) => problem.endsWith("undefined"))).toEqual([]);
  });

  it("a sample type-checks on its own under strict settings and compiles byte-identically", async () => {
    const started = Date.now();
    const checker = new ModuleTypeChecker();
    const count = Math.max(1, Math.ceil(runs / 3));
    await fc.assert(
      fc.asyncProperty(graphArbitrary, async (spec) => {
        const source = toYaml(spec);
        const content = compile(source, { specPath }).files[0]?.content ?? "";
        expect(compile(source, { specPath }).files[0]?.content).toBe(content);
        const problems = checker.check("graph-fuzz.ts", content);
        expect(problems, source).toEqual([]);
      }),
      { numRuns: count, seed: seed + 1 },
    );
    console.info(`graph fuzzer: type-checked ${count} modules in ${Date.now() - started} ms`);
  }, timeout);

  it("a sample's float64 build matches central finite differences", async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(graphArbitrary, async (spec) => {
        const source = toYaml(spec);
        const file = compile(source, { specPath, precision: "float64" }).files[0];
        expect(file, source).toBeDefined();
        const module = await loadGeneratedModule(file?.content ?? "");
        const { mismatches } = gradientCheck(module, { seed: spec.seed, batchSize: 1 + (spec.seed % module.MAX_BATCH), maxPerParameter: 6 });
        expect(mismatches, source).toEqual([]);
      }),
      { numRuns: Math.max(1, Math.ceil(runs / 4)), seed: seed + 2 },
    );
    console.info(`graph fuzzer: gradient-checked ${Math.ceil(runs / 4)} float64 modules in ${Date.now() - started} ms`);
  }, timeout);

  it("a graph made invalid by one mutation gets coded diagnostics and no file", () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(graphArbitrary, mutationArbitrary, (valid, choice) => {
        const { name, spec } = mutate(valid, choice, new Set());
        const source = toYaml(spec);
        const result = compile(source, { specPath });
        expectCoded(result.diagnostics, source);
        expect(errorsOf(result.diagnostics).length, `${name}:\n${source}`).toBeGreaterThan(0);
        expect(result.files).toEqual([]);
        seen.set(name, (seen.get(name) ?? 0) + 1);
      }),
      { numRuns: runs * 2, seed: seed + 3 },
    );
    console.info(`graph fuzzer: invalid graphs by mutation: ${[...seen].map(([name, count]) => `${name} ×${count}`).join(", ")}`);
    expect(seen.size).toBeGreaterThan(Object.keys(mutations).length / 2);
  }, timeout);
});
