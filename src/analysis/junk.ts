// Junk classes in the final filesystem: bytes an image rarely needs at run time. The first ten classes use
// exactly the reference definitions (corpus/layerstats.py), so their numbers can be compared; the others
// widen the net. A file may belong to several classes; each class counts it once.
//
// A hard-linked file counts for a class only when every live name of its inode is in the class: a name outside it
// keeps the bytes, so removing the junk would reclaim nothing (pnpm links its store's files into node_modules, and
// the store, listed first, holds the bytes). Files with one name are counted as the reference counts them. The
// secret classes are the exception: a secret is readable under any of its names, so it counts if any name is in the
// class, once, under such a name.

export interface JunkClass {
  id: string;
  /** What people call it. */
  title: string;
  /** What to do about it. */
  advice: string;
  match(path: string): boolean;
  /**
   * `match` depends only on the directory a file is in (`var/cache/apt/...`, any file below a `.git`), never on its
   * name: the junk pass then asks it once per directory, not once per file (JunkCounter, `classesOf`).
   */
  dirOnly?: boolean;
  /**
   * Whether a file `match` took is in use all the same, as the rest of the final filesystem shows (a Yarn
   * Plug'n'Play app's cache is its installed packages). Asked only once `match` holds; with no filesystem to ask
   * (a path judged by its name alone), it is not.
   */
  inUse?(path: string, fs: FinalFiles): boolean;
}

/** Whether `path` is junk of class `c` (asking `fs`, when given, whether the file is in use). */
export const inJunkClass = (c: JunkClass, path: string, fs?: FinalFiles): boolean =>
  c.match(path) && !(fs && c.inUse?.(path, fs));

/** What a junk class may ask of the final filesystem beyond a file's own path. */
export interface FinalFiles {
  /** Whether something other than a directory is at `path` (relative to the root, no leading slash). */
  exists(path: string): boolean;
  /** Whether something other than a directory has the base name `name`, anywhere. */
  anyNamed(name: string): boolean;
}

/**
 * `fs` answering each question once: the classes ask per matching file, and the files of one Yarn cache, thousands,
 * all ask about the same `.pnp.cjs`.
 */
export function rememberingFinalFiles(fs: FinalFiles): FinalFiles {
  const exists = new Map<string, boolean>();
  const named = new Map<string, boolean>();
  const ask = (known: Map<string, boolean>, key: string, question: (key: string) => boolean) => {
    let answer = known.get(key);
    if (answer === undefined) known.set(key, (answer = question(key)));
    return answer;
  };
  return {
    exists: (path) => ask(exists, path, (p) => fs.exists(p)),
    anyNamed: (name) => ask(named, name, (n) => fs.anyNamed(n)),
  };
}

// Every class is asked about every file of the final filesystem (45k in corpus `big`, on the command's critical path
// after the last layer is read): these helpers make no string or array per call.
const under = (p: string, dirs: readonly string[]) => dirs.some((d) => p.startsWith(d));
/** A test of whether a directory named `name` is on a path (`/${p}` includes `/${name}/`). */
function inDir(name: string): (p: string) => boolean {
  const needle = `/${name}/`;
  return (p) => (p.startsWith(name) && p.charCodeAt(name.length) === SLASH) || p.includes(needle);
}
/** A test of whether a path component is `name`, a directory on the path or the file itself (`/${p}/` includes it). */
function inPart(name: string): (p: string) => boolean {
  const dir = inDir(name);
  return (p) => dir(p) || p === name || (p.endsWith(name) && p.charCodeAt(p.length - name.length - 1) === SLASH);
}
/** Whether the base name is `name`. */
const named = (p: string, name: string) =>
  p.endsWith(name) && (p.length === name.length || p.charCodeAt(p.length - name.length - 1) === SLASH);
const SLASH = 0x2f;
const inGitDir = inDir('.git');
const inNodeModules = inPart('node_modules');
const inPycache = inDir('__pycache__');
const inGoModules = inDir('go/pkg/mod');
const inRpmbuild = inDir('rpmbuild');
const inSitePackages = inDir('site-packages');
const inDistPackages = inDir('dist-packages');
const inNodeModulesDir = inDir('node_modules');
const TMP_DIRS = ['tmp/', 'var/tmp/'];
const DOC_DIRS = ['usr/share/doc/', 'usr/share/man/', 'usr/share/info/'];
const HOME_CACHE_DIRS = ['root/.cache/', 'root/.npm/'];
const RPM_CACHE_DIRS = ['var/cache/yum/', 'var/cache/dnf/', 'var/cache/zypp/', 'var/cache/libdnf5/'];

