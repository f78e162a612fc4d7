// The union filesystem: layers applied in order with OCI whiteout rules, recording every regular-file byte that
// stops being visible, with its cause. Whiteouts of a layer act before its entries (they only ever hide lower
// layers); `.wh..wh..opq` hides every lower child of its directory wherever it sits in the tar; a file replacing
// a directory removes the directory's subtree, and a directory replacing a file removes the file.
//
// Parent components that are symlinks are followed (as an applier resolving paths inside the rootfs would), so
// `bin/x` over a merged-usr `bin -> usr/bin` lands on `usr/bin/x`. Diffs made from a filesystem never need it.
import type { ScanEntry, ScanKind } from './scan-layer.js';

export type WasteCause = 'deleted' | 'overwrittenChanged' | 'overwrittenSameContent';

export interface FsNode {
  /** Layer that wrote this entry (for implicit directories: the layer that needed them). */
  layer: number;
  kind: Exclude<ScanKind, 'whiteout' | 'opaque'>;
  size: number;
  sha?: string;
  mode: number;
  uid: number;
  gid: number;
  link?: string;
  /** Extended attributes (name -> raw value), when the tar carried any. */
  xattrs?: Record<string, string>;
  /** The tar had no entry for this directory; it exists because something below it does. */
  implicit?: boolean;
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
  /** For overwrittenSameContent: what changed (mode / owner / nothing = touch or re-copy). */
  change?: 'mode' | 'owner' | 'mode+owner' | 'none';
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
  /** `old` left `path` in `layer` (whiteout, opaque directory, or its parent was replaced). */
  remove(path: string, old: FsNode, layer: number): void;
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

/** posixpath.normpath for absolute paths, then stripped of its leading slash. */
function normalizeJoined(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function newChanges(): LayerChanges {
  return { added: { files: 0, bytes: 0 }, modified: { files: 0, bytes: 0 }, removed: { files: 0, bytes: 0 } };
}

export class UnionFs {
  /** path -> node; a directory exists iff its path is a key of `kids` (the root '' always is). */
  readonly nodes = new Map<string, FsNode>();
  readonly kids = new Map<string, Set<string>>([['', new Set()]]);
  readonly events: WasteEvent[] = [];
  readonly changes: LayerChanges[] = [];
  private current = -1;
  /** resolveDir results; valid until a symlink is added or removed (only symlinks change resolution). */
  private readonly resolved = new Map<string, string>();

  constructor(private readonly observer?: UnionObserver) {}

  /** Applies one layer: its whiteouts first, then its entries in tar order. */
  applyLayer(layer: number, entries: ScanEntry[]): void {
    this.current = layer;
    this.changes[layer] = newChanges();
    for (const e of entries) {
      if (e.kind === 'opaque') this.opaque(e.path, layer);
      else if (e.kind === 'whiteout') this.whiteout(e.path, layer);
    }
    for (const e of entries) {
      if (e.kind === 'opaque' || e.kind === 'whiteout') continue;
      const node: FsNode = { layer, kind: e.kind, size: e.size, sha: e.sha, mode: e.mode, uid: e.uid, gid: e.gid };
      if (e.link !== undefined) node.link = e.link;
      if (e.xattrs !== undefined) node.xattrs = e.xattrs;
      this.put(e.path, node, layer);
    }
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
      const rec = this.nodes.get(next);
      if (rec !== undefined && rec.kind === 'symlink' && depth < 40) {
        const target = rec.link ?? '';
        const joined = target.startsWith('/') ? normalizeJoined(target) : normalizeJoined(`/${cur}/${target}`);
        next = this.resolveDir(joined, depth + 1);
      }
      cur = next;
    }
    return cur;
  }

  private fix(path: string): string {
    const parent = dirname(path);
    const resolved = this.resolveDir(parent);
    if (resolved === parent) return path;
    return resolved ? `${resolved}/${basename(path)}` : basename(path);
  }

  private gone(node: FsNode, path: string, cause: WasteCause, byLayer: number, replacement?: FsNode): void {
    if (node.kind !== 'file') return;
    if (cause === 'deleted') {
      const c = this.changes[byLayer];
      if (c) {
        c.removed.files++;
        c.removed.bytes += node.size;
      }
    }
    if (node.size <= 0) return;
    const event: WasteEvent = { path, layer: node.layer, sizeBytes: node.size, cause, byLayer };
    if (cause === 'overwrittenSameContent' && replacement) {
      const mode = (node.mode & 0o7777) !== (replacement.mode & 0o7777);
      const owner = node.uid !== replacement.uid || node.gid !== replacement.gid;
      event.change = mode && owner ? 'mode+owner' : mode ? 'mode' : owner ? 'owner' : 'none';
    }
    this.events.push(event);
    this.observer?.waste(event);
  }

  private ensureDir(dir: string, layer: number): void {
    // A loop, not recursion: an image may hold a 10,000-deep path, deeper than the call stack.
    const missing: string[] = [];
    for (let d = dir; !this.kids.has(d); d = dirname(d)) missing.push(d);
    for (let i = missing.length - 1; i >= 0; i--) {
      const path = missing[i];
      const old = this.nodes.get(path);
      if (old !== undefined) this.gone(old, path, 'overwrittenChanged', layer); // a non-directory is in the way
      const node: FsNode = { layer, kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, implicit: true };
      this.nodes.set(path, node);
      this.observer?.put(path, node, old, layer);
      this.kids.set(path, new Set());
      this.kids.get(dirname(path))!.add(path);
    }
  }

  private removeSubtree(path: string, cause: WasteCause, byLayer: number, keepSelf = false): void {
    const stack = [path];
    while (stack.length) {
      const p = stack.pop()!;
      const children = this.kids.get(p);
      if (children !== undefined) {
        this.kids.delete(p);
        for (const k of children) stack.push(k);
      }
      if (p === path && keepSelf) continue;
      const rec = this.nodes.get(p);
      if (rec !== undefined) {
        if (rec.kind === 'symlink') this.resolved.clear();
        this.nodes.delete(p);
        this.observer?.remove(p, rec, byLayer);
        this.gone(rec, p, cause, byLayer);
      }
    }
    if (keepSelf) this.kids.set(path, new Set());
    else this.kids.get(dirname(path))?.delete(path);
  }

  private whiteout(path: string, layer: number): void {
    const p = this.fix(path);
    if (this.nodes.has(p) || this.kids.has(p)) this.removeSubtree(p, 'deleted', layer);
  }

  private opaque(dir: string, layer: number): void {
    const d = this.resolveDir(dir);
    if (this.kids.has(d)) this.removeSubtree(d, 'deleted', layer, true);
  }

  private put(rawPath: string, rec: FsNode, layer: number): void {
    const path = this.fix(rawPath);
    const old = this.nodes.get(path);
    const changes = this.changes[layer];
    if (old !== undefined) {
      if (old.kind === 'dir' && rec.kind === 'dir') {
        this.nodes.set(path, rec); // directories merge; children stay
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
        this.gone(old, path, same ? 'overwrittenSameContent' : 'overwrittenChanged', layer, rec);
        if (old.kind === 'symlink') this.resolved.clear();
        this.nodes.delete(path);
        this.observer?.remove(path, old, layer);
      }
    } else if (rec.kind === 'file') {
      changes.added.files++;
      changes.added.bytes += rec.size;
    }
    const parent = dirname(path);
    this.ensureDir(parent, layer);
    this.kids.get(parent)!.add(path);
    if (rec.kind === 'symlink') this.resolved.clear();
    this.nodes.set(path, rec);
    this.observer?.put(path, rec, undefined, layer);
    if (rec.kind === 'dir' && !this.kids.has(path)) this.kids.set(path, new Set());
  }

  /**
   * An independent copy of this state, to apply different upper layers to (diff: two images sharing their lower
   * layers apply them once). Nodes, events and past layers' changes are never mutated once written, so they are
   * shared; the containers and the directory child sets are copied.
   */
  clone(): UnionFs {
    const copy = new UnionFs();
    for (const [path, node] of this.nodes) copy.nodes.set(path, node);
    for (const [dir, children] of this.kids) copy.kids.set(dir, new Set(children));
    copy.events.push(...this.events);
    for (const c of this.changes) copy.changes.push({ added: { ...c.added }, modified: { ...c.modified }, removed: { ...c.removed } });
    copy.current = this.current;
    return copy;
  }

  /** The layer currently being applied (for diagnostics). */
  get layer(): number {
    return this.current;
  }
}
