// The union filesystem: layers applied in order with OCI whiteout rules, recording every regular-file byte that
// stops being visible, with its cause. Whiteouts of a layer act before its entries (they only ever hide lower
// layers); `.wh..wh..opq` hides every lower child of its directory wherever it sits in the tar; a file replacing
// a directory removes the directory's subtree, and a directory replacing a file removes the file.
//
// Parent components that are symlinks are followed (as an applier resolving paths inside the rootfs would), so
// `bin/x` over a merged-usr `bin -> usr/bin` lands on `usr/bin/x`. Diffs made from a filesystem never need it.
// Layers an applier would fail on are applied as far as they make sense: a file under a file, or under a symlink
// loop, replaces the non-directory in its way by a directory.
//
// Hardlinks are names, not files: a hardlink entry gives the inode of its target (which may come from any lower
// layer, as an applier links to the file already in the rootfs) one more name. The bytes belong to the layer
// whose regular-file entry wrote them, and they stay visible while any name of the inode does:
// - at any time exactly one name of a live inode is a `file` node holding its size and content hash (the
//   holder); the other names are `hardlink` nodes of size 0, so everything that sums `file` nodes (final bytes,
//   duplicates, top files, directories, packages, junk) counts the bytes once;
// - when the holder's name goes (deleted, overwritten, its directory replaced) while other names remain, one of
//   them becomes the holder: nothing is wasted, and the path of the bytes changes;
// - when the last name goes, the bytes are wasted once, with the cause of that last removal.
// So Σ regular-file bytes of all layers = final file bytes + wasted bytes holds with hardlinks too. A hardlink
// whose target is missing, a directory or a symlink stays a size-0 `hardlink` node (an applier would fail or
// link the symlink itself; neither holds file bytes).
import { normalizePath, type DeviceNumbers } from '../image/tar-header.js';
import { ChildLists, NONE, u8 } from './columns.js';
import { NodeTable } from './node-table.js';
import type { PathIndex } from './path-index.js';
import type { EntryList } from './entry-list.js';
import type { ScanKind } from './scan-layer.js';

/** Symlinks followed in resolving one path before it is a loop, as Linux counts them (ELOOP). */
const MAX_SYMLINK_HOPS = 40;
/** Thrown through the resolution of a path that meets a symlink loop, to its first link (resolveUncached). */
const SYMLINK_LOOP = Symbol('symlink loop');

export type WasteCause = 'deleted' | 'overwrittenChanged' | 'overwrittenSameContent';

export interface FsNode {
  /** Layer that wrote this entry (for implicit directories: the layer that needed them). */
  layer: number;
  kind: Exclude<ScanKind, 'whiteout' | 'opaque'>;
  size: number;
  /** Content sha256 as binary (see ScanEntry.sha). */
  sha?: string;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch, as the tar says (absent for implicit directories). */
  mtime?: number;
  link?: string;
  /** Extended attributes (name -> raw value), when the tar carried any. */
  xattrs?: Record<string, string>;
  /** A character or block device's numbers (kind `other`; its mode's format bits tell which, or a FIFO). */
  device?: DeviceNumbers;
  /** The tar had no entry for this directory; it exists because something below it does. */
  implicit?: boolean;
  /**
   * For a name of a hardlinked inode other than the file entry that wrote it: that entry's node, which stands
   * for the inode (see the header). Absent on a plain file, which is its own inode.
   */
  inode?: FsNode;
}

const NO_NAMES: readonly string[] = [];

/** The node standing for the inode of a file or hardlink node. */
export function inodeOf(node: FsNode): FsNode {
  return node.inode ?? node;
}

/** Regular-file bytes that are no longer visible. */
export interface WasteEvent {
  path: string;
  /** The layer holding the bytes. */
  layer: number;
  sizeBytes: number;
  cause: WasteCause;
  /** The layer that hid them. */
  byLayer: number;
  /**
   * For overwrittenSameContent, what the metadata-only copy changed: the changed fields of `MetadataKind`
   * joined by `+` in that order (`mode`, `owner`, `mode+owner`, `xattrs`, `mode+mtime`...), or `none` for a
   * byte-for-byte identical re-add.
   */
  change?: string;
}

/** Metadata a same-content copy can change, in the order a change kind names them. */
export type MetadataKind = 'mode' | 'owner' | 'xattrs' | 'mtime';

