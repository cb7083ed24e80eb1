import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readSafetensors, writeSafetensors, type NamedTensor } from "../src/runtime/safetensors.ts";

describe("safetensors", () => {
  it("reads the files PyTorch's fixture script wrote (F32 weights, I64 labels)", () => {
    const data = readSafetensors(new Uint8Array(readFileSync("test/fixtures/seed/data.safetensors")), "data").file;
    expect(data?.tensors.get("x")).toMatchObject({ dtype: "F32", shape: [16, 7, 10] });
    expect(data?.tensors.get("y")).toMatchObject({ dtype: "I64", shape: [16] });
    const labels = [...((data?.tensors.get("y")?.data ?? []) as BigInt64Array)].map(Number);
    expect(labels.every((label) => label >= 0 && label < 5)).toBe(true);
  });

  it("round-trips every dtype, with the data 8-byte aligned", () => {
    const tensors: NamedTensor[] = [
      { name: "a", tensor: { dtype: "F32", shape: [2, 3], data: Float32Array.from([1, -2.5, 3, 4, 5, 6]) } },
      { name: "b", tensor: { dtype: "F64", shape: [1], data: Float64Array.from([Math.PI]) } },
      { name: "c", tensor: { dtype: "I32", shape: [2], data: Int32Array.from([-7, 9]) } },
      { name: "d", tensor: { dtype: "I64", shape: [0], data: new BigInt64Array(0) } },
    ];
    const bytes = writeSafetensors(tensors, { note: "x" });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const file = readSafetensors(bytes, "t").file;
    expect(file?.metadata).toEqual({ note: "x" });
    for (const { name, tensor } of tensors) expect(file?.tensors.get(name)).toMatchObject(tensor);
  });

  it("reads a file wherever its bytes sit in their buffer (a pooled Node Buffer, a subarray at an odd offset)", () => {
    const tensors: NamedTensor[] = [
      { name: "w", tensor: { dtype: "F32", shape: [3], data: Float32Array.from([0.5, -1, 7]) } },
      { name: "n", tensor: { dtype: "I64", shape: [2], data: BigInt64Array.from([3n, -4n]) } },
    ];
    const bytes = writeSafetensors(tensors);
    const padded = new Uint8Array(bytes.length + 13);
    padded.fill(0xff);
    padded.set(bytes, 13);
    const pooled = Buffer.from(bytes); // small Buffers share one pool, at an offset other than 0
    for (const at of [padded.subarray(13), pooled]) {
      const file = readSafetensors(at, "t").file;
      for (const { name, tensor } of tensors) expect(file?.tensors.get(name)).toMatchObject(tensor);
    }
  });

  it("never throws on arbitrary bytes: it returns a tensor file or a diagnostic", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        const result = readSafetensors(bytes, "random");
        expect(result.file !== undefined || result.diagnostics[0]?.code === "RNNC0040").toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on a valid file with corrupted bytes", () => {
    const valid = writeSafetensors([{ name: "x", tensor: { dtype: "F32", shape: [4], data: Float32Array.from([1, 2, 3, 4]) } }]);
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: valid.length }), (position, value, cut) => {
        const bytes = valid.slice(0, cut);
        if (position < bytes.length) bytes[position] = value;
        const result = readSafetensors(bytes, "corrupt");
        expect(result.file !== undefined || result.diagnostics.length === 1).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
