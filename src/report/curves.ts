import { lineChart, type Series } from "./line-chart.ts";
import type { EpochMetrics, Forecast } from "./run-record.ts";

/**
 * Series colours (matplotlib's first five) and each chart's plot tint. The loss chart's tint is found again in
 * screenshots (test/report.test.ts), so it is a faint lavender that no other colour of the page comes near: not the
 * heatmap's light blues, nor any series colour blended with white at a line's edge.
 */
export const colors = { loss: "#1f77b4", validation: "#ff7f0e", lr: "#2ca02c", accuracy: "#9467bd", validationAccuracy: "#d62728", actual: "#555555" } as const;
export const tints = { loss: "#f5f3fc", lr: "#f3f9f3", accuracy: "#f7f4fa", forecast: "#f6f6f6" } as const;

const perEpoch = (epochs: readonly EpochMetrics[], value: (record: EpochMetrics) => number | undefined): [number, number][] =>
  epochs.flatMap((record) => {
    const y = value(record);
    return y === undefined ? [] : [[record.epoch, y] as [number, number]];
  });

const epochChart = { xLabel: "epoch", integerX: true, empty: "no epoch completed" } as const;

/** Training and validation loss, one point per epoch. */
export function lossChart(epochs: readonly EpochMetrics[], keptEpoch?: number): string {
  const series: Series[] = [
    { id: "loss", label: "training loss", color: colors.loss, points: perEpoch(epochs, (r) => r.loss) },
    { id: "val_loss", label: "validation loss", color: colors.validation, points: perEpoch(epochs, (r) => r.validationLoss) },
  ];
  const marker = keptEpoch === undefined || keptEpoch === 0 ? {} : { marker: { x: keptEpoch, label: `kept: ${keptEpoch}` } };
  return lineChart({ ...epochChart, id: "loss", title: "Loss per epoch", series, tint: tints.loss, ...marker });
}

/** The learning rate each epoch trained at. */
export function learningRateChart(epochs: readonly EpochMetrics[]): string {
  return lineChart({ ...epochChart, id: "lr", title: "Learning rate per epoch", series: [{ id: "lr", label: "learning rate", color: colors.lr, points: perEpoch(epochs, (r) => r.lr) }], tint: tints.lr });
}

/** Accuracy per epoch, or undefined when no epoch record carries it. */
export function accuracyChart(epochs: readonly EpochMetrics[]): string | undefined {
  const series: Series[] = [
    { id: "accuracy", label: "training accuracy", color: colors.accuracy, points: perEpoch(epochs, (r) => r.accuracy) },
    { id: "val_accuracy", label: "validation accuracy", color: colors.validationAccuracy, points: perEpoch(epochs, (r) => r.validationAccuracy) },
  ];
  if (series.every((s) => s.points.length === 0)) return undefined;
  return lineChart({ ...epochChart, id: "accuracy", title: "Accuracy per epoch", series, tint: tints.accuracy });
}

/** Forecasts against what happened, in the target's units, over the test split's windows in time order. */
export function forecastChart(forecast: Forecast): string {
  const series: Series[] = [
    { id: "actual", label: `actual ${forecast.target}`, color: colors.actual, points: forecast.actual.map((y, i) => [i, y]) },
    { id: "predicted", label: "predicted", color: colors.loss, points: forecast.predicted.map((y, i) => [i, y]), dashed: true },
  ];
  const xTick = (i: number): string => forecast.when[Math.round(i)] ?? "";
  return lineChart({ id: "forecast", title: "Test split: predicted and actual", xLabel: "target time", series, tint: tints.forecast, empty: "no test windows", xTick, integerX: true, width: 1136, height: 280 });
}
