import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, basename, relative, resolve, sep } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { describeFsError } from "./fs-errors.ts";

/** Where the CLI prints: injected so that tests can run commands in-process. */
export interface Io {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

function readWith<T>(io: Io, path: string, reader: (absolute: string) => T): Read<T> {
  try {
    return { ok: true, value: reader(resolve(io.cwd, path)) };
  } catch (error) {
    return { ok: false, diagnostic: diag.fileUnreadable({ file: path, line: 1, column: 1 }, describeFsError(error)) };
  }
}

export const readText = (io: Io, path: string): Read<string> => readWith(io, path, (absolute) => readFileSync(absolute, "utf8"));

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
    const reason = describeFsError(error);
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
  return shown === "" ? "." : shown.split(sep).join("/");
}
