// A read-only view of named files, backed by a directory (OCI layout dir) or by an indexed tar
// (docker-archive, OCI archive), so the layout and archive readers are written once.
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { readFile, readlink, stat } from 'node:fs/promises';
import { specialFileKind } from '../host-path.js';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isPermissionDenied, READ_PERMISSION_HINT, SourceError, parseDocument } from '../errors.js';
import { normalizeMemberName, type TarIndex } from './tar-index.js';

/**
 * The most a JSON document (manifest, index, config, docker save's manifest.json) may weigh. Real ones are KBs (a
 * config with a long history, a few hundred KB); read() holds the whole document in memory, so a hostile 1 GB one is
 * refused by its size before a byte is read.
 */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * The most a manifest or an index may weigh: the 4 MiB the distribution registry accepts (a real one is a few KB).
 * Held to MAX_DOCUMENT_BYTES, a 50 MB manifest was read and parsed whole (517 MB of memory) for output that is cut.
 */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A cap on a document read whole, and what the document is, for the error. */
export interface DocumentLimit {
  bytes: number;
  what: string;
}

/** Manifests and indexes, from every source: held to the registry's cap on them, not to a config's. */
export const MANIFEST_LIMIT: DocumentLimit = { bytes: MAX_MANIFEST_BYTES, what: 'a manifest or index' };

const ANY_DOCUMENT: DocumentLimit = { bytes: MAX_DOCUMENT_BYTES, what: 'a manifest, index or config' };

export interface Files {
  /** The path, for messages. */
  readonly describe: string;
  exists(name: string): Promise<boolean>;
  size(name: string): Promise<number>;
  /** The whole file, for JSON documents only: refuses one larger than `limit` (default MAX_DOCUMENT_BYTES). */
  read(name: string, limit?: DocumentLimit): Promise<Buffer>;
  stream(name: string): Readable;
  /** Where the file's bytes lie on disk: what stream(name) reads (for a reader on another thread). */
  locate(name: string): FileRange;
}

/** Bytes of a local file: from `start`, `length` of them (undefined: to the end). */
export interface FileRange {
  path: string;
  start: number;
  length?: number;
}

/** Tar member types other than a file's, named for the error that refuses one where an image has a file. */
const MEMBER_KINDS: Record<string, string> = {
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO (a pipe)',
};

export function tarFiles(index: TarIndex, describe: string): Files & { names(): string[] } {
  // A member that is no file (a directory or FIFO entry under a layer's or blob's name) holds no bytes: read as an
  // empty file, it was a 0 B layer in inspect and, with --no-verify, an empty layer in analyze.
  const resolve = (name: string) => {
    const member = index.resolve(name);
    if (member && member.type in MEMBER_KINDS) {
      throw new SourceError(`${name} in ${describe} is ${MEMBER_KINDS[member.type]} in the archive, not a file`, {
        code: 'not-a-file',
        hint: 'the archive is corrupt: a file of the image is stored as something else; save the image again',
      });
    }
    return member;
  };
  return {
    describe,
    exists: async (name) => resolve(name) !== undefined,
    size: async (name) => {
      const member = resolve(name);
      if (!member) throw missing(describe, name);
      return member.size;
    },
    read: async (name, limit) => {
      const member = resolve(name);
      // Missing here as in a layout: the caller names what it looked for (docker-archive: "lists config X, which is
      // not in the archive"); the index's own error names no archive.
      if (!member) throw missing(describe, name);
      checkDocumentSize(describe, name, member.size, limit);
      return index.read(name);
    },
    stream: (name) => index.stream(name),
    locate: (name) => index.locate(name),
    names: () => index.names(),
  };
}

