/**
 * The benchmark model in TensorFlow.js, as a TF.js user would write it: tf.layers simpleRNN(tanh) | lstm | gru
 * (last step only: returnSequences false) → Dense, softmax cross-entropy from logits, Adam, one `optimizer.minimize`
 * per training step. TF.js's GRU applies the reset gate before the recurrent product (r ⊙ h)·U, PyTorch's after it,
 * r ⊙ (h·U + b): the same products and FLOPs, slightly different arithmetic; its LSTM has one bias per gate, not two.
 *
 *   npx tsx bench/tfjs.ts --backend cpu|wasm [--shapes seed,medium]   standalone: median µs/step per shape as JSON
 *   npx tsx bench/tfjs.ts --backend cpu|wasm --serve                   worker for bench/run.ts (bench/protocol.ts)
 *
 * Single-threaded like the other systems: the cpu backend is plain JS; the wasm backend is told not to use threads.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { Random } from "../src/runtime/prng.ts";
import { measure } from "./measure.ts";
import { serve, type BenchShape, type TimeFrom, type TimeResponse } from "./protocol.ts";
import { loadShape, shapeNames } from "./shapes.ts";

type Backend = "cpu" | "wasm";

async function useBackend(backend: Backend): Promise<string> {
  if (backend === "wasm") {
    // In Node the wasm loader reads the binaries with fs, so a plain directory path (with a trailing slash) works.
    const wasmDir = join(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/";
    setWasmPaths(wasmDir);
    // The wasm backend's threaded build needs SharedArrayBuffer and Web Workers, and TF.js 4.22 turns it off in Node
    // whatever the runtime offers (tensorflow/tfjs#3830); if a later version turned it on, stay on one thread anyway,
    // to compare like with like with the single-threaded systems.
    const threadsAvailable = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to initialise`);
    await tf.ready();
    const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "SIMD" : "no SIMD";
    return `TF.js ${tf.version.tfjs} (wasm, ${simd}, 1 thread; threads ${threadsAvailable === true ? "available, not used" : "unavailable in Node"})`;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to initialise`);
  await tf.ready();
  return `TF.js ${tf.version.tfjs} (cpu: plain JavaScript, 1 thread)`;
}

/** One model, its optimizer and one fixed batch; `step` is a full training step. */
class TfjsTrainer {
  private readonly model: tf.Sequential;
  private readonly initialWeights: tf.Tensor[];
  private optimizer: tf.Optimizer;
  /** The weights and Adam's state (its iteration count and moments) after the `snapshot` request's steps. */
  private snapshotState: { readonly weights: tf.Tensor[]; readonly optimizer: { name: string; tensor: tf.Tensor }[] } | undefined;
  private readonly x: tf.Tensor3D;
  private readonly yOneHot: tf.Tensor2D;

