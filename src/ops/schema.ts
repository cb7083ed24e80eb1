import { createRequire } from "node:module";
import type { JsonSchema, OpSchema } from "./op.ts";
import { registry } from "./registry.ts";

/**
 * The spec's JSON Schema, derived: the hand-written frame (src/spec/schema-base.json: top level, inputs, train, data)
 * plus one branch per registered op, loss and optimizer, built from the schema fragment each op file declares.
 * `npm run docs` writes it to src/spec/schema.json, which ajv validates against; a test fails while that file is stale.
 */
const base = createRequire(import.meta.url)("../spec/schema-base.json") as { $defs: Record<string, { oneOf: unknown[] }> } & JsonSchema;

const identifier = { $ref: "#/$defs/identifier" };

function branch(name: string, schema: OpSchema, common: Readonly<Record<string, JsonSchema>>, what: string): JsonSchema {
  const leading = Object.keys(common).filter((key) => key !== "input");
  return {
    title: name,
    description: schema.description,
    type: "object",
    additionalProperties: false,
    required: [...leading, ...(schema.required ?? [])],
    properties: { ...common, op: { const: name, description: `The ${what}.` }, ...schema.properties },
  };
}

const nodeKeys = {
  id: { ...identifier, description: "Unique id of the node; its parameters are named `<id>.<tensor>` as in PyTorch's state_dict." },
  op: {},
  input: { ...identifier, description: "The node or spec input this node reads. Default: the previous node (for the first node, the first spec input)." },
};

export function buildSpecSchema(): JsonSchema {
  const defs: Record<string, unknown> = { ...base.$defs };
  const groups = [
    { group: "node", entries: registry.layers, common: nodeKeys, what: "op" },
    { group: "loss", entries: registry.losses, common: { op: {} }, what: "loss" },
    { group: "optimizer", entries: registry.optimizers, common: { op: {} }, what: "optimizer" },
  ];
  for (const { group, entries, common, what } of groups) {
    defs[group] = { ...base.$defs[group], oneOf: entries.map(([name]) => ({ $ref: `#/$defs/${name}` })) };
    for (const [name, op] of entries) defs[name] = branch(name, op.schema, common, what);
  }
  return { ...base, $defs: defs };
}

/** The text of src/spec/schema.json. */
export function specSchemaText(): string {
  return `${JSON.stringify(buildSpecSchema(), null, 2)}\n`;
}
