// Temp files and folders that must not outlive the process: spooled archives, daemon export streams, and the
// cache's entries still being written. Each is registered while it exists; on a normal exit, Ctrl-C (SIGINT) or
// SIGTERM every live one is removed synchronously before the process ends, with 130 / 143 for the signals (128 + the
// signal's number, as a shell reports it). A SIGKILL cannot be caught: the caches never serve what it leaves behind
// (entries are renamed into place only when complete), and their temp folder is swept of stale files on the next run.
import { rmSync } from 'node:fs';

const live = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

/** Removes every registered temp path at exit and turns SIGINT/SIGTERM into a prompt exit 130/143. Idempotent. */
export function exitCleanly(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', removeAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Registers a temp path to remove if the process ends before `forget` is called. */
export function removeOnExit(path: string): void {
  exitCleanly();
  live.add(path);
}

/** The path was removed or renamed into place: nothing to clean up for it any more. */
export function forget(path: string): void {
  live.delete(path);
}
