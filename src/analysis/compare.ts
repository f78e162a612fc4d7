// Two analysed images compared: final filesystems (files and directories), package sets, configs, layers and
// waste. Pure functions over what the analysis already built (union filesystems, package lists, configs), so
// `diff` and the `ci` gate's baseline comparison give the same answers. Paths are binary strings internally (as
// in union.ts) and display strings (no leading slash, like `analyze`) in every result.
import picomatch from 'picomatch';
import { compareVersions } from './package-versions.js';
import { isEmptyPathGlob } from '../config/glob.js';
import { UsageError } from '../errors.js';
import { cleanCreatedBy, instructionKey } from '../image/history.js';
import type { DeviceNumbers } from '../image/tar-header.js';
import type { ConfigFile } from '../image/types.js';
import type { JunkTotals } from './junk.js';
import { DirectoryTotals, type WasteBreakdown, type WastedFile } from './measure.js';
import type { PackageInfo, PackageManager } from './packages.js';
import { displayPath, normalizePath } from './tar-parser.js';
import { inodeOf, sameXattrs, type FsNode, type UnionFs } from './union.js';
import { formatCount } from '../report/figures.js';
import { listed } from '../report/lists.js';

/** Path filter from `--ignore` globs (`**\/*.pyc`, `/usr/share/doc`): a pattern also matches everything below it. */
export type PathFilter = (displayPath: string) => boolean;

/** The filter that keeps everything (callers skip building display paths for it). */
export const NO_FILTER: PathFilter = () => false;

export function ignoreFilter(globs: string[] = []): PathFilter {
  if (globs.length === 0) return NO_FILTER;
  const patterns = globs.flatMap((g) => {
    // picomatch throws its own words at an empty pattern ("Expected pattern to be a non-empty string").
    if (isEmptyPathGlob(g))
      throw new UsageError(`--ignore ${JSON.stringify(g)}: an empty glob`, {
        code: 'usage',
        hint: 'give a path glob such as "**/*.pyc" or a directory such as usr/share/doc ("**" leaves out every path)',
      });
    return coveringBelow(g.trim().replace(/^\/+/, '').replace(/\/+$/, ''));
  });
  return picomatch(patterns, GLOB_OPTIONS);
}

// flags s: picomatch's `**` is built of `.`, which would stop at a newline in a file name (its `*` does not).
const GLOB_OPTIONS = { dot: true, flags: 's' };

/** A pattern and everything below what it matches: an `--ignore` pattern covers a directory's contents too. */
const coveringBelow = (pattern: string): string[] => [pattern, `${pattern}/**`];

/**
 * The `--ignore` patterns typed without a `/` (`*.pyc`), checked against both images' entries. A pattern is anchored
 * at the root, so `*.pyc` leaves out `/x.pyc` only; one that matches nothing there while `**\/PATTERN` would match
 * entries below is most likely a slip, and `notes()` says so. One extra matcher per such pattern, run over the paths
 * only when there is such a pattern.
 */
export class RootIgnoreCheck {
  private readonly watched: {
    glob: string;
    anywhere: picomatch.Matcher;
    own: picomatch.Matcher;
    atRoot: boolean;
    /** What `**\/PATTERN` would leave out, by kind: every kind the lists and totals show, as the user sees them gone. */
    kinds: Map<EntryKind, number>;
  }[];

  constructor(globs: string[] = []) {
    this.watched = globs
      .filter((g) => !g.includes('/') && !isEmptyPathGlob(g) && !g.trim().startsWith('**'))
      .map((g) => {
        const p = g.trim();
        return {
          glob: g,
          anywhere: picomatch(coveringBelow(`**/${p}`), GLOB_OPTIONS),
          own: picomatch(coveringBelow(p), GLOB_OPTIONS),
          atRoot: false,
          kinds: new Map(),
        };
      });
  }

  get active(): boolean {
    return this.watched.length > 0;
  }

  /**
   * Every entry of both images, each path once (B's kind where both have it): directories and symlinks count as
   * well as files, since the pattern leaves them out too, and a symlink or empty directory at the root (`/lib` on a
   * merged /usr) is a match there.
   */
  watch(a: UnionFs, b: UnionFs): void {
    if (!this.active) return;
    const visit = (fs: UnionFs, skip?: UnionFs) => {
      for (const path of fs.nodes.keys()) {
        if (skip?.nodes.has(path)) continue;
        const shown = displayPath(path);
        for (const w of this.watched) {
          if (!w.anywhere(shown)) continue;
          // (`**\/` matches no directory too, so a match at the root is always a match anywhere)
          if (!w.atRoot && w.own(shown)) w.atRoot = true;
          // (a special file is counted as the lists name it, a FIFO, a character or a block device: only it needs
          // its node built, for the mode)
          const stored = fs.nodes.kindOf(path)!;
          const kind = stored === 'other' ? entryKind(fs.nodes.get(path)!) : stored;
          w.kinds.set(kind, (w.kinds.get(kind) ?? 0) + 1);
        }
      }
    };
    visit(b);
    visit(a, b);
  }

  /** One line for each pattern that matched nothing at the root of either image but would below it. */
  notes(flag = '--ignore'): string[] {
    return this.watched
      .filter((w) => !w.atRoot && w.kinds.size > 0)
      .map(
        (w) =>
          `${flag} '${w.glob}' matched nothing at the root; '**/${w.glob.trim()}' would leave out ${kindCounts(w.kinds)}`,
      );
  }
}

export const KIND_WORDS: Record<EntryKind, [one: string, many: string]> = {
  dir: ['directory', 'directories'],
  file: ['file', 'files'],
  symlink: ['symlink', 'symlinks'],
  hardlink: ['hardlink', 'hardlinks'],
  fifo: ['FIFO', 'FIFOs'],
  'char-device': ['character device', 'character devices'],
  'block-device': ['block device', 'block devices'],
  other: ['special file', 'special files'],
};

/** `2 directories, 2 files and 1 symlink`: each kind there is, in KIND_WORDS' order. */
function kindCounts(kinds: Map<EntryKind, number>): string {
  const parts = (Object.keys(KIND_WORDS) as EntryKind[])
    .filter((k) => kinds.get(k))
    .map((k) => `${formatCount(kinds.get(k)!)} ${KIND_WORDS[k][kinds.get(k) === 1 ? 0 : 1]}`);
  return listed(parts);
}

// ---------------------------------------------------------------------------------------------------------------
// Files

/**
 * An entry's kind as the lists show it: the union's `other` told apart by its mode's format bits (the scanner fills
 * them in from the typeflag), as a FIFO and a device, or a character and a block device, are not the same entry.
 */