  constructor(shape: BenchShape) {
    this.model = tf.sequential({ layers: [TfjsTrainer.recurrentLayer(shape), tf.layers.dense({ units: shape.classes })] });
    this.initialWeights = this.model.getWeights().map((w) => w.clone());
    this.optimizer = TfjsTrainer.adam();
    const random = new Random(0);
    const xs = new Float32Array(shape.batch * shape.seq * shape.input).map(() => random.normal());
    const labels = new Int32Array(shape.batch).map(() => random.integerBelow(shape.classes));
    this.x = tf.tensor3d(xs, [shape.batch, shape.seq, shape.input]);
    this.yOneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), shape.classes).toFloat() as tf.Tensor2D);
  }

  private static recurrentLayer(shape: BenchShape): tf.layers.Layer {
    const options = { units: shape.hidden, returnSequences: false, inputShape: [shape.seq, shape.input] };
    switch (shape.cell) {
      case "rnn":
        return tf.layers.simpleRNN({ ...options, activation: "tanh" });
      case "lstm":
        return tf.layers.lstm(options);
      case "gru":
        return tf.layers.gru(options);
    }
  }

  // TF.js's default epsilon is 1e-7; pass PyTorch's 1e-8 so the update is the same arithmetic.
  private static adam(): tf.Optimizer {
    return tf.train.adam(0.001, 0.9, 0.999, 1e-8);
  }

  /** Initial weights and a fresh Adam (see the `time` request in protocol.ts); its moments are made on its first step. */
  private reset(): void {
    this.model.setWeights(this.initialWeights);
    this.optimizer.dispose();
    this.optimizer = TfjsTrainer.adam();
  }

  private readonly lossOfBatch = (): tf.Scalar => {
    const logits = this.model.apply(this.x, { training: true });
    if (!(logits instanceof tf.Tensor)) throw new Error("the model should return one tensor");
    return tf.losses.softmaxCrossEntropy(this.yOneHot, logits) as tf.Scalar;
  };

  /** Trains `steps` steps from the initial weights and a fresh Adam, untimed, and keeps the state they reach. */
  async snapshot(steps: number): Promise<void> {
    this.reset();
    this.train(steps);
    this.disposeSnapshot();
    // getWeights hands out the live variables (after a new "iter" scalar): keep copies, which later steps cannot change.
    const [iterations, ...moments] = await this.optimizer.getWeights();
    if (iterations === undefined) throw new Error("Adam has no state to snapshot");
    const optimizer = [iterations, ...moments.map(({ name, tensor }) => ({ name, tensor: tensor.clone() }))];
    this.snapshotState = { weights: this.model.getWeights().map((w) => w.clone()), optimizer };
  }

  /** Back to the snapshot: its weights, and a fresh Adam given the snapshot's moments (setWeights copies them). */
  private async restoreSnapshot(): Promise<void> {
    if (this.snapshotState === undefined) throw new Error("time from a snapshot before any snapshot");
    this.model.setWeights(this.snapshotState.weights);
    this.optimizer.dispose();
    this.optimizer = TfjsTrainer.adam();
    await this.optimizer.setWeights(this.snapshotState.optimizer);
  }

  private disposeSnapshot(): void {
    if (this.snapshotState === undefined) return;
    for (const tensor of [...this.snapshotState.weights, ...this.snapshotState.optimizer.map((named) => named.tensor)]) tensor.dispose();
    this.snapshotState = undefined;
  }

  async time(steps: number, from: TimeFrom = "init"): Promise<TimeResponse> {
    if (from === "init") this.reset();
    else await this.restoreSnapshot();
    const start = process.hrtime.bigint();
    const loss = this.train(steps);
    const elapsed = process.hrtime.bigint() - start;
    return { ok: true, usPerStep: Number(elapsed) / 1000 / steps, loss, liveTensors: tf.memory().numTensors };
  }

  /** `steps` training steps back to back; the last one's loss. */
  private train(steps: number): number {
    let loss = Number.NaN;
    for (let i = 0; i < steps; i++) {
      // minimize runs forward and backward on the tape and applies Adam; every intermediate is disposed by it.
      const cost = this.optimizer.minimize(this.lossOfBatch, true);
      if (cost === null) throw new Error("minimize returned no cost");
      // Reading the value forces the step to finish on backends that run asynchronously; cpu and wasm are synchronous.
      if (i === steps - 1) loss = cost.dataSync()[0] ?? Number.NaN;
      cost.dispose();
    }
    return loss;
  }

  dispose(): void {
    this.disposeSnapshot();
    this.model.dispose();
    this.optimizer.dispose();
    for (const weight of this.initialWeights) weight.dispose();
    this.x.dispose();
    this.yOneHot.dispose();
  }
}

const { values } = parseArgs({
  options: { backend: { type: "string", default: "cpu" }, serve: { type: "boolean", default: false }, shapes: { type: "string" } },
});
if (values.backend !== "cpu" && values.backend !== "wasm") throw new Error(`--backend must be cpu or wasm, got ${values.backend}`);
const version = await useBackend(values.backend);

if (values.serve) {
  let trainer: TfjsTrainer | undefined;
  await serve({
    info: () => ({ ok: true, version }),
    setup(shape) {
      trainer?.dispose();
      trainer = new TfjsTrainer(shape);
      return { ok: true };
    },
    async snapshot(steps) {
      if (trainer === undefined) throw new Error("snapshot before setup");
      await trainer.snapshot(steps);
      return { ok: true };
    },
    time(steps, from) {
      if (trainer === undefined) throw new Error("time before setup");
      return trainer.time(steps, from);
    },
  });
} else {
  const names = values.shapes?.split(",") ?? [...shapeNames];
  const results = [];
  for (const name of names) {
    const shape = await loadShape(name);
    const trainer = new TfjsTrainer(shape);
    const [result] = await measure([{ name: values.backend, time: async (steps) => trainer.time(steps) }], { warmupMs: 1000, roundMs: 500, rounds: 5, maxSteps: 1000 });
    results.push({ shape: name, system: version, medianUsPerStep: result?.medianUs, samplesUs: result?.samplesUs });
    trainer.dispose();
  }
  console.log(JSON.stringify(results, null, 2));
}
