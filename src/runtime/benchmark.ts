import { dummyDataset } from "./dataset.ts";
import { optimizerArrays, type Batch, type GeneratedModule, type Model } from "./generated-module.ts";
import { initialiseParameters } from "./init.ts";
import { Random } from "./prng.ts";
import { startModelThreads, stopModelThreads } from "./threads.ts";

/**
 * Training-step timing for a generated module: what `rnnc bench <spec>` and bench/run.ts measure.
 * A step is `trainStep` on one full batch (MAX_BATCH samples): forward, BPTT backward and the Adam update.
 */

export interface BenchmarkOptions {
  /** Timed steps. */
  readonly steps: number;
  /** Untimed steps first, so that V8 has optimised the step functions before the clock starts. */
  readonly warmupSteps: number;
  /** Seeds the parameter init and the dummy batch; default 0. */
  readonly seed?: number;
}

export interface BenchmarkResult {
  /** Mean wall time of one timed step, in microseconds. */
  readonly usPerStep: number;
  readonly steps: number;
  /** The loss of the last timed step: a NaN here means the timing is of garbage arithmetic. */
  readonly lastLoss: number;
}

/** A model with its parameters initialised and one full dummy batch, ready to be timed again and again. */
export interface PreparedBenchmark {
  readonly model: Model;
  readonly batchSize: number;
  /**
   * Back to the initial parameters and a fresh Adam state. Trained long enough on its one batch, a model drives
   * the loss to ~0 and its gradients towards underflow, which is not the arithmetic of real training; timing
   * windows that each start here all measure the same early stretch of training, whatever their length.
   */
  reset(): void;
  /** Runs `steps` training steps back to back; returns the mean µs per step and the last loss. */
  run(steps: number): { usPerStep: number; lastLoss: number };
}

export function prepareBenchmark(module: GeneratedModule, seed = 0): PreparedBenchmark {
  const random = new Random(seed);
  const model = module.createModel();
  initialiseParameters(module, model, random);
  const batchSize = module.MAX_BATCH;
  // dummyDataset makes TRAIN.batchSize samples; ask for MAX_BATCH so the batch fills every activation buffer.
  const dataset = dummyDataset({ ...module, TRAIN: { ...module.TRAIN, batchSize } }, random);
  const batch: Batch = dataset.inputs;
  const initialParameters = model.parameters.slice();
  return {
    model,
    batchSize,
    reset() {
      model.parameters.set(initialParameters);
      for (const array of optimizerArrays(model.optimizerState)) array.fill(0);
      model.optimizerState.step = 0;
    },
    run(steps: number) {
      if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
      // Nothing is allocated between the two clock reads: the loop only calls trainStep, which allocates nothing.
      let lastLoss = 0;
      const start = process.hrtime.bigint();
      for (let i = 0; i < steps; i++) lastLoss = model.trainStep(batch, batchSize);
      const elapsed = process.hrtime.bigint() - start;
      return { usPerStep: Number(elapsed) / 1000 / steps, lastLoss };
    },
  };
}

/** Initialise (seeded), warm up, reset, then time `steps` training steps on one full batch. */
export function benchmarkModule(module: GeneratedModule, options: BenchmarkOptions): BenchmarkResult {
  const prepared = prepareBenchmark(module, options.seed ?? 0);
  if (options.warmupSteps > 0) prepared.run(options.warmupSteps);
  prepared.reset();
  const { usPerStep, lastLoss } = prepared.run(options.steps);
  return { usPerStep, steps: options.steps, lastLoss };
}

/** benchmarkModule with the threads the model asks for (train.threads, src/emit/threads) running while it is timed. */
export async function benchmarkModuleThreaded(module: GeneratedModule, options: BenchmarkOptions): Promise<BenchmarkResult & { readonly threads: number }> {
  const prepared = prepareBenchmark(module, options.seed ?? 0);
  const threads = await startModelThreads(prepared.model);
  try {
    if (options.warmupSteps > 0) prepared.run(options.warmupSteps);
    prepared.reset();
    const { usPerStep, lastLoss } = prepared.run(options.steps);
    return { usPerStep, steps: options.steps, lastLoss, threads };
  } finally {
    await stopModelThreads(prepared.model);
  }
}

/*
 * FLOP counting. Only the matrix products are counted, at 2 FLOPs per multiply-add; tanh, softmax, the bias adds
 * and Adam are linear in the activations or parameters and are left out, as is usual for "model FLOPs".
 * Forward, per sample: every rnn layer multiplies W_ih by x_t and W_hh by h_{t−1} at each of the seq steps
 * (including t = 0, where h_{−1} = 0: PyTorch does that product, rnnc skips it) and the linear layer multiplies
 * W by the last hidden state once. Backward needs two products of the same size per forward product (the gradient
 * with respect to the weights and with respect to the layer's input), so a training step is counted as 3× forward.
 * The first layer's input gradient is not actually needed, so this slightly overstates the work: the same
 * count is used for every system, so GFLOP/s stay comparable.
 */

/** The dimensions of the rnn(tanh) → last_step → linear classifier. */
export interface RnnClassifierShape {
  readonly batch: number;
  readonly seq: number;
  readonly input: number;
  readonly hidden: number;
  readonly classes: number;
}

/** FLOPs of one training step of rnn → last_step → linear on a batch (see the counting rules above). */
export function rnnClassifierFlops(shape: RnnClassifierShape): number {
  const { batch, seq, input, hidden, classes } = shape;
  const forwardMultiplyAdds = batch * (seq * hidden * (input + hidden) + hidden * classes);
  return 3 * 2 * forwardMultiplyAdds;
}

/**
 * The same count for any generated module, read from its PARAMETERS (so stacked rnn layers count too):
 * rnn weights (`*.weight_ih_l<k>`, `*.weight_hh_l<k>`) are applied once per time step, other matrices once per sample.
 */
export function trainStepFlops(module: GeneratedModule): number {
  const sequence = module.INPUTS.find((input) => input.dtype === "float32" && input.shape.length === 3);
  const seq = typeof sequence?.shape[1] === "number" ? sequence.shape[1] : 1;
  let multiplyAddsPerSample = 0;
  for (const parameter of module.PARAMETERS) {
    if (parameter.shape.length !== 2) continue; // biases: not products
    const perStep = /\.weight_(ih|hh)_l\d+$/.test(parameter.name);
    multiplyAddsPerSample += parameter.size * (perStep ? seq : 1);
  }
  return 3 * 2 * module.MAX_BATCH * multiplyAddsPerSample;
}
