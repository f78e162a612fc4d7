// The path checks of a layer: the same for entries streamed from a tar and for a scan served by the layer cache.
import { LayerPaths, MAX_PATH_LENGTH, scanOverBudget } from '../../src/analysis/limits.js';
import { emptyCounts, type LayerScan } from '../../src/analysis/scan-layer.js';

const scanOf = (paths: string[]): LayerScan => ({
  uncompressedBytes: 1024,
  counts: { ...emptyCounts(), entries: paths.length },
  diveSizeBytes: 0,
  entries: paths.map((path) => ({ path, kind: 'file', size: 0, mode: 0o644, uid: 0, gid: 0 })),
  captured: {},
});

describe('LayerPaths', () => {
  it('takes ordinary paths, and a directory shared by neighbours is counted once', () => {
    const paths = new LayerPaths('layer 0 of x');
    for (let i = 0; i < 100_000; i++) paths.add(`usr/share/doc/package-${i % 500}/file-${i}.txt`);
    paths.add('a'.repeat(MAX_PATH_LENGTH));
  });

  it('refuses a path longer than PATH_MAX, naming the layer and the length', () => {
    expect(() => new LayerPaths('layer 0 of x').add('a'.repeat(MAX_PATH_LENGTH + 1))).toThrow(
      /^layer 0 of x has an entry whose path is 4097 characters long, more than the 4096/,
    );
  });

  it('refuses many distinct deep paths, which cost the square of their depth', () => {
    const paths = new LayerPaths('layer 2 of x');
    expect(() => {
      for (let i = 0; i < 20; i++) paths.add(`t${i}/${'a/'.repeat(2_000)}leaf`);
    }).toThrow(/^layer 2 of x names more than \d+ characters of paths in 5 entries/);
  });
});

describe('scanOverBudget (a layer cache hit)', () => {
  it('refuses a cached entry whose path an older ballast read, as a read of the layer would', () => {
    expect(scanOverBudget('layer 1 of x', scanOf(['ok', 'd/'.repeat(3_000) + 'leaf']))?.message).toMatch(
      /^layer 1 of x has an entry whose path is 6004 characters long/,
    );
    expect(scanOverBudget('layer 1 of x', scanOf(['ok', 'd/'.repeat(2_000) + 'leaf']))).toBeUndefined();
  });
});
