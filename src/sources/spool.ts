// Temp files for inputs that cannot be read at random: compressed archives and daemon export streams.
// Each is removed when the image is closed, and on exit or Ctrl-C if the process ends first.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SourceError } from '../errors.js';
import { forget, removeOnExit } from '../temp-files.js';

export interface Spooled {
  path: string;
  remove(): Promise<void>;
}

/**
 * The temp directory could not hold the copy (full, missing, read-only, not ours): the user's TMPDIR is at fault, not
 * the input, and callers pass this error on as it is (code `temp-write`).
 */
function tempWriteError(error: unknown): SourceError {
  const where = tmpdir();
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
      ? `free space in ${where}, or set TMPDIR to a directory with room for the uncompressed image`
      : `set TMPDIR to a directory this user can write to (it is ${where})`;
  return new SourceError(`cannot write a temporary copy in ${where}: ${(error as Error).message}`, {
    code: 'temp-write',
    cause: error,
    hint,
  });
}

/** Whether `error` is spool's own: the temp directory failed, not the input (see tempWriteError). */
export const isTempWriteError = (error: unknown): boolean =>
  error instanceof SourceError && error.code === 'temp-write';

/** Writes `input` to a private temp file; the caller must `remove()` it (also done at exit). */
export async function spool(input: Readable, name = 'archive.tar'): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-')).catch((error: unknown) => {
    input.destroy();
    throw tempWriteError(error);
  });
  removeOnExit(dir);
  const path = join(dir, name);
  const remove = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
    forget(dir);
  };
  try {
    await pipeline(input, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await remove();
    // The file's own failure (opening or writing it) is the temp directory's fault. pipeline hands an input's error
    // (a daemon that went away, a decoder error) to the file stream too, so it is told by its system call.
    const syscall = (error as NodeJS.ErrnoException | null)?.syscall;
    throw syscall === 'open' || syscall === 'write' ? tempWriteError(error) : error;
  }
  return { path, remove };
}
