import { IndentationText, Project, QuoteKind, StructureKind, VariableDeclarationKind, type OptionalKind, type VariableStatementStructure, type WriterFunction } from "ts-morph";
import { showType, type Graph } from "../ir/types.ts";
import { escapeControl } from "../diagnostics/codes.ts";
import { lossWidth } from "../ops/losses.ts";
import { interfaces } from "./interfaces.ts";
import { emitKernelDeclarations } from "./kernels-embed.ts";
import { emitCreateModel } from "./model-body.ts";

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
    const specPath = escapeControl(options.specPath); // a line terminator in a path must not end the comment
    w.writeLine(`// Generated from ${specPath} (sha256 ${options.specSha256}) — do not edit.`);
    w.writeLine(`// rnnc ${options.compilerVersion}: ${summary(graph)}.`);
    w.writeLine(`// Regenerate with \`npx compile ${specPath}\`. Self-contained: no imports, runs in Node and browsers.`);
    w.blankLine();
  });
  file.addVariableStatements(metadata(graph, options));
  file.addInterfaces(interfaces(graph, real));
  file.addStatements((w) => emitKernelDeclarations(options.precision, w));
  file.addFunction({
    name: "createModel",
    isExported: true,
    returnType: "Model",
    docs: ["A model with its own preallocated parameters, gradients, optimizer state and activations. Training steps allocate nothing."],
    statements: (w) => emitCreateModel(graph, options.precision, w),
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
      `{ op: "${graph.loss.op}", input: ${JSON.stringify(graph.loss.input)}, target: ${JSON.stringify(graph.loss.target)}, ${graph.loss.op === "cross_entropy" ? "classes" : "outputs"}: ${lossWidth(graph.loss)} } as const`,
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

