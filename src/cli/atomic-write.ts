import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { diag } from "../diagnostics/codes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { describeFsError, kindOf } from "./fs-errors.ts";
import { InterruptGuard, Interrupted } from "./interrupts.ts";
import { displayPath, type Io } from "./io.ts";

export interface PlannedWrite {
  /** As the user gave it (relative to the working directory). */
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** A write step that failed, and which file it was for. */
class WriteFailure extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(reason);
  }
}

const chunkBytes = 1024 * 1024;

/**
 * Writes every file or none. Each goes to a temporary file beside its target; only when all of them are written are
 * they renamed into place, one after another. If a rename fails, the files already renamed get their old content
 * back (or are removed if they did not exist). On any failure the temporaries and any folders this call created are
 * removed, so "nothing was changed" is true. SIGINT/SIGTERM during the write do the same, then throw `Interrupted`.
 *
 * `createFolders`: make missing folders (compile's --out-dir); otherwise a missing folder is an error.
 */
export async function writeFilesAtomically(io: Io, writes: readonly PlannedWrite[], options: { createFolders: boolean }): Promise<Diagnostic | undefined> {
  const targets = writes.map((write) => ({ ...write, absolute: resolve(io.cwd, write.path) }));
  const guard = new InterruptGuard();
  const createdFolders: CreatedFolders[] = [];
  let failure: WriteFailure | undefined;
  let thrown: unknown;
  try {
    for (const target of targets) checkTarget(target.path, target.absolute);
    for (const folder of new Set(targets.map((target) => dirname(target.absolute)))) {
      const path = targets.find((target) => dirname(target.absolute) === folder)?.path ?? folder;
      const created = prepareFolder(path, folder, displayPath(io, folder), options.createFolders);
      if (created !== undefined) createdFolders.push({ leaf: folder, topmost: created });
    }
    const temporaries: string[] = [];
    for (const target of targets) {
      const temporary = temporaryBeside(target.absolute);
      guard.pending.add(temporary);
      temporaries.push(temporary);
      await writeInChunks(target.path, temporary, target.content, guard);
    }
    guard.check();
    renameAll(targets, temporaries, guard.pending);
  } catch (error) {
    guard.removePending();
    removeFolders(createdFolders);
    if (error instanceof WriteFailure) failure = error;
    else thrown = error; // Interrupted, or a bug
  }
  // Stop listening on every path, so that the CLI can die of the signal; one that came during the last synchronous
  // step is reported here, not lost.
  const signal = await guard.release();
  if (thrown !== undefined) throw thrown;
  if (signal !== undefined) throw new Interrupted(signal, failure === undefined);
  if (failure === undefined) return undefined;
  const hint = failure instanceof RollbackFailure ? `these files could not be restored and now hold the new content: ${failure.changed.join(", ")}` : undefined;
  return diag.fileUnwritable({ file: displayPath(io, failure.path), line: 1, column: 1 }, failure.reason, hint);
}

class RollbackFailure extends WriteFailure {
  constructor(path: string, reason: string, readonly changed: readonly string[]) {
    super(path, reason);
  }
}

interface CreatedFolders {
  readonly leaf: string;
  readonly topmost: string;
}

/**
 * `.rnnc-tmp-<name>-<random>` beside the target, with at most 32 characters of the name: a target whose name is
 * legal (up to 255 bytes) must not get a temporary whose name is too long to create.
 */
const temporaryBeside = (absolute: string): string =>
  join(dirname(absolute), `.rnnc-tmp-${Array.from(basename(absolute)).slice(0, 32).join("")}-${randomBytes(6).toString("hex")}`);

/** The target itself may be missing or a regular file; never a directory, a device or a pipe (a rename would replace it). */
function checkTarget(path: string, absolute: string): void {
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    return; // missing (or its folder is): prepareFolder says which
  }
  if (!stats.isFile()) throw new WriteFailure(path, `it is ${kindOf(stats)}`);
}

/** Makes sure the folder exists; returns the topmost folder created, to remove on failure. */
function prepareFolder(path: string, folder: string, shownFolder: string, create: boolean): string | undefined {
  let stats;
  try {
    stats = statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw new WriteFailure(path, describeFsError(error));
    if (!create) throw new WriteFailure(path, `its folder ${shownFolder} does not exist`);
    try {
      return mkdirSync(folder, { recursive: true });
    } catch (made) {
      throw new WriteFailure(path, describeFsError(made));
    }
  }
  if (!stats.isDirectory()) throw new WriteFailure(path, `${shownFolder} is ${kindOf(stats)}, not a folder`);
  return undefined;
}

async function writeInChunks(path: string, temporary: string, content: string | Uint8Array, guard: InterruptGuard): Promise<void> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  let handle;
  try {
    handle = await open(temporary, "wx");
  } catch (error) {
    throw new WriteFailure(path, describeFsError(error));
  }
  try {
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      guard.check();
      await handle.write(bytes, offset, Math.min(chunkBytes, bytes.length - offset), offset);
    }
    await handle.datasync(); // the rename must never publish a file whose data is still only in memory
  } catch (error) {
    if (error instanceof Interrupted) throw error;
    throw new WriteFailure(path, describeFsError(error));
  } finally {
    await handle.close();
  }
}

/** Renames every temporary into place; if one fails, puts back what the earlier ones replaced. Exported for its test. */
export function renameAll(targets: readonly { path: string; absolute: string }[], temporaries: readonly string[], pending: Set<string>): void {
  const previous = targets.length > 1 ? targets.map((target) => previousContent(target.absolute)) : [];
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]!;
    try {
      renameSync(temporaries[i]!, target.absolute);
      pending.delete(temporaries[i]!);
    } catch (error) {
      const changed = restore(targets.slice(0, i), previous);
      throw changed.length === 0 ? new WriteFailure(target.path, describeFsError(error)) : new RollbackFailure(target.path, describeFsError(error), changed);
    }
  }
}

/** What a target held before: its bytes, nothing ("missing"), or bytes rnnc could not read (so cannot put back). */
type Previous = Uint8Array | "missing" | "unreadable";

function previousContent(path: string): Previous {
  try {
    return readFileSync(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable";
  }
}

/** Undoes renames: old content back (through a temporary and a rename), or the new file removed. Returns what failed. */
function restore(done: readonly { path: string; absolute: string }[], previous: readonly Previous[]): string[] {
  const failed: string[] = [];
  done.forEach((target, i) => {
    const old = previous[i] ?? "unreadable";
    try {
      if (old === "unreadable") throw new Error("the old content is unknown");
      if (old === "missing") rmSync(target.absolute, { force: true });
      else {
        const temporary = temporaryBeside(target.absolute);
        try {
          writeFileSync(temporary, old);
          renameSync(temporary, target.absolute);
        } finally {
          rmSync(temporary, { force: true }); // gone after the rename; left behind only if it failed
        }
      }
    } catch {
      failed.push(target.path);
    }
  });
  return failed;
}

/** Removes the folders this write created, from the deepest up; one that something else has filled meanwhile stays. */
function removeFolders(created: readonly CreatedFolders[]): void {
  for (const { leaf, topmost } of [...created].reverse()) {
    for (let folder = leaf; ; folder = dirname(folder)) {
      try {
        rmdirSync(folder);
      } catch {
        break;
      }
      if (folder === topmost || dirname(folder) === folder) break;
    }
  }
}
