// One tar header reader for the whole product: the layer walk's streaming parser (analysis/tar-parser.ts) and
// the image-archive index (sources/tar-index.ts) both decode headers here, so they agree on every format:
// - ustar: `prefix/name` only when the magic is POSIX `ustar\0` (an old-GNU header keeps other data there);
// - old GNU: `ustar  \0` magic, `L`/`K` long name and link records, base-256 numbers (sizes over 8 GiB);
// - PAX: `x` records override path, linkpath, size, uid, gid, mtime; the size a PAX record gives is the stored
//   size, so a reader seeks past a member by it, never by the header's (truncated) field. Global `g` records are
//   checked and then ignored, as Go's archive/tar (containerd, Docker) ignores them: a runtime extracts no entry
//   by them, and applying them to every later entry let one 16 MiB header cost its record count per entry;
// - sparse files: old GNU `S` (the regions are in the header), PAX 0.0 and 0.1 (the map in the records) and
//   PAX 1.0 (the map at the start of the data);
// - the checksum as the unsigned or the signed sum of the bytes (old writers summed signed chars).
//
// Names are "binary strings" (one char per byte, latin1): byte-exact, so two different non-UTF-8 names never
// collide and ordering is byte order. `normalizePath` is the one path normaliser.
import { isUtf8 } from 'node:buffer';

export const BLOCK = 512;

/** PAX and GNU long-name records larger than this are not names: readers refuse rather than buffer them. */
export const MAX_META_BYTES = 16 * 1024 * 1024;

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface SparseRegion {
  offset: number;
  length: number;
}

/** A header with its long-name and PAX records applied. */
export interface TarHeader {
  /** Raw name after PAX / GNU long-name overrides, as a binary string. */
  name: string;
  typeflag: string;
  type: EntryType;
  /** Logical size: content bytes of a regular file (the expanded size of a sparse one). */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (PAX `mtime` may carry a fraction). */
  mtime: number;
  /** Raw link target (symlinks and hardlinks), binary string. */
  linkname: string;
  /** PAX records other than the ones applied above (xattrs such as SCHILY.xattr.*). */
  pax?: Record<string, string>;
  /** A character or block device's numbers (typeflag `3` or `4`); absent on every other entry. */
  device?: DeviceNumbers;
}

/** A device node's major and minor numbers, as the tar header's devmajor and devminor fields give them. */
export interface DeviceNumbers {
  major: number;
  minor: number;
}

/**
 * What one header block says, before long-name and PAX records are applied. Its `size` is the size field:
 * stored data bytes that follow the header (a meta record's length for `x`/`g`/`L`/`K`).
 */
export interface HeaderBlock extends Omit<TarHeader, 'type' | 'pax'> {
  format: 'ustar' | 'gnu' | 'v7';
}

/** Header plus how its data is stored. */
export interface ResolvedHeader {
  header: TarHeader;
  /** Bytes of data stored after the header block (before padding to a block). */
  stored: number;
  /** A sparse file: the regions of its stored data, or `mapInData` when the map starts the data (PAX 1.0). */
  sparse?: { realSize: number; regions: SparseRegion[]; mapInData: boolean };
}

/** Thrown for a header that cannot be right; readers turn it into their own error with the archive's name. */
export class TarFormatError extends Error {}

/** Largest size taken at face value: beyond it a number loses integer precision. */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

/** Reads an octal or GNU base-256 number field; NaN when it is neither (or negative, or too large). */
export function readNumber(buf: Buffer, start: number, length: number): number {
  const first = buf[start];
  if (first & 0x80) {
    // base-256: big-endian two's complement in the remaining bits; negative values (0xff) mean nothing here
    if (first === 0xff) return Number.NaN;
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + buf[start + i];
    return value > MAX_SIZE ? Number.NaN : value;
  }
  let value = 0;
  let seen = false;
  for (let i = start; i < start + length; i++) {
    const c = buf[i];
    if (c >= 0x30 && c <= 0x37) {
      value = value * 8 + (c - 0x30);
      seen = true;
    } else if (c === 0 || (c === 0x20 && seen)) {
      break;
    } else if (c !== 0x20) {
      return Number.NaN;
    }
  }
  return value;
}

/** A NUL-terminated field as a binary string. */
export function readString(buf: Buffer, start: number, length: number): string {
  let end = start;
  const max = start + length;
  while (end < max && buf[end] !== 0) end++;
  return buf.toString('latin1', start, end);
}

