// The union filesystem's path -> node map, stored as columns. At a million files an FsNode object per path (about
// 90 bytes) and its content hash as a string (48 bytes) were most of the union's memory, and every live object
// also costs the garbage collector's headroom. Here a plain node is a row of typed-array columns at its path's id
// (path-index.ts), with its hash as 32 bytes: about 60 bytes, outside the JS heap. `get` builds the FsNode when
// asked; those objects are short-lived.
//
// Nodes with anything beyond the plain fields (a link target, xattrs, device numbers, an implicit directory, a hardlink's inode,
// numbers out of the columns' range) are kept as the objects they are, and so is a node another node refers to
// (`pin`: the inode of a hardlink group), so identity holds where the union relies on it.
import { f64, u16, u32, u8 } from './columns.js';
import { PathIndex } from './path-index.js';
import type { FsNode } from './union.js';

type Kind = FsNode['kind'];
const KINDS: readonly Kind[] = ['file', 'dir', 'symlink', 'hardlink', 'other'];
const KIND_CODE: Record<Kind, number> = { file: 0, dir: 1, symlink: 2, hardlink: 3, other: 4 };
const KIND_MASK = 0x0f;
/** The node is the object in `objects`. */
const OBJECT = 0x80;
/** Set on every plain node, so that a tag of 0 means no node. */
const PRESENT = 0x10;
const HAS_SHA = 0x40;
const HAS_MTIME = 0x20;

const SHA_BYTES = 32;
const SHA_PAGE = 4096;

const isU32 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
const isU16 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffff;

/** 32-byte binary hashes per id, in Buffer pages (a binary string of 32 characters takes 48 bytes on the heap). */
class ShaColumn {
  private pages: Buffer[] = [];

  set(id: number, sha: string): void {
    while (this.pages.length <= Math.floor(id / SHA_PAGE))
      this.pages.push(Buffer.allocUnsafeSlow(SHA_PAGE * SHA_BYTES));
    this.pages[Math.floor(id / SHA_PAGE)].write(sha, (id % SHA_PAGE) * SHA_BYTES, SHA_BYTES, 'latin1');
  }

  /** The hash's first 4 bytes as a number. */
  prefix(id: number): number {
    return this.pages[Math.floor(id / SHA_PAGE)].readUInt32BE((id % SHA_PAGE) * SHA_BYTES);
  }

  get(id: number): string {
    const at = (id % SHA_PAGE) * SHA_BYTES;
    return this.pages[Math.floor(id / SHA_PAGE)].toString('latin1', at, at + SHA_BYTES);
  }

  clone(): ShaColumn {
    const copy = new ShaColumn();
    copy.pages = this.pages.map((p) => Buffer.from(p));
    return copy;
  }
}

/**
 * A Map<path, FsNode> over path ids. Iteration is in path id order: the order paths were first seen (a Map would
 * move a deleted path that comes back to the end).
 */
export class NodeTable implements Iterable<[string, FsNode]> {
  private objects = new Map<number, FsNode>();
  private count = 0;
  /** 0: no node at this path. */
  private tag = u8();
  private layer = u16();
  private bytes = f64();
  private mode = u16();
  private uid = u32();
  private gid = u32();
  private mtime = u32();
  private sha = new ShaColumn();

  constructor(readonly paths = new PathIndex()) {}

  get size(): number {
    return this.count;
  }

  /** The path's id when a node is there. */
  idOf(path: string): number | undefined {
    const id = this.paths.find(path);
    return id !== undefined && this.tag.get(id) !== 0 ? id : undefined;
  }

  has(path: string): boolean {
    return this.idOf(path) !== undefined;
  }

  get(path: string): FsNode | undefined {
    const id = this.idOf(path);
    return id === undefined ? undefined : this.at(id);
  }

  /** The node's kind, without building it. */
  kindOf(path: string): Kind | undefined {
    const id = this.idOf(path);
    if (id === undefined) return undefined;
    const tag = this.tag.get(id);
    return tag & OBJECT ? this.objects.get(id)!.kind : KINDS[tag & KIND_MASK];
  }

  set(path: string, node: FsNode): this {
    this.setAt(this.paths.id(path), node);
    return this;
  }

  delete(path: string): boolean {
    const id = this.idOf(path);
    if (id === undefined) return false;
    this.deleteAt(id);
    return true;
  }

  /**
   * A regular file's size and layer without building its node (whose hash would be a new string each time): for
   * the passes over every file. Undefined when the path holds no regular file.
   */
  file(path: string): { size: number; layer: number } | undefined {
    const id = this.idOf(path);
    return id === undefined ? undefined : this.fileAt(id);
  }

