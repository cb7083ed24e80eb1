import { remembered } from "./memo.ts";
import { ModuleBuilder, type EncodedFunction } from "./encoder.ts";
import { SYNC_MODULE_LIMIT, elementwiseListing, kernelsWat } from "./kernels/listing.ts";
import { defineTanhF32 } from "./kernels/tanh.ts";
import { defineTanhBackward } from "./kernels/tanh-backward.ts";
import { defineBiasSums } from "./kernels/bias-sums.ts";

/**
 * The float32 rnn's elementwise kernels and the recurrent layers' bias-gradient sums, as a third small WebAssembly module beside the matrix kernels (kernels.ts)
 * and the LSTM/GRU gate kernels (gates.ts), each of which is close to the 4 KB a browser compiles synchronously on
 * its main thread. It imports the same memory as `env.memory` and exports, pointers as byte offsets, counts multiples of 4:
 *
 *   tanh_f32(p, count)                       x ← tanh(x) in place (kernels/tanh.ts)
 *   tanh_backward_f32(dPre, dOut, h, count)  dPre = flush(dOut·(1 − h²)) (kernels/tanh-backward.ts)
 *   bias_sums_f32(src, rows, cols, dstA, dstB, both)  dst[j] += Σ_r src[r][j], rnn, LSTM and GRU (kernels/bias-sums.ts)
 *
 * tanh and its derivative compute in float32, four lanes at a time, the bias sums in doubles: exactly the operations
 * of the generated JavaScript's float32 `tanh` and `flush` helpers and of the rnn's backward and bias-gradient loops,
 * in the same order, so they store the same float32 bits (test/kernels-activations.test.ts).
 * Baseline SIMD only, no fused multiply-add: one variant for every engine.
 */
export interface ActivationKernels {
  readonly bytes: Uint8Array;
  readonly listing: string;
}

const built = new Map<string, ActivationKernels>();

export function buildActivationKernels(sharedMemory = false): ActivationKernels {
  return remembered(built, [sharedMemory], () => build(sharedMemory));
}

function build(sharedMemory: boolean): ActivationKernels {
  const { bytes, functions } = assemble(sharedMemory);
  if (bytes.length > SYNC_MODULE_LIMIT) throw new Error(`activation kernels: ${bytes.length} bytes, over ${SYNC_MODULE_LIMIT}`);
  const listing = elementwiseListing("rnnc activation kernels", bytes, functions);
  // threaded modules (src/emit/threads): the same code over a shared memory
  return { bytes, listing: sharedMemory ? listing.replace("(memory 0))", "(memory 0 65536 shared))") : listing };
}

/** The module's full WAT-like text, for review. */
export function activationKernelsText(): string {
  const { bytes, functions } = assemble();
  return kernelsWat(bytes, functions);
}

function assemble(sharedMemory = false): { bytes: Uint8Array; functions: EncodedFunction[] } {
  const mod = new ModuleBuilder().importMemory("env", "memory", 0, sharedMemory);
  defineTanhF32(mod);
  defineTanhBackward(mod);
  defineBiasSums(mod);
  return mod.encode();
}
