// Paths on the machine ballast runs on (paths inside an image are src/image/tar-header.ts's).
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, sep } from 'node:path';

/**
 * Whether `rel`, made by `relative(base, path)`, leaves `base`: `..`, `../x`, or absolute (another drive on Windows,
 * which no relative path reaches). A name that only begins with two dots (`..notes/x`) is inside, and so is `''`
 * (`base` itself).
 */
export function climbsOut(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** What a path that is neither a regular file nor a directory is, as messages name it. */
export type SpecialFile = 'a FIFO (a pipe)' | 'a character device' | 'a block device' | 'a socket';

/**
 * What `info` (a stat, links followed) is when it is neither a regular file nor a directory; undefined for those two.
 * Files ballast reads whole must be regular ones: a FIFO blocks open() until a writer comes, if ever (and a blocked
 * open ignores SIGTERM), a device such as /dev/zero never ends and a whole read runs the heap out.
 */
export function specialFileKind(info: Stats): SpecialFile | undefined {
  if (info.isFile() || info.isDirectory()) return undefined;
  if (info.isFIFO()) return 'a FIFO (a pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a socket';
}

/**
 * The null device, by its device number (a link to /dev/null, or a node of the same device made in a container): the
 * one device that ends at once, given where a file goes to mean "none" (`ln -s /dev/null .dockerignore`).
 */
export function isDevNull(info: Stats): boolean {
  if (!info.isCharacterDevice()) return false;
  try {
    return info.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/** A small file read whole by `readSmallFile`, or why it was not. */
export type SmallFile =
  | { text: string }
  | { directory: true }
  | { special: SpecialFile }
  /** Its size (or, for one that grew while read, the bytes read before stopping). */
  | { tooLarge: number };

/**
 * Reads a small file of the user's (a credential file, Docker's config.json) whole, up to `limit` bytes. Opened without
 * waiting, then checked: a FIFO under its name would block open() until a writer comes (deaf to SIGINT), a device
 * never ends, a huge file takes the memory. Errors of open and read (ENOENT, EACCES) are thrown for the caller to judge.
 */
export function readSmallFile(path: string, limit: number): SmallFile {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) return { directory: true };
    const special = specialFileKind(info);
    if (special) return { special };
    if (info.size > limit) return { tooLarge: info.size };
    // Read to the bound, not to the end: a file that grows while it is read is stopped there, not followed.
    const buffer = Buffer.allocUnsafe(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return { text: buffer.toString('utf8', 0, length) };
      length += n;
      if (length > limit) return { tooLarge: length };
    }
  } finally {
    closeSync(fd);
  }
}
