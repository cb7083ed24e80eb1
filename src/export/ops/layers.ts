import type { LayerNode } from "../../ir/types.ts";
import type { LinearNode } from "../../ops/linear.ts";
import { attribute } from "../graph-builder.ts";
import { exporterFor, type NodeExport, type NodeExporter } from "../node-export.ts";

/** embedding → Gather on the weight's rows: ids [batch, seq] (or [batch]) → [batch, seq, dim]. */
export const embeddingExporter: NodeExporter = (_node, x) => {
  const weight = x.param("weight");
  return x.emit("Gather", [x.floats("weight", weight.shape, weight.values), x.inputs[0]!], "", [attribute.int("axis", 0)]);
};

/** linear → Gemm (x Wᵀ + b) on [batch, in]; on a sequence [batch, seq, in], MatMul by Wᵀ then Add b at every step. */
function exportLinear(node: LinearNode, x: NodeExport): string {
  const input = x.inputs[0]!;
  const weight = x.param("weight");
  const bias = node.bias ? x.param("bias") : undefined;
  if (node.type.dims.length === 2) {
    const W = x.floats("weight", weight.shape, weight.values);
    const inputs = bias === undefined ? [input, W] : [input, W, x.floats("bias", bias.shape, bias.values)];
    return x.emit("Gemm", inputs, "", [attribute.int("transB", 1)]);
  }
  const { inFeatures, outFeatures } = node;
  const transposed = new Float32Array(inFeatures * outFeatures);
  for (let o = 0; o < outFeatures; o++) for (let i = 0; i < inFeatures; i++) transposed[i * outFeatures + o] = weight.values[o * inFeatures + i]!;
  const WT = x.floats("weight_t", [inFeatures, outFeatures], transposed);
  if (bias === undefined) return x.emit("MatMul", [input, WT], "");
  const product = x.emit("MatMul", [input, WT], "product");
  return x.emit("Add", [product, x.floats("bias", bias.shape, bias.values)], "");
}
export const linearExporter: NodeExporter = exporterFor(exportLinear);

/** relu, tanh, sigmoid: ONNX has each as one op. */
export const elementwise = (opType: "Relu" | "Tanh" | "Sigmoid"): NodeExporter => (_node: LayerNode, x: NodeExport) => x.emit(opType, [x.inputs[0]!], "");

/** gelu → x · ½ · (1 + erf(x / √2)): the exact form (ONNX's own Gelu op arrives only in opset 20). */
export const geluExporter: NodeExporter = (_node, x) => {
  const input = x.inputs[0]!;
  const scaled = x.emit("Div", [input, x.floats("sqrt2", [], [Math.SQRT2])], "scaled");
  const onePlus = x.emit("Add", [x.emit("Erf", [scaled], "erf"), x.floats("one", [], [1])], "one_plus_erf");
  const half = x.emit("Mul", [input, x.floats("half", [], [0.5])], "half");
  return x.emit("Mul", [half, onePlus], "");
};

/** dropout is the identity at inference: no node; the value is its input's tensor. */
export const dropoutExporter: NodeExporter = (_node, x) => x.inputs[0]!;
