import { createInterface } from "node:readline";
import type { RnnClassifierShape } from "../src/runtime/benchmark.ts";

/**
 * Every system under test runs in its own long-lived process (rnnc, TF.js cpu, TF.js wasm, PyTorch), so that the
 * coordinator can alternate between them round by round without paying start-up or warm-up again, and no system's
 * heap, JIT or thread pool disturbs another. They all speak this protocol: one JSON request per line on stdin,
 * one JSON response per line on stdout. bench/torch_bench.py implements the same messages in Python.
 */

/** The recurrent cell of a bench shape, with PyTorch's meaning: nn.RNN (tanh), nn.LSTM, nn.GRU. */
export type Cell = "rnn" | "lstm" | "gru";

/** The model every system builds: one `cell` layer (batch_first, h₀ = 0) → out[:, -1, :] → linear, cross-entropy, Adam(0.001). */
export interface BenchShape extends RnnClassifierShape {
  /** bench/specs/<name>.yaml */
  readonly name: string;
  readonly specPath: string;
  readonly cell: Cell;
}

export type Request =
  | { readonly op: "info" }
  /** Build the model and one batch of dummy data for this shape; replaces any previous one. */
  | { readonly op: "setup"; readonly shape: BenchShape }
  /**
   * Restore the initial weights and a fresh optimizer (untimed), then time `steps` training steps back to back.
   * Every system resets, so every timing window covers the same early stretch of training: on one fixed batch a
   * long run would otherwise drive the loss to ~0 for the fast systems only and time different arithmetic.
   */
  | { readonly op: "time"; readonly steps: number; readonly from?: TimeFrom }
  /**
   * Train `steps` steps from the initial weights and a fresh optimizer (untimed) and keep the weights and optimizer
   * state they reach, for `time` requests `from: "snapshot"`: the steady-state measurement (bench/steady.ts).
   */
  | { readonly op: "snapshot"; readonly steps: number }
  /** PyTorch only (bench/blas.ts): which BLAS this process has mapped, and a size × size matmul's speed over `seconds`. */
  | { readonly op: "blas"; readonly size: number; readonly seconds: number };

/**
 * Where a timed window starts: `init`, the initial weights and a fresh optimizer (early training, the default); or
 * `snapshot`, the state after the last `snapshot` request's steps (steady state).
 */
export type TimeFrom = "init" | "snapshot";

export interface InfoResponse {
  readonly ok: true;
  /** e.g. "TF.js 4.22.0 (wasm, SIMD, 1 thread)". */
  readonly version: string;
}

export interface SetupResponse {
  readonly ok: true;
}

export interface TimeResponse {
  readonly ok: true;
  readonly usPerStep: number;
  readonly loss: number;
  /** TF.js only: live tensors after the steps; must not grow from call to call. */
  readonly liveTensors?: number;
}

export interface BlasResponse {
  readonly ok: true;
  /** e.g. "OpenBLAS 0.3.21, Haswell kernels, 1 BLAS thread", "MKL", "reference BLAS". */
  readonly library: string;
  /** OpenBLAS only: the kernels it runs (openblas_get_corename) and its build (openblas_get_config). */
  readonly core: string | null;
  readonly config: string | null;
  /** OPENBLAS_CORETYPE in the process's environment, null when unset. */
  readonly coreType: string | null;
  readonly gflops: number;
}

export interface ErrorResponse {
  readonly ok: false;
  readonly error: string;
}

export interface Handler {
  info(): InfoResponse | Promise<InfoResponse>;
  setup(shape: BenchShape): SetupResponse | Promise<SetupResponse>;
  time(steps: number, from: TimeFrom): TimeResponse | Promise<TimeResponse>;
  snapshot(steps: number): SetupResponse | Promise<SetupResponse>;
}

/** The worker side: answers requests from stdin, in order, until stdin closes. */
export async function serve(handler: Handler): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let response: InfoResponse | SetupResponse | TimeResponse | ErrorResponse;
    try {
      const request = JSON.parse(line) as Request;
      switch (request.op) {
        case "info":
          response = await handler.info();
          break;
        case "setup":
          response = await handler.setup(request.shape);
          break;
        case "time":
          response = await handler.time(request.steps, request.from ?? "init");
          break;
        case "snapshot":
          response = await handler.snapshot(request.steps);
          break;
        case "blas":
          throw new Error("blas: only the PyTorch worker links a BLAS");
      }
    } catch (error) {
      response = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    process.stdout.write(`${JSON.stringify(response)}\n`);
  }
}
