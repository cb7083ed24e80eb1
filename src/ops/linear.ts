import { diag } from "../diagnostics/codes.ts";
import { comment, forRange, gemm, type Writer } from "../emit/code.ts";
import { showType, staticSize, type LayerNode } from "../ir/types.ts";
import type { Buffers, InputValue, LayerOp, NodeSpecBase, ParameterShape, ShapeRuleResult, SourcePosition } from "./op.ts";

export interface LinearNodeSpec extends NodeSpecBase {
  readonly op: "linear";
  readonly out_features: number;
  readonly bias: boolean;
}

export interface LinearNode extends LayerNode {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly bias: boolean;
}

/**
 * linear — y = x Wᵀ + b, as torch.nn.Linear.
 * Shape rule: [batch, in_features] → [batch, out_features]. A sequence must be reduced first (e.g. by last_step).
 */
export function lowerLinear(spec: LinearNodeSpec, inputs: readonly InputValue[], at: SourcePosition): ShapeRuleResult<LinearNode> {
  const input = inputs[0]!;
  const [batch, features] = input.type.dims;
  const inFeatures = features === undefined ? undefined : staticSize(features);
  if (input.type.dims.length !== 2 || batch?.name !== "batch" || inFeatures === undefined) {
    const hint =
      input.type.dims.length === 3
        ? `\`${input.id}\` is a sequence; add \`- { id: last, op: last_step }\` before this node to use its last time step`
        : "linear takes [batch, features]";
    return { diagnostics: [diag.rankMismatch(at, spec.id, "linear", "[batch, in_features]", showType(input.type), hint)] };
  }
  if (input.type.dtype !== "float32") return { diagnostics: [diag.dtypeMismatch(at, spec.id, "float32", input.type.dtype)] };
  return {
    node: {
      op: "linear",
      id: spec.id,
      input: input.id,
      inputs: [input.id],
      at,
      inFeatures,
      outFeatures: spec.out_features,
      bias: spec.bias,
      type: { dims: [{ name: "batch" }, { name: "features", size: spec.out_features }], dtype: "float32" },
    },
  };
}

/** kaiming_uniform_(a=√5) on the weight is U(−1/√in, 1/√in); the bias uses the same bound. */
export function linearParameters(node: LinearNode): ParameterShape[] {
  const bound = 1 / Math.sqrt(node.inFeatures);
  const weight = { suffix: "weight", shape: [node.outFeatures, node.inFeatures], initBound: bound };
  return node.bias ? [weight, { suffix: "bias", shape: [node.outFeatures], initBound: bound }] : [weight];
}

export function emitLinearForward(node: LinearNode, buffers: Buffers, w: Writer): void {
  const { inFeatures: I, outFeatures: O } = node;
  comment(w, `linear \`${node.id}\` forward: out = in Wᵀ${node.bias ? " + b" : ""}, [batch, ${I}] → [batch, ${O}]`);
  if (node.bias) {
    const bias = buffers.param("bias").value.view;
    forRange(w, "b", "batchSize", () => forRange(w, "o", O, () => w.writeLine(`${buffers.output.view}[b * ${O} + o] = ${bias}[o]!;`)));
  }
  gemm(
    w,
    "nt",
    { m: "batchSize", n: O, k: I, a: buffers.input.at, lda: I, b: buffers.param("weight").value.at, ldb: I, c: buffers.output.at, ldc: O, accumulate: node.bias },
    `out (+)= in Wᵀ`,
  );
}

export function emitLinearBackward(node: LinearNode, buffers: Buffers, w: Writer): void {
  const { inFeatures: I, outFeatures: O } = node;
  const weight = buffers.param("weight");
  const dOut = buffers.dOutput;
  comment(w, `linear \`${node.id}\` backward`);
  gemm(w, "tn", { m: O, n: I, k: "batchSize", a: dOut.at, lda: O, b: buffers.input.at, ldb: I, c: weight.grad.at, ldc: I, accumulate: true }, "dW += dOutᵀ in");
  if (node.bias) {
    comment(w, "db += Σ_b dOut[b]");
    forRange(w, "o", O, () => {
      w.writeLine("let sum = 0;");
      forRange(w, "b", "batchSize", () => w.writeLine(`sum += ${dOut.view}[b * ${O} + o]!;`));
      w.writeLine(`${buffers.param("bias").grad.view}[o]! += sum;`);
    });
  }
  if (buffers.dInput !== undefined) {
    gemm(w, "nn", { m: "batchSize", n: I, k: O, a: dOut.at, lda: O, b: weight.value.at, ldb: I, c: buffers.dInput.at, ldc: I, accumulate: true }, "dIn += dOut W");
  }
}

export const linearOp: LayerOp<LinearNodeSpec, LinearNode> = {
  schema: {
    description: "Affine map y = x Wᵀ + b: [batch, in_features] → [batch, out_features]. Same as torch.nn.Linear.",
    required: ["out_features"],
    properties: {
      out_features: { description: "Output size.", type: "integer", minimum: 1, maximum: 65536 },
      bias: { description: "Learn b.", type: "boolean", default: true },
    },
  },
  lower: lowerLinear,
  summary: (node) => `linear(${node.input}, ${node.inFeatures}→${node.outFeatures}${node.bias ? "" : ", no bias"})`,
  parameters: linearParameters,
  scratch: () => [],
  helpers: () => [],
  forward: emitLinearForward,
  backward: emitLinearBackward,
};
