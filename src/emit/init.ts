import type { Graph, Parameter } from "../ir/types.ts";
import { comment, numberLiteral, type Writer } from "./code.ts";

/**
 * PyTorch's default init inside the generated module: a seeded generator, and `initParameters`, which fills every
 * parameter from any generator. This is the one implementation of the init: `rnnc train` calls the module's
 * `initParameters` with its own generator (src/runtime/init.ts), whose stream then goes on into dummy data and
 * shuffling, and `createModel({ seed })` calls it with `seededRandom(seed)`, which gives the same numbers.
 */
export function emitInit(graph: Graph, real: string, w: Writer): void {
  emitSeededRandom(w);
  const distributions = new Set(graph.parameters.map((p) => p.init.distribution));
  w.writeLine("/**");
  w.writeLine(" * PyTorch's default init of every parameter, in PARAMETERS order, from `random`: U(−bound, bound), or N(0, std²)");
  w.writeLine(" * with an embedding's padding row zeroed. `createModel` calls it; call it again to start over.");
  w.writeLine(" */");
  w.write(`export function initParameters(parameters: ${real}, random: InitRandom): void `).block(() => {
    if (graph.parameters.length === 0) w.writeLine("void parameters, random; // this model learns nothing");
    for (const p of graph.parameters) emitParameterInit(p, w);
  });
  w.blankLine();
  if (distributions.has("uniform")) {
    w.writeLine("/** parameters[from, to) ~ U(−bound, bound), drawn in order. */");
    w.write(`function fillUniform(parameters: ${real}, from: number, to: number, bound: number, random: InitRandom): void `).block(() => {
      w.writeLine("const low = -bound;");
      w.writeLine("for (let i = from; i < to; i++) parameters[i] = low + (bound - low) * random.uniform();");
    });
    w.blankLine();
  }
  if (distributions.has("normal")) {
    w.writeLine("/** parameters[from, to) ~ N(0, std²), drawn in order. */");
    w.write(`function fillNormal(parameters: ${real}, from: number, to: number, std: number, random: InitRandom): void `).block(() => {
      w.writeLine("for (let i = from; i < to; i++) parameters[i] = random.normal() * std;");
    });
    w.blankLine();
  }
}

function emitParameterInit(p: Parameter, w: Writer): void {
  const [from, to] = [p.offset, p.offset + p.size];
  const init = p.init;
  if (init.distribution === "uniform") {
    comment(w, `${p.name} [${p.shape.join(", ")}] ~ U(±${init.bound})`);
    w.writeLine(`fillUniform(parameters, ${from}, ${to}, ${numberLiteral(init.bound)}, random);`);
    return;
  }
  comment(w, `${p.name} [${p.shape.join(", ")}] ~ N(0, ${init.std}²)${init.zeroRow === undefined ? "" : `, padding row ${init.zeroRow} zero`}`);
  w.writeLine(`fillNormal(parameters, ${from}, ${to}, ${numberLiteral(init.std)}, random);`);
  if (init.zeroRow !== undefined) {
    const width = p.shape[1] ?? 1;
    w.writeLine(`parameters.fill(0, ${from + init.zeroRow * width}, ${from + (init.zeroRow + 1) * width});`);
  }
}

/** xoshiro128** seeded through splitmix32, with Box–Muller normals: the stream of src/runtime/prng.ts, as closures. */
function emitSeededRandom(w: Writer): void {
  w.writeLine("/** Where the init draws from: uniform numbers in [0, 1) and standard normals. */");
  w.write("export interface InitRandom ").block(() => {
    w.writeLine("uniform(): number;");
    w.writeLine("normal(): number;");
  });
  w.blankLine();
  w.writeLine("/**");
  w.writeLine(" * A seeded generator: xoshiro128** with its state seeded through splitmix32; normals by Box–Muller, the second of");
  w.writeLine(" * each pair kept for the next call. For the same seed it gives the numbers `rnnc train` initialises from.");
  w.writeLine(" */");
  w.write("export function seededRandom(seed: number): InitRandom ").block(() => {
    w.write("if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) ").block(() => {
      w.writeLine("throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);");
    });
    w.writeLine("let mix = seed >>> 0;");
    w.write("const splitmix = (): number => ").block(() => {
      w.writeLine("mix = (mix + 0x9e3779b9) >>> 0;");
      w.writeLine("let z = mix;");
      w.writeLine("z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;");
      w.writeLine("z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;");
      w.writeLine("return (z ^ (z >>> 16)) >>> 0;");
    });
    w.write(";").newLine();
    w.writeLine("const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;");
    w.writeLine("let s0 = splitmix();");
    w.writeLine("let s1 = splitmix();");
    w.writeLine("let s2 = splitmix();");
    w.writeLine("let s3 = splitmix();");
    w.writeLine("let spare: number | undefined;");
    w.write("const uniform = (): number => ").block(() => {
      w.writeLine("const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;");
      w.writeLine("const t = (s1 << 9) >>> 0;");
      w.writeLine("s2 ^= s0;");
      w.writeLine("s3 ^= s1;");
      w.writeLine("s1 ^= s2;");
      w.writeLine("s0 ^= s3;");
      w.writeLine("s2 ^= t;");
      w.writeLine("s3 = rotl(s3, 11);");
      w.writeLine("s0 >>>= 0;");
      w.writeLine("s1 >>>= 0;");
      w.writeLine("s2 >>>= 0;");
      w.writeLine("return result / 4294967296;");
    });
    w.write(";").newLine();
    w.write("const normal = (): number => ").block(() => {
      w.write("if (spare !== undefined) ").block(() => {
        w.writeLine("const value = spare;");
        w.writeLine("spare = undefined;");
        w.writeLine("return value;");
      });
      w.writeLine("const u = 1 - uniform();");
      w.writeLine("const v = uniform();");
      w.writeLine("const radius = Math.sqrt(-2 * Math.log(u));");
      w.writeLine("spare = radius * Math.sin(2 * Math.PI * v);");
      w.writeLine("return radius * Math.cos(2 * Math.PI * v);");
    });
    w.write(";").newLine();
    w.writeLine("return { uniform, normal };");
  });
  w.blankLine();
}