  /** `file` by the path's id (see idOf). */
  fileAt(id: number): { size: number; layer: number } | undefined {
    const tag = this.tag.get(id);
    if (tag === 0) return undefined;
    if (tag & OBJECT) {
      const node = this.objects.get(id)!;
      return node.kind === 'file' ? { size: node.size, layer: node.layer } : undefined;
    }
    return (tag & KIND_MASK) === KIND_CODE.file ? { size: this.bytes.get(id), layer: this.layer.get(id) } : undefined;
  }

  /** Every regular file's path, size, layer and path id, in id order (see `file`). */
  forEachFile(fn: (path: string, size: number, layer: number, id: number) => void): void {
    for (let id = 0; id < this.paths.size; id++) {
      const tag = this.tag.get(id);
      if (tag === 0) continue;
      if (tag & OBJECT) {
        const node = this.objects.get(id)!;
        if (node.kind === 'file') fn(this.paths.path(id), node.size, node.layer, id);
      } else if ((tag & KIND_MASK) === KIND_CODE.file)
        fn(this.paths.path(id), this.bytes.get(id), this.layer.get(id), id);
    }
  }

  /**
   * Whether a node other than a directory has the base name `name`, anywhere: one pass over every path, each made a
   * string, so for a question asked at most once per image (is there a Yarn `.pnp.cjs`?).
   */
  someNamed(name: string): boolean {
    const tail = `/${name}`;
    for (let id = 0; id < this.paths.size; id++) {
      const tag = this.tag.get(id);
      if (tag === 0) continue;
      const kind = tag & OBJECT ? this.objects.get(id)!.kind : KINDS[tag & KIND_MASK];
      if (kind === 'dir') continue;
      const path = this.paths.path(id);
      if (path === name || path.endsWith(tail)) return true;
    }
    return false;
  }

  /** The node at a path id, if there is one (the union works with ids to look each path up once). */
  getAt(id: number): FsNode | undefined {
    return this.tag.get(id) === 0 ? undefined : this.at(id);
  }

  setAt(id: number, node: FsNode): void {
    if (this.tag.get(id) === 0) this.count++;
    else this.objects.delete(id);
    this.store(id, node);
  }

  deleteAt(id: number): void {
    if (this.tag.get(id) === 0) return;
    this.tag.set(id, 0);
    this.objects.delete(id);
    this.count--;
  }

  /**
   * The node at `path` as an object that stays the node there (the same object on every `get`) until the path is
   * set again or deleted: for nodes that others refer to by identity.
   */
  pin(path: string): FsNode | undefined {
    const id = this.idOf(path);
    if (id === undefined) return undefined;
    const node = this.at(id);
    this.objects.set(id, node);
    this.tag.set(id, this.tag.get(id) | OBJECT);
    return node;
  }

  /**
   * The node at `path` if it is kept as an object (pinned, or with fields the columns do not hold), without building
   * one: only such a node can be known by identity. `id`: the path's, when the caller has it (no lookup).
   */
  objectAt(path: string, id = this.idOf(path)): FsNode | undefined {
    return id !== undefined && this.tag.get(id) & OBJECT ? this.objects.get(id) : undefined;
  }

  /**
   * The paths of the nodes whose path starts with one of `prefixes` or ends with one of `suffixes`, in id order: the
   * bytes are tested where they are stored, and only those paths are made strings (a pass of `keys()` makes one per
   * node).
   */
  pathsWith({ prefixes = [], suffixes = [] }: { prefixes?: string[]; suffixes?: string[] }): string[] {
    const starts = prefixes.map((p) => Buffer.from(p, 'latin1'));
    const ends = suffixes.map((p) => Buffer.from(p, 'latin1'));
    const out: string[] = [];
    for (let id = 0; id < this.paths.size; id++) {
      if (this.tag.get(id) === 0) continue;
      if (starts.some((b) => this.paths.startsWith(id, b)) || ends.some((b) => this.paths.endsWith(id, b)))
        out.push(this.paths.path(id));
    }
    return out;
  }

  *keys(): IterableIterator<string> {
    for (let id = 0; id < this.paths.size; id++) if (this.tag.get(id) !== 0) yield this.paths.path(id);
  }

  *entries(): IterableIterator<[string, FsNode]> {
    for (let id = 0; id < this.paths.size; id++) if (this.tag.get(id) !== 0) yield [this.paths.path(id), this.at(id)];
  }

  [Symbol.iterator](): IterableIterator<[string, FsNode]> {
    return this.entries();
  }

