import type { Batch, GeneratedModule, InputArray, Model, RealArray } from "./generated-module.ts";
import { perSample } from "./generated-module.ts";
import type { Dataset } from "./dataset.ts";
import type { Random } from "./prng.ts";
import { createSchedule, type Schedule, type ScheduleState } from "./schedule.ts";

export interface EpochRecord {
  readonly epoch: number;
  /** The mean of the epoch's mini-batch mean losses (PyTorch's usual epoch loss). */
  readonly loss: number;
  /** Mean loss over every validation sample, after the epoch's updates. */
  readonly validationLoss?: number;
  /** The learning rate the epoch trained at. */
  readonly lr: number;
}

/** Where a run stands between epochs: what a resumed run needs besides the weights, the optimizer's state and the generators. */
export interface TrainProgress {
  /** Epochs completed. */
  readonly epoch: number;
  /** The first epoch's loss, on which the divergence bound rests. */
  readonly firstLoss?: number;
  /** The best validation loss so far and its epoch (early stopping's bookkeeping). */
  readonly best?: { readonly loss: number; readonly epoch: number };
  readonly schedule: ScheduleState;
  readonly stoppedEarly: boolean;
}

export interface TrainOptions {
  /** The number of the last epoch to train: with `resume`, training goes on from the epoch after the checkpoint's. */
  readonly epochs: number;
  readonly batchSize: number;
  /** With validation data the weights with the best validation loss are kept, and early stopping is possible. */
  readonly validation?: Dataset;
  /** Stop after this many epochs without a better validation loss. */
  readonly patience?: number;
  /** Shuffle the training samples before each epoch with this generator; without it, batches are taken in order. */
  readonly shuffle?: Random;
  /** Stop when a step's loss exceeds this many times the first epoch's loss (default: module.TRAIN's). */
  readonly divergenceFactor?: number;
  /** The learning-rate schedule (default: module.TRAIN's), stepped after each epoch on the validation loss, else the training loss. */
  readonly schedule?: Schedule;
  readonly onEpoch?: (record: EpochRecord) => void;
  /** Called after every step with the 1-based step, the epoch's step count and the step's loss (for a progress display). */
  readonly onStep?: (step: number, steps: number, loss: number) => void;
  /** Continue a saved run; the caller has restored the weights, the optimizer's state and the generators. */
  readonly resume?: { readonly progress: TrainProgress; readonly bestParameters?: RealArray };
}

export interface Divergence {
  readonly epoch: number;
  /** 1-based mini-batch within the epoch. */
  readonly step: number;
  /** What went wrong: "<the first thing found non-finite> is not finite" (a layer's output, the loss, a parameter), or the loss's explosion. */
  readonly what: string;
}

export interface TrainResult {
  readonly epochs: readonly EpochRecord[];
  /** The epoch whose weights the model holds at the end (the best by validation loss, else the last). */
  readonly keptEpoch: number;
  readonly stoppedEarly: boolean;
  /** Set when training stopped on a non-finite loss or parameter; the model then holds the last finite weights. */
  readonly divergence?: Divergence;
  /** Where the run stands, for a checkpoint to resume from (absent after divergence: its optimizer state is not trustworthy). */
  readonly progress?: TrainProgress;
  /** The weights after the last epoch trained, which a resumed run continues from (the model may hold the best epoch's instead). */
  readonly lastParameters: RealArray;
}

/** Views of consecutive samples, made once so that the training loop allocates nothing. */
export function miniBatches(module: GeneratedModule, dataset: Dataset, batchSize: number): { batch: Batch; size: number }[] {
  const batches: { batch: Batch; size: number }[] = [];
  for (let start = 0; start < dataset.count; start += batchSize) {
    const size = Math.min(batchSize, dataset.count - start);
    const batch: Record<string, InputArray> = {};
    for (const input of module.INPUTS) {
      const data = dataset.inputs[input.name];
      if (data === undefined) throw new Error(`dataset lacks input ${input.name}`);
      const width = perSample(input);
      batch[input.name] = data.subarray(start * width, (start + size) * width);
    }
    batches.push({ batch, size });
  }
  return batches;
}

