import type { Tokenization } from "../data/text/tokenize.ts";
import type { ModelSummary } from "../ir/summary.ts";
import type { Evaluation } from "../runtime/evaluate.ts";
import type { Divergence, EpochRecord } from "../runtime/train.ts";
import type { TextEvaluation } from "../cli/text-evaluate.ts";

/**
 * Everything a report shows about one training run, as plain data: what `--report` and `--metrics-out` are made
 * from. It holds no dates or durations, so the same run gives the same files byte for byte.
 */
export interface RunRecord {
  /** The spec's path as the user gave it (relative to the working directory). */
  readonly spec: string;
  readonly model: string;
  readonly version: string;
  /** What the model learnt from: the spec's CSV or text, a --data file, or the seed's dummy data. */
  readonly data: string;
  readonly task: "classification" | "regression" | "language model";
  readonly optimizer: { readonly op: string; readonly lr: number };
  readonly batchSize: number;
  readonly seed: number;
  readonly epochsPlanned: number;
  readonly epochs: readonly EpochMetrics[];
  /** The epoch whose weights the model holds at the end. */
  readonly keptEpoch: number;
  readonly stoppedEarly: boolean;
  readonly patience?: number;
  readonly divergence?: Divergence;
  /** Final evaluations of the validation and test splits (none after a divergence, as the log's). */
  readonly evaluations: readonly RunEvaluation[];
  /** Regression: the model's forecasts next to what happened, over the test split. */
  readonly forecast?: Forecast;
  readonly summary: ModelSummary;
}

/**
 * An epoch as the trainer records it, with the metrics some runs add. `accuracy` and `validationAccuracy` are read
 * when present (classification trained with `--data` gains them), so the report shows them without changing.
 */
export type EpochMetrics = EpochRecord & { readonly accuracy?: number; readonly validationAccuracy?: number };

export type RunEvaluation =
  | { readonly source: "csv"; readonly evaluation: Evaluation; readonly labels?: readonly string[] }
  | { readonly source: "text"; readonly evaluation: TextEvaluation; readonly labels: readonly string[]; readonly tokens: Tokenization };

export interface Forecast {
  /** The target column, whose units the values are in. */
  readonly target: string;
  /** Each test window's target time (or row), as printed. */
  readonly when: readonly string[];
  readonly actual: readonly number[];
  readonly predicted: readonly number[];
}
