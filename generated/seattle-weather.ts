// Generated from models/seattle-weather.yaml (sha256 8cff0b6f81fb43144cf6163ee60cb620a03e41ada8a6f93321762fed6034a8d2) — do not edit.
// rnnc 0.1.0: seattle-weather: rnn = rnn(x, 4→32, tanh); last = last_step(rnn); fc = linear(last, 32→5); loss cross_entropy(fc, y) over 5 classes; adam.
// Regenerate with `npx compile models/seattle-weather.yaml`. Self-contained: no imports, runs in Node and browsers.
/** SHA-256 of the spec this module was generated from. */
export const SPEC_SHA256 = "8cff0b6f81fb43144cf6163ee60cb620a03e41ada8a6f93321762fed6034a8d2";
/** What checkpoints are keyed to: SHA-256 of every parameter's state_dict name, shape and dtype. */
export const ARCHITECTURE_SHA256 = "8dcb4ade5d757b6835b6167849841ea7a1e8666ded5b12c9ff495ddb9862c0e4";
/** training: forward, backward and optimizer; inference: forward and streaming only. */
export const TARGET = "training";
/** The spec's `name`. */
export const MODEL_NAME = "seattle-weather";
/** Storage type of parameters, activations and float inputs. */
export const PRECISION = "float32";
/** Buffers are sized for this many samples; a batch may be smaller. */
export const MAX_BATCH = 32;
/** Number of learned scalars. */
export const PARAMETER_COUNT = 1381;
/** The spec's inputs: the fields of a Batch; an int32 input's `range` is what its values must lie in (`ignore` is skipped by the loss). */
export const INPUTS = [
  { name: "x", shape: ["batch", 7, 4], dtype: "float32" },
  { name: "y", shape: ["batch"], dtype: "int32", range: { min: 0, max: 4, ignore: -100, what: "class indices" } },
] as const;
/** The loss and the input that holds its target. */
export const LOSS = { op: "cross_entropy", input: "fc", target: "y", task: "classification", classes: 5 } as const;
/** The optimizer and its hyperparameters, fixed at compile time. */
export const OPTIMIZER = { op: "adam", lr: 0.003, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false } as const;
/** Training settings from the spec; the runtime steps the learning-rate schedule after each epoch. */
export const TRAIN = { epochs: 60, batchSize: 32, seed: 0, warmupEpochs: 0, divergenceFactor: 10000 } as const;
/** Learned tensors by PyTorch state_dict name, where each lives in `Model.parameters`, and PyTorch's default init for it. */
export const PARAMETERS = [
  { name: "rnn.weight_ih_l0", shape: [32, 4], offset: 0, size: 128, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.weight_hh_l0", shape: [32, 32], offset: 128, size: 1024, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.bias_ih_l0", shape: [32], offset: 1152, size: 32, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "rnn.bias_hh_l0", shape: [32], offset: 1184, size: 32, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "fc.weight", shape: [5, 32], offset: 1216, size: 160, init: { distribution: "uniform", bound: 0.17677669529663687 } },
  { name: "fc.bias", shape: [5], offset: 1376, size: 5, init: { distribution: "uniform", bound: 0.17677669529663687 } },
] as const;
/** A PyTorch state_dict name of this model. */
export type ParameterName = (typeof PARAMETERS)[number]["name"];

export interface CreateModelOptions {
  /** Seed of the init's generator, an integer from 0 to 2³² − 1; default: the spec's train.seed. */
  readonly seed?: number;
}

/** What `forward` reads: the inputs the layers use, batch-first. */
export interface Inputs {
  /** [batch, 7, 4] float32, row-major; at least batchSize·28 elements. */
  readonly x: Float32Array;
}

/** One mini-batch for training: the inputs and the loss's target. */
export interface Batch extends Inputs {
  /** [batch] int32, row-major; at least batchSize·1 elements. */
  readonly y: Int32Array;
}

/** One time step of each sequence input, for `Model.stream.step`. */
export interface StreamInput {
  /** One step: [batchSize, 4] float32; at least batchSize·4 elements. */
  readonly x: Float32Array;
}

/** Inference one step at a time, each recurrent layer's state carried from call to call (dropout off). */
export interface Stream {
  /** The output of `fc` for this step: the first batchSize·5 elements of a reused buffer. */
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
  /** Loads weights from safetensors bytes by PyTorch state_dict name (F32 or F64, exact shapes, nothing missing or extra); throws an Error naming the problem and then changes nothing. */
  loadSafetensors(bytes: Uint8Array): void;
  /** The weights as safetensors bytes by state_dict name, with the model's name and spec hash (and `metadata`) in the header. */
  saveSafetensors(metadata?: Readonly<Record<string, string>>): Uint8Array;
  /** Logits [batchSize, 5] in the first batchSize·5 elements of a reused buffer. Evaluation mode: dropout is off. */
  forward(inputs: Inputs, batchSize: number): Float32Array;
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
  validate(bytes: Uint8Array): boolean;
}

