import type { Batch, GeneratedModule, InputArray, Model } from "./generated-module.ts";
import { perSample } from "./generated-module.ts";
import type { Dataset } from "./dataset.ts";

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Called after each epoch with its loss: the mean of its mini-batches' mean losses. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

export interface Divergence {
  readonly epoch: number;
  /** 1-based mini-batch within the epoch. */
  readonly step: number;
  /** The first thing found non-finite: "the loss" or a parameter name. */
  readonly what: string;
}

export interface TrainResult {
  readonly losses: readonly number[];
  /** Set when training stopped on a non-finite loss or parameter; the model then holds the last finite weights. */
  readonly divergence?: Divergence;
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

/**
 * Mini-batches in order, no shuffle, as the PyTorch fixtures do. After every step the loss and the parameters are checked:
 * on the first non-finite value training stops and the weights from before that step are restored.
 */
export function train(module: GeneratedModule, model: Model, dataset: Dataset, options: TrainOptions): TrainResult {
  if (options.batchSize > module.MAX_BATCH) throw new RangeError(`batch size ${options.batchSize} exceeds the compiled MAX_BATCH ${module.MAX_BATCH}`);
  const batches = miniBatches(module, dataset, options.batchSize);
  const lastGood = model.parameters.slice();
  const losses: number[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    let total = 0;
    for (let index = 0; index < batches.length; index++) {
      const { batch, size } = batches[index]!;
      lastGood.set(model.parameters);
      const loss = model.trainStep(batch, size);
      const bad = Number.isFinite(loss) ? firstNonFiniteParameter(module, model) : "the loss";
      if (bad !== undefined) {
        model.parameters.set(lastGood);
        return { losses, divergence: { epoch, step: index + 1, what: bad } };
      }
      total += loss;
    }
    const epochLoss = total / batches.length;
    losses.push(epochLoss);
    options.onEpoch?.(epoch, epochLoss);
  }
  return { losses };
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
