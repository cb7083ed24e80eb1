import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../src/compile.ts";
import { trainStepFlops } from "../src/runtime/benchmark.ts";
import type { GeneratedModule } from "../src/runtime/generated-module.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import type { BenchShape, Cell } from "./protocol.ts";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, "..");

/** The training shapes, in report order. Their dimensions and cells live only in bench/specs/<name>.yaml. */
export const shapeNames = ["seed", "medium", "long", "wide", "lstm-seed", "lstm-medium", "gru-seed", "gru-medium"] as const;

/** Gate blocks stacked in a cell's weight_ih / weight_hh rows, as in PyTorch: rnn 1, gru 3 (r z n), lstm 4 (i f g o). */
export const gatesOf: Readonly<Record<Cell, number>> = { rnn: 1, gru: 3, lstm: 4 };

/**
 * FLOPs of one training step of `cell` → last_step → linear on a full batch, by the rules in src/runtime/benchmark.ts
 * (matrix products only, training step = 3× forward): each time step multiplies the [gates·H, I] and [gates·H, H]
 * matrices, the linear layer multiplies once per sample.
 */
export function classifierFlops(shape: BenchShape): number {
  const { batch, seq, input, hidden, classes } = shape;
  const forwardMultiplyAdds = batch * (seq * gatesOf[shape.cell] * hidden * (input + hidden) + hidden * classes);
  return 3 * 2 * forwardMultiplyAdds;
}

export function specPathOf(name: string): string {
  return join(benchDir, "specs", `${name}.yaml`);
}

/**
 * Compiles a spec in memory and loads the generated trainer, as `rnnc train` does. `banner` goes before the source:
 * a different text loads as a separate module, with its own module-level state.
 */
export async function compileSpecFile(specPath: string, banner = ""): Promise<GeneratedModule> {
  const displayPath = relative(repoRoot, specPath);
  const result = compile(readFileSync(specPath, "utf8"), { specPath: displayPath });
  const file = result.files[0];
  if (file === undefined) {
    const messages = result.diagnostics.map((d) => d.message).join("; ");
    throw new Error(`${displayPath} does not compile: ${messages}`);
  }
  return loadGeneratedModule(banner + file.content);
}

function cellWithGates(gates: number): Cell | undefined {
  return (Object.keys(gatesOf) as Cell[]).find((cell) => gatesOf[cell] === gates);
}

/**
 * Reads the dimensions and the cell back from the compiled module, so that TF.js and PyTorch build exactly what rnnc
 * built: the hidden size is weight_hh's column count, and weight_ih's rows are gates × hidden, which tells the cell.
 * Refuses anything but one rnn | lstm | gru layer → last_step → linear (ids rnn, fc), the architecture the other
 * systems implement. (An rnn's nonlinearity is not visible in its parameters: the bench specs use the default tanh.)
 */
export function shapeOf(name: string, specPath: string, module: GeneratedModule): BenchShape {
  const expected = ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias"];
  const actual = module.PARAMETERS.map((p) => p.name);
  if (actual.join() !== expected.join()) throw new Error(`${specPath}: parameters are ${actual.join(", ")}; bench shapes must be rnn|lstm|gru → last_step → linear (ids rnn, fc)`);
  const shapeOfParameter = (parameter: string): readonly [number, number] => {
    const [rows, columns] = module.PARAMETERS.find((p) => p.name === parameter)?.shape ?? [];
    if (rows === undefined || columns === undefined) throw new Error(`${specPath}: expected ${parameter} to be a matrix`);
    return [rows, columns];
  };
  const [gateRows, input] = shapeOfParameter("rnn.weight_ih_l0");
  const [, hidden] = shapeOfParameter("rnn.weight_hh_l0");
  const [classes] = shapeOfParameter("fc.weight");
  const cell = cellWithGates(gateRows / hidden);
  if (cell === undefined) throw new Error(`${specPath}: rnn.weight_ih_l0 has ${gateRows} rows for hidden size ${hidden}, not 1, 3 or 4 gates`);
  const x = module.INPUTS.find((candidate) => candidate.name === "x");
  const seq = x?.shape[1];
  if (typeof seq !== "number") throw new Error(`${specPath}: expected an input x of shape [batch, seq, input]`);
  const shape: BenchShape = { name, specPath, cell, batch: module.MAX_BATCH, seq, input, hidden, classes };
  // The same count from the module's own parameters, which is what `rnnc bench` reports: they must agree.
  const fromModule = trainStepFlops(module);
  if (classifierFlops(shape) !== fromModule) throw new Error(`${specPath}: ${classifierFlops(shape)} FLOPs per step from the shape, ${fromModule} from the module`);
  return shape;
}

export async function loadShape(name: string): Promise<BenchShape> {
  const specPath = specPathOf(name);
  return shapeOf(name, specPath, await compileSpecFile(specPath));
}
