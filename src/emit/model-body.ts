import { CodeBlockWriter } from "ts-morph";
import { elementsPerItem, type Graph, type InputNode, type LayerNode, type Parameter, type StreamGraph } from "../ir/types.ts";
import type { BufferRef, Buffers } from "../ops/op.ts";
import { layerOp, lossOp, optimizerOp } from "../ops/registry.ts";
import { HEAP, comment, constant, forRange, numberLiteral, type Writer } from "./code.ts";
import type { MemoryPlan } from "./memory.ts";
import { KERNEL_PACK, layerInputs, memoryPlan } from "./model-memory.ts";
import { emitReturn } from "./model-return.ts";
import type { Target } from "./target.ts";
import type { Precision } from "./module.ts";
import { BufferNames } from "./names.ts";
import { usesRandom } from "./math.ts";
import { ELEMENTWISE_KERNEL_NAMES, emitElementwiseInstances, emitPackScratch } from "./kernels-embed.ts";
import { integerRanges } from "../ir/integer-ranges.ts";
import type { IntegerRange } from "../ops/op.ts";
import { emitThreadedMemory } from "./threads/emit-dispatch.ts";
import { isThreaded, threadPlan } from "./threads/plan.ts";

/** Records which generated names the code uses, so that only those are declared (the file passes noUnusedLocals). */
class Used {
  readonly names: Set<string>;
  constructor(target: Target) {
    this.names = new Set(target === "training" ? ["parameters", "gradients"] : ["parameters"]);
  }
  use(name: string): string {
    this.names.add(name);
    return name;
  }
  ref(name: string): BufferRef {
    const use = (n: string) => this.use(n);
    return {
      get view() {
        return use(name);
      },
      get at() {
        return use(`at_${name}`);
      },
    };
  }
}

interface Context {
  readonly graph: Graph;
  readonly real: string;
  readonly elementBytes: number;
  readonly names: BufferNames;
  /** The streaming API's buffers (one step long), named apart from the training buffers. */
  readonly streamNames: BufferNames;
  readonly used: Used;
  readonly target: Target;
}

/**
 * The body of createModel(): the shared memory and views of it, then forward, loss, backward and the optimizer step
 * as inner functions. The functions are written first (to learn which names they use), the declarations above them.
 */
export function emitCreateModel(graph: Graph, precision: Precision, w: Writer, target: Target = "training"): MemoryPlan {
  const elementBytes = precision === "float32" ? 4 : 8;
  const names = new BufferNames();
  const real = precision === "float32" ? "Float32Array" : "Float64Array";
  const context: Context = { graph, real, elementBytes, names, streamNames: new BufferNames("stream_", names), used: new Used(target), target };
  const functions = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitFunctions(context, functions);
  // only the kernels the code calls are taken from the instance (the file must pass noUnusedLocals)
  for (const kernel of ["gemm_nt", "gemm_nn", "gemm_tn", ...ELEMENTWISE_KERNEL_NAMES]) if (functions.toString().includes(`${kernel}(`)) context.used.use(kernel);
  if (functions.toString().includes(`${HEAP}.copyWithin(`)) context.used.use(HEAP);
  const plan = emitDeclarations(context, w);
  w.write(functions.toString());
  emitReturn(graph, names, target, context.used.names.has("randomState"), w, threadedBody(graph, context.used.names));
  return plan;
}

/** Threads apply to a model whose spec asks for them and that multiplies matrices (an embedding alone does not). */
export function threadedBody(graph: Graph, used: ReadonlySet<string>): boolean {
  return isThreaded(graph) && ["gemm_nt", "gemm_nn", "gemm_tn"].some((kernel) => used.has(kernel));
}

function optimizerStateNames(graph: Graph): readonly string[] {
  return optimizerOp(graph.optimizer.op).state(graph.optimizer);
}