/** Matrix products over byte offsets in the shared memory; leading dimensions in elements; acc = 1 adds into C. */
interface Kernels {
  /** C[m×n] (+)= A[m×k] · B[n×k]ᵀ */
  gemm_nt(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  /** C[m×n] (+)= A[m×k] · B[k×n] */
  gemm_nn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  /** C[m×n] (+)= A[k×m]ᵀ · B[k×n] */
  gemm_tn(m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  /** Byte offset of the scratch where gemm_tn packs its blocks of A (0: none); one per thread, each its own instance. */
  readonly pack: { value: number };
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Bytes from base64 (RFC 4648, padded): six bits per character, a byte out whenever eight are in hand. */
function fromBase64(text: string): Uint8Array {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const length = text.indexOf("=") < 0 ? text.length : text.indexOf("=");
  const bytes = new Uint8Array((length * 3) >> 2);
  let bits = 0;
  let held = 0;
  let n = 0;
  for (let i = 0; i < length; i++) {
    bits = ((bits << 6) | digits.indexOf(text.charAt(i))) & 0x3fff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      bytes[n++] = (bits >> held) & 255;
    }
  }
  return bytes;
}

/*
 * SIMD matrix-product kernels (float32, relaxed), 5452 bytes of WebAssembly emitted by rnnc. What they contain:
 * ;; rnnc matrix kernels: float32, 5452 bytes of WebAssembly, relaxed SIMD: each product joins its sum by relaxed_madd (fused where the CPU has FMA).
 * ;; Row-major. Pointers are byte offsets into env.memory, leading dimensions are in elements; acc ≠ 0 adds into C,
 * ;; which must not overlap A or B.
 * ;; Sums: nn, tn in order p = 0…k−1, in panels of 256 products, each added to C in turn; nt in 4 partial
 * ;; sums over p mod 4 (the last k mod 4 products into s0), then (s0+s2)+(s1+s3). So C[i][j] depends only on row i
 * ;; of A, column j of B, k and acc: never on m, n or the block it falls in.
 * (module
 *   (import "env" "memory" (memory 0))
 *   (global $pack (export "pack") (mut i32) (i32.const 0))  ;; gemm_tn's scratch: 4096 bytes per thread; 0 = none, no packing
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
 *   (func $xnp_4x8 (param $pa $pb $pc $k $rowStride $kStride $ldb $ldc $acc i32))  ;; 4×8 block of C, A packed
 *   (func $nt_2x4 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 2×4 block of C
 *   (func $nt_2x1 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 2×1 block of C (the rows may alias)
 *   (func $nt_1x8 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 1×8 block of C
 * )
 */
const KERNELS_WASM_RELAXED = fromBase64(
  "AGFzbQEAAAABMwRgCn9/f39/f39/f38AYAt/f39/f39/f39/fwBgCX9/f39/f39/fwBgCH9/f39/f39/AAIPAQNlbnYGbWVtb3J5" +
  "AgAAAw8OAAAAAQICAgICAgIDAwMGBgF/AUEACwcmBAdnZW1tX250AAAHZ2VtbV9ubgABB2dlbW1fdG4AAgRwYWNrAwAKuikOswIB" +
  "B38gAkUEQCAJBEAPCwsgBEECdCEEIAZBAnQhBiAIQQJ0IQgCQANAIAogAEhFDQEgACAKa0ECTiEQIARBACAQGyEOIAhBACAQGyEP" +
  "QQAhCyAFIQwgByENAkADQCABIAtrQQhOIBBFcUUNASADIAwgDSACIA4gBiAPIAkQDSALQQhqIQsgDCAGQQhsaiEMIA1BIGohDQwA" +
  "CwsCQANAIAEgC2tBBE5FDQEgAyAMIA0gAiAOIAYgDyAJEAsgC0EEaiELIAwgBkEEbGohDCANQRBqIQ0MAAsLAkADQCABIAtrQQFO" +
  "RQ0BIAMgDCANIAIgDiAGIA8gCRAMIAtBAWohCyAMIAZBAWxqIQwgDUEEaiENDAALCyADIARBAmxqIQMgByAIQQJsaiEHIApBAmoh" +
  "CgwACwsLHQAgACABIAIgAyAEQQJ0QQQgBSAGIAcgCCAJEAMLHQAgACABIAIgA0EEIARBAnQgBSAGIAcgCCAJEAML2QgDEX8IewJ/" +
  "IAJFBEAgCgRADwsLIAdBAnQhByAJQQJ0IQkgAUECdCEQIwBFRSAEQQRGIAVBBEZycSABQcAATnEhEQNAQYACIAIgAkGAAksbIQsg" +
  "AyEOIAghD0EAIQwCQANAIAAgDGtBBE5FDQEgDiESIAQhEyAFIRQgEQRAIARBBEYEQCAOIRUjACIWIAtBEGxqIRcDQCAWIBX9AAIA" +
  "/QsCACAVIAVqIRUgFkEQaiEWIBYgF0kNAAsjACESQQQhE0EQIRQFIA4hGCAYIARqIRkgGSAEaiEaIBogBGohGyMAISQjACALQXxx" +
  "QRBsaiElAkAgJCAlTw0AA0AgGP0AAgAhHCAZ/QACACEdIBr9AAIAIR4gG/0AAgAhHyAcIB39DQABAgMQERITBAUGBxQVFhchICAc" +
  "IB39DQgJCgsYGRobDA0ODxwdHh8hISAeIB/9DQABAgMQERITBAUGBxQVFhchIiAeIB/9DQgJCgsYGRobDA0ODxwdHh8hIyAkICAg" +
  "Iv0NAAECAwQFBgcQERITFBUWF/0LAgAgJCAgICL9DQgJCgsMDQ4PGBkaGxwdHh/9CwIQICQgISAj/Q0AAQIDBAUGBxAREhMUFRYX" +
  "/QsCICAkICEgI/0NCAkKCwwNDg8YGRobHB0eH/0LAjAgGEEQaiEYIBlBEGohGSAaQRBqIRogG0EQaiEbICRBwABqISQgJCAlSQ0A" +
  "CwsjACALQRBsaiElAkAgJCAlTw0AA0AgJCAYKgIAOAIAIBhBBGohGCAkIBkqAgA4AgQgGUEEaiEZICQgGioCADgCCCAaQQRqIRog" +
  "JCAbKgIAOAIMIBtBBGohGyAkQRBqISQgJCAlSQ0ACwsjACESQQQhE0EQIRQLC0EAIQ0CQANAIBAgDWtBIE5FDQEgEQRAIBIgBiAN" +
  "aiAPIA1qIAsgEyAUIAcgCSAKEAoFIBIgBiANaiAPIA1qIAsgEyAUIAcgCSAKEAQLIA1BIGohDQwACwsgECANa0EQTgRAIBIgBiAN" +
  "aiAPIA1qIAsgEyAUIAcgCSAKEAUgDUEQaiENCwJAA0AgECANa0EETkUNASASIAYgDWogDyANaiALIBMgFCAHIAkgChAGIA1BBGoh" +
  "DQwACwsgDiAEQQRsaiEOIA8gCUEEbGohDyAMQQRqIQwMAAsLAkADQCAAIAxrQQFORQ0BIA4hEiAEIRMgBSEUQQAhDQJAA0AgECAN" +
  "a0EgTkUNASASIAYgDWogDyANaiALIBMgFCAHIAkgChAHIA1BIGohDQwACwsgECANa0EQTgRAIBIgBiANaiAPIA1qIAsgEyAUIAcg" +
  "CSAKEAggDUEQaiENCwJAA0AgECANa0EETkUNASASIAYgDWogDyANaiALIBMgFCAHIAkgChAJIA1BBGohDQwACwsgDiAEQQFsaiEO" +
  "IA8gCUEBbGohDyAMQQFqIQwMAAsLIAMgBSALbGohAyAGIAcgC2xqIQZBASEKIAIgC2siAg0ACwueAwMDfwt7A38gACAEaiEJIAkg" +
  "BGohCiAKIARqIQsCQCADRQ0AA0AgAf0AAgAhDCAB/QACECENIAD9CQIAIQ4gDiAMIA/9hQIhDyAOIA0gEP2FAiEQIAn9CQIAIQ4g" +
  "DiAMIBH9hQIhESAOIA0gEv2FAiESIAr9CQIAIQ4gDiAMIBP9hQIhEyAOIA0gFP2FAiEUIAv9CQIAIQ4gDiAMIBX9hQIhFSAOIA0g" +
  "Fv2FAiEWIAAgBWohACAJIAVqIQkgCiAFaiEKIAsgBWohCyABIAZqIQEgA0EBayIDDQALCyACIAdqIRcgFyAHaiEYIBggB2ohGSAI" +
  "BEAgAv0AAgAgD/3kASEPIAL9AAIQIBD95AEhECAX/QACACAR/eQBIREgF/0AAhAgEv3kASESIBj9AAIAIBP95AEhEyAY/QACECAU" +
  "/eQBIRQgGf0AAgAgFf3kASEVIBn9AAIQIBb95AEhFgsgAiAP/QsCACACIBD9CwIQIBcgEf0LAgAgFyAS/QsCECAYIBP9CwIAIBgg" +
  "FP0LAhAgGSAV/QsCACAZIBb9CwIQC5YCAwN/BnsDfyAAIARqIQkgCSAEaiEKIAogBGohCwJAIANFDQADQCAB/QACACEMIAD9CQIA" +
  "IQ0gDSAMIA79hQIhDiAJ/QkCACENIA0gDCAP/YUCIQ8gCv0JAgAhDSANIAwgEP2FAiEQIAv9CQIAIQ0gDSAMIBH9hQIhESAAIAVq" +
  "IQAgCSAFaiEJIAogBWohCiALIAVqIQsgASAGaiEBIANBAWsiAw0ACwsgAiAHaiESIBIgB2ohEyATIAdqIRQgCARAIAL9AAIAIA79" +
  "5AEhDiAS/QACACAP/eQBIQ8gE/0AAgAgEP3kASEQIBT9AAIAIBH95AEhEQsgAiAO/QsCACASIA/9CwIAIBMgEP0LAgAgFCAR/QsC" +
  "AAuaAgMDfwZ7A38gACAEaiEJIAkgBGohCiAKIARqIQsCQCADRQ0AA0AgAf1cAgAhDCAA/QkCACENIA0gDCAO/YUCIQ4gCf0JAgAh" +
  "DSANIAwgD/2FAiEPIAr9CQIAIQ0gDSAMIBD9hQIhECAL/QkCACENIA0gDCAR/YUCIREgACAFaiEAIAkgBWohCSAKIAVqIQogCyAF" +
  "aiELIAEgBmohASADQQFrIgMNAAsLIAIgB2ohEiASIAdqIRMgEyAHaiEUIAgEQCAC/VwCACAO/eQBIQ4gEv1cAgAgD/3kASEPIBP9" +
  "XAIAIBD95AEhECAU/VwCACAR/eQBIRELIAIgDv1aAgAAIBIgD/1aAgAAIBMgEP1aAgAAIBQgEf1aAgAAC4MBAQV7AkAgA0UNAANA" +
  "IAH9AAIAIQkgAf0AAhAhCiAA/QkCACELIAsgCSAM/YUCIQwgCyAKIA39hQIhDSAAIAVqIQAgASAGaiEBIANBAWsiAw0ACwsgCARA" +
  "IAL9AAIAIAz95AEhDCAC/QACECAN/eQBIQ0LIAIgDP0LAgAgAiAN/QsCEAtbAQN7AkAgA0UNAANAIAH9AAIAIQkgAP0JAgAhCiAK" +
  "IAkgC/2FAiELIAAgBWohACABIAZqIQEgA0EBayIDDQALCyAIBEAgAv0AAgAgC/3kASELCyACIAv9CwIAC1wBA3sCQCADRQ0AA0Ag" +
  "Af1cAgAhCSAA/QkCACEKIAogCSAL/YUCIQsgACAFaiEAIAEgBmohASADQQFrIgMNAAsLIAgEQCAC/VwCACAL/eQBIQsLIAIgC/1a" +
  "AgAAC/ICAgt7A38CQCADRQ0AA0AgAf0AAgAhCSAB/QACECEKIAD9CQIAIQsgCyAJIAz9hQIhDCALIAogDf2FAiENIAD9CQIEIQsg" +
  "CyAJIA79hQIhDiALIAogD/2FAiEPIAD9CQIIIQsgCyAJIBD9hQIhECALIAogEf2FAiERIAD9CQIMIQsgCyAJIBL9hQIhEiALIAog" +
  "E/2FAiETIABBEGohACABIAZqIQEgA0EBayIDDQALCyACIAdqIRQgFCAHaiEVIBUgB2ohFiAIBEAgAv0AAgAgDP3kASEMIAL9AAIQ" +
  "IA395AEhDSAU/QACACAO/eQBIQ4gFP0AAhAgD/3kASEPIBX9AAIAIBD95AEhECAV/QACECAR/eQBIREgFv0AAgAgEv3kASESIBb9" +
  "AAIQIBP95AEhEwsgAiAM/QsCACACIA39CwIQIBQgDv0LAgAgFCAP/QsCECAVIBD9CwIAIBUgEf0LAhAgFiAS/QsCACAWIBP9CwIQ" +
  "C5oGAwV/C3sBfyAAIARqIQggASAFaiEJIAkgBWohCiAKIAVqIQsgA0ECdiEMAkAgDEUNAANAIAD9AAIAIQ0gCP0AAgAhDiAB/QAC" +
  "ACEPIA0gDyAQ/YUCIRAgDiAPIBT9hQIhFCAJ/QACACEPIA0gDyAR/YUCIREgDiAPIBX9hQIhFSAK/QACACEPIA0gDyAS/YUCIRIg" +
  "DiAPIBb9hQIhFiAL/QACACEPIA0gDyAT/YUCIRMgDiAPIBf9hQIhFyAAQRBqIQAgCEEQaiEIIAFBEGohASAJQRBqIQkgCkEQaiEK" +
  "IAtBEGohCyAMQQFrIgwNAAsLIANBA3EhDAJAIAxFDQADQCAA/VwCACENIAj9XAIAIQ4gAf1cAgAhDyANIA8gEP2FAiEQIA4gDyAU" +
  "/YUCIRQgCf1cAgAhDyANIA8gEf2FAiERIA4gDyAV/YUCIRUgCv1cAgAhDyANIA8gEv2FAiESIA4gDyAW/YUCIRYgC/1cAgAhDyAN" +
  "IA8gE/2FAiETIA4gDyAX/YUCIRcgAEEEaiEAIAhBBGohCCABQQRqIQEgCUEEaiEJIApBBGohCiALQQRqIQsgDEEBayIMDQALCyAQ" +
  "IBH9DQABAgMQERITBAUGBxQVFhcgECAR/Q0ICQoLGBkaGwwNDg8cHR4f/eQBIRAgEiAT/Q0AAQIDEBESEwQFBgcUFRYXIBIgE/0N" +
  "CAkKCxgZGhsMDQ4PHB0eH/3kASESIBAgEv0NAAECAwQFBgcQERITFBUWFyAQIBL9DQgJCgsMDQ4PGBkaGxwdHh/95AEhECAUIBX9" +
  "DQABAgMQERITBAUGBxQVFhcgFCAV/Q0ICQoLGBkaGwwNDg8cHR4f/eQBIRQgFiAX/Q0AAQIDEBESEwQFBgcUFRYXIBYgF/0NCAkK" +
  "CxgZGhsMDQ4PHB0eH/3kASEWIBQgFv0NAAECAwQFBgcQERITFBUWFyAUIBb9DQgJCgsMDQ4PGBkaGxwdHh/95AEhFCACIAZqIRgg" +
  "BwRAIAL9AAIAIBD95AEhECAY/QACACAU/eQBIRQLIAIgEP0LAgAgGCAU/QsCAAvHAwMCfwV7AX8gACAEaiEIIANBAnYhCQJAIAlF" +
  "DQADQCAA/QACACEKIAj9AAIAIQsgAf0AAgAhDCAKIAwgDf2FAiENIAsgDCAO/YUCIQ4gAEEQaiEAIAhBEGohCCABQRBqIQEgCUEB" +
  "ayIJDQALCyADQQNxIQkCQCAJRQ0AA0AgAP1cAgAhCiAI/VwCACELIAH9XAIAIQwgCiAMIA39hQIhDSALIAwgDv2FAiEOIABBBGoh" +
  "ACAIQQRqIQggAUEEaiEBIAlBAWsiCQ0ACwsgDSAN/Q0AAQIDBAUGBxAREhMUFRYXIA0gDf0NCAkKCwwNDg8YGRobHB0eH/3kASEN" +
  "IA0gDf0NAAECAxAREhMAAQIDAAECAyANIA39DQQFBgcUFRYXBAUGBwQFBgf95AEhDSAOIA79DQABAgMEBQYHEBESExQVFhcgDiAO" +
  "/Q0ICQoLDA0ODxgZGhscHR4f/eQBIQ4gDiAO/Q0AAQIDEBESEwABAgMAAQIDIA4gDv0NBAUGBxQVFhcEBQYHBAUGB/3kASEOIAIg" +
  "BmohDyAHBEAgAv1cAgAgDf3kASENIA/9XAIAIA795AEhDgsgAiAN/VoCAAAgDyAO/VoCAAALgAcCCH8KeyABIAVqIQggCCAFaiEJ" +
  "IAkgBWohCiAKIAVqIQsgCyAFaiEMIAwgBWohDSANIAVqIQ4gA0ECdiEPAkAgD0UNAANAIAD9AAIAIRAgAf0AAgAhESAQIBEgEv2F" +
  "AiESIAj9AAIAIREgECARIBP9hQIhEyAJ/QACACERIBAgESAU/YUCIRQgCv0AAgAhESAQIBEgFf2FAiEVIAv9AAIAIREgECARIBb9" +
  "hQIhFiAM/QACACERIBAgESAX/YUCIRcgDf0AAgAhESAQIBEgGP2FAiEYIA79AAIAIREgECARIBn9hQIhGSAAQRBqIQAgAUEQaiEB" +
  "IAhBEGohCCAJQRBqIQkgCkEQaiEKIAtBEGohCyAMQRBqIQwgDUEQaiENIA5BEGohDiAPQQFrIg8NAAsLIANBA3EhDwJAIA9FDQAD" +
  "QCAA/VwCACEQIAH9XAIAIREgECARIBL9hQIhEiAI/VwCACERIBAgESAT/YUCIRMgCf1cAgAhESAQIBEgFP2FAiEUIAr9XAIAIREg" +
  "ECARIBX9hQIhFSAL/VwCACERIBAgESAW/YUCIRYgDP1cAgAhESAQIBEgF/2FAiEXIA39XAIAIREgECARIBj9hQIhGCAO/VwCACER" +
  "IBAgESAZ/YUCIRkgAEEEaiEAIAFBBGohASAIQQRqIQggCUEEaiEJIApBBGohCiALQQRqIQsgDEEEaiEMIA1BBGohDSAOQQRqIQ4g" +
  "D0EBayIPDQALCyASIBP9DQABAgMQERITBAUGBxQVFhcgEiAT/Q0ICQoLGBkaGwwNDg8cHR4f/eQBIRIgFCAV/Q0AAQIDEBESEwQF" +
  "BgcUFRYXIBQgFf0NCAkKCxgZGhsMDQ4PHB0eH/3kASEUIBIgFP0NAAECAwQFBgcQERITFBUWFyASIBT9DQgJCgsMDQ4PGBkaGxwd" +
  "Hh/95AEhEiAWIBf9DQABAgMQERITBAUGBxQVFhcgFiAX/Q0ICQoLGBkaGwwNDg8cHR4f/eQBIRYgGCAZ/Q0AAQIDEBESEwQFBgcU" +
  "FRYXIBggGf0NCAkKCxgZGhsMDQ4PHB0eH/3kASEYIBYgGP0NAAECAwQFBgcQERITFBUWFyAWIBj9DQgJCgsMDQ4PGBkaGxwdHh/9" +
  "5AEhFiAHBEAgAv0AAgAgEv3kASESIAL9AAIQIBb95AEhFgsgAiAS/QsCACACIBb9CwIQCw=="
);

/*
 * SIMD matrix-product kernels (float32, baseline), 3729 bytes of WebAssembly emitted by rnnc. What they contain:
 * ;; rnnc matrix kernels: float32, 3729 bytes of WebAssembly, baseline SIMD only (no relaxed SIMD, no FMA).
 * ;; Row-major. Pointers are byte offsets into env.memory, leading dimensions are in elements; acc ≠ 0 adds into C,
 * ;; which must not overlap A or B.
 * ;; Sums: nn, tn in order p = 0…k−1, in panels of 256 products, each added to C in turn; nt in 4 partial
 * ;; sums over p mod 4 (the last k mod 4 products into s0), then (s0+s2)+(s1+s3). So C[i][j] depends only on row i
 * ;; of A, column j of B, k and acc: never on m, n or the block it falls in.
 * (module
 *   (import "env" "memory" (memory 0))
 *   (global $pack (export "pack") (mut i32) (i32.const 0))  ;; gemm_tn's scratch: 4096 bytes per thread; 0 = none, no packing
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
 *   (func $nt_2x4 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 2×4 block of C
 *   (func $nt_2x1 (param $pa $pb $pc $k $lda $ldb $ldc $acc i32))  ;; 2×1 block of C (the rows may alias)
 * )
 */
const KERNELS_WASM_BASELINE = fromBase64(
  "AGFzbQEAAAABMwRgCn9/f39/f39/f38AYAt/f39/f39/f39/fwBgCX9/f39/f39/fwBgCH9/f39/f39/AAIPAQNlbnYGbWVtb3J5" +
  "AgAAAw0MAAAAAQICAgICAgMDBgYBfwFBAAsHJgQHZ2VtbV9udAAAB2dlbW1fbm4AAQdnZW1tX3RuAAIEcGFjawMACoEcDPIBAQd/" +
  "IAJFBEAgCQRADwsLIARBAnQhBCAGQQJ0IQYgCEECdCEIAkADQCAKIABIRQ0BIAAgCmtBAk4hECAEQQAgEBshDiAIQQAgEBshD0EA" +
  "IQsgBSEMIAchDQJAA0AgASALa0EETkUNASADIAwgDSACIA4gBiAPIAkQCiALQQRqIQsgDCAGQQRsaiEMIA1BEGohDQwACwsCQANA" +
  "IAEgC2tBAU5FDQEgAyAMIA0gAiAOIAYgDyAJEAsgC0EBaiELIAwgBkEBbGohDCANQQRqIQ0MAAsLIAMgBEECbGohAyAHIAhBAmxq" +
  "IQcgCkECaiEKDAALCwsdACAAIAEgAiADIARBAnRBBCAFIAYgByAIIAkQAwsdACAAIAEgAiADQQQgBEECdCAFIAYgByAIIAkQAwvf" +
  "BAENfyACRQRAIAoEQA8LCyAHQQJ0IQcgCUECdCEJIAFBAnQhECMARUUgBEEERnEgAUHAAE5xIREDQEGAAiACIAJBgAJLGyELIAMh" +
  "DiAIIQ9BACEMAkADQCAAIAxrQQRORQ0BIA4hEiAEIRMgBSEUIBEEQCAOIRUjACIWIAtBEGxqIRcDQCAWIBX9AAIA/QsCACAVIAVq" +
  "IRUgFkEQaiEWIBYgF0kNAAsjACESQQQhE0EQIRQLQQAhDQJAA0AgECANa0EgTkUNASASIAYgDWogDyANaiALIBMgFCAHIAkgChAE" +
  "IA1BIGohDQwACwsgECANa0EQTgRAIBIgBiANaiAPIA1qIAsgEyAUIAcgCSAKEAUgDUEQaiENCwJAA0AgECANa0EETkUNASASIAYg" +
  "DWogDyANaiALIBMgFCAHIAkgChAGIA1BBGohDQwACwsgDiAEQQRsaiEOIA8gCUEEbGohDyAMQQRqIQwMAAsLAkADQCAAIAxrQQFO" +
  "RQ0BIA4hEiAEIRMgBSEUQQAhDQJAA0AgECANa0EgTkUNASASIAYgDWogDyANaiALIBMgFCAHIAkgChAHIA1BIGohDQwACwsgECAN" +
  "a0EQTgRAIBIgBiANaiAPIA1qIAsgEyAUIAcgCSAKEAggDUEQaiENCwJAA0AgECANa0EETkUNASASIAYgDWogDyANaiALIBMgFCAH" +
  "IAkgChAJIA1BBGohDQwACwsgDiAEQQFsaiEOIA8gCUEBbGohDyAMQQFqIQwMAAsLIAMgBSALbGohAyAGIAcgC2xqIQZBASEKIAIg" +
  "C2siAg0ACwu2AwMDfwt7A38gACAEaiEJIAkgBGohCiAKIARqIQsCQCADRQ0AA0AgAf0AAgAhDCAB/QACECENIAD9CQIAIQ4gDyAO" +
  "IAz95gH95AEhDyAQIA4gDf3mAf3kASEQIAn9CQIAIQ4gESAOIAz95gH95AEhESASIA4gDf3mAf3kASESIAr9CQIAIQ4gEyAOIAz9" +
  "5gH95AEhEyAUIA4gDf3mAf3kASEUIAv9CQIAIQ4gFSAOIAz95gH95AEhFSAWIA4gDf3mAf3kASEWIAAgBWohACAJIAVqIQkgCiAF" +
  "aiEKIAsgBWohCyABIAZqIQEgA0EBayIDDQALCyACIAdqIRcgFyAHaiEYIBggB2ohGSAIBEAgAv0AAgAgD/3kASEPIAL9AAIQIBD9" +
  "5AEhECAX/QACACAR/eQBIREgF/0AAhAgEv3kASESIBj9AAIAIBP95AEhEyAY/QACECAU/eQBIRQgGf0AAgAgFf3kASEVIBn9AAIQ" +
  "IBb95AEhFgsgAiAP/QsCACACIBD9CwIQIBcgEf0LAgAgFyAS/QsCECAYIBP9CwIAIBggFP0LAhAgGSAV/QsCACAZIBb9CwIQC6IC" +
  "AwN/BnsDfyAAIARqIQkgCSAEaiEKIAogBGohCwJAIANFDQADQCAB/QACACEMIAD9CQIAIQ0gDiANIAz95gH95AEhDiAJ/QkCACEN" +
  "IA8gDSAM/eYB/eQBIQ8gCv0JAgAhDSAQIA0gDP3mAf3kASEQIAv9CQIAIQ0gESANIAz95gH95AEhESAAIAVqIQAgCSAFaiEJIAog" +
  "BWohCiALIAVqIQsgASAGaiEBIANBAWsiAw0ACwsgAiAHaiESIBIgB2ohEyATIAdqIRQgCARAIAL9AAIAIA795AEhDiAS/QACACAP" +
  "/eQBIQ8gE/0AAgAgEP3kASEQIBT9AAIAIBH95AEhEQsgAiAO/QsCACASIA/9CwIAIBMgEP0LAgAgFCAR/QsCAAumAgMDfwZ7A38g" +
  "ACAEaiEJIAkgBGohCiAKIARqIQsCQCADRQ0AA0AgAf1cAgAhDCAA/QkCACENIA4gDSAM/eYB/eQBIQ4gCf0JAgAhDSAPIA0gDP3m" +
  "Af3kASEPIAr9CQIAIQ0gECANIAz95gH95AEhECAL/QkCACENIBEgDSAM/eYB/eQBIREgACAFaiEAIAkgBWohCSAKIAVqIQogCyAF" +
  "aiELIAEgBmohASADQQFrIgMNAAsLIAIgB2ohEiASIAdqIRMgEyAHaiEUIAgEQCAC/VwCACAO/eQBIQ4gEv1cAgAgD/3kASEPIBP9" +
  "XAIAIBD95AEhECAU/VwCACAR/eQBIRELIAIgDv1aAgAAIBIgD/1aAgAAIBMgEP1aAgAAIBQgEf1aAgAAC4kBAQV7AkAgA0UNAANA" +
  "IAH9AAIAIQkgAf0AAhAhCiAA/QkCACELIAwgCyAJ/eYB/eQBIQwgDSALIAr95gH95AEhDSAAIAVqIQAgASAGaiEBIANBAWsiAw0A" +
  "CwsgCARAIAL9AAIAIAz95AEhDCAC/QACECAN/eQBIQ0LIAIgDP0LAgAgAiAN/QsCEAteAQN7AkAgA0UNAANAIAH9AAIAIQkgAP0J" +
  "AgAhCiALIAogCf3mAf3kASELIAAgBWohACABIAZqIQEgA0EBayIDDQALCyAIBEAgAv0AAgAgC/3kASELCyACIAv9CwIAC18BA3sC" +
  "QCADRQ0AA0AgAf1cAgAhCSAA/QkCACEKIAsgCiAJ/eYB/eQBIQsgACAFaiEAIAEgBmohASADQQFrIgMNAAsLIAgEQCAC/VwCACAL" +
  "/eQBIQsLIAIgC/1aAgAAC8oGAwV/C3sBfyAAIARqIQggASAFaiEJIAkgBWohCiAKIAVqIQsgA0ECdiEMAkAgDEUNAANAIAD9AAIA" +
  "IQ0gCP0AAgAhDiAB/QACACEPIBAgDSAP/eYB/eQBIRAgFCAOIA/95gH95AEhFCAJ/QACACEPIBEgDSAP/eYB/eQBIREgFSAOIA/9" +
  "5gH95AEhFSAK/QACACEPIBIgDSAP/eYB/eQBIRIgFiAOIA/95gH95AEhFiAL/QACACEPIBMgDSAP/eYB/eQBIRMgFyAOIA/95gH9" +
  "5AEhFyAAQRBqIQAgCEEQaiEIIAFBEGohASAJQRBqIQkgCkEQaiEKIAtBEGohCyAMQQFrIgwNAAsLIANBA3EhDAJAIAxFDQADQCAA" +
  "/VwCACENIAj9XAIAIQ4gAf1cAgAhDyAQIA0gD/3mAf3kASEQIBQgDiAP/eYB/eQBIRQgCf1cAgAhDyARIA0gD/3mAf3kASERIBUg" +
  "DiAP/eYB/eQBIRUgCv1cAgAhDyASIA0gD/3mAf3kASESIBYgDiAP/eYB/eQBIRYgC/1cAgAhDyATIA0gD/3mAf3kASETIBcgDiAP" +
  "/eYB/eQBIRcgAEEEaiEAIAhBBGohCCABQQRqIQEgCUEEaiEJIApBBGohCiALQQRqIQsgDEEBayIMDQALCyAQIBH9DQABAgMQERIT" +
  "BAUGBxQVFhcgECAR/Q0ICQoLGBkaGwwNDg8cHR4f/eQBIRAgEiAT/Q0AAQIDEBESEwQFBgcUFRYXIBIgE/0NCAkKCxgZGhsMDQ4P" +
  "HB0eH/3kASESIBAgEv0NAAECAwQFBgcQERITFBUWFyAQIBL9DQgJCgsMDQ4PGBkaGxwdHh/95AEhECAUIBX9DQABAgMQERITBAUG" +
  "BxQVFhcgFCAV/Q0ICQoLGBkaGwwNDg8cHR4f/eQBIRQgFiAX/Q0AAQIDEBESEwQFBgcUFRYXIBYgF/0NCAkKCxgZGhsMDQ4PHB0e" +
  "H/3kASEWIBQgFv0NAAECAwQFBgcQERITFBUWFyAUIBb9DQgJCgsMDQ4PGBkaGxwdHh/95AEhFCACIAZqIRggBwRAIAL9AAIAIBD9" +
  "5AEhECAY/QACACAU/eQBIRQLIAIgEP0LAgAgGCAU/QsCAAvTAwMCfwV7AX8gACAEaiEIIANBAnYhCQJAIAlFDQADQCAA/QACACEK" +
  "IAj9AAIAIQsgAf0AAgAhDCANIAogDP3mAf3kASENIA4gCyAM/eYB/eQBIQ4gAEEQaiEAIAhBEGohCCABQRBqIQEgCUEBayIJDQAL" +
  "CyADQQNxIQkCQCAJRQ0AA0AgAP1cAgAhCiAI/VwCACELIAH9XAIAIQwgDSAKIAz95gH95AEhDSAOIAsgDP3mAf3kASEOIABBBGoh" +
  "ACAIQQRqIQggAUEEaiEBIAlBAWsiCQ0ACwsgDSAN/Q0AAQIDBAUGBxAREhMUFRYXIA0gDf0NCAkKCwwNDg8YGRobHB0eH/3kASEN" +
  "IA0gDf0NAAECAxAREhMAAQIDAAECAyANIA39DQQFBgcUFRYXBAUGBwQFBgf95AEhDSAOIA79DQABAgMEBQYHEBESExQVFhcgDiAO" +
  "/Q0ICQoLDA0ODxgZGhscHR4f/eQBIQ4gDiAO/Q0AAQIDEBESEwABAgMAAQIDIA4gDv0NBAUGBxQVFhcEBQYHBAUGB/3kASEOIAIg" +
  "BmohDyAHBEAgAv1cAgAgDf3kASENIA/9XAIAIA795AEhDgsgAiAN/VoCAAAgDyAO/VoCAAAL"
);

/** A module that uses one relaxed-SIMD instruction: it validates only where the engine has relaxed SIMD. */
const RELAXED_SIMD_PROBE = fromBase64(
  "AGFzbQEAAAABCAFgA3t7ewF7AwIBAAcBAAoNAQsAIAAgASAC/YUCCw=="
);

/** The kernels, compiled once: relaxed SIMD's (fused multiply-add) where this engine has relaxed SIMD and compiles them, the baseline's elsewhere. */
const KERNELS = compileKernels();
export const KERNEL_VARIANT: "relaxed" | "baseline" = KERNELS.variant;

function compileKernels(): { readonly variant: "relaxed" | "baseline"; readonly module: object } {
  if (wasm.validate(RELAXED_SIMD_PROBE)) {
    try {
      return { variant: "relaxed", module: new wasm.Module(KERNELS_WASM_RELAXED) };
    } catch {
      // an engine that compiles only small modules synchronously (Chrome 114 on a page's main thread): the baseline is under 4 KB
    }
  }
  return { variant: "baseline", module: new wasm.Module(KERNELS_WASM_BASELINE) };
}
/*
 * SIMD activation kernels (float32), 2148 bytes of WebAssembly emitted by rnnc. What they contain:
 * ;; rnnc activation kernels: float32, 2148 bytes of WebAssembly, baseline SIMD only. Doubles two at a time, the
 * ;; generated JavaScript's operations in its order: the same float32 bits. Pointers are byte offsets into env.memory.
 * (module
 *   (import "env" "memory" (memory 0))
 *   (func $tanh_f32 (export "tanh_f32") (param $p $count i32))  ;; x ← tanh(x) in place, float32, as the generated JavaScript's tanh
 *   (func $tanh_backward_f32 (export "tanh_backward_f32") (param $dPre $dOut $h $count i32))  ;; dPre = flush(dOut·(1 − h²)), float32, as the rnn's backward loop
 *   (func $bias_sums_f32 (export "bias_sums_f32") (param $src $rows $cols $dstA $dstB $both i32))  ;; dst[j] += Σ_r src[r][j] in doubles, float32 (bias gradients)
 * )
 */
const ACTIVATIONS_WASM = fromBase64(
  "AGFzbQEAAAABFgNgAn9/AGAEf39/fwBgBn9/f39/fwACDwEDZW52Bm1lbW9yeQIAAAMEAwABAgcwAwh0YW5oX2YzMgAAEXRhbmhf" +
  "YmFja3dhcmRfZjMyAAENYmlhc19zdW1zX2YzMgACCvgPA54HAQh7AkADQCABQQhORQ0BIAD9AAIAIQIgAP0AAhAhBiACIAL95gEh" +
  "AyAGIAb95gEhB0PAJZ+l/RMgA/3mAUN+M2Eq/RP95AEhBEPAJZ+l/RMgB/3mAUN+M2Eq/RP95AEhCCAEIAP95gFD/ze9rv0T/eQB" +
  "IQQgCCAH/eYBQ/83va79E/3kASEIIAQgA/3mAUNBAFwz/RP95AEhBCAIIAf95gFDQQBcM/0T/eQBIQggBCAD/eYBQ0pDeTf9E/3k" +
  "ASEEIAggB/3mAUNKQ3k3/RP95AEhCCAEIAP95gFD7Q0nOv0T/eQBIQQgCCAH/eYBQ+0NJzr9E/3kASEIIAQgA/3mAUPcWaA7/RP9" +
  "5AEhBCAIIAf95gFD3FmgO/0T/eQBIQhD2NOgNf0TIAP95gFD1pX4OP0T/eQBIQVD2NOgNf0TIAf95gFD1pX4OP0T/eQBIQkgBSAD" +
  "/eYBQwWqFDv9E/3kASEFIAkgB/3mAUMFqhQ7/RP95AEhCSAFIAP95gFD3VmgO/0T/eQBIQUgCSAH/eYBQ91ZoDv9E/3kASEJIAIg" +
  "BP3mASAF/ecBIQQgBiAI/eYBIAn95wEhCCACIAQgAv3gAUMXt9E5/RP9Q/1SIQRDAACAP/0TIAQgAkNP+PxA/RP9RP1SIQRDAACA" +
  "v/0TIAQgAkNP+PzA/RP9Q/1SIQIgBiAIIAb94AFDF7fROf0T/UP9UiEIQwAAgD/9EyAIIAZDT/j8QP0T/UT9UiEIQwAAgL/9EyAI" +
  "IAZDT/j8wP0T/UP9UiEGIAAgAv0LAgAgACAG/QsCECAAQSBqIQAgAUEIayEBDAALCyABQQROBEAgAP0AAgAhAiACIAL95gEhA0PA" +
  "JZ+l/RMgA/3mAUN+M2Eq/RP95AEhBCAEIAP95gFD/ze9rv0T/eQBIQQgBCAD/eYBQ0EAXDP9E/3kASEEIAQgA/3mAUNKQ3k3/RP9" +
  "5AEhBCAEIAP95gFD7Q0nOv0T/eQBIQQgBCAD/eYBQ9xZoDv9E/3kASEEQ9jToDX9EyAD/eYBQ9aV+Dj9E/3kASEFIAUgA/3mAUMF" +
  "qhQ7/RP95AEhBSAFIAP95gFD3VmgO/0T/eQBIQUgAiAE/eYBIAX95wEhBCACIAQgAv3gAUMXt9E5/RP9Q/1SIQRDAACAP/0TIAQg" +
  "AkNP+PxA/RP9RP1SIQRDAACAv/0TIAQgAkNP+PzA/RP9Q/1SIQIgACAC/QsCACAAQRBqIQAgAUEEayEBCwtzAQJ7AkADQCADQQRO" +
  "RQ0BIAL9AAIAIQQgAf0AAgBDAACAP/0TIAQgBP3mAf3lAf3mASEFIABDAAAAAP0TIAUgBf3gAUNgQqIN/RP9Q/1S/QsCACAAQRBq" +
  "IQAgAUEQaiEBIAJBEGohAiADQQRrIQMMAAsLC+EHAgh7BH8gAkECdCERAkADQCARIBBrQcAATkUNAUQAAAAAAAAAAP0UIQZEAAAA" +
  "AAAAAAD9FCEHRAAAAAAAAAAA/RQhCEQAAAAAAAAAAP0UIQlEAAAAAAAAAAD9FCEKRAAAAAAAAAAA/RQhC0QAAAAAAAAAAP0UIQxE" +
  "AAAAAAAAAAD9FCENIAAgEGohDiABIQ8CQCAPRQ0AA0AgBiAO/V0CAP1f/fABIQYgByAO/V0CCP1f/fABIQcgCCAO/V0CEP1f/fAB" +
  "IQggCSAO/V0CGP1f/fABIQkgCiAO/V0CIP1f/fABIQogCyAO/V0CKP1f/fABIQsgDCAO/V0CMP1f/fABIQwgDSAO/V0COP1f/fAB" +
  "IQ0gDiARaiEOIA9BAWsiDw0ACwsgAyAQaiADIBBq/V0CAP1fIAb98AH9Xv1bAgAAIAMgEGogAyAQav1dAgj9XyAH/fAB/V79WwII" +
  "ACADIBBqIAMgEGr9XQIQ/V8gCP3wAf1e/VsCEAAgAyAQaiADIBBq/V0CGP1fIAn98AH9Xv1bAhgAIAMgEGogAyAQav1dAiD9XyAK" +
  "/fAB/V79WwIgACADIBBqIAMgEGr9XQIo/V8gC/3wAf1e/VsCKAAgAyAQaiADIBBq/V0CMP1fIAz98AH9Xv1bAjAAIAMgEGogAyAQ" +
  "av1dAjj9XyAN/fAB/V79WwI4ACAFBEAgBCAQaiAEIBBq/V0CAP1fIAb98AH9Xv1bAgAAIAQgEGogBCAQav1dAgj9XyAH/fAB/V79" +
  "WwIIACAEIBBqIAQgEGr9XQIQ/V8gCP3wAf1e/VsCEAAgBCAQaiAEIBBq/V0CGP1fIAn98AH9Xv1bAhgAIAQgEGogBCAQav1dAiD9" +
  "XyAK/fAB/V79WwIgACAEIBBqIAQgEGr9XQIo/V8gC/3wAf1e/VsCKAAgBCAQaiAEIBBq/V0CMP1fIAz98AH9Xv1bAjAAIAQgEGog" +
  "BCAQav1dAjj9XyAN/fAB/V79WwI4AAsgEEHAAGohEAwACwsCQANAIBEgEGtBEE5FDQFEAAAAAAAAAAD9FCEGRAAAAAAAAAAA/RQh" +
  "ByAAIBBqIQ4gASEPAkAgD0UNAANAIAYgDv1dAgD9X/3wASEGIAcgDv1dAgj9X/3wASEHIA4gEWohDiAPQQFrIg8NAAsLIAMgEGog" +
  "AyAQav1dAgD9XyAG/fAB/V79WwIAACADIBBqIAMgEGr9XQII/V8gB/3wAf1e/VsCCAAgBQRAIAQgEGogBCAQav1dAgD9XyAG/fAB" +
  "/V79WwIAACAEIBBqIAQgEGr9XQII/V8gB/3wAf1e/VsCCAALIBBBEGohEAwACwsL"
);

/** The rnn's tanh over a step's rows and its derivative, and bias-gradient sums; pointers are byte offsets in the shared memory, counts multiples of 4. */
interface ActivationKernels {
  tanh_f32(p: number, count: number): void;
  tanh_backward_f32(dPre: number, dOut: number, h: number, count: number): void;
  bias_sums_f32(src: number, rows: number, cols: number, dstA: number, dstB: number, both: number): void;
}
/** Where the init draws from: uniform numbers in [0, 1) and standard normals. */
export interface InitRandom {
  uniform(): number;
  normal(): number;
}

/**
 * A seeded generator: xoshiro128** with its state seeded through splitmix32; normals by Box–Muller, the second of
 * each pair kept for the next call. For the same seed it gives the numbers `rnnc train` initialises from.
 */
export function seededRandom(seed: number): InitRandom {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  let mix = seed >>> 0;
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  ;
  const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  let spare: number | undefined;
  const uniform = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    s0 >>>= 0;
    s1 >>>= 0;
    s2 >>>= 0;
    return result / 4294967296;
  }
  ;
  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - uniform();
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }
  ;
  return { uniform, normal };
}

