import { CodeBlockWriter } from "ts-morph";
import type { Graph } from "../ir/types.ts";
import { memoryByKind, type MemoryKind } from "./memory.ts";
import { emitCreateModel } from "./model-body.ts";
import type { Precision } from "./module.ts";
import type { Target } from "./target.ts";

/** The memory a generated module allocates: its one WebAssembly.Memory, by what the bytes hold. */
export interface ModuleMemory {
  readonly target: Target;
  readonly precision: Precision;
  /** Bytes laid out; the memory itself is `pages` × 64 KiB. */
  readonly bytes: number;
  readonly pages: number;
  readonly parts: Partial<Record<MemoryKind, number>>;
}

/** From the layout the emitter itself decides, so it is the module's own, not an estimate. */
export function moduleMemory(graph: Graph, precision: Precision, target: Target): ModuleMemory {
  const plan = emitCreateModel(graph, precision, new CodeBlockWriter(), target);
  return { target, precision, bytes: plan.bytes, pages: plan.pages, parts: memoryByKind(plan, precision === "float32" ? 4 : 8) };
}
