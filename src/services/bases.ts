// `ballast bases`: which base image would make this image smaller, and what would change.
// One image: its repository's variant tags for the same version (semver, from the paginated tag list) and the
// family table's equivalents, each read from manifest and config only (no layer is downloaded unless `deep`).
// Several images: the same columns side by side. With the user's own image and its base (`--base`, or the
// Dockerfile's final FROM): the size it would have on each candidate (its own layers kept, the base's swapped), with
// what would break (libc, shell, package manager, and the RUN lines that call one).
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadBallastConfig } from '../config/load.js';
import { attributeLayers } from '../analysis/attribution.js';
import { junkTotal } from '../analysis/junk.js';
import {
  compatibleManagers,
  readDockerfileBase,
  type DockerfileBase,
  type RunLine,
} from '../analysis/bases/dockerfile.js';
import {
  familyCandidatesFor,
  fillTemplate,
  repositoryName,
  type Family,
  type FamilyCandidate,
} from '../analysis/bases/families.js';
import {
  baseTraits,
  guessedSource,
  libcOfOs,
  osFromOsRelease,
  TRAIT_KEYS,
  versionLabel,
  type BaseTraits,
  type TraitSource,
} from '../analysis/bases/traits.js';
import { visibleText } from '../analysis/packages.js';
import {
  chooseVariantTags,
  closerTag,
  isOlderVersion,
  isPrerelease,
  majorOf,
  parseTag,
  rebuildKeeps,
  versionFields,
  type ParsedTag,
  type VersionMatch,
} from '../analysis/bases/versions.js';
import { BallastError, UsageError, restate, wrapError } from '../errors.js';
import { didYouMeanValue } from '../flag-suggest.js';
import { isCompressedLayerType } from '../image/media-types.js';
import { formatPlatform, hostPlatform, parsePlatform } from '../image/platform.js';
import { familiarName, parseReference, withoutCredentials, type Reference } from '../image/reference.js';
import type { ConfigFile, Image } from '../image/types.js';
import { failedManifestDigest } from '../sources/registry/image.js';
import {
  listTags,
  manifestDigest,
  namesImage,
  openImage,
  registryReference,
  splitPathSelector,
  type ResolveOptions,
} from '../sources/resolve.js';
import { analyzeImage, analyzeImageWith } from './analyze.js';
import { imageArgument } from '../report/image-name.js';
import { formatBytes, plural } from '../report/figures.js';

export interface BasesOptions extends ResolveOptions {
  /** One image (find its candidates, or with `base`/`dockerfile` the user's image), or several side by side. */
  images: string[];
  /** The Dockerfile: its final FROM is the base (when `base` is not given); its RUN lines are checked. */
  dockerfile?: string;
  /** The base the user's image is built on (`node:20`). */
  base?: string;
  /** Also walk every candidate's layers (uncompressed size, files, packages, junk). */
  deep?: boolean;
  /** Offer other majors and unversioned tags too. */
  anyVersion?: boolean;
  /** Family entries from the config, tried before the built-in table. */
  families?: Family[];
  /** Use the built-in family table (default true). */
  builtinFamilies?: boolean;
  /**
   * The flags given that choose one image's candidates (`--any-version`, `--no-families`): with several images they
   * choose nothing, and the report says so. (Options alone do not tell: callers turn the built-in table off for their
   * own reasons.)
   */
  choiceFlags?: string[];
  /** `.ballast.yaml` to read `bases:` from; default: found upward from the Dockerfile's folder or the cwd. */
  configPath?: string;
  /** Directory the config search starts in (default: the Dockerfile's folder, else the cwd). */
  cwd?: string;
  /** Tags per page when listing (registries cap it; default 1000). */
  tagPageSize?: number;
  /** Worker threads for the `deep` walk. */
  workers?: number;
}

export type CandidateOrigin = 'current' | 'variant' | 'family' | 'given';

export interface Caveat {
  kind: 'libc' | 'shell' | 'package-manager' | 'user' | 'version' | 'os' | 'unknown' | 'note';
  message: string;
  /** The Dockerfile lines it concerns. */
  lines?: { file: string; line: number; text: string }[];
}

/** A candidate base: where it came from, its size, and its traits (OS, libc, shell, package manager, user). */
export interface BaseCandidate extends BaseTraits {
  /** The reference as Docker names it: `node:20.11.1-slim`, `gcr.io/distroless/nodejs20-debian12`. */
  reference: string;
  origin: CandidateOrigin;
  /** The base the comparison starts from. */
  current: boolean;
  /** distroless, chainguard, ubi-minimal... for family equivalents. */
  family: string | null;
  tag: string | null;
  variant: string | null;
  /** How its tag's version stands to the one in use (variant tags only). */
  match: VersionMatch | null;
  /**
   * Other tags of the same variant that also matched, best first, that are not this image: their manifests were read
   * (the first ALSO_READ of them) and those of this very image moved to `aliases`; the rest were not read (see
   * `alsoUnread`).
   */
  alsoMatching: string[];
  /** Of `alsoMatching`, those whose manifest was not read (beyond the first ALSO_READ, or refused): not known to differ. */
  alsoUnread: string[];
  /** Set on a newer rebuild of the tag in use (`-r2` for `-r0`, a later date): the tag in use, which it rebuilds. */
  rebuildOf: string | null;
  /**
   * On a newer rebuild: the listed tag of its version and variant that moves to each new rebuild (`bookworm` beside
   * `bookworm-20240301`, Bitnami's `3.12.1-debian-12` beside `-r2`), null when none is listed.
   */
  rolling: string | null;
  /**
   * What `rolling` names today, read from its manifest alone: its reference, its manifest digest (the index's when it
   * is one), and whether that is this very image (then it is among `aliases` too): the same manifest, or, when one of
   * the two tags is an index and the other not, the platform manifest this row describes. Null when there is no
   * rolling tag or its manifest could not be read (then `rollingError` says why).
   */
  rollingImage: { reference: string; digest: string; same: boolean } | null;
  /** Why the manifest of `rolling` could not be read (not found, refused, the network), null when it was or none. */
  rollingError: string | null;
  /** Other references that resolved to the same manifest. */
  aliases: string[];
  /**
   * Side by side: the image given beside this one, with the same config, whose manifest annotations its traits were
   * read with where its own manifest has none of them (a `docker save` copy keeps no annotations, so the base name
   * its OCI copy records would be lost); null when its own told all there is.
   */
  annotationsFrom: string | null;
  digest: string | null;
  platform: string;
  /** Sum of the layer blobs in the manifest for the platform. */
  compressedBytes: number;
  layers: number;
  /** With `deep`: the walk's numbers. */
  deep: {
    uncompressedBytes: number;
    finalFileBytes: number;
    finalFiles: number;
    wastedBytes: number;
    junkBytes: number;
    packages: Record<string, number>;
    /** Whether bash is on the final filesystem (`/bin/bash` or `/usr/bin/bash`). */
    bash: boolean;
  } | null;
  /** With the user's image: its size rebuilt on this candidate (its own layers kept). */
  estimate: {
    compressedBytes: number;
    /** Against the same estimate on the current base (0 for the current base itself). */
    deltaBytes: number;
    /** With `deep`. */
    uncompressedBytes: number | null;
  } | null;
  /**
   * Set when it holds an older release than the current base (`20.10.0` against `20.18.1`): a floating tag no longer
   * rebuilt lags behind, and moving to it would undo the fixes released since. `from` is where both versions were read
   * (`NODE_VERSION`, `org.opencontainers.image.version`, or `tag` for full versions in both tags). Null when the
   * versions are the same, newer, or not both known.
   */
  older: { version: string; current: string; from: string } | null;
  /** What may break on it, compared with the current base. */
  caveats: Caveat[];
  /**
   * The layers it shares with another image, matched by diffId from the first layer on (a shared base, which a pull
   * or a registry keeps once): side by side with each other image given, in the rebuild with your image, among one
   * image's candidates with the current base. Only images it shares a layer with; `compressedBytes` as this one
   * stores them.
   */
  sharedLayers: { reference: string; layers: number; compressedBytes: number }[];
}

