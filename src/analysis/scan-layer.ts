// One layer tar -> its entries (with the content sha256 of every regular file) and its counts, in one pass.
// Runs in a worker thread or in-process; what it returns is structured-clone friendly but for the entry list, which
// crosses as its columns (walk-worker.ts).
import { createHash, type Hash } from 'node:crypto';
import {
  budgetExceeded,
  DEFAULT_LIMITS,
  ImageHoles,
  imageHolesExceeded,
  LayerPaths,
  linkTooLong,
  MAX_PATH_LENGTH,
  MAX_XATTR_BYTES,
  xattrsTooLarge,
  type LayerLimits,
} from './limits.js';
import { EntryListBuilder, type EntryList } from './entry-list.js';
import { normalizePath, TarParser, type EntrySink, type TarHeader } from './tar-parser.js';
import type { DeviceNumbers } from '../image/tar-header.js';
import { formatBytes } from '../report/figures.js';

/** Entry kinds as stored per layer. `whiteout` removes `path`; `opaque` hides the lower children of `path`. */
export type ScanKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other' | 'whiteout' | 'opaque';

export interface ScanEntry {
  /** Normalised binary path (no leading `./` or `/`, no trailing `/`). For whiteouts: the path removed. */
  path: string;
  kind: ScanKind;
  /** Tar header size: content bytes for regular files, usually 0 otherwise. */
  size: number;
  /**
   * Content sha256 of a regular file: the 32 digest bytes as a binary (latin1) string, half the memory of hex at a
   * million files (`hexSha` gives the hex). Compared for equality and used as a map key only.
   */
  sha?: string;
  mode: number;
  uid: number;
  gid: number;
  /** Modification time (seconds since the epoch), to tell a touched re-copy from an identical one. */
  mtime?: number;
  /** Symlink target as written, hardlink target normalised. */
  link?: string;
  /** Extended attributes from PAX records (`SCHILY.xattr.NAME` / `LIBARCHIVE.xattr.NAME`), name -> raw value. */
  xattrs?: Record<string, string>;
  /** A character or block device's numbers (kind `other`, told from a FIFO by its mode's format bits). */
  device?: DeviceNumbers;
}

export interface LayerCounts {
  entries: number;
  files: number;
  fileBytes: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  other: number;
  whiteouts: number;
  opaqueWhiteouts: number;
}

export interface LayerScan {
  /** Bytes of the uncompressed tar stream, end-of-archive padding included (what the diffId hashes). */
  uncompressedBytes: number;
  counts: LayerCounts;
  /** dive's layer size: the sum of header sizes of every entry. */
  diveSizeBytes: number;
  /** Kept in columns (entry-list.ts): `entry(i)` gives a ScanEntry. */
  entries: EntryList;
  /** Content of small package-database files (dpkg status, *.list, RECORD, package.json...), by path. */
  captured: Record<string, string>;
  /** Bytes of the files asked for by content (`LayerPick`), by their sha (binary, as ScanEntry.sha). */
  picked?: Record<string, Buffer>;
  /** Zeros of sparse files' holes hashed (absent when none): a cached layer counts them to the image's budget too. */
  holeBytes?: number;
}

/**
 * Regular files whose bytes a scan keeps, asked for by content hash and size (a hardlink's bytes are known by the
 * inode's hash, not by the path it was read under). Only entries of a wanted size are held while they stream, one
 * at a time, and only up to `maxBytes`, so memory stays at one file of at most that size.
 */
export interface LayerPick {
  /** Binary sha -> size. */
  files: Record<string, number>;
  maxBytes: number;
}

/** A ScanEntry's `sha` in hex. */
export function hexSha(sha: string): string {
  return Buffer.from(sha, 'latin1').toString('hex');
}

/** The stat format bits of a tar's device and FIFO types (S_IFCHR, S_IFBLK, S_IFIFO). */
const FORMAT_BITS: Record<string, number> = { '3': 0o020000, '4': 0o060000, '6': 0o010000 };

