/**
 * Bad data and weight files for `rnnc train <seed spec> --data … --init …`, each made by a small byte-level edit
 * of the seed fixtures (test/fixtures/seed/{data,init}.safetensors), so that no binary is committed.
 * test/bad-data.test.ts writes each one to a temporary directory and runs the CLI on it.
 *
 * The seed fixtures, for reference:
 *   data.safetensors  x: F32 [16, 7, 10] at data bytes [0, 4480), y: I64 [16] at [4480, 4608)
 *   init.safetensors  rnn.weight_ih_l0 F32 [20, 10], rnn.weight_hh_l0 [20, 20], rnn.bias_ih_l0 [20],
 *                     rnn.bias_hh_l0 [20], fc.weight [5, 20], fc.bias [5]
 */

/** A safetensors file taken apart: the JSON header and the data section. */
export interface Parts {
  header: Record<string, TensorEntry | Record<string, string>>;
  data: Uint8Array;
}

export interface TensorEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function split(bytes: Uint8Array): Parts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Parts["header"];
  return { header, data: bytes.slice(8 + length) };
}

/** The header as given (no padding, no checks), its true length, then the data. */
export function assemble(parts: Parts): Uint8Array {
  return withHeaderText(JSON.stringify(parts.header), parts.data);
}

export function withHeaderText(text: string, data: Uint8Array = new Uint8Array()): Uint8Array {
  const header = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

function edit(bytes: Uint8Array, change: (parts: Parts) => void): Uint8Array {
  const parts = split(bytes);
  change(parts);
  return assemble(parts);
}

const entry = (parts: Parts, name: string): TensorEntry => {
  const found = parts.header[name] as TensorEntry | undefined;
  if (found === undefined) throw new Error(`fixture has no tensor ${name}`);
  return found;
};

function setHeaderLength(bytes: Uint8Array, length: bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(0, length, true);
  return out;
}

function setByte(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const out = bytes.slice();
  out[offset] = value;
  return out;
}

function setF32(parts: Parts, name: string, index: number, value: number): void {
  const begin = entry(parts, name).data_offsets[0];
  new DataView(parts.data.buffer, parts.data.byteOffset).setFloat32(begin + 4 * index, value, true);
}

function setI64(parts: Parts, name: string, index: number, value: bigint): void {
  const begin = entry(parts, name).data_offsets[0];
  new DataView(parts.data.buffer, parts.data.byteOffset).setBigInt64(begin + 8 * index, value, true);
}

export interface BadFileCase {
  readonly name: string;
  /** Which file is bad; the other is the good seed fixture. */
  readonly file: "data" | "init";
  /**
   * From the good fixture's bytes to the bad file's bytes; or what to put at the path instead of a file: "directory",
   * "missing" (nothing), "fifo" (a named pipe), "dev-zero" (a symbolic link to /dev/zero), "link-loop" (a link to itself).
   */
  readonly make: ((good: Uint8Array) => Uint8Array) | "directory" | "missing" | "fifo" | "dev-zero" | "link-loop";
  readonly code: string;
}

const corrupt = "RNNC0040";
const mismatch = "RNNC0041";
const label = "RNNC0042";
const nonFinite = "RNNC0043";
const checkpoint = "RNNC0044";
const unreadable = "RNNC0001";

export const badFileCases: readonly BadFileCase[] = [
  // ---- the container ----
  { name: "empty file", file: "data", make: () => new Uint8Array(), code: corrupt },
  { name: "truncated to 5 bytes", file: "data", make: (good) => good.slice(0, 5), code: corrupt },
  { name: "only the 8-byte header length", file: "data", make: (good) => good.slice(0, 8), code: corrupt },
  { name: "header length past the end of the file", file: "data", make: (good) => setHeaderLength(good, 1_000_000n), code: corrupt },
  { name: "header length 2^64 - 1", file: "data", make: (good) => setHeaderLength(good, 2n ** 64n - 1n), code: corrupt },
  { name: "file cut inside the header", file: "data", make: (good) => good.slice(0, 100), code: corrupt },
  { name: "header is not JSON", file: "data", make: (good) => setByte(good, 8, "x".charCodeAt(0)), code: corrupt },
  { name: "header is not UTF-8", file: "data", make: (good) => setByte(good, 12, 0xff), code: corrupt },
  { name: "header is a JSON array", file: "data", make: (good) => withHeaderText("[]", split(good).data), code: corrupt },
  { name: "data section cut short (y past the end)", file: "data", make: (good) => good.slice(0, good.length - 100), code: corrupt },
  { name: "data_offsets past the end", file: "data", make: (good) => edit(good, (p) => (entry(p, "y").data_offsets = [4480, 4608 + 8])), code: corrupt },
  { name: "data_offsets reversed", file: "data", make: (good) => edit(good, (p) => (entry(p, "y").data_offsets = [4608, 4480])), code: corrupt },
  { name: "overlapping tensors", file: "data", make: (good) => edit(good, (p) => (entry(p, "y").data_offsets = [4352, 4480])), code: corrupt },
  { name: "shape and byte span disagree", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").data_offsets = [0, 4476])), code: corrupt },
  { name: "negative dimension", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").shape = [16, 7, -10])), code: corrupt },
  { name: "astronomical shape", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").shape = [2 ** 31, 2 ** 31, 2 ** 31])), code: corrupt },
  { name: "__metadata__ with a non-string value", file: "data", make: (good) => edit(good, (p) => (p.header["__metadata__"] = { epochs: 3 } as unknown as Record<string, string>)), code: corrupt },

  // ---- tensors that do not fit the spec ----
  { name: "x stored as F16 (a dtype rnnc does not read)", file: "data", make: (good) => edit(good, (p) => {
    entry(p, "x").dtype = "F16";
    entry(p, "x").data_offsets = [0, 2240];
    entry(p, "y").data_offsets = [2240, 2368];
    p.data = new Uint8Array([...p.data.subarray(0, 2240), ...p.data.subarray(4480, 4608)]);
  }), code: mismatch },
  { name: "x stored as I32", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").dtype = "I32")), code: mismatch },
  { name: "y stored as F64", file: "data", make: (good) => edit(good, (p) => (entry(p, "y").dtype = "F64")), code: mismatch },
  { name: "x with seq and features swapped", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").shape = [16, 10, 7])), code: mismatch },
  { name: "x flattened to [16, 70]", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").shape = [16, 70])), code: mismatch },
  { name: "x flattened to rank 1", file: "data", make: (good) => edit(good, (p) => (entry(p, "x").shape = [1120])), code: mismatch },
  { name: "y as a column [16, 1]", file: "data", make: (good) => edit(good, (p) => (entry(p, "y").shape = [16, 1])), code: mismatch },
  { name: "y with fewer samples than x", file: "data", make: (good) => edit(good, (p) => {
    entry(p, "y").shape = [8];
    entry(p, "y").data_offsets = [4480, 4544];
  }), code: mismatch },
  { name: "no samples", file: "data", make: (good) => edit(good, (p) => {
    entry(p, "x").shape = [0, 7, 10];
    entry(p, "x").data_offsets = [0, 0];
    entry(p, "y").shape = [0];
    entry(p, "y").data_offsets = [0, 0];
    p.data = new Uint8Array();
  }), code: mismatch },
  { name: "missing x", file: "data", make: (good) => edit(good, (p) => delete p.header["x"]), code: mismatch },
  { name: "missing y", file: "data", make: (good) => edit(good, (p) => delete p.header["y"]), code: mismatch },

  // ---- values ----
  { name: "label 5 with 5 classes", file: "data", make: (good) => edit(good, (p) => setI64(p, "y", 3, 5n)), code: label },
  { name: "label -1", file: "data", make: (good) => edit(good, (p) => setI64(p, "y", 0, -1n)), code: label },
  { name: "label 2^40 (wraps to 0 as int32)", file: "data", make: (good) => edit(good, (p) => setI64(p, "y", 15, 2n ** 40n)), code: label },
  { name: "NaN in x", file: "data", make: (good) => edit(good, (p) => setF32(p, "x", 100, Number.NaN)), code: nonFinite },
  { name: "+Infinity in x", file: "data", make: (good) => edit(good, (p) => setF32(p, "x", 0, Number.POSITIVE_INFINITY)), code: nonFinite },
  { name: "-Infinity in x", file: "data", make: (good) => edit(good, (p) => setF32(p, "x", 1119, Number.NEGATIVE_INFINITY)), code: nonFinite },

  // ---- the path ----
  { name: "data file does not exist", file: "data", make: "missing", code: unreadable },
  { name: "data path is a directory", file: "data", make: "directory", code: unreadable },

  // ---- weights ----
  { name: "weights truncated to 7 bytes", file: "init", make: (good) => good.slice(0, 7), code: corrupt },
  { name: "weights header length past the end", file: "init", make: (good) => setHeaderLength(good, BigInt(good.length)), code: corrupt },
  { name: "weights without fc.bias", file: "init", make: (good) => edit(good, (p) => delete p.header["fc.bias"]), code: checkpoint },
  { name: "weights with an extra tensor", file: "init", make: withExtraTensor, code: checkpoint },
  { name: "fc.weight transposed [20, 5]", file: "init", make: (good) => edit(good, (p) => (entry(p, "fc.weight").shape = [20, 5])), code: checkpoint },
  { name: "rnn.bias_ih_l0 as [10, 2]", file: "init", make: (good) => edit(good, (p) => (entry(p, "rnn.bias_ih_l0").shape = [10, 2])), code: checkpoint },
  { name: "fc.bias stored as I32", file: "init", make: (good) => edit(good, (p) => (entry(p, "fc.bias").dtype = "I32")), code: checkpoint },
  { name: "NaN in rnn.weight_hh_l0", file: "init", make: (good) => edit(good, (p) => setF32(p, "rnn.weight_hh_l0", 7, Number.NaN)), code: "RNNC0101" },
  { name: "weights file does not exist", file: "init", make: "missing", code: unreadable },
];

/** The seed weights plus `fc2.bias` F32 [5], appended after the last tensor. */
function withExtraTensor(good: Uint8Array): Uint8Array {
  const parts = split(good);
  const end = parts.data.length;
  parts.header["fc2.bias"] = { dtype: "F32", shape: [5], data_offsets: [end, end + 20] };
  parts.data = new Uint8Array([...parts.data, ...new Uint8Array(20)]);
  return assemble(parts);
}
