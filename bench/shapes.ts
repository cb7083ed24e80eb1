import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../src/compile.ts";
import type { GeneratedModule } from "../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import type { BenchShape } from "./protocol.ts";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, "..");

/** The training shapes, in report order. Their dimensions live only in bench/specs/<name>.yaml. */
export const shapeNames = ["seed", "medium", "long", "wide"] as const;

export function specPathOf(name: string): string {
  return join(benchDir, "specs", `${name}.yaml`);
}

/** Compiles a spec in memory and loads the generated trainer, as `rnnc train` does. */
export async function compileSpecFile(specPath: string): Promise<GeneratedModule> {
  const displayPath = relative(repoRoot, specPath);
  const result = compile(readFileSync(specPath, "utf8"), { specPath: displayPath });
  const file = result.files[0];
  if (file === undefined) {
    const messages = result.diagnostics.map((d) => d.message).join("; ");
    throw new Error(`${displayPath} does not compile: ${messages}`);
  }
  return loadGeneratedModule(file.content);
}

/**
 * Reads the dimensions back from the compiled module, so that TF.js and PyTorch build exactly what rnnc built.
 * Refuses anything but rnn → last_step → linear, the one architecture the other systems implement.
 */
export function shapeOf(name: string, specPath: string, module: GeneratedModule): BenchShape {
  const sizeOf = (parameter: string, axis: number): number => {
    const found = module.PARAMETERS.find((p) => p.name === parameter);
    const size = found?.shape[axis];
    if (size === undefined) throw new Error(`${specPath}: expected a parameter ${parameter}; bench shapes must be rnn → last_step → linear`);
    return size;
  };
  const expected = ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias"];
  const actual = module.PARAMETERS.map((p) => p.name);
  if (actual.join() !== expected.join()) throw new Error(`${specPath}: parameters are ${actual.join(", ")}; bench shapes must be rnn → last_step → linear (ids rnn, fc)`);
  const x = module.INPUTS.find((input) => input.name === "x");
  const seq = x?.shape[1];
  if (typeof seq !== "number") throw new Error(`${specPath}: expected an input x of shape [batch, seq, input]`);
  return {
    name,
    specPath,
    batch: module.MAX_BATCH,
    seq,
    input: sizeOf("rnn.weight_ih_l0", 1),
    hidden: sizeOf("rnn.weight_hh_l0", 0),
    classes: sizeOf("fc.weight", 0),
  };
}

export async function loadShape(name: string): Promise<BenchShape> {
  const specPath = specPathOf(name);
  return shapeOf(name, specPath, await compileSpecFile(specPath));
}
