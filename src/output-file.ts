// Report files (-o, --output): written where asked, with the folders of the path made first, and never over what the
// command reads.
import { constants, existsSync, open, realpathSync, statSync, type Stats } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { makeDirectory, makeDirectorySync } from './make-directory.js';

/**
 * Makes the missing folders above an output file (`-o reports/x.sarif` before reports/ exists), as eslint and most CI
 * tools do: a CI job names its report folder without making it, and the gate's verdict was lost to an exit 2. Only
 * folders are made; when that fails (a part of the path is a file), the write that follows fails with the system's
 * words, which `cannotWrite` turns into the error the user sees.
 */
export async function makeParents(path: string): Promise<void> {
  await makeDirectory(dirname(path)).catch(() => undefined);
}

/** `makeParents`, for a file written synchronously. */
export function makeParentsSync(path: string): void {
  try {
    makeDirectorySync(dirname(path));
  } catch {
    // The write that follows says what is wrong with the path.
  }
}

/** Writes a report file, its folders made first. Errors are the system's, for the caller to word. */
export async function writeOutputFile(path: string, data: string | Iterable<string>): Promise<void> {
  await makeParents(path);
  if (isFifo(path)) return writeFifo(path, data);
  await writeFile(path, data);
}

/** Whether `path` is a named pipe (`mkfifo`, a shell's `>(cmd)`): stat opens nothing, so it cannot wait. */
export function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

/**
 * How long a report waits for a reader of its named pipe. The pipe's reader is usually running before the report is
 * ready (`cat p & ballast analyze IMG -o p`, a shell's `>(cmd)`); one that never comes left ballast waiting forever,
 * looking like a hang, with its report done.
 */
export const FIFO_READER_WAIT_MS = 10_000;

/**
 * Writes to a named pipe. Opening one for writing waits for a reader, and a wait in a thread of Node's pool holds the
 * process at exit: `-o FIFO` with no reader ignored Ctrl-C and SIGTERM. So it is opened without waiting, again every
 * 50 ms until a reader comes (the event loop, and the signals, run between tries) or FIFO_READER_WAIT_MS pass, and
 * written as a socket on the event loop, so a reader that stops reading cannot hold a thread either.
 */
async function writeFifo(path: string, data: string | Iterable<string>): Promise<void> {
  let fd: number;
  const deadline = Date.now() + FIFO_READER_WAIT_MS;
  for (;;) {
    try {
      fd = await new Promise<number>((done, fail) =>
        open(path, constants.O_WRONLY | constants.O_NONBLOCK, (error, opened) => (error ? fail(error) : done(opened))),
      );
      break;
    } catch (error) {
      // ENXIO: no reader yet.
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      if (Date.now() >= deadline) {
        throw Object.assign(new Error(`nothing opened the named pipe for reading in ${FIFO_READER_WAIT_MS / 1000} s`), {
          code: 'ENXIO',
        });
      }
      await sleep(50);
    }
  }
  const pipe = new Socket({ fd, readable: false, writable: true });
  await pipeline(Readable.from(typeof data === 'string' ? [data] : data), pipe);
}

/**
 * A file or directory a command reads, named as the error names it (`the input image`). `image`: an IMAGE argument
 * (`oci:DIR`, `docker-archive:PATH:NAME`, a registry reference), read where the command would read it. `within`: for a
 * directory of which only some files are read (lint's), which (by path below it) and how the error names them; by default
 * every file in it is. An image that is a directory is an OCI layout, of which only `oci-layout`, `index.json` and
 * `blobs/` are read.
 */
export interface ReadPath {
  path: string;
  what: string;
  image?: boolean;
  within?: {
    holds: (path: string) => boolean;
    what: string;
    hint: string;
    /** For a path not there yet, which nothing reads now: what it would be (`named as a Dockerfile lint reads in`). */
    unborn?: { what: string; why: string };
  };
}

/** A file a command writes: the flag as the error names it (`-o`, `-o sarif=x.sarif`, `--save-baseline`) and what. */
export interface WritePath {
  path: string;
  flag: string;
  what: string;
}

/** Where a path really is: symlinks followed; a path not there yet is its deepest existing folder's real path and the rest. */
function whereIs(path: string, cwd: string): { real: string; stats?: Stats } {
  const absolute = resolve(cwd, path);
  const rest: string[] = [];
  for (let dir = absolute; ;) {
    try {
      const real = join(realpathSync(dir), ...rest);
      return { real, stats: rest.length === 0 ? statSync(real) : undefined };
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return { real: absolute };
      rest.unshift(basename(dir));
      dir = parent;
    }
  }
}

/**
 * One file under two names: the same real path, or a hard link (the same device and inode). A character device, pipe
 * or socket is never one: `-o junit=/dev/null -o sarif=/dev/null`, or /dev/stdout and /dev/stderr on one terminal,
 * each get their whole report.
 */
