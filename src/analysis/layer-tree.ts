// The per-layer file tree behind `ballast explore`: what each layer changed, and the filesystem as of any layer,
// with directory sizes aggregated. Built once, while the walk applies layers to the union (it observes the union,
// so whiteouts, opaque directories and symlinked parents mean exactly what they mean for `analyze`), then only
// queried: moving through it never reads a layer again.
//
// Memory: one short history per path (the versions layers wrote, and removals) plus, per directory, one point per
// layer that touched its subtree. "As of layer N" is derived from those on demand; no tree is copied per layer.
import type { FsNode, UnionObserver, WasteCause, WasteEvent } from './union.js';
import { pathSearch } from './path-search.js';

export type ChangeStatus = 'added' | 'modified' | 'removed' | 'unchanged';

/** Why a version's bytes are not in the final filesystem, and which layer hid them. */
export interface VersionWaste {
  cause: WasteCause;
  byLayer: number;
  change?: WasteEvent['change'];
}

interface Version {
  layer: number;
  /** null: removed in `layer`. */
  node: FsNode | null;
  waste?: VersionWaste;
  /**
   * The union made this hardlink name the holder of its inode's bytes in `layer` (the name that held them went):
   * the path is a regular file from here on, for sizes, but `layer` did not change it.
   */
  promoted?: true;
  /**
   * The name that held the bytes before this one took them over, and the layer that wrote those bytes (set with
   * `promoted`, and kept when the same layer then removes or rewrites this name): the way back to the name that
   * wrote them.
   */
  from?: string;
  fromLayer?: number;
  /**
   * A removal that freed other than the bytes of the version before it: 0 when those bytes live on under another
   * name of their inode; a holder's bytes when it took them over from another name in this very layer.
   */
  freed?: number;
}

/** A directory's numbers from one layer on (cumulative fields) or in that layer only. */
interface DirPoint {
  layer: number;
  /** Visible regular-file bytes and files below the directory (cumulative). */
  sizeBytes: number;
  files: number;
  /** Bytes of files below written in layers up to this one that the final filesystem no longer shows (cumulative). */
  wastedBytes: number;
  /** This layer only: bytes of files below it added or rewritten, and bytes removed. */
  changedBytes: number;
  removedBytes: number;
  /** This layer only: entries below it that changed, and how (the view's added/modified/removed filters). */
  changes: number;
  added: number;
  modified: number;
  removed: number;
}

export interface DirStats {
  sizeBytes: number;
  files: number;
  wastedBytes: number;
  changedBytes: number;
  removedBytes: number;
  /** Something below it changed in this layer. */
  changed: boolean;
  /** This layer only: entries below it added, modified, removed. */
  added: number;
  modified: number;
  removed: number;
}

/** One path as of one layer. */
export interface TreeEntry {
  /** Binary path (no leading slash), as the union keys it. */
  path: string;
  name: string;
  kind: FsNode['kind'];
  status: ChangeStatus;
  /** The node as of the layer (for `removed`: the node that was removed). */
  node: FsNode;
  /** Layer that wrote the version shown (for `removed`: the layer that removed it). */
  layer: number;
  /** Regular file bytes (files), or the directory's aggregated visible bytes. */
  sizeBytes: number;
  /** Wasted bytes of this path's versions up to the layer (files), or aggregated below (directories). */
  wastedBytes: number;
  /** Bytes added or rewritten in this layer (files: their size when changed; directories: below them). */
  changedBytes: number;
  /** Bytes removed in this layer (a removed file or directory: what it held; other directories: below them). */
  removedBytes: number;
  /** The version shown is wasted: hidden later, and how. */
  waste?: VersionWaste;
  /** Directories: something below changed in this layer. */
  subtreeChanged: boolean;
  /**
   * A wasted copy (`wastedVersions`) whose bytes its layer wrote under another name, a hard link that later took them
   * over: that name, the row of the tree that carries the copy's mark in that layer.
   */
  writtenAs?: string;
}

/**
 * Every path of a tree numbered in depth-first order (a directory, then everything below it), so that a directory's
 * subtree is one run of numbers and, in the joined text, one run of characters.
 */
export interface PathIndex {
  paths: string[];
  lower: string[];
  /** The lower-case paths joined by NUL (which no path holds), and where each starts in it (one more at the end). */
  text: string;
  starts: Int32Array;
  /** The number after a path's subtree: its subtree is `i` to `end[i] - 1`. */
  end: Int32Array;
  id: Map<string, number>;
  /** The joined text as regular expressions search it (path-search.ts), made on the first one. */
  lines?: { text: string; odd: number[] };
}

