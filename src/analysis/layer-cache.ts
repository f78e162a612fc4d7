// The per-layer result cache: a layer's scan (every entry's path, kind, size, mode, owner, content hash, link and
// xattrs, the counts and the captured package databases: all that the union, waste, duplicate and package
// computations read) stored under its diffId beside the blob cache (`$XDG_CACHE_HOME/ballast/layers/`). A second
// analyze of an image, or of one that shares base layers with an image analysed before, reads only the layers it
// has not seen.
//
// Trust: an entry records the blob digest it was read from and whether the uncompressed stream was checked against
// the diffId. It is served for a layer with the same blob digest (the blob digest authenticated every byte), or for
// any blob when the diffId itself was checked (the same tar, compressed another way; not with --verify-diff-ids, which
// asks for each blob to be checked against its diffId: walk.ts). Entries are written only from
// verified reads. Like the blob cache: written to a temp file and renamed into place (never a partial entry), the
// payload's sha256 checked on every read (a corrupt entry is removed and the layer read again, which rewrites it),
// the total size capped with the least recently used entries removed first. A hit stands for the content its digest
// names, like a content store: a stored blob changed in place after it was cached is not read again (`--no-cache`
// reads and verifies every byte); only its size is checked where a stat or tar header gives it (walk.ts): against
// its descriptor's, or, where none gives one (a crane or kaniko archive's `<hex>.tar.gz`), against the stored size the
// entry recorded when it was read from that blob. The layer's checks say `cached`, not `verified` (checks.ts). Layers
// whose only digest is the diff_id their bytes are hashed against (a legacy `docker save` layer.tar) are never served
// from here: walk.ts reads them every time.
//
// Format (little endian), columnar so that 45,000 entries serialise in a few milliseconds and a few MB:
//   "BLSCAN" u16 version, sha256(payload) 32 bytes, payload:
//   u32 metaLength, meta JSON, then per entry: f64 size, f64 mode, f64 uid, f64 gid, f64 mtime (NaN: none),
//   u8 kind (bit 7: has sha),
//   32-byte sha (only where bit 7 is set); then the paths (u32 byte lengths, latin1 bytes), then captured files.
// Paths and captured texts are binary (latin1) strings, so latin1 round-trips every byte.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  cacheMaxBytesFromEnv,
  cacheUnwritable,
  defaultCacheDir,
  makeDirectory,
  pruneLeastRecentlyUsed,
  sweepStaleTemps,
} from '../sources/registry/cache.js';
import { forget, removeOnExit } from '../temp-files.js';
import { EntryList, HAS_SHA, NUMBERS, SHA_BYTES } from './entry-list.js';
import type { LayerCounts, LayerScan } from './scan-layer.js';

/**
 * Bump when LayerScan (or what the scanner puts in it), or what an entry records of its read, changes: older entries
 * are then simply not found.
 */
export const LAYER_CACHE_VERSION = 9;
export const DEFAULT_LAYER_CACHE_MAX_BYTES = 2 * 1024 ** 3;

const MAGIC = Buffer.from('BLSCAN', 'latin1');
const HEADER_BYTES = MAGIC.length + 2 + 32;

interface Meta {
  diffId: string;
  digest: string;
  verifiedDiffId: boolean;
  /** The stored blob's size (file or archive member) when it was read, where known without reading it. */
  storedSize?: number;
  uncompressedBytes: number;
  diveSizeBytes: number;
  counts: LayerCounts;
  /** LayerScan.holeBytes, when the layer has sparse holes. */
  holeBytes?: number;
  entries: number;
  /** Sparse per-entry fields, by entry index. */
  links: Record<number, string>;
  xattrs: Record<number, Record<string, string>>;
  /** Device nodes' major and minor numbers. */
  devices: Record<number, [major: number, minor: number]>;
  /** Captured file names, with their byte lengths, in payload order. */
  captured: [string, number][];
}

export interface CachedLayerRef {
  diffId: string;
  /** The blob digest the scan was read from. */
  digest: string;
}

