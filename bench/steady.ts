import { measure, type MeasureOptions, type Measurement, type Timer } from "./measure.ts";
import type { SystemResult } from "./report-json.ts";
import type { SystemProcess } from "./systems.ts";

/**
 * Steady state, on the early-training protocol's terms: every system first trains `afterSteps` steps from its
 * initial weights and a fresh Adam (untimed, once per shape) and keeps the state it reaches; then every timed turn
 * restores that state (untimed) and times up to `maxSteps` steps from there, in the same alternating rounds as the
 * early-training measurement. So both tables time the same kind of window, one starting at step 0 and one at step
 * `afterSteps`, with the same `afterSteps` on every side. Early training is where vanishing gradients once passed
 * through float32's subnormal range (issue #12); later the model computes with ordinary magnitudes.
 */
export interface SteadyOptions {
  /** Untimed training steps before the snapshot; the same for every system. */
  readonly afterSteps: number;
  /**
   * A system whose snapshot would take longer than this, estimated from its early-training median, is left out of
   * the steady-state table with a note (TF.js on the larger shapes, seconds per step).
   */
  readonly budgetSeconds: number;
}

export interface SteadyMeasurement {
  readonly systems: readonly SystemProcess[];
  readonly measured: readonly Measurement[];
}

/** `early`: this shape's early-training results, in the order of `ready`, for the cost estimate. */
export async function measureSteady(
  shapeName: string,
  ready: readonly SystemProcess[],
  early: readonly SystemResult[],
  options: MeasureOptions,
  steady: SteadyOptions,
  notes: string[],
): Promise<SteadyMeasurement> {
  const systems: SystemProcess[] = [];
  for (const system of ready) {
    const earlyUs = early.find((r) => r.system === system.name)?.medianUs;
    if (earlyUs === undefined) continue;
    const estimateSeconds = (steady.afterSteps * earlyUs) / 1e6;
    if (estimateSeconds > steady.budgetSeconds) {
      notes.push(
        `${shapeName}: ${system.name} left out of the steady state: ${steady.afterSteps} untimed steps would take about ${Math.round(estimateSeconds)} s (budget ${steady.budgetSeconds} s, --steady-budget)`,
      );
      continue;
    }
    await system.snapshot(steady.afterSteps);
    systems.push(system);
  }
  const timers: Timer[] = systems.map((system) => ({ name: system.name, time: (steps) => system.time(steps, "snapshot") }));
  return { systems, measured: await measure(timers, options) };
}