/**
 * A test on a path: does it, or anything below it, match `needle` (see `pathSearch`, which the explore view also runs
 * on a worker thread).
 */
export function matchBelow(index: PathIndex, needle: string | RegExp): (path: string) => boolean {
  const { below } = pathSearch(index, needle);
  return (path) => {
    const i = index.id.get(path);
    return i !== undefined && below(i);
  };
}

/** Whether one lower-case path matches `needle` (as `matchBelow` means it). */
export function pathMatcher(needle: string | RegExp): (lower: string) => boolean {
  if (typeof needle === 'string') return (p) => p.includes(needle);
  const alone = new RegExp(needle.source, needle.flags.replace(/[gy]/g, ''));
  return (p) => alone.test(p);
}

const ROOT = '';

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? ROOT : path.slice(0, i);
}

function sameDirMeta(a: FsNode, b: FsNode): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}

const fileBytes = (node: FsNode | null) => (node?.kind === 'file' ? node.size : 0);
const isFile = (node: FsNode | null) => (node?.kind === 'file' ? 1 : 0);
/**
 * The bytes a version's layer wrote: none for a name that holds older bytes (a link made in this layer whose
 * target was then rewritten, so that it took the old bytes over), so the layer's changed bytes are its tar's.
 */
const writtenBytes = (v: Version) => (v.node?.kind === 'file' && v.node.layer === v.layer ? v.node.size : 0);
/** The bytes a removal freed: those of the version it removed unless recorded otherwise. */
const freedBytes = (v: Version, prev: FsNode | null) => v.freed ?? fileBytes(prev);

/**
 * The version of a path that held the bytes a waste event hid, as of layer `upTo` (by default the layer that hid
 * them): the last file version whose bytes layer `e.layer` wrote. Mostly the version written in that layer; for a
 * hard link that took over its inode's bytes when another name went (a promoted version), the one recorded then
 * (the bytes are still the older layer's), or, when the same layer then removed or rewrote this name too, that
 * version (it keeps `from`, the way back to the writer).
 */
function heldVersion(versions: Version[], e: WasteEvent, upTo = e.byLayer): Version | undefined {
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i];
    if (v.layer > upTo) continue;
    if (v.node?.kind === 'file' && v.node.layer === e.layer) return v;
    if (v.fromLayer === e.layer) return v;
    if (v.layer < e.layer) return undefined;
  }
  return undefined;
}

/**
 * Whether a version holds the event's bytes because another name handed them on, in a later layer than the one that
 * wrote them. (Handed on in the writing layer, this name is the change that wrote them there: the writer's own
 * version is that layer's net result, a rewrite.)
 */
const handedOn = (v: Version, e: WasteEvent): v is Version & { from: string } =>
  v.from !== undefined && v.fromLayer === e.layer && v.layer > e.layer;

/** Records the union's changes while the walk applies layers; `finish()` turns them into a `LayerTree`. */
export class LayerTreeRecorder implements UnionObserver {
  private readonly histories = new Map<string, Version[]>();
  private readonly kids = new Map<string, string[]>([[ROOT, []]]);
  private readonly wasted: WasteEvent[] = [];
  /** The name that wrote the bytes of a waste event, when it is not the event's (a hard link took them over). */
  private readonly writers = new Map<WasteEvent, string>();

  put(path: string, node: FsNode, old: FsNode | undefined, layer: number): void {
    // Layer tars repeat their parent directories; an unchanged directory entry is not a change.
    if (old?.kind === 'dir' && node.kind === 'dir' && sameDirMeta(old, node)) return;
    this.record(path, node, layer);
  }

  remove(path: string, old: FsNode, layer: number, bytesKept: boolean): void {
    this.record(path, null, layer, false, bytesKept ? 0 : fileBytes(old));
  }

  promote(path: string, holder: FsNode, layer: number, from: string): void {
    this.record(path, holder, layer, true, 0, from);
  }

