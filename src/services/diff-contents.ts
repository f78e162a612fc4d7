// `ballast diff --filename /etc/os-release`: how one file's contents differ between two images' final filesystems
// (container-diff's `--type=file --filename`). The path is resolved in each side's union filesystem as the walk
// built it (the last layer writing it wins, whiteouts and opaque directories remove it, a hardlink stands for its
// inode); a symlink at the path is reported with its target, not followed. Contents are read only when both sides
// are regular files with different hashes, each from the one layer that wrote it, streamed again with just that
// file's bytes kept (at most CONTENT_LIMIT_BYTES): nothing is extracted to disk and no layer is held whole.
import { isUtf8 } from 'node:buffer';
import { scanStoredLayer } from '../analysis/layer-pipeline.js';
import { ImageHoles, type LayerLimits } from '../analysis/limits.js';
import { hexSha } from '../analysis/scan-layer.js';
import { normalizePath } from '../analysis/tar-parser.js';
import { displayPath, typedPathCandidates, type DeviceNumbers } from '../image/tar-header.js';
import { inodeOf, type FsNode, type UnionFs } from '../analysis/union.js';
import { entryKind, metadataDelta, type MetadataDelta } from '../analysis/compare.js';
import { UsageError } from '../errors.js';
import type { Image } from '../image/types.js';
import { unifiedDiffWithin } from '../lint/unified-diff.js';
import { printablePath } from '../report/printable.js';

/** Files larger than this are compared by size and sha256 only (their bytes are not read again). */
export const CONTENT_LIMIT_BYTES = 4 * 1024 * 1024;
/** Removed plus added lines beyond which no unified diff is computed (its search grows with the square of this). */
const MAX_EDITS = 2000;

export type ContentStatus = 'identical' | 'changed' | 'added' | 'removed' | 'missing' | 'directory';

/** Every field is always there (null where it does not apply or was not found out), as the README lists them. */
export interface ContentSide {
  /** A FIFO or a device node by its type (`other`: a special file of no known type, or a dangling hardlink). */
  kind: 'file' | 'symlink' | 'directory' | 'fifo' | 'char-device' | 'block-device' | 'other';
  /** The layer that wrote it (for a hardlink: the layer that wrote the file's bytes). */
  layer: number;
  sizeBytes: number;
  /** A regular file's; null for anything else. */
  sha256: string | null;
  /** A symlink's target, as written; null for anything else. */
  target: string | null;
  /**
   * Whether the bytes hold a NUL or are not valid UTF-8; null when they were not read, which is only when they are
   * diffed or shown: the same content on both sides, a file above CONTENT_LIMIT_BYTES, or not a regular file.
   */
  binary: boolean | null;
  /** A character or block device's numbers; null for anything else. */
  device: DeviceNumbers | null;
}

function side(
  kind: ContentSide['kind'],
  layer: number,
  sizeBytes: number,
  more: Partial<ContentSide> = {},
): ContentSide {
  return { kind, layer, sizeBytes, sha256: null, target: null, binary: null, device: null, ...more };
}

export interface FileContentDiff {
  /**
   * The path as asked for, normalised (`/etc/os-release`); when either image has it, as that image names it (the
   * `\xHH` a report wrote for a blank or a byte, typed back, read as what it stands for, as the file lists show it).
   */
  path: string;
  /**
   * `identical`/`changed` when both images have it, `added` (B only), `removed` (A only), `missing` (neither),
   * `directory` when it is a directory in both (not compared); a directory in one image only is `removed` or `added`,
   * with `note` `directory`.
   */
  status: ContentStatus;
  a: ContentSide | null;
  b: ContentSide | null;
  /**
   * Why a changed path, or a file on one side only, has no unified diff: binary, above the size cap, another kind of
   * entry, too many changes (lines, for a file on one side only); or `metadata` when the content is the same and only
   * the mode, owner or extended attributes changed; `directory` for a directory on one side only (not compared: the
   * files section lists what is below it).
   */
  note?: 'binary' | 'too-large' | 'kind' | 'target' | 'device' | 'too-many-changes' | 'metadata' | 'directory';
  /**
   * The mode, owner, hardlink target or extended attributes that differ, as in the files section (`changed[].metadata`):
   * "identical" for a file made executable read as if nothing had changed.
   */
  metadata?: MetadataDelta;
  /**
   * Unified diff (`--- a/PATH`, `+++ b/PATH`) of a changed text file, or of one on one side only (from or to
   * `/dev/null`: its whole text), else null.
   */
  diff: string | null;
}

