import { describe, expect, it } from "vitest";
import { restoreSnapshot, takeSnapshot } from "../bench/rnnc-snapshot.ts";
import { compileSpecFile, specPathOf } from "../bench/shapes.ts";
import { prepareBenchmark } from "../src/runtime/benchmark.ts";

/**
 * The steady-state measurement times windows that each start from a snapshot of training after W steps
 * (bench/steady.ts). For rnnc the snapshot must replay training exactly: a window from the snapshot computes the
 * very losses that uninterrupted training computes at those steps, however often it is restored.
 */
describe("bench steady state: rnnc's training snapshot", () => {
  it.each(["seed", "lstm-seed", "gru-seed"])("%s: restoring the state after 20 steps replays steps 21–25 bit for bit", async (shape) => {
    const prepared = prepareBenchmark(await compileSpecFile(specPathOf(shape)));
    prepared.reset();
    const uninterrupted: number[] = [];
    for (let step = 0; step < 25; step++) uninterrupted.push(prepared.run(1).lastLoss);

    prepared.reset();
    prepared.run(20);
    const snapshot = takeSnapshot(prepared.model);
    for (let replay = 0; replay < 2; replay++) {
      prepared.run(7); // move on past the snapshot, then come back to it
      restoreSnapshot(prepared.model, snapshot);
      const replayed = Array.from({ length: 5 }, () => prepared.run(1).lastLoss);
      expect(replayed).toEqual(uninterrupted.slice(20));
    }
    // and the replayed window is not the early-training one
    expect(uninterrupted[20]).not.toEqual(uninterrupted[0]);
  });
});
