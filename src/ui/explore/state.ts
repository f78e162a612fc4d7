// The explore view's state and its key handling, as plain functions of (state, key): no ink, no I/O, so every
// key sequence can be tested without a terminal. Rows are derived from the layer tree on demand and cached per
// directory, so moving the cursor costs nothing and expanding costs the rows it reveals.
import type { LayerTree, PathIndex, TreeEntry } from '../../analysis/layer-tree.js';
import { pathSearch, type PathSearch } from '../../analysis/path-search.js';
import { FilterThread, Pending } from './filter-thread.js';
import { displayPath } from '../../analysis/tar-parser.js';
import { typedPathCandidates } from '../../image/tar-header.js';
import { allowLinearFallback, finishes, foldCase } from './fold-case.js';
import { graphemes } from '../../report/text.js';
import type { Finding } from '../../report/types.js';
import { printablePath } from '../../report/printable.js';

export type Pane = 'layers' | 'tree';
export type SortKey = 'size' | 'name';
/** The kinds of change the tree can hide (dive's added / removed / modified filters). */
export type ChangeKind = 'added' | 'modified' | 'removed';
export const SHOW_ALL: Readonly<Record<ChangeKind, boolean>> = { added: false, modified: false, removed: false };

export interface ExploreState {
  pane: Pane;
  /** The selected layer. */
  layer: number;
  /**
   * Tree cursor and first visible row, by key (`RowList.keyOf`: a path; undefined: the first row). A row number had a
   * new view, End or a layer step produce every row above the cursor to learn which row it was.
   */
  cursor: string | undefined;
  scroll: string | undefined;
  expanded: ReadonlySet<string>;
  sort: SortKey;
  /** Only what the selected layer changed, sized by the bytes it wrote (dive's "layer" view) vs the whole tree. */
  changesOnly: boolean;
  hideUnchanged: boolean;
  /** Entries of these kinds of change are left out of the tree (a directory stays while it holds a kind shown). */
  hidden: Readonly<Record<ChangeKind, boolean>>;
  onlyWasted: boolean;
  /** The tree shows each entry's mode and owner (dive's file attributes). */
  attributes: boolean;
  /** Path filter (substring, case-insensitive); `filtering` while it is being typed. */
  filter: string;
  filtering: boolean;
  /** The findings of the selected layer, shown instead of the tree; the cursor in that list. */
  findings: boolean;
  findingCursor: number;
  help: boolean;
  /** The first help line shown: on a short terminal the help scrolls. */
  helpScroll: number;
  /** One-line feedback (what a toggle did, why a jump failed). */
  message: string;
  /** The view asked to end: `q` (a quit, exit 0) or Ctrl-C (an interrupt, exit 130). */
  quit: false | 'quit' | 'interrupt';
}

export interface TreeRow {
  entry: TreeEntry;
  depth: number;
  expandable: boolean;
  expanded: boolean;
  /** The size the current view sorts and shows by. */
  shownBytes: number;
  /** A row of the flat "only wasted" list: a full path and one wasted version of it. */
  flat?: boolean;
}

/** The key as ink reports it, reduced to what the view uses. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

export function initialState(tree: LayerTree): ExploreState {
  return {
    pane: 'layers',
    // The last layer: the image as it ships, which is what "why is this so big" asks about first.
    layer: Math.max(0, tree.layerCount - 1),
    cursor: undefined,
    scroll: undefined,
    expanded: new Set(),
    sort: 'size',
    changesOnly: false,
    hideUnchanged: false,
    hidden: SHOW_ALL,
    onlyWasted: false,
    attributes: false,
    filter: '',
    filtering: false,
    findings: false,
    findingCursor: 0,
    help: false,
    helpScroll: 0,
    message: '',
    quit: false,
  };
}

/**
 * The visible rows, produced on demand in display order: a screen needs only the rows up to its last line, so an
 * expanded 50k-file tree costs a page of work per key, not a walk of every row. The state names rows by key (a path;
 * in the wasted list, where a path repeats, a path and its layer), and the rows around a key are found from the key
 * itself: its directory's rows and its place among them. A new view, End or a layer step then costs the rows on
 * screen, where a row number made every row above it (tens of thousands on an expanded tree, 50-500 ms a key). Row
 * numbers are still there (`at`, `indexOf`), for what needs them: they produce every row above the one asked for.
 */
export class RowList {
  private readonly done: TreeRow[] = [];
  private readonly stack: { rows: TreeRow[]; next: number }[];
  /** Each shown path's directory rows and its place there (null: not shown), each open directory's rows. */
  private readonly places = new Map<string, { list: TreeRow[]; i: number } | null>();
  private readonly opened = new Map<string, TreeRow[] | undefined>();
  private readonly shown = new Map<string, TreeRow>();
  /** The wasted list (flat): each row's place by its key, and each path's first row. */
  private flatKeys: Map<string, number> | undefined;

  constructor(
    private readonly top: TreeRow[],
    private readonly open: (row: TreeRow) => TreeRow[] | undefined,
    private readonly flat = false,
  ) {
    this.stack = [{ rows: top, next: 0 }];
  }

  private pull(count: number): void {
    while (this.done.length < count && this.stack.length) {
      const frame = this.stack[this.stack.length - 1];
      if (frame.next >= frame.rows.length) {
        this.stack.pop();
        continue;
      }
      // Counted as made only once opened: opening may throw `Pending` (the filter's thread not done), and the row is
      // made again on the next try.
      const row = frame.rows[frame.next];
      const kids = this.open(row);
      frame.next++;
      this.done.push(kids ? { ...row, expanded: true } : row);
      if (kids) this.stack.push({ rows: kids, next: 0 });
    }
  }

  at(index: number): TreeRow | undefined {
    if (index < 0) return undefined;
    this.pull(index + 1);
    return this.done[index];
  }

  get length(): number {
    this.pull(Infinity);
    return this.done.length;
  }

  slice(start: number, end: number): TreeRow[] {
    this.pull(end);
    return this.done.slice(start, end);
  }

  /** The row showing `path`, looking at the first `limit` rows at most; -1 when not there. */
  indexOf(path: string, limit = Infinity): number {
    const found = this.indexesOf([path], limit).get(path);
    return found ?? -1;
  }

  /**
   * The first row of each of `paths` that the first `limit` rows show, in one pass: looking for a path, then for
   * each directory above it, was a pass each over as many rows (tens of thousands on an expanded tree).
   */
  indexesOf(paths: readonly string[], limit = Infinity): Map<string, number> {
    const wanted = new Set(paths);
    const found = new Map<string, number>();
    // Produced a page at a time and read from the array: a call per row to `at()` cost more than the search.
    for (let i = 0; i < limit && found.size < wanted.size; i++) {
      if (i >= this.done.length) {
        this.pull(Math.min(limit, i + 1024));
        if (i >= this.done.length) break;
      }
      const path = this.done[i].entry.path;
      if (wanted.has(path) && !found.has(path)) found.set(path, i);
    }
    return found;
  }

  /** The key the state names `row` by: its path, and in the wasted list (where a path repeats) its layer too. */
  keyOf(row: TreeRow): string {
    return this.flat ? `${row.entry.path}\0${row.entry.layer}` : row.entry.path;
  }

  /**
   * The row of `key` (undefined: the first row), as shown; undefined when this view does not show it. A path alone
   * names its first row in the wasted list.
   */
  row(key: string | undefined): TreeRow | undefined {
    if (key === undefined) return this.top[0] && this.rowAt(this.top, 0);
    if (this.flat) return this.top[this.flatIndex(key) ?? -1];
    const place = this.place(key);
    return place && this.rowAt(place.list, place.i);
  }

  /** The key of the row of `key` as `keyOf` gives it (a path alone becomes its first row's key); undefined if not shown. */
  canonical(key: string | undefined): string | undefined {
    const row = this.row(key);
    return row && this.keyOf(row);
  }

  first(): string | undefined {
    return this.canonical(undefined);
  }

  last(): string | undefined {
    if (!this.top.length) return undefined;
    if (this.flat) return this.keyOf(this.top[this.top.length - 1]);
    return this.lastShownUnder(this.top[this.top.length - 1].entry.path);
  }

