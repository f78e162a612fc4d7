// A layer's entry list in columns. On a layer of a million entries an object per entry (with its path string and its
// sha string) was ~175 bytes of heap an entry, alive while the union and dive's tree of the layer are built: the
// peak of such an image (bench/README.md, session 46 (2)). Here an entry is a kind byte, five numbers, 32 sha bytes
// and its path's bytes, ~85 bytes for a short path, in a few typed arrays the collector never walks and a worker
// transfers without copying. Consumers read fields by index, or `entry(i)`: a ScanEntry made on demand, dropped young.
import { BugError } from '../errors.js';
import type { DeviceNumbers } from '../image/tar-header.js';
import type { ScanEntry, ScanKind } from './scan-layer.js';

/** Kind codes, as the layer cache stores them too. */
export const KINDS: readonly ScanKind[] = ['file', 'dir', 'symlink', 'hardlink', 'other', 'whiteout', 'opaque'];
export const KIND_CODE: ReadonlyMap<ScanKind, number> = new Map(KINDS.map((k, i) => [k, i]));
/** Set in an entry's kind byte when it has a sha. */
export const HAS_SHA = 0x80;
export const SHA_BYTES = 32;
/** Numbers per entry, in this order: size, mode, uid, gid, mtime (NaN: none). */
export const NUMBERS = 5;

/** The columns as plain data: what crosses the worker boundary (its buffers transferred) and the layer cache. */
export interface EntryColumns {
  length: number;
  /** Kind code, with HAS_SHA. */
  kinds: Uint8Array;
  /** NUMBERS per entry. */
  numbers: Float64Array;
  /** SHA_BYTES per entry (meaningful where HAS_SHA is set). */
  shas: Uint8Array;
  /** Where each path ends in `pathBytes` (it starts where the one before ends). */
  pathEnds: Uint32Array;
  /** The paths' binary (latin1) bytes, one after another. */
  pathBytes: Uint8Array;
  /** Sparse fields, by entry index. */
  links: Map<number, string>;
  xattrs: Map<number, Record<string, string>>;
  /** Device nodes' numbers: sparse too, as few layers hold a device node and none holds many. */
  devices: Map<number, DeviceNumbers>;
}

// eslint-disable-next-line no-control-regex
const BINARY = /^[\x00-\xff]*$/;
const asBuffer = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

// Buffer's own latin1 codec, without `toString`/`write`'s argument handling: each entry's path is decoded by the union
// and by dive's tree, and that handling was a third of the list's added CPU on a million entries (profiled, session
// 46 (2)). Node's Buffer has had these methods for years but does not document them, so each falls back to the
// documented call if absent: the result is the same either way.
type Latin1 = Buffer & {
  latin1Slice?: (start: number, end: number) => string;
  latin1Write?: (text: string, offset: number, length: number) => number;
};
const nativeSlice = (Buffer.prototype as Latin1).latin1Slice;
const nativeWrite = (Buffer.prototype as Latin1).latin1Write;
const readLatin1: (b: Buffer, start: number, end: number) => string = nativeSlice
  ? (b, start, end) => nativeSlice.call(b, start, end)
  : (b, start, end) => b.toString('latin1', start, end);
const writeLatin1: (b: Buffer, text: string, offset: number) => void = nativeWrite
  ? (b, text, offset) => void nativeWrite.call(b, text, offset, text.length)
  : (b, text, offset) => void b.write(text, offset, text.length, 'latin1');

export class EntryList implements Iterable<ScanEntry> {
  private readonly text: Buffer;
  private readonly shaText: Buffer;

  constructor(readonly columns: EntryColumns) {
    this.text = asBuffer(columns.pathBytes);
    this.shaText = asBuffer(columns.shas);
  }

