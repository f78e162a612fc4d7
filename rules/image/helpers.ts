// Shared by the image rules: grouping files by layer, grouping wasted files by the pair of layers involved, and naming a
// group by the directory its files have in common.
import type { WastedFile } from '../../src/analysis/measure.js';
import type { WasteCause } from '../../src/analysis/union.js';
import type { CACHE_CLASS_IDS } from '../../src/analysis/junk.js';
import { RPM_DATABASES } from '../../src/analysis/rpm.js';

// Databases the package manager (and useradd, ldconfig) rewrite in every step that installs: nobody writes these by
// hand, so neither "write the final version once" (IM004) nor "use COPY --chown" (IM005) is advice for them.
const STATE_DIRS = [
  'var/lib/dpkg/',
  'var/lib/apt/',
  'var/cache/debconf/',
  'var/cache/ldconfig/',
  'var/log/',
  'var/lib/rpm/',
  'usr/lib/sysimage/rpm/',
  'var/lib/dnf/',
  'var/lib/yum/',
  'lib/apk/db/',
  'etc/apk/',
];
const STATE_FILES = new Set(
  ['etc/ld.so.cache', 'etc/passwd', 'etc/group', 'etc/shadow', 'etc/gshadow', 'etc/subuid', 'etc/subgid'].flatMap(
    (f) => [f, `${f}-`],
  ),
);
/** Whether `path` (relative to the image root) is package-manager or account state. */
export const isSystemState = (path: string) => STATE_FILES.has(path) || STATE_DIRS.some((d) => path.startsWith(d));

// The package databases, the state a user knows a layer's rewritten state by (the installed list that grew), whatever
// file beside them is larger (debconf's templates, a dnf log). rpm's BerkeleyDB and ndb ones as well as its SQLite one.
const PACKAGE_DATABASES = [
  'var/lib/dpkg/status',
  'lib/apk/db/installed',
  ...RPM_DATABASES,
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages.db',
];
/** The package database among `files` (state of one group), if one is. */
export const packageDatabase = <T extends { path: string }>(files: readonly T[]): T | undefined =>
  files.find((f) => PACKAGE_DATABASES.includes(f.path));

/** How IM002's messages name its caches (CACHE_CLASS_IDS, in the order it reports them). */
export const CACHE_CLASSES: Record<(typeof CACHE_CLASS_IDS)[number], string> = {
  aptCache: '/var/cache/apt',
  apkCache: '/var/cache/apk',
  rpmCaches: '/var/cache/{yum,dnf,zypp}',
  pacmanCache: '/var/cache/pacman/pkg',
  pipCache: 'the pip cache',
  condaPkgs: 'the conda package cache',
  jsPackageCaches: 'the npm/yarn/pnpm cache',
  composerCache: 'the Composer cache',
  cpanmWork: 'the cpanm work directory',
  buildToolCaches: 'go/cargo/maven/gradle caches',
  npmLogs: '~/.npm/_logs',
  homeCaches: '~/.cache',
  leftDownloads: 'downloaded packages and archives',
};

export interface WasteGroup {
  layer: number;
  byLayer: number;
  files: number;
  bytes: number;
  /** The deepest directory holding every file of the group, or the file itself (never just `/`, see groupWaste). */
  path: string;
  largest: WastedFile;
  changes: Set<string>;
  /** The wasted copies the group counts (for the findings total, which counts each copy once). */
  members: WastedFile[];
}

/** Items grouped by their layer, in layer order: the rules that report one finding per layer. */
export function byLayer<T>(items: readonly T[], layerOf: (item: T) => number): [layer: number, items: T[]][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const layer = layerOf(item);
    let group = groups.get(layer);
    if (!group) groups.set(layer, (group = []));
    group.push(item);
  }
  return [...groups].sort((a, b) => a[0] - b[0]);
}

/** Common leading directory of the paths (absolute, as people read them). */
export function commonPath(paths: string[]): string {
  if (paths.length === 1) return `/${paths[0]}`;
  let prefix = paths[0].split('/').slice(0, -1);
  for (const p of paths.slice(1)) {
    const parts = p.split('/');
    let i = 0;
    while (i < prefix.length && i < parts.length - 1 && prefix[i] === parts[i]) i++;
    prefix = prefix.slice(0, i);
    if (prefix.length === 0) break;
  }
  return `/${prefix.join('/')}`;
}

/** The deepest directory holding every path (absolute): a file's own directory when there is one path. */
export function commonDirectory(paths: string[]): string {
  return paths.length === 1 ? `/${paths[0].split('/').slice(0, -1).join('/')}` : commonPath(paths);
}

/** The directory two levels down (`var/cache` of `var/cache/apt/x`), or the top one for a file right under it. */
const areaOf = (path: string) => path.split('/').slice(0, -1).slice(0, 2).join('/');

/**
 * Wasted files of one cause (or of any of several), grouped by the pair of layers (and by `kind`, when given: a rule's own split, a group of
 * one kind is kept whole). A group whose files share no directory (`/` tells people nothing) is split by the
 * directory two levels down (`/var/cache`, `/usr/lib`, `/app/src`).
 */
export function groupWaste(
  files: WastedFile[],
  cause: WasteCause | readonly WasteCause[],
  kind?: (f: WastedFile) => string,
): WasteGroup[] {
  const causes: readonly WasteCause[] = typeof cause === 'string' ? [cause] : cause;
  const groups = new Map<string, WastedFile[]>();
  for (const f of files) {
    if (!causes.includes(f.cause)) continue;
    const key = `${f.layer}:${f.byLayer}:${kind?.(f) ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  const split: WastedFile[][] = [];
  for (const [key, g] of groups) {
    if (!key.endsWith(':') || g.length === 1 || commonPath(g.map((f) => f.path)) !== '/') {
      split.push(g);
      continue;
    }
    const byArea = new Map<string, WastedFile[]>();
    for (const f of g) {
      const area = areaOf(f.path);
      let a = byArea.get(area);
      if (!a) byArea.set(area, (a = []));
      a.push(f);
    }
    split.push(...byArea.values());
  }
  return split.map((g) => {
    const largest = g.reduce((a, b) => (b.sizeBytes > a.sizeBytes ? b : a));
    const changes = new Set<string>();
    for (const f of g) if (f.change) changes.add(f.change);
    return {
      layer: largest.layer,
      byLayer: largest.byLayer,
      files: g.length,
      bytes: g.reduce((s, f) => s + f.sizeBytes, 0),
      path: commonPath(g.map((f) => f.path)),
      largest,
      changes,
      members: g,
    };
  });
}
