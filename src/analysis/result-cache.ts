// The whole-analysis result cache: `analyze`'s result stored under a key made of everything it is computed from
// (ballast's version and build, the image's manifest, config and every layer's digests, and the options that change
// the output), beside the layer cache (`$XDG_CACHE_HOME/ballast/results/`). With every layer in the layer cache, a
// second analyze still rebuilt the union filesystem, dive's tree, waste, duplicates, junk, packages and the rules
// from the cached scans (about 1.5 s of CPU on corpus `big`, against 0.15 s to decode the scans); this cache skips
// all of it and reads one small file.
//
// Trust: the same as the layer cache's (see layer-cache.ts). A key names the blob digests that authenticated the
// bytes the result was computed from, so an entry is only ever written from an analysis whose layers were all read
// with their blob digests checked (or served from the layer cache, which holds only such reads), and looked up only
// for images whose every layer has a digest that does not come from its own bytes (manifest, file name). Like a
// content store, a hit stands for the content those digests name: a stored blob changed in place after it was
// analysed is not read again (`--no-cache` reads and verifies every byte); only each blob's size is checked where a
// stat or tar header gives it, and the result's checks say `cached` (analyze.ts). Written to a temp file and renamed into
// place, the payload's sha256 checked on every read (a corrupt entry is removed and the analysis runs again), the
// total size capped with the least recently used entries removed first.
//
// Format: "BLRSLT" u16 version, sha256(key || payload) 32 bytes, payload: the result as UTF-8 JSON. The checksum
// covers the entry's key, so an entry copied under another key's name (a cache restored or synced by a tool that mixed
// up file names) fails it like a corrupt one, rather than answering for another image.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from '../sources/registry/cache.js';
import { cachePlacement, readCacheEntry, touchCacheEntry, writeCacheEntry, type CacheOptions } from './layer-cache.js';

/** Bump when what a key covers or the stored form changes: older entries are then simply not found. */
export const RESULT_CACHE_VERSION = 8;
export const DEFAULT_RESULT_CACHE_MAX_BYTES = 256 * 1024 ** 2;

const MAGIC = Buffer.from('BLRSLT', 'latin1');
const HEADER_BYTES = MAGIC.length + 2 + 32;

/**
 * What identifies this ballast: the package version and the build (the compiled module's size and mtime: every
 * `npm run build` rewrites it), so a rebuilt ballast with changed rules or measures never serves an older result.
 */
function buildIdentity(): string {
  const self = fileURLToPath(import.meta.url);
  let version = 'unknown';
  for (let dir = dirname(self); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ballast') {
        version = String(pkg.version);
        break;
      }
    } catch {
      // not here: look further up
    }
    if (dirname(dir) === dir) break;
  }
  const info = statSync(self);
  return `${version} ${info.size} ${info.mtimeMs}`;
}

let identity: string | undefined;

/** The cache key of `parts` (any JSON value) for this ballast build. */
export function resultCacheKey(parts: unknown): string {
  identity ??= buildIdentity();
  return createHash('sha256')
    .update(JSON.stringify({ v: RESULT_CACHE_VERSION, ballast: identity, parts }))
    .digest('hex');
}

const checksum = (key: string, payload: Buffer): Buffer =>
  createHash('sha256').update(key, 'utf8').update(payload).digest();

/** The entry that stores `value` under `key`. */
export function encodeResult(key: string, value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  MAGIC.copy(out, 0);
  out.writeUInt16LE(RESULT_CACHE_VERSION, MAGIC.length);
  checksum(key, payload).copy(out, MAGIC.length + 2);
  payload.copy(out, HEADER_BYTES);
  return out;
}

/** The value stored under `key`; undefined when the entry is not of this version, or not `key`'s, or corrupt. */
export function decodeResult<T>(key: string, data: Buffer): T | undefined {
  if (data.length < HEADER_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (data.readUInt16LE(MAGIC.length) !== RESULT_CACHE_VERSION) return undefined;
  const payload = data.subarray(HEADER_BYTES);
  const sum = checksum(key, payload);
  if (!sum.equals(data.subarray(MAGIC.length + 2, HEADER_BYTES))) return undefined;
  try {
    return JSON.parse(payload.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

export class ResultCache {
  constructor(
    /** The cache root (the blob cache's): entries go in `results/v<version>/` below it. */
    readonly root: string = defaultCacheDir(),
    private readonly maxBytes = DEFAULT_RESULT_CACHE_MAX_BYTES,
    /** Told once when the cache cannot be written (the analysis goes on without it). */
    private readonly notice?: (message: string) => void,
  ) {}

  get dir(): string {
    return join(this.root, 'results', `v${RESULT_CACHE_VERSION}`);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const path = join(this.dir, key);
    const value = await readCacheEntry(path, (data) => decodeResult<T>(key, data));
    if (value !== undefined) await touchCacheEntry(path);
    return value;
  }

  put(key: string, value: unknown): Promise<void> {
    return writeCacheEntry(this.root, this.dir, key, encodeResult(key, value), this.maxBytes, this.notice);
  }
}

/** The result cache the options ask for: none with `noCache`, else beside the blob cache. */
export function resultCacheFor(options: CacheOptions): ResultCache | undefined {
  const at = cachePlacement(options, 'BALLAST_RESULT_CACHE_MAX_BYTES', DEFAULT_RESULT_CACHE_MAX_BYTES);
  return at && new ResultCache(at.root, at.maxBytes, options.notice);
}
