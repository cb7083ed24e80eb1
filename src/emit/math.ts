import type { Graph } from "../ir/types.ts";
import type { Writer } from "./code.ts";
import type { Precision } from "./module.ts";

/**
 * Elementwise functions the generated code calls. Math.tanh is a slow call into C++ in V8 (30–55 ns, a third of the
 * seed model's step); float32 builds use the rational approximation of Eigen's float tanh instead, within a few
 * float32 ulps of the exact value (the parity tests hold it to PyTorch). Float64 builds, used for gradient checks,
 * keep Math.tanh.
 */
export function emitMathHelpers(graph: Graph, precision: Precision, w: Writer): void {
  if (!graph.layers.some((node) => node.op === "rnn" && node.nonlinearity === "tanh")) return;
  if (precision === "float64") {
    w.writeLine("const tanh = Math.tanh;");
    w.blankLine();
    return;
  }
  w.writeLine("/** tanh for float32 storage: Eigen's rational approximation (odd degree-13 / even degree-6), exact to float32 rounding within a few ulps. */");
  w.write("function tanh(x: number): number ").block(() => {
    w.writeLine("if (x > 7.90531110763549805) return 1;");
    w.writeLine("if (x < -7.90531110763549805) return -1;");
    w.writeLine("if (Math.abs(x) < 0.0004) return x;");
    w.writeLine("const x2 = x * x;");
    w.writeLine("let p = -2.76076847742355e-16 * x2 + 2.00018790482477e-13;");
    w.writeLine("p = p * x2 - 8.60467152213735e-11;");
    w.writeLine("p = p * x2 + 5.12229709037114e-8;");
    w.writeLine("p = p * x2 + 1.48572235717979e-5;");
    w.writeLine("p = p * x2 + 6.37261928875436e-4;");
    w.writeLine("p = p * x2 + 4.89352455891786e-3;");
    w.writeLine("let q = 1.19825839466702e-6 * x2 + 1.18534705686654e-4;");
    w.writeLine("q = q * x2 + 2.268434632439e-3;");
    w.writeLine("q = q * x2 + 4.89352518554385e-3;");
    w.writeLine("return (x * p) / q;");
  });
  w.blankLine();
}
