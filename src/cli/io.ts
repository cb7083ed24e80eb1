import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, basename, relative, resolve, sep } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import { binaryMaxBytes, readRegularFile, readTextFile, specMaxBytes } from "./read-file.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

/** Where the CLI prints: injected so that tests can run commands in-process. */
export interface Io {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** A spec or generated file: regular, UTF-8, at most `specMaxBytes` (read-file.ts). */
export const readText = (io: Io, path: string): Read<string> =>
  readTextFile(io.cwd, path, path, { maxBytes: specMaxBytes, limitHint: "a spec is a few kilobytes; check that this is the file you meant" });
/** A binary input (safetensors): regular files only, so a device or FIFO is refused rather than read forever. */
export function readBytes(io: Io, path: string): Read<Uint8Array> {
  const read = readRegularFile(resolve(io.cwd, path), binaryMaxBytes);
  if ("bytes" in read) return { ok: true, value: read.bytes };
  const at = { file: path, line: 1, column: 1 };
  if (read.kind === "tooLarge") return { ok: false, diagnostic: diag.fileTooLarge(at, path, read.size, binaryMaxBytes, "rnnc reads weight and data files of up to 2 GiB") };
  return { ok: false, diagnostic: diag.fileUnreadable(at, read.reason) };
}

/** Reads a file that may not exist; undefined when it does not. */
export function readIfExists(io: Io, path: string): string | undefined {
  const read = readText(io, path);
  return read.ok ? read.value : undefined;
}

/**
 * Writes via a temporary file in the same directory and a rename, so the target is either the old file or the whole
 * new one. A failure (a directory in the way, no permission, a full disk) is a diagnostic, and leaves no temporary file.
 */
export function writeAtomically(io: Io, path: string, content: string | Uint8Array): Diagnostic | undefined {
  const absolute = resolve(io.cwd, path);
  const temporary = join(dirname(absolute), `.rnnc-tmp-${basename(absolute)}-${randomBytes(6).toString("hex")}`);
  try {
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, absolute);
    return undefined;
  } catch (error) {
    removeQuietly(temporary);
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "EISDIR" ? "it is a directory" : code === "ENOTDIR" ? "a file is in the way of its directory" : code === "EACCES" ? "permission denied" : String(code ?? error);
    return diag.fileUnwritable({ file: displayPath(io, path), line: 1, column: 1 }, reason);
  }
}

/** Cleanup after a failed write: the temporary file may not exist, or its directory may not. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing was created there
  }
}

/** A path as shown to the user and written into generated headers: relative to the working directory, with forward slashes. */
export function displayPath(io: Io, path: string): string {
  const shown = relative(io.cwd, resolve(io.cwd, path));
  return shown.split(sep).join("/");
}
