// Walked layers -> every number `analyze` reports: totals, waste by cause, dive's metrics, duplicates, junk,
// biggest layers/directories/files. Pure: no I/O, so it is tested on images built in memory.
import { BugError } from '../errors.js';
import { mapHistory } from '../image/history.js';
import type { ConfigFile } from '../image/types.js';
import type { LayerChecks } from './checks.js';
import { DiveEfficiency, layerTree, type DiveMetrics, type LayerTree } from './efficiency.js';
import { EntryList } from './entry-list.js';
import { capHeapGrowth, MANY_PATHS } from './heap.js';
import { JunkCounter, type JunkFile, type JunkTotals } from './junk.js';
import { hexSha } from './scan-layer.js';
import { displayPath } from './tar-parser.js';
import { UnionFs, type LayerChanges, type WasteCause, type WasteEvent } from './union.js';
import type { WalkedLayer } from './walk.js';
import { someOf } from '../report/lists.js';

export interface WasteBreakdown {
  deleted: number;
  overwrittenChanged: number;
  overwrittenSameContent: number;
}

export interface LayerMeasure extends LayerChanges {
  index: number;
  digest: string;
  diffId: string;
  mediaType: string;
  createdBy: string | null;
  /** created_by in Dockerfile terms (`RUN apt-get ...`). */
  instruction: string | null;
  compressedBytes: number;
  uncompressedBytes: number;
  fileBytes: number;
  files: number;
  entries: number;
  whiteouts: number;
  opaqueWhiteouts: number;
  /** Bytes this layer holds that the final filesystem does not show. */
  wastedBytes: number;
  wasted: WasteBreakdown;
  /** dive's size of this layer (sum of tar header sizes). */
  diveSizeBytes: number;
  /** Which digest checks ran on its bytes. */
  checks: LayerChecks;
}

export interface WastedFile {
  path: string;
  sizeBytes: number;
  cause: WasteCause;
  /** Layer holding the bytes. */
  layer: number;
  /** Layer that hid them. */
  byLayer: number;
  change?: WasteEvent['change'];
}

/**
 * The layer that first wrote a visible file: follows same-content copies (chown -R, chmod) back to the layer whose
 * instruction brought the bytes in (`COPY . /app` rather than the later `chown -R`), where the fix belongs. Asked with
 * paths in the form `events` name them.
 */
export function originLayers(
  events: readonly Pick<WastedFile, 'path' | 'cause' | 'layer' | 'byLayer'>[],
): (path: string, layer: number) => number {
  const sameContent = new Map<string, number>();
  for (const e of events) if (e.cause === 'overwrittenSameContent') sameContent.set(`${e.byLayer}:${e.path}`, e.layer);
  return (path, layer) => {
    let current = layer;
    for (
      let prior = sameContent.get(`${current}:${path}`);
      prior !== undefined;
      prior = sameContent.get(`${current}:${path}`)
    )
      current = prior;
    return current;
  };
}

export interface DuplicateGroup {
  sha256: string;
  sizeBytes: number;
  copies: number;
  extraBytes: number;
  paths: string[];
}

export interface FinalFile {
  path: string;
  sizeBytes: number;
  layer: number;
}

export interface DirectoryTotal {
  path: string;
  bytes: number;
  files: number;
}

export interface Measurements {
  layers: LayerMeasure[];
  totals: {
    layers: number;
    compressedBytes: number;
    uncompressedBytes: number;
    fileBytes: number;
    files: number;
    entries: number;
    finalFileBytes: number;
    finalFiles: number;
    finalEntries: number;
    wastedBytes: number;
    wasted: WasteBreakdown;
    duplicateBytes: number;
    duplicateGroups: number;
    whiteouts: number;
    opaqueWhiteouts: number;
  };
  dive: DiveMetrics;
  /** Every wasted file, largest first. */
  wastedFiles: WastedFile[];
  duplicates: DuplicateGroup[];
  junk: JunkTotals[];
  /** Every file of the junk classes image rules count in bytes (ITEMIZED_CLASS_IDS), display paths, by class id. */
  junkFiles: Record<string, JunkFile[]>;
  /**
   * The files of the secret classes (binary paths, the names they are listed by): few, to look up in the OS package
   * databases' file lists, which are read after measuring.
   */
  secretPaths: string[];
  /** Takes those of secretPaths that an OS package installed out of `junk` and `junkFiles` (JunkCounter.result). */
  dropPackaged: (packaged: ReadonlySet<string>) => void;
  topFiles: FinalFile[];
  topDirectories: DirectoryTotal[];
  /**
   * The directories left out of `topDirectories` (`distinctPlaces`) that sort before its last row, biggest first: the
   * reports name those above the rows they show (`leftOutAbove`).
   */
  leftOutDirectories: DirectoryTotal[];
  /** The final filesystem (binary paths), for package databases and rules. */
  fs: UnionFs;
  /** Captured package-metadata text by layer, then path. */
  captured: Record<string, string>[];
}

