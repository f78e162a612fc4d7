// dive's efficiency score and numbers, reproduced exactly (docs/dive-metrics.md §1), quirks included, so
// teams can move `.dive-ci` thresholds over unchanged:
// - per layer, a tree of its own entries (implicit parents are not directories, `.wh..wh.*` markers dropped);
// - every leaf of every layer adds its size to its path's entry; a whiteout adds the size of the whole lower
//   subtree when the lower node is an explicit directory, else 0 (below layer 0 is layer 0 itself, as dive stacks onto
//   a copy of it); a whiteout whose target is missing below ends that layer's traversal (dive logs the error and
//   moves on), and leaves its path's entry with min -1;
// - score = Σ min / Σ cumulative over paths; inefficient = paths seen in >= 2 layers; wasted = Σ their cumulative;
// - user size excludes only the first layer.
// ballast's own waste numbers (union.ts) are the corrected ones; these exist for compatibility.
import { splitPath } from '../image/tar-header.js';
import { ChildLists, f64, NONE, u16, u32, u8 } from './columns.js';
import { PathIndex } from './path-index.js';
import { EntryList } from './entry-list.js';
import type { ScanEntry } from './scan-layer.js';

// Memory: at a million files the stacked tree and the per-path records are a good part of the peak. So a path is an
// id of the union filesystem's path index (path-index.ts: the path is stored once for both), and the same id is the
// row of the path's record and of its node in the stacked tree, in typed-array columns; children are linked lists of
// rows. No object, Map entry or string per file. A layer's own tree is in columns too (LayerTree), and is dropped
// after the layer.

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
  /**
   * inefficientBytes by the layer holding each copy (sums to it): the layers a fix must change to move dive's
   * numbers. Not ballast's waste by layer: dive counts the kept copy too, and not a file deleted with its directory.
   */
  layerInefficientBytes: number[];
}

/** Row flags of the stacked tree (PRESENT, DIR) and of a layer's tree (DIR, WHITEOUT: named `.wh.*`). */
const PRESENT = 1;
const DIR = 2;
const WHITEOUT = 4;

function isWhiteoutName(name: string): boolean {
  return name.startsWith('.wh.');
}

/**
 * One layer's tree as dive builds it (implicit parents with an empty payload, a whiteout as a node named `.wh.NAME`),
 * in columns like the stacked tree: a node is the id of its path in a path index of its own, so a layer of a million
 * entries holds no object, Map entry or name string per entry while the layer's entry list is alive beside it
 * (session 46: about 45 bytes an entry instead of about 170).
 */
export class LayerTree {
  readonly root: number;
  readonly flags = u8();
  readonly size = f64();
  /** The stacked tree's row of a measured leaf (each path is looked up once); NONE until it is measured. */
  readonly row = u32(NONE);
  readonly children = new ChildLists();
  /** Nodes created (the root excluded): dive's "files". */
  created = 0;

  /** `entries`: how many the layer has (each a node, and most parents are entries too). */
  constructor(
    entries: number,
    readonly paths = new PathIndex(entries),
  ) {
    this.root = paths.id('');
  }

  /** dive's AddPath: missing parents are created with an empty payload; only the last node gets the payload. */
  add(parts: string[], isDir: boolean, size: number): void {
    const key = parts.join('/');
    const known = this.paths.size;
    const id = this.paths.id(key);
    if (id >= known) {
      this.made(id, parts[parts.length - 1]);
      // Link it, and each missing parent to its own parent, up to one that exists (the root always does).
      let child = id;
      let childKey = key;
      for (let d = parts.length - 1; ; d--) {
        const parentKey = d === 0 ? '' : childKey.slice(0, childKey.length - parts[d].length - 1);
        const before = this.paths.size;
        const parent = this.paths.id(parentKey);
        this.children.add(parent, child);
        if (parent < before) break;
        this.made(parent, parts[d - 1]);
        child = parent;
        childKey = parentKey;
      }
    }
    this.flags.set(id, (this.flags.get(id) & WHITEOUT) | (isDir ? DIR : 0));
    this.size.set(id, size);
  }

  /** Counts a node just given its id (a path new to the layer), named `name`. */
  private made(id: number, name: string): void {
    this.created++;
    if (isWhiteoutName(name)) this.flags.set(id, WHITEOUT);
  }