export interface BasesResult {
  mode: 'candidates' | 'compare' | 'rebuild';
  platform: string;
  /** The user's image (rebuild mode). */
  image: {
    reference: string;
    layers: number;
    compressedBytes: number;
    ownLayers: number;
    ownCompressedBytes: number;
    ownUncompressedBytes: number | null;
    /**
     * Of its layers, how many it shares with the base as matched (the recorded digest's, else the tag as it is today),
     * from the first on by diffId, and their compressed size as the image stores them.
     */
    sharedLayers: number;
    sharedCompressedBytes: number;
    /**
     * Set when the base as matched no longer holds all the layers the image was built on (the tag has moved, or the
     * image is built on another base): `layers` is what the base has now, and `fromOldBase` how many of the image's
     * layers are counted as the old base's (the shared ones, or as many as the Dockerfile tells, `fromDockerfile`).
     */
    baseMoved: { reference: string; layers: number; fromOldBase: number; fromDockerfile: boolean } | null;
  } | null;
  /** The base compared against (candidates and rebuild modes). */
  base: string | null;
  dockerfile: { file: string; from: string; fromLine: number; runLines: RunLine[] } | null;
  /**
   * The tag list read, for variant candidates. `tag` is the one in use; `versioned` whether it carries a version
   * (`20.11.1-slim` does, `bookworm-slim` not: then no major bounds the offer, the release it names does).
   */
  tags: {
    repository: string;
    listed: number;
    pages: number;
    truncated: boolean;
    tag: string;
    versioned: boolean;
    /** Whether every version was offered (`--any-version`), not only the same major or release. */
    anyVersion: boolean;
  } | null;
  /**
   * Ordered by size (uncompressed with `deep`, else compressed), smallest first; those `older` than the current base
   * after all the others, so the first row is never a downgrade of the runtime.
   */
  candidates: BaseCandidate[];
  /**
   * Candidates that could not be read or were ruled out, with the reason; `aliases`, when there are any: other tags
   * of the same manifest, left out with it.
   */
  skipped: { reference: string; reason: string; aliases?: string[] }[];
  deep: boolean;
  /**
   * The base digest the user's image records (`org.opencontainers.image.base.digest`), when it does: whether its base
   * layers were matched against that exact manifest (`digest`) or, the registry not having it, the tag as it is
   * today (`tag`).
   */
  recordedDigest: { digest: string; reference: string; used: 'digest' | 'tag'; reason: string | null } | null;
  warnings: string[];
}

/** The annotation (and label) BuildKit and buildah write with the image's base, `docker.io/library/node:20`. */
const BASE_NAME = 'org.opencontainers.image.base.name';
/** The manifest digest of that base at build time: the exact base, while the registry still has it. */
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

interface Planned {
  argument: string;
  reference: string;
  origin: CandidateOrigin;
  family?: FamilyCandidate;
  tag?: string;
  variant?: string;
  match?: VersionMatch;
  alsoMatching?: string[];
  /** `registry/repository` of a tag of the current base's repository, where its other matching tags are read. */
  stem?: string;
  rebuildOf?: string;
  rolling?: string;
  /** The rolling tag as an argument to read its manifest digest from. */
  rollingArgument?: string;
  /** For a current tag the repository does not list: the tags it does, to name the one probably meant. */
  listedTags?: string[];
}

interface Probed {
  plan: Planned;
  candidate: BaseCandidate;
  image: Image;
  diffIds: string[];
  /** Its layers' stored sizes, in order. */
  sizes: number[];
  /** The config's digest, the image ID: one for every copy of one image, whatever manifest format stores it. */
  configDigest: string;
  /**
   * One key per stored image: the manifest digest, or, where there is none (a legacy `docker save` entry, whose
   * several RepoTags all name it), the config with the stored layer sizes, so that its tags are one image.
   */
  storedKey: string;
  /** The version label, when the config or manifest has one (runtimeVersion may be a `*_VERSION` variable instead). */
  versionLabel: BaseTraits['runtimeVersion'];
  /** The digest its reference names: the index's when it was picked from one, else the manifest's. */
  namedDigest: string | null;
  /** Its layers stored as plain tars (a `docker save`): their stored size, in compressedBytes, is their tar size. */
  plainLayers: number;
  config: ConfigFile;
  /** Its own manifest's annotations. */
  annotations: Record<string, string>;
  /**
   * The traits read with another copy's annotations (see annotationsFrom): the keys that copy had and this one lacks,
   * and the traits that changed with them.
   */
  borrowed?: { traits: BaseTraits; keys: string[]; names: (keyof BaseTraits)[] };
}

/** The traits a row shows, with how a note names each. */
const TRAIT_NAMES: [keyof BaseTraits, string][] = [
  ['os', 'OS'],
  ['libc', 'libc'],
  ['shell', 'shell'],
  ['packageManager', 'package manager'],
  ['runtimeVersion', 'runtime version'],
];

/** How many of a row's other matching tags have their manifest read, to tell which are the same image. */
const ALSO_READ = 8;

/**
 * Whether a tag's manifest (as `manifestDigest` reads it) is the image a row describes. One tag may be an index and
 * the other one of its platform manifests (pushed without the index, or the index pushed over a single-platform tag):
 * then their digests differ, and the platform manifest the row read tells.
 */
function isSameImage(read: { digest: string; listed: string[] }, p: Probed): boolean {
  const chosen = p.candidate.digest;
  return read.digest === p.namedDigest || (chosen !== null && (read.digest === chosen || read.listed.includes(chosen)));
}

/** Runs `work` over `items` with at most `limit` at a time, keeping order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  });
  await Promise.all(runners);
  return out;
}

function displayName(argument: string, registryRef: string | undefined): string {
  if (registryRef === undefined) return argument;
  try {
    return familiarName(parseReference(registryRef));
  } catch {
    return argument;
  }
}

/** Reads one candidate's manifest and config (nothing else) and describes it. */
async function probe(plan: Planned, platform: string | undefined, options: BasesOptions): Promise<Probed> {
  const image = await openImage(plan.argument, { ...options, platform, notice: options.notice });
  try {
    const [config, manifest, digest, layers, configDigest] = await Promise.all([
      image.configFile(),
      image.manifest(),
      image.digest(),
      image.layers(),
      image.configDigest(),
    ]);
    const sizes = await Promise.all(layers.map((l) => l.size()));
    const types = await Promise.all(layers.map((l) => l.mediaType()));
    const traits: BaseTraits = baseTraits({
      config,
      annotations: manifest.annotations,
      name: plan.reference,
      family: plan.family,
    });
    const candidate: BaseCandidate = {
      reference: plan.reference,
      origin: plan.origin,
      current: plan.origin === 'current',
      family: plan.family?.family ?? null,
      tag: plan.tag ?? null,
      variant: plan.variant ?? null,
      match: plan.match ?? null,
      alsoMatching: plan.alsoMatching ?? [],
      alsoUnread: [],
      rebuildOf: plan.rebuildOf ?? null,
      rolling: plan.rolling ?? null,
      rollingImage: null,
      rollingError: null,
      aliases: [],
      annotationsFrom: null,
      digest: digest ?? null,
      platform: formatPlatform({ os: config.os, architecture: config.architecture, variant: config.variant }),
      compressedBytes: sizes.reduce((a, b) => a + b, 0),
      layers: layers.length,
      ...traits,
      deep: null,
      estimate: null,
      older: null,
      caveats: [],
      sharedLayers: [],
    };
    // The stored sizes stand for the blobs: a layer's digest may only be had by reading all of it.
    const storedKey = digest ?? `${configDigest} ${sizes.join(' ')}`;
    return {
      plan,
      candidate,
      image,
      diffIds: config.rootfs?.diff_ids ?? [],
      sizes,
      configDigest,
      storedKey,
      versionLabel: versionLabel({ config, annotations: manifest.annotations }),
      namedDigest: image.ref.index?.digest ?? digest ?? null,
      plainLayers: types.filter((t) => !isCompressedLayerType(t)).length,
      config,
      annotations: manifest.annotations ?? {},
    };
  } catch (error) {
    await image.close();
    throw error;
  }
}

/**
 * Where each package manager's program lives (with and without merged /usr), in the order one is named when an
 * image has several: the program, not the package database, is what a RUN line needs (distroless keeps dpkg's
 * records in status.d but has no apt-get).
 */
const MANAGER_PROGRAMS: [string, string[]][] = [
  ['apt', ['usr/bin/apt-get', 'bin/apt-get']],
  ['apk', ['sbin/apk', 'usr/sbin/apk', 'bin/apk', 'usr/bin/apk']],
  ['microdnf', ['usr/bin/microdnf']],
  ['dnf', ['usr/bin/dnf', 'usr/bin/dnf5', 'bin/dnf']],
  ['yum', ['usr/bin/yum', 'bin/yum']],
  ['tdnf', ['usr/bin/tdnf', 'bin/tdnf']],
  ['zypper', ['usr/bin/zypper', 'bin/zypper']],
];
/** What a shell-form RUN line runs: `/bin/sh -c` (merged /usr keeps it in usr/bin behind the bin symlink). */
const SHELL_PATHS = ['bin/sh', 'usr/bin/sh'];
const BASH_PATHS = ['bin/bash', 'usr/bin/bash'];
/**
 * The dynamic loader every dynamically linked program names, in a library directory (merged /usr or not, multiarch
 * or not): which one is there tells the C library (`ld-musl-x86_64.so.1`, `ld-linux-x86-64.so.2`, `ld-linux.so.2`).
 */
const LOADER = /^(usr\/)?lib(32|64|x32)?\/([^/]+-linux-gnu[^/]*\/)?(ld-musl-[^/]+\.so\.1|ld-linux[^/]*\.so\.\d+)$/;

