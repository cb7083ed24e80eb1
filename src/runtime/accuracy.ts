import { perSample, type Batch, type GeneratedModule, type Model, type RealArray } from "./generated-module.ts";

/**
 * Classification accuracy from the logits a forward pass has just left in `model.activations[LOSS.input]`: the
 * training step's own forward pass, or evaluation's, so counting costs no extra pass and allocates nothing.
 */

/** Where a cross-entropy model's logits and targets are and how they line up. */
export interface TargetLayout {
  /** The spec input holding the class indices. */
  readonly target: string;
  readonly classes: number;
  /** 1 for a per-sample loss; the sequence length for per-step logits. */
  readonly steps: number;
  /** A target value that is not scored (cross_entropy's ignore_index). */
  readonly ignore: number | undefined;
}

/** Receives each scored target with the class the logits rank first. */
export interface PredictionSink {
  record(actual: number, predicted: number): void;
}

/** The layout for a cross-entropy model; undefined for regression, which has no accuracy. */
export function targetLayout(module: GeneratedModule): TargetLayout | undefined {
  if (module.LOSS.task !== "classification") return undefined;
  const input = module.INPUTS.find((candidate) => candidate.name === module.LOSS.target);
  if (input === undefined) return undefined;
  return { target: input.name, classes: module.LOSS.classes, steps: perSample(input), ignore: input.range?.ignore };
}

/**
 * Every scored target of a batch with its argmax class (the first on ties, as `torch.argmax`). The logits are
 * time-major, row t·batchSize + b (a per-sample loss has one step, so row b); the targets batch-major, [b, t].
 */
export function scoreTargets(layout: TargetLayout, logits: RealArray, batch: Batch, batchSize: number, sink: PredictionSink): void {
  const targets = batch[layout.target];
  if (targets === undefined) return;
  const { classes, steps, ignore } = layout;
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < steps; t++) {
      const actual = targets[b * steps + t]!;
      if (actual === ignore) continue;
      const row = (t * batchSize + b) * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if (logits[row + c]! > logits[row + best]!) best = c;
      sink.record(actual, best);
    }
  }
}

/** Right and scored targets since the last reset. */
export class AccuracyCount implements PredictionSink {
  private correct = 0;
  private scored = 0;

  constructor(
    private readonly layout: TargetLayout,
    private readonly logits: RealArray,
  ) {}

  reset(): void {
    this.correct = 0;
    this.scored = 0;
  }

  record(actual: number, predicted: number): void {
    this.scored++;
    if (actual === predicted) this.correct++;
  }

  /** Counts the batch the model has just run forward on. */
  add(batch: Batch, batchSize: number): void {
    scoreTargets(this.layout, this.logits, batch, batchSize, this);
  }

  /** The fraction right; undefined when nothing was scored. */
  value(): number | undefined {
    return this.scored === 0 ? undefined : this.correct / this.scored;
  }
}

/** Training and validation accuracy of one epoch, as `EpochRecord` carries them. */
export class EpochAccuracy {
  readonly training: AccuracyCount;
  readonly validation: AccuracyCount;

  constructor(layout: TargetLayout, logits: RealArray) {
    this.training = new AccuracyCount(layout, logits);
    this.validation = new AccuracyCount(layout, logits);
  }

  startEpoch(): void {
    this.training.reset();
    this.validation.reset();
  }

  fields(): { accuracy?: number; validationAccuracy?: number } {
    const accuracy = this.training.value();
    const validationAccuracy = this.validation.value();
    return { ...(accuracy === undefined ? {} : { accuracy }), ...(validationAccuracy === undefined ? {} : { validationAccuracy }) };
  }
}

/** Accuracy counters for a cross-entropy model; undefined for regression. */
export function epochAccuracy(module: GeneratedModule, model: Model): EpochAccuracy | undefined {
  const layout = targetLayout(module);
  const logits = layout === undefined ? undefined : model.activations[module.LOSS.input];
  return layout === undefined || logits === undefined ? undefined : new EpochAccuracy(layout, logits);
}