const YARN_PROJECT_CACHE = /(^|\/)\.yarn\/cache\//;
/** Yarn Berry's global cache: `~/.yarn/berry/cache`, or `$XDG_DATA_HOME/yarn/berry/cache`. */
const YARN_GLOBAL_CACHE = /(^|\/)\.?yarn\/berry\/cache\//;
const PNP_FILES = ['.pnp.cjs', '.pnp.js'];

/**
 * Whether `p` is in a Yarn cache a Plug'n'Play app loads its packages from (through `.pnp.cjs`, `.pnp.js` with
 * Yarn 2), so that cleaning the cache breaks the app. A project cache (`<dir>/.yarn/cache`, Yarn 2 and 3) is read
 * by the project at `<dir>` only; the global cache (Yarn 4's, and Yarn 3's mirror) may be read by any such app, so
 * any `.pnp.cjs` in the image keeps it.
 */
function yarnPnpCache(p: string, fs: FinalFiles): boolean {
  const project = YARN_PROJECT_CACHE.exec(p);
  if (project) {
    const dir = p.slice(0, project.index + project[1].length);
    if (PNP_FILES.some((f) => fs.exists(`${dir}${f}`))) return true;
  }
  return YARN_GLOBAL_CACHE.test(p) && PNP_FILES.some((f) => fs.anyNamed(f));
}

/**
 * Whether a cache class of IM002 other than `leftDownloads` claims `path` by its name (asked when a file is judged, once
 * both lists exist).
 */
const inOtherCacheClass = (path: string): boolean =>
  JUNK_CLASSES.some(
    (c) => c.id !== 'leftDownloads' && (CACHE_CLASS_IDS as readonly string[]).includes(c.id) && c.match(path),
  );

