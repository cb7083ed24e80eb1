/**
 * The second pass over bad data and weight files (issue 13): values that are finite in the file but not in the
 * model's float32, headers built to cost time and memory, and paths that are not regular files. Same shape as
 * `badFileCases` in cases.ts; `goodFileCases` are odd files that must train.
 */
import { readSafetensors, writeSafetensors, type NamedTensor } from "../../src/runtime/safetensors.ts";
import { withHeaderText, type BadFileCase } from "./cases.ts";

const corrupt = "RNNC0040";
const nonFinite = "RNNC0043";
const unreadable = "RNNC0001";
const nonFiniteWeights = "RNNC0101";
const tooLarge = "RNNC0103";

/** The fixture with one tensor stored as F64, its values passed through `edit` first. */
function asF64(name: string, edit: (values: Float64Array) => void = () => {}): (good: Uint8Array) => Uint8Array {
  return (good) => {
    const file = readSafetensors(good, "fixture").file;
    if (file === undefined) throw new Error("fixture does not parse");
    const tensors: NamedTensor[] = [...file.tensors].map(([tensorName, tensor]) => {
      if (tensorName !== name) return { name: tensorName, tensor };
      const values = Float64Array.from(tensor.data as Float32Array);
      edit(values);
      return { name: tensorName, tensor: { dtype: "F64", shape: tensor.shape, data: values } };
    });
    return writeSafetensors(tensors, file.metadata);
  };
}

/** The fixture with y's class indices (I64) replaced, one by one. */
function withTarget(value: (index: number, old: bigint) => bigint): (good: Uint8Array) => Uint8Array {
  return (good) => {
    const file = readSafetensors(good, "fixture").file;
    if (file === undefined) throw new Error("fixture does not parse");
    const tensors: NamedTensor[] = [...file.tensors].map(([name, tensor]) =>
      name !== "y" ? { name, tensor } : { name, tensor: { dtype: "I64", shape: tensor.shape, data: BigInt64Array.from(tensor.data as BigInt64Array, (old, i) => value(i, old)) } },
    );
    return writeSafetensors(tensors, file.metadata);
  };
}

/** Every weight as F64, multiplied by `factor`: the checkpoint, finite in the file, infinite as float32. */
function allScaled(factor: number): (good: Uint8Array) => Uint8Array {
  return (good) => {
    const file = readSafetensors(good, "fixture").file;
    if (file === undefined) throw new Error("fixture does not parse");
    const tensors: NamedTensor[] = [...file.tensors].map(([name, tensor]) => ({
      name,
      tensor: { dtype: "F64", shape: tensor.shape, data: Float64Array.from(tensor.data as Float32Array, (v) => v * factor) },
    }));
    return writeSafetensors(tensors);
  };
}

/** The fixture with extra tensor entries added to its header (the data is unchanged). */
function withEntries(entries: Record<string, unknown>): (good: Uint8Array) => Uint8Array {
  return (good) => {
    const length = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + length))) as Record<string, unknown>;
    return withHeaderText(JSON.stringify({ ...entries, ...header }), good.slice(8 + length));
  };
}

/** A header of `bytes` bytes whose length field is honest; its content does not matter, the length is refused first. */
const headerOf = (bytes: number) => (): Uint8Array => {
  const out = new Uint8Array(8 + bytes).fill(0x20);
  new DataView(out.buffer).setBigUint64(0, BigInt(bytes), true);
  return out;
};

const millionMetadataKeys = (): Uint8Array => {
  const keys = Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":"v"`).join(",");
  return withHeaderText(`{"__metadata__":{${keys}}}`);
};

const emptyTensors = (count: number) => (): Uint8Array =>
  withHeaderText(JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, { dtype: "F32", shape: [0], data_offsets: [0, 0] }]))));

