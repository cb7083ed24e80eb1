import { argmax, classificationBaselines, classificationReport, evaluateRegression, regressionBaselines } from "../data/index.ts";
import type { ClassificationReport, ClassificationSplit, Preprocessing, RegressionReport, RegressionSplit, WindowedData } from "../data/index.ts";
import type { Dataset } from "./dataset.ts";
import type { GeneratedModule, Model } from "./generated-module.ts";
import { datasetLoss, miniBatches } from "./train.ts";

export type SplitName = "validation" | "test";
/** What an evaluation covered: a split of the spec's windows, or every window (or sample) of the data given. */
export type EvaluatedSplit = SplitName | "train" | "all";

interface EvaluationBase {
  readonly split: EvaluatedSplit;
  readonly count: number;
  /** What `count` counts (default windows): samples of tensor data, or targets of a per-step loss. */
  readonly unit?: "windows" | "samples" | "targets";
  readonly loss: number;
}

/** Baselines are scored where the data allows: none for tensor data, no majority class without a training split. */
export type Evaluation =
  | (EvaluationBase & {
      readonly task: "classification";
      readonly report: ClassificationReport;
      readonly baselines?: { readonly majority?: ClassificationReport; readonly persistence: ClassificationReport };
    })
  | (EvaluationBase & {
      readonly task: "regression";
      readonly report: RegressionReport;
      readonly baselines?: { readonly persistence: RegressionReport; readonly seasonalNaive?: RegressionReport };
    });

/** Windows with their targets, and for classification the training windows that fix the majority class, when known. */
export type LabelledWindows = { readonly task: "classification"; readonly windows: ClassificationSplit; readonly train?: ClassificationSplit } | { readonly task: "regression"; readonly windows: RegressionSplit };

/** The model's outputs for every sample, [count, width], in batches of MAX_BATCH. */
export function predictAll(module: GeneratedModule, model: Model, dataset: Dataset, width: number): Float64Array {
  const outputs = new Float64Array(dataset.count * width);
  let offset = 0;
  for (const { batch, size } of miniBatches(module, dataset, module.MAX_BATCH)) {
    const result = model.forward(batch, size);
    for (let i = 0; i < size * width; i++) outputs[offset + i] = result[i]!;
    offset += size * width;
  }
  return outputs;
}

/** Loss, metrics and the baselines on one split, all on the same windows. */
export function evaluateSplit(module: GeneratedModule, model: Model, data: WindowedData, split: SplitName, dataset: Dataset): Evaluation | undefined {
  const labelled: LabelledWindows = data.task === "classification" ? { task: "classification", windows: data[split], train: data.train } : { task: "regression", windows: data[split] };
  return evaluateWindows(module, model, labelled, data.preprocessing, split, dataset);
}

/** Loss, metrics (regression in the target's units) and the baselines the windows allow; undefined when there are none. */
export function evaluateWindows(module: GeneratedModule, model: Model, labelled: LabelledWindows, preprocessing: Preprocessing, split: EvaluatedSplit, dataset: Dataset): Evaluation | undefined {
  if (dataset.count === 0) return undefined;
  const loss = datasetLoss(model, miniBatches(module, dataset, module.MAX_BATCH));
  if (labelled.task === "classification") {
    const classes = module.LOSS.task === "classification" ? module.LOSS.classes : 1;
    const { windows, train } = labelled;
    const predicted = argmax(predictAll(module, model, dataset, classes), dataset.count, classes);
    const baselines = train === undefined ? { persistence: classificationBaselines(windows, windows, classes).persistence } : classificationBaselines(train, windows, classes);
    return { task: "classification", split, count: dataset.count, loss, report: classificationReport(windows.y, predicted, classes), baselines };
  }
  const outputs = predictAll(module, model, dataset, 1);
  return { task: "regression", split, count: dataset.count, loss, report: evaluateRegression(outputs, labelled.windows, preprocessing), baselines: regressionBaselines(labelled.windows) };
}
