import type { LayerOpName } from "../../ops/registry.ts";
import type { NodeExporter } from "../node-export.ts";
import { dropoutExporter, elementwise, embeddingExporter, geluExporter, linearExporter } from "./layers.ts";
import { recurrentExporter } from "./recurrent.ts";
import { lastStepExporter, maxPoolExporter, meanPoolExporter } from "./reductions.ts";

/**
 * How each graph op becomes ONNX, keyed by the registry's op names: adding an op to src/ops/registry.ts fails the
 * type check until it is listed here, either with an exporter or with the reason ONNX cannot express it (the export
 * then refuses such a spec with RNNC0181, naming the node). Today every op has an exporter.
 */
export type OnnxMapping = { readonly exporter: NodeExporter } | { readonly unsupported: string };

export const onnxMappings: Readonly<Record<LayerOpName, OnnxMapping>> = {
  embedding: { exporter: embeddingExporter },
  rnn: { exporter: recurrentExporter },
  lstm: { exporter: recurrentExporter },
  gru: { exporter: recurrentExporter },
  last_step: { exporter: lastStepExporter },
  mean_pool: { exporter: meanPoolExporter },
  max_pool: { exporter: maxPoolExporter },
  linear: { exporter: linearExporter },
  relu: { exporter: elementwise("Relu") },
  tanh: { exporter: elementwise("Tanh") },
  sigmoid: { exporter: elementwise("Sigmoid") },
  gelu: { exporter: geluExporter },
  dropout: { exporter: dropoutExporter },
};

/** The mapping of an op by name; undefined for a name no table entry has. */
export function onnxMapping(op: string): OnnxMapping | undefined {
  return Object.hasOwn(onnxMappings, op) ? onnxMappings[op as LayerOpName] : undefined;
}
