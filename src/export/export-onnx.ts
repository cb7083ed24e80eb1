import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Graph, LayerNode, TensorType } from "../ir/types.ts";
import { layerOp } from "../ops/registry.ts";
import { exportDiag } from "./diagnostics.ts";
import { attribute, GraphBuilder } from "./graph-builder.ts";
import { nodeExport, type ParameterValues } from "./node-export.ts";
import { encodeModel } from "./onnx-proto.ts";
import { dataType, type ModelProto, type ValueInfoProto } from "./onnx-types.ts";
import { onnxMapping } from "./ops/table.ts";

/**
 * ONNX export: a target over the same IR as the generated TypeScript (src/ir), evaluation mode (dropout is the
 * identity). The graph's inputs are the spec inputs the prediction reads (batch-first, `batch` left symbolic); its
 * one output is the loss's input (the logits, or the values of a regression), or with `softmax` the class
 * probabilities. Pure: graph and weights in, bytes or diagnostics out.
 *
 * Opset 14: the version of the RNN family in current use (the newest, with `layout`), Softmax over the last axis
 * (since 13), and everything onnxruntime's CPU and WebAssembly kernels implement. ONNX's Gelu op needs opset 20, so
 * GELU is written with Erf. IR version 7 is the one that goes with opset 14.
 */
export const onnxOpset = 14;
export const onnxIrVersion = 7;

export interface OnnxExportOptions {
  /** Append Softmax over the last axis (classifiers only). */
  readonly softmax: boolean;
  readonly producerVersion: string;
  /** Key–value pairs stored in the model (spec hash, preprocessing …), as ONNX's metadata_props. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The nodes the prediction depends on, in graph order (nodes feeding nothing the loss reads are left out). */
function neededNodes(graph: Graph): LayerNode[] {
  const byId = new Map(graph.layers.map((node) => [node.id, node]));
  const needed = new Set<string>();
  const visit = (id: string) => {
    const node = byId.get(id);
    if (node === undefined || needed.has(id)) return;
    needed.add(id);
    node.inputs.forEach(visit);
  };
  visit(graph.loss.input);
  return graph.layers.filter((node) => needed.has(node.id));
}

function valueInfo(name: string, type: TensorType): ValueInfoProto {
  const dims = type.dims.map((dim) => ("size" in dim ? { dim_value: dim.size } : { dim_param: dim.name }));
  return { name, type: { tensor_type: { elem_type: type.dtype === "int32" ? dataType.int32 : dataType.float, shape: { dim: dims } } } };
}

export function buildOnnxModel(graph: Graph, parameters: ArrayLike<number>, options: OnnxExportOptions): { model?: ModelProto; diagnostics: Diagnostic[] } {
  const nodes = neededNodes(graph);
  const diagnostics: Diagnostic[] = [];
  for (const node of nodes) {
    const mapping = onnxMapping(node.op);
    if (mapping === undefined) diagnostics.push(exportDiag.notExpressible(node.at, node.id, node.op, "rnnc has no ONNX mapping for this op"));
    else if ("unsupported" in mapping) diagnostics.push(exportDiag.notExpressible(node.at, node.id, node.op, mapping.unsupported));
  }
  if (options.softmax && graph.loss.task !== "classification") diagnostics.push(exportDiag.softmaxOnRegression(graph.loss.at, graph.loss.op));
  if (diagnostics.length > 0) return { diagnostics };

  const builder = new GraphBuilder();
  const read = new Set(nodes.flatMap((node) => node.inputs));
  const inputs = graph.inputs.filter((input) => read.has(input.id));
  const tensorOf = new Map(inputs.map((input) => [input.id, builder.reserve(input.id)]));
  for (const node of nodes) {
    const param = (suffix: string): ParameterValues => {
      const name = `${node.id}.${suffix}`;
      const parameter = graph.parameters.find((p) => p.name === name);
      if (parameter === undefined) throw new Error(`node ${node.id} has no parameter ${name}`);
      return { shape: parameter.shape, values: Float32Array.from({ length: parameter.size }, (_, i) => parameters[parameter.offset + i]!) };
    };
    const reads = node.inputs.map((id) => tensorOf.get(id) ?? "");
    const mapping = onnxMapping(node.op);
    if (mapping === undefined || !("exporter" in mapping)) throw new Error(`unreachable: ${node.op} was checked`);
    tensorOf.set(node.id, mapping.exporter(node, nodeExport(builder, node, reads, `${node.id}: ${layerOp(node.op).summary(node)}`, param)));
  }

  const last = nodes.find((node) => node.id === graph.loss.input);
  if (last === undefined) throw new Error(`the loss reads ${graph.loss.input}, which is no node`);
  let output = tensorOf.get(last.id)!;
  // A graph output must be some node's output: a prediction that is a spec input passed through dropout gets one.
  if (inputs.some((input) => input.id === output)) output = builder.node("Identity", [output], last.id);
  if (options.softmax) output = builder.node("Softmax", [output], "probabilities", [attribute.int("axis", -1)], "class probabilities: softmax over the last axis");

  const model: ModelProto = {
    ir_version: onnxIrVersion,
    opset_import: [{ domain: "", version: onnxOpset }],
    producer_name: "rnnc",
    producer_version: options.producerVersion,
    doc_string: `${graph.name}, exported by rnnc: ${nodes.map((node) => layerOp(node.op).summary(node)).join(" → ")}${options.softmax ? " → softmax" : ""}`,
    graph: {
      name: graph.name,
      node: builder.nodes,
      initializer: builder.initializers,
      input: inputs.map((input) => valueInfo(input.id, input.type)),
      output: [valueInfo(output, last.type)],
    },
    metadata_props: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
  };
  return { model, diagnostics: [] };
}

/** The `.onnx` file's bytes, or the reasons the spec cannot be exported. */
export function exportOnnx(graph: Graph, parameters: ArrayLike<number>, options: OnnxExportOptions): { bytes?: Uint8Array; diagnostics: Diagnostic[] } {
  const built = buildOnnxModel(graph, parameters, options);
  return built.model === undefined ? { diagnostics: built.diagnostics } : { bytes: encodeModel(built.model), diagnostics: [] };
}
