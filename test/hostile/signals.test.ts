import { spawn } from "node:child_process";
import { readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { temporaryDirectory } from "../helpers/cli.ts";

/**
 * SIGINT and SIGTERM against the real CLI (`node bin/rnnc.js`, a child process): while `--save` writes, the
 * temporary file is removed, the old checkpoint is left as it was, and the process dies of the signal, so a shell
 * sees 130 or 143. To land the signal inside the write every time, the test watches the folder for the temporary
 * file, freezes the child with SIGSTOP the moment it appears, checks it is still there, sends the signal, then SIGCONT.
 */

const bin = resolve("bin/rnnc.js");

/** A spec whose checkpoint is 17 MB (an RNN of 2048 units) but whose one epoch is a single step of one sample. */
const bigSpec = `version: 1
name: big
input:
  x: { shape: [batch, 1, 10], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
  - id: rnn
    op: rnn
    hidden_size: 2048
  - id: last
    op: last_step
  - id: fc
    op: linear
    out_features: 5
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: adam, lr: 0.001 }
train: { epochs: 1, batch_size: 1, seed: 0 }
`;

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** The temporary files present while the child was frozen, just before the signal. */
  readonly frozenWith: readonly string[];
}

const temporaries = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith(".rnnc-tmp-"));

function interruptSave(dir: string, signal: "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT"): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn("node", [bin, "train", "big.yaml", "--save", "w.safetensors"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let frozenWith: string[] = [];
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let acted = false;
    const watcher = watch(dir, (_event, name) => {
      if (acted || !String(name).startsWith(".rnnc-tmp-")) return;
      acted = true;
      child.kill("SIGSTOP");
      frozenWith = temporaries(dir);
      // Too late (the write already finished): let this run complete; the caller tries again.
      if (frozenWith.length > 0) child.kill(signal);
      child.kill("SIGCONT");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.on("error", fail);
    child.on("exit", (code, received) => {
      clearTimeout(timer);
      watcher.close();
      done({ code, signal: received, stderr, frozenWith });
    });
  });
}

describe.each(["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const)("%s during train --save", (signal) => {
  it("removes the temporary file, keeps the old checkpoint, and dies of the signal", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "big.yaml"), bigSpec);
    let outcome: Outcome | undefined;
    for (let attempt = 0; attempt < 3 && (outcome?.frozenWith.length ?? 0) === 0; attempt++) {
      writeFileSync(join(dir, "w.safetensors"), "the previous checkpoint");
      outcome = await interruptSave(dir, signal);
    }
    if (outcome === undefined) throw new Error("no attempt ran");

    expect(outcome.frozenWith).toHaveLength(1); // the signal landed while the file was being written
    expect(outcome.signal).toBe(signal);
    expect(outcome.stderr).toContain(`rnnc: interrupted by ${signal}; unfinished files were removed, nothing was changed`);
    expect(outcome.stderr).not.toMatch(/^ {4}at /m);
    expect(temporaries(dir)).toEqual([]);
    expect(readFileSync(join(dir, "w.safetensors"), "utf8")).toBe("the previous checkpoint");
  });
});

describe("SIGINT during training", () => {
  it("stops at once (no handler is installed then) and leaves the old checkpoint and no temporary file", async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "w.safetensors"), "the previous checkpoint");
    const outcome = await new Promise<{ signal: NodeJS.Signals | null; epochs: number }>((done, fail) => {
      const child = spawn("node", [bin, "train", resolve("models/simple-rnn.yaml"), "--epochs", "1000000", "--save", "w.safetensors"], { cwd: dir, stdio: ["ignore", "pipe", "ignore"] });
      let epochs = 0;
      child.stdout.on("data", (chunk: Buffer) => {
        if (epochs === 0) child.kill("SIGINT");
        epochs += chunk.toString().split("\n").filter((line) => line.startsWith("Epoch")).length;
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
      child.on("error", fail);
      child.on("exit", (_code, signal) => {
        clearTimeout(timer);
        done({ signal, epochs });
      });
    });
    expect(outcome.signal).toBe("SIGINT");
    expect(outcome.epochs).toBeLessThan(1_000_000);
    expect(temporaries(dir)).toEqual([]);
    expect(readFileSync(join(dir, "w.safetensors"), "utf8")).toBe("the previous checkpoint");
  });
});
