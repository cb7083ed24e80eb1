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

/** Scratch memory an op needs in backward or forward, preallocated once. */
export interface ScratchBuffer {
  readonly name: string;
  readonly size: number;
}

/** The generated names an emitter works with. Every buffer is preallocated for MAX_BATCH. */
export interface Buffers {
  readonly input: string;
  readonly output: string;
  /** Gradient w.r.t. the input; undefined when nobody needs it (the input is a spec input). */
  readonly dInput: string | undefined;
  readonly dOutput: string;
  /** Parameter value and gradient views by suffix. */
  readonly param: (suffix: string) => { readonly value: string; readonly grad: string };
  readonly scratch: (name: string) => string;
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
