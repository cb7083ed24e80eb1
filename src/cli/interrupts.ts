import { rmSync } from "node:fs";

/** The signals that ask a command to stop, and the exit code a shell shows for each (128 + the signal's number). */
export const signalExitCodes = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof signalExitCodes;
const stopSignals = Object.keys(signalExitCodes) as StopSignal[];

/** Thrown out of a write that a signal interrupted, after its temporary files are removed. */
export class Interrupted extends Error {
  /** `completed`: the signal came during the final renames, so every file was written in full. */
  constructor(
    readonly signal: StopSignal,
    readonly completed = false,
  ) {
    super(completed ? `interrupted by ${signal} after every file was written` : `interrupted by ${signal}; unfinished files were removed, nothing was changed`);
  }
}

/**
 * Watches for SIGINT, SIGTERM, SIGHUP and SIGQUIT (Ctrl-\) while files are being written. Outside such a window rnnc installs no
 * handler, so Ctrl-C stops training at once, as it always did (there is nothing to clean up then).
 *
 * The first signal is recorded, and the write stops at its next `check()` (between chunks), removes its temporaries
 * and throws `Interrupted`; the CLI then dies of the same signal, so a shell sees 130 or 143. A second signal (a write
 * that is stuck) removes the temporaries at once and dies without waiting.
 */
export class InterruptGuard {
  /** Temporary files that exist only while the write is in progress. */
  readonly pending = new Set<string>();
  private received: StopSignal | undefined;
  private readonly listener = (signal: NodeJS.Signals): void => {
    if (this.received === undefined && isStopSignal(signal)) {
      this.received = signal;
      return;
    }
    this.removePending();
    this.stopListening();
    process.kill(process.pid, signal);
  };

  constructor() {
    for (const signal of stopSignals) process.on(signal, this.listener);
  }

  /** Throws `Interrupted` if a signal has arrived. */
  check(): void {
    if (this.received !== undefined) throw new Interrupted(this.received);
  }

  removePending(): void {
    for (const path of this.pending) {
      try {
        rmSync(path, { force: true });
      } catch {
        // its folder is gone too: nothing is left behind
      }
    }
    this.pending.clear();
  }

  /**
   * Stops watching and says which signal came, if any. A signal that arrived during the last synchronous step (the
   * renames) is delivered only on the next turn of the event loop, so wait one turn for it first: it is then
   * reported, not lost.
   */
  async release(): Promise<StopSignal | undefined> {
    await new Promise((resolve) => setImmediate(resolve));
    this.stopListening();
    return this.received;
  }

  private stopListening(): void {
    for (const signal of stopSignals) process.removeListener(signal, this.listener);
  }
}

function isStopSignal(signal: string): signal is StopSignal {
  return signal in signalExitCodes;
}

/** The signal a command's exit code stands for, so that the bin can die of it rather than merely exit with 128 + n. */
export function signalForExitCode(code: number): StopSignal | undefined {
  return stopSignals.find((signal) => signalExitCodes[signal] === code);
}