  waste(event: WasteEvent): void {
    this.wasted.push(event);
    const versions = this.histories.get(event.path);
    const found = versions && heldVersion(versions, event);
    if (!found) return;
    let v: Version = found;
    const mark: VersionWaste = {
      cause: event.cause,
      byLayer: event.byLayer,
      ...(event.change ? { change: event.change } : {}),
    };
    v.waste = mark;
    // Bytes a hard link took over were written under another name, in an older layer: that layer's change is the
    // one that wrote the wasted bytes, so it carries the mark too (else no change of the layer that holds them
    // does, and the marked changes no longer add up to the wasted bytes). Back name by name, as they were handed on.
    let path = event.path;
    for (let hops = 0; handedOn(v, event) && hops < 1000; hops++) {
      const before = this.histories.get(v.from);
      const held: Version | undefined = before && heldVersion(before, event, v.layer);
      if (!held) break;
      path = v.from;
      v = held;
    }
    if (path === event.path) return;
    v.waste = mark;
    this.writers.set(event, path);
  }

  /** `freed`: for a removal, the bytes of `path`'s node that it freed. `from`: for a promotion, the name before. */
  private record(path: string, node: FsNode | null, layer: number, promoted = false, freed = 0, from?: string): void {
    const versions = this.histories.get(path);
    if (!versions) {
      // Most paths get one version in their life: an array literal holds exactly one, where `[]` and a push
      // reserve room for 17 (some 130 bytes more per path, 7 MB on a 50k-file image while the walk peaks).
      this.histories.set(path, node === null ? [] : [{ layer, node }]);
      const parent = parentOf(path);
      let siblings = this.kids.get(parent);
      if (!siblings) this.kids.set(parent, (siblings = []));
      siblings.push(path);
      return;
    }
    const last = versions[versions.length - 1];
    if (last && last.layer === layer) {
      // Several changes in one layer (replaced, removed and written again): the layer's net result counts. Bytes
      // freed are those of the version before the layer, told at its first removal; unless the path took its
      // bytes over in this layer (before, it was a link and held none), so that their removal is this one.
      if (node === null && last.promoted) {
        if (freed > 0) last.freed = freed;
        else delete last.freed;
      }
      last.node = node;
      delete last.waste;
      // A promotion after a change in the same layer leaves it a change; a change after a promotion makes it one.
      if (!promoted) delete last.promoted;
      // Where the bytes came from stays: the way back from a name they were handed on to after this one.
      if (from !== undefined) {
        last.from = from;
        last.fromLayer = node?.layer;
      }
      if (node === null && (versions.length < 2 || versions[versions.length - 2].node === null)) versions.pop();
      return;
    }
    if (node === null && (!last || last.node === null)) return;
    if (node === null && freed !== fileBytes(last.node)) versions.push({ layer, node, freed });
    else versions.push(promoted ? { layer, node, promoted, from, fromLayer: node?.layer } : { layer, node });
  }

  finish(layerCount: number): LayerTree {
    return new LayerTree(layerCount, this.histories, this.kids, this.wasted, this.writers);
  }
}

export class LayerTree {
  private readonly dirPoints = new Map<string, DirPoint[]>();

  constructor(
    readonly layerCount: number,
    private readonly histories: Map<string, Version[]>,
    private readonly kids: Map<string, string[]>,
    private readonly wasted: WasteEvent[],
    /** The name that wrote a waste event's bytes, when not the event's own. */
    private readonly writers: ReadonlyMap<WasteEvent, string>,
  ) {
    this.aggregate(wasted, writers);
  }

