/**
 * rnnc's inference module under test (`compile --target inference`), speaking bench/inference/protocol.ts.
 * Batch 1 goes through the streaming API, one time step per call with the state carried; the large batch through
 * `forward`. Nothing is allocated per run: the step inputs are sliced once, at setup.
 */
import { enableRelaxedSimd } from "../../src/cli/relaxed-simd.ts";
import { compilerVersion } from "../../src/compile.ts";
import { buildCase, largeBatch, type InferenceCase } from "./case.ts";
import { serveInference, timeRuns } from "./protocol.ts";

enableRelaxedSimd(); // as the CLI does: the relaxed-SIMD kernels where the CPU can run them

interface Prepared {
  readonly inferenceCase: InferenceCase;
  /** Sample 0's input at each time step, [1, input]. */
  readonly steps: readonly Float32Array[];
}
let prepared: Prepared | undefined;

function ready(): Prepared {
  if (prepared === undefined) throw new Error("no setup yet");
  return prepared;
}

/** Streams sample 0 through the model; the logits after the last step (a view into the module's buffer). */
function stream({ inferenceCase, steps }: Prepared): ArrayLike<number> {
  const streaming = inferenceCase.model.stream;
  if (streaming === undefined) throw new Error(`${inferenceCase.name}: the module has no streaming API`);
  streaming.reset();
  let logits: ArrayLike<number> = [];
  for (const x of steps) logits = streaming.step({ x }, 1);
  return logits;
}

function forward({ inferenceCase }: Prepared): ArrayLike<number> {
  return inferenceCase.model.forward({ x: inferenceCase.x }, largeBatch);
}

await serveInference({
  info: () => ({ ok: true, version: `rnnc ${compilerVersion} (--target inference, float32, 1 thread, Node ${process.versions.node})` }),
  async setup(shape) {
    const inferenceCase = await buildCase(shape);
    const { seq, input, x } = inferenceCase;
    prepared = { inferenceCase, steps: Array.from({ length: seq }, (_, t) => x.slice(t * input, (t + 1) * input)) };
    return { ok: true };
  },
  outputs() {
    const current = ready();
    const classes = current.inferenceCase.classes;
    return { ok: true, stream: Array.from(stream(current)).slice(0, classes), batch: Array.from(forward(current)).slice(0, largeBatch * classes) };
  },
  time(mode, runs) {
    const current = ready();
    return timeRuns(runs, mode === "stream" ? () => stream(current)[0]! : () => forward(current)[0]!);
  },
});