function emitDeclarations({ graph, real, elementBytes, names, streamNames, used: tracked, target }: Context, w: Writer): MemoryPlan {
  const used = tracked.names;
  const training = target === "training";
  for (const node of graph.layers) used.add(names.output(node.id)); // returned as `activations`
  const stateNames = training ? optimizerStateNames(graph) : [];
  for (const name of stateNames) used.add(names.optimizerState(name)); // returned in `optimizerState`
  // parameter pointers are offsets from the parameter and gradient regions
  if ([...used].some((name) => name.startsWith("at_w_"))) used.add("at_parameters");
  if ([...used].some((name) => name.startsWith("at_dw_"))) used.add("at_gradients");
  const plan = memoryPlan(graph, names, streamNames, elementBytes, target);
  comment(w, `Memory: every buffer at a fixed byte offset in one WebAssembly.Memory (${plan.bytes} bytes), shared with the kernels`);
  const kernels = ["gemm_nt", "gemm_nn", "gemm_tn"].filter((kernel) => used.has(kernel));
  // threads (src/emit/threads): a shared memory, and the products through a dispatcher that can split them
  const packAt = used.has("gemm_tn") ? plan.regions.find((region) => region.name === KERNEL_PACK)?.at : undefined;
  if (threadedBody(graph, used)) emitThreadedMemory(threadPlan(graph, plan.bytes, elementBytes), used, elementBytes, packAt, w);
  else {
    w.writeLine(`const memory = new wasm.Memory({ initial: ${plan.pages}, maximum: ${plan.pages} });`);
    if (kernels.length > 0) w.writeLine(`const { ${[...kernels, ...(packAt === undefined ? [] : ["pack"])].join(", ")} } = new wasm.Instance(KERNELS.module, { env: { memory } }).exports as Kernels;`);
    if (packAt !== undefined) emitPackScratch("pack", packAt, w);
    emitElementwiseInstances(w, (kernel) => used.has(kernel));
  }
  if (used.has(HEAP)) w.writeLine(`const ${HEAP} = new ${real}(memory.buffer); // the whole memory: copies between buffers are one copyWithin`);
  for (const region of plan.regions) {
    if (used.has(`at_${region.name}`)) w.writeLine(`const at_${region.name} = ${region.at};`);
    if (used.has(region.name)) w.writeLine(`const ${region.name} = new ${region.int32 === true ? "Int32Array" : real}(memory.buffer, ${region.at}, ${region.elements}); // ${region.note}`);
  }
  w.blankLine();
  comment(w, "Views of each parameter and its gradient (PyTorch state_dict names)");
  for (const p of graph.parameters) {
    parameterView(w, "parameters", names.param(p), p, elementBytes, used);
    parameterView(w, "gradients", names.paramGrad(p), p, elementBytes, used);
  }
  w.write(`const stateDict: Readonly<Record<ParameterName, ${real}>> = `).inlineBlock(() => {
    for (const p of graph.parameters) w.writeLine(`${JSON.stringify(p.name)}: parameters.subarray(${p.offset}, ${p.offset + p.size}),`);
  });
  w.write(";").newLine();
  comment(w, "PyTorch's default init, from the generator seeded by options.seed (default: the spec's train.seed)");
  w.writeLine("initParameters(parameters, seededRandom(options.seed ?? TRAIN.seed));");
  if (training) {
    const state = stateNames.map((name) => `${name}: ${names.optimizerState(name)}`).join(", ");
    w.writeLine(`const optimizerState: OptimizerState = { step: 0, lr: ${numberLiteral(graph.optimizer.lr)}${state === "" ? "" : `, ${state}`} };`);
  }
  if (training || used.has("randomState")) {
    used.add("randomState");
    comment(w, "The state of the generator that draws dropout masks, seeded by the spec's train.seed; save and restore it to replay a run");
    w.writeLine(`const randomState = new Uint32Array([${graph.train.seed}]);`);
  }
  w.blankLine();
  return plan;
}

/** The buffers of a training-graph node, or with `stream` of a streaming-graph node (one step, carried state, no gradients). */
function buffersFor({ graph, elementBytes, names: trainingNames, streamNames, used }: Context, node: LayerNode, stream = false): Buffers {
  const names = stream ? streamNames : trainingNames;
  const isSpecInput = (id: string) => graph.inputs.some((input) => input.id === id);
  const params = new Map(graph.parameters.filter((p) => p.node === node.id).map((p) => [p.name.slice(node.id.length + 1), p] as const));
  const inputs = node.inputs.map((id) => used.ref(isSpecInput(id) ? names.input(id) : names.output(id)));
  return {
    input: inputs[0]!,
    inputs,
    output: used.ref(names.output(node.id)),
    dInput: isSpecInput(node.input) ? undefined : used.ref(names.dOutput(node.input)),
    dOutput: used.ref(names.dOutput(node.id)),
    param: (suffix) => {
      const parameter = params.get(suffix);
      if (parameter === undefined) throw new Error(`op ${node.op} asked for undeclared parameter ${suffix}`);
      return { value: used.ref(trainingNames.param(parameter)), grad: used.ref(trainingNames.paramGrad(parameter)) };
    },
    scratch: (name) => used.ref(names.scratch(node.id, name)),
    ...(stream ? { state: (name: string) => used.ref(streamNames.state(node.id, name)) } : {}),
    elementBytes,
  };
}

