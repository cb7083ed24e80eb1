import type { Model } from "./generated-module.ts";

/**
 * Threads for a generated model: a module compiled with train.threads ≠ 1 has startThreads/stopThreads (workers
 * that share its large matrix products, src/emit/threads); any other model runs on the calling thread.
 */
export interface ThreadedModel {
  readonly threads?: number;
  startThreads?(count?: number): Promise<number>;
  stopThreads?(): Promise<void>;
}

/** Starts the threads the model asks for (its THREADS, resolved where it runs); resolves to the threads running, 1 if none. */
export async function startModelThreads(model: Model): Promise<number> {
  const threaded = model as Model & ThreadedModel;
  return threaded.startThreads === undefined ? 1 : await threaded.startThreads();
}

export async function stopModelThreads(model: Model): Promise<void> {
  await (model as Model & ThreadedModel).stopThreads?.();
}
