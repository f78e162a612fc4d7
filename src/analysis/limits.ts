// Budgets for one layer: how many bytes its tar may decompress to and how many entries it may hold. Images come
// from strangers; without a cap a 1 MB gzip of zeros costs minutes of CPU and 10 million empty entries cost
// gigabytes of entry list. The defaults sit far above every real image measured (the corpus's largest layer is
// 488 MB and 29,614 entries) so that only hostile or absurd layers trip them.
import { aboutLayer, SourceError } from '../errors.js';
import type { LayerScan } from './scan-layer.js';
import { formatBytes } from '../report/figures.js';
import { displayPath } from '../image/tar-header.js';

export interface LayerLimits {
  /** Decompressed tar bytes per layer. */
  maxDecompressedBytes: number;
  /** Tar entries per layer (files, directories, links, whiteouts). */
  maxEntries: number;
  /**
   * How a budget was set when not by its flag (`limits.maxEntries: 1 in ci/ballast.yaml`, a variable): the error
   * names what the user wrote, not a flag never typed.
   */
  setBy?: { bytes?: string; entries?: string };
}

export const DEFAULT_LIMITS: LayerLimits = {
  maxDecompressedBytes: 16 * 1024 ** 3,
  maxEntries: 2_000_000,
};

/**
 * Layers one image may have. Docker refuses to build or run more than 127 (overlayfs stacks no more), so an image
 * of thousands is hostile or broken, and reading it repeats the per-layer work (a stream, a decoder, a cache entry)
 * thousands of times: 10,000 copies of one empty layer took 30-60 s. Below the bound that work is small (1,000
 * layers: 1-2 s, the cache cold or not). Refused before any layer is read.
 */
export const MAX_LAYERS = 1000;

/** The refusal of an image with more than MAX_LAYERS layers: exit 2, naming the image and its layer count. */
export function tooManyLayers(where: string, count: number): SourceError {
  return new SourceError(`${where} has ${count} layers, more than the ${MAX_LAYERS} ballast reads`, {
    code: 'too-many-layers',
    hint: 'container runtimes stack at most 127 layers, so this image cannot run; rebuild it with fewer layers',
  });
}

/**
 * The longest entry path a layer may hold, in characters: Linux's PATH_MAX (4,096 bytes). Runtimes extract layers
 * by full path, so a longer one cannot be in a runnable image. Every directory above a file is kept under its full
 * path, so one entry's cost grows with the square of its depth (one 20,000-deep path took 905 MB and 10 s); at this
 * bound one entry costs about 10 MB, and LayerPaths bounds how many such entries a layer may hold.
 */
export const MAX_PATH_LENGTH = 4096;

/**
 * The characters of the distinct directories a layer's entries lie in (each counted once) a layer may name beyond
 * PATH_CHARS_PER_ENTRY per entry. Ordinary layers name well under a hundred per entry (most entries share their
 * directory with others); twenty distinct 4,000-deep paths name 80 million in 20 entries (663 MB of RSS and 9 s
 * for a 3 KB layer). An entry's own path is not counted: at most MAX_PATH_LENGTH each, it costs what the entry
 * count already bounds, and counted it would refuse a real layer of many long paths (pnpm's, say).
 */
export const PATH_CHARS_FLOOR = 16 * 1024 * 1024;
export const PATH_CHARS_PER_ENTRY = 256;

/**
 * Linux's bounds on one file's extended attributes: the list of their names (XATTR_LIST_MAX) and one value
 * (XATTR_SIZE_MAX), 64 KiB each. A runtime cannot set more, and each entry keeps its xattrs: 20 entries of 400,000
 * PAX xattr records each (a 20 MB gzip layer) took 1.7 GB and 32 s.
 */
export const MAX_XATTR_BYTES = 64 * 1024;

/** The refusal of an entry whose xattrs are over MAX_XATTR_BYTES: exit 2, naming the layer and the entry. */
export function xattrsTooLarge(what: string, path: string, which: string): SourceError {
  const { message, detail } = aboutLayer(
    what,
    `has an entry (${displayPath(path)}) whose extended attribute ${which} over the ${MAX_XATTR_BYTES} bytes Linux allows`,
  );
  return new SourceError(message, {
    code: 'xattrs-too-large',
    detail,
    hint: 'no container runtime can set these extended attributes; the layer is corrupt or hostile, rebuild it',
  });
}

/** The refusal of an entry whose path is longer than MAX_PATH_LENGTH: exit 2, naming the layer and the length. */
export function pathTooLong(what: string, length: number): SourceError {
  const { message, detail } = aboutLayer(
    what,
    `has an entry whose path is ${length} characters long, more than the ${MAX_PATH_LENGTH} ballast reads`,
  );
  return new SourceError(message, {
    code: 'path-too-long',
    detail,
    hint: 'Linux cannot create a path over 4096 bytes, so no container runtime can extract this layer',
  });
}

/**
 * The refusal of a symlink or hardlink whose target is longer than MAX_PATH_LENGTH: exit 2, naming the layer and the
 * entry. symlink(2) and link(2) take no longer target, and each entry keeps its target: 100 symlinks of 16 MB targets
 * (PAX records; a 7 MB gzip layer) took 1.7 GB of memory.
 */
export function linkTooLong(what: string, path: string, length: number): SourceError {
  const { message, detail } = aboutLayer(
    what,
    `has an entry (${displayPath(path)}) whose link target is ${length} characters long, more than the ${MAX_PATH_LENGTH} ballast reads`,
  );
  return new SourceError(message, {
    code: 'path-too-long',
    detail,
    hint: 'Linux cannot create a link to a path over 4096 bytes, so no container runtime can extract this layer',
  });
}

