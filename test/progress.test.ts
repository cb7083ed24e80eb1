import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { run } from "../src/cli/main.ts";
import type { Io } from "../src/cli/io.ts";
import { writeSafetensors } from "../src/runtime/safetensors.ts";
import { temporaryDirectory } from "./helpers/cli.ts";

/** The progress display: a bar on a terminal, a line per epoch elsewhere, nothing with --quiet; stdout never changes. */

class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** 40 samples of the seed model's shape: mini-batches of 16, 16 and 8. */
function seedData(dir: string): string {
  const path = join(dir, "data.safetensors");
  const x = Float32Array.from({ length: 40 * 7 * 10 }, (_, i) => Math.cos(i * 0.11));
  const y = Int32Array.from({ length: 40 }, (_, i) => i % 5);
  writeFileSync(path, writeSafetensors([{ name: "x", tensor: { dtype: "F32", shape: [40, 7, 10], data: x } }, { name: "y", tensor: { dtype: "I32", shape: [40], data: y } }]));
  return path;
}

async function train(extra: string[], terminal?: { stream: FakeTerminal; color: boolean }) {
  const dir = temporaryDirectory();
  let stdout = "";
  let stderr = "";
  const io: Io = { cwd: process.cwd(), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...(terminal === undefined ? {} : { terminal }) };
  const code = await run(["train", "models/simple-rnn.yaml", "--epochs", "2", "--data", seedData(dir), ...extra], io);
  return { code, stdout, stderr, bar: terminal?.stream.text ?? "" };
}

const ansi = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g;

describe("progress display", () => {
  it("on a terminal: a bar per epoch with steps, samples/s, ETA and the running loss, cleared before stdout's line", async () => {
    const plain = await train(["--quiet"]);
    const shown = await train([], { stream: new FakeTerminal(), color: true });
    expect(shown.code).toBe(0);
    // the seed's lines are exactly what a quiet run prints
    expect(shown.stdout).toBe(plain.stdout);
    expect(shown.stdout).toMatch(/^Epoch \[1\/2\], Loss: \d\.\d{4}, Acc: \d\.\d{4}\nEpoch \[2\/2\], Loss: \d\.\d{4}, Acc: \d\.\d{4}\n$/);
    const text = shown.bar.replace(ansi, "");
    expect(text).toMatch(/Epoch 1\/2 [█░]{24} 3\/3 steps \| [\d,]+ samples\/s \| ETA \S+ \| loss \d\.\d{4}/);
    expect(text).toMatch(/Epoch 2\/2 [█░]{24} \d\/3 steps/);
    // the running loss shown at the last step is the epoch's loss
    const lossShown = [...text.matchAll(/Epoch 1\/2 \S+ 3\/3 steps \|[^|]*\|[^|]*\| loss (\d\.\d{4})/g)].at(-1)?.[1];
    expect(lossShown).toBe(/Epoch \[1\/2\], Loss: (\d\.\d{4})/.exec(shown.stdout)?.[1]);
    expect(shown.bar).toContain("\u001b[36m"); // coloured
    expect(shown.stderr).toBe(""); // the bar went to the terminal, nothing else to stderr
  });

  it("NO_COLOR: the same bar without colour", async () => {
    const shown = await train([], { stream: new FakeTerminal(), color: false });
    expect(shown.bar.replace(ansi, "")).toMatch(/Epoch 1\/2 [█░]{24}/);
    expect(shown.bar).not.toMatch(/\u001b\[\d+(;\d+)*m/);
  });

  it("stderr not a terminal: one line per epoch with the timing; --quiet: nothing", async () => {
    const logged = await train([]);
    expect(logged.stderr).toMatch(/^epoch 1\/2: 3 steps, 40 samples in \d+\.\d\d s \([\d,–]+ samples\/s\)\nepoch 2\/2: 3 steps, 40 samples in .*\n$/);
    const quiet = await train(["--quiet"], { stream: new FakeTerminal(), color: true });
    expect(quiet.stderr).toBe("");
    expect(quiet.bar).toBe("");
    expect(quiet.stdout).toBe(logged.stdout);
  });
});
