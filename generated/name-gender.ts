// Generated from models/name-gender.yaml (sha256 574415a6056cfe68ccb7bebb83f0119a7f37c480e9eff4d21ae927a82f0c18ae) — do not edit.
// rnnc 0.1.0: name-gender: emb = embedding(tokens, 30×16, padding 0); rnn = lstm(emb, 16→32, bidirectional, lengths lengths); last = last_step(rnn, lengths lengths); fc = linear(last, 64→2); loss cross_entropy(fc, y) over 2 classes; adam.
// Regenerate with `npx compile models/name-gender.yaml`. Self-contained: no imports, runs in Node and browsers.
/** SHA-256 of the spec this module was generated from. */
export const SPEC_SHA256 = "574415a6056cfe68ccb7bebb83f0119a7f37c480e9eff4d21ae927a82f0c18ae";
/** What checkpoints are keyed to: SHA-256 of every parameter's state_dict name, shape and dtype. */
export const ARCHITECTURE_SHA256 = "84d53c3cfcbe53cb12d74da446f34398b7b8fe5b646cb3d933d8c3dc0fcf347b";
/** training: forward, backward and optimizer; inference: forward and streaming only. */
export const TARGET = "training";
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

export interface CreateModelOptions {
  /** Seed of the init's generator, an integer from 0 to 2³² − 1; default: the spec's train.seed. */
  readonly seed?: number;
}

/** What `forward` reads: the inputs the layers use, batch-first. */
export interface Inputs {
  /** [batch, 15] int32, row-major; at least batchSize·15 elements. */
  readonly tokens: Int32Array;
  /** [batch] int32, row-major; at least batchSize·1 elements. */
  readonly lengths: Int32Array;
}

/** One mini-batch for training: the inputs and the loss's target. */
export interface Batch extends Inputs {
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
  /** Loads weights from safetensors bytes by PyTorch state_dict name (F32 or F64, exact shapes, nothing missing or extra); throws an Error naming the problem and then changes nothing. */
  loadSafetensors(bytes: Uint8Array): void;
  /** The weights as safetensors bytes by state_dict name, with the model's name and spec hash (and `metadata`) in the header. */
  saveSafetensors(metadata?: Readonly<Record<string, string>>): Uint8Array;
  /** Logits [batchSize, 2] in the first batchSize·2 elements of a reused buffer. Evaluation mode: dropout is off. */
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
  bias_sums_f32(src: number, rows: number, cols: number, dstA: number, dstB: number, both: number): void;
}
const fround = Math.fround;
/** tanh for float32 storage: Eigen's rational approximation (odd degree-13 / even degree-6), evaluated in float32 as Eigen does (every operation rounded by fround), within 7 ulps. */
function tanh(value: number): number {
  const x = fround(value);
  if (x > 7.905311107635498) return 1;
  if (x < -7.905311107635498) return -1;
  if (Math.abs(x) < 0.00039999998989515007) return x;
  const x2 = fround(x * x);
  let p = fround(fround(-2.7607683663038313e-16 * x2) + 2.0001879384549948e-13);
  p = fround(fround(p * x2) + -8.604671836165423e-11);
  p = fround(fround(p * x2) + 5.122297253024044e-8);
  p = fround(fround(p * x2) + 0.000014857223504805006);
  p = fround(fround(p * x2) + 0.0006372619536705315);
  p = fround(fround(p * x2) + 0.004893524572253227);
  let q = fround(fround(0.0000011982583600911312 * x2) + 0.00011853470641653985);
  q = fround(fround(q * x2) + 0.0022684347350150347);
  q = fround(fround(q * x2) + 0.0048935250379145145);
  return fround(fround(x * p) / q);
}

/** 2^−k for k = 0…126, by exact halvings: sigmoid's scale. */
const SIGMOID_SCALE = new Float32Array(127);
for (let k = 0, scale = 1; k < 127; k++, scale *= 0.5) SIGMOID_SCALE[k] = scale;