export function sameXattrs(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  return ka.every((k) => b![k] === a![k]);
}

/** What differs between two nodes' metadata (permission bits only: the type bits are the kind). */
export function metadataChanges(a: FsNode, b: FsNode): MetadataKind[] {
  const out: MetadataKind[] = [];
  if ((a.mode & 0o7777) !== (b.mode & 0o7777)) out.push('mode');
  if (a.uid !== b.uid || a.gid !== b.gid) out.push('owner');
  if (!sameXattrs(a.xattrs, b.xattrs)) out.push('xattrs');
  if (a.mtime !== b.mtime) out.push('mtime');
  return out;
}

export interface LayerChanges {
  added: { files: number; bytes: number };
  modified: { files: number; bytes: number };
  removed: { files: number; bytes: number };
}

/**
 * Told about every change to the union as it happens, for views that need the history of each path (explore):
 * the union itself keeps only the current state.
 */
export interface UnionObserver {
  /** `node` now sits at `path` in `layer`, replacing `old` when there was something there. */
  put(path: string, node: FsNode, old: FsNode | undefined, layer: number): void;
  /**
   * `old` left `path` in `layer` (whiteout, opaque directory, or its parent was replaced). `bytesKept`: `old` held
   * its inode's bytes and another name holds them from now on, so the removal freed none of them.
   */
  remove(path: string, old: FsNode, layer: number, bytesKept: boolean): void;
  /**
   * `holder`, a regular file, now sits at `path` in `layer` in place of a hardlink node of the same inode: the name
   * that held the bytes went, so this one holds them now. Not a change the layer made to `path` (its tar need not
   * name it); only where the union keeps the bytes. `from`: the name that held them until now.
   */
  promote(path: string, holder: FsNode, layer: number, from: string): void;
  /** Regular-file bytes that stopped being visible (the same events as `UnionFs.events`). */
  waste(event: WasteEvent): void;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function newChanges(): LayerChanges {
  return { added: { files: 0, bytes: 0 }, modified: { files: 0, bytes: 0 }, removed: { files: 0, bytes: 0 } };
}

export class UnionFs {
  /** 1 for a directory (the root '' always is one), by path id: the paths with a list of `children`. */
  private dirs = u8();
  private children = new ChildLists();
  readonly events: WasteEvent[] = [];
  readonly changes: LayerChanges[] = [];
  private current = -1;
  /** resolveDir results; valid until a symlink is added or removed (only symlinks change resolution). */
  private readonly resolved = new Map<string, string>();
  /** Live names of every inode that has ever had a hardlink (others have exactly one name: their path). */
  private readonly names = new Map<FsNode, Set<string>>();
  /**
   * Paths the current layer emptied so far, with the file bytes it counted as removed for each (-1: none counted).
   * A layer whose whiteout or opaque directory removes a path and which then writes that path again changed it: it
   * counts as modified, not as removed and added (explore's tree shows the layer's net result the same way).
   */
  private readonly emptiedNow = new Map<string, number>();

  constructor(
    private readonly observer?: UnionObserver,
    /**
     * path -> node, in columns (see node-table.ts: `get` builds a new object for most nodes, so compare nodes by
     * their fields, not by identity).
     */
    readonly nodes = new NodeTable(),
  ) {
    this.dirs.set(this.paths.id(''), 1);
  }

  private get paths(): PathIndex {
    return this.nodes.paths;
  }

  /** The path's id when it is a directory. */
  private dirId(path: string): number | undefined {
    const id = this.paths.find(path);
    return id !== undefined && this.dirs.get(id) === 1 ? id : undefined;
  }

  /** Whether `path` is a directory with nothing under it. */
  isEmptyDir(path: string): boolean {
    const id = this.dirId(path);
    return id !== undefined && this.children.firstChild(id) === NONE;
  }

  /** Applies one layer: its whiteouts first, then its entries in tar order. */
  applyLayer(layer: number, entries: EntryList): void {
    this.current = layer;
    this.changes[layer] = newChanges();
    this.emptiedNow.clear();
    for (let i = 0; i < entries.length; i++) {
      const kind = entries.kind(i);
      if (kind === 'opaque') this.opaque(entries.path(i), layer);
      else if (kind === 'whiteout') this.whiteout(entries.path(i), layer);
    }
    for (let i = 0; i < entries.length; i++) {
      const kind = entries.kind(i);
      if (kind === 'opaque' || kind === 'whiteout') continue;
      const e = entries.entry(i);
      const node: FsNode = {
        layer,
        kind,
        size: e.size,
        sha: e.sha,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        mtime: e.mtime,
      };
      if (e.link !== undefined) node.link = e.link;
      if (e.xattrs !== undefined) node.xattrs = e.xattrs;
      if (e.device !== undefined) node.device = e.device;
      if (kind === 'hardlink') this.link(e.path, node, layer);
      else this.put(e.path, node, layer);
    }
  }

