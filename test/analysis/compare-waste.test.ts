// B's wasted files against A's: a path A wastes too is not new waste, and one A wastes at another size is resized.
// Where a path is wasted several times on each side, the copies pair by the nearest size, so the change told for
// each is the smallest one the two images allow, and the copy left over (new in B) is the one unlike A's.
import { pairWaste, type WasteSide } from '../../src/analysis/compare.js';
import type { WastedFile } from '../../src/analysis/measure.js';

const copy = (sizeBytes: number, layer: number, path = 'var/lib/apt/lists/x_Packages'): WastedFile => ({
  path,
  sizeBytes,
  cause: 'deleted',
  layer,
  byLayer: layer + 1,
});

// As the analysis lists them: largest first, then by path.
const side = (files: WastedFile[], diffIds?: string[]): WasteSide => ({
  wastedBytes: files.reduce((n, w) => n + w.sizeBytes, 0),
  wasted: { deleted: 0, overwrittenChanged: 0, overwrittenSameContent: 0 },
  wastedFiles: [...files].sort((x, y) => y.sizeBytes - x.sizeBytes || (x.path < y.path ? -1 : 1)),
  junk: [],
  ...(diffIds ? { diffIds } : {}),
});

const changes = (r: ReturnType<typeof pairWaste>) => r.resized.map((w) => [w.beforeBytes, w.afterBytes, w.layer]);

describe('pairWaste', () => {
  it('pairs a copy with the one of the nearest size, leaving the unlike one new', () => {
    // Given A wasting the path once at 100 B, and B at 5,000 B and 105 B, in layers A does not have at those places
    const a = side([copy(100, 1)], ['a0', 'a1', 'a2']);
    const b = side([copy(5000, 3), copy(105, 5)], ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    const r = pairWaste(a, b);
    // Then the 105 B copy grew by 5 B, and the 5,000 B one is new
    expect(changes(r)).toEqual([[100, 105, 5]]);
    expect(r.fresh.map((w) => [w.sizeBytes, w.layer])).toEqual([[5000, 3]]);
  });

  it('pairs several copies each with its nearest, whatever the order they are listed in', () => {
    // Given A at 40 kB and 10 kB, B at 41 kB, 11 kB and 90 kB, none at the same place
    const a = side([copy(40000, 1), copy(10000, 2)]);
    const b = side([copy(11000, 4), copy(90000, 5), copy(41000, 6)]);
    const r = pairWaste(a, b);
    // (listed by the size of the change, then by layer)
    expect(changes(r)).toEqual([
      [10000, 11000, 4],
      [40000, 41000, 6],
    ]);
    expect(r.fresh.map((w) => w.sizeBytes)).toEqual([90000]);
  });

  it('pairs in layer order between copies as near as each other', () => {
    // Given A at 1,000 B in L1, and B at 900 B and 1,100 B: both 100 B away
    const a = side([copy(1000, 1)]);
    const b = side([copy(1100, 7), copy(900, 4)]);
    // Then the copy in B's lower layer is the one that changed size
    expect(changes(pairWaste(a, b))).toEqual([[1000, 900, 4]]);
  });

  it('still pairs an equal size first, and a copy at the same place before a nearer one elsewhere', () => {
    // Given A at 500 B in L2 and 700 B in L3; B at 700 B in L5, and 560 B in L3 (the same layer as A's 700 B copy)
    const a = side([copy(500, 2), copy(700, 3)], ['x', 'y', 'z', 'l3']);
    const b = side([copy(700, 5), copy(560, 3)], ['p', 'q', 'r', 'l3', 's', 't']);
    const r = pairWaste(a, b);
    // Then the 700 B copies pair (same size), and B's L3 copy with what is left of A
    expect(changes(r)).toEqual([[500, 560, 3]]);
    expect(r.fresh).toEqual([]);
  });
});