function depth(path: string): number {
  let n = 0;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) n++;
  return n;
}

/** Regular-file bytes and counts per directory, every ancestor included (like `du`), from files added one by one. */
export class DirectoryTotals {
  private readonly dirs = new Map<string, DirectoryTotal>();

  add(path: string, bytes: number): void {
    // Direct parent only here; totals roll up to ancestors in result() (one slice per file instead of one per level).
    const slash = path.lastIndexOf('/');
    if (slash <= 0) return;
    const dir = path.slice(0, slash);
    const d = this.dirs.get(dir);
    if (d) {
      d.bytes += bytes;
      d.files++;
    } else this.dirs.set(dir, { path: dir, bytes, files: 1 });
  }

  /** Every directory (binary paths), rolled up; call once. */
  result(): DirectoryTotal[] {
    const dirs = this.dirs;
    // Deepest level first (parents are created as they are met).
    const byDepth: DirectoryTotal[][] = [];
    for (const d of dirs.values()) (byDepth[depth(d.path)] ??= []).push(d);
    for (let level = byDepth.length - 1; level > 0; level--) {
      for (const d of byDepth[level] ?? []) {
        const parentPath = d.path.slice(0, d.path.lastIndexOf('/'));
        const parent = dirs.get(parentPath);
        if (parent) {
          parent.bytes += d.bytes;
          parent.files += d.files;
        } else {
          const created = { path: parentPath, bytes: d.bytes, files: d.files };
          dirs.set(parentPath, created);
          (byDepth[level - 1] ??= []).push(created);
        }
      }
    }
    return [...dirs.values()];
  }
}

/** The share of a directory's bytes that a subdirectory holding them stands for it with (`distinctPlaces`). */
export const NEARLY_ALL = 0.95;

/** A directory's bytes, the size analyze's lists sort and collapse by. */
export const ownBytes = (d: DirectoryTotal) => d.bytes;

/**
 * The directories that are places of their own: one whose subdirectory holds (nearly) all of its bytes is left out,
 * as that subdirectory says where they are. A deep tree of one big thing listed every level of it (/usr, /usr/lib,
 * /usr/lib/x, each with the same bytes), and the list showed the same place many times over. Bytes stay each
 * directory's own (du's). One pass over `dirs` (every directory, with its parent in it, or none of its parent's size
 * counting). `leftOut` gets the others, in the order of `dirs`.
 *
 * `size` is analyze's bytes or diff's change in bytes. A change can be a shrink, and a directory's change is the sum of
 * its subdirectories' growths and shrinks, so the share is taken on the absolute change of the same sign: /var/lib
 * -80 MB is where /var -82 MB went, as a growth would be. A subdirectory that moved the other way never stands for its
 * parent (a shrink does not say where a growth went), and one that moved further than its parent did in the same
 * direction does (the rest went the other way, in rows of its own).
 */
export function distinctPlaces<T extends { path: string }>(dirs: T[], size: (d: T) => number, leftOut: T[] = []): T[] {
  const sizes = new Map(dirs.map((d) => [d.path, size(d)]));
  const covered = new Set<string>();
  for (const d of dirs) {
    const slash = d.path.lastIndexOf('/');
    if (slash <= 0) continue;
    const parent = d.path.slice(0, slash);
    const total = sizes.get(parent);
    const part = size(d);
    if (total !== undefined && Math.sign(part) === Math.sign(total) && Math.abs(part) >= NEARLY_ALL * Math.abs(total))
      covered.add(parent);
  }
  const places: T[] = [];
  for (const d of dirs) (covered.has(d.path) ? leftOut : places).push(d);
  return places;
}

/**
 * The most left-out directories an analysis keeps (`Measurements.leftOutDirectories`), the biggest: a hostile layer
 * can nest a directory in another down to the longest path a layer may hold, some 2,000 levels each holding all of
 * its bytes, and each level would be a path string in --json and the result cache. The line under the list names 5.
 */
export const LEFT_OUT_MAX = 100;

/**
 * The order of "Biggest directories" by `size` (diff's: the absolute change): biggest first, ties by the path shown
 * (a directory before its subdirectory).
 */
const biggestFirstBy =
  <T extends { path: string }>(size: (d: T) => number) =>
  (a: T, b: T) =>
    size(b) - size(a) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** analyze's "Biggest directories" order. */