/** Fills a candidate's deep numbers by running analyze's walk on it. */
async function deepen(probed: Probed, options: BasesOptions): Promise<void> {
  // Which of the programs above are on the final filesystem, followed through whiteouts as the walk applies them.
  const watched = new Set([...SHELL_PATHS, ...BASH_PATHS, ...MANAGER_PROGRAMS.flatMap(([, paths]) => paths)]);
  const present = new Set<string>();
  const loaders = new Set<string>();
  const { result, measured } = await analyzeImageWith(probed.image, {
    ...options,
    image: probed.plan.argument,
    top: 5,
    workers: options.workers,
    dockerfile: undefined,
    base: undefined,
    unionObserver: {
      put: (path, node) => {
        if (LOADER.test(path)) {
          if (node.kind === 'dir') loaders.delete(path);
          else loaders.add(path);
        }
        if (!watched.has(path)) return;
        if (node.kind === 'dir') present.delete(path);
        else present.add(path);
      },
      remove: (path) => {
        present.delete(path);
        loaders.delete(path);
      },
      // A promoted name was present already (as a hardlink).
      promote: () => {},
      waste: () => {},
    },
  });
  const s = result.summary;
  const packages: Record<string, number> = {};
  for (const [manager, totals] of Object.entries(result.packages.totals))
    if (totals.packages > 0) packages[manager] = totals.packages;
  probed.candidate.deep = {
    uncompressedBytes: s.uncompressedBytes,
    finalFileBytes: s.finalFileBytes,
    finalFiles: s.finalFiles,
    wastedBytes: s.wastedBytes,
    junkBytes: junkTotal(result.junk),
    packages,
    bash: BASH_PATHS.some((p) => present.has(p)),
  };
  // The files are the strongest evidence there is, above any label, history line, family entry or name.
  const manager = MANAGER_PROGRAMS.find(([, paths]) => paths.some((p) => present.has(p)))?.[0] ?? null;
  probed.candidate.packageManager = { value: manager, source: 'files' };
  probed.candidate.shell = { value: SHELL_PATHS.some((p) => present.has(p)), source: 'files' };
  // os-release(5): /etc/os-release, else /usr/lib/os-release (a link at /etc has no text of its own to read).
  const release =
    visibleText(measured.fs, measured.captured, 'etc/os-release') ??
    visibleText(measured.fs, measured.captured, 'usr/lib/os-release');
  const os = release === undefined ? undefined : osFromOsRelease(release);
  if (os) probed.candidate.os = { value: os, source: 'files' };
  // musl first: Alpine's gcompat puts an ld-linux name beside musl's loader for glibc programs. No loader at all says
  // nothing sure (a loader outside these directories, as Nix keeps it), so the metadata's answer then stands.
  const names = [...loaders].map((p) => p.slice(p.lastIndexOf('/') + 1));
  if (names.some((n) => n.startsWith('ld-musl-'))) probed.candidate.libc = { value: 'musl', source: 'files' };
  else if (names.length > 0) probed.candidate.libc = { value: 'glibc', source: 'files' };
  else if (os) {
    // No loader seen, but the OS read from the files: a libc inferred from the name or from the OS the metadata told
    // (`foo-alpine`: musl) follows the OS the files tell (Debian: glibc), or is not claimed. One a family entry or
    // label states stays.
    const libc = probed.candidate.libc;
    if (!libc || guessedSource(libc.source) || libc.source === 'os') {
      const value = libcOfOs(os);
      probed.candidate.libc = value ? { value, source: 'os' } : null;
    }
  }
}

function lineRefs(lines: RunLine[]): Caveat['lines'] {
  return lines.map((l) => ({ file: l.file, line: l.line, text: l.text }));
}

function where(lines: RunLine[]): string {
  const shown = lines.slice(0, 5).map((l) => `${l.file}:${l.line}`);
  return `${shown.join(', ')}${lines.length > 5 ? ` and ${lines.length - 5} more` : ''}`;
}

/**
 * A trait (libc, OS) as the notes state it: one guessed from the image's name (its tag, `3.12-alpine`, which may hold
 * a Debian image, or its repository, `ubuntu:24.04`) is said to be a guess, as the table's `?` marks it, so a note
 * does not read as a fact the metadata never told.
 */
function traitSaid(trait: { value: string; source: TraitSource }): string {
  if (trait.source === 'name') return `probably ${trait.value} (from its name)`;
  if (trait.source === 'base-name') return `probably ${trait.value} (from its base image's name)`;
  if (trait.source === 'label-text') return `probably ${trait.value} (from a word in its labels)`;
  return trait.value;
}

/** How a note names a guessed OS's source, as traitSaid does. */
const GOING_BY: Partial<Record<TraitSource, string>> = {
  name: ' (going by its name)',
  'base-name': " (going by its base image's name)",
  'label-text': ' (going by a word in its labels)',
};

/** Where the rolling tag stands today, when its manifest was read: on this rebuild, or already on another image. */
function rollingNow(candidate: BaseCandidate): string {
  const r = candidate.rollingImage;
  // Passed over unsaid, an unreadable tag would read as one never looked at.
  if (candidate.rollingError !== null) return `; could not read ${candidate.rolling}: ${candidate.rollingError}`;
  if (!r) return '';
  return r.same ? ' and is this image today' : `; today it names another image (${r.digest})`;
}

/**
 * An error as a short reason in a note: its first clause, without the hint (a missing tag's message goes on to list
 * the repository's tags, which the table lists already).
 */
function oneLineReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.split('; ')[0]!.trim() || 'unknown error';
}

/** What may break when moving from `current` to `candidate`. */
export function caveatsFor(
  candidate: BaseCandidate,
  current: BaseCandidate | undefined,
  dockerfile: DockerfileBase | undefined,
  family?: FamilyCandidate,
): Caveat[] {
  const caveats: Caveat[] = [];
  if (family?.note) caveats.push({ kind: 'note', message: family.note });
  // Said even when it is no smaller: the same version and variant (or release, for a tag with none), built again on
  // newer OS packages. It is pinned
  // as the tag in use is (the user chose to take rebuilds when they decide); the tag that follows every rebuild is
  // named for whoever would rather not pin.
  if (candidate.rebuildOf)
    caveats.push({
      kind: 'note',
      message:
        `a newer rebuild of ${candidate.rebuildOf}, the tag in use: ${rebuildKeeps(candidate.rebuildOf)}, later package updates, ` +
        `pinned as the tag in use is${candidate.rolling ? ` (${candidate.rolling} follows every rebuild${rollingNow(candidate)})` : ''}`,
    });
  if (!current || candidate === current) return caveats;
  const cur = current;
  if (candidate.libc && cur.libc && candidate.libc.value !== cur.libc.value) {
    const guess = guessedSource(candidate.libc.source) || guessedSource(cur.libc.source);
    const message =
      candidate.libc.value === 'none'
        ? 'no C library: only statically linked programs run'
        : `${traitSaid(candidate.libc)} instead of ${traitSaid(cur.libc)}: native modules and prebuilt binaries built against ${cur.libc.value} ${guess ? 'would' : 'will'} not load; rebuild them${guess ? ' (--deep reads the libc from the files)' : ''}`;
    caveats.push({ kind: 'libc', message });
  } else if (!candidate.libc) {
    caveats.push({
      kind: 'unknown',
      message: 'its libc family is not in its metadata: check that your binaries run on it',
    });
  } else if (!cur.libc) {
    caveats.push({
      kind: 'unknown',
      message: `${traitSaid(candidate.libc)}, and the current base's libc family is not in its metadata: check that your binaries run on it`,
    });
  }
  const runLines = dockerfile?.runLines ?? [];
  if (candidate.shell?.value === false && cur.shell?.value !== false) {
    const shellLines = runLines.filter((l) => l.shellForm);
    caveats.push({
      kind: 'shell',
      message:
        shellLines.length > 0
          ? `no shell: ${plural(shellLines.length, 'RUN line')} of the final stage will not run (${where(shellLines)}); move ${shellLines.length === 1 ? 'it' : 'them'} to a build stage`
          : 'no shell: RUN lines, shell-form CMD/ENTRYPOINT and `docker exec … sh` will not work',
      ...(shellLines.length ? { lines: lineRefs(shellLines) } : {}),
    });
  }
  // RUN lines after `SHELL ["/bin/bash", "-c"]` need bash: a walked image (deep) says whether it has it; otherwise the
  // OS does (Alpine and Wolfi ship busybox's sh and no bash).
  const noBash = (c: BaseCandidate) =>
    c.deep ? !c.deep.bash : c.os !== null && ['alpine', 'wolfi'].includes(c.os.value);
  if (candidate.shell?.value !== false && noBash(candidate) && !noBash(cur)) {
    const bashLines = runLines.filter((l) => l.shellProgram !== null && /(^|\/)bash$/.test(l.shellProgram));
    const holder = candidate.deep ? 'this image' : `${candidate.os!.value}${GOING_BY[candidate.os!.source] ?? ''}`;
    if (bashLines.length > 0)
      caveats.push({
        kind: 'shell',
        message: `no bash in ${holder} unless it is installed first: ${plural(bashLines.length, 'RUN line')} run${bashLines.length === 1 ? 's' : ''} with ${bashLines[0].shellProgram} (SHELL) and will not start (${where(bashLines)})`,
        lines: lineRefs(bashLines),
      });
  }
  const pm = candidate.packageManager?.value;
  const curPm = cur.packageManager?.value;
  if (candidate.packageManager && pm !== curPm) {
    const works = pm ? compatibleManagers(pm) : [];
    const broken = runLines.filter((l) => l.packageManagers.some((m) => !works.includes(m)));
    // With the current base's package manager unknown, only RUN lines that really call another one are worth a word.
    const known = cur.packageManager !== null;
    const what = pm
      ? `${pm}${known ? ` instead of ${curPm ?? 'none'}` : ''}`
      : `no package manager${known ? ` (${curPm ?? 'none'} before)` : ''}`;
    const message =
      broken.length > 0
        ? `${what}: ${plural(broken.length, 'RUN line')} call${broken.length === 1 ? 's' : ''} ${[...new Set(broken.flatMap((l) => l.packageManagers))].join(', ')} and will not work (${where(broken)})`
        : dockerfile
          ? `${what}: no RUN line of the final stage calls another package manager`
          : known && curPm
            ? // With no package manager there are no package names to differ.
              `${what}: RUN lines that call ${curPm} will not work${pm ? ', and package names differ' : ''}`
            : undefined;
    if (message)
      caveats.push({ kind: 'package-manager', message, ...(broken.length ? { lines: lineRefs(broken) } : {}) });
  }
  if (
    candidate.os &&
    cur.os &&
    candidate.os.value !== cur.os.value &&
    candidate.libc?.value === cur.libc?.value &&
    pm === curPm
  ) {
    caveats.push({
      kind: 'os',
      message: `${traitSaid(candidate.os)} instead of ${traitSaid(cur.os)}: package names and file locations may differ`,
    });
  }
  if ((candidate.user || 'root') !== (cur.user || 'root')) {
    caveats.push({
      kind: 'user',
      message: `runs as ${candidate.user || 'root'} instead of ${cur.user || 'root'}: what your layers write must be readable by that user`,
    });
  }
  const v = candidate.runtimeVersion?.value;
  const cv = cur.runtimeVersion?.value;
  const older = candidate.older;
  if (older)
    caveats.push({
      kind: 'version',
      message: `older: ${older.version} < ${older.current} (${older.from}): a downgrade of the runtime, without the fixes (security ones included) released since`,
    });
  else if (v && cv && v !== cv) caveats.push({ kind: 'version', message: `runtime ${v} instead of ${cv}` });
  else if (!v && candidate.origin === 'family')
    caveats.push({ kind: 'version', message: 'its runtime version is not in its metadata: check it matches yours' });
  return caveats;
}