function emitFunctions(context: Context, w: Writer): void {
  const { graph, real, names, used } = context;
  const lossInput = graph.loss.input;
  const training = context.target === "training";

  const ranges = integerRanges(graph);
  const read = layerInputs(graph);
  w.write("function checkBatchSize(batchSize: number): void ").block(() => {
    w.write("if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) ").block(() => {
      w.writeLine("throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);");
    });
  });
  w.blankLine();
  const checkFields = (variable: string, inputs: readonly InputNode[]) => {
    w.writeLine("checkBatchSize(batchSize);");
    for (const input of inputs) {
      const perItem = elementsPerItem(input.type);
      w.write(`if (${variable}.${input.id} === undefined || ${variable}.${input.id}.length < batchSize * ${perItem}) `).block(() => {
        w.writeLine(`throw new RangeError(\`${variable}.${input.id} must hold at least batchSize·${perItem} elements (${perItem} per sample)\`);`);
      });
      emitRangeCheck(w, `${variable}.${input.id}`, `batchSize * ${perItem}`, ranges.get(input.id));
    }
  };
  w.writeLine("/** The inputs the layers read (not the target): present, long enough, and in range. */");
  w.write("function checkInputs(inputs: Inputs, batchSize: number): void ").block(() => checkFields("inputs", read));
  w.blankLine();
  if (training) {
    w.writeLine("/** The rest of a batch: the loss's target (and any input no layer reads). */");
    w.write("function checkTargets(batch: Batch, batchSize: number): void ").block(() => checkFields("batch", graph.inputs.filter((input) => !read.includes(input))));
    w.blankLine();
  }

  if (usesRandom(graph)) {
    used.use("randomState");
    w.writeLine("/** Uniform in [0, 1): mulberry32 over `randomState`, allocation-free. */");
    w.write("function random(): number ").block(() => {
      w.writeLine("let t = (randomState[0] = (randomState[0]! + 0x6d2b79f5) >>> 0);");
      w.writeLine("t = Math.imul(t ^ (t >>> 15), t | 1);");
      w.writeLine("t ^= t + Math.imul(t ^ (t >>> 7), t | 61);");
      w.writeLine("return ((t ^ (t >>> 14)) >>> 0) / 4294967296;");
    });
    w.blankLine();
  }

  comment(w, "Each node's code runs in a block of its own, so no two nodes' locals can clash.");
  // the target is checked here too, not in computeLoss: one more call on the way to the loss can cost V8 the inlining
  // that keeps a training step's returned loss unboxed (test/allocation.test.ts)
  const runParameters = training ? "inputs: Inputs, batchSize: number, training: boolean, batch?: Batch" : "inputs: Inputs, batchSize: number";
  w.write(`function run(${runParameters}): ${real} `).block(() => {
    w.writeLine("checkInputs(inputs, batchSize);");
    if (training) w.writeLine("if (batch !== undefined) checkTargets(batch, batchSize);");
    else w.writeLine("const training = false; // an inference module never trains: dropout is off");
    for (const input of layerInputs(graph)) w.block(() => emitInputCopy(input, used.use(names.input(input.id)), w));
    for (const node of graph.layers) w.block(() => layerOp(node.op).forward(node, buffersFor(context, node), w));
    if (!usesRandom(graph)) w.writeLine("void training; // no op of this model behaves differently in training");
    w.writeLine(`return ${used.use(names.output(lossInput))};`);
  });
  w.blankLine();
  // training modules keep their historical order: the loss and backward pass, then the streaming API, then the step
  if (training) emitTrainingFunctions(context, w);
  else if (graph.stream !== undefined) emitStream(context, graph.stream, w);
}