export type EntryKind = FsNode['kind'] | 'fifo' | 'char-device' | 'block-device';

const SPECIAL_KINDS: Record<number, EntryKind> = {
  0o010000: 'fifo',
  0o020000: 'char-device',
  0o060000: 'block-device',
};

export function entryKind(node: FsNode): EntryKind {
  return node.kind === 'other' ? (SPECIAL_KINDS[node.mode & 0o170000] ?? 'other') : node.kind;
}

/** A device node's numbers as the lists give them (`device` in --json), or nothing for any other entry. */
function deviceOf(node: FsNode | undefined): { device: DeviceNumbers } | undefined {
  return node?.device ? { device: { major: node.device.major, minor: node.device.minor } } : undefined;
}

const sameDevice = (a: FsNode, b: FsNode) => a.device?.major === b.device?.major && a.device?.minor === b.device?.minor;

export interface FileEntry {
  path: string;
  kind: EntryKind;
  /**
   * `dir` for an added entry that was a directory in A, `kindAfter: 'dir'` for a removed one that is a directory in
   * B: the name is still there, as the other kind (directories are not listed, so the row alone would read as new or
   * gone).
   */
  kindBefore?: 'dir';
  kindAfter?: 'dir';
  /**
   * What a link points to, or a 0 B row would not say: a symlink's target as written; a hardlink's file, by the name
   * holding its bytes (the row they are counted at), which is the name its tar entry gave unless that name is gone.
   */
  link?: string;
  /** Regular-file bytes (0 for links and other kinds, which hold none). */
  sizeBytes: number;
  /** A character or block device's numbers. */
  device?: DeviceNumbers;
}

export interface ChangedFile {
  path: string;
  /** B's kind (A's when they differ: `kindBefore`). */
  kind: EntryKind;
  kindBefore?: EntryKind;
  /**
   * With `kindBefore`, where B's entry points when it is a link (as FileEntry's `link`): `file -> symlink` alone did
   * not say to what.
   */
  link?: string;
  /** With `kindBefore`, where A's entry pointed when it was a link (`symlink -> file`, `hardlink -> symlink`). */
  linkBefore?: string;
  /**
   * B's and A's device numbers, where that side is a character or block device: a device node's numbers are what it
   * is, so other numbers (or another type of node) make it changed, as other bytes make a file changed.
   */
  device?: DeviceNumbers;
  deviceBefore?: DeviceNumbers;
  beforeBytes: number;
  afterBytes: number;
  deltaBytes: number;
  /** Mode, owner or extended attributes that changed with the content (a new setuid owner is not a detail). */
  metadata?: MetadataDelta;
}

/** Which metadata fields differ, and both sides' values. */
export interface MetadataDelta {
  fields: MetadataField[];
  a: EntryMeta;
  b: EntryMeta;
  /**
   * Extended attributes both sides have with other values (`security.capability` after another `setcap`), sorted;
   * set when there are any. `a.xattrs` and `b.xattrs` name the attributes only, so they alone would read the same.
   */
  xattrsChanged?: string[];
}

export type MetadataField = 'mode' | 'owner' | 'link' | 'xattrs';

export interface EntryMeta {
  /** Permission bits in octal, e.g. `0644`. */
  mode: string;
  uid: number;
  gid: number;
  link?: string;
  /** Extended attribute names. */
  xattrs?: string[];
}

export interface MetadataChange extends MetadataDelta {
  path: string;
  /** B's kind (A's when they differ: `kindBefore`, a file and a hardlink that read the same bytes). */
  kind: EntryKind;
  kindBefore?: EntryKind;
  sizeBytes: number;
  /** A character or block device's numbers (the same on both sides, or it would be a changed entry). */
  device?: DeviceNumbers;
  /**
   * Set when the bytes counted at this name changed though its content did not: a hardlink that became its file's
   * only name now holds the bytes (+), a file that became a hardlink of a same-content file no longer does (-).
   * They count in `totals.netBytes`, which would otherwise not add up to the final file bytes delta.
   */
  deltaBytes?: number;
}

export interface CountBytes {
  files: number;
  bytes: number;
}

export interface FilesDiff {
  /** Largest first, then by path. */
  added: FileEntry[];
  removed: FileEntry[];
  /** Content changed (for a hardlink: the file it links to), or the kind of entry changed. */
  changed: ChangedFile[];
  /** Same content, other mode / owner / link target / extended attributes (directories included). */
  metadata: MetadataChange[];
  totals: {
    added: CountBytes;
    removed: CountBytes;
    /** `bytes`: net growth of the changed files. */
    changed: CountBytes;
    /** `deltaBytes`: the sum of the entries' `deltaBytes` (bytes now counted at another name). */
    metadata: CountBytes & { deltaBytes: number };
    /** Regular-file bytes B - A over the compared paths (equals the final file bytes delta when nothing is ignored). */
    netBytes: number;
    /** Entries left out by --ignore (on either side). */
    ignored: number;
  };
}

const fileBytes = (node: FsNode) => (node.kind === 'file' ? node.size : 0);

/**
 * The bytes a name reads, by sha: a hardlink reads its inode's (rewriting the file it links to changes what the
 * link reads, though the link entry itself is the same); undefined for symlinks, directories and dangling links.
 */
const contentOf = (node: FsNode) => (node.kind === 'file' || node.inode ? inodeOf(node).sha : undefined);

function metaOf(node: FsNode): EntryMeta {
  const meta: EntryMeta = { mode: (node.mode & 0o7777).toString(8).padStart(4, '0'), uid: node.uid, gid: node.gid };
  if (node.link !== undefined) meta.link = displayPath(node.link);
  if (node.xattrs) meta.xattrs = Object.keys(node.xattrs).sort();
  return meta;
}

function metadataFields(a: FsNode, b: FsNode): MetadataField[] {
  const fields: MetadataField[] = [];
  if ((a.mode & 0o7777) !== (b.mode & 0o7777)) fields.push('mode');
  if (a.uid !== b.uid || a.gid !== b.gid) fields.push('owner');
  if ((a.link ?? '') !== (b.link ?? '')) fields.push('link');
  if (!sameXattrs(a.xattrs, b.xattrs)) fields.push('xattrs');
  return fields;
}

/** The metadata two entries of one path differ in (mode, owner, link target, xattrs), or undefined. */
export function metadataDelta(a: FsNode, b: FsNode): MetadataDelta | undefined {
  const fields = metadataFields(a, b);
  return fields.length ? deltaOf(a, b, fields) : undefined;
}