/**
 * A device or FIFO's mode with its format bits. Most tar writers (GNU tar, tar-stream) store only the
 * permission bits and give the type in the typeflag alone; Go's FileInfoHeader keeps both. Filled in from the
 * typeflag when absent, so an `other` node's mode says what it is (explore's `crw-rw----`) whoever wrote the tar.
 */
function withFormatBits(header: TarHeader): number {
  const bits = FORMAT_BITS[header.typeflag];
  return bits !== undefined && (header.mode & 0o170000) === 0 ? header.mode | bits : header.mode;
}

/** Package metadata the analysis reads; small, so kept as text (latin1, so binary files survive too). */
const CAPTURE_LIMIT_BYTES = 32 * 1024 * 1024;

export function shouldCapture(path: string): boolean {
  return (
    path === 'var/lib/dpkg/status' ||
    (path.startsWith('var/lib/dpkg/status.d/') && !path.endsWith('.md5sums')) ||
    (path.startsWith('var/lib/dpkg/info/') && path.endsWith('.list')) ||
    // apt's and apk's marks of what was asked for, for what removing packages would give back (reclaim.ts)
    path === 'var/lib/apt/extended_states' ||
    path === 'etc/apk/world' ||
    path === 'lib/apk/db/installed' ||
    path === 'usr/lib/apk/db/installed' ||
    // binary (SQLite), a few MB; kept as latin1 text like the rest, which round-trips every byte
    path === 'var/lib/rpm/rpmdb.sqlite' ||
    path === 'usr/lib/sysimage/rpm/rpmdb.sqlite' ||
    (path.endsWith('/RECORD') && path.includes('.dist-info/')) ||
    // the size of an egg-info package; its name and version are in the directory name, so PKG-INFO is not kept
    path.endsWith('.egg-info/installed-files.txt') ||
    (path.endsWith('/package.json') && isNodePackageManifest(path)) ||
    // which OS the files are (bases --deep); /etc/os-release is often a link to the /usr/lib one
    path === 'etc/os-release' ||
    path === 'usr/lib/os-release'
  );
}

/** `.../node_modules/pkg/package.json` or `.../node_modules/@scope/pkg/package.json`. */
function isNodePackageManifest(path: string): boolean {
  const parts = path.split('/');
  const n = parts.length;
  if (n >= 3 && parts[n - 3] === 'node_modules') return true;
  return n >= 4 && parts[n - 4] === 'node_modules' && parts[n - 3].startsWith('@');
}

const XATTR_PREFIXES = ['SCHILY.xattr.', 'LIBARCHIVE.xattr.'];

/** The extended attributes a PAX header carries, or undefined (most entries have none, so nothing is stored). */
function xattrsOf(
  pax: Record<string, string> | undefined,
  what: string,
  path: string,
): Record<string, string> | undefined {
  if (!pax) return undefined;
  let out: Record<string, string> | undefined;
  // As Linux counts them (listxattr): each name and its NUL. Names and values are binary strings, a char a byte.
  let names = 0;
  for (const [key, value] of Object.entries(pax)) {
    const prefix = XATTR_PREFIXES.find((p) => key.startsWith(p));
    if (!prefix) continue;
    names += key.length - prefix.length + 1;
    if (names > MAX_XATTR_BYTES) throw xattrsTooLarge(what, path, 'names are');
    if (value.length > MAX_XATTR_BYTES) throw xattrsTooLarge(what, path, 'value is');
    (out ??= {})[key.slice(prefix.length)] = value;
  }
  return out;
}

export function emptyCounts(): LayerCounts {
  return {
    entries: 0,
    files: 0,
    fileBytes: 0,
    dirs: 0,
    symlinks: 0,
    hardlinks: 0,
    other: 0,
    whiteouts: 0,
    opaqueWhiteouts: 0,
  };
}

