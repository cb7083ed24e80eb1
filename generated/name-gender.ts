// Generated from models/name-gender.yaml (sha256 7e2c35640da199a46b893b93fb4f1a119bb45897246b9f06a9c51977f99e7275) — do not edit.
// rnnc 0.1.0: name-gender: emb = embedding(tokens, 30×16, padding 0); rnn = lstm(emb, 16→32, bidirectional, lengths lengths); last = last_step(rnn, lengths lengths); fc = linear(last, 64→2); loss cross_entropy(fc, y) over 2 classes; adam.
// Regenerate with `npx compile models/name-gender.yaml`. Self-contained: no imports, runs in Node and browsers.
/** SHA-256 of the spec this module was generated from. */
export const SPEC_SHA256 = "7e2c35640da199a46b893b93fb4f1a119bb45897246b9f06a9c51977f99e7275";
/** The spec's `name`. */
export const MODEL_NAME = "name-gender";
/** Storage type of parameters, activations and float inputs. */
export const PRECISION = "float32";
/** Buffers are sized for this many samples; a batch may be smaller. */
export const MAX_BATCH = 64;
/** Number of learned scalars. */
export const PARAMETER_COUNT = 13410;
/** The spec's inputs: the fields of a Batch; an int32 input's `range` is what its values must lie in (`ignore` is skipped by the loss). */
export const INPUTS = [
  { name: "tokens", shape: ["batch", 15], dtype: "int32", range: { min: 0, max: 29, what: "token ids" } },
  { name: "lengths", shape: ["batch"], dtype: "int32", range: { min: 1, max: 15, what: "lengths" } },
  { name: "y", shape: ["batch"], dtype: "int32", range: { min: 0, max: 1, ignore: -100, what: "class indices" } },
] as const;
/** The loss and the input that holds its target. */
export const LOSS = { op: "cross_entropy", input: "fc", target: "y", task: "classification", classes: 2 } as const;
/** The optimizer and its hyperparameters, fixed at compile time. */
export const OPTIMIZER = { op: "adam", lr: 0.005, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false } as const;
/** Training settings from the spec; the runtime steps the learning-rate schedule after each epoch. */
export const TRAIN = { epochs: 30, batchSize: 64, seed: 0, warmupEpochs: 0, divergenceFactor: 10000 } as const;
/** Learned tensors by PyTorch state_dict name, where each lives in `Model.parameters`, and PyTorch's default init for it. */
export const PARAMETERS = [
  { name: "emb.weight", shape: [30, 16], offset: 0, size: 480, init: { distribution: "normal", std: 1, zeroRow: 0 } },
  { name: "rnn.weight_ih_l0", shape: [128, 16], offset: 480, size: 2048, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.weight_hh_l0", shape: [128, 32], offset: 2528, size: 4096, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.bias_ih_l0", shape: [128], offset: 6624, size: 128, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.bias_hh_l0", shape: [128], offset: 6752, size: 128, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.weight_ih_l0_reverse", shape: [128, 16], offset: 6880, size: 2048, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.weight_hh_l0_reverse", shape: [128, 32], offset: 8928, size: 4096, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.bias_ih_l0_reverse", shape: [128], offset: 13024, size: 128, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.bias_hh_l0_reverse", shape: [128], offset: 13152, size: 128, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "fc.weight", shape: [2, 64], offset: 13280, size: 128, init: { distribution: "uniform", bound: 0.125 } },
  { name: "fc.bias", shape: [2], offset: 13408, size: 2, init: { distribution: "uniform", bound: 0.125 } },
] as const;
/** A PyTorch state_dict name of this model. */
export type ParameterName = (typeof PARAMETERS)[number]["name"];

/** One mini-batch, batch-first. */
export interface Batch {
  /** [batch, 15] int32, row-major; at least batchSize·15 elements. */
  readonly tokens: Int32Array;
  /** [batch] int32, row-major; at least batchSize·1 elements. */
  readonly lengths: Int32Array;
  /** [batch] int32, row-major; at least batchSize·1 elements. */
  readonly y: Int32Array;
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
  readonly activations: Readonly<Record<"emb" | "rnn" | "last" | "fc", Float32Array>>;
  readonly optimizerState: OptimizerState;
  /** The state of the generator that draws dropout masks (seeded by train.seed): copy it out and back in to replay the same masks. */
  readonly randomState: Uint32Array;
  /** Logits [batchSize, 2] in the first batchSize·2 elements of a reused buffer. Evaluation mode: dropout is off. */
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

/** The logistic function; large negative inputs give 0, not NaN. */
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A gradient below 1e-30 in magnitude becomes 0, so float32 never holds a (slow) subnormal; NaN and ±∞ pass through. */
function flush(x: number): number {
  return Math.abs(x) < 1e-30 ? 0 : x;
}

/** A model with its own preallocated parameters, gradients, optimizer state and activations. Training steps allocate nothing. */
export function createModel(): Model {
  // Memory: every buffer at a fixed byte offset in one WebAssembly.Memory (3095104 bytes), shared with the kernels
  const memory = new wasm.Memory({ initial: 48, maximum: 48 });
  const { gemm_nt, gemm_nn, gemm_tn } = new wasm.Instance(new wasm.Module(KERNELS_WASM), { env: { memory } }).exports as Kernels;
  const at_parameters = 0;
  const parameters = new Float32Array(memory.buffer, 0, 13410); // all parameters, laid out as PARAMETERS says
  const at_gradients = 53648;
  const gradients = new Float32Array(memory.buffer, 53648, 13410); // their gradients, same layout
  const opt_m = new Float32Array(memory.buffer, 107296, 13410); // optimizer state `m`, same layout
  const opt_v = new Float32Array(memory.buffer, 160944, 13410); // optimizer state `v`, same layout
  const in_tokens = new Int32Array(memory.buffer, 214592, 960); // input tokens: [batch, 15] int32, batch-major
  const in_lengths = new Int32Array(memory.buffer, 218432, 64); // input lengths: [batch] int32, batch-major
  const at_out_emb = 218688;
  const out_emb = new Float32Array(memory.buffer, 218688, 15360); // embedding emb: [batch, 15, 16]
  const at_dout_emb = 280128;
  const dout_emb = new Float32Array(memory.buffer, 280128, 15360); // gradient of emb
  const at_out_rnn = 341568;
  const out_rnn = new Float32Array(memory.buffer, 341568, 61440); // lstm rnn: [batch, 15, 64]
  const at_dout_rnn = 587328;
  const dout_rnn = new Float32Array(memory.buffer, 587328, 61440); // gradient of rnn
  const at_tmp_rnn_gatesL0 = 833088;
  const tmp_rnn_gatesL0 = new Float32Array(memory.buffer, 833088, 122880); // rnn scratch: gatesL0
  const tmp_rnn_cellL0 = new Float32Array(memory.buffer, 1324608, 30720); // rnn scratch: cellL0
  const at_tmp_rnn_gatesL0R = 1447488;
  const tmp_rnn_gatesL0R = new Float32Array(memory.buffer, 1447488, 122880); // rnn scratch: gatesL0R
  const tmp_rnn_cellL0R = new Float32Array(memory.buffer, 1939008, 30720); // rnn scratch: cellL0R
  const at_out_last = 2061888;
  const out_last = new Float32Array(memory.buffer, 2061888, 4096); // last_step last: [batch, 64]
  const at_dout_last = 2078272;
  const dout_last = new Float32Array(memory.buffer, 2078272, 4096); // gradient of last
  const at_out_fc = 2094656;
  const out_fc = new Float32Array(memory.buffer, 2094656, 128); // linear fc: [batch, 2]
  const at_dout_fc = 2095168;
  const dout_fc = new Float32Array(memory.buffer, 2095168, 128); // gradient of fc
  const at_tmp_rnn_dGatesL0 = 2095680;
  const tmp_rnn_dGatesL0 = new Float32Array(memory.buffer, 2095680, 122880); // rnn scratch: dGatesL0 (backward only: shares its bytes with other nodes')
  const tmp_rnn_dCellL0 = new Float32Array(memory.buffer, 2587200, 2048); // rnn scratch: dCellL0 (backward only: shares its bytes with other nodes')
  const at_tmp_rnn_dGatesL0R = 2595392;
  const tmp_rnn_dGatesL0R = new Float32Array(memory.buffer, 2595392, 122880); // rnn scratch: dGatesL0R (backward only: shares its bytes with other nodes')
  const tmp_rnn_dCellL0R = new Float32Array(memory.buffer, 3086912, 2048); // rnn scratch: dCellL0R (backward only: shares its bytes with other nodes')

  // Views of each parameter and its gradient (PyTorch state_dict names)
  const w_emb_weight = parameters.subarray(0, 480); // emb.weight [30, 16]
  const dw_emb_weight = gradients.subarray(0, 480); // emb.weight [30, 16]
  const at_w_rnn_weight_ih_l0 = at_parameters + 1920; // rnn.weight_ih_l0
  const at_dw_rnn_weight_ih_l0 = at_gradients + 1920; // rnn.weight_ih_l0
  const at_w_rnn_weight_hh_l0 = at_parameters + 10112; // rnn.weight_hh_l0
  const at_dw_rnn_weight_hh_l0 = at_gradients + 10112; // rnn.weight_hh_l0
  const w_rnn_bias_ih_l0 = parameters.subarray(6624, 6752); // rnn.bias_ih_l0 [128]
  const dw_rnn_bias_ih_l0 = gradients.subarray(6624, 6752); // rnn.bias_ih_l0 [128]
  const w_rnn_bias_hh_l0 = parameters.subarray(6752, 6880); // rnn.bias_hh_l0 [128]
  const dw_rnn_bias_hh_l0 = gradients.subarray(6752, 6880); // rnn.bias_hh_l0 [128]
  const at_w_rnn_weight_ih_l0_reverse = at_parameters + 27520; // rnn.weight_ih_l0_reverse
  const at_dw_rnn_weight_ih_l0_reverse = at_gradients + 27520; // rnn.weight_ih_l0_reverse
  const at_w_rnn_weight_hh_l0_reverse = at_parameters + 35712; // rnn.weight_hh_l0_reverse
  const at_dw_rnn_weight_hh_l0_reverse = at_gradients + 35712; // rnn.weight_hh_l0_reverse
  const w_rnn_bias_ih_l0_reverse = parameters.subarray(13024, 13152); // rnn.bias_ih_l0_reverse [128]
  const dw_rnn_bias_ih_l0_reverse = gradients.subarray(13024, 13152); // rnn.bias_ih_l0_reverse [128]
  const w_rnn_bias_hh_l0_reverse = parameters.subarray(13152, 13280); // rnn.bias_hh_l0_reverse [128]
  const dw_rnn_bias_hh_l0_reverse = gradients.subarray(13152, 13280); // rnn.bias_hh_l0_reverse [128]
  const at_w_fc_weight = at_parameters + 53120; // fc.weight
  const at_dw_fc_weight = at_gradients + 53120; // fc.weight
  const w_fc_bias = parameters.subarray(13408, 13410); // fc.bias [2]
  const dw_fc_bias = gradients.subarray(13408, 13410); // fc.bias [2]
  const stateDict: Readonly<Record<ParameterName, Float32Array>> = {
    "emb.weight": parameters.subarray(0, 480),
    "rnn.weight_ih_l0": parameters.subarray(480, 2528),
    "rnn.weight_hh_l0": parameters.subarray(2528, 6624),
    "rnn.bias_ih_l0": parameters.subarray(6624, 6752),
    "rnn.bias_hh_l0": parameters.subarray(6752, 6880),
    "rnn.weight_ih_l0_reverse": parameters.subarray(6880, 8928),
    "rnn.weight_hh_l0_reverse": parameters.subarray(8928, 13024),
    "rnn.bias_ih_l0_reverse": parameters.subarray(13024, 13152),
    "rnn.bias_hh_l0_reverse": parameters.subarray(13152, 13280),
    "fc.weight": parameters.subarray(13280, 13408),
    "fc.bias": parameters.subarray(13408, 13410),
  };
  const optimizerState: OptimizerState = { step: 0, lr: 0.005, m: opt_m, v: opt_v };
  // The state of the generator that draws dropout masks, seeded by the spec's train.seed; save and restore it to replay a run
  const randomState = new Uint32Array([0]);

  function checkBatch(batch: Batch, batchSize: number): void {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);
    }
    if (batch.tokens.length < batchSize * 15) {
      throw new RangeError(`batch.tokens holds ${batch.tokens.length} elements; 15 per sample are needed`);
    }
    for (let i = 0; i < batchSize * 15; i++) {
      const value = batch.tokens[i]!;
      if (!(value >= 0 && value <= 29)) {
        throw new RangeError(`batch.tokens[${i}] is ${value}: token ids must lie in [0, 29]`);
      }
    }
    if (batch.lengths.length < batchSize * 1) {
      throw new RangeError(`batch.lengths holds ${batch.lengths.length} elements; 1 per sample are needed`);
    }
    for (let i = 0; i < batchSize * 1; i++) {
      const value = batch.lengths[i]!;
      if (!(value >= 1 && value <= 15)) {
        throw new RangeError(`batch.lengths[${i}] is ${value}: lengths must lie in [1, 15]`);
      }
    }
    if (batch.y.length < batchSize * 1) {
      throw new RangeError(`batch.y holds ${batch.y.length} elements; 1 per sample are needed`);
    }
    for (let i = 0; i < batchSize * 1; i++) {
      const value = batch.y[i]!;
      if (!(value >= 0 && value <= 1) && value !== -100) {
        throw new RangeError(`batch.y[${i}] is ${value}: class indices must lie in [0, 1] (or be -100)`);
      }
    }
  }

  // Each node's code runs in a block of its own, so no two nodes' locals can clash.
  function run(batch: Batch, batchSize: number, training: boolean): Float32Array {
    checkBatch(batch, batchSize);
    {
      const source = batch.tokens;
      // copy `tokens` into the kernels' memory
      for (let i = 0; i < batchSize * 15; i++) {
        in_tokens[i] = source[i]!;
      }
    }
    {
      const source = batch.lengths;
      // copy `lengths` into the kernels' memory
      for (let i = 0; i < batchSize * 1; i++) {
        in_lengths[i] = source[i]!;
      }
    }
    {
      // embedding `emb` forward: out[t, b, :] = W[ids[b, t], :] (ids batch-major, the output time-major)
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < 15; t++) {
          const row = in_tokens[b * 15 + t]! * 16;
          const to = (t * batchSize + b) * 16;
          for (let d = 0; d < 16; d++) {
            out_emb[to + d] = w_emb_weight[row + d]!;
          }
        }
      }
    }
    {
      // lstm `rnn` layer 0 forward: [i f g o] = [σ σ tanh σ](x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)
      {
        // start from b_ih + b_hh
        for (let r = 0; r < 15 * batchSize; r++) {
          for (let j = 0; j < 128; j++) {
            tmp_rnn_gatesL0[r * 128 + j] = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
          }
        }
        // the input projection of every step at once: += x[t, b] W_ihᵀ
        gemm_nt(15 * batchSize, 128, 16, at_out_emb, 16, at_w_rnn_weight_ih_l0, 16, at_tmp_rnn_gatesL0, 128, 1);
        for (let s = 0; s < 15; s++) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          if (s > 0) {
            // gates[t] += h_prev W_hhᵀ
            gemm_nt(batchSize, 128, 32, at_out_rnn + (prevRow * 64) * 4, 64, at_w_rnn_weight_hh_l0, 32, at_tmp_rnn_gatesL0 + (row * 128) * 4, 128, 1);
          }
          for (let b = 0; b < batchSize; b++) {
            const gate = (row + b) * 128;
            const state = (row + b) * 32;
            const prevState = (prevRow + b) * 32;
            const base = (row + b) * 64;
            if (t >= in_lengths[b]!) {
              for (let j = 0; j < 32; j++) {
                out_rnn[base + j] = 0;
                tmp_rnn_cellL0[state + j] = 0;
              }
              continue;
            }
            for (let j = 0; j < 32; j++) {
              const i = sigmoid(tmp_rnn_gatesL0[gate + j]!);
              const f = sigmoid(tmp_rnn_gatesL0[gate + 32 + j]!);
              const g = tanh(tmp_rnn_gatesL0[gate + 64 + j]!);
              const o = sigmoid(tmp_rnn_gatesL0[gate + 96 + j]!);
              tmp_rnn_gatesL0[gate + j] = i;
              tmp_rnn_gatesL0[gate + 32 + j] = f;
              tmp_rnn_gatesL0[gate + 64 + j] = g;
              tmp_rnn_gatesL0[gate + 96 + j] = o;
              const c = f * (s > 0 ? tmp_rnn_cellL0[prevState + j]! : 0) + i * g;
              tmp_rnn_cellL0[state + j] = c;
              out_rnn[base + j] = o * tanh(c);
            }
          }
        }
      }
      // lstm `rnn` layer 0, reverse direction forward: [i f g o] = [σ σ tanh σ](x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)
      {
        // start from b_ih + b_hh
        for (let r = 0; r < 15 * batchSize; r++) {
          for (let j = 0; j < 128; j++) {
            tmp_rnn_gatesL0R[r * 128 + j] = w_rnn_bias_ih_l0_reverse[j]! + w_rnn_bias_hh_l0_reverse[j]!;
          }
        }
        // the input projection of every step at once: += x[t, b] W_ihᵀ
        gemm_nt(15 * batchSize, 128, 16, at_out_emb, 16, at_w_rnn_weight_ih_l0_reverse, 16, at_tmp_rnn_gatesL0R, 128, 1);
        for (let s = 0; s < 15; s++) {
          const t = 14 - s;
          const row = t * batchSize;
          const prevRow = (t + 1) * batchSize;
          if (s > 0) {
            // gates[t] += h_prev W_hhᵀ
            gemm_nt(batchSize, 128, 32, at_out_rnn + (prevRow * 64 + 32) * 4, 64, at_w_rnn_weight_hh_l0_reverse, 32, at_tmp_rnn_gatesL0R + (row * 128) * 4, 128, 1);
          }
          for (let b = 0; b < batchSize; b++) {
            const gate = (row + b) * 128;
            const state = (row + b) * 32;
            const prevState = (prevRow + b) * 32;
            const base = (row + b) * 64 + 32;
            if (t >= in_lengths[b]!) {
              for (let j = 0; j < 32; j++) {
                out_rnn[base + j] = 0;
                tmp_rnn_cellL0R[state + j] = 0;
              }
              continue;
            }
            for (let j = 0; j < 32; j++) {
              const i = sigmoid(tmp_rnn_gatesL0R[gate + j]!);
              const f = sigmoid(tmp_rnn_gatesL0R[gate + 32 + j]!);
              const g = tanh(tmp_rnn_gatesL0R[gate + 64 + j]!);
              const o = sigmoid(tmp_rnn_gatesL0R[gate + 96 + j]!);
              tmp_rnn_gatesL0R[gate + j] = i;
              tmp_rnn_gatesL0R[gate + 32 + j] = f;
              tmp_rnn_gatesL0R[gate + 64 + j] = g;
              tmp_rnn_gatesL0R[gate + 96 + j] = o;
              const c = f * (s > 0 ? tmp_rnn_cellL0R[prevState + j]! : 0) + i * g;
              tmp_rnn_cellL0R[state + j] = c;
              out_rnn[base + j] = o * tanh(c);
            }
          }
        }
      }
    }
    {
      // last_step `last` forward: out[b, :] = in[lengths[b] − 1, b, :], each sample's own last step
      for (let b = 0; b < batchSize; b++) {
        const steps = in_lengths[b]!;
        const from = ((steps - 1) * batchSize + b) * 64;
        for (let f = 0; f < 64; f++) {
          out_last[b * 64 + f] = out_rnn[from + f]!;
        }
      }
    }
    {
      // linear `fc` forward: out = in Wᵀ + b, [batch, 64] → [batch, 2]
      for (let r = 0; r < batchSize; r++) {
        for (let o = 0; o < 2; o++) {
          out_fc[r * 2 + o] = w_fc_bias[o]!;
        }
      }
      // out (+)= in Wᵀ
      gemm_nt(batchSize, 2, 64, at_out_last, 64, at_w_fc_weight, 64, at_out_fc, 2, 1);
    }
    void training; // no op of this model behaves differently in training
    return out_fc;
  }

  function computeLoss(batch: Batch, batchSize: number, training: boolean): number {
    run(batch, batchSize, training);
    const target = batch.y;
    // cross_entropy: loss = mean over targets ≠ -100 of (logsumexp(logits) − logits[target]); dLogits = (softmax − onehot) / count
    let total = 0;
    let count = 0;
    for (let b = 0; b < batchSize; b++) {
      const row = b * 2;
      const label = target[b]!;
      if (label === -100) {
        for (let c = 0; c < 2; c++) {
          dout_fc[row + c] = 0;
        }
        continue;
      }
      let max = out_fc[row]!;
      for (let c = 0; c < 2; c++) {
        if (out_fc[row + c]! > max) max = out_fc[row + c]!;
      }
      let sumExp = 0;
      for (let c = 0; c < 2; c++) {
        sumExp += Math.exp(out_fc[row + c]! - max);
      }
      const logSumExp = max + Math.log(sumExp);
      total += logSumExp - out_fc[row + label]!;
      count++;
      for (let c = 0; c < 2; c++) {
        dout_fc[row + c] = Math.exp(out_fc[row + c]! - logSumExp) - (c === label ? 1 : 0);
      }
    }
    const scale = count > 0 ? 1 / count : 0;
    for (let i = 0; i < batchSize * 2; i++) {
      dout_fc[i]! *= scale;
    }
    const loss = total * scale;
    return loss;
  }

  function backward(batchSize: number): void {
    // gradients accumulate, so start from zero (the loss input's gradient was just written by the loss)
    gradients.fill(0);
    dout_emb.fill(0, 0, batchSize * 240);
    dout_rnn.fill(0, 0, batchSize * 960);
    dout_last.fill(0, 0, batchSize * 64);
    {
      // linear `fc` backward
      // dW += dOutᵀ in
      gemm_tn(2, 64, batchSize, at_dout_fc, 2, at_out_last, 64, at_dw_fc_weight, 64, 1);
      // db += Σ_rows dOut[row]
      for (let o = 0; o < 2; o++) {
        let sum = 0;
        for (let r = 0; r < batchSize; r++) {
          sum += dout_fc[r * 2 + o]!;
        }
        dw_fc_bias[o]! += sum;
      }
      // dIn += dOut W
      gemm_nn(batchSize, 64, 2, at_dout_fc, 2, at_w_fc_weight, 64, at_dout_last, 64, 1);
    }
    {
      // last_step `last` backward: only the step taken receives gradient
      for (let b = 0; b < batchSize; b++) {
        const steps = in_lengths[b]!;
        const to = ((steps - 1) * batchSize + b) * 64;
        for (let f = 0; f < 64; f++) {
          dout_rnn[to + f]! += dout_last[b * 64 + f]!;
        }
      }
    }
    {
      // lstm `rnn` layer 0, reverse direction backward through time
      {
        tmp_rnn_dCellL0R.fill(0, 0, batchSize * 32); // dL/dc carried from the step after, none after the last
        for (let s = 15 - 1; s >= 0; s--) {
          const t = 14 - s;
          const row = t * batchSize;
          const prevRow = (t + 1) * batchSize;
          for (let b = 0; b < batchSize; b++) {
            const gate = (row + b) * 128;
            const state = (row + b) * 32;
            const prevState = (prevRow + b) * 32;
            const base = (row + b) * 64 + 32;
            if (t >= in_lengths[b]!) {
              for (let j = 0; j < 128; j++) {
                tmp_rnn_dGatesL0R[gate + j] = 0;
              }
              for (let j = 0; j < 32; j++) {
                tmp_rnn_dCellL0R[b * 32 + j] = 0;
              }
              continue;
            }
            for (let j = 0; j < 32; j++) {
              const i = tmp_rnn_gatesL0R[gate + j]!;
              const f = tmp_rnn_gatesL0R[gate + 32 + j]!;
              const g = tmp_rnn_gatesL0R[gate + 64 + j]!;
              const o = tmp_rnn_gatesL0R[gate + 96 + j]!;
              const tanhC = tanh(tmp_rnn_cellL0R[state + j]!);
              const dh = dout_rnn[base + j]!;
              const dc = tmp_rnn_dCellL0R[b * 32 + j]! + dh * o * (1 - tanhC * tanhC);
              const cPrev = s > 0 ? tmp_rnn_cellL0R[prevState + j]! : 0;
              tmp_rnn_dGatesL0R[gate + j] = flush(dc * g * i * (1 - i));
              tmp_rnn_dGatesL0R[gate + 32 + j] = flush(dc * cPrev * f * (1 - f));
              tmp_rnn_dGatesL0R[gate + 64 + j] = flush(dc * i * (1 - g * g));
              tmp_rnn_dGatesL0R[gate + 96 + j] = flush(dh * tanhC * o * (1 - o));
              tmp_rnn_dCellL0R[b * 32 + j] = flush(dc * f);
            }
          }
          if (s > 0) {
            // dL/dh_prev += dGates W_hh (the gradient carried back through the recurrence)
            gemm_nn(batchSize, 32, 128, at_tmp_rnn_dGatesL0R + (row * 128) * 4, 128, at_w_rnn_weight_hh_l0_reverse, 32, at_dout_rnn + (prevRow * 64 + 32) * 4, 64, 1);
          }
        }
        // dW_ih += Σ_{t,b} dGates[t, b]ᵀ x[t, b]
        gemm_tn(128, 16, 15 * batchSize, at_tmp_rnn_dGatesL0R, 128, at_out_emb, 16, at_dw_rnn_weight_ih_l0_reverse, 16, 1);
        // dW_hh += Σ_t dGates[t]ᵀ h_prev(t): the previous step's rows lie one batch away
        gemm_tn(128, 32, 14 * batchSize, at_tmp_rnn_dGatesL0R, 128, at_out_rnn + (batchSize * 64 + 32) * 4, 64, at_dw_rnn_weight_hh_l0_reverse, 32, 1);
        // db_ih = db_hh = Σ_{t,b} dGates[t, b]
        for (let j = 0; j < 128; j++) {
          let sum = 0;
          for (let r = 0; r < 15 * batchSize; r++) {
            sum += tmp_rnn_dGatesL0R[r * 128 + j]!;
          }
          dw_rnn_bias_ih_l0_reverse[j]! += sum;
          dw_rnn_bias_hh_l0_reverse[j]! += sum;
        }
        // dL/dx[t, b] += dGates[t, b] W_ih
        gemm_nn(15 * batchSize, 16, 128, at_tmp_rnn_dGatesL0R, 128, at_w_rnn_weight_ih_l0_reverse, 16, at_dout_emb, 16, 1);
      }
      // lstm `rnn` layer 0 backward through time
      {
        tmp_rnn_dCellL0.fill(0, 0, batchSize * 32); // dL/dc carried from the step after, none after the last
        for (let s = 15 - 1; s >= 0; s--) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          for (let b = 0; b < batchSize; b++) {
            const gate = (row + b) * 128;
            const state = (row + b) * 32;
            const prevState = (prevRow + b) * 32;
            const base = (row + b) * 64;
            if (t >= in_lengths[b]!) {
              for (let j = 0; j < 128; j++) {
                tmp_rnn_dGatesL0[gate + j] = 0;
              }
              for (let j = 0; j < 32; j++) {
                tmp_rnn_dCellL0[b * 32 + j] = 0;
              }
              continue;
            }
            for (let j = 0; j < 32; j++) {
              const i = tmp_rnn_gatesL0[gate + j]!;
              const f = tmp_rnn_gatesL0[gate + 32 + j]!;
              const g = tmp_rnn_gatesL0[gate + 64 + j]!;
              const o = tmp_rnn_gatesL0[gate + 96 + j]!;
              const tanhC = tanh(tmp_rnn_cellL0[state + j]!);
              const dh = dout_rnn[base + j]!;
              const dc = tmp_rnn_dCellL0[b * 32 + j]! + dh * o * (1 - tanhC * tanhC);
              const cPrev = s > 0 ? tmp_rnn_cellL0[prevState + j]! : 0;
              tmp_rnn_dGatesL0[gate + j] = flush(dc * g * i * (1 - i));
              tmp_rnn_dGatesL0[gate + 32 + j] = flush(dc * cPrev * f * (1 - f));
              tmp_rnn_dGatesL0[gate + 64 + j] = flush(dc * i * (1 - g * g));
              tmp_rnn_dGatesL0[gate + 96 + j] = flush(dh * tanhC * o * (1 - o));
              tmp_rnn_dCellL0[b * 32 + j] = flush(dc * f);
            }
          }
          if (s > 0) {
            // dL/dh_prev += dGates W_hh (the gradient carried back through the recurrence)
            gemm_nn(batchSize, 32, 128, at_tmp_rnn_dGatesL0 + (row * 128) * 4, 128, at_w_rnn_weight_hh_l0, 32, at_dout_rnn + (prevRow * 64) * 4, 64, 1);
          }
        }
        // dW_ih += Σ_{t,b} dGates[t, b]ᵀ x[t, b]
        gemm_tn(128, 16, 15 * batchSize, at_tmp_rnn_dGatesL0, 128, at_out_emb, 16, at_dw_rnn_weight_ih_l0, 16, 1);
        // dW_hh += Σ_t dGates[t]ᵀ h_prev(t): the previous step's rows lie one batch away
        gemm_tn(128, 32, 14 * batchSize, at_tmp_rnn_dGatesL0 + (batchSize * 128) * 4, 128, at_out_rnn, 64, at_dw_rnn_weight_hh_l0, 32, 1);
        // db_ih = db_hh = Σ_{t,b} dGates[t, b]
        for (let j = 0; j < 128; j++) {
          let sum = 0;
          for (let r = 0; r < 15 * batchSize; r++) {
            sum += tmp_rnn_dGatesL0[r * 128 + j]!;
          }
          dw_rnn_bias_ih_l0[j]! += sum;
          dw_rnn_bias_hh_l0[j]! += sum;
        }
        // dL/dx[t, b] += dGates[t, b] W_ih
        gemm_nn(15 * batchSize, 16, 128, at_tmp_rnn_dGatesL0, 128, at_w_rnn_weight_ih_l0, 16, at_dout_emb, 16, 1);
      }
    }
    {
      // embedding `emb` backward: dW[ids[b, t], :] += dOut[t, b, :], except the padding row 0
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < 15; t++) {
          const id = in_tokens[b * 15 + t]!;
          if (id === 0) continue;
          const from = (t * batchSize + b) * 16;
          for (let d = 0; d < 16; d++) {
            dw_emb_weight[id * 16 + d]! += dout_emb[from + d]!;
          }
        }
      }
    }
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
      emb: out_emb,
      rnn: out_rnn,
      last: out_last,
      fc: out_fc,
    },
    optimizerState,
    randomState,
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
