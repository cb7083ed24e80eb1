import { describe, expect, it } from "vitest";
import { restoreSnapshot, takeSnapshot } from "../bench/rnnc-snapshot.ts";
import { compileSpecFile, loadShape, specPathOf } from "../bench/shapes.ts";
import { findTorchPython, startSystem, type SystemName, type TorchLaunch } from "../bench/systems.ts";
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

/**
 * Every worker's `snapshot` through the protocol: a window from the snapshot after W steps is training's steps W+1,
 * W+2 from the initial state. The first loss depends only on the restored weights (bit for bit); the second also on
 * the restored optimizer state (TF.js rebuilds Adam's β-powers with pow rather than by repeated products, so
 * last-bit differences are allowed there).
 */
const found = findTorchPython();
if (!("python" in found)) console.log(`bench steady state: torch worker skipped (${found.missing})`);
const torch: TorchLaunch | undefined = "python" in found ? { python: found.python, environment: {} } : undefined;
const workers: SystemName[] = ["rnnc", "tfjs-wasm", ...(torch === undefined ? [] : (["torch"] as const))];

describe("bench steady state: every worker's snapshot", () => {
  it.each(workers)("%s: time(2, snapshot after 6 steps) continues training at steps 7 and 8", async (name) => {
    const system = startSystem(name, torch);
    try {
      await system.info();
      await system.setup(await loadShape("seed"));
      const seventh = (await system.time(7)).loss;
      const eighth = (await system.time(8)).loss;
      await system.snapshot(6);
      const fromSnapshot = [(await system.time(1, "snapshot")).loss, (await system.time(2, "snapshot")).loss];
      expect(fromSnapshot[0]).toBe(seventh);
      expect(fromSnapshot[1]).toBeCloseTo(eighth, 6);
      expect(eighth).not.toBe(seventh);
      // and the early window is still the early window
      expect((await system.time(7)).loss).toBe(seventh);
    } finally {
      system.close();
    }
  }, 120_000);
});
