import type { Graph } from "../../ir/types.ts";
import { packBytes } from "../wasm/kernels/block.ts";
import { HEADER_INTS, SLOT_INTS } from "./worker-source.ts";

/**
 * What a threaded module (train.threads ≠ 1) fixes at compile time: how many workers its control block has slots
 * for, where that block lies in the memory, and when a product is worth splitting. A module whose threads is 1 is
 * emitted exactly as before threads existed: none of this appears in it.
 */
export interface ThreadPlan {
  /** train.threads as the spec gave it. */
  readonly threads: number | "auto";
  /** Workers the control block has slots for: threads − 1, or for `auto` the cap − 1. */
  readonly slots: number;
  /** Byte offset of the control block: after every buffer, on a 64-byte line of its own. */
  readonly controlAt: number;
  /** Byte offset of worker slot 0's `pack` scratch (src/emit/wasm/kernels/xn.ts), slot s's at packAt + s·packBytes. */
  readonly packAt: number;
  readonly packBytes: number;
  /** 64 KiB pages of the whole memory: buffers, control block and the workers' pack scratch. */
  readonly pages: number;
}

/** `auto` never asks for more threads than this: past it, a step's products are too small to share. */
export const AUTO_THREAD_CAP = 8;

/**
 * A chunk has at least this many multiply-adds (about 3 µs of kernel time), and a product is split only when it makes
 * two chunks at least: claiming a chunk moves a cache line between cores, and on this project's 2-core machine
 * products of 32×64×64 cut into 4-row chunks (16,384 multiply-adds each) ran 2× slower on 2 threads than on one.
 */
export const MIN_CHUNK_WORK = 65536;
export const SPLIT_MIN_WORK = 2 * MIN_CHUNK_WORK;

/**
 * Rounds a waiting worker spins on Atomics.load before it sleeps in Atomics.wait: about 5–15 µs, the gap between two
 * products of a step (an elementwise pass). Longer spins wake faster on an idle machine, but on a busy one a
 * spinning worker takes CPU time from the thread that posts the work: with 20,000 rounds (~250 µs) 2 threads ran the
 * medium shape 1.3–1.7× slower than one under a load of 6 on 2 cores, with 200–2,000 rounds about as fast as one.
 */
export const WORKER_SPIN_ROUNDS = 1000;

/** Rounds the model's thread spins on a worker's part before it sleeps (where it may): the parts are about equal. */
export const MODEL_SPIN_ROUNDS = 4000;

/** A split product is cut into about this many chunks per thread, claimed by whichever thread is free. */
export const CHUNKS_PER_THREAD = 4;

/**
 * For a model without a recurrent layer, `auto` starts workers only when its training step (at MAX_BATCH) is at least
 * this many FLOPs: about 1 ms of one thread's work.
 */
export const AUTO_MIN_STEP_FLOPS = 32e6;

/**
 * Why `auto` means 1 for a model, or undefined when it starts workers. Threads share products that are large enough to
 * split (SPLIT_MIN_WORK multiply-adds); a recurrence whose per-step product (`recurrentWork`: batch × gates·H × H at
 * MAX_BATCH, summarise's `recurrentStepWork`) is smaller stays on the calling thread, leaving the workers only the
 * weight gradients, and there a started worker costs more than it saves. On this project's 2-core machine the
 * seed-sized LSTM and GRU (16×80×20 and 16×60×20 a step) trained 2–19% slower with a worker, though it took no chunk,
 * and the long shape (32×32×32 a step) between 2% faster and 9% slower; the medium shape (64×128×128) runs 1.4–1.8×
 * faster on 2 threads. A model without a recurrent layer starts workers when its step is at least AUTO_MIN_STEP_FLOPS.
 */
export function autoSingleThreadReason(recurrentWork: number | undefined, stepFlops: number): string | undefined {
  if (recurrentWork !== undefined) {
    if (recurrentWork >= SPLIT_MIN_WORK) return undefined;
    return `its largest per-step recurrent product at MAX_BATCH is ${recurrentWork.toLocaleString("en-US")} multiply-adds, below the ${SPLIT_MIN_WORK.toLocaleString("en-US")} worth splitting`;
  }
  if (stepFlops >= AUTO_MIN_STEP_FLOPS) return undefined;
  return `a step at MAX_BATCH is ${Number((stepFlops / 1e6).toPrecision(3))} MFLOP, below the ${AUTO_MIN_STEP_FLOPS / 1e6} MFLOP worth sharing`;
}

export function threadsOf(graph: Graph): number | "auto" {
  return graph.train.threads;
}

export function isThreaded(graph: Graph): boolean {
  return threadsOf(graph) !== 1;
}

export function threadPlan(graph: Graph, bufferBytes: number, elementBytes: number): ThreadPlan {
  const threads = threadsOf(graph);
  const slots = Math.max(1, (threads === "auto" ? AUTO_THREAD_CAP : threads) - 1);
  const controlAt = Math.ceil(bufferBytes / 64) * 64;
  const packAt = Math.ceil((controlAt + (HEADER_INTS + slots * SLOT_INTS) * 4) / 64) * 64;
  const pack = packBytes(elementBytes);
  const pages = Math.max(1, Math.ceil((packAt + slots * pack) / 65536));
  return { threads, slots, controlAt, packAt, packBytes: pack, pages };
}
