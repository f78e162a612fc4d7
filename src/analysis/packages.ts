// Packages by size, from the package databases the layer walk captured: dpkg (`var/lib/dpkg/status` and
// `info/*.list`), apk (`lib/apk/db/installed`), Python (`*.dist-info/RECORD`, `*.dist-info` directories with METADATA
// and no RECORD, `*.egg-info` directories and files, with `installed-files.txt` when there is one) and Node (`node_modules/*/package.json`).
// A package's bytes are the regular-file bytes of its files as they are in the final filesystem, so a file
// deleted or replaced later counts as it ends up. rpm's SQLite database (`rpmdb.sqlite`) is read in rpm.ts; the
// older BerkeleyDB (`var/lib/rpm/Packages`) and ndb (`Packages.db`) formats are reported as unsupported.
import type { UnionFs } from './union.js';
import { displayPath } from './tar-parser.js';
import { RPM_DATABASES, readRpmDatabase } from './rpm.js';
import { apkGraph, dpkgGraph, parseStanzas, type DependencyGraph } from './reclaim.js';

export type PackageManager = 'dpkg' | 'apk' | 'rpm' | 'python' | 'node';

export interface PackageInfo {
  manager: PackageManager;
  name: string;
  version: string | null;
  files: number;
  bytes: number;
  /** Where its metadata lives, e.g. `usr/lib/python3/dist-packages/x-1.0.dist-info`. */
  location?: string;
}

export interface PackagesResult {
  /** Per manager, largest first. */
  packages: PackageInfo[];
  totals: Record<PackageManager, { packages: number; bytes: number }>;
  /** Package databases seen but not read. */
  unsupported: string[];
  /** Problems reading a database that was read (a corrupt rpm database or header), one line each. */
  warnings: string[];
  /** dpkg's and apk's dependency graphs with their auto/world marks, for what removing packages gives back. */
  dependencies: DependencyGraph[];
}

/** The visible text of a captured metadata file: only when the final filesystem still shows that copy. */
export function visibleText(fs: UnionFs, captured: Record<string, string>[], path: string): string | undefined {
  const file = fs.nodes.file(path);
  return file && captured[file.layer]?.[path];
}

const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const SLASH = 0x2f;
/** What readPython (RECORD files, dist-info and egg-info entries) and readNode (package.json) look for. */
const METADATA_SUFFIXES = ['/RECORD', '.dist-info', '.egg-info', '/package.json'];

function fileBytes(fs: UnionFs, path: string): number | undefined {
  return fs.nodes.file(path)?.size;
}

/**
 * Which of a few paths (`candidates`, binary, as the final filesystem has them) an OS package's file list names:
 * found while the lists are read for the package sizes, so no set of every packaged path is built.
 */
export interface PackagedLookup {
  candidates: ReadonlySet<string>;
  found: Set<string>;
}

/**
 * The files and bytes of `paths`, a package's file list. `packaged`: the candidates the list names are noted, each only
 * when its copy is no newer than the database file that lists it (layer `listedIn`): a key a later layer copied over a
 * packaged path (a conffile's `.pem`) is the build's own.
 */
function sumFiles(
  fs: UnionFs,
  paths: Iterable<string>,
  packaged?: PackagedLookup,
  listedIn?: string,
): { files: number; bytes: number } {
  const listLayer = packaged && listedIn !== undefined ? fs.nodes.file(listedIn)?.layer : undefined;
  let files = 0;
  let bytes = 0;
  // Through symlinked directories (a merged /usr), and each real file once when a list names it by two paths. Each
  // path is looked up once, by id (lists name every file of every package: 45k lookups on corpus `big`).
  const seen = new Set<number>();
  for (const listed of paths) {
    let id = fs.nodes.idOf(listed);
    let p = listed;
    if (id === undefined) {
      p = fs.resolvePath(listed);
      if (p === listed) continue;
      id = fs.nodes.idOf(p);
      if (id === undefined) continue;
    }
    const file = fs.nodes.fileAt(id);
    if (file === undefined) continue;
    if (packaged?.candidates.has(p) && file.layer <= (listLayer ?? -1)) packaged.found.add(p);
    if (seen.has(id)) continue;
    seen.add(id);
    files++;
    bytes += file.size;
  }
  return { files, bytes };
}