export function isZeroBlock(buf: Buffer, start = 0): boolean {
  for (let i = start; i < start + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** The stored checksum equals the unsigned or the signed byte sum (checksum field counted as spaces). */
export function checksumOk(buf: Buffer, start = 0): boolean {
  const stored = readNumber(buf, start + 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : buf[start + i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/**
 * PAX extended header records: `LEN key=value\n`, values kept as binary strings. PAX 0.0 sparse headers repeat
 * `GNU.sparse.offset` / `GNU.sparse.numbytes` once per region; they are collected into `GNU.sparse.map`
 * (the 0.1 form, `offset,length,...`) so one decoder reads both.
 *
 * A record that is not framed so (its length runs past the data or does not end at a newline, no `key=`) throws
 * TarFormatError: skipping it would apply the header's own size instead of the one the writer meant, and read the
 * rest of the layer out of step, where Go's archive/tar (containerd) and Python's tarfile refuse the header. NUL
 * padding after the last record is allowed, as tarfile allows it.
 */
export function parsePaxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  const map: string[] = [];
  let pos = 0;
  while (pos < data.length && data[pos] !== 0) {
    let space = pos;
    while (space < data.length && data[space] !== 0x20) space++;
    const digits = data.toString('latin1', pos, space);
    const len = /^[0-9]+$/.test(digits) ? Number(digits) : NaN;
    // The shortest record is `5 k=\n`.
    if (!(len >= 5) || pos + len > data.length || space + 1 >= pos + len - 1 || data[pos + len - 1] !== 0x0a)
      throw new TarFormatError(`a PAX record is malformed (at byte ${pos} of ${data.length})`);
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw new TarFormatError(`a PAX record has no key (at byte ${pos} of ${data.length})`);
    const key = record.toString('latin1', 0, eq);
    const value = record.toString('latin1', eq + 1);
    if (key === 'GNU.sparse.offset' || key === 'GNU.sparse.numbytes') map.push(value);
    else out[key] = value;
    pos += len;
  }
  if (map.length && out['GNU.sparse.map'] === undefined) out['GNU.sparse.map'] = map.join(',');
  return out;
}

export function typeOf(flag: string): EntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
    case 'S':
      return 'file';
    case '5':
      return 'dir';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** Types whose size field describes data blocks that follow the header. */
export function hasData(flag: string): boolean {
  return !(flag === '1' || flag === '2' || flag === '3' || flag === '4' || flag === '5' || flag === '6');
}

/** Meta records that describe the next header instead of being entries. */
export function isMetaType(flag: string): boolean {
  return flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
}

function checkSize(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_SIZE)
    throw new TarFormatError(`${what} is not a valid size`);
  return value;
}

/**
 * Decodes one header block (the checksum is the caller's to check: it decides what a bad one means). Throws
 * TarFormatError for a size field that is not a number.
 */
export function readHeaderBlock(buf: Buffer, pos = 0): HeaderBlock {
  const magic = buf.toString('latin1', pos + 257, pos + 263);
  const format = magic === 'ustar\0' ? 'ustar' : magic === 'ustar ' ? 'gnu' : 'v7';
  const typeflag = String.fromCharCode(buf[pos + 156]);
  let name = readString(buf, pos, 100);
  if (format === 'ustar' && typeflag !== 'S') {
    const prefix = readString(buf, pos + 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    name,
    typeflag,
    size: checkSize(readNumber(buf, pos + 124, 12), 'the size field'),
    mode: readNumber(buf, pos + 100, 8) || 0,
    uid: readNumber(buf, pos + 108, 8) || 0,
    gid: readNumber(buf, pos + 116, 8) || 0,
    mtime: readNumber(buf, pos + 136, 12) || 0,
    linkname: readString(buf, pos + 157, 100),
    format,
    // The fields exist in ustar and old-GNU headers; a v7 header has none (zeros, or another writer's data).
    ...((typeflag === '3' || typeflag === '4') && format !== 'v7'
      ? { device: { major: readNumber(buf, pos + 329, 8) || 0, minor: readNumber(buf, pos + 337, 8) || 0 } }
      : {}),
  };
}

/** Old-GNU sparse regions from `count` 24-byte slots at `at` (stops at an empty slot). */
export function readSparseSlots(buf: Buffer, at: number, count: number, into: SparseRegion[]): void {
  for (let i = 0; i < count; i++) {
    const slot = at + i * 24;
    if (buf[slot] === 0) break;
    const offset = readNumber(buf, slot, 12);
    const length = readNumber(buf, slot + 12, 12);
    into.push({ offset: checkSize(offset, 'a sparse offset'), length: checkSize(length, 'a sparse length') });
  }
}

function numberRecord(value: string, key: string): number {
  // Decimal digits only, as tar readers parse them: Number() would also take '', ' 12', '0x10' and '1e3'.
  return checkSize(/^[0-9]+$/.test(value) ? Number(value) : NaN, `the PAX ${key} record`);
}

/**
 * Applies long-name/link records and the entry's PAX records to a header block. For an old-GNU sparse header (`S`)
 * the caller reads the regions from the block and its extension blocks.
 */
export function resolveHeader(
  block: HeaderBlock,
  meta: { longName?: string; longLink?: string; pax?: Record<string, string> },
): ResolvedHeader {
  let flag = block.typeflag;
  // V7 tar marks directories as regular files with a trailing slash.
  if (flag === '\0' && block.name.endsWith('/')) flag = '5';
  const header: TarHeader = {
    name: meta.longName ?? block.name,
    typeflag: flag,
    type: typeOf(flag),
    size: block.size,
    mode: block.mode,
    uid: block.uid,
    gid: block.gid,
    mtime: block.mtime,
    linkname: meta.longLink ?? block.linkname,
  };
  if (block.device) header.device = block.device;
  let stored = hasData(flag) ? block.size : 0;
  const pax = meta.pax ?? {};
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(pax)) {
    switch (key) {
      case 'path':
        header.name = value;
        break;
      case 'linkpath':
        header.linkname = value;
        break;
      case 'size':
        header.size = numberRecord(value, key);
        stored = hasData(flag) ? header.size : 0;
        break;
      case 'uid':
      case 'gid':
        header[key] = numberRecord(value, key);
        break;
      case 'mtime': {
        const t = Number(value);
        if (Number.isFinite(t)) header.mtime = t;
        break;
      }
      default:
        if (!key.startsWith('GNU.sparse.')) extra[key] = value;
    }
  }
  if (Object.keys(extra).length) header.pax = extra;

  const result: ResolvedHeader = { header, stored };
  if (pax['GNU.sparse.major'] === '1' && pax['GNU.sparse.realsize'] !== undefined) {
    // PAX 1.0: the map is at the start of the data.
    result.sparse = {
      realSize: numberRecord(pax['GNU.sparse.realsize'], 'GNU.sparse.realsize'),
      regions: [],
      mapInData: true,
    };
  } else if (
    pax['GNU.sparse.map'] !== undefined &&
    (pax['GNU.sparse.size'] ?? pax['GNU.sparse.realsize']) !== undefined
  ) {
    // PAX 0.0 / 0.1: the regions are in the records; the data is the regions back to back.
    const numbers =
      pax['GNU.sparse.map'] === ''
        ? []
        : pax['GNU.sparse.map'].split(',').map((n) => numberRecord(n, 'GNU.sparse.map'));
    if (numbers.length % 2) throw new TarFormatError('the PAX GNU.sparse.map record has an odd count');
    const regions: SparseRegion[] = [];
    for (let i = 0; i < numbers.length; i += 2) regions.push({ offset: numbers[i], length: numbers[i + 1] });
    const realSize = numberRecord((pax['GNU.sparse.size'] ?? pax['GNU.sparse.realsize'])!, 'GNU.sparse.size');
    result.sparse = { realSize, regions, mapInData: false };
  }
  if (result.sparse) {
    if (pax['GNU.sparse.name'] !== undefined) header.name = pax['GNU.sparse.name'];
    header.size = result.sparse.realSize;
  }
  if (header.type === 'dir') header.name = header.name.replace(/\/+$/, '');
  return result;
}

/**
 * The one path normaliser: a tar name, link target or member name as a path relative to the root, as an applier
 * confines it to the root: `./`, empty and `.` components dropped, `..` applied but never above the root,
 * no slash at either end ('' is the root).
 */
export function normalizePath(name: string): string {
  // Fast path: already clean (the usual case for layer entries), no allocation.
  if (name !== '' && !/(^|\/)\.{0,2}(\/|$)|^\//.test(name)) return name;
  return splitPath(name).join('/');
}

/** The components of `normalizePath(name)`. */
export function splitPath(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

/**
 * A binary (latin1) path as people read it, in every command's output: UTF-8 where it is, and each byte that is not
 * part of a UTF-8 character as `\xHH` (U+FFFD would make `a\xff` and `a\xfe` one name, and neither could be typed
 * back into `diff --filename` or explore's filter). Control characters stay as they are here: the reporters escape
 * them (`printablePath`).
 */
export function displayPath(binary: string): string {
  // eslint-disable-next-line no-control-regex -- fast path: plain ASCII needs no conversion
  if (/^[\x00-\x7f]*$/.test(binary)) return binary;
  const bytes = Buffer.from(binary, 'latin1');
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    const char = length ? bytes.subarray(i, i + length) : undefined;
    if (char && char.length === length && isUtf8(char)) {
      out += char.toString('utf8');
      i += length;
    } else {
      out += `\\x${lead.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/**
 * The binary paths a path typed by someone may stand for, most literal first: as written (UTF-8), then with its
 * `\xHH` escapes (as displayPath and the reports write them) read as bytes, then as characters (a report
 * shows a control character such as U+0085 that way too). A `\uHHHH` escape is a character either way: the reports
 * write the bidirectional controls so (U+202E), and a name copied from one is typed back with it.
 */
export function typedPathCandidates(typed: string): string[] {
  const literal = Buffer.from(typed, 'utf8').toString('latin1');
  if (!/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/.test(typed)) return [literal];
  const parts = typed.split(/(\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4})/);
  const decoded = (asByte: boolean) =>
    parts
      .map((p, i) => {
        if (i % 2 === 0) return Buffer.from(p, 'utf8').toString('latin1');
        const code = parseInt(p.slice(2), 16);
        return asByte && p[1] === 'x'
          ? String.fromCharCode(code)
          : Buffer.from(String.fromCharCode(code), 'utf8').toString('latin1');
      })
      .join('');
  return [...new Set([literal, decoded(true), decoded(false)])];
}