/** The mean loss over every sample of a dataset, batches weighted by their size; parameters and gradients are left alone. */
export function datasetLoss(model: Model, batches: readonly { batch: Batch; size: number }[]): number {
  let total = 0;
  let count = 0;
  for (const { batch, size } of batches) {
    total += model.loss(batch, size) * size;
    count += size;
  }
  return total / count;
}

/**
 * Mini-batches in order, no shuffle, as the PyTorch fixtures do. After every step the loss and the parameters are checked:
 * on the first non-finite value training stops and the weights from before that step are restored.
 */
export function train(module: GeneratedModule, model: Model, dataset: Dataset, options: TrainOptions): TrainResult {
  if (options.batchSize > module.MAX_BATCH) throw new RangeError(`batch size ${options.batchSize} exceeds the compiled MAX_BATCH ${module.MAX_BATCH}`);
  const shuffler = options.shuffle === undefined ? undefined : new Shuffler(module, dataset, options.shuffle);
  const batches = miniBatches(module, shuffler?.shuffled ?? dataset, options.batchSize);
  const validation = options.validation === undefined || options.validation.count === 0 ? undefined : miniBatches(module, options.validation, options.batchSize);
  const lastGood = model.parameters.slice();
  const resumed = options.resume?.progress;
  const best = { parameters: options.resume?.bestParameters?.slice() ?? model.parameters.slice(), loss: resumed?.best?.loss ?? Infinity, epoch: resumed?.best?.epoch ?? 0 };
  const epochs: EpochRecord[] = [];
  // the spec's schedule and divergence bound unless the caller gives others
  const schedule = options.schedule ?? createSchedule(module.TRAIN.schedule, model.optimizerState.lr, module.TRAIN.warmupEpochs);
  if (resumed !== undefined) schedule.restore(resumed.schedule);
  model.optimizerState.lr = schedule.state().lr;
  const divergenceFactor = options.divergenceFactor ?? module.TRAIN.divergenceFactor;
  let firstLoss = resumed?.firstLoss;
  const progress = (epoch: number, stoppedEarly: boolean): TrainProgress => ({
    epoch,
    ...(firstLoss === undefined ? {} : { firstLoss }),
    ...(best.epoch === 0 ? {} : { best: { loss: best.loss, epoch: best.epoch } }),
    schedule: schedule.state(),
    stoppedEarly,
  });
  const first = (resumed?.epoch ?? 0) + 1;
  if (resumed?.stoppedEarly === true) {
    // nothing more to train: hold the best epoch's weights, as the run that stopped did
    const lastParameters = model.parameters.slice();
    model.parameters.set(best.parameters);
    return { epochs, keptEpoch: best.epoch, stoppedEarly: true, progress: resumed, lastParameters };
  }
  for (let epoch = first; epoch <= options.epochs; epoch++) {
    const lr = model.optimizerState.lr;
    shuffler?.shuffle();
    const bound = firstLoss !== undefined && firstLoss > 0 ? firstLoss * divergenceFactor : undefined;
    let total = 0;
    for (let index = 0; index < batches.length; index++) {
      const { batch, size } = batches[index]!;
      lastGood.set(model.parameters);
      const loss = model.trainStep(batch, size);
      const exploded = bound !== undefined && loss > bound ? `the loss grew to ${loss.toPrecision(4)}, over ${divergenceFactor} × the first epoch's ${firstLoss!.toPrecision(4)}` : undefined;
      const nonFinite = Number.isFinite(loss) ? firstNonFiniteParameter(module, model) : (firstNonFiniteActivation(module, model, size) ?? "the loss");
      const bad = exploded ?? (nonFinite === undefined ? undefined : `${nonFinite} is not finite`);
      if (bad !== undefined) {
        model.parameters.set(lastGood);
        return { epochs, keptEpoch: epoch - 1, stoppedEarly: false, divergence: { epoch, step: index + 1, what: bad }, lastParameters: lastGood };
      }
      total += loss;
      options.onStep?.(index + 1, batches.length, loss);
    }
    const record: EpochRecord = validation === undefined ? { epoch, loss: total / batches.length, lr } : { epoch, loss: total / batches.length, validationLoss: datasetLoss(model, validation), lr };
    epochs.push(record);
    // a loss that explodes while staying finite is divergence too: past `divergenceFactor` × the first epoch's
    if (epoch === 1) firstLoss = record.loss;
    options.onEpoch?.(record);
    model.optimizerState.lr = schedule.lrAfter(epoch, record.validationLoss ?? record.loss);
    if (record.validationLoss === undefined) continue;
    if (record.validationLoss < best.loss) {
      best.loss = record.validationLoss;
      best.epoch = epoch;
      best.parameters.set(model.parameters);
    } else if (options.patience !== undefined && epoch - best.epoch >= options.patience) {
      const lastParameters = model.parameters.slice();
      model.parameters.set(best.parameters);
      return { epochs, keptEpoch: best.epoch, stoppedEarly: true, progress: progress(epoch, true), lastParameters };
    }
  }
  const last = Math.max(first - 1, options.epochs);
  const lastParameters = model.parameters.slice();
  if (validation !== undefined && best.epoch > 0) {
    model.parameters.set(best.parameters);
    return { epochs, keptEpoch: best.epoch, stoppedEarly: false, progress: progress(last, false), lastParameters };
  }
  return { epochs, keptEpoch: last, stoppedEarly: false, progress: progress(last, false), lastParameters };
}

