// The per-layer tree behind `ballast explore` (issue 10), on images built in the test and opened through the real
// sources: each layer's changes, the tree as of each layer with aggregated directory sizes, and waste marks that
// agree with `analyze`'s numbers.
import { matchBelow, type LayerTree, type PathIndex, type TreeEntry } from '../../src/analysis/layer-tree.js';
import fc from 'fast-check';
import { stringifyChunked } from '@discoveryjs/json-ext';
import { explore, exploreJson, lazyList, type ExploreResult } from '../../src/services/explore.js';
import {
  DIR,
  OPAQUE,
  WHITEOUT,
  buildOciLayout,
  file,
  hardlink,
  layer,
  symlink,
  type LayerSpec,
} from '../helpers/image-builder.js';

async function run(layers: LayerSpec[]): Promise<ExploreResult> {
  const built = await buildOciLayout(layers);
  try {
    return await explore({ image: built.path, workers: 0 });
  } finally {
    built.cleanup();
  }
}

/** name -> status/size of the children of `dir` as of `layer`, sorted by name. */
function kids(tree: LayerTree, dir: string, at: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of tree.children(dir, at).sort((a, b) => (a.name < b.name ? -1 : 1)))
    out[e.name] = `${e.status} ${e.sizeBytes}`;
  return out;
}

function only(tree: LayerTree, path: string, at: number): TreeEntry {
  const e = tree.entry(path, at);
  if (!e) throw new Error(`${path} not present at layer ${at}`);
  return e;
}

