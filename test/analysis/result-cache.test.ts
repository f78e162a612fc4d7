// The whole-analysis result cache: a second analysis of an image reads neither its layers nor the layer cache and
// returns the same result; anything in the key (options, config, layers) changing gives a fresh analysis; corrupt
// entries are dropped and rewritten; --no-cache, verification off, a base image, an observer and layers verified
// only by hashing their own bytes (legacy docker save) never use it; the size cap holds.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  decodeResult,
  encodeResult,
  RESULT_CACHE_VERSION,
  ResultCache,
  resultCacheKey,
} from '../../src/analysis/result-cache.js';
import { analyze } from '../../src/services/analyze.js';
import { analyzeTracking, asCached, cacheEntryFiles } from '../helpers/cache-tracking.js';
import { buildDockerArchive, buildOciLayout, layer, WHITEOUT, type BuiltImage } from '../helpers/image-builder.js';

const layers = [
  layer({ 'etc/os-release': 'ID=test\n', 'usr/lib/libc.so': 200_000, 'tmp/cache.bin': 40_000 }, 'ADD rootfs.tar /'),
  layer({ 'opt/app/run': 50_000, 'tmp/.wh.cache.bin': WHITEOUT }, 'RUN install'),
  layer({ 'opt/app/run': 50_001, 'var/log/build.log': 5_000 }, 'RUN build'),
];

const resultFiles = (cacheDir: string) => cacheEntryFiles(cacheDir, 'results', RESULT_CACHE_VERSION);

