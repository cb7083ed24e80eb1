import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic, SourcePosition } from "../diagnostics/diagnostic.ts";
import { displayPath, type Io } from "./io.ts";

/** What a spec's `data.csv` may read: the CLI's flags. */
export interface DataAccess {
  /** --allow-external-data: read a data file outside the spec's project. */
  readonly allowExternal: boolean;
  /** --max-data-bytes: the largest CSV read. */
  readonly maxBytes: number;
}

/** 256 MiB: far more than a CSV a model trains on in memory, and well under what a JavaScript string can hold. */
export const defaultMaxDataBytes = 256 * 1024 * 1024;

/** The access the command-line flags grant. */
export const dataAccess = (options: { readonly allowExternalData?: boolean; readonly maxDataBytes?: number }): DataAccess => ({
  allowExternal: options.allowExternalData === true,
  maxBytes: options.maxDataBytes ?? defaultMaxDataBytes,
});

/** The file as it really is, links resolved; as written when it does not exist (yet). */
function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** The nearest folder from `start` up that holds package.json or .git: the project. `start` itself when none does. */
export function projectRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json")) || existsSync(join(folder, ".git"))) return folder;
    if (folder === parse(folder).root) return start;
  }
}

const isInside = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

/** The file a spec's `data.csv` names, absolute: as written when absolute, else against the spec's folder. */
export function specDataPath(io: Io, specPath: string, csv: string): string {
  return isAbsolute(csv) ? csv : resolve(dirname(resolve(io.cwd, specPath)), csv);
}

/**
 * The file a spec's `data.csv` names: an absolute path as written, a relative one against the spec's folder. It must
 * lie inside the spec's project, links resolved (a link inside the project to /etc/passwd is outside), unless
 * access allows external data: a spec from a pull request must not make a CI log print a file it chose.
 */
export function resolveSpecData(io: Io, specPath: string, csv: string, access: DataAccess, at: SourcePosition): { path: string; shown: string } | { diagnostic: Diagnostic } {
  const specFolder = dirname(resolve(io.cwd, specPath));
  const path = specDataPath(io, specPath, csv);
  const shown = isAbsolute(csv) ? csv : displayPath(io, path);
  if (access.allowExternal) return { path, shown };
  const project = real(projectRoot(real(specFolder)));
  if (isInside(project, real(path))) return { path, shown };
  return { diagnostic: diag.dataOutsideProject(at, shown, displayPath(io, project) || "the current folder") };
}