describe('layer tree', () => {
  let r: ExploreResult;
  beforeAll(async () => {
    // Given: L0 writes a/big and a/keep; L1 deletes a/big; L2 rewrites a/keep and adds b/c.
    r = await run([
      layer({ 'a/': DIR, 'a/big': 1000, 'a/keep': 10 }),
      layer({ 'a/.wh.big': WHITEOUT }),
      layer({ 'a/keep': file('0123456789ab'), 'b/c': 5 }),
    ]);
  });

  it('shows each layer as the union stood then, directories with aggregated sizes', () => {
    expect(kids(r.tree, '', 0)).toEqual({ a: 'added 1010' });
    expect(kids(r.tree, 'a', 0)).toEqual({ big: 'added 1000', keep: 'added 10' });
    expect(kids(r.tree, '', 1)).toEqual({ a: 'unchanged 10' });
    expect(kids(r.tree, '', 2)).toEqual({ a: 'unchanged 12', b: 'added 5' });
  });

  it('marks a file removed in the layer that removed it, and hides it after', () => {
    expect(kids(r.tree, 'a', 1)).toEqual({ big: 'removed 1000', keep: 'unchanged 10' });
    expect(only(r.tree, 'a/big', 1).waste).toEqual({ cause: 'deleted', byLayer: 1 });
    expect(kids(r.tree, 'a', 2)).toEqual({ keep: 'modified 12' });
  });

  it('lists the wasted versions up to a layer, largest first, with the layer that hid each', () => {
    const list = (at: number) =>
      r.tree
        .wastedVersions(at)
        .map((e) => `${e.status} ${e.path} L${e.layer} ${e.sizeBytes} ${e.waste?.cause} by L${e.waste?.byLayer}`);
    expect(list(0)).toEqual(['added a/big L0 1000 deleted by L1', 'added a/keep L0 10 overwrittenChanged by L2']);
    expect(list(1)).toEqual(['removed a/big L0 1000 deleted by L1', 'unchanged a/keep L0 10 overwrittenChanged by L2']);
    expect(list(2)).toEqual(['removed a/big L0 1000 deleted by L1', 'removed a/keep L0 10 overwrittenChanged by L2']);
    expect(r.tree.wastedVersions(2).reduce((sum, e) => sum + e.sizeBytes, 0)).toBe(r.analysis.summary.wastedBytes);
  });

  it('marks the version that a later layer hides as wasted, with the cause', () => {
    expect(only(r.tree, 'a/keep', 0).waste).toEqual({ cause: 'overwrittenChanged', byLayer: 2 });
    expect(only(r.tree, 'a/keep', 2).waste).toBeUndefined();
    expect(only(r.tree, 'a/keep', 2).wastedBytes).toBe(10);
  });

  it('tells what changed below a directory in one layer', () => {
    expect(r.tree.dirStats('a', 1)).toMatchObject({
      sizeBytes: 10,
      removedBytes: 1000,
      changedBytes: 0,
      changed: true,
    });
    expect(r.tree.dirStats('a', 2)).toMatchObject({ sizeBytes: 12, changedBytes: 12, changed: true });
    expect(r.tree.dirStats('b', 1)).toMatchObject({ sizeBytes: 0, changed: false });
    expect(r.tree.dirStats('', 2)).toMatchObject({ changedBytes: 17, changed: true });
  });

  it('counts what was added, modified and removed below a directory in one layer', () => {
    expect(r.tree.dirStats('a', 1)).toMatchObject({ added: 0, modified: 0, removed: 1 });
    expect(r.tree.dirStats('a', 2)).toMatchObject({ added: 0, modified: 1, removed: 0 });
    expect(r.tree.dirStats('b', 2)).toMatchObject({ added: 1, modified: 0, removed: 0 });
    expect(r.tree.dirStats('b', 1)).toMatchObject({ added: 0, modified: 0, removed: 0 });
  });

  it('agrees with analyze: the root as of the last layer is the final filesystem, its waste the wasted bytes', () => {
    const root = r.tree.dirStats('', 2);
    expect(root.sizeBytes).toBe(r.analysis.summary.finalFileBytes);
    expect(root.files).toBe(r.analysis.summary.finalFiles);
    expect(root.wastedBytes).toBe(r.analysis.summary.wastedBytes);
    expect(root.wastedBytes).toBe(1010);
  });

  it("lists each layer's changes for --json, largest first", () => {
    const json = exploreJson(r);
    expect(json.layers[1].changes).toEqual([
      { path: '/a/big', kind: 'file', status: 'removed', sizeBytes: 1000, wasted: { cause: 'deleted', byLayer: 1 } },
    ]);
    expect(json.layers[2].changes.map((c) => `${c.status} ${c.path}`)).toEqual([
      'modified /a/keep',
      'added /b',
      'added /b/c',
    ]);
  });

  it('makes each --json change when it is printed, and prints what a plain array of them prints', async () => {
    const json = exploreJson(r);
    const plain = json.layers.map((l) => [...l.changes]);
    expect(Array.isArray(json.layers[2].changes)).toBe(true);
    expect(plain[2]).toHaveLength(3);
    expect(JSON.stringify(json.layers.map((l) => l.changes))).toBe(JSON.stringify(plain));
    const chunks = [...stringifyChunked({ changes: json.layers[2].changes }, null, 2)].join('');
    expect(chunks).toBe(JSON.stringify({ changes: plain[2] }, null, 2));
    // Made on read, not kept
    let made = 0;
    const list = lazyList(4, (i) => ({ i, n: ++made }));
    expect(made).toBe(0);
    expect(list[2]).toEqual({ i: 2, n: 1 });
    expect(list.map((x) => x.i)).toEqual([0, 1, 2, 3]);
    expect(Object.keys(list)).toEqual(['0', '1', '2', '3']);
    expect(2 in list && !(4 in list) && list[4] === undefined && list.length === 4).toBe(true);
    expect(() => {
      (list as unknown as { x: number }[])[0] = { x: 1 };
    }).toThrow(TypeError);
  });
});