export const JUNK_CLASSES: JunkClass[] = [
  {
    id: 'aptLists',
    dirOnly: true,
    title: 'apt package lists',
    advice: 'run `rm -rf /var/lib/apt/lists/*` in the same RUN as `apt-get update`',
    match: (p) => p.startsWith('var/lib/apt/lists/'),
  },
  {
    id: 'aptCache',
    dirOnly: true,
    title: 'apt cache and downloaded .debs',
    advice: 'run `apt-get clean` in the same RUN as `apt-get install`, or use a cache mount',
    match: (p) => p.startsWith('var/cache/apt/'),
  },
  {
    id: 'gitDirs',
    dirOnly: true,
    title: '.git directories',
    advice: 'add `.git` to .dockerignore',
    match: (p) => inGitDir(p),
  },
  {
    id: 'nodeModules',
    title: 'node_modules',
    advice: 'install production dependencies only (`npm ci --omit=dev`) in a build stage and copy the result',
    match: (p) => inNodeModules(p),
  },
  {
    id: 'pythonBytecode',
    title: 'Python bytecode (__pycache__, .pyc)',
    advice: 'set PYTHONDONTWRITEBYTECODE=1 and add __pycache__ to .dockerignore',
    match: (p) => p.endsWith('.pyc') || inPycache(p),
  },
  {
    id: 'docsManInfo',
    dirOnly: true,
    title: 'docs, man and info pages',
    advice: 'install with --no-install-recommends and exclude /usr/share/{doc,man,info} with dpkg path-exclude',
    match: (p) => under(p, DOC_DIRS),
  },
  {
    id: 'tmpDirs',
    dirOnly: true,
    title: 'temp directories',
    advice: 'clean /tmp and /var/tmp in the RUN that wrote them',
    match: (p) => under(p, TMP_DIRS),
  },
  {
    id: 'homeCaches',
    dirOnly: true,
    title: 'caches in home directories',
    advice: 'use a cache mount (`RUN --mount=type=cache,target=/root/.cache`) or remove the cache in the same RUN',
    match: (p) => under(p, HOME_CACHE_DIRS) || p.includes('/.cache/'),
  },
  {
    id: 'logs',
    dirOnly: true,
    title: 'logs',
    advice: 'remove /var/log/* written during the build',
    match: (p) => p.startsWith('var/log/'),
  },
  {
    id: 'dotenvFiles',
    title: '.env files',
    advice: 'add `.env` to .dockerignore and pass secrets at run time',
    match: (p) => named(p, '.env'),
  },
  // Beyond the reference set.
  {
    id: 'apkCache',
    dirOnly: true,
    title: 'apk cache',
    advice: 'use `apk add --no-cache`',
    match: (p) => p.startsWith('var/cache/apk/') && !p.endsWith('/'),
  },
  {
    id: 'rpmCaches',
    dirOnly: true,
    title: 'yum/dnf/zypper caches',
    advice: 'run `yum clean all` / `dnf clean all` / `zypper clean -a` in the same RUN',
    // yum 3 caches in /var/cache/yum, dnf 4 in /var/cache/dnf, dnf5 (dnf and microdnf on Fedora 41 and later) in
    // /var/cache/libdnf5, libdnf5's default system cachedir; zypper in /var/cache/zypp.
    match: (p) => under(p, RPM_CACHE_DIRS),
  },
  {
    id: 'pacmanCache',
    dirOnly: true,
    title: 'pacman package cache',
    advice: 'run `rm -rf /var/cache/pacman/pkg/*` (or `yes | pacman -Scc`) in the same RUN as `pacman -S`',
    match: (p) => p.startsWith('var/cache/pacman/pkg/'),
  },
  {
    id: 'pipCache',
    dirOnly: true,
    title: 'pip cache',
    advice: 'use `pip install --no-cache-dir`',
    match: (p) => p.includes('.cache/pip/') || p.includes('pip-cache/'),
  },
  {
    id: 'jsPackageCaches',
    dirOnly: true,
    title: 'npm/yarn/pnpm caches',
    advice:
      'run `npm cache clean --force` / `yarn cache clean` (`yarn cache clean --all` for Yarn Berry) or use a cache mount',
    match: (p) =>
      /(^|\/)(\.npm\/_cacache|\.yarn\/cache|\.cache\/yarn|\.pnpm-store|\.local\/share\/pnpm\/store)\//.test(p) ||
      YARN_GLOBAL_CACHE.test(p) ||
      p.startsWith('usr/local/share/.cache/yarn/'),
    inUse: yarnPnpCache,
  },
  {
    // The `pkgs` directory of a conda root by its usual names (`/opt/conda`, `~/miniconda3`, `~/micromamba`,
    // `~/.local/share/mamba`, the user's `~/.conda`). Its unpacked packages are hard links of the environments' files,
    // which keep them (see the hard-link rule above): what counts is the downloaded archives and what nothing links.
    id: 'condaPkgs',
    dirOnly: true,
    title: 'conda/mamba package cache',
    advice:
      'run `conda clean -afy` (`micromamba clean --all --yes`) in the same RUN as the install, or use a cache mount',
    match: (p) => /(^|\/)(\.?conda|miniconda3?|anaconda3?|miniforge3?|mambaforge|micromamba|mamba)\/pkgs\//.test(p),
  },
  {
    // Composer's cache: ~/.composer/cache, ~/.cache/composer (Composer 2 with XDG), $COMPOSER_HOME/cache, and the
    // official composer image's /tmp/cache (COMPOSER_HOME=/tmp), told by Composer's own subdirectories there.
    id: 'composerCache',
    dirOnly: true,
    title: 'Composer cache',
    advice: 'use `composer install --no-cache` or run `composer clear-cache` in the same RUN',
    match: (p) => /(^|\/)(\.?composer\/cache|\.cache\/composer)\//.test(p) || /^tmp\/cache\/(repo|files|vcs)\//.test(p),
  },
  {
    // cpanm's work directory (~/.cpanm, or $PERL_CPANM_HOME by its usual name): each run's tarballs, build trees and
    // log, never read again.
    id: 'cpanmWork',
    dirOnly: true,
    title: 'cpanm work directory',
    advice: 'run `rm -rf ~/.cpanm` in the same RUN as `cpanm`',
    match: (p) => /(^|\/)\.cpanm\//.test(p),
  },
  {
    // npm's debug logs (~/.npm/_logs, one per npm command run): not its cache, so `npm cache clean --force` keeps them
    // (and writes one more), and a cache mount on ~/.cache does not reach them.
    id: 'npmLogs',
    dirOnly: true,
    title: 'npm debug logs',
    advice:
      'set `ENV npm_config_logs_max=0` (or pass `--logs-max=0`) so that npm writes none, or run `rm -rf ~/.npm/_logs` at the end of the RUN; `npm cache clean --force` leaves them',
    match: (p) => /(^|\/)\.npm\/_logs\//.test(p),
  },
  {
    // Package files and downloaded archives an install step read and left behind: nothing reads them again. Only where
    // a download is put to be installed and forgotten: anywhere in /tmp or /var/tmp, or directly in root's home (its
    // working directory). Not elsewhere, nor in root's subdirectories: an apt repository's pool (/srv/aptly), a vendored
    // driver (/opt/vendor) or rpmbuild's output are packages shipped on purpose. Nor a file another cache class claims
    // (Go's module cache keeps its modules as .zips, Composer's /tmp/cache its archives): IM002 would count it twice.
    // Not a .jar: many images ship those as the app.
    id: 'leftDownloads',
    title: 'downloaded packages and archives',
    advice:
      'remove each download (`rm -f`) in the RUN that installs from it, or bind-mount it into that RUN (`RUN --mount=type=bind,...`) so that no layer keeps it',
    match: (p) =>
      /\.(deb|rpm|apk|whl|tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2|tar\.zst|zip)$/.test(p) &&
      (under(p, TMP_DIRS) || /^root\/[^/]+$/.test(p)) &&
      !inRpmbuild(p) &&
      !inGoModules(p) &&
      !inOtherCacheClass(p),
  },
  {
    id: 'buildToolCaches',
    dirOnly: true,
    title: 'go/cargo/maven/gradle caches',
    advice: 'build in a separate stage, or use cache mounts for the toolchain caches',
    match: (p) =>
      /(^|\/)(go\/pkg\/mod|\.cache\/go-build|\.cargo\/registry|\.cargo\/git|\.m2\/repository|\.gradle\/caches)\//.test(
        p,
      ),
  },
  {
    id: 'tests',
    dirOnly: true,
    title: 'test suites',
    advice: 'keep tests out of the runtime image (.dockerignore, or copy only what runs)',
    match: (p) =>
      /(^|\/)(tests?|__tests__|testing)\//.test(p) &&
      !p.startsWith('usr/share/') &&
      !p.startsWith('usr/lib/python3/dist-packages/'),
  },
  {
    id: 'staticLibsHeaders',
    title: 'static libraries and headers',
    advice: 'build in a separate stage and copy only the binaries into a runtime image',
    match: (p) => p.endsWith('.a') || p.startsWith('usr/include/') || p.startsWith('usr/local/include/'),
  },
  {
    id: 'sourceArchives',
    title: 'archives left after extraction',
    advice: 'download, extract and delete the archive in the same RUN (or use ADD --checksum in a build stage)',
    match: (p) =>
      /\.(tar|tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tbz2|tar\.zst|zip)$/.test(p) &&
      !p.startsWith('usr/share/') &&
      !p.startsWith('var/cache/'),
    // A Plug'n'Play app's packages are these zips, never extracted.
    inUse: yarnPnpCache,
  },
  {
    id: 'coreDumps',
    title: 'core dumps',
    advice: 'delete core files; they can hold secrets',
    match: (p) => /(^|\/)core(\.\d+)?$/.test(p),
  },
  {
    id: 'keyFiles',
    title: 'private keys and credentials',
    advice: 'never bake keys into an image; use build secrets (`RUN --mount=type=secret`)',
    match: (p) =>
      /(^|\/)(id_rsa|id_ed25519|id_ecdsa|id_dsa|\.netrc|\.pgpass|\.git-credentials|\.npmrc|\.pypirc)$/.test(p) ||
      (/\.(pem|key|p12|pfx)$/.test(p) &&
        !p.startsWith('usr/share/') &&
        !p.startsWith('etc/ssl/certs/') &&
        !inSitePackages(p) &&
        !inDistPackages(p) &&
        !inNodeModulesDir(p)),
  },
];

