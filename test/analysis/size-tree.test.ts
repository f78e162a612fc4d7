// The file tree behind the HTML treemap (issue 10): every visible file and every hidden copy lands at its path with
// the layer holding its bytes; small entries are merged per directory and layer without losing a byte; a 50k-file
// image stays a few thousand nodes; and --json does not carry the tree unless asked.
import { buildSizeTree, type SizeTreeNode } from '../../src/analysis/size-tree.js';
import type { FsNode } from '../../src/analysis/union.js';
import { analyze } from '../../src/services/analyze.js';
import { DIR, WHITEOUT, buildOciLayout, file, layer, type BuiltImage } from '../helpers/image-builder.js';
import { layerTreeOf } from '../helpers/layer-tree.js';

function find(node: SizeTreeNode, path: string, hidden = false): SizeTreeNode | undefined {
  let cur: SizeTreeNode | undefined = node;
  const parts = path.split('/');
  for (let i = 0; i < parts.length && cur; i++) {
    const last = i === parts.length - 1;
    cur = cur.children?.find((c) => c.name === parts[i] && (!last || c.kind === 'dir' || c.hiddenBytes > 0 === hidden));
  }
  return cur;
}

function leaves(node: SizeTreeNode): SizeTreeNode[] {
  return node.children ? node.children.flatMap(leaves) : [node];
}

function count(node: SizeTreeNode): number {
  return 1 + (node.children ?? []).reduce((n, c) => n + count(c), 0);
}

