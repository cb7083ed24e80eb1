import fc from "fast-check";
import type { JsonSchema } from "../../src/ops/op.ts";
import { layerOp, layerOpNames } from "../../src/ops/registry.ts";
import { isLayerOp, outputShape, valuesOf, type Attribute, type GraphSpec, type NodeDecl } from "./graph-arbitrary.ts";

/**
 * One change that makes a valid generated graph invalid, by design: the compiler must answer each with coded,
 * positioned diagnostics and no file. Each mutation returns undefined where it does not apply to a graph.
 */
type Mutate = (spec: GraphSpec, pick: number, other: number) => GraphSpec | undefined;

function withNode(spec: GraphSpec, index: number, change: (node: NodeDecl) => NodeDecl): GraphSpec {
  return { ...spec, nodes: spec.nodes.map((node, i) => (i === index ? change(node) : node)) };
}

const reads = (node: NodeDecl, input: string): NodeDecl => ({ ...node, input, reads: input });

/** A value that breaks an attribute's schema fragment. */
function invalidValue(schema: JsonSchema, pick: number): Attribute | undefined {
  const number = (name: string): number | undefined => (typeof schema[name] === "number" ? (schema[name] as number) : undefined);
  const candidates: Attribute[] = [];
  if (Array.isArray(schema["enum"])) candidates.push("nope", 1);
  if (schema["type"] === "boolean") candidates.push("yes", 1);
  if (schema["type"] === "integer") candidates.push(1.5, "two");
  if (schema["type"] === "integer" || schema["type"] === "number") {
    const minimum = number("minimum");
    const maximum = number("maximum");
    const exclusiveMaximum = number("exclusiveMaximum");
    if (minimum !== undefined) candidates.push(minimum - 1);
    if (maximum !== undefined) candidates.push(maximum + 1);
    if (exclusiveMaximum !== undefined) candidates.push(exclusiveMaximum);
  }
  return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
}

const reservedWords = ["class", "batch", "function", "constructor", "prototype", "undefined", "NaN", "Infinity", "true"];

