// A read-only view of named files, backed by a directory (OCI layout dir) or by an indexed tar
// (docker-archive, OCI archive), so the layout and archive readers are written once.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SourceError } from '../errors.js';
import { normalizeMemberName, type TarIndex } from './tar-index.js';

export interface Files {
  /** The path, for messages. */
  readonly describe: string;
  exists(name: string): Promise<boolean>;
  size(name: string): Promise<number>;
  read(name: string): Promise<Buffer>;
  stream(name: string): Readable;
}

export function tarFiles(index: TarIndex, describe: string): Files & { names(): string[] } {
  return {
    describe,
    exists: async (name) => index.has(name),
    size: async (name) => {
      const member = index.resolve(name);
      if (!member) throw missing(describe, name);
      return member.size;
    },
    read: (name) => index.read(name),
    stream: (name) => index.stream(name),
    names: () => index.names(),
  };
}

export function dirFiles(root: string): Files {
  const full = (name: string): string => join(root, normalizeMemberName(name));
  return {
    describe: root,
    exists: async (name) => {
      try {
        return (await stat(full(name))).isFile();
      } catch {
        return false;
      }
    },
    size: async (name) => {
      try {
        return (await stat(full(name))).size;
      } catch (error) {
        throw missing(root, name, error);
      }
    },
    read: async (name) => {
      try {
        return await readFile(full(name));
      } catch (error) {
        throw missing(root, name, error);
      }
    },
    stream: (name) => createReadStream(full(name), { highWaterMark: 256 * 1024 }),
  };
}

function missing(describe: string, name: string, cause?: unknown): SourceError {
  return new SourceError(`${describe} has no ${name}`, {
    code: 'blob-missing',
    cause,
    hint: 'the image is incomplete (a blob was not exported); save or copy the image again',
  });
}

/** Parses JSON from an image file, with an error that names the file and says what was expected. */
export async function readJson<T>(files: Files, name: string, what: string): Promise<T> {
  const data = await files.read(name);
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (error) {
    throw new SourceError(`${name} in ${files.describe} is not valid JSON (expected ${what})`, {
      code: 'bad-json',
      cause: error,
    });
  }
}