/** The classes of files that hold secrets: the image rule IM009 and the Dockerfile rule DF028 judge files by them. */
export const SECRET_CLASS_IDS = ['dotenvFiles', 'keyFiles'];

/** The secret class `path` (relative to the image root, no leading slash) belongs to, if any. */
export const secretClassOf = (path: string): JunkClass | undefined =>
  JUNK_CLASSES.find((c) => SECRET_CLASS_IDS.includes(c.id) && c.match(path));

/** Per class of JUNK_CLASSES, whether it is a secret class: looked up once per class, not per file. */
const IS_SECRET = JUNK_CLASSES.map((c) => SECRET_CLASS_IDS.includes(c.id));
/** Per class, whether it is dirOnly; and the bits of those classes (JunkCounter's class bits: one per class). */
const DIR_ONLY = JUNK_CLASSES.map((c) => c.dirOnly === true);
const bitsOf = (flags: boolean[]) => flags.reduce((bits, flag, i) => (flag ? bits | (1 << i) : bits), 0);
const DIR_ONLY_BITS = bitsOf(DIR_ONLY);
const SECRET_BITS = bitsOf(IS_SECRET);
if (JUNK_CLASSES.length > 31) throw new Error('JunkCounter keeps a bit per junk class in a 32-bit number');

const NO_NAMES: readonly string[] = [];