  /**
   * Every directory's points: each change counted once, in its parent directory, per layer; then the directories,
   * deepest first, hand their per-layer deltas up to their parent (one pass over directory points, not one over
   * every ancestor of every change); then running sums over layers.
   */
  private aggregate(wasted: WasteEvent[], writers: ReadonlyMap<WasteEvent, string>): void {
    const deltas = new Map<string, Map<number, DirPoint>>();
    const at = (dir: string, layer: number): DirPoint => {
      let byLayer = deltas.get(dir);
      if (!byLayer) deltas.set(dir, (byLayer = new Map()));
      let p = byLayer.get(layer);
      if (!p)
        byLayer.set(
          layer,
          (p = {
            layer,
            sizeBytes: 0,
            files: 0,
            wastedBytes: 0,
            changedBytes: 0,
            removedBytes: 0,
            changes: 0,
            added: 0,
            modified: 0,
            removed: 0,
          }),
        );
      return p;
    };
    for (const [path, versions] of this.histories) {
      if (path === ROOT) continue;
      const dir = parentOf(path);
      let prev: FsNode | null = null;
      for (const v of versions) {
        const p = at(dir, v.layer);
        p.sizeBytes += fileBytes(v.node) - fileBytes(prev);
        p.files += isFile(v.node) - isFile(prev);
        // A promotion moves the bytes to this name, so the sizes follow it; the layer changed nothing here.
        if (!v.promoted) {
          p.changedBytes += writtenBytes(v);
          p.removedBytes += v.node === null ? freedBytes(v, prev) : 0;
          p.changes++;
          if (v.node === null) p.removed++;
          else if (prev === null) p.added++;
          else p.modified++;
        }
        prev = v.node;
      }
    }
    // In the directory of the name that wrote them, as its `W` mark: a hard link elsewhere may have hidden them.
    for (const e of wasted) at(parentOf(writers.get(e) ?? e.path), e.layer).wastedBytes += e.sizeBytes;
    // Every ancestor takes part in the roll-up, even one with no change of its own.
    for (const dir of [...deltas.keys()]) {
      for (let d = dir; d !== ROOT && !deltas.has(parentOf(d)); d = parentOf(d)) deltas.set(parentOf(d), new Map());
    }
    // Deepest first; each depth counted once (a split per comparison is quadratic on a deeply nested image).
    const depth = new Map<string, number>();
    for (const dir of deltas.keys()) {
      let n = dir === ROOT ? 0 : 1;
      for (let i = dir.indexOf('/'); i >= 0; i = dir.indexOf('/', i + 1)) n++;
      depth.set(dir, n);
    }
    const dirs = [...deltas.keys()].sort((a, b) => depth.get(b)! - depth.get(a)!);
    for (const dir of dirs) {
      if (dir === ROOT) continue;
      const parent = parentOf(dir);
      for (const d of deltas.get(dir)!.values()) {
        const p = at(parent, d.layer);
        p.sizeBytes += d.sizeBytes;
        p.files += d.files;
        p.wastedBytes += d.wastedBytes;
        p.changedBytes += d.changedBytes;
        p.removedBytes += d.removedBytes;
        p.changes += d.changes;
        p.added += d.added;
        p.modified += d.modified;
        p.removed += d.removed;
      }
    }
    for (const [dir, byLayer] of deltas) {
      const points = [...byLayer.values()].sort((a, b) => a.layer - b.layer);
      for (let i = 1; i < points.length; i++) {
        points[i].sizeBytes += points[i - 1].sizeBytes;
        points[i].files += points[i - 1].files;
        points[i].wastedBytes += points[i - 1].wastedBytes;
      }
      this.dirPoints.set(dir, points);
    }
  }