/**
 * How `candidate` is older than `current`, when both state their version the same way: the same `*_VERSION`
 * variable, or (between tags of the current base's own repository) the version label; else, for tags of that
 * repository, full versions in both tags (`20.10.0-buster`). A family equivalent's version label may be its distro's,
 * so it is not compared.
 */
export function olderThan(candidate: BaseCandidate, current: BaseCandidate): BaseCandidate['older'] {
  if (candidate === current) return null;
  const own = candidate.origin === 'variant';
  const [v, cv] = [candidate.runtimeVersion, current.runtimeVersion];
  if (v && cv && v.from === cv.from && (own || v.from.endsWith('_VERSION')))
    return isOlderVersion(v.value, cv.value) ? { version: v.value, current: cv.value, from: v.from } : null;
  const [t, ct] = [parseTag(candidate.tag ?? ''), parseTag(current.tag ?? '')];
  if (own && t?.version && ct?.version && t.parts.length === 3 && ct.parts.length === 3) {
    // The version as the tag writes it, pre-release included: `3.13.0rc1` is older than `3.13.0`.
    const [version, currentVersion] = [tagVersion(t), tagVersion(ct)];
    return isOlderVersion(version, currentVersion) ? { version, current: currentVersion, from: 'tag' } : null;
  }
  return null;
}

/** A tag without its variant: `3.13.0rc1` of `3.13.0rc1-slim`, `22.0.0-rc.1` of `22.0.0-rc.1-alpine`. */
function tagVersion(tag: ParsedTag): string {
  const version = tag.variant && tag.tag.endsWith(tag.variant) ? tag.tag.slice(0, -tag.variant.length) : tag.tag;
  return version.replace(/[-_.]$/, '');
}

/**
 * `base` parsed, keeping the tag written beside a digest. `FROM node:20.11.1@sha256:…` pulls by the digest, but the tag
 * is the version whose variants are listed, and the name the user knows the base by.
 */
function baseReference(base: string): Reference {
  const { writtenTag, ...ref } = parseReference(base);
  return writtenTag ? { ...ref, tag: writtenTag } : ref;
}

/** The variant tags and family equivalents of `base` (a registry reference), with the current tag first. */
async function planCandidates(base: string, options: BasesOptions, result: BasesResult): Promise<Planned[]> {
  const ref = baseReference(base);
  if (ref.digest && !ref.tag) {
    throw new UsageError(`${base} is pinned by digest only, so its version is unknown`, {
      code: 'bases-digest-only',
      hint: 'name the tag as well (node:20.11.1@sha256:…), or pass the tag instead of the digest',
    });
  }
  const tag = ref.tag ?? 'latest';
  const repository = repositoryName(base);
  const stem = `${ref.registry}/${ref.repository}`;
  const listed = await listTags(`docker://${stem}`, { ...options, pageSize: options.tagPageSize }).catch(
    (error: unknown) => {
      throw wrapError(`listing the tags of ${repository}`, error);
    },
  );
  result.tags = {
    repository,
    listed: listed.tags.length,
    pages: listed.pages,
    truncated: listed.truncated,
    tag,
    versioned: (parseTag(tag)?.parts.length ?? 0) > 0,
    anyVersion: options.anyVersion ?? false,
  };
  if (listed.truncated)
    result.warnings.push(`${repository} has more tags than ballast reads; some variants may be missing`);
  const plans: Planned[] = [];
  const currentRef = familiarName(ref);
  plans.push({
    argument: `docker://${base}`,
    reference: currentRef,
    origin: 'current',
    tag,
    stem,
    variant: parseTag(tag)?.variant ?? '',
    match: 'exact',
  });
  if (!listed.tags.includes(tag) && !ref.digest) {
    result.warnings.push(`${repository} does not list the tag ${tag}`);
    plans[0].listedTags = listed.tags;
  }
  for (const choice of chooseVariantTags(tag, listed.tags, { anyVersion: options.anyVersion })) {
    const also = choice.alternatives.filter((t) => t !== choice.tag);
    if (choice.tag === tag) {
      plans[0].alsoMatching = also;
      continue;
    }
    const reference = familiarName({ ...ref, tag: choice.tag, digest: undefined });
    plans.push({
      argument: `docker://${stem}:${choice.tag}`,
      reference,
      origin: 'variant',
      tag: choice.tag,
      variant: choice.variant,
      match: choice.match,
      alsoMatching: also,
      stem,
      ...(choice.rebuildOf !== undefined ? { rebuildOf: choice.rebuildOf } : {}),
      ...(choice.rolling !== undefined
        ? { rolling: choice.rolling, rollingArgument: `docker://${stem}:${choice.rolling}` }
        : {}),
    });
  }
  const fields = versionFields(tag);
  const families = familyCandidatesFor(repository, options.families ?? [], options.builtinFamilies ?? true);
  for (const family of families) {
    const filled = fillTemplate(family.image, fields);
    if (!filled) {
      result.skipped.push({ reference: family.image, reason: `${tag} has no version to fill in ${family.image}` });
      continue;
    }
    let reference: string;
    try {
      reference = familiarName(parseReference(filled));
    } catch (error) {
      result.skipped.push({ reference: filled, reason: (error as Error).message });
      continue;
    }
    if (plans.some((p) => p.reference === reference)) continue;
    plans.push({
      argument: `docker://${filled}`,
      reference,
      origin: 'family',
      family,
      tag: parseReference(filled).tag,
    });
  }
  return plans;
}