export const biggestDirectoryFirst = biggestFirstBy(ownBytes);

/** Those of `dirs` that sort before the row `last` ("above" it) in `order`; none without one. */
export const aboveRow = <T>(dirs: readonly T[], last: T | undefined, order: (a: T, b: T) => number) =>
  last ? dirs.filter((d) => order(d, last) < 0) : [];

/** diff's Directories order: the biggest change first, a growth or a shrink. */
export const biggestChangeFirst = biggestFirstBy((d: { path: string; deltaBytes: number }) => Math.abs(d.deltaBytes));

/**
 * The directories `distinctPlaces` left out that a reader of the listed ones (`shown`, a prefix of the list) would
 * look for among them: those of `leftOut` (`Measurements.leftOutDirectories`, `DiffResult.leftOutDirectories`) that
 * sort before the last row shown in `order`, the list's. In analyze each ancestor of a listed directory is one of them
 * (it holds at least the bytes of its subdirectory and sorts before it on a tie), and so is a left-out directory bigger
 * than the last row whose place is cut off below the list (/var above the last row, its place /var/cache/apt below
 * it). Paths as the list has them, without the leading `/`; by depth, in the order of the list.
 */
export function leftOutAbove<T extends { path: string }>(
  shown: readonly T[],
  leftOut: readonly T[],
  order: (a: T, b: T) => number,
): string[] {
  return aboveRow(leftOut, shown.at(-1), order)
    .map((d) => d.path)
    .sort((a, b) => depth(a) - depth(b));
}

/**
 * The line under "Biggest directories" naming the directories `leftOutAbove` found (each shown as its report shows a
 * path), for every report: a reader comparing with du would look for /usr above /usr/lib in vain. Here beside the
 * rule it states, not with the wording every report shares (report/). `of` is what the share is of: diff's
 * Directories list changes, and "of its bytes" would read as the directory's size.
 */
export function leftOutLine(shown: readonly string[], of: 'bytes' | 'change' = 'bytes'): string {
  const holds = shown.length === 1 ? 'a subdirectory of it holds' : 'a subdirectory of each holds';
  return `Not listed: ${someOf(shown, ', ', 5)}: ${holds} ${NEARLY_ALL * 100}% or more of its ${of}.`;
}

const biggestFirst = (a: FinalFile, b: FinalFile) => b.sizeBytes - a.sizeBytes || (a.path < b.path ? -1 : 1);

/**
 * The `n` biggest files (ties by path), without a list of every file: candidates are gathered and cut back to the
 * best `n` whenever they reach 2n, so memory is O(n) and time O(files log n). Paths are unique in the union, so
 * the order is total and the result is the one sorting every file would give.
 */
class TopFiles {
  private kept: FinalFile[] = [];
  /** A file must beat this one to enter once the list has been cut. */
  private floor: FinalFile | undefined;

  constructor(private readonly n: number) {}

  add(path: string, sizeBytes: number, layer: number): void {
    if (this.n <= 0) return;
    if (
      this.floor &&
      (sizeBytes < this.floor.sizeBytes || (sizeBytes === this.floor.sizeBytes && path > this.floor.path))
    )
      return;
    this.kept.push({ path, sizeBytes, layer });
    if (this.kept.length >= 2 * this.n) this.cut();
  }

  private cut(): void {
    this.kept.sort(biggestFirst);
    this.kept.length = Math.min(this.kept.length, this.n);
    if (this.kept.length === this.n) this.floor = this.kept[this.n - 1];
  }

  result(): FinalFile[] {
    this.cut();
    return this.kept;
  }
}

const emptyWaste = (): WasteBreakdown => ({ deleted: 0, overwrittenChanged: 0, overwrittenSameContent: 0 });

export interface MeasureOptions {
  top?: number;
}

/**
 * Applies layers to the union filesystem and dive's trees one at a time, in order, then drops each layer's entry
 * list: memory holds the merged view, not every layer's entries at once.
 */
export class LayerApplier {
  private next = 0;
  /** diffIds whose entry lists stay after they are applied, for another image to apply them too (diff). */
  keepEntries?: ReadonlySet<string>;

  /**
   * `fs` may carry an observer that sees every change to the union (explore records per-path histories). dive's
   * records key their paths with the union's path ids (one Map and one string per path for both).
   */
  constructor(
    readonly fs = new UnionFs(),
    readonly dive = new DiveEfficiency(fs.nodes.paths),
  ) {}

