import { argmax, classificationBaselines, classificationReport, evaluateRegression, regressionBaselines } from "../data/index.ts";
import type { ClassificationReport, ClassificationSplit, RegressionReport, RegressionSplit, WindowedData } from "../data/index.ts";
import type { Dataset } from "./dataset.ts";
import type { GeneratedModule, Model } from "./generated-module.ts";
import { datasetLoss, miniBatches } from "./train.ts";

export type SplitName = "validation" | "test";

export type Evaluation =
  | {
      readonly task: "classification";
      readonly split: SplitName;
      readonly count: number;
      readonly loss: number;
      readonly report: ClassificationReport;
      readonly baselines: { readonly majority: ClassificationReport; readonly persistence: ClassificationReport };
    }
  | {
      readonly task: "regression";
      readonly split: SplitName;
      readonly count: number;
      readonly loss: number;
      readonly report: RegressionReport;
      readonly baselines: { readonly persistence: RegressionReport; readonly seasonalNaive?: RegressionReport };
    };

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
  if (dataset.count === 0) return undefined;
  const loss = datasetLoss(model, miniBatches(module, dataset, module.MAX_BATCH));
  if (data.task === "classification") {
    const classes = module.LOSS.task === "classification" ? module.LOSS.classes : 1;
    const windows: ClassificationSplit = data[split];
    const predicted = argmax(predictAll(module, model, dataset, classes), dataset.count, classes);
    return { task: "classification", split, count: dataset.count, loss, report: classificationReport(windows.y, predicted, classes), baselines: classificationBaselines(data.train, windows, classes) };
  }
  const windows: RegressionSplit = data[split];
  const outputs = predictAll(module, model, dataset, 1);
  return { task: "regression", split, count: dataset.count, loss, report: evaluateRegression(outputs, windows, data.preprocessing), baselines: regressionBaselines(windows) };
}