function readDpkg(
  fs: UnionFs,
  captured: Record<string, string>[],
  candidates: readonly string[],
  packaged?: PackagedLookup,
): { packages: PackageInfo[]; graph?: DependencyGraph } {
  const status = visibleText(fs, captured, 'var/lib/dpkg/status');
  const records: Record<string, string>[] = status ? parseStanzas(status) : [];
  // distroless images use status.d/<name> instead of one status file
  for (const path of candidates) {
    if (!path.startsWith(DPKG_STATUS_D)) continue;
    const text = visibleText(fs, captured, path);
    // One by one, not push(...): a status file of 300,000 stanzas is more arguments than a call takes.
    if (text) for (const record of parseStanzas(text)) records.push(record);
  }
  const out: PackageInfo[] = [];
  for (const r of records) {
    if (r.Status && !/\binstalled$/.test(r.Status)) continue;
    const name = r.Package;
    const arch = r.Architecture;
    const listPath = [`var/lib/dpkg/info/${name}:${arch}.list`, `var/lib/dpkg/info/${name}.list`].find(
      (path) => visibleText(fs, captured, path) !== undefined,
    );
    const list = listPath && visibleText(fs, captured, listPath);
    const paths = (list ?? '')
      .split('\n')
      .map((l) => (l.charCodeAt(0) === SLASH ? l.replace(/^\/+/, '') : l))
      .filter((l) => l && l !== '.');
    const { files, bytes } = sumFiles(fs, paths, packaged, listPath);
    out.push({ manager: 'dpkg', name, version: r.Version ?? null, files, bytes });
  }
  if (records.length === 0) return { packages: out };
  return { packages: out, graph: dpkgGraph(records, visibleText(fs, captured, 'var/lib/apt/extended_states')) };
}

