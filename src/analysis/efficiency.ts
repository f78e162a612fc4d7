// dive's efficiency score and numbers, reproduced exactly (docs/dive-metrics.md §1), quirks included, so
// teams can move `.dive-ci` thresholds over unchanged:
// - per layer, a tree of its own entries (implicit parents are not directories, `.wh..wh.*` markers dropped);
// - every leaf of every layer adds its size to its path's entry; a whiteout adds the size of the whole lower
//   subtree when the lower node is an explicit directory, else 0; a whiteout whose target is missing below
//   ends that layer's traversal (dive logs the error and moves on), and leaves its path's entry with min -1;
// - score = Σ min / Σ cumulative over paths; inefficient = paths seen in >= 2 layers; wasted = Σ their cumulative;
// - user size excludes only the first layer.
// ballast's own waste numbers (union.ts) are the corrected ones; these exist for compatibility.
import { splitPath } from '../image/tar-header.js';
import { ChildLists, f64, NONE, u32, u8 } from './columns.js';
import { PathIndex } from './path-index.js';
import type { ScanEntry } from './scan-layer.js';

// Memory: at a million files the stacked tree and the per-path records are a good part of the peak. So a path is an
// id of the union filesystem's path index (path-index.ts: the path is stored once for both), and the same id is the
// row of the path's record and of its node in the stacked tree, in typed-array columns; children are linked lists of
// rows. No object, Map entry or string per file. The per-layer trees are dropped after each layer.

/** A node of one layer's tree. */
interface TreeNode {
  name: string;
  children: Map<string, TreeNode>;
  isDir: boolean;
  size: number;
  /** Children by name, sorted once per traversal batch. */
  sorted: TreeNode[] | undefined;
  /** A leaf's key: its entry's own path string when that is already normal (it nearly always is). */
  key: string | undefined;
  /** The row of a measured leaf, for stacking the layer (each path is looked up once); -1 until it is measured. */
  row: number;
}

export interface DiveFileReference {
  /** Absolute path, as dive prints it. */
  file: string;
  count: number;
  /** Cumulative bytes of every copy. */
  sizeBytes: number;
}

export interface DiveMetrics {
  efficiencyScore: number;
  sizeBytes: number;
  inefficientBytes: number;
  userSizeBytes: number;
  /** inefficientBytes / userSizeBytes (NaN for a one-layer image, as in dive; null in JSON). */
  userWastedPercent: number;
  /** Per-layer sizes as dive shows them (sum of tar header sizes). */
  layerSizeBytes: number[];
  /** Nodes over all layer trees (implicit parents and whiteouts included): dive's "files" count. */
  files: number;
  /** Largest cumulative first. */
  fileReferences: DiveFileReference[];
}

/**
 * Shared by every node until it gets a child (most nodes are files and never do): one Map per file would be a
 * good part of the memory per entry at a million files. Never written to; `childrenOf` swaps in a real Map.
 */
const NO_CHILDREN: Map<string, TreeNode> = new Map();
const NO_SORTED: TreeNode[] = [];

function newNode(name: string): TreeNode {
  return { name, children: NO_CHILDREN, isDir: false, size: 0, sorted: undefined, key: undefined, row: -1 };
}

/** The node's children map, to add to. */
function childrenOf(node: TreeNode): Map<string, TreeNode> {
  if (node.children === NO_CHILDREN) node.children = new Map();
  return node.children;
}

/** dive's AddPath: missing parents are created with an empty payload; only the last node gets `info`. */
function addPath(
  root: TreeNode,
  parts: string[],
  info: { isDir: boolean; size: number },
): { node: TreeNode; created: number } {
  let node = root;
  let created = 0;
  for (const name of parts) {
    let child = node.children.get(name);
    if (!child) {
      child = newNode(name);
      childrenOf(node).set(name, child);
      created++;
    }
    node = child;
  }
  node.isDir = info.isDir;
  node.size = info.size;
  return { node, created };
}