/** The paths of `--filename`, normalised; a relative path is a usage error (exit 2). */
export function parseFilenames(values: string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    if (!value.startsWith('/')) {
      throw new UsageError(`--filename ${value}: not an absolute path`, {
        code: 'usage',
        hint: 'give the path inside the image from its root, like /etc/os-release',
      });
    }
    const path = `/${normalizePath(value)}`;
    if (!out.includes(path)) out.push(path);
  }
  return out;
}

interface Resolved {
  side: ContentSide;
  /** The entry at the path (a hardlink's own, not its file's), for its mode and owner. */
  node?: FsNode;
  /** Binary sha of a regular file's bytes. */
  sha?: string;
}

/**
 * The binary path `path` names in either image: as typed, or with its `\xHH` escapes read as the bytes (or
 * characters) the reports wrote them for, the first of these either side has.
 */
function binaryPath(a: UnionFs, b: UnionFs, path: string): string {
  const candidates = typedPathCandidates(path.slice(1));
  const exists = (fs: UnionFs, binary: string) => binary === '' || fs.nodes.get(fs.resolvePath(binary)) !== undefined;
  return candidates.find((c) => exists(a, c) || exists(b, c)) ?? candidates[0];
}

function resolve(fs: UnionFs, binary: string): Resolved | null {
  // Parent directories that are symlinks are followed (`/bin/ls` under a merged /usr); the last component is not.
  const node: FsNode | undefined = binary === '' ? undefined : fs.nodes.get(fs.resolvePath(binary));
  if (binary === '') return { side: side('directory', 0, 0) };
  if (!node) return null;
  if (node.kind === 'dir') return { side: side('directory', node.layer, 0) };
  if (node.kind === 'symlink')
    return { side: side('symlink', node.layer, node.size, { target: node.link ?? '' }), node };
  const inode = inodeOf(node);
  if (inode.kind === 'file' && inode.sha !== undefined) {
    return {
      side: side('file', inode.layer, inode.size, { sha256: hexSha(inode.sha) }),
      sha: inode.sha,
      node,
    };
  }
  // Devices, fifos, and a hardlink whose target was never a file.
  const kind = entryKind(node);
  const special = kind === 'fifo' || kind === 'char-device' || kind === 'block-device' ? kind : 'other';
  return { side: side(special, node.layer, node.size, { device: node.device ?? null }), node };
}

/** The bytes of the wanted files of each layer of `image`, by binary sha: one streamed read per layer. */
async function readContents(
  image: Image,
  wanted: Map<number, Record<string, number>>,
  limits: LayerLimits | undefined,
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (!wanted.size) return out;
  const layers = await image.layers();
  // The sparse holes of these layers count together, as in the image's walk (see ImageHoles).
  const imageHoles = new ImageHoles().shared;
  for (const [index, files] of wanted) {
    const scan = await scanStoredLayer(await layers[index].compressed(), {
      what: `layer ${index} of ${image.ref.name}`,
      limits,
      pick: { files, maxBytes: CONTENT_LIMIT_BYTES },
      imageHoles,
    });
    for (const [sha, bytes] of Object.entries(scan.picked ?? {})) out.set(sha, bytes);
  }
  return out;
}

/**
 * Binary when it holds a NUL (git looks for one in the first 8000 bytes; the whole file is read here anyway) or is
 * not valid UTF-8: a latin-1 text or a compressed blob without a NUL would otherwise be decoded into U+FFFD and
 * shown as a garbled diff, where its sizes and digests say more.
 */
function isBinary(bytes: Buffer): boolean {
  return bytes.includes(0) || !isUtf8(bytes);
}

