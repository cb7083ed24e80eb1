import { readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
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

/** A path as shown to the user and written into generated headers: relative to the working directory, with forward slashes. */
export function displayPath(io: Io, path: string): string {
  const shown = relative(io.cwd, resolve(io.cwd, path));
  return shown === "" ? "." : shown.split(sep).join("/");
}