/** What only a training module has: the loss, the backward pass and the optimizer step. */
function emitTrainingFunctions(context: Context, w: Writer): void {
  const { graph, names, used } = context;
  const lossInput = graph.loss.input;
  const loss = lossOp(graph.loss.op);
  w.write("function computeLoss(batch: Batch, batchSize: number, training: boolean): number ").block(() => {
    w.writeLine("run(batch, batchSize, training, batch);");
    const buffers = { prediction: used.use(names.output(lossInput)), target: "target", dPrediction: used.use(names.dOutput(lossInput)) };
    constant(w, "target", `batch.${graph.loss.target}`);
    loss.emit(graph.loss, buffers, w);
    w.writeLine("return loss;");
  });
  w.blankLine();

  w.write("function backward(batchSize: number): void ").block(() => {
    comment(w, "gradients accumulate, so start from zero (the loss input's gradient was just written by the loss)");
    w.writeLine("gradients.fill(0);");
    for (const node of graph.layers) {
      if (node.id !== lossInput) w.writeLine(`${used.use(names.dOutput(node.id))}.fill(0, 0, batchSize * ${elementsPerItem(node.type)});`);
    }
    for (const node of [...graph.layers].reverse()) w.block(() => layerOp(node.op).backward(node, buffersFor(context, node), w));
  });
  w.blankLine();

  if (graph.stream !== undefined) emitStream(context, graph.stream, w);

  const optimizer = optimizerOp(graph.optimizer.op);
  w.write("function step(): void ").block(() => {
    emitClipping(graph, w);
    w.writeLine("optimizerState.step += 1;");
    for (const name of optimizer.state(graph.optimizer)) constant(w, name, `optimizerState.${name}`);
    optimizer.emitStep(graph.optimizer, w, (body) => eachTrainedParameter(graph, w, body));
  });
  w.blankLine();
}

/**
 * The loop over trained parameter elements: every element, or, when some nodes do not reach the loss (a branch
 * nothing reads), each contiguous range of the others. Their gradient is always 0, and PyTorch's optimizers skip
 * parameters without a gradient, so weight decay and momentum must not move them either.
 */
function eachTrainedParameter(graph: Graph, w: Writer, body: () => void): void {
  const ranges = trainedRanges(graph);
  if (ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === graph.parameters.reduce((sum, p) => sum + p.size, 0)) {
    forRange(w, "i", "PARAMETER_COUNT", body);
    return;
  }
  comment(w, "only the parameters the loss depends on: a branch nothing reads gets no gradient and no update, as in PyTorch");
  for (const [from, to] of ranges) w.write(`for (let i = ${from}; i < ${to}; i++) `).block(body);
}

/** [from, to) ranges of the flat parameters that belong to nodes the loss depends on. */
function trainedRanges(graph: Graph): [number, number][] {
  const live = new Set<string>();
  const visit = (id: string) => {
    if (live.has(id)) return;
    live.add(id);
    for (const input of graph.layers.find((node) => node.id === id)?.inputs ?? []) visit(input);
  };
  visit(graph.loss.input);
  const ranges: [number, number][] = [];
  for (const p of graph.parameters) {
    if (!live.has(p.node)) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === p.offset) last[1] = p.offset + p.size;
    else ranges.push([p.offset, p.offset + p.size]);
  }
  return ranges;
}

/** Gradient clipping before the update, as torch.nn.utils: element values first, then the total norm. */
function emitClipping(graph: Graph, w: Writer): void {
  const { clipGradValue, clipGradNorm } = graph.train;
  if (clipGradValue !== undefined) {
    const v = numberLiteral(clipGradValue);
    comment(w, `clip_grad_value_: every gradient element into [−${v}, ${v}]`);
    forRange(w, "i", "PARAMETER_COUNT", () => w.writeLine(`gradients[i] = Math.min(${v}, Math.max(-${v}, gradients[i]!));`));
  }
  if (clipGradNorm !== undefined) {
    comment(w, `clip_grad_norm_: scale every gradient by ${clipGradNorm} / (‖g‖ + 1e-6) when the total norm ‖g‖ is above ${clipGradNorm}`);
    w.writeLine("let squares = 0;");
    forRange(w, "i", "PARAMETER_COUNT", () => w.writeLine("squares += gradients[i]! * gradients[i]!;"));
    constant(w, "scale", `${numberLiteral(clipGradNorm)} / (Math.sqrt(squares) + 1e-6)`);
    w.write("if (scale < 1) ").block(() => forRange(w, "i", "PARAMETER_COUNT", () => w.writeLine("gradients[i]! *= scale;")));
  }
}

/**
 * Token ids, lengths and class indices are checked before use, in the module itself as the CLI checks data on
 * load: an id past the embedding table would read other memory, a length past the sequence would make NaN.
 */
