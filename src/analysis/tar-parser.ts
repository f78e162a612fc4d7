// A push-based tar reader for layer streams. Hand-written instead of tar-stream because the layer walk needs
// things tar-stream does not give cheaply: raw (byte-exact, possibly non-UTF-8) names, old-GNU and PAX 1.0
// sparse files expanded to their logical content, stopping at the end-of-archive marker while the caller keeps
// counting the bytes that follow, and no per-entry stream objects (a layer can hold 25k files; one object per
// entry with backpressure plumbing cost more than the hashing itself).
//
// Names are kept as "binary strings" (one char per byte, latin1), so two different non-UTF-8 names never
// collide and ordering is byte order; convert with `displayPath` for people.
import { SourceError } from '../errors.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

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
  /** Modification time, seconds since the epoch (PAX `mtime` may carry a fraction). */
  mtime: number;
  /** Raw link target (symlinks and hardlinks), binary string. */
  linkname: string;
  /** PAX records other than the ones applied above (xattrs such as SCHILY.xattr.*). */
  pax?: Record<string, string>;
}

/** Receives the logical content of one entry. */
export interface EntrySink {
  data(chunk: Buffer): void;
  end(): void;
}

export interface TarHandler {
  /** Called for every entry (not for PAX/GNU meta headers); return a sink to receive its content. */
  entry(header: TarHeader): EntrySink | undefined;
}

const BLOCK = 512;
/** PAX and GNU long-name records larger than this are not names: refuse rather than buffer them. */
const MAX_META_BYTES = 16 * 1024 * 1024;

type State = 'header' | 'data' | 'meta' | 'skip' | 'sparse-ext' | 'done';

interface SparseRegion {
  offset: number;
  length: number;
}

/** Reads an octal or GNU base-256 number field. */
function readNumber(buf: Buffer, start: number, length: number): number {
  const first = buf[start];
  if (first & 0x80) {
    // base-256: big-endian two's complement in the remaining bits
    let value = first & 0x7f;
    if (first === 0xff) value = -1;
    for (let i = 1; i < length; i++) value = value * 256 + buf[start + i];
    return value;
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
    }
  }
  return value;
}

function readString(buf: Buffer, start: number, length: number): string {
  let end = start;
  const max = start + length;
  while (end < max && buf[end] !== 0) end++;
  return buf.toString('latin1', start, end);
}

function isZeroBlock(buf: Buffer, start: number): boolean {
  for (let i = start; i < start + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

function checksumOk(buf: Buffer, start: number): boolean {
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

/** PAX extended header records: `LEN key=value\n`, values kept as binary strings. */
export function parsePaxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    let space = pos;
    while (space < data.length && data[space] !== 0x20) space++;
    const len = Number.parseInt(data.toString('latin1', pos, space), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) break;
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq > 0) out[record.toString('latin1', 0, eq)] = record.toString('latin1', eq + 1);
    pos += len;
  }
  return out;
}

function typeOf(flag: string): EntryType {
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
function hasData(flag: string): boolean {
  return !(flag === '1' || flag === '2' || flag === '3' || flag === '4' || flag === '5' || flag === '6');
}

/**
 * Expands stored sparse segments to logical content, filling holes with zeros, so the content hash is
 * the hash of the file as a reader would see it.
 */
class SparseExpander implements EntrySink {
  private regionIndex = 0;
  private regionLeft: number;
  private logical = 0;
  private static zeros = Buffer.alloc(64 * 1024);

  constructor(
    private readonly sink: EntrySink,
    private readonly regions: SparseRegion[],
    private readonly realSize: number,
  ) {
    this.regionLeft = regions.length ? regions[0].length : 0;
    this.fillTo(regions.length ? regions[0].offset : 0);
  }

  private fillTo(offset: number): void {
    while (this.logical < offset) {
      const n = Math.min(offset - this.logical, SparseExpander.zeros.length);
      this.sink.data(SparseExpander.zeros.subarray(0, n));
      this.logical += n;
    }
  }

  data(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.regionIndex < this.regions.length) {
      const n = Math.min(this.regionLeft, chunk.length - pos);
      if (n > 0) this.sink.data(chunk.subarray(pos, pos + n));
      pos += n;
      this.logical += n;
      this.regionLeft -= n;
      if (this.regionLeft === 0) {
        this.regionIndex++;
        if (this.regionIndex < this.regions.length) {
          this.fillTo(this.regions[this.regionIndex].offset);
          this.regionLeft = this.regions[this.regionIndex].length;
        }
      }
    }
  }

  end(): void {
    this.fillTo(this.realSize);
    this.sink.end();
  }
}

