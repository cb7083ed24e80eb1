import { existsSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import type { Io } from "./io.ts";

/** The project a file belongs to: the nearest folder above it with a package.json or a .git; undefined when none. */
export function projectRoot(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "package.json")) || existsSync(resolve(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The spec's path as generated headers record it: relative to its project's root, with forward slashes, so the
 * same spec gives the same file whichever folder `compile` runs from (else relative to the working directory).
 */
export function projectPath(io: Io, path: string): string {
  const absolute = resolve(io.cwd, path);
  const root = projectRoot(absolute) ?? io.cwd;
  return relative(root, absolute).split(sep).join("/");
}
