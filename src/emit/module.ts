import { IndentationText, Project, QuoteKind, StructureKind, VariableDeclarationKind, type InterfaceDeclarationStructure, type OptionalKind, type VariableStatementStructure, type WriterFunction } from "ts-morph";
import { elementsPerItem, showType, type Graph, type LayerNode, type Parameter } from "../ir/types.ts";
import { emitAdamStep } from "../ops/adam.ts";
import { emitCrossEntropy } from "../ops/cross-entropy.ts";
import type { Buffers } from "../ops/op.ts";
import { opOf } from "../ops/registry.ts";
import { comment, constant, forRange, type Writer } from "./code.ts";
import { names } from "./names.ts";

export type Precision = "float32" | "float64";

export interface EmitOptions {
  /** The spec's path as the user named it, for the header. */
  readonly specPath: string;
  readonly specSha256: string;
  readonly precision: Precision;
  readonly compilerVersion: string;
}

/** IR → the text of a self-contained ES module (no imports). Deterministic: the same graph and options give the same bytes. */
export function emitModule(graph: Graph, options: EmitOptions): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
  });
  const file = project.createSourceFile(`${graph.name}.ts`, "", { overwrite: true });
  const real = options.precision === "float32" ? "Float32Array" : "Float64Array";

  file.addStatements((w) => {
    w.writeLine(`// Generated from ${options.specPath} (sha256 ${options.specSha256}) — do not edit.`);
    w.writeLine(`// rnnc ${options.compilerVersion}: ${summary(graph)}.`);
    w.writeLine(`// Regenerate with \`npx compile ${options.specPath}\`. Self-contained: no imports, runs in Node and browsers.`);
    w.blankLine();
  });
  file.addVariableStatements(metadata(graph, options));
  file.addInterfaces(interfaces(graph, real));
  file.addFunction({
    name: "createModel",
    isExported: true,
    returnType: "Model",
    docs: ["A model with its own preallocated parameters, gradients, optimizer state and activations. Training steps allocate nothing."],
    statements: (w) => emitCreateModel(graph, real, w),
  });
  file.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  return file.getFullText();
}

function summary(graph: Graph): string {
  const layers = graph.layers.map((node) => {
    switch (node.op) {
      case "rnn":
        return `rnn ${node.id}(${node.inputSize}→${node.hiddenSize}, ${node.nonlinearity})`;
      case "last_step":
        return `last_step ${node.id}`;
      case "linear":
        return `linear ${node.id}(${node.inFeatures}→${node.outFeatures})`;
    }
  });
  return `${graph.name} = ${layers.join(" → ")}; ${graph.loss.op}; adam`;
}

/** `[\n  item,\n  item,\n] as const` */
function constList(items: readonly string[]): WriterFunction {
  return (w) => {
    w.write("[").newLine();
    w.indent(() => items.forEach((item) => w.writeLine(`${item},`)));
    w.write("] as const");
  };
}

function exportedConst(name: string, initializer: string | WriterFunction, doc: string): OptionalKind<VariableStatementStructure> {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [doc],
    declarations: [{ name, initializer }],
  };
}

function metadata(graph: Graph, options: EmitOptions): OptionalKind<VariableStatementStructure>[] {
  const parameterCount = graph.parameters.reduce((sum, p) => sum + p.size, 0);
  const inputs = graph.inputs.map(
    (input) => `{ name: ${JSON.stringify(input.id)}, shape: [${showType(input.type).map((d) => JSON.stringify(d)).join(", ")}], dtype: "${input.type.dtype}" }`,
  );
  const parameters = graph.parameters.map(
    (p) => `{ name: ${JSON.stringify(p.name)}, shape: [${p.shape.join(", ")}], offset: ${p.offset}, size: ${p.size}, initBound: ${p.initBound} }`,
  );
  const { lr, beta1, beta2, eps, weightDecay } = graph.optimizer;
  return [
    exportedConst("SPEC_SHA256", JSON.stringify(options.specSha256), "SHA-256 of the spec this module was generated from."),
    exportedConst("MODEL_NAME", JSON.stringify(graph.name), "The spec's `name`."),
    exportedConst("PRECISION", JSON.stringify(options.precision), "Storage type of parameters, activations and float inputs."),
    exportedConst("MAX_BATCH", String(graph.train.batchSize), "Buffers are sized for this many samples; a batch may be smaller."),
    exportedConst("PARAMETER_COUNT", String(parameterCount), "Number of learned scalars."),
    exportedConst("INPUTS", constList(inputs), "The spec's inputs: the fields of a Batch."),
    exportedConst(
      "LOSS",
      `{ op: "${graph.loss.op}", input: ${JSON.stringify(graph.loss.input)}, target: ${JSON.stringify(graph.loss.target)}, classes: ${graph.loss.classes} } as const`,
      "The loss and the input that holds its target.",
    ),
    exportedConst("OPTIMIZER", `{ op: "adam", lr: ${lr}, betas: [${beta1}, ${beta2}], eps: ${eps}, weightDecay: ${weightDecay} } as const`, "Adam's hyperparameters, fixed at compile time."),
    exportedConst("TRAIN", `{ epochs: ${graph.train.epochs}, batchSize: ${graph.train.batchSize}, seed: ${graph.train.seed} } as const`, "Training settings from the spec."),
    exportedConst(
      "PARAMETERS",
      constList(parameters),
      "Learned tensors by PyTorch state_dict name, where each lives in `Model.parameters`, and PyTorch's default init U(−initBound, initBound).",
    ),
  ];
}

