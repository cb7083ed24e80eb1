import { argmax, classificationReport, type ClassificationReport } from "../data/index.ts";
import { fitLastTokenRule, fitNgrams, majorityLabel, ngramLosses, predictByLastToken } from "../data/text/baselines.ts";
import type { TextDataset } from "../data/text/dataset.ts";
import type { Dataset } from "../runtime/dataset.ts";
import { predictAll } from "../runtime/evaluate.ts";
import type { GeneratedModule, Model } from "../runtime/generated-module.ts";
import { datasetLoss, miniBatches } from "../runtime/train.ts";
import type { TextData } from "./text-source.ts";

export type SplitName = "validation" | "test";

export type TextEvaluation =
  | {
      readonly task: "classification";
      readonly split: SplitName;
      readonly count: number;
      /** Mean cross-entropy per sample. */
      readonly loss: number;
      readonly report: ClassificationReport;
      readonly baselines: { readonly majority: ClassificationReport; readonly lastToken: ClassificationReport };
    }
  | {
      readonly task: "language_model";
      readonly split: SplitName;
      readonly count: number;
      /** Predicted tokens (the `<s>` that ends each sample included). */
      readonly tokens: number;
      /** Mean cross-entropy per predicted token, in nats. */
      readonly loss: number;
      readonly baselines: { readonly unigram: number; readonly bigram: number };
    };

/**
 * Cross-entropy per predicted token over a whole split: each batch's mean (over its targets that are not ignored)
 * weighted by how many targets it has, so short and long samples count by their tokens, as the baselines do.
 */
function tokenLoss(module: GeneratedModule, model: Model, dataset: Dataset, target: string, ignoreIndex: number): { loss: number; tokens: number } {
  let total = 0;
  let tokens = 0;
  for (const { batch, size } of miniBatches(module, dataset, module.MAX_BATCH)) {
    const targets = batch[target];
    if (targets === undefined) continue;
    let counted = 0;
    for (let i = 0; i < targets.length; i++) if (targets[i] !== ignoreIndex) counted++;
    if (counted === 0) continue;
    total += model.loss(batch, size) * counted;
    tokens += counted;
  }
  return { loss: total / tokens, tokens };
}

/** The model and the baselines (fitted on the training split) on one held-out split; undefined when it is empty. */
export function evaluateText(module: GeneratedModule, model: Model, data: TextData, split: SplitName): TextEvaluation | undefined {
  const dataset = data[split];
  if (dataset.count === 0) return undefined;
  const text: TextDataset = data.text;
  if (text.task === "language_model") {
    const target = module.LOSS.target;
    const { loss, tokens } = tokenLoss(module, model, dataset, target, data.ignoreIndex);
    const classes = module.LOSS.task === "classification" ? module.LOSS.classes : 1;
    const baselines = ngramLosses(fitNgrams(text.splits.train, data.ignoreIndex, classes), text.splits[split], data.ignoreIndex);
    return { task: "language_model", split, count: dataset.count, tokens, loss, baselines: { unigram: baselines.unigram, bigram: baselines.bigram } };
  }
  const classes = text.labels.length;
  const arrays = text.splits[split];
  const loss = datasetLoss(model, miniBatches(module, dataset, module.MAX_BATCH));
  const predicted = argmax(predictAll(module, model, dataset, classes), dataset.count, classes);
  const train = text.splits.train;
  const majority = new Int32Array(arrays.count).fill(majorityLabel(train.labels, classes));
  const lastToken = predictByLastToken(fitLastTokenRule(train, classes), arrays.lastToken);
  return {
    task: "classification",
    split,
    count: dataset.count,
    loss,
    report: classificationReport(arrays.labels, predicted, classes),
    baselines: { majority: classificationReport(arrays.labels, majority, classes), lastToken: classificationReport(arrays.labels, lastToken, classes) },
  };
}