/**
 * The caches the image rule IM002 reports, in its order: a file in two classes (pip's cache is also under ~/.cache)
 * is reported in the first.
 */
export const CACHE_CLASS_IDS = [
  'aptCache',
  'apkCache',
  'rpmCaches',
  'pacmanCache',
  'pipCache',
  'condaPkgs',
  'jsPackageCaches',
  'composerCache',
  'cpanmWork',
  'buildToolCaches',
  'npmLogs',
  'homeCaches',
  'leftDownloads',
] as const;

// A class that asks the final filesystem whether its files are in use (a Yarn Plug'n'Play app's cache) cannot judge a
// copy that is no longer in it: such copies stay with IM004/IM005.
const WASTED_CACHE_CLASSES = CACHE_CLASS_IDS.map((id) => JUNK_CLASSES.find((c) => c.id === id)!).filter(
  (c) => !c.inUse,
);

/**
 * The cache class of each copy a later layer hid that is in one (apt's pkgcache.bin, rebuilt by every `apt-get
 * install`), by path: IM002 reports those in the layer that holds them, with the advice to clean the cache, so IM004
 * and IM005 leave them alone. Worked out once for the three rules, per path (a path hidden in several layers is one).
 */
export function wastedCacheClasses(files: readonly { path: string }[]): Map<string, string> {
  const classes = new Map<string, string>();
  const seen = new Set<string>();
  for (const { path } of files) {
    if (seen.has(path)) continue;
    seen.add(path);
    const id = WASTED_CACHE_CLASSES.find((c) => inJunkClass(c, path))?.id;
    if (id !== undefined) classes.set(path, id);
  }
  return classes;
}

/** Whether `id` names a junk class: an unknown one in an ignore list or budget (a typo) would count nothing. */
export const isJunkClass = (id: string): boolean => JUNK_CLASSES.some((c) => c.id === id);

/**
 * The bytes of a list of junk classes together: over every class, the junk in an image's final filesystem as the
 * reports total it; over those not ignored, what `ci`'s maxJunkBytes checks.
 */
export function junkTotal(junk: readonly { bytes: number }[]): number {
  return junk.reduce((n, j) => n + j.bytes, 0);
}

/** The junk class ids, for the hint of an error that names an unknown one. */
export const JUNK_CLASS_IDS = JUNK_CLASSES.map((c) => c.id).join(', ');

export interface JunkTotals {
  id: string;
  title: string;
  advice: string;
  files: number;
  bytes: number;
  /** Bytes per layer that holds them (the layer of the visible copy); no entry for a layer whose files hold none. */
  byLayer: Record<number, number>;
  /**
   * Bytes per layer that brought them in (originLayers: a later chown -R that copied them again with the same
   * content is not where they came from): where a budget on them points. No entry of 0 bytes either.
   */
  byOrigin: Record<number, number>;
  /** Files per layer that holds them (empty files too). */
  filesByLayer: Record<number, number>;
  /**
   * A file per layer that holds them (the first added), empty files too: where the class is in a layer whose files
   * hold no bytes, which `top` (files with bytes only) cannot tell.
   */
  pathByLayer: Record<number, string>;
  /** The largest files of the class. */
  top: { path: string; sizeBytes: number; layer: number }[];
}

/**
 * The classes image rules report in bytes (IM001, IM002, IM006, IM009): their files are kept one by one, so that the
 * findings total counts a file two rules cover (a key inside `.git`) once. The other classes are only summed.
 */