/** σ(x) for float32 storage, the same on every engine: e^−|x| = 2^−k·e^r in float32 (degree-7 Taylor for e^r, |r| ≤ ln2/2, every operation rounded), within 4 ulps. */
function sigmoid(value: number): number {
  const x = Math.fround(value);
  const a = Math.abs(x);
  if (!(a < 87)) return x > 0 ? 1 : x < 0 ? 0 : x;
  const k = Math.floor(Math.fround(Math.fround(a * 1.4426950216293335) + 0.5));
  const r = Math.fround(Math.fround(Math.fround(k * 0.693359375) - a) + Math.fround(k * -0.00021219444170128554));
  let p = Math.fround(Math.fround(0.00019841270113829523 * r) + 0.0013888889225199819);
  p = Math.fround(Math.fround(p * r) + 0.008333333767950535);
  p = Math.fround(Math.fround(p * r) + 0.0416666679084301);
  p = Math.fround(Math.fround(p * r) + 0.1666666716337204);
  p = Math.fround(Math.fround(p * r) + 0.5);
  p = Math.fround(Math.fround(p * r) + 1);
  p = Math.fround(Math.fround(p * r) + 1);
  const e = Math.fround(p * SIGMOID_SCALE[k]!);
  return Math.fround((x > 0 ? 1 : e) / Math.fround(1 + e));
}

/** A gradient below 1e-30 in magnitude becomes 0, so float32 never holds a (slow) subnormal; NaN and ±∞ pass through. */
function flush(x: number): number {
  return Math.abs(x) < 1e-30 ? 0 : x;
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
  // emb.weight [30, 16] ~ N(0, 1²), padding row 0 zero
  fillNormal(parameters, 0, 480, 1, random);
  parameters.fill(0, 0, 16);
  // rnn.weight_ih_l0 [128, 16] ~ U(±0.17677669529663687)
  fillUniform(parameters, 480, 2528, 0.17677669529663687, random);
  // rnn.weight_hh_l0 [128, 32] ~ U(±0.17677669529663687)
  fillUniform(parameters, 2528, 6624, 0.17677669529663687, random);
  // rnn.bias_ih_l0 [128] ~ U(±0.17677669529663687)
  fillUniform(parameters, 6624, 6752, 0.17677669529663687, random);
  // rnn.bias_hh_l0 [128] ~ U(±0.17677669529663687)
  fillUniform(parameters, 6752, 6880, 0.17677669529663687, random);
  // rnn.weight_ih_l0_reverse [128, 16] ~ U(±0.17677669529663687)
  fillUniform(parameters, 6880, 8928, 0.17677669529663687, random);
  // rnn.weight_hh_l0_reverse [128, 32] ~ U(±0.17677669529663687)
  fillUniform(parameters, 8928, 13024, 0.17677669529663687, random);
  // rnn.bias_ih_l0_reverse [128] ~ U(±0.17677669529663687)
  fillUniform(parameters, 13024, 13152, 0.17677669529663687, random);
  // rnn.bias_hh_l0_reverse [128] ~ U(±0.17677669529663687)
  fillUniform(parameters, 13152, 13280, 0.17677669529663687, random);
  // fc.weight [2, 64] ~ U(±0.125)
  fillUniform(parameters, 13280, 13408, 0.125, random);
  // fc.bias [2] ~ U(±0.125)
  fillUniform(parameters, 13408, 13410, 0.125, random);
}

/** parameters[from, to) ~ U(−bound, bound), drawn in order. */
function fillUniform(parameters: Float32Array, from: number, to: number, bound: number, random: InitRandom): void {
  const low = -bound;
  for (let i = from; i < to; i++) parameters[i] = low + (bound - low) * random.uniform();
}

