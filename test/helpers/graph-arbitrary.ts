import fc from "fast-check";
import type { JsonSchema } from "../../src/ops/op.ts";
import { layerOp, layerOpNames, type LayerOpName } from "../../src/ops/registry.ts";

/**
 * Random valid graphs for the graph fuzzer (test/graph-fuzz.test.ts), composed from the op registry: several spec
 * inputs, repeated ops, any op after any op whose shape fits, explicit `input:` references to any earlier value,
 * dead branches, heads of several layers, either loss. Attributes are drawn from each op's own schema fragment,
 * so a new attribute is fuzzed without touching this file; a new op needs one line in `ops` (a compile error until
 * it has one), the fuzzer's own model of the shape rules, written from the README and independent of src/.
 */

export type Attribute = number | boolean | string;
export type Attributes = Readonly<Record<string, Attribute>>;

/** A value's shape after the batch dimension: a sequence [batch, seq, features] or flat [batch, features]. */
export type Shape = { readonly kind: "sequence"; readonly seq: number; readonly features: number } | { readonly kind: "flat"; readonly features: number };

export interface InputDecl {
  readonly name: string;
  /** The dimensions after `batch`. */
  readonly dims: readonly number[];
  readonly dtype: "float32" | "int32";
}

export interface NodeDecl {
  readonly id: string;
  readonly op: string;
  /** The `input:` key as written; undefined reads the previous node (the first node: the first spec input). */
  readonly input?: string;
  /** The value the node reads, whether written or by default. */
  readonly reads: string;
  readonly attributes: Attributes;
}

export interface GraphSpec {
  /** In key order: the first is the first node's default input. */
  readonly inputs: readonly InputDecl[];
  readonly nodes: readonly NodeDecl[];
  readonly loss: { readonly op: "cross_entropy" | "mse"; readonly input: string; readonly target: string };
  readonly lr: number;
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly seed: number;
}

/** An attribute of the node at hand, as the compiler sees it: written, or the schema's default. */
type AttributeOf = (key: string) => Attribute | undefined;
type ShapeRule = (input: Shape, attribute: AttributeOf) => Shape | undefined;

/** PyTorch's parameters of nn.RNN / nn.LSTM / nn.GRU: per layer and direction, with its state_dict names. */
const recurrentParameters = (gates: number) => (input: Shape, attribute: AttributeOf): [string, number[]][] => {
  const hidden = Number(attribute("hidden_size"));
  const directions = attribute("bidirectional") === true ? 2 : 1;
  const result: [string, number[]][] = [];
  for (let layer = 0; layer < Number(attribute("num_layers")); layer++) {
    for (let d = 0; d < directions; d++) {
      const suffix = `l${layer}${d === 1 ? "_reverse" : ""}`;
      result.push([`weight_ih_${suffix}`, [gates * hidden, layer === 0 ? input.features : directions * hidden]], [`weight_hh_${suffix}`, [gates * hidden, hidden]]);
      if (attribute("bias") === true) result.push([`bias_ih_${suffix}`, [gates * hidden]], [`bias_hh_${suffix}`, [gates * hidden]]);
    }
  }
  return result;
};

const recurrent = (gates: number) => ({
  shape: (input: Shape, attribute: AttributeOf): Shape | undefined =>
    input.kind === "sequence" ? { kind: "sequence", seq: input.seq, features: (attribute("bidirectional") === true ? 2 : 1) * Number(attribute("hidden_size")) } : undefined,
  parameters: recurrentParameters(gates),
});
const sameShape = { shape: (input: Shape): Shape => input };

/**
 * The fuzzer's own model of each op, from the README and PyTorch, independent of src/: what it does to a shape
 * (float32 in, float32 out; undefined where the op does not accept the shape) and the parameters it has, by
 * state_dict suffix, as PyTorch names and shapes them.
 */
export const ops: Readonly<Record<LayerOpName, { readonly shape: ShapeRule; readonly parameters?: (input: Shape, attribute: AttributeOf) => [string, number[]][] }>> = {
  rnn: recurrent(1),
  lstm: recurrent(4),
  gru: recurrent(3),
  // token ids are int32 and every value this fuzzer makes is float32: it never places an embedding
  embedding: { shape: () => undefined },
  last_step: { shape: (input) => (input.kind === "sequence" ? { kind: "flat", features: input.features } : undefined) },
  mean_pool: { shape: (input) => (input.kind === "sequence" ? { kind: "flat", features: input.features } : undefined) },
  max_pool: { shape: (input) => (input.kind === "sequence" ? { kind: "flat", features: input.features } : undefined) },
  // on a sequence, linear applies at every step
  linear: {
    shape: (input, attribute) => ({ ...input, features: Number(attribute("out_features")) }),
    parameters: (input, attribute) => [["weight", [Number(attribute("out_features")), input.features]], ...(attribute("bias") === true ? [["bias", [Number(attribute("out_features"))]] as [string, number[]]] : [])],
  },
  relu: sameShape,
  tanh: sameShape,
  sigmoid: sameShape,
  gelu: sameShape,
  dropout: sameShape,
};

