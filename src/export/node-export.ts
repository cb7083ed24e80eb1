import type { LayerNode } from "../ir/types.ts";
import type { GraphBuilder } from "./graph-builder.ts";
import type { AttributeProto } from "./onnx-types.ts";

/** A learned tensor of the node being exported: its PyTorch shape and float32 values (row-major). */
export interface ParameterValues {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * What an op's exporter works with: the names of the tensors it reads, a way to add ONNX nodes and initializers
 * named after the spec node, and the node's parameters by suffix (as the op declares them: `weight`,
 * `weight_ih_l0`, …). Tensors between nodes are batch-first, as the spec describes them: [batch, seq, features]
 * or [batch, features].
 */
export interface NodeExport {
  /** The tensor names of the values the node reads, in `node.inputs` order (primary first, then lengths). */
  readonly inputs: readonly string[];
  /** Adds one ONNX node; its output is named `<id>/<what>`, or `<id>` itself when `what` is "" (the final one). */
  emit(opType: string, inputs: readonly string[], what: string, attributes?: readonly AttributeProto[]): string;
  /** Initializers named `<id>/<what>`. */
  floats(what: string, dims: readonly number[], values: ArrayLike<number>): string;
  int64s(what: string, dims: readonly number[], values: readonly number[]): string;
  int32s(what: string, dims: readonly number[], values: readonly number[]): string;
  param(suffix: string): ParameterValues;
}

/** An op's exporter: adds the ONNX nodes computing the spec node, returns the name of the tensor holding its output. */
export type NodeExporter = (node: LayerNode, x: NodeExport) => string;

/**
 * An exporter for one op's own node type. The registry's ops are looked up by name at run time, so (as in
 * src/ops/registry.ts) the one cast here only restores the node type that the op name already guarantees.
 */
export function exporterFor<Node extends LayerNode>(exporter: (node: Node, x: NodeExport) => string): NodeExporter {
  return (node, x) => exporter(node as Node, x);
}

export function nodeExport(builder: GraphBuilder, node: LayerNode, inputs: readonly string[], doc: string, param: (suffix: string) => ParameterValues): NodeExport {
  const named = (what: string) => (what === "" ? node.id : `${node.id}/${what}`);
  return {
    inputs,
    emit: (opType, nodeInputs, what, attributes = []) => builder.node(opType, nodeInputs, named(what), attributes, doc),
    floats: (what, dims, values) => builder.floats(named(what), dims, values),
    int64s: (what, dims, values) => builder.int64s(named(what), dims, values),
    int32s: (what, dims, values) => builder.int32s(named(what), dims, values),
    param,
  };
}
