// measure keeps the biggest files as a bounded selection and a content hash seen once as its path alone (memory at a
// million files); both must give exactly what sorting and grouping every final file gives, ties included.
import { LayerApplier, measureLayers } from '../../src/analysis/measure.js';
import { hexSha, LayerScanner } from '../../src/analysis/scan-layer.js';
import type { WalkedLayer } from '../../src/analysis/walk.js';
import { layer, layerTar, WHITEOUT, type LayerSpec } from '../helpers/image-builder.js';

/** Deterministic pseudo-random sizes from a small set, so many files tie on size (and some on content). */
function files(seed: number, count: number, prefix: string): LayerSpec['entries'] {
  const out: LayerSpec['entries'] = {};
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const size = [0, 1, 7, 7, 100, 100, 100, 4096, 5000][x % 9];
    // Same size and same filler path pattern => same bytes for some: duplicates across directories.
    out[`${prefix}/d${x % 5}/f${i}`] = i % 4 === 0 ? Buffer.alloc(size, 1) : size;
  }
  return out;
}

async function walked(specs: LayerSpec[]): Promise<WalkedLayer[]> {
  return Promise.all(
    specs.map(async (spec, index) => {
      const scanner = new LayerScanner(`layer ${index}`);
      scanner.write(await layerTar(spec));
      const scan = scanner.finish();
      return {
        index,
        digest: `sha256:${String(index).repeat(64)}`,
        diffId: `sha256:${String(index).repeat(64)}`,
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        compressedBytes: scan.uncompressedBytes,
        present: true,
        scan,
        checks: { blobDigest: 'verified', diffId: 'skipped' },
      } as WalkedLayer;
    }),
  );
}

describe('measure selections', () => {
  it.each([1, 3, 20, 1000])('top %i files equal the first of every final file sorted', async (top) => {
    const specs = [
      layer(files(1, 300, 'a')),
      layer({ ...files(2, 200, 'b'), 'a/d1/.wh.f3': WHITEOUT, 'a/d2/.wh.f10': WHITEOUT }),
      layer(files(3, 100, 'a')),
    ];
    const m = measureLayers(await walked(specs), { history: [] }, { top });
    const all = [...m.fs.nodes]
      .filter(([, n]) => n.kind === 'file')
      .map(([path, n]) => ({ path, sizeBytes: n.size, layer: n.layer }))
      .sort((a, b) => b.sizeBytes - a.sizeBytes || (a.path < b.path ? -1 : 1));
    expect(m.topFiles).toEqual(all.slice(0, top));
    // And the duplicate groups are those of grouping every file by content.
    const groups = new Map<string, string[]>();
    for (const [path, n] of m.fs.nodes)
      if (n.kind === 'file' && n.size > 0 && n.sha) groups.set(n.sha, [...(groups.get(n.sha) ?? []), path]);
    const expected = [...groups].filter(([, p]) => p.length > 1);
    expect(m.duplicates.map((d) => [d.sha256, d.copies]).sort()).toEqual(
      expected.map(([sha, p]) => [hexSha(sha), p.length]).sort(),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(m.duplicates.every((d) => /^[0-9a-f]{64}$/.test(d.sha256))).toBe(true);
  });
});

describe('dive trees built early (LayerApplier.early)', () => {
  // The walk hands over a layer read before the layers below it, and its tree is built then: the result must be the
  // one applying every layer in order gives, whatever came early.
  const specs = () => [
    layer(files(4, 120, 'a')),
    layer({ ...files(5, 80, 'b'), 'a/d1/.wh.f3': WHITEOUT, 'a/d2/.wh..wh..opq': WHITEOUT }),
    layer(files(6, 60, 'a')),
    layer({ ...files(7, 40, 'c'), 'b/.wh.d0': WHITEOUT }),
  ];
  const measure = (layers: WalkedLayer[], applier: LayerApplier) => {
    const { fs, dropPackaged, ...m } = measureLayers(layers, { history: [] }, {}, applier);
    void dropPackaged;
    return { ...m, paths: [...fs.nodes].map(([path, n]) => [path, n.kind, n.size, n.layer]) };
  };

  it.each([
    ['the top layers early, the highest first', [3, 2]],
    ['one in the middle', [2]],
    ['every layer (the bottom one is next: nothing to build early)', [0, 1, 2, 3]],
    ['the same layer twice', [3, 3]],
  ])('%s: as applied in order', async (_, early) => {
    const expected = measure(await walked(specs()), new LayerApplier());
    const layers = await walked(specs());
    const applier = new LayerApplier();
    for (const i of early) applier.early(layers[i]);
    expect(measure(layers, applier)).toEqual(expected);
    expect(expected.dive.efficiencyScore).toBeLessThan(1);
  });
});