function deltaOf(a: FsNode, b: FsNode, fields: MetadataField[]): MetadataDelta {
  const xattrsChanged = Object.keys(a.xattrs ?? {})
    .filter((name) => b.xattrs?.[name] !== undefined && b.xattrs[name] !== a.xattrs![name])
    .sort();
  return { fields, a: metaOf(a), b: metaOf(b), ...(xattrsChanged.length ? { xattrsChanged } : {}) };
}

/** `FileEntry.link` of the entry at `path` (a hardlink whose file is missing: the name its tar entry gave). */
function linkOf(fs: UnionFs, path: string, node: FsNode): { link: string } | undefined {
  if (node.kind === 'symlink') return { link: displayPath(node.link ?? '') };
  if (node.kind !== 'hardlink') return undefined;
  const holder = node.inode && fs.holderName(path);
  return { link: displayPath(holder ?? normalizePath(node.link ?? '')) };
}

const bySizeThenPath =
  <T extends { path: string }>(size: (t: T) => number) =>
  (x: T, y: T) =>
    size(y) - size(x) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);

/**
 * Every non-directory entry of the two final filesystems, compared by path; directories for their own metadata
 * (when both images' tars carry them: a directory that exists only because of what is below it has none), and as
 * added or removed when empty (`mkdir /data`, when a tar carried it; what is under any other is listed on its own, which says it). What
 * directories hold is aggregated by `compareDirectories`.
 */
export function compareFiles(a: UnionFs, b: UnionFs, ignore: PathFilter = NO_FILTER): FilesDiff {
  const added: FileEntry[] = [];
  const removed: FileEntry[] = [];
  const changed: ChangedFile[] = [];
  const metadata: MetadataChange[] = [];
  let ignored = 0;
  for (const [path, nb] of b.nodes) {
    const na = a.nodes.get(path);
    if (na === nb) continue; // the same node object (one kept as an object): a shared lower layer wrote it in both
    if (nb.kind === 'dir') {
      // A new empty directory (a mount point, a cache folder made for later) would otherwise leave no trace: nothing
      // under it is listed. One that replaced a file is told by that file's removed row (`file -> dir`); one no tar
      // carried (the parent of a file a later layer deleted) is left out, as it has no metadata of its own either.
      if (na === undefined && !nb.implicit && path !== '' && b.isEmptyDir(path)) {
        const shown = displayPath(path);
        if (ignore(shown)) ignored++;
        else added.push({ path: shown, kind: 'dir', sizeBytes: 0 });
        continue;
      }
      // A directory is compared for its own metadata only (chown -R, chmod), when both tars carried it.
      if (na?.kind !== 'dir' || na.implicit || nb.implicit) continue;
      const fields = metadataFields(na, nb);
      if (!fields.length) continue;
      const shown = displayPath(path);
      if (ignore(shown)) ignored++;
      else metadata.push({ path: shown, kind: 'dir', sizeBytes: 0, ...deltaOf(na, nb, fields) });
      continue;
    }
    const shown = displayPath(path);
    // An ignored path counts once it is known to be a change: "ignored" is the changes left out of the lists, and an
    // unchanged file under an ignored directory was never going to be in them.
    if (na === undefined || na.kind === 'dir') {
      if (ignore(shown)) ignored++;
      else
        added.push({
          path: shown,
          kind: entryKind(nb),
          ...(na?.kind === 'dir' ? { kindBefore: 'dir' as const } : {}),
          ...linkOf(b, path, nb),
          ...deviceOf(nb),
          sizeBytes: fileBytes(nb),
        });
      continue;
    }
    // A file and a hardlink reading the same bytes (the file rewritten unchanged under one of its names, or a copy
    // replaced by a link): the content did not change, only which name holds the bytes.
    const content = contentOf(na);
    const sameContent = content !== undefined && content === contentOf(nb);
    const [ka, kb] = [entryKind(na), entryKind(nb)];
    if (!sameContent && (ka !== kb || content !== contentOf(nb) || !sameDevice(na, nb))) {
      const before = fileBytes(na);
      const after = fileBytes(nb);
      // Of the same kind, its metadata is compared too (a hardlink's target among it: it may point elsewhere now).
      const fields = ka === kb ? metadataFields(na, nb) : [];
      const was = linkOf(a, path, na)?.link;
      const linkBefore = was === undefined ? {} : { linkBefore: was };
      if (ignore(shown)) ignored++;
      else
        changed.push({
          path: shown,
          kind: kb,
          ...(ka !== kb ? { kindBefore: ka, ...linkOf(b, path, nb), ...linkBefore } : {}),
          ...deviceOf(nb),
          ...(na.device ? { deviceBefore: deviceOf(na)!.device } : {}),
          beforeBytes: before,
          afterBytes: after,
          deltaBytes: after - before,
          ...(fields.length ? { metadata: deltaOf(na, nb, fields) } : {}),
        });
      continue;
    }
    const fields = metadataFields(na, nb);
    if (!fields.length) continue;
    const deltaBytes = fileBytes(nb) - fileBytes(na);
    if (ignore(shown)) ignored++;
    else
      metadata.push({
        path: shown,
        kind: kb,
        ...(ka !== kb ? { kindBefore: ka } : {}),
        ...deviceOf(nb),
        sizeBytes: fileBytes(nb),
        ...(deltaBytes ? { deltaBytes } : {}),
        ...deltaOf(na, nb, fields),
      });
  }
  for (const [path, na] of a.nodes) {
    if (na.kind === 'dir') {
      // As for added ones: an empty directory gone from B (one that became a file is in that file's added row).
      if (!b.nodes.has(path) && !na.implicit && path !== '' && a.isEmptyDir(path)) {
        const shown = displayPath(path);
        if (ignore(shown)) ignored++;
        else removed.push({ path: shown, kind: 'dir', sizeBytes: 0 });
      }
      continue;
    }
    const nb = b.nodes.get(path);
    if (nb !== undefined && nb.kind !== 'dir') continue;
    const shown = displayPath(path);
    if (ignore(shown)) {
      ignored++;
      continue;
    }
    removed.push({
      path: shown,
      kind: entryKind(na),
      ...(nb?.kind === 'dir' ? { kindAfter: 'dir' as const } : {}),
      ...linkOf(a, path, na),
      ...deviceOf(na),
      sizeBytes: fileBytes(na),
    });
  }
  added.sort(bySizeThenPath((f) => f.sizeBytes));
  removed.sort(bySizeThenPath((f) => f.sizeBytes));
  changed.sort(bySizeThenPath((f) => Math.abs(f.deltaBytes)));
  metadata.sort(bySizeThenPath((f) => f.sizeBytes));
  const total = <T>(list: T[], bytes: (t: T) => number): CountBytes => ({
    files: list.length,
    bytes: list.reduce((s, t) => s + bytes(t), 0),
  });
  const totals = {
    added: total(added, (f) => f.sizeBytes),
    removed: total(removed, (f) => f.sizeBytes),
    changed: total(changed, (f) => f.deltaBytes),
    metadata: {
      ...total(metadata, (f) => f.sizeBytes),
      deltaBytes: metadata.reduce((s, f) => s + (f.deltaBytes ?? 0), 0),
    },
    netBytes: 0,
    ignored,
  };
  totals.netBytes = totals.added.bytes - totals.removed.bytes + totals.changed.bytes + totals.metadata.deltaBytes;
  return { added, removed, changed, metadata, totals };
}

