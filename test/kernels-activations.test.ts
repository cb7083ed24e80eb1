import { CodeBlockWriter, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { emitFlush, emitTanh } from "../src/emit/math.ts";
import { activationKernelsText, buildActivationKernels } from "../src/emit/wasm/activations.ts";
import { SYNC_MODULE_LIMIT } from "../src/emit/wasm/kernels/listing.ts";
import { preActivationGradient } from "../src/ops/rnn.ts";
import { wasm } from "./wasm/harness.ts";
import { uniform } from "./helpers/uniform.ts";

/**
 * The activation kernels (src/emit/wasm/activations.ts) must store exactly what the generated JavaScript stores:
 * tanh_f32 what the float32 `tanh` helper stores, tanh_backward_f32 what the rnn's backward loop
 * `dPre = flush(dOut·(1 − h²))` stores. The helpers' and the loop's text is taken from the emitter itself
 * (src/emit/math.ts, src/ops/rnn.ts), so that they cannot drift apart.
 */

interface Activations {
  memory: { readonly buffer: ArrayBuffer };
  tanh_f32: (p: number, count: number) => void;
  tanh_backward_f32: (dPre: number, dOut: number, h: number, count: number) => void;
  bias_sums_f32: (src: number, rows: number, cols: number, dstA: number, dstB: number, both: number) => void;
}

/** The module over a fresh memory of `pages` pages. */
function instantiate(pages: number): Activations {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(buildActivationKernels().bytes), { env: { memory } });
  const { tanh_f32, tanh_backward_f32, bias_sums_f32 } = exports as Partial<Activations>;
  if (typeof tanh_f32 !== "function" || typeof tanh_backward_f32 !== "function" || typeof bias_sums_f32 !== "function") throw new Error("missing exports");
  return { memory, tanh_f32, tanh_backward_f32, bias_sums_f32 };
}

