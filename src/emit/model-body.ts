import { CodeBlockWriter } from "ts-morph";
import { elementsPerItem, showType, type Graph, type InputNode, type LayerNode, type Parameter } from "../ir/types.ts";
import { emitAdamStep } from "../ops/adam.ts";
import { emitLoss } from "../ops/losses.ts";
import type { BufferRef, Buffers } from "../ops/op.ts";
import { opOf } from "../ops/registry.ts";
import { comment, constant, forRange, type Writer } from "./code.ts";
import { planMemory, type MemoryPlan } from "./memory.ts";
import type { Precision } from "./module.ts";
import { names } from "./names.ts";

/** Records which generated names the code uses, so that only those are declared (the file passes noUnusedLocals). */
class Names {
  readonly used = new Set<string>(["parameters", "gradients", "adam_m", "adam_v"]);
  use(name: string): string {
    this.used.add(name);
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

/**
 * The body of createModel(): the shared memory and views of it, then forward, loss, backward and the Adam step
 * as inner functions. The functions are written first (to learn which names they use), the declarations above them.
 */
export function emitCreateModel(graph: Graph, precision: Precision, w: Writer): void {
  const elementBytes = precision === "float32" ? 4 : 8;
  const real = precision === "float32" ? "Float32Array" : "Float64Array";
  const used = new Names();
  const functions = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitFunctions(graph, real, elementBytes, used, functions);
  emitDeclarations(graph, real, elementBytes, used, w);
  w.write(functions.toString());
  emitReturn(graph, w);
}

function emitDeclarations(graph: Graph, real: string, elementBytes: number, tracked: Names, w: Writer): void {
  const used = tracked.used;
  for (const node of graph.layers) used.add(names.output(node.id)); // returned as `activations`
  // parameter pointers are offsets from the parameter and gradient regions
  if ([...used].some((name) => name.startsWith("at_w_"))) used.add("at_parameters");
  if ([...used].some((name) => name.startsWith("at_dw_"))) used.add("at_gradients");
  const plan = memoryPlan(graph, elementBytes);
  comment(w, `Memory: every buffer at a fixed byte offset in one WebAssembly.Memory (${plan.bytes} bytes), shared with the kernels`);
  w.writeLine(`const memory = new wasm.Memory({ initial: ${plan.pages}, maximum: ${plan.pages} });`);
  w.writeLine("const { gemm_nt, gemm_nn, gemm_tn } = new wasm.Instance(new wasm.Module(KERNELS_WASM), { env: { memory } }).exports as Kernels;");
  for (const region of plan.regions) {
    if (used.has(`at_${region.name}`)) w.writeLine(`const at_${region.name} = ${region.at};`);
    if (used.has(region.name)) w.writeLine(`const ${region.name} = new ${real}(memory.buffer, ${region.at}, ${region.elements}); // ${region.note}`);
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
  w.writeLine("const optimizerState: OptimizerState = { m: adam_m, v: adam_v, step: 0 };");
  w.blankLine();
}

function emitFunctions(graph: Graph, real: string, elementBytes: number, used: Names, w: Writer): void {
  const lossInput = graph.loss.input;
  const buffersFor = (node: LayerNode): Buffers => {
    const fromSpecInput = graph.inputs.some((input) => input.id === node.input);
    const params = new Map(graph.parameters.filter((p) => p.node === node.id).map((p) => [p.name.slice(node.id.length + 1), p] as const));
    return {
      input: used.ref(fromSpecInput ? names.input(node.input) : names.output(node.input)),
      output: used.ref(names.output(node.id)),
      dInput: fromSpecInput ? undefined : used.ref(names.dOutput(node.input)),
      dOutput: used.ref(names.dOutput(node.id)),
      param: (suffix) => {
        const parameter = params.get(suffix);
        if (parameter === undefined) throw new Error(`op ${node.op} asked for undeclared parameter ${suffix}`);
        return { value: used.ref(names.param(parameter)), grad: used.ref(names.paramGrad(parameter)) };
      },
      scratch: (name) => used.ref(names.scratch(node.id, name)),
      elementBytes,
    };
  };

  w.write("function checkBatch(batch: Batch, batchSize: number): void ").block(() => {
    w.write("if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) ").block(() => {
      w.writeLine("throw new RangeError(`batchSize must be an integer in [1, ${MAX_BATCH}], got ${batchSize}`);");
    });
    for (const input of graph.inputs) {
      const perItem = elementsPerItem(input.type);
      w.write(`if (batch.${input.id}.length < batchSize * ${perItem}) `).block(() => {
        w.writeLine(`throw new RangeError(\`batch.${input.id} holds \${batch.${input.id}.length} elements; ${perItem} per sample are needed\`);`);
      });
    }
  });
  w.blankLine();

  w.write(`function forward(batch: Batch, batchSize: number): ${real} `).block(() => {
    w.writeLine("checkBatch(batch, batchSize);");
    for (const input of layerInputs(graph)) emitInputCopy(input, used.use(names.input(input.id)), w);
    for (const node of graph.layers) opOf(node.op).forward(node, buffersFor(node), w);
    w.writeLine(`return ${used.use(names.output(lossInput))};`);
  });
  w.blankLine();

  w.write("function computeLoss(batch: Batch, batchSize: number): number ").block(() => {
    w.writeLine("forward(batch, batchSize);");
    constant(w, "target", `batch.${graph.loss.target}`);
    emitLoss(graph.loss, used.use(names.output(lossInput)), "target", used.use(names.dOutput(lossInput)), w);
    w.writeLine("return loss;");
  });
  w.blankLine();

  w.write("function backward(batchSize: number): void ").block(() => {
    comment(w, "gradients accumulate, so start from zero (the loss input's gradient was just written by the loss)");
    w.writeLine("gradients.fill(0);");
    for (const node of graph.layers) {
      if (node.id !== lossInput) w.writeLine(`${used.use(names.dOutput(node.id))}.fill(0, 0, batchSize * ${elementsPerItem(node.type)});`);
    }
    for (const node of [...graph.layers].reverse()) opOf(node.op).backward(node, buffersFor(node), w);
  });
  w.blankLine();

  w.write("function step(): void ").block(() => emitAdamStep(graph.optimizer, w));
  w.blankLine();
}

function emitReturn(graph: Graph, w: Writer): void {
  w.write("return ").inlineBlock(() => {
    w.writeLine("parameters,");
    w.writeLine("gradients,");
    w.writeLine("stateDict,");
    w.write("activations: ").inlineBlock(() => {
      for (const node of graph.layers) w.writeLine(`${node.id}: ${names.output(node.id)},`);
    });
    w.write(",").newLine();
    w.writeLine("optimizerState,");
    w.writeLine("forward,");
    w.writeLine("loss: computeLoss,");
    w.write("lossAndGradients(batch: Batch, batchSize: number): number ").block(() => {
      constant(w, "loss", "computeLoss(batch, batchSize)");
      w.writeLine("backward(batchSize);");
      w.writeLine("return loss;");
    });
    w.write(",").newLine();
    w.write("step,").newLine();
    w.write("trainStep(batch: Batch, batchSize: number): number ").block(() => {
      constant(w, "loss", "computeLoss(batch, batchSize)");
      w.writeLine("backward(batchSize);");
      w.writeLine("step();");
      w.writeLine("return loss;");
    });
    w.write(",");
  });
  w.write(";");
}

/**
 * Copies a spec input into the kernels' memory. Sequences [batch, seq, features] are transposed on the way in to the
 * time-major layout every op uses inside the model (row (t, b) at t·batchSize + b; see ops/rnn.ts for why).
 */
function emitInputCopy(input: InputNode, target: string, w: Writer): void {
  const dims = input.type.dims.map((dim) => ("size" in dim ? dim.size : 0));
  constant(w, "source", `batch.${input.id}`);
  if (dims.length !== 3) {
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

/** Spec inputs that a layer reads: these are copied into the kernels' memory; the target is read in place. */
function layerInputs(graph: Graph) {
  return graph.inputs.filter((input) => graph.layers.some((node) => node.input === input.id));
}

function memoryPlan(graph: Graph, elementBytes: number): MemoryPlan {
  const count = graph.parameters.reduce((sum, p) => sum + p.size, 0);
  const maxBatch = graph.train.batchSize;
  const buffers = [
    { name: "parameters", elements: count, note: "all parameters, laid out as PARAMETERS says" },
    { name: "gradients", elements: count, note: "their gradients, same layout" },
    { name: "adam_m", elements: count, note: "Adam's first moments" },
    { name: "adam_v", elements: count, note: "Adam's second moments" },
  ];
  for (const input of layerInputs(graph)) {
    buffers.push({ name: names.input(input.id), elements: maxBatch * elementsPerItem(input.type), note: `input ${input.id}: [${showType(input.type).join(", ")}]` });
  }
  for (const node of graph.layers) {
    const perItem = elementsPerItem(node.type);
    buffers.push({ name: names.output(node.id), elements: maxBatch * perItem, note: `${node.op} ${node.id}: [${showType(node.type).join(", ")}]` });
    buffers.push({ name: names.dOutput(node.id), elements: maxBatch * perItem, note: `gradient of ${node.id}` });
    for (const scratch of opOf(node.op).scratch(node)) {
      buffers.push({ name: names.scratch(node.id, scratch.name), elements: maxBatch * scratch.perItem + scratch.fixed, note: `${node.id} scratch: ${scratch.name}` });
    }
  }
  return planMemory(buffers, elementBytes);
}

function parameterView(w: Writer, array: string, name: string, p: Parameter, elementBytes: number, used: ReadonlySet<string>): void {
  if (used.has(`at_${name}`)) w.writeLine(`const at_${name} = at_${array} + ${p.offset * elementBytes}; // ${p.name}`);
  if (used.has(name)) w.writeLine(`const ${name} = ${array}.subarray(${p.offset}, ${p.offset + p.size}); // ${p.name} [${p.shape.join(", ")}]`);
}