/**
 * Keeps a shuffled copy of a dataset, reordered in place before each epoch (Fisher–Yates with the seeded generator),
 * so the mini-batch views made once over the copy stay valid and an epoch allocates nothing.
 */
class Shuffler {
  readonly shuffled: Dataset;
  private readonly order: Int32Array;
  private readonly widths: readonly { readonly source: InputArray; readonly target: InputArray; readonly width: number }[];

  constructor(module: GeneratedModule, private readonly source: Dataset, private readonly random: Random) {
    const inputs: Record<string, InputArray> = {};
    const widths = [];
    for (const input of module.INPUTS) {
      const data = source.inputs[input.name];
      if (data === undefined) throw new Error(`dataset lacks input ${input.name}`);
      const target = data.slice();
      inputs[input.name] = target;
      widths.push({ source: data, target, width: perSample(input) });
    }
    this.shuffled = { count: source.count, inputs };
    this.widths = widths;
    this.order = Int32Array.from({ length: source.count }, (_, i) => i);
  }

  /** A fresh permutation each epoch (as PyTorch's RandomSampler draws one), so the generator is all a resumed run needs. */
  shuffle(): void {
    const order = this.order;
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.random.integerBelow(i + 1);
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    for (const { source, target, width } of this.widths) {
      for (let k = 0; k < this.source.count; k++) {
        const from = order[k]! * width;
        for (let i = 0; i < width; i++) target[k * width + i] = source[from + i]!;
      }
    }
  }
}

/** The first layer (in graph order) whose output for this batch holds a non-finite value: where a NaN began. */
function firstNonFiniteActivation(module: GeneratedModule, model: Model, batchSize: number): string | undefined {
  for (const [id, values] of Object.entries(model.activations)) {
    const current = (values.length / module.MAX_BATCH) * batchSize; // buffers are sized for MAX_BATCH
    for (let i = 0; i < current; i++) {
      if (!Number.isFinite(values[i]!)) return `the output of \`${id}\` (element ${i})`;
    }
  }
  return undefined;
}

function firstNonFiniteParameter(module: GeneratedModule, model: Model): string | undefined {
  const values = model.parameters;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      const owner = module.PARAMETERS.find((p) => i >= p.offset && i < p.offset + p.size);
      return owner === undefined ? `parameter element ${i}` : `parameter \`${owner.name}\` (element ${i - owner.offset})`;
    }
  }
  return undefined;
}
