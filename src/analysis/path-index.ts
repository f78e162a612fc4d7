// Paths as dense numbers, shared by everything that keeps something per path while layers are applied (the union
// filesystem's nodes and directory lists, dive's records and stacked tree), so that each of them is a row of
// typed-array columns instead of an entry in a Map of its own. Ids are never reused: a path keeps its id after it is
// deleted and when it comes back.
//
// Memory: a million paths as JS strings keyed in a Map cost about 90 bytes each on the heap (the string, the Map
// entry, a slot in an id -> path array), and the garbage collector lets the heap grow to a multiple of what is
// live. Here the path bytes sit back to back in 1 MiB pages, found through an open-addressing hash table of ids:
// about 40 bytes per path (30 of them the path itself), none of it on the heap. `path(id)` makes the string again
// when asked. Paths are binary (latin1) strings, one char per byte; the rare one that is not (a char above U+00FF),
// is 64 KiB long or more, or comes after 4 GiB of path bytes is kept as a string in a Map.
import { u16, u32 } from './columns.js';

const PAGE_BITS = 20;
const PAGE_BYTES = 1 << PAGE_BITS;
/** Length column value of a path kept in `others`. */
const OTHER = 0xffff;
const EMPTY = -1;
/** Pages a 32-bit start can address (4 GiB of path bytes); paths beyond are kept as strings. */
const MAX_PAGES = 1 << (32 - PAGE_BITS);

/** FNV-1a over the chars; -1 when a char does not fit a byte. */
function hashOf(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c > 0xff) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

export class PathIndex {
  private pages: Buffer[] = [];
  /** Bytes used in the last page. */
  private used = PAGE_BYTES;
  /** page << PAGE_BITS | offset of each path's bytes. */
  private start = u32();
  private length = u16();
  /** Ids by hash (linear probing), at most 70% full. */
  private table: Int32Array;
  private count = 0;
  private others = new Map<string, number>();
  private otherPaths = new Map<number, string>();
  /** The last two paths found: the union and dive look a path and its directory up several times in a row. */
  private lastPath: string | undefined;
  private lastId = EMPTY;
  private priorPath: string | undefined;
  private priorId = EMPTY;

  /** `expected`: the paths it will likely hold, so that its table is made at that size instead of grown to it. */
  constructor(expected = 0) {
    let slots = 1 << 10;
    while (7 * slots < 10 * expected) slots *= 2;
    this.table = new Int32Array(slots).fill(EMPTY);
  }

  /** Ids handed out so far (0..size-1). */
  get size(): number {
    return this.count;
  }

  find(path: string): number | undefined {
    if (path === this.lastPath) return this.lastId;
    if (path === this.priorPath) return this.priorId;
    return this.findHashed(path, hashOf(path));
  }

  /** `find` past the cache, with the path's hash (computed once when the path is then added). */
  private findHashed(path: string, h: number): number | undefined {
    const id = h < 0 || path.length >= OTHER ? this.others.get(path) : this.lookup(path, h);
    if (id !== undefined) this.remember(path, id);
    return id;
  }

  private remember(path: string, id: number): void {
    this.priorPath = this.lastPath;
    this.priorId = this.lastId;
    this.lastPath = path;
    this.lastId = id;
  }

  /** The path's id, given one if it has none yet. */
  id(path: string): number {
    if (path === this.lastPath) return this.lastId;
    if (path === this.priorPath) return this.priorId;
    const h = hashOf(path);
    const found = this.findHashed(path, h);
    if (found !== undefined) return found;
    const id = this.count++;
    if (h < 0 || path.length >= OTHER || (this.pages.length >= MAX_PAGES && this.used + path.length > PAGE_BYTES)) {
      this.others.set(path, id);
      this.otherPaths.set(id, path);
      this.length.set(id, OTHER);
    } else {
      if (this.pages.length === 0 || this.used + path.length > PAGE_BYTES) {
        this.pages.push(Buffer.allocUnsafeSlow(PAGE_BYTES));
        this.used = 0;
      }
      const page = this.pages.length - 1;
      if (path.length > 0) this.pages[page].write(path, this.used, 'latin1');
      this.start.set(id, (page << PAGE_BITS) | this.used);
      this.used += path.length;
      this.length.set(id, path.length);
      if (10 * (this.count - this.others.size) > 7 * this.table.length) this.grow();
      else this.insert(id, h);
    }
    this.remember(path, id);
    return id;
  }

