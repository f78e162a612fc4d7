// Errors that reach the user. Each says what failed, on which input, and what to do next (the hint).
// Exit codes everywhere: 0 clean, 1 findings at or above --fail-on / gate failed, 2 usage, input or I/O error.
import { lstatSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { noLoggingCommands, oneLine as printableLine } from './report/printable.js';

export type ErrorKind = 'usage' | 'config' | 'source' | 'bug';

export interface BallastErrorOptions {
  code: string;
  hint?: string;
  cause?: unknown;
  exitCode?: number;
  /**
   * The message without the name of the layer it is about ("the blob does not match its digest: ..."), for a caller
   * that names the layer itself: the walk says `reading layer 3 (DIGEST) of IMAGE: <detail>`, where the message
   * would name it twice. A read's error seen on its own (inspect, a direct read) keeps the message, which names it.
   */
  detail?: string;
}

export class BallastError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: number;
  readonly detail?: string;
  readonly kind: ErrorKind = 'source';

  constructor(message: string, options: BallastErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
    this.detail = options.detail;
  }
}

/**
 * An error's message about `what` ("layer 3 of image.tar"), `rest` said of it, and its detail, the same said of
 * `unnamed` (BallastErrorOptions.detail).
 */
export function aboutLayer(what: string, rest: string, unnamed = 'the layer'): { message: string; detail: string } {
  return { message: `${what} ${rest}`, detail: `${unnamed} ${rest}` };
}

/** The command line asked for something impossible (bad flag value, unknown transport). */
export class UsageError extends BallastError {
  override readonly kind = 'usage' as const;
}

/** A configuration file or value is invalid. */
export class ConfigError extends BallastError {
  override readonly kind = 'config' as const;
}

/** An image, archive, registry or daemon could not be read as expected. */
export class SourceError extends BallastError {
  override readonly kind = 'source' as const;
}

/**
 * An image's JSON document (manifest, index, config), parsed. A document that is not JSON fails with the caller's
 * message, which names the file or blob and what was expected, rather than JSON.parse's words about a position.
 */
export function parseDocument<T>(data: Buffer, failure: { message: string; code: string; hint: string }): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (error) {
    throw new SourceError(failure.message, { code: failure.code, hint: failure.hint, cause: error });
  }
}

/** Something ballast itself got wrong: says so, and asks for a report. */
export class BugError extends BallastError {
  override readonly kind = 'bug' as const;
  constructor(message: string, options: Omit<BallastErrorOptions, 'code'> & { code?: string }) {
    super(message, {
      ...options,
      code: options.code ?? 'bug',
      hint: options.hint ?? 'this is a bug in ballast; please report it with the command you ran',
    });
  }
}

/**
 * A file ballast was asked to write (-o, --output, --save-baseline) could not be written: the system's words, and a
 * hint at the usual cause (the report files' missing folders are made first, so a part of the path that is a file is
 * the common one).
 * `what` names the file in the message when it is more than its path ("the baseline PATH").
 */
