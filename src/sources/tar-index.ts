// Random access into an image archive: one pass over the tar headers (seeking past member data, so a
// 1 GB archive costs a few thousand small reads), then members are read by offset. tar-stream cannot do
// this: it reads every byte of every member, and image archives put their metadata after the layers.
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { isPermissionDenied, READ_PERMISSION_HINT, SourceError } from '../errors.js';
import {
  BLOCK,
  checksumOk,
  isMetaType,
  isZeroBlock,
  MAX_META_BYTES,
  normalizePath,
  parsePaxRecords,
  readHeaderBlock,
  readString,
  resolveHeader,
  TarFormatError,
  type HeaderBlock,
} from '../image/tar-header.js';

const utf8Name = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');

export interface TarMember {
  name: string;
  /** Offset of the member's data in the archive file. */
  offset: number;
  size: number;
  /** '0' file, '1' hardlink, '2' symlink, '5' directory, ... */
  type: string;
  linkname: string;
  /** The name as the header gives it (`./manifest.json`), for messages. */
  raw: string;
}

/** A name's components as written, empty and `.` ones dropped. */
const splitRaw = (name: string): string[] => name.split('/').filter((part) => part !== '' && part !== '.');

/** A member name for a message: quoted as JSON quotes it, so a control character cannot forge the line. */
const shown = (name: string): string => JSON.stringify(name).slice(1, -1);

/**
 * An archive whose member names make what it holds ambiguous: `../manifest.json` beside the real one was read in its
 * place (both normalise to `manifest.json`). No saver writes such names, so the archive is refused, not guessed at.
 */
function memberNameError(message: string): SourceError {
  return new SourceError(message, {
    code: 'bad-member-name',
    hint: 'no image tool writes such names: the archive was altered or is hostile; save or export the image again',
  });
}

/**
 * Why a tar whose headers ran out before an end-of-archive block ends short: the bytes left after the last whole
 * member (`offset`) are the start of a header cut off, or there are none. Zeros left are a cut end-of-archive marker,
 * nothing missing.
 */
async function endProblem(handle: FileHandle, offset: number, fileSize: number): Promise<string | undefined> {
  if (offset >= fileSize) return `the tar ends at byte ${fileSize} without its end-of-archive blocks`;
  const rest = Buffer.alloc(fileSize - offset);
  await handle.read(rest, 0, rest.length, offset);
  if (rest.every((byte) => byte === 0)) return undefined;
  return `the tar ends inside a member's header (${rest.length} of its ${BLOCK} bytes, at byte ${offset})`;
}

/** How much of the archive one read of its headers takes in: small members' headers come many to a read. */
const HEADER_WINDOW = 64 * 1024;

/**
 * Reads `length` bytes at `position` through a window of the file: one read per 512-byte header made an archive of
 * 200,000 empty members take 35 s to open (each read a round trip to the thread pool; `tar tf` lists it in under a
 * second). The bytes returned are valid until the next call; past the end of the file they are zeros.
 */
function windowedReader(handle: FileHandle, fileSize: number): (position: number, length: number) => Promise<Buffer> {
  const window = Buffer.alloc(HEADER_WINDOW);
  let start = 0;
  let filled = 0;
  return async (position, length) => {
    if (position >= start && position + length <= start + filled) {
      return window.subarray(position - start, position - start + length);
    }
    const into = length > HEADER_WINDOW ? Buffer.alloc(length) : window;
    const want = Math.max(length, Math.min(HEADER_WINDOW, fileSize - position));
    const { bytesRead } = await handle.read(into, 0, want, position);
    into.fill(0, bytesRead, want);
    if (into === window) {
      start = position;
      filled = bytesRead;
    }
    return into.subarray(0, length);
  };
}

/** Normalises a member name: no `./` or `/` prefix, no trailing slash, `a/../b` resolved (the shared normaliser). */
export const normalizeMemberName = normalizePath;

export class TarIndex {
  private constructor(
    readonly path: string,
    readonly members: Map<string, TarMember>,
    /**
     * How the tar ends short, when it does: without its end-of-archive blocks, or inside a member's header. Its
     * members are all whole (one cut inside its data is an error at once), so it is read; but when a member the
     * image needs is missing, this, not "it has no manifest.json", is what the user must hear.
     */
    readonly truncation?: string,
    /** The archive, for messages. */
    readonly describe = path,
  ) {}