/** The generated float32 helpers, compiled from the emitter's text. */
function javascriptHelpers(): { tanh: (x: number) => number; flush: (x: number) => number } {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitTanh("float32", writer);
  emitFlush("float32", writer);
  const js = ts.transpileModule(writer.toString(), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn { tanh, flush };`)() as { tanh: (x: number) => number; flush: (x: number) => number };
}

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
const threshold = 7.90531110763549805;
const SPECIALS = [0, -0, NaN, Infinity, -Infinity, threshold, -threshold, Math.fround(threshold) * (1 + 2 ** -23), 0.0004, -0.0004, 0.00039999, 1e-40, -1e-45, 3.4e38, -3.4e38, 0.5, -0.5, 1, -1, 20];

describe("activation kernels", () => {
  it("are a valid module under 4 KB that imports env.memory and exports its three kernels, with no FMA", () => {
    const { bytes, listing } = buildActivationKernels();
    expect(bytes.length).toBeLessThanOrEqual(SYNC_MODULE_LIMIT);
    const module = new wasm.Module(bytes);
    expect(wasm.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    expect(wasm.Module.exports(module).map((e) => e.name)).toEqual(["tanh_f32", "tanh_backward_f32", "bias_sums_f32"]);
    expect(listing).toContain(`${bytes.length} bytes`);
    expect(activationKernelsText()).not.toMatch(/relaxed|fma/);
    expect(buildActivationKernels().bytes).toEqual(bytes);
  });

  it("tanh_f32 stores bit for bit what the float32 tanh helper stores, on special values and 200 000 values across its range", () => {
    const { tanh } = javascriptHelpers();
    const { memory, tanh_f32 } = instantiate(16);
    const random = uniform(12);
    const count = 200_000;
    const values = new Float32Array(memory.buffer, 64, count + 4);
    for (let i = 0; i < count; i++) values[i] = i < SPECIALS.length ? SPECIALS[i]! : (random() - 0.5) * 20 * random() ** 3;
    values.fill(123, count); // past the end: must stay
    const want = values.slice(0, count).map((x) => tanh(x));
    tanh_f32(64, count);
    for (let i = 0; i < count; i++) if (!same(values[i]!, want[i]!)) throw new Error(`tanh at ${i}: wasm ${values[i]}, JavaScript ${want[i]}`);
    expect(Array.from(values.subarray(count))).toEqual([123, 123, 123, 123]);
  });

  it("the float32 tanh (evaluated in float32) is within 7 ulps of Math.tanh rounded to float32, and exact at its special values", () => {
    const { tanh } = javascriptHelpers();
    const bits = new Int32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    const ordinal = (x: number): number => {
      asFloat[0] = x;
      return bits[0]! < 0 ? -(bits[0]! & 0x7fffffff) : bits[0]!;
    };
    const random = uniform(5);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = Math.fround((random() - 0.5) * 20 * random() ** 3);
      const got = tanh(x);
      expect(Math.fround(got)).toBe(got); // a float32 value: storing it rounds nothing
      worst = Math.max(worst, Math.abs(ordinal(got) - ordinal(Math.fround(Math.tanh(x)))));
    }
    // Every positive float32 from 0.0004 to 8, tried once offline: worst 7 ulps (at 5.74, where tanh ≈ 1 − 2e-5, so
    // 4e-7 absolute); evaluated in doubles, as before, 5. Odd in x, so the negatives are the same.
    expect(worst).toBeGreaterThan(0); // a sample this size meets the approximation's error somewhere: the check can fail
    expect(worst).toBeLessThanOrEqual(7);
    expect([tanh(0), tanh(20), tanh(-20), tanh(Infinity), tanh(-Infinity), tanh(1e-30)]).toEqual([0, 1, -1, 1, -1, Math.fround(1e-30)]);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(NaN)).toBeNaN();
  });

  it.each([4, 7, 8, 12, 13, 20])("tanh_f32 over %i values activates the first count − count mod 4, in 8s then 4s, and leaves the rest", (count) => {
    const { memory, tanh_f32 } = instantiate(1);
    const values = new Float32Array(memory.buffer, 0, count + 4).fill(0.5);
    tanh_f32(0, count);
    const done = count - (count % 4);
    const t = Math.fround(javascriptHelpers().tanh(0.5));
    expect(Array.from(values)).toEqual([...Array<number>(done).fill(t), ...Array<number>(count + 4 - done).fill(0.5)]);
  });

  it("tanh_backward_f32 stores bit for bit what the rnn's backward loop stores, subnormal-born gradients flushed, in place too", () => {
    const { tanh, flush } = javascriptHelpers();
    const { memory, tanh_backward_f32 } = instantiate(32);
    const random = uniform(7);
    const count = 100_000;
    const [dPre, dOut, h] = [0, 1, 2].map((i) => new Float32Array(memory.buffer, 64 + i * 4 * (count + 4), count + 4)) as [Float32Array, Float32Array, Float32Array];
    for (let i = 0; i < count; i++) {
      h[i] = i < SPECIALS.length ? Math.fround(tanh(SPECIALS[i]!)) : Math.fround(tanh((random() - 0.5) * 20));
      // gradients across many magnitudes, some near the flush bound (1e-30) and into float32's subnormals
      dOut[i] = i < SPECIALS.length ? SPECIALS[(i + 3) % SPECIALS.length]! : (random() - 0.5) * 10 ** (-45 * random());
    }
    dPre.fill(123);
    const gradient = new Function("flush", "dOut", "h", `return ${preActivationGradient("tanh", "float32", "dOut")};`) as (flush: (x: number) => number, dOut: number, h: number) => number;
    const want = Array.from({ length: count }, (_, i) => Math.fround(gradient(flush, dOut[i]!, h[i]!)));
    expect(want.filter((v) => v === 0).length).toBeGreaterThan(1000); // the bound is exercised
    tanh_backward_f32(dPre.byteOffset, dOut.byteOffset, h.byteOffset, count);
    for (let i = 0; i < count; i++) if (!same(dPre[i]!, want[i]!)) throw new Error(`at ${i}: wasm ${dPre[i]}, JavaScript ${want[i]}`);
    expect(Array.from(dPre.subarray(count))).toEqual([123, 123, 123, 123]);
    // in place (dPre = dOut)
    tanh_backward_f32(dOut.byteOffset, dOut.byteOffset, h.byteOffset, count);
    for (let i = 0; i < count; i++) if (!same(dOut[i]!, want[i]!)) throw new Error(`in place at ${i}: wasm ${dOut[i]}, JavaScript ${want[i]}`);
  });

  it.each([
    [1000, 128],
    [777, 36],
    [5, 20],
    [1, 4],
    [0, 16],
  ])("bias_sums_f32 over %i rows of %i columns adds what the bias-gradient loop adds, into one gradient or two", (rows, cols) => {
    const { memory, bias_sums_f32 } = instantiate(9);
    const random = uniform(rows * 1000 + cols);
    const src = new Float32Array(memory.buffer, 64, rows * cols);
    // values of many magnitudes and signs, so the order of the sums shows in the last bits
    for (let i = 0; i < src.length; i++) src[i] = (random() - 0.5) * 10 ** (6 * random() - 3);
    const [dstA, dstB] = [0, 1].map((i) => new Float32Array(memory.buffer, 64 + 4 * rows * cols + i * 4 * (cols + 4), cols + 4)) as [Float32Array, Float32Array];
    for (let j = 0; j < cols; j++) {
      dstA[j] = random() - 0.5;
      dstB[j] = j === 0 ? -0 : random() - 0.5;
    }
    dstA.fill(123, cols);
    dstB.fill(123, cols);
    // the loop in src/ops/recurrent/steps.ts: a double per column, rows in order, then `grad[j] += sum`
    const sums = Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += src[r * cols + j]!;
      return sum;
    });
    const wantA = Array.from({ length: cols }, (_, j) => Math.fround(dstA[j]! + sums[j]!));
    const wantB = Array.from({ length: cols }, (_, j) => Math.fround(dstB[j]! + sums[j]!));
    const [beforeA, beforeB] = [dstA.slice(), dstB.slice()];
    bias_sums_f32(src.byteOffset, rows, cols, dstA.byteOffset, dstB.byteOffset, 1);
    for (let j = 0; j < cols; j++) {
      if (!Object.is(dstA[j], wantA[j]) || !Object.is(dstB[j], wantB[j])) throw new Error(`column ${j}: ${dstA[j]}, ${dstB[j]} against ${wantA[j]}, ${wantB[j]}`);
    }
    expect(Array.from(dstA.subarray(cols))).toEqual([123, 123, 123, 123]);
    expect(Array.from(dstB.subarray(cols))).toEqual([123, 123, 123, 123]);
    // both = 0: dstB untouched
    dstA.set(beforeA);
    dstB.set(beforeB);
    bias_sums_f32(src.byteOffset, rows, cols, dstA.byteOffset, dstB.byteOffset, 0);
    expect(Array.from(dstA.subarray(0, cols))).toEqual(wantA);
    expect(Array.from(dstB)).toEqual(Array.from(beforeB));
  });
});