// ---------------------------------------------------------------------------------------------------------------
// Directories

export interface DirectoryDelta {
  path: string;
  aBytes: number;
  bBytes: number;
  deltaBytes: number;
  aFiles: number;
  bFiles: number;
}

function directoryTotals(fs: UnionFs, ignore: PathFilter): Map<string, { bytes: number; files: number }> {
  const totals = new DirectoryTotals();
  const filtering = ignore !== NO_FILTER;
  fs.nodes.forEachFile((path, size) => {
    if (!filtering) return totals.add(path, size);
    if (!ignore(displayPath(path))) totals.add(path, size);
  });
  return new Map(totals.result().map((d) => [d.path, d]));
}

/**
 * Regular-file bytes per directory (every ancestor included) on both sides, the biggest changes first. `check`
 * checks the slash-less --ignore patterns against both images' entries on the way (see RootIgnoreCheck).
 */
export function compareDirectories(
  a: UnionFs,
  b: UnionFs,
  ignore: PathFilter = NO_FILTER,
  top = 20,
  check?: RootIgnoreCheck,
): DirectoryDelta[] {
  check?.watch(a, b);
  const da = directoryTotals(a, ignore);
  const db = directoryTotals(b, ignore);
  const out: DirectoryDelta[] = [];
  for (const path of new Set([...da.keys(), ...db.keys()])) {
    const x = da.get(path) ?? { bytes: 0, files: 0 };
    const y = db.get(path) ?? { bytes: 0, files: 0 };
    if (x.bytes === y.bytes && x.files === y.files) continue;
    out.push({
      path: displayPath(path),
      aBytes: x.bytes,
      bBytes: y.bytes,
      deltaBytes: y.bytes - x.bytes,
      aFiles: x.files,
      bFiles: y.files,
    });
  }
  return out.sort(bySizeThenPath((d) => Math.abs(d.deltaBytes))).slice(0, top);
}

/** A directory the story names; `rest` when it is named beside explaining directories below it. */
export interface ExplainingDirectory extends DirectoryDelta {
  /** The change outside `except` (the explaining directories below it, each named on its own). */
  rest?: { deltaBytes: number; except: string[] };
}

/**
 * The directories that explain the change: the deepest ones that each carry at least a tenth of the biggest
 * change in the direction `sign` (or of `whole`, the image's change, when that is bigger), biggest first. Package
 * folders (node_modules, site-packages, dist-packages) are not split further: the packages added or removed there say
 * more than their subfolders. A directory above them is named too, with the rest of its change, when that rest
 * carries as much by the same rule: its own files may weigh more than the subfolder that qualified.
 */
export function explainingDirectories(
  directories: DirectoryDelta[],
  {
    sign = Math.sign(directories[0]?.deltaBytes ?? 0),
    limit = 3,
    whole,
  }: { sign?: number; limit?: number; whole?: number } = {},
): ExplainingDirectory[] {
  const biggest = directories.find((d) => Math.sign(d.deltaBytes) === sign);
  if (!biggest || biggest.deltaBytes === 0) return [];
  // A tenth of the biggest such change, or of the whole change when that is bigger: 24 B do not explain 10 kB.
  const threshold = Math.max(Math.abs(biggest.deltaBytes), Math.abs(whole ?? 0)) / 10;
  const below = (child: string, parent: string) => child.startsWith(`${parent}/`);
  const isPackageFolder = (path: string) => /(^|\/)(node_modules|site-packages|dist-packages)$/.test(path);
  const qualifies = (bytes: number) => Math.sign(bytes) === sign && Math.abs(bytes) >= threshold;
  let candidates = directories.filter((d) => qualifies(d.deltaBytes));
  candidates = candidates.filter((d) => !candidates.some((c) => isPackageFolder(c.path) && below(d.path, c.path)));
  // The named directories directly below `d` (none named between): the change the rest of `d` is told without.
  const namedBelow = (d: DirectoryDelta, named: DirectoryDelta[]) =>
    named.filter((c) => below(c.path, d.path) && !named.some((m) => below(m.path, d.path) && below(c.path, m.path)));
  const withRest = ({ rest: _, ...d }: ExplainingDirectory, named: DirectoryDelta[]): ExplainingDirectory => {
    const inner = namedBelow(d, named);
    if (inner.length === 0) return d;
    const rest = d.deltaBytes - inner.reduce((sum, c) => sum + c.deltaBytes, 0);
    return { ...d, rest: { deltaBytes: rest, except: inner.map((c) => c.path).sort() } };
  };
  // Deepest first, so that a parent's rest leaves out the directories named below it, kept parents included.
  const named: DirectoryDelta[] = [];
  for (const d of [...candidates].sort((x, y) => y.path.split('/').length - x.path.split('/').length)) {
    const explained = withRest(d, named);
    if (!explained.rest || qualifies(explained.rest.deltaBytes)) named.push(d);
  }
  const shown = (d: ExplainingDirectory) => Math.abs(d.rest?.deltaBytes ?? d.deltaBytes);
  const order = (x: ExplainingDirectory, y: ExplainingDirectory) => shown(y) - shown(x) || (x.path < y.path ? -1 : 1);
  const kept = named
    .map((d) => withRest(d, named))
    .sort(order)
    .slice(0, limit);
  // A directory below a kept one but cut by the limit is counted in its parent again.
  return kept.map((d) => withRest(d, kept)).sort(order);
}

// ---------------------------------------------------------------------------------------------------------------
// Packages

export interface PackageChange {
  manager: PackageManager;
  name: string;
  location?: string;
  aVersion: string | null;
  bVersion: string | null;
  /** By the package manager's version order (deb-version for dpkg, rpmvercmp, apk's, PEP 440 for python, semver for node); null when it cannot tell. */
  direction: 'upgrade' | 'downgrade' | null;
  aBytes: number;
  bBytes: number;
  deltaBytes: number;
}

export interface ManagerDelta {
  a: { packages: number; bytes: number };
  b: { packages: number; bytes: number };
  added: number;
  removed: number;
  changed: number;
  deltaBytes: number;
}