/** What an entry records of the read it holds, beyond the layer it is of. */
export interface CachedRead {
  verifiedDiffId: boolean;
  /** Layer.storedSize of the blob read, where it has one. */
  storedSize?: number;
}

function cacheableDiffId(diffId: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(diffId);
}

/** Serialises a scan (see the format above). */
export function encodeLayerScan(ref: CachedLayerRef & CachedRead, scan: LayerScan): Buffer {
  const n = scan.entries.length;
  const meta: Meta = {
    diffId: ref.diffId,
    digest: ref.digest,
    verifiedDiffId: ref.verifiedDiffId,
    ...(ref.storedSize !== undefined ? { storedSize: ref.storedSize } : {}),
    uncompressedBytes: scan.uncompressedBytes,
    diveSizeBytes: scan.diveSizeBytes,
    counts: scan.counts,
    ...(scan.holeBytes ? { holeBytes: scan.holeBytes } : {}),
    entries: n,
    links: {},
    xattrs: {},
    devices: {},
    captured: [],
  };
  // The entry list's columns are this format's per-entry fields already: kind codes (HAS_SHA included), the five
  // numbers in this order, the paths' bytes.
  const c = scan.entries.columns;
  for (const [i, link] of c.links) meta.links[i] = link;
  for (const [i, xattrs] of c.xattrs) meta.xattrs[i] = xattrs;
  for (const [i, { major, minor }] of c.devices) meta.devices[i] = [major, minor];
  let shas = 0;
  for (let i = 0; i < n; i++) if (c.kinds[i] & HAS_SHA) shas++;
  const pathBytes = c.pathBytes.length;
  const captured = Object.entries(scan.captured).map(([path, text]) => [path, Buffer.from(text, 'latin1')] as const);
  meta.captured = captured.map(([path, data]) => [path, data.length]);
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const size =
    4 + metaBytes.length + n * 41 + shas * 32 + n * 4 + pathBytes + captured.reduce((s, [, d]) => s + d.length, 0);
  const out = Buffer.allocUnsafe(HEADER_BYTES + size);
  MAGIC.copy(out, 0);
  out.writeUInt16LE(LAYER_CACHE_VERSION, MAGIC.length);
  let pos = HEADER_BYTES;
  pos = out.writeUInt32LE(metaBytes.length, pos);
  pos += metaBytes.copy(out, pos);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < NUMBERS; k++) pos = out.writeDoubleLE(c.numbers[i * NUMBERS + k], pos);
    pos = out.writeUInt8(c.kinds[i], pos);
    if (c.kinds[i] & HAS_SHA) {
      out.set(c.shas.subarray(i * SHA_BYTES, (i + 1) * SHA_BYTES), pos);
      pos += SHA_BYTES;
    }
  }
  let start = 0;
  for (let i = 0; i < n; i++) {
    pos = out.writeUInt32LE(c.pathEnds[i] - start, pos);
    start = c.pathEnds[i];
  }
  out.set(c.pathBytes, pos);
  pos += pathBytes;
  for (const [, data] of captured) pos += data.copy(out, pos);
  if (pos !== out.length) throw new Error(`layer cache entry size mismatch: wrote ${pos} of ${out.length} bytes`);
  createHash('sha256')
    .update(out.subarray(HEADER_BYTES))
    .digest()
    .copy(out, MAGIC.length + 2);
  return out;
}