  path(id: number): string {
    const length = this.length.get(id);
    if (length === OTHER) return this.otherPaths.get(id)!;
    const at = this.start.get(id);
    const offset = at & (PAGE_BYTES - 1);
    return this.pages[at >>> PAGE_BITS].toString('latin1', offset, offset + length);
  }

  /** The length of the path (what `path(id).length` is, without making the string). */
  pathLength(id: number): number {
    const length = this.length.get(id);
    return length === OTHER ? this.otherPaths.get(id)!.length : length;
  }

  /**
   * The code-unit (byte) order of two paths, read where they are stored instead of made into strings: the order of
   * their names when they are siblings (their bytes before the name are the same). `from` skips a prefix known to
   * be equal in both.
   */
  compare(a: number, b: number, from = 0): number {
    const la = this.length.get(a);
    const lb = this.length.get(b);
    if (la === OTHER || lb === OTHER) {
      const x = this.path(a);
      const y = this.path(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const sa = this.start.get(a);
    const sb = this.start.get(b);
    const pa = this.pages[sa >>> PAGE_BITS];
    const pb = this.pages[sb >>> PAGE_BITS];
    const oa = sa & (PAGE_BYTES - 1);
    const ob = sb & (PAGE_BYTES - 1);
    const n = Math.min(la, lb);
    for (let i = from; i < n; i++) {
      const d = pa[oa + i] - pb[ob + i];
      if (d !== 0) return d;
    }
    return la - lb;
  }

  /** Whether the path starts with `prefix` (bytes), read where it is stored. */
  startsWith(id: number, prefix: Buffer): boolean {
    return this.hasAt(id, prefix, false);
  }

  /** Whether the path ends with `suffix` (bytes), read where it is stored. */
  endsWith(id: number, suffix: Buffer): boolean {
    return this.hasAt(id, suffix, true);
  }

  private hasAt(id: number, bytes: Buffer, atEnd: boolean): boolean {
    const length = this.length.get(id);
    if (length === OTHER) {
      const path = this.otherPaths.get(id)!;
      const text = bytes.toString('latin1');
      return atEnd ? path.endsWith(text) : path.startsWith(text);
    }
    if (length < bytes.length) return false;
    const at = this.start.get(id);
    const page = this.pages[at >>> PAGE_BITS];
    const from = (at & (PAGE_BYTES - 1)) + (atEnd ? length - bytes.length : 0);
    for (let i = bytes.length - 1; i >= 0; i--) if (page[from + i] !== bytes[i]) return false;
    return true;
  }

  clone(): PathIndex {
    const copy = new PathIndex();
    // Pages before the last are full and never written again: shared. The last one is copied, as both go on
    // appending to their own.
    copy.pages = this.pages.map((p, i) => (i === this.pages.length - 1 ? Buffer.from(p) : p));
    copy.used = this.used;
    copy.start = this.start.clone();
    copy.length = this.length.clone();
    copy.table = this.table.slice();
    copy.count = this.count;
    copy.others = new Map(this.others);
    copy.otherPaths = new Map(this.otherPaths);
    return copy;
  }

  private lookup(path: string, h: number): number | undefined {
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot];
      if (id === EMPTY) return undefined;
      if (this.equals(id, path)) return id;
    }
  }

  private equals(id: number, path: string): boolean {
    if (this.length.get(id) !== path.length) return false;
    const at = this.start.get(id);
    const page = this.pages[at >>> PAGE_BITS];
    const offset = at & (PAGE_BYTES - 1);
    // From the end: paths of one directory share their start, and a table slot's neighbours often are siblings.
    for (let i = path.length - 1; i >= 0; i--) if (page[offset + i] !== path.charCodeAt(i)) return false;
    return true;
  }

  /** hashOf the stored bytes (to place an id again when the table grows). */
  private storedHash(id: number): number {
    const at = this.start.get(id);
    const page = this.pages[at >>> PAGE_BITS];
    const offset = at & (PAGE_BYTES - 1);
    let h = 0x811c9dc5;
    for (let i = offset, end = offset + this.length.get(id); i < end; i++) h = Math.imul(h ^ page[i], 0x01000193);
    return h >>> 0;
  }

  private insert(id: number, h: number): void {
    const mask = this.table.length - 1;
    let slot = h & mask;
    while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.table[slot] = id;
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2).fill(EMPTY);
    for (let id = 0; id < this.count; id++) if (this.length.get(id) !== OTHER) this.insert(id, this.storedHash(id));
  }
}