function readApk(
  fs: UnionFs,
  captured: Record<string, string>[],
  packaged?: PackagedLookup,
): { packages: PackageInfo[]; graph?: DependencyGraph } {
  const db = ['lib/apk/db/installed', 'usr/lib/apk/db/installed'].find((path) => visibleText(fs, captured, path));
  const text = db && visibleText(fs, captured, db);
  if (!text) return { packages: [] };
  const out: PackageInfo[] = [];
  for (const block of text.split(/\n\n+/)) {
    let name = '';
    let version: string | null = null;
    let dir = '';
    const paths: string[] = [];
    for (const line of block.split('\n')) {
      const key = line.slice(0, 2);
      const value = line.slice(2);
      if (key === 'P:') name = value;
      else if (key === 'V:') version = value;
      else if (key === 'F:') dir = value;
      else if (key === 'R:') paths.push(dir ? `${dir}/${value}` : value);
    }
    if (!name) continue;
    const { files, bytes } = sumFiles(fs, paths, packaged, db);
    out.push({ manager: 'apk', name, version, files, bytes });
  }
  return { packages: out, graph: apkGraph(text, visibleText(fs, captured, 'etc/apk/world')) };
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Joins a RECORD entry (relative to site-packages, may use ../) to the site-packages dir. */
function joinRelative(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const part of rel.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/**
 * `NAME-VERSION[-pyX.Y[-PLATFORM]].egg-info` -> name and version, as setuptools names it (a `-` in either is written
 * `_`, so the first `-` ends the name); a name without a version (`gyp.egg-info`, a develop install) has none.
 */
function eggInfoNameVersion(base: string): { name: string; version: string | null } {
  const stem = base.slice(0, -'.egg-info'.length);
  const m = /^(.+?)-([^-]+?)(?:-py\d+(?:\.\d+)*(?:-.+)?)?$/.exec(stem);
  return m ? { name: m[1], version: m[2] } : { name: stem, version: null };
}

function readDistInfo(fs: UnionFs, captured: Record<string, string>[], path: string): PackageInfo | undefined {
  const text = visibleText(fs, captured, path);
  if (text === undefined) return undefined;
  const distInfo = dirnameOf(path);
  const sitePackages = dirnameOf(distInfo);
  const paths = text
    .split('\n')
    .map((line) => (line.startsWith('"') ? line.slice(1, line.indexOf('"', 1)) : line.split(',')[0]))
    .filter(Boolean)
    .map((rel) => joinRelative(sitePackages, rel));
  return { ...distInfoPackage(distInfo), ...sumFiles(fs, paths) };
}

/** A `NAME-VERSION.dist-info` directory as a package, its files not yet counted. */
function distInfoPackage(distInfo: string): PackageInfo {
  const m = /^(.+?)-([^-]+)\.dist-info$/.exec(distInfo.slice(distInfo.lastIndexOf('/') + 1));
  return {
    manager: 'python',
    name: m ? m[1] : distInfo,
    version: m ? m[2] : null,
    files: 0,
    bytes: 0,
    location: displayPath(distInfo),
  };
}

function readPython(fs: UnionFs, captured: Record<string, string>[], candidates: readonly string[]): PackageInfo[] {
  const out: PackageInfo[] = [];
  // egg-info and dist-info directories with no list of their files: counted by the files inside them, summed in one
  // pass below
  const infoDirs = new Map<string, PackageInfo>();
  for (const path of candidates) {
    if (path.endsWith('/RECORD') && path.includes('.dist-info/')) {
      const pkg = readDistInfo(fs, captured, path);
      if (pkg) out.push(pkg);
      continue;
    }
    // A dist-info with METADATA but no RECORD (or one too large to capture) is installed all the same: RECORD is
    // optional for an installer that leaves uninstalling to another tool (a distribution's package manager). Its name
    // and version are in the directory's name, as the spec requires; its size is only its own files', as an egg-info's.
    if (path.endsWith('.dist-info') && fs.nodes.kindOf(path) === 'dir') {
      const record = `${path}/RECORD`;
      if (fs.nodes.has(`${path}/METADATA`) && visibleText(fs, captured, record) === undefined) {
        const pkg = distInfoPackage(path);
        out.push(pkg);
        infoDirs.set(path, pkg);
      }
      continue;
    }
    // Debian's python3-* packages and setuptools/older pip installs record a package as an egg-info directory
    // (PKG-INFO, top_level.txt, sometimes installed-files.txt) or as one PKG-INFO-format file of that name.
    if (!path.endsWith('.egg-info')) continue;
    const kind = fs.nodes.kindOf(path);
    if (kind !== 'dir' && kind !== 'file') continue;
    const { name, version } = eggInfoNameVersion(path.slice(path.lastIndexOf('/') + 1));
    const pkg: PackageInfo = { manager: 'python', name, version, files: 0, bytes: 0, location: displayPath(path) };
    out.push(pkg);
    if (kind === 'file') {
      pkg.files = 1;
      pkg.bytes = fileBytes(fs, path) ?? 0;
      continue;
    }
    // pip's list of what it installed, relative to the egg-info directory (`../six.py`, `PKG-INFO`, `./`)
    const installed = visibleText(fs, captured, `${path}/installed-files.txt`);
    if (installed === undefined) {
      infoDirs.set(path, pkg);
      continue;
    }
    const paths = installed
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((rel) => joinRelative(path, rel));
    Object.assign(pkg, sumFiles(fs, paths));
  }
  if (infoDirs.size > 0) {
    fs.nodes.forEachFile((path, size) => {
      for (const suffix of ['.egg-info', '.dist-info']) {
        for (let i = path.indexOf(`${suffix}/`); i >= 0; i = path.indexOf(`${suffix}/`, i + 1)) {
          const pkg = infoDirs.get(path.slice(0, i + suffix.length));
          if (!pkg) continue;
          pkg.files++;
          pkg.bytes += size;
          return;
        }
      }
    });
  }
  return out;
}

function readNode(fs: UnionFs, captured: Record<string, string>[], candidates: readonly string[]): PackageInfo[] {
  // Package dir -> bytes of files below it, not counting nested node_modules (those are packages of their own).
  const roots = new Map<string, PackageInfo>();
  for (const path of candidates) {
    if (!path.endsWith('/package.json')) continue;
    const text = visibleText(fs, captured, path);
    if (text === undefined) continue;
    const dir = dirnameOf(path);
    let name = dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
    let version: string | null = null;
    try {
      const json = JSON.parse(Buffer.from(text, 'latin1').toString('utf8')) as { name?: unknown; version?: unknown };
      if (typeof json.name === 'string') name = json.name;
      if (typeof json.version === 'string') version = json.version;
    } catch {
      // a broken package.json still marks a package directory
    }
    roots.set(dir, { manager: 'node', name, version, files: 0, bytes: 0, location: displayPath(dir) });
  }
  if (roots.size === 0) return [];
  fs.nodes.forEachFile((path, size) => {
    const i = path.lastIndexOf('node_modules/');
    if (i < 0) return;
    // The package dir: node_modules/name or node_modules/@scope/name right after the last node_modules.
    const rest = path.slice(i + 'node_modules/'.length).split('/');
    const take = rest[0].startsWith('@') ? 2 : 1;
    if (rest.length <= take) return;
    const dir = path.slice(0, i + 'node_modules/'.length) + rest.slice(0, take).join('/');
    const pkg = roots.get(dir);
    if (!pkg) return;
    pkg.files++;
    pkg.bytes += size;
  });
  return [...roots.values()];
}

async function readRpm(
  fs: UnionFs,
  captured: Record<string, string>[],
  packaged?: PackagedLookup,
): Promise<{ packages: PackageInfo[]; warnings: string[] }> {
  const packages: PackageInfo[] = [];
  const warnings: string[] = [];
  for (const db of RPM_DATABASES) {
    // Captured as latin1 text, which maps each byte to one char, so this gives back the exact file bytes.
    const text = visibleText(fs, captured, db);
    if (text === undefined) {
      if (fileBytes(fs, db) !== undefined) warnings.push(`${db}: not read (larger than the metadata capture limit)`);
      continue;
    }
    const read = await readRpmDatabase(Buffer.from(text, 'latin1'), db);
    // One by one, not push(...): a broken database may warn of each of its records.
    for (const warning of read.warnings) warnings.push(warning);
    for (const h of read.headers) {
      const { files, bytes } = sumFiles(fs, h.paths, packaged, db);
      const version =
        h.version === null ? null : `${h.epoch ? `${h.epoch}:` : ''}${h.version}${h.release ? `-${h.release}` : ''}`;
      packages.push({ manager: 'rpm', name: h.name, version, files, bytes });
    }
  }
  return { packages, warnings };
}

/**
 * `packaged`: paths to look up in the OS packages' (dpkg, apk, rpm) file lists, in the same pass; not Python's or
 * Node's, whose files are the image's own code.
 */
export async function readPackages(
  fs: UnionFs,
  captured: Record<string, string>[],
  packaged?: PackagedLookup,
): Promise<PackagesResult> {
  // The paths the readers look for by name, found in one pass over the final filesystem (each reader tests its own).
  const candidates = fs.nodes.pathsWith({ prefixes: [DPKG_STATUS_D], suffixes: METADATA_SUFFIXES });
  const rpm = await readRpm(fs, captured, packaged);
  const dpkg = readDpkg(fs, captured, candidates, packaged);
  const apk = readApk(fs, captured, packaged);
  const packages = [
    ...dpkg.packages,
    ...apk.packages,
    ...rpm.packages,
    ...readPython(fs, captured, candidates),
    ...readNode(fs, captured, candidates),
  ].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  const totals: PackagesResult['totals'] = {
    dpkg: { packages: 0, bytes: 0 },
    apk: { packages: 0, bytes: 0 },
    rpm: { packages: 0, bytes: 0 },
    python: { packages: 0, bytes: 0 },
    node: { packages: 0, bytes: 0 },
  };
  for (const p of packages) {
    totals[p.manager].packages++;
    totals[p.manager].bytes += p.bytes;
  }
  const unsupported: string[] = [];
  for (const db of [
    'var/lib/rpm/Packages',
    'var/lib/rpm/Packages.db',
    'usr/lib/sysimage/rpm/Packages',
    'usr/lib/sysimage/rpm/Packages.db',
  ]) {
    if (fs.nodes.has(db)) unsupported.push(`rpm (${db})`);
  }
  const dependencies = [dpkg.graph, apk.graph].filter((g): g is DependencyGraph => g !== undefined);
  return { packages, totals, unsupported, warnings: rpm.warnings, dependencies };
}