function sameFile(a: { real: string; stats?: Stats }, b: { real: string; stats?: Stats }): boolean {
  const stream = (s?: Stats) => !!s && (s.isCharacterDevice() || s.isFIFO() || s.isSocket());
  if (stream(a.stats) || stream(b.stats)) return false;
  if (a.real === b.real) return true;
  return !!a.stats && !!b.stats && a.stats.dev === b.stats.dev && a.stats.ino === b.stats.ino;
}

/** `path` below `dir`, relative to it (with `/`), or undefined. */
function below(path: string, dir: string): string | undefined {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
}

function within(path: string, dir: string): boolean {
  return below(path, dir) !== undefined;
}

/** What of an OCI layout is read: a report beside it (`cd app.oci && ballast analyze . -o report.txt`) is not. */
const LAYOUT_READS = /^(oci-layout|index\.json|blobs(\/.*)?)$/;

/** How an error names an output: its flag as typed with its path (`-o r.txt`, `-o sarif=r.sarif`). */
function typed(output: WritePath): string {
  return output.flag.endsWith(`=${output.path}`) ? output.flag : `${output.flag} ${output.path}`;
}

/**
 * Refuses (exit 2, before anything is read) output files that would overwrite what the command reads: `analyze
 * o.tar -o o.tar` replaced the image with its report, `lint --fix F -o F` the fixed Dockerfile, `-o app.oci/index.json`
 * broke the layout. Paths are compared as the system sees them (symlinks, `./x` and `x`, hard links), as are two
 * outputs naming one file (`ci -o sarif=r -o junit=r`), of which only the last would be left. A pipe, socket or
 * character device (`/dev/stdout`, `/dev/null`) is never the same file as another, so writing to one stays allowed.
 */
export async function refuseOverwrites(outputs: WritePath[], inputs: ReadPath[], cwd = process.cwd()): Promise<void> {
  if (outputs.length === 0) return;
  // Loaded only when there is an output to check: the image sources are a large part of a command's start-up.
  const images = inputs.some((i) => i.image) ? await import('./sources/resolve.js') : undefined;
  const read: { input: ReadPath; at: ReturnType<typeof whereIs>; reads: (rel: string) => boolean; layout: boolean }[] =
    [];
  for (const input of inputs) {
    const path = input.image ? await images!.localImagePath(input.path) : input.path;
    if (path === undefined || path === '-') continue;
    const at = whereIs(path, cwd);
    let reads = (rel: string) => input.within?.holds(rel) ?? true;
    let layout = false;
    if (input.image && at.stats?.isDirectory()) {
      // A directory that is no layout (`analyze .` in a source tree) is the source's error to tell, first.
      if (!existsSync(join(at.real, 'index.json'))) continue;
      reads = (rel) => LAYOUT_READS.test(rel);
      layout = true;
    }
    read.push({ input, at, reads, layout });
  }
  const written: { output: WritePath; at: ReturnType<typeof whereIs> }[] = [];
  for (const output of outputs) {
    const at = whereIs(output.path, cwd);
    for (const { input, at: source, reads, layout } of read) {
      // Named as typed; a path the command found (a config upward) relative to here when it is below.
      const named = isAbsolute(input.path) && within(input.path, cwd) ? relative(cwd, input.path) : input.path;
      if (sameFile(at, source))
        throw new UsageError(`${output.flag} names ${input.what} ${named}: ${output.what} would overwrite it`, {
          code: 'output-overwrites-input',
          hint: `write ${output.what} elsewhere`,
        });
      const rel = source.stats?.isDirectory() ? below(at.real, source.real) : undefined;
      if (rel === undefined || !reads(rel)) continue;
      if (!input.within)
        throw new UsageError(
          `${typed(output)} is inside ${input.what} ${named}: ${output.what} would overwrite what is read there`,
          {
            code: 'output-overwrites-input',
            // Only a layout's own files are read (LAYOUT_READS): a report beside them is fine, as the hint says.
            hint: layout
              ? `write ${output.what} outside ${named}, or beside the layout's files under another name (not oci-layout, index.json or blobs/)`
              : `write ${output.what} outside ${named}`,
          },
        );
      const { what, why } =
        !at.stats && input.within.unborn
          ? input.within.unborn
          : { what: input.within.what, why: `${output.what} would overwrite it` };
      throw new UsageError(`${typed(output)} is ${what} ${named}: ${why}`, {
        code: 'output-overwrites-input',
        hint: input.within.hint,
      });
    }
    const twin = written.find((w) => sameFile(w.at, at));
    if (twin)
      throw new UsageError(
        `${typed(twin.output)} and ${typed(output)} name the same file: ${output.what} would overwrite ${twin.output.what}`,
        { code: 'usage', hint: 'give each its own file' },
      );
    written.push({ output, at });
  }
}
