// dive's efficiency score and numbers, reproduced exactly (docs/dive-metrics.md §1), quirks included, so
// teams can move `.dive-ci` thresholds over unchanged:
// - per layer, a tree of its own entries (implicit parents are not directories, `.wh..wh.*` markers dropped);
// - every leaf of every layer adds its size to its path's entry; a whiteout adds the size of the whole lower
//   subtree when the lower node is an explicit directory, else 0; a whiteout whose target is missing below
//   ends that layer's traversal (dive logs the error and moves on);
// - score = Σ min / Σ cumulative over paths; inefficient = paths seen in >= 2 layers; wasted = Σ their cumulative;
// - user size excludes only the first layer.
// ballast's own waste numbers (union.ts) are the corrected ones; these exist for compatibility.
import { splitPath } from '../image/tar-header.js';
import type { ScanEntry } from './scan-layer.js';

// Memory: at a million files the stacked tree and the per-path records are a good part of the peak, so the stacked
// tree keeps a plain file as its size alone (a number in its parent's map: no object, no name, no links), and a
// path's record is a row of three number columns, found by a Map keyed with the scan's own path string (the one the
// union filesystem keys its node with: shared, not copied). The per-layer trees are dropped after each layer.

/** A node of one layer's tree. */
interface TreeNode {
  name: string;
  children: Map<string, TreeNode>;
  isDir: boolean;
  size: number;
  /** Children by name, sorted once per traversal batch. */
  sorted?: TreeNode[];
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
  return { name, children: NO_CHILDREN, isDir: false, size: 0 };
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

/**
 * A node of the stacked tree (all layers so far) with children or a directory; a plain file is just its size.
 * The name is the key in the parent's map.
 */
interface StackNode {
  children: Map<string, StackEntry>;
  isDir: boolean;
  size: number;
}
type StackEntry = StackNode | number;

const NO_STACK_CHILDREN: Map<string, StackEntry> = new Map();

function newStackNode(): StackNode {
  return { children: NO_STACK_CHILDREN, isDir: false, size: 0 };
}

function stackChildrenOf(node: StackNode): Map<string, StackEntry> {
  if (node.children === NO_STACK_CHILDREN) node.children = new Map();
  return node.children;
}

function getStacked(root: StackNode, parts: string[]): StackEntry | undefined {
  let node: StackEntry = root;
  for (const name of parts) {
    if (typeof node === 'number') return undefined; // a plain file has no children
    const next: StackEntry | undefined = node.children.get(name);
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
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

function subtreeSize(node: StackNode): number {
  let total = 0;
  const stack = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    total += n.size;
    for (const child of n.children.values()) {
      if (typeof child === 'number') total += child;
      else stack.push(child);
    }
  }
  return total;
}

/** Feed layers in order with `addLayer`, then read `result()`. */
export class DiveEfficiency {
  private readonly stacked = newStackNode();
  /** Path (without dive's leading `/`) -> row of the columns below. */
  private readonly byPath = new Map<string, number>();
  private cumulative: number[] = [];
  private min: number[] = [];
  private count: number[] = [];
  /** Rows of the paths seen in two layers or more, in the order they became so. */
  private inefficient: number[] = [];
  /** Keys of the inefficient rows, in the same order. */
  private inefficientKeys: string[] = [];
  private readonly layerSizes: number[] = [];
  private files = 0;

  addLayer(entries: ScanEntry[], sizeBytes: number): void {
    const tree = newNode('');
    // A leaf's key is its entry's own path string when that is already normal (it nearly always is).
    const keys = new Map<TreeNode, string>();
    for (const e of entries) {
      if (e.kind === 'opaque') continue;
      const parts = splitPath(e.path);
      if (parts.length === 0) continue;
      if (e.kind === 'whiteout') parts[parts.length - 1] = `.wh.${parts[parts.length - 1]}`;
      const { node, created } = addPath(tree, parts, { isDir: e.kind === 'dir', size: e.size });
      if (e.kind !== 'whiteout' && parts.join('/') === e.path) keys.set(node, e.path);
      this.files += created;
    }
    this.layerSizes.push(sizeBytes);
    this.measureLeaves(tree, keys);
    this.stackLayer(tree, this.stacked);
  }

  /** Children first, by name, leaves only; stops the layer at a whiteout whose target is missing below. */
  private measureLeaves(root: TreeNode, keys: Map<TreeNode, string>): void {
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
      if (!this.measureLeaf(root, top.node, top.path, top.children.length, keys)) return; // dive: rest of this layer skipped
    }
  }

  /** One node after its children; false stops the layer's traversal. */
  private measureLeaf(
    root: TreeNode,
    node: TreeNode,
    path: string,
    childCount: number,
    keys: Map<TreeNode, string>,
  ): boolean {
    if (node === root || childCount > 0) return true;
    let key: string;
    let size: number;
    if (isWhiteoutName(node.name)) {
      key = `${path.slice(1, path.length - node.name.length)}${node.name.slice(4)}`;
      const lower = getStacked(this.stacked, key.split('/'));
      if (lower === undefined) return false; // dive: error, rest of this layer skipped
      size = typeof lower !== 'number' && lower.isDir ? subtreeSize(lower) : 0;
    } else {
      key = keys.get(node) ?? path.slice(1);
      size = node.size;
    }
    let row = this.byPath.get(key);
    if (row === undefined) {
      row = this.count.length;
      this.byPath.set(key, row);
      this.cumulative.push(0);
      this.min.push(-1);
      this.count.push(0);
    }
    this.cumulative[row] += size;
    if (this.min[row] < 0 || size < this.min[row]) this.min[row] = size;
    if (++this.count[row] === 2) {
      this.inefficient.push(row);
      this.inefficientKeys.push(key);
    }
    return true;
  }

  /**
   * dive's Stack: upper nodes children first, by name; a whiteout removes its target, any other node is added
   * (missing parents with an empty payload) and takes the upper payload. Walks both trees together.
   */
  private stackLayer(upperRoot: TreeNode, lowerRoot: StackNode): void {
    // Depth-first in the same order as the recursive definition; a node's payload is set before its children are
    // stacked (they never touch it), which is the same result as setting it after.
    const frames: { upper: TreeNode; lower: StackNode; children: TreeNode[]; next: number }[] = [
      { upper: upperRoot, lower: lowerRoot, children: sortedChildren(upperRoot), next: 0 },
    ];
    while (frames.length) {
      const top = frames[frames.length - 1];
      if (top.next >= top.children.length) {
        frames.pop();
        continue;
      }
      const child = top.children[top.next++];
      const lower = top.lower;
      if (isWhiteoutName(child.name)) {
        lower.children.delete(child.name.slice(4));
        continue;
      }
      const existing = lower.children.get(child.name);
      const children = sortedChildren(child);
      // A plain file over nothing or over a plain file stays a number. Over a node with children it is set on
      // that node, which keeps them (dive's quirk: a file replacing a directory keeps the directory's children).
      if (!child.isDir && children.length === 0 && (existing === undefined || typeof existing === 'number')) {
        stackChildrenOf(lower).set(child.name, child.size);
        continue;
      }
      let target: StackNode;
      if (existing === undefined || typeof existing === 'number') {
        target = newStackNode();
        stackChildrenOf(lower).set(child.name, target);
      } else target = existing;
      target.isDir = child.isDir;
      target.size = child.size;
      frames.push({ upper: child, lower: target, children, next: 0 });
    }
  }

  /** An independent copy of the state so far (see UnionFs.clone). */
  clone(): DiveEfficiency {
    const copy = new DiveEfficiency();
    const stack: [StackNode, StackNode][] = [[this.stacked, copy.stacked]];
    for (let pair = stack.pop(); pair; pair = stack.pop()) {
      const [from, to] = pair;
      to.isDir = from.isDir;
      to.size = from.size;
      for (const [name, child] of from.children) {
        if (typeof child === 'number') {
          stackChildrenOf(to).set(name, child);
          continue;
        }
        const c = newStackNode();
        stackChildrenOf(to).set(name, c);
        stack.push([child, c]);
      }
    }
    for (const [key, row] of this.byPath) copy.byPath.set(key, row);
    // slice(), not push(...): a spread of a million rows would overflow the call stack.
    copy.cumulative = this.cumulative.slice();
    copy.min = this.min.slice();
    copy.count = this.count.slice();
    copy.inefficient = this.inefficient.slice();
    copy.inefficientKeys = this.inefficientKeys.slice();
    copy.layerSizes.push(...this.layerSizes);
    copy.files = this.files;
    return copy;
  }

  result(): DiveMetrics {
    let minimum = 0;
    let discovered = 0;
    for (let row = 0; row < this.count.length; row++) {
      minimum += this.min[row];
      discovered += this.cumulative[row];
    }
    const efficiencyScore = discovered === 0 ? 1 : minimum / discovered;
    const sizeBytes = this.layerSizes.reduce((a, b) => a + b, 0);
    const userSizeBytes = this.layerSizes.slice(1).reduce((a, b) => a + b, 0);
    const inefficientBytes = this.inefficient.reduce((sum, row) => sum + this.cumulative[row], 0);
    // dive sorts ascending (insertion sort: stable at these sizes) and reports in reverse.
    const fileReferences = this.inefficient
      .map((row, i) => ({
        file: `/${this.inefficientKeys[i]}`,
        count: this.count[row],
        sizeBytes: this.cumulative[row],
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