/**
 * PyTorch's default init of every parameter, in PARAMETERS order, from `random`: U(−bound, bound), or N(0, std²)
 * with an embedding's padding row zeroed. `createModel` calls it; call it again to start over.
 */
export function initParameters(parameters: Float32Array, random: InitRandom): void {
  // rnn.weight_ih_l0 [32, 4] ~ U(±0.17677669529663687)
  fillUniform(parameters, 0, 128, 0.17677669529663687, random);
  // rnn.weight_hh_l0 [32, 32] ~ U(±0.17677669529663687)
  fillUniform(parameters, 128, 1152, 0.17677669529663687, random);
  // rnn.bias_ih_l0 [32] ~ U(±0.17677669529663687)
  fillUniform(parameters, 1152, 1184, 0.17677669529663687, random);
  // rnn.bias_hh_l0 [32] ~ U(±0.17677669529663687)
  fillUniform(parameters, 1184, 1216, 0.17677669529663687, random);
  // fc.weight [5, 32] ~ U(±0.17677669529663687)
  fillUniform(parameters, 1216, 1376, 0.17677669529663687, random);
  // fc.bias [5] ~ U(±0.17677669529663687)
  fillUniform(parameters, 1376, 1381, 0.17677669529663687, random);
}

/** parameters[from, to) ~ U(−bound, bound), drawn in order. */
function fillUniform(parameters: Float32Array, from: number, to: number, bound: number, random: InitRandom): void {
  const low = -bound;
  for (let i = from; i < to; i++) parameters[i] = low + (bound - low) * random.uniform();
}
/** The text codecs a safetensors header needs, typed here so the file needs no DOM or Node typings. */
interface TextCodecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
}

