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
  /** 1 on [batch, features]; the sequence length on [batch, seq, features] (every step, one product). */
  readonly steps: number;
}

/**
 * linear — y = x Wᵀ + b, as torch.nn.Linear.
 * Shape rule: [batch, in_features] → [batch, out_features]; on a sequence [batch, seq, in_features] it applies to
 * every step, as nn.Linear on a 3-D tensor: the time-major rows of all steps are one product.
 */
export function lowerLinear(spec: LinearNodeSpec, inputs: readonly InputValue[], at: SourcePosition): ShapeRuleResult<LinearNode> {
  const input = inputs[0]!;
  const dims = input.type.dims;
  const features = dims[dims.length - 1];
  const inFeatures = features === undefined ? undefined : staticSize(features);
  const steps = dims.length === 2 ? 1 : dims.length === 3 && dims[1] !== undefined ? staticSize(dims[1]) : undefined;
  if (dims[0]?.name !== "batch" || inFeatures === undefined || steps === undefined) {
    return { diagnostics: [diag.rankMismatch(at, spec.id, "linear", "[batch, in_features] or [batch, seq, in_features]", showType(input.type), "linear takes [batch, features] or a sequence of them")] };
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
      steps,
      type: { dims: [...dims.slice(0, -1), { name: "features", size: spec.out_features }], dtype: "float32" },
    },
  };
}

/** kaiming_uniform_(a=√5) on the weight is U(−1/√in, 1/√in); the bias uses the same bound. */
export function linearParameters(node: LinearNode): ParameterShape[] {
  const bound = 1 / Math.sqrt(node.inFeatures);
  const init = { distribution: "uniform", bound } as const;
  const weight = { suffix: "weight", shape: [node.outFeatures, node.inFeatures], init };
  return node.bias ? [weight, { suffix: "bias", shape: [node.outFeatures], init }] : [weight];
}

/** The rows the product runs over: the batch, or every step of every sample (time-major, contiguous). */
const rowsOf = (node: LinearNode) => (node.steps === 1 ? "batchSize" : `${node.steps} * batchSize`);

export function emitLinearForward(node: LinearNode, buffers: Buffers, w: Writer): void {
  const { inFeatures: I, outFeatures: O } = node;
  const shape = (n: number) => (node.steps === 1 ? `[batch, ${n}]` : `[${node.steps}, batch, ${n}]`);
  comment(w, `linear \`${node.id}\` forward: out = in Wᵀ${node.bias ? " + b" : ""}, ${shape(I)} → ${shape(O)}${node.steps === 1 ? "" : " (every step)"}`);
  if (node.bias) {
    const bias = buffers.param("bias").value.view;
    forRange(w, "r", rowsOf(node), () => forRange(w, "o", O, () => w.writeLine(`${buffers.output.view}[r * ${O} + o] = ${bias}[o]!;`)));
  }
  gemm(
    w,
    "nt",
    { m: rowsOf(node), n: O, k: I, a: buffers.input.at, lda: I, b: buffers.param("weight").value.at, ldb: I, c: buffers.output.at, ldc: O, accumulate: node.bias },
    `out (+)= in Wᵀ`,
  );
}

export function emitLinearBackward(node: LinearNode, buffers: Buffers, w: Writer): void {
  const { inFeatures: I, outFeatures: O } = node;
  const weight = buffers.param("weight");
  const dOut = buffers.dOutput;
  comment(w, `linear \`${node.id}\` backward`);
  gemm(w, "tn", { m: O, n: I, k: rowsOf(node), a: dOut.at, lda: O, b: buffers.input.at, ldb: I, c: weight.grad.at, ldc: I, accumulate: true }, "dW += dOutᵀ in");
  if (node.bias) {
    comment(w, "db += Σ_rows dOut[row]");
    forRange(w, "o", O, () => {
      w.writeLine("let sum = 0;");
      forRange(w, "r", rowsOf(node), () => w.writeLine(`sum += ${dOut.view}[r * ${O} + o]!;`));
      w.writeLine(`${buffers.param("bias").grad.view}[o]! += sum;`);
    });
  }
  if (buffers.dInput !== undefined) {
    gemm(w, "nn", { m: rowsOf(node), n: I, k: O, a: dOut.at, lda: O, b: weight.value.at, ldb: I, c: buffers.dInput.at, ldc: I, accumulate: true }, "dIn += dOut W");
  }
}

export const linearOp: LayerOp<LinearNodeSpec, LinearNode> = {
  schema: {
    description: "Affine map y = x Wᵀ + b: [batch, in_features] → [batch, out_features], or on a sequence [batch, seq, in_features] at every step. Same as torch.nn.Linear.",
    required: ["out_features"],
    properties: {
      out_features: { description: "Output size.", type: "integer", minimum: 1, maximum: 65536 },
      bias: { description: "Learn b.", type: "boolean", default: true },
    },
  },
  lower: lowerLinear,
  summary: (node) => `linear(${node.input}, ${node.inFeatures}→${node.outFeatures}${node.bias ? "" : ", no bias"}${node.steps === 1 ? "" : ", every step"})`,
  parameters: linearParameters,
  flops: (node) => 2 * node.steps * node.inFeatures * node.outFeatures,
  scratch: () => [],
  helpers: () => [],
  streaming: () => ({ state: [] }),
  forward: emitLinearForward,
  backward: emitLinearBackward,
};
