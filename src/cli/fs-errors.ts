/**
 * A failed file operation in words, for the `reason` of RNNC0001/RNNC0004: never a raw `EEXIST` or `ENOTDIR`.
 * Path-shaped codes are about the path as a whole (a file where a folder should be is ENOTDIR while creating inside
 * it, EEXIST while creating the folder itself), so both say so.
 */
const reasons: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file is in the way of a folder the path needs",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is exhausted",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "the path has a loop of symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EBUSY: "the file is busy",
  ETXTBSY: "the file is busy",
  EXDEV: "the temporary file and the target are on different file systems",
  EIO: "an input/output error",
  EINVAL: "the path is not valid here",
  ERR_FS_FILE_TOO_LARGE: "the file is too large to read at once (over 2 GiB)",
  ERR_INVALID_ARG_VALUE: "the path holds a NUL character",
  ERR_INVALID_ARG_TYPE: "the path holds a NUL character",
};

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && reasons[code] !== undefined) return reasons[code];
  return code !== undefined ? `the system reports ${code}` : error instanceof Error ? error.message : String(error);
}

/** What kind of thing a path is, for "not a regular file" messages. */
export function kindOf(stats: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stats.isFile()) return "a file";
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "a special file";
}