export const moreBadFileCases: readonly BadFileCase[] = [
  // ---- finite in the file, not as float32 (checked after conversion) ----
  { name: "x as F64 holding -1e300 (−Infinity as float32)", file: "data", make: asF64("x", (v) => (v[77] = -1e300)), code: nonFinite },
  { name: "x as F64 holding 3.5e38, just past float32's largest", file: "data", make: asF64("x", (v) => (v[0] = 3.5e38)), code: nonFinite },
  { name: "x as F64 holding 1e300 in its last element", file: "data", make: asF64("x", (v) => (v[1119] = 1e300)), code: nonFinite },
  { name: "x as F64 holding NaN", file: "data", make: asF64("x", (v) => (v[5] = Number.NaN)), code: nonFinite },
  { name: "every weight as F64 times 1e300 (the issue's checkpoint)", file: "init", make: allScaled(1e300), code: nonFiniteWeights },
  { name: "fc.bias as F64 holding -1e39", file: "init", make: asF64("fc.bias", (v) => (v[4] = -1e39)), code: nonFiniteWeights },
  { name: "fc.weight as F64 holding +Infinity", file: "init", make: asF64("fc.weight", (v) => (v[3] = Number.POSITIVE_INFINITY)), code: nonFiniteWeights },
  { name: "rnn.bias_hh_l0 as F64 holding NaN", file: "init", make: asF64("rnn.bias_hh_l0", (v) => (v[0] = Number.NaN)), code: nonFiniteWeights },

  // ---- headers that cost time and memory (an 80 MB header once took 1.4 GB) ----
  { name: "an 80 MB header", file: "data", make: headerOf(80_000_000), code: tooLarge },
  { name: "a header one byte over 16 MiB", file: "init", make: headerOf(16 * 1024 * 1024 + 1), code: tooLarge },
  { name: "a million metadata keys in 15 MB", file: "init", make: millionMetadataKeys, code: tooLarge },
  { name: "16,385 empty tensors", file: "data", make: emptyTensors(16_385), code: tooLarge },
  { name: "a shape with 300,000 dimensions", file: "data", make: withEntries({ wide: { dtype: "F32", shape: Array<number>(300_000).fill(1), data_offsets: [0, 4] } }), code: tooLarge },
  { name: "16,000 empty tensors and no x or y (the hint names ten)", file: "data", make: emptyTensors(16_000), code: "RNNC0041" },
  { name: "brackets nested 100,000 deep", file: "data", make: () => withHeaderText(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), code: corrupt },
  { name: "a shape nested one level too deep", file: "init", make: withEntries({ odd: { dtype: "F32", shape: [[1]], data_offsets: [0, 4] } }), code: corrupt },

  // ---- targets that leave nothing to learn ----
  { name: "every y is -100, the ignore_index (the loss would be 0 forever)", file: "data", make: withTarget(() => -100n), code: "RNNC0041" },

  // ---- paths that are not regular files (read forever, or block) ----
  { name: "data path is a link to /dev/zero", file: "data", make: "dev-zero", code: unreadable },
  { name: "weights path is a named pipe", file: "init", make: "fifo", code: unreadable },
  { name: "data path is a loop of symbolic links", file: "data", make: "link-loop", code: unreadable },
  { name: "weights path is a directory", file: "init", make: "directory", code: unreadable },
];

export interface GoodFileCase {
  readonly name: string;
  readonly file: "data" | "init";
  readonly make: (good: Uint8Array) => Uint8Array;
}

/** Odd but valid: these must train (exit 0, nothing on stderr). */
export const goodFileCases: readonly GoodFileCase[] = [
  // A zero-length tensor occupies no bytes, so it overlaps nothing (it was once reported as an overlap).
  { name: "an extra empty tensor at y's offset", file: "data", make: withEntries({ empty: { dtype: "F32", shape: [0], data_offsets: [4480, 4480] } }) },
  { name: "an extra empty tensor inside x's bytes", file: "data", make: withEntries({ empty: { dtype: "I64", shape: [3, 0], data_offsets: [100, 100] } }) },
  { name: "an extra empty tensor at the end of the data", file: "data", make: withEntries({ empty: { dtype: "F64", shape: [0, 7], data_offsets: [4608, 4608] } }) },
  { name: "every other y is -100, the ignore_index", file: "data", make: withTarget((i, value) => (i % 2 === 0 ? -100n : value)) },
  { name: "x as F64", file: "data", make: asF64("x") },
  { name: "x as F64 with a subnormal 1e-320 (0 as float32)", file: "data", make: asF64("x", (v) => (v[3] = 1e-320)) },
  { name: "every weight as F64", file: "init", make: allScaled(1) },
];
