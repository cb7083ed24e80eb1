import { diag } from "../diagnostics/codes.ts";
import { comment, constant, forRange, type Writer } from "../emit/code.ts";
import { showType, staticSize, type LinearNode } from "../ir/types.ts";
import type { LinearNodeSpec } from "../spec/types.ts";
import type { Buffers, InputValue, OpDefinition, ParameterShape, ShapeRuleResult, SourcePosition } from "./op.ts";

/**
 * linear — y = x Wᵀ + b, as torch.nn.Linear.
 * Shape rule: [batch, in_features] → [batch, out_features]. A sequence must be reduced first (e.g. by last_step).
 */
export function lowerLinear(spec: LinearNodeSpec, input: InputValue, at: SourcePosition): ShapeRuleResult<LinearNode> {
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
  const weight = buffers.param("weight").value;
  comment(w, `linear \`${node.id}\` forward: out = in Wᵀ${node.bias ? " + b" : ""}, [batch, ${I}] → [batch, ${O}]`);
  forRange(w, "b", "batchSize", () => {
    constant(w, "inAt", `b * ${I}`);
    forRange(w, "o", O, () => {
      w.writeLine(node.bias ? `let sum = ${buffers.param("bias").value}[o]!;` : "let sum = 0;");
      constant(w, "row", `o * ${I}`);
      forRange(w, "i", I, () => w.writeLine(`sum += ${weight}[row + i]! * ${buffers.input}[inAt + i]!;`));
      w.writeLine(`${buffers.output}[b * ${O} + o] = sum;`);
    });
  });
}

export function emitLinearBackward(node: LinearNode, buffers: Buffers, w: Writer): void {
  const { inFeatures: I, outFeatures: O } = node;
  const weight = buffers.param("weight");
  comment(w, `linear \`${node.id}\` backward: dW += dOutᵀ in${node.bias ? ", db += Σ dOut" : ""}${buffers.dInput !== undefined ? ", dIn += dOut W" : ""}`);
  forRange(w, "b", "batchSize", () => {
    constant(w, "inAt", `b * ${I}`);
    forRange(w, "o", O, () => {
      constant(w, "d", `${buffers.dOutput}[b * ${O} + o]!`);
      if (node.bias) w.writeLine(`${buffers.param("bias").grad}[o]! += d;`);
      constant(w, "row", `o * ${I}`);
      forRange(w, "i", I, () => {
        w.writeLine(`${weight.grad}[row + i]! += d * ${buffers.input}[inAt + i]!;`);
        if (buffers.dInput !== undefined) w.writeLine(`${buffers.dInput}[inAt + i]! += d * ${weight.value}[row + i]!;`);
      });
    });
  });
}

export const linearOp: OpDefinition<LinearNodeSpec, LinearNode> = {
  lower: lowerLinear,
  parameters: linearParameters,
  scratch: () => [],
  forward: emitLinearForward,
  backward: emitLinearBackward,
};
