// The layer walk's contract: layers handed over bottom-up as they complete, blob digests always checked, and
// the config's diff_ids checked on request.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntryList } from '../../src/analysis/entry-list.js';
import { scanStoredLayer } from '../../src/analysis/layer-pipeline.js';
import type { LayerCache } from '../../src/analysis/layer-cache.js';
import { walkLayers, type WalkedLayer } from '../../src/analysis/walk.js';
import { openImage } from '../../src/sources/resolve.js';
import { TarIndex } from '../../src/sources/tar-index.js';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { tarHeader } from '../helpers/hostile.js';
import { buildDockerArchive, buildOciLayout, layer } from '../helpers/image-builder.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Rewrites the config of a one-manifest layout (and the manifest and index pointing at it). */
function rewriteConfig(dir: string, edit: (config: { rootfs: { diff_ids: string[] } }) => void): void {
  const blob = (d: string) => join(dir, 'blobs', 'sha256', d.slice(7));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8'));
  edit(config);
  const configBytes = Buffer.from(JSON.stringify(config));
  writeFileSync(blob(sha(configBytes)), configBytes);
  manifest.config = { ...manifest.config, digest: sha(configBytes), size: configBytes.length };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  writeFileSync(blob(sha(manifestBytes)), manifestBytes);
  index.manifests[0] = { ...index.manifests[0], digest: sha(manifestBytes), size: manifestBytes.length };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
}

