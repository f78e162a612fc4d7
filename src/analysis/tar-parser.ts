// A push-based tar reader for layer streams. Hand-written instead of tar-stream because the layer walk needs
// things tar-stream does not give cheaply: raw (byte-exact, possibly non-UTF-8) names, old-GNU and PAX 0.x/1.0
// sparse files expanded to their logical content, stopping at the end-of-archive marker while the caller keeps
// counting the bytes that follow, and no per-entry stream objects (a layer can hold 25k files; one object per
// entry with backpressure plumbing cost more than the hashing itself).
//
// Names are kept as "binary strings" (one char per byte, latin1), so two different non-UTF-8 names never
// collide and ordering is byte order; convert with `displayPath` for people.
import { aboutLayer, SourceError } from '../errors.js';
import {
  BLOCK,
  checksumOk,
  isMetaType,
  isZeroBlock,
  MAX_META_BYTES,
  parsePaxRecords,
  readHeaderBlock,
  readNumber,
  readSparseSlots,
  readString,
  resolveHeader,
  TarFormatError,
  type HeaderBlock,
  type ResolvedHeader,
  type SparseRegion,
  type TarHeader,
} from '../image/tar-header.js';

// Header decoding and paths live in image/tar-header.ts (shared with the archive index); re-exported for the
// analysis modules that read entries.
export { displayPath, normalizePath, type EntryType, type TarHeader } from '../image/tar-header.js';

/** Receives the logical content of one entry. */
export interface EntrySink {
  data(chunk: Buffer): void;
  end(): void;
  /** Told of the zeros of a sparse hole before they reach `data`: they are work, not bytes of the archive. */
  holes?(bytes: number): void;
}

export interface TarHandler {
  /** Called for every entry (not for PAX/GNU meta headers); return a sink to receive its content. */
  entry(header: TarHeader): EntrySink | undefined;
}

type State = 'header' | 'data' | 'meta' | 'skip' | 'sparse-ext' | 'done';

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
      this.sink.holes?.(n);
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
    if (this.mapText.length > MAX_META_BYTES)
      throw new SourceError('sparse map too large', {
        code: 'corrupt-layer',
        hint: 'the layer is corrupt or hostile; rebuild or save the image again',
      });
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
    const { message, detail } = aboutLayer(
      this.what,
      `ends in the middle of a tar entry (after ${this.entries} entries)`,
    );
    throw new SourceError(message, {
      code: 'truncated-layer',
      detail,
      hint: 'the layer is truncated or corrupt; fetch or save the image again',
    });
  }

  private corrupt(detail: string): SourceError {
    const said = aboutLayer(this.what, `has a corrupt tar header after ${this.entries} entries: ${detail}`);
    return new SourceError(said.message, {
      code: 'corrupt-layer',
      detail: said.detail,
      hint: 'the layer is not a valid tar; fetch or save the image again',
    });
  }

  private readHeader(buf: Buffer, pos: number): void {
    if (isZeroBlock(buf, pos)) {
      this.state = 'done';
      return;
    }
    if (!checksumOk(buf, pos)) throw this.corrupt('bad checksum');
    let block: HeaderBlock;
    let resolved: ResolvedHeader;
    try {
      block = readHeaderBlock(buf, pos);
      if (isMetaType(block.typeflag)) {
        this.startMeta(block);
        return;
      }
      this.entries++;
      resolved = resolveHeader(block, {
        longName: this.longName,
        longLink: this.longLink,
        pax: this.pax,
      });
    } catch (error) {
      if (error instanceof TarFormatError) throw this.corrupt(error.message);
      throw error;
    }
    this.pax = {};
    this.longName = undefined;
    this.longLink = undefined;
    const { header, stored, sparse } = resolved;
    // No filesystem name holds a NUL; a name that does is a header lying about itself.
    if (header.name.includes('\0') || header.linkname.includes('\0')) throw this.corrupt('a name holds a NUL byte');

    if (block.typeflag === 'S') {
      // Old GNU sparse: up to 4 regions in the header, more in extension blocks; size is the stored bytes.
      const regions: SparseRegion[] = [];
      let realSize: number;
      try {
        readSparseSlots(buf, pos + 386, 4, regions);
        realSize = readNumber(buf, pos + 483, 12);
        if (!Number.isInteger(realSize)) throw new TarFormatError('the sparse real size is not a number');
      } catch (error) {
        if (error instanceof TarFormatError) throw this.corrupt(error.message);
        throw error;
      }
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
    if (sink && sparse)
      sink = sparse.mapInData
        ? new Pax1SparseSink(sink, sparse.realSize)
        : new SparseExpander(sink, sparse.regions, sparse.realSize);
    this.startData(sink, stored);
  }

  private startMeta(block: HeaderBlock): void {
    const size = block.size;
    if (size > MAX_META_BYTES) throw this.corrupt(`a ${size}-byte tar meta header`);
    this.metaType = block.typeflag;
    this.metaChunks = [];
    this.remaining = size;
    this.padding = Math.ceil(size / BLOCK) * BLOCK - size;
    this.state = size > 0 ? 'meta' : 'header';
    if (size === 0) this.finishMeta();
  }

  private readSparseExtension(buf: Buffer, pos: number): void {
    const sparse = this.sparseHeader!;
    try {
      readSparseSlots(buf, pos, 21, sparse.regions);
    } catch (error) {
      if (error instanceof TarFormatError) throw this.corrupt(error.message);
      throw error;
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

  private paxRecords(data: Buffer): Record<string, string> {
    try {
      return parsePaxRecords(data);
    } catch (error) {
      if (error instanceof TarFormatError) throw this.corrupt(error.message);
      throw error;
    }
  }

  private finishMeta(): void {
    const data = Buffer.concat(this.metaChunks);
    this.metaChunks = [];
    switch (this.metaType) {
      case 'x':
        this.pax = this.paxRecords(data);
        break;
      case 'g':
        // Checked as the entry's are, then ignored as runtimes ignore them (see image/tar-header.ts).
        this.paxRecords(data);
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
