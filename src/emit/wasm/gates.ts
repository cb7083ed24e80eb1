import { remembered } from "./memo.ts";
import { ModuleBuilder, type EncodedFunction } from "./encoder.ts";
import { GATE_HELPERS } from "./kernels/gates-helpers.ts";
import { defineGru } from "./kernels/gates-gru.ts";
import { defineLstm } from "./kernels/gates-lstm.ts";
import { SYNC_MODULE_LIMIT, elementwiseListing, kernelsWat } from "./kernels/listing.ts";

/**
 * The float32 elementwise kernels of the LSTM and of the GRU, one small WebAssembly module per cell beside the matrix
 * kernels (kernels.ts; a module must stay ≤ 4 KB for older browsers to compile it synchronously on the main thread).
 * Each imports the same memory as `env.memory` and exports, pointers as byte offsets, H a multiple of 4:
 *
 *   lstm: lstm_forward_f32(…), lstm_backward_f32(…)   one time step's gate passes (kernels/gates-lstm.ts)
 *   gru:  gru_forward_f32(…), gru_backward_f32(…)     the same for the GRU (kernels/gates-gru.ts)
 *
 * Each computes in float32, four values at a time (f32x4), exactly the operations of the generated JavaScript's float32
 * loops (every operation rounded with Math.fround) and its float32 `sigmoid`, `tanh` and `flush` helpers, in the same
 * order, so the stored values are the same bits (test/kernels-gates.test.ts); as PyTorch's float cells, they compute in
 * float32 throughout. Baseline SIMD only, no fused multiply-add: one variant for every engine.
 */
export interface GateKernels {
  readonly bytes: Uint8Array;
  readonly listing: string;
}

export type GateCell = "lstm" | "gru";
export const GATE_CELLS: readonly GateCell[] = ["lstm", "gru"];

export { SYNC_MODULE_LIMIT } from "./kernels/listing.ts";

const built = new Map<string, GateKernels>();

export function buildGateKernels(cell: GateCell, sharedMemory = false): GateKernels {
  return remembered(built, [cell, sharedMemory], () => build(cell, sharedMemory));
}

function build(cell: GateCell, sharedMemory: boolean): GateKernels {
  const { bytes, functions } = assemble(cell, sharedMemory);
  if (bytes.length > SYNC_MODULE_LIMIT) throw new Error(`${cell} gate kernels: ${bytes.length} bytes, over ${SYNC_MODULE_LIMIT}`);
  const listing = elementwiseListing(`rnnc ${cell} gate kernels`, bytes, functions);
  // threaded modules (src/emit/threads): the same code over a shared memory
  return { bytes, listing: sharedMemory ? listing.replace("(memory 0))", "(memory 0 65536 shared))") : listing };
}

/** The module's full WAT-like text, for review. */
export function gateKernelsText(cell: GateCell): string {
  const { bytes, functions } = assemble(cell);
  return kernelsWat(bytes, functions);
}

function assemble(cell: GateCell, sharedMemory = false): { bytes: Uint8Array; functions: EncodedFunction[] } {
  const mod = new ModuleBuilder().importMemory("env", "memory", 0, sharedMemory);
  if (cell === "lstm") defineLstm(mod, GATE_HELPERS);
  else defineGru(mod, GATE_HELPERS);
  return mod.encode();
}
