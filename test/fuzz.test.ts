import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compile } from "../src/compile.ts";
import type { Batch } from "../src/runtime/generated-module.ts";
import { classCount, perSample } from "../src/runtime/generated-module.ts";
import { initialiseParameters } from "../src/runtime/init.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { Random } from "../src/runtime/prng.ts";
import { typecheckModule } from "./helpers/typecheck.ts";

/**
 * Property-based fuzzing of the compiler: random bytes as YAML and random mutations of valid specs.
 * The compiler must never throw (only return diagnostics) and every spec it accepts must train.
 * FUZZ_RUNS sets the number of cases per property (default 300) for longer runs.
 */
const runs = Number(process.env["FUZZ_RUNS"] ?? 300);
const seedSource = readFileSync("models/simple-rnn.yaml", "utf8");
const fixtureSources = ["odd-relu", "no-bias"].map((name) => readFileSync(`test/fixtures/${name}/model.yaml`, "utf8"));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function paths(value: Json, prefix: Path = []): Path[] {
  const here: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (value !== null && typeof value === "object") return [...here, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  return here;
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } | undefined {
  let node: Json = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, Json>)[segment] ?? null;
  }
  const key = path[path.length - 1];
  return key === undefined || node === null || typeof node !== "object" ? undefined : { parent: node, key };
}

const mutation = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom("delete", "rename", "set", "duplicate", "swap-type"),
  value: fc.oneof(
    fc.integer({ min: -5, max: 70000 }),
    fc.constantFrom(0, 1, 2, 3, 4096, 65537, 1e12, 2 ** 53, -1, 0.5, NaN, Infinity, -Infinity, 1e-9),
    fc.double(),
    fc.constantFrom("batch", "x", "y", "rnn", "last", "fc", "tanh", "relu", "rnn_2", "lstm", "float32", "int32", "", "x; process.exit(1)", "${1}", "`", "\n"),
    fc.string({ maxLength: 12 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant([] as Json[]),
    fc.constant({} as Json),
  ),
  name: fc.constantFrom("hidden_size", "out_features", "input", "id", "op", "bias", "nonlinearity", "lr", "betas", "foo", "shape", "dtype", "batch_size"),
});

function mutate(root: Json, m: { pick: number; kind: string; value: unknown; name: string }): void {
  const all = paths(root);
  const path = all[m.pick % Math.max(1, all.length)];
  if (path === undefined) return;
  const found = parentOf(root, path);
  if (found === undefined) return;
  const parent = found.parent as Record<string | number, Json>;
  const current = parent[found.key] ?? null;
  switch (m.kind) {
    case "delete":
      if (Array.isArray(parent) && typeof found.key === "number") parent.splice(found.key, 1);
      else delete parent[found.key];
      break;
    case "rename":
      if (!Array.isArray(parent)) {
        delete parent[found.key];
        parent[m.name] = current;
      }
      break;
    case "set":
      parent[found.key] = m.value as Json;
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.push(structuredClone(current));
      else parent[`${String(found.key)}_copy`] = structuredClone(current);
      break;
    case "swap-type":
      parent[found.key] = typeof current === "number" ? String(current) : typeof current === "string" ? current.length : [current];
      break;
  }
}

/** Compiles; when accepted, loads the module and runs one train step on one random sample. */
async function compileAndTrain(source: string): Promise<"rejected" | "trained" | "too-large-to-run"> {
  const result = compile(source, { specPath: "fuzz.yaml" });
  for (const d of result.diagnostics) {
    expect(d.code).toMatch(/^RNNC\d{4}$/);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  const file = result.files[0];
  if (file === undefined) {
    expect(result.diagnostics.length).toBeGreaterThan(0);
    return "rejected";
  }
  const module = await loadGeneratedModule(file.content);
  const work = module.PARAMETER_COUNT * Math.max(...module.INPUTS.map((input) => perSample(input)));
  if (work > 5e7) return "too-large-to-run";
  const model = module.createModel();
  const random = new Random(1);
  initialiseParameters(module, model, random);
  const batch: Record<string, Float32Array | Int32Array> = {};
  for (const input of module.INPUTS) {
    const n = perSample(input);
    batch[input.name] = input.dtype === "int32" ? Int32Array.from({ length: n }, () => random.integerBelow(classCount(module))) : Float32Array.from({ length: n }, () => random.normal());
  }
  const loss = model.trainStep(batch as Batch, 1);
  expect(Number.isFinite(loss), `loss ${loss} for\n${source}`).toBe(true);
  return "trained";
}

describe("fuzzing the compiler", () => {
  it("never throws on random text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.stringMatching(/^[a-z_:\-\[\]{}, \n"'0-9#&*!|>]{0,200}$/)), (text) => {
        const result = compile(text, { specPath: "random.yaml" });
        expect(result.files.length > 0 || result.diagnostics.length > 0).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it("never throws on mutated specs, and every accepted spec trains with a finite loss", async () => {
    const outcomes = { rejected: 0, trained: 0, "too-large-to-run": 0 };
    const accepted: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(seedSource, ...fixtureSources), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (source, mutations) => {
        const spec = parse(source) as Json;
        for (const m of mutations) mutate(spec, m);
        const mutated = stringify(spec);
        const started = Date.now();
        const outcome = await compileAndTrain(mutated);
        expect(Date.now() - started).toBeLessThan(5000);
        outcomes[outcome]++;
        if (outcome === "trained" && accepted.length < 4) accepted.push(mutated);
      }),
      { numRuns: runs },
    );
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.trained).toBeGreaterThan(0);
    for (const source of accepted) {
      const file = compile(source, { specPath: "fuzz.yaml" }).files[0];
      expect(typecheckModule("fuzz.ts", file?.content ?? "")).toEqual([]);
    }
  });
});
