import { relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { readTextFile, specMaxBytes } from "./read-file.ts";

/** Where the CLI prints: injected so that tests can run commands in-process. */
export interface Io {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Present when stderr is a terminal: where progress bars go, and whether they may use colour (NO_COLOR unset). */
  readonly terminal?: { readonly stream: NodeJS.WritableStream; readonly color: boolean };
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** A spec or generated file: regular, UTF-8, at most `specMaxBytes` (read-file.ts). Safetensors files: tensor-file.ts. */
export const readText = (io: Io, path: string): Read<string> =>
  readTextFile(io.cwd, path, path, { maxBytes: specMaxBytes, limitHint: "a spec is a few kilobytes; check that this is the file you meant" });

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
