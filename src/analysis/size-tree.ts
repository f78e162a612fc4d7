// The final filesystem by directory, for the HTML report's treemap: every visible regular file with the layer that
// added it, plus the bytes layers still ship but the final filesystem hides (deleted or overwritten files), placed
// at the path they had. Pure: a view of the layer tree (layer-tree.ts, the one file tree `explore` browses) as of
// its last layer, so the directories, their files and the hidden copies come from the same recording; no I/O.
//
// A treemap cannot show 50k rectangles and a browser should not lay them out, so small entries are aggregated:
// inside each directory, entries smaller than `thresholdBytes` (the image's bytes / `maxNodes`) are merged into
// one "small files" leaf per layer, except the few largest of each directory, which keep their names so that
// zooming into a directory still shows what is in it. A directory below the threshold becomes one leaf.
import type { LayerTree } from './layer-tree.js';
import { displayPath } from './tar-parser.js';
import type { WasteCause, WasteEvent } from './union.js';
import { formatCount } from '../report/figures.js';

export type SizeTreeKind = 'dir' | 'file' | 'collapsed' | 'small';

export interface SizeTreeNode {
  /** One path component; for a `small` aggregate, a description ("37 small files"). */
  name: string;
  /**
   * dir: has children. file: one file. collapsed: a directory shown as one leaf (too small to split).
   * small: the small entries of one layer in one directory, merged.
   */
  kind: SizeTreeKind;
  /** Regular-file bytes under this node, hidden bytes included. */
  bytes: number;
  /** The part of `bytes` the final filesystem does not show (deleted or overwritten, still shipped in `layer`). */
  hiddenBytes: number;
  /** Regular files (and hidden copies) under this node. */
  files: number;
  /** The part of `files` that are hidden copies (so a view without hidden bytes counts the final files). */
  hiddenFiles: number;
  /** The layer holding the bytes (for directories and merged leaves: the layer holding most of them). */
  layer?: number;
  /**
   * Directories: the layer holding most of the bytes the final filesystem shows, when that is not `layer` (whose
   * bytes here may be mostly hidden): a view without hidden bytes colours and names the directory by it.
   */
  finalLayer?: number;
  /**
   * Collapsed directories (whose files are not in the tree): every layer holding bytes there, when more than one, so
   * a layer picked in the treemap lights the directory for a share of its bytes, not only for the biggest.
   */
  layers?: number[];
  /** Collapsed directories: the layers holding the bytes the final filesystem shows, when not all of `layers`. */
  finalLayers?: number[];
  /** Hidden file leaves: why the bytes are hidden, which layer hid them, and what a same-content copy changed. */
  cause?: WasteCause;
  byLayer?: number;
  change?: WasteEvent['change'];
  children?: SizeTreeNode[];
}

export interface SizeTree {
  root: SizeTreeNode;
  /** Entries below this many bytes were aggregated (except each directory's largest few). */
  thresholdBytes: number;
  /** Nodes in the tree (the page lays out at most this many). */
  nodes: number;
}

export interface SizeTreeOptions {
  /** About how many entries the tree may keep by size alone (default 3000). */
  maxNodes?: number;
  /** Entries each directory keeps by name even when they are small (default 8). */
  keepPerDir?: number;
}

/**
 * Directories nested deeper than this are shown as one leaf each: nobody zooms 64 levels down, and the page,
 * its JSON and everything that walks the tree stay bounded however deep a crafted image nests.
 */
const MAX_DEPTH = 64;

interface Leaf {
  name: string;
  bytes: number;
  layer: number;
  hidden: boolean;
  cause?: WasteCause;
  byLayer?: number;
  change?: WasteEvent['change'];
}

/** A directory of the layer tree with something below it: its path, name, subdirectories and leaves. */
interface Dir {
  name: string;
  dirs: Dir[];
  leaves: Leaf[];
}

const nameOf = (path: string) => displayPath(path.slice(path.lastIndexOf('/') + 1));

/** Bytes and files of one layer, visible or hidden: the unit small entries are merged by. */
interface Share {
  layer: number;
  hidden: boolean;
  bytes: number;
  files: number;
}

type Shares = Map<string, Share>;

function addShare(shares: Shares, layer: number, hidden: boolean, bytes: number, files: number): void {
  const key = `${layer}:${hidden ? 'h' : 'v'}`;
  const s = shares.get(key);
  if (s) {
    s.bytes += bytes;
    s.files += files;
  } else shares.set(key, { layer, hidden, bytes, files });
}

