// Random access into an image archive: one pass over the tar headers (seeking past member data, so a
// 1 GB archive costs a few thousand small reads), then members are read by offset. tar-stream cannot do
// this: it reads every byte of every member, and image archives put their metadata after the layers.
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { SourceError } from '../errors.js';

export interface TarMember {
  name: string;
  /** Offset of the member's data in the archive file. */
  offset: number;
  size: number;
  /** '0' file, '1' hardlink, '2' symlink, '5' directory, ... */
  type: string;
  linkname: string;
}

const BLOCK = 512;

/** Normalises a member name: no `./` or `/` prefix, no trailing slash, `a/../b` resolved. */
export function normalizeMemberName(name: string): string {
  const cleaned = posix.normalize(`/${name}`).replace(/^\/+/, '').replace(/\/+$/, '');
  return cleaned === '.' ? '' : cleaned;
}

function readString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** Octal, or base-256 when the high bit of the first byte is set (GNU, for sizes over 8 GiB). */
export function readNumber(block: Buffer, start: number, length: number): number {
  if (block[start] & 0x80) {
    let value = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const text = readString(block, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function checksumOk(block: Buffer): boolean {
  const stored = readNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === stored;
}

/** Parses PAX extended-header records (`<len> key=value\n`). */
export function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = Number.parseInt(data.toString('utf8', pos, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return records;
}

export class TarIndex {
  private constructor(
    readonly path: string,
    readonly members: Map<string, TarMember>,
  ) {}

  /** Reads every header of the tar at `path`. Throws a SourceError when the file is not a tar. */
  static async build(path: string, describe = path): Promise<TarIndex> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw new SourceError(`cannot open ${describe}: ${(error as Error).message}`, { code: 'open', cause: error });
    }
    try {
      const { size: fileSize } = await handle.stat();
      const members = new Map<string, TarMember>();
      const block = Buffer.alloc(BLOCK);
      let offset = 0;
      let longName: string | undefined;
      let longLink: string | undefined;
      let pax: Record<string, string> = {};
      while (offset + BLOCK <= fileSize) {
        await handle.read(block, 0, BLOCK, offset);
        if (isZeroBlock(block)) break;
        if (!checksumOk(block)) {
          if (members.size === 0) {
            throw new SourceError(`${describe} is not a tar archive`, {
              code: 'not-a-tar',
              hint: 'pass a docker-archive (docker save), an OCI archive or an OCI layout directory',
            });
          }
          throw new SourceError(`${describe} is corrupt: bad tar header at byte ${offset}`, { code: 'corrupt-tar' });
        }
        const type = String.fromCharCode(block[156] || 0x30);
        const size = readNumber(block, 124, 12);
        const dataOffset = offset + BLOCK;
        const next = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
        if (dataOffset + size > fileSize) {
          throw new SourceError(`${describe} is truncated: a member runs past the end of the file`, {
            code: 'truncated-tar',
            hint: 'the archive was cut short; save or download it again',
          });
        }
        if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
          const data = Buffer.alloc(size);
          await handle.read(data, 0, size, dataOffset);
          if (type === 'L') longName = readString(data, 0, size);
          else if (type === 'K') longLink = readString(data, 0, size);
          else if (type === 'x') pax = parsePax(data);
          offset = next;
          continue;
        }
        const magic = block.toString('latin1', 257, 263);
        const prefix = magic.startsWith('ustar') ? readString(block, 345, 155) : '';
        const rawName = pax.path ?? longName ?? (prefix ? `${prefix}/${readString(block, 0, 100)}` : readString(block, 0, 100));
        const linkname = pax.linkpath ?? longLink ?? readString(block, 157, 100);
        const memberSize = pax.size !== undefined ? Number(pax.size) : size;
        const name = normalizeMemberName(rawName);
        // Later duplicates win, as they would on extraction.
        if (name !== '') members.set(name, { name, offset: dataOffset, size: memberSize, type, linkname });
        longName = longLink = undefined;
        pax = {};
        offset = next;
      }
      if (members.size === 0) {
        throw new SourceError(`${describe} is an empty tar archive`, {
          code: 'empty-archive',
          hint: 'pass a docker-archive (docker save), an OCI archive or an OCI layout directory',
        });
      }
      return new TarIndex(path, members);
    } finally {
      await handle.close();
    }
  }

  /** Follows symlinks inside the archive (legacy saves link duplicate `layer.tar`s to the first copy). */
  resolve(name: string, depth = 0): TarMember | undefined {
    const member = this.members.get(normalizeMemberName(name));
    if (!member || depth > 16) return undefined;
    if (member.type === '2') {
      const target = member.linkname.startsWith('/')
        ? member.linkname
        : posix.join(posix.dirname(member.name), member.linkname);
      return this.resolve(target, depth + 1);
    }
    if (member.type === '1') return this.resolve(member.linkname, depth + 1);
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
