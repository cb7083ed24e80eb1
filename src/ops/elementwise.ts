import { diag } from "../diagnostics/codes.ts";
import { comment, forRange } from "../emit/code.ts";
import { elementsPerItem, showType, type LayerNode } from "../ir/types.ts";
import type { LayerOp, MathHelper, NodeSpecBase } from "./op.ts";

/** An elementwise activation: [batch, …] → the same shape. Sequences are activated at every step. */
export interface ActivationNode extends LayerNode {
  readonly elements: number;
}

interface Activation {
  readonly op: string;
  readonly description: string;
  /** The output as an expression of `x` (the input element). */
  readonly value: string;
  /** dy/dx as an expression of `x` and `y` (input and output elements). */
  readonly derivative: string;
  readonly helpers: readonly MathHelper[];
}

/** The family of elementwise activations (relu, tanh, sigmoid, gelu): each op file states its formula and derivative. */
export function activationOp(activation: Activation): LayerOp<NodeSpecBase, ActivationNode> {
  const { op } = activation;
  return {
    schema: { description: activation.description, properties: {} },
    lower(spec, inputs, at) {
      const input = inputs[0]!;
      if (input.type.dtype !== "float32") return { diagnostics: [diag.dtypeMismatch(at, spec.id, "float32", input.type.dtype)] };
      return { node: { op, id: spec.id, input: input.id, inputs: [input.id], at, elements: elementsPerItem(input.type), type: input.type } };
    },
    summary: (node) => `${op}(${node.input})`,
    parameters: () => [],
    scratch: () => [],
    helpers: () => [...activation.helpers, "flush"],
    streaming: () => ({ state: [] }),
    forward(node, buffers, w) {
      comment(w, `${op} \`${node.id}\` forward: y = ${activation.value}, elementwise over [${showType(node.type).join(", ")}]`);
      forRange(w, "i", `batchSize * ${node.elements}`, () => {
        w.writeLine(`const x = ${buffers.input.view}[i]!;`);
        w.writeLine(`${buffers.output.view}[i] = ${activation.value};`);
      });
    },
    backward(node, buffers, w) {
      const dInput = buffers.dInput;
      if (dInput === undefined) return;
      comment(w, `${op} \`${node.id}\` backward: dx += dy · ${activation.derivative}`);
      forRange(w, "i", `batchSize * ${node.elements}`, () => {
        if (activation.derivative.includes("x")) w.writeLine(`const x = ${buffers.input.view}[i]!;`);
        if (/\by\b/.test(activation.derivative)) w.writeLine(`const y = ${buffers.output.view}[i]!;`);
        w.writeLine(`${dInput.view}[i]! += flush(${buffers.dOutput.view}[i]! * ${activation.derivative});`);
      });
    },
  };
}