  /** The row `count` rows after (before, negative) the shown row `key`, stopping at the first and last; and the rows moved. */
  move(key: string, count: number): { key: string; moved: number } {
    let at = key;
    let moved = 0;
    for (; moved < Math.abs(count); moved++) {
      const next = count > 0 ? this.next(at) : this.previous(at);
      if (next === undefined) break;
      at = next;
    }
    return { key: at, moved };
  }

  /** How many rows down from `from` the row `to` is, when it is within `limit` rows; undefined otherwise. */
  distance(from: string, to: string, limit: number): number | undefined {
    let at: string | undefined = from;
    for (let n = 0; n <= limit && at !== undefined; n++, at = this.next(at)) if (at === to) return n;
    return undefined;
  }

  /** Whether the shown row `a` comes before the shown row `b`. */
  before(a: string, b: string): boolean {
    if (this.flat) return this.flatIndex(a)! < this.flatIndex(b)!;
    const up = (path: string) => {
      const out = [path];
      for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) out.push(path.slice(0, i));
      return out.reverse();
    };
    const ua = up(a);
    const ub = up(b);
    for (let k = 0; k < Math.min(ua.length, ub.length); k++)
      if (ua[k] !== ub[k]) return this.place(ua[k])!.i < this.place(ub[k])!.i;
    // One holds the other: the directory comes first.
    return ua.length < ub.length;
  }

  /**
   * The row number of the shown row `key` when it is below `limit`, else `limit`: the rows above it are made, in order
   * (in the wasted list, its place).
   */
  numberOf(key: string, limit: number): number {
    const found = this.flat ? this.flatIndex(key)! : this.indexOf(key, limit);
    return found < 0 ? limit : Math.min(found, limit);
  }

  /** The shown rows from `key` down, `count` at most. */
  window(key: string | undefined, count: number): TreeRow[] {
    const out: TreeRow[] = [];
    for (let at = this.canonical(key); at !== undefined && out.length < count; at = this.next(at))
      out.push(this.row(at)!);
    return out;
  }

  private next(key: string): string | undefined {
    if (this.flat) {
      const i = this.flatIndex(key)!;
      return i + 1 < this.top.length ? this.keyOf(this.top[i + 1]) : undefined;
    }
    const kids = this.kids(key);
    if (kids?.length) return kids[0].entry.path;
    // The next row of the directory, or of the first directory above with rows after this one.
    for (let path = key; ;) {
      const place = this.place(path)!;
      if (place.i + 1 < place.list.length) return place.list[place.i + 1].entry.path;
      const slash = path.lastIndexOf('/');
      if (slash < 0) return undefined;
      path = path.slice(0, slash);
    }
  }

  private previous(key: string): string | undefined {
    if (this.flat) {
      const i = this.flatIndex(key)!;
      return i > 0 ? this.keyOf(this.top[i - 1]) : undefined;
    }
    const place = this.place(key)!;
    if (place.i === 0) {
      const slash = key.lastIndexOf('/');
      return slash < 0 ? undefined : key.slice(0, slash);
    }
    // The row above is the last row shown below the entry before this one.
    return this.lastShownUnder(place.list[place.i - 1].entry.path);
  }

  /** The last row shown under the shown row `path` (through its open directories), or `path` when none is. */
  private lastShownUnder(path: string): string {
    for (let kids = this.kids(path); kids?.length; kids = this.kids(path)) path = kids[kids.length - 1].entry.path;
    return path;
  }

  /** Where the view shows `path`: its directory's rows (every directory above it open) and its place in them. */
  private place(path: string): { list: TreeRow[]; i: number } | undefined {
    const known = this.places.get(path);
    if (known !== undefined) return known ?? undefined;
    const slash = path.lastIndexOf('/');
    const list = slash < 0 ? this.top : this.place(path.slice(0, slash)) && this.kids(path.slice(0, slash));
    const i = list && positions(list).get(path);
    const place = list && i !== undefined ? { list, i } : null;
    this.places.set(path, place);
    return place ?? undefined;
  }

  /** The rows below the shown directory `path` when it is open. */
  private kids(path: string): TreeRow[] | undefined {
    if (this.opened.has(path)) return this.opened.get(path);
    const place = this.place(path)!;
    const kids = this.open(place.list[place.i]);
    this.opened.set(path, kids);
    return kids;
  }

  private rowAt(list: TreeRow[], i: number): TreeRow {
    const row = list[i];
    if (this.flat) return row;
    let shown = this.shown.get(row.entry.path);
    if (!shown) {
      shown = this.kids(row.entry.path) ? { ...row, expanded: true } : row;
      this.shown.set(row.entry.path, shown);
    }
    return shown;
  }

  private flatIndex(key: string): number | undefined {
    if (!this.flatKeys) {
      this.flatKeys = new Map();
      for (let i = this.top.length - 1; i >= 0; i--) {
        const row = this.top[i];
        this.flatKeys.set(this.keyOf(row), i);
        // Going up, each path's first row is the one left.
        this.flatKeys.set(row.entry.path, i);
      }
    }
    return this.flatKeys.get(key);
  }
}

/** Each row's place in a directory's rows, by path (made once per list: a view keeps its lists). */
const rowPositions = new WeakMap<TreeRow[], Map<string, number>>();
function positions(list: TreeRow[]): Map<string, number> {
  let made = rowPositions.get(list);
  if (!made) {
    made = new Map(list.map((row, i) => [row.entry.path, i]));
    rowPositions.set(list, made);
  }
  return made;
}

/** A filter's test of a path: does it or anything below it match; `own`: does the path itself. */
type PathTest = ((path: string) => boolean) & { own: (path: string) => boolean };

/**
 * From this many paths, a filter's regular expression is searched on a thread of its own (filter-thread.ts): see
 * bench/README.md, "Session 55: explore's filter".
 */
export const THREAD_FROM_PATHS = 4096;

/** Derives rows from the tree; remembers sorted children per directory while the view's inputs stay the same. */
export class RowModel {
  private key = '';
  private kids = new Map<string, TreeRow[]>();
  private readonly views = new Map<string, Map<string, TreeRow[]>>();
  /** The tests of the filters typed lately, by lower-case filter. */
  private readonly filterTests = new Map<string, PathTest>();
  /**
   * The thread that searches a big tree's paths for a filter's regular expressions (filter-thread.ts), started on the
   * first one; undefined on a small tree, searched in place.
   */
  private thread: FilterThread | undefined;
  private dirs: Set<string> | undefined;
  private rowsKey = '';
  private rowsExpanded: ReadonlySet<string> | undefined;
  private rowsCache: RowList | undefined;
  /** Which entries lead to a match of the filter (per view). */
  private leads = new Map<string, boolean>();
  private leadsKey = '';
  /**
   * The entries below each directory as of a layer (unsorted, unfiltered), for the last few layers: the views of one
   * layer (changes only, unchanged hidden, a sort, a kind hidden) list the same entries, and made again for each,
   * toggling one on an expanded tree made and collected tens of thousands of them.
   */
  private readonly entries = new Map<number, Map<string, TreeEntry[]>>();

  /** From how many paths a filter's expression is searched on a thread (THREAD_FROM_PATHS; tests set it). */
  private readonly threadFrom: number;

  constructor(
    readonly tree: LayerTree,
    options: { threadFrom?: number } = {},
  ) {
    this.threadFrom = options.threadFrom ?? THREAD_FROM_PATHS;
    // Numbered now, before the first frame, so that the first character typed into the filter does not pay for it.
    tree.pathIndex();
  }

