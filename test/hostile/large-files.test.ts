import { closeSync, ftruncateSync, openSync, writeFileSync, writeSync } from "node:fs";
import { freemem } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "../helpers/cli.ts";

/**
 * Large files (sparse, so they cost no disk). A 2.1 GB --data file failed with "the system reports ERR_OUT_OF_RANGE"
 * (one readSync call refuses 2 GiB or more), and a 3 GB one was read whole before being refused: tensor files past
 * 2 GiB are refused from their size alone. A CSV allowed by --max-data-bytes but longer than a JavaScript string was
 * called "not UTF-8" at its first byte.
 */
const seedSpec = resolve("test/fixtures/seed/model.yaml");

describe("a --data file of 2.1 GB", () => {
  it("is refused from its size (RNNC0122) without being read, not with a raw error code", async () => {
    const dir = temporaryDirectory();
    const path = join(dir, "big.safetensors");
    sparse(path, [2, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from("{}")], 2100 * 1024 * 1024);
    const started = Date.now();
    const result = await runCli(["train", seedSpec, "--data", path]);
    expect(result.stderr).not.toMatch(/ERR_|system reports/);
    expect(result.stderr).toMatch(/big\.safetensors:1:1: error RNNC0122: .* bytes, more than the limit of 2,147,483,648/);
    expect(result.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("a CSV longer than a JavaScript string, allowed by --max-data-bytes", () => {
  it("is called too large (RNNC0122 at data.csv), not 'not UTF-8' at its first byte", async (context) => {
    if (freemem() < 4 * 1024 ** 3) context.skip(); // the reader holds the file in memory
    const dir = temporaryDirectory();
    writeFileSync(join(dir, "package.json"), "{}");
    writeFileSync(join(dir, "spec.yaml"), csvSpec);
    sparse(join(dir, "big.csv"), [...Buffer.from("date,a,b,label\n")], 540_000_000); // NUL bytes are valid UTF-8
    const result = await runCli(["train", "spec.yaml", "--max-data-bytes", "600000000"], dir);
    expect(result.stderr).not.toMatch(/not UTF-8/);
    expect(result.stderr).toMatch(/^spec\.yaml:\d+:\d+: error RNNC0122: big\.csv is 540,000,000 bytes/m);
    expect(result.code).toBe(2);
  }, 60_000);
});

/** A file of `size` bytes that starts with `head` and is a hole after it. */
function sparse(path: string, head: readonly number[], size: number): void {
  const fd = openSync(path, "w");
  writeSync(fd, Buffer.from(head));
  ftruncateSync(fd, size);
  closeSync(fd);
}

const csvSpec = `version: 1
name: big
input:
  x: { shape: [batch, 3, 2], dtype: float32 }
  y: { shape: [batch], dtype: int32 }
graph:
  - { id: rnn, op: rnn, hidden_size: 4 }
  - { id: last, op: last_step }
  - { id: fc, op: linear, out_features: 3 }
loss: { op: cross_entropy, input: fc, target: y }
optimizer: { op: adam }
data:
  csv: big.csv
  time: date
  features: [a, b]
  target: label
  window: 3
`;
