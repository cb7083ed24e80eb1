import type { LayerNode } from "../ir/types.ts";
import type { NodeSpec } from "../spec/types.ts";
import { lastStepOp } from "./last-step.ts";
import { linearOp } from "./linear.ts";
import type { OpDefinition } from "./op.ts";
import { rnnOp } from "./rnn.ts";

type OpName = LayerNode["op"];
type DefinitionFor<K extends OpName> = OpDefinition<Extract<NodeSpec, { op: K }>, Extract<LayerNode, { op: K }>>;

/** The layer ops by name: adding an op is one file and one line here (and its branch in schema.json). */
const ops: { readonly [K in OpName]: DefinitionFor<K> } = {
  rnn: rnnOp,
  last_step: lastStepOp,
  linear: linearOp,
};

/**
 * The definition of an op. The table's mapped type ties each entry to its own spec and node types;
 * the cast only widens that correlation, which TypeScript cannot follow through a union index.
 */
export function opOf(op: OpName): OpDefinition<NodeSpec, LayerNode> {
  return ops[op] as unknown as OpDefinition<NodeSpec, LayerNode>;
}