/**
 * The path checks of one layer, entry by entry, the same whether the entries stream from its tar or come back from
 * the layer cache (written by an older ballast, maybe with a longer bound). Each directory is counted once, however
 * the tar orders its entries: tars written without sorting (`docker export`, kaniko, `tar --sort=none`) list a
 * directory's contents apart, and counting against the previous entry alone counted the same directories again
 * for every entry, refusing real layers of deep node_modules trees. The walk up from an entry stops at the first
 * directory already seen (its own are all seen then), so known directories cost one lookup.
 */
export class LayerPaths {
  private entries = 0;
  private chars = 0;
  private readonly directories = new Set<string>();

  constructor(private readonly what: string) {}

  add(path: string): void {
    if (path.length > MAX_PATH_LENGTH) throw pathTooLong(this.what, path.length);
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const directory = path.slice(0, i);
      if (this.directories.has(directory)) break;
      this.directories.add(directory);
      this.chars += i;
    }
    this.entries++;
    const allowed = PATH_CHARS_FLOOR + PATH_CHARS_PER_ENTRY * this.entries;
    if (this.chars > allowed) {
      const { message, detail } = aboutLayer(
        this.what,
        `names more than ${allowed} characters of directories in ${this.entries} entries, more than ballast reads`,
      );
      throw new SourceError(message, {
        code: 'paths-too-deep',
        detail,
        hint: 'only many deeply nested paths come to this; no build of a real filesystem writes them',
      });
    }
  }
}

/**
 * `what` ("layer 3 of image.tar") went past one budget of `limits`: exit 2, naming the layer, the budget and what set
 * it (the flag, unless `limits.setBy` says otherwise).
 */
export function budgetExceeded(
  what: string,
  budget: 'bytes' | 'entries',
  limits: LayerLimits,
  detail?: string,
): SourceError {
  const limit = budget === 'bytes' ? limits.maxDecompressedBytes : limits.maxEntries;
  const [flag, key, text] =
    budget === 'bytes'
      ? ['--max-decompressed-bytes', 'maxDecompressedBytes', `decompresses to more than ${formatBytes(limit)}`]
      : ['--max-entries', 'maxEntries', `has more than ${limit} entries`];
  const setBy = limits.setBy?.[budget];
  const said = aboutLayer(what, `${detail ?? text} (budget ${setBy ?? `${flag} ${limit}`})`);
  return new SourceError(said.message, {
    code: 'budget',
    detail: said.detail,
    hint: `if the image is trusted, raise the budget with ${flag} or limits.${key} in .ballast.yaml`,
  });
}

/**
 * The budget a layer already scanned (a layer cache hit) is over, as the error a read of it would have stopped with,
 * or undefined: the budgets are the caller's, not the cache's, so the same command gives the same exit code cold or
 * warm. A read stops at whichever budget it crosses first, which depends on how the stream was chunked; the scan
 * keeps no offsets, so this checks entries, then bytes. (A read may also stop at the header of one entry declaring
 * more than the bytes budget; from the scan that layer is over the bytes budget as a whole, and is reported so.)
 */
export function scanOverBudget(
  what: string,
  scan: Pick<LayerScan, 'uncompressedBytes' | 'counts' | 'entries'>,
  limits: LayerLimits = DEFAULT_LIMITS,
): SourceError | undefined {
  if (scan.counts.entries > limits.maxEntries) return budgetExceeded(what, 'entries', limits);
  if (scan.uncompressedBytes > limits.maxDecompressedBytes) return budgetExceeded(what, 'bytes', limits);
  // The path checks, which an older ballast may have made with a longer bound or not at all.
  const paths = new LayerPaths(what);
  try {
    for (let i = 0; i < scan.entries.length; i++) paths.add(scan.entries.path(i));
    for (const [i, link] of scan.entries.columns.links) {
      if (link.length > MAX_PATH_LENGTH) throw linkTooLong(what, scan.entries.path(i), link.length);
    }
  } catch (error) {
    return error as SourceError;
  }
  return undefined;
}

/** The refusal of the holes that take the image over its budget (see ImageHoles), at the layer `what`. */
export function imageHolesExceeded(what: string, limits: LayerLimits): SourceError {
  return budgetExceeded(
    what,
    'bytes',
    limits,
    `brings the holes of the image's sparse files, all layers together, to more than ${formatBytes(limits.maxDecompressedBytes)}`,
  );
}

/**
 * The zeros of sparse files' holes hashed so far over one image (all the layers one walk reads), shared by the
 * layers as they are scanned, in worker threads or in-process (a SharedArrayBuffer is shared, not copied, when
 * posted to a worker). Each layer's holes are held to maxDecompressedBytes (LayerScanner.countContent), but an
 * image may have MAX_LAYERS layers: 1,000 distinct 1 KB layers of 15 GiB of holes each would hash 15 TB of zeros,
 * hours from a 1 MB input. Real images carry no sparse entries (Go's archive/tar, which Docker, BuildKit and
 * containerd write layers with, never emits them), so the holes of the whole image are held to the same budget as
 * one layer's bytes. A layer not read (from the layer cache, or another image's walk) adds what reading it would
 * have: the exit code must not depend on what the cache holds.
 */
export class ImageHoles {
  private readonly total: BigInt64Array;

  constructor(readonly shared: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.total = new BigInt64Array(shared);
  }

  /** Counts `bytes` more of holes; returns the image's total so far, this layer's and every other layer's. */
  add(bytes: number): number {
    return Number(Atomics.add(this.total, 0, BigInt(bytes))) + bytes;
  }
}