describe('analysis result cache', () => {
  let image: BuiltImage;
  let cacheDir: string;

  beforeAll(async () => {
    image = await buildOciLayout(layers);
  });
  afterAll(() => image?.cleanup());
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'ballast-result-cache-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('round-trips a value and rejects any flipped byte, a truncation, another version and another key', () => {
    const value = { a: [1, 2.5, 'caf\u00e9'], b: { c: null, d: true } };
    const key = 'a'.repeat(64);
    const data = encodeResult(key, value);
    expect(decodeResult(key, data)).toEqual(value);
    const bad = Buffer.from(data);
    bad[bad.length - 2] ^= 1;
    expect(decodeResult(key, bad)).toBeUndefined();
    expect(decodeResult(key, data.subarray(0, data.length - 1))).toBeUndefined();
    const other = Buffer.from(data);
    other.writeUInt16LE(RESULT_CACHE_VERSION + 1, 6);
    expect(decodeResult(key, other)).toBeUndefined();
    expect(decodeResult('b'.repeat(64), data)).toBeUndefined();
  });

  // Regression (bug hunt cache): an entry copied under another entry's name answered for that other image.
  it('does not serve an entry stored under another key: it analyses again', async () => {
    const other = await buildOciLayout([layer({ 'other.txt': 'another image' })]);
    try {
      await analyzeTracking(other.path, cacheDir);
      const [otherEntry] = resultFiles(cacheDir);
      const first = await analyzeTracking(image.path, cacheDir);
      const entry = resultFiles(cacheDir).find((f) => f !== otherEntry)!;
      copyFileSync(otherEntry, entry);
      rmSync(join(cacheDir, 'layers'), { recursive: true });
      const second = await analyzeTracking(image.path, cacheDir);
      expect(second.read).toEqual([0, 1, 2]);
      expect(second.result).toEqual(first.result);
    } finally {
      other.cleanup();
    }
  });

  it('serves a second analysis from one entry, without reading a layer or the layer cache', async () => {
    const first = await analyzeTracking(image.path, cacheDir);
    expect(first.read).toEqual([0, 1, 2]);
    expect(resultFiles(cacheDir)).toHaveLength(1);
    // With the layer cache gone, only the result cache can answer without reading the layers.
    rmSync(join(cacheDir, 'layers'), { recursive: true });
    const second = await analyzeTracking(image.path, cacheDir);
    expect(second.read).toEqual([]);
    // The same answer; only its checks say they ran when it was cached, not in this run.
    expect(second.result).toEqual(asCached(first.result));
    // Byte-identical as JSON (what `--json` prints), not merely equal.
    expect(JSON.stringify(second.result)).toBe(JSON.stringify(asCached(first.result)));
    expect(existsSync(join(cacheDir, 'layers'))).toBe(false);
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
  });

  it('keys on the options that change the result: each gets its own entry and its own answer', async () => {
    const plain = await analyzeTracking(image.path, cacheDir);
    const top1 = await analyzeTracking(image.path, cacheDir, { top: 1 });
    const off = await analyzeTracking(image.path, cacheDir, { severities: { IM004: 'off' } });
    expect(resultFiles(cacheDir)).toHaveLength(3);
    // (The later runs take their layers from the layer cache, and say so in their checks.)
    expect(top1.result).toEqual(
      asCached((await analyzeTracking(image.path, undefined, { top: 1, noCache: true })).result),
    );
    expect(top1.result).not.toEqual(plain.result);
    expect(plain.result.findings.some((f) => f.code === 'IM004')).toBe(true);
    expect(off.result.findings.some((f) => f.code === 'IM004')).toBe(false);
    expect(off.result).toEqual(
      asCached((await analyzeTracking(image.path, undefined, { severities: { IM004: 'off' }, noCache: true })).result),
    );
    // Asked again, each is served from its entry.
    expect((await analyzeTracking(image.path, cacheDir, { top: 1 })).result).toEqual(asCached(top1.result));
    expect(resultFiles(cacheDir)).toHaveLength(3);
  });

  it('keys on the Dockerfile text, not only its path', async () => {
    const dockerfile = join(cacheDir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM scratch\nADD rootfs.tar /\nRUN install\nRUN build\n');
    const matched = await analyzeTracking(image.path, cacheDir, { dockerfile });
    writeFileSync(dockerfile, 'FROM scratch\nCOPY . /\n');
    const edited = await analyzeTracking(image.path, cacheDir, { dockerfile });
    expect(resultFiles(cacheDir)).toHaveLength(2);
    expect(edited.result).toEqual(
      asCached((await analyzeTracking(image.path, undefined, { dockerfile, noCache: true })).result),
    );
    expect(edited.result.attribution).not.toEqual(matched.result.attribution);
  });

  it('misses for an image with the same layers but another config', async () => {
    const relabelled = await buildOciLayout(layers, { config: { Labels: { version: '2' } } });
    try {
      await analyzeTracking(image.path, cacheDir);
      const other = await analyzeTracking(relabelled.path, cacheDir);
      // Its layers come from the layer cache, the analysis itself runs again: a second entry.
      expect(other.read).toEqual([]);
      expect(resultFiles(cacheDir)).toHaveLength(2);
      expect(other.result.image.imageId).not.toBe((await analyzeTracking(image.path, cacheDir)).result.image.imageId);
    } finally {
      relabelled.cleanup();
    }
  });

  it('drops a corrupt entry, analyses again and rewrites it', async () => {
    const first = await analyzeTracking(image.path, cacheDir);
    const [entry] = resultFiles(cacheDir);
    const data = readFileSync(entry);
    data[data.length - 5] ^= 0xff;
    writeFileSync(entry, data);
    rmSync(join(cacheDir, 'layers'), { recursive: true });
    const second = await analyzeTracking(image.path, cacheDir);
    expect(second.read).toEqual([0, 1, 2]);
    expect(second.result).toEqual(first.result);
    expect(decodeResult(basename(entry), readFileSync(entry))).toEqual(JSON.parse(JSON.stringify(first.result)));
  });

  it('is neither read nor written with noCache, without verification, or with a base image', async () => {
    await analyzeTracking(image.path, cacheDir, { noCache: true });
    await analyzeTracking(image.path, cacheDir, { verify: false });
    await analyzeTracking(image.path, cacheDir, { base: image.path });
    expect(resultFiles(cacheDir)).toEqual([]);
    await analyzeTracking(image.path, cacheDir);
    expect(resultFiles(cacheDir)).toHaveLength(1);
    expect((await analyzeTracking(image.path, cacheDir, { noCache: true })).read).toEqual([0, 1, 2]);
  });

  it('never caches layers whose only check is hashing their own bytes (legacy docker save)', async () => {
    const archive = await buildDockerArchive(layers);
    try {
      await analyzeTracking(archive.path, cacheDir);
      expect(resultFiles(cacheDir)).toEqual([]);
      expect((await analyzeTracking(archive.path, cacheDir)).read).toEqual([0, 1, 2]);
    } finally {
      archive.cleanup();
    }
  });

  it('never computes a result from a blob changed after it was analysed; --no-cache rejects that blob', async () => {
    const copy = await buildOciLayout(layers);
    try {
      const first = await analyzeTracking(copy.path, cacheDir);
      // Tamper with the biggest layer blob in place (same name, other bytes).
      const blobs = join(copy.path, 'blobs', 'sha256');
      const victim = readdirSync(blobs)
        .map((name) => join(blobs, name))
        .sort((x, y) => statSync(y).size - statSync(x).size)[0];
      const data = readFileSync(victim);
      data[data.length >> 1] ^= 0xff;
      writeFileSync(victim, data);
      // The cache stands for the content the digests name (like a content store): the answer is the one computed
      // from the verified bytes, never one from the tampered blob, which is not read.
      const warm = await analyzeTracking(copy.path, cacheDir);
      expect(warm.read).toEqual([]);
      expect(warm.result).toEqual(asCached(first.result));
      // Reading it (what --no-cache does) fails on its digest.
      await expect(analyze({ image: copy.path, noCache: true })).rejects.toMatchObject({ code: 'digest-mismatch' });
    } finally {
      copy.cleanup();
    }
  });

  it('keeps the cache under its size cap, least recently used entries first', async () => {
    const value = { filler: 'x'.repeat(1000) };
    const cap = Math.floor(encodeResult('k'.repeat(64), value).length * 2.5);
    const cache = new ResultCache(cacheDir, cap);
    const keys = [1, 2, 3, 4].map((i) => resultCacheKey({ i }));
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) {
      await cache.put(key, value);
      // mtime resolution: make the order unambiguous
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const left = resultFiles(cacheDir);
    expect(left.reduce((s, f) => s + statSync(f).size, 0)).toBeLessThanOrEqual(cap);
    expect(left).toHaveLength(2);
    expect(await cache.get(keys[3])).toEqual(value);
    expect(await cache.get(keys[0])).toBeUndefined();
  });
});