  /**
   * A list of these entries (tests, and inputs made in memory). Paths are binary strings, a byte a character, as the
   * scanner makes them: the list stores their bytes, so a wider character is refused rather than stored mangled.
   */
  static of(entries: Iterable<ScanEntry>): EntryList {
    const builder = new EntryListBuilder();
    for (const e of entries) {
      if (!BINARY.test(e.path)) throw new BugError(`entry path is not a binary string: ${JSON.stringify(e.path)}`, {});
      const i = builder.add(e.path, e.kind, e.size, e.mode, e.uid, e.gid, e.mtime);
      if (e.sha !== undefined) builder.setSha(i, e.sha);
      if (e.link !== undefined) builder.setLink(i, e.link);
      if (e.xattrs !== undefined) builder.setXattrs(i, e.xattrs);
      if (e.device !== undefined) builder.setDevice(i, e.device);
    }
    return builder.finish();
  }

  get length(): number {
    return this.columns.length;
  }

  kind(i: number): ScanKind {
    return KINDS[this.columns.kinds[i] & ~HAS_SHA];
  }

  path(i: number): string {
    return readLatin1(this.text, i === 0 ? 0 : this.columns.pathEnds[i - 1], this.columns.pathEnds[i]);
  }

  size(i: number): number {
    return this.columns.numbers[i * NUMBERS];
  }

  /** The content sha as a binary (latin1) string, as ScanEntry.sha. */
  sha(i: number): string | undefined {
    return this.columns.kinds[i] & HAS_SHA ? readLatin1(this.shaText, i * SHA_BYTES, (i + 1) * SHA_BYTES) : undefined;
  }

  /** Entry `i` as an object of its own (the scanner's shape: one hidden class for all). */
  entry(i: number): ScanEntry {
    const { numbers, links, xattrs, devices } = this.columns;
    const at = i * NUMBERS;
    const mtime = numbers[at + 4];
    const entry: ScanEntry = {
      path: this.path(i),
      kind: this.kind(i),
      size: numbers[at],
      mode: numbers[at + 1],
      uid: numbers[at + 2],
      gid: numbers[at + 3],
      mtime: Number.isNaN(mtime) ? undefined : mtime,
      sha: this.sha(i),
      link: links.get(i),
    };
    const x = xattrs.get(i);
    if (x !== undefined) entry.xattrs = x;
    const device = devices.get(i);
    if (device !== undefined) entry.device = device;
    return entry;
  }

  *[Symbol.iterator](): Iterator<ScanEntry> {
    for (let i = 0; i < this.length; i++) yield this.entry(i);
  }

  /** The buffers to transfer with `columns` (each column owns its buffer whole: see EntryListBuilder.finish). */
  transferables(): ArrayBuffer[] {
    const { kinds, numbers, shas, pathEnds, pathBytes } = this.columns;
    return [kinds, numbers, shas, pathEnds, pathBytes].map((a) => a.buffer as ArrayBuffer);
  }
}

let keepSpare = false;
/**
 * The most entries a kept builder may have room for (~20 MB of columns): a larger layer's are not worth keeping for
 * one that may be small, beside the copy the main thread now holds.
 */
const MAX_SPARE_CAPACITY = 256 * 1024;
let spare: EntryListBuilder | undefined;

/**
 * Keep each finished builder's columns for the next layer on this thread (EntryListBuilder.take). For the walk's
 * worker threads, which read one layer after another: the columns a layer outgrew as it doubled them, and the ones
 * `finish` copied from, are external memory, which V8 frees only after tens of MB more of it (a mark-compact on
 * "external memory pressure"). A worker's small heap seldom collects otherwise, so two workers held 130 MB of dead
 * columns on an image of a million small files over 20 layers (bench/README.md, "Session 47"). Reused, a worker keeps
 * its largest layer's columns until it exits, at the end of the walk.
 */
export function reuseEntryListBuilders(): void {
  keepSpare = true;
}

/** Appends entries to columns that double as they fill; `finish` trims them to their length. */
export class EntryListBuilder {
  private length = 0;
  private capacity: number;
  private kinds: Uint8Array;
  private numbers: Float64Array;
  private shas: Buffer;
  private pathEnds: Uint32Array;
  private pathBytes: Buffer;
  private pathLength = 0;
  private links = new Map<number, string>();
  private xattrs = new Map<number, Record<string, string>>();
  private devices = new Map<number, DeviceNumbers>();

