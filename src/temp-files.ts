// Temp files and folders that must not outlive the process: spooled archives, daemon export streams, and the
// cache's entries still being written. Each is registered while it exists; on a normal exit, Ctrl-C (SIGINT) or
// SIGTERM every live one is removed synchronously before the process ends, with 130 / 143 for the signals (128 + the
// signal's number, as a shell reports it). A SIGKILL cannot be caught: the caches never serve what it leaves behind
// (entries are renamed into place only when complete), and their temp folder is swept of stale files on the next run.
// The same hook ends the process when its output cannot be written (a closed pipe, a full disk).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SourceError } from './errors.js';

// Kept on stdout, not in this module: a test runner loads the module afresh for each test file in one process, and
// each copy would hook stdout again (eleven files made Node warn of a listener leak), each with its own list. Not on
// `process` either: jest gives each test file a copy of it, while its stdout is the one real stream.
const shared = process.stdout as unknown as Record<symbol, { live: Set<string>; hooked: boolean } | undefined>;
const KEY = Symbol.for('ballast.temp-files');
const state = (shared[KEY] ??= { live: new Set<string>(), hooked: false });
// SIGINT/SIGTERM are handled only while a temp path is live. A handler is JavaScript: it runs when the event loop gets a
// turn, so with one installed a long synchronous pass (linting a huge Dockerfile) ignored Ctrl-C and a CI timeout until
// it ended. With nothing to remove, the signal's default action ends the process at once (the shell reports 130/143).
function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const live = state.live;

function removeAll(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

/**
 * Removes every registered temp path at exit; while any is registered, SIGINT/SIGTERM remove them and exit 130/143.
 * Idempotent.
 */
export function exitCleanly(): void {
  if (state.hooked) return;
  state.hooked = true;
  process.once('exit', removeAll);
  // Node ignores SIGPIPE: a write to a pipe whose reader is gone (`ballast analyze x | head`) fails with EPIPE
  // instead, which printed a stack trace (or, where oclif swallows it, left the command waiting on a write that never
  // ends: exit 13). The process ends as the signal would have ended it: quietly, 141. Any other failure to write the
  // output (a full disk under `> report.txt`) is one error line and exit 2, not a stack trace and "findings" (1).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      removeAll();
      if (error.code !== 'EPIPE' && stream === process.stdout)
        process.stderr.write(
          `error: cannot write the output: ${error.message} (hint: check where stdout goes, or write the report with -o FILE)\n`,
        );
      process.exit(error.code === 'EPIPE' ? 141 : 2);
    });
  }
}

/** Registers a temp path to remove if the process ends before `forget` is called. */
export function removeOnExit(path: string): void {
  exitCleanly();
  if (live.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  live.add(path);
}

/** The path was removed or renamed into place: nothing to clean up for it any more. */
export function forget(path: string): void {
  if (live.delete(path) && live.size === 0) for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

/**
 * The temp directory could not hold `what` (full, missing, read-only, not ours): the user's TMPDIR is at fault, not the
 * input, so the error says where it tried and how to point it elsewhere (code `temp-write`, which callers pass on as
 * it is). `room`: what a directory with enough space must hold.
 */
export function tempWriteError(
  error: unknown,
  { what, room, where = tmpdir() }: { what: string; room: string; where?: string },
): SourceError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
      ? `free space in ${where}, or set TMPDIR to a directory with room for ${room}`
      : `set TMPDIR to a directory this user can write to (it is ${where})`;
  return new SourceError(`cannot write ${what} in ${where}: ${(error as Error).message}`, {
    code: 'temp-write',
    cause: error,
    hint,
  });
}
