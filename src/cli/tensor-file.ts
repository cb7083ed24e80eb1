import { constants as bufferConstants } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { checkHeaderLength } from "../runtime/safetensors-header.ts";
import { readSafetensors, type TensorFile } from "../runtime/safetensors.ts";
import { describeFsError, kindOf } from "./fs-errors.ts";
import { binaryMaxBytes } from "./read-file.ts";
import { displayPath, type Io } from "./io.ts";

const maxLength = bufferConstants.MAX_LENGTH;

/**
 * Reads a safetensors file named on the command line (--init, --data, --weights). Regular files only: /dev/zero or a
 * named pipe would be read forever. The 8-byte header length is checked against the file's size and the header limit
 * before the rest is read, so a bogus length in front of a large file costs nothing.
 */
export function readTensorFile(io: Io, path: string): { file?: TensorFile; diagnostics: readonly Diagnostic[] } {
  const shown = displayPath(io, path);
  const unreadable = (reason: string) => ({ diagnostics: [diag.fileUnreadable({ file: shown, line: 1, column: 1 }, reason)] });
  let descriptor: number;
  try {
    // O_NONBLOCK: opening a named pipe must not wait for a writer; the fstat below then refuses it.
    descriptor = openSync(resolve(io.cwd, path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return unreadable(describeFsError(error));
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return unreadable(`it is ${kindOf(stats)}, not a regular file`);
    const prefix = new Uint8Array(8);
    readFully(descriptor, prefix, 0);
    const lengthProblem = checkHeaderLength(prefix, stats.size, shown);
    if (lengthProblem !== undefined) return { diagnostics: [lengthProblem] };
    if (stats.size > maxLength) return unreadable(`it is ${stats.size} bytes, more than one buffer can hold (${maxLength} bytes)`);
    // Checked before anything past the header length is read: a 3 GB file used to be read whole only to be refused.
    if (stats.size > binaryMaxBytes) {
      return { diagnostics: [diag.fileTooLarge({ file: shown, line: 1, column: 1 }, shown, stats.size, binaryMaxBytes, "rnnc reads weights and tensor data of at most 2 GiB; check that this is the file you meant")] };
    }
    const bytes = new Uint8Array(stats.size);
    const got = readFully(descriptor, bytes, 0);
    return readSafetensors(got === stats.size ? bytes : bytes.subarray(0, got), shown);
  } catch (error) {
    return unreadable(describeFsError(error));
  } finally {
    closeSync(descriptor);
  }
}

/** One read call's most: readSync refuses a length of 2 GiB or more (ERR_OUT_OF_RANGE), and files may be larger. */
export const readChunkBytes = 1 << 30;

/** Reads from `position` until `into` is full or the file ends; returns the bytes read. */
function readFully(descriptor: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const got = readSync(descriptor, into, done, Math.min(into.length - done, readChunkBytes), position + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}