function reason(error: unknown): string {
  if (error instanceof BallastError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

async function loadFamilies(options: BasesOptions): Promise<{ families: Family[]; builtin: boolean }> {
  const cwd = options.cwd ?? (options.dockerfile ? dirname(options.dockerfile) : process.cwd());
  const loaded = await loadBallastConfig({ cwd, configPath: options.configPath });
  const bases = loaded?.config.bases;
  return {
    families: [...(options.families ?? []), ...(bases?.families ?? [])],
    builtin: options.builtinFamilies ?? bases?.builtinFamilies ?? true,
  };
}

export async function bases(options: BasesOptions): Promise<BasesResult> {
  const images = options.images.filter((i) => i.trim() !== '');
  if (images.length === 0 && !options.dockerfile && !options.base) {
    throw new UsageError('no image given', {
      code: 'usage',
      hint: 'pass an image (node:20), several images to compare, or --dockerfile Dockerfile',
    });
  }
  if (images.length > 1 && (options.base || options.dockerfile)) {
    throw new UsageError('--base and --dockerfile apply to one image, not to several compared side by side', {
      code: 'usage',
      hint: 'pass one image with --base/--dockerfile, or several images alone',
    });
  }
  const { families, builtin } = await loadFamilies(options);
  const opts: BasesOptions = { ...options, families, builtinFamilies: builtin };
  const dockerfile = options.dockerfile ? await readDockerfileBase(options.dockerfile, options.platform) : undefined;
  const result: BasesResult = {
    mode:
      images.length > 1 ? 'compare' : images.length === 1 && (options.base || dockerfile) ? 'rebuild' : 'candidates',
    platform: '',
    image: null,
    base: null,
    dockerfile: dockerfile
      ? { file: dockerfile.file, from: dockerfile.from, fromLine: dockerfile.fromLine, runLines: dockerfile.runLines }
      : null,
    tags: null,
    candidates: [],
    skipped: [],
    deep: options.deep ?? false,
    recordedDigest: null,
    warnings: [],
  };
  // The flags that widen or narrow the candidates of one image choose nothing among images given side by side.
  const choosing = options.choiceFlags ?? [];
  if (images.length > 1 && choosing.length > 0) {
    result.warnings.push(
      `${choosing.join(' and ')} ${choosing.length > 1 ? 'choose' : 'chooses'} the candidates for one image; the images given are compared as they are`,
    );
  }

  // The user's own image, read first: its platform is the one every candidate is compared on.
  let user: Image | undefined;
  const opened: Image[] = [];
  try {
    let platform = options.platform;
    let recordedBase: string | undefined;
    let recordedDigest: string | undefined;
    // One local image alone: the user's own, when it records its base (BuildKit's base-image annotation or label).
    const ownImage =
      result.mode === 'candidates' && images.length === 1 && (await registryReference(images[0], opts)) === undefined;
    if (result.mode === 'rebuild' || ownImage) {
      user = await openImage(images[0], opts).catch((error: unknown) => {
        throw namesImage(error, images[0]) ? error : wrapError(`opening ${withoutCredentials(images[0])}`, error);
      });
      opened.push(user);
      const [config, manifest] = await Promise.all([user.configFile(), user.manifest()]);
      platform ??= formatPlatform({ os: config.os, architecture: config.architecture, variant: config.variant });
      const digest = manifest.annotations?.[BASE_DIGEST] ?? config.config?.Labels?.[BASE_DIGEST];
      if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) recordedDigest = digest;
      if (ownImage) {
        recordedBase = manifest.annotations?.[BASE_NAME] ?? config.config?.Labels?.[BASE_NAME];
        // buildah records "" for FROM scratch: a base it knows is none, not one it failed to record.
        if (recordedBase === '') {
          throw new UsageError(
            `${images[0]} records an empty base name (${BASE_NAME}): it was built FROM scratch, so there is no base to replace`,
            {
              code: 'bases-scratch',
              hint: 'bases compares base images; to compare this image with others, pass them all (ballast bases IMAGE OTHER...)',
            },
          );
        }
        if (!recordedBase) {
          throw new UsageError(
            `${images[0]} does not record its base image, and is not a registry image whose tags could be listed`,
            {
              code: 'bases-unknown-base',
              hint: 'pass its base with --base REF or its Dockerfile with --dockerfile, or name a registry image such as node:20',
            },
          );
        }
        result.mode = 'rebuild';
        options.notice?.(`${images[0]} records its base as ${recordedBase} (${BASE_NAME})`);
      }
    }
    // The Dockerfile's `FROM --platform=...` pulls the base for that platform; the image built from it says better.
    platform ??= dockerfile?.platform;
    // Written out as the candidates' platforms are (`arm64` is linux/arm64): the heading and the JSON name one
    // platform one way, and a bad --platform is refused here, before any request.
    result.platform = formatPlatform(platform !== undefined ? parsePlatform(platform) : hostPlatform());

    let plans: Planned[];
    let baseRef: string | undefined;
    if (result.mode === 'compare') {
      plans = await Promise.all(
        images.map(async (argument) => ({
          argument,
          reference: displayName(argument, await registryReference(argument, opts)),
          origin: 'given' as const,
        })),
      );
    } else {
      const baseArgument =
        result.mode === 'rebuild'
          ? (options.base ?? dockerfile?.from ?? recordedBase!)
          : (images[0] ?? options.base ?? dockerfile!.from);
      if (baseArgument.toLowerCase() === 'scratch') {
        throw new UsageError(
          `${dockerfile ? `the final stage of ${dockerfile.file}` : 'the image'} starts FROM scratch: there is no base to replace`,
          {
            code: 'bases-scratch',
            hint: 'bases compares base images; scratch is already the smallest',
          },
        );
      }
      const base = await registryReference(baseArgument, opts);
      if (
        base === undefined &&
        !(await splitPathSelector(baseArgument.replace(/^(docker-archive|oci-archive|oci):/, '')))
      ) {
        throw new UsageError(`${baseArgument} does not exist`, {
          code: 'not-found',
          hint: 'check the path, or name a registry image such as node:20',
        });
      }
      if (base === undefined) {
        // A local --base names a base whose tags cannot be listed: the registry name it was pulled as can.
        const fromBaseFlag = result.mode === 'rebuild' && options.base === baseArgument;
        throw new UsageError(`${baseArgument} is not a registry image, so ballast cannot list its other tags`, {
          code: 'not-a-registry-image',
          hint: fromBaseFlag
            ? 'give --base as the registry reference the base was pulled as (node:20, docker://ghcr.io/org/base:1.2), not a local copy'
            : 'name the base as a registry reference (node:20, docker://ghcr.io/org/base:1.2); for your own image pass it with --base REF or --dockerfile',
        });
      }
      parseReference(base); // a bad reference fails here, before any request
      baseRef = base;
      result.base = familiarName(baseReference(base));
      plans = await planCandidates(base, opts, result).catch((error: unknown) => {
        // podman and buildah record a base built or pulled into their local storage as `localhost/NAME`: there is
        // no registry behind that name, and "check that the registry is running" sends the user the wrong way.
        if (recordedBase !== undefined && parseReference(base).registry === 'localhost') {
          throw new UsageError(
            `${images[0]} records its base as ${recordedBase}, a name podman and buildah give images in their local storage; its tags cannot be listed`,
            {
              code: 'bases-local-base',
              hint: 'pass the registry reference the base came from with --base REF (node:20, ghcr.io/org/base:1.2), or its Dockerfile with --dockerfile',
            },
          );
        }
        // The same name in a Dockerfile built by buildah (`FROM localhost/NAME`) is the same local storage.
        if (
          dockerfile &&
          baseArgument === dockerfile.from &&
          options.base === undefined &&
          parseReference(base).registry === 'localhost'
        ) {
          throw new UsageError(
            `the final FROM of ${dockerfile.file} (line ${dockerfile.fromLine}) is ${dockerfile.from}, a name podman and buildah give images in their local storage; its tags cannot be listed`,
            {
              code: 'bases-local-base',
              hint: 'pass the registry reference the base came from with --base REF (node:20, ghcr.io/org/base:1.2)',
            },
          );
        }
        // A repository the registry does not have, named in a FROM: the line to fix is named, as a mistyped tag's is
        // told the tag it was probably meant to be.
        if (
          dockerfile &&
          baseArgument === dockerfile.from &&
          options.base === undefined &&
          error instanceof BallastError &&
          error.code === 'repository-not-found'
        )
          throw wrapError(`the final FROM of ${dockerfile.file} (line ${dockerfile.fromLine})`, error);
        throw error;
      });
    }

    // Why each unreadable candidate was left out, reported in plan order once its batch is done: probes end in
    // whatever order the registry answers, and the report must not change with that.
    const unreadable = new Map<Planned, { reason: string; digest?: string }>();
    // Tags of one manifest (`20.11.1-slim`, `20.11.1-slim-bookworm`) are one image left out: named once, the others as
    // its aliases, as the table names them. One manifest is left out for one reason whatever tag named it.
    const skippedImages = new Map<string, BasesResult['skipped'][number]>();
    // So is one config under several manifests (a Docker v2 copy beside the OCI one, a recompressed push), as the
    // compared candidates are grouped, where the config was read.
    const skip = (reference: string, why: string, digest: string | null | undefined, configDigest?: string) => {
      const keys = [digest, configDigest && `config ${configDigest}`].filter((k): k is string => !!k);
      const first = keys.map((k) => skippedImages.get(k)).find((e) => e !== undefined);
      if (first) {
        (first.aliases ??= []).push(reference);
        for (const k of keys) if (!skippedImages.has(k)) skippedImages.set(k, first);
        return;
      }
      const entry = { reference, reason: why };
      for (const k of keys) skippedImages.set(k, entry);
      result.skipped.push(entry);
    };
    const probeOne = async (plan: Planned, on: string | undefined): Promise<Probed | undefined> => {
      try {
        const probed = await probe(plan, on, opts);
        opened.push(probed.image);
        return probed;
      } catch (error) {
        // The current base must be readable; a candidate that is not is reported and left out.
        if (plan.origin === 'current' || plan.origin === 'given') {
          const wrapped = wrapError(`reading ${plan.reference}`, error);
          // Every tag was listed to find the variants: a mistyped tag is told the one it was probably meant to be,
          // which the registry's sample of its first tags in the message seldom holds.
          if (wrapped.code === 'manifest-unknown' && plan.listedTags && plan.tag)
            throw restate(wrapped, { hint: didYouMeanValue(plan.tag, plan.listedTags, wrapped.hint ?? '') });
          throw wrapped;
        }
        unreadable.set(plan, { reason: reason(error), digest: failedManifestDigest(error) });
        return undefined;
      }
    };
    // Every probe runs to its end before one failure is raised, and the one raised is the first in argument order:
    // which probe fails first in time varies from run to run, and an image still opening would be left unclosed.
    const probeAll = async (list: Planned[], on: string | undefined): Promise<(Probed | undefined)[]> => {
      const settled = await pool(list, 4, (plan) =>
        probeOne(plan, on).then(
          (probed) => ({ probed }),
          (error: unknown) => ({ error }),
        ),
      );
      const failed = settled.find((s): s is { error: unknown } => 'error' in s);
      if (failed) throw failed.error;
      for (const plan of list) {
        const why = unreadable.get(plan);
        if (why !== undefined) skip(plan.reference, why.reason, why.digest);
      }
      return settled.map((s) => ('probed' in s ? s.probed : undefined));
    };
    let probedAll: (Probed | undefined)[];
    if (result.mode === 'compare') {
      probedAll = await probeAll(plans, options.platform);
    } else if (platform === undefined) {
      // No platform asked for and no image of the user's to take it from: the current base decides, read as
      // `inspect` reads it (an index gives this machine's image, a single-platform base its own platform), so an
      // amd64-only base is not refused on an arm64 laptop; the candidates are then compared on that platform.
      const first = (await probeOne(plans[0], undefined))!;
      result.platform = first.candidate.platform;
      probedAll = [first, ...(await probeAll(plans.slice(1), result.platform))];
    } else {
      probedAll = await probeAll(plans, result.platform);
    }
    let probed = probedAll.filter((p): p is Probed => p !== undefined);
    if (result.mode === 'compare' && !options.platform) {
      // Each image was read for its own platform: the heading names theirs, not this machine's, and sizes of
      // different architectures are not a like-for-like comparison.
      const platforms = [...new Set(probed.map((p) => p.candidate.platform))];
      result.platform = platforms.join(', ');
      if (platforms.length > 1)
        result.warnings.push(
          `the images are of different platforms (${platforms.join(', ')}), so their sizes do not compare like for like (--platform picks one platform from multi-platform images)`,
        );
    }

    // The user's own image may be tagged in its base's repository (`lib/debian:12-app` beside `lib/debian:12`), and
    // so be listed as a variant of the base: it is no base to rebuild itself on, and its row (and its "Your image on
    // it", its layers counted twice) would read as an option. Told by its manifest or its config, whatever the tag or
    // file is called, and named under "Not compared" so the user knows it was seen.
    if (user) {
      const own = user;
      const [ownDigest, ownConfig] = await Promise.all([own.digest(), own.configDigest()]);
      const isOwn = (p: Probed) =>
        p.configDigest === ownConfig || (ownDigest !== undefined && p.candidate.digest === ownDigest);
      // A base that is the image itself (`--base myapp:1` for myapp's own tag) leaves it no layer of its own: every
      // estimate would be a candidate's size alone, and "of which yours: 0 layers" says nothing of why.
      // The base named as the image was (`bases python:3.12-slim -f Dockerfile`, FROM python:3.12-slim) asks for its
      // candidates, checked against the Dockerfile: no image of the user's to estimate, so no error either.
      const base = probed.find((p) => p.candidate.current);
      const sameName =
        base !== undefined &&
        baseRef !== undefined &&
        sameReference((await registryReference(images[0], opts)) ?? '', baseRef);
      if (base && isOwn(base) && sameName) {
        result.mode = 'candidates';
        user = undefined;
      } else if (base && isOwn(base)) {
        const given =
          options.base !== undefined ? ' (--base)' : dockerfile ? ` (the final FROM of ${dockerfile.file})` : '';
        throw new UsageError(
          `${base.candidate.reference}${given} is ${withoutCredentials(images[0])} itself, not its base`,
          {
            code: 'bases-own-image',
            hint: 'pass the image it is built on with --base (node:20), or its Dockerfile with --dockerfile',
          },
        );
      }
      probed = probed.filter((p) => {
        if (p.candidate.current || !isOwn(p)) return true;
        skip(
          p.candidate.reference,
          `${p.candidate.reference} is ${withoutCredentials(images[0])} itself, your image: no base to rebuild it on`,
          p.candidate.digest,
          p.configDigest,
        );
        return false;
      });
    }

    // Another major found in a family candidate's config is ruled out like another major's tag.
    const current = probed.find((p) => p.candidate.current);
    const wantedMajor = current ? majorOf(parseTag(current.plan.tag ?? '')?.version) : undefined;
    probed = probed.filter((p) => {
      if (p.plan.origin !== 'family' || options.anyVersion || wantedMajor === undefined) return true;
      const major = majorOf(p.candidate.runtimeVersion?.value);
      if (major === undefined || major === wantedMajor) return true;
      skip(
        p.candidate.reference,
        `runs ${p.candidate.runtimeVersion!.value} (${p.candidate.runtimeVersion!.from}), another major than ${current!.plan.tag}; --any-version offers it`,
        p.candidate.digest,
        p.configDigest,
      );
      return false;
    });

    // A tag that names a release may hold a pre-release (`python:3.14-slim` while 3.14 is at rc): never offered in
    // place of a release, as a pre-release tag is not, unless the current base is itself a pre-release. Its version
    // variable or its version label may say so (`PYTHON_VERSION=3.13` names only the line the label's 3.13.0rc1 is
    // on); both come with the config already read, no request more per tag.
    const preRelease = (p: Probed) =>
      [p.candidate.runtimeVersion, p.versionLabel].find((v) => v !== null && isPrerelease(v.value)) ?? undefined;
    const currentPre =
      current !== undefined &&
      (preRelease(current) !== undefined || (parseTag(current.plan.tag ?? '')?.prerelease ?? false));
    probed = probed.filter((p) => {
      if (p === current || current === undefined || currentPre || options.anyVersion) return true;
      const v = preRelease(p);
      if (!v) return true;
      skip(
        p.candidate.reference,
        `runs ${v.value} (${v.from}), a pre-release, and ${current.candidate.reference} is a release; --any-version offers it`,
        p.candidate.digest,
        p.configDigest,
      );
      return false;
    });

    // Tags that resolve to one manifest are one candidate. Among a base's candidates, so are tags of one image pushed
    // under another manifest (Docker's format beside OCI's, or recompressed): the same config, so the same layers and
    // settings, and nothing to move to. Images compared side by side stay apart unless they are one stored image (one
    // manifest, or one legacy archive entry under several tags), since how each is stored is part of what the user
    // compares.
    const byDigest = new Map<string, Probed>();
    const repeated = new Map<string, number>();
    probed = probed.filter((p) => {
      const key = result.mode === 'compare' ? p.storedKey : p.configDigest;
      if (!key) return true;
      const first = byDigest.get(key);
      if (!first) {
        byDigest.set(key, p);
        return true;
      }
      // The current one keeps its place, and of two variant tags of one image the row is named by the tag closer to
      // the one in use (`12-slim` for `12`, not `bookworm-slim`, which sorts first): the earlier one becomes its
      // alias. A newer rebuild keeps its name, which says what it is.
      const wantedTag = result.tags?.tag;
      const closer =
        wantedTag !== undefined &&
        p.plan.origin === 'variant' &&
        first.plan.origin === 'variant' &&
        p.plan.rebuildOf === undefined &&
        first.plan.rebuildOf === undefined &&
        closerTag(wantedTag, p.plan.tag ?? '', first.plan.tag ?? '') < 0;
      if (p.candidate.current || closer) {
        p.candidate.aliases.push(first.candidate.reference, ...first.candidate.aliases);
        byDigest.set(key, p);
        first.candidate.reference = '';
        return true;
      }
      // One image named twice (`a.oci a.oci`, `docker://x:1 x:1`) is one row, not an alias of itself. Said once on
      // stderr: "1 image side by side" for two arguments read as if one had been lost.
      const names = [first.candidate.reference, ...first.candidate.aliases];
      if (!names.includes(p.candidate.reference)) first.candidate.aliases.push(p.candidate.reference);
      else if (result.mode === 'compare')
        repeated.set(p.candidate.reference, (repeated.get(p.candidate.reference) ?? 1) + 1);
      return false;
    });
    probed = probed.filter((p) => p.candidate.reference !== '');
    for (const [name, times] of repeated)
      options.notice?.(`${name} was given ${times === 2 ? 'twice' : `${times} times`}: compared once`);

    // The tag that follows every rebuild is often the newest rebuild itself: its manifest digest alone tells, so the
    // row can say they are one image (or that it has moved on) without reading another config.
    await pool(
      probed.filter((p) => p.plan.rollingArgument !== undefined),
      4,
      async (p) => {
        const reference = familiarName(parseReference(p.plan.rollingArgument!.slice('docker://'.length)));
        let read: { digest: string; listed: string[] };
        try {
          read = await manifestDigest(p.plan.rollingArgument!, opts);
        } catch (error) {
          p.candidate.rollingError = oneLineReason(error);
          return;
        }
        const same = isSameImage(read, p);
        p.candidate.rollingImage = { reference, digest: read.digest, same };
        if (same && !p.candidate.aliases.includes(reference)) p.candidate.aliases.push(reference);
      },
    );

    // The other tags a row matched are names, not images: `latest` beside `12` may be 12 or already 13, and with
    // --any-version `11` matches too. Their manifests alone tell which are this very image (then aliases); the rest
    // stay as other tags, never said to be it. Bounded per row, as a variant may match hundreds of tags.
    const alsoReads = probed.flatMap((p) =>
      p.plan.stem === undefined ? [] : p.candidate.alsoMatching.slice(0, ALSO_READ).map((tag) => ({ p, tag })),
    );
    const sameTags = new Set<string>();
    const readTags = new Set<string>();
    // A row's other tag can be the image in use (`20.18.1-bookworm` beside a user on `20`, while `20-bookworm` has
    // moved on): it is named among the current row's aliases, as its own tags are, not as another image of the row's.
    const currentTags = new Set<string>();
    await pool(alsoReads, 4, async ({ p, tag }) => {
      try {
        const read = await manifestDigest(`docker://${p.plan.stem}:${tag}`, opts);
        readTags.add(`${p.candidate.reference} ${tag}`);
        if (isSameImage(read, p)) sameTags.add(`${p.candidate.reference} ${tag}`);
        else if (current && current !== p && isSameImage(read, current))
          currentTags.add(`${p.candidate.reference} ${tag}`);
      } catch {
        // Unread: kept among the other tags, and said to be unread.
      }
    });
    for (const p of probed) {
      const c = p.candidate;
      const key = (tag: string) => `${c.reference} ${tag}`;
      for (const [tags, to] of [
        [sameTags, c],
        [currentTags, current?.candidate],
      ] as const)
        for (const tag of c.alsoMatching.filter((t) => tags.has(key(t)))) {
          const reference = familiarName(parseReference(`${p.plan.stem}:${tag}`));
          if (to && !to.aliases.includes(reference)) to.aliases.push(reference);
        }
      c.alsoMatching = c.alsoMatching.filter((t) => !sameTags.has(key(t)) && !currentTags.has(key(t)));
      c.alsoUnread = c.alsoMatching.filter((t) => !readTags.has(key(t)));
    }

    // One config stored two ways is one image, but only an OCI manifest keeps annotations (`docker save` drops them):
    // what one copy's manifest records (its base's name, a vendor, a title) is read for the others too, so two rows of
    // one image do not tell two stories; a note says whose manifest it was.
    if (result.mode === 'compare') for (const p of probed) borrowAnnotations(p, probed);

    if (options.deep) {
      for (const p of probed) {
        await deepen(p, opts).catch((error: unknown) => {
          throw wrapError(`walking ${p.candidate.reference}`, error);
        });
      }
    }
    // What the files told in place of all a row borrowed leaves nothing of the other copy's manifest in it.
    for (const p of probed) if (p.borrowed && !borrowedNames(p).length) p.candidate.annotationsFrom = null;

    const currentCandidate = probed.find((p) => p.candidate.current)?.candidate;
    for (const p of probed) {
      if (currentCandidate) p.candidate.older = olderThan(p.candidate, currentCandidate);
      p.candidate.caveats = caveatsFor(p.candidate, currentCandidate, dockerfile, p.plan.family);
    }
    // A `docker save` stores plain tars: its Compressed cell is its tar size, set beside other images' pulls, which
    // ranks it as far bigger than it would be pushed. Said on its row, as ci skips a compressed budget on it.
    for (const p of probed)
      if (p.plainLayers)
        p.candidate.caveats.push({
          kind: 'note',
          message: `stores ${p.plainLayers} of ${p.candidate.layers} layers uncompressed (as docker save writes them): Compressed is its tar size, and pushed it would be smaller`,
        });
    // Side by side, one config stored two ways (an OCI layout and its `docker save`) stays two rows, as how each is
    // stored is part of what is compared; said, so two sizes of one image do not read as two images.
    if (result.mode === 'compare')
      for (const p of probed) {
        const same = probed.filter((o) => o !== p && o.configDigest === p.configDigest);
        if (same.length)
          p.candidate.caveats.push({
            kind: 'note',
            message: `the same config as ${same.map((o) => o.candidate.reference).join(', ')}: one image, stored another way`,
          });
        const message = borrowedNote(p);
        if (message) p.candidate.caveats.push({ kind: 'note', message });
      }

    // The layers each row shares with the others (side by side) or with the current base (one image's candidates):
    // a shared base is pulled and stored once. In the rebuild, with the user's image (estimateRebuild).
    if (result.mode === 'compare')
      for (const p of probed) for (const o of probed) if (o !== p) shareWith(p, o.candidate.reference, o.diffIds);
    if (result.mode === 'candidates' && currentCandidate) {
      const current = probed.find((p) => p.candidate.current)!;
      for (const p of probed) if (p !== current) shareWith(p, current.candidate.reference, current.diffIds);
    }

    if (user && currentCandidate) {
      const current = probed.find((p) => p.candidate.current)!;
      let asBuilt = { reference: current.candidate.reference, diffIds: current.diffIds };
      if (recordedDigest && baseRef) {
        // The tag may have moved since the build; the digest the image records is the base it was built on, exactly.
        // Tried in the base's own repository: a digest names one content, so wherever it is found it is that base.
        // buildah records the digest of its local copy, which no registry has: then the tag as it is today.
        const ref = parseReference(baseRef);
        const reference = familiarName({ ...ref, tag: undefined, digest: recordedDigest });
        try {
          const exact = await probe(
            { argument: `docker://${ref.registry}/${ref.repository}@${recordedDigest}`, reference, origin: 'current' },
            result.platform,
            opts,
          );
          opened.push(exact.image);
          asBuilt = { reference, diffIds: exact.diffIds };
          result.recordedDigest = { digest: recordedDigest, reference, used: 'digest', reason: null };
        } catch (error) {
          if (!(error instanceof BallastError && error.code === 'manifest-unknown'))
            throw wrapError(
              `reading ${reference}, the base digest ${withoutCredentials(images[0])} records (${BASE_DIGEST})`,
              error,
            );
          result.recordedDigest = { digest: recordedDigest, reference, used: 'tag', reason: reason(error) };
        }
      }
      // The Dockerfile's count of base layers is of its FROM: it tells the old base's layers of the base compared
      // only when that is the FROM's repository (a --base naming another image, the FROM's own base, is not).
      const fromIsBase =
        dockerfile !== undefined && (options.base === undefined || sameRepository(options.base, dockerfile.from));
      await estimateRebuild(user, current, asBuilt, probed, result, opts, dockerfile, fromIsBase);
    }

    const size = (c: BaseCandidate): number => (options.deep && c.deep ? c.deep.uncompressedBytes : c.compressedBytes);
    result.candidates = probed
      .map((p) => p.candidate)
      .sort(
        (a, b) =>
          Number(a.older !== null) - Number(b.older !== null) ||
          size(a) - size(b) ||
          a.reference.localeCompare(b.reference),
      );
    return result;
  } finally {
    await Promise.all(opened.map((i) => i.close().catch(() => {})));
  }
}

/**
 * Reads `p`'s traits again with the annotations of the first other image of its config whose manifest has trait keys
 * `p`'s lacks, its own winning, when that changes what the row shows.
 */
function borrowAnnotations(p: Probed, probed: Probed[]): void {
  for (const donor of probed) {
    if (donor === p || donor.configDigest !== p.configDigest) continue;
    const keys = TRAIT_KEYS.filter((k) => donor.annotations[k] !== undefined && p.annotations[k] === undefined);
    if (!keys.length) continue;
    const annotations = { ...donor.annotations, ...p.annotations };
    const traits = baseTraits({ config: p.config, annotations, name: p.plan.reference, family: p.plan.family });
    const names = TRAIT_NAMES.filter(([k]) => !isDeepStrictEqual(traits[k], p.candidate[k]));
    if (!names.length) continue;
    p.borrowed = { traits, keys, names: names.map(([k]) => k) };
    Object.assign(p.candidate, traits, { annotationsFrom: donor.candidate.reference });
    p.versionLabel = versionLabel({ config: p.config, annotations });
    return;
  }
}

/**
 * The traits a row shows as read from another copy's manifest: those still as read then (`--deep` may have read them
 * from the files since).
 */
function borrowedNames(p: Probed): string[] {
  const b = p.borrowed;
  if (!b) return [];
  return TRAIT_NAMES.filter(([k]) => b.names.includes(k) && isDeepStrictEqual(b.traits[k], p.candidate[k])).map(
    ([, name]) => name,
  );
}

function borrowedNote(p: Probed): string | undefined {
  const names = borrowedNames(p);
  if (!names.length || !p.borrowed) return undefined;
  const what = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  // The keys stand apart from brackets and commas: org.opencontainers.image.base.name alone fills the 34 columns a
  // 40-column terminal leaves a note's line, and `(...),` around it ran 3 columns past the terminal.
  const keys = p.borrowed.keys;
  const named = keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
  return `${what} read from ${named} in ${p.candidate.annotationsFrom}'s manifest, which this copy does not keep`;
}

/** Whether two references name one image by name: one repository and one tag (`node:20`, `docker.io/library/node:20`). */
function sameReference(a: string, b: string): boolean {
  try {
    const [x, y] = [baseReference(a), baseReference(b)];
    return sameRepository(a, b) && (x.tag ?? 'latest') === (y.tag ?? 'latest') && x.digest === y.digest;
  } catch {
    return false;
  }
}

/** Whether two references name one repository (`node:20` and `docker.io/library/node:20.11.1@sha256:…`). */
function sameRepository(a: string, b: string): boolean {
  try {
    const [x, y] = [parseReference(a), parseReference(b)];
    return x.registry === y.registry && x.repository === y.repository;
  } catch {
    return false;
  }
}

/** How many layers two images share by diffId, from the first on. */
function sharedPrefix(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Notes on `p` the layers it shares with `reference` (whose diffIds are given), when it shares any. */
function shareWith(p: Probed, reference: string, diffIds: string[]): void {
  const layers = sharedPrefix(p.diffIds, diffIds);
  if (layers > 0)
    p.candidate.sharedLayers.push({
      reference,
      layers,
      compressedBytes: p.sizes.slice(0, layers).reduce((a, b) => a + b, 0),
    });
}

/** The user's image rebuilt on each candidate: its own layers (those after the base's) on the candidate's. */
async function estimateRebuild(
  user: Image,
  current: Probed,
  asBuilt: { reference: string; diffIds: string[] },
  probed: Probed[],
  result: BasesResult,
  options: BasesOptions,
  dockerfile: DockerfileBase | undefined,
  fromIsBase: boolean,
): Promise<void> {
  const [config, layers] = await Promise.all([user.configFile(), user.layers()]);
  const sizes = await Promise.all(layers.map((l) => l.size()));
  const diffIds = config.rootfs.diff_ids;
  const baseIds = asBuilt.diffIds;
  const shared = sharedPrefix(baseIds, diffIds);
  const attribution = dockerfile ? attributeLayers(config, layers.length, dockerfile.text, dockerfile.file) : undefined;
  // A tag moved to a base of fewer layers, all of them the image's first (a layer dropped from the base): every layer
  // of the base as it is today matches, yet the Dockerfile's FROM brought more. Those count as the old base's too,
  // as in a moved base that no longer shares all it has; taken as the image's own, they were counted twice in every
  // estimate (the image's copy kept, a candidate's added).
  const shrunk =
    fromIsBase &&
    shared === baseIds.length &&
    asBuilt.reference === current.candidate.reference &&
    attribution?.matched === true &&
    attribution.baseLayers > shared;
  // Only the layers that match by diffId are known to be the base's. A base that no longer holds all of them (a tag
  // moved to a rebuild, or another base) says nothing of how many more of the image's layers came from the old one:
  // the Dockerfile tells (its FROM against the history); without it, the layers after the shared ones count as the
  // image's own. (Counting as many as the base has now took the image's own layers for the base's.)
  let baseLayers = shared;
  let baseMoved: NonNullable<BasesResult['image']>['baseMoved'] = null;
  if (shared < baseIds.length || shrunk) {
    let fromDockerfile = false;
    if (attribution?.matched && attribution.baseLayers >= shared) {
      baseLayers = attribution.baseLayers;
      fromDockerfile = true;
    }
    baseMoved = { reference: asBuilt.reference, layers: baseIds.length, fromOldBase: baseLayers, fromDockerfile };
    const image = user.ref.name;
    const has = plural(baseIds.length, 'layer');
    const what = shrunk
      ? `the base has moved since the build: ${asBuilt.reference} now has ${has}, ${baseIds.length === 1 ? 'the first' : `the first ${baseIds.length}`} of ${image}'s (${formatBytes(sizes.slice(0, shared).reduce((a, b) => a + b, 0))})`
      : asBuilt.reference !== current.candidate.reference
        ? `${image} is built on another base than ${asBuilt.reference} (${has}): it shares ${shared === 0 ? 'none of its layers' : `only its first ${shared}`}`
        : shared > 0
          ? `the base has moved since the build: ${asBuilt.reference} now has ${has}, of which ${image} shares only its first ${shared} (${formatBytes(sizes.slice(0, shared).reduce((a, b) => a + b, 0))})`
          : `${image} shares no layer with ${asBuilt.reference} (${has}): the tag has moved to a rebuild of every layer, or the image is built on another base`;
    const counted = fromDockerfile
      ? `its first ${plural(baseLayers, 'layer')} came from the base it was built on (from the Dockerfile) and count as the base's`
      : shared > 0
        ? `only ${shared === 1 ? 'that layer counts' : 'those count'} as the base's, so any more layers of the old base count as ${image}'s own (--dockerfile tells them apart)`
        : `all its layers count as its own (--dockerfile tells the old base's apart)`;
    // A candidate whose layers the image starts with, all of them, is probably the base it was built on: named, so
    // a mistaken --base (or FROM) is put right rather than estimated from.
    const fits = probed
      .filter(
        // (the image itself, among the tags, is no base of its own)
        (p) =>
          p !== current &&
          p.diffIds.length > shared &&
          p.diffIds.length < diffIds.length &&
          sharedPrefix(p.diffIds, diffIds) === p.diffIds.length,
      )
      .sort((a, b) => b.diffIds.length - a.diffIds.length)[0];
    const hint = fits
      ? `; ${image} starts with the ${plural(fits.diffIds.length, 'layer')} of ${fits.candidate.reference}, which may be its base (--base ${fits.candidate.reference})`
      : '';
    result.warnings.push(`${what}; ${counted}${hint}`);
  }
  const own = sizes.slice(baseLayers).reduce((a, b) => a + b, 0);
  const total = sizes.reduce((a, b) => a + b, 0);
  let ownUncompressed: number | null = null;
  if (options.deep) {
    const analyzed = await analyzeImage(user, {
      ...options,
      image: user.ref.name,
      top: 5,
      dockerfile: undefined,
      base: undefined,
    });
    ownUncompressed = analyzed.layers.slice(baseLayers).reduce((s, l) => s + l.uncompressedBytes, 0);
  }
  result.image = {
    reference:
      user.ref.source === 'registry' ? imageArgument({ reference: user.ref.name, tag: user.ref.tag }) : user.ref.name,
    layers: layers.length,
    compressedBytes: total,
    ownLayers: layers.length - baseLayers,
    ownCompressedBytes: own,
    ownUncompressedBytes: ownUncompressed,
    sharedLayers: shared,
    sharedCompressedBytes: sizes.slice(0, shared).reduce((a, b) => a + b, 0),
    baseMoved,
  };
  for (const p of probed) shareWith(p, result.image.reference, diffIds);
  // Layers stored as plain tars (a docker save) count their tar size: they would be smaller in a registry.
  const types = await Promise.all(layers.slice(baseLayers).map((l) => l.mediaType()));
  if (types.some((t) => !/gzip|zstd/.test(t))) {
    result.warnings.push(
      `${user.ref.name} stores its own layers uncompressed, so the estimates count their tar size; pushed to a registry they would be smaller`,
    );
  }
  // Every estimate is set against the current base's, so registry sizes are compared with registry sizes.
  const onCurrent = current.candidate.compressedBytes + own;
  for (const p of probed) {
    const compressed = p.candidate.compressedBytes + own;
    p.candidate.estimate = {
      compressedBytes: compressed,
      deltaBytes: compressed - onCurrent,
      uncompressedBytes:
        ownUncompressed !== null && p.candidate.deep ? p.candidate.deep.uncompressedBytes + ownUncompressed : null,
    };
  }
}