export const mutations: Readonly<Record<string, Mutate>> = {
  "loss reads an earlier node": (spec, pick) => (spec.nodes.length < 2 ? undefined : { ...spec, loss: { ...spec.loss, input: spec.nodes[pick % (spec.nodes.length - 1)]!.id } }),
  "loss reads a spec input": (spec, pick) => {
    const inputs = spec.inputs.filter((input) => input.name !== spec.loss.target);
    return { ...spec, loss: { ...spec.loss, input: inputs[pick % inputs.length]!.name } };
  },
  "loss reads an unknown value": (spec) => ({ ...spec, loss: { ...spec.loss, input: "nowhere" } }),
  "loss target is a node": (spec, pick) => ({ ...spec, loss: { ...spec.loss, target: spec.nodes[pick % spec.nodes.length]!.id } }),
  "node reads a later node": (spec, pick, other) => {
    if (spec.nodes.length < 2) return undefined;
    const k = pick % (spec.nodes.length - 1);
    return withNode(spec, k, (node) => reads(node, spec.nodes[k + 1 + (other % (spec.nodes.length - k - 1))]!.id));
  },
  "node reads itself": (spec, pick) => withNode(spec, pick % spec.nodes.length, (node) => reads(node, node.id)),
  "node reads an unknown value": (spec, pick) => withNode(spec, pick % spec.nodes.length, (node) => reads(node, "nowhere")),
  "duplicate id": (spec, pick, other) => {
    const k = pick % spec.nodes.length;
    const earlier = [...spec.inputs.map((input) => input.name), ...spec.nodes.slice(0, k).map((node) => node.id)];
    return withNode(spec, k, (node) => ({ ...node, id: earlier[other % earlier.length]! }));
  },
  "reserved id": (spec, pick, other) => withNode(spec, pick % spec.nodes.length, (node) => ({ ...node, id: reservedWords[other % reservedWords.length]! })),
  "node reads a value of the wrong rank": (spec, pick, other) => {
    const k = pick % spec.nodes.length;
    const node = spec.nodes[k]!;
    if (!isLayerOp(node.op)) return undefined;
    const op = node.op;
    const misfits = valuesOf(spec)
      .slice(0, spec.inputs.length + k)
      .filter((value) => value.shape !== undefined && outputShape(op, value.shape, node.attributes) === undefined);
    return misfits.length === 0 ? undefined : withNode(spec, k, (n) => reads(n, misfits[other % misfits.length]!.id));
  },
  "node reads the target": (spec, pick) => {
    const target = spec.inputs.find((input) => input.name === spec.loss.target)!;
    if (target.dtype === "float32") return undefined; // activations read any float32 value, an mse target too
    return withNode(spec, pick % spec.nodes.length, (node) => reads(node, target.name));
  },
  "cross_entropy over one class": (spec) => {
    const last = spec.nodes[spec.nodes.length - 1]!;
    if (spec.loss.op !== "cross_entropy" || last.op !== "linear") return undefined;
    return withNode(spec, spec.nodes.length - 1, (node) => ({ ...node, attributes: { ...node.attributes, out_features: 1 } }));
  },
  "target of the wrong shape": (spec) => {
    if (spec.nodes.some((node) => node.reads === spec.loss.target)) return undefined; // its shape flows into the prediction
    const wrong = (dims: readonly number[]) => (spec.loss.op === "mse" ? [(dims[0] ?? 1) + 1] : [2]);
    return { ...spec, inputs: spec.inputs.map((input) => (input.name !== spec.loss.target ? input : { ...input, dims: wrong(input.dims) })) };
  },
  "target of the wrong dtype": (spec) => ({
    ...spec,
    inputs: spec.inputs.map((input) => (input.name !== spec.loss.target ? input : { ...input, dtype: input.dtype === "int32" ? "float32" : "int32" })),
  }),
  "invalid attribute value": (spec, pick, other) => {
    const k = pick % spec.nodes.length;
    const node = spec.nodes[k]!;
    const properties = Object.entries(layerOp(node.op).schema.properties);
    if (properties.length === 0) return undefined;
    const [key, schema] = properties[other % properties.length]!;
    const value = invalidValue(schema, Math.floor(other / properties.length));
    return value === undefined ? undefined : withNode(spec, k, (n) => ({ ...n, attributes: { ...n.attributes, [key]: value } }));
  },
  "attribute of another op": (spec, pick, other) => {
    const k = pick % spec.nodes.length;
    const node = spec.nodes[k]!;
    const own = Object.keys(layerOp(node.op).schema.properties);
    const foreign = [...new Set(layerOpNames.flatMap((op) => Object.keys(layerOp(op).schema.properties)))].filter((key) => !own.includes(key));
    const key = [...foreign, "hiden_size"][other % (foreign.length + 1)]!;
    return withNode(spec, k, (n) => ({ ...n, attributes: { ...n.attributes, [key]: 1 } }));
  },
  "missing required attribute": (spec, pick, other) => {
    const k = pick % spec.nodes.length;
    const required = layerOp(spec.nodes[k]!.op).schema.required ?? [];
    if (required.length === 0) return undefined;
    const key = required[other % required.length]!;
    return withNode(spec, k, (node) => ({ ...node, attributes: Object.fromEntries(Object.entries(node.attributes).filter(([name]) => name !== key)) }));
  },
  "unknown op": (spec, pick) => withNode(spec, pick % spec.nodes.length, (node) => ({ ...node, op: "lstn" })),
  "input with a zero dimension": (spec, pick) => {
    const k = pick % spec.inputs.length;
    return { ...spec, inputs: spec.inputs.map((input, i) => (i === k ? { ...input, dims: [0, ...input.dims.slice(1)] } : input)) };
  },
};

export type MutationName = keyof typeof mutations;

export const mutationArbitrary = fc.record({ kind: fc.nat(), pick: fc.nat(), other: fc.nat() });

/** Applies the `kind`-th mutation (mod the count) that applies to the graph, skipping `excluded` ones. */
export function mutate(spec: GraphSpec, choice: { kind: number; pick: number; other: number }, excluded: ReadonlySet<string>): { name: string; spec: GraphSpec } {
  const names = Object.keys(mutations).filter((name) => !excluded.has(name));
  for (let i = 0; i < names.length; i++) {
    const name = names[(choice.kind + i) % names.length]!;
    const mutated = mutations[name]!(spec, choice.pick, choice.other);
    if (mutated !== undefined) return { name, spec: mutated };
  }
  throw new Error("no mutation applies");
}