function sortedChildren(node: TreeNode): TreeNode[] {
  // Go's sort.Strings: byte order. Names are binary strings, so code-unit order is byte order.
  if (node.children.size === 0) return NO_SORTED;
  if (!node.sorted)
    node.sorted = [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return node.sorted;
}

function isWhiteoutName(name: string): boolean {
  return name.startsWith('.wh.');
}

// The tree walks below are loops over explicit stacks, not recursion: an image may hold a path 10,000 directories
// deep, deeper than the call stack.

/** Row flags of the stacked tree. */
const PRESENT = 1;
const DIR = 2;

const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

/** Feed layers in order with `addLayer`, then read `result()`. */
export class DiveEfficiency {
  /** The stacked tree's root. */
  private readonly root: number;
  // dive's record of a path over all layers, by path id (a path that was never a measured leaf has count 0).
  /** 1 when dive's map has an entry for the path: every measured leaf, and a whiteout whose target is missing. */
  private recorded = u8();
  private cumulative = f64();
  private min = f64(-1);
  private count = u32();
  // The stacked tree (all layers so far): a path is a node of it while PRESENT; a present node's parent is always
  // the node of its path's directory.
  private flags = u8();
  private size = f64();
  private children = new ChildLists();
  /** Ids of the paths seen in two layers or more, in the order they became so. */
  private inefficient: number[] = [];
  private readonly layerSizes: number[] = [];
  private files = 0;

  /** Paths are keyed without dive's leading `/` (the root is ''); `paths` may be shared with the union. */
  constructor(readonly paths = new PathIndex()) {
    this.root = paths.id('');
    this.flags.set(this.root, PRESENT);
  }

  private presentRow(key: string): number | undefined {
    const row = this.paths.find(key);
    return row !== undefined && this.flags.get(row) & PRESENT ? row : undefined;
  }

  addLayer(entries: ScanEntry[], sizeBytes: number): void {
    // A leaf's key and row are fields of its node, not entries of two Maps beside the tree: with one layer of a
    // million entries (the per-layer tree holds them all at once) the Maps took about 80 bytes an entry.
    const tree = newNode('');
    for (const e of entries) {
      if (e.kind === 'opaque') continue;
      const parts = splitPath(e.path);
      if (parts.length === 0) continue;
      if (e.kind === 'whiteout') parts[parts.length - 1] = `.wh.${parts[parts.length - 1]}`;
      const { node, created } = addPath(tree, parts, { isDir: e.kind === 'dir', size: e.size });
      if (e.kind !== 'whiteout' && parts.join('/') === e.path) node.key = e.path;
      this.files += created;
    }
    this.layerSizes.push(sizeBytes);
    this.measureLeaves(tree);
    this.stackLayer(tree);
  }

  /** Children first, by name, leaves only; stops the layer at a whiteout whose target is missing below. */
  private measureLeaves(root: TreeNode): void {
    // Post-order over an explicit stack: a frame's children are visited in order, then the frame itself.
    const frames: { node: TreeNode; path: string; children: TreeNode[]; next: number }[] = [
      { node: root, path: '', children: sortedChildren(root), next: 0 },
    ];
    while (frames.length) {
      const top = frames[frames.length - 1];
      if (top.next < top.children.length) {
        const child = top.children[top.next++];
        frames.push({ node: child, path: `${top.path}/${child.name}`, children: sortedChildren(child), next: 0 });
        continue;
      }
      frames.pop();
      if (!this.measureLeaf(root, top.node, top.path, top.children.length)) return; // dive: rest of this layer skipped
    }
  }

  /** One node after its children; false stops the layer's traversal. */
  private measureLeaf(root: TreeNode, node: TreeNode, path: string, childCount: number): boolean {
    if (node === root || childCount > 0) return true;
    let key: string;
    let size: number;
    if (isWhiteoutName(node.name)) {
      key = `${path.slice(1, path.length - node.name.length)}${node.name.slice(4)}`;
      const lower = this.presentRow(key);
      if (lower === undefined) {
        // dive: error, rest of this layer skipped. dive made the path's entry (min -1, cumulative 0) before it
        // looked the target up, and keeps it: each such whiteout takes 1 byte off Σ min (docs/dive-metrics.md
        // §1.3), unless a later leaf at the path sets its min.
        this.recorded.set(this.paths.id(key), 1);
        return false;
      }
      size = this.flags.get(lower) & DIR ? this.subtreeSize(lower) : 0;
    } else {
      key = node.key ?? path.slice(1);
      size = node.size;
    }
    const row = this.paths.id(key);
    this.recorded.set(row, 1);
    node.row = row;
    this.cumulative.set(row, this.cumulative.get(row) + size);
    const min = this.min.get(row);
    if (min < 0 || size < min) this.min.set(row, size);
    const count = this.count.get(row) + 1;
    this.count.set(row, count);
    if (count === 2) this.inefficient.push(row);
    return true;
  }

  /**
   * dive's Stack: upper nodes children first, by name; a whiteout removes its target, any other node is added
   * (missing parents with an empty payload) and takes the upper payload. Walks both trees together.
   */
  private stackLayer(upperRoot: TreeNode): void {
    // Depth-first in the same order as the recursive definition; a node's payload is set before its children are
    // stacked (they never touch it), which is the same result as setting it after.
    const frames: { lower: number; key: string; children: TreeNode[]; next: number }[] = [
      { lower: this.root, key: '', children: sortedChildren(upperRoot), next: 0 },
    ];
    while (frames.length) {
      const top = frames[frames.length - 1];
      if (top.next >= top.children.length) {
        frames.pop();
        continue;
      }
      const child = top.children[top.next++];
      if (isWhiteoutName(child.name)) {
        const target = this.presentRow(join(top.key, child.name.slice(4)));
        if (target !== undefined) this.removeSubtree(top.lower, target);
        continue;
      }
      // A node over nothing is added; over a node it takes the new payload and keeps the children (dive's quirk:
      // a file replacing a directory keeps the directory's children).
      const children = sortedChildren(child);
      // The key only to look the path up (a measured leaf was) or to name the children.
      const key = child.row < 0 || children.length > 0 ? (child.key ?? join(top.key, child.name)) : '';
      const row = child.row < 0 ? this.paths.id(key) : child.row;
      if (!(this.flags.get(row) & PRESENT)) this.children.add(top.lower, row);
      this.flags.set(row, child.isDir ? PRESENT | DIR : PRESENT);
      this.size.set(row, child.size);
      if (children.length > 0) frames.push({ lower: row, key, children, next: 0 });
    }
  }

  /** Takes `row` out of its parent's children, and it and everything below it out of the stacked tree. */
  private removeSubtree(parent: number, row: number): void {
    this.children.remove(parent, row);
    const stack = [row];
    for (let r = stack.pop(); r !== undefined; r = stack.pop()) {
      this.flags.set(r, 0);
      for (const c of this.children.detachAll(r)) stack.push(c);
    }
  }

  /** Σ payload sizes of `row` and every node below it. */
  private subtreeSize(row: number): number {
    let total = 0;
    const stack = [row];
    for (let r = stack.pop(); r !== undefined; r = stack.pop()) {
      total += this.size.get(r);
      for (let c = this.children.firstChild(r); c !== NONE; c = this.children.nextSibling(c)) stack.push(c);
    }
    return total;
  }

  /**
   * An independent copy of the state so far (see UnionFs.clone), keying its paths with `paths`: a copy of this
   * one's index (what it has handed out is what the copy's columns hold), or a copy shared with another clone.
   */
  clone(paths = this.paths.clone()): DiveEfficiency {
    const copy = new DiveEfficiency(paths);
    copy.recorded = this.recorded.clone();
    copy.cumulative = this.cumulative.clone();
    copy.min = this.min.clone();
    copy.count = this.count.clone();
    copy.flags = this.flags.clone();
    copy.size = this.size.clone();
    copy.children = this.children.clone();
    copy.inefficient = this.inefficient.slice();
    copy.layerSizes.push(...this.layerSizes);
    copy.files = this.files;
    return copy;
  }

  result(): DiveMetrics {
    let minimum = 0;
    let discovered = 0;
    for (let row = 0; row < this.paths.size; row++) {
      if (this.recorded.get(row) === 0) continue;
      minimum += this.min.get(row);
      discovered += this.cumulative.get(row);
    }
    const efficiencyScore = discovered === 0 ? 1 : minimum / discovered;
    const sizeBytes = this.layerSizes.reduce((a, b) => a + b, 0);
    const userSizeBytes = this.layerSizes.slice(1).reduce((a, b) => a + b, 0);
    const inefficientBytes = this.inefficient.reduce((sum, row) => sum + this.cumulative.get(row), 0);
    // dive sorts ascending (insertion sort: stable at these sizes) and reports in reverse.
    const fileReferences = this.inefficient
      .map((row) => ({
        file: `/${this.paths.path(row)}`,
        count: this.count.get(row),
        sizeBytes: this.cumulative.get(row),
      }))
      .sort((a, b) => a.sizeBytes - b.sizeBytes)
      .reverse();
    return {
      efficiencyScore,
      sizeBytes,
      inefficientBytes,
      userSizeBytes,
      userWastedPercent: inefficientBytes / userSizeBytes,
      layerSizeBytes: [...this.layerSizes],
      files: this.files,
      fileReferences,
    };
  }
}
