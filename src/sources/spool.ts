// Temp files for inputs that cannot be read at random: compressed archives and daemon export streams.
// Each is removed when the image is closed, and on exit or Ctrl-C if the process ends first.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SourceError } from '../errors.js';
import { forget, removeOnExit, tempWriteError } from '../temp-files.js';

export interface Spooled {
  path: string;
  remove(): Promise<void>;
}

/** The temp directory could not hold the copy. */
const spoolError = (error: unknown): SourceError =>
  tempWriteError(error, { what: 'a temporary copy', room: 'the uncompressed image' });

/** Whether `error` is spool's own: the temp directory failed, not the input (see tempWriteError). */
export const isTempWriteError = (error: unknown): boolean =>
  error instanceof SourceError && error.code === 'temp-write';

/** Writes `input` to a private temp file; the caller must `remove()` it (also done at exit). */
export async function spool(input: Readable, name = 'archive.tar'): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-')).catch((error: unknown) => {
    input.destroy();
    throw spoolError(error);
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
    throw syscall === 'open' || syscall === 'write' ? spoolError(error) : error;
  }
  return { path, remove };
}
