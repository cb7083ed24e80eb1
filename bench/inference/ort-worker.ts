/**
 * onnxruntime-web under test: its WebAssembly backend in Node on the model rnnc exports (same weights, same inputs;
 * bench/inference/case.ts), speaking bench/inference/protocol.ts.
 *
 *   node --import tsx bench/inference/ort-worker.ts --threads N     N = 1 single-threaded; N > 1 its thread pool
 *
 * Batch 1 runs the whole [1, seq, input] sequence in one `session.run`: an exported model has no streaming step.
 */
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-web";
import { buildCase, largeBatch } from "./case.ts";
import { serveInference, timeRunsAsync } from "./protocol.ts";

const { values } = parseArgs({ options: { threads: { type: "string", default: "1" } } });
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive integer, got ${values.threads}`);
ort.env.wasm.numThreads = threads;

interface Prepared {
  readonly session: ort.InferenceSession;
  readonly one: ort.Tensor;
  readonly many: ort.Tensor;
  readonly classes: number;
}
let prepared: Prepared | undefined;

function ready(): Prepared {
  if (prepared === undefined) throw new Error("no setup yet");
  return prepared;
}

async function run(session: ort.InferenceSession, x: ort.Tensor): Promise<Float32Array> {
  const outputs = await session.run({ x });
  const output = outputs[session.outputNames[0]!];
  if (output === undefined || !(output.data instanceof Float32Array)) throw new Error("the ONNX model gave no float32 output");
  return output.data;
}

await serveInference({
  info: () => ({ ok: true, version: `onnxruntime-web ${ort.env.versions.web ?? "?"} (WebAssembly backend in Node, ${threads} thread${threads > 1 ? "s" : ""})` }),
  async setup(shape) {
    await prepared?.session.release();
    const { onnx, x, seq, input, classes } = await buildCase(shape);
    const session = await ort.InferenceSession.create(onnx, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
    const one = new ort.Tensor("float32", x.slice(0, seq * input), [1, seq, input]);
    const many = new ort.Tensor("float32", x, [largeBatch, seq, input]);
    prepared = { session, one, many, classes };
    return { ok: true };
  },
  async outputs() {
    const { session, one, many, classes } = ready();
    return { ok: true, stream: Array.from(await run(session, one)).slice(0, classes), batch: Array.from(await run(session, many)).slice(0, largeBatch * classes) };
  },
  time(mode, runs) {
    const { session, one, many } = ready();
    const x = mode === "stream" ? one : many;
    return timeRunsAsync(runs, async () => (await run(session, x))[0]!);
  },
});