export function dirFiles(root: string): Files {
  const full = (name: string): string => join(root, normalizeMemberName(name));
  return {
    describe: root,
    exists: async (name) => {
      let info: Stats;
      try {
        info = await stat(full(name));
      } catch (error) {
        if (!isAbsent(error)) throw readError(root, name, error);
        // A link whose target is gone is there (`ls` lists it): named with its target, not "the layout has no
        // index.json" or "lacks the blob", which send the user to look for a file they can see.
        const target = await readlink(full(name)).catch(() => undefined);
        if (target === undefined) return false;
        throw new SourceError(`${name} in ${root} is a symlink to a missing target, ${target}`, {
          code: 'dangling-symlink',
          hint: 'restore its target or point the link at the file; else copy or save the image again',
        });
      }
      // A folder under a file's name is no "missing" file either.
      if (info.isDirectory())
        throw new SourceError(`${name} in ${root} is a directory, not a file`, {
          code: 'not-a-file',
          hint: DIRECTORY_HINT,
        });
      // A FIFO, device or socket under a file's name is there, but no image file: said so, not "missing", which sends
      // the user to copy an image that is whole (a blob linked to /dev/zero, a pipe left by a tool).
      const kind = specialFileKind(info);
      if (kind)
        throw new SourceError(`${name} in ${root} is ${kind}, not a regular file`, {
          code: 'not-a-file',
          hint: 'replace it with the file it stands for; copy or save the image again',
        });
      return info.isFile();
    },
    size: async (name) => {
      try {
        return (await stat(full(name))).size;
      } catch (error) {
        throw readError(root, name, error);
      }
    },
    read: async (name, limit) => {
      let size: number;
      try {
        size = (await stat(full(name))).size;
      } catch (error) {
        throw readError(root, name, error);
      }
      checkDocumentSize(root, name, size, limit);
      try {
        return await readFile(full(name));
      } catch (error) {
        throw readError(root, name, error);
      }
    },
    stream: (name) => createReadStream(full(name), { highWaterMark: 256 * 1024 }),
    locate: (name) => ({ path: full(name), start: 0 }),
  };
}

function checkDocumentSize(describe: string, name: string, size: number, limit = ANY_DOCUMENT): void {
  if (size <= limit.bytes) return;
  throw new SourceError(`${name} in ${describe} is ${size} bytes, too large for ${limit.what} (limit ${limit.bytes})`, {
    code: 'document-too-large',
    hint: 'the image is corrupt or hostile; real image documents are a few KB',
  });
}

const DIRECTORY_HINT =
  'a directory stands where the image has a file: the layout is corrupt; copy or save the image again';

const isAbsent = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/** A file of a layout that could not be read: missing only when it is not there; else why it could not be read. */
function readError(root: string, name: string, error: unknown): SourceError {
  return isAbsent(error) ? missing(root, name, error) : cannotRead(`${name} in ${root}`, error);
}

/**
 * A file that is there but could not be read (`what` names it). Permission denied says what to do about it; other
 * errors (EIO, EISDIR...) are given as the system words them.
 */
export function cannotRead(what: string, error: unknown): SourceError {
  const code = (error as NodeJS.ErrnoException).code;
  // A link loop is the layout's own making, not a failing disk: said so, without Node's words and path again.
  if (code === 'ELOOP') {
    return new SourceError(`cannot read ${what}: it is a symlink loop (ELOOP)`, {
      code: 'symlink-loop',
      cause: error,
      hint: 'point the link (or a folder link on its way) at the file it stands for; else copy or save the image again',
    });
  }
  if (isPermissionDenied(error)) {
    return new SourceError(`cannot read ${what}: permission denied`, {
      code: 'permission-denied',
      cause: error,
      hint: READ_PERMISSION_HINT,
    });
  }
  return new SourceError(`cannot read ${what}: ${(error as Error).message}`, {
    code: code?.toLowerCase() ?? 'io',
    cause: error,
    hint:
      code === 'EISDIR'
        ? DIRECTORY_HINT
        : 'the disk or file system failed to read it; check it, or copy the image somewhere else',
  });
}

function missing(describe: string, name: string, cause?: unknown): SourceError {
  return new SourceError(`${describe} has no ${name}`, {
    code: 'blob-missing',
    cause,
    hint: 'the image is incomplete (a blob was not exported); save or copy the image again',
  });
}

/** Parses JSON from an image file, with an error that names the file and says what was expected. */
export async function readJson<T>(files: Files, name: string, what: string, limit?: DocumentLimit): Promise<T> {
  return parseDocument<T>(await files.read(name, limit), {
    message: `${name} in ${files.describe} is not valid JSON (expected ${what})`,
    code: 'bad-json',
    hint: 'the image is corrupt; copy or save it again',
  });
}