/** The layer holding most of the bytes (the lowest on a tie), for colouring a merged leaf; or of the visible ones. */
function dominantLayer(shares: Shares, visibleOnly = false): number | undefined {
  const byLayer = new Map<number, number>();
  for (const s of shares.values())
    if (!(visibleOnly && s.hidden)) byLayer.set(s.layer, (byLayer.get(s.layer) ?? 0) + s.bytes);
  let best: number | undefined;
  let bestBytes = -1;
  for (const [layer, bytes] of byLayer) {
    if (bytes > bestBytes || (bytes === bestBytes && layer < best!)) {
      best = layer;
      bestBytes = bytes;
    }
  }
  return best;
}

/** `finalLayer` of a directory, set only when it differs from its `layer`. */
function withFinalLayer(node: SizeTreeNode, shares: Shares): SizeTreeNode {
  const final = dominantLayer(shares, true);
  if (final !== undefined && final !== node.layer) node.finalLayer = final;
  return node;
}

/** The layers holding bytes in `shares` (or visible bytes), lowest first. */
function layersOf(shares: Shares, visibleOnly: boolean): number[] {
  const layers = new Set<number>();
  for (const s of shares.values()) if (s.bytes > 0 && !(visibleOnly && s.hidden)) layers.add(s.layer);
  return [...layers].sort((a, b) => a - b);
}

/** `layers` and `finalLayers` of a collapsed directory, set only when they say more than its `layer`. */
function withLayers(node: SizeTreeNode, shares: Shares): SizeTreeNode {
  const all = layersOf(shares, false);
  const final = layersOf(shares, true);
  if (all.length > 1) node.layers = all;
  if (all.length > 1 && final.length > 0 && final.length < all.length) node.finalLayers = final;
  return node;
}

/** A directory's full (unaggregated) totals, with its bytes by layer and visibility. */
interface Totals {
  bytes: number;
  hiddenBytes: number;
  files: number;
  hiddenFiles: number;
  shares: Shares;
}

