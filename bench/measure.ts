/**
 * Alternating measurement: warm every system up, size a round to about `roundMs` of work per system,
 * then run the rounds, each system once per round in a rotating order, so that thermal or frequency drift and
 * noisy neighbours hit every system alike. The figure reported is the median over rounds.
 */

export interface TimeResult {
  readonly usPerStep: number;
  readonly loss: number;
  readonly liveTensors?: number;
}

export interface Timer {
  readonly name: string;
  /** Run `steps` training steps back to back; mean µs per step. */
  time(steps: number): Promise<TimeResult>;
}

export interface MeasureOptions {
  /** Untimed work per system before the rounds: at least this long, and at least one call. */
  readonly warmupMs: number;
  /** Target duration of one system's turn in a round; a turn is never less than one step. */
  readonly roundMs: number;
  readonly rounds: number;
  /**
   * Cap on the steps of one call. Each call starts training afresh (see protocol.ts), and a few thousand Adam steps
   * on one batch already push the loss towards 0: the cap keeps every system in the same early stretch of training.
   */
  readonly maxSteps: number;
}

export interface Measurement {
  readonly name: string;
  readonly medianUs: number;
  /** µs/step of each round, in round order. */
  readonly samplesUs: readonly number[];
  readonly stepsPerRound: number;
  readonly lastLoss: number;
  readonly warnings: readonly string[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Warms up; returns the steps per round that take about `roundMs`. */
async function warmUp(timer: Timer, options: MeasureOptions): Promise<number> {
  let steps = 1;
  let spentMs = 0;
  let usPerStep: number;
  do {
    ({ usPerStep } = await timer.time(steps));
    spentMs += (usPerStep * steps) / 1000;
    // Aim at the remaining warm-up time, but grow at most 4× per call in case the first steps were slow for a reason
    // (JIT compilation, lazy kernel set-up) that is now gone.
    steps = Math.min(steps * 4, options.maxSteps, Math.max(1, Math.ceil(((options.warmupMs - spentMs) * 1000) / usPerStep)));
  } while (spentMs < options.warmupMs);
  return Math.min(options.maxSteps, Math.max(1, Math.round((options.roundMs * 1000) / usPerStep)));
}

export async function measure(timers: readonly Timer[], options: MeasureOptions): Promise<Measurement[]> {
  const stepsPerRound: number[] = [];
  for (const timer of timers) stepsPerRound.push(await warmUp(timer, options));

  const samples: number[][] = timers.map(() => []);
  const losses: number[] = timers.map(() => Number.NaN);
  const tensors: (number | undefined)[][] = timers.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < timers.length; k++) {
      const index = (round + k) % timers.length;
      const result = await timers[index]!.time(stepsPerRound[index]!);
      samples[index]!.push(result.usPerStep);
      losses[index] = result.loss;
      tensors[index]!.push(result.liveTensors);
    }
  }

  return timers.map((timer, index) => {
    const warnings: string[] = [];
    const loss = losses[index]!;
    if (!Number.isFinite(loss)) warnings.push(`${timer.name}: the loss is ${loss}; the timing is of non-finite arithmetic`);
    const live = tensors[index]!.filter((n): n is number => n !== undefined);
    if (live.length > 1 && live[live.length - 1]! > live[0]!) warnings.push(`${timer.name}: live tensors grew from ${live[0]} to ${live[live.length - 1]}: a leak`);
    return {
      name: timer.name,
      medianUs: median(samples[index]!),
      samplesUs: samples[index]!,
      stepsPerRound: stepsPerRound[index]!,
      lastLoss: loss,
      warnings,
    };
  });
}
