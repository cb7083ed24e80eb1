// Generated from models/co2-forecast.yaml (sha256 cc98e2d259013b3213da8a2d9d404656fa2e68ab3ffa4dfc28b95a896f0be108) — do not edit.
// rnnc 0.1.0: co2-forecast: rnn = rnn(x, 1→16, tanh); last = last_step(rnn); fc = linear(last, 16→1); loss mse(fc, y) over 1 outputs; adam.
// Regenerate with `npx compile models/co2-forecast.yaml`. Self-contained: no imports, runs in Node and browsers.
/** SHA-256 of the spec this module was generated from. */
export const SPEC_SHA256 = "cc98e2d259013b3213da8a2d9d404656fa2e68ab3ffa4dfc28b95a896f0be108";
/** The spec's `name`. */
export const MODEL_NAME = "co2-forecast";
/** Storage type of parameters, activations and float inputs. */
export const PRECISION = "float32";
/** Buffers are sized for this many samples; a batch may be smaller. */
export const MAX_BATCH = 32;
/** Number of learned scalars. */
export const PARAMETER_COUNT = 321;
/** The spec's inputs: the fields of a Batch; an int32 input's `range` is what its values must lie in (`ignore` is skipped by the loss). */
export const INPUTS = [
  { name: "x", shape: ["batch", 12, 1], dtype: "float32" },
  { name: "y", shape: ["batch"], dtype: "float32" },
] as const;
/** The loss and the input that holds its target. */
export const LOSS = { op: "mse", input: "fc", target: "y", task: "regression", outputs: 1 } as const;
/** The optimizer and its hyperparameters, fixed at compile time. */
export const OPTIMIZER = { op: "adam", lr: 0.003, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false } as const;
/** Training settings from the spec; the runtime steps the learning-rate schedule after each epoch. */
export const TRAIN = { epochs: 200, batchSize: 32, seed: 0, warmupEpochs: 0, divergenceFactor: 10000 } as const;
/** Learned tensors by PyTorch state_dict name, where each lives in `Model.parameters`, and PyTorch's default init for it. */
export const PARAMETERS = [
  { name: "rnn.weight_ih_l0", shape: [16, 1], offset: 0, size: 16, init: { distribution: "uniform", bound: 0.25 } },
  { name: "rnn.weight_hh_l0", shape: [16, 16], offset: 16, size: 256, init: { distribution: "uniform", bound: 0.25 } },
  { name: "rnn.bias_ih_l0", shape: [16], offset: 272, size: 16, init: { distribution: "uniform", bound: 0.25 } },
  { name: "rnn.bias_hh_l0", shape: [16], offset: 288, size: 16, init: { distribution: "uniform", bound: 0.25 } },
  { name: "fc.weight", shape: [1, 16], offset: 304, size: 16, init: { distribution: "uniform", bound: 0.25 } },
  { name: "fc.bias", shape: [1], offset: 320, size: 1, init: { distribution: "uniform", bound: 0.25 } },
] as const;
/** A PyTorch state_dict name of this model. */
export type ParameterName = (typeof PARAMETERS)[number]["name"];

/** One mini-batch, batch-first. */
export interface Batch {
  /** [batch, 12, 1] float32, row-major; at least batchSize·12 elements. */
  readonly x: Float32Array;
  /** [batch] float32, row-major; at least batchSize·1 elements. */
  readonly y: Float32Array;
}

/** One time step of each sequence input, for `Model.stream.step`. */
export interface StreamInput {
  /** One step: [batchSize, 1] float32; at least batchSize·1 elements. */
  readonly x: Float32Array;
}

/** Inference one step at a time, each recurrent layer's state carried from call to call (dropout off). */
export interface Stream {
  /** The output of `fc` for this step: the first batchSize·1 elements of a reused buffer. */
  step(input: StreamInput, batchSize: number): Float32Array;
  /** Start every sequence over: zero states. */
  reset(): void;
}