export function buildSizeTree(layers: LayerTree, options: SizeTreeOptions = {}): SizeTree {
  const maxNodes = options.maxNodes ?? 3000;
  const keepPerDir = options.keepPerDir ?? 8;
  // The hidden copies, by the directory they were in.
  const hiddenIn = new Map<string, WasteEvent[]>();
  for (const e of layers.wasteEvents()) {
    const dir = e.path.slice(0, Math.max(0, e.path.lastIndexOf('/')));
    const list = hiddenIn.get(dir);
    if (list) list.push(e);
    else hiddenIn.set(dir, [e]);
  }
  // The directories of the layer tree as leaves and subdirectories, top-down without recursion (a crafted image
  // can nest thousands of directories). A path can be both: a file now, a directory with hidden copies before.
  let total = 0;
  const root: Dir = { name: '', dirs: [], leaves: [] };
  for (const work: [string, Dir][] = [['', root]]; work.length;) {
    const [path, dir] = work.pop()!;
    for (const kid of layers.kidsOf(path)) {
      const node = layers.finalNode(kid);
      if (node?.kind === 'file') {
        dir.leaves.push({ name: nameOf(kid), bytes: node.size, layer: node.layer, hidden: false });
        total += node.size;
      }
      if (layers.kidsOf(kid).length > 0 || hiddenIn.has(kid)) {
        const sub: Dir = { name: nameOf(kid), dirs: [], leaves: [] };
        dir.dirs.push(sub);
        work.push([kid, sub]);
      }
    }
    for (const e of hiddenIn.get(path) ?? []) {
      const leaf = {
        bytes: e.sizeBytes,
        layer: e.layer,
        hidden: true,
        cause: e.cause,
        byLayer: e.byLayer,
        ...(e.change ? { change: e.change } : {}),
      };
      dir.leaves.push({ name: nameOf(e.path), ...leaf });
      total += e.sizeBytes;
    }
  }
  const thresholdBytes = Math.max(1, Math.ceil(total / maxNodes));

  // Totals bottom-up without recursion (a crafted image can nest thousands of directories): reversed pre-order
  // visits every directory after all of its subdirectories.
  const order: Dir[] = [];
  for (const stack = [root]; stack.length;) {
    const dir = stack.pop()!;
    order.push(dir);
    for (const sub of dir.dirs.values()) stack.push(sub);
  }
  const totals = new Map<Dir, Totals>();
  for (let i = order.length - 1; i >= 0; i--) {
    const dir = order[i];
    const t: Totals = { bytes: 0, hiddenBytes: 0, files: 0, hiddenFiles: 0, shares: new Map() };
    for (const leaf of dir.leaves) {
      t.bytes += leaf.bytes;
      if (leaf.hidden) {
        t.hiddenBytes += leaf.bytes;
        t.hiddenFiles++;
      }
      t.files++;
      addShare(t.shares, leaf.layer, leaf.hidden, leaf.bytes, 1);
    }
    for (const sub of dir.dirs.values()) {
      const s = totals.get(sub)!;
      t.bytes += s.bytes;
      t.hiddenBytes += s.hiddenBytes;
      t.files += s.files;
      t.hiddenFiles += s.hiddenFiles;
      for (const share of s.shares.values()) addShare(t.shares, share.layer, share.hidden, share.bytes, share.files);
    }
    totals.set(dir, t);
  }

  // Then the tree top-down, also without recursion: a directory's node is made when its parent keeps it, and
  // its children are filled in when it comes off the stack.
  const dirNode = (dir: Dir): SizeTreeNode => {
    const t = totals.get(dir)!;
    return withFinalLayer(
      {
        name: dir.name,
        kind: 'dir',
        bytes: t.bytes,
        hiddenBytes: t.hiddenBytes,
        files: t.files,
        hiddenFiles: t.hiddenFiles,
        layer: dominantLayer(t.shares),
        children: [],
      },
      t.shares,
    );
  };
  const tree = dirNode(root);
  let nodes = 1;
  for (const work: [Dir, SizeTreeNode, number][] = [[root, tree, 0]]; work.length;) {
    const [dir, node, depth] = work.pop()!;
    const children = node.children!;
    const entries: { bytes: number; dir?: Dir; leaf?: Leaf }[] = [...dir.dirs.values()].map((d) => ({
      bytes: totals.get(d)!.bytes,
      dir: d,
    }));
    for (const leaf of dir.leaves) entries.push({ bytes: leaf.bytes, leaf });
    entries.sort((a, b) => b.bytes - a.bytes);
    // This directory's small entries, merged by layer and visibility (so sums and colours stay exact).
    const small: Shares = new Map();
    entries.forEach((e, rank) => {
      const keep = e.bytes >= thresholdBytes || (rank < keepPerDir && e.bytes > 0);
      if (e.dir) {
        const d = totals.get(e.dir)!;
        if (keep && e.bytes >= thresholdBytes && depth < MAX_DEPTH) {
          const sub = dirNode(e.dir);
          children.push(sub);
          work.push([e.dir, sub, depth + 1]);
        } else if (keep) {
          children.push(
            withLayers(
              withFinalLayer(
                {
                  name: e.dir.name,
                  kind: 'collapsed',
                  bytes: d.bytes,
                  hiddenBytes: d.hiddenBytes,
                  files: d.files,
                  hiddenFiles: d.hiddenFiles,
                  layer: dominantLayer(d.shares),
                },
                d.shares,
              ),
              d.shares,
            ),
          );
        } else {
          for (const s of d.shares.values()) addShare(small, s.layer, s.hidden, s.bytes, s.files);
        }
        return;
      }
      const leaf = e.leaf!;
      if (!keep) {
        addShare(small, leaf.layer, leaf.hidden, leaf.bytes, 1);
        return;
      }
      const file: SizeTreeNode = {
        name: leaf.name,
        kind: 'file',
        bytes: leaf.bytes,
        hiddenBytes: leaf.hidden ? leaf.bytes : 0,
        files: 1,
        hiddenFiles: leaf.hidden ? 1 : 0,
        layer: leaf.layer,
      };
      if (leaf.hidden)
        Object.assign(file, {
          cause: leaf.cause,
          byLayer: leaf.byLayer,
          ...(leaf.change ? { change: leaf.change } : {}),
        });
      children.push(file);
    });
    for (const s of small.values()) {
      const what = s.hidden ? 'hidden file' : 'file';
      children.push({
        // Grouped as the tip and the path above the map count files: "3931 small files" read beside "3,931 files".
        name: `${formatCount(s.files)} small ${what}${s.files === 1 ? '' : 's'}`,
        kind: 'small',
        bytes: s.bytes,
        hiddenBytes: s.hidden ? s.bytes : 0,
        files: s.files,
        hiddenFiles: s.hidden ? s.files : 0,
        layer: s.layer,
      });
    }
    nodes += children.length;
  }
  return { root: tree, thresholdBytes, nodes };
}
