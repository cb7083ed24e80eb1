import { CodeBlockWriter, ts } from "ts-morph";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { emitTanh } from "../src/emit/math.ts";
import { buildKernels, type KernelVariant } from "../src/emit/wasm/kernels.ts";
import { wasm } from "./wasm/harness.ts";
import { uniform } from "./helpers/uniform.ts";

/**
 * tanh_f32 (src/emit/wasm/kernels/tanh.ts) must store exactly what the generated JavaScript's float32 `tanh` helper
 * stores, whose text is taken from the emitter itself (src/emit/math.ts), so that the two cannot drift apart.
 */
setFlagsFromString("--experimental-wasm-relaxed-simd");

/** The module over a fresh memory of `pages` pages, and its tanh_f32. */
function instantiate(variant: KernelVariant, pages: number): { memory: { readonly buffer: ArrayBuffer }; tanh_f32: (p: number, count: number) => void } {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const { exports } = new wasm.Instance(new wasm.Module(buildKernels("float32", variant).bytes), { env: { memory } });
  const tanh = exports["tanh_f32"];
  if (typeof tanh !== "function") throw new Error("no tanh_f32 export");
  return { memory, tanh_f32: tanh as (p: number, count: number) => void };
}

function javascriptTanh(): (x: number) => number {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitTanh("float32", writer);
  const js = ts.transpileModule(writer.toString(), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function(`${js}\nreturn tanh;`)() as (x: number) => number;
}

describe.each(["baseline", "relaxed"] as const)("tanh_f32, %s kernels", (variant: KernelVariant) => {
  it("stores bit for bit what the float32 tanh helper stores, on special values and 200 000 values across its range", () => {
    const tanh = javascriptTanh();
    const { memory, tanh_f32 } = instantiate(variant, 16);
    const threshold = 7.90531110763549805;
    const specials = [0, -0, NaN, Infinity, -Infinity, threshold, -threshold, Math.fround(threshold) * (1 + 2 ** -23), 0.0004, -0.0004, 0.00039999, 1e-40, -1e-45, 3.4e38, -3.4e38, 0.5, -0.5, 1, -1, 20];
    const random = uniform(12);
    const count = 200_000;
    const values = new Float32Array(memory.buffer, 64, count + 4);
    for (let i = 0; i < count; i++) values[i] = i < specials.length ? specials[i]! : (random() - 0.5) * 20 * random() ** 3;
    values.fill(123, count); // past the end: must stay
    const want = values.slice(0, count).map((x) => tanh(x));
    tanh_f32(64, count);
    for (let i = 0; i < count; i++) {
      if (!(Object.is(values[i], want[i]) || (Number.isNaN(values[i]) && Number.isNaN(want[i])))) throw new Error(`tanh(${values[i]}) at ${i}: wasm ${values[i]}, JavaScript ${want[i]}`);
    }
    expect(Array.from(values.subarray(count))).toEqual([123, 123, 123, 123]);
  });

  it("leaves the last count mod 4 values as they are", () => {
    const { memory, tanh_f32 } = instantiate(variant, 1);
    const values = new Float32Array(memory.buffer, 0, 7).fill(0.5);
    tanh_f32(0, 7);
    expect(Array.from(values)).toEqual([...Array(4).fill(Math.fround(javascriptTanh()(0.5))), 0.5, 0.5, 0.5]);
  });
});
