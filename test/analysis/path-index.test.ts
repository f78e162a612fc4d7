// Paths as ids (path-index.ts): every path comes back byte for byte, ids are dense and stable, and a copy is
// independent of the original.
import { PathIndex } from '../../src/analysis/path-index.js';

describe('PathIndex', () => {
  it('gives dense, stable ids and returns every path byte for byte, through table growth and page changes', () => {
    const index = new PathIndex();
    const paths: string[] = [];
    // 120k paths of about 30 bytes fill four 1 MiB pages, through many doublings of the table.
    for (let i = 0; i < 120_000; i++) paths.push(`usr/share/d${i % 997}/file-${i}.txt`);
    // Mismatches gathered, then one expectation (an expectation per path takes seconds).
    const wrong = (f: (p: string, i: number) => boolean) => paths.filter((p, i) => !f(p, i));
    expect(wrong((p, i) => index.id(p) === i)).toEqual([]);
    expect(wrong((p, i) => index.find(p) === i && index.path(i) === p && index.id(p) === i)).toEqual([]);
    expect(index.size).toBe(paths.length);
    expect(index.find('usr/share/d0/file-120000.txt')).toBeUndefined();
    expect(index.find('usr/share/d0/file-0.tx')).toBeUndefined();
  });

  it('keeps binary (latin1) paths, the empty root, and paths it cannot store as bytes', () => {
    const index = new PathIndex();
    const binary = Buffer.from([0x63, 0xe9, 0xff, 0x00, 0x2f, 0x80]).toString('latin1');
    const wide = 'caf\u00e9/\u65e5\u672c'; // chars above U+00FF: kept as a string
    const long = 'x'.repeat(70_000);
    for (const p of ['', binary, wide, long, 'a']) index.id(p);
    expect([0, 1, 2, 3, 4].map((id) => index.path(id))).toEqual(['', binary, wide, long, 'a']);
    expect(index.find(wide)).toBe(2);
    expect(index.find(long)).toBe(3);
    // A wide path never matches the bytes of another: 'é' (U+00E9) and U+01E9 differ in their low byte only.
    expect(index.find('caf\u01e9/\u65e5\u672c')).toBeUndefined();
  });

  it('orders paths by their bytes (code units) without making their strings, and gives their lengths', () => {
    const index = new PathIndex();
    const binary = Buffer.from([0x64, 0x2f, 0xe9]).toString('latin1');
    const paths = ['d/b', 'd/a-', 'd', '', 'd/a', 'd/z', binary, 'd/\u0100', 'd/' + 'x'.repeat(70_000), 'd/B'];
    const ids = paths.map((p) => index.id(p));
    const byString = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect([...ids].sort((a, b) => index.compare(a, b)).map((id) => index.path(id))).toEqual(byString);
    // Past a prefix both share: 'd/' skipped
    expect(Math.sign(index.compare(index.find('d/b')!, index.find('d/a-')!, 2))).toBe(1);
    expect(index.compare(index.find('d/z')!, index.find('d/z')!)).toBe(0);
    expect(ids.map((id) => index.pathLength(id))).toEqual(paths.map((p) => p.length));
  });

  it('tests a start and an end on the stored bytes, as the strings would', () => {
    const index = new PathIndex();
    const binary = Buffer.from([0x61, 0x2f, 0xe9, 0x2f, 0x62]).toString('latin1');
    const paths = ['', 'a', 'a/b', 'ab/b', binary, 'caf\u00e9/\u65e5', 'x/' + 'y'.repeat(70_000) + '/z', 'b/a'];
    const ids = paths.map((p) => index.id(p));
    for (const probe of ['', 'a', 'a/', 'b', '/b', 'a/b', 'ab/b/', '\u00e9/b', 'z', '/z', 'x/y']) {
      const bytes = Buffer.from(probe, 'latin1');
      expect({ probe, starts: ids.map((id) => index.startsWith(id, bytes)) }).toEqual({
        probe,
        starts: paths.map((p) => p.startsWith(probe)),
      });
      expect({ probe, ends: ids.map((id) => index.endsWith(id, bytes)) }).toEqual({
        probe,
        ends: paths.map((p) => p.endsWith(probe)),
      });
    }
  });

  it('gives a clone its own ids from where the original was', () => {
    const index = new PathIndex();
    index.id('a');
    index.id('b');
    const copy = index.clone();
    expect(copy.id('c')).toBe(2);
    expect(index.id('d')).toBe(2);
    expect(copy.path(2)).toBe('c');
    expect(index.path(2)).toBe('d');
    expect(copy.find('d')).toBeUndefined();
    expect(index.find('c')).toBeUndefined();
    expect(copy.find('b')).toBe(1);
  });
});