  /** Reads every header of the tar at `path`. Throws a SourceError when the file is not a tar. */
  static async build(path: string, describe = path): Promise<TarIndex> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw new SourceError(`cannot open ${describe}: ${(error as Error).message}`, {
        code: 'open',
        cause: error,
        hint: isPermissionDenied(error)
          ? READ_PERMISSION_HINT
          : 'check the path, and that it is a file this user may read',
      });
    }
    try {
      const { size: fileSize } = await handle.stat();
      const members = new Map<string, TarMember>();
      const read = windowedReader(handle, fileSize);
      let offset = 0;
      let longName: string | undefined;
      let longLink: string | undefined;
      let pax: Record<string, string> = {};
      const corrupt = (detail: string) =>
        new SourceError(`${describe} is corrupt: ${detail} at byte ${offset}`, {
          code: 'corrupt-tar',
          hint: 'save or export the image again',
        });
      const notATar = (head: Buffer) =>
        new SourceError(`${describe} is not a tar archive${looksLikeDockerfile(head) ? ' but a Dockerfile' : ''}`, {
          code: 'not-a-tar',
          hint: looksLikeDockerfile(head)
            ? `pass the image built from it (\`docker save\` writes one; a name the daemon or a registry holds works too); \`ballast lint ${describe}\` checks the Dockerfile itself`
            : 'pass a docker-archive (docker save), an OCI archive or an OCI layout directory',
        });
      // Bytes after the end-of-archive marker, or a last partial block, are ignored as extractors do.
      let ended = false;
      while (offset + BLOCK <= fileSize) {
        const block = await read(offset, BLOCK);
        if (isZeroBlock(block)) {
          ended = true;
          break;
        }
        if (!checksumOk(block)) {
          if (members.size === 0) throw notATar(block);
          throw corrupt('bad tar header');
        }
        let header: HeaderBlock;
        try {
          header = readHeaderBlock(block);
        } catch (error) {
          if (error instanceof TarFormatError) throw corrupt(error.message);
          throw error;
        }
        const dataOffset = offset + BLOCK;
        const truncatedAt = (stored: number) => {
          if (dataOffset + stored > fileSize) {
            throw new SourceError(`${describe} is truncated: a member runs past the end of the file`, {
              code: 'truncated-tar',
              hint: 'the archive was cut short; save or download it again',
            });
          }
        };
        if (isMetaType(header.typeflag)) {
          truncatedAt(header.size);
          if (header.size > MAX_META_BYTES) throw corrupt(`a ${header.size}-byte tar meta header`);
          const data = await read(dataOffset, header.size);
          try {
            if (header.typeflag === 'L') longName = readString(data, 0, data.length);
            else if (header.typeflag === 'K') longLink = readString(data, 0, data.length);
            else if (header.typeflag === 'x') pax = parsePaxRecords(data);
            else parsePaxRecords(data); // a global header: checked, then ignored (see image/tar-header.ts)
          } catch (error) {
            if (error instanceof TarFormatError) throw corrupt(error.message);
            throw error;
          }
          offset = dataOffset + Math.ceil(header.size / BLOCK) * BLOCK;
          continue;
        }
        let stored: number;
        let name: string;
        let linkname: string;
        try {
          // The PAX size (members over 8 GiB) is the stored size: seek by it, not by the header's field.
          const resolved = resolveHeader(header, { longName, longLink, pax });
          stored = header.typeflag === 'S' ? header.size : resolved.stored;
          // Archive member names are looked up by the names manifests give: JSON text read as UTF-8, so decoded the
          // same way (a byte that is not UTF-8 is U+FFFD on both sides), not escaped as displayPath shows names.
          name = utf8Name(resolved.header.name);
          linkname = utf8Name(resolved.header.linkname);
        } catch (error) {
          if (error instanceof TarFormatError) throw corrupt(error.message);
          throw error;
        }
        truncatedAt(stored);
        const type = header.typeflag === '\0' ? '0' : header.typeflag;
        // A NUL can only come from a PAX record (a header field ends at the first one): no file system holds such a
        // name, and Go's archive/tar (docker load, skopeo) refuses the header.
        if (name.includes('\0') || linkname.includes('\0')) throw corrupt('a member name holds a NUL byte');
        if (splitRaw(name).includes('..')) {
          throw memberNameError(
            `${describe} has a member named "${shown(name)}": a ".." in a member name can make it stand for another`,
          );
        }
        const member = normalizeMemberName(name);
        // Two members under one name (`manifest.json` and `./manifest.json`, a blob stored twice) are two images in
        // one file: docker load keeps the last, skopeo reads the first, so what ballast reported would be one of
        // them by chance. A folder listed twice is harmless.
        const earlier = member === '' ? undefined : members.get(member);
        if (earlier && !(earlier.type === '5' && type === '5')) {
          const both = earlier.raw === name ? 'twice' : `as "${shown(earlier.raw)}" and "${shown(name)}"`;
          throw memberNameError(
            `${describe} holds two members named ${shown(member)} (${both}): which is the image's is ambiguous`,
          );
        }
        if (member !== '')
          members.set(member, { name: member, raw: name, offset: dataOffset, size: stored, type, linkname });
        longName = longLink = undefined;
        pax = {};
        offset = dataOffset + Math.ceil(stored / BLOCK) * BLOCK;
      }
      // A file shorter than one block never reached a header: it is an (empty) tar only if it holds nothing but
      // zeros; `hello\n` is not a tar archive, which is what a longer text file is told.
      if (fileSize > 0 && fileSize < BLOCK) {
        const head = Buffer.alloc(fileSize);
        await handle.read(head, 0, fileSize, 0);
        if (head.some((byte) => byte !== 0)) throw notATar(head);
      }
      if (members.size === 0) {
        throw new SourceError(`${describe} is an empty tar archive`, {
          code: 'empty-archive',
          hint: 'pass a docker-archive (docker save), an OCI archive or an OCI layout directory',
        });
      }
      return new TarIndex(path, members, ended ? undefined : await endProblem(handle, offset, fileSize), describe);
    } finally {
      await handle.close();
    }
  }

  /**
   * Follows symlinks and hardlinks inside the archive (legacy saves link duplicate `layer.tar`s to the first copy).
   * A link that leads back to itself is named as a loop: read as "not in the archive", it sent the user looking for a
   * member they could see in `tar tvf`.
   */
  resolve(name: string): TarMember | undefined {
    const start = normalizeMemberName(name);
    const chain: string[] = [];
    let member = this.members.get(start);
    while (member && (member.type === '2' || member.type === '1')) {
      chain.push(member.name);
      const target =
        member.type === '1' || member.linkname.startsWith('/')
          ? member.linkname
          : posix.join(posix.dirname(member.name), member.linkname);
      const next = normalizeMemberName(target);
      if (chain.includes(next) || chain.length > 16) {
        const path = [...chain, next].map((n) => JSON.stringify(n).slice(1, -1)).join(' -> ');
        throw new SourceError(
          chain.includes(next)
            ? `${start} in ${this.describe} is a symlink loop in the archive (${path})`
            : `${start} in ${this.describe} is a chain of more than 16 links in the archive`,
          {
            code: 'symlink-loop',
            hint: 'the archive is corrupt: a link stands where the image has a file; save or export the image again',
          },
        );
      }
      member = this.members.get(next);
    }
    return member;
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  async read(name: string): Promise<Buffer> {
    const member = this.mustResolve(name);
    const handle = await open(this.path, 'r');
    try {
      const data = Buffer.alloc(member.size);
      await handle.read(data, 0, member.size, member.offset);
      return data;
    } finally {
      await handle.close();
    }
  }

  stream(name: string): Readable {
    const member = this.mustResolve(name);
    if (member.size === 0) return Readable.from([]);
    return createReadStream(this.path, {
      start: member.offset,
      end: member.offset + member.size - 1,
      highWaterMark: 256 * 1024,
    });
  }

  /** Where a member's bytes lie in the archive file. */
  locate(name: string): { path: string; start: number; length: number } {
    const member = this.mustResolve(name);
    return { path: this.path, start: member.offset, length: member.size };
  }

  private mustResolve(name: string): TarMember {
    const member = this.resolve(name);
    if (!member) {
      throw new SourceError(`the archive has no member "${name}"`, {
        code: 'member-missing',
        hint: 'the archive is incomplete; save or export the image again',
      });
    }
    return member;
  }
}

/**
 * Whether a file's first bytes read as a Dockerfile: its first instruction, past comments (a `# syntax=` directive
 * among them) and blank lines, is FROM or ARG, as a Dockerfile's must be. Given one as the IMAGE, a user is told to
 * pass the image built from it rather than what a tar archive is.
 */
export function looksLikeDockerfile(head: Buffer): boolean {
  const text = head.toString('utf8');
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    return /^(from|arg)\s+\S/i.test(trimmed);
  }
  return false;
}
