import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

/**
 * The first part of reading a safetensors file: the 8-byte header length and the JSON header, checked so that a
 * hostile header costs bounded time and memory. (An 80 MB header of a million empty tensors once took 2 GB and 16 s;
 * a million metadata keys, or brackets nested a million deep, cost seconds of JSON.parse alone.) rnnc's own
 * checkpoints have headers of a few kilobytes; the limits leave room for foreign files and for 65,536 class labels.
 */
export const tensorFileLimits = {
  headerBytes: 16 * 1024 * 1024,
  /** Tensors plus `__metadata__`. */
  entries: 16_384,
  /** `,` and `:` outside strings: roughly the number of JSON values, bounded before JSON.parse allocates them. */
  separators: 262_144,
  /** `{ "name": { "shape": [ … ] } }` nests three deep; nothing valid nests deeper. */
  depth: 3,
} as const;

export type Header = { readonly entries: Readonly<Record<string, unknown>>; readonly dataStart: number };

const at = (file: string, offset: number) => ({ file, line: 1, column: offset + 1 });
const corrupt = (file: string, offset: number, message: string): Diagnostic => diag.corruptTensorFile(at(file, offset), message);
const mebibytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Checks the 8-byte header length against the file's length and the limit; needs only the first 8 bytes. */
export function checkHeaderLength(prefix: Uint8Array, fileLength: number, file: string): Diagnostic | undefined {
  if (fileLength < 8 || prefix.length < 8) return corrupt(file, 0, `the file is ${fileLength} bytes long; even the 8-byte header length is missing`);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(fileLength - 8)) return corrupt(file, 0, `the header length says ${headerLength} bytes, but only ${fileLength - 8} bytes follow`);
  if (headerLength > BigInt(tensorFileLimits.headerBytes)) {
    return diag.tensorFileTooLarge(at(file, 0), `the header is ${headerLength} bytes`, `${mebibytes(tensorFileLimits.headerBytes)} of header`);
  }
  return undefined;
}

export function readHeader(bytes: Uint8Array, file: string): { header?: Header; diagnostics: Diagnostic[] } {
  const lengthProblem = checkHeaderLength(bytes, bytes.length, file);
  if (lengthProblem !== undefined) return { diagnostics: [lengthProblem] };
  const dataStart = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const text = bytes.subarray(8, dataStart);
  const shapeProblem = checkJsonShape(text, file);
  if (shapeProblem !== undefined) return { diagnostics: [shapeProblem] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(text));
  } catch (error) {
    return { diagnostics: [corrupt(file, 8, `the header is not valid UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`)] };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { diagnostics: [corrupt(file, 8, "the header is not a JSON object")] };
  const count = Object.keys(parsed).length;
  if (count > tensorFileLimits.entries) return { diagnostics: [diag.tensorFileTooLarge(at(file, 8), `the header lists ${count} entries`, `${tensorFileLimits.entries} entries`)] };
  return { header: { entries: parsed as Record<string, unknown>, dataStart }, diagnostics: [] };
}

/**
 * One pass over the header's bytes, outside strings, with no allocation: refuses nesting no safetensors header has
 * and more separators than the limit, before JSON.parse builds anything. `"` and `\` never occur inside a multi-byte
 * UTF-8 sequence, so scanning bytes is exact.
 */
function checkJsonShape(text: Uint8Array, file: string): Diagnostic | undefined {
  let depth = 0;
  let separators = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth > tensorFileLimits.depth) return corrupt(file, 8 + i, `the header nests deeper than ${tensorFileLimits.depth} levels, which no safetensors header does`);
    } else if (byte === 0x7d || byte === 0x5d) depth--;
    else if (byte === 0x2c || byte === 0x3a) {
      separators++;
      if (separators > tensorFileLimits.separators) {
        return diag.tensorFileTooLarge(at(file, 8 + i), "the header holds too many JSON values", `${tensorFileLimits.separators.toLocaleString("en-US")} values`);
      }
    }
  }
  return undefined;
}
