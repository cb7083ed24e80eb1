import type { Graph } from "../../ir/types.ts";
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
  /** 64 KiB pages of the whole memory, buffers and control block. */
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
 * `auto` starts no worker for a model whose training step (at MAX_BATCH) is below this many FLOPs: about 1 ms of one
 * thread's work, made of products too small to split. There a started worker only costs: on this project's 2-core
 * machine the LSTM and GRU of the seed's size (1–2 MFLOP a step) trained 2–19% slower with a worker than without,
 * though it took no chunk, and the long shape (63 MFLOP, products of 32×32×32 a step) gained nothing. The medium
 * shape (504 MFLOP) runs 1.5–1.8× faster on 2 threads.
 */
export const AUTO_MIN_STEP_FLOPS = 32e6;

/** Whether `auto` may start workers for a model whose training step is `stepFlops` (summarise(graph).trainStepFlops). */
export function autoWorthThreads(stepFlops: number): boolean {
  return stepFlops >= AUTO_MIN_STEP_FLOPS;
}

export function threadsOf(graph: Graph): number | "auto" {
  return graph.train.threads;
}

export function isThreaded(graph: Graph): boolean {
  return threadsOf(graph) !== 1;
}

export function threadPlan(graph: Graph, bufferBytes: number): ThreadPlan {
  const threads = threadsOf(graph);
  const slots = Math.max(1, (threads === "auto" ? AUTO_THREAD_CAP : threads) - 1);
  const controlAt = Math.ceil(bufferBytes / 64) * 64;
  const pages = Math.max(1, Math.ceil((controlAt + (HEADER_INTS + slots * SLOT_INTS) * 4) / 65536));
  return { threads, slots, controlAt, pages };
}