/** Hashes a file's content and, for package metadata, keeps its text. */
class FileSink implements EntrySink {
  private readonly hash: Hash = createHash('sha256');
  private chunks: Buffer[] | undefined;
  private kept = 0;

  constructor(
    private readonly entries: EntryListBuilder,
    private readonly index: number,
    private readonly path: string,
    private readonly capture: boolean,
    private readonly captured: Record<string, string>,
    private readonly pick: { wanted: Record<string, number>; picked: Record<string, Buffer> } | undefined,
    private readonly counted: (bytes: number) => void,
    private readonly holesCounted: (bytes: number) => void,
  ) {
    if (capture || pick) this.chunks = [];
  }

  holes(bytes: number): void {
    this.holesCounted(bytes);
  }

  data(chunk: Buffer): void {
    this.counted(chunk.length);
    this.hash.update(chunk);
    if (this.chunks) {
      this.kept += chunk.length;
      if (this.kept > CAPTURE_LIMIT_BYTES) this.chunks = undefined;
      else this.chunks.push(Buffer.from(chunk));
    }
  }

  end(): void {
    const sha = this.hash.digest('binary'); // 'binary' is latin1
    this.entries.setSha(this.index, sha);
    if (!this.chunks) return;
    const bytes = Buffer.concat(this.chunks);
    if (this.capture) this.captured[this.path] = bytes.toString('latin1');
    if (this.pick && this.pick.wanted[sha] === bytes.length) this.pick.picked[sha] = bytes;
  }
}

/** Incremental scanner: feed it the layer tar's bytes with `write`, then call `finish`. */
export class LayerScanner {
  private readonly counts = emptyCounts();
  private readonly entries = EntryListBuilder.take();
  private readonly captured: Record<string, string> = {};
  private diveSizeBytes = 0;
  private bytes = 0;
  /** Content bytes handed to the files' sinks: the tar's, plus the zeros of sparse files' holes. */
  private contentBytes = 0;
  /** Zeros of sparse holes this layer hashed (LayerScan.holeBytes). */
  private holeBytes = 0;
  private readonly parser: TarParser;
  private readonly picked: Record<string, Buffer> | undefined;
  private readonly pickSizes: Set<number> | undefined;
  private readonly paths: LayerPaths;

  constructor(
    private readonly what: string,
    private readonly limits: LayerLimits = DEFAULT_LIMITS,
    private readonly pick?: LayerPick,
    /** The holes hashed over the whole image so far, shared with its other layers (a new count by default). */
    private readonly imageHoles: ImageHoles = new ImageHoles(),
  ) {
    if (pick) {
      this.picked = {};
      this.pickSizes = new Set(Object.values(pick.files).filter((size) => size <= pick.maxBytes));
    }
    this.parser = new TarParser({ entry: (h) => this.onEntry(h) }, what);
    this.paths = new LayerPaths(what);
  }

