import type { FunctionBuilder, Local } from "../encoder.ts";
import { splat } from "./sigmoid.ts";
import { tanhPair } from "./tanh.ts";

/**
 * tanh and flush as the backward gate kernels use them: each replaces the v128 (two doubles) on top of the stack by its
 * image, written in place rather than called: a call per pair of values cost 10–16% of an lstm-medium training step
 * (measured against the same helpers as functions of the module). Uses within one kernel share their scratch locals.
 * (The forward kernels write their σ and tanh as interleaved chains: sigmoidPairs, tanhPairs.)
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
    tanhPair(f, x, scratch(f, "tanh_x2"), scratch(f, "tanh_p"), scratch(f, "tanh_q"));
    f.get(x);
  },
  // |v| < 1e-30 → 0, as the generated code's `flush` (NaN and ±∞ pass through)
  flush: (f) => {
    const v = scratch(f, "flush_v");
    f.set(v);
    splat(f, 0);
    f.get(v).get(v).simd("f64x2.abs");
    splat(f, 1e-30);
    f.simd("f64x2.lt").simd("v128.bitselect");
  },
};