  /** A hardlink entry: one more name for the inode at its target, or a dangling size-0 node. */
  private link(rawPath: string, node: FsNode, layer: number): void {
    const target = this.fix(node.link ?? '');
    const path = this.fix(rawPath);
    const found = this.nodes.get(target);
    if (found === undefined || target === path || !(found.kind === 'file' || found.inode)) {
      this.put(rawPath, node, layer);
      return;
    }
    // The inode is known by identity from now on (`names`, other names' `inode`): a plain file becomes an object.
    const inode = found.inode ?? this.nodes.pin(target)!;
    let names = this.names.get(inode);
    if (!names) this.names.set(inode, (names = new Set([target])));
    // The inode is known now; put() may remove a name of this very inode at `path` before the link lands there.
    node.inode = inode;
    this.put(rawPath, node, layer);
    this.names.get(inode)?.add(path);
  }

  private resolveDir(dir: string, depth = 0): string {
    if (dir === '') return '';
    if (depth === 0) {
      const hit = this.resolved.get(dir);
      if (hit !== undefined) return hit;
      const result = this.resolveUncached(dir, 0);
      this.resolved.set(dir, result);
      return result;
    }
    return this.resolveUncached(dir, depth);
  }

  private resolveUncached(dir: string, depth: number): string {
    let cur = '';
    for (const comp of dir.split('/')) {
      let next = cur === '' ? comp : `${cur}/${comp}`;
      if (this.nodes.kindOf(next) === 'symlink') {
        // Linux's limit (ELOOP): a loop (`a -> b`, `b -> a`) never ends, and where the hops ran out decided where the
        // entry landed (`b/x` for a layer's `a/x`, a path it never named).
        if (depth >= MAX_SYMLINK_HOPS) throw SYMLINK_LOOP;
        const target = this.nodes.get(next)!.link ?? '';
        const joined = normalizePath(target.startsWith('/') ? target : `${cur}/${target}`);
        try {
          next = this.resolveDir(joined, depth + 1);
        } catch (error) {
          if (error !== SYMLINK_LOOP || depth > 0) throw error;
          // An applier fails the layer here (ELOOP); the union keeps going, as with a file under a file: the link is a
          // non-directory in the way of the path the entry names, which ensureDir replaces by a directory.
        }
      }
      cur = next;
    }
    return cur;
  }

  /**
   * A path as the filesystem resolves it: parent directories that are symlinks followed, so that `lib/x.so` is
   * found at `usr/lib/x.so` under a merged /usr (package databases list the paths the package shipped).
   */
  resolvePath(path: string): string {
    return this.nodes.has(path) ? path : this.fix(path);
  }

  private fix(path: string): string {
    const parent = dirname(path);
    const resolved = this.resolveDir(parent);
    if (resolved === parent) return path;
    return resolved ? `${resolved}/${basename(path)}` : basename(path);
  }

  /**
   * `node` left `path`. `emptied`: nothing takes its place in this layer (a whiteout, an opaque directory, or a
   * directory above it replaced), so the layer counts a removed file; a file replaced in place is a modification.
   */
  private gone(
    node: FsNode,
    path: string,
    cause: WasteCause,
    byLayer: number,
    emptied: boolean,
    replacement?: FsNode,
  ): void {
    if (node.kind !== 'file' && !node.inode) return;
    const inode = inodeOf(node);
    const names = this.names.get(inode);
    if (names) {
      names.delete(path);
      if (names.size > 0) {
        // Other names keep the bytes alive; if this one held them, the next name holds them now.
        if (node.kind === 'file') this.promote(names.values().next().value as string, inode, byLayer, path);
        return;
      }
      this.names.delete(inode);
    }
    if (node.kind !== 'file') return; // the last name is always the holder; a dangling link holds nothing
    if (emptied) {
      const c = this.changes[byLayer];
      if (c) {
        c.removed.files++;
        c.removed.bytes += node.size;
        this.emptiedNow.set(path, node.size);
      }
    }
    if (node.size <= 0) return;
    const event: WasteEvent = { path, layer: node.layer, sizeBytes: node.size, cause, byLayer };
    if (cause === 'overwrittenSameContent' && replacement) {
      event.change = metadataChanges(node, replacement).join('+') || 'none';
    }
    this.events.push(event);
    this.observer?.waste(event);
  }

