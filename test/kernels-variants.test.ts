import { readdirSync, readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.ts";
import { relaxedSimdProbe } from "../src/emit/wasm/variants.ts";
import { prepareBenchmark } from "../src/runtime/benchmark.ts";
import { loadGeneratedModule } from "../src/runtime/load-module.ts";
import { checkParity } from "./helpers/parity.ts";

/**
 * A generated trainer carries two kernel variants (src/emit/wasm/variants.ts) and picks one when it loads: relaxed SIMD
 * (fused multiply-add) where the engine validates it, the baseline kernels elsewhere. Node 20 has relaxed SIMD behind
 * --experimental-wasm-relaxed-simd, which this file turns on and off (before each module loads) to force each path.
 * test/parity.test.ts runs every PyTorch fixture without the flag, on the baseline kernels; here every fixture runs on
 * the relaxed ones.
 */
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
const relaxedSimd = (on: boolean) => setFlagsFromString(on ? "--experimental-wasm-relaxed-simd" : "--no-experimental-wasm-relaxed-simd");

/** Compiles and loads a spec; `as` names it in the header, so that two loads are two modules (not one, cached by its URL). */
async function load(specPath: string, as: string) {
  const file = compile(readFileSync(specPath, "utf8"), { specPath: as, precision: "float32" }).files[0];
  if (file === undefined) throw new Error(`${specPath} did not compile`);
  return (await loadGeneratedModule(file.content)) as Awaited<ReturnType<typeof loadGeneratedModule>> & { readonly KERNEL_VARIANT?: string };
}

describe("kernel variants", () => {
  it("loads the relaxed kernels where the engine has relaxed SIMD and falls back to the baseline where it has not", async () => {
    relaxedSimd(false);
    const baseline = await load("bench/specs/medium.yaml", "medium-baseline.yaml");
    relaxedSimd(true);
    const relaxed = await load("bench/specs/medium.yaml", "medium-relaxed.yaml");
    expect(baseline.KERNEL_VARIANT).toBe("baseline");
    expect(relaxed.KERNEL_VARIANT).toBe("relaxed");
    // Both train, to nearly the same losses; with FMA (this machine's CPU) not the same bits: the relaxed path ran.
    const losses = [baseline, relaxed].map((module) => {
      const run = prepareBenchmark(module);
      return Array.from({ length: 5 }, () => run.run(1).lastLoss);
    });
    for (let i = 0; i < 5; i++) expect(Math.abs(losses[0]![i]! - losses[1]![i]!)).toBeLessThan(1e-4);
    const cpuHasFma = /^flags\s*:.*\bfma\b/m.test(readFileSync("/proc/cpuinfo", { encoding: "utf8", flag: "r" }));
    if (cpuHasFma) expect(losses[0]).not.toEqual(losses[1]);
  });

  it("falls back to the baseline where the engine has relaxed SIMD but will not compile the relaxed kernels (Chrome 114, 4 KB)", async () => {
    relaxedSimd(false);
    const baseline = await load("bench/specs/medium.yaml", "medium-baseline-again.yaml");
    relaxedSimd(true);
    const real = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
    let refused = 0;
    /** Chrome 114's main thread: relaxed SIMD validates, but a module over 4 KB does not compile synchronously. */
    class SmallModule extends real.Module {
      constructor(bytes: Uint8Array) {
        if (bytes.byteLength > 4096) {
          refused++;
          throw new RangeError("WebAssembly.Module(): Buffer size exceeds the limit for synchronous compilation");
        }
        super(bytes);
      }
    }
    (globalThis as unknown as { WebAssembly: unknown }).WebAssembly = { ...Object.fromEntries(Object.getOwnPropertyNames(real).map((name) => [name, Reflect.get(real, name)])), Module: SmallModule };
    try {
      const fallback = await load("bench/specs/medium.yaml", "medium-chrome-114.yaml");
      expect(refused).toBe(1); // the relaxed kernels were tried (they are over 4 KB) and refused
      expect(fallback.KERNEL_VARIANT).toBe("baseline");
      const losses = [baseline, fallback].map((module) => {
        const run = prepareBenchmark(module);
        return Array.from({ length: 3 }, () => run.run(1).lastLoss);
      });
      expect(losses[1]).toEqual(losses[0]); // the same bits as a trainer that never saw relaxed SIMD
    } finally {
      (globalThis as unknown as { WebAssembly: unknown }).WebAssembly = real;
    }
  });

  describe.each(readdirSync("test/fixtures").filter((name) => !name.startsWith(".")))("PyTorch parity on the relaxed kernels: %s", (name) => {
    it("trains to PyTorch's losses and final weights, with gradients that match finite differences", async () => {
      relaxedSimd(true);
      expect(wasm.validate(relaxedSimdProbe())).toBe(true); // what the trainer checks when it loads: it loads the relaxed kernels
      expect((await checkParity(`test/fixtures/${name}`)).problems).toEqual([]);
    });
  });
});