  rows(state: ExploreState): RowList {
    const { added, modified, removed } = state.hidden;
    const key = `${state.layer}|${state.sort}|${state.changesOnly}|${state.hideUnchanged}|${added}${modified}${removed}|${state.onlyWasted}|${state.filter}`;
    if (this.rowsCache && key === this.rowsKey && state.expanded === this.rowsExpanded) return this.rowsCache;
    // Forgotten before the new rows are made: making them may throw `Pending` (the filter's thread not done) after
    // the directories' rows below were switched to the new view's, which the old rows would go on to fill.
    this.rowsCache = undefined;
    if (key !== this.key) {
      // The rows of the last few views are kept, so stepping back to a layer, or toggling a sort or view back,
      // finds its directories' rows made (and does not churn the heap making them again).
      this.views.delete(this.key);
      this.views.set(this.key, this.kids);
      if (this.views.size > 4) this.views.delete(this.views.keys().next().value!);
      this.key = key;
      this.kids = this.views.get(key) ?? new Map();
      this.views.delete(key);
    }
    const matches = this.matching(state.filter);
    if (state.onlyWasted) {
      // Only wasted: every wasted version up to this layer, as one flat list of paths (the same file can appear
      // once per copy: written, then overwritten, then copied again by chmod...).
      const wasted = this.wastedRows(state, matches);
      this.rowsKey = key;
      this.rowsExpanded = state.expanded;
      this.rowsCache = new RowList(wasted, () => undefined, true);
      return this.rowsCache;
    }
    // While filtering, every directory on the way to a match is open. A directory gets its arrow only when the view
    // shows something below it: its children may not exist yet in this layer, or the view's filters may hide them
    // all, and an open arrow over nothing reads as a broken tree. Settled as a row is reached (a page of rows, not
    // every directory listed) and kept on the row, which belongs to this view's rows.
    const open = (row: TreeRow) => {
      if (row.expandable && !this.showsBelow(row.entry.path, state, matches)) row.expandable = false;
      return row.expandable && (matches !== undefined || state.expanded.has(row.entry.path))
        ? this.children(row.entry.path, row.depth + 1, state, matches)
        : undefined;
    };
    // The top rows first: they may throw `Pending`, and the rows cached must stay those of the key cached.
    const top = this.children('', 0, state, matches);
    this.rowsKey = key;
    this.rowsExpanded = state.expanded;
    this.rowsCache = new RowList(top, open);
    return this.rowsCache;
  }

  private wastedRows(state: ExploreState, matches: PathTest | undefined): TreeRow[] {
    const cached = this.kids.get('');
    if (cached) return cached;
    const rows = this.tree
      .wastedVersions(state.layer)
      .filter((e) => !matches || matches(e.path))
      .map((entry) => ({
        entry,
        depth: 0,
        expandable: false,
        expanded: false,
        shownBytes: entry.sizeBytes,
        flat: true,
      }));
    if (state.sort === 'name')
      rows.sort((a, b) =>
        a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : a.entry.layer - b.entry.layer,
      );
    this.kids.set('', rows);
    return rows;
  }

  private children(dir: string, depth: number, state: ExploreState, matches: PathTest | undefined): TreeRow[] {
    const cached = this.kids.get(dir);
    if (cached) return cached;
    const entries = this.entriesOf(dir, state.layer, matches).filter(
      (e) => this.keeps(e, state) && (!matches || this.leadsToMatch(e, state, matches)),
    );
    // What the layer did to the entry: the bytes it wrote there, and those it removed (a removal shows what it took
    // away, not 0 B).
    const shown = (e: TreeEntry) => (state.changesOnly ? e.changedBytes + e.removedBytes : e.sizeBytes);
    const rows = entries.map((entry) => ({
      entry,
      depth,
      expandable: entry.kind === 'dir' && this.tree.hasChildren(entry.path),
      expanded: false,
      shownBytes: shown(entry),
    }));
    rows.sort((a, b) =>
      state.sort === 'size' && a.shownBytes !== b.shownBytes
        ? b.shownBytes - a.shownBytes
        : a.entry.name < b.entry.name
          ? -1
          : a.entry.name > b.entry.name
            ? 1
            : 0,
    );
    this.kids.set(dir, rows);
    return rows;
  }

  /** The entries directly below `dir` as of `layer`; under a filter, those it may show (unsorted). */
  private entriesOf(dir: string, layer: number, matches: PathTest | undefined): TreeEntry[] {
    let byDir = this.entries.get(layer);
    const made = byDir?.get(dir);
    if (made) return matches ? made.filter((e) => matches(e.path)) : made;
    // A filter skips paths before any work on them: what it leaves is not every entry, and is not kept.
    if (matches) return this.tree.children(dir, layer, matches);
    if (!byDir) {
      if (this.entries.size >= 3) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(layer, (byDir = new Map()));
    }
    const all = this.tree.children(dir, layer);
    byDir.set(dir, all);
    return all;
  }

  /** Whether the view's filters (changes only, hidden kinds of change) leave `e` in the tree. */
  private keeps(e: TreeEntry, state: ExploreState): boolean {
    const hideUnchanged = state.changesOnly || state.hideUnchanged;
    const { hidden } = state;
    if (!(hidden.added || hidden.modified || hidden.removed))
      return !(hideUnchanged && e.status === 'unchanged' && !e.subtreeChanged);
    if (e.status === 'unchanged' ? !hideUnchanged : !hidden[e.status]) return true;
    // A directory hidden for its own change stays while something below it changed in a way still shown (one
    // look-up of its counts, only while a kind is hidden).
    if (e.kind !== 'dir') return false;
    const below = this.tree.dirStats(e.path, state.layer);
    return (
      (below.added > 0 && !hidden.added) ||
      (below.modified > 0 && !hidden.modified) ||
      (below.removed > 0 && !hidden.removed)
    );
  }

  /** Whether the view shows any entry directly below `dir`: its rows when made, else up to the first one kept. */
  private showsBelow(dir: string, state: ExploreState, matches: PathTest | undefined): boolean {
    const made = this.kids.get(dir);
    if (made) return made.length > 0;
    // Another view of this layer listed them: its entries, not new ones made to look at.
    const listed = matches ? undefined : this.entries.get(state.layer)?.get(dir);
    if (listed) return listed.some((e) => this.keeps(e, state));
    for (const path of this.tree.kidsOf(dir)) {
      if (matches && !matches(path)) continue;
      const e = this.tree.entry(path, state.layer);
      if (e && this.keeps(e, state) && (!matches || this.leadsToMatch(e, state, matches))) return true;
    }
    return false;
  }

  /**
   * Under a filter, whether `e` is a match in this layer or above one: `matches` knows every path of every layer, so
   * a directory above a file written later, or removed before, passes it with nothing of the filter's in this layer
   * (the first layer would list usr/ share/ doc/ for a package the last one installs). Remembered per view.
   */
  private leadsToMatch(e: TreeEntry, state: ExploreState, matches: PathTest): boolean {
    if (this.leadsKey !== this.key) {
      // A new map, not the old one cleared: `mark` may give the old one back.
      this.leads = new Map();
      this.leadsKey = this.key;
    }
    let leads = this.leads.get(e.path);
    if (leads !== undefined) return leads;
    leads = matches.own(e.path);
    if (!leads && e.kind === 'dir')
      for (const path of this.tree.kidsOf(e.path)) {
        if (!matches(path)) continue;
        const kid = this.tree.entry(path, state.layer);
        if (kid && this.keeps(kid, state) && this.leadsToMatch(kid, state, matches)) {
          leads = true;
          break;
        }
      }
    this.leads.set(e.path, leads);
    return leads;
  }