/** Parses an entry; undefined when it is not one of this version or its checksum fails. */
export function decodeLayerScan(
  data: Buffer,
): { meta: Omit<Meta, 'links' | 'xattrs' | 'devices' | 'captured'>; scan: LayerScan } | undefined {
  if (data.length < HEADER_BYTES + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (data.readUInt16LE(MAGIC.length) !== LAYER_CACHE_VERSION) return undefined;
  const sum = createHash('sha256').update(data.subarray(HEADER_BYTES)).digest();
  if (!sum.equals(data.subarray(MAGIC.length + 2, HEADER_BYTES))) return undefined;
  let pos = HEADER_BYTES;
  const metaLength = data.readUInt32LE(pos);
  pos += 4;
  const meta = JSON.parse(data.toString('utf8', pos, pos + metaLength)) as Meta;
  pos += metaLength;
  const n = meta.entries;
  if (pos + n * 45 > data.length) return undefined;
  const kinds = new Uint8Array(n);
  const numbers = new Float64Array(n * NUMBERS);
  const shas = new Uint8Array(n * SHA_BYTES);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < NUMBERS; k++) numbers[i * NUMBERS + k] = data.readDoubleLE(pos + k * 8);
    const code = data[pos + 40];
    kinds[i] = code;
    pos += 41;
    if (code & HAS_SHA) {
      shas.set(data.subarray(pos, pos + SHA_BYTES), i * SHA_BYTES);
      pos += SHA_BYTES;
    }
  }
  const pathEnds = new Uint32Array(n);
  let end = 0;
  for (let i = 0; i < n; i++) {
    end += data.readUInt32LE(pos + i * 4);
    pathEnds[i] = end;
  }
  pos += n * 4;
  if (pos + end > data.length) return undefined;
  const entries = new EntryList({
    length: n,
    kinds,
    numbers,
    shas,
    pathEnds,
    // A copy of its own (typed arrays' slice), not a view keeping the whole entry's buffer alive.
    pathBytes: Uint8Array.prototype.slice.call(data, pos, pos + end),
    links: new Map(Object.entries(meta.links).map(([i, link]) => [Number(i), link])),
    xattrs: new Map(Object.entries(meta.xattrs).map(([i, x]) => [Number(i), x])),
    devices: new Map(Object.entries(meta.devices).map(([i, [major, minor]]) => [Number(i), { major, minor }])),
  });
  pos += end;
  const captured: Record<string, string> = {};
  for (const [path, length] of meta.captured) {
    captured[path] = data.toString('latin1', pos, pos + length);
    pos += length;
  }
  if (pos !== data.length) return undefined;
  const { links: _links, xattrs: _xattrs, devices: _devices, captured: _captured, ...rest } = meta;
  return {
    meta: rest,
    scan: {
      uncompressedBytes: meta.uncompressedBytes,
      counts: meta.counts,
      diveSizeBytes: meta.diveSizeBytes,
      entries,
      captured,
      ...(meta.holeBytes ? { holeBytes: meta.holeBytes } : {}),
    },
  };
}

export class LayerCache {
  constructor(
    /** The cache root (the blob cache's): entries go in `layers/v<version>/` below it. */
    readonly root: string = defaultCacheDir(),
    private readonly maxBytes = DEFAULT_LAYER_CACHE_MAX_BYTES,
    /** Told once when the cache cannot be written (the analysis goes on without it). */
    private readonly notice?: (message: string) => void,
  ) {}

  private get dir(): string {
    return join(this.root, 'layers', `v${LAYER_CACHE_VERSION}`);
  }

  private pathOf(diffId: string): string {
    return join(this.dir, diffId.slice('sha256:'.length));
  }

  /** The cached scan of this layer, if there is a valid entry that may be trusted for this blob. */
  async get(ref: CachedLayerRef): Promise<LayerScan | undefined> {
    return (await this.lookup(ref))?.scan;
  }