function emitRangeCheck(w: Writer, values: string, count: string, range: IntegerRange | undefined): void {
  if (range === undefined) return;
  const ignore = range.ignore === undefined ? "" : ` && value !== ${range.ignore}`;
  forRange(w, "i", count, () => {
    w.writeLine(`const value = ${values}[i]!;`);
    w.write(`if (!(value >= ${range.min} && value <= ${range.max})${ignore}) `).block(() => {
      w.writeLine(`throw new RangeError(\`${values}[\${i}] is \${value}: ${range.what} must lie in [${range.min}, ${range.max}]${range.ignore === undefined ? "" : ` (or be ${range.ignore})`}\`);`);
    });
  });
}

/**
 * The streaming API: `streamStep` runs the graph on one step of each sequence input (inference, no dropout), each
 * recurrent layer starting from the state the previous call left; `streamReset` starts over from zero states.
 */
function emitStream(context: Context, stream: StreamGraph, w: Writer): void {
  const { real, streamNames, used } = context;
  const last = stream.layers[stream.layers.length - 1]!;
  w.write(`function streamStep(input: StreamInput, batchSize: number): ${real} `).block(() => {
    w.writeLine("checkBatchSize(batchSize);");
    const ranges = integerRanges(context.graph);
    for (const input of stream.inputs) {
      const perItem = elementsPerItem(input.type);
      w.write(`if (input.${input.id} === undefined || input.${input.id}.length < batchSize * ${perItem}) `).block(() => {
        w.writeLine(`throw new RangeError(\`input.${input.id} must hold at least batchSize·${perItem} elements for one step\`);`);
      });
      emitRangeCheck(w, `input.${input.id}`, `batchSize * ${perItem}`, ranges.get(input.id));
    }
    w.writeLine("const training = false;");
    for (const input of stream.inputs) {
      const target = used.use(streamNames.input(input.id));
      w.block(() => {
        constant(w, "source", `input.${input.id}`);
        comment(w, `copy one step of \`${input.id}\` into the kernels' memory`);
        forRange(w, "i", `batchSize * ${elementsPerItem(input.type)}`, () => w.writeLine(`${target}[i] = source[i]!;`));
      });
    }
    for (const node of stream.layers) w.block(() => layerOp(node.op).forward(node, buffersFor({ ...context, graph: { ...context.graph, inputs: stream.inputs } }, node, true), w));
    if (!stream.layers.some((node) => layerOp(node.op).helpers(node, "float32").includes("random"))) w.writeLine("void training;");
    w.writeLine(`return ${used.use(streamNames.output(last.id))};`);
  });
  w.blankLine();
  w.write("function streamReset(): void ").block(() => {
    for (const node of stream.layers) for (const state of layerOp(node.op).streaming?.(node)?.state ?? []) w.writeLine(`${used.use(streamNames.state(node.id, state.name))}.fill(0);`);
  });
  w.blankLine();
}

/**
 * Copies a spec input into the kernels' memory. Sequences [batch, seq, features] are transposed on the way in to the
 * time-major layout every op uses inside the model (row (t, b) at t·batchSize + b; see ops/recurrent/family.ts for why).
 * Integer inputs (token ids, lengths) are copied as they are, batch-major: the ops that read them index them so.
 */
function emitInputCopy(input: InputNode, target: string, w: Writer): void {
  const dims = input.type.dims.map((dim) => ("size" in dim ? dim.size : 0));
  constant(w, "source", `inputs.${input.id}`);
  if (dims.length !== 3 || input.type.dtype === "int32") {
    comment(w, `copy \`${input.id}\` into the kernels' memory`);
    forRange(w, "i", `batchSize * ${elementsPerItem(input.type)}`, () => w.writeLine(`${target}[i] = source[i]!;`));
    return;
  }
  const [, T, F] = dims as [number, number, number];
  comment(w, `copy \`${input.id}\` into the kernels' memory, time-major: ${target}[t, b, :] = ${input.id}[b, t, :]`);
  forRange(w, "b", "batchSize", () => {
    forRange(w, "t", T, () => {
      constant(w, "from", `(b * ${T} + t) * ${F}`);
      constant(w, "to", `(t * batchSize + b) * ${F}`);
      forRange(w, "f", F, () => w.writeLine(`${target}[to + f] = source[from + f]!;`));
    });
  });
}


function parameterView(w: Writer, array: string, name: string, p: Parameter, elementBytes: number, used: ReadonlySet<string>): void {
  if (used.has(`at_${name}`)) w.writeLine(`const at_${name} = at_${array} + ${p.offset * elementBytes}; // ${p.name}`);
  if (used.has(name)) w.writeLine(`const ${name} = ${array}.subarray(${p.offset}, ${p.offset + p.size}); // ${p.name} [${p.shape.join(", ")}]`);
}