  /**
   * A builder for the next layer: the last one finished on this thread, emptied, where `reuseEntryListBuilders` asked
   * for it, else a new one.
   */
  static take(): EntryListBuilder {
    const builder = spare;
    spare = undefined;
    if (!builder) return new EntryListBuilder();
    builder.length = 0;
    builder.pathLength = 0;
    builder.links = new Map();
    builder.xattrs = new Map();
    builder.devices = new Map();
    return builder;
  }

  /** A finished builder, kept for EntryListBuilder.take where reuseEntryListBuilders asked for it. */
  static release(builder: EntryListBuilder): void {
    if (keepSpare && builder.capacity <= MAX_SPARE_CAPACITY) spare = builder;
  }

  constructor(capacity = 256) {
    this.capacity = capacity;
    this.kinds = new Uint8Array(capacity);
    this.numbers = new Float64Array(capacity * NUMBERS);
    this.shas = Buffer.alloc(capacity * SHA_BYTES);
    this.pathEnds = new Uint32Array(capacity);
    this.pathBytes = Buffer.allocUnsafeSlow(capacity * 16);
  }

  /** Appends an entry; returns its index. */
  add(
    path: string,
    kind: ScanKind,
    size: number,
    mode: number,
    uid: number,
    gid: number,
    mtime: number | undefined,
  ): number {
    const i = this.length;
    if (i === this.capacity) this.grow();
    this.kinds[i] = KIND_CODE.get(kind)!;
    const at = i * NUMBERS;
    this.numbers[at] = size;
    this.numbers[at + 1] = mode;
    this.numbers[at + 2] = uid;
    this.numbers[at + 3] = gid;
    this.numbers[at + 4] = mtime ?? NaN;
    // A latin1 string is a byte a character.
    const end = this.pathLength + path.length;
    if (end > this.pathBytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(end, this.pathBytes.length * 2));
      this.pathBytes.copy(bigger, 0, 0, this.pathLength);
      this.pathBytes = bigger;
    }
    writeLatin1(this.pathBytes, path, this.pathLength);
    this.pathLength = end;
    this.pathEnds[i] = end;
    this.length++;
    return i;
  }

  /** `sha`: the 32 digest bytes as a binary (latin1) string (a digest made as a string costs less than a Buffer). */
  setSha(i: number, sha: string): void {
    writeLatin1(this.shas, sha, i * SHA_BYTES);
    this.kinds[i] |= HAS_SHA;
  }

  setLink(i: number, link: string): void {
    this.links.set(i, link);
  }

  setXattrs(i: number, xattrs: Record<string, string>): void {
    this.xattrs.set(i, xattrs);
  }

  setDevice(i: number, device: DeviceNumbers): void {
    this.devices.set(i, device);
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const numbers = new Float64Array(capacity * NUMBERS);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const shas = Buffer.alloc(capacity * SHA_BYTES);
    shas.set(this.shas);
    this.shas = shas;
    const pathEnds = new Uint32Array(capacity);
    pathEnds.set(this.pathEnds);
    this.pathEnds = pathEnds;
    this.capacity = capacity;
  }

  /**
   * The list, each column copied to its own buffer of its exact length (typed arrays' `slice`): a worker's transfer
   * and a structured clone both take a column's whole buffer, so no unused capacity goes along.
   */
  finish(): EntryList {
    const n = this.length;
    return new EntryList({
      length: n,
      kinds: this.kinds.slice(0, n),
      numbers: this.numbers.slice(0, n * NUMBERS),
      shas: Uint8Array.prototype.slice.call(this.shas, 0, n * SHA_BYTES),
      pathEnds: this.pathEnds.slice(0, n),
      pathBytes: Uint8Array.prototype.slice.call(this.pathBytes, 0, this.pathLength),
      links: this.links,
      xattrs: this.xattrs,
      devices: this.devices,
    });
  }
}
