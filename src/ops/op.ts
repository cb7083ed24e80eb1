import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import type { Writer } from "../emit/code.ts";
import type { TensorType } from "../ir/types.ts";

/** What an op's shape rule sees of its input. */
export interface InputValue {
  readonly id: string;
  readonly type: TensorType;
}

/** A learned tensor an op declares; the compiler names it `<node id>.<suffix>` and places it. */
export interface ParameterShape {
  readonly suffix: string;
  readonly shape: readonly number[];
  readonly initBound: number;
}

/** Scratch memory an op needs, preallocated once: `perItem` elements per sample (times MAX_BATCH) plus `fixed`. */
export interface ScratchBuffer {
  readonly name: string;
  readonly perItem: number;
  readonly fixed: number;
}

/**
 * A buffer in the generated module: every buffer lives in the one WebAssembly.Memory the SIMD kernels share,
 * so an emitter can loop over its typed-array `view` or hand its byte offset `at` to a kernel.
 */
export interface BufferRef {
  readonly view: string;
  readonly at: string;
}

/** The generated names an emitter works with. Every buffer is preallocated for MAX_BATCH. */
export interface Buffers {
  readonly input: BufferRef;
  readonly output: BufferRef;
  /** Gradient w.r.t. the input; undefined when nobody needs it (the input is a spec input). */
  readonly dInput: BufferRef | undefined;
  readonly dOutput: BufferRef;
  /** Parameter value and gradient by suffix. */
  readonly param: (suffix: string) => { readonly value: BufferRef; readonly grad: BufferRef };
  readonly scratch: (name: string) => BufferRef;
  /** 4 for float32, 8 for float64: kernel pointers are byte offsets. */
  readonly elementBytes: number;
}

export type ShapeRuleResult<T> = { readonly node: T } | { readonly diagnostics: readonly Diagnostic[] };

export type { SourcePosition };

/** Everything about one op, in one file: shape rule, parameters, scratch, forward and backward emitters. */
export interface OpDefinition<Spec, Node> {
  readonly lower: (spec: Spec, input: InputValue, at: SourcePosition) => ShapeRuleResult<Node>;
  readonly parameters: (node: Node) => readonly ParameterShape[];
  readonly scratch: (node: Node) => readonly ScratchBuffer[];
  readonly forward: (node: Node, buffers: Buffers, w: Writer) => void;
  readonly backward: (node: Node, buffers: Buffers, w: Writer) => void;
}
