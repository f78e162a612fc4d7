// The per-layer result cache: a second analysis reads no layer and gives the same result; an image sharing base
// layers reads only its own; diff uses it; corrupt entries are dropped and rewritten; entries read from another
// blob are served only when the diffId was checked; --no-cache neither reads nor writes; the size cap holds; the
// per-layer budgets (--max-entries, --max-decompressed-bytes) stop a warm run as they stop a cold one.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeLayerScan, encodeLayerScan, LAYER_CACHE_VERSION, LayerCache } from '../../src/analysis/layer-cache.js';
import { LayerScanner } from '../../src/analysis/scan-layer.js';
import { analyze } from '../../src/services/analyze.js';
import { diffImages } from '../../src/services/diff.js';
import {
  buildOciLayout,
  file,
  hardlink,
  layer,
  layerTar,
  OPAQUE,
  symlink,
  WHITEOUT,
  type BuiltImage,
  type LayerSpec,
} from '../helpers/image-builder.js';
import { analyzeTracking as track, asCached, cacheEntryFiles } from '../helpers/cache-tracking.js';
import { runCli } from '../helpers/cli.js';
import { RESULT_CACHE_VERSION } from '../../src/analysis/result-cache.js';

const base: LayerSpec = layer(
  {
    'etc/': { kind: 'dir', mode: 0o755 },
    'etc/os-release': 'ID=test\n',
    'var/lib/dpkg/status': 'Package: libc6\nStatus: install ok installed\nInstalled-Size: 12\nVersion: 2.36\n\n',
    'bin/sh': file(30_000, { mode: 0o755, uid: 0, gid: 0 }),
    'bin/bash': hardlink('bin/sh'),
    'usr/lib/libc.so': 200_000,
    'usr/lib/libc.so.6': symlink('libc.so'),
    'usr/share/caf\xe9': file('binary name', { xattrs: { 'user.k': 'v' } }),
  },
  'ADD rootfs.tar /',
);
const middle: LayerSpec = layer({ 'opt/tool/run': 50_000, 'tmp/build.log': 5_000 }, 'RUN install tool');
const top = (n: number): LayerSpec =>
  layer(
    { 'tmp/.wh.build.log': WHITEOUT, 'opt/tool/.wh..wh..opq': OPAQUE, [`app/v${n}.bin`]: 10_000 * n },
    `COPY app${n} /app`,
  );