export interface PackagesDiff {
  managers: Partial<Record<PackageManager, ManagerDelta>>;
  /** Largest first. */
  added: PackageInfo[];
  removed: PackageInfo[];
  /** Version changed, biggest size change first. */
  changed: PackageChange[];
}

/**
 * What makes two packages the same one in A and B. A Python package's location is its dist-info directory, named with
 * the version (`flask-2.0.0.dist-info`): another version of it sits beside it, so it is keyed by the site-packages
 * directory and its name normalized as PEP 503 does (`Django` and `django`, `zope.interface` and `zope_interface`).
 */
function packageKey(p: PackageInfo): string {
  if (p.manager === 'python') {
    const location = p.location ?? '';
    const dir = location.slice(0, Math.max(0, location.lastIndexOf('/')));
    return `python\0${p.name.toLowerCase().replace(/[-_.]+/g, '-')}\0${dir}`;
  }
  return `${p.manager}\0${p.name}\0${p.location ?? ''}`;
}

/** dpkg/apk/rpm names are unique per database; Python and Node packages can be installed at several places. */
function packageKeys(list: PackageInfo[]): Map<string, PackageInfo> {
  const out = new Map<string, PackageInfo>();
  for (const p of list) {
    const key = packageKey(p);
    let unique = key;
    for (let n = 2; out.has(unique); n++) unique = `${key}\0${n}`;
    out.set(unique, p);
  }
  return out;
}

/** Upgrade or downgrade by the package manager's own version order (null when it cannot tell, or they are equal). */
function direction(manager: PackageManager, a: string | null, b: string | null): PackageChange['direction'] {
  if (a === null || b === null) return null;
  const order = compareVersions(manager, a, b);
  return order === undefined || order === 0 ? null : order < 0 ? 'upgrade' : 'downgrade';
}

export function comparePackages(a: PackageInfo[], b: PackageInfo[]): PackagesDiff {
  const ka = packageKeys(a);
  const kb = packageKeys(b);
  const managers: PackagesDiff['managers'] = {};
  const m = (manager: PackageManager) =>
    (managers[manager] ??= {
      a: { packages: 0, bytes: 0 },
      b: { packages: 0, bytes: 0 },
      added: 0,
      removed: 0,
      changed: 0,
      deltaBytes: 0,
    });
  for (const p of a) {
    m(p.manager).a.packages++;
    m(p.manager).a.bytes += p.bytes;
  }
  for (const p of b) {
    m(p.manager).b.packages++;
    m(p.manager).b.bytes += p.bytes;
  }
  for (const d of Object.values(managers)) d.deltaBytes = d.b.bytes - d.a.bytes;
  const added: PackageInfo[] = [];
  const removed: PackageInfo[] = [];
  const changed: PackageChange[] = [];
  for (const [key, pb] of kb) {
    const pa = ka.get(key);
    if (!pa) {
      added.push(pb);
      m(pb.manager).added++;
    } else if (pa.version !== pb.version) {
      changed.push({
        manager: pb.manager,
        name: pb.name,
        ...(pb.location ? { location: pb.location } : {}),
        aVersion: pa.version,
        bVersion: pb.version,
        direction: direction(pb.manager, pa.version, pb.version),
        aBytes: pa.bytes,
        bBytes: pb.bytes,
        deltaBytes: pb.bytes - pa.bytes,
      });
      m(pb.manager).changed++;
    }
  }
  for (const [key, pa] of ka) {
    if (kb.has(key)) continue;
    removed.push(pa);
    m(pa.manager).removed++;
  }
  const byBytes = (x: PackageInfo, y: PackageInfo) =>
    y.bytes - x.bytes || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  added.sort(byBytes);
  removed.sort(byBytes);
  changed.sort((x, y) => Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes) || (x.name < y.name ? -1 : 1));
  return { managers, added, removed, changed };
}

/**
 * The package changes of some managers only (container-diff's `--type=pip` asks for Python packages, not every
 * manager's): the per-manager totals and the added, removed and changed lists keep just those managers.
 */