  /**
   * Keeps an entry once its path passes the checks a layer cache hit gets too (limits.ts, LayerPaths); returns its
   * index in the list.
   */
  private keep(path: string, kind: ScanKind, header: TarHeader): number {
    this.paths.add(path);
    const mode = kind === 'other' ? withFormatBits(header) : header.mode;
    return this.entries.add(path, kind, header.size, mode, header.uid, header.gid, header.mtime);
  }

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    // Checked before parsing, so a decompression bomb stops at the budget instead of after it.
    if (this.bytes > this.limits.maxDecompressedBytes) throw budgetExceeded(this.what, 'bytes', this.limits);
    this.parser.write(chunk);
  }

  finish(): LayerScan {
    this.parser.end();
    const entries = this.entries.finish();
    EntryListBuilder.release(this.entries);
    return {
      uncompressedBytes: this.bytes,
      counts: this.counts,
      diveSizeBytes: this.diveSizeBytes,
      entries,
      captured: this.captured,
      ...(this.picked ? { picked: this.picked } : {}),
      ...(this.holeBytes ? { holeBytes: this.holeBytes } : {}),
    };
  }

  private onEntry(header: TarHeader): EntrySink | undefined {
    const c = this.counts;
    c.entries++;
    if (c.entries > this.limits.maxEntries) throw budgetExceeded(this.what, 'entries', this.limits);
    // A header declaring more content than the budget allows fails now, not after reading up to the budget.
    if (header.size > this.limits.maxDecompressedBytes) {
      throw budgetExceeded(
        this.what,
        'bytes',
        this.limits,
        `has an entry declaring ${header.size} bytes, more than the layer budget`,
      );
    }
    this.diveSizeBytes += header.size;
    const path = normalizePath(header.name);
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    if (base.startsWith('.wh.')) {
      const dir = slash < 0 ? '' : path.slice(0, slash);
      if (base === '.wh..wh..opq') {
        c.opaqueWhiteouts++;
        this.keep(dir, 'opaque', header);
      } else {
        c.whiteouts++;
        // Other `.wh..wh.*` markers (aufs hardlink dirs) name nothing that can exist in a filesystem.
        if (!base.startsWith('.wh..wh.'))
          this.keep(dir ? `${dir}/${base.slice(4)}` : base.slice(4), 'whiteout', header);
      }
      return undefined;
    }
    switch (header.type) {
      case 'file':
        c.files++;
        c.fileBytes += header.size;
        break;
      case 'dir':
        c.dirs++;
        break;
      case 'symlink':
        c.symlinks++;
        break;
      case 'hardlink':
        c.hardlinks++;
        break;
      default:
        c.other++;
    }
    if (path === '') return undefined; // the root directory itself
    if ((header.type === 'symlink' || header.type === 'hardlink') && header.linkname.length > MAX_PATH_LENGTH) {
      throw linkTooLong(this.what, path, header.linkname.length);
    }
    const index = this.keep(path, header.type, header);
    if (header.type === 'symlink') this.entries.setLink(index, header.linkname);
    else if (header.type === 'hardlink') this.entries.setLink(index, normalizePath(header.linkname));
    const xattrs = xattrsOf(header.pax, this.what, path);
    if (xattrs) this.entries.setXattrs(index, xattrs);
    if (header.device) this.entries.setDevice(index, header.device);
    if (header.type !== 'file') return undefined;
    const pick =
      this.pickSizes?.has(header.size) === true ? { wanted: this.pick!.files, picked: this.picked! } : undefined;
    return new FileSink(
      this.entries,
      index,
      path,
      shouldCapture(path),
      this.captured,
      pick,
      (n) => this.countContent(n),
      (n) => this.countHoles(n),
    );
  }

  /**
   * A sparse file's holes are hashed as the zeros a reader sees, but are not bytes of the tar: a few KB of sparse
   * headers could expand to terabytes. So the content the files expand to is held to the same budget. (Without
   * holes it never exceeds the tar bytes write() already checked, so only holes can trip this.)
   */
  private countContent(n: number): void {
    this.contentBytes += n;
    if (this.contentBytes > this.limits.maxDecompressedBytes)
      throw budgetExceeded(
        this.what,
        'bytes',
        this.limits,
        `expands to more than ${formatBytes(this.limits.maxDecompressedBytes)} with its sparse files' holes`,
      );
  }

  /**
   * The holes of the whole image, this layer's and those of the other layers read so far (in any thread), are held
   * to the same budget as one layer's bytes (see ImageHoles): counted before they are hashed, so the layer that
   * crosses the budget stops there, and so does any other still hashing holes.
   */
  private countHoles(n: number): void {
    this.holeBytes += n;
    if (this.imageHoles.add(n) > this.limits.maxDecompressedBytes) throw imageHolesExceeded(this.what, this.limits);
  }
}