/** As the helper, with the whole-result cache emptied first: it would answer a repeated analysis before the layer cache. */
function analyzeTracking(
  image: string,
  cacheDir: string | undefined,
  extra: { noCache?: boolean; verifyDiffIds?: boolean } = {},
) {
  if (cacheDir) rmSync(join(cacheDir, 'results'), { recursive: true, force: true });
  return track(image, cacheDir, extra);
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const blobFile = (layout: string, digest: string) => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
const manifestOf = (layout: string) => {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  return JSON.parse(readFileSync(blobFile(layout, index.manifests[0].digest), 'utf8'));
};
const layerDigest = (layout: string, i: number): string => manifestOf(layout).layers[i].digest;
const blobPath = (layout: string, i: number) => blobFile(layout, layerDigest(layout, i));

/** A copy of an OCI layout whose layer `i` is `blob` (its config, and so its diffId, unchanged). */
function copyWithBlob(layout: string, i: number, blob: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-layer-copy-'));
  cpSync(layout, dir, { recursive: true });
  const manifest = manifestOf(dir);
  manifest.layers[i] = { ...manifest.layers[i], digest: sha256(blob), size: blob.length };
  writeFileSync(blobFile(dir, sha256(blob)), blob);
  const text = Buffer.from(JSON.stringify(manifest));
  writeFileSync(blobFile(dir, sha256(text)), text);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  index.manifests[0] = { ...index.manifests[0], digest: sha256(text), size: text.length };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  return dir;
}

const entryFiles = (cacheDir: string) => cacheEntryFiles(cacheDir, 'layers', LAYER_CACHE_VERSION);

describe('layer result cache', () => {
  let a: BuiltImage;
  let b: BuiltImage;
  let cacheDir: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      buildOciLayout([base, middle, top(1)]),
      buildOciLayout([base, middle, top(2), layer({ 'app/extra': 1234 })]),
    ]);
  });
  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'ballast-layer-cache-'));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('round-trips a real scan exactly (entries, links, xattrs, binary names, captured package data)', async () => {
    const scanner = new LayerScanner('test layer');
    scanner.write(await layerTar(base));
    const scan = scanner.finish();
    expect([...scan.entries].some((e) => e.xattrs)).toBe(true);
    expect(Object.keys(scan.captured)).toContain('var/lib/dpkg/status');
    const data = encodeLayerScan(
      { diffId: `sha256:${'a'.repeat(64)}`, digest: `sha256:${'b'.repeat(64)}`, verifiedDiffId: false },
      scan,
    );
    const decoded = decodeLayerScan(data)!;
    expect(decoded.scan).toEqual(scan);
    expect(decoded.meta).toMatchObject({
      diffId: `sha256:${'a'.repeat(64)}`,
      digest: `sha256:${'b'.repeat(64)}`,
      verifiedDiffId: false,
    });
    // Any flipped byte fails the checksum.
    const bad = Buffer.from(data);
    bad[bad.length - 3] ^= 1;
    expect(decodeLayerScan(bad)).toBeUndefined();
    expect(decodeLayerScan(data.subarray(0, data.length - 1))).toBeUndefined();
  });

  it('gives the stored size an entry recorded only for the blob it was read from', async () => {
    const scanner = new LayerScanner('test layer');
    scanner.write(await layerTar(middle));
    const scan = scanner.finish();
    const cache = new LayerCache(cacheDir);
    const diffId = `sha256:${'a'.repeat(64)}`;
    const digest = `sha256:${'b'.repeat(64)}`;
    await cache.put({ diffId, digest, verifiedDiffId: true, storedSize: 1234 }, scan);
    expect(await cache.lookup({ diffId, digest })).toEqual({
      scan,
      verifiedDiffId: true,
      sameBlob: true,
      storedSize: 1234,
    });
    // Another blob of the diffId is served (the diffId was checked), but its own size is not the one recorded.
    expect(await cache.lookup({ diffId, digest: `sha256:${'c'.repeat(64)}` })).toEqual({
      scan,
      verifiedDiffId: true,
      sameBlob: false,
    });
  });

  it('serves a second analysis without reading any layer, with the same result', async () => {
    const first = await analyzeTracking(a.path, cacheDir);
    expect(first.read).toEqual([0, 1, 2]);
    expect(entryFiles(cacheDir)).toHaveLength(3);
    const second = await analyzeTracking(a.path, cacheDir);
    expect(second.read).toEqual([]);
    // The same answer; only its checks say they ran when the layers were cached, not in this run.
    expect(second.result).toEqual(asCached(first.result));
    // Nothing half-written is left behind.
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
  });

  it('reads only the new layers of an image that shares its base with one analysed before', async () => {
    await analyzeTracking(a.path, cacheDir);
    const second = await analyzeTracking(b.path, cacheDir);
    expect(second.read).toEqual([2, 3]);
    const fresh = await analyzeTracking(b.path, undefined, { noCache: true });
    // The shared base layers say `cached`, the layers read `verified`, the image `cached` (not all ran now).
    const expected = asCached(fresh.result);
    expected.layers = expected.layers.map((l, i) => (i < 2 ? l : fresh.result.layers[i]));
    expect(second.result).toEqual(expected);
  });

  it('lets diff of two images sharing a base read nothing it has cached', async () => {
    await analyzeTracking(a.path, cacheDir);
    await analyzeTracking(b.path, cacheDir);
    const cached = await diffImages({ a: a.path, b: b.path, cacheDir });
    expect(cached.walk).toEqual({ sharedLayers: 2, layersRead: { a: 0, b: 0 } });
    const uncached = await diffImages({ a: a.path, b: b.path, noCache: true });
    expect(uncached.walk).toEqual({ sharedLayers: 2, layersRead: { a: 3, b: 2 } });
    // The same answer, but for what it says of its checks: those of the layers served from the cache ran then.
    const told = (r: typeof cached) => ({
      ...r,
      walk: undefined,
      a: { ...r.a, image: { ...r.a.image, checks: undefined } },
      b: { ...r.b, image: { ...r.b.image, checks: undefined } },
    });
    expect(told(cached)).toEqual(told(uncached));
    expect([cached.a.image.checks, cached.b.image.checks]).toEqual([
      { blobDigests: 'cached', diffIds: 'skipped' },
      { blobDigests: 'cached', diffIds: 'skipped' },
    ]);
    expect(uncached.a.image.checks).toEqual({ blobDigests: 'verified', diffIds: 'skipped' });
  });

  it('drops a corrupt entry, reads the layer again and rewrites it', async () => {
    const first = await analyzeTracking(a.path, cacheDir);
    const victim = entryFiles(cacheDir).sort((x, y) => statSync(y).size - statSync(x).size)[0];
    const data = readFileSync(victim);
    data[data.length - 10] ^= 0xff;
    writeFileSync(victim, data);
    const second = await analyzeTracking(a.path, cacheDir);
    expect(second.read).toHaveLength(1);
    const expected = asCached(first.result);
    expected.layers = expected.layers.map((l, i) => (second.read.includes(i) ? first.result.layers[i] : l));
    expect(second.result).toEqual(expected);
    expect(decodeLayerScan(readFileSync(victim))).toBeDefined();
  });

  it('with noCache neither reads nor writes the cache', async () => {
    await analyzeTracking(a.path, cacheDir, { noCache: true });
    expect(entryFiles(cacheDir)).toEqual([]);
    await analyzeTracking(a.path, cacheDir);
    const again = await analyzeTracking(a.path, cacheDir, { noCache: true });
    expect(again.read).toEqual([0, 1, 2]);
  });

  it('serves an entry for another blob of the same tar only when the diffId was checked', async () => {
    // The same layers stored uncompressed: same diffIds, other blob digests.
    const plain = await buildOciLayout([base, middle, top(1)], { gzip: false });
    try {
      await analyzeTracking(a.path, cacheDir);
      // Read from gzip blobs without the diffId check: not trusted for the plain blobs, which are read.
      expect((await analyzeTracking(plain.path, cacheDir)).read).toEqual([0, 1, 2]);
      // Plain blobs are their own diffId, so those entries are checked ones and serve the gzip image too.
      expect((await analyzeTracking(a.path, cacheDir)).read).toEqual([]);
      rmSync(join(cacheDir, 'layers'), { recursive: true });
      await analyze({ image: a.path, cacheDir, verifyDiffIds: true });
      expect((await analyzeTracking(plain.path, cacheDir)).read).toEqual([]);
    } finally {
      plain.cleanup();
    }
  });

  it('with --verify-diff-ids checks a blob other than the one an entry was read from, whatever the entry says', async () => {
    // Given image a's layers cached from a read that checked every diffId
    await analyze({ image: a.path, cacheDir, verifyDiffIds: true });
    // And two copies of a whose top layer's blob is another one under the same diffId: the same tar compressed at
    // another level, and that blob cut in half (a push that broke off; its manifest names the cut blob's digest)
    const tar = gunzipSync(readFileSync(blobPath(a.path, 2)));
    const other = gzipSync(tar, { level: 1 });
    expect(sha256(other)).not.toBe(layerDigest(a.path, 2));
    const recompressed = copyWithBlob(a.path, 2, other);
    const cut = copyWithBlob(a.path, 2, other.subarray(0, other.length >> 1));
    try {
      // When each is analysed with --verify-diff-ids, the other blob is read (and checked) rather than served
      const again = await analyzeTracking(recompressed, cacheDir, { verifyDiffIds: true });
      expect(again.read).toEqual([2]);
      expect(again.result.layers[2].checks.diffId).toBe('verified');
      await expect(analyze({ image: cut, cacheDir, verifyDiffIds: true })).rejects.toThrow(/layer 2/);
      // Without the flag the entry stands for the tar the config names (layer-cache.ts): not read
      expect((await analyzeTracking(cut, cacheDir)).read).toEqual([]);
    } finally {
      for (const dir of [recompressed, cut]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('budgets hold whatever the cache holds: the same command fails with the same error cold and warm', async () => {
    // Given image a's layers, measured without a cache: a budget only the base layer (0) is over, for each limit
    const { layers } = await analyze({ image: a.path, noCache: true });
    const [, ...others] = layers;
    const maxEntries = Math.max(...others.map((l) => l.entries));
    expect(layers[0].entries).toBeGreaterThan(maxEntries);
    const maxBytes = Math.max(...others.map((l) => l.uncompressedBytes));
    expect(layers[0].uncompressedBytes).toBeGreaterThan(maxBytes);
    const cases: [string[], RegExp][] = [
      [['--max-entries', String(maxEntries)], new RegExp(`layer 0 .*: the layer has more than ${maxEntries} entries`)],
      [
        ['--max-decompressed-bytes', String(maxBytes)],
        /layer 0 .*: the layer decompresses to more than .* --max-decompressed/,
      ],
    ];
    const env = { BALLAST_CACHE_DIR: cacheDir };
    const cli = (...args: string[]) => runCli(args, { env });
    for (const [flags, message] of cases) {
      // When the command runs on an empty cache, then again once a run without the budget has filled it
      rmSync(cacheDir, { recursive: true, force: true });
      const cold = await cli('analyze', a.path, '--workers', '0', ...flags);
      expect((await cli('analyze', a.path, '--workers', '0')).code).toBe(0);
      expect(entryFiles(cacheDir)).toHaveLength(3);
      expect(cacheEntryFiles(cacheDir, 'results', RESULT_CACHE_VERSION)).toHaveLength(1);
      const warm = await cli('analyze', a.path, '--workers', '0', ...flags);
      // Then both stop with exit 2 and the same one-line error naming the layer and the budget
      expect(cold.code).toBe(2);
      expect(cold.stderr).toMatch(message);
      expect(cold.stderr.trim().split('\n')).toHaveLength(1);
      expect(warm).toEqual(cold);
    }
    // And diff of two images whose layers are all cached stops at the budget too
    await cli('analyze', b.path, '--workers', '0');
    const diff = await cli('diff', a.path, b.path, '--workers', '0', '--max-entries', String(maxEntries));
    expect(diff.code).toBe(2);
    expect(diff.stderr).toMatch(
      /^error: analyzing A .*: reading layer 0 \(sha256:[0-9a-f]{64}\) of \S+: the layer has more than \d+ entries \(budget --max-entries/,
    );
  });

  it('writes nothing from a read without verification', async () => {
    await analyze({ image: a.path, cacheDir, verify: false });
    expect(entryFiles(cacheDir)).toEqual([]);
  });

  it('keeps the cache under its size cap, least recently used entries first', async () => {
    const scanner = new LayerScanner('x');
    scanner.write(await layerTar(layer(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 10])))));
    const scan = scanner.finish();
    const ref = (i: number) => ({
      diffId: `sha256:${String(i).repeat(64).slice(0, 64)}`,
      digest: `sha256:${'c'.repeat(64)}`,
      verifiedDiffId: true,
    });
    // Room for two entries and a half: after four puts, the two newest are left.
    const cap = Math.floor(encodeLayerScan(ref(1), scan).length * 2.5);
    const cache = new LayerCache(cacheDir, cap);
    for (let i = 1; i <= 4; i++) {
      await cache.put(ref(i), scan);
      // mtime resolution: make the order unambiguous
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const left = entryFiles(cacheDir);
    expect(left.reduce((s, f) => s + statSync(f).size, 0)).toBeLessThanOrEqual(cap);
    expect(left).toHaveLength(2);
    expect(await cache.get(ref(4))).toEqual(scan);
    expect(await cache.get(ref(1))).toBeUndefined();
  });
});