const codecs = globalThis as unknown as TextCodecs;
/** PARAMETERS as a plain list, for loops that need no literal types. */
const parameterList: readonly { readonly name: string; readonly shape: readonly number[]; readonly offset: number; readonly size: number }[] = PARAMETERS;

function safetensorsError(message: string): Error {
  return new Error(`safetensors: ${message}`);
}

/**
 * Loads weights from safetensors bytes (a file saved by `saveSafetensors`, `rnnc train --save` or PyTorch's
 * safetensors.torch.save_file) into `parameters`: every parameter by its state_dict name with its exact shape, F32
 * or F64, finite, and no other tensor. Everything is checked before anything is written: on a problem it throws,
 * naming the tensor, and the parameters are left as they were.
 */
function loadStateDict(parameters: Float32Array, bytes: Uint8Array): void {
  if (bytes.length < 8) throw safetensorsError(`${bytes.length} bytes are too few: a file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
  if (headerLength > bytes.length - 8) throw safetensorsError(`the header length is ${headerLength} bytes, but only ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new codecs.TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw safetensorsError(`the header is not UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw safetensorsError("the header is not a JSON object");
  const entries = header as Readonly<Record<string, unknown>>;
  const metadata = entries["__metadata__"];
  const hash = metadata !== null && typeof metadata === "object" ? (metadata as Readonly<Record<string, unknown>>)["architecture_sha256"] : undefined;
  const expected = parameterList.map((p) => p.name).join(", ");
  // rnnc train's checkpoints also hold what --resume needs, under names no state_dict has
  const extra = Object.keys(entries).filter((name) => name !== "__metadata__" && !name.startsWith("resume/") && !parameterList.some((p) => p.name === name));
  if (extra.length > 0) {
    const shown = extra.slice(0, 5).map((name) => JSON.stringify(name)).join(", ");
    throw safetensorsError(`the file holds ${shown}${extra.length > 5 ? ` and ${extra.length - 5} more` : ""}, which this model does not have (it has ${expected})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const staged = new Float32Array(PARAMETER_COUNT);
  for (const p of parameterList) {
    const entry = entries[p.name];
    if (entry === null || typeof entry !== "object") throw safetensorsError(`there is no tensor "${p.name}" (this model has ${expected})`);
    const { dtype, shape, data_offsets: offsets } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (dtype !== "F32" && dtype !== "F64") throw safetensorsError(`"${p.name}" is ${JSON.stringify(dtype)}; weights must be F32 or F64`);
    if (!Array.isArray(shape) || shape.length !== p.shape.length || shape.some((size: unknown, i) => size !== p.shape[i])) {
      throw safetensorsError(`"${p.name}" has shape ${JSON.stringify(shape)}, but this model's is [${p.shape.join(", ")}]`);
    }
    const width = dtype === "F32" ? 4 : 8;
    const [begin, end] = Array.isArray(offsets) ? (offsets as unknown[]) : [];
    if (typeof begin !== "number" || !Number.isSafeInteger(begin) || begin < 0 || end !== begin + p.size * width || end > dataLength) {
      throw safetensorsError(`"${p.name}": data_offsets ${JSON.stringify(offsets)} do not hold ${p.size} ${dtype} values within the ${dataLength} data bytes`);
    }
    for (let i = 0; i < p.size; i++) {
      const value = dtype === "F32" ? view.getFloat32(dataStart + begin + 4 * i, true) : view.getFloat64(dataStart + begin + 8 * i, true);
      staged[p.offset + i] = value;
      if (!Number.isFinite(staged[p.offset + i]!)) throw safetensorsError(`"${p.name}" element ${i} is ${value} (as float32): weights must be finite`);
    }
  }
  // the tensors fit, so a different fingerprint means the metadata no longer describes them
  if (typeof hash === "string" && hash !== ARCHITECTURE_SHA256) throw safetensorsError("its architecture_sha256 does not match the tensors it holds (the header was edited)");
  parameters.set(staged);
}

/**
 * The parameters as safetensors bytes (F32, state_dict names, PARAMETERS order), loadable with PyTorch's
 * safetensors.torch.load_file and `rnnc train --init`. The metadata records the model and its spec's hash, plus
 * `metadata`. Non-finite weights are refused: a checkpoint nothing can use is worse than none.
 */
function saveStateDict(parameters: Float32Array, metadata: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: "pt", model: MODEL_NAME, architecture_sha256: ARCHITECTURE_SHA256, spec_sha256: SPEC_SHA256, ...metadata } };
  let length = 0;
  for (const p of parameterList) {
    for (let i = 0; i < p.size; i++) {
      const value = parameters[p.offset + i]!;
      if (!Number.isFinite(value)) throw safetensorsError(`"${p.name}" element ${i} is ${value}; refusing to save weights that are not finite`);
    }
    header[p.name] = { dtype: "F32", shape: p.shape, data_offsets: [length, length + p.size * 4] };
    length += p.size * 4;
  }
  const encoder = new codecs.TextEncoder();
  const text = JSON.stringify(header);
  // spaces after the JSON, so that the data starts 8-byte aligned
  const headerBytes = encoder.encode(text + " ".repeat((8 - ((8 + encoder.encode(text).length) % 8)) % 8));
  const out = new Uint8Array(8 + headerBytes.length + length);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of parameterList) {
    for (let i = 0; i < p.size; i++, at += 4) view.setFloat32(at, parameters[p.offset + i]!, true);
  }
  return out;
}

