import { closeSync, openSync, ftruncateSync, writeSync } from "node:fs";
import { freemem } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, temporaryDirectory } from "../helpers/cli.ts";

/**
 * Files past 2 GiB (sparse, so they cost no disk): one readSync call refuses a length of 2 GiB or more, and a 2.1 GB
 * --data file used to fail with "the system reports ERR_OUT_OF_RANGE". It must be read (in chunks) and judged on
 * its content like any other file: here a valid empty header followed by 2.1 GB of zeros holds no tensor `x`.
 */
const seedSpec = resolve("test/fixtures/seed/model.yaml");

describe("a --data file of 2.1 GB", () => {
  it("is read in chunks and reported for what it holds, not with a raw error code", async (context) => {
    if (freemem() < 6 * 1024 ** 3) context.skip(); // the reader holds the whole file in memory
    const dir = temporaryDirectory();
    const path = join(dir, "big.safetensors");
    const fd = openSync(path, "w");
    writeSync(fd, Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from("{}")]));
    ftruncateSync(fd, 2100 * 1024 * 1024);
    closeSync(fd);
    const result = await runCli(["train", seedSpec, "--data", path]);
    expect(result.stderr).not.toMatch(/ERR_|system reports/);
    expect(result.stderr).toMatch(/big\.safetensors:1:1: error RNNC0041: the data has no tensor `x`/);
    expect(result.code).toBe(2);
  }, 60_000);
});