/** The optimizer's step count and its per-parameter state (same layout as the parameters). */
export interface OptimizerState {
  step: number;
  /** The learning rate of the next step; starts at the spec's, and a schedule sets it between epochs. */
  lr: number;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export interface Model {
  /** All parameters, flat, laid out as PARAMETERS says. Write into it to load weights. */
  readonly parameters: Float32Array;
  /** Gradients from the last lossAndGradients call, same layout. */
  readonly gradients: Float32Array;
  /** Each parameter by its PyTorch state_dict name, as a view into `parameters`: reading and writing go through. */
  readonly stateDict: Readonly<Record<ParameterName, Float32Array>>;
  /** Each layer's output from the last forward pass, by node id, in graph order. Sequences are stored time-major, [seq, batchSize, features]; others [batchSize, features]. */
  readonly activations: Readonly<Record<"rnn" | "last" | "fc", Float32Array>>;
  readonly optimizerState: OptimizerState;
  /** Streaming inference, one step per call (the model has no bidirectional layer, lengths or pooling over time). */
  readonly stream: Stream;
  /** The state of the generator that draws dropout masks (seeded by train.seed): copy it out and back in to replay the same masks. */
  readonly randomState: Uint32Array;
  /** Predictions [batchSize, 1] in the first batchSize·1 elements of a reused buffer. Evaluation mode: dropout is off. */
  forward(batch: Batch, batchSize: number): Float32Array;
  /** Mean loss of a batch, without gradients; in evaluation mode unless `training` is true (dropout then draws masks). */
  loss(batch: Batch, batchSize: number, training?: boolean): number;
  /** Mean loss of a batch in training mode; overwrites `gradients` with its gradient (full backpropagation through time). */
  lossAndGradients(batch: Batch, batchSize: number): number;
  /** One adam step from `gradients`. */
  step(): void;
  /** lossAndGradients, then step. Returns the loss before the step. */
  trainStep(batch: Batch, batchSize: number): number;
}
/** The parts of the WebAssembly API the model uses, typed here so the file needs no DOM or Node typings. */
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** Matrix products over byte offsets in the shared memory; leading dimensions in elements; acc = 1 adds into C. */
interface Kernels {
  /** C[m×n] (+)= A[m×k] · B[n×k]ᵀ */
  gemm_nt(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  /** C[m×n] (+)= A[m×k] · B[k×n] */
  gemm_nn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  /** C[m×n] (+)= A[k×m]ᵀ · B[k×n] */
  gemm_tn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/*
 * SIMD matrix-product kernels (float32), 3604 bytes of WebAssembly emitted by rnnc. What they contain:
 * ;; rnnc matrix kernels: float32, 3604 bytes of WebAssembly, baseline SIMD only (no relaxed SIMD, no FMA).
 * ;; Row-major. Pointers are byte offsets into env.memory, leading dimensions are in elements; acc ≠ 0 adds into C,
 * ;; which must not overlap A or B.
 * ;; Sums: nn, tn in order p = 0…k−1, in panels of 256 products, each added to C in turn; nt in 4 partial
 * ;; sums over p mod 4 (the last k mod 4 products into s0), then (s0+s2)+(s1+s3). So C[i][j] depends only on row i
 * ;; of A, column j of B, k and acc: never on m, n or the block it falls in.
 * (module
 *   (import "env" "memory" (memory 0))
 *   (func $gemm_nt (export "gemm_nt") (param $m $n $k $a $lda $b $ldb $c $ldc $acc i32))  ;; C[m×n] (+)= A[m×k]·B[n×k]ᵀ
 *   (func $gemm_nn (export "gemm_nn") (param $m $n $k $a $lda $b $ldb $c $ldc $acc i32))  ;; C[m×n] (+)= A[m×k]·B[k×n]
 *   (func $gemm_tn (export "gemm_tn") (param $m $n $k $a $lda $b $ldb $c $ldc $acc i32))  ;; C[m×n] (+)= A[k×m]ᵀ·B[k×n]
 *   (func $gemm_xn (param $m $n $k $a $rowStride $kStride $b $ldb $c $ldc $acc i32))  ;; nn, tn: A[i][p] at a + i·rowStride + p·kStride (bytes)
 *   (func $xn_4x8 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 4×8 block of C
 *   (func $xn_4x4 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 4×4 block of C
 *   (func $xn_4x1 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 4×1 block of C, lane 0
 *   (func $xn_1x8 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 1×8 block of C
 *   (func $xn_1x4 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 1×4 block of C
 *   (func $xn_1x1 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 1×1 block of C, lane 0
 *   (func $nt_2x4 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 2×4 block of C (the rows may alias)
 *   (func $nt_2x1 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 2×1 block of C (the rows may alias)
 * )
 */
const KERNELS_WASM = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 51, 4, 96, 10, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 0,
  96, 11, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 0, 96, 9, 127, 127, 127, 127, 127, 127, 127, 127,
  127, 0, 96, 8, 127, 127, 127, 127, 127, 127, 127, 127, 0, 2, 15, 1, 3, 101, 110, 118, 6, 109, 101, 109,
  111, 114, 121, 2, 0, 0, 3, 13, 12, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 3, 3, 7, 31, 3,
  7, 103, 101, 109, 109, 95, 110, 116, 0, 0, 7, 103, 101, 109, 109, 95, 110, 110, 0, 1, 7, 103, 101, 109,
  109, 95, 116, 110, 0, 2, 10, 147, 27, 12, 244, 1, 1, 6, 127, 32, 2, 69, 4, 64, 32, 9, 4, 64,
  15, 11, 11, 32, 4, 65, 2, 116, 33, 4, 32, 6, 65, 2, 116, 33, 6, 32, 8, 65, 2, 116, 33, 8,
  2, 64, 3, 64, 32, 10, 32, 0, 72, 69, 13, 1, 32, 4, 65, 0, 32, 0, 32, 10, 107, 65, 2, 78,
  27, 33, 14, 32, 8, 65, 0, 32, 0, 32, 10, 107, 65, 2, 78, 27, 33, 15, 65, 0, 33, 11, 32, 5,
  33, 12, 32, 7, 33, 13, 2, 64, 3, 64, 32, 1, 32, 11, 107, 65, 4, 78, 69, 13, 1, 32, 3, 32,
  12, 32, 13, 32, 2, 32, 14, 32, 6, 32, 15, 32, 9, 16, 10, 32, 11, 65, 4, 106, 33, 11, 32, 12,
  32, 6, 65, 4, 108, 106, 33, 12, 32, 13, 65, 16, 106, 33, 13, 12, 0, 11, 11, 2, 64, 3, 64, 32,
  1, 32, 11, 107, 65, 1, 78, 69, 13, 1, 32, 3, 32, 12, 32, 13, 32, 2, 32, 14, 32, 6, 32, 15,
  32, 9, 16, 11, 32, 11, 65, 1, 106, 33, 11, 32, 12, 32, 6, 65, 1, 108, 106, 33, 12, 32, 13, 65,
  4, 106, 33, 13, 12, 0, 11, 11, 32, 3, 32, 4, 65, 2, 108, 106, 33, 3, 32, 7, 32, 8, 65, 2,
  108, 106, 33, 7, 32, 10, 65, 2, 106, 33, 10, 12, 0, 11, 11, 11, 29, 0, 32, 0, 32, 1, 32, 2,
  32, 3, 32, 4, 65, 2, 116, 65, 4, 32, 5, 32, 6, 32, 7, 32, 8, 32, 9, 16, 3, 11, 29, 0,
  32, 0, 32, 1, 32, 2, 32, 3, 65, 4, 32, 4, 65, 2, 116, 32, 5, 32, 6, 32, 7, 32, 8, 32,
  9, 16, 3, 11, 239, 3, 1, 6, 127, 32, 2, 69, 4, 64, 32, 10, 4, 64, 15, 11, 11, 32, 7, 65,
  2, 116, 33, 7, 32, 9, 65, 2, 116, 33, 9, 32, 1, 65, 2, 116, 33, 16, 3, 64, 65, 128, 2, 32,
  2, 32, 2, 65, 128, 2, 75, 27, 33, 11, 32, 3, 33, 14, 32, 8, 33, 15, 65, 0, 33, 12, 2, 64,
  3, 64, 32, 0, 32, 12, 107, 65, 4, 78, 69, 13, 1, 65, 0, 33, 13, 2, 64, 3, 64, 32, 16, 32,
  13, 107, 65, 32, 78, 69, 13, 1, 32, 14, 32, 6, 32, 13, 106, 32, 15, 32, 13, 106, 32, 11, 32, 4,
  32, 5, 32, 7, 32, 9, 32, 10, 16, 4, 32, 13, 65, 32, 106, 33, 13, 12, 0, 11, 11, 32, 16, 32,
  13, 107, 65, 16, 78, 4, 64, 32, 14, 32, 6, 32, 13, 106, 32, 15, 32, 13, 106, 32, 11, 32, 4, 32,
  5, 32, 7, 32, 9, 32, 10, 16, 5, 32, 13, 65, 16, 106, 33, 13, 11, 2, 64, 3, 64, 32, 16, 32,
  13, 107, 65, 4, 78, 69, 13, 1, 32, 14, 32, 6, 32, 13, 106, 32, 15, 32, 13, 106, 32, 11, 32, 4,
  32, 5, 32, 7, 32, 9, 32, 10, 16, 6, 32, 13, 65, 4, 106, 33, 13, 12, 0, 11, 11, 32, 14, 32,
  4, 65, 4, 108, 106, 33, 14, 32, 15, 32, 9, 65, 4, 108, 106, 33, 15, 32, 12, 65, 4, 106, 33, 12,
  12, 0, 11, 11, 2, 64, 3, 64, 32, 0, 32, 12, 107, 65, 1, 78, 69, 13, 1, 65, 0, 33, 13, 2,
  64, 3, 64, 32, 16, 32, 13, 107, 65, 32, 78, 69, 13, 1, 32, 14, 32, 6, 32, 13, 106, 32, 15, 32,
  13, 106, 32, 11, 32, 4, 32, 5, 32, 7, 32, 9, 32, 10, 16, 7, 32, 13, 65, 32, 106, 33, 13, 12,
  0, 11, 11, 32, 16, 32, 13, 107, 65, 16, 78, 4, 64, 32, 14, 32, 6, 32, 13, 106, 32, 15, 32, 13,
  106, 32, 11, 32, 4, 32, 5, 32, 7, 32, 9, 32, 10, 16, 8, 32, 13, 65, 16, 106, 33, 13, 11, 2,
  64, 3, 64, 32, 16, 32, 13, 107, 65, 4, 78, 69, 13, 1, 32, 14, 32, 6, 32, 13, 106, 32, 15, 32,
  13, 106, 32, 11, 32, 4, 32, 5, 32, 7, 32, 9, 32, 10, 16, 9, 32, 13, 65, 4, 106, 33, 13, 12,
  0, 11, 11, 32, 14, 32, 4, 65, 1, 108, 106, 33, 14, 32, 15, 32, 9, 65, 1, 108, 106, 33, 15, 32,
  12, 65, 1, 106, 33, 12, 12, 0, 11, 11, 32, 3, 32, 5, 32, 11, 108, 106, 33, 3, 32, 6, 32, 7,
  32, 11, 108, 106, 33, 6, 65, 1, 33, 10, 32, 2, 32, 11, 107, 34, 2, 13, 0, 11, 11, 182, 3, 3,
  3, 127, 11, 123, 3, 127, 32, 0, 32, 4, 106, 33, 9, 32, 9, 32, 4, 106, 33, 10, 32, 10, 32, 4,
  106, 33, 11, 2, 64, 32, 3, 69, 13, 0, 3, 64, 32, 1, 253, 0, 2, 0, 33, 12, 32, 1, 253, 0,
  2, 16, 33, 13, 32, 0, 253, 9, 2, 0, 33, 14, 32, 15, 32, 14, 32, 12, 253, 230, 1, 253, 228, 1,
  33, 15, 32, 16, 32, 14, 32, 13, 253, 230, 1, 253, 228, 1, 33, 16, 32, 9, 253, 9, 2, 0, 33, 14,
  32, 17, 32, 14, 32, 12, 253, 230, 1, 253, 228, 1, 33, 17, 32, 18, 32, 14, 32, 13, 253, 230, 1, 253,
  228, 1, 33, 18, 32, 10, 253, 9, 2, 0, 33, 14, 32, 19, 32, 14, 32, 12, 253, 230, 1, 253, 228, 1,
  33, 19, 32, 20, 32, 14, 32, 13, 253, 230, 1, 253, 228, 1, 33, 20, 32, 11, 253, 9, 2, 0, 33, 14,
  32, 21, 32, 14, 32, 12, 253, 230, 1, 253, 228, 1, 33, 21, 32, 22, 32, 14, 32, 13, 253, 230, 1, 253,
  228, 1, 33, 22, 32, 0, 32, 5, 106, 33, 0, 32, 9, 32, 5, 106, 33, 9, 32, 10, 32, 5, 106, 33,
  10, 32, 11, 32, 5, 106, 33, 11, 32, 1, 32, 6, 106, 33, 1, 32, 3, 65, 1, 107, 34, 3, 13, 0,
  11, 11, 32, 2, 32, 7, 106, 33, 23, 32, 23, 32, 7, 106, 33, 24, 32, 24, 32, 7, 106, 33, 25, 32,
  8, 4, 64, 32, 2, 253, 0, 2, 0, 32, 15, 253, 228, 1, 33, 15, 32, 2, 253, 0, 2, 16, 32, 16,
  253, 228, 1, 33, 16, 32, 23, 253, 0, 2, 0, 32, 17, 253, 228, 1, 33, 17, 32, 23, 253, 0, 2, 16,
  32, 18, 253, 228, 1, 33, 18, 32, 24, 253, 0, 2, 0, 32, 19, 253, 228, 1, 33, 19, 32, 24, 253, 0,
  2, 16, 32, 20, 253, 228, 1, 33, 20, 32, 25, 253, 0, 2, 0, 32, 21, 253, 228, 1, 33, 21, 32, 25,
  253, 0, 2, 16, 32, 22, 253, 228, 1, 33, 22, 11, 32, 2, 32, 15, 253, 11, 2, 0, 32, 2, 32, 16,
  253, 11, 2, 16, 32, 23, 32, 17, 253, 11, 2, 0, 32, 23, 32, 18, 253, 11, 2, 16, 32, 24, 32, 19,
  253, 11, 2, 0, 32, 24, 32, 20, 253, 11, 2, 16, 32, 25, 32, 21, 253, 11, 2, 0, 32, 25, 32, 22,
  253, 11, 2, 16, 11, 162, 2, 3, 3, 127, 6, 123, 3, 127, 32, 0, 32, 4, 106, 33, 9, 32, 9, 32,
  4, 106, 33, 10, 32, 10, 32, 4, 106, 33, 11, 2, 64, 32, 3, 69, 13, 0, 3, 64, 32, 1, 253, 0,
  2, 0, 33, 12, 32, 0, 253, 9, 2, 0, 33, 13, 32, 14, 32, 13, 32, 12, 253, 230, 1, 253, 228, 1,
  33, 14, 32, 9, 253, 9, 2, 0, 33, 13, 32, 15, 32, 13, 32, 12, 253, 230, 1, 253, 228, 1, 33, 15,
  32, 10, 253, 9, 2, 0, 33, 13, 32, 16, 32, 13, 32, 12, 253, 230, 1, 253, 228, 1, 33, 16, 32, 11,
  253, 9, 2, 0, 33, 13, 32, 17, 32, 13, 32, 12, 253, 230, 1, 253, 228, 1, 33, 17, 32, 0, 32, 5,
  106, 33, 0, 32, 9, 32, 5, 106, 33, 9, 32, 10, 32, 5, 106, 33, 10, 32, 11, 32, 5, 106, 33, 11,
  32, 1, 32, 6, 106, 33, 1, 32, 3, 65, 1, 107, 34, 3, 13, 0, 11, 11, 32, 2, 32, 7, 106, 33,
  18, 32, 18, 32, 7, 106, 33, 19, 32, 19, 32, 7, 106, 33, 20, 32, 8, 4, 64, 32, 2, 253, 0, 2,
  0, 32, 14, 253, 228, 1, 33, 14, 32, 18, 253, 0, 2, 0, 32, 15, 253, 228, 1, 33, 15, 32, 19, 253,
  0, 2, 0, 32, 16, 253, 228, 1, 33, 16, 32, 20, 253, 0, 2, 0, 32, 17, 253, 228, 1, 33, 17, 11,
  32, 2, 32, 14, 253, 11, 2, 0, 32, 18, 32, 15, 253, 11, 2, 0, 32, 19, 32, 16, 253, 11, 2, 0,
  32, 20, 32, 17, 253, 11, 2, 0, 11, 166, 2, 3, 3, 127, 6, 123, 3, 127, 32, 0, 32, 4, 106, 33,
  9, 32, 9, 32, 4, 106, 33, 10, 32, 10, 32, 4, 106, 33, 11, 2, 64, 32, 3, 69, 13, 0, 3, 64,
  32, 1, 253, 92, 2, 0, 33, 12, 32, 0, 253, 9, 2, 0, 33, 13, 32, 14, 32, 13, 32, 12, 253, 230,
  1, 253, 228, 1, 33, 14, 32, 9, 253, 9, 2, 0, 33, 13, 32, 15, 32, 13, 32, 12, 253, 230, 1, 253,
  228, 1, 33, 15, 32, 10, 253, 9, 2, 0, 33, 13, 32, 16, 32, 13, 32, 12, 253, 230, 1, 253, 228, 1,
  33, 16, 32, 11, 253, 9, 2, 0, 33, 13, 32, 17, 32, 13, 32, 12, 253, 230, 1, 253, 228, 1, 33, 17,
  32, 0, 32, 5, 106, 33, 0, 32, 9, 32, 5, 106, 33, 9, 32, 10, 32, 5, 106, 33, 10, 32, 11, 32,
  5, 106, 33, 11, 32, 1, 32, 6, 106, 33, 1, 32, 3, 65, 1, 107, 34, 3, 13, 0, 11, 11, 32, 2,
  32, 7, 106, 33, 18, 32, 18, 32, 7, 106, 33, 19, 32, 19, 32, 7, 106, 33, 20, 32, 8, 4, 64, 32,
  2, 253, 92, 2, 0, 32, 14, 253, 228, 1, 33, 14, 32, 18, 253, 92, 2, 0, 32, 15, 253, 228, 1, 33,
  15, 32, 19, 253, 92, 2, 0, 32, 16, 253, 228, 1, 33, 16, 32, 20, 253, 92, 2, 0, 32, 17, 253, 228,
  1, 33, 17, 11, 32, 2, 32, 14, 253, 90, 2, 0, 0, 32, 18, 32, 15, 253, 90, 2, 0, 0, 32, 19,
  32, 16, 253, 90, 2, 0, 0, 32, 20, 32, 17, 253, 90, 2, 0, 0, 11, 137, 1, 1, 5, 123, 2, 64,
  32, 3, 69, 13, 0, 3, 64, 32, 1, 253, 0, 2, 0, 33, 9, 32, 1, 253, 0, 2, 16, 33, 10, 32,
  0, 253, 9, 2, 0, 33, 11, 32, 12, 32, 11, 32, 9, 253, 230, 1, 253, 228, 1, 33, 12, 32, 13, 32,
  11, 32, 10, 253, 230, 1, 253, 228, 1, 33, 13, 32, 0, 32, 5, 106, 33, 0, 32, 1, 32, 6, 106, 33,
  1, 32, 3, 65, 1, 107, 34, 3, 13, 0, 11, 11, 32, 8, 4, 64, 32, 2, 253, 0, 2, 0, 32, 12,
  253, 228, 1, 33, 12, 32, 2, 253, 0, 2, 16, 32, 13, 253, 228, 1, 33, 13, 11, 32, 2, 32, 12, 253,
  11, 2, 0, 32, 2, 32, 13, 253, 11, 2, 16, 11, 94, 1, 3, 123, 2, 64, 32, 3, 69, 13, 0, 3,
  64, 32, 1, 253, 0, 2, 0, 33, 9, 32, 0, 253, 9, 2, 0, 33, 10, 32, 11, 32, 10, 32, 9, 253,
  230, 1, 253, 228, 1, 33, 11, 32, 0, 32, 5, 106, 33, 0, 32, 1, 32, 6, 106, 33, 1, 32, 3, 65,
  1, 107, 34, 3, 13, 0, 11, 11, 32, 8, 4, 64, 32, 2, 253, 0, 2, 0, 32, 11, 253, 228, 1, 33,
  11, 11, 32, 2, 32, 11, 253, 11, 2, 0, 11, 95, 1, 3, 123, 2, 64, 32, 3, 69, 13, 0, 3, 64,
  32, 1, 253, 92, 2, 0, 33, 9, 32, 0, 253, 9, 2, 0, 33, 10, 32, 11, 32, 10, 32, 9, 253, 230,
  1, 253, 228, 1, 33, 11, 32, 0, 32, 5, 106, 33, 0, 32, 1, 32, 6, 106, 33, 1, 32, 3, 65, 1,
  107, 34, 3, 13, 0, 11, 11, 32, 8, 4, 64, 32, 2, 253, 92, 2, 0, 32, 11, 253, 228, 1, 33, 11,
  11, 32, 2, 32, 11, 253, 90, 2, 0, 0, 11, 202, 6, 3, 5, 127, 11, 123, 1, 127, 32, 0, 32, 4,
  106, 33, 8, 32, 1, 32, 5, 106, 33, 9, 32, 9, 32, 5, 106, 33, 10, 32, 10, 32, 5, 106, 33, 11,
  32, 3, 65, 2, 118, 33, 12, 2, 64, 32, 12, 69, 13, 0, 3, 64, 32, 0, 253, 0, 2, 0, 33, 13,
  32, 8, 253, 0, 2, 0, 33, 14, 32, 1, 253, 0, 2, 0, 33, 15, 32, 16, 32, 13, 32, 15, 253, 230,
  1, 253, 228, 1, 33, 16, 32, 20, 32, 14, 32, 15, 253, 230, 1, 253, 228, 1, 33, 20, 32, 9, 253, 0,
  2, 0, 33, 15, 32, 17, 32, 13, 32, 15, 253, 230, 1, 253, 228, 1, 33, 17, 32, 21, 32, 14, 32, 15,
  253, 230, 1, 253, 228, 1, 33, 21, 32, 10, 253, 0, 2, 0, 33, 15, 32, 18, 32, 13, 32, 15, 253, 230,
  1, 253, 228, 1, 33, 18, 32, 22, 32, 14, 32, 15, 253, 230, 1, 253, 228, 1, 33, 22, 32, 11, 253, 0,
  2, 0, 33, 15, 32, 19, 32, 13, 32, 15, 253, 230, 1, 253, 228, 1, 33, 19, 32, 23, 32, 14, 32, 15,
  253, 230, 1, 253, 228, 1, 33, 23, 32, 0, 65, 16, 106, 33, 0, 32, 8, 65, 16, 106, 33, 8, 32, 1,
  65, 16, 106, 33, 1, 32, 9, 65, 16, 106, 33, 9, 32, 10, 65, 16, 106, 33, 10, 32, 11, 65, 16, 106,
  33, 11, 32, 12, 65, 1, 107, 34, 12, 13, 0, 11, 11, 32, 3, 65, 3, 113, 33, 12, 2, 64, 32, 12,
  69, 13, 0, 3, 64, 32, 0, 253, 92, 2, 0, 33, 13, 32, 8, 253, 92, 2, 0, 33, 14, 32, 1, 253,
  92, 2, 0, 33, 15, 32, 16, 32, 13, 32, 15, 253, 230, 1, 253, 228, 1, 33, 16, 32, 20, 32, 14, 32,
  15, 253, 230, 1, 253, 228, 1, 33, 20, 32, 9, 253, 92, 2, 0, 33, 15, 32, 17, 32, 13, 32, 15, 253,
  230, 1, 253, 228, 1, 33, 17, 32, 21, 32, 14, 32, 15, 253, 230, 1, 253, 228, 1, 33, 21, 32, 10, 253,
  92, 2, 0, 33, 15, 32, 18, 32, 13, 32, 15, 253, 230, 1, 253, 228, 1, 33, 18, 32, 22, 32, 14, 32,
  15, 253, 230, 1, 253, 228, 1, 33, 22, 32, 11, 253, 92, 2, 0, 33, 15, 32, 19, 32, 13, 32, 15, 253,
  230, 1, 253, 228, 1, 33, 19, 32, 23, 32, 14, 32, 15, 253, 230, 1, 253, 228, 1, 33, 23, 32, 0, 65,
  4, 106, 33, 0, 32, 8, 65, 4, 106, 33, 8, 32, 1, 65, 4, 106, 33, 1, 32, 9, 65, 4, 106, 33,
  9, 32, 10, 65, 4, 106, 33, 10, 32, 11, 65, 4, 106, 33, 11, 32, 12, 65, 1, 107, 34, 12, 13, 0,
  11, 11, 32, 16, 32, 17, 253, 13, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23,
  32, 16, 32, 17, 253, 13, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31, 253, 228,
  1, 33, 16, 32, 18, 32, 19, 253, 13, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22,
  23, 32, 18, 32, 19, 253, 13, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31, 253,
  228, 1, 33, 18, 32, 16, 32, 18, 253, 13, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21,
  22, 23, 32, 16, 32, 18, 253, 13, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31,
  253, 228, 1, 33, 16, 32, 20, 32, 21, 253, 13, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20,
  21, 22, 23, 32, 20, 32, 21, 253, 13, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30,
  31, 253, 228, 1, 33, 20, 32, 22, 32, 23, 253, 13, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7,
  20, 21, 22, 23, 32, 22, 32, 23, 253, 13, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29,
  30, 31, 253, 228, 1, 33, 22, 32, 20, 32, 22, 253, 13, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18,
  19, 20, 21, 22, 23, 32, 20, 32, 22, 253, 13, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28,
  29, 30, 31, 253, 228, 1, 33, 20, 32, 2, 32, 6, 106, 33, 24, 32, 7, 4, 64, 32, 2, 253, 0, 2,
  0, 32, 16, 253, 228, 1, 33, 16, 32, 24, 253, 0, 2, 0, 32, 20, 253, 228, 1, 33, 20, 11, 32, 2,
  32, 16, 253, 11, 2, 0, 32, 24, 32, 20, 253, 11, 2, 0, 11, 211, 3, 3, 2, 127, 5, 123, 1, 127,
  32, 0, 32, 4, 106, 33, 8, 32, 3, 65, 2, 118, 33, 9, 2, 64, 32, 9, 69, 13, 0, 3, 64, 32,
  0, 253, 0, 2, 0, 33, 10, 32, 8, 253, 0, 2, 0, 33, 11, 32, 1, 253, 0, 2, 0, 33, 12, 32,
  13, 32, 10, 32, 12, 253, 230, 1, 253, 228, 1, 33, 13, 32, 14, 32, 11, 32, 12, 253, 230, 1, 253, 228,
  1, 33, 14, 32, 0, 65, 16, 106, 33, 0, 32, 8, 65, 16, 106, 33, 8, 32, 1, 65, 16, 106, 33, 1,
  32, 9, 65, 1, 107, 34, 9, 13, 0, 11, 11, 32, 3, 65, 3, 113, 33, 9, 2, 64, 32, 9, 69, 13,
  0, 3, 64, 32, 0, 253, 92, 2, 0, 33, 10, 32, 8, 253, 92, 2, 0, 33, 11, 32, 1, 253, 92, 2,
  0, 33, 12, 32, 13, 32, 10, 32, 12, 253, 230, 1, 253, 228, 1, 33, 13, 32, 14, 32, 11, 32, 12, 253,
  230, 1, 253, 228, 1, 33, 14, 32, 0, 65, 4, 106, 33, 0, 32, 8, 65, 4, 106, 33, 8, 32, 1, 65,
  4, 106, 33, 1, 32, 9, 65, 1, 107, 34, 9, 13, 0, 11, 11, 32, 13, 32, 13, 253, 13, 0, 1, 2,
  3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 32, 13, 32, 13, 253, 13, 8, 9, 10, 11, 12,
  13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31, 253, 228, 1, 33, 13, 32, 13, 32, 13, 253, 13, 0, 1,
  2, 3, 16, 17, 18, 19, 0, 1, 2, 3, 0, 1, 2, 3, 32, 13, 32, 13, 253, 13, 4, 5, 6, 7,
  20, 21, 22, 23, 4, 5, 6, 7, 4, 5, 6, 7, 253, 228, 1, 33, 13, 32, 14, 32, 14, 253, 13, 0,
  1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 32, 14, 32, 14, 253, 13, 8, 9, 10,
  11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31, 253, 228, 1, 33, 14, 32, 14, 32, 14, 253, 13,
  0, 1, 2, 3, 16, 17, 18, 19, 0, 1, 2, 3, 0, 1, 2, 3, 32, 14, 32, 14, 253, 13, 4, 5,
  6, 7, 20, 21, 22, 23, 4, 5, 6, 7, 4, 5, 6, 7, 253, 228, 1, 33, 14, 32, 2, 32, 6, 106,
  33, 15, 32, 7, 4, 64, 32, 2, 253, 92, 2, 0, 32, 13, 253, 228, 1, 33, 13, 32, 15, 253, 92, 2,
  0, 32, 14, 253, 228, 1, 33, 14, 11, 32, 2, 32, 13, 253, 90, 2, 0, 0, 32, 15, 32, 14, 253, 90,
  2, 0, 0, 11,
]);
/** tanh for float32 storage: Eigen's rational approximation (odd degree-13 / even degree-6), exact to float32 rounding within a few ulps. */
function tanh(x: number): number {
  if (x > 7.90531110763549805) return 1;
  if (x < -7.90531110763549805) return -1;
  if (Math.abs(x) < 0.0004) return x;
  const x2 = x * x;
  let p = -2.76076847742355e-16 * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q = 1.19825839466702e-6 * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (x * p) / q;
}

/** A gradient below 1e-30 in magnitude becomes 0, so float32 never holds a (slow) subnormal; NaN and ±∞ pass through. */
function flush(x: number): number {
  return Math.abs(x) < 1e-30 ? 0 : x;
}

/** A model with its own preallocated parameters, gradients, optimizer state and activations. Training steps allocate nothing. */
export function createModel(): Model {
  // Memory: every buffer at a fixed byte offset in one WebAssembly.Memory (91200 bytes), shared with the kernels
  const memory = new wasm.Memory({ initial: 2, maximum: 2 });
  const { gemm_nt, gemm_nn, gemm_tn } = new wasm.Instance(new wasm.Module(KERNELS_WASM), { env: { memory } }).exports as Kernels;
  const at_parameters = 0;
  const parameters = new Float32Array(memory.buffer, 0, 321); // all parameters, laid out as PARAMETERS says
  const at_gradients = 1296;
  const gradients = new Float32Array(memory.buffer, 1296, 321); // their gradients, same layout
  const opt_m = new Float32Array(memory.buffer, 2592, 321); // optimizer state `m`, same layout
  const opt_v = new Float32Array(memory.buffer, 3888, 321); // optimizer state `v`, same layout
  const at_in_x = 5184;
  const in_x = new Float32Array(memory.buffer, 5184, 384); // input x: [batch, 12, 1]
  const at_out_rnn = 6720;
  const out_rnn = new Float32Array(memory.buffer, 6720, 6144); // rnn rnn: [batch, 12, 16]
  const at_dout_rnn = 31296;
  const dout_rnn = new Float32Array(memory.buffer, 31296, 6144); // gradient of rnn
  const at_out_last = 55872;
  const out_last = new Float32Array(memory.buffer, 55872, 512); // last_step last: [batch, 16]
  const at_dout_last = 57920;
  const dout_last = new Float32Array(memory.buffer, 57920, 512); // gradient of last
  const at_out_fc = 59968;
  const out_fc = new Float32Array(memory.buffer, 59968, 32); // linear fc: [batch, 1]
  const at_dout_fc = 60096;
  const dout_fc = new Float32Array(memory.buffer, 60096, 32); // gradient of fc
  const at_stream_in_x = 60224;
  const stream_in_x = new Float32Array(memory.buffer, 60224, 32); // streaming: one step of x
  const at_stream_out_rnn = 60352;
  const stream_out_rnn = new Float32Array(memory.buffer, 60352, 512); // streaming: rnn rnn, one step
  const at_stream_state_rnn_hL0 = 62400;
  const stream_state_rnn_hL0 = new Float32Array(memory.buffer, 62400, 512); // streaming: rnn's carried state hL0
  const at_stream_out_last = 64448;
  const stream_out_last = new Float32Array(memory.buffer, 64448, 512); // streaming: last_step last, one step
  const at_stream_out_fc = 66496;
  const stream_out_fc = new Float32Array(memory.buffer, 66496, 32); // streaming: linear fc, one step
  const at_tmp_rnn_dPreL0 = 66624;
  const tmp_rnn_dPreL0 = new Float32Array(memory.buffer, 66624, 6144); // rnn scratch: dPreL0 (backward only: shares its bytes with other nodes')

  // Views of each parameter and its gradient (PyTorch state_dict names)
  const at_w_rnn_weight_ih_l0 = at_parameters + 0; // rnn.weight_ih_l0
  const at_dw_rnn_weight_ih_l0 = at_gradients + 0; // rnn.weight_ih_l0
  const at_w_rnn_weight_hh_l0 = at_parameters + 64; // rnn.weight_hh_l0
  const at_dw_rnn_weight_hh_l0 = at_gradients + 64; // rnn.weight_hh_l0
  const w_rnn_bias_ih_l0 = parameters.subarray(272, 288); // rnn.bias_ih_l0 [16]
  const dw_rnn_bias_ih_l0 = gradients.subarray(272, 288); // rnn.bias_ih_l0 [16]
  const w_rnn_bias_hh_l0 = parameters.subarray(288, 304); // rnn.bias_hh_l0 [16]
  const dw_rnn_bias_hh_l0 = gradients.subarray(288, 304); // rnn.bias_hh_l0 [16]
  const at_w_fc_weight = at_parameters + 1216; // fc.weight
  const at_dw_fc_weight = at_gradients + 1216; // fc.weight
  const w_fc_bias = parameters.subarray(320, 321); // fc.bias [1]
  const dw_fc_bias = gradients.subarray(320, 321); // fc.bias [1]
  const stateDict: Readonly<Record<ParameterName, Float32Array>> = {
    "rnn.weight_ih_l0": parameters.subarray(0, 16),
    "rnn.weight_hh_l0": parameters.subarray(16, 272),
    "rnn.bias_ih_l0": parameters.subarray(272, 288),
    "rnn.bias_hh_l0": parameters.subarray(288, 304),
    "fc.weight": parameters.subarray(304, 320),
    "fc.bias": parameters.subarray(320, 321),
  };
  const optimizerState: OptimizerState = { step: 0, lr: 0.003, m: opt_m, v: opt_v };
  // The state of the generator that draws dropout masks, seeded by the spec's train.seed; save and restore it to replay a run
  const randomState = new Uint32Array([0]);

  function checkBatch(batch: Batch, batchSize: number): void {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);
    }
    if (batch.x.length < batchSize * 12) {
      throw new RangeError(`batch.x holds ${batch.x.length} elements; 12 per sample are needed`);
    }
    if (batch.y.length < batchSize * 1) {
      throw new RangeError(`batch.y holds ${batch.y.length} elements; 1 per sample are needed`);
    }
  }

  // Each node's code runs in a block of its own, so no two nodes' locals can clash.
  function run(batch: Batch, batchSize: number, training: boolean): Float32Array {
    checkBatch(batch, batchSize);
    {
      const source = batch.x;
      // copy `x` into the kernels' memory, time-major: in_x[t, b, :] = x[b, t, :]
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < 12; t++) {
          const from = (b * 12 + t) * 1;
          const to = (t * batchSize + b) * 1;
          for (let f = 0; f < 1; f++) {
            in_x[to + f] = source[from + f]!;
          }
        }
      }
    }
    {
      // rnn `rnn` layer 0 forward: h_t = tanh(x_t W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)
      {
        // start from b_ih + b_hh
        for (let r = 0; r < 12 * batchSize; r++) {
          for (let j = 0; j < 16; j++) {
            out_rnn[r * 16 + j] = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
          }
        }
        // the input projection of every step at once: += x[t, b] W_ihᵀ
        gemm_nt(12 * batchSize, 16, 1, at_in_x, 1, at_w_rnn_weight_ih_l0, 1, at_out_rnn, 16, 1);
        for (let s = 0; s < 12; s++) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          if (s > 0) {
            // out[t] += h_prev W_hhᵀ
            gemm_nt(batchSize, 16, 16, at_out_rnn + (prevRow * 16) * 4, 16, at_w_rnn_weight_hh_l0, 16, at_out_rnn + (row * 16) * 4, 16, 1);
          }
          for (let b = 0; b < batchSize; b++) {
            const base = (row + b) * 16;
            for (let j = 0; j < 16; j++) {
              const pre = out_rnn[base + j]!;
              out_rnn[base + j] = tanh(pre);
            }
          }
        }
      }
    }
    {
      // last_step `last` forward: out[b, :] = in[11, b, :] (sequences are time-major: the last step is one block)
      const from = 11 * batchSize * 16;
      for (let i = 0; i < batchSize * 16; i++) {
        out_last[i] = out_rnn[from + i]!;
      }
    }
    {
      // linear `fc` forward: out = in Wᵀ + b, [batch, 16] → [batch, 1]
      for (let r = 0; r < batchSize; r++) {
        for (let o = 0; o < 1; o++) {
          out_fc[r * 1 + o] = w_fc_bias[o]!;
        }
      }
      // out (+)= in Wᵀ
      gemm_nt(batchSize, 1, 16, at_out_last, 16, at_w_fc_weight, 16, at_out_fc, 1, 1);
    }
    void training; // no op of this model behaves differently in training
    return out_fc;
  }

  function computeLoss(batch: Batch, batchSize: number, training: boolean): number {
    run(batch, batchSize, training);
    const target = batch.y;
    // mse: loss = mean((prediction − target)²) over batchSize·1 elements; dPrediction = 2(prediction − target) / count
    const scale = 1 / (batchSize * 1);
    let total = 0;
    for (let i = 0; i < batchSize * 1; i++) {
      const difference = out_fc[i]! - target[i]!;
      total += difference * difference;
      dout_fc[i] = 2 * difference * scale;
    }
    const loss = total * scale;
    return loss;
  }

  function backward(batchSize: number): void {
    // gradients accumulate, so start from zero (the loss input's gradient was just written by the loss)
    gradients.fill(0);
    dout_rnn.fill(0, 0, batchSize * 192);
    dout_last.fill(0, 0, batchSize * 16);
    {
      // linear `fc` backward
      // dW += dOutᵀ in
      gemm_tn(1, 16, batchSize, at_dout_fc, 1, at_out_last, 16, at_dw_fc_weight, 16, 1);
      // db += Σ_rows dOut[row]
      for (let o = 0; o < 1; o++) {
        let sum = 0;
        for (let r = 0; r < batchSize; r++) {
          sum += dout_fc[r * 1 + o]!;
        }
        dw_fc_bias[o]! += sum;
      }
      // dIn += dOut W
      gemm_nn(batchSize, 16, 1, at_dout_fc, 1, at_w_fc_weight, 16, at_dout_last, 16, 1);
    }
    {
      // last_step `last` backward: only the step taken receives gradient
      const to = 11 * batchSize * 16;
      for (let i = 0; i < batchSize * 16; i++) {
        dout_rnn[to + i]! += dout_last[i]!;
      }
    }
    {
      // rnn `rnn` layer 0 backward through time (its input is a spec input: no input gradient)
      {
        for (let s = 12 - 1; s >= 0; s--) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          for (let b = 0; b < batchSize; b++) {
            const base = (row + b) * 16;
            const gate = (row + b) * 16;
            for (let j = 0; j < 16; j++) {
              const h = out_rnn[base + j]!;
              tmp_rnn_dPreL0[gate + j] = flush(dout_rnn[base + j]! * (1 - h * h));
            }
          }
          if (s > 0) {
            // dL/dh_prev += dGates W_hh (the gradient carried back through the recurrence)
            gemm_nn(batchSize, 16, 16, at_tmp_rnn_dPreL0 + (row * 16) * 4, 16, at_w_rnn_weight_hh_l0, 16, at_dout_rnn + (prevRow * 16) * 4, 16, 1);
          }
        }
        // dW_ih += Σ_{t,b} dGates[t, b]ᵀ x[t, b]
        gemm_tn(16, 1, 12 * batchSize, at_tmp_rnn_dPreL0, 16, at_in_x, 1, at_dw_rnn_weight_ih_l0, 1, 1);
        // dW_hh += Σ_t dGates[t]ᵀ h_prev(t): the previous step's rows lie one batch away
        gemm_tn(16, 16, 11 * batchSize, at_tmp_rnn_dPreL0 + (batchSize * 16) * 4, 16, at_out_rnn, 16, at_dw_rnn_weight_hh_l0, 16, 1);
        // db_ih = db_hh = Σ_{t,b} dGates[t, b]
        for (let j = 0; j < 16; j++) {
          let sum = 0;
          for (let r = 0; r < 12 * batchSize; r++) {
            sum += tmp_rnn_dPreL0[r * 16 + j]!;
          }
          dw_rnn_bias_ih_l0[j]! += sum;
          dw_rnn_bias_hh_l0[j]! += sum;
        }
      }
    }
  }

  function streamStep(input: StreamInput, batchSize: number): Float32Array {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);
    }
    if (input.x === undefined || input.x.length < batchSize * 1) {
      throw new RangeError(`input.x must hold at least batchSize·1 elements for one step`);
    }
    const training = false;
    {
      const source = input.x;
      // copy one step of `x` into the kernels' memory
      for (let i = 0; i < batchSize * 1; i++) {
        stream_in_x[i] = source[i]!;
      }
    }
    {
      // rnn `rnn` layer 0 forward: h_t = tanh(x_t W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)
      {
        // start from b_ih + b_hh
        for (let r = 0; r < 1 * batchSize; r++) {
          for (let j = 0; j < 16; j++) {
            stream_out_rnn[r * 16 + j] = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
          }
        }
        // the input projection of every step at once: += x[t, b] W_ihᵀ
        gemm_nt(1 * batchSize, 16, 1, at_stream_in_x, 1, at_w_rnn_weight_ih_l0, 1, at_stream_out_rnn, 16, 1);
        for (let s = 0; s < 1; s++) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          if (s > 0) {
            // out[t] += h_prev W_hhᵀ
            gemm_nt(batchSize, 16, 16, at_stream_out_rnn + (prevRow * 16) * 4, 16, at_w_rnn_weight_hh_l0, 16, at_stream_out_rnn + (row * 16) * 4, 16, 1);
          }
          else {
            // out[t] += h_carried W_hhᵀ (the state carried from the last step)
            gemm_nt(batchSize, 16, 16, at_stream_state_rnn_hL0, 16, at_w_rnn_weight_hh_l0, 16, at_stream_out_rnn + (row * 16) * 4, 16, 1);
          }
          for (let b = 0; b < batchSize; b++) {
            const base = (row + b) * 16;
            for (let j = 0; j < 16; j++) {
              const pre = stream_out_rnn[base + j]!;
              stream_out_rnn[base + j] = tanh(pre);
            }
          }
        }
      }
      // keep the last step's state for the next call
      for (let b = 0; b < batchSize; b++) {
        for (let j = 0; j < 16; j++) {
          stream_state_rnn_hL0[b * 16 + j] = stream_out_rnn[(0 * batchSize + b) * 16 + 0 + j]!;
        }
      }
    }
    {
      // last_step `last` forward: out[b, :] = in[0, b, :] (sequences are time-major: the last step is one block)
      const from = 0 * batchSize * 16;
      for (let i = 0; i < batchSize * 16; i++) {
        stream_out_last[i] = stream_out_rnn[from + i]!;
      }
    }
    {
      // linear `fc` forward: out = in Wᵀ + b, [batch, 16] → [batch, 1]
      for (let r = 0; r < batchSize; r++) {
        for (let o = 0; o < 1; o++) {
          stream_out_fc[r * 1 + o] = w_fc_bias[o]!;
        }
      }
      // out (+)= in Wᵀ
      gemm_nt(batchSize, 1, 16, at_stream_out_last, 16, at_w_fc_weight, 16, at_stream_out_fc, 1, 1);
    }
    void training;
    return stream_out_fc;
  }

  function streamReset(): void {
    stream_state_rnn_hL0.fill(0);
  }

  function step(): void {
    optimizerState.step += 1;
    const m = optimizerState.m;
    const v = optimizerState.v;
    // adam: lr optimizerState.lr, betas (0.9, 0.999), eps 1e-8, weight_decay 0
    const lr = optimizerState.lr;
    const stepSize = lr / (1 - 0.9 ** optimizerState.step);
    const correction2Sqrt = Math.sqrt(1 - 0.999 ** optimizerState.step);
    for (let i = 0; i < PARAMETER_COUNT; i++) {
      const g = gradients[i]!;
      m[i] = 0.9 * m[i]! + (1 - 0.9) * g;
      v[i] = 0.999 * v[i]! + (1 - 0.999) * g * g;
      parameters[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) / correction2Sqrt + 1e-8);
    }
  }

  return {
    parameters,
    gradients,
    stateDict,
    activations: {
      rnn: out_rnn,
      last: out_last,
      fc: out_fc,
    },
    optimizerState,
    randomState,
    stream: { step: streamStep, reset: streamReset },
    forward(batch: Batch, batchSize: number) {
      return run(batch, batchSize, false);
    }
    ,
    loss(batch: Batch, batchSize: number, training = false): number {
      return computeLoss(batch, batchSize, training);
    }
    ,
    lossAndGradients(batch: Batch, batchSize: number): number {
      const loss = computeLoss(batch, batchSize, true);
      backward(batchSize);
      return loss;
    }
    ,
    step,
    trainStep(batch: Batch, batchSize: number): number {
      const loss = computeLoss(batch, batchSize, true);
      backward(batchSize);
      step();
      return loss;
    }
    ,
  };
}
