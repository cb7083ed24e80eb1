import type { FunctionBuilder, Local } from "../encoder.ts";
import { splat32 } from "./sigmoid.ts";
import { tanhQuads } from "./tanh.ts";

/**
 * tanh and flush as the backward gate kernels use them: each replaces the v128 (four float32 values) on top of the stack by its
 * image, written in place rather than called: a call per pair of values cost (when they computed in doubles) 10–16% of an lstm-medium training step
 * (measured against the same helpers as functions of the module). Uses within one kernel share their scratch locals.
 * (The forward kernels write their σ and tanh as interleaved chains: sigmoidQuads, tanhQuads.)
 */
export type Apply = (f: FunctionBuilder) => void;

export interface GateHelpers {
  readonly tanh: Apply;
  readonly flush: Apply;
}

/** Each kernel's v128 scratch locals, by name, declared on first use. */
const scratchLocals = new WeakMap<FunctionBuilder, Map<string, Local>>();

function scratch(f: FunctionBuilder, name: string): Local {
  const locals = scratchLocals.get(f) ?? new Map<string, Local>();
  scratchLocals.set(f, locals);
  const existing = locals.get(name);
  if (existing !== undefined) return existing;
  const local = f.local(`inline_${name}`, "v128");
  locals.set(name, local);
  return local;
}

export const GATE_HELPERS: GateHelpers = {
  tanh: (f) => {
    const x = scratch(f, "tanh_x");
    f.set(x);
    tanhQuads(f, [{ x, x2: scratch(f, "tanh_x2"), p: scratch(f, "tanh_p"), q: scratch(f, "tanh_q") }]);
    f.get(x);
  },
  // |v| < 1e-30 → 0, as the generated code's `flush` (NaN and ±∞ pass through); a float32 v is below 1e-30 exactly
  // when it is below fround(1e-30), which lies above 1e-30
  flush: (f) => {
    const v = scratch(f, "flush_v");
    f.set(v);
    splat32(f, 0);
    f.get(v).get(v).simd("f32x4.abs");
    splat32(f, Math.fround(1e-30));
    f.simd("f32x4.lt").simd("v128.bitselect");
  },
};
