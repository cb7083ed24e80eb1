import { CodeBlockWriter, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { emitSigmoid, emitTanh } from "../src/emit/math.ts";
import { buildGateKernels, GATE_CELLS, SYNC_MODULE_LIMIT, type GateCell } from "../src/emit/wasm/gates.ts";
import { buildKernels } from "../src/emit/wasm/kernels.ts";
import { wasm } from "./wasm/harness.ts";
import { uniform } from "./helpers/uniform.ts";

/**
 * The float32 sigmoid (src/emit/wasm/kernels/sigmoid.ts, evaluated in float32) is within 2 float32 ulps of the exact
 * sigmoid (computed in doubles from Math.exp, whose error, ~1e-16, is far below a float32 ulp); and the gate kernels'
 * forward passes, four float32 values at a time, store bit for bit what the generated JavaScript's helpers (their
 * text taken from the emitter itself, src/emit/math.ts) and float32 loops store, over 300 000 values per gate: σ and
 * tanh at every magnitude, ±0, subnormals, huge values, NaN, ±∞.
 */

function javascriptSigmoid(): (x: number) => number {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitSigmoid("float32", writer);
  const js = ts.transpileModule(writer.toString(), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn sigmoid;`)() as (x: number) => number;
}

interface GateExports {
  readonly lstm_forward_f32: (gates: number, cPrev: number, cell: number, h: number, batch: number, H: number, hasPrev: number) => void;
  readonly gru_forward_f32: (gates: number, hidden: number, hPrev: number, h: number, batch: number, H: number, hasPrev: number) => void;
}

function gateModule(pages: number): { memory: { readonly buffer: ArrayBuffer }; kernels: GateExports } {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const exportsOf = (cell: GateCell): object => new wasm.Instance(new wasm.Module(buildGateKernels(cell).bytes), { env: { memory } }).exports;
  return { memory, kernels: { ...exportsOf("lstm"), ...exportsOf("gru") } as unknown as GateExports };
}

function javascriptTanh(): (x: number) => number {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitTanh("float32", writer);
  const js = ts.transpileModule(writer.toString(), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn tanh;`)() as (x: number) => number;
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

const fround = Math.fround;
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("the float32 sigmoid", () => {
  const count = 300_000;

  /** Checks `got` against `want` bit for bit (NaN as NaN), naming the first difference. */
  const expectSameBits = (what: string, got: Float32Array, want: ArrayLike<number>): void => {
    for (let i = 0; i < got.length; i++) if (!same(got[i]!, Math.fround(want[i]!))) throw new Error(`${what} at ${i}: wasm ${got[i]}, JavaScript ${Math.fround(want[i]!)}`);
  };

  it("lstm_forward_f32 stores bit for bit what the JavaScript helpers and loop store, over 300 000 values per gate", () => {
    const [sigmoid, tanh] = [javascriptSigmoid(), javascriptTanh()];
    const { memory, kernels } = gateModule(160);
    const rows = 2;
    const H = count / rows;
    const values = testValues(count);
    const gates = new Float32Array(memory.buffer, 0, 4 * count);
    const cPrev = new Float32Array(memory.buffer, 16 * count, count);
    const cell = new Float32Array(memory.buffer, 20 * count, count);
    const h = new Float32Array(memory.buffer, 24 * count, count);
    // gate block k of row b holds the values rotated by k·1000, so each value meets other partners in c and h
    const at = (b: number, k: number, j: number) => (b * 4 + k) * H + j;
    for (let b = 0; b < rows; b++) for (let k = 0; k < 4; k++) for (let j = 0; j < H; j++) gates[at(b, k, j)] = values[(b * H + j + k * 1000) % count]!;
    cPrev.set(values.map((x) => x / 3));
    const pre = gates.slice();
    kernels.lstm_forward_f32(0, 16 * count, 20 * count, 24 * count, rows, H, 1);
    const want = { gates: new Float64Array(4 * count), cell: new Float64Array(count), h: new Float64Array(count) };
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < H; j++) {
        // as src/ops/lstm.ts's float32 loop: every operation rounded
        const i = sigmoid(pre[at(b, 0, j)]!);
        const f = sigmoid(pre[at(b, 1, j)]!);
        const g = tanh(pre[at(b, 2, j)]!);
        const o = sigmoid(pre[at(b, 3, j)]!);
        [want.gates[at(b, 0, j)], want.gates[at(b, 1, j)], want.gates[at(b, 2, j)], want.gates[at(b, 3, j)]] = [i, f, g, o];
        const c = fround(fround(f * cPrev[b * H + j]!) + fround(i * g));
        want.cell[b * H + j] = c;
        want.h[b * H + j] = fround(o * tanh(c));
      }
    }
    expectSameBits("gates", gates, want.gates);
    expectSameBits("c", cell, want.cell);
    expectSameBits("h", h, want.h);
  });

  it("gru_forward_f32 stores bit for bit what the JavaScript helpers and loop store, over 300 000 values per gate", () => {
    const [sigmoid, tanh] = [javascriptSigmoid(), javascriptTanh()];
    const { memory, kernels } = gateModule(160);
    const rows = 2;
    const H = count / rows;
    const values = testValues(count);
    const gates = new Float32Array(memory.buffer, 0, 3 * count);
    const hidden = new Float32Array(memory.buffer, 12 * count, 3 * count);
    const hPrev = new Float32Array(memory.buffer, 24 * count, count);
    const h = new Float32Array(memory.buffer, 28 * count, count);
    const at = (b: number, k: number, j: number) => (b * 3 + k) * H + j;
    for (let b = 0; b < rows; b++) {
      for (let k = 0; k < 3; k++) {
        for (let j = 0; j < H; j++) {
          gates[at(b, k, j)] = values[(b * H + j + k * 1000) % count]! / 2;
          hidden[at(b, k, j)] = values[(b * H + j + k * 3000 + 7) % count]! / 2;
        }
      }
    }
    hPrev.set(values.map((x) => x / 5));
    const pre = gates.slice();
    kernels.gru_forward_f32(0, 12 * count, 24 * count, 28 * count, rows, H, 1);
    const want = { gates: new Float64Array(3 * count), h: new Float64Array(count) };
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < H; j++) {
        // as src/ops/gru.ts's float32 loop: every operation rounded
        const r = sigmoid(pre[at(b, 0, j)]! + hidden[at(b, 0, j)]!);
        const z = sigmoid(pre[at(b, 1, j)]! + hidden[at(b, 1, j)]!);
        const n = tanh(fround(pre[at(b, 2, j)]! + fround(r * hidden[at(b, 2, j)]!)));
        [want.gates[at(b, 0, j)], want.gates[at(b, 1, j)], want.gates[at(b, 2, j)]] = [r, z, n];
        want.h[b * H + j] = fround(fround(fround(1 - z) * n) + fround(z * hPrev[b * H + j]!));
      }
    }
    expectSameBits("gates", gates, want.gates);
    expectSameBits("h", h, want.h);
  });

  it("is within 2 float32 ulps of the exact sigmoid, stores 0 below −87 (as PyTorch's float sigmoid), and keeps NaN", () => {
    const sigmoid = javascriptSigmoid();
    const values = testValues(count);
    let worstUlps = 0;
    let notNearest = 0;
    for (const x of values) {
      if (Number.isNaN(x)) {
        expect(sigmoid(x)).toBeNaN();
        continue;
      }
      const exact = exactSigmoid(x);
      const got = sigmoid(x);
      expect(Math.fround(got)).toBe(got); // a float32 value: storing it rounds nothing
      if (x <= -87) {
        expect(got).toBe(0);
        continue;
      }
      const ulps = ulpDistance(got, Math.fround(exact));
      if (ulps > 0) notNearest++;
      worstUlps = Math.max(worstUlps, ulps);
    }
    // every third float32 in ±[1e-10, 87], tried once offline: worst 2 ulps, 19% not the correctly rounded value (28% of these)
    expect(worstUlps).toBeGreaterThan(0);
    expect(worstUlps).toBeLessThanOrEqual(2);
    expect(notNearest / count).toBeLessThan(0.35);
    expect([sigmoid(Infinity), sigmoid(-Infinity), sigmoid(0), sigmoid(-0), sigmoid(-104), sigmoid(104), sigmoid(-87), sigmoid(87)]).toEqual([1, 0, 0.5, 0.5, 0, 1, 0, 1]);
  });

  it("fits, as the baseline matrix kernels do, in the 4 KB a browser compiles synchronously", () => {
    // (the gate kernels have no fallback; the relaxed matrix kernels may be larger, with the baseline as theirs)
    for (const cell of GATE_CELLS) expect(buildGateKernels(cell).bytes.length).toBeLessThanOrEqual(SYNC_MODULE_LIMIT);
    expect(buildKernels("float32", "baseline").bytes.length).toBeLessThanOrEqual(SYNC_MODULE_LIMIT);
  });
});