/** Keep every size small, so a case compiles and trains in milliseconds. */
const sizeCaps: Readonly<Record<string, number>> = { hidden_size: 6, num_layers: 3, out_features: 6 };

/** Ids and input names that are also names in generated code (locals, buffers, helpers, globals, Object members). */
export const trickyNames = [
  "from", "source", "to", "i", "b", "t", "s", "row", "prevRow", "h", "c", "x", "y", "pre", "base", "gate", "sum", "max",
  "label", "scale", "count", "loss", "total", "target", "difference", "memory", "parameters", "gradients", "stateDict",
  "optimizerState", "randomState", "random", "run", "step", "backward", "computeLoss", "checkBatch", "training",
  "batchSize", "tanh", "sigmoid", "gelu", "normalCdf", "wasm", "Math", "Number", "Kernels", "KERNELS", "KERNELS_WASM_RELAXED", "compileKernels", "heap", "MAX_BATCH",
  "PARAMETERS", "INPUTS", "toString", "valueOf", "hasOwnProperty", "in_x", "out_a", "dout_a", "tmp_a_outL0", "w_a_weight",
  "at_in_x", "opt_m", "m", "v", "g", "mask", "Float32Array", "Batch", "Model", "ParameterName", "createModel", "True", "Null",
  "fromBase64", "digits", "bits", "held", "n", "options", "seed", "seededRandom", "initParameters", "InitRandom", "fillUniform",
  "fillNormal", "low", "spare", "mix", "splitmix", "rotl", "Inputs", "inputs", "checkInputs", "checkTargets", "checkBatchSize",
] as const;

function schemaOf(op: LayerOpName): { properties: Readonly<Record<string, JsonSchema>>; required: readonly string[] } {
  const schema = layerOp(op).schema;
  // references (a lengths input) name other values: this fuzzer's graphs have whole sequences, so it leaves them out
  const references = new Set(schema.references ?? []);
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([key]) => !references.has(key)));
  return { properties, required: (schema.required ?? []).filter((key) => !references.has(key)) };
}

/** A valid value of one attribute, from its schema fragment. */
function propertyArbitrary(op: string, key: string, schema: JsonSchema): fc.Arbitrary<Attribute> {
  const number = (name: string): number | undefined => (typeof schema[name] === "number" ? (schema[name] as number) : undefined);
  if (Array.isArray(schema["enum"])) return fc.constantFrom(...(schema["enum"] as Attribute[]));
  if (schema["type"] === "boolean") return fc.boolean();
  if (schema["type"] === "integer") {
    const min = number("minimum") ?? 0;
    return fc.integer({ min, max: Math.min(number("maximum") ?? Infinity, sizeCaps[key] ?? min + 5) });
  }
  const top = number("maximum") ?? number("exclusiveMaximum");
  if (schema["type"] === "number" && top !== undefined) {
    const min = number("minimum") ?? 0;
    return fc.constantFrom(min, min + (top - min) / 4, min + (top - min) / 2, min + 0.9 * (top - min));
  }
  throw new Error(`the graph fuzzer cannot generate \`${key}\` of \`${op}\`: ${JSON.stringify(schema)}`);
}

/** An op's attributes: every required one, each optional one written or left to its default. */
export function attributesArbitrary(op: LayerOpName): fc.Arbitrary<Attributes> {
  const { properties, required } = schemaOf(op);
  const entries = Object.entries(properties).map(([key, schema]) => {
    const value = propertyArbitrary(op, key, schema);
    return [key, required.includes(key) ? value : fc.option(value, { nil: undefined })] as const;
  });
  return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<Attribute | undefined>>).map((record) => {
    const written: Record<string, Attribute> = {};
    for (const [key, value] of Object.entries(record)) if (value !== undefined) written[key] = value;
    return written;
  });
}

/** An attribute as the compiler sees it: written, or the schema's default. */
export function effectiveAttribute(op: string, attributes: Attributes, key: string): Attribute | undefined {
  return attributes[key] ?? (layerOp(op).schema.properties[key]?.["default"] as Attribute | undefined);
}

export function outputShape(op: LayerOpName, input: Shape, attributes: Attributes): Shape | undefined {
  return ops[op].shape(input, (key) => effectiveAttribute(op, attributes, key));
}

export const isLayerOp = (op: string): op is LayerOpName => (layerOpNames as readonly string[]).includes(op);

