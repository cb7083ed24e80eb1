/** Axis ranges and ticks at round numbers (1, 2, 2.5 or 5 × a power of ten), as plotting libraries choose them. */

export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * A range covering every value, widened to whole steps, with about `count` ticks. A single value (a constant
 * learning rate) gets a range around it, so that its line is drawn mid-height rather than on an edge.
 */
export function niceAxis(values: readonly number[], count = 5, options: { readonly integers?: boolean; readonly tight?: boolean } = {}): Axis {
  const finite = values.filter(Number.isFinite);
  let low = finite.length === 0 ? 0 : Math.min(...finite);
  let high = finite.length === 0 ? 1 : Math.max(...finite);
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.5;
    low -= pad;
    high += pad;
  }
  let step = niceStep((high - low) / Math.max(1, count - 1));
  if (options.integers === true) step = Math.max(1, Math.round(step));
  // tight: the range is the data's own (epochs 1 to 32 fill the width), with ticks at the round values inside it
  const min = options.tight === true ? low : Math.floor(low / step) * step;
  const max = options.tight === true ? high : Math.ceil(high / step) * step;
  const ticks: number[] = [];
  // multiplying rather than adding keeps 0.1 + 0.2 from printing as 0.30000000000000004
  const first = Math.ceil(min / step - 1e-9);
  for (let i = first; i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  // a tight axis also names where it starts (epoch 1), unless a round tick is close by
  if (options.tight === true && (ticks.length === 0 || (ticks[0] ?? min) - min > step * 0.4)) ticks.unshift(min);
  return { min, max, ticks };
}

/** Maps [domain min, domain max] onto [from, to] (screen coordinates; `to` < `from` for a y axis). */
export function linear(axis: Pick<Axis, "min" | "max">, from: number, to: number): (value: number) => number {
  const span = axis.max - axis.min || 1;
  return (value) => from + ((value - axis.min) / span) * (to - from);
}