  /** The state after the layers applied so far, to continue with other upper layers (shared lower layers). */
  clone(): LayerApplier {
    const paths = this.fs.nodes.paths.clone();
    const copy = new LayerApplier(
      this.fs.clone(paths),
      this.dive.paths === this.fs.nodes.paths ? this.dive.clone(paths) : this.dive.clone(),
    );
    copy.next = this.next;
    return copy;
  }

  /** dive's trees of layers read before the layers below them (`early`), by index, until they are applied. */
  private readonly trees = new Map<number, LayerTree>();

  /**
   * A layer read while one below it is still being read: dive's tree of it is built now, while this thread waits,
   * instead of after the lower layer comes (a layer's tree needs only its own entries). On corpus `big` the last two
   * layers (40k of its 55k entries) wait for the longest one below them.
   */
  early(w: WalkedLayer): void {
    if (w.index > this.next && !this.trees.has(w.index)) this.trees.set(w.index, layerTree(w.scan.entries));
  }

  add(w: WalkedLayer): void {
    if (w.index !== this.next) throw new BugError(`layer ${w.index} applied out of order (expected ${this.next})`, {});
    this.fs.applyLayer(w.index, w.scan.entries);
    // dive's tree of the layer holds what dive reads of the entries, so the list is dropped before dive measures and
    // stacks the layer, not after: on a layer of a million empty files the list is ~85 MB of columns (entry-list.ts),
    // and those steps add ~60 MB of their own (bench/README.md, session 46). Nothing else here may hold the list
    // meanwhile.
    const tree = this.trees.get(w.index) ?? layerTree(w.scan.entries);
    this.trees.delete(w.index);
    if (!this.keepEntries?.has(w.diffId)) w.scan.entries = EntryList.of([]);
    this.dive.addTree(tree, w.scan.diveSizeBytes);
    if (this.fs.nodes.paths.size >= MANY_PATHS) capHeapGrowth();
    this.next++;
  }

  get applied(): number {
    return this.next;
  }
}

