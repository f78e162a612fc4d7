// Temp files for inputs that cannot be read at random: compressed archives and daemon export streams.
// Each is removed when the image is closed, and on exit or Ctrl-C if the process ends first.
import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const live = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const dir of live) rmSync(dir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143); // 128 + the signal's number, as a shell reports it
    });
  }
}

export interface Spooled {
  path: string;
  remove(): Promise<void>;
}

/** Writes `input` to a private temp file; the caller must `remove()` it (also done at exit). */
export async function spool(input: Readable, name = 'archive.tar'): Promise<Spooled> {
  hookExit();
  const dir = await mkdtemp(join(tmpdir(), 'ballast-'));
  live.add(dir);
  const path = join(dir, name);
  const remove = async (): Promise<void> => {
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await pipeline(input, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