/** parameters[from, to) ~ N(0, std²), drawn in order. */
function fillNormal(parameters: Float32Array, from: number, to: number, std: number, random: InitRandom): void {
  for (let i = from; i < to; i++) parameters[i] = random.normal() * std;
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
  // Memory: every buffer at a fixed byte offset in one WebAssembly.Memory (3099200 bytes), shared with the kernels
  const memory = new wasm.Memory({ initial: 48, maximum: 48 });
  const { gemm_nt, gemm_nn, gemm_tn, pack } = new wasm.Instance(KERNELS.module, { env: { memory } }).exports as Kernels;
  pack.value = 2095680; // gemm_tn's packing scratch, kernel_pack
  const { bias_sums_f32 } = new wasm.Instance(new wasm.Module(ACTIVATIONS_WASM), { env: { memory } }).exports as ActivationKernels;
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
  const at_tmp_rnn_dGatesL0 = 2099776;
  const tmp_rnn_dGatesL0 = new Float32Array(memory.buffer, 2099776, 122880); // rnn scratch: dGatesL0 (backward only: shares its bytes with other nodes')
  const tmp_rnn_dCellL0 = new Float32Array(memory.buffer, 2591296, 2048); // rnn scratch: dCellL0 (backward only: shares its bytes with other nodes')
  const at_tmp_rnn_dGatesL0R = 2599488;
  const tmp_rnn_dGatesL0R = new Float32Array(memory.buffer, 2599488, 122880); // rnn scratch: dGatesL0R (backward only: shares its bytes with other nodes')
  const tmp_rnn_dCellL0R = new Float32Array(memory.buffer, 3091008, 2048); // rnn scratch: dCellL0R (backward only: shares its bytes with other nodes')

  // Views of each parameter and its gradient (PyTorch state_dict names)
  const w_emb_weight = parameters.subarray(0, 480); // emb.weight [30, 16]
  const dw_emb_weight = gradients.subarray(0, 480); // emb.weight [30, 16]
  const at_w_rnn_weight_ih_l0 = at_parameters + 1920; // rnn.weight_ih_l0
  const at_dw_rnn_weight_ih_l0 = at_gradients + 1920; // rnn.weight_ih_l0
  const at_w_rnn_weight_hh_l0 = at_parameters + 10112; // rnn.weight_hh_l0
  const at_dw_rnn_weight_hh_l0 = at_gradients + 10112; // rnn.weight_hh_l0
  const w_rnn_bias_ih_l0 = parameters.subarray(6624, 6752); // rnn.bias_ih_l0 [128]
  const at_dw_rnn_bias_ih_l0 = at_gradients + 26496; // rnn.bias_ih_l0
  const w_rnn_bias_hh_l0 = parameters.subarray(6752, 6880); // rnn.bias_hh_l0 [128]
  const at_dw_rnn_bias_hh_l0 = at_gradients + 27008; // rnn.bias_hh_l0
  const at_w_rnn_weight_ih_l0_reverse = at_parameters + 27520; // rnn.weight_ih_l0_reverse
  const at_dw_rnn_weight_ih_l0_reverse = at_gradients + 27520; // rnn.weight_ih_l0_reverse
  const at_w_rnn_weight_hh_l0_reverse = at_parameters + 35712; // rnn.weight_hh_l0_reverse
  const at_dw_rnn_weight_hh_l0_reverse = at_gradients + 35712; // rnn.weight_hh_l0_reverse
  const w_rnn_bias_ih_l0_reverse = parameters.subarray(13024, 13152); // rnn.bias_ih_l0_reverse [128]
  const at_dw_rnn_bias_ih_l0_reverse = at_gradients + 52096; // rnn.bias_ih_l0_reverse
  const w_rnn_bias_hh_l0_reverse = parameters.subarray(13152, 13280); // rnn.bias_hh_l0_reverse [128]
  const at_dw_rnn_bias_hh_l0_reverse = at_gradients + 52608; // rnn.bias_hh_l0_reverse
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
  // PyTorch's default init, from the generator seeded by options.seed (default: the spec's train.seed)
  initParameters(parameters, seededRandom(options.seed ?? TRAIN.seed));
  const optimizerState: OptimizerState = { step: 0, lr: 0.005, m: opt_m, v: opt_v };
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
    if (inputs.tokens === undefined || inputs.tokens.length < batchSize * 15) {
      throw new RangeError(`inputs.tokens must hold at least batchSize·15 elements (15 per sample)`);
    }
    for (let i = 0; i < batchSize * 15; i++) {
      const value = inputs.tokens[i]!;
      if (!(value >= 0 && value <= 29)) {
        throw new RangeError(`inputs.tokens[${i}] is ${value}: token ids must lie in [0, 29]`);
      }
    }
    if (inputs.lengths === undefined || inputs.lengths.length < batchSize * 1) {
      throw new RangeError(`inputs.lengths must hold at least batchSize·1 elements (1 per sample)`);
    }
    for (let i = 0; i < batchSize * 1; i++) {
      const value = inputs.lengths[i]!;
      if (!(value >= 1 && value <= 15)) {
        throw new RangeError(`inputs.lengths[${i}] is ${value}: lengths must lie in [1, 15]`);
      }
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
      if (!(value >= 0 && value <= 1) && value !== -100) {
        throw new RangeError(`batch.y[${i}] is ${value}: class indices must lie in [0, 1] (or be -100)`);
      }
    }
  }

  // Each node's code runs in a block of its own, so no two nodes' locals can clash.
  function run(inputs: Inputs, batchSize: number, training: boolean, batch?: Batch): Float32Array {
    checkInputs(inputs, batchSize);
    if (batch !== undefined) checkTargets(batch, batchSize);
    {
      const source = inputs.tokens;
      // copy `tokens` into the kernels' memory
      for (let i = 0; i < batchSize * 15; i++) {
        in_tokens[i] = source[i]!;
      }
    }
    {
      const source = inputs.lengths;
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
        // start from b_ih + b_hh: the first row, then copies of the rows filled so far
        for (let j = 0; j < 128; j++) {
          tmp_rnn_gatesL0[j] = w_rnn_bias_ih_l0[j]! + w_rnn_bias_hh_l0[j]!;
        }
        for (let filled = 128; filled < 15 * batchSize * 128; filled *= 2) tmp_rnn_gatesL0.copyWithin(filled, 0, Math.min(filled, 15 * batchSize * 128 - filled));
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
              const c = Math.fround(Math.fround(f * (s > 0 ? tmp_rnn_cellL0[prevState + j]! : 0)) + Math.fround(i * g));
              tmp_rnn_cellL0[state + j] = c;
              out_rnn[base + j] = Math.fround(o * tanh(c));
            }
          }
        }
      }
      // lstm `rnn` layer 0, reverse direction forward: [i f g o] = [σ σ tanh σ](x W_ihᵀ + b_ih + h_prev W_hhᵀ + b_hh); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)
      {
        // start from b_ih + b_hh: the first row, then copies of the rows filled so far
        for (let j = 0; j < 128; j++) {
          tmp_rnn_gatesL0R[j] = w_rnn_bias_ih_l0_reverse[j]! + w_rnn_bias_hh_l0_reverse[j]!;
        }
        for (let filled = 128; filled < 15 * batchSize * 128; filled *= 2) tmp_rnn_gatesL0R.copyWithin(filled, 0, Math.min(filled, 15 * batchSize * 128 - filled));
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
              const c = Math.fround(Math.fround(f * (s > 0 ? tmp_rnn_cellL0R[prevState + j]! : 0)) + Math.fround(i * g));
              tmp_rnn_cellL0R[state + j] = c;
              out_rnn[base + j] = Math.fround(o * tanh(c));
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
    run(batch, batchSize, training, batch);
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
              const dc = Math.fround(tmp_rnn_dCellL0R[b * 32 + j]! + Math.fround(Math.fround(dh * o) * Math.fround(1 - Math.fround(tanhC * tanhC))));
              const cPrev = s > 0 ? tmp_rnn_cellL0R[prevState + j]! : 0;
              tmp_rnn_dGatesL0R[gate + j] = flush(Math.fround(Math.fround(Math.fround(dc * g) * i) * Math.fround(1 - i)));
              tmp_rnn_dGatesL0R[gate + 32 + j] = flush(Math.fround(Math.fround(Math.fround(dc * cPrev) * f) * Math.fround(1 - f)));
              tmp_rnn_dGatesL0R[gate + 64 + j] = flush(Math.fround(Math.fround(dc * i) * Math.fround(1 - Math.fround(g * g))));
              tmp_rnn_dGatesL0R[gate + 96 + j] = flush(Math.fround(Math.fround(Math.fround(dh * tanhC) * o) * Math.fround(1 - o)));
              tmp_rnn_dCellL0R[b * 32 + j] = flush(Math.fround(dc * f));
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
        // db_ih = db_hh = Σ_{t,b} dGates[t, b] (WebAssembly, bit for bit the loop)
        bias_sums_f32(at_tmp_rnn_dGatesL0R, 15 * batchSize, 128, at_dw_rnn_bias_ih_l0_reverse, at_dw_rnn_bias_hh_l0_reverse, 1);
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
              const dc = Math.fround(tmp_rnn_dCellL0[b * 32 + j]! + Math.fround(Math.fround(dh * o) * Math.fround(1 - Math.fround(tanhC * tanhC))));
              const cPrev = s > 0 ? tmp_rnn_cellL0[prevState + j]! : 0;
              tmp_rnn_dGatesL0[gate + j] = flush(Math.fround(Math.fround(Math.fround(dc * g) * i) * Math.fround(1 - i)));
              tmp_rnn_dGatesL0[gate + 32 + j] = flush(Math.fround(Math.fround(Math.fround(dc * cPrev) * f) * Math.fround(1 - f)));
              tmp_rnn_dGatesL0[gate + 64 + j] = flush(Math.fround(Math.fround(dc * i) * Math.fround(1 - Math.fround(g * g))));
              tmp_rnn_dGatesL0[gate + 96 + j] = flush(Math.fround(Math.fround(Math.fround(dh * tanhC) * o) * Math.fround(1 - o)));
              tmp_rnn_dCellL0[b * 32 + j] = flush(Math.fround(dc * f));
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
        // db_ih = db_hh = Σ_{t,b} dGates[t, b] (WebAssembly, bit for bit the loop)
        bias_sums_f32(at_tmp_rnn_dGatesL0, 15 * batchSize, 128, at_dw_rnn_bias_ih_l0, at_dw_rnn_bias_hh_l0, 1);
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
