import { dirname, relative, resolve, sep } from "node:path";
import { projectRoot } from "./data-path.ts";
import type { Io } from "./io.ts";

/**
 * The spec's path as generated headers record it: relative to its project's root (data-path.ts), with forward
 * slashes, so the same spec gives the same file whichever folder `compile` runs from.
 */
export function projectPath(io: Io, path: string): string {
  const absolute = resolve(io.cwd, path);
  return relative(projectRoot(dirname(absolute)), absolute).split(sep).join("/");
}
