import { createInterface } from "node:readline";

/**
 * The inference workers' line protocol (as bench/protocol.ts for training): one JSON request per line on stdin,
 * one JSON response per line on stdout, every system in its own long-lived process.
 */

/**
 * `stream`: batch 1, a whole sequence fed one time step at a time (rnnc's streaming step with its state carried;
 * onnxruntime runs the [1, seq, input] sequence in one call, which is all an exported model offers).
 * `batch`: the full forward over `largeBatch` sequences at once.
 */
export const inferenceModes = ["stream", "batch"] as const;
export type InferenceMode = (typeof inferenceModes)[number];

export type InferenceRequest =
  | { readonly op: "info" }
  /** Build the case for this bench shape (bench/inference/case.ts); replaces any previous one. */
  | { readonly op: "setup"; readonly shape: string }
  /** The outputs of one run of each mode, for the agreement check before timing. */
  | { readonly op: "outputs" }
  /** Time `runs` inferences back to back. */
  | { readonly op: "time"; readonly mode: InferenceMode; readonly runs: number };

export interface OutputsResponse {
  readonly ok: true;
  /** The logits after the last time step of sample 0, at batch 1. */
  readonly stream: readonly number[];
  /** The logits of every sample of the large batch, [largeBatch, classes]. */
  readonly batch: readonly number[];
}

export interface InferenceTimeResponse {
  readonly ok: true;
  readonly usPerRun: number;
  /** The first logit of the last run: must be finite, and keeps the work from being optimised away. */
  readonly checksum: number;
}

export interface InferenceHandler {
  info(): { ok: true; version: string } | Promise<{ ok: true; version: string }>;
  setup(shape: string): Promise<{ ok: true }>;
  outputs(): OutputsResponse | Promise<OutputsResponse>;
  time(mode: InferenceMode, runs: number): InferenceTimeResponse | Promise<InferenceTimeResponse>;
}

/** The worker side: answers requests from stdin, in order, until stdin closes. */
export async function serveInference(handler: InferenceHandler): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let response: object;
    try {
      const request = JSON.parse(line) as InferenceRequest;
      switch (request.op) {
        case "info":
          response = await handler.info();
          break;
        case "setup":
          response = await handler.setup(request.shape);
          break;
        case "outputs":
          response = await handler.outputs();
          break;
        case "time":
          response = await handler.time(request.mode, request.runs);
          break;
      }
    } catch (error) {
      response = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    process.stdout.write(`${JSON.stringify(response)}\n`);
  }
}

function checkRuns(runs: number): void {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
}

/** Times `runs` calls of a synchronous `run` back to back; µs per call. */
export function timeRuns(runs: number, run: () => number): InferenceTimeResponse {
  checkRuns(runs);
  let checksum = Number.NaN;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) checksum = run();
  const elapsed = process.hrtime.bigint() - start;
  return { ok: true, usPerRun: Number(elapsed) / 1000 / runs, checksum };
}

/** The same for an asynchronous `run` (onnxruntime's `session.run`), each call awaited before the next. */
export async function timeRunsAsync(runs: number, run: () => Promise<number>): Promise<InferenceTimeResponse> {
  checkRuns(runs);
  let checksum = Number.NaN;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) checksum = await run();
  const elapsed = process.hrtime.bigint() - start;
  return { ok: true, usPerRun: Number(elapsed) / 1000 / runs, checksum };
}