export const ITEMIZED_CLASS_IDS = ['aptLists', ...CACHE_CLASS_IDS, 'gitDirs', ...SECRET_CLASS_IDS];

/** One file of an itemized class: its path (as stored, see displayPath), size and the layer of its visible copy. */
export interface JunkFile {
  path: string;
  sizeBytes: number;
  layer: number;
  /**
   * The name that holds the bytes, when the file is listed under another of its names (a secret hard-linked from an
   * innocent name): the same copy another class lists under this name is counted once.
   */
  holder?: string;
}

/** Accumulates junk over the final filesystem's regular files. */
export class JunkCounter {
  /** Every non-empty file of the itemized classes, by class id. */
  readonly files = new Map<string, JunkFile[]>(ITEMIZED_CLASS_IDS.map((id) => [id, []]));

  private readonly totals: JunkTotals[] = JUNK_CLASSES.map((c) => ({
    id: c.id,
    title: c.title,
    advice: c.advice,
    files: 0,
    bytes: 0,
    byLayer: {},
    byOrigin: {},
    filesByLayer: {},
    pathByLayer: {},
    top: [],
  }));

  /**
   * Every file of the secret classes, empty ones too, under the name it is listed by: few, and kept so that those an
   * OS package installed can be taken out of every count once the package databases are read (result).
   */
  private secrets: { t: JunkTotals; name: string; sizeBytes: number; layer: number; origin: number }[] = [];

  /**
   * `otherNames`: the other live names of the file at a path (hardlinks), given the `id` `add` was given with it.
   * Asked once a class matched, and for a file no secret class matches by the name that holds its bytes; it should cost
   * nothing for a file with one name.
   */
  constructor(
    private readonly otherNames?: (path: string, id?: number) => readonly string[],
    /** The final filesystem, for the classes that ask it (`inUse`); without it a file is judged by its names. */
    final?: FinalFiles,
    /** The layer that brought the bytes of the file at `path` in (see originLayers), for `byOrigin`. */
    private readonly originLayer?: (path: string, layer: number) => number,
  ) {
    this.final = final && rememberingFinalFiles(final);
  }

  private readonly final: FinalFiles | undefined;

  /** The directory of the last file classed, and which dirOnly classes match there (see classesOf). */
  private lastDir: string | undefined;
  private lastDirClasses = 0;

  /**
   * The classes whose `match` takes `path`, a bit per class of JUNK_CLASSES. The dirOnly ones are asked once per
   * directory: files come directory by directory (the union's order is the layers' tar order), and a class's
   * directory test is the same for every file there (most of the final filesystem's files match no class).
   */
  private classesOf(path: string): number {
    const slash = path.lastIndexOf('/');
    const dir = this.lastDir;
    // The same directory as the last file's, compared in place (no string made per file).
    const same = dir !== undefined && slash >= 0 && slash === dir.length && path.startsWith(dir);
    let bits = 0;
    if (same) bits = this.lastDirClasses;
    for (let i = 0; i < JUNK_CLASSES.length; i++) {
      if (same && DIR_ONLY[i]) continue;
      if (JUNK_CLASSES[i].match(path)) bits |= 1 << i;
    }
    if (!same) {
      this.lastDir = slash < 0 ? '' : path.slice(0, slash);
      this.lastDirClasses = bits & DIR_ONLY_BITS;
    }
    return bits;
  }

  /** Whether the file at `path` is junk of class `i` (not a secret class): its name matches and nothing uses it. */
  private inClass(i: number, path: string): boolean {
    return inJunkClass(JUNK_CLASSES[i], path, this.final);
  }

