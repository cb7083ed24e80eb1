import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { diag } from "../diagnostics/codes.ts";
import { closest } from "../diagnostics/suggest.ts";
import type { InputValue } from "../ops/op.ts";
import { layerOp, lossOp, optimizerOp } from "../ops/registry.ts";
import type { ScheduleSpec, Spec, TensorSpec } from "../spec/types.ts";
import { lowerDataSource } from "./data-source.ts";
import { integerRangeConflicts } from "./integer-ranges.ts";
import { lowerStream } from "./stream.ts";
import { elementsPerItem, type Dim, type Graph, type InputNode, type LayerNode, type Parameter, type ScheduleConfig, type StreamGraph } from "./types.ts";

export interface Positions {
  positionOf(path: readonly (string | number)[], options?: { key?: boolean }): SourcePosition;
}

/** Refuse before allocating: no spec may make the compiler or the trainer allocate more than this many elements. */
export const maxParameterElements = 1 << 26;
export const maxActivationElements = 1 << 26;

const reservedIds = new Set(
  "batch break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof let new null return static super switch this throw true try typeof var void while with yield await implements interface package private protected public constructor prototype undefined NaN Infinity".split(
    " ",
  ),
);

/** Spec → IR: resolves references, applies each op's shape rule, places parameters. Reports every error it can find. */
export function lower(spec: Spec, positions: Positions): { graph?: Graph; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const values = new Map<string, InputValue>();
  const definedAt = new Map<string, SourcePosition>();

  const inputs: InputNode[] = [];
  for (const [name, tensor] of Object.entries(spec.input)) {
    const at = positions.positionOf(["input", name], { key: true });
    if (reservedIds.has(name)) diagnostics.push(diag.reservedId(at, name, "it is a JavaScript or rnnc keyword"));
    const input = lowerInput(name, tensor, at, positions, diagnostics);
    definedAt.set(name, at);
    if (input !== undefined) {
      inputs.push(input);
      values.set(name, input);
    }
  }

  const { layers, failed } = lowerLayers(spec, positions, values, definedAt, diagnostics);

  const loss = lowerLoss(spec, positions, values, definedAt, diagnostics, failed);
  if (diagnostics.length > 0 || loss === undefined) return { diagnostics };
  diagnostics.push(...integerRangeConflicts({ layers, loss }));
  if (diagnostics.length > 0) return { diagnostics };

  const parameters = placeParameters(layers);
  const parameterCount = parameters.reduce((sum, p) => sum + p.size, 0);
  if (parameterCount === 0) {
    diagnostics.push(diag.lossTargetMismatch(positions.positionOf(["graph"]), "the graph has no parameters: there is nothing to train", "add a layer that learns, e.g. `- { id: fc, op: linear, out_features: … }`"));
  }
  if (parameterCount > maxParameterElements) diagnostics.push(diag.modelTooLarge(positions.positionOf(["graph"]), "the parameters", parameterCount, maxParameterElements));
  const activationCount = [...inputs, ...layers].reduce((sum, node) => sum + elementsPerItem(node.type), 0) * spec.train.batch_size;
  if (activationCount > maxActivationElements) diagnostics.push(diag.modelTooLarge(positions.positionOf(["train", "batch_size"]), `a batch of ${spec.train.batch_size}`, activationCount, maxActivationElements));
  if (diagnostics.length > 0) return { diagnostics };

  const data = lowerDataSource(spec, inputs, layers, loss, positions, diagnostics);
  const optimizer = optimizerOp(spec.optimizer.op).lower(spec.optimizer, (key) => positions.positionOf(["optimizer", key]));
  if ("diagnostics" in optimizer) diagnostics.push(...optimizer.diagnostics);
  if (diagnostics.length > 0 || !("node" in optimizer)) return { diagnostics };
  const { clip_grad_norm: clipGradNorm, clip_grad_value: clipGradValue } = spec.train;

  return {
    graph: {
      name: spec.name,
      inputs,
      layers,
      loss,
      parameters,
      optimizer: optimizer.node,
      train: {
        epochs: spec.train.epochs,
        batchSize: spec.train.batch_size,
        seed: spec.train.seed,
        shuffle: spec.train.shuffle,
        ...(spec.train.patience === undefined ? {} : { patience: spec.train.patience }),
        ...(clipGradNorm === undefined ? {} : { clipGradNorm }),
        ...(clipGradValue === undefined ? {} : { clipGradValue }),
        ...(spec.train.lr_schedule === undefined ? {} : { schedule: lowerSchedule(spec.train.lr_schedule) }),
        warmupEpochs: spec.train.warmup_epochs,
        divergenceFactor: spec.train.divergence_factor,
        threads: spec.train.threads,
      },
      ...(data === undefined ? {} : { data }),
      ...streamOf(spec, positions, inputs, layers),
    },
    diagnostics,
  };
}

