import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { Writer } from "../emit/code.ts";
import type { Precision } from "../emit/module.ts";
import type { LayerNode, Loss, Optimizer, ParameterInit, TensorType } from "../ir/types.ts";
import type { LossSpec, NodeSpec, OptimizerSpec } from "../spec/types.ts";

/**
 * The contracts every op, loss and optimizer fulfils. One file declares one op completely: its schema fragment
 * (with the descriptions the README reference shows), its shape rule, parameters, scratch buffers, forward and
 * backward emitters and its one-line summary. src/ops/registry.ts is the only list of them; the JSON Schema
 * (src/spec/schema.json), `--dump-ir`, the generated header and the README reference are all derived from it.
 */

/** A JSON Schema fragment, as written in op files and schema.json. */
export type JsonSchema = { readonly [key: string]: unknown };

/** An op's own keys (besides `id`, `op` and `input`, which every node has). */
export interface OpSchema {
  readonly description: string;
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  /** Keys whose value names another value the node reads (a spec input or an earlier node), after `input`. */
  readonly references?: readonly string[];
}

/** What a shape rule sees of a value the node reads. */
export interface InputValue {
  readonly id: string;
  readonly type: TensorType;
}

/** A learned tensor an op declares; the compiler names it `<node id>.<suffix>` and places it. */
export interface ParameterShape {
  readonly suffix: string;
  readonly shape: readonly number[];
  readonly init: ParameterInit;
}

/**
 * Scratch memory an op needs, preallocated once: `perItem` elements per sample (times MAX_BATCH) plus `fixed`.
 * `forward` scratch lives from the forward pass through the backward pass (saved activations); `backward` scratch
 * only during the node's own backward pass, so every node's backward scratch shares one region.
 * Names are camelCase without underscores.
 */
export interface ScratchBuffer {
  readonly name: string;
  readonly perItem: number;
  readonly fixed: number;
  readonly phase: "forward" | "backward";
}

/**
 * A buffer in the generated module: every buffer lives in the one WebAssembly.Memory the SIMD kernels share,
 * so an emitter can loop over its typed-array `view` or hand its byte offset `at` to a kernel.
 */
export interface BufferRef {
  readonly view: string;
  readonly at: string;
}

/** A parameter's value and gradient buffers. */
export interface ParameterRef {
  readonly value: BufferRef;
  readonly grad: BufferRef;
}

/**
 * The generated names an emitter works with. Every buffer is preallocated for MAX_BATCH. Emitted code runs inside
 * a block of its own, so an emitter's locals cannot clash with another node's; locals have no underscore, which
 * every buffer name has.
 */
export interface Buffers {
  /** The primary input (`inputs[0]`). */
  readonly input: BufferRef;
  readonly inputs: readonly BufferRef[];
  readonly output: BufferRef;
  /** Gradient w.r.t. the primary input; undefined when nobody needs it (the input is a spec input). */
  readonly dInput: BufferRef | undefined;
  readonly dOutput: BufferRef;
  /** Parameter value and gradient by suffix. */
  readonly param: (suffix: string) => ParameterRef;
  readonly scratch: (name: string) => BufferRef;
  /** The carried state of the streaming API (present only when emitting the one-step forward). */
  readonly state?: (name: string) => BufferRef;
  /** 4 for float32, 8 for float64: kernel pointers are byte offsets. */
  readonly elementBytes: number;
}

/**
 * What an op or loss requires of an int32 value it reads (token ids, lengths, class labels): every element in
 * [min, max], except `ignore` where the loss skips it. Data is checked against this when it is loaded.
 */
export interface IntegerRange {
  readonly input: string;
  readonly min: number;
  readonly max: number;
  readonly ignore?: number;
  /** What the values are, for messages: "token ids", "lengths", "class indices". */
  readonly what: string;
}

/** Functions an op's emitted code calls, emitted once at the top of the module when some op needs them. */
/** `flush`: gradients below 1e-30 in magnitude to 0 where the backward pass makes them (src/emit/math.ts says why). */
export type MathHelper = "tanh" | "sigmoid" | "gelu" | "random" | "flush";

export type ShapeRuleResult<T> = { readonly node: T } | { readonly diagnostics: readonly Diagnostic[] };

export type { SourcePosition };

/** The attributes every node spec has, whatever its op. */
export type NodeSpecBase = NodeSpec;

