import { SingleBar } from "cli-progress";
import type { EpochRecord } from "../runtime/train.ts";
import type { Io } from "./io.ts";

/**
 * What a training run shows on stderr while it works, by Keras's `verbose` conventions: on a terminal a bar per
 * epoch (step, samples/s, ETA, running loss), cleared when the epoch ends so that stdout's `Epoch [n/N], Loss: …`
 * line stands alone; when stderr is not a terminal (a log file, CI), one line per epoch with the timing instead;
 * nothing with `--quiet`. Colour only on a terminal, and never with NO_COLOR set (no-color.org).
 */
export interface Progress {
  epochStart(epoch: number): void;
  step(step: number, steps: number, loss: number, samples: number): void;
  epochEnd(record: EpochRecord): void;
  /** Removes a bar left on screen (a run that stopped inside an epoch). */
  stop(): void;
}

/** Redraw at most this often: a seed-sized step takes ~0.1 ms, a redraw far longer. */
const redrawMs = 100;

export function createProgress(io: Io, epochs: number, quiet: boolean): Progress {
  if (quiet) return { epochStart() {}, step() {}, epochEnd() {}, stop() {} };
  const started = { at: 0, samples: 0, steps: 0, loss: 0 };
  const terminal = io.terminal;
  if (terminal === undefined) {
    return {
      epochStart() {
        Object.assign(started, { at: performance.now(), samples: 0, steps: 0, loss: 0 });
      },
      step(_step, _steps, loss, samples) {
        started.samples += samples;
        started.steps += 1;
        started.loss += loss;
      },
      epochEnd(record) {
        const seconds = (performance.now() - started.at) / 1000;
        io.stderr(`epoch ${record.epoch}/${epochs}: ${started.steps} step${started.steps === 1 ? "" : "s"}, ${started.samples} samples in ${seconds.toFixed(2)} s (${rate(started.samples, seconds)} samples/s)\n`);
      },
      stop() {},
    };
  }
  const color = terminal.color;
  const bar = new SingleBar({
    stream: terminal.stream,
    format: `Epoch {epoch}/${epochs} ${color ? "\u001b[36m{bar}\u001b[0m" : "{bar}"} {value}/{total} steps | {rate} samples/s | ETA {eta_formatted} | loss {loss}`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    fps: 1000 / redrawMs,
    synchronousUpdate: false,
  });
  let drawn = 0;
  let active = false;
  let current = 0;
  return {
    epochStart(epoch) {
      Object.assign(started, { at: performance.now(), samples: 0, steps: 0, loss: 0 });
      drawn = 0;
      current = epoch;
    },
    step(step, steps, loss, samples) {
      started.samples += samples;
      started.steps += 1;
      started.loss += loss;
      const now = performance.now();
      if (now - drawn < redrawMs && step < steps) return;
      drawn = now;
      const payload = { epoch: current, rate: rate(started.samples, (now - started.at) / 1000), loss: (started.loss / started.steps).toFixed(4) };
      if (!active) {
        bar.start(steps, step, payload);
        active = true;
      } else {
        bar.update(step, payload);
        bar.render(); // drawn on our schedule: the training loop never yields to the bar's timer
      }
    },
    epochEnd() {
      if (active) bar.stop();
      active = false;
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}

function rate(samples: number, seconds: number): string {
  return seconds > 0 ? Math.round(samples / seconds).toLocaleString("en-US") : "–";
}