export function cannotWrite(path: string, error: unknown, what = path): SourceError {
  const dir = dirname(path);
  const hints: Record<string, string> = {
    ENOENT: `the directory ${dir} does not exist: create it first, or check the path`,
    ENOTDIR: `a part of ${dir} is not a directory: check the path`,
    EACCES: `this user may not write in ${dir}: write somewhere else, or fix its permissions`,
    EPERM: `this user may not write in ${dir}: write somewhere else, or fix its permissions`,
    EISDIR: `${path} is a directory: give a file name`,
    EROFS: `${dir} is on a read-only file system: write somewhere else`,
    ENOSPC: 'the disk is full: free some space, or write somewhere else',
    // Only a named pipe without a reader gives it (see writeFifo).
    ENXIO: `${path} is a named pipe: start the program that reads it first (\`cat ${path} &\`), or write to a file`,
  };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  // Denied on a file that is there: the file's own mode is what refuses (the folder's matters only to make one).
  if ((code === 'EACCES' || code === 'EPERM') && isFile(path))
    hints[code] = `${path} is read-only for this user: write somewhere else, or change its permissions`;
  // ENOENT where the folder is there (its missing folders were made first): /proc and /sys take no new files, and say
  // "no such file or directory"; the hint above told the user to create a folder that exists. Or the path is a link
  // to nowhere.
  if (code === 'ENOENT' && isDirectory(dir)) {
    const link = isLink(path);
    return new SourceError(
      `cannot write ${what}: ${link ? `${path} is a symbolic link whose target's folder does not exist` : `no file can be made in ${dir}`} (${code})`,
      {
        code: 'write',
        cause: error,
        hint: link
          ? `remove the link or make its target's folder, or write it somewhere else`
          : `${dir} takes no new files (system folders such as /proc and /sys take none): write it somewhere else, such as ./${basename(path)}`,
      },
    );
  }
  // ENOENT where the folder is missing: it was tried (see makeParents) and refused by the deepest folder that is
  // there, /proc for `-o /proc/x/report.txt`; "create it first" asked for what cannot be done.
  const top = code === 'ENOENT' && !isLink(path) ? deepestFolder(dir) : undefined;
  if (top !== undefined)
    return new SourceError(`cannot write ${what}: no folder can be made in ${top} (${code})`, {
      code: 'write',
      cause: error,
      hint: `${top} takes no new folders (system folders such as /proc and /sys take none): write it somewhere else, such as ./${basename(path)}`,
    });
  return new SourceError(`cannot write ${what}: ${error instanceof Error ? error.message : String(error)}`, {
    code: 'write',
    cause: error,
    hint: (code && hints[code]) ?? 'check the path, and that its directory is writable',
  });
}

/**
 * The deepest folder above `path` that is there, when nothing else is in the way: a link to nowhere (which the
 * generic hint covers) or a file (ENOTDIR, another error) gives none.
 */
function deepestFolder(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (isDirectory(dir)) return dir;
    if (isEntry(dir) || dirname(dir) === dir) return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isEntry(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * `error` told again with another message, hint or detail (each kept when not given): the same class, code and exit
 * code, so it is reported and handled as it was.
 */
export function restate(
  error: BallastError,
  change: { message?: string; hint?: string; detail?: string },
): BallastError {
  const Ctor = error.constructor as new (message: string, options: BallastErrorOptions) => BallastError;
  return new Ctor(change.message ?? error.message, {
    code: error.code,
    hint: change.hint ?? error.hint,
    cause: error,
    exitCode: error.exitCode,
    // Told with another message, it says more than its detail: whoever names the layer names it in the new message.
    detail: change.detail ?? (change.message === undefined ? error.detail : undefined),
  });
}

/**
 * Adds gerund context to an error ("reading manifest.json: ...") while keeping its class, code and hint,
 * so the user sees the whole chain on one line.
 */
export function wrapError(context: string, error: unknown): BallastError {
  if (error instanceof BallastError) return restate(error, { message: `${context}: ${error.message}` });
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  return new SourceError(`${context}: ${message}`, {
    code: code ?? 'io',
    cause: error,
    // A blob that may not be read (a layer file of an OCI layout or a spooled archive) says what to do about it.
    hint: isPermissionDenied(error) ? READ_PERMISSION_HINT : undefined,
  });
}

/** What to do about a file ballast may not read. */
export const READ_PERMISSION_HINT =
  'run ballast as a user who may read it, or make it readable: chmod a+r on the file, a+x on its directories';

/**
 * Whether a system error (or its code) is this user being refused: EACCES, or EPERM, which some file systems, sandboxes
 * and sockets give for the same thing.
 */
export function isPermissionDenied(error: unknown): boolean {
  const code = typeof error === 'string' ? error : (error as { code?: unknown } | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code.toLowerCase() : undefined;
}

/** The one line printed for a failure: what failed, then the next step. Stack traces only with --debug. */
export function formatError(error: unknown, debug = false): string {
  if (debug && error instanceof Error && error.stack) return error.stack;
  if (error instanceof BallastError) {
    return error.hint
      ? `error: ${oneLine(error.message)} (hint: ${oneLine(error.hint)})`
      : `error: ${oneLine(error.message)}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `error: ${oneLine(message) || 'unknown error'}`;
}

// Messages quote the image (a layer path from its manifest, a name) and the user's arguments: on one line, its
// control characters shown, and no Azure Pipelines `##vso[` command in it (the agent obeys one anywhere in a line).
function oneLine(text: string): string {
  return noLoggingCommands(printableLine(text.replace(/\s*\n\s*/g, ' ').trim()));
}
