import { accessSync, constants, statSync, type Stats } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { kindOf } from "./fs-errors.ts";
import { displayPath, type Io } from "./io.ts";

/** A file the command reads, by what it is to the user: "spec", "CSV", "--data file", "--init file". */
export interface NamedInput {
  readonly role: string;
  readonly path: string;
}

const statOrUndefined = (absolute: string): Stats | undefined => {
  try {
    return statSync(absolute);
  } catch {
    return undefined;
  }
};

/**
 * Whether an output path would replace one of the inputs: the same file after following links (device and inode, so
 * a hard link, a symbolic link and `./spec.yaml` vs `spec.yaml` are all caught). An output that does not exist yet
 * cannot be an input.
 */
export function clobberedInput(io: Io, output: string, inputs: readonly NamedInput[]): Diagnostic | undefined {
  const target = statOrUndefined(resolve(io.cwd, output));
  if (target === undefined) return undefined;
  for (const input of inputs) {
    const stats = statOrUndefined(resolve(io.cwd, input.path));
    if (stats !== undefined && stats.dev === target.dev && stats.ino === target.ino) {
      return diag.outputIsInput({ file: displayPath(io, output), line: 1, column: 1 }, displayPath(io, output), input.role, displayPath(io, input.path));
    }
  }
  return undefined;
}

/** The nearest existing ancestor of a missing folder, when it is a file (`notes.txt/runs` is then no folder at all). */
function fileAncestor(folder: string): string | undefined {
  for (let ancestor = dirname(folder); ancestor !== dirname(ancestor); ancestor = dirname(ancestor)) {
    const stats = statOrUndefined(ancestor);
    if (stats !== undefined) return stats.isDirectory() ? undefined : ancestor;
  }
  return undefined;
}

/** The longest file name (one path component) Linux, macOS and Windows file systems accept, in bytes. */
const maxNameBytes = 255;

/**
 * Why an existing file could not be replaced by renaming a new one over it, though its folder is writable: it is
 * immutable or append-only (EPERM even for root), or it belongs to someone else in a sticky folder such as /tmp,
 * where only a file's owner (or the folder's) may replace it.
 */
function replaceProblem(absolute: string, target: Stats, folder: Stats): string | undefined {
  try {
    accessSync(absolute, constants.W_OK);
  } catch (error) {
    // EACCES (a read-only file) does not stop a rename; EPERM (immutable, append-only) does.
    if ((error as NodeJS.ErrnoException).code === "EPERM") return "the file is protected (immutable or append-only)";
  }
  const user = process.geteuid?.();
  const sticky = (folder.mode & 0o1000) !== 0; // S_ISVTX, which node:fs does not export
  if (sticky && user !== undefined && user !== 0 && target.uid !== user && folder.uid !== user) {
    return "it belongs to another user, in a folder where only a file's owner may replace it (sticky, like /tmp)";
  }
  return undefined;
}

/** The option that names an output, for hints: `--save` and a file name it would take. */
export interface OutputOption {
  readonly flag: string;
  readonly example: string;
}

/**
 * Checks `train --save` (or another output file, `option`) before any epoch runs, so that a run never trains for an hour and then fails to save: the
 * target is not a directory or a device, its folder exists and can be written, and it is none of the inputs.
 */
export function checkSavePath(io: Io, path: string, inputs: readonly NamedInput[], option: OutputOption = { flag: "--save", example: "weights.safetensors" }): Diagnostic | undefined {
  const shown = displayPath(io, path);
  const absolute = resolve(io.cwd, path);
  const unwritable = (reason: string, hint: string) => diag.fileUnwritable({ file: shown, line: 1, column: 1 }, reason, hint);
  if (/[\\/]$/.test(path)) return unwritable("the path ends in a slash, so it names a folder", `${option.flag} names the file to write, such as \`runs/${option.example}\`; nothing was changed`);
  const target = statOrUndefined(absolute);
  if (target !== undefined && !target.isFile()) return unwritable(`it is ${kindOf(target)}`, `${option.flag} names the file to write, such as \`${option.example}\`; nothing was changed`);
  const folder = dirname(absolute);
  const folderStats = statOrUndefined(folder);
  const shownFolder = displayPath(io, folder);
  if (folderStats === undefined) {
    const ancestor = fileAncestor(folder);
    if (ancestor !== undefined) return unwritable(`${displayPath(io, ancestor)} is a file, not a folder`, "check the path; nothing was changed");
    return unwritable(`its folder ${shownFolder} does not exist`, `create it first (\`mkdir -p ${shownFolder}\`); nothing was changed`);
  }
  if (!folderStats.isDirectory()) return unwritable(`${shownFolder} is ${kindOf(folderStats)}, not a folder`, "check the path; nothing was changed");
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    return unwritable(`the folder ${shownFolder} is not writable`, "choose a folder you can write to; nothing was changed");
  }
  const nameBytes = Buffer.byteLength(basename(absolute));
  if (nameBytes > maxNameBytes) return unwritable(`its name is ${nameBytes} bytes long; file systems allow ${maxNameBytes}`, "choose a shorter file name; nothing was changed");
  if (target !== undefined) {
    const replaceable = replaceProblem(absolute, target, folderStats);
    if (replaceable !== undefined) return unwritable(replaceable, "choose another file name, or remove the old file first; nothing was changed");
  }
  return clobberedInput(io, path, inputs);
}