/** A layer op. `Spec` is its validated spec node (defaults filled by the schema); `Node` its IR node. */
export interface LayerOp<Spec extends NodeSpecBase, Node extends LayerNode> {
  readonly schema: OpSchema;
  /**
   * The shape rule: `inputs` are the primary input, then each `references` key that the spec sets, in order;
   * `at` is the node's position and `keyAt(key)` that of one of its keys, for diagnostics.
   */
  readonly lower: (spec: Spec, inputs: readonly InputValue[], at: SourcePosition, keyAt: (key: string) => SourcePosition) => ShapeRuleResult<Node>;
  /** One line for `--dump-ir` and the generated header, e.g. `lstm(x, 10→20, 2 layers, bidirectional)`. */
  readonly summary: (node: Node) => string;
  readonly parameters: (node: Node) => readonly ParameterShape[];
  /** Floating-point operations of its forward pass per sample, counting a multiply-add as 2 (for `rnnc summary`). */
  readonly flops?: (node: Node) => number;
  readonly scratch: (node: Node) => readonly ScratchBuffer[];
  /** The helpers its emitted code calls; `precision` for those a float32 build may do without (rnn's tanh: a kernel). */
  readonly helpers: (node: Node, precision: Precision) => readonly MathHelper[];
  /** The ranges of the int32 values it reads, if any. */
  readonly integerRanges?: (node: Node) => readonly IntegerRange[];
  /**
   * Whether the node can run one step at a time for the streaming API, and the state it carries from step to
   * step (per sample); undefined (or absent) when it needs the whole sequence.
   */
  readonly streaming?: (node: Node) => { readonly state: readonly { readonly name: string; readonly perItem: number }[] } | undefined;
  /** Emits the forward pass; the emitted code may read `training` (a boolean: dropout is on only then). */
  readonly forward: (node: Node, buffers: Buffers, w: Writer) => void;
  /** Emits the backward pass: accumulates (+=) into parameter gradients and `dInput`, may modify `dOutput`. */
  readonly backward: (node: Node, buffers: Buffers, w: Writer) => void;
}

/** The names a loss emitter works with: views of the prediction, the target and the prediction's gradient. */
export interface LossBuffers {
  readonly prediction: string;
  readonly target: string;
  readonly dPrediction: string;
}

export type LossSpecBase = LossSpec;

/** Where the loss's keys were written, for diagnostics. */
export interface LossPositions {
  readonly input: SourcePosition;
  readonly target: SourcePosition;
  readonly key: (key: string) => SourcePosition;
}

export interface LossOp<Spec extends LossSpecBase, Node extends Loss> {
  readonly schema: OpSchema;
  readonly lower: (spec: Spec, prediction: InputValue, target: InputValue, at: LossPositions) => ShapeRuleResult<Node>;
  readonly summary: (loss: Node) => string;
  /** The range of an int32 target (class indices), if the loss reads one. */
  readonly targetRange?: (loss: Node) => IntegerRange | undefined;
  /** Emits statements that set `const loss` (the mean) and write the prediction's gradient. */
  readonly emit: (loss: Node, buffers: LossBuffers, w: Writer) => void;
}

export type OptimizerSpecBase = OptimizerSpec;

export interface OptimizerOp<Spec extends OptimizerSpecBase, Node extends Optimizer> {
  readonly schema: OpSchema;
  /** The spec's values, checked where the schema cannot (e.g. nesterov needs momentum); `keyAt` positions a key. */
  readonly lower: (spec: Spec, keyAt: (key: string) => SourcePosition) => ShapeRuleResult<Node>;
  readonly summary: (optimizer: Node) => string;
  /** Per-parameter state arrays (each the size of the parameters), e.g. Adam's `m` and `v`. */
  readonly state: (optimizer: Node) => readonly string[];
  /** The hyperparameters, as the generated OPTIMIZER constant lists them. */
  readonly hyperparameters: (optimizer: Node) => Readonly<Record<string, number | boolean | readonly number[]>>;
  /**
   * Emits one update over the flat arrays `parameters` and `gradients`; `optimizerState.step` has already been
   * incremented, and each state array is in scope by its name. `eachParameter(body)` emits the loop over the trained
   * elements as `i` (parameters of nodes the loss does not depend on are skipped, as PyTorch skips parameters
   * without a gradient).
   */
  readonly emitStep: (optimizer: Node, w: Writer, eachParameter: (body: () => void) => void) => void;
}