  /** Whether `node`, about to leave `path`, holds bytes that another name of its inode will go on holding. */
  private keptByAnotherName(node: FsNode, path: string): boolean {
    if (node.kind !== 'file') return false;
    const names = this.names.get(inodeOf(node));
    return names !== undefined && (names.size > 1 || !names.has(path));
  }

  /**
   * The other live names of the inode whose file node is at `path` (none for a file with one name). The junk pass
   * asks it for nearly every file: in an image without hardlinks it returns at once and allocates nothing. `id`: the
   * path's id, when the caller has it.
   */
  otherNames(path: string, id?: number): readonly string[] {
    if (this.names.size === 0) return NO_NAMES;
    // An inode with names is known by identity, so kept as an object: a file stored in the columns has one name.
    const node = this.nodes.objectAt(path, id);
    const names = node && this.names.get(inodeOf(node));
    return names ? [...names].filter((n) => n !== path) : NO_NAMES;
  }

  /**
   * The name holding the bytes (the `file` node) of the inode whose hardlink is at `path`; undefined when none does.
   * Not `otherNames(path).find(...)`: a diff asks this for every link, and copying all the inode's names each time
   * made 20,000 links to one file a quadratic run of minutes. The holder is the inode's first name (a promoted one
   * too), so this mostly stops at once.
   */
  holderName(path: string): string | undefined {
    if (this.names.size === 0) return undefined;
    const node = this.nodes.objectAt(path);
    const names = node && this.names.get(inodeOf(node));
    if (!names) return undefined;
    for (const name of names) if (name !== path && this.nodes.kindOf(name) === 'file') return name;
    return undefined;
  }

  private promote(path: string, inode: FsNode, layer: number, from: string): void {
    const link = this.nodes.get(path)!;
    const holder: FsNode = { ...link, kind: 'file', size: inode.size, sha: inode.sha, layer: inode.layer, inode };
    delete holder.link;
    this.nodes.set(path, holder);
    this.observer?.promote(path, holder, layer, from);
  }

  /** Makes `dir` and its missing ancestors directories; returns the id of `dir`. */
  private ensureDir(dir: string, layer: number): number {
    // A loop, not recursion: an image may hold a 10,000-deep path, deeper than the call stack.
    const missing: string[] = [];
    let parentId: number | undefined;
    for (let d = dir; (parentId = this.dirId(d)) === undefined; d = dirname(d)) missing.push(d);
    for (let i = missing.length - 1; i >= 0; i--) {
      const path = missing[i];
      const id = this.paths.id(path);
      const old = this.nodes.getAt(id);
      // A non-directory in the way is replaced; a path this layer emptied is written again.
      if (old?.kind === 'symlink') this.resolved.clear();
      if (old !== undefined) this.gone(old, path, 'overwrittenChanged', layer, false);
      else this.writtenAgain(path, layer);
      const node: FsNode = { layer, kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, implicit: true };
      this.nodes.setAt(id, node);
      this.observer?.put(path, node, old, layer);
      this.dirs.set(id, 1);
      // A path is in its directory's list while it has a node (the one in the way was).
      if (old === undefined) this.children.add(parentId, id);
      parentId = id;
    }
    return parentId;
  }

  private removeSubtree(path: string, cause: WasteCause, byLayer: number, keepSelf = false): void {
    const stack = [path];
    while (stack.length) {
      const p = stack.pop()!;
      const id = this.dirId(p);
      if (id !== undefined) {
        this.dirs.set(id, 0);
        // In the order they were added (a list is built at its head), as the union has always visited them.
        const children = this.children.detachAll(id);
        for (let i = children.length - 1; i >= 0; i--) stack.push(this.paths.path(children[i]));
      }
      if (p === path && keepSelf) continue;
      const rec = this.nodes.get(p);
      if (rec !== undefined) {
        if (rec.kind === 'symlink') this.resolved.clear();
        this.nodes.delete(p);
        this.observer?.remove(p, rec, byLayer, this.keptByAnotherName(rec, p));
        // Below the path, everything is gone, whatever replaced the path itself (a file or symlink over a directory
        // removes its files as surely as a whiteout does); the path itself is removed only by a deletion.
        const emptied = cause === 'deleted' || p !== path;
        if (emptied) this.emptiedNow.set(p, -1);
        this.gone(rec, p, cause, byLayer, emptied);
      }
    }
    const id = this.paths.id(path);
    if (keepSelf) this.dirs.set(id, 1);
    else this.children.remove(this.paths.id(dirname(path)), id);
  }

