import { architectureFingerprint } from "../runtime/fingerprint.ts";
import { CodeBlockWriter, IndentationText, Project, QuoteKind } from "ts-morph";
import type { Writer } from "./code.ts";
import { showType, type Graph, type ParameterInit } from "../ir/types.ts";
import { escapeControl } from "../diagnostics/codes.ts";
import { layerOp, lossOp, optimizerOp } from "../ops/registry.ts";
import { integerRanges } from "../ir/integer-ranges.ts";
import { interfaces } from "./interfaces.ts";
import { emitElementwiseDeclarations, emitKernelDeclarations, emitWasmApi } from "./kernels-embed.ts";
import { emitInit } from "./init.ts";
import { emitMathHelpers } from "./math.ts";
import { emitSafetensors } from "./safetensors.ts";
import type { Target } from "./target.ts";
import { emitCreateModel } from "./model-body.ts";
import { emitThreadPool } from "./threads/emit-pool.ts";
import { autoSingleThreadReason, isThreaded } from "./threads/plan.ts";
import { summarise } from "../ir/summary.ts";

export type Precision = "float32" | "float64";

export interface EmitOptions {
  /** The spec's path as the user named it, for the header. */
  readonly specPath: string;
  readonly specSha256: string;
  readonly precision: Precision;
  readonly compilerVersion: string;
  /** training (the default): forward, backward and optimizer; inference: forward and streaming only. */
  readonly target?: Target;
}

/** IR → the text of a self-contained ES module (no imports). Deterministic: the same graph and options give the same bytes. */
export function emitModule(graph: Graph, options: EmitOptions): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
  });
  const file = project.createSourceFile(`${graph.name}.ts`, "", { overwrite: true });
  const real = options.precision === "float32" ? "Float32Array" : "Float64Array";
  const target = options.target ?? "training";

  file.addStatements((w) => {
    const specPath = escapeControl(options.specPath); // a line terminator in a path must not end the comment
    w.writeLine(`// Generated from ${specPath} (sha256 ${options.specSha256}) — do not edit.`);
    w.writeLine(`// rnnc ${options.compilerVersion}: ${summary(graph)}.${target === "inference" ? " Inference only." : ""}`);
    // every option that changes these bytes, so that the command regenerates this very file
    const flags = `${options.precision === "float32" ? "" : ` --precision ${options.precision}`}${target === "training" ? "" : ` --target ${target}`}`;
    w.writeLine(`// Regenerate with \`npx compile ${specPath}${flags}\`. Self-contained: no imports, runs in Node and browsers.`);
    w.blankLine();
  });
  file.addStatements((w) => emitMetadata(graph, options, w));
  // the body first: a model whose ops multiply no matrices (an embedding alone) embeds no kernels
  const body = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  emitCreateModel(graph, options.precision, body, target);
  const bodyText = body.toString();
  const products = /\bgemm_(nt|nn|tn)\(/.test(bodyText);
  const threaded = products && isThreaded(graph); // src/emit/threads: workers share the products
  file.addInterfaces(interfaces(graph, real, target, threaded));
  if (products) file.addStatements((w) => emitKernelDeclarations(options.precision, w, threaded));
  else file.addStatements((w) => emitWasmApi(w));
  file.addStatements((w) => emitElementwiseDeclarations(w, (name) => bodyText.includes(`${name}(`), threaded));
  if (threaded) file.addStatements((w) => emitThreadPool(graph.train.threads, autoSingleThreadReason(summarise(graph).recurrentStepWork, stepFlops(graph, target)), w));
  file.addStatements((w) => emitMathHelpers(graph, options.precision, options.target ?? "training", w));
  file.addStatements((w) => emitInit(graph, real, w));
  file.addStatements((w) => emitSafetensors(options.precision, w));
  file.addFunction({
    name: "createModel",
    isExported: true,
    returnType: "Model",
    parameters: [{ name: "options", type: "CreateModelOptions", initializer: "{}" }],
    docs: [
      target === "training"
        ? "A model with its own preallocated parameters, gradients, optimizer state and activations, its parameters initialised as PyTorch's\n" +
          "defaults from a generator seeded by `options.seed` (default: the spec's train.seed). Training steps allocate nothing."
        : "A model for inference with its own preallocated parameters and activations, initialised as PyTorch's defaults from a generator\n" +
          "seeded by `options.seed` (default: the spec's train.seed); load trained weights with `loadSafetensors`. Steps allocate nothing.",
    ],
    statements: bodyText,
  });
  return file.getFullText();
}

/** The matrix-product FLOPs of the module's main job at MAX_BATCH: a training step, or a forward pass for inference. */
function stepFlops(graph: Graph, target: Target): number {
  const { trainStepFlops, forwardFlops } = summarise(graph);
  return target === "inference" ? forwardFlops : trainStepFlops;
}

