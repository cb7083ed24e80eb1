import type { Graph } from "../ir/types.ts";
import type { MathHelper } from "../ops/op.ts";
import { layerOp } from "../ops/registry.ts";
import type { Writer } from "./code.ts";
import type { Precision } from "./module.ts";
import type { Target } from "./target.ts";
import { TANH_F32 } from "./tanh-constants.ts";
import { sigmoidJavaScript } from "./wasm/kernels/sigmoid.ts";

/** Elementwise functions the generated code calls, emitted once each when some op of the graph asks for them. */
function helpersOf(graph: Graph, precision: Precision): Set<MathHelper> {
  return new Set(graph.layers.flatMap((node) => layerOp(node.op).helpers(node, precision)));
}

/** Whether some op draws random numbers (dropout): the module then has a seeded generator. */
export function usesRandom(graph: Graph): boolean {
  return helpersOf(graph, "float32").has("random");
}

export function emitMathHelpers(graph: Graph, precision: Precision, target: Target, w: Writer): void {
  const helpers = helpersOf(graph, precision);
  // only backward loops flush, and an inference module has none
  if (target === "inference") helpers.delete("flush");
  if (helpers.has("tanh")) emitTanh(precision, w);
  if (helpers.has("sigmoid")) emitSigmoid(precision, w);
  if (helpers.has("gelu")) emitNormalCdf(w);
  if (helpers.has("flush")) emitFlush(precision, w);
}

/**
 * Float32 builds: a sigmoid of fixed float32 operations (src/emit/wasm/kernels/sigmoid.ts, within 2 float32 ulps), the
 * same bits on every engine, and bit for bit the gate kernels' (src/emit/wasm/gates.ts); Math.exp's last bits differ
 * between engines. Float64 builds, used for gradient checks, keep Math.exp.
 */
export function emitSigmoid(precision: Precision, w: Writer): void {
  if (precision === "float32") {
    for (const line of sigmoidJavaScript()) w.writeLine(line);
    w.blankLine();
    return;
  }
  w.writeLine("/** The logistic function; large negative inputs give 0, not NaN. */");
  w.write("function sigmoid(x: number): number ").block(() => w.writeLine("return 1 / (1 + Math.exp(-x));"));
  w.blankLine();
}

/**
 * Math.tanh is a slow call into C++ in V8 (30–55 ns, a third of the
 * seed model's step); float32 builds use the rational approximation of Eigen's float tanh instead, evaluated in float32
 * like Eigen's (the WebAssembly kernels compute it four lanes at a time, with the same bits), within 7 float32 ulps of
 * the correctly rounded value (the parity tests hold it to PyTorch). Float64 builds, used for gradient checks,
 * keep Math.tanh.
 */
export function emitTanh(precision: Precision, w: Writer): void {
  if (precision === "float64") {
    w.writeLine("const tanh = Math.tanh;");
    w.blankLine();
    return;
  }
  const { clamp, small, p, q } = TANH_F32;
  const horner = (name: string, coefficients: readonly number[]): void => {
    w.writeLine(`let ${name} = fround(fround(${coefficients[0]} * x2) + ${coefficients[1]});`);
    for (const c of coefficients.slice(2)) w.writeLine(`${name} = fround(fround(${name} * x2) + ${c});`);
  };
  w.writeLine("const fround = Math.fround;");
  w.writeLine("/** tanh for float32 storage: Eigen's rational approximation (odd degree-13 / even degree-6), evaluated in float32 as Eigen does (every operation rounded by fround), within 7 ulps. */");
  w.write("function tanh(value: number): number ").block(() => {
    w.writeLine("const x = fround(value);");
    w.writeLine(`if (x > ${clamp}) return 1;`);
    w.writeLine(`if (x < ${-clamp}) return -1;`);
    w.writeLine(`if (Math.abs(x) < ${small}) return x;`);
    w.writeLine("const x2 = fround(x * x);");
    horner("p", p);
    horner("q", q);
    w.writeLine("return fround(fround(x * p) / q);");
  });
  w.blankLine();
}

/**
 * The backward pass never makes float32 subnormals (|x| < 2⁻¹²⁶ ≈ 1.2e-38): x86 computes with them in microcode, many
 * times slower, and neither JavaScript nor WebAssembly has a flush-to-zero mode. Through a long sequence the carried
 * gradient shrinks geometrically into that range (the long benchmark shape ran its first training steps 5× slower).
 * So every gradient a backward loop stores goes through `flush`: below 1e-30 in magnitude it becomes 0. The margin
 * above 2⁻¹²⁶ keeps the products the kernels then make of it (with weights and activations above 1e-8) normal too,
 * and sums of flushed float32 values are 0 or at least 2⁻¹²³ (the spacing of floats near 1e-30). A gradient of 1e-30
 * moves no float32 weight. NaN and ±∞ pass through. Float64 builds (gradient checks) flush nothing.
 */
export function emitFlush(precision: Precision, w: Writer): void {
  if (precision === "float64") {
    w.writeLine("/** Float64 builds keep every gradient: flush is the identity (float32 builds flush below 1e-30 to 0). */");
    w.writeLine("const flush = (x: number): number => x;");
    w.blankLine();
    return;
  }
  w.writeLine("/** A gradient below 1e-30 in magnitude becomes 0, so float32 never holds a (slow) subnormal; NaN and ±∞ pass through. */");
  w.write("function flush(x: number): number ").block(() => w.writeLine("return Math.abs(x) < 1e-30 ? 0 : x;"));
  w.blankLine();
}

/**
 * Φ(x), the standard normal CDF, to double precision (GELU needs the exact erf form, as torch.nn.GELU()):
 * for |z| < 3 (z = |x|/√2) the series erf z = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)), whose terms are all
 * positive (no cancellation); beyond, the continued fraction of erfc, evaluated bottom-up over 60 levels.
 */
function emitNormalCdf(w: Writer): void {
  w.writeLine("/** Φ(x) = (1 + erf(x/√2)) / 2 to double precision: a positive series for |x/√2| < 3, erfc's continued fraction beyond. */");
  w.write("function normalCdf(x: number): number ").block(() => {
    w.writeLine("const z = Math.abs(x) * 0.7071067811865476;");
    w.writeLine("let erfc: number;");
    w.write("if (z < 3) ").block(() => {
      w.writeLine("let term = z;");
      w.writeLine("let sum = z;");
      w.write("for (let n = 1; term > 1e-17 * sum; n++) ").block(() => {
        w.writeLine("term *= (2 * z * z) / (2 * n + 1);");
        w.writeLine("sum += term;");
      });
      w.writeLine("erfc = 1 - 1.1283791670955126 * Math.exp(-z * z) * sum;");
    });
    w.write("else ").block(() => {
      w.writeLine("let fraction = z;");
      w.writeLine("for (let n = 60; n >= 1; n--) fraction = z + n / 2 / fraction;");
      w.writeLine("erfc = Math.exp(-z * z) / (fraction * 1.772453850905516);");
    });
    w.writeLine("return x >= 0 ? 1 - erfc / 2 : erfc / 2;");
  });
  w.blankLine();
}