describe('walkLayers', () => {
  it('writes one cache entry per blob, however many layers list it', async () => {
    const built = await buildOciLayout([layer({}), layer({ a: 10 }), layer({}), layer({}), layer({ a: 10 })]);
    const image = await openImage(built.path);
    const puts: string[] = [];
    const cache = {
      lookup: async () => undefined,
      put: async (ref: { diffId: string }) => void puts.push(ref.diffId),
    } as unknown as LayerCache;
    try {
      const walked = await walkLayers(image, { workers: 0, cache });
      expect(puts.sort()).toEqual([...new Set(walked.map((w) => w.diffId))].sort());
      expect(puts).toHaveLength(2);
    } finally {
      await image.close();
      built.cleanup();
    }
  });

  it('reads each blob once, however many layers list it, and gives every listing its scan', async () => {
    const built = await buildOciLayout([
      layer({ a: 10 }),
      layer({}),
      layer({ a: 10 }),
      layer({ b: 7 }),
      layer({ a: 10 }),
    ]);
    const image = await openImage(built.path);
    // Every read of a blob goes through its layer's compressed(): count them by blob digest.
    const layers = await image.layers();
    const reads = new Map<string, number>();
    for (const l of layers) {
      const compressed = l.compressed.bind(l);
      const digest = await l.digest();
      l.compressed = () => (reads.set(digest, (reads.get(digest) ?? 0) + 1), compressed());
    }
    image.layers = async () => layers;
    try {
      const seen: number[] = [];
      const reading: number[] = [];
      const walked = await walkLayers(image, {
        workers: 0,
        onLayer: (l: WalkedLayer) => seen.push(l.index),
        onReading: () => reading.push(seen.length),
      });
      // In-process too, the walk says once that its reads have started, before it is done.
      expect(reading).toHaveLength(1);
      expect(reading[0]).toBeLessThan(5);
      expect([...reads.values()]).toEqual([1, 1, 1]);
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      expect(walked.map((w) => w.scan.counts.fileBytes)).toEqual([10, 0, 10, 7, 10]);
      // Each listing has its own scan object: dropping one's entries once applied leaves the others'.
      walked[0].scan.entries = EntryList.of([]);
      expect([...walked[2].scan.entries].map((e) => e.path)).toEqual(['a']);
      expect([...walked[4].scan.entries].map((e) => e.path)).toEqual(['a']);
    } finally {
      await image.close();
      built.cleanup();
    }
  });

  it('reads every legacy layer.tar, though two claim one diff_id: each is proven only by its own bytes', async () => {
    // A `docker save` <= 24 archive whose layers 0 and 2 are the same tar in two files; the second is then altered.
    // Read once for both, the altered copy passed unread and the analysis showed the first's files in its place.
    const built = await buildDockerArchive([layer({ a: 10 }), layer({ b: 7 }), layer({ a: 10 })]);
    const member = (await TarIndex.build(built.path)).resolve('2/layer.tar')!;
    const archive = readFileSync(built.path);
    archive[member.offset + 512] ^= 0xff; // the first byte of `a` in the second copy
    writeFileSync(built.path, archive);
    const image = await openImage(built.path);
    try {
      await expect(walkLayers(image, { workers: 0 })).rejects.toThrow(/layer 2\b/);
    } finally {
      await image.close();
      built.cleanup();
    }
  });

  it.each([
    ['hashes', true],
    ['under --no-verify reads', false],
  ])('%s each reused blob once, however many layers list it', async (_, verify) => {
    // diff reuses the layers B shares with A: B's copies are only checked (hashed, or read without the scan kept).
    const builtA = await buildOciLayout([layer({ a: 10 }), layer({ b: 7 })]);
    const builtB = await buildOciLayout([
      layer({ a: 10 }),
      layer({ c: 3 }),
      layer({ a: 10 }),
      layer({ b: 7 }),
      layer({ a: 10 }),
    ]);
    const imageA = await openImage(builtA.path);
    const imageB = await openImage(builtB.path);
    const layers = await imageB.layers();
    // Every check of a blob reads its stored bytes or its tar: count both by blob digest.
    const reads = new Map<string, number>();
    for (const l of layers) {
      const digest = await l.digest();
      const count = () => void reads.set(digest, (reads.get(digest) ?? 0) + 1);
      const compressed = l.compressed.bind(l);
      const uncompressed = l.uncompressed.bind(l);
      l.compressed = () => (count(), compressed());
      l.uncompressed = () => (count(), uncompressed());
    }
    imageB.layers = async () => layers;
    try {
      const a = await walkLayers(imageA, { workers: 0, verify });
      const reuse = new Map(a.map((w) => [w.diffId, w]));
      const walked = await walkLayers(imageB, { workers: 0, verify, reuse });
      expect([...reads.values()]).toEqual([1, 1, 1]);
      expect(walked.map((w) => w.scan.counts.fileBytes)).toEqual([10, 3, 10, 7, 10]);
      // Every listing has a scan object of its own, not the other walk's: dropping one's entries once applied (as the
      // measure does) leaves the other image's and the other listings' (diff keeps them only by asking: keepEntries).
      walked[0].scan.entries = EntryList.of([]);
      expect([...a[0].scan.entries].map((e) => e.path)).toEqual(['a']);
      expect([...walked[4].scan.entries].map((e) => e.path)).toEqual(['a']);
    } finally {
      await imageA.close();
      await imageB.close();
      builtA.cleanup();
      builtB.cleanup();
    }
  });

  it('stops a scan whose stored bytes are all read when its signal is aborted (another layer failed)', async () => {
    // Destroying the stored stream stops nothing once it has ended: 688 KB of zstd, read at once, left its decoder 20 GB
    // to give, and `--workers 0` ran on for a minute after the error. Here 512 MiB of zeros in 512 KB of gzip, given
    // in one chunk; the scan is stopped after its first turn.
    const zeros = gzipSync(Buffer.alloc(1024 * 1024));
    const big = Buffer.concat([
      gzipSync(tarHeader(Buffer.from('zeros'), '0', 512 * 1024 * 1024)),
      ...Array.from({ length: 512 }, () => zeros),
      gzipSync(Buffer.alloc(1024)),
    ]);
    const stop = new AbortController();
    const scan = scanStoredLayer(Readable.from([big]), { what: 'layer 0 of test' }, undefined, stop.signal);
    setImmediate(() => stop.abort());
    await expect(scan).rejects.toThrow('aborted');
  });

  it('hands layers over in index order, each once', async () => {
    const built = await buildOciLayout([
      layer({ a: 100 }),
      layer({ b: 100_000 }),
      layer({ c: 10 }),
      layer({ d: 1000 }),
    ]);
    const image = await openImage(built.path);
    try {
      const seen: number[] = [];
      const walked = await walkLayers(image, { workers: 0, onLayer: (l: WalkedLayer) => seen.push(l.index) });
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(walked.map((w) => w.scan.counts.fileBytes)).toEqual([100, 100_000, 10, 1000]);
    } finally {
      await image.close();
      built.cleanup();
    }
  });

  it('checks diff_ids only when asked, and then names the mismatch', async () => {
    const built = await buildOciLayout([layer({ a: 100 })]);
    rewriteConfig(built.path, (c) => (c.rootfs.diff_ids = [`sha256:${'0'.repeat(64)}`]));
    const image = await openImage(built.path);
    try {
      await expect(walkLayers(image, { workers: 0 })).resolves.toHaveLength(1);
      await expect(walkLayers(image, { workers: 0, verifyDiffIds: true })).rejects.toThrow(
        /does not match its diff_id/,
      );
    } finally {
      await image.close();
      built.cleanup();
    }
  });
});