function interfaces(graph: Graph, real: string): OptionalKind<InterfaceDeclarationStructure>[] {
  const batchFields = graph.inputs.map((input) => ({
    name: input.id,
    isReadonly: true,
    type: input.type.dtype === "int32" ? "Int32Array" : real,
    docs: [`[${showType(input.type).join(", ")}] ${input.type.dtype}, row-major; at least batchSize·${elementsPerItem(input.type)} elements.`],
  }));
  const classes = graph.loss.classes;
  return [
    { name: "Batch", isExported: true, docs: ["One mini-batch, batch-first."], properties: batchFields },
    {
      name: "OptimizerState",
      isExported: true,
      docs: ["Adam's moments (same layout as the parameters) and its step count."],
      properties: [
        { name: "m", isReadonly: true, type: real },
        { name: "v", isReadonly: true, type: real },
        { name: "step", type: "number" },
      ],
    },
    {
      name: "Model",
      isExported: true,
      properties: [
        { name: "parameters", isReadonly: true, type: real, docs: ["All parameters, flat, laid out as PARAMETERS says. Write into it to load weights."] },
        { name: "gradients", isReadonly: true, type: real, docs: ["Gradients from the last lossAndGradients call, same layout."] },
        { name: "optimizerState", isReadonly: true, type: "OptimizerState" },
      ],
      methods: [
        {
          name: "forward",
          parameters: [{ name: "batch", type: "Batch" }, { name: "batchSize", type: "number" }],
          returnType: real,
          docs: [`Logits [batchSize, ${classes}] in the first batchSize·${classes} elements of a reused buffer.`],
        },
        { name: "loss", parameters: [{ name: "batch", type: "Batch" }, { name: "batchSize", type: "number" }], returnType: "number", docs: ["Mean loss of a batch, without gradients."] },
        {
          name: "lossAndGradients",
          parameters: [{ name: "batch", type: "Batch" }, { name: "batchSize", type: "number" }],
          returnType: "number",
          docs: ["Mean loss of a batch; overwrites `gradients` with its gradient (full backpropagation through time)."],
        },
        { name: "step", returnType: "void", docs: ["One Adam step from `gradients`."] },
        {
          name: "trainStep",
          parameters: [{ name: "batch", type: "Batch" }, { name: "batchSize", type: "number" }],
          returnType: "number",
          docs: ["lossAndGradients, then step. Returns the loss before the step."],
        },
      ],
    },
  ];
}

function buffersFor(graph: Graph, node: LayerNode): Buffers {
  const inputIsSpecInput = graph.inputs.some((input) => input.id === node.input);
  const params = new Map(graph.parameters.filter((p) => p.node === node.id).map((p) => [p.name.slice(node.id.length + 1), p] as const));
  return {
    input: inputIsSpecInput ? names.input(node.input) : names.output(node.input),
    output: names.output(node.id),
    dInput: inputIsSpecInput ? undefined : names.dOutput(node.input),
    dOutput: names.dOutput(node.id),
    param: (suffix) => {
      const parameter = params.get(suffix);
      if (parameter === undefined) throw new Error(`op ${node.op} asked for undeclared parameter ${suffix}`);
      return { value: names.param(parameter), grad: names.paramGrad(parameter) };
    },
    scratch: (name) => names.scratch(node.id, name),
  };
}

