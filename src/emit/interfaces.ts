import type { InterfaceDeclarationStructure, OptionalKind } from "ts-morph";
import { elementsPerItem, showType, type Graph } from "../ir/types.ts";
import { optimizerOp } from "../ops/registry.ts";
import { usesRandom } from "./math.ts";
import type { Target } from "./target.ts";

/**
 * The exported types of a generated module: Inputs, Batch, OptimizerState and Model (an inference module has no
 * Batch or OptimizerState, and its Model no gradients, optimizer state or training methods).
 */
export function interfaces(graph: Graph, real: string, target: Target = "training", threaded = false): OptionalKind<InterfaceDeclarationStructure>[] {
  const all = threaded ? withThreads(allInterfaces(graph, real)) : allInterfaces(graph, real);
  if (target === "training") return all;
  const trainingOnly = new Set(["gradients", "optimizerState", "loss", "lossAndGradients", "step", "trainStep", ...(usesRandom(graph) ? [] : ["randomState"])]);
  return all
    .filter((declaration) => declaration.name !== "Batch" && declaration.name !== "OptimizerState")
    .map((declaration) =>
      declaration.name !== "Model"
        ? declaration
        : {
            ...declaration,
            docs: ["A model for inference only: parameters, layer outputs, forward and streaming; no gradients or optimizer."],
            properties: (declaration.properties ?? []).filter((property) => !trainingOnly.has(property.name)),
            methods: (declaration.methods ?? []).filter((method) => !trainingOnly.has(method.name)),
          },
    );
}

