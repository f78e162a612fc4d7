// The path checks of a layer: the same for entries streamed from a tar and for a scan served by the layer cache.
import { EntryList } from '../../src/analysis/entry-list.js';
import { LayerPaths, MAX_PATH_LENGTH, scanOverBudget } from '../../src/analysis/limits.js';
import { emptyCounts, type LayerScan } from '../../src/analysis/scan-layer.js';

const scanOf = (paths: string[]): LayerScan => ({
  uncompressedBytes: 1024,
  counts: { ...emptyCounts(), entries: paths.length },
  diveSizeBytes: 0,
  entries: EntryList.of(paths.map((path) => ({ path, kind: 'file', size: 0, mode: 0o644, uid: 0, gid: 0 }))),
  captured: {},
});

describe('LayerPaths', () => {
  it('takes ordinary paths, and a directory shared by neighbours is counted once', () => {
    const paths = new LayerPaths('layer 0 of x');
    for (let i = 0; i < 100_000; i++) paths.add(`usr/share/doc/package-${i % 500}/file-${i}.txt`);
    paths.add('a'.repeat(MAX_PATH_LENGTH));
  });

  it('counts each directory once in a tar not in directory order (docker export, kaniko, tar --sort=none)', () => {
    // A node_modules tree of 60,000 files ~150 characters and 13 levels deep, in a shuffled order: counting every
    // entry's directories again refused it at ~27,000 entries, though in directory order it passes easily.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const files: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      let path = 'usr/src/app/node_modules';
      while (path.length < 130) path += `/pkg${Math.floor(random() * 40)}-${'x'.repeat(4 + Math.floor(random() * 6))}`;
      files.push(`${path}/file-${i}.js`);
    }
    for (let i = files.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [files[i], files[j]] = [files[j], files[i]];
    }
    const paths = new LayerPaths('layer 0 of x');
    for (const path of files) paths.add(path);
  });

  it("takes a layer of many long paths: each entry's own path costs what the entry count bounds", () => {
    // 200,000 files of 400 characters in 400 directories (pnpm's store names run long): counting each entry's
    // own path (80M characters) against 256 per entry (51M) plus the floor (17M) refused it at ~110,000 entries.
    const paths = new LayerPaths('layer 0 of x');
    for (let i = 0; i < 200_000; i++)
      paths.add(
        `node_modules/.pnpm/pkg-${i % 400}/node_modules/${'long-name-'.repeat(36)}${String(i).padStart(8, '0')}`,
      );
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
    }).toThrow(/^layer 2 of x names more than \d+ characters of directories in 5 entries/);
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