describe('size tree', () => {
  let image: BuiltImage;
  afterEach(() => image?.cleanup());

  it('places visible files and hidden copies at their paths, with the layer holding the bytes', async () => {
    // Given a toolchain added then deleted, a model overwritten, and a chmod copy of a file
    image = await buildOciLayout([
      layer({ 'usr/': DIR, 'usr/bin/sh': 40_000, 'etc/passwd': 900 }),
      layer({ 'opt/toolchain/cc': 300_000, 'opt/toolchain/ld': 200_000, 'app/model.bin': 100_000 }),
      layer({ 'opt/.wh.toolchain': WHITEOUT, 'app/model.bin': 120_000 }),
      layer({ 'usr/bin/sh': file(Buffer.alloc(40_000, 1), { mode: 0o700 }) }),
    ]);
    // When it is analyzed with the tree
    const r = await analyze({ image: image.path, workers: 0, sizeTree: true });
    const tree = r.sizeTree!;
    // Then the root holds every final byte plus every hidden one
    expect(tree.root.bytes).toBe(r.summary.finalFileBytes + r.summary.wastedBytes);
    expect(tree.root.hiddenBytes).toBe(r.summary.wastedBytes);
    expect(leaves(tree.root).reduce((s, l) => s + l.bytes, 0)).toBe(tree.root.bytes);
    // the deleted toolchain is a hidden directory of layer 1, deleted by layer 2
    expect(find(tree.root, 'opt/toolchain')).toMatchObject({
      kind: 'dir',
      bytes: 500_000,
      hiddenBytes: 500_000,
      layer: 1,
    });
    expect(find(tree.root, 'opt/toolchain/cc', true)).toMatchObject({
      kind: 'file',
      bytes: 300_000,
      layer: 1,
      cause: 'deleted',
      byLayer: 2,
    });
    // the model shows both copies: the visible one from layer 2 and the hidden one still shipped in layer 1
    expect(find(tree.root, 'app/model.bin')).toMatchObject({ bytes: 120_000, hiddenBytes: 0, layer: 2 });
    expect(find(tree.root, 'app/model.bin', true)).toMatchObject({
      bytes: 100_000,
      layer: 1,
      cause: 'overwrittenChanged',
      byLayer: 2,
    });
    expect(find(tree.root, 'usr/bin/sh')).toMatchObject({ bytes: 40_000, layer: 3 });
    // a directory takes the colour of the layer holding most of its bytes; on a tie, the lower one
    expect(find(tree.root, 'usr/bin')).toMatchObject({ bytes: 80_000, hiddenBytes: 40_000, layer: 0 });
  });

  it('merges small entries per directory and layer without losing bytes or files', async () => {
    // Given 200 small files in one directory from two layers and one big file
    const small: Record<string, number> = {};
    for (let i = 0; i < 100; i++) small[`data/a${i}`] = 100;
    const later: Record<string, number> = { 'data/big': 1_000_000 };
    for (let i = 0; i < 100; i++) later[`data/b${i}`] = 50;
    image = await buildOciLayout([layer(small), layer(later)]);
    const r = await analyze({ image: image.path, workers: 0, sizeTree: true });
    const data = find(r.sizeTree!.root, 'data')!;
    // Then the big file keeps its name, the few next largest too, and the rest merge into one leaf per layer
    expect(data.children!.find((c) => c.name === 'big')).toMatchObject({ kind: 'file', bytes: 1_000_000, layer: 1 });
    const merged = data.children!.filter((c) => c.kind === 'small');
    expect(merged.map((m) => m.layer).sort()).toEqual([0, 1]);
    expect(data.children!.length).toBeLessThan(20);
    expect(data.bytes).toBe(1_000_000 + 100 * 100 + 100 * 50);
    expect(leaves(data).reduce((s, l) => s + l.files, 0)).toBe(201);
    expect(leaves(data).reduce((s, l) => s + l.bytes, 0)).toBe(data.bytes);
    expect(merged.find((m) => m.layer === 1)!.name).toMatch(/^\d+ small files$/);
  });

  it('groups the thousands of a merged count, as the rest of the report counts files', async () => {
    // Given 1,200 small files beside one big one (corpus big's /usr/share/nodejs read "3931 small files" in the map,
    // "3,931 files" in its tip and the path above it)
    const entries: Record<string, number> = { 'data/big': 10_000_000 };
    for (let i = 0; i < 1200; i++) entries[`data/f${i}`] = 10;
    image = await buildOciLayout([layer(entries)]);
    const r = await analyze({ image: image.path, workers: 0, sizeTree: true });
    const merged = find(r.sizeTree!.root, 'data')!.children!.filter((c) => c.kind === 'small');
    // Then the merged leaf (all but the 8 entries the directory keeps by name) is named with the count grouped
    expect(merged.map((m) => m.name)).toEqual(['1,193 small files']);
  });

  it('keeps a 50k-file image to a few thousand nodes', async () => {
    // Given 50,000 files over 500 directories, sizes spread over three orders of magnitude
    // (zero-filled contents: the builder's per-path filler would spend seconds on 125 MB of bytes)
    const entries: [string, Buffer][] = [];
    for (let i = 0; i < 50_000; i++)
      entries.push([`srv/d${i % 500}/sub${i % 7}/f${i}`, Buffer.alloc(10 + ((i * 7919) % 5000))]);
    image = await buildOciLayout([layer(entries)]);
    const r = await analyze({ image: image.path, workers: 0, sizeTree: true });
    const tree = r.sizeTree!;
    // Then the tree is bounded, exact in total, and counts every file
    expect(tree.nodes).toBe(count(tree.root));
    expect(tree.nodes).toBeLessThan(12_000);
    expect(tree.root.files).toBe(50_000);
    expect(leaves(tree.root).reduce((s, l) => s + l.files, 0)).toBe(50_000);
    expect(leaves(tree.root).reduce((s, l) => s + l.bytes, 0)).toBe(r.summary.finalFileBytes);
    expect(JSON.stringify(tree).length).toBeLessThan(2_000_000);
  }, 180_000);

  it('stays shallow and builds without recursion however deep a crafted image nests', () => {
    // Given a 20,000-level directory chain with one big file at the bottom (over the pure builder: a tar of it is
    // the walk's problem, not the tree's)
    const deep = Array.from({ length: 20_000 }, (_, i) => `d${i}`).join('/');
    const file: FsNode = { kind: 'file', size: 5_000_000, layer: 0, mode: 0o644, uid: 0, gid: 0 };
    const tree = buildSizeTree(
      layerTreeOf(
        new Map([
          [`${deep}/big`, file],
          ['etc/x', { ...file, size: 10 }],
        ]),
      ),
    );
    // Then the tree is cut at 64 levels, where the rest of the chain is one collapsed leaf with every byte
    let depth = 0;
    let node = tree.root;
    while (node.children?.length) {
      node = node.children.find((c) => c.name.startsWith('d'))!;
      depth++;
    }
    expect(depth).toBe(65);
    expect(node).toMatchObject({ kind: 'collapsed', bytes: 5_000_000, files: 1 });
    expect(tree.root.bytes).toBe(5_000_010);
  });

  it('is left out of the result unless asked for', async () => {
    image = await buildOciLayout([layer({ a: 10 })]);
    const r = await analyze({ image: image.path, workers: 0 });
    expect(r).not.toHaveProperty('sizeTree');
  });
});