  /**
   * As get, with whether the entry's read checked the tar against the diffId (its checks say so: checks.ts), whether
   * that read was of this very blob, and the stored size it recorded then (another blob of the diffId has its own).
   */
  async lookup(
    ref: CachedLayerRef,
  ): Promise<{ scan: LayerScan; verifiedDiffId: boolean; sameBlob: boolean; storedSize?: number } | undefined> {
    if (!cacheableDiffId(ref.diffId)) return undefined;
    const path = this.pathOf(ref.diffId);
    // An entry of another layer is as corrupt as a truncated one: dropped, and the walk writes a good one.
    const decoded = await readCacheEntry(path, (data) => {
      const d = decodeLayerScan(data);
      return d?.meta.diffId === ref.diffId ? d : undefined;
    });
    if (!decoded) return undefined;
    if (!decoded.meta.verifiedDiffId && decoded.meta.digest !== ref.digest) return undefined;
    await touchCacheEntry(path);
    const { verifiedDiffId, storedSize, digest } = decoded.meta;
    return {
      scan: decoded.scan,
      verifiedDiffId,
      sameBlob: digest === ref.digest,
      ...(digest === ref.digest && storedSize !== undefined ? { storedSize } : {}),
    };
  }

  /** Serialises now (the caller may drop the entries afterwards); the returned promise writes it. */
  put(ref: CachedLayerRef & CachedRead, scan: LayerScan): Promise<void> {
    if (!cacheableDiffId(ref.diffId)) return Promise.resolve();
    const data = encodeLayerScan(ref, scan);
    return writeCacheEntry(this.root, this.dir, ref.diffId.slice('sha256:'.length), data, this.maxBytes, this.notice);
  }
}

/**
 * Reads one cache entry and decodes it: undefined when there is none; a corrupt or truncated one (`decode` gives
 * undefined or throws) is removed, so the analysis runs and writes a good one. Shared by the layer and result caches.
 */
export async function readCacheEntry<T>(path: string, decode: (data: Buffer) => T | undefined): Promise<T | undefined> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return undefined;
  }
  let value: T | undefined;
  try {
    value = decode(data);
  } catch {
    value = undefined;
  }
  if (value === undefined) await rm(path, { force: true });
  return value;
}

/** Marks an entry used now, for the least-recently-used pruning (a failure only makes it look older). */
export async function touchCacheEntry(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => {});
}

/**
 * Writes one cache entry atomically: to a temp file under `root/tmp` (swept of dead writers' leftovers, removed on
 * exit), renamed into `dir/name`, then `dir` pruned to `maxBytes`, least recently used first. Shared by the layer
 * and result caches. A cache that cannot be written never fails an analysis: `notice` is told once, and it goes on.
 */
export async function writeCacheEntry(
  root: string,
  dir: string,
  name: string,
  data: Buffer,
  maxBytes: number,
  notice?: (message: string) => void,
): Promise<void> {
  const temp = join(root, 'tmp', `${name.slice(0, 12)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await makeDirectory(dir);
    await makeDirectory(join(root, 'tmp'));
    await sweepStaleTemps(join(root, 'tmp'));
    removeOnExit(temp);
    await writeFile(temp, data, { mode: 0o644 });
    await rename(temp, join(dir, name));
  } catch (error) {
    cacheUnwritable(root, error, notice);
    await rm(temp, { force: true }).catch(() => {});
    return;
  } finally {
    forget(temp);
  }
  await pruneLeastRecentlyUsed(dir, maxBytes);
}

export interface CacheOptions {
  noCache?: boolean;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  notice?: (message: string) => void;
}

/**
 * Where a cache beside the blob cache lives and how big it may grow (`envName` in bytes, else `fallback`); undefined
 * with `noCache`. Shared by the layer and result caches.
 */
export function cachePlacement(
  options: CacheOptions,
  envName: string,
  fallback: number,
): { root: string; maxBytes: number } | undefined {
  if (options.noCache) return undefined;
  const env = options.env ?? process.env;
  return { root: options.cacheDir ?? defaultCacheDir(env), maxBytes: cacheMaxBytesFromEnv(env, envName, fallback) };
}

/** The layer cache the options ask for: none with `noCache`, else beside the blob cache. */
export function layerCacheFor(options: CacheOptions): LayerCache | undefined {
  const at = cachePlacement(options, 'BALLAST_LAYER_CACHE_MAX_BYTES', DEFAULT_LAYER_CACHE_MAX_BYTES);
  return at && new LayerCache(at.root, at.maxBytes, options.notice);
}