function allInterfaces(graph: Graph, real: string): OptionalKind<InterfaceDeclarationStructure>[] {
  const readByLayers = (id: string) => graph.layers.some((node) => node.inputs.includes(id));
  const field = (input: Graph["inputs"][number]) => ({
    name: input.id,
    isReadonly: true,
    type: input.type.dtype === "int32" ? "Int32Array" : real,
    docs: [`[${showType(input.type).join(", ")}] ${input.type.dtype}, row-major; at least batchSize·${elementsPerItem(input.type)} elements.`],
  });
  const classes = graph.loss.width;
  const state = optimizerOp(graph.optimizer.op).state(graph.optimizer);
  const stream = graph.stream;
  const streamFields = (stream?.inputs ?? []).map((input) => ({
    name: input.id,
    isReadonly: true,
    type: input.type.dtype === "int32" ? "Int32Array" : real,
    docs: [`One step: [batchSize, ${showType(input.type).slice(2).join(", ") || "1"}] ${input.type.dtype}; at least batchSize·${elementsPerItem(input.type)} elements.`],
  }));
  const streamInterfaces: OptionalKind<InterfaceDeclarationStructure>[] =
    stream === undefined
      ? []
      : [
          { name: "StreamInput", isExported: true, docs: ["One time step of each sequence input, for `Model.stream.step`."], properties: streamFields },
          {
            name: "Stream",
            isExported: true,
            docs: ["Inference one step at a time, each recurrent layer's state carried from call to call (dropout off)."],
            methods: [
              {
                name: "step",
                parameters: [{ name: "input", type: "StreamInput" }, { name: "batchSize", type: "number" }],
                returnType: real,
                docs: [`The output of \`${stream.layers[stream.layers.length - 1]?.id ?? ""}\` for this step: the first batchSize·${graph.loss.width} elements of a reused buffer.`],
              },
              { name: "reset", returnType: "void", docs: ["Start every sequence over: zero states."] },
            ],
          },
        ];
  return [
    {
      name: "CreateModelOptions",
      isExported: true,
      properties: [{ name: "seed", isReadonly: true, hasQuestionToken: true, type: "number", docs: ["Seed of the init's generator, an integer from 0 to 2³² − 1; default: the spec's train.seed."] }],
    },
    { name: "Inputs", isExported: true, docs: ["What `forward` reads: the inputs the layers use, batch-first."], properties: graph.inputs.filter((input) => readByLayers(input.id)).map(field) },
    {
      name: "Batch",
      isExported: true,
      extends: ["Inputs"],
      docs: ["One mini-batch for training: the inputs and the loss's target."],
      properties: graph.inputs.filter((input) => !readByLayers(input.id)).map(field),
    },
    ...streamInterfaces,
    {
      name: "OptimizerState",
      isExported: true,
      docs: [`The optimizer's step count${state.length > 0 ? " and its per-parameter state (same layout as the parameters)" : ""}.`],
      properties: [
        { name: "step", type: "number" },
        { name: "lr", type: "number", docs: ["The learning rate of the next step; starts at the spec's, and a schedule sets it between epochs."] },
        ...state.map((name) => ({ name, isReadonly: true, type: real })),
      ],
    },
    {
      name: "Model",
      isExported: true,
      properties: [
        { name: "parameters", isReadonly: true, type: real, docs: ["All parameters, flat, laid out as PARAMETERS says. Write into it to load weights."] },
        { name: "gradients", isReadonly: true, type: real, docs: ["Gradients from the last lossAndGradients call, same layout."] },
        {
          name: "stateDict",
          isReadonly: true,
          type: `Readonly<Record<ParameterName, ${real}>>`,
          docs: ["Each parameter by its PyTorch state_dict name, as a view into `parameters`: reading and writing go through."],
        },
        {
          name: "activations",
          isReadonly: true,
          type: `Readonly<Record<${graph.layers.map((node) => JSON.stringify(node.id)).join(" | ")}, ${real}>>`,
          docs: ["Each layer's output from the last forward pass, by node id, in graph order. Sequences are stored time-major, [seq, batchSize, features]; others [batchSize, features]."],
        },
        { name: "optimizerState", isReadonly: true, type: "OptimizerState" },
        ...(stream === undefined ? [] : [{ name: "stream", isReadonly: true, type: "Stream", docs: ["Streaming inference, one step per call (the model has no bidirectional layer, lengths or pooling over time)."] }]),
        {
          name: "randomState",
          isReadonly: true,
          type: "Uint32Array",
          docs: ["The state of the generator that draws dropout masks (seeded by train.seed): copy it out and back in to replay the same masks."],
        },
      ],
      methods: [
        {
          name: "loadSafetensors",
          parameters: [{ name: "bytes", type: "Uint8Array" }],
          returnType: "void",
          docs: ["Loads weights from safetensors bytes by PyTorch state_dict name (F32 or F64, exact shapes, nothing missing or extra); throws an Error naming the problem and then changes nothing."],
        },
        {
          name: "saveSafetensors",
          parameters: [{ name: "metadata", type: "Readonly<Record<string, string>>", hasQuestionToken: true }],
          returnType: "Uint8Array",
          docs: ["The weights as safetensors bytes by state_dict name, with the model's name and spec hash (and `metadata`) in the header."],
        },
        {
          name: "forward",
          parameters: [{ name: "inputs", type: "Inputs" }, { name: "batchSize", type: "number" }],
          returnType: real,
          docs: [`${graph.loss.task === "classification" ? "Logits" : "Predictions"} [batchSize, ${classes}] in the first batchSize·${classes} elements of a reused buffer. Evaluation mode: dropout is off.`],
        },
        {
          name: "loss",
          parameters: [{ name: "batch", type: "Batch" }, { name: "batchSize", type: "number" }, { name: "training", type: "boolean", hasQuestionToken: true }],
          returnType: "number",
          docs: ["Mean loss of a batch, without gradients; in evaluation mode unless `training` is true (dropout then draws masks)."],
        },
        {
          name: "lossAndGradients",
          parameters: [{ name: "batch", type: "Batch" }, { name: "batchSize", type: "number" }],
          returnType: "number",
          docs: ["Mean loss of a batch in training mode; overwrites `gradients` with its gradient (full backpropagation through time)."],
        },
        { name: "step", returnType: "void", docs: [`One ${graph.optimizer.op} step from \`gradients\`.`] },
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


/** A threaded module's Model (src/emit/threads) can start and stop the workers that share its products. */
function withThreads(all: OptionalKind<InterfaceDeclarationStructure>[]): OptionalKind<InterfaceDeclarationStructure>[] {
  return all.map((declaration) =>
    declaration.name !== "Model"
      ? declaration
      : {
          ...declaration,
          properties: [...(declaration.properties ?? []), { name: "threads", isReadonly: true, type: "number", docs: ["Threads sharing the products now: 1 until startThreads resolves."] }],
          methods: [
            ...(declaration.methods ?? []),
            {
              name: "startThreads",
              parameters: [{ name: "count", type: "number", hasQuestionToken: true }],
              returnType: "Promise<number>",
              docs: [
                "Starts count − 1 workers (default: THREADS) over the model's shared memory; large products are then split by rows between the\n" +
                  "caller and them, with the same numbers bit for bit. Resolves to the threads running. In a browser the page must be cross-origin isolated.",
              ],
            },
            { name: "stopThreads", returnType: "Promise<void>", docs: ["Ends the workers; products run on the calling thread again."] },
          ],
        },
  );
}
