import { classificationReport, regressionReport } from "../data/index.ts";
import { scoreTargets, targetLayout, type PredictionSink } from "./accuracy.ts";
import type { Dataset } from "./dataset.ts";
import type { Evaluation } from "./evaluate.ts";
import { perSample, type GeneratedModule, type Model, type RealArray } from "./generated-module.ts";
import { miniBatches } from "./train.ts";

/** Every scored target with the class the model ranked first, in data order. */
class Predictions implements PredictionSink {
  readonly actual: number[] = [];
  readonly predicted: number[] = [];
  record(actual: number, predicted: number): void {
    this.actual.push(actual);
    this.predicted.push(predicted);
  }
}

/**
 * Loss and metrics over every sample of tensor data (`--data`): no preprocessing is known, so regression errors are in
 * the model's own units and there are no baselines. Each batch runs forward once (`model.loss`, evaluation mode) and
 * the metrics read the outputs that pass left in `model.activations`. The loss is the mean over scored targets (a
 * per-step loss skips `ignore_index`), as the text evaluation weighs it.
 */
export function evaluateDataset(module: GeneratedModule, model: Model, dataset: Dataset): Evaluation | undefined {
  if (dataset.count === 0) return undefined;
  const outputs = model.activations[module.LOSS.input];
  if (outputs === undefined) throw new Error(`the model has no output \`${module.LOSS.input}\``);
  const layout = targetLayout(module);
  let total = 0;
  let weight = 0;
  if (layout !== undefined && module.LOSS.task === "classification") {
    const predictions = new Predictions();
    for (const { batch, size } of miniBatches(module, dataset, module.MAX_BATCH)) {
      const before = predictions.actual.length;
      const loss = model.loss(batch, size);
      scoreTargets(layout, outputs, batch, size, predictions);
      total += loss * (predictions.actual.length - before);
      weight += predictions.actual.length - before;
    }
    const count = predictions.actual.length;
    const unit = layout.steps === 1 ? "samples" : "targets";
    return { task: "classification", split: "all", count, unit, loss: total / weight, report: classificationReport(predictions.actual, predictions.predicted, module.LOSS.classes) };
  }
  const actual: number[] = [];
  const predicted: number[] = [];
  const target = module.INPUTS.find((input) => input.name === module.LOSS.target);
  const width = module.LOSS.task === "regression" ? module.LOSS.outputs : 1;
  const steps = target === undefined ? 1 : perSample(target) / width;
  for (const { batch, size } of miniBatches(module, dataset, module.MAX_BATCH)) {
    total += model.loss(batch, size) * size;
    weight += size;
    const targets = batch[module.LOSS.target];
    if (targets !== undefined) collectRegression(outputs, targets, size, steps, width, actual, predicted);
  }
  return { task: "regression", split: "all", count: dataset.count, unit: "samples", loss: total / weight, report: regressionReport(actual, predicted) };
}

/** Outputs are time-major (row t·batchSize + b), targets batch-major ([b, t, k]), as the mse loss reads them. */
function collectRegression(outputs: RealArray, targets: ArrayLike<number>, batchSize: number, steps: number, width: number, actual: number[], predicted: number[]): void {
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < steps; t++) {
      for (let k = 0; k < width; k++) {
        actual.push(targets[(b * steps + t) * width + k]!);
        predicted.push(outputs[(t * batchSize + b) * width + k]!);
      }
    }
  }
}