export function measureLayers(
  walked: WalkedLayer[],
  config: Pick<ConfigFile, 'history'>,
  options: MeasureOptions = {},
  applier: LayerApplier = new LayerApplier(),
): Measurements {
  const top = options.top ?? 20;
  const history = mapHistory(config, walked.length);
  for (let i = applier.applied; i < walked.length; i++) applier.add(walked[i]);
  const { fs, dive } = applier;

  const perLayer = walked.map(() => emptyWaste());
  const wastedTotal = emptyWaste();
  for (const e of fs.events) {
    perLayer[e.layer][e.cause] += e.sizeBytes;
    wastedTotal[e.cause] += e.sizeBytes;
  }
  const sumWaste = (w: WasteBreakdown) => w.deleted + w.overwrittenChanged + w.overwrittenSameContent;

  const layers: LayerMeasure[] = walked.map((w, i) => {
    const step = history.layerSteps[i];
    const c = w.scan.counts;
    return {
      index: i,
      digest: w.digest,
      diffId: w.diffId,
      mediaType: w.mediaType,
      createdBy: step?.createdBy ?? null,
      instruction: step?.instruction ?? null,
      compressedBytes: w.compressedBytes,
      uncompressedBytes: w.scan.uncompressedBytes,
      fileBytes: c.fileBytes,
      files: c.files,
      entries: c.entries,
      whiteouts: c.whiteouts,
      opaqueWhiteouts: c.opaqueWhiteouts,
      ...fs.changes[i],
      wastedBytes: sumWaste(perLayer[i]),
      wasted: perLayer[i],
      diveSizeBytes: w.scan.diveSizeBytes,
      checks: w.checks,
    };
  });

  // The final filesystem: totals, duplicates by content, junk, biggest files and directories.
  let finalFileBytes = 0;
  let finalFiles = 0;
  // Memory: this runs while the union and dive's records are at their largest, so nothing here holds an object or
  // a string per file: the biggest files are kept as a bounded selection, and duplicates are found by the node
  // table from the hashes it stores (sharedContent). The one exception is the files of the few junk classes image
  // rules count in bytes (caches, apt lists, .git, secrets), kept so that the findings total counts each once.
  // Other names are asked by the path id forEachFile gives, not by looking the path up again.
  const junk = new JunkCounter(
    (path, id) => fs.otherNames(path, id),
    {
      exists: (path) => {
        const kind = fs.nodes.kindOf(path);
        return kind !== undefined && kind !== 'dir';
      },
      anyNamed: (name) => fs.nodes.someNamed(name),
    },
    originLayers(fs.events),
  );
  const dirs = new DirectoryTotals();
  const biggest = new TopFiles(top);
  fs.nodes.forEachFile((path, size, layer, id) => {
    finalFiles++;
    finalFileBytes += size;
    junk.add(path, size, layer, id);
    biggest.add(path, size, layer);
    dirs.add(path, size);
  });
  const duplicates: DuplicateGroup[] = [];
  let duplicateBytes = 0;
  for (const [sha, ids] of fs.nodes.sharedContent()) {
    const size = fs.nodes.getAt(ids[0])!.size;
    const extra = size * (ids.length - 1);
    duplicateBytes += extra;
    // The first 10 paths name the group; `copies` says how many there are.
    duplicates.push({
      sha256: hexSha(sha),
      sizeBytes: size,
      copies: ids.length,
      extraBytes: extra,
      paths: ids
        .map((id) => fs.nodes.paths.path(id))
        .sort()
        .slice(0, 10)
        .map(displayPath),
    });
  }
  duplicates.sort((a, b) => b.extraBytes - a.extraBytes || (a.paths[0] < b.paths[0] ? -1 : 1));

  const wastedFiles: WastedFile[] = fs.events
    .map((e) => ({
      path: displayPath(e.path),
      sizeBytes: e.sizeBytes,
      cause: e.cause,
      layer: e.layer,
      byLayer: e.byLayer,
      ...(e.change ? { change: e.change } : {}),
    }))
    .sort((a, b) => b.sizeBytes - a.sizeBytes || (a.path < b.path ? -1 : 1));

  const topFiles = biggest.result().map((f) => ({ ...f, path: displayPath(f.path) }));
  const leftOut: DirectoryTotal[] = [];
  const places = distinctPlaces(dirs.result(), ownBytes, leftOut);
  // Sorted, cut and compared on the paths the reports show, not the binary ones: leftOutAbove has only those (a
  // report may be rendered from --json or the cache) and must find the order the list was cut in. Two directories of
  // equal size can sort one way as bytes and the other as shown (`\xff` after `b` as a byte, before it as the `\xff`
  // shown; UTF-8 against UTF-16 for characters past U+FFFF), and the line then missed an ancestor of a listed row.
  // In place: these objects are this run's own, and every directory of the image is one.
  for (const d of places) d.path = displayPath(d.path);
  for (const d of leftOut) d.path = displayPath(d.path);
  const topDirectories = places.sort(biggestDirectoryFirst).slice(0, top);
  // Only those a reader would look for among the rows (leftOutAbove); the rest are as far down as the places cut off.
  const leftOutDirectories = aboveRow(leftOut, topDirectories.at(-1), biggestDirectoryFirst)
    .sort(biggestDirectoryFirst)
    .slice(0, LEFT_OUT_MAX);

  const finishJunk = (packaged?: ReadonlySet<string>): Pick<Measurements, 'junk' | 'junkFiles'> => ({
    junk: junk.result(packaged).map((j) => ({
      ...j,
      pathByLayer: Object.fromEntries(Object.entries(j.pathByLayer).map(([l, p]) => [l, displayPath(p)])),
      top: j.top.map((t) => ({ ...t, path: displayPath(t.path) })),
    })),
    junkFiles: Object.fromEntries(
      [...junk.files].map(([id, files]) => [
        id,
        files.map((f) => ({ ...f, path: displayPath(f.path), ...(f.holder ? { holder: displayPath(f.holder) } : {}) })),
      ]),
    ),
  });

  const sum = (f: (l: LayerMeasure) => number) => layers.reduce((s, l) => s + f(l), 0);
  const measured: Measurements = {
    layers,
    totals: {
      layers: layers.length,
      compressedBytes: sum((l) => l.compressedBytes),
      uncompressedBytes: sum((l) => l.uncompressedBytes),
      fileBytes: sum((l) => l.fileBytes),
      files: sum((l) => l.files),
      entries: sum((l) => l.entries),
      finalFileBytes,
      finalFiles,
      finalEntries: fs.nodes.size,
      wastedBytes: sumWaste(wastedTotal),
      wasted: wastedTotal,
      duplicateBytes,
      duplicateGroups: duplicates.length,
      whiteouts: sum((l) => l.whiteouts),
      opaqueWhiteouts: sum((l) => l.opaqueWhiteouts),
    },
    dive: dive.result(),
    wastedFiles,
    duplicates,
    ...finishJunk(),
    secretPaths: junk.secretNames(),
    dropPackaged: (packaged) => {
      if (packaged.size > 0) Object.assign(measured, finishJunk(packaged));
    },
    topFiles,
    topDirectories,
    leftOutDirectories,
    fs,
    captured: walked.map((w) => w.scan.captured),
  };
  return measured;
}
