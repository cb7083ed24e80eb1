import { CodeBlockWriter, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { emitSigmoid } from "../src/emit/math.ts";
import { buildGateKernels, SYNC_MODULE_LIMIT } from "../src/emit/wasm/gates.ts";
import { buildKernels } from "../src/emit/wasm/kernels.ts";
import { wasm } from "./wasm/harness.ts";

/**
 * The float32 sigmoid (src/emit/wasm/kernels/sigmoid.ts): the generated JavaScript's helper, whose text is taken from
 * the emitter itself (src/emit/math.ts), and the gate module's sigmoid_f32 store the same bits; both are within 1 float32
 * ulp of the exact sigmoid (computed in doubles from Math.exp, whose error, ~1e-16, is far below a float32 ulp).
 */

function javascriptSigmoid(): (x: number) => number {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitSigmoid("float32", writer);
  const js = ts.transpileModule(writer.toString(), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn sigmoid;`)() as (x: number) => number;
}

function gateModule(pages: number): { memory: { readonly buffer: ArrayBuffer }; sigmoid_f32: (p: number, count: number) => void } {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(buildGateKernels().bytes), { env: { memory } });
  const sigmoid = exports["sigmoid_f32"];
  if (typeof sigmoid !== "function") throw new Error("no sigmoid_f32 export");
  return { memory, sigmoid_f32: sigmoid as (p: number, count: number) => void };
}

/** A small deterministic generator (mulberry32). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-38, -1e-38, 1e-8, -1e-8, 0.5, -0.5, 1, -1, 17, -17, 87.3, -87.3, 103.9, -103.9, 104, -104, 120, -120, 3.4e38, -3.4e38];

/** float32 values over every magnitude that matters: specials, then ±2^u·(1 + m) for u in [−40, 7], then uniform in ±20. */
function testValues(count: number): Float32Array {
  const random = uniform(7);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (i < SPECIALS.length) values[i] = SPECIALS[i]!;
    else if (i % 2 === 0) values[i] = (random() < 0.5 ? -1 : 1) * 2 ** (-40 + 47 * random()) * (1 + random());
    else values[i] = (random() - 0.5) * 40;
  }
  return values;
}

/** σ(x) in doubles, from Math.exp, in the form that never cancels. */
const exactSigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The distance in float32 steps between two finite float32 values of the same sign (or zero). */
function ulpDistance(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0]! - bits[1]!);
}

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("the float32 sigmoid", () => {
  const count = 300_000;

  it("sigmoid_f32 stores bit for bit what the JavaScript helper stores", () => {
    const sigmoid = javascriptSigmoid();
    const { memory, sigmoid_f32 } = gateModule(32);
    const values = new Float32Array(memory.buffer, 64, count + 2);
    values.set(testValues(count));
    values[count] = 123; // past the end: must stay
    values[count + 1] = 123;
    const want = values.slice(0, count).map((x) => sigmoid(x));
    sigmoid_f32(64, count + 1); // an odd count leaves the last value as it is
    for (let i = 0; i < count; i++) if (!same(values[i]!, want[i]!)) throw new Error(`σ at ${i}: wasm ${values[i]}, JavaScript ${want[i]}`);
    expect([values[count], values[count + 1]]).toEqual([123, 123]);
  });

  it("is within 1 float32 ulp of the exact sigmoid, and its doubles within 3e-10 relative", () => {
    const sigmoid = javascriptSigmoid();
    const values = testValues(count);
    let worstUlps = 0;
    let worstRelative = 0;
    let notNearest = 0;
    for (const x of values) {
      if (Number.isNaN(x)) {
        expect(sigmoid(x)).toBeNaN();
        continue;
      }
      const exact = exactSigmoid(x);
      const got = sigmoid(x);
      const ulps = ulpDistance(Math.fround(got), Math.fround(exact));
      if (ulps > 0) notNearest++;
      worstUlps = Math.max(worstUlps, ulps);
      if (Math.abs(x) < 100 && exact > 0) worstRelative = Math.max(worstRelative, Math.abs(got - exact) / exact);
    }
    expect(worstUlps).toBeLessThanOrEqual(1);
    expect(worstRelative).toBeLessThan(3e-10);
    expect(notNearest / count).toBeLessThan(1e-3); // nearly always the correctly rounded float32
    expect([sigmoid(Infinity), sigmoid(-Infinity), sigmoid(0), sigmoid(-0), sigmoid(-104), sigmoid(104)]).toEqual([1, 0, 0.5, 0.5, 0, 1]);
  });

  it("fits, as the matrix kernels do, in the 4 KB a browser compiles synchronously", () => {
    expect(buildGateKernels().bytes.length).toBeLessThanOrEqual(SYNC_MODULE_LIMIT);
    for (const variant of ["baseline", "relaxed"] as const) expect(buildKernels("float32", variant).bytes.length).toBeLessThanOrEqual(SYNC_MODULE_LIMIT);
  });
});
