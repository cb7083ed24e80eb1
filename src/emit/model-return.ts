import type { Graph } from "../ir/types.ts";
import { constant, type Writer } from "./code.ts";
import type { BufferNames } from "./names.ts";
import type { Target } from "./target.ts";

/** The object createModel returns: the buffers and views, then the methods over the inner functions. */
export function emitReturn(graph: Graph, names: BufferNames, target: Target, randomState: boolean, w: Writer, threaded = false): void {
  const training = target === "training";
  w.write("return ").inlineBlock(() => {
    w.writeLine("parameters,");
    if (training) w.writeLine("gradients,");
    w.writeLine("stateDict,");
    w.write("activations: ").inlineBlock(() => {
      for (const node of graph.layers) w.writeLine(`${node.id}: ${names.output(node.id)},`);
    });
    w.write(",").newLine();
    if (training) w.writeLine("optimizerState,");
    if (randomState) w.writeLine("randomState,");
    if (graph.stream !== undefined) w.writeLine("stream: { step: streamStep, reset: streamReset },");
    w.write("loadSafetensors(bytes: Uint8Array): void ").block(() => w.writeLine("loadStateDict(parameters, bytes);"));
    w.write(",").newLine();
    w.write("saveSafetensors(metadata: Readonly<Record<string, string>> = {}): Uint8Array ").block(() => w.writeLine("return saveStateDict(parameters, metadata);"));
    w.write(",").newLine();
    w.write("forward(inputs: Inputs, batchSize: number) ").block(() => w.writeLine(`return run(inputs, batchSize${training ? ", false" : ""});`));
    w.write(",").newLine();
    if (training) emitTrainingMethods(w);
    if (threaded) {
      w.writeLine("startThreads,");
      w.writeLine("stopThreads,");
      w.write("get threads(): number ").block(() => w.writeLine("return threadCount;"));
      w.write(",").newLine();
    }
  });
  w.write(";");
}

function emitTrainingMethods(w: Writer): void {
  w.write("loss(batch: Batch, batchSize: number, training = false): number ").block(() => w.writeLine("return computeLoss(batch, batchSize, training);"));
  w.write(",").newLine();
  w.write("lossAndGradients(batch: Batch, batchSize: number): number ").block(() => {
    constant(w, "loss", "computeLoss(batch, batchSize, true)");
    w.writeLine("backward(batchSize);");
    w.writeLine("return loss;");
  });
  w.write(",").newLine();
  w.write("step,").newLine();
  w.write("trainStep(batch: Batch, batchSize: number): number ").block(() => {
    constant(w, "loss", "computeLoss(batch, batchSize, true)");
    w.writeLine("backward(batchSize);");
    w.writeLine("step();");
    w.writeLine("return loss;");
  });
  w.write(",");
}