  /** Each node's children put in dive's order once (Go's sort.Strings: byte order, as binary strings' code units). */
  sortChildren(): void {
    for (let id = 0; id < this.paths.size; id++) {
      if (this.children.firstChild(id) === NONE) continue;
      const kids = this.children.detachAll(id);
      // Siblings' paths are the same up to their names: compared past the parent's path and its `/`.
      const from = id === this.root ? 0 : this.paths.pathLength(id) + 1;
      kids.sort((a, b) => this.paths.compare(a, b, from));
      for (let i = kids.length - 1; i >= 0; i--) this.children.add(id, kids[i]);
    }
  }
}

// The tree walks below are loops over explicit stacks, not recursion: an image may hold a path 10,000 directories
// deep, deeper than the call stack.

/** The path a whiteout's node (`DIR/.wh.NAME`) removes: `DIR/NAME`. */
function whitedOut(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}${path.slice(slash + 5)}`;
}

/** Σ payload sizes of a layer tree's `node` and every node below it (whiteout markers are empty). */
function layerSubtreeSize(tree: LayerTree, node: number): number {
  let total = 0;
  const stack = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    total += tree.size.get(n);
    for (let c = tree.children.firstChild(n); c !== NONE; c = tree.children.nextSibling(c)) stack.push(c);
  }
  return total;
}

/** dive's tree of a layer's entries: all that dive reads of them (`DiveEfficiency.addTree`). */
export function layerTree(entries: EntryList): LayerTree {
  const tree = new LayerTree(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const kind = entries.kind(i);
    if (kind === 'opaque') continue;
    const parts = splitPath(entries.path(i));
    if (parts.length === 0) continue;
    if (kind === 'whiteout') parts[parts.length - 1] = `.wh.${parts[parts.length - 1]}`;
    tree.add(parts, kind === 'dir', entries.size(i));
  }
  return tree;
}

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
  /** The layer of the path's first measured leaf, whose copy counts as wasted once a second one comes. */
  private firstLayer = u16();
  // The stacked tree (all layers so far): a path is a node of it while PRESENT; a present node's parent is always
  // the node of its path's directory.
  private flags = u8();
  private size = f64();
  private children = new ChildLists();
  /** Ids of the paths seen in two layers or more, in the order they became so. */
  private inefficient: number[] = [];
  /** dive's wasted bytes by the layer holding each copy. */
  private layerInefficient: number[] = [];
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

  addLayer(entries: EntryList | readonly ScanEntry[], sizeBytes: number): void {
    this.addTree(layerTree(entries instanceof EntryList ? entries : EntryList.of(entries)), sizeBytes);
  }

  /** `addLayer` from the layer's tree, made beforehand so that its entry list can go first (LayerApplier). */
  addTree(tree: LayerTree, sizeBytes: number): void {
    this.files += tree.created;
    this.layerSizes.push(sizeBytes);
    this.layerInefficient.push(0);
    tree.sortChildren();
    this.measureLeaves(tree);
    this.stackLayer(tree);
  }

  /** Children first, by name, leaves only; stops the layer at a whiteout whose target is missing below. */
  private measureLeaves(tree: LayerTree): void {
    // Post-order over an explicit stack: a frame's children are visited in order, then the frame itself.
    const { children } = tree;
    const nodes = [tree.root];
    const next = [children.firstChild(tree.root)];
    while (nodes.length) {
      const top = nodes.length - 1;
      const child = next[top];
      if (child !== NONE) {
        next[top] = children.nextSibling(child);
        nodes.push(child);
        next.push(children.firstChild(child));
        continue;
      }
      const node = nodes.pop()!;
      next.pop();
      if (!this.measureLeaf(tree, node)) return; // dive: rest of this layer skipped
    }
  }

  /** One node after its children; false stops the layer's traversal. */
  private measureLeaf(tree: LayerTree, node: number): boolean {
    if (node === tree.root || tree.children.firstChild(node) !== NONE) return true;
    let key = tree.paths.path(node);
    let size: number;
    if (tree.flags.get(node) & WHITEOUT) {
      key = whitedOut(key);
      const lower = this.whitedOutSize(tree, key);
      if (lower === undefined) {
        // dive: error, rest of this layer skipped. dive made the path's entry (min -1, cumulative 0) before it
        // looked the target up, and keeps it: each such whiteout takes 1 byte off Σ min (docs/dive-metrics.md
        // §1.3), unless a later leaf at the path sets its min.
        this.recorded.set(this.paths.id(key), 1);
        return false;
      }
      size = lower;
    } else {
      size = tree.size.get(node);
    }
    const row = this.paths.id(key);
    this.recorded.set(row, 1);
    tree.row.set(node, row);
    const before = this.cumulative.get(row);
    this.cumulative.set(row, before + size);
    const min = this.min.get(row);
    if (min < 0 || size < min) this.min.set(row, size);
    const count = this.count.get(row) + 1;
    this.count.set(row, count);
    const layer = this.layerSizes.length - 1;
    if (count === 1) this.firstLayer.set(row, layer);
    else {
      // A second copy makes the first one wasted too, in its own layer (dive's wasted bytes count every copy).
      if (count === 2) {
        this.inefficient.push(row);
        this.layerInefficient[this.firstLayer.get(row)] += before;
      }
      this.layerInefficient[layer] += size;
    }
    return true;
  }

  /**
   * The size dive gives a whiteout of `key`: the whole subtree of an explicit directory, 0 for anything else, undefined
   * when the target is missing. dive looks it up in the layers below stacked onto a copy of layer 0 (StackTreeRange:
   * copy layer 0, then stack layers 0…i-1), so for layer 0 itself the tree below is that layer's own: a whiteout beside
   * its own target (`x` and `.wh.x` in one layer, as some builders write) finds it there, though by the OCI spec it
   * removes nothing. From layer 1 on, that copy stacked again gives what the stacked tree here holds.
   */
  private whitedOutSize(tree: LayerTree, key: string): number | undefined {
    if (this.layerSizes.length === 1) {
      const own = tree.paths.find(key);
      if (own === undefined) return undefined;
      return tree.flags.get(own) & DIR ? layerSubtreeSize(tree, own) : 0;
    }
    const lower = this.presentRow(key);
    if (lower === undefined) return undefined;
    return this.flags.get(lower) & DIR ? this.subtreeSize(lower) : 0;
  }

  /**
   * dive's Stack: upper nodes children first, by name; a whiteout removes its target, any other node is added
   * (missing parents with an empty payload) and takes the upper payload. Walks both trees together.
   */
  private stackLayer(tree: LayerTree): void {
    // Depth-first in the same order as the recursive definition; a node's payload is set before its children are
    // stacked (they never touch it), which is the same result as setting it after. A frame is a node of the stacked
    // tree (`lower`) and the next child of the layer's node over it.
    const { children } = tree;
    const lowers = [this.root];
    const next = [children.firstChild(tree.root)];
    while (lowers.length) {
      const top = lowers.length - 1;
      const child = next[top];
      if (child === NONE) {
        lowers.pop();
        next.pop();
        continue;
      }
      next[top] = children.nextSibling(child);
      const flags = tree.flags.get(child);
      if (flags & WHITEOUT) {
        const target = this.presentRow(whitedOut(tree.paths.path(child)));
        if (target !== undefined) this.removeSubtree(lowers[top], target);
        continue;
      }
      // A node over nothing is added; over a node it takes the new payload and keeps the children (dive's quirk:
      // a file replacing a directory keeps the directory's children).
      const measured = tree.row.get(child);
      const row = measured === NONE ? this.paths.id(tree.paths.path(child)) : measured;
      if (!(this.flags.get(row) & PRESENT)) this.children.add(lowers[top], row);
      this.flags.set(row, flags & DIR ? PRESENT | DIR : PRESENT);
      this.size.set(row, tree.size.get(child));
      const first = children.firstChild(child);
      if (first !== NONE) {
        lowers.push(row);
        next.push(first);
      }
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
    copy.firstLayer = this.firstLayer.clone();
    copy.flags = this.flags.clone();
    copy.size = this.size.clone();
    copy.children = this.children.clone();
    copy.inefficient = this.inefficient.slice();
    copy.layerInefficient = this.layerInefficient.slice();
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
      layerInefficientBytes: [...this.layerInefficient],
    };
  }
}
