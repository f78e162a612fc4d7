// `mkdir -p` that returns: Node's own recursive mkdir can spin forever (see makeDirectory).
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node's `mkdir(path, { recursive: true })` never returns for a path whose last level
 * the kernel refuses with ENOENT although its parent exists (`/proc/self/x`): it retries on a thread-pool thread
 * forever, and with the pool's few threads spinning every file read of the process waited, so analyze hung (and
 * `-o /proc/x/report.txt` spun at full CPU until killed). Here each level is tried once, and any failure is thrown with
 * the system's code (ENOENT, ENOTDIR, EACCES, EROFS, ...).
 */
export async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return existingDirectory(path, error);
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
  }
  await makeDirectory(dirname(path));
  try {
    await mkdir(path);
  } catch (error) {
    // Another writer made it in between.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return existingDirectory(path, error);
    throw error;
  }
}

async function existingDirectory(path: string, error: unknown): Promise<void> {
  if (!(await stat(path)).isDirectory()) throw error;
}

/** `makeDirectory` for a caller that must not wait (a file oclif will not wait for, written synchronously). */
export function makeDirectorySync(path: string): void {
  try {
    mkdirSync(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return existingDirectorySync(path, error);
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
  }
  makeDirectorySync(dirname(path));
  try {
    mkdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return existingDirectorySync(path, error);
    throw error;
  }
}

function existingDirectorySync(path: string, error: unknown): void {
  if (!statSync(path).isDirectory()) throw error;
}