export function packagesOf(diff: PackagesDiff, managers: readonly PackageManager[]): PackagesDiff {
  const keep = (m: PackageManager) => managers.includes(m);
  return {
    managers: Object.fromEntries(Object.entries(diff.managers).filter(([m]) => keep(m as PackageManager))),
    added: diff.added.filter((p) => keep(p.manager)),
    removed: diff.removed.filter((p) => keep(p.manager)),
    changed: diff.changed.filter((p) => keep(p.manager)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Config

export interface ConfigChange {
  /** `user`, `cmd`, `env.PATH`, `labels.maintainer`, `exposedPorts.80/tcp`, `annotations.org.opencontainers.image.base.name` ... */
  key: string;
  /** The value on each side as text; null when absent. */
  a: string | null;
  b: string | null;
}

export interface ConfigSide {
  config: ConfigFile;
  /** Manifest annotations (base-image name and digest live there). */
  annotations?: Record<string, string>;
}

/** The config's one-value keys, in the order flattenConfig sets them and compareConfigs lists them. */
const SCALAR_ORDER = [
  'platform',
  'osVersion',
  'osFeatures',
  'user',
  'workdir',
  'entrypoint',
  'cmd',
  'shell',
  'stopSignal',
  'healthcheck',
  'onBuild',
  'author',
  'created',
] as const;

/** The config as flat key -> text pairs, so any two configs compare key by key. */
export function flattenConfig(side: ConfigSide): Map<string, string> {
  const out = new Map<string, string>();
  const c = side.config;
  const cc = c.config ?? {};
  const set = (key: (typeof SCALAR_ORDER)[number], value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    out.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  };
  set('platform', [c.os, c.architecture, c.variant].filter(Boolean).join('/'));
  // The rest of the platform (a Windows image's build number, its features): not in the os/arch/variant string.
  set('osVersion', c['os.version']);
  set('osFeatures', c['os.features']?.length ? c['os.features'] : undefined);
  set('user', cc.User);
  set('workdir', cc.WorkingDir);
  set('entrypoint', cc.Entrypoint);
  set('cmd', cc.Cmd);
  set('shell', cc.Shell);
  set('stopSignal', cc.StopSignal);
  set('healthcheck', cc.Healthcheck);
  set('onBuild', cc.OnBuild?.length ? cc.OnBuild : undefined);
  // Who and when, last: `created` differs on every rebuild that does not pin it (SOURCE_DATE_EPOCH), yet configs that
  // differ only there are two images, and without this row nothing in the report would say what tells them apart.
  set('author', c.author);
  set('created', c.created);
  for (const entry of cc.Env ?? []) {
    // An empty value is still a set variable, unlike an empty scalar above.
    const eq = entry.indexOf('=');
    out.set(`env.${eq < 0 ? entry : entry.slice(0, eq)}`, eq < 0 ? '' : entry.slice(eq + 1));
  }
  for (const port of Object.keys(cc.ExposedPorts ?? {})) out.set(`exposedPorts.${port}`, 'exposed');
  for (const volume of Object.keys(cc.Volumes ?? {})) out.set(`volumes.${volume}`, 'volume');
  for (const [k, v] of Object.entries(cc.Labels ?? {})) out.set(`labels.${k}`, v);
  for (const [k, v] of Object.entries(side.annotations ?? {})) out.set(`annotations.${k}`, v);
  // The container config's other fields (ArgsEscaped, StopTimeout, Docker's legacy Hostname/Image...): compared as
  // container-diff compares the whole of it, so two configs that differ only there do not read "0 differences". A
  // field absent or at its zero value (false, 0, empty) is one: Docker writes `"Tty": false` where buildah writes none.
  for (const [k, v] of Object.entries(cc)) {
    if (MODELED_CONTAINER_FIELDS.has(k) || isZeroValue(v)) continue;
    out.set(`containerConfig.${k}`, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

/** The container config's fields flattenConfig reads by name. */
const MODELED_CONTAINER_FIELDS = new Set([
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'Volumes',
  'WorkingDir',
  'Labels',
  'StopSignal',
  'Shell',
  'Healthcheck',
  'OnBuild',
]);

function isZeroValue(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Every config key whose value differs, in a stable order (scalars first, then env, ports, labels, annotations). */
export function compareConfigs(a: ConfigSide, b: ConfigSide): ConfigChange[] {
  const fa = flattenConfig(a);
  const fb = flattenConfig(b);
  const changes: ConfigChange[] = [];
  const keys = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))];
  for (const key of keys) {
    const x = fa.get(key) ?? null;
    const y = fb.get(key) ?? null;
    if (x !== y) changes.push({ key, a: x, b: y });
  }
  const group = (key: string) =>
    key.includes('.')
      ? ['env', 'exposedPorts', 'volumes', 'labels', 'annotations', 'containerConfig'].indexOf(
          key.slice(0, key.indexOf('.')),
        ) + 1
      : 0;
  // Scalars in flattenConfig's order whichever side has them (a key only B has would otherwise follow all of A's).
  const scalar = (key: string) => (SCALAR_ORDER as readonly string[]).indexOf(key);
  return changes.sort(
    (x, y) =>
      group(x.key) - group(y.key) ||
      (group(x.key) === 0 ? scalar(x.key) - scalar(y.key) : x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Layers

export interface LayerSide {
  index: number;
  diffId: string;
  compressedBytes: number;
  uncompressedBytes: number;
  fileBytes: number;
  /** The Dockerfile instruction from the image history. */
  historyInstruction: string | null;
}

export interface LayerRef {
  index: number;
  diffId: string;
  instruction: string | null;
  compressedBytes: number;
  uncompressedBytes: number;
  fileBytes: number;
}

export interface SharedLayer {
  diffId: string;
  aIndex: number;
  bIndex: number;
  instruction: string | null;
  uncompressedBytes: number;
  fileBytes: number;
  /** Blob bytes on each side (the same tar may be stored compressed differently). */
  aCompressedBytes: number;
  bCompressedBytes: number;
}

export interface LayersDiff {
  /** Layers with the same diffId on both sides (matched in order). */
  shared: SharedLayer[];
  onlyA: LayerRef[];
  onlyB: LayerRef[];
  /** The lowest layers equal on both sides: the same union state, walked and applied once. */
  commonPrefix: number;
}

/** The number of lowest layers two images share (same diffIds, in the same order, from the bottom). */
export function commonPrefix(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export function compareLayers(a: LayerSide[], b: LayerSide[]): LayersDiff {
  const ref = (l: LayerSide): LayerRef => ({
    index: l.index,
    diffId: l.diffId,
    instruction: l.historyInstruction,
    compressedBytes: l.compressedBytes,
    uncompressedBytes: l.uncompressedBytes,
    fileBytes: l.fileBytes,
  });
  const unmatched = new Map<string, LayerSide[]>();
  for (const l of a) {
    const list = unmatched.get(l.diffId);
    if (list) list.push(l);
    else unmatched.set(l.diffId, [l]);
  }
  const shared: SharedLayer[] = [];
  const onlyB: LayerRef[] = [];
  for (const l of b) {
    const match = unmatched.get(l.diffId)?.shift();
    if (!match) {
      onlyB.push(ref(l));
      continue;
    }
    shared.push({
      diffId: l.diffId,
      aIndex: match.index,
      bIndex: l.index,
      instruction: l.historyInstruction ?? match.historyInstruction,
      uncompressedBytes: l.uncompressedBytes,
      fileBytes: l.fileBytes,
      aCompressedBytes: match.compressedBytes,
      bCompressedBytes: l.compressedBytes,
    });
  }
  const onlyA = [...unmatched.values()]
    .flat()
    .sort((x, y) => x.index - y.index)
    .map(ref);
  return {
    shared,
    onlyA,
    onlyB,
    commonPrefix: commonPrefix(
      a.map((l) => l.diffId),
      b.map((l) => l.diffId),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// History

export interface HistoryStepRef {
  /** Position in the side's config.history. */
  index: number;
  /** The entry's created_by as the builder recorded it. */
  createdBy: string;
  /** The same in Dockerfile terms (`ENV A=b`, `RUN apt-get ...`). */
  instruction: string;
  /** A step that made no layer (ENV, LABEL, CMD ...). */
  emptyLayer: boolean;
}

export interface HistoryDiff {
  /** History entries on each side. */
  a: number;
  b: number;
  /** Entries matched on both sides, in order. */
  same: number;
  /** Entries of A that B does not have at that point, and entries of B that A does not have, in history order. */
  removed: HistoryStepRef[];
  added: HistoryStepRef[];
}

/** Above this many cells the history diff matches entries as a multiset instead of keeping their order. */
const HISTORY_LCS_CELLS = 4_000_000;

/**
 * The two configs' history entries compared as sequences of build steps (the instruction in one spelling, whichever
 * builder recorded it: instructionKey; and whether the step made a layer), empty-layer steps included: the layers
 * section lists only the steps that wrote files, so an image whose `ENV` or `LABEL` changed shows its change here. A longest common subsequence keeps the order: a step moved to
 * another place is removed there and added here.
 */
export function compareHistory(a: Pick<ConfigFile, 'history'>, b: Pick<ConfigFile, 'history'>): HistoryDiff {
  const steps = (c: Pick<ConfigFile, 'history'>): HistoryStepRef[] =>
    (Array.isArray(c.history) ? c.history : []).map((e, index) => ({
      index,
      createdBy: e.created_by ?? '',
      instruction: cleanCreatedBy(e.created_by),
      emptyLayer: e.empty_layer === true,
    }));
  const sa = steps(a);
  const sb = steps(b);
  // By instruction, not created_by: the same Dockerfile line built by another builder is the same step.
  const key = (s: HistoryStepRef) => `${s.emptyLayer ? 1 : 0}\0${instructionKey(s.instruction)}`;
  let start = 0;
  while (start < sa.length && start < sb.length && key(sa[start]) === key(sb[start])) start++;
  let endA = sa.length;
  let endB = sb.length;
  while (endA > start && endB > start && key(sa[endA - 1]) === key(sb[endB - 1])) {
    endA--;
    endB--;
  }
  const midA = sa.slice(start, endA);
  const midB = sb.slice(start, endB);
  // Each entry's key made once: the table below compares every pair.
  const keysA = midA.map(key);
  const keysB = midB.map(key);
  const matchedA = new Set<number>();
  const matchedB = new Set<number>();
  if ((midA.length + 1) * (midB.length + 1) <= HISTORY_LCS_CELLS) {
    // lcs[i][j]: the longest common run of midA[i..] and midB[j..].
    const width = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i--)
      for (let j = midB.length - 1; j >= 0; j--)
        lcs[i * width + j] =
          keysA[i] === keysB[j]
            ? lcs[(i + 1) * width + j + 1] + 1
            : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    let i = 0;
    let j = 0;
    while (i < midA.length && j < midB.length) {
      if (keysA[i] === keysB[j]) {
        matchedA.add(i++);
        matchedB.add(j++);
      } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) i++;
      else j++;
    }
  } else {
    // A history this long is not a Dockerfile's: match equal entries in any order rather than spend the memory.
    const left = new Map<string, number[]>();
    keysA.forEach((k, i) => {
      const list = left.get(k);
      if (list) list.push(i);
      else left.set(k, [i]);
    });
    keysB.forEach((k, j) => {
      const i = left.get(k)?.shift();
      if (i === undefined) return;
      matchedA.add(i);
      matchedB.add(j);
    });
  }
  const removed = midA.filter((_, i) => !matchedA.has(i));
  const added = midB.filter((_, j) => !matchedB.has(j));
  return { a: sa.length, b: sb.length, same: sa.length - removed.length, removed, added };
}

// ---------------------------------------------------------------------------------------------------------------
// Waste

export interface WasteSide {
  wastedBytes: number;
  wasted: WasteBreakdown;
  /** Every wasted file (display paths). */
  wastedFiles: WastedFile[];
  junk: Pick<JunkTotals, 'id' | 'title' | 'advice' | 'files' | 'bytes'>[];
  /** The layers' diff_ids: B's copy in a layer A has too is the one that matches A's (absent: by position). */
  diffIds?: string[];
}

export interface JunkDelta {
  id: string;
  title: string;
  advice: string;
  a: CountBytes;
  b: CountBytes;
  deltaBytes: number;
  /** B has this class and A has none of it: no file, or only empty ones (a base's 0-byte apt lock). */
  new: boolean;
}

export interface WasteDiff {
  a: { wastedBytes: number; wasted: WasteBreakdown };
  b: { wastedBytes: number; wasted: WasteBreakdown };
  deltaBytes: number;
  /**
   * Wasted files of B that A does not waste (the same path, in any layer, at any size), largest first: all of them,
   * as the files lists hold every entry, so `--json` lists what the reports' "…and N more" leaves out. There are no
   * more of them than entries in B's layers, the bound the files lists have (and --json is written in pieces).
   */
  newFiles: WastedFile[];
  /** Their count and bytes. */
  newTotals: CountBytes;
  /** Wasted files of B paired with one of A's of the same path at another size, the biggest change first: all of them. */
  resizedFiles: ResizedWaste[];
  /** Their count, and B's bytes less A's (part of `deltaBytes`). */
  resizedTotals: { files: number; deltaBytes: number };
  /** Junk classes whose bytes changed, new ones first, then by the size of the change. */
  junk: JunkDelta[];
}

/** A wasted file of B (its layers, cause and path) that A wastes too, at another size. */
export interface ResizedWaste extends Omit<WastedFile, 'sizeBytes'> {
  /** The size of A's copy. */
  beforeBytes: number;
  /** The size of B's copy. */
  afterBytes: number;
  deltaBytes: number;
}

/** B's wasted files against A's: those A does not waste (new), and those A wastes at another size (resized). */
export interface WastePairing {
  /** Largest first. */
  fresh: WastedFile[];
  /** The biggest change first. */
  resized: ResizedWaste[];
}

/** Wasted files of B that A does not waste (see WasteDiff.newFiles), and those A wastes at another size. */
export function pairWaste(a: WasteSide, b: WasteSide, ignore: PathFilter = NO_FILTER): WastePairing {
  // The same waste is the same path, wherever it sits: a rebuild without a cache (main against a PR in CI) holds the
  // same files in layers of other digests, and a layer the change adds moves the rest up; neither adds waste. Not
  // the cause either: a shared layer's file that A overwrites and B only chmods is wasted in both, for another
  // reason. Nor the size: a rebuild on another day fetches bigger apt lists, and deletes them as A did; that waste
  // is resized, not new. Each of A's copies answers for one of B's, so a copy B adds is still new. To pick which of
  // B's copies that is, they are paired in the same layer (diff_id) first, then at the same position, then
  // anywhere; all three with the same size before any without, so a copy of the same size is the one paired. Where
  // a place holds several copies of a path on each side, the nearest sizes pair first (nearestPairs).
  const places: ((side: WasteSide, w: WastedFile) => string | undefined)[] = [
    (side, w) => side.diffIds?.[w.layer],
    (_, w) => `${w.layer}`,
    () => '',
  ];
  const passes = [true, false].flatMap((sized) => places.map((place) => ({ place, sized })));
  let leftA = a.wastedFiles;
  let leftB = b.wastedFiles;
  const resized: ResizedWaste[] = [];
  for (const { place, sized } of passes) {
    const key = (side: WasteSide, w: WastedFile) => {
      const at = place(side, w);
      return at === undefined ? undefined : `${at}\0${sized ? w.sizeBytes : ''}\0${w.path}`;
    };
    const groups = new Map<string, { a: WastedFile[]; b: WastedFile[] }>();
    const group = (k: string | undefined, w: WastedFile, side: 'a' | 'b') => {
      if (k === undefined) return;
      const g = groups.get(k) ?? { a: [], b: [] };
      g[side].push(w);
      groups.set(k, g);
    };
    for (const w of leftA) group(key(a, w), w, 'a');
    for (const w of leftB) group(key(b, w), w, 'b');
    const pairedA = new Set<WastedFile>();
    const pairedB = new Set<WastedFile>();
    for (const g of groups.values()) {
      if (!g.a.length || !g.b.length) continue;
      for (const [wa, wb] of nearestPairs(g.a, g.b)) {
        pairedA.add(wa);
        pairedB.add(wb);
        // After the passes by size, a pair differs in size: the same path wasted in both, grown or shrunk.
        if (!sized && !ignore(wb.path)) {
          const { sizeBytes, ...where } = wb;
          resized.push({
            ...where,
            beforeBytes: wa.sizeBytes,
            afterBytes: sizeBytes,
            deltaBytes: sizeBytes - wa.sizeBytes,
          });
        }
      }
    }
    leftA = leftA.filter((w) => !pairedA.has(w));
    leftB = leftB.filter((w) => !pairedB.has(w));
  }
  const fresh = leftB.filter((w) => !ignore(w.path));
  fresh.sort((x, y) => y.sizeBytes - x.sizeBytes || (x.path < y.path ? -1 : 1));
  resized.sort(
    (x, y) =>
      Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes) ||
      (x.path < y.path ? -1 : x.path > y.path ? 1 : x.layer - y.layer),
  );
  return { fresh, resized };
}

/**
 * Copies of one path at one place, A's against B's, paired as far as the shorter side goes: the nearest sizes first,
 * then the lowest layers (B's, then A's). In list order (largest first) a path A wastes once at 100 B and B twice,
 * at 5,000 B and 105 B, read as grown by 4,900 B with a new 105 B copy; the true change is +5 B and a new 5,000 B copy.
 */
function nearestPairs(as: WastedFile[], bs: WastedFile[]): [WastedFile, WastedFile][] {
  if (as.length === 1 && bs.length === 1) return [[as[0], bs[0]]];
  const candidates = as.flatMap((wa) => bs.map((wb): [WastedFile, WastedFile] => [wa, wb]));
  const gap = ([wa, wb]: [WastedFile, WastedFile]) => Math.abs(wb.sizeBytes - wa.sizeBytes);
  candidates.sort((x, y) => gap(x) - gap(y) || x[1].layer - y[1].layer || x[0].layer - y[0].layer);
  const takenA = new Set<WastedFile>();
  const takenB = new Set<WastedFile>();
  const pairs: [WastedFile, WastedFile][] = [];
  for (const [wa, wb] of candidates) {
    if (takenA.has(wa) || takenB.has(wb)) continue;
    takenA.add(wa);
    takenB.add(wb);
    pairs.push([wa, wb]);
  }
  return pairs;
}

/** `paired` is pairWaste(a, b, ignore): the caller has it already for the story (see explainingWaste). */
export function compareWaste(a: WasteSide, b: WasteSide, paired: WastePairing): WasteDiff {
  const { fresh, resized } = paired;
  const junkA = new Map(a.junk.map((j) => [j.id, j]));
  const junk: JunkDelta[] = [];
  for (const jb of b.junk) {
    const ja = junkA.get(jb.id) ?? { files: 0, bytes: 0 };
    if (ja.bytes === jb.bytes && ja.files === jb.files) continue;
    junk.push({
      id: jb.id,
      title: jb.title,
      advice: jb.advice,
      a: { files: ja.files, bytes: ja.bytes },
      b: { files: jb.files, bytes: jb.bytes },
      deltaBytes: jb.bytes - ja.bytes,
      // By bytes too: a base's empty lock file under /var/cache/apt must not hide the .debs B leaves there.
      new: (ja.files === 0 && jb.files > 0) || (ja.bytes === 0 && jb.bytes > 0),
    });
  }
  junk.sort(
    (x, y) =>
      Number(y.new) - Number(x.new) || Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes) || (x.id < y.id ? -1 : 1),
  );
  return {
    a: { wastedBytes: a.wastedBytes, wasted: a.wasted },
    b: { wastedBytes: b.wastedBytes, wasted: b.wasted },
    deltaBytes: b.wastedBytes - a.wastedBytes,
    newFiles: fresh,
    newTotals: { files: fresh.length, bytes: fresh.reduce((s, w) => s + w.sizeBytes, 0) },
    resizedFiles: resized,
    resizedTotals: { files: resized.length, deltaBytes: resized.reduce((s, w) => s + w.deltaBytes, 0) },
    junk,
  };
}

/** The wasted bytes the one-sentence story names, and where most of B's new ones are. */
export interface ExplainingWaste {
  /** B's wasted bytes minus A's: the size table's. */
  deltaBytes: number;
  /** The paths holding most of B's new wasted bytes (every copy of a path summed), biggest first, at most two. */
  biggest: { path: string; bytes: number; layers: number[] }[];
}

/**
 * The waste that explains a change, or null: by the rule the directories are picked by (the way the image moved,
 * a tenth of it or more). Only for a growth measured on layer bytes: final file bytes hold no waste. Without it, an
 * image grown mostly by files a later layer deleted was told by the directories alone, a fraction of the growth.
 */
export function explainingWaste(
  deltaBytes: number,
  fresh: WastedFile[],
  growth: { bytes: number; metric: 'uncompressed' | 'compressed' | 'files' },
): ExplainingWaste | null {
  if (growth.metric === 'files' || growth.bytes === 0) return null;
  if (Math.sign(deltaBytes) !== Math.sign(growth.bytes) || Math.abs(deltaBytes) < Math.abs(growth.bytes) / 10)
    return null;
  // Shrinking, the waste B no longer has is A's: B's new waste is not where it went.
  if (deltaBytes < 0) return { deltaBytes, biggest: [] };
  const byPath = new Map<string, { path: string; bytes: number; layers: number[] }>();
  for (const w of fresh) {
    const entry = byPath.get(w.path) ?? { path: w.path, bytes: 0, layers: [] };
    entry.bytes += w.sizeBytes;
    if (!entry.layers.includes(w.layer)) entry.layers.push(w.layer);
    byPath.set(w.path, entry);
  }
  const biggest = [...byPath.values()]
    .sort((x, y) => y.bytes - x.bytes || (x.path < y.path ? -1 : 1))
    .slice(0, 2)
    .map((e) => ({ ...e, layers: e.layers.sort((x, y) => x - y) }));
  return { deltaBytes, biggest };
}