/** `const in_x = batch.x;` for each spec input that a layer reads. */
function declareLayerInputs(graph: Graph, w: Writer): void {
  for (const input of graph.inputs) {
    if (graph.layers.some((node) => node.input === input.id)) constant(w, names.input(input.id), `batch.${input.id}`);
  }
}

function parameterView(w: Writer, array: string, name: string, p: Parameter): void {
  w.writeLine(`const ${name} = ${array}.subarray(${p.offset}, ${p.offset + p.size}); // ${p.name} [${p.shape.join(", ")}]`);
}

function emitCreateModel(graph: Graph, real: string, w: Writer): void {
  const lossInput = graph.loss.input;
  comment(w, "Parameters, gradients and Adam's moments: one flat array each, with a named view per tensor");
  constant(w, "parameters", `new ${real}(PARAMETER_COUNT)`);
  constant(w, "gradients", `new ${real}(PARAMETER_COUNT)`);
  w.writeLine(`const optimizerState: OptimizerState = { m: new ${real}(PARAMETER_COUNT), v: new ${real}(PARAMETER_COUNT), step: 0 };`);
  for (const p of graph.parameters) parameterView(w, "parameters", names.param(p), p);
  for (const p of graph.parameters) parameterView(w, "gradients", names.paramGrad(p), p);
  w.blankLine();
  comment(w, "Activations and their gradients, sized for MAX_BATCH");
  for (const node of graph.layers) {
    const perItem = elementsPerItem(node.type);
    w.writeLine(`const ${names.output(node.id)} = new ${real}(MAX_BATCH * ${perItem}); // ${node.id}: [${showType(node.type).join(", ")}]`);
    w.writeLine(`const ${names.dOutput(node.id)} = new ${real}(MAX_BATCH * ${perItem});`);
    for (const scratch of opOf(node.op).scratch(node)) constant(w, names.scratch(node.id, scratch.name), `new ${real}(${scratch.size})`);
  }
  w.blankLine();

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
    declareLayerInputs(graph, w);
    for (const node of graph.layers) opOf(node.op).forward(node, buffersFor(graph, node), w);
    w.writeLine(`return ${names.output(lossInput)};`);
  });
  w.blankLine();

  w.write("function computeLoss(batch: Batch, batchSize: number): number ").block(() => {
    w.writeLine("forward(batch, batchSize);");
    constant(w, names.input(graph.loss.target), `batch.${graph.loss.target}`);
    emitCrossEntropy(graph.loss, names.output(lossInput), names.input(graph.loss.target), names.dOutput(lossInput), w);
    w.writeLine("return loss;");
  });
  w.blankLine();

  w.write("function backward(batch: Batch, batchSize: number): void ").block(() => {
    comment(w, "gradients accumulate with +=, so start from zero (the loss input's gradient was just written by the loss)");
    w.writeLine("gradients.fill(0);");
    for (const node of graph.layers) {
      if (node.id !== lossInput) w.writeLine(`${names.dOutput(node.id)}.fill(0, 0, batchSize * ${elementsPerItem(node.type)});`);
    }
    declareLayerInputs(graph, w);
    for (const node of [...graph.layers].reverse()) opOf(node.op).backward(node, buffersFor(graph, node), w);
  });
  w.blankLine();

  w.write("function step(): void ").block(() => emitAdamStep(graph.optimizer, w));
  w.blankLine();

  w.write("return ").inlineBlock(() => {
    w.writeLine("parameters,");
    w.writeLine("gradients,");
    w.writeLine("optimizerState,");
    w.writeLine("forward,");
    w.writeLine("loss: computeLoss,");
    w.write("lossAndGradients(batch: Batch, batchSize: number): number ").block(() => {
      constant(w, "loss", "computeLoss(batch, batchSize)");
      w.writeLine("backward(batch, batchSize);");
      w.writeLine("return loss;");
    });
    w.write(",");
    w.newLine();
    w.write("step,");
    w.newLine();
    w.write("trainStep(batch: Batch, batchSize: number): number ").block(() => {
      constant(w, "loss", "computeLoss(batch, batchSize)");
      w.writeLine("backward(batch, batchSize);");
      w.writeLine("step();");
      w.writeLine("return loss;");
    });
    w.write(",");
  });
  w.write(";");
}
