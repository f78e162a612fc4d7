// The union's node table (node-table.ts): nodes come back with every field, whether kept in columns or as objects;
// it behaves as the Map it replaced; and duplicate content is grouped exactly, whatever the hash prefixes.
import { NodeTable } from '../../src/analysis/node-table.js';
import type { FsNode } from '../../src/analysis/union.js';

const sha = (n: number, prefix = n) => {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(prefix >>> 0, 0);
  b.writeUInt32BE(n >>> 0, 28);
  return b.toString('latin1');
};
const file = (size: number, s?: string, extra: Partial<FsNode> = {}): FsNode => ({
  layer: 1,
  kind: 'file',
  size,
  sha: s,
  mode: 0o100644,
  uid: 0,
  gid: 0,
  mtime: 1_700_000_000,
  ...extra,
});

describe('NodeTable', () => {
  it('returns what was stored, in columns or as the object itself', () => {
    const t = new NodeTable();
    const plain = file(12, sha(1), { layer: 3, uid: 1000, gid: 100_000, mode: 0o100755 });
    const noMeta = { layer: 0, kind: 'dir', size: 0, mode: 0o40755, uid: 0, gid: 0 } as FsNode;
    const withLink = { ...file(0), kind: 'symlink', link: 'target' } as FsNode;
    const odd = [
      file(1, sha(2), { mtime: 1.5 }), // fractional time
      file(1, sha(3), { uid: 2 ** 33 }), // out of the columns' range
      file(1, 'short'), // not a 32-byte hash
      file(1, sha(4), { layer: 70_000 }),
      file(1, sha(5), { xattrs: { 'user.x': 'y' } }),
    ];
    t.set('a', plain).set('d', noMeta).set('l', withLink);
    odd.forEach((n, i) => t.set(`o${i}`, n));
    expect(t.get('a')).toEqual(plain);
    expect(t.get('a')).not.toBe(plain); // built from the columns
    expect(t.get('d')).toEqual(noMeta);
    expect(t.get('l')).toBe(withLink); // kept as the object
    odd.forEach((n, i) => expect(t.get(`o${i}`)).toEqual(n));
    expect(t.kindOf('l')).toBe('symlink');
    expect(t.kindOf('d')).toBe('dir');
    expect(t.kindOf('nothing')).toBeUndefined();
    expect(t.size).toBe(3 + odd.length);
  });

  it('behaves as a Map: set keeps a path, delete removes it, and a pinned node keeps its identity until replaced', () => {
    const t = new NodeTable();
    t.set('x', file(1, sha(1)))
      .set('y', file(2, sha(2)))
      .set('z', file(3, sha(3)));
    expect(t.delete('y')).toBe(true);
    expect(t.delete('y')).toBe(false);
    expect(t.has('y')).toBe(false);
    t.set('x', file(9, sha(9)));
    expect([...t.keys()]).toEqual(['x', 'z']);
    expect([...t].map(([p, n]) => [p, n.size])).toEqual([
      ['x', 9],
      ['z', 3],
    ]);
    // fileAt: a regular file's size and layer by id, nothing for a deleted path.
    expect(t.fileAt(t.paths.find('z')!)).toEqual({ size: 3, layer: 1 });
    expect(t.fileAt(t.paths.find('y')!)).toBeUndefined();
    // objectAt: only a node kept as an object, never one built from the columns.
    expect(t.objectAt('z')).toBeUndefined();
    const pinned = t.pin('z')!;
    expect(t.get('z')).toBe(pinned);
    expect(t.objectAt('z')).toBe(pinned);
    expect(t.objectAt('missing')).toBeUndefined();
    t.set('z', file(4, sha(4)));
    expect(t.get('z')).not.toBe(pinned);
    expect(t.objectAt('z')).toBeUndefined();
    expect(t.get('z')!.size).toBe(4);
    expect(t.size).toBe(2);
  });

  it('groups shared content exactly, with hashes that share prefixes and files that must not count', () => {
    const t = new NodeTable();
    const expected = new Map<string, string[]>();
    let n = 0;
    const add = (path: string, node: FsNode, counts: boolean) => {
      t.set(path, node);
      if (counts) {
        const list = expected.get(node.sha!) ?? [];
        list.push(path);
        expected.set(node.sha!, list);
      }
    };
    for (let i = 0; i < 5000; i++) {
      // Every hash shares its 4-byte prefix with others (prefix i % 50), so the bitsets flag them all.
      const s = sha(i % 1700, i % 50);
      add(`f${n++}`, file(10, s), true);
      if (i % 3 === 0) add(`o${n++}`, file(10, s, { xattrs: { k: 'v' } }), true);
    }
    add(`empty${n++}`, file(0, sha(1, 1)), false); // empty files are never duplicates
    add(`link${n++}`, { ...file(10, sha(1, 1)), kind: 'hardlink', link: 'f0' } as FsNode, false);
    const gone = expected.get(t.get('f7')!.sha!)!;
    t.delete('f7');
    gone.splice(gone.indexOf('f7'), 1);
    for (const [s, paths] of expected) if (paths.length < 2) expected.delete(s);
    const groups = t.sharedContent();
    const got = new Map([...groups].map(([s, ids]) => [s, ids.map((id) => t.paths.path(id)).sort()]));
    expect(got.size).toBe(expected.size);
    for (const [s, paths] of expected) expect(got.get(s)).toEqual(paths.sort());
  });

  it('lists the paths with a start or an end, in id order, without deleted ones', () => {
    const t = new NodeTable();
    for (const p of ['var/lib/dpkg/status.d/base', 'usr/lib/x.dist-info', 'a/package.json', 'package.json', 'b/c'])
      t.set(p, file(1));
    t.set('gone/package.json', file(1)).delete('gone/package.json');
    expect(t.pathsWith({ prefixes: ['var/lib/dpkg/status.d/'], suffixes: ['/package.json', '.dist-info'] })).toEqual([
      'var/lib/dpkg/status.d/base',
      'usr/lib/x.dist-info',
      'a/package.json',
    ]);
    expect(t.pathsWith({})).toEqual([]);
  });

  it('finds a base name anywhere, but not a directory of that name nor a deleted one', () => {
    const t = new NodeTable();
    const dir = { layer: 0, kind: 'dir', size: 0, mode: 0o40755, uid: 0, gid: 0 } as FsNode;
    const link = { ...file(0), kind: 'symlink', link: '../x' } as FsNode;
    t.set('app/.pnp.cjs', file(10)).set('srv/.pnp.js', dir).set('old/.pnp.loader.mjs', file(1));
    t.set('.env', file(1)).set('gone/.pnp.data.json', file(1)).set('l/.pnp.lnk', link);
    t.delete('gone/.pnp.data.json');
    expect(t.someNamed('.pnp.cjs')).toBe(true);
    expect(t.someNamed('.pnp.js')).toBe(false); // a directory
    expect(t.someNamed('pnp.cjs')).toBe(false); // a whole name, not a suffix
    expect(t.someNamed('.env')).toBe(true); // at the root
    expect(t.someNamed('.pnp.data.json')).toBe(false);
    expect(t.someNamed('.pnp.lnk')).toBe(true);
  });

  it('gives a clone its own nodes', () => {
    const t = new NodeTable();
    t.set('a', file(1, sha(1)));
    const copy = t.clone();
    copy.set('b', file(2, sha(2)));
    t.delete('a');
    expect([...copy.keys()]).toEqual(['a', 'b']);
    expect([...t.keys()]).toEqual([]);
    expect(copy.get('a')!.sha).toBe(sha(1));
  });
});
