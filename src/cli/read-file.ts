import { constants as bufferConstants } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { describeFsError } from "./fs-errors.ts";
import { bytePosition, decodeUtf8 } from "./utf8.ts";

/**
 * Reading an input: regular files only (a device such as /dev/zero, or a FIFO, would be read forever or block), up
 * to a size limit checked before anything is read, then decoded as UTF-8 when it is text.
 */
export type FileProblem = { readonly kind: "unreadable"; readonly reason: string } | { readonly kind: "tooLarge"; readonly size: number };

/** A spec is a few kilobytes; 64 MiB is far beyond any real one and still parses in seconds. */
export const specMaxBytes = 64 * 1024 * 1024;
/** Weights and tensor data: a model is refused past 2^26 parameters (256 MiB of float32), so 2 GiB is ample. */
export const binaryMaxBytes = 2 * 1024 * 1024 * 1024;

export function readRegularFile(absolute: string, maxBytes: number): { bytes: Uint8Array } | FileProblem {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. It changes nothing for regular files.
    fd = openSync(absolute, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { kind: "unreadable", reason: describeFsError(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { kind: "unreadable", reason: "it is a directory" };
    if (!stat.isFile()) return { kind: "unreadable", reason: "it is not a regular file (a device, pipe or socket)" };
    if (stat.size > maxBytes) return { kind: "tooLarge", size: stat.size };
    const bytes = new Uint8Array(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      // at most 1 GiB per call: readSync refuses 2 GiB or more, and --max-data-bytes may allow such a file
      const read = readSync(fd, bytes, filled, Math.min(bytes.length - filled, 1 << 30), null);
      if (read === 0) break;
      filled += read;
    }
    return { bytes: filled === bytes.length ? bytes : bytes.subarray(0, filled) };
  } catch (error) {
    return { kind: "unreadable", reason: describeFsError(error) };
  } finally {
    closeSync(fd);
  }
}


export interface TextReadOptions {
  readonly maxBytes: number;
  /** How to raise the limit, for the diagnostic's hint. */
  readonly limitHint: string;
  /** Where a problem with the file itself is reported (the spec key that named it); default: the file, 1:1. */
  readonly at?: SourcePosition;
  /** The problem with the file as a diagnostic, at `at`; default: RNNC0001 with the current-directory hint. */
  readonly unreadable?: (at: SourcePosition, shown: string, reason: string) => Diagnostic;
}

/** A UTF-8 text file: its text, or one diagnostic (an encoding error points at the byte itself, in the file). */
export function readTextFile(cwd: string, path: string, shown: string, options: TextReadOptions): { ok: true; value: string } | { ok: false; diagnostic: Diagnostic } {
  const at = options.at ?? { file: shown, line: 1, column: 1 };
  const read = readRegularFile(resolve(cwd, path), options.maxBytes);
  if ("kind" in read) {
    if (read.kind === "tooLarge") return { ok: false, diagnostic: diag.fileTooLarge(at, shown, read.size, options.maxBytes, options.limitHint) };
    const diagnostic = options.unreadable?.(at, shown, read.reason) ?? diag.fileUnreadable({ file: shown, line: 1, column: 1 }, read.reason);
    return { ok: false, diagnostic };
  }
  const decoded = decodeUtf8(read.bytes);
  if ("text" in decoded) return { ok: true, value: decoded.text };
  if ("tooLong" in decoded) {
    const limit = bufferConstants.MAX_STRING_LENGTH;
    return { ok: false, diagnostic: diag.fileTooLarge(at, shown, read.bytes.length, limit, `a text file is read into one string of at most ${limit.toLocaleString("en-US")} characters; keep fewer rows`) };
  }
  const utf16 = (read.bytes[0] === 0xff && read.bytes[1] === 0xfe) || (read.bytes[0] === 0xfe && read.bytes[1] === 0xff);
  return { ok: false, diagnostic: diag.notUtf8({ file: shown, ...bytePosition(read.bytes, decoded.offset) }, decoded.offset, decoded.byte, utf16 ? "UTF-16" : undefined) };
}
