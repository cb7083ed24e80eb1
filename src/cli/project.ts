import { realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { projectRoot } from "./data-path.ts";
import type { Io } from "./io.ts";

/** The path with every link resolved; as given when it does not exist (yet). */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * The spec's path as generated headers record it: relative to its project's root (data-path.ts), with forward
 * slashes, so the same spec gives the same file whichever folder `compile` runs from. Links are resolved first: a
 * spec reached through a linked folder is the same spec, in the project where it really lives.
 */
export function projectPath(io: Io, path: string): string {
  const absolute = realPath(resolve(io.cwd, path));
  return relative(projectRoot(dirname(absolute)), absolute).split(sep).join("/");
}