  /** A directory's numbers as of `layer` (the root is ''). */
  dirStats(dir: string, layer: number): DirStats {
    const points = this.dirPoints.get(dir);
    let p: DirPoint | undefined;
    if (points) {
      // Binary search: the last point at or below the layer.
      let lo = 0;
      let hi = points.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (points[mid].layer <= layer) {
          p = points[mid];
          lo = mid + 1;
        } else hi = mid - 1;
      }
    }
    if (!p)
      return {
        sizeBytes: 0,
        files: 0,
        wastedBytes: 0,
        changedBytes: 0,
        removedBytes: 0,
        changed: false,
        added: 0,
        modified: 0,
        removed: 0,
      };
    const here = p.layer === layer;
    return {
      sizeBytes: p.sizeBytes,
      files: p.files,
      wastedBytes: p.wastedBytes,
      changedBytes: here ? p.changedBytes : 0,
      removedBytes: here ? p.removedBytes : 0,
      changed: here && p.changes > 0,
      added: here ? p.added : 0,
      modified: here ? p.modified : 0,
      removed: here ? p.removed : 0,
    };
  }

  /** `path` as of `layer`: undefined when it does not exist then (and was not removed in that very layer). */
  entry(path: string, layer: number): TreeEntry | undefined {
    const versions = this.histories.get(path);
    if (!versions) return undefined;
    let i = versions.length - 1;
    while (i >= 0 && versions[i].layer > layer) i--;
    if (i < 0) return undefined;
    const v = versions[i];
    const prev = i > 0 ? versions[i - 1].node : null;
    let wastedBytes = 0;
    for (let j = 0; j <= i; j++) if (versions[j].waste) wastedBytes += fileBytes(versions[j].node);
    let status: ChangeStatus;
    let node: FsNode;
    let waste = v.waste;
    if (v.node === null) {
      if (prev === null || v.layer !== layer) return undefined;
      status = 'removed';
      node = prev;
      // The mark of the copy removed, when this removal hid its bytes: a name whose bytes another name of its inode
      // kept carries a later layer's mark (the writer's), which this removal did not cause.
      const hid = versions[i - 1].waste;
      waste = hid && hid.byLayer === v.layer ? hid : undefined;
    } else {
      node = v.node;
      status = v.layer !== layer || v.promoted ? 'unchanged' : prev ? 'modified' : 'added';
      // A change that wrote none of the bytes it holds (a link this layer made, then handed its target's older bytes
      // to) is not where they were written: the name that wrote them carries the mark, so the marks add up.
      if (status !== 'unchanged' && writtenBytes(v) === 0) waste = undefined;
    }
    // A promoted holder shows the layer that last changed the path, not the one whose removal of another name
    // made it hold the bytes.
    let changedIn = i;
    while (changedIn > 0 && versions[changedIn].promoted) changedIn--;
    const name = path.slice(path.lastIndexOf('/') + 1);
    // One object per entry, no spread copies: the JSON of a 30k-change layer and every expanded directory make these.
    const entry: TreeEntry = {
      path,
      name,
      kind: node.kind,
      status,
      node,
      layer: versions[changedIn].layer,
      sizeBytes: 0,
      wastedBytes,
      changedBytes: 0,
      removedBytes: 0,
      subtreeChanged: false,
    };
    if (waste) entry.waste = waste;
    if (node.kind === 'dir') {
      const d = this.dirStats(path, layer);
      // A removed directory shows what it held just before.
      entry.sizeBytes = status === 'removed' ? this.dirStats(path, v.layer - 1).sizeBytes : d.sizeBytes;
      // Its own waste too: a directory that replaced a file is `w` for the file's hidden bytes, as a file is for
      // an older copy of itself.
      entry.wastedBytes = wastedBytes + d.wastedBytes;
      entry.changedBytes = d.changedBytes;
      // What it held may live on under names outside it: its removed bytes are those its files' removals freed.
      entry.removedBytes = d.removedBytes;
      entry.subtreeChanged = d.changed;
      return entry;
    }
    entry.sizeBytes = fileBytes(node);
    entry.changedBytes = status === 'added' || status === 'modified' ? writtenBytes(v) : 0;
    entry.removedBytes = status === 'removed' ? freedBytes(v, prev) : 0;
    if (this.kids.has(path)) {
      // Once a directory (a file or link replaced it): the files it held were deleted with it, and no row below
      // this one shows them. Its row carries them, as a directory's does: wasted (w) from then on, and, in the layer
      // that replaced it, removed (changes only sizes it by the bytes written and those taken away).
      const d = this.dirStats(path, layer);
      entry.wastedBytes += d.wastedBytes;
      entry.removedBytes += d.removedBytes;
    }
    return entry;
  }

  /**
   * The version of `path` that the one written in `layer` replaced (what a chmod layer changed the mode from);
   * undefined when `layer` wrote nothing there or the path did not exist before.
   */
  replacedNode(path: string, layer: number): FsNode | undefined {
    const versions = this.histories.get(path);
    if (!versions) return undefined;
    let i = versions.length - 1;
    while (i >= 0 && versions[i].layer > layer) i--;
    if (i < 1 || versions[i].layer !== layer || versions[i].promoted) return undefined;
    return versions[i - 1].node ?? undefined;
  }

  /** The entries directly below `dir` as of `layer`, unsorted; `include` skips paths before any work on them. */
  children(dir: string, layer: number, include?: (path: string) => boolean): TreeEntry[] {
    const out: TreeEntry[] = [];
    for (const path of this.kids.get(dir) ?? []) {
      if (include && !include(path)) continue;
      const e = this.entry(path, layer);
      if (e) out.push(e);
    }
    return out;
  }

  /**
   * Every wasted version written up to `layer` (the bytes those layers hold that the final filesystem does not
   * show), largest first: `layer` is the one holding the bytes, `waste` says which layer hid them and how; the
   * status is `removed` once hidden as of `layer`, else as the version stands then.
   */
  wastedVersions(layer: number): TreeEntry[] {
    const out: TreeEntry[] = [];
    for (const e of this.wasted) {
      if (e.layer > layer) continue;
      const versions = this.histories.get(e.path);
      const node = versions && heldVersion(versions, e)?.node;
      if (!node) continue;
      const status: ChangeStatus = e.byLayer <= layer ? 'removed' : e.layer === layer ? 'added' : 'unchanged';
      const writer = this.writers.get(e);
      out.push({
        path: e.path,
        name: e.path,
        kind: 'file',
        status,
        node,
        layer: e.layer,
        sizeBytes: e.sizeBytes,
        wastedBytes: e.sizeBytes,
        changedBytes: 0,
        removedBytes: 0,
        waste: { cause: e.cause, byLayer: e.byLayer, ...(e.change ? { change: e.change } : {}) },
        subtreeChanged: false,
        ...(writer !== undefined ? { writtenAs: writer } : {}),
      });
    }
    return out.sort(
      (a, b) => b.sizeBytes - a.sizeBytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.layer - b.layer),
    );
  }

  /** The paths that were ever directly below `dir`, whatever layer they exist in (the root is ''). */
  kidsOf(dir: string): readonly string[] {
    return this.kids.get(dir) ?? [];
  }

  /** What `path` is in the final filesystem (the last layer's); undefined when it is not there. */
  finalNode(path: string): FsNode | undefined {
    const versions = this.histories.get(path);
    return versions?.[versions.length - 1]?.node ?? undefined;
  }

  /** Every regular-file copy the final filesystem hides (deleted or overwritten), as the walk reported them. */
  wasteEvents(): readonly WasteEvent[] {
    return this.wasted;
  }

  /** Whether `dir` ever had children (so the view can offer to expand it). */
  hasChildren(dir: string): boolean {
    return (this.kids.get(dir)?.length ?? 0) > 0;
  }

  /** Every path that ever existed, in no particular order. */
  paths(): IterableIterator<string> {
    return this.histories.keys();
  }

  private index: PathIndex | undefined;

  /** Every path numbered, for filtering by name without a string set per keystroke; made on first use, then kept. */
  pathIndex(): PathIndex {
    if (this.index) return this.index;
    const paths: string[] = [];
    const endOf: number[] = [];
    // Depth first from the root, children in the order the view lists them; without recursion (deep images).
    const stack: (string | number)[] = [...(this.kids.get(ROOT) ?? [])].reverse();
    while (stack.length) {
      const top = stack.pop()!;
      if (typeof top === 'number') {
        endOf[top] = paths.length;
        continue;
      }
      // The root is no path of its own (and would list itself as its child).
      if (top === ROOT || !this.histories.has(top)) continue;
      stack.push(paths.length);
      paths.push(top);
      const kids = this.kids.get(top);
      if (kids) for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
    }
    // Paths no directory lists (a parent that was never recorded): after the rest, each its own subtree.
    if (paths.length < this.histories.size) {
      const seen = new Set(paths);
      for (const p of this.histories.keys()) if (!seen.has(p)) endOf[paths.push(p) - 1] = paths.length;
    }
    const id = new Map<string, number>();
    paths.forEach((p, i) => id.set(p, i));
    // toLowerCase hands back the same string when nothing changes, so the mostly lower-case paths cost no copy.
    const lower = paths.map((p) => p.toLowerCase());
    const starts = new Int32Array(paths.length + 1);
    for (let i = 0; i < paths.length; i++) starts[i + 1] = starts[i] + lower[i].length + 1;
    const end = Int32Array.from(endOf);
    return (this.index = { paths, lower, text: lower.join('\0'), starts, end, id });
  }

  /**
   * The paths of every change layer `layer` made, largest first (bytes written, then size, then path): the
   * non-interactive form of the tree. Only the paths and two numbers each are kept to sort them: `explore --json`
   * makes each entry (`entry(path, layer)`) as it prints it, so a 45k-change layer never holds 45k entries at once.
   */
  changedPaths(layer: number): string[] {
    const paths: string[] = [];
    const changed: number[] = [];
    const size: number[] = [];
    for (const [path, versions] of this.histories) {
      if (!versions.some((v) => v.layer === layer && !v.promoted)) continue;
      const e = this.entry(path, layer);
      if (!e) continue;
      paths.push(path);
      changed.push(e.changedBytes);
      size.push(e.sizeBytes);
    }
    const order = paths.map((_, i) => i);
    order.sort((a, b) => changed[b] - changed[a] || size[b] - size[a] || (paths[a] < paths[b] ? -1 : 1));
    return order.map((i) => paths[i]);
  }
}
