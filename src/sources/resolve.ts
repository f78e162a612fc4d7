// The IMAGE argument -> an Image. The only file that knows every source.
// Transports as skopeo spells them (docker-archive:, oci:, oci-archive:, docker://, docker-daemon:, podman:);
// a bare path is sniffed by content; a bare reference goes to the daemon when it has the image, else the registry.
import { lstat, open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createReadStream } from 'node:fs';
import { BallastError, BugError, restate, SourceError, UsageError } from '../errors.js';
import { DOCKER_HUB, parseReference, schemePrefix, withoutCredentials } from '../image/reference.js';
import { decompressStream } from '../image/compression.js';
import { sniffCompression } from '../image/media-types.js';
import type { LayerLimits } from '../analysis/limits.js';
import type { Image, OpenOptions } from '../image/types.js';
import * as archive from './docker-archive.js';
import { cannotRead, dirFiles, tarFiles, type Files } from './files.js';
import * as layout from './oci-layout.js';
import { badLinkError, refuseStandardInput, stdinCommandLine, unreachable, type BadLink } from './path-errors.js';
import { isTempWriteError, spool } from './spool.js';
import { TarIndex } from './tar-index.js';
import * as remote from './remote.js';
import { shellQuote } from '../shell-quote.js';
import { specialFileKind, type SpecialFile } from '../host-path.js';

export type SourceKind = 'auto' | 'archive' | 'layout' | 'registry' | 'daemon' | 'podman';

export interface ResolveOptions extends OpenOptions, remote.RemoteOptions {
  /** Forces where a bare reference is looked up. */
  source?: SourceKind;
  /** How the user set `source`, for hints: `--source` (the default) or `$BALLAST_SOURCE`. */
  sourceFlag?: string;
  /** Notes for the user (stderr): which of several images was picked, where a reference was found. */
  notice?: (message: string) => void;
  /** Per-layer budgets for the walk (commands that read layers; default DEFAULT_LIMITS). */
  limits?: LayerLimits;
  /** The ballast command running (`inspect`), for hints that show a command line to type; default `analyze`. */
  command?: string;
  /** The flag naming the image opened (`--base`), for those hints; none for the IMAGE argument. */
  flag?: string;
}

const TRANSPORTS = ['docker-archive:', 'oci-archive:', 'oci:', 'docker://', 'docker-daemon:', 'podman:'] as const;

/**
 * Other tools' spellings of the same sources, so that a command line moved over from them works: container-diff's
 * `remote://` (a registry) and `daemon://` (Docker), dive's `podman://` and `docker-archive://`. dive's `docker://`
 * means the Docker daemon, but skopeo's (a registry) is ballast's, and the README says so.
 */
const ALIASES: [alias: string, transport: (typeof TRANSPORTS)[number]][] = [
  ['remote://', 'docker://'],
  ['daemon://', 'docker-daemon:'],
  ['podman://', 'podman:'],
  ['docker-archive://', 'docker-archive:'],
];

/** The IMAGE argument with another tool's transport spelling turned into ballast's. */
function canonical(argument: string): string {
  const text = argument.trim();
  for (const [alias, transport] of ALIASES) if (text.startsWith(alias)) return transport + text.slice(alias.length);
  return text;
}

/**
 * What is at `path`: a file, a directory, something else that exists (a device, a FIFO, a symlink that leads nowhere:
 * named, so that it is never taken for a registry reference nor said not to exist), or nothing.
 */
async function pathKind(path: string): Promise<'file' | 'dir' | SpecialFile | BadLink | undefined> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'dir';
    return specialFileKind(info) ?? 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'loop';
    if (code !== 'ENOENT') return undefined;
    return (await lstat(path).catch(() => undefined))?.isSymbolicLink() ? 'dangling' : undefined;
  }
}

/**
 * Splits `PATH[:SELECTOR]` / `PATH@N` where PATH exists on disk. Paths may hold colons, so the longest
 * existing prefix wins.
 */