/** Every spec input and node with its shape by the fuzzer's model; undefined for what no layer reads (an int32 target) or what does not fit. */
export function valuesOf(spec: GraphSpec): { readonly id: string; readonly shape: Shape | undefined }[] {
  const values: { id: string; shape: Shape | undefined }[] = spec.inputs.map((input) => ({
    id: input.name,
    shape:
      input.dtype !== "float32" ? undefined
      : input.dims.length === 2 ? { kind: "sequence", seq: input.dims[0]!, features: input.dims[1]! }
      : input.dims.length === 1 ? { kind: "flat", features: input.dims[0]! }
      : undefined,
  }));
  for (const node of spec.nodes) {
    const input = values.find((value) => value.id === node.reads)?.shape;
    values.push({ id: node.id, shape: input === undefined || !isLayerOp(node.op) ? undefined : outputShape(node.op, input, node.attributes) });
  }
  return values;
}

/** The parameters PyTorch would give the graph, in state_dict order: `<node id>.<suffix>` and shape. */
export function expectedParameters(spec: GraphSpec): { name: string; shape: number[] }[] {
  const values = valuesOf(spec);
  return spec.nodes.flatMap((node) => {
    const input = values.find((value) => value.id === node.reads)?.shape;
    if (!isLayerOp(node.op) || input === undefined) throw new Error(`\`${node.id}\` is not a valid node`);
    const op = node.op;
    const declared = ops[op].parameters?.(input, (key) => effectiveAttribute(op, node.attributes, key)) ?? [];
    return declared.map(([suffix, shape]) => ({ name: `${node.id}.${suffix}`, shape }));
  });
}

interface Step {
  readonly op: LayerOpName;
  readonly attributes: Attributes;
  /** Which fitting value to read when not the previous node. */
  readonly pick: number;
  /** Write `input:` even when reading the previous node. */
  readonly explicit: boolean;
  readonly name: number;
}

const stepOf = (names: readonly LayerOpName[]): fc.Arbitrary<Step> =>
  fc.oneof(...names.map((op) => fc.record({ op: fc.constant(op), attributes: attributesArbitrary(op), pick: fc.nat(), explicit: fc.boolean(), name: fc.nat() })));

/** Ops that map a flat value to a flat value: what a head is made of. */
export const headOps = layerOpNames.filter((op) => {
  const attribute = (key: string) => effectiveAttribute(op, {}, key) ?? 1;
  return ops[op].shape({ kind: "flat", features: 3 }, attribute)?.kind === "flat";
});

const planArbitrary = fc.record({
  sequences: fc.array(fc.record({ seq: fc.integer({ min: 1, max: 5 }), features: fc.integer({ min: 1, max: 4 }), name: fc.nat() }), { minLength: 1, maxLength: 3 }),
  flats: fc.array(fc.record({ features: fc.integer({ min: 1, max: 4 }), name: fc.nat() }), { maxLength: 1 }),
  targetAt: fc.nat(),
  targetName: fc.nat(),
  steps: fc.array(stepOf(layerOpNames), { maxLength: 8 }),
  headFrom: fc.option(fc.nat(), { nil: undefined }),
  head: fc.array(stepOf(headOps), { maxLength: 3 }),
  final: fc.record({ always: fc.boolean(), attributes: attributesArbitrary("linear"), explicit: fc.boolean(), name: fc.nat() }),
  loss: fc.constantFrom("cross_entropy" as const, "mse" as const),
  width: fc.integer({ min: 1, max: 5 }),
  flatTarget: fc.boolean(),
  batchSize: fc.integer({ min: 1, max: 5 }),
  lr: fc.constantFrom(0.001, 0.01, 0.1),
  weightDecay: fc.constantFrom(0, 0, 0.1),
  seed: fc.nat({ max: 1000 }),
});

type Plan = typeof planArbitrary extends fc.Arbitrary<infer P> ? P : never;

interface Value {
  readonly id: string;
  readonly shape: Shape;
}

