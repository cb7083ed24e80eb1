import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { readHeader } from "./safetensors-header.ts";

/**
 * safetensors: an 8-byte little-endian header length N, N bytes of JSON header, then raw little-endian data.
 * The reader trusts nothing: every length, offset and shape is checked before any tensor is made.
 */
export type Tensor =
  | { readonly dtype: "F32"; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: "F64"; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly dtype: "I32"; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: "I64"; readonly shape: readonly number[]; readonly data: BigInt64Array };

export type DType = Tensor["dtype"];

/** A tensor read from a file, with where its data starts there, so that a diagnostic can give an element's byte offset. */
export type StoredTensor = Tensor & { readonly fileOffset: number };

export const bytesPerElement = (dtype: DType): number => bytesPer[dtype];

export interface TensorFile {
  readonly tensors: ReadonlyMap<string, StoredTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const bytesPer: Readonly<Record<DType, number>> = { F32: 4, F64: 8, I32: 4, I64: 8 };

export function readSafetensors(bytes: Uint8Array, file: string): { file?: TensorFile; diagnostics: Diagnostic[] } {
  const at = (offset: number) => ({ file, line: 1, column: offset + 1 });
  const fail = (offset: number, message: string) => ({ diagnostics: [diag.corruptTensorFile(at(offset), message)] });
  const read = readHeader(bytes, file);
  if (read.header === undefined) return { diagnostics: read.diagnostics };
  const { entries: header, dataStart } = read.header;

  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, StoredTensor>();
  const ranges: { name: string; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (entry === null || typeof entry !== "object" || Object.values(entry).some((v) => typeof v !== "string")) {
        return fail(8, "__metadata__ must map strings to strings");
      }
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    const described = describeEntry(name, entry, dataLength);
    if (typeof described === "string") return fail(8, described);
    if ("unsupported" in described) {
      return {
        diagnostics: [diag.tensorMismatch(at(8), `tensor \`${name}\` has dtype ${described.unsupported}, which rnnc does not read`, "store floats as F32 (or F64) and labels as I64 or I32")],
      };
    }
    if (described.end > described.begin) ranges.push({ name, begin: described.begin, end: described.end });
    const fileOffset = dataStart + described.begin;
    tensors.set(name, { ...decode(described.dtype, described.shape, bytes.subarray(fileOffset, dataStart + described.end)), fileOffset });
  }
  // An empty tensor occupies no bytes, so it overlaps nothing, wherever its offsets point.
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1];
    const current = ranges[i];
    if (previous !== undefined && current !== undefined && current.begin < previous.end) {
      return fail(dataStart + current.begin, `tensors \`${previous.name}\` and \`${current.name}\` overlap`);
    }
  }
  return { file: { tensors, metadata }, diagnostics: [] };
}

function describeEntry(
  name: string,
  entry: unknown,
  dataLength: number,
): string | { unsupported: string } | { dtype: DType; shape: number[]; begin: number; end: number } {
  if (entry === null || typeof entry !== "object") return `entry \`${name}\` is not an object`;
  const { dtype, shape, data_offsets: offsets } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== "string") return `tensor \`${name}\` has no dtype`;
  if (!(dtype in bytesPer)) return { unsupported: dtype };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `tensor \`${name}\` has an invalid shape`;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    return `tensor \`${name}\` has invalid data_offsets`;
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) return `tensor \`${name}\` has data_offsets [${begin}, ${end}] that end before they begin`;
  if (end > dataLength) return `tensor \`${name}\` spans bytes ${begin}..${end}, past the ${dataLength} bytes of data`;
  const elements = (shape as number[]).reduce((product, d) => product * d, 1);
  const size = bytesPer[dtype as DType];
  if (elements * size !== end - begin) return `tensor \`${name}\` has shape [${shape.join(", ")}] (${elements * size} bytes) but spans ${end - begin} bytes`;
  return { dtype: dtype as DType, shape: shape as number[], begin, end };
}

function decode(dtype: DType, shape: readonly number[], raw: Uint8Array): Tensor {
  // raw may sit anywhere in its buffer (a Node Buffer from the shared pool, a subarray): read it where it is
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const count = raw.length / bytesPer[dtype];
  switch (dtype) {
    case "F32": {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      return { dtype, shape, data };
    }
    case "F64": {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
      return { dtype, shape, data };
    }
    case "I32": {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(i * 4, true);
      return { dtype, shape, data };
    }
    case "I64": {
      const data = new BigInt64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getBigInt64(i * 8, true);
      return { dtype, shape, data };
    }
  }
}

export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}

/** Tensors in the order given, the header padded with spaces so the data starts 8-byte aligned. */
export function writeSafetensors(tensors: readonly NamedTensor[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header["__metadata__"] = metadata;
  let offset = 0;
  for (const { name, tensor } of tensors) {
    const length = tensor.data.length * bytesPer[tensor.dtype];
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + length] };
    offset += length;
  }
  let headerText = JSON.stringify(header);
  headerText += " ".repeat((8 - ((8 + Buffer.byteLength(headerText)) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const { tensor } of tensors) {
    for (let i = 0; i < tensor.data.length; i++) {
      switch (tensor.dtype) {
        case "F32":
          view.setFloat32(position, tensor.data[i] ?? 0, true);
          break;
        case "F64":
          view.setFloat64(position, tensor.data[i] ?? 0, true);
          break;
        case "I32":
          view.setInt32(position, tensor.data[i] ?? 0, true);
          break;
        case "I64":
          view.setBigInt64(position, tensor.data[i] ?? 0n, true);
          break;
      }
      position += bytesPer[tensor.dtype];
    }
  }
  return out;
}