export async function splitPathSelector(text: string): Promise<{ path: string; selector?: string } | undefined> {
  if (await pathKind(text)) return { path: text };
  const at = /^(.*)@(\d+)$/.exec(text);
  if (at && (await pathKind(at[1]))) return { path: at[1], selector: `@${at[2]}` };
  for (let i = text.length - 1; i > 0; i--) {
    if (text[i] !== ':') continue;
    const path = text.slice(0, i);
    if (await pathKind(path)) return { path, selector: text.slice(i + 1) };
  }
  return undefined;
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function emptyFile(path: string): SourceError {
  return new SourceError(`${path} is empty`, {
    code: 'empty-file',
    hint: 'pass a docker-archive, OCI archive or OCI layout',
  });
}

/** Indexes a tar archive, first decompressing a gzip/zstd-compressed archive to a temp file. */
async function indexArchive(path: string): Promise<{ index: TarIndex; close: () => Promise<void> }> {
  const head = await readHead(path, 512).catch((error: unknown) => {
    throw cannotRead(path, error);
  });
  if (head.length === 0) throw emptyFile(path);
  const compression = sniffCompression(head);
  if (compression === 'none') return { index: await TarIndex.build(path), close: async () => {} };
  const spooled = await spool(decompressStream(createReadStream(path), `${path} (${compression})`)).catch(
    (error: unknown) => {
      if (isTempWriteError(error)) throw error;
      throw new SourceError(
        `${path} is ${compression}-compressed but could not be decompressed: ${(error as Error).message}`,
        {
          code: 'corrupt-archive',
          cause: error,
          hint: 'the file is truncated or corrupt; save or download it again',
        },
      );
    },
  );
  try {
    return { index: await TarIndex.build(spooled.path, path), close: spooled.remove };
  } catch (error) {
    await spooled.remove();
    throw error;
  }
}

/** Opens a local archive file: docker-archive or OCI archive, told apart by content. */
async function openArchiveFile(
  path: string,
  selector: string | undefined,
  options: ResolveOptions,
  forced?: 'docker-archive' | 'oci-archive',
): Promise<Image> {
  const { index, close } = await indexArchive(path);
  try {
    const files = tarFiles(index, path);
    const entries = forced === 'oci-archive' ? undefined : await archive.readArchiveManifest(files);
    const hasIndex = await files.exists('index.json');
    // An explicit --platform on an archive that carries a multi-platform index is answered from the index; Docker 25
    // saves an image by ID with an index.json whose manifests are null, and its manifest.json is then the image.
    const preferIndex =
      hasIndex &&
      options.platform !== undefined &&
      forced !== 'docker-archive' &&
      selector === undefined &&
      (entries === undefined || (await indexListsEntries(files)));
    if (entries && entries.length > 0 && !preferIndex) {
      // `source` here is the name the report gives the image, not the --source that was set.
      return await archive.image(files, entries, { ...options, source: 'docker-archive', selector, close });
    }
    if (hasIndex && forced !== 'docker-archive') {
      // `@N` too: it picks a docker-archive's image, and is refused here rather than passed over for the first image.
      const refName = selector || undefined;
      // A docker save (containerd store) read through its index to pick a platform is still a docker-archive, under
      // the tag its manifest.json gives it: it was `oci-archive` and `3.14` with --platform, `alpine:3.14` without.
      const saved = entries && entries.length > 0 ? entries : undefined;
      return await layout.image(files, {
        ...options,
        refName,
        source: saved ? 'docker-archive' : 'oci-archive',
        close,
        ...(saved ? { tagOf: (candidate: layout.Candidate) => savedTags(saved, candidate) } : {}),
      });
    }
    // The transport named the other archive format: say which it is, as `oci:` on a file does.
    if (forced === 'docker-archive' && hasIndex && entries === undefined) {
      throw new UsageError(`${path} is an OCI archive (it has index.json, no manifest.json), not a docker-archive`, {
        code: 'bad-transport',
        hint: `use oci-archive:${path}`,
      });
    }
    if (forced === 'oci-archive' && (await files.exists('manifest.json'))) {
      throw new UsageError(`${path} is a docker-archive (it has manifest.json, no index.json), not an OCI archive`, {
        code: 'bad-transport',
        hint: `use docker-archive:${path}`,
      });
    }
    throw describeNonImage(path, files, entries);
  } catch (error) {
    await close();
    throw truncatedInstead(path, index, error);
  }
}

/**
 * The tag a docker save gives the image picked from its index: the RepoTags entry naming the index entry it came from
 * (containerd's full name, `docker.io/library/alpine:3.14`), else the only image's; the other tags are its aliases.
 */
function savedTags(entries: archive.ArchiveEntry[], candidate: layout.Candidate): { tag?: string; aliases?: string[] } {
  const wanted = candidate.containerdName ? archive.normalizeTag(candidate.containerdName) : undefined;
  const entry =
    entries.find((e) => (e.RepoTags ?? []).some((t) => archive.normalizeTag(t) === wanted)) ??
    (entries.length === 1 ? entries[0] : undefined);
  const tags = entry?.RepoTags ?? [];
  const tag = tags.find((t) => archive.normalizeTag(t) === wanted) ?? tags[0];
  if (tag === undefined) return { tag: candidate.containerdName ?? candidate.refName };
  return { tag, ...(tags.length > 1 ? { aliases: tags.filter((t) => t !== tag) } : {}) };
}

/** Errors that say a member the image needs is not in the archive: in a truncated one, it was cut off. */
const MISSING_MEMBER = new Set([
  'not-an-image',
  'legacy-archive',
  'config-missing',
  'layer-missing',
  'blob-missing',
  'no-readable-image',
]);

/**
 * The error to give for `error` when the archive is truncated (its tar ends short) and what it lacks is why: a docker
 * save cut before its manifest.json was called "a plain tar (a filesystem, not an image archive)".
 */
function truncatedInstead(path: string, index: TarIndex, error: unknown): unknown {
  if (!index.truncation || !(error instanceof SourceError) || !MISSING_MEMBER.has(error.code)) return error;
  return new SourceError(`${path} is truncated: ${index.truncation}`, {
    code: 'truncated-tar',
    cause: error,
    hint: 'the archive was cut short; save or download it again',
  });
}

/** Whether the archive's index.json lists anything; an unreadable one counts as listing, for the layout to report. */
async function indexListsEntries(files: Files): Promise<boolean> {
  try {
    const index = await layout.readIndex(files);
    return Array.isArray(index.manifests) && index.manifests.length > 0;
  } catch {
    return true;
  }
}

function describeNonImage(
  path: string,
  files: Files & { names(): string[] },
  entries: archive.ArchiveEntry[] | undefined,
): SourceError {
  const names = files.names();
  if (entries !== undefined) {
    return new SourceError(`${path} has a manifest.json that lists no image (it is empty or null)`, {
      code: 'empty-manifest',
      hint: 'expected a docker save archive whose manifest.json lists at least one image; save the image again',
    });
  }
  if (names.includes('repositories')) {
    return new SourceError(`${path} is a legacy (pre-Docker 1.10) image archive without manifest.json`, {
      code: 'legacy-archive',
      hint: 'expected a docker save archive with manifest.json or an OCI archive; load it into Docker and save it again',
    });
  }
  return new SourceError(
    `${path} is a plain tar (a filesystem, not an image archive): it has no manifest.json or index.json`,
    {
      code: 'not-an-image',
      hint: 'expected a docker save archive or an OCI archive; to make an image from a rootfs tar use `docker import` or `buildah`',
    },
  );
}

async function openLayoutDir(path: string, refName: string | undefined, options: ResolveOptions): Promise<Image> {
  return layout.image(await layoutDirFiles(path), { ...options, refName, source: 'oci-layout' });
}

/** The files of directory `path`, once it has an index.json: what makes it an OCI layout, checked first. */
async function layoutDirFiles(path: string): Promise<Files> {
  const files = dirFiles(path);
  if (!(await files.exists('index.json'))) throw await notALayout(path, files);
  return files;
}

const ARCHIVE_NAME = /\.(tar|tar\.gz|tgz|tar\.zst|tar\.xz)$/i;

/**
 * Why directory `path` cannot be read, in terms of what it holds: `docker save` unpacked by hand (its manifest.json,
 * read only from an archive), or a folder of image archives, the one to give being one of them.
 */
async function notALayout(path: string, files: Files): Promise<SourceError> {
  const dir = path.replace(/(.)\/+$/, '$1');
  if (await files.exists('manifest.json')) {
    // `.` or `..` is named by where it is, and its archive goes beside it, not inside what tar is reading.
    const name = /^\.\.?$/.test(dir) ? basename(resolve(dir)) : '';
    const archive = name ? join(dir, '..', `${name}.tar`) : dir === '/' ? 'image.tar' : `${dir}.tar`;
    return new SourceError(`${path} is an unpacked docker save (it has manifest.json), not an OCI image layout`, {
      code: 'unpacked-archive',
      hint: `make it an archive again with \`tar -cf ${shellQuote(archive)} -C ${shellQuote(dir)} .\` and give ${shellQuote(archive)} instead`,
    });
  }
  const archives = (await readdir(path, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile() && ARCHIVE_NAME.test(entry.name))
    .map((entry) => shellQuote(join(dir, entry.name)))
    .sort();
  const message = `${path} is a directory but not an OCI image layout (it has no index.json)`;
  if (archives.length === 1)
    return new SourceError(`${message}; it holds an image archive`, {
      code: 'not-a-layout',
      hint: `give it instead: ${archives[0]}`,
    });
  if (archives.length > 1)
    return new SourceError(`${message}; it holds image archives`, {
      code: 'not-a-layout',
      hint: `give one of them, e.g. ${archives.slice(0, 2).join(' or ')}${archives.length > 2 ? ` (${archives.length} in all)` : ''}`,
    });
  return new SourceError(message, {
    code: 'not-a-layout',
    hint: 'expected an OCI layout directory (oci-layout, index.json, blobs/), as `skopeo copy ... oci:DIR` writes',
  });
}

type Forced = 'docker-archive' | 'oci-archive' | 'oci';

/** A path on disk the IMAGE argument names, as far as a stat tells: the errors openImage gives for a path. */
async function checkLocal(path: string, forced?: Forced, command = 'analyze', flag?: string): Promise<'file' | 'dir'> {
  const kind = await pathKind(path);
  if (!kind) {
    throw await unreachable(path);
  }
  if (kind === 'loop' || kind === 'dangling') throw await badLinkError(path, kind);
  if (kind !== 'file' && kind !== 'dir') {
    // Images are read from files ballast can seek in; a pipe on stdin works only when a file is redirected to it.
    throw new UsageError(`${path} is ${kind}, not a regular file or directory`, {
      code: 'not-a-file',
      hint: `pass an image archive or an OCI layout directory; to read standard input, redirect a file to it: \`${stdinCommandLine(command, '/dev/stdin', true, flag)}\``,
    });
  }
  if (kind === 'dir' && forced && forced !== 'oci') {
    // `oci:DIR` only where DIR is a layout: an unpacked docker save or a folder of archives was sent there, to be told
    // it is no layout either; what the folder is says what to give instead.
    const files = dirFiles(path);
    const hint = (await files.exists('index.json'))
      ? `use oci:${path}`
      : ((await notALayout(path, files)).hint ?? '').replace(
          /^expected an OCI layout directory.*/,
          'give the archive file',
        );
    throw new UsageError(`${path} is a directory, not an archive`, { code: 'bad-transport', hint });
  }
  if (kind === 'file' && forced === 'oci') {
    throw new UsageError(`${path} is a file, not an OCI layout directory`, {
      code: 'bad-transport',
      hint: `use oci-archive:${path}`,
    });
  }
  return kind;
}

async function openLocal(
  path: string,
  selector: string | undefined,
  options: ResolveOptions,
  forced?: Forced,
): Promise<Image> {
  if ((await checkLocal(path, forced, options.command, options.flag)) === 'dir')
    return openLayoutDir(path, selector, options);
  return openArchiveFile(path, selector, options, forced as 'docker-archive' | 'oci-archive' | undefined);
}

/** Where the IMAGE argument points: a path on disk, or a lookup (a registry, a daemon) still to be made. */
type Located = { path: string; selector?: string; forced?: Forced } | { lookup: () => Promise<Image> };

/** Opens the image named by the IMAGE argument. The caller must `close()` it. */
export async function openImage(argument: string, options: ResolveOptions = {}): Promise<Image> {
  const located = await locate(argument, options);
  if ('lookup' in located) return located.lookup();
  return openLocal(located.path, located.selector, options, located.forced);
}

/**
 * Checks the IMAGE argument as far as the disk tells, without reading an image: a path must exist, be of the kind its
 * transport names and be readable; a directory must have an index.json that reads as an image index (no blob read). A
 * name to look up (a registry, a daemon) passes. Throws what openImage would, for a command that must check something
 * slower or less likely wrong (a terminal) only after the user's real mistake.
 */
export async function checkImageArgument(
  argument: string,
  options: Pick<ResolveOptions, 'source' | 'command'> = {},
): Promise<void> {
  const located = await locate(argument, options);
  if ('lookup' in located) return;
  if ((await checkLocal(located.path, located.forced, options.command)) === 'file') {
    const head = await readHead(located.path, 1).catch((error: unknown) => {
      throw cannotRead(located.path, error);
    });
    // What opening it says first, and `explore empty.tar | cat` said it needs a terminal.
    if (head.length === 0) throw emptyFile(located.path);
  } else {
    // What opening the layout does first: index.json there, read and checked to be an image index, as `readIndex`
    // checks it on open (it is small; its errors are the layout's). The blobs it points at are left to the open.
    await layout.readIndex(await layoutDirFiles(located.path));
  }
}

async function locate(argument: string, options: ResolveOptions): Promise<Located> {
  const text = canonical(argument);
  if (text === '')
    throw new UsageError('no image given', { code: 'usage', hint: 'pass a path, a transport:path or a reference' });
  refuseStandardInput(text, '', options.command, options.flag);
  const transport = TRANSPORTS.find((t) => text.startsWith(t));
  if (transport) {
    const rest = text.slice(transport.length);
    switch (transport) {
      case 'docker://':
        return { lookup: () => remote.registryImage(rest, options).catch(namingThenHub(argument, rest)) };
      case 'docker-daemon:':
        return {
          lookup: () => remote.daemonImage(rest, { ...options, engine: 'docker' }).catch(namingTyped(argument, rest)),
        };
      case 'podman:':
        return {
          lookup: () => remote.daemonImage(rest, { ...options, engine: 'podman' }).catch(namingTyped(argument, rest)),
        };
      default: {
        if (rest.trim() === '')
          throw new UsageError(`no path after ${transport}`, {
            code: 'usage',
            hint: `for example ${transport}${transport === 'oci:' ? 'DIR' : 'image.tar'}`,
          });
        refuseStandardInput(rest, transport, options.command, options.flag);
        const split = await splitPathSelector(rest);
        if (!split) throw await unreachable(rest);
        const forced = transport === 'oci:' ? 'oci' : transport === 'oci-archive:' ? 'oci-archive' : 'docker-archive';
        return { ...split, forced };
      }
    }
  }
  // Another scheme (`http://`, skopeo's `containers-storage:`) would be read as a registry host named `http:`.
  const unknown = schemePrefix(text).slice(0, -3) || /^(containers-storage|dir):/.exec(text)?.[1];
  if (unknown && !(await pathKind(text))) {
    const podman = unknown === 'containers-storage' ? ' (podman:REF reads what Podman stores)' : '';
    throw new UsageError(`${unknown}: is not a transport ballast reads (in ${text})`, {
      code: 'usage',
      hint: `use docker-archive:PATH, oci:DIR, oci-archive:PATH, docker://REF, docker-daemon:REF or podman:REF${podman}, or a path or reference alone`,
    });
  }
  // --source says where a bare reference is looked up; a path (`./x`, `/x`, `x.tar`: never a reference ballast would
  // look up, as registryReference says too) is read from disk whatever it says.
  const forced = options.source === 'registry' || options.source === 'daemon' || options.source === 'podman';
  if (forced && !looksLikePath(text)) {
    // Whether the name is also a path is asked only once the lookup failed, so a right name costs no stat.
    const notHere = async () => couldBePath(text) && !(await splitPathSelector(text));
    const naming = options.source === 'registry' ? namingThenHub : namingTyped;
    return { lookup: () => forcedLookup(text, options).catch(naming(argument, text, notHere)) };
  }
  const split = await splitPathSelector(text);
  if (split) return split;
  if (options.source === 'archive' || options.source === 'layout' || looksLikePath(text)) {
    throw await unreachable(text);
  }
  return {
    lookup: () =>
      remote.referenceImage(text, options).catch(namingThenHub(argument, text, async () => couldBePath(text))),
  };
}

/**
 * A registry lookup's failure naming what was typed, then said to be Docker Hub's when that is why (after, so that the
 * hint's naming the reference does not count as the message naming it).
 */
function namingThenHub(
  argument: string,
  reference: string,
  asPath?: () => Promise<boolean>,
): (error: unknown) => Promise<never> {
  const naming = namingTyped(argument, reference, asPath);
  return async (error) =>
    naming(error).catch((named: unknown) => Promise.reject(readAsHubRepository(named, reference)));
}

/**
 * A failed lookup of a name whose first component the user likely meant as a registry host (`typo-host/x`,
 * `myregistry/app`): by the reference grammar a host has a dot or a colon or is `localhost`, so the name went to
 * Docker Hub, and Hub's failure ("cannot resolve the registry host registry-1.docker.io", no such repository) does
 * not say why. A first component that no Docker ID can be (4 to 30 lowercase letters and digits), or that is named
 * like a host, gets a hint saying how to name one; other errors and names are returned as they were.
 */
export function readAsHubRepository(error: unknown, reference: string): unknown {
  if (!aboutTheImage(error)) return error;
  const typed = withoutCredentials(typedReference(reference));
  let repository: string;
  try {
    const ref = parseReference(typed);
    if (ref.registry !== DOCKER_HUB) return error;
    repository = ref.repository;
  } catch {
    return error;
  }
  const slash = typed.indexOf('/');
  const first = typed.slice(0, slash);
  // A single name (`node`) is library/node; `docker.io/...` names Hub itself.
  if (slash < 0 || !repository.startsWith(`${first}/`)) return error;
  if (/^[a-z0-9]{4,30}$/.test(first) && !/registry|host/.test(first)) return error;
  const rest = typed.slice(slash + 1);
  const hint = `${typed} is read as Docker Hub's ${DOCKER_HUB}/${repository}: a registry host has a dot or a port (${first}:5000/${rest}) or is localhost (localhost:5000/${rest})`;
  return restate(error, { hint: error.hint ? `${hint}; else ${error.hint}` : hint });
}

/** Errors in the setup (a variable, a CA or credentials file, a daemon address) that would fail for any image alike. */
const SETUP_CODES = new Set([
  'config-env',
  'ca-file',
  'bad-daemon-host',
  'docker-context',
  'bad-auth-file',
  'bad-auth-entry',
  'credential-helper',
]);

/**
 * Whether a failed lookup is about the image named, and so worth restating with what was typed: an error of ballast's
 * own, not a bug and not one of the setup (`SETUP_CODES`), which would fail for any image alike and names its cause.
 */
function aboutTheImage(error: unknown): error is BallastError {
  return error instanceof BallastError && !(error instanceof BugError) && !SETUP_CODES.has(error.code);
}

/** A looked-up reference as the user typed it, without the blanks round it or a leading `//`. */
function typedReference(reference: string): string {
  return reference.trim().replace(/^\/\//, '');
}

/**
 * A failed lookup of an image by name, made to name what was typed: a registry's DNS or connection error, or an
 * unreachable daemon, names only the host ("cannot resolve the registry host registry-1.docker.io"), which leaves
 * the user to guess which argument (and which of diff's two) it was about. `asPath` answers whether nothing here has
 * the name and it looks like a path (`build/app.oci`): a mistyped path is then said to be one, before the lookup's
 * answer. Asked only on failure, so a right name costs nothing.
 */
function namingTyped(
  argument: string,
  reference: string,
  asPath: () => Promise<boolean> = async () => false,
): (error: unknown) => Promise<never> {
  return async (error) => {
    if (!aboutTheImage(error)) throw error;
    const shown = withoutCredentials(argument.trim());
    const named = mentions(error, reference);
    if (await asPath()) {
      const what = /\.[A-Za-z][A-Za-z0-9]*$/.test(reference) ? 'no file' : 'no file or directory';
      if (named) {
        throw restate(error, {
          hint: `there is ${what} of that name here either${error.hint ? `; ${error.hint}` : ''}`,
        });
      }
      throw restate(error, { message: `${what} ${shown} here; as an image name: ${error.message}` });
    }
    throw named ? error : restate(error, { message: `${shown}: ${error.message}` });
  };
}

/**
 * Whether `text` may be a path mistyped rather than an image name, when nothing of that name exists: it has a
 * directory (`out/image`; but a first component with a dot, a colon or `localhost` is a registry host, so
 * `ghcr.io/org/app.v2` is a name) or is a file name with a suffix (`app.oci`; not a tag's `:1.2`, not a digest).
 */
function couldBePath(text: string): boolean {
  if (text.includes('@')) return false;
  const slash = text.indexOf('/');
  const first = slash < 0 ? undefined : text.slice(0, slash);
  if (first !== undefined) return !/[.:]/.test(first) && first !== 'localhost';
  const last = text.slice(text.lastIndexOf('/') + 1);
  return !last.includes(':') && /\.[A-Za-z][A-Za-z0-9]*$/.test(last);
}

/** Whether the error's line (message or hint) names `name` as a word, not inside another name. */
function namesWord(error: BallastError, name: string): boolean {
  const line = `${error.message} ${error.hint ?? ''}`;
  const inName = /[A-Za-z0-9._/-]/;
  for (let at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
    const before = line[at - 1];
    const after = line[at + name.length];
    if (
      (before === undefined || !inName.test(before) || before === '/') &&
      (after === undefined || !inName.test(after))
    )
      return true;
  }
  return false;
}

/**
 * Whether the error names the image `reference` stands for: as typed, or as the registry or daemon spells it
 * (`127.0.0.1:5000 has no tag x:1`, `docker.io has no repository library/nope`).
 */
function mentions(error: BallastError, reference: string): boolean {
  const typed = typedReference(reference);
  if (typed === '' || namesWord(error, typed)) return true;
  try {
    const ref = parseReference(typed);
    const repository = ref.repository.replace(/^library\/(?=[^/]+$)/, '');
    return namesWord(error, repository) || namesWord(error, ref.repository);
  } catch {
    return false;
  }
}

/**
 * Whether a failure to open the IMAGE argument already names it (with or without its transport), so that a caller
 * adding which image it was (`opening A (x)`) does not print the name twice.
 */
export function namesImage(error: unknown, argument: string): boolean {
  if (!(error instanceof BallastError)) return false;
  const text = canonical(argument);
  const rest = text.slice(TRANSPORTS.find((t) => text.startsWith(t))?.length ?? 0).trim();
  return namesWord(error, withoutCredentials(text)) || (rest !== '' && namesWord(error, withoutCredentials(rest)));
}

/**
 * A bare reference looked up where --source says. A name that is also a path here (`alpine`, a directory) stays a
 * reference, as the flag asks; when the lookup fails, the hint says --source is why the path was not read.
 */
async function forcedLookup(text: string, options: ResolveOptions): Promise<Image> {
  try {
    if (options.source === 'registry') return await remote.registryImage(text, options);
    return await remote.daemonImage(text, { ...options, engine: options.source === 'podman' ? 'podman' : 'docker' });
  } catch (error) {
    if (!(error instanceof BallastError) || error instanceof BugError || !(await splitPathSelector(text))) throw error;
    const flag = `${options.sourceFlag ?? '--source'} ${options.source}`;
    const what = options.source === 'registry' ? 'a registry reference' : 'an image name';
    const hint = `${flag} reads ${text} as ${what}; drop it, or write ./${text}, to read the local path${error.hint ? `; else ${error.hint}` : ''}`;
    throw restate(error, { hint });
  }
}

function looksLikePath(text: string): boolean {
  return text.startsWith('.') || text.startsWith('/') || text.startsWith('~') || /\.(tar|tgz|gz|zst)$/.test(text);
}

/**
 * The registry reference an IMAGE argument names (`docker://REF`, or a bare reference that is not a path), without
 * the transport; undefined for archives, layouts and daemon transports, whose tags cannot be listed.
 */
export async function registryReference(
  argument: string,
  options: Pick<ResolveOptions, 'source' | 'command'> = {},
): Promise<string | undefined> {
  const text = canonical(argument);
  // Asked before the image is opened (bases lists a registry image's tags first): `-` would go to the registry.
  refuseStandardInput(text, '', options.command);
  if (text.startsWith('docker://')) return text.slice('docker://'.length).replace(/^\/\//, '');
  if (TRANSPORTS.some((t) => text.startsWith(t))) return undefined;
  if (options.source && options.source !== 'auto' && options.source !== 'registry') return undefined;
  if (looksLikePath(text) || (await splitPathSelector(text))) return undefined;
  return text;
}

/** Every tag of the registry repository an IMAGE argument names. */
export async function listTags(
  argument: string,
  options: ResolveOptions & { pageSize?: number; limit?: number },
): Promise<{ tags: string[]; pages: number; truncated: boolean }> {
  const reference = await registryReference(argument, options);
  if (reference === undefined) {
    throw new UsageError(`${argument} is not a registry image, so its tags cannot be listed`, {
      code: 'not-a-registry-image',
      hint: 'name it as a registry reference, for example node:20 or docker://ghcr.io/org/base:1.2',
    });
  }
  return remote.registryTags(reference, options);
}

/**
 * The manifest digest (an index's, when the tag names one) of the registry image an IMAGE argument names, and the
 * digests of the manifests an index lists (none for a manifest).
 */
export async function manifestDigest(
  argument: string,
  options: ResolveOptions,
): Promise<{ digest: string; listed: string[] }> {
  const reference = await registryReference(argument, options);
  if (reference === undefined) {
    throw new UsageError(`${argument} is not a registry image`, {
      code: 'not-a-registry-image',
      hint: 'name it as a registry reference, for example node:20 or docker://ghcr.io/org/base:1.2',
    });
  }
  return remote.registryManifestDigest(reference, options);
}

/**
 * The file or directory an IMAGE argument reads on this machine (`oci:build/app.oci:v1` → build/app.oci); undefined
 * for a name looked up in a registry or daemon, or for an argument that will fail anyway. Only stats, never reads:
 * for the check that no report overwrites the image it describes.
 */
export async function localImagePath(argument: string): Promise<string | undefined> {
  try {
    const located = await locate(argument, {});
    return 'lookup' in located ? undefined : located.path;
  } catch {
    return undefined;
  }
}
