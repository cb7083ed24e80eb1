import { CodeBlockWriter, ts } from "ts-morph";
import { describe, it } from "vitest";
import { emitFlush, emitTanh } from "../src/emit/math.ts";
import { buildGateKernels, type GateCell } from "../src/emit/wasm/gates.ts";
import { wasm } from "./wasm/harness.ts";
import { uniform } from "./helpers/uniform.ts";

/**
 * The gate kernels' backward passes store bit for bit what the generated JavaScript float32 loops store (the formulas of
 * src/ops/lstm.ts and src/ops/gru.ts, every operation rounded, with the float32 `tanh` and `flush` helpers taken from the emitter itself), over
 * 200 000 values per buffer at every magnitude: tiny gradients that `flush` zeroes, huge ones, ±0, NaN, ±∞.
 */

function helper(emit: (precision: "float32", w: CodeBlockWriter) => void, name: string): (x: number) => number {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emit("float32", writer);
  const js = ts.transpileModule(writer.toString(), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn ${name};`)() as (x: number) => number;
}

interface BackwardKernels {
  lstm_backward_f32(gates: number, cell: number, cPrev: number, dh: number, dCell: number, dGates: number, batch: number, H: number, hasPrev: number): void;
  gru_backward_f32(gates: number, hidden: number, hPrev: number, dh: number, dhPrev: number, dGates: number, dHidden: number, batch: number, H: number, hasPrev: number): void;
}

const SPECIALS = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-38, 1e-31, -1e-29, 0.5, -1, 3.4e38];

/** `count` float32 values: specials, then mostly gate-like values in (−1, 1), some ±2^u for u in [−110, 10]. */
function values(count: number, seed: number): Float32Array {
  const random = uniform(seed);
  return Float32Array.from({ length: count }, (_, i) => {
    if (i < SPECIALS.length && seed === 1) return SPECIALS[i]!;
    return i % 3 === 0 ? (random() < 0.5 ? -1 : 1) * 2 ** (-110 + 120 * random()) : 2 * random() - 1;
  });
}

/** Float32 views at consecutive places in one memory. */
function layout(buffer: ArrayBuffer, lengths: readonly number[]): { views: Float32Array[]; at: number[] } {
  const at: number[] = [];
  let next = 0;
  for (const length of lengths) {
    at.push(next);
    next += 4 * length;
  }
  return { views: lengths.map((length, k) => new Float32Array(buffer, at[k], length)), at };
}

const fround = Math.fround;
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

function expectSameBits(what: string, got: Float32Array, want: ArrayLike<number>): void {
  for (let i = 0; i < got.length; i++) if (!same(got[i]!, Math.fround(want[i]!))) throw new Error(`${what} at ${i}: wasm ${got[i]}, JavaScript ${Math.fround(want[i]!)}`);
}

describe("the gate kernels' backward passes against the JavaScript loops", () => {
  const rows = 2;
  const H = 100_000;
  const count = rows * H;
  const tanh = helper(emitTanh, "tanh");
  const flush = helper(emitFlush, "flush");
  const memory = new wasm.Memory({ initial: 200, maximum: 200 });
  const exportsOf = (cell: GateCell): object => new wasm.Instance(new wasm.Module(buildGateKernels(cell).bytes), { env: { memory } }).exports;
  const kernels = { ...exportsOf("lstm"), ...exportsOf("gru") } as unknown as BackwardKernels;

  it("lstm_backward_f32", () => {
    const { views, at } = layout(memory.buffer, [4 * count, count, count, count, count, 4 * count]);
    const [gates, cell, cPrev, dy, dCell, dGates] = views as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    gates.set(values(4 * count, 1));
    cell.set(values(count, 2).map((x) => 3 * x));
    cPrev.set(values(count, 3));
    dy.set(values(count, 4));
    dCell.set(values(count, 5));
    const [gatesIn, dCellIn] = [gates.slice(), dCell.slice()];
    kernels.lstm_backward_f32(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, rows, H, 1);
    const want = { dGates: new Float64Array(4 * count), dCell: new Float64Array(count) };
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < H; j++) {
        const gate = b * 4 * H;
        const state = b * H;
        // as src/ops/lstm.ts's backward loop
        const i = gatesIn[gate + j]!;
        const f = gatesIn[gate + H + j]!;
        const g = gatesIn[gate + 2 * H + j]!;
        const o = gatesIn[gate + 3 * H + j]!;
        const tanhC = tanh(cell[state + j]!);
        const dh = dy[state + j]!;
        const dc = fround(dCellIn[state + j]! + fround(fround(dh * o) * fround(1 - fround(tanhC * tanhC))));
        const prev = cPrev[state + j]!;
        want.dGates[gate + j] = flush(fround(fround(fround(dc * g) * i) * fround(1 - i)));
        want.dGates[gate + H + j] = flush(fround(fround(fround(dc * prev) * f) * fround(1 - f)));
        want.dGates[gate + 2 * H + j] = flush(fround(fround(dc * i) * fround(1 - fround(g * g))));
        want.dGates[gate + 3 * H + j] = flush(fround(fround(fround(dh * tanhC) * o) * fround(1 - o)));
        want.dCell[state + j] = flush(fround(dc * f));
      }
    }
    expectSameBits("dGates", dGates, want.dGates);
    expectSameBits("dCell", dCell, want.dCell);
  });

  it("gru_backward_f32", () => {
    const { views, at } = layout(memory.buffer, [3 * count, 3 * count, count, count, count, 3 * count, 3 * count]);
    const [gates, hidden, hPrev, dy, dyPrev, dGates, dHidden] = views as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    gates.set(values(3 * count, 1));
    hidden.set(values(3 * count, 2).map((x) => 2 * x));
    hPrev.set(values(count, 3));
    dy.set(values(count, 4));
    dyPrev.set(values(count, 5));
    const dyPrevIn = dyPrev.slice();
    kernels.gru_backward_f32(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, at[6]!, rows, H, 1);
    const want = { dGates: new Float64Array(3 * count), dHidden: new Float64Array(3 * count), dyPrev: new Float64Array(count) };
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < H; j++) {
        const gate = b * 3 * H;
        const base = b * H;
        // as src/ops/gru.ts's backward loop
        const r = gates[gate + j]!;
        const z = gates[gate + H + j]!;
        const n = gates[gate + 2 * H + j]!;
        const dh = dy[base + j]!;
        const prev = hPrev[base + j]!;
        const dn = flush(fround(fround(dh * fround(1 - z)) * fround(1 - fround(n * n))));
        const dr = flush(fround(fround(fround(dn * hidden[gate + 2 * H + j]!) * r) * fround(1 - r)));
        const dz = flush(fround(fround(fround(dh * fround(prev - n)) * z) * fround(1 - z)));
        [want.dGates[gate + j], want.dGates[gate + H + j], want.dGates[gate + 2 * H + j]] = [dr, dz, dn];
        [want.dHidden[gate + j], want.dHidden[gate + H + j], want.dHidden[gate + 2 * H + j]] = [dr, dz, flush(fround(dn * r))];
        want.dyPrev[base + j] = fround(dyPrevIn[base + j]! + flush(fround(dh * z)));
      }
    }
    expectSameBits("dGates", dGates, want.dGates);
    expectSameBits("dHidden", dHidden, want.dHidden);
    expectSameBits("dh_prev", dyPrev, want.dyPrev);
  });
});
