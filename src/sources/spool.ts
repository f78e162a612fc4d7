// Temp files for inputs that cannot be read at random: compressed archives and daemon export streams.
// Each is removed when the image is closed, and on exit or Ctrl-C if the process ends first.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { forget, removeOnExit } from '../temp-files.js';

export interface Spooled {
  path: string;
  remove(): Promise<void>;
}

/** Writes `input` to a private temp file; the caller must `remove()` it (also done at exit). */
export async function spool(input: Readable, name = 'archive.tar'): Promise<Spooled> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-'));
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
    throw error;
  }
  return { path, remove };
}