  /**
   * Paths containing the filter, and every directory above them, as a test on a path; undefined when there is no
   * filter. The test searches lazily (the tree's path index, `matchBelow`): a keystroke costs a look-up per row
   * the screen needs, not a pass over every path. The tests of the last few filters are kept, with what they
   * learned, so Backspace back to one of them is free.
   */
  private matching(filter: string): PathTest | undefined {
    // The index holds paths as the bytes the layer wrote (latin1 strings of UTF-8), lower-cased byte by byte: the
    // typed text is brought to the same form, or a CJK or accented filter would never match its names. A `\xHH` in
    // it also stands for the byte the view shows that way (a name that is not UTF-8), so each reading is tried.
    const texts = typedPathCandidates(filter.toLowerCase().replace(/^\/+/, '')).map((c) => c.toLowerCase());
    if (texts[0] === '') {
      // A bare `/` matches every path, as an empty text is in every one.
      return filter === '' ? undefined : Object.assign(() => true, { own: () => true });
    }
    // As in dive, a filter that is a regular expression is one; the literal text is still tried when it holds an
    // escape (a name with a backslash in it, as before).
    const pattern = filterPattern(filter) ?? anyCaseText(filter);
    const needles: (string | RegExp)[] = !pattern ? texts : texts.length > 1 ? [pattern, texts[0]] : [pattern];
    const key = needles.map((n) => (typeof n === 'string' ? n : `/${n.source}/`)).join('\0');
    let test = this.filterTests.get(key);
    if (!test) {
      const index = this.tree.pathIndex();
      // A text is one indexOf over the joined paths; an expression can run away, and on a big tree is searched on
      // the filter's thread (each question waits a few milliseconds at most while the view reads keys).
      const onThread = pattern !== undefined && index.paths.length >= this.threadFrom;
      if (onThread) this.thread ??= this.startThread(index);
      const tests = onThread ? [this.thread!.tests(needles)] : needles.map((needle) => pathSearch(index, needle));
      const at = (ask: (t: PathSearch) => (i: number) => boolean) => (path: string) => {
        const i = index.id.get(path);
        return i !== undefined && tests.some((t) => ask(t)(i));
      };
      test = Object.assign(
        at((t) => t.below),
        { own: at((t) => t.own) },
      );
      if (this.filterTests.size >= 16) this.filterTests.clear();
      this.filterTests.set(key, test);
    }
    return test;
  }

  private startThread(index: PathIndex): FilterThread {
    const thread = new FilterThread(index);
    thread.onAnswer = () => this.onAnswer?.();
    return thread;
  }

  /**
   * The view as it is now (its rows as made so far), to go back to when a key's rows throw `Pending`: the rows on
   * screen then stay the ones made, and are not made again, which would ask the filter's thread about them. What the
   * key made of the new view is kept for its next try.
   */
  mark(): () => void {
    const { key, kids, rowsCache, rowsKey, rowsExpanded, leads, leadsKey } = this;
    return () => {
      if (this.key !== key) {
        this.views.delete(this.key);
        this.views.set(this.key, this.kids);
        if (this.views.size > 4) this.views.delete(this.views.keys().next().value!);
        this.views.delete(key);
      }
      Object.assign(this, { key, kids, rowsCache, rowsKey, rowsExpanded, leads, leadsKey });
    };
  }

  /** Called when the filter's thread answers a question a key gave up waiting for: the keys can be tried again. */
  onAnswer: (() => void) | undefined;

  /**
   * How long the keys from now on wait for the filter's thread (ms; Infinity, the default, until answered): past it,
   * a row that needs an answer throws `Pending`.
   */
  deadline(ms: number): void {
    this.thread?.deadline(ms);
  }

  /** Whether a key gave up waiting for the filter's thread, and its answer has not come yet. */
  get pending(): boolean {
    return this.thread?.pending ?? false;
  }

  /** Ends the filter's thread (the view closed). */
  close(): void {
    this.thread?.close();
    this.thread = undefined;
  }

  /** Every directory that has children: "expand all". */
  allDirs(): ReadonlySet<string> {
    // The same set every time (the view never changes a set it holds; it copies one to change it).
    if (this.dirs) return this.dirs;
    const out = new Set<string>();
    for (const path of this.tree.paths()) if (this.tree.hasChildren(path)) out.add(path);
    return (this.dirs = out);
  }
}

export interface KeyContext {
  rows: RowModel;
  /** Tree rows visible at once (for paging and scrolling). */
  pageSize: number;
  findings: Finding[];
  /** The help's length in lines at this width, and how many of them the screen shows at once. */
  help?: { lines: number; page: number };
}

/** The findings about one layer, largest first (as the analysis sorted them). */
export function layerFindings(findings: Finding[], layer: number): Finding[] {
  return findings.filter((f) => f.location.kind === 'image' && f.location.layerIndex === layer);
}

/**
 * `.` over the index's bytes: one character as dive's Go regexp reads UTF-8, an ASCII one or a byte of 0xc0 and up
 * (a lead byte, lower-cased or not) with the continuation bytes after it, so that `caf.$` finds `café`. The two
 * cannot both take a byte. (A continuation byte alone, in a name that is not UTF-8, is found by its `\xHH`.) Not for
 * `.*` and `.+`: those take whole characters anyway where what follows starts one, and V8 runs them as a tight
 * loop, where this group, repeated, counts as backtracking and sends a search over 50k paths to the slow
 * linear-time engine (a second, typing `^/usr/lib/.*\.a$`).
 */
const ANY_CHARACTER = '(?:[^\\n\\r\\x80-\\xff]|[\\xc0-\\xff][\\x80-\\xbf]*)';

/** The characters that make a filter a regular expression: one without any is searched as plain text, as before. */
const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|]/;

/**
 * The filter as a case-insensitive regular expression over the paths as the index holds them (no leading `/`, so a
 * `/` after a leading `^` is dropped: `^/usr` is `^usr`, as the view shows it); undefined for a plain text or one that
 * does not compile (`c++`, `a(`), which is searched as a text. The index holds bytes (latin1 strings of UTF-8): a
 * character beyond ASCII becomes the UTF-8 bytes of each of its cases, and so does a `\uHHHH` (a class holding such
 * a character as typed becomes an alternative); a `\xHH` beyond ASCII stands for that byte or for that character's
 * bytes, as the view shows both so.
 */
