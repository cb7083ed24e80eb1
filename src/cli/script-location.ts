import { realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { Io } from "./io.ts";

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * The spec's folder as seen from the output folder, links resolved, with forward slashes (`../models`): a generated
 * script finds the spec's `data.csv` from its own location, so it runs from any working directory, and the path
 * does not depend on where `compile` ran.
 */
export function specFolderFromOutDir(io: Io, outDir: string, spec: string): string {
  const folder = dirname(realPath(resolve(io.cwd, spec)));
  return relative(realPath(resolve(io.cwd, outDir)), folder).split(sep).join("/") || ".";
}