/**
 * The graph's nodes in order: resolves references and applies each op's shape rule. `values` holds what is defined
 * so far (the spec inputs) and gains each node; `failed` is set when a node could not be lowered.
 */
export function lowerLayers(
  spec: Spec,
  positions: Positions,
  values: Map<string, InputValue>,
  definedAt: Map<string, SourcePosition>,
  diagnostics: Diagnostic[],
): { layers: LayerNode[]; failed: boolean } {
  const laterIds = new Set(spec.graph.map((node) => node.id));
  const layers: LayerNode[] = [];
  let previous: string | undefined = Object.keys(spec.input)[0];
  let failed = false;
  spec.graph.forEach((nodeSpec, index) => {
    const at = positions.positionOf(["graph", index]);
    const idAt = positions.positionOf(["graph", index, "id"]);
    laterIds.delete(nodeSpec.id);
    const firstAt = definedAt.get(nodeSpec.id);
    if (firstAt !== undefined) diagnostics.push(diag.duplicateId(idAt, nodeSpec.id, firstAt));
    else if (reservedIds.has(nodeSpec.id)) diagnostics.push(diag.reservedId(idAt, nodeSpec.id, "it is a JavaScript or rnnc keyword"));
    definedAt.set(nodeSpec.id, idAt);

    const primary = nodeSpec.input ?? previous;
    previous = nodeSpec.id;
    if (primary === undefined) return;
    const op = layerOp(nodeSpec.op);
    // the primary input, then every reference key the spec sets (e.g. a sequence-length input)
    const refs: { name: string; path: (string | number)[] }[] = [{ name: primary, path: nodeSpec.input !== undefined ? ["graph", index, "input"] : ["graph", index] }];
    for (const key of op.schema.references ?? []) {
      const value = (nodeSpec as unknown as Readonly<Record<string, unknown>>)[key];
      if (typeof value === "string") refs.push({ name: value, path: ["graph", index, key] });
    }
    const inputs: InputValue[] = [];
    for (const ref of refs) {
      const input = values.get(ref.name);
      if (input !== undefined) {
        inputs.push(input);
        continue;
      }
      const refAt = positions.positionOf(ref.path);
      if (laterIds.has(ref.name) || ref.name === nodeSpec.id) diagnostics.push(diag.forwardReference(refAt, nodeSpec.id, ref.name));
      else if (!definedAt.has(ref.name)) diagnostics.push(diag.unknownReference(refAt, `node \`${nodeSpec.id}\``, ref.name, [...definedAt.keys()], closest(ref.name, [...definedAt.keys()])));
      failed = true; // an input that failed to lower has reported already
    }
    if (inputs.length !== refs.length) return;
    const result = op.lower(nodeSpec, inputs, at, (key) => positions.positionOf(["graph", index, key]));
    if ("diagnostics" in result) {
      diagnostics.push(...result.diagnostics);
      failed = true;
      return;
    }
    layers.push(result.node);
    values.set(nodeSpec.id, result.node);
  });

  return { layers, failed };
}

function lowerSchedule(schedule: ScheduleSpec): ScheduleConfig {
  switch (schedule.op) {
    case "step":
      return { op: "step", stepSize: schedule.step_size, gamma: schedule.gamma };
    case "exponential":
      return { op: "exponential", gamma: schedule.gamma };
    case "cosine":
      return { op: "cosine", tMax: schedule.t_max, etaMin: schedule.eta_min };
    case "reduce_on_plateau":
      return { op: "reduce_on_plateau", factor: schedule.factor, patience: schedule.patience, threshold: schedule.threshold, minLr: schedule.min_lr };
  }
}

function streamOf(spec: Spec, positions: Positions, inputs: readonly InputNode[], layers: readonly LayerNode[]): { stream?: StreamGraph } {
  const stream = lowerStream(spec, positions, inputs, layers);
  return stream === undefined ? {} : { stream };
}

const dimNames: Readonly<Record<number, readonly string[]>> = { 2: ["features"], 3: ["seq", "features"], 4: ["seq", "height", "features"] };

