import { diag } from "../diagnostics/codes.ts";
import { comment, forRange } from "../emit/code.ts";
import { elementsPerItem, type LayerNode } from "../ir/types.ts";
import { emitDropoutMask } from "./dropout-mask.ts";
import type { LayerOp, NodeSpecBase } from "./op.ts";

/** dropout — inverted dropout as torch.nn.Dropout(p): in training each element is zeroed with probability p, the rest scaled by 1/(1 − p); the identity otherwise. */
export interface DropoutNodeSpec extends NodeSpecBase {
  readonly op: "dropout";
  readonly p: number;
}

export interface DropoutNode extends LayerNode {
  readonly p: number;
  readonly elements: number;
}

export const dropoutOp: LayerOp<DropoutNodeSpec, DropoutNode> = {
  schema: {
    description: "Inverted dropout, in training only: each element is zeroed with probability `p` and the rest scaled by 1/(1 − p); the identity in `forward`, evaluation and predict. Same shape out as in. Same as torch.nn.Dropout.",
    properties: { p: { description: "Probability of zeroing an element.", type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.5 } },
  },
  lower(spec, inputs, at) {
    const input = inputs[0]!;
    if (input.type.dtype !== "float32") return { diagnostics: [diag.dtypeMismatch(at, spec.id, "float32", input.type.dtype)] };
    return { node: { op: "dropout", id: spec.id, input: input.id, inputs: [input.id], at, p: spec.p, elements: elementsPerItem(input.type), type: input.type } };
  },
  summary: (node) => `dropout(${node.input}, p=${node.p})`,
  parameters: () => [],
  scratch: (node) => [{ name: "mask", perItem: node.elements, fixed: 0, phase: "forward" }],
  helpers: () => ["random"],
  streaming: () => ({ state: [] }),
  forward(node, buffers, w) {
    const mask = buffers.scratch("mask").view;
    const count = `batchSize * ${node.elements}`;
    emitDropoutMask(w, node.p, mask, count, `\`${node.id}\``);
    forRange(w, "i", count, () => w.writeLine(`${buffers.output.view}[i] = ${buffers.input.view}[i]! * ${mask}[i]!;`));
  },
  backward(node, buffers, w) {
    const dInput = buffers.dInput;
    if (dInput === undefined) return;
    const mask = buffers.scratch("mask").view;
    comment(w, `dropout \`${node.id}\` backward: the same mask`);
    forRange(w, "i", `batchSize * ${node.elements}`, () => w.writeLine(`${dInput.view}[i]! += ${buffers.dOutput.view}[i]! * ${mask}[i]!;`));
  },
};
