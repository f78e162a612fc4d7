// Numbers per row (per path id) in typed arrays: at a million files an object per row, or a number in a JS array,
// is most of the memory per entry, and every live object on the heap also costs the garbage collector's headroom.
// Columns grow in fixed pages as rows are written, so growing never copies what is there and never leaves half a
// column unused; a row never written reads as the column's initial value.

const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const MASK = PAGE - 1;

type Typed = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * Pages of one column. The element reads and writes are in the subclasses, one per array type, and not here: an
 * access site that sees five typed-array types goes megamorphic, 45 ns per get + set against 8 ns for one type
 * (measured on this machine), and the union and dive make tens of them per entry.
 */
abstract class Column<A extends Typed> {
  protected pages: A[] = [];

  /** `initial` is every row's value until it is set. */
  constructor(protected readonly initial = 0) {}

  abstract get(row: number): number;
  abstract set(row: number, value: number): void;
  protected abstract make(length: number): A;

  protected pageOf(row: number): A | undefined {
    return this.pages[row >>> PAGE_BITS];
  }

  /** The page holding `row`, added (with every page before it) when missing. */
  protected pageFor(row: number): A {
    while (this.pages.length <= row >>> PAGE_BITS) {
      const page = this.make(PAGE);
      if (this.initial !== 0) page.fill(this.initial);
      this.pages.push(page);
    }
    return this.pages[row >>> PAGE_BITS];
  }

  clone(): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    copy.pages = this.pages.map((p) => p.slice() as A);
    return copy;
  }
}

class F64Column extends Column<Float64Array> {
  get(row: number): number {
    const p = this.pageOf(row);
    return p === undefined ? this.initial : p[row & MASK];
  }
  set(row: number, value: number): void {
    this.pageFor(row)[row & MASK] = value;
  }
  protected make(length: number) {
    return new Float64Array(length);
  }
}

class I32Column extends Column<Int32Array> {
  get(row: number): number {
    const p = this.pageOf(row);
    return p === undefined ? this.initial : p[row & MASK];
  }
  set(row: number, value: number): void {
    this.pageFor(row)[row & MASK] = value;
  }
  protected make(length: number) {
    return new Int32Array(length);
  }
}

class U32Column extends Column<Uint32Array> {
  get(row: number): number {
    const p = this.pageOf(row);
    return p === undefined ? this.initial : p[row & MASK];
  }
  set(row: number, value: number): void {
    this.pageFor(row)[row & MASK] = value;
  }
  protected make(length: number) {
    return new Uint32Array(length);
  }
}

class U16Column extends Column<Uint16Array> {
  get(row: number): number {
    const p = this.pageOf(row);
    return p === undefined ? this.initial : p[row & MASK];
  }
  set(row: number, value: number): void {
    this.pageFor(row)[row & MASK] = value;
  }
  protected make(length: number) {
    return new Uint16Array(length);
  }
}

class U8Column extends Column<Uint8Array> {
  get(row: number): number {
    const p = this.pageOf(row);
    return p === undefined ? this.initial : p[row & MASK];
  }
  set(row: number, value: number): void {
    this.pageFor(row)[row & MASK] = value;
  }
  protected make(length: number) {
    return new Uint8Array(length);
  }
}

export const f64 = (initial = 0) => new F64Column(initial);
export const i32 = (initial = 0) => new I32Column(initial);
export const u32 = (initial = 0) => new U32Column(initial);
export const u16 = (initial = 0) => new U16Column(initial);
export const u8 = (initial = 0) => new U8Column(initial);

export const NONE = -1;

/**
 * Children of rows as doubly linked lists of rows (a tree of paths without a Set or Map per directory). The caller
 * knows which list a row is in: a row is in at most one, and only added to one when it is in none.
 */
export class ChildLists {
  private first = i32(NONE);
  private next = i32(NONE);
  private prev = i32(NONE);

  /** Puts `child`, which is in no list, first in `parent`'s. */
  add(parent: number, child: number): void {
    const head = this.first.get(parent);
    this.next.set(child, head);
    this.prev.set(child, NONE);
    if (head !== NONE) this.prev.set(head, child);
    this.first.set(parent, child);
  }

  /** Takes `child` out of `parent`'s list, which it is in. */
  remove(parent: number, child: number): void {
    const prev = this.prev.get(child);
    const next = this.next.get(child);
    if (prev === NONE) this.first.set(parent, next);
    else this.next.set(prev, next);
    if (next !== NONE) this.prev.set(next, prev);
  }

  /** The children of `parent`, last added first, taken out of its list (which is left empty). */
  detachAll(parent: number): number[] {
    const out: number[] = [];
    for (let c = this.first.get(parent); c !== NONE; c = this.next.get(c)) out.push(c);
    this.first.set(parent, NONE);
    return out;
  }

  firstChild(parent: number): number {
    return this.first.get(parent);
  }

  nextSibling(child: number): number {
    return this.next.get(child);
  }

  clone(): ChildLists {
    const copy = new ChildLists();
    copy.first = this.first.clone();
    copy.next = this.next.clone();
    copy.prev = this.prev.clone();
    return copy;
  }
}