export function filterPattern(filter: string): RegExp | undefined {
  if (!REGEX_SYNTAX.test(filter) || repeatsRepetition(filter)) return undefined;
  // A leading `.*` changes nothing about which paths match, but backtracking runs it from every character of every
  // path and back (`.*\.so$` took 30 times as long as `\.so$`); it is left out where it is plainly the whole first
  // item (no alternative in the expression, no count on it).
  const typed = filter.replace(/^(\^?)\/+/, '$1').replace(/^\.\*\??(?![*+?{])(?!.*\|)/, '');
  const bytes = (text: string) =>
    [...Buffer.from(text, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
  // The index lower-cases bytes, not characters: `É` (c3 89) stays apart from `é` (c3 a9) there, so a character
  // beyond ASCII stands for the bytes of each of its cases (those of one character: `ß` is not `SS` to `i` either).
  const anyCase = (char: string) =>
    [...new Set([char, char.toLowerCase(), char.toUpperCase()])]
      .filter((c) => [...c].length === 1)
      .map(bytes)
      .join('|');
  let source = '';
  let inClass = false;
  for (let i = 0; i < typed.length;) {
    // Read as the view writes them, whatever their case (`\XFE` is the byte 0xfe, as it is to the plain filter).
    const escape = /^\\([xX][0-9a-fA-F]{2}|[uU][0-9a-fA-F]{4})/.exec(typed.slice(i, i + 6));
    const code = typed.codePointAt(i)!;
    if (escape && !inClass) {
      const char = String.fromCharCode(parseInt(escape[1].slice(1), 16));
      const written = `\\${escape[1].toLowerCase()}`;
      if (char < '\x80') source += written;
      else if (escape[1][0] === 'x' || escape[1][0] === 'X') source += `(?:${written}|${anyCase(char)})`;
      else source += `(?:${anyCase(char)})`;
      i += escape[0].length;
      continue;
    }
    const char = String.fromCodePoint(code);
    const wide = char === '[' && !inClass ? wideClass(typed, i, anyCase) : undefined;
    if (wide) {
      source += wide.source;
      i = wide.end;
      continue;
    }
    if (char === '\\' && !inClass && /[SWD]/.test(typed[i + 1] ?? '') && !'*+'.includes(typed[i + 2] ?? '*'))
      // One character not of the class, as `.` is one (and, as for `.`, not before `*` or `+`): an ASCII one, or a
      // character beyond ASCII (none is a space, a word character or a digit to V8 without `u`, nor to dive's Go
      // regexp), lead byte and continuation bytes. Left as typed, `caf\S$` took the last byte of `é` and missed `café`.
      source += `(?:[^\\${typed[i + 1].toLowerCase()}\\x80-\\xff]|[\\xc0-\\xff][\\x80-\\xbf]*)`;
    else if (char === '\\') source += typed.slice(i, i + 2);
    else if (char === '.' && !inClass && !'*+'.includes(typed[i + 1] ?? '*')) source += ANY_CHARACTER;
    else if (code >= 0x80) source += inClass ? bytes(char) : `(?:${anyCase(char)})`;
    else {
      if (char === '[' && !inClass) inClass = true;
      else if (char === ']' && inClass) inClass = false;
      source += char;
    }
    i += char === '\\' ? 2 : char.length;
  }
  // Case-insensitive by matching the lower-cased index with lower-cased letters rather than with the `i` flag, so that
  // V8 can finish a runaway expression on its linear-time engine (fold-case.ts); with `i` where that cannot be told.
  allowLinearFallback();
  const folded = foldCase(source);
  let pattern: RegExp;
  try {
    pattern = folded === undefined ? new RegExp(source, 'i') : new RegExp(folded);
  } catch {
    return undefined;
  }
  // One the linear-time engine cannot run (a lookaround, a backreference, or with the `i` flag) could backtrack for
  // ever with no way out: it is searched as a text, as one that does not compile is (dive's Go regexp takes neither).
  return folded !== undefined && finishes(folded) ? pattern : undefined;
}

/** The most copies of a group that repeats inside that the filter runs as an expression (see `repeatsRepetition`). */
const MAX_REPEATED_REPETITION = 4;

/**
 * Whether the filter counts out more than a few copies of a group that itself repeats (`(.*a){25}`, `(x+y+){8}`):
 * the backtracking engine tries every way of sharing a name's characters among the copies (a minute per path at
 * 25 copies, every path searched), and V8's linear-time engine, which unrolls the copies, is slow on a few dozen
 * and refuses more than 16. Such a filter is searched as a text, and the view says why. A group repeated by `*` or
 * `+` (`(a+)+$`) is one copy to that engine, which finishes it quickly.
 */
export function repeatsRepetition(filter: string): boolean {
  // Per open group: whether something in it repeats without bound.
  const groups: boolean[] = [false];
  let inClass = false;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')' && groups.length > 1) {
      const repeats = groups.pop()!;
      const count = /^\{(\d+)(,(\d*))?\}/.exec(filter.slice(i + 1));
      if (repeats && count && Math.max(Number(count[1]), Number(count[3] || 0)) > MAX_REPEATED_REPETITION) return true;
      if (repeats) groups[groups.length - 1] = true;
    } else if (c === '*' || c === '+' || /^\{\d+,\}/.test(filter.slice(i))) groups[groups.length - 1] = true;
  }
  return false;
}

/**
 * A plain text holding a letter beyond ASCII, as an expression that finds that letter in either case (`été` finds
 * `ÉTÉ`): the index lower-cases bytes, not characters, so the text alone finds such a letter only in the case typed
 * or, typed upper-case, lower-case. Undefined for any other text (the text itself is searched).
 */
function anyCaseText(filter: string): RegExp | undefined {
  const cased = (c: string) => c >= '\x80' && c.toLowerCase() !== c.toUpperCase();
  if (filter.includes('\\') || ![...filter].some(cased)) return undefined;
  // No character of expression syntax is in a plain text: an empty group makes it one, matching the text.
  return filterPattern(`(?:)${filter.replace(/^\/+/, '')}`);
}

/**
 * A class (at `start`, its `[`) holding characters beyond ASCII, as one of its ASCII members or one of those
 * characters: in the index such a character is several bytes, which a class would match one at a time (`caf[éè]`
 * would need `caf` and one byte); a negated class of ASCII members, as one character not among them. Undefined for
 * a class without such a character, or one this cannot rewrite: a negated one holding a member that can take such a
 * character, or one with a range that ends on such a character.
 */
function wideClass(
  typed: string,
  start: number,
  anyCase: (char: string) => string,
): { source: string; end: number } | undefined {
  const tokens: string[] = [];
  let i = start + 1;
  const negated = typed[i] === '^';
  if (negated) i++;
  for (; i < typed.length && typed[i] !== ']';) {
    const token = typed[i] === '\\' ? typed.slice(i, i + 2) : String.fromCodePoint(typed.codePointAt(i)!);
    tokens.push(token);
    i += token.length;
  }
  if (i >= typed.length) return undefined;
  const wide = (t: string) => t.codePointAt(0)! >= 0x80;
  if (negated) {
    // One character not in the class: an ASCII one it leaves out, or any character beyond ASCII (a lead byte and its
    // continuation bytes, as `.` takes one), which a class of ASCII members cannot hold. Over single bytes, `[^e]`
    // took one byte of `é`'s two, and `caf[^e]-` missed `café-`. Left as typed where a member can take such a
    // character (\W, \S, \D, \p, a byte or code escape, the character itself), or in an empty class.
    if (!tokens.length || tokens.some((t) => wide(t) || /^\\[WSDpPxXuU]/.test(t))) return undefined;
    return { source: `(?:[^${tokens.join('')}\\x80-\\xff]|[\\xc0-\\xff][\\x80-\\xbf]*)`, end: i + 1 };
  }
  if (!tokens.some(wide)) return undefined;
  const inRange = (k: number) =>
    (tokens[k - 1] === '-' && k - 1 > 0) || (tokens[k + 1] === '-' && k + 1 < tokens.length - 1);
  if (tokens.some((t, k) => wide(t) && inRange(k))) return undefined;
  const ascii = tokens.filter((t) => !wide(t)).join('');
  const chars = [...new Set(tokens.filter(wide))].map(anyCase);
  return { source: `(?:${ascii ? `[${ascii}]|` : ''}${chars.join('|')})`, end: i + 1 };
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

/**
 * Keeps the cursor inside the rows and on screen (counting every row only when the cursor ran past the end). The
 * view applies it to every frame too: a resize changes the page under a state settled for the old one.
 */
export function settle(state: ExploreState, ctx: KeyContext): ExploreState {
  const rows = ctx.rows.rows(state);
  const page = Math.max(1, ctx.pageSize);
  // The cursor's entry no longer shown (every change of rows keeps it, or starts again at the top): the nearest
  // directory above it that is, else the last row, as a row number past the end was.
  let cursor = rows.canonical(state.cursor);
  for (let p = state.cursor ?? ''; cursor === undefined && p.includes('/');)
    cursor = rows.canonical((p = p.slice(0, p.lastIndexOf('/'))));
  cursor ??= rows.last();
  if (cursor === undefined)
    return state.cursor === undefined && state.scroll === undefined
      ? state
      : { ...state, cursor: undefined, scroll: undefined };
  let scroll = rows.canonical(state.scroll) ?? cursor;
  // Fewer rows than a page below the first one shown: the last page.
  const below = rows.move(scroll, page - 1).moved;
  if (below < page - 1) scroll = rows.move(scroll, below - (page - 1)).key;
  if (rows.distance(scroll, cursor, page - 1) === undefined)
    scroll = rows.before(cursor, scroll) ? cursor : rows.move(cursor, -(page - 1)).key;
  return cursor === state.cursor && scroll === state.scroll ? state : { ...state, cursor, scroll };
}

/**
 * After the rows change under it, put the cursor back on the same path, on the same line of the screen. The search
 * looks near where it was first (a few pages of rows); further only when the path is there to be found (it exists
 * in that layer, its directories open): a sort by name on a fully expanded tree moves it thousands of rows away,
 * while a layer without it would cost a walk of every row for nothing.
 */
function keepPath(before: ExploreState, after: ExploreState, ctx: KeyContext): ExploreState {
  const was = ctx.rows.rows(before);
  const selected = was.canonical(before.cursor);
  if (selected === undefined) return settle({ ...after, cursor: undefined, scroll: undefined }, ctx);
  const path = was.row(selected)!.entry.path;
  // The line of the screen it was on (the state is settled: the cursor is on the page below `scroll`).
  const line = was.distance(was.canonical(before.scroll) ?? selected, selected, ctx.pageSize) ?? 0;
  // Not shown there (changes only, in a layer that left it alone): its nearest directory that is, so the cursor stays
  // where the user was looking rather than on whatever row has its old number. Each is found from its path: its
  // directories' rows, not every row above it.
  const rows = ctx.rows.rows(after);
  for (let p = path; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const key = rows.canonical(p);
    if (key !== undefined) return settle({ ...after, cursor: key, scroll: rows.move(key, -line).key }, ctx);
  }
  // The wasted list is another list, biggest first: the tree's row number would open it scrolled, its biggest copies
  // above the screen. It opens at its top instead.
  if (after.onlyWasted && !before.onlyWasted) return settle({ ...after, cursor: undefined, scroll: undefined }, ctx);
  // Nothing of its path shown: the row at its number when that is on the first pages, else the last row. A number
  // further down meant counting the rows of both views to it (29,609 rows for big.oci's last layer's changes, 100-600
  // ms a key), for a row that has nothing to do with the one selected; past the new view's end it was the last row
  // anyway. The model makes one view's rows at a time: each view's rows are asked for again when it is the other's
  // turn, not read from a list made before the switch, whose rows would be made into the other view's.
  const near = 4 * ctx.pageSize;
  const index = ctx.rows.rows(before).numberOf(selected, near);
  const now = ctx.rows.rows(after);
  const at = (n: number) => {
    const row = index < near ? now.at(Math.max(0, n)) : undefined;
    return row ? now.keyOf(row) : now.last();
  };
  return settle({ ...after, cursor: at(index), scroll: at(index - line) }, ctx);
}

/** A view toggle: focuses the tree (what it changes) and keeps the cursor on its path when it can. */
function toggle(state: ExploreState, ctx: KeyContext, change: Partial<ExploreState>, message: string): ExploreState {
  return keepPath(state, { ...state, ...change, message, pane: 'tree', findings: false }, ctx);
}

/**
 * Opens every directory above `path` and puts the cursor on it; undefined when the view does not show it. The path
 * filter is cleared unless `keepFilter`.
 */
function reveal(state: ExploreState, path: string, ctx: KeyContext, keepFilter = false): ExploreState | undefined {
  const expanded = new Set(state.expanded);
  for (
    let p = path.slice(0, Math.max(0, path.lastIndexOf('/')));
    p !== '';
    p = p.slice(0, Math.max(0, p.lastIndexOf('/')))
  )
    expanded.add(p);
  const next = { ...state, expanded, filtering: false, ...(keepFilter ? {} : { filter: '' }) };
  const rows = ctx.rows.rows(next);
  const key = rows.canonical(path);
  if (key === undefined) return undefined;
  return settle({ ...next, cursor: key, scroll: rows.move(key, -Math.floor(ctx.pageSize / 2)).key }, ctx);
}

/**
 * Esc on a filter: the whole tree again, the cursor still on the entry selected in the filtered rows (its
 * directories opened), as the filter was typed to find it. Kept as an index, the cursor would land on whatever row
 * of the whole tree sits there.
 */
function clearFilter(state: ExploreState, ctx: KeyContext): ExploreState {
  const path = ctx.rows.rows(state).row(state.cursor)?.entry.path;
  const shown = path === undefined ? undefined : reveal(state, path, ctx);
  return shown ?? settle({ ...state, filter: '', filtering: false, cursor: undefined, scroll: undefined }, ctx);
}

/** Jumps from a finding to its file in the tree, relaxing the view's filters when they hide it. */
function jumpTo(state: ExploreState, finding: Finding, ctx: KeyContext): ExploreState {
  const path = finding.location.kind === 'image' ? (finding.location.path ?? '') : '';
  // The finding's path is as the reports show it: a name that is not UTF-8 has its bytes as `\xHH`.
  const targets = typedPathCandidates(path.replace(/^\/+/, '').replace(/\/+$/, ''));
  const base = { ...state, findings: false, pane: 'tree' as const };
  if (targets[0] === '') return { ...base, message: `${finding.code} names no file` };
  const tries: Partial<ExploreState>[] = [
    {},
    { changesOnly: false, hideUnchanged: false, hidden: SHOW_ALL },
    { changesOnly: false, hideUnchanged: false, hidden: SHOW_ALL, onlyWasted: true },
  ];
  // The path filter stays when the tree under it shows the file (the list of findings is not filtered, so it may not):
  // cleared, the line under the panes says so, as the wasted list's Enter does.
  const said = `${finding.code} /${path.replace(/^\/+/, '')}`;
  for (const keepFilter of state.filter ? [true, false] : [false])
    for (const relax of tries) {
      for (const target of targets) {
        const shown = reveal({ ...base, ...relax }, target, ctx, keepFilter);
        if (shown)
          return {
            ...shown,
            message: state.filter && !keepFilter ? `${said}; filter /${state.filter} cleared to reach it` : said,
          };
      }
    }
  return { ...base, message: `/${path.replace(/^\/+/, '')} is not in layer ${state.layer}` };
}

/**
 * From the wasted list to the tree, in the layer that wrote the copy, the tree's modes and path filter as the user
 * left them (the copy is a change of that layer: changes only shows it; the list was filtered as the tree is). A mode
 * that hides it (its kind hidden) is undone, and the line under the panes says which: the tree would otherwise come
 * back other than it was left, unexplained. The filter goes last, the same way: it hides the copy only where the path
 * matched for what a later layer put below it (a file that became a directory).
 */
function showCopy(s: ExploreState, entry: TreeEntry, ctx: KeyContext): ExploreState {
  const at = { ...s, onlyWasted: false, layer: entry.layer };
  const undone = (next: ExploreState) =>
    [
      s.changesOnly && !next.changesOnly ? 'changes only turned off' : '',
      s.hideUnchanged && !next.hideUnchanged ? 'unchanged entries shown again' : '',
      ...(['added', 'removed', 'modified'] as const).map((k) =>
        s.hidden[k] && !next.hidden[k] ? `${k} entries shown again` : '',
      ),
      s.filter && !next.filter ? `filter /${s.filter} cleared` : '',
    ].filter(Boolean);
  const tries: Partial<ExploreState>[] = [
    {},
    { hidden: SHOW_ALL },
    { hideUnchanged: false, hidden: SHOW_ALL },
    { changesOnly: false, hideUnchanged: false, hidden: SHOW_ALL },
  ];
  // The row of that layer that wrote the bytes: a hard link that took them over later was a 0 B link there, with no
  // mark, and the name that wrote them, the row marked W, was left to find.
  const target = entry.writtenAs ?? entry.path;
  // The path as every other line shows it: the tree keeps the bytes the layer wrote (UTF-8 read as latin1).
  const path = `/${printablePath(displayPath(target))} in L${entry.layer}`;
  const keep = s.filter ? [true, false] : [false];
  for (const keepFilter of keep)
    for (const relax of tries) {
      const shown = reveal({ ...at, ...relax }, target, ctx, keepFilter);
      if (!shown) continue;
      const said = undone(shown);
      return { ...shown, message: said.length ? `${path}; ${said.join(', ')} to reach it` : path };
    }
  return s;
}

/** Hides or shows one kind of change in the tree. */
function hideKind(state: ExploreState, ctx: KeyContext, kind: ChangeKind): ExploreState {
  const hidden = { ...state.hidden, [kind]: !state.hidden[kind] };
  return toggle(state, ctx, { hidden }, `${kind} entries ${hidden[kind] ? 'hidden' : 'shown'}`);
}

// The cursor stays on its entry (collapsed, on the directory that now holds it): on the first row, the user lost the
// place they were looking at in thousands of rows. Finding it costs producing the rows above it, as moving there did.
// Expanded, when the entry is still on the first page, the view shows the tree from its top: kept on its line of the
// screen, the directories opening above it pushed the first rows (the biggest change, often) out of sight, and the
// first row shown was a file whose directory was not.
const expandAll = (s: ExploreState, ctx: KeyContext) => {
  const next = keepPath(s, { ...s, expanded: ctx.rows.allDirs(), message: 'expanded all' }, ctx);
  const rows = ctx.rows.rows(next);
  const first = rows.first();
  return first !== undefined &&
    next.scroll !== first &&
    rows.distance(first, next.cursor!, ctx.pageSize - 1) !== undefined
    ? settle({ ...next, scroll: first }, ctx)
    : next;
};
const collapseAll = (s: ExploreState, ctx: KeyContext) =>
  keepPath(s, { ...s, expanded: new Set(), message: 'collapsed all' }, ctx);

/**
 * The message of `a` turning attributes on. What it shows depends on the tree pane's width, known where the view is
 * drawn: the view words it then (`attributesShown`), as a resize right after the key changes it too.
 */
export const ATTRIBUTES_SHOWN = 'file attributes shown';

// The rows stay the same (attributes are drawn, not derived): no cursor to keep, nothing to recount.
const toggleAttributes = (s: ExploreState): ExploreState => ({
  ...s,
  attributes: !s.attributes,
  message: s.attributes ? 'file attributes hidden' : ATTRIBUTES_SHOWN,
});

/** This layer's changes or the whole tree as of it, the focus left where it is (dive's keys of its layers pane). */
function changesView(s: ExploreState, ctx: KeyContext, changesOnly: boolean): ExploreState {
  const message = changesOnly ? 'changes in this layer only' : 'whole tree as of this layer';
  return keepPath(s, { ...s, changesOnly, findings: false, message }, ctx);
}

/**
 * dive's keys, for the users who know them: each Ctrl+letter does what ballast's own key for it does, and never
 * falls through to the plain letter (Ctrl+F is dive's filter, not ballast's findings). A terminal sends Ctrl+M as
 * Enter, Ctrl+I as Tab and Ctrl+H as Backspace (the same bytes): those stay Enter, Tab and Backspace.
 */
function diveKey(s: ExploreState, letter: string, ctx: KeyContext): ExploreState {
  switch (letter) {
    case 'f':
      return { ...s, filtering: true, pane: 'tree', findings: false };
    case 'a':
    case 'l': {
      // In the layers pane, dive's Ctrl+A / Ctrl+L pick the aggregated tree or this layer's changes; in the tree,
      // Ctrl+A is its show/hide added files.
      if (letter === 'a' && s.pane === 'tree') return hideKind(s, ctx, 'added');
      return changesView(s, ctx, letter === 'l');
    }
    case 'r':
      return hideKind(s, ctx, 'removed');
    case 'u':
      return toggle(
        s,
        ctx,
        { hideUnchanged: !s.hideUnchanged },
        s.hideUnchanged ? 'unchanged entries shown' : 'unchanged entries hidden',
      );
    case 'o':
      return toggle(
        s,
        ctx,
        { sort: s.sort === 'size' ? 'name' : 'size' },
        `sorted by ${s.sort === 'size' ? 'name' : 'size'}`,
      );
    // Ctrl+Space: the terminal sends NUL, which ink reports as Ctrl and a backquote.
    case '`':
      return s.expanded === ctx.rows.allDirs() ? collapseAll(s, ctx) : expandAll(s, ctx);
    case 'b':
      return toggleAttributes(s);
    case 'p':
      return { ...s, message: `ctrl+p (dive's tree wrap) has no equivalent here; ? lists the keys` };
    // dive's extract-file key did nothing here and said nothing, so a user moving over waited for a file to appear.
    case 'e':
      return { ...s, message: 'ctrl+e (extract a file) is not available: ballast writes no image files to disk' };
    default:
      return s;
  }
}

/** The help scrolled by a key (arrows, j/k, pgup/pgdn, home/end), kept inside its lines. */
function scrollHelp(s: ExploreState, key: KeyPress, ctx: KeyContext): ExploreState {
  const { lines, page } = ctx.help ?? { lines: 0, page: 1 };
  const step =
    key.upArrow || key.input === 'k'
      ? -1
      : key.downArrow || key.input === 'j'
        ? 1
        : key.pageUp
          ? -page
          : key.pageDown
            ? page
            : key.home
              ? -Infinity
              : key.end
                ? Infinity
                : 0;
  const helpScroll = clamp(s.helpScroll + step, 0, Math.max(0, lines - page));
  return helpScroll === s.helpScroll ? s : { ...s, helpScroll };
}

/**
 * Keys typed faster than a read (a held-down j, a quick "kkk", a filter ended by Enter: "-\r") arrive as one string:
 * one press per character, with the control characters a terminal sends for Enter, Backspace, Tab and Esc read as
 * those keys, not as text.
 */
export function splitPresses(input: string): KeyPress[] {
  return [...input].map((ch): KeyPress => {
    if (ch === '\r' || ch === '\n') return { input: '', return: true };
    if (ch === '\x7f' || ch === '\b') return { input: '', backspace: true };
    if (ch === '\t') return { input: '', tab: true };
    if (ch === '\x1b') return { input: '', escape: true };
    // Ctrl+letter as the terminal sends it (0x01-0x1a), and NUL (Ctrl+Space), as ink reports them one at a time.
    if (ch < '\x1b') return { input: String.fromCharCode(ch.charCodeAt(0) + 96), ctrl: true };
    return { input: ch };
  });
}

/**
 * The filter less the character last typed, as the user sees it: an emoji is two UTF-16 units (and a flag or a
 * family several code points), and cutting one unit would leave half a character that no path contains.
 */
function withoutLastCharacter(text: string): string {
  return text.slice(0, text.length - (graphemes(text).at(-1)?.length ?? 0));
}

/**
 * The filter as `key` edits it while it is typed (Backspace, Delete, a character); undefined for a key that is no
 * edit. Esc, Enter, Tab and Ctrl-C are taken before this (reduceKey).
 */
function filterEdit(filter: string, key: KeyPress): string | undefined {
  if (key.backspace || key.delete) return withoutLastCharacter(filter);
  if (key.input && !key.ctrl && !key.tab && !key.upArrow && !key.downArrow) return filter + key.input;
  return undefined;
}

/** The view's state and the keys waiting for the filter's thread (in order), not applied yet. */
export interface HeldKeys {
  state: ExploreState;
  held: KeyPress[];
}

/** How long one read of keys waits for the filter's thread before drawing what it has (see filter-thread.ts). */
export const KEY_WAIT_MS = 25;

/** Whether `key` ends a filter being typed, or starts one (the filter's text does not change otherwise). */
function typingAfter(typing: boolean, key: KeyPress): boolean {
  if (typing) return !(key.escape || key.return || key.tab);
  return key.input === '/' || (key.ctrl === true && key.input === 'f');
}

/**
 * Keys read, after those still held, applied to the view. A key whose rows need answers the filter's thread has not
 * given within KEY_WAIT_MS is held, with every key after it, and tried again when an answer comes (the view calls
 * this with no new key then): the state stays the last one made, so its rows stay on screen. Held keys are applied
 * as if each had been waited for, with two exceptions: a run of characters typed into the filter is one change of
 * filter (its last text), so the thread never searches for a filter typed over already; and Esc, Ctrl-C, or q
 * outside the filter, drops the keys held before it, which then act on the rows on screen (Esc cancels the search).
 */
export function pressKeys(view: HeldKeys, presses: readonly KeyPress[], ctx: KeyContext): HeldKeys {
  const keys = [...view.held, ...presses];
  ctx.rows.deadline(KEY_WAIT_MS);
  let state = view.state;
  // The last state made whole, and the first key after it (a run of filter edits is applied as a whole).
  let done = state;
  let doneAt = 0;
  try {
    for (let k = 0; k < keys.length; k++) {
      const restore = ctx.rows.mark();
      try {
        if (k === 0) done = state = settle(state, ctx);
        const key = keys[k];
        const next = keys[k + 1];
        const edit =
          state.filtering && !(key.ctrl && key.input === 'c') && !key.escape && !key.return && !key.tab
            ? filterEdit(state.filter, key)
            : undefined;
        // Not the run's last edit: its rows are never drawn (the next edit starts the rows again from the top).
        if (edit !== undefined && next && !next.escape && !next.return && filterEdit(edit, next) !== undefined) {
          state = { ...state, message: '', filter: edit, cursor: undefined, scroll: undefined };
          continue;
        }
        done = state = reduceKey(state, key, ctx);
        doneAt = k + 1;
      } catch (error) {
        if (!(error instanceof Pending)) throw error;
        restore();
        state = done;
        let typing = state.filtering;
        let cancel = -1;
        for (let j = doneAt; j < keys.length && cancel < 0; j++) {
          const p = keys[j];
          if (j > doneAt && (p.escape || (p.ctrl && p.input === 'c') || (!typing && p.input === 'q' && !p.ctrl)))
            cancel = j;
          typing = typingAfter(typing, p);
        }
        if (cancel < 0) return { state, held: keys.slice(doneAt) };
        k = cancel - 1;
        doneAt = cancel;
      }
    }
  } finally {
    ctx.rows.deadline(Infinity);
  }
  return { state, held: [] };
}

/** The filter as the keys held will leave it (`filtering`: still being typed): shown at once, before its rows. */
export function heldFilter(view: HeldKeys): { filter: string; filtering: boolean } {
  let { filter, filtering } = view.state;
  for (const key of view.held) {
    if (key.ctrl && key.input === 'c') break;
    if (filtering && key.escape) filter = '';
    else if (filtering) filter = filterEdit(filter, key) ?? filter;
    else if (key.escape) filter = '';
    filtering = typingAfter(filtering, key);
  }
  return { filter, filtering };
}

/** The keys that change what the tree shows (not the findings list over it). */
const TREE_KEYS = ['c', 'u', 'w', 's', '/', 'a', 'E', 'C', '+', '-', '~'];

/** One key press -> the next state. */
export function reduceKey(state: ExploreState, key: KeyPress, ctx: KeyContext): ExploreState {
  const s = state.message ? { ...state, message: '' } : state;
  // Ctrl-C ends the view from anywhere (the filter, the help): it is an interrupt, not a key of the view.
  if (key.ctrl && key.input === 'c') return { ...s, quit: 'interrupt' };
  if (s.filtering) {
    if (key.escape) return clearFilter(s, ctx);
    if (key.return) return { ...s, filtering: false };
    // Tab leaves the filter as Enter does, then switches pane: typing on would send the other pane's keys to the filter.
    if (key.tab) return reduceKey({ ...s, filtering: false }, key, ctx);
    const filter = filterEdit(s.filter, key);
    if (filter !== undefined) return settle({ ...s, filter, cursor: undefined, scroll: undefined }, ctx);
  }
  if (s.help)
    return key.input === 'q' || key.input === '?' || key.escape || key.return
      ? { ...s, help: false }
      : scrollHelp(s, key, ctx);
  if (key.input === 'q') return { ...s, quit: 'quit' };
  if (key.input === '?') return { ...s, help: true, helpScroll: 0 };
  if (key.ctrl && key.input) return diveKey(s, key.input, ctx);

  const up = key.upArrow || key.input === 'k';
  const down = key.downArrow || key.input === 'j';
  const layers = ctx.rows.tree.layerCount;

  if (s.findings) {
    const list = layerFindings(ctx.findings, s.layer);
    if (key.escape || key.input === 'f') return { ...s, findings: false };
    // The movement keys of the help work here too: a line, a page, the first and the last.
    const last = Math.max(0, list.length - 1);
    const step = up ? -1 : down ? 1 : key.pageUp ? -ctx.pageSize : key.pageDown ? ctx.pageSize : 0;
    if (step) return { ...s, findingCursor: clamp(s.findingCursor + step, 0, last) };
    if (key.home || key.end) return { ...s, findingCursor: key.home ? 0 : last };
    if ((key.return || key.input === ' ') && list[s.findingCursor]) return jumpTo(s, list[s.findingCursor], ctx);
    // The tree's view keys do nothing to the list: said, or the key looks broken.
    if (TREE_KEYS.includes(key.input))
      return { ...s, message: `${key.input} works in the tree: esc or f closes the findings` };
    if (!key.tab && !(key.input === '[' || key.input === ']')) return s;
  }

  // Enter (and space) on a layer opens its tree, as → does: the key bar names ⏎, and pressed on the layers pane, where
  // the view opens, it did nothing.
  if (key.tab || (s.pane === 'layers' && (key.rightArrow || key.return || key.input === ' '))) {
    return { ...s, pane: s.pane === 'layers' ? 'tree' : 'layers', findings: false };
  }
  if (key.input === '/') return { ...s, filtering: true, pane: 'tree', findings: false };
  if (key.escape && s.filter) return clearFilter(s, ctx);
  // Esc closes the help and the findings list: the wasted list, another list over the tree, is left the same way.
  if (key.escape && s.onlyWasted) return toggle(s, ctx, { onlyWasted: false }, 'all entries');
  if (key.input === 'f') {
    const n = layerFindings(ctx.findings, s.layer).length;
    return { ...s, findings: true, findingCursor: 0, message: n ? '' : `no findings about layer ${s.layer}` };
  }
  if (key.input === '+') return hideKind(s, ctx, 'added');
  if (key.input === '-') return hideKind(s, ctx, 'removed');
  if (key.input === '~') return hideKind(s, ctx, 'modified');
  if (key.input === 's')
    return toggle(
      s,
      ctx,
      { sort: s.sort === 'size' ? 'name' : 'size' },
      `sorted by ${s.sort === 'size' ? 'name' : 'size'}`,
    );
  // c is dive's Ctrl+L / Ctrl+A in one key, keys of its layers pane: the focus stays where it is, as for those, so
  // that the next arrow still steps through layers to see each one's changes.
  if (key.input === 'c') return changesView(s, ctx, !s.changesOnly);
  if (key.input === 'u')
    return toggle(
      s,
      ctx,
      { hideUnchanged: !s.hideUnchanged },
      s.hideUnchanged ? 'unchanged entries shown' : 'unchanged entries hidden',
    );
  if (key.input === 'w')
    return toggle(s, ctx, { onlyWasted: !s.onlyWasted }, s.onlyWasted ? 'all entries' : 'only wasted bytes');
  if (key.input === 'a') return toggleAttributes(s);
  if (key.input === 'E') return expandAll(s, ctx);
  if (key.input === 'C') return collapseAll(s, ctx);
  // Layers move from either pane with [ and ], so the tree can stay focused while stepping through layers.
  const page = key.pageUp ? -ctx.pageSize : key.pageDown ? ctx.pageSize : 0;
  const bracket = key.input === '[' ? -1 : key.input === ']' ? 1 : 0;
  const layerStep = bracket || (s.pane === 'layers' ? (up ? -1 : down ? 1 : page) : 0);
  if (layerStep || (s.pane === 'layers' && (key.home || key.end))) {
    const layer = key.home ? 0 : key.end ? layers - 1 : clamp(s.layer + layerStep, 0, layers - 1);
    return layer === s.layer ? s : keepPath(s, { ...s, layer, findingCursor: 0 }, ctx);
  }
  if (s.pane === 'layers') return s;

  const rows = ctx.rows.rows(s);
  // Moves by rows from the cursor's row (and the first row shown), stopping at the first and last rows.
  const here = settle(s, ctx);
  const row = rows.row(here.cursor);
  const by = (count: number, scrolls = false) =>
    settle(
      {
        ...here,
        cursor: rows.move(here.cursor!, count).key,
        scroll: scrolls ? rows.move(here.scroll!, count).key : here.scroll,
      },
      ctx,
    );
  if (!row) return key.leftArrow ? { ...s, pane: 'layers' } : s;
  if (up) return by(-1);
  if (down) return by(1);
  if (key.pageUp) return by(-ctx.pageSize, true);
  if (key.pageDown) return by(ctx.pageSize, true);
  if (key.home) return settle({ ...s, cursor: rows.first() }, ctx);
  if (key.end) return settle({ ...s, cursor: rows.last() }, ctx);
  if (row.flat && (key.return || key.input === ' ')) return showCopy(s, row.entry, ctx);
  const open = (on: boolean) => {
    const expanded = new Set(s.expanded);
    if (on) expanded.add(row.entry.path);
    else expanded.delete(row.entry.path);
    return settle({ ...s, expanded }, ctx);
  };
  if ((key.return || key.input === ' ') && row.expandable) return open(!row.expanded);
  if ((key.rightArrow || key.input === 'l') && row.expandable && !row.expanded) return open(true);
  if (key.leftArrow || key.input === 'h') {
    if (row.expandable && row.expanded) return open(false);
    // On a child: go to its directory (the wasted list's rows, full paths, have none).
    if (row.depth > 0) return settle({ ...s, cursor: row.entry.path.slice(0, row.entry.path.lastIndexOf('/')) }, ctx);
    // At the top, with nothing to close, ← goes back to the layers, as → came from them.
    return key.leftArrow ? { ...s, pane: 'layers' } : s;
  }
  return s;
}