function lowerInput(name: string, tensor: TensorSpec, at: SourcePosition, positions: Positions, diagnostics: Diagnostic[]): InputNode | undefined {
  const [first, ...rest] = tensor.shape;
  const shapeAt = positions.positionOf(["input", name, "shape"]);
  if (first !== "batch" || rest.includes("batch")) {
    diagnostics.push(diag.invalidValue(shapeAt, `input.${name}.shape`, `[${tensor.shape.join(", ")}]`, "the first dimension, and only the first, must be `batch`, e.g. [batch, 7, 10]"));
    return undefined;
  }
  const names = dimNames[tensor.shape.length] ?? [];
  const dims: Dim[] = [{ name: "batch" }, ...rest.map((size, i) => ({ name: names[i] ?? `d${i + 1}`, size: Number(size) }))];
  return { op: "input", id: name, at, type: { dims, dtype: tensor.dtype } };
}

function lowerLoss(
  spec: Spec,
  positions: Positions,
  values: ReadonlyMap<string, InputValue>,
  definedAt: ReadonlyMap<string, SourcePosition>,
  diagnostics: Diagnostic[],
  graphFailed: boolean,
) {
  const known = [...definedAt.keys()];
  const logits = values.get(spec.loss.input);
  const target = values.get(spec.loss.target);
  const nodeIds = new Set(spec.graph.map((node) => node.id));
  if (!definedAt.has(spec.loss.input)) {
    diagnostics.push(diag.unknownReference(positions.positionOf(["loss", "input"]), "the loss's `input`", spec.loss.input, known, closest(spec.loss.input, known)));
  }
  if (!Object.hasOwn(spec.input, spec.loss.target)) {
    const inputNames = Object.keys(spec.input);
    const at = positions.positionOf(["loss", "target"]);
    if (nodeIds.has(spec.loss.target)) {
      diagnostics.push(diag.lossTargetMismatch(at, `the loss target \`${spec.loss.target}\` is a node; it must be a spec input`, `declare the labels under \`input:\`, e.g. \`y: { shape: [batch], dtype: int32 }\``));
    } else {
      diagnostics.push(diag.unknownReference(at, "the loss's `target`", spec.loss.target, inputNames, closest(spec.loss.target, inputNames)));
    }
  }
  if (!definedAt.has(spec.loss.input) || !Object.hasOwn(spec.input, spec.loss.target)) return undefined;
  const lastId = spec.graph[spec.graph.length - 1]?.id;
  if (!nodeIds.has(spec.loss.input)) {
    // a spec input has no parameters behind it: nothing would be trained (found by the graph fuzzer)
    diagnostics.push(
      diag.lossTargetMismatch(
        positions.positionOf(["loss", "input"]),
        `the loss reads the spec input \`${spec.loss.input}\`; it must read a node's output, so that there is something to train`,
        `take the loss from the last node (\`input: ${lastId}\`)`,
      ),
    );
    return undefined;
  }
  if (nodeIds.has(spec.loss.input) && spec.loss.input !== lastId) {
    diagnostics.push(
      diag.lossTargetMismatch(
        positions.positionOf(["loss", "input"]),
        `the loss reads \`${spec.loss.input}\`, but the graph goes on to \`${lastId}\`; nodes after the loss input would never be trained`,
        `take the loss from the last node (\`input: ${lastId}\`) or remove the nodes after \`${spec.loss.input}\``,
      ),
    );
    return undefined;
  }
  if (logits === undefined || target === undefined || graphFailed) return undefined;
  const result = lossOp(spec.loss.op).lower(spec.loss, logits, target, {
    input: positions.positionOf(["loss", "input"]),
    target: positions.positionOf(["loss", "target"]),
    key: (key) => positions.positionOf(["loss", key]),
  });
  if ("diagnostics" in result) {
    diagnostics.push(...result.diagnostics);
    return undefined;
  }
  return result.node;
}

function placeParameters(layers: readonly LayerNode[]): Parameter[] {
  const parameters: Parameter[] = [];
  let offset = 0;
  for (const node of layers) {
    for (const declared of layerOp(node.op).parameters(node)) {
      const size = declared.shape.reduce((product, n) => product * n, 1);
      parameters.push({ name: `${node.id}.${declared.suffix}`, node: node.id, shape: declared.shape, offset, size, init: declared.init });
      offset += size;
    }
  }
  return parameters;
}