describe('layer tree edge cases', () => {
  it('marks a chmod copy as a same-content overwrite', async () => {
    const r = await run([layer({ 'm.bin': file('model') }), layer({ 'm.bin': file('model', { mode: 0o640 }) })]);
    expect(only(r.tree, 'm.bin', 0).waste).toEqual({ cause: 'overwrittenSameContent', byLayer: 1, change: 'mode' });
    expect(only(r.tree, 'm.bin', 1)).toMatchObject({ status: 'modified', sizeBytes: 5, wastedBytes: 5 });
  });

  it("shows an opaque directory's lower children as removed and the new one as added", async () => {
    const r = await run([
      layer({ 't/old1': 10, 't/old2': 20 }),
      layer([
        ['t/new', 7],
        ['t/.wh..wh..opq', OPAQUE],
      ]),
    ]);
    expect(kids(r.tree, 't', 1)).toEqual({ new: 'added 7', old1: 'removed 10', old2: 'removed 20' });
    expect(r.tree.dirStats('t', 1).sizeBytes).toBe(7);
  });

  it('puts a file written through a symlinked parent where the union puts it', async () => {
    const r = await run([layer({ 'usr/bin/': DIR, bin: symlink('usr/bin') }), layer({ 'bin/x': 3 })]);
    expect(kids(r.tree, 'usr/bin', 1)).toEqual({ x: 'added 3' });
    expect(kids(r.tree, '', 1)).toEqual({ bin: 'unchanged 0', usr: 'unchanged 3' });
  });

  it('does not count a directory entry repeated with the same metadata as a change', async () => {
    const r = await run([layer({ 'd/': DIR, 'd/f': 1 }), layer({ 'd/': DIR, e: 2 })]);
    expect(only(r.tree, 'd', 1).status).toBe('unchanged');
    expect(r.tree.dirStats('d', 1).changed).toBe(false);
  });

  it('shows a directory replaced by a file: the subtree removed, the file modified', async () => {
    const r = await run([layer({ 'x/y': 4 }), layer({ x: 9 })]);
    expect(kids(r.tree, '', 1)).toEqual({ x: 'modified 9' });
    expect(kids(r.tree, 'x', 1)).toEqual({ y: 'removed 4' });
  });

  it('tells whether a path or anything below it holds a text, however the paths are asked, as a search path by path does', async () => {
    const t = await run([
      layer({ 'usr/': DIR, 'usr/lib/': DIR, 'usr/lib/libUSR.so': 3, 'usr/share/': DIR, 'usr/share/usr.txt': 4 }),
      layer({ 'opt/': DIR, 'opt/ab/': DIR, 'opt/ab/x': 1, 'opt/aab': 1, 'opt/b': 1, rUs: 1, 'usr/lib/zz': 2 }),
    ]);
    const index = t.tree.pathIndex();
    const paths = [...t.tree.paths()].filter((p) => p !== '');
    expect([...index.paths].sort()).toEqual([...paths].sort());
    const below = (p: string, needle: string) =>
      paths.some((q) => (q === p || q.startsWith(`${p}/`)) && q.toLowerCase().includes(needle));
    // In depth-first order (as the view asks), backwards, and shuffled: the shared search must not leak answers.
    const orders = [
      index.paths,
      [...index.paths].reverse(),
      [...index.paths].sort((a, b) => (a.length % 3) - (b.length % 3)),
    ];
    for (const needle of ['u', 'usr', 'usr/', 'lib', 'ab', 'b', 'aab', 'opt/ab', 'zzz', 'zz', '/', 'rus', 's', 'x'])
      for (const order of orders) {
        const test = matchBelow(index, needle);
        for (const p of order) expect([p, needle, test(p)]).toEqual([p, needle, below(p, needle)]);
      }
    const test = matchBelow(index, 'libusr');
    expect(['usr', 'usr/lib', 'usr/lib/libUSR.so', 'usr/share', 'opt'].map(test)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(test('not/a/path')).toBe(false);
  });

  it('tells whether a path or anything below it matches a regular expression, anchored at each path, as a test path by path does', async () => {
    // Paths side by side in the joined text (b.a.so then usr/lib/zz, zz then opt, lib.so.1 then opt/aab) bait a match
    // over the NUL between them, inside a directory's run of the text or from its last path past its end.
    const t = await run([
      layer({ 'usr/': DIR, 'usr/lib/': DIR, 'usr/lib/libUSR.so': 3, 'usr/lib/b.a': 1, 'usr/lib/b.a.so': 1 }),
      layer({ 'opt/': DIR, 'opt/usr/': DIR, 'opt/usr/lib.so.1': 1, 'opt/aab': 1, rUs: 1, 'usr/lib/zz': 2 }),
    ]);
    const index = t.tree.pathIndex();
    const paths = [...index.paths];
    const orders = [paths, [...paths].reverse(), [...paths].sort((a, b) => (a.length % 3) - (b.length % 3))];
    const patterns = [/\.so$/i, /^usr\/lib/i, /^usr/i, /s$/i, /^/i, /$/i, /s.u/i, /[^a]u/i, /s\Wu/i, /\.a$/i];
    for (const re of patterns.concat([
      /^opt\/a+b$/i,
      /z|^r/i,
      /so.u/i,
      /z.o/i,
      /1\Wo/i,
      /lib.*\.so\b/i,
      /O\d?$/i,
      /usr$/i,
      /^zz/i,
      // Empty matches at a path's end (the NUL after it), a boundary there, and anchors alone.
      /x*$/i,
      /\b/i,
      /o\b/i,
      /^$/i,
      /$/i,
      /(?:)/i,
      /b$|^o/i,
      /s?$/i,
      /^\W|\W$/i,
    ])) {
      const below = (p: string) => paths.some((q) => (q === p || q.startsWith(`${p}/`)) && re.test(q.toLowerCase()));
      for (const order of orders) {
        const test = matchBelow(index, re);
        for (const p of order) expect([p, re, test(p)]).toEqual([p, re, below(p)]);
      }
    }
    const test = matchBelow(index, /\.so$/i);
    expect(['usr', 'usr/lib', 'usr/lib/b.a', 'usr/lib/b.a.so', 'opt', 'opt/usr', 'rUs'].map(test)).toEqual([
      true,
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('matchBelow on random trees and expressions', () => {
  // A path index as the tree makes one (depth first, a directory's subtree one run), from any set of paths.
  function indexOf(files: string[]): PathIndex {
    const all = new Set<string>();
    for (const f of files)
      for (let i = f.indexOf('/'); ; i = f.indexOf('/', i + 1)) {
        all.add(i < 0 ? f : f.slice(0, i));
        if (i < 0) break;
      }
    // Segment by segment, so that a directory comes right before everything below it.
    const bySegment = (a: string, b: string) => {
      const [x, y] = [a.split('/'), b.split('/')];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return x.length - y.length;
    };
    const paths = [...all].sort(bySegment);
    const lower = paths.map((p) => p.toLowerCase());
    const starts = new Int32Array(paths.length + 1);
    for (let i = 0; i < paths.length; i++) starts[i + 1] = starts[i] + lower[i].length + 1;
    const end = Int32Array.from(paths, (p, i) => {
      let j = i + 1;
      while (j < paths.length && paths[j].startsWith(`${p}/`)) j++;
      return j;
    });
    return { paths, lower, text: lower.join('\0'), starts, end, id: new Map(paths.map((p, i) => [p, i])) };
  }
  const segment = fc
    .array(fc.constantFrom('a', 'b', '.', 'o', 'o', '\n', '\r'), { minLength: 1, maxLength: 3 })
    .map((c) => c.join(''));
  const filePath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
  const PIECES = [
    'a',
    'b',
    'o',
    '\\.',
    '.',
    '^',
    '$',
    'a*',
    'b+',
    'o?',
    '\\b',
    '\\B',
    '[^a]',
    '(a|b)',
    '\\W',
    '/',
    '(?:)',
  ];
  const pattern = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));

  it('tells, for every path, whether it or a path below it matches, as a test path by path does', () => {
    fc.assert(
      fc.property(
        fc.array(filePath, { minLength: 1, maxLength: 8 }),
        pattern,
        fc.boolean(),
        (files, source, backwards) => {
          const index = indexOf(files);
          const re = new RegExp(source);
          const test = matchBelow(index, re);
          const order = backwards ? [...index.paths].reverse() : index.paths;
          const got = order.map((p) => test(p));
          const want = order.map((p) => index.paths.some((q) => (q === p || q.startsWith(`${p}/`)) && re.test(q)));
          expect([source, order, got]).toEqual([source, order, want]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers the same over a text of many search windows (long names, matches across their edges)', () => {
    // The joined text is searched a window of some 2 kB of whole paths at a time: long names put window edges
    // everywhere, between paths and after one that a match spanning a line break started in.
    const long = fc.constantFrom('a'.repeat(700), 'b'.repeat(1500), `o${'a'.repeat(2100)}`);
    const longPath = fc.array(fc.oneof(segment, long), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.array(longPath, { minLength: 1, maxLength: 12 }), pattern, (files, source) => {
        const index = indexOf(files);
        const re = new RegExp(source);
        const test = matchBelow(index, re);
        const got = index.paths.map((p) => test(p));
        const want = index.paths.map((p) => index.paths.some((q) => (q === p || q.startsWith(`${p}/`)) && re.test(q)));
        expect([source, got]).toEqual([source, want]);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a line break inside a name below a directory (the search reads the paths as lines)', () => {
    const index = indexOf(['a/x\ny', 'a/z', 'b/c\rd']);
    for (const re of [/\n/, /x\sy/, /^a\/x$/m, /\r/, /[\n\r]/])
      expect([re, index.paths.map(matchBelow(index, re))]).toEqual([
        re,
        index.paths.map((p) => index.paths.some((q) => (q === p || q.startsWith(`${p}/`)) && re.test(q))),
      ]);
    expect(index.paths.map(matchBelow(index, /\n/))).toEqual([true, true, false, false, false]);
  });
});

describe('bytes a layer removed', () => {
  it('a removed file or directory carries what it held; a directory above it, what was removed below', async () => {
    // Given: L0 writes opt/tool/{a,b} and opt/keep; L1 removes the directory opt/tool (a whiteout of the directory,
    // as `rm -rf /opt/tool` leaves), L2 removes the file opt/keep.
    const r = await run([
      layer({ 'opt/': DIR, 'opt/tool/': DIR, 'opt/tool/a': 300, 'opt/tool/b': 200, 'opt/keep': 7 }),
      layer({ 'opt/.wh.tool': WHITEOUT }),
      layer({ 'opt/.wh.keep': WHITEOUT }),
    ]);
    expect(only(r.tree, 'opt/tool', 1)).toMatchObject({ status: 'removed', changedBytes: 0, removedBytes: 500 });
    expect(only(r.tree, 'opt', 1)).toMatchObject({ changedBytes: 0, removedBytes: 500 });
    expect(only(r.tree, 'opt/keep', 2)).toMatchObject({ status: 'removed', removedBytes: 7 });
    expect(only(r.tree, 'opt', 2)).toMatchObject({ removedBytes: 7 });
    // Layers that removed nothing there.
    expect(only(r.tree, 'opt', 0).removedBytes).toBe(0);
    expect(only(r.tree, 'opt/keep', 1).removedBytes).toBe(0);
  });
});

describe('hard links', () => {
  // Given (in every test): L0 writes d/a and d/b, a hard link to it (one inode, two names).
  const base = () => layer({ 'd/': DIR, 'd/a': file('model'), 'd/b': hardlink('d/a') });

  it('does not count the other name of a rewritten file as a change of the layer that rewrote it', async () => {
    // L1 chmods d/a: the copy-up makes d/a a new file, and d/b alone keeps the old bytes (nothing in L1 names d/b).
    const r = await run([base(), layer({ 'd/a': file('model', { mode: 0o755 }) })]);
    expect(kids(r.tree, 'd', 0)).toEqual({ a: 'added 5', b: 'added 0' });
    expect(kids(r.tree, 'd', 1)).toEqual({ a: 'modified 5', b: 'unchanged 5' });
    expect(only(r.tree, 'd/b', 1)).toMatchObject({ kind: 'file', layer: 0, changedBytes: 0, removedBytes: 0 });
    expect(r.tree.dirStats('d', 1)).toMatchObject({
      sizeBytes: 10,
      files: 2,
      changedBytes: 5,
      added: 0,
      modified: 1,
      removed: 0,
    });
    // As of the last layer the tree is the final filesystem analyze reports: d/a's new bytes and d/b's old ones.
    expect(r.tree.dirStats('', 1)).toMatchObject({
      sizeBytes: r.analysis.summary.finalFileBytes,
      files: r.analysis.summary.finalFiles,
      changedBytes: 5,
      modified: 1,
    });
    expect(r.analysis.summary.finalFileBytes).toBe(10);
    expect(exploreJson(r).layers[1].changes.map((c) => `${c.status} ${c.path}`)).toEqual(['modified /d/a']);
  });

  it('shows a removed link as removed and leaves the file it named alone', async () => {
    const r = await run([base(), layer({ 'd/.wh.b': WHITEOUT })]);
    expect(kids(r.tree, 'd', 1)).toEqual({ a: 'unchanged 5', b: 'removed 0' });
    expect(r.tree.dirStats('d', 1)).toMatchObject({ sizeBytes: 5, files: 1, changedBytes: 0, removedBytes: 0 });
    expect(r.tree.dirStats('', 1).sizeBytes).toBe(r.analysis.summary.finalFileBytes);
    expect(exploreJson(r).layers[1].changes.map((c) => `${c.status} ${c.path}`)).toEqual(['removed /d/b']);
  });

  it('shows a removed file as removed and its other name, which keeps the bytes, as unchanged', async () => {
    const r = await run([base(), layer({ 'd/.wh.a': WHITEOUT })]);
    expect(kids(r.tree, 'd', 1)).toEqual({ a: 'removed 5', b: 'unchanged 5' });
    expect(only(r.tree, 'd/b', 1)).toMatchObject({ kind: 'file', layer: 0, changedBytes: 0 });
    expect(r.tree.dirStats('d', 1)).toMatchObject({ sizeBytes: 5, files: 1, changedBytes: 0, modified: 0, removed: 1 });
    expect(r.tree.dirStats('', 1)).toMatchObject({
      sizeBytes: r.analysis.summary.finalFileBytes,
      files: r.analysis.summary.finalFiles,
    });
    expect(exploreJson(r).layers[1].changes.map((c) => `${c.status} ${c.path}`)).toEqual(['removed /d/a']);
  });

  it('passes the bytes on name by name, each a change only of the layer that wrote that name', async () => {
    // L0 also names the inode d/c; L1 rewrites d/a (d/b holds the old bytes), L2 rewrites d/b (d/c holds them).
    const r = await run([
      layer({ 'd/': DIR, 'd/a': file('model'), 'd/b': hardlink('d/a'), 'd/c': hardlink('d/a') }),
      layer({ 'd/a': file('model-2') }),
      layer({ 'd/b': file('model-33') }),
    ]);
    expect(kids(r.tree, 'd', 1)).toEqual({ a: 'modified 7', b: 'unchanged 5', c: 'unchanged 0' });
    expect(kids(r.tree, 'd', 2)).toEqual({ a: 'unchanged 7', b: 'modified 8', c: 'unchanged 5' });
    expect(only(r.tree, 'd/c', 2).layer).toBe(0);
    expect(r.tree.dirStats('d', 2)).toMatchObject({ sizeBytes: 20, files: 3, changedBytes: 8, modified: 1 });
    expect(r.tree.dirStats('', 2)).toMatchObject({
      sizeBytes: r.analysis.summary.finalFileBytes,
      files: r.analysis.summary.finalFiles,
    });
    expect(exploreJson(r).layers[2].changes.map((c) => `${c.status} ${c.path}`)).toEqual(['modified /d/b']);
  });

  it('marks the bytes the last name took over as wasted when that name goes too', async () => {
    // L1 removes d/a (d/b holds the bytes now), L2 removes d/b: the bytes L0 wrote are wasted, by L2.
    const r = await run([base(), layer({ 'd/.wh.a': WHITEOUT }), layer({ 'd/.wh.b': WHITEOUT })]);
    expect(r.analysis.summary.wastedBytes).toBe(5);
    expect(only(r.tree, 'd/b', 2)).toMatchObject({
      status: 'removed',
      removedBytes: 5,
      waste: { cause: 'deleted', byLayer: 2 },
    });
    expect(only(r.tree, 'd/b', 1).waste).toEqual({ cause: 'deleted', byLayer: 2 });
    const list = r.tree.wastedVersions(2).map((e) => `${e.status} ${e.path} L${e.layer} ${e.sizeBytes}`);
    expect(list).toEqual(['removed d/b L0 5']);
    expect(r.tree.dirStats('', 2).wastedBytes).toBe(5);
  });

  it('marks the name that wrote the bytes, and its directory, when a link in another directory hid them', async () => {
    // Given: L0 writes x/a and y/b, a hard link to it. L1 removes x/a (y/b holds the bytes); L2 removes y/b.
    const r = await run([
      layer({ 'x/': DIR, 'x/a': file('model'), 'y/': DIR, 'y/b': hardlink('x/a') }),
      layer({ 'x/.wh.a': WHITEOUT }),
      layer({ 'y/.wh.b': WHITEOUT }),
    ]);
    // Then as of L0 the view marks x/a (W) and x (w), where the bytes were written, not y, which wrote a link.
    expect(only(r.tree, 'x/a', 0)).toMatchObject({ wastedBytes: 5, waste: { cause: 'deleted', byLayer: 2 } });
    expect(only(r.tree, 'y/b', 0)).toMatchObject({ wastedBytes: 0 });
    expect(only(r.tree, 'y/b', 0).waste).toBeUndefined();
    expect(r.tree.dirStats('x', 0).wastedBytes).toBe(5);
    expect(r.tree.dirStats('y', 0).wastedBytes).toBe(0);
    // x/a's removal in L1 freed nothing, so it carries no mark; y/b's in L2 hid the bytes.
    expect(only(r.tree, 'x/a', 1).waste).toBeUndefined();
    expect(only(r.tree, 'y/b', 2).waste).toEqual({ cause: 'deleted', byLayer: 2 });
    expect(r.tree.dirStats('', 2).wastedBytes).toBe(r.analysis.summary.wastedBytes);
  });

  it('follows the bytes back through a name that took them over and was rewritten in the same layer', async () => {
    // Given: L0 writes d/a with two links, d/b and d/c; L1 removes d/a (d/b holds the bytes) and rewrites d/b (d/c
    // holds them); L2 removes d/c. Then L0's d/a carries the mark, and d/b's new bytes in L1 none.
    const r = await run([
      layer({ 'd/': DIR, 'd/a': file('model'), 'd/b': hardlink('d/a'), 'd/c': hardlink('d/a') }),
      layer({ 'd/.wh.a': WHITEOUT, 'd/b': file('new') }),
      layer({ 'd/.wh.c': WHITEOUT }),
    ]);
    expect(r.analysis.summary.wastedBytes).toBe(5);
    expect(only(r.tree, 'd/a', 0).waste).toEqual({ cause: 'deleted', byLayer: 2 });
    expect(only(r.tree, 'd/b', 1).waste).toBeUndefined();
    const marked = exploreJson(r).layers.map((l) =>
      l.changes.filter((c) => c.wasted && c.status !== 'removed').map((c) => `${c.path} ${c.sizeBytes}`),
    );
    expect(marked).toEqual([['/d/a 5'], [], []]);
  });

  it('marks the bytes once when a link made in a layer takes over the older bytes of its target there', async () => {
    // Given: L1 adds d/b, a link to d/a, then rewrites d/a (d/b holds L0's bytes); L2 removes d/b. Then L0's d/a
    // carries the mark, and not L1's d/b too (it wrote none of those bytes): the marks add up to the wasted bytes.
    const r = await run([
      layer({ 'd/': DIR, 'd/a': file('model') }),
      layer([
        ['d/b', hardlink('d/a')],
        ['d/a', file('model-2')],
      ]),
      layer({ 'd/.wh.b': WHITEOUT }),
    ]);
    expect(r.analysis.summary.wastedBytes).toBe(5);
    const json = exploreJson(r);
    const marked = json.layers.map((l) =>
      l.changes.filter((c) => c.wasted && c.status !== 'removed').map((c) => `${c.path} ${c.sizeBytes}`),
    );
    expect(marked).toEqual([['/d/a 5'], [], []]);
    expect(json.layers[2].changes).toEqual([
      expect.objectContaining({ path: '/d/b', status: 'removed', wasted: { cause: 'deleted', byLayer: 2 } }),
    ]);
  });

  it('counts no bytes removed for a name whose bytes live on under another name', async () => {
    // L1 removes d/a, which held the bytes: d/b holds them now, so the layer freed nothing (analyze agrees).
    const r = await run([base(), layer({ 'd/.wh.a': WHITEOUT })]);
    expect(only(r.tree, 'd/a', 1)).toMatchObject({ status: 'removed', sizeBytes: 5, removedBytes: 0 });
    expect(r.tree.dirStats('d', 1)).toMatchObject({ sizeBytes: 5, removed: 1, removedBytes: 0 });
    expect(r.analysis.layers[1].removed).toEqual({ files: 0, bytes: 0 });
    expect(r.tree.dirStats('', 1).removedBytes).toBe(0);
  });

  it('counts the bytes removed once, in the directory of the last name, when the names are in two directories', async () => {
    // Given: L0 writes x/a and y/b, a hard link to it. L1 removes x/a (y/b holds the bytes); L2 removes y/b.
    const r = await run([
      layer({ 'x/': DIR, 'x/a': file('model'), 'y/': DIR, 'y/b': hardlink('x/a') }),
      layer({ 'x/.wh.a': WHITEOUT }),
      layer({ 'y/.wh.b': WHITEOUT }),
    ]);
    // The bytes move from x to y: sizes follow them, but nothing was freed.
    expect(r.tree.dirStats('x', 1)).toMatchObject({ sizeBytes: 0, files: 0, removed: 1, removedBytes: 0 });
    expect(r.tree.dirStats('y', 1)).toMatchObject({ sizeBytes: 5, files: 1, changedBytes: 0, removedBytes: 0 });
    expect(r.tree.dirStats('', 1)).toMatchObject({ sizeBytes: 5, removedBytes: r.analysis.layers[1].removed.bytes });
    expect(r.analysis.layers[1].removed.bytes).toBe(0);
    expect(r.tree.dirStats('y', 2)).toMatchObject({ sizeBytes: 0, files: 0, removed: 1, removedBytes: 5 });
    expect(only(r.tree, 'y/b', 2)).toMatchObject({ status: 'removed', removedBytes: 5 });
    expect(r.tree.dirStats('', 2)).toMatchObject({ sizeBytes: 0, removedBytes: r.analysis.layers[2].removed.bytes });
    expect(r.analysis.layers[2].removed.bytes).toBe(5);
  });

  it('shows a removed directory as freeing only the bytes no name outside it keeps', async () => {
    // Given: L0 writes x/a and y/b, a hard link to it; L1 removes the directory x (y/b holds the bytes).
    const r = await run([
      layer({ 'x/': DIR, 'x/a': file('model'), 'x/c': file('abc'), 'y/': DIR, 'y/b': hardlink('x/a') }),
      layer({ '.wh.x': WHITEOUT }),
    ]);
    expect(only(r.tree, 'x', 1)).toMatchObject({ status: 'removed', sizeBytes: 8, removedBytes: 3 });
    expect(r.tree.dirStats('', 1)).toMatchObject({ sizeBytes: 5, removedBytes: 3 });
    expect(r.analysis.layers[1].removed.bytes).toBe(3);
  });

  it('counts the bytes removed once when a layer removes every name', async () => {
    // Both orders: the holder first (the link takes the bytes over, then goes), and the link first.
    for (const names of [
      ['a', 'b'],
      ['b', 'a'],
    ]) {
      const r = await run([base(), layer(Object.fromEntries(names.map((n) => [`d/.wh.${n}`, WHITEOUT])))]);
      expect(r.tree.dirStats('d', 1)).toMatchObject({ sizeBytes: 0, files: 0, removed: 2, removedBytes: 5 });
      expect(r.analysis.layers[1].removed.bytes).toBe(5);
      const removed = (n: string) => only(r.tree, `d/${n}`, 1).removedBytes;
      expect(removed('a') + removed('b')).toBe(5);
    }
    const all = await run([base(), layer({ '.wh.d': WHITEOUT })]);
    expect(only(all.tree, 'd', 1)).toMatchObject({ status: 'removed', sizeBytes: 5, removedBytes: 5 });
    expect(all.tree.dirStats('', 1)).toMatchObject({ sizeBytes: 0, removedBytes: 5 });
  });

  it('charges a link added in the layer that then rewrote its target no bytes: the bytes it holds are older', async () => {
    // L1 adds d/b, a link to d/a, then rewrites d/a: d/b is new in L1 and keeps the bytes L0 wrote.
    const r = await run([
      layer({ 'd/': DIR, 'd/a': file('model') }),
      layer([
        ['d/b', hardlink('d/a')],
        ['d/a', file('model-2')],
      ]),
    ]);
    expect(kids(r.tree, 'd', 1)).toEqual({ a: 'modified 7', b: 'added 5' });
    expect(only(r.tree, 'd/b', 1)).toMatchObject({ kind: 'file', layer: 1, changedBytes: 0 });
    expect(r.tree.dirStats('d', 1)).toMatchObject({ sizeBytes: 12, files: 2, changedBytes: 7, added: 1, modified: 1 });
    expect(r.tree.dirStats('', 1).changedBytes).toBe(r.analysis.layers[1].fileBytes);
    expect(r.analysis.layers[1].fileBytes).toBe(7);
    expect(r.tree.dirStats('', 1)).toMatchObject({
      sizeBytes: r.analysis.summary.finalFileBytes,
      files: r.analysis.summary.finalFiles,
    });
  });
});