/** Parses the PAX 1.0 sparse map at the start of the data: count, then offset/length pairs, one per line. */
class Pax1SparseSink implements EntrySink {
  private mapText = '';
  private mapDone = false;
  private consumed = 0;
  private inner?: SparseExpander;
  private pendingSkip = 0;

  constructor(
    private readonly sink: EntrySink,
    private readonly realSize: number,
  ) {}

  data(chunk: Buffer): void {
    if (this.mapDone) {
      this.forward(chunk);
      return;
    }
    this.mapText += chunk.toString('latin1', 0, chunk.length);
    this.consumed += chunk.length;
    const numbers: number[] = [];
    let pos = 0;
    for (;;) {
      const nl = this.mapText.indexOf('\n', pos);
      if (nl < 0) break;
      numbers.push(Number.parseInt(this.mapText.slice(pos, nl), 10));
      pos = nl + 1;
      if (numbers.length >= 1 && numbers.length === 1 + 2 * numbers[0]) {
        const regions: SparseRegion[] = [];
        for (let i = 0; i < numbers[0]; i++) regions.push({ offset: numbers[1 + 2 * i], length: numbers[2 + 2 * i] });
        const mapBytes = Math.ceil(pos / BLOCK) * BLOCK;
        this.mapDone = true;
        this.inner = new SparseExpander(this.sink, regions, this.realSize);
        const rest = chunk.subarray(chunk.length - (this.consumed - Math.min(mapBytes, this.consumed)));
        this.pendingSkip = Math.max(0, mapBytes - this.consumed);
        this.mapText = '';
        if (rest.length) this.forward(rest);
        return;
      }
    }
    if (this.mapText.length > MAX_META_BYTES) throw new SourceError('sparse map too large', { code: 'corrupt-layer' });
  }

  private forward(chunk: Buffer): void {
    if (this.pendingSkip > 0) {
      const n = Math.min(this.pendingSkip, chunk.length);
      this.pendingSkip -= n;
      chunk = chunk.subarray(n);
    }
    if (chunk.length) this.inner!.data(chunk);
  }

  end(): void {
    if (this.inner) this.inner.end();
    else this.sink.end();
  }
}

export class TarParser {
  private state: State = 'header';
  private partial: Buffer | undefined;
  private remaining = 0;
  private padding = 0;
  private sink: EntrySink | undefined;
  private metaChunks: Buffer[] = [];
  private metaType = '';
  private pax: Record<string, string> = {};
  private globalPax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  private sparseHeader: { header: TarHeader; regions: SparseRegion[]; realSize: number; stored: number } | undefined;
  /** Entries seen, for error messages. */
  entries = 0;

  constructor(
    private readonly handler: TarHandler,
    private readonly what: string,
  ) {}

  /** True once the end-of-archive marker was read; later bytes are padding the caller only counts. */
  get done(): boolean {
    return this.state === 'done';
  }

  write(chunk: Buffer): void {
    if (this.state === 'done') return;
    if (this.partial) {
      // Complete the split header block from the new chunk instead of copying the whole chunk.
      const need = BLOCK - this.partial.length;
      const block = Buffer.concat([this.partial, chunk.subarray(0, need)]);
      this.partial = undefined;
      this.process(block);
      if (chunk.length <= need) return;
      chunk = chunk.subarray(need);
    }
    this.process(chunk);
  }