  /**
   * Regular files of one byte or more whose content hash another such file has, grouped by the hash (binary):
   * ids, in id order. Memory: a Map keyed by every file's hash would be the largest thing alive at a million files,
   * so first the hashes' prefixes are marked in two bitsets of 16 slots per file (seen once, seen again), and only
   * files whose prefix was seen again go into the Map (about one in sixteen when every hash is different).
   */
  sharedContent(): Map<string, number[]> {
    let files = 0;
    for (let id = 0; id < this.paths.size; id++) if (this.hashedFile(id)) files++;
    const bits = Math.min(31, Math.max(10, Math.ceil(Math.log2(files * 16 + 1))));
    const once = new Int32Array(2 ** (bits - 5));
    const again = new Int32Array(2 ** (bits - 5));
    const slot = (id: number) => this.shaPrefix(id) >>> (32 - bits);
    for (let id = 0; id < this.paths.size; id++) {
      if (!this.hashedFile(id)) continue;
      const s = slot(id);
      const word = s >>> 5;
      const bit = 1 << (s & 31);
      if (once[word] & bit) again[word] |= bit;
      else once[word] |= bit;
    }
    const groups = new Map<string, number[]>();
    for (let id = 0; id < this.paths.size; id++) {
      if (!this.hashedFile(id)) continue;
      const s = slot(id);
      if (!(again[s >>> 5] & (1 << (s & 31)))) continue;
      const sha = this.shaOf(id);
      const group = groups.get(sha);
      if (group) group.push(id);
      else groups.set(sha, [id]);
    }
    for (const [sha, ids] of groups) if (ids.length < 2) groups.delete(sha);
    return groups;
  }

  private hashedFile(id: number): boolean {
    const tag = this.tag.get(id);
    if (tag === 0) return false;
    if (tag & OBJECT) {
      const node = this.objects.get(id)!;
      return node.kind === 'file' && node.size > 0 && node.sha !== undefined;
    }
    return (tag & KIND_MASK) === KIND_CODE.file && tag & HAS_SHA && this.bytes.get(id) > 0 ? true : false;
  }

  private shaOf(id: number): string {
    return this.tag.get(id) & OBJECT ? this.objects.get(id)!.sha! : this.sha.get(id);
  }

  private shaPrefix(id: number): number {
    if (!(this.tag.get(id) & OBJECT)) return this.sha.prefix(id);
    const sha = this.objects.get(id)!.sha!;
    let n = 0;
    for (let i = 0; i < 4; i++) n = n * 256 + (sha.charCodeAt(i) & 0xff);
    return n;
  }

  /** An independent copy over `paths`, a copy of this table's index (node objects are never mutated, so shared). */
  clone(paths = this.paths.clone()): NodeTable {
    const copy = new NodeTable(paths);
    copy.objects = new Map(this.objects);
    copy.count = this.count;
    copy.tag = this.tag.clone();
    copy.layer = this.layer.clone();
    copy.bytes = this.bytes.clone();
    copy.mode = this.mode.clone();
    copy.uid = this.uid.clone();
    copy.gid = this.gid.clone();
    copy.mtime = this.mtime.clone();
    copy.sha = this.sha.clone();
    return copy;
  }

  private store(id: number, node: FsNode): void {
    const plain =
      node.link === undefined &&
      node.xattrs === undefined &&
      node.device === undefined &&
      node.implicit === undefined &&
      node.inode === undefined &&
      (node.sha === undefined || node.sha.length === SHA_BYTES) &&
      isU16(node.layer) &&
      isU16(node.mode) &&
      (node.mtime === undefined || isU32(node.mtime)) &&
      isU32(node.uid) &&
      isU32(node.gid);
    if (!plain) {
      this.objects.set(id, node);
      this.tag.set(id, OBJECT);
      return;
    }
    let tag = PRESENT | KIND_CODE[node.kind];
    if (node.sha !== undefined) {
      tag |= HAS_SHA;
      this.sha.set(id, node.sha);
    }
    if (node.mtime !== undefined) {
      tag |= HAS_MTIME;
      this.mtime.set(id, node.mtime);
    }
    this.tag.set(id, tag);
    this.layer.set(id, node.layer);
    this.bytes.set(id, node.size);
    this.mode.set(id, node.mode);
    this.uid.set(id, node.uid);
    this.gid.set(id, node.gid);
  }

  private at(id: number): FsNode {
    const tag = this.tag.get(id);
    if (tag & OBJECT) return this.objects.get(id)!;
    return {
      layer: this.layer.get(id),
      kind: KINDS[tag & KIND_MASK],
      size: this.bytes.get(id),
      sha: tag & HAS_SHA ? this.sha.get(id) : undefined,
      mode: this.mode.get(id),
      uid: this.uid.get(id),
      gid: this.gid.get(id),
      mtime: tag & HAS_MTIME ? this.mtime.get(id) : undefined,
    };
  }
}