  /**
   * `path`: the name that holds the file's bytes, whatever other names the file has. `id`: the caller's own key for it
   * (the final filesystem's path id), handed to `otherNames`.
   */
  add(path: string, sizeBytes: number, layer: number, id?: number): void {
    const matched = this.classesOf(path);
    let others: readonly string[] | undefined;
    let origin: number | undefined;
    // The classes it matches, and the secret classes (a secret is also looked for under the file's other names), in
    // the order of JUNK_CLASSES: lowest bit first.
    for (let rest = matched | SECRET_BITS; rest !== 0; rest &= rest - 1) {
      const i = 31 - Math.clz32(rest & -rest);
      const c = JUNK_CLASSES[i];
      const matches = (matched & (1 << i)) !== 0;
      // The name the file is listed under: for a secret, one that makes it a secret (`/root/.ssh/id_rsa`, not the
      // `/srv/k` that happens to hold the bytes), so that the user finds it where they would look.
      let name = path;
      if (IS_SECRET[i]) {
        if (!matches) {
          others ??= this.otherNames?.(path, id) ?? NO_NAMES;
          if (others.length === 0) continue;
          const found = others.find((n) => c.match(n));
          if (found === undefined) continue;
          name = found;
        }
      } else {
        if (this.final && c.inUse?.(path, this.final)) continue;
        others ??= this.otherNames?.(path, id) ?? NO_NAMES;
        if (!others.every((n) => this.inClass(i, n))) continue;
      }
      const t = this.totals[i];
      t.files++;
      t.bytes += sizeBytes;
      t.byLayer[layer] = (t.byLayer[layer] ?? 0) + sizeBytes;
      origin ??= this.originLayer?.(path, layer) ?? layer;
      t.byOrigin[origin] = (t.byOrigin[origin] ?? 0) + sizeBytes;
      t.filesByLayer[layer] = (t.filesByLayer[layer] ?? 0) + 1;
      t.pathByLayer[layer] ??= name;
      if (IS_SECRET[i]) this.secrets.push({ t, name, sizeBytes, layer, origin });
      if (sizeBytes > 0) {
        this.files.get(t.id)?.push({ path: name, sizeBytes, layer, ...(name === path ? {} : { holder: path }) });
        t.top.push({ path: name, sizeBytes, layer });
        if (t.top.length > 40) {
          t.top.sort((a, b) => b.sizeBytes - a.sizeBytes);
          t.top.length = 10;
        }
      }
    }
  }

  /** The names of the secret classes' files: those to look up in the package databases' file lists (result). */
  secretNames(): string[] {
    return this.secrets.map((s) => s.name);
  }

  /**
   * `packaged`: the names of secretNames that an OS package's file list names. Those are not leaked secrets (a test
   * certificate apt installed): the advice to keep them out of the build context cannot apply, so no count has them.
   */
  result(packaged?: ReadonlySet<string>): JunkTotals[] {
    if (packaged?.size) this.dropSecrets(packaged);
    for (const t of this.totals) {
      // Where the bytes are: a layer whose files of the class are empty (or were, once packaged secrets were dropped)
      // holds none of them. filesByLayer still counts its files.
      for (const layers of [t.byLayer, t.byOrigin])
        for (const layer of Object.keys(layers)) if (layers[Number(layer)] <= 0) delete layers[Number(layer)];
      t.top.sort((a, b) => b.sizeBytes - a.sizeBytes || (a.path < b.path ? -1 : 1));
      t.top.length = Math.min(t.top.length, 10);
    }
    return this.totals;
  }

  private dropSecrets(packaged: ReadonlySet<string>): void {
    const dropped = new Set<JunkTotals>();
    for (const s of this.secrets) {
      if (!packaged.has(s.name)) continue;
      const t = s.t;
      dropped.add(t);
      t.files--;
      t.bytes -= s.sizeBytes;
      // (an entry left at 0 bytes goes in result)
      t.byLayer[s.layer] = (t.byLayer[s.layer] ?? 0) - s.sizeBytes;
      t.byOrigin[s.origin] = (t.byOrigin[s.origin] ?? 0) - s.sizeBytes;
      t.filesByLayer[s.layer]--;
      // As if never counted: a layer with no file of the class has no entry.
      if (t.filesByLayer[s.layer] === 0) delete t.filesByLayer[s.layer];
    }
    // A dropped file may have been the one a layer was named by: named again by a secret that stays (one pass over the
    // secrets for every dropped class).
    for (const t of dropped) t.pathByLayer = {};
    for (const s of this.secrets) if (dropped.has(s.t) && !packaged.has(s.name)) s.t.pathByLayer[s.layer] ??= s.name;
    for (const t of dropped) {
      const files = this.files.get(t.id)!.filter((f) => !packaged.has(f.path));
      this.files.set(t.id, files);
      // The class keeps every one of its files, so its largest are chosen again from those that stay.
      t.top = files.map(({ path, sizeBytes, layer }) => ({ path, sizeBytes, layer }));
    }
    // Once: a second result() must not take them out again.
    this.secrets = this.secrets.filter((s) => !packaged.has(s.name));
  }
}
