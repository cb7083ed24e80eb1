import type { Table } from "./csv.ts";

export type Transform = "none" | "difference";

/**
 * Rows the transform consumes at the start: a first difference needs the row before it, so row 0 has none and is
 * dropped.
 */
export const transformOffset = (transform: Transform): number => (transform === "difference" ? 1 : 0);

/**
 * Per feature, the value the model sees at each table row: the level itself, or its change since the previous row.
 * Row 0 under `difference` is NaN: it has no previous row, and no window may read it (see `transformOffset`).
 */
export function featureSeries(table: Table, features: readonly string[], transform: Transform): Float64Array[] {
  return features.map((name) => {
    const levels = table.numeric[name] ?? [];
    const series = new Float64Array(levels.length);
    for (let r = 0; r < levels.length; r++) {
      const level = levels[r] ?? NaN;
      series[r] = transform === "none" ? level : r === 0 ? NaN : level - (levels[r - 1] ?? NaN);
    }
    return series;
  });
}

/**
 * Writes the window that ends at table row `lastRow` into sample `sample` of x, laid out [sample, step, feature]
 * (batch-first, as the generated modules take it), standardised with the given statistics.
 */
export function writeWindow(
  x: Float32Array,
  sample: number,
  series: readonly Float64Array[],
  lastRow: number,
  window: number,
  mean: readonly number[],
  std: readonly number[],
): void {
  const features = series.length;
  const firstRow = lastRow - window + 1;
  for (let step = 0; step < window; step++) {
    const base = (sample * window + step) * features;
    for (let f = 0; f < features; f++) {
      x[base + f] = ((series[f]?.[firstRow + step] ?? NaN) - (mean[f] ?? 0)) / (std[f] ?? 1);
    }
  }
}