  private whiteout(path: string, layer: number): void {
    const p = this.fix(path);
    // A bare `.wh.` names the root, which no layer can remove (`.wh..wh..opq` is how a layer hides everything).
    if (p === '') return;
    if (this.nodes.has(p) || this.dirId(p) !== undefined) this.removeSubtree(p, 'deleted', layer);
  }

  private opaque(dir: string, layer: number): void {
    const d = this.resolveDir(dir);
    if (this.dirId(d) !== undefined) this.removeSubtree(d, 'deleted', layer, true);
  }

  /** Whether `path`, empty now, was emptied earlier in `layer` (then it is not removed after all). */
  private writtenAgain(path: string, layer: number): boolean {
    const counted = this.emptiedNow.get(path);
    if (counted === undefined) return false;
    this.emptiedNow.delete(path);
    if (counted >= 0) {
      this.changes[layer].removed.files--;
      this.changes[layer].removed.bytes -= counted;
    }
    return true;
  }

  private put(rawPath: string, rec: FsNode, layer: number): void {
    const path = this.fix(rawPath);
    const id = this.paths.id(path);
    const old = this.nodes.getAt(id);
    const changes = this.changes[layer];
    if (old !== undefined) {
      if (old.kind === 'dir' && rec.kind === 'dir') {
        this.nodes.setAt(id, rec); // directories merge; children stay
        this.observer?.put(path, rec, old, layer);
        return;
      }
      if (rec.kind === 'file') {
        changes.modified.files++;
        changes.modified.bytes += rec.size;
      }
      if (old.kind === 'dir') {
        this.removeSubtree(path, 'overwrittenChanged', layer);
      } else {
        const same = old.kind === 'file' && rec.kind === 'file' && old.sha === rec.sha;
        const kept = this.keptByAnotherName(old, path);
        this.gone(old, path, same ? 'overwrittenSameContent' : 'overwrittenChanged', layer, false, rec);
        if (old.kind === 'symlink') this.resolved.clear();
        this.nodes.deleteAt(id);
        this.observer?.remove(path, old, layer, kept);
      }
    } else if (this.writtenAgain(path, layer)) {
      if (rec.kind === 'file') {
        changes.modified.files++;
        changes.modified.bytes += rec.size;
      }
    } else if (rec.kind === 'file') {
      changes.added.files++;
      changes.added.bytes += rec.size;
    }
    const parentId = this.ensureDir(dirname(path), layer);
    // Still in its directory's list when a non-directory was replaced (a directory left it with its subtree).
    if (old === undefined || old.kind === 'dir') this.children.add(parentId, id);
    if (rec.kind === 'symlink') this.resolved.clear();
    this.nodes.setAt(id, rec);
    this.observer?.put(path, rec, undefined, layer);
    if (rec.kind === 'dir') this.dirs.set(id, 1);
  }

  /**
   * An independent copy of this state, to apply different upper layers to (diff: two images sharing their lower
   * layers apply them once). Nodes, events and past layers' changes are never mutated once written, so they are
   * shared; the containers and the directory child sets are copied.
   */
  clone(paths = this.paths.clone()): UnionFs {
    const copy = new UnionFs(undefined, this.nodes.clone(paths));
    copy.dirs = this.dirs.clone();
    copy.children = this.children.clone();
    for (const [inode, names] of this.names) copy.names.set(inode, new Set(names));
    // One by one, not push(...): a layer deleting 200,000 files leaves more events than a call takes arguments.
    for (const event of this.events) copy.events.push(event);
    for (const c of this.changes)
      copy.changes.push({ added: { ...c.added }, modified: { ...c.modified }, removed: { ...c.removed } });
    copy.current = this.current;
    return copy;
  }

  /** The layer currently being applied (for diagnostics). */
  get layer(): number {
    return this.current;
  }
}
