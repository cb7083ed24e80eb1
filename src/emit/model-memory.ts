import { elementsPerItem, showType, type Graph, type InputNode, type StreamGraph } from "../ir/types.ts";
import { layerOp, optimizerOp } from "../ops/registry.ts";
import { packBytes } from "./wasm/kernels/block.ts";
import { planMemory, type BufferRequest, type MemoryPlan } from "./memory.ts";
import type { BufferNames } from "./names.ts";
import type { Target } from "./target.ts";

/** Spec inputs that a layer reads: these are copied into the kernels' memory; the target is read in place. */
export function layerInputs(graph: Graph): InputNode[] {
  return graph.inputs.filter((input) => graph.layers.some((node) => node.inputs.includes(input.id)));
}

/** The region of the matrix kernels' `pack` scratch (src/emit/wasm/kernels/xn.ts), in training modules. */
export const KERNEL_PACK = "kernel_pack";

/**
 * Every buffer of the model at its byte offset. Inference modules hold no gradients, optimizer state, layer-output
 * gradients or backward-only scratch; forward scratch stays (the forward pass writes it).
 */
export function memoryPlan(graph: Graph, names: BufferNames, streamNames: BufferNames, elementBytes: number, target: Target): MemoryPlan {
  const training = target === "training";
  const count = graph.parameters.reduce((sum, p) => sum + p.size, 0);
  const maxBatch = graph.train.batchSize;
  const buffers: BufferRequest[] = [{ name: "parameters", elements: count, note: "all parameters, laid out as PARAMETERS says", kind: "parameters" }];
  if (training) {
    buffers.push({ name: "gradients", elements: count, note: "their gradients, same layout", kind: "gradients" });
    for (const name of optimizerOp(graph.optimizer.op).state(graph.optimizer)) buffers.push({ name: names.optimizerState(name), elements: count, note: `optimizer state \`${name}\`, same layout`, kind: "optimizer state" });
  }
  for (const input of layerInputs(graph)) {
    const int32 = input.type.dtype === "int32";
    buffers.push({ name: names.input(input.id), elements: maxBatch * elementsPerItem(input.type), note: `input ${input.id}: [${showType(input.type).join(", ")}]${int32 ? " int32, batch-major" : ""}`, int32, kind: "inputs" });
  }
  const overlays: BufferRequest[][] = [];
  for (const node of graph.layers) {
    const perItem = elementsPerItem(node.type);
    buffers.push({ name: names.output(node.id), elements: maxBatch * perItem, note: `${node.op} ${node.id}: [${showType(node.type).join(", ")}]`, kind: "layer outputs" });
    if (training) buffers.push({ name: names.dOutput(node.id), elements: maxBatch * perItem, note: `gradient of ${node.id}`, kind: "output gradients" });
    const backwardOnly: BufferRequest[] = [];
    for (const scratch of layerOp(node.op).scratch(node)) {
      const request: BufferRequest = { name: names.scratch(node.id, scratch.name), elements: maxBatch * scratch.perItem + scratch.fixed, note: `${node.id} scratch: ${scratch.name}`, kind: "forward scratch" };
      if (scratch.phase === "forward") buffers.push(request);
      else if (training) backwardOnly.push(request);
    }
    if (backwardOnly.length > 0) overlays.push(backwardOnly);
  }
  // gemm_tn (weight gradients) packs its row blocks of A here; a threaded module's workers have theirs after the control block
  if (training) buffers.push({ name: KERNEL_PACK, elements: packBytes(elementBytes) / elementBytes, note: "gemm_tn's packing scratch (this thread's)", kind: "backward scratch" });
  if (graph.stream !== undefined) buffers.push(...streamBuffers(graph.stream, streamNames, maxBatch).map((buffer) => ({ ...buffer, kind: "streaming" as const })));
  return planMemory(buffers, overlays, elementBytes);
}

/** The streaming API's buffers: one step of each input and node output, forward scratch, and the carried states. */
function streamBuffers(stream: StreamGraph, names: BufferNames, maxBatch: number): BufferRequest[] {
  const buffers: BufferRequest[] = [];
  for (const input of stream.inputs) {
    buffers.push({ name: names.input(input.id), elements: maxBatch * elementsPerItem(input.type), note: `streaming: one step of ${input.id}`, int32: input.type.dtype === "int32" });
  }
  for (const node of stream.layers) {
    const op = layerOp(node.op);
    buffers.push({ name: names.output(node.id), elements: maxBatch * elementsPerItem(node.type), note: `streaming: ${node.op} ${node.id}, one step` });
    for (const scratch of op.scratch(node)) {
      if (scratch.phase === "forward") buffers.push({ name: names.scratch(node.id, scratch.name), elements: maxBatch * scratch.perItem + scratch.fixed, note: `streaming: ${node.id} scratch ${scratch.name}` });
    }
    for (const state of op.streaming?.(node)?.state ?? []) {
      buffers.push({ name: names.state(node.id, state.name), elements: maxBatch * state.perItem, note: `streaming: ${node.id}'s carried state ${state.name}` });
    }
  }
  return buffers;
}