/** Compares `paths` (from parseFilenames) between the two final filesystems. */
export async function compareContents(
  a: { image: Image; fs: UnionFs },
  b: { image: Image; fs: UnionFs },
  paths: string[],
  limits?: LayerLimits,
): Promise<FileContentDiff[]> {
  const pairs = paths.map((typed) => {
    const binary = binaryPath(a.fs, b.fs, typed);
    const [ra, rb] = [resolve(a.fs, binary), resolve(b.fs, binary)];
    // The image's name, not the `\x20` typed from a text report: a program reading --json looks the path up as is.
    const path = ra || rb ? `/${displayPath(binary)}` : typed;
    return { path, a: ra, b: rb };
  });
  const wantedA = new Map<number, Record<string, number>>();
  const wantedB = new Map<number, Record<string, number>>();
  const want = (map: Map<number, Record<string, number>>, r: Resolved) => {
    const files = map.get(r.side.layer) ?? {};
    files[r.sha!] = r.side.sizeBytes;
    map.set(r.side.layer, files);
  };
  const readable = (r: Resolved | null): r is Resolved =>
    r?.sha !== undefined && r.side.sizeBytes <= CONTENT_LIMIT_BYTES;
  for (const p of pairs) {
    // A file on one side only is read too: its whole text is the diff (from or to /dev/null, as git shows it).
    if (readable(p.a) && !p.b) want(wantedA, p.a);
    else if (readable(p.b) && !p.a) want(wantedB, p.b);
    if (!readable(p.a) || !readable(p.b) || p.a.sha === p.b.sha) continue;
    want(wantedA, p.a);
    want(wantedB, p.b);
  }
  const [bytesA, bytesB] = [await readContents(a.image, wantedA, limits), await readContents(b.image, wantedB, limits)];

  return pairs.map(({ path, a: ra, b: rb }): FileContentDiff => {
    const base = { path, a: ra?.side ?? null, b: rb?.side ?? null, diff: null };
    // A header is one line: a newline in the name (typed raw) would end it and start a line of the name's own.
    const header = printablePath(path.slice(1));
    if (!ra && !rb) return { ...base, status: 'missing' };
    if (ra?.side.kind === 'directory' || rb?.side.kind === 'directory') {
      if (ra && rb && ra.side.kind !== rb.side.kind) return { ...base, status: 'changed', note: 'kind' };
      // On one side only it was removed or added, as a file would be: "directory" beside "absent" read as both.
      if (!ra || !rb) return { ...base, status: ra ? 'removed' : 'added', note: 'directory' };
      return { ...base, status: 'directory' };
    }
    if (!ra || !rb) {
      // On one side only: its text as the diff when it was read and is text; when it is not shown, `note` says why,
      // as for a changed file of that kind (a `diff: null` alone left the reader to guess).
      const [only, bytes] = ra ? [ra, bytesA.get(ra.sha ?? '')] : [rb!, bytesB.get(rb!.sha ?? '')];
      const status = ra ? ('removed' as const) : ('added' as const);
      const tooLarge = only.sha !== undefined && only.side.sizeBytes > CONTENT_LIMIT_BYTES;
      if (!bytes) return { ...base, status, ...(tooLarge ? { note: 'too-large' as const } : {}) };
      const read = { ...only.side, binary: isBinary(bytes) };
      const sides = ra ? { a: read } : { b: read };
      if (read.binary) return { ...base, ...sides, status, note: 'binary' };
      if (bytes.length === 0) return { ...base, ...sides, status };
      const text = bytes.toString('utf8');
      const diff = unifiedDiffWithin(header, ra ? text : undefined, ra ? undefined : text, MAX_EDITS);
      return diff === undefined
        ? { ...base, ...sides, status, note: 'too-many-changes' }
        : { ...base, ...sides, status, diff };
    }
    const sa = ra.side;
    const sb = rb.side;
    if (sa.kind !== sb.kind) return { ...base, status: 'changed', note: 'kind' };
    // Mode, owner and xattrs as the files section compares them; a symlink's target is told by its own note.
    const delta = ra.node && rb.node ? metadataDelta(ra.node, rb.node) : undefined;
    const fields = delta?.fields.filter((f) => !(sa.kind === 'symlink' && f === 'link'));
    const meta = delta && fields?.length ? { metadata: { ...delta, fields } } : {};
    // The same content with another mode or owner is a change: `identical` hid a file made executable or setuid.
    const sameContent = meta.metadata
      ? { ...base, ...meta, status: 'changed' as const, note: 'metadata' as const }
      : { ...base, status: 'identical' as const };
    if (sa.kind === 'symlink')
      return sa.target === sb.target ? sameContent : { ...base, ...meta, status: 'changed', note: 'target' };
    // A device node's numbers are what it is: other numbers are another device, whatever the mode.
    if (sa.kind === 'char-device' || sa.kind === 'block-device')
      return sa.device?.major === sb.device?.major && sa.device?.minor === sb.device?.minor
        ? sameContent
        : { ...base, ...meta, status: 'changed', note: 'device' };
    if (sa.kind !== 'file') return sameContent;
    if (ra.sha === rb.sha) return sameContent;
    const before = bytesA.get(ra.sha!);
    const after = bytesB.get(rb.sha!);
    if (!before || !after) return { ...base, ...meta, status: 'changed', note: 'too-large' };
    const a2 = { ...sa, binary: isBinary(before) };
    const b2 = { ...sb, binary: isBinary(after) };
    const changed = { ...base, ...meta, a: a2, b: b2, status: 'changed' as const };
    if (a2.binary || b2.binary) return { ...changed, note: 'binary' };
    const diff = unifiedDiffWithin(header, before.toString('utf8'), after.toString('utf8'), MAX_EDITS);
    return diff === undefined ? { ...changed, note: 'too-many-changes' } : { ...changed, diff };
  });
}