/** Interprets a plan: every step whose op fits some value becomes a node; the head ends in the loss's shape. */
function build(plan: Plan): GraphSpec {
  const taken = new Set<string>();
  const name = (choice: number, fallback: string): string => {
    const tricky = trickyNames[Math.floor(choice / 3) % trickyNames.length]!;
    let id = choice % 3 === 0 && !taken.has(tricky) ? tricky : fallback;
    for (let n = 2; taken.has(id); n++) id = `${fallback}_${n}`;
    taken.add(id);
    return id;
  };
  const values: Value[] = [];
  const inputs: InputDecl[] = [];
  for (const [i, s] of plan.sequences.entries()) inputs.push({ name: name(s.name, `x${i + 1}`), dims: [s.seq, s.features], dtype: "float32" });
  for (const [i, f] of plan.flats.entries()) inputs.push({ name: name(f.name, `v${i + 1}`), dims: [f.features], dtype: "float32" });
  for (const input of inputs) values.push({ id: input.name, shape: input.dims.length === 2 ? { kind: "sequence", seq: input.dims[0]!, features: input.dims[1]! } : { kind: "flat", features: input.dims[0]! } });
  const width = plan.loss === "cross_entropy" ? Math.max(2, plan.width) : plan.width;
  const target: InputDecl =
    plan.loss === "cross_entropy"
      ? { name: name(plan.targetName, "y"), dims: [], dtype: "int32" }
      : { name: name(plan.targetName, "y"), dims: width === 1 && plan.flatTarget ? [] : [width], dtype: "float32" };
  inputs.splice(plan.targetAt % (inputs.length + 1), 0, target);
  if (target.dtype === "float32" && target.dims.length === 1) values.push({ id: target.name, shape: { kind: "flat", features: width } }); // layers may read it too

  const nodes: NodeDecl[] = [];
  let previous = inputs[0]!.name; // the default input: the first spec input, then the previous node
  let learns = false;
  const add = (op: LayerOpName, attributes: Attributes, source: Value, explicit: boolean, nameChoice: number): Value => {
    const shape = outputShape(op, source.shape, attributes);
    if (shape === undefined) throw new Error(`${op} does not fit ${JSON.stringify(source.shape)}`);
    const id = name(nameChoice, `${op}${nodes.length}`);
    nodes.push({ id, op, ...(explicit || source.id !== previous ? { input: source.id } : {}), reads: source.id, attributes });
    learns ||= ops[op].parameters !== undefined;
    const value = { id, shape };
    values.push(value);
    previous = id;
    return value;
  };

  for (const step of plan.steps) {
    const fits = values.filter((value) => outputShape(step.op, value.shape, step.attributes) !== undefined);
    if (fits.length === 0) continue;
    const byDefault = fits.find((value) => value.id === previous);
    add(step.op, step.attributes, !step.explicit && byDefault !== undefined ? byDefault : fits[step.pick % fits.length]!, step.explicit, step.name);
  }

  // the head: from the previous value or an explicit one, reduced to [batch, features], then flat → flat layers
  let current = (plan.headFrom === undefined ? values.find((value) => value.id === previous) : undefined) ?? values[(plan.headFrom ?? 0) % values.length]!;
  if (current.shape.kind === "sequence") current = add("last_step", {}, current, false, 1);
  for (const step of plan.head) current = add(step.op, step.attributes, current, step.explicit, step.name);
  const last = nodes[nodes.length - 1];
  if (plan.final.always || last === undefined || last.id !== current.id || current.shape.features !== width || !learns) {
    current = add("linear", { ...plan.final.attributes, out_features: width }, current, plan.final.explicit, plan.final.name);
  }
  return { inputs, nodes, loss: { op: plan.loss, input: current.id, target: target.name }, lr: plan.lr, weightDecay: plan.weightDecay, batchSize: plan.batchSize, seed: plan.seed };
}

/** Random valid graphs. */
export const graphArbitrary: fc.Arbitrary<GraphSpec> = planArbitrary.map(build);

/** A scalar as YAML: identifiers plain unless YAML would read them as something else (`True`, `Null`, …). */
function scalar(value: Attribute): string {
  if (typeof value !== "string") return String(value);
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value);
}

export function toYaml(spec: GraphSpec): string {
  const inputs = spec.inputs.map((input) => `  ${scalar(input.name)}: { shape: [batch${input.dims.map((d) => `, ${d}`).join("")}], dtype: ${input.dtype} }`);
  const nodes = spec.nodes.map((node) => {
    const keys = [`id: ${scalar(node.id)}`, `op: ${scalar(node.op)}`, ...(node.input === undefined ? [] : [`input: ${scalar(node.input)}`])];
    for (const [key, value] of Object.entries(node.attributes)) keys.push(`${key}: ${scalar(value)}`);
    return `  - { ${keys.join(", ")} }`;
  });
  return [
    "version: 1",
    "name: graph-fuzz",
    "input:",
    ...inputs,
    "graph:",
    ...nodes,
    `loss: { op: ${spec.loss.op}, input: ${scalar(spec.loss.input)}, target: ${scalar(spec.loss.target)} }`,
    `optimizer: { op: adam, lr: ${spec.lr}${spec.weightDecay === 0 ? "" : `, weight_decay: ${spec.weightDecay}`} }`,
    `train: { epochs: 1, batch_size: ${spec.batchSize}, seed: ${spec.seed} }`,
    "",
  ].join("\n");
}