  private process(chunk: Buffer): void {
    if (this.state === 'done') return;
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case 'header':
        case 'sparse-ext': {
          if (len - pos < BLOCK) {
            this.partial = Buffer.from(chunk.subarray(pos));
            return;
          }
          if (this.state === 'header') this.readHeader(chunk, pos);
          else this.readSparseExtension(chunk, pos);
          pos += BLOCK;
          if ((this.state as State) === 'done') return;
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, len - pos);
          if (n > 0 && this.sink) this.sink.data(chunk.subarray(pos, pos + n));
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.sink?.end();
            this.sink = undefined;
            this.state = this.padding > 0 ? 'skip' : 'header';
            this.remaining = this.padding;
            this.padding = 0;
          }
          break;
        }
        case 'meta': {
          const n = Math.min(this.remaining, len - pos);
          this.metaChunks.push(Buffer.from(chunk.subarray(pos, pos + n)));
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.finishMeta();
            this.state = this.padding > 0 ? 'skip' : 'header';
            this.remaining = this.padding;
            this.padding = 0;
          }
          break;
        }
        case 'skip': {
          const n = Math.min(this.remaining, len - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'header';
          break;
        }
      }
    }
  }

  /** The stream ended. A tar without the end marker is accepted (many writers omit it); a cut entry is not. */
  end(): void {
    if (this.state === 'done' || (this.state === 'header' && !this.partial)) return;
    throw new SourceError(`${this.what} ends in the middle of a tar entry (after ${this.entries} entries)`, {
      code: 'truncated-layer',
      hint: 'the layer is truncated or corrupt; fetch or save the image again',
    });
  }

  private readHeader(buf: Buffer, pos: number): void {
    if (isZeroBlock(buf, pos)) {
      this.state = 'done';
      return;
    }
    if (!checksumOk(buf, pos)) {
      throw new SourceError(`${this.what} has a corrupt tar header after ${this.entries} entries`, {
        code: 'corrupt-layer',
        hint: 'the layer is not a valid tar; fetch or save the image again',
      });
    }
    const typeflag = String.fromCharCode(buf[pos + 156]);
    const size = readNumber(buf, pos + 124, 12);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size > MAX_META_BYTES) {
        throw new SourceError(`${this.what} has a ${size}-byte tar meta header`, { code: 'corrupt-layer' });
      }
      this.metaType = typeflag;
      this.metaChunks = [];
      this.remaining = size;
      this.padding = padded - size;
      this.state = size > 0 ? 'meta' : 'header';
      if (size === 0) this.finishMeta();
      return;
    }
    this.entries++;
    const magic = buf.toString('latin1', pos + 257, pos + 263);
    const gnu = magic === 'ustar ';
    let name = readString(buf, pos, 100);
    if (!gnu && magic === 'ustar\0' && typeflag !== 'S') {
      const prefix = readString(buf, pos + 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    let flag = typeflag;
    // V7 tar marks directories as regular files with a trailing slash.
    if (flag === '\0' && name.endsWith('/')) flag = '5';
    const header: TarHeader = {
      name,
      typeflag: flag,
      type: typeOf(flag),
      size,
      mode: readNumber(buf, pos + 100, 8),
      uid: readNumber(buf, pos + 108, 8),
      gid: readNumber(buf, pos + 116, 8),
      mtime: readNumber(buf, pos + 136, 12),
      linkname: readString(buf, pos + 157, 100),
    };
    let stored = hasData(flag) ? size : 0;
    const pax = { ...this.globalPax, ...this.pax };
    this.pax = {};
    if (this.longName !== undefined) header.name = this.longName;
    if (this.longLink !== undefined) header.linkname = this.longLink;
    this.longName = undefined;
    this.longLink = undefined;
    let paxSparse: { realSize: number; major: string } | undefined;
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
          header.size = Number(value);
          stored = hasData(flag) ? header.size : 0;
          break;
        case 'uid':
          header.uid = Number(value);
          break;
        case 'gid':
          header.gid = Number(value);
          break;
        case 'mtime':
          header.mtime = Number(value);
          break;
        default:
          if (key.startsWith('GNU.sparse.')) continue;
          extra[key] = value;
      }
    }
    if (Object.keys(extra).length) header.pax = extra;
    if (pax['GNU.sparse.major'] === '1' && pax['GNU.sparse.realsize'] !== undefined) {
      paxSparse = { realSize: Number(pax['GNU.sparse.realsize']), major: '1' };
      if (pax['GNU.sparse.name'] !== undefined) header.name = pax['GNU.sparse.name'];
      header.size = paxSparse.realSize;
    }
    if (header.type === 'dir') header.name = header.name.replace(/\/+$/, '');

    if (flag === 'S') {
      // Old GNU sparse: up to 4 regions in the header, more in extension blocks; size is the stored bytes.
      const regions: SparseRegion[] = [];
      for (let i = 0; i < 4; i++) {
        const at = pos + 386 + i * 24;
        const offset = readNumber(buf, at, 12);
        const length = readNumber(buf, at + 12, 12);
        if (offset === 0 && length === 0 && buf[at] === 0) break;
        regions.push({ offset, length });
      }
      const realSize = readNumber(buf, pos + 483, 12);
      header.size = realSize;
      this.sparseHeader = { header, regions, realSize, stored };
      if (buf[pos + 482]) {
        this.state = 'sparse-ext';
        return;
      }
      this.startSparse();
      return;
    }

    let sink = this.handler.entry(header);
    if (sink && paxSparse) sink = new Pax1SparseSink(sink, paxSparse.realSize);
    this.startData(sink, stored);
  }

  private readSparseExtension(buf: Buffer, pos: number): void {
    const sparse = this.sparseHeader!;
    for (let i = 0; i < 21; i++) {
      const at = pos + i * 24;
      const offset = readNumber(buf, at, 12);
      const length = readNumber(buf, at + 12, 12);
      if (offset === 0 && length === 0 && buf[at] === 0) break;
      sparse.regions.push({ offset, length });
    }
    if (buf[pos + 504]) return;
    this.state = 'header';
    this.startSparse();
  }

  private startSparse(): void {
    const sparse = this.sparseHeader!;
    this.sparseHeader = undefined;
    this.state = 'header';
    const inner = this.handler.entry(sparse.header);
    this.startData(inner ? new SparseExpander(inner, sparse.regions, sparse.realSize) : undefined, sparse.stored);
  }

  private startData(sink: EntrySink | undefined, stored: number): void {
    const padded = Math.ceil(stored / BLOCK) * BLOCK;
    if (stored === 0) {
      sink?.end();
      this.state = 'header';
      return;
    }
    this.sink = sink;
    this.remaining = stored;
    this.padding = padded - stored;
    this.state = 'data';
  }

  private finishMeta(): void {
    const data = Buffer.concat(this.metaChunks);
    this.metaChunks = [];
    switch (this.metaType) {
      case 'x':
        this.pax = parsePaxRecords(data);
        break;
      case 'g':
        this.globalPax = { ...this.globalPax, ...parsePaxRecords(data) };
        break;
      case 'L':
        this.longName = readString(data, 0, data.length);
        break;
      case 'K':
        this.longLink = readString(data, 0, data.length);
        break;
    }
  }
}

/** A binary (latin1) path as people read it: UTF-8 when it is, with U+FFFD for bytes that are not. */
export function displayPath(binary: string): string {
  // eslint-disable-next-line no-control-regex -- fast path: plain ASCII needs no conversion
  if (/^[\x00-\x7f]*$/.test(binary)) return binary;
  return Buffer.from(binary, 'latin1').toString('utf8');
}

/** `./a/b/`, `/a/b` -> `a/b`; the root -> ''. The same normalisation the reference numbers use. */
export function normalizePath(name: string): string {
  let n = name;
  while (n.startsWith('./')) n = n.slice(2);
  let start = 0;
  while (start < n.length && n.charCodeAt(start) === 47) start++;
  let end = n.length;
  while (end > start && n.charCodeAt(end - 1) === 47) end--;
  n = n.slice(start, end);
  return n === '.' ? '' : n;
}