function summary(graph: Graph): string {
  const layers = graph.layers.map((node) => `${node.id} = ${layerOp(node.op).summary(node)}`);
  return `${graph.name}: ${layers.join("; ")}; loss ${lossOp(graph.loss.op).summary(graph.loss)}; ${graph.optimizer.op}`;
}

/** `/** doc *\/ export const name = value;`, the value on one line or as a list of items, one per line. */
function exportConst(w: Writer, name: string, doc: string, value: string | readonly string[]): void {
  w.writeLine(`/** ${doc} */`);
  if (typeof value === "string") {
    w.writeLine(`export const ${name} = ${value};`);
    return;
  }
  w.writeLine(`export const ${name} = [`);
  w.indent(() => value.forEach((item) => w.writeLine(`${item},`)));
  w.writeLine("] as const;");
}

function initLiteral(init: ParameterInit): string {
  if (init.distribution === "uniform") return `{ distribution: "uniform", bound: ${init.bound} }`;
  return `{ distribution: "normal", std: ${init.std}${init.zeroRow === undefined ? "" : `, zeroRow: ${init.zeroRow}`} }`;
}

function emitMetadata(graph: Graph, options: EmitOptions, w: Writer): void {
  const parameterCount = graph.parameters.reduce((sum, p) => sum + p.size, 0);
  const ranges = integerRanges(graph);
  const inputs = graph.inputs.map((input) => {
    const range = ranges.get(input.id);
    const bounds = range === undefined ? "" : `, range: { min: ${range.min}, max: ${range.max}${range.ignore === undefined ? "" : `, ignore: ${range.ignore}`}, what: ${JSON.stringify(range.what)} }`;
    return `{ name: ${JSON.stringify(input.id)}, shape: [${showType(input.type).map((d) => JSON.stringify(d)).join(", ")}], dtype: "${input.type.dtype}"${bounds} }`;
  });
  const parameters = graph.parameters.map(
    (p) => `{ name: ${JSON.stringify(p.name)}, shape: [${p.shape.join(", ")}], offset: ${p.offset}, size: ${p.size}, init: ${initLiteral(p.init)} }`,
  );
  const hyperparameters = Object.entries(optimizerOp(graph.optimizer.op).hyperparameters(graph.optimizer)).map(
    ([key, value]) => `${key}: ${Array.isArray(value) ? `[${value.join(", ")}]` : String(value)}`,
  );
  const loss = graph.loss;
  const entries: [string, string, string | readonly string[]][] = [
    ["SPEC_SHA256", "SHA-256 of the spec this module was generated from.", JSON.stringify(options.specSha256)],
    ["ARCHITECTURE_SHA256", "What checkpoints are keyed to: SHA-256 of every parameter's state_dict name, shape and dtype.", JSON.stringify(architectureFingerprint(graph.parameters))],
    ["TARGET", "training: forward, backward and optimizer; inference: forward and streaming only.", JSON.stringify(options.target ?? "training")],
    ["MODEL_NAME", "The spec's `name`.", JSON.stringify(graph.name)],
    ["PRECISION", "Storage type of parameters, activations and float inputs.", JSON.stringify(options.precision)],
    ["MAX_BATCH", "Buffers are sized for this many samples; a batch may be smaller.", String(graph.train.batchSize)],
    ["PARAMETER_COUNT", "Number of learned scalars.", String(parameterCount)],
    ["INPUTS", "The spec's inputs: the fields of a Batch; an int32 input's `range` is what its values must lie in (`ignore` is skipped by the loss).", inputs],
    [
      "LOSS",
      "The loss and the input that holds its target.",
      `{ op: "${loss.op}", input: ${JSON.stringify(loss.input)}, target: ${JSON.stringify(loss.target)}, task: "${loss.task}", ${loss.task === "classification" ? "classes" : "outputs"}: ${loss.width} } as const`,
    ],
    ["OPTIMIZER", "The optimizer and its hyperparameters, fixed at compile time.", `{ op: "${graph.optimizer.op}", ${hyperparameters.join(", ")} } as const`],
    [
      "TRAIN",
      "Training settings from the spec; the runtime steps the learning-rate schedule after each epoch.",
      `{ epochs: ${graph.train.epochs}, batchSize: ${graph.train.batchSize}, seed: ${graph.train.seed}, warmupEpochs: ${graph.train.warmupEpochs}, divergenceFactor: ${graph.train.divergenceFactor}${graph.train.schedule === undefined ? "" : `, schedule: ${JSON.stringify(graph.train.schedule).replace(/"(\w+)":/g, "$1: ")}`} } as const`,
    ],
    ["PARAMETERS", "Learned tensors by PyTorch state_dict name, where each lives in `Model.parameters`, and PyTorch's default init for it.", parameters],
  ];
  for (const [name, doc, value] of entries) exportConst(w, name, doc, value);
  w.writeLine("/** A PyTorch state_dict name of this model. */");
  w.writeLine('export type ParameterName = (typeof PARAMETERS)[number]["name"];');
}