/**
 * A model with its own preallocated parameters, gradients, optimizer state and activations, its parameters initialised as PyTorch's
 * defaults from a generator seeded by `options.seed` (default: the spec's train.seed). Training steps allocate nothing.
 */
export function createModel(options: CreateModelOptions = {}): Model {
  // Memory: every buffer at a fixed byte offset in one WebAssembly.Memory (138752 bytes), shared with the kernels
  const memory = new wasm.Memory({ initial: 3, maximum: 3 });
  const { gemm_nt, gemm_nn, gemm_tn, pack } = new wasm.Instance(KERNELS.module, { env: { memory } }).exports as Kernels;
  pack.value = 92544; // gemm_tn's packing scratch, kernel_pack
  const { tanh_f32, tanh_backward_f32, bias_sums_f32 } = new wasm.Instance(new wasm.Module(ACTIVATIONS_WASM), { env: { memory } }).exports as ActivationKernels;
  const heap = new Float32Array(memory.buffer); // the whole memory: copies between buffers are one copyWithin
  const at_parameters = 0;
  const parameters = new Float32Array(memory.buffer, 0, 1381); // all parameters, laid out as PARAMETERS says
  const at_gradients = 5536;
  const gradients = new Float32Array(memory.buffer, 5536, 1381); // their gradients, same layout
  const opt_m = new Float32Array(memory.buffer, 11072, 1381); // optimizer state `m`, same layout
  const opt_v = new Float32Array(memory.buffer, 16608, 1381); // optimizer state `v`, same layout
  const at_in_x = 22144;
  const in_x = new Float32Array(memory.buffer, 22144, 896); // input x: [batch, 7, 4]
  const at_out_rnn = 25728;
  const out_rnn = new Float32Array(memory.buffer, 25728, 7168); // rnn rnn: [batch, 7, 32]
  const at_dout_rnn = 54400;
  const dout_rnn = new Float32Array(memory.buffer, 54400, 7168); // gradient of rnn
  const at_out_last = 83072;
  const out_last = new Float32Array(memory.buffer, 83072, 1024); // last_step last: [batch, 32]
  const at_dout_last = 87168;
  const dout_last = new Float32Array(memory.buffer, 87168, 1024); // gradient of last
  const at_out_fc = 91264;
  const out_fc = new Float32Array(memory.buffer, 91264, 160); // linear fc: [batch, 5]
  const at_dout_fc = 91904;
  const dout_fc = new Float32Array(memory.buffer, 91904, 160); // gradient of fc
  const at_stream_in_x = 96640;
  const stream_in_x = new Float32Array(memory.buffer, 96640, 128); // streaming: one step of x
  const at_stream_out_rnn = 97152;
  const stream_out_rnn = new Float32Array(memory.buffer, 97152, 1024); // streaming: rnn rnn, one step
  const at_stream_state_rnn_hL0 = 101248;
  const stream_state_rnn_hL0 = new Float32Array(memory.buffer, 101248, 1024); // streaming: rnn's carried state hL0
  const at_stream_out_last = 105344;
  const at_stream_out_fc = 109440;
  const stream_out_fc = new Float32Array(memory.buffer, 109440, 160); // streaming: linear fc, one step
  const at_tmp_rnn_dPreL0 = 110080;

  // Views of each parameter and its gradient (PyTorch state_dict names)
  const at_w_rnn_weight_ih_l0 = at_parameters + 0; // rnn.weight_ih_l0
  const at_dw_rnn_weight_ih_l0 = at_gradients + 0; // rnn.weight_ih_l0
  const at_w_rnn_weight_hh_l0 = at_parameters + 512; // rnn.weight_hh_l0
  const at_dw_rnn_weight_hh_l0 = at_gradients + 512; // rnn.weight_hh_l0
  const w_rnn_bias_ih_l0 = parameters.subarray(1152, 1184); // rnn.bias_ih_l0 [32]
  const at_dw_rnn_bias_ih_l0 = at_gradients + 4608; // rnn.bias_ih_l0
  const w_rnn_bias_hh_l0 = parameters.subarray(1184, 1216); // rnn.bias_hh_l0 [32]
  const at_dw_rnn_bias_hh_l0 = at_gradients + 4736; // rnn.bias_hh_l0
  const at_w_fc_weight = at_parameters + 4864; // fc.weight
  const at_dw_fc_weight = at_gradients + 4864; // fc.weight
  const w_fc_bias = parameters.subarray(1376, 1381); // fc.bias [5]
  const dw_fc_bias = gradients.subarray(1376, 1381); // fc.bias [5]
  const stateDict: Readonly<Record<ParameterName, Float32Array>> = {
    "rnn.weight_ih_l0": parameters.subarray(0, 128),
    "rnn.weight_hh_l0": parameters.subarray(128, 1152),
    "rnn.bias_ih_l0": parameters.subarray(1152, 1184),
    "rnn.bias_hh_l0": parameters.subarray(1184, 1216),
    "fc.weight": parameters.subarray(1216, 1376),
    "fc.bias": parameters.subarray(1376, 1381),
  };
  // PyTorch's default init, from the generator seeded by options.seed (default: the spec's train.seed)
  initParameters(parameters, seededRandom(options.seed ?? TRAIN.seed));
  const optimizerState: OptimizerState = { step: 0, lr: 0.003, m: opt_m, v: opt_v };
  // The state of the generator that draws dropout masks, seeded by the spec's train.seed; save and restore it to replay a run
  const randomState = new Uint32Array([0]);

  function checkBatchSize(batchSize: number): void {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);
    }
  }

  /** The inputs the layers read (not the target): present, long enough, and in range. */
  function checkInputs(inputs: Inputs, batchSize: number): void {
    checkBatchSize(batchSize);
    if (inputs.x === undefined || inputs.x.length < batchSize * 28) {
      throw new RangeError(`inputs.x must hold at least batchSize·28 elements (28 per sample)`);
    }
  }

  /** The rest of a batch: the loss's target (and any input no layer reads). */
  function checkTargets(batch: Batch, batchSize: number): void {
    checkBatchSize(batchSize);
    if (batch.y === undefined || batch.y.length < batchSize * 1) {
      throw new RangeError(`batch.y must hold at least batchSize·1 elements (1 per sample)`);
    }
    for (let i = 0; i < batchSize * 1; i++) {
      const value = batch.y[i]!;
      if (!(value >= 0 && value <= 4) && value !== -100) {
        throw new RangeError(`batch.y[${i}] is ${value}: class indices must lie in [0, 4] (or be -100)`);
      }
    }
  }

  // Each node's code runs in a block of its own, so no two nodes' locals can clash.
  function run(inputs: Inputs, batchSize: number, training: boolean, batch?: Batch): Float32Array {
    checkInputs(inputs, batchSize);
    if (batch !== undefined) checkTargets(batch, batchSize);
    {
      const source = inputs.x;
      // copy `x` into the kernels' memory, time-major: in_x[t, b, :] = x[b, t, :]
      for (let b = 0; b < batchSize; b++) {
        for (let t = 0; t < 7; t++) {
          const from = (b * 7 + t) * 4;
          const to = (t * batchSize + b) * 4;
          for (let f = 0; f < 4; f++) {
            in_x[to + f] = source[from + f]!;
          }
        }
      }
    }
    {
      // rnn `rnn` layer 0 forward: h_t = tanh(x_t W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)
      {
        // start from b_ih + b_hh: the first row, then copies of the rows filled so far
        for (let j = 0; j < 32; j++) {
          out_rnn[j] = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
        }
        for (let filled = 32; filled < 7 * batchSize * 32; filled *= 2) out_rnn.copyWithin(filled, 0, Math.min(filled, 7 * batchSize * 32 - filled));
        // the input projection of every step at once: += x[t, b] W_ihᵀ
        gemm_nt(7 * batchSize, 32, 4, at_in_x, 4, at_w_rnn_weight_ih_l0, 4, at_out_rnn, 32, 1);
        for (let s = 0; s < 7; s++) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          if (s > 0) {
            // out[t] += h_prev W_hhᵀ
            gemm_nt(batchSize, 32, 32, at_out_rnn + (prevRow * 32) * 4, 32, at_w_rnn_weight_hh_l0, 32, at_out_rnn + (row * 32) * 4, 32, 1);
          }
          // h = tanh(pre) over the step's rows at once (WebAssembly, bit for bit the tanh helper)
          tanh_f32(at_out_rnn + (row * 32) * 4, batchSize * 32);
        }
      }
    }
    {
      // last_step `last` forward: out[b, :] = in[6, b, :] (sequences are time-major: the last step is one block)
      heap.copyWithin(at_out_last / 4, at_out_rnn / 4 + 6 * batchSize * 32, at_out_rnn / 4 + 6 * batchSize * 32 + batchSize * 32);
    }
    {
      // linear `fc` forward: out = in Wᵀ + b, [batch, 32] → [batch, 5]
      for (let r = 0; r < batchSize; r++) {
        for (let o = 0; o < 5; o++) {
          out_fc[r * 5 + o] = w_fc_bias[o]!;
        }
      }
      // out (+)= in Wᵀ
      gemm_nt(batchSize, 5, 32, at_out_last, 32, at_w_fc_weight, 32, at_out_fc, 5, 1);
    }
    void training; // no op of this model behaves differently in training
    return out_fc;
  }

  function computeLoss(batch: Batch, batchSize: number, training: boolean): number {
    run(batch, batchSize, training, batch);
    const target = batch.y;
    // cross_entropy: loss = mean over targets ≠ -100 of (logsumexp(logits) − logits[target]); dLogits = (softmax − onehot) / count
    let total = 0;
    let count = 0;
    for (let b = 0; b < batchSize; b++) {
      const row = b * 5;
      const label = target[b]!;
      if (label === -100) {
        for (let c = 0; c < 5; c++) {
          dout_fc[row + c] = 0;
        }
        continue;
      }
      let max = out_fc[row]!;
      for (let c = 0; c < 5; c++) {
        if (out_fc[row + c]! > max) max = out_fc[row + c]!;
      }
      let sumExp = 0;
      for (let c = 0; c < 5; c++) {
        sumExp += Math.exp(out_fc[row + c]! - max);
      }
      const logSumExp = max + Math.log(sumExp);
      total += logSumExp - out_fc[row + label]!;
      count++;
      for (let c = 0; c < 5; c++) {
        dout_fc[row + c] = Math.exp(out_fc[row + c]! - logSumExp) - (c === label ? 1 : 0);
      }
    }
    const scale = count > 0 ? 1 / count : 0;
    for (let i = 0; i < batchSize * 5; i++) {
      dout_fc[i]! *= scale;
    }
    const loss = total * scale;
    return loss;
  }

  function backward(batchSize: number): void {
    // gradients accumulate, so start from zero (the loss input's gradient was just written by the loss)
    gradients.fill(0);
    dout_rnn.fill(0, 0, batchSize * 224);
    dout_last.fill(0, 0, batchSize * 32);
    {
      // linear `fc` backward
      // dW += dOutᵀ in
      gemm_tn(5, 32, batchSize, at_dout_fc, 5, at_out_last, 32, at_dw_fc_weight, 32, 1);
      // db += Σ_rows dOut[row]
      for (let o = 0; o < 5; o++) {
        let sum = 0;
        for (let r = 0; r < batchSize; r++) {
          sum += dout_fc[r * 5 + o]!;
        }
        dw_fc_bias[o]! += sum;
      }
      // dIn += dOut W
      gemm_nn(batchSize, 32, 5, at_dout_fc, 5, at_w_fc_weight, 32, at_dout_last, 32, 1);
    }
    {
      // last_step `last` backward: only the step taken receives gradient
      const to = 6 * batchSize * 32;
      for (let i = 0; i < batchSize * 32; i++) {
        dout_rnn[to + i]! += dout_last[i]!;
      }
    }
    {
      // rnn `rnn` layer 0 backward through time (its input is a spec input: no input gradient)
      {
        for (let s = 7 - 1; s >= 0; s--) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          // dPre = flush(dOut·(1 − h²)) over the step's rows at once (WebAssembly, bit for bit the loop)
          tanh_backward_f32(at_tmp_rnn_dPreL0 + (row * 32) * 4, at_dout_rnn + (row * 32) * 4, at_out_rnn + (row * 32) * 4, batchSize * 32);
          if (s > 0) {
            // dL/dh_prev += dGates W_hh (the gradient carried back through the recurrence)
            gemm_nn(batchSize, 32, 32, at_tmp_rnn_dPreL0 + (row * 32) * 4, 32, at_w_rnn_weight_hh_l0, 32, at_dout_rnn + (prevRow * 32) * 4, 32, 1);
          }
        }
        // dW_ih += Σ_{t,b} dGates[t, b]ᵀ x[t, b]
        gemm_tn(32, 4, 7 * batchSize, at_tmp_rnn_dPreL0, 32, at_in_x, 4, at_dw_rnn_weight_ih_l0, 4, 1);
        // dW_hh += Σ_t dGates[t]ᵀ h_prev(t): the previous step's rows lie one batch away
        gemm_tn(32, 32, 6 * batchSize, at_tmp_rnn_dPreL0 + (batchSize * 32) * 4, 32, at_out_rnn, 32, at_dw_rnn_weight_hh_l0, 32, 1);
        // db_ih = db_hh = Σ_{t,b} dGates[t, b] (WebAssembly, bit for bit the loop)
        bias_sums_f32(at_tmp_rnn_dPreL0, 7 * batchSize, 32, at_dw_rnn_bias_ih_l0, at_dw_rnn_bias_hh_l0, 1);
      }
    }
  }

  function streamStep(input: StreamInput, batchSize: number): Float32Array {
    checkBatchSize(batchSize);
    if (input.x === undefined || input.x.length < batchSize * 4) {
      throw new RangeError(`input.x must hold at least batchSize·4 elements for one step`);
    }
    const training = false;
    {
      const source = input.x;
      // copy one step of `x` into the kernels' memory
      for (let i = 0; i < batchSize * 4; i++) {
        stream_in_x[i] = source[i]!;
      }
    }
    {
      // rnn `rnn` layer 0 forward: h_t = tanh(x_t W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh)
      {
        // start from b_ih + b_hh: the first row, then copies of the rows filled so far
        for (let j = 0; j < 32; j++) {
          stream_out_rnn[j] = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
        }
        for (let filled = 32; filled < 1 * batchSize * 32; filled *= 2) stream_out_rnn.copyWithin(filled, 0, Math.min(filled, 1 * batchSize * 32 - filled));
        // the input projection of every step at once: += x[t, b] W_ihᵀ
        gemm_nt(1 * batchSize, 32, 4, at_stream_in_x, 4, at_w_rnn_weight_ih_l0, 4, at_stream_out_rnn, 32, 1);
        for (let s = 0; s < 1; s++) {
          const t = s;
          const row = t * batchSize;
          const prevRow = (t - 1) * batchSize;
          if (s > 0) {
            // out[t] += h_prev W_hhᵀ
            gemm_nt(batchSize, 32, 32, at_stream_out_rnn + (prevRow * 32) * 4, 32, at_w_rnn_weight_hh_l0, 32, at_stream_out_rnn + (row * 32) * 4, 32, 1);
          }
          else {
            // out[t] += h_carried W_hhᵀ (the state carried from the last step)
            gemm_nt(batchSize, 32, 32, at_stream_state_rnn_hL0, 32, at_w_rnn_weight_hh_l0, 32, at_stream_out_rnn + (row * 32) * 4, 32, 1);
          }
          // h = tanh(pre) over the step's rows at once (WebAssembly, bit for bit the tanh helper)
          tanh_f32(at_stream_out_rnn + (row * 32) * 4, batchSize * 32);
        }
      }
      // keep the last step's state for the next call
      heap.copyWithin(at_stream_state_rnn_hL0 / 4, at_stream_out_rnn / 4, at_stream_out_rnn / 4 + batchSize * 32);
    }
    {
      // last_step `last` forward: out[b, :] = in[0, b, :] (sequences are time-major: the last step is one block)
      heap.copyWithin(at_stream_out_last / 4, at_stream_out_rnn / 4, at_stream_out_rnn / 4 + batchSize * 32);
    }
    {
      // linear `fc` forward: out = in Wᵀ + b, [batch, 32] → [batch, 5]
      for (let r = 0; r < batchSize; r++) {
        for (let o = 0; o < 5; o++) {
          stream_out_fc[r * 5 + o] = w_fc_bias[o]!;
        }
      }
      // out (+)= in Wᵀ
      gemm_nt(batchSize, 5, 32, at_stream_out_last, 32, at_w_fc_weight, 32, at_stream_out_fc, 5, 1);
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
    loadSafetensors(bytes: Uint8Array): void {
      loadStateDict(parameters, bytes);
    }
    ,
    saveSafetensors(metadata: Readonly<Record<string, string>> = {}): Uint8Array {
      return saveStateDict(parameters, metadata);
    }
    ,
    forward(inputs: Inputs, batchSize: number) {
      return run(inputs, batchSize, false);
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
