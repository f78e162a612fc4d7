// OCI image layouts: a directory, or the same layout inside a tar (an OCI archive, buildx/podman output).
// index.json is walked through nested indexes; an image is picked by ref name and platform.
import { SourceError, UsageError, parseDocument } from '../errors.js';
import { digestProblem, matchesDigest } from '../image/digest.js';
import {
  MediaTypes,
  isImageConfigType,
  isIndexType,
  isManifestType,
  isSchema1Type,
  isForeignLayerType,
  isEncryptedLayerType,
  isTarLayerType,
} from '../image/media-types.js';
import {
  descriptorProblem,
  indexShapeProblem,
  manifestShapeProblem,
  namedPlatform,
  platformFieldProblem,
} from '../image/manifest-shape.js';
import { imageFromCore, parseConfig, type LayerCore } from '../image/partial.js';
import {
  bestPlatformMatch,
  formatPlatform,
  hostPlatform,
  isUnknownPlatform,
  parsePlatform,
  brokenEntryError,
  brokenEntryWanted,
  platformNames,
  onlyPlatformNote,
} from '../image/platform.js';
import type { Descriptor, Image, ImageRef, IndexManifest, Manifest, OpenOptions, Platform } from '../image/types.js';
import { MANIFEST_LIMIT, MAX_MANIFEST_BYTES, readJson, type DocumentLimit, type Files } from './files.js';
import { someOf } from '../report/lists.js';

const LAYOUT_CORRUPT = 'the layout is corrupt; copy or save the image again';

export interface LayoutOptions extends OpenOptions {
  /** `org.opencontainers.image.ref.name` (or the full `io.containerd.image.name`) to pick. */
  refName?: string;
  /**
   * A daemon's when it exported the archive, as the reference names it; `docker-archive` for a docker save (it has a
   * manifest.json) read through its index.json to pick a platform.
   */
  source: 'oci-layout' | 'oci-archive' | 'docker-archive' | 'docker-daemon' | 'podman';
  close?: () => Promise<void>;
  /** The tag (and aliases) the image is reported under, when not its ref name: a docker save's RepoTags. */
  tagOf?: (candidate: Candidate) => Pick<ImageRef, 'tag' | 'aliases'>;
}

/** An image found in an index: its manifest descriptor and the ref name of the top-level entry it came from. */
export interface Candidate {
  descriptor: Descriptor;
  refName?: string;
  /** The `io.containerd.image.name` of the top-level entry it came from (`docker.io/library/alpine:3.14`). */
  containerdName?: string;
  platform?: Platform;
  /** Listed in the index, but its blobs are not in this layout. */
  absent?: boolean;
  /** Where the index lists it ("index.json entry 0"), for messages. */
  listedAt?: string;
  /** The digest of the multi-platform index index.json points at, when the image is one of its platforms. */
  indexDigest?: string;
}

/** The images an index lists, and why each other entry that could have been one cannot be read. */
interface Listing {
  candidates: Candidate[];
  unusable: string[];
  /** Malformed entries that still name their platform: asked for it, the user learns the entry is broken. */
  broken: BrokenEntry[];
}

interface BrokenEntry {
  platform: Platform;
  reason: string;
}

/** What to do about a layout whose index lists images it does not hold, or lists them wrongly. */
const INCOMPLETE_HINT = 'the image is incomplete or corrupt: copy or save it again';

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

export function blobPath(digest: string): string {
  const problem = digestProblem(digest);
  if (problem) {
    throw new SourceError(`a descriptor's digest is ${problem}`, { code: 'bad-digest', hint: INCOMPLETE_HINT });
  }
  const colon = digest.indexOf(':');
  return `blobs/${digest.slice(0, colon)}/${digest.slice(colon + 1)}`;
}

/** Reads a blob and checks it against its descriptor's digest (manifests and configs are small). */
export async function readBlob(
  files: Files,
  descriptor: Pick<Descriptor, 'digest' | 'data'>,
  what: string,
  limit?: DocumentLimit,
): Promise<Buffer> {
  // Embedded data stands for the blob, so it is held to the same digest (the OCI spec requires it to match).
  const data = descriptor.data
    ? Buffer.from(descriptor.data, 'base64')
    : await files.read(blobPath(descriptor.digest), limit);
  if (!matchesDigest(data, descriptor.digest)) {
    throw new SourceError(`${what} in ${files.describe} does not match its digest ${descriptor.digest}`, {
      code: 'digest-mismatch',
      hint: 'the layout is corrupt; copy the image again',
    });
  }
  return data;
}

/** An index entry's blob as JSON; a blob that is not JSON names the layout and the blob, not JSON.parse's words. */
async function readIndexEntry(files: Files, descriptor: Descriptor, what: string): Promise<IndexManifest> {
  return parseDocument<IndexManifest>(await readBlob(files, descriptor, what, MANIFEST_LIMIT), {
    message: `${what} ${descriptor.digest} in ${files.describe} is not valid JSON`,
    code: 'bad-index',
    hint: LAYOUT_CORRUPT,
  });
}

function kindOf(
  descriptor: Descriptor,
  body?: { manifests?: unknown; layers?: unknown },
): 'index' | 'manifest' | 'other' {
  if (isIndexType(descriptor.mediaType)) return 'index';
  if (isManifestType(descriptor.mediaType)) return 'manifest';
  if (!descriptor.mediaType && body) {
    if (Array.isArray(body.manifests)) return 'index';
    if (Array.isArray(body.layers)) return 'manifest';
  }
  return 'other';
}

/**
 * The names index.json gives its images, each as `oci:PATH:NAME` picks it (the OCI ref name, else containerd's full
 * name), once each and in order: what a name that matches none is told to choose from.
 */
function layoutNames(index: IndexManifest): string[] {
  const names = new Set<string>();
  for (const entry of index.manifests ?? []) {
    if (entry === null || typeof entry !== 'object') continue;
    // A name on a signature or another type is no image to pick: offered, it was refused as "no image named".
    if (nonImageType(entry)) continue;
    const annotations: unknown = (entry as Descriptor).annotations;
    if (annotations === null || typeof annotations !== 'object') continue;
    const { [REF_NAME]: name, [CONTAINERD_NAME]: full } = annotations as Record<string, unknown>;
    if (typeof name === 'string') names.add(name);
    else if (typeof full === 'string') names.add(full);
  }
  return [...names];
}

/** The media type of an index entry that says it is neither an image manifest nor an index (a signature...). */
function nonImageType(entry: Descriptor): string | undefined {
  const type: unknown = entry.mediaType;
  return typeof type === 'string' && kindOf(entry) === 'other' ? type : undefined;
}

/**
 * Why `refName` picks nothing where index.json has no image under that name: it names only entries of another type,
 * or it is a docker-archive's `@N`, which an OCI layout or archive does not take (its images go by name).
 */
function refNameProblem(index: IndexManifest, refName: string, what: string): UsageError | undefined {
  const named = (index.manifests ?? []).filter(
    (entry): entry is Descriptor => entry !== null && typeof entry === 'object' && refMatches(entry, refName),
  );
  const names = layoutNames(index);
  const pick = names.length
    ? `name one of its images (PATH:NAME): ${someOf(names)}`
    : 'it names none of its images: read it without a name (--platform picks a platform)';
  if (named.length > 0) {
    const type = named.every((entry) => nonImageType(entry)) ? nonImageType(named[0]) : undefined;
    if (!type) return undefined;
    return new UsageError(`in ${what}, "${refName}" names an entry of type ${type}, not an image`, {
      code: 'ref-not-found',
      hint: pick,
    });
  }
  if (!/^@\d+$/.test(refName)) return undefined;
  return new UsageError(`${what} has no image "${refName}": @N picks an image of a docker-archive by its place`, {
    code: 'ref-not-found',
    hint: pick.replace('read it without a name', 'read it without @N'),
  });
}

function refMatches(descriptor: Descriptor, refName: string): boolean {
  const annotations = descriptor.annotations ?? {};
  const name = annotations[REF_NAME];
  const full = annotations[CONTAINERD_NAME];
  return name === refName || full === refName || (full !== undefined && full.endsWith(`/${refName}`));
}

/**
 * Collects every image manifest reachable from an index, in order, with nested indexes flattened. Entries that cannot
 * be read (a malformed descriptor, a nested index whose blob is missing) are skipped, as the spec says to skip what one
 * does not know, but each is noted: when nothing readable is left, the note is the error, not "lists no image".
 * `indexAt` says where a nested index sits ("index.json entry 1").
 */
async function collectCandidates(
  files: Files,
  index: IndexManifest,
  refName: string | undefined,
  depth = 0,
  indexAt = '',
): Promise<Listing> {
  if (depth > 8) {
    throw new SourceError(`${files.describe} has index nesting deeper than 8`, {
      code: 'index-depth',
      hint: 'real images nest one or two indexes; this layout is corrupt or hostile: copy or save the image again',
    });
  }
  const problem = indexShapeProblem(index);
  if (problem) {
    throw new SourceError(`an index in ${files.describe} is not an OCI image index (${problem})`, {
      code: 'bad-index',
      hint: LAYOUT_CORRUPT,
    });
  }
  const listing: Listing = { candidates: [], unusable: [], broken: [] };
  for (const [i, entry] of (index.manifests ?? []).entries()) {
    // Counted from the top of index.json, as the registry source names the entries of the same indexes pushed, so
    // an image's broken entry reads alike wherever it is read from.
    const where = depth === 0 ? `index.json entry ${i}` : `entry ${i} of the index at ${indexAt}`;
    const malformed = descriptorProblem(entry);
    if (malformed) {
      const named = entry !== null && typeof entry === 'object';
      if (named && (depth > 0 || refName === undefined || refMatches(entry, refName))) {
        const reason = `${where} is not a usable descriptor: ${malformed}`;
        listing.unusable.push(reason);
        const platform = namedPlatform(entry);
        if (platform) listing.broken.push({ platform, reason });
      }
      continue;
    }
    const descriptor = entry;
    if (depth === 0 && refName !== undefined && !refMatches(descriptor, refName)) continue;
    if (isSchema1Type(descriptor.mediaType)) continue;
    const ownRef = depth === 0 ? descriptor.annotations?.[REF_NAME] : undefined;
    const ownName = depth === 0 ? descriptor.annotations?.[CONTAINERD_NAME] : undefined;
    const present = Boolean(descriptor.data) || (await files.exists(blobPath(descriptor.digest)));
    let kind = kindOf(descriptor);
    let body: IndexManifest | undefined;
    if (kind === 'other' && !descriptor.mediaType && present) {
      body = await readIndexEntry(files, descriptor, 'the manifest or index');
      kind = kindOf(descriptor, body);
    }
    if (kind === 'manifest') {
      // containerd-store saves list every platform of an index but export only the pulled ones.
      listing.candidates.push({
        descriptor,
        refName: ownRef,
        containerdName: ownName,
        platform: descriptor.platform,
        absent: !present,
        listedAt: where,
      });
    } else if (kind === 'index') {
      if (!present) {
        // containerd skips platforms never pulled: an error only if nothing else can be read.
        listing.unusable.push(`it lacks the blob ${descriptor.digest} that ${where} lists`);
        continue;
      }
      body ??= await readIndexEntry(files, descriptor, 'the index');
      const child = await collectCandidates(files, body, undefined, depth + 1, where);
      for (const c of child.candidates) {
        listing.candidates.push({
          ...c,
          refName: ownRef ?? c.refName,
          containerdName: ownName ?? c.containerdName,
          indexDigest: depth === 0 ? descriptor.digest : c.indexDigest,
        });
      }
      // One by one, not push(...): a nested index of a million entries is more arguments than a call takes.
      for (const entry of child.unusable) listing.unusable.push(entry);
      for (const entry of child.broken) listing.broken.push(entry);
    }
    // Other descriptor types (signatures, unknown types) are not images; the spec says to ignore them.
  }
  return listing;
}

async function candidatePlatform(files: Files, candidate: Candidate): Promise<Platform | undefined> {
  if (candidate.platform) return candidate.platform;
  if (!(await files.exists(blobPath(candidate.descriptor.digest)))) return undefined;
  let raw: Buffer;
  let config: Platform;
  try {
    const manifest = JSON.parse(
      (await readBlob(files, candidate.descriptor, 'a manifest', MANIFEST_LIMIT)).toString('utf8'),
    ) as Manifest;
    if (!isImageConfigType(manifest.config?.mediaType) || !(await files.exists(blobPath(manifest.config.digest)))) {
      return undefined;
    }
    raw = await readBlob(files, manifest.config, 'a config');
    config = JSON.parse(raw.toString('utf8')) as Platform;
    if (!config || typeof config !== 'object') return undefined;
  } catch {
    return undefined;
  }
  // A platform field of the wrong type (`"os": 5`) cannot be compared, and read as no platform the image would be
  // "not linux/amd64": the config's own check names the field.
  if (platformFieldProblem(config as unknown as Record<string, unknown>, '')) parseConfig(raw, files.describe);
  return config.os || config.architecture
    ? { os: config.os, architecture: config.architecture, variant: config.variant }
    : undefined;
}

/** The candidates with their platforms read (from the config when the index names none), attestations left out. */
async function listedImages(files: Files, candidates: Candidate[]): Promise<Candidate[]> {
  const withPlatforms = await Promise.all(
    candidates.map(async (c) => ({ ...c, platform: await candidatePlatform(files, c) })),
  );
  return withPlatforms.filter((c) => !isUnknownPlatform(c.platform));
}

/** How an image is picked from a layout's candidates, and what messages call the layout. */
interface SelectOptions extends Pick<OpenOptions, 'platform' | 'notice'> {
  refName?: string;
  /** The names the layout gives its images, listed when `refName` matches none of them. */
  names?: string[];
  what: string;
  unusable?: string[];
  broken?: BrokenEntry[];
}

/**
 * Picks one image: by ref name, then by platform (explicit, else the host's; a single image is taken
 * whatever its platform when none was asked for). Errors list what is available.
 */
export async function selectCandidate(
  files: Files,
  candidates: Candidate[],
  options: SelectOptions,
): Promise<Candidate & { index?: ImageRef['index'] }> {
  const { candidate, listed } = await pickCandidate(files, candidates, options);
  const index = indexOfCandidate(candidate, listed);
  return index ? { ...candidate, index } : candidate;
}

/**
 * The multi-platform index `candidate` is one platform of. The image is every entry index.json lists under its name
 * (or none; entries under other names are other images). When those are one index, that index is the image's; else
 * index.json itself is (its entries platform manifests, nested indexes or both), which has no digest of its own.
 * Either way the image's platforms are all of theirs, so what it offers does not depend on which platform was picked.
 */
function indexOfCandidate(candidate: Candidate, listed: Candidate[]): ImageRef['index'] {
  const siblings = listed.filter((c) => c.refName === candidate.refName);
  const platforms = platformNames(siblings);
  const indexDigest = candidate.indexDigest;
  if (indexDigest && siblings.every((c) => c.indexDigest === indexDigest)) return { digest: indexDigest, platforms };
  return platforms.length > 1 ? { digest: null, platforms } : undefined;
}

/**
 * For an archive read through its manifest.json (a containerd-store `docker save`): the index its index.json gives the
 * image whose manifest is `manifestDigest`, as reading the same archive with --platform (through index.json) gives
 * it; undefined when there is none, or when the index cannot be read (manifest.json is what such an archive is read
 * by, and its index is advisory).
 */
export async function savedIndexOf(files: Files, manifestDigest: string): Promise<ImageRef['index']> {
  if (!(await files.exists('index.json'))) return undefined;
  try {
    const { candidates } = await collectCandidates(files, await readIndex(files), undefined);
    const listed = await listedImages(files, candidates);
    const candidate = listed.find((c) => !c.absent && c.descriptor.digest === manifestDigest);
    return candidate ? indexOfCandidate(candidate, listed) : undefined;
  } catch {
    return undefined;
  }
}

async function pickCandidate(
  files: Files,
  candidates: Candidate[],
  options: SelectOptions,
): Promise<{ candidate: Candidate; listed: Candidate[] }> {
  const listed = await listedImages(files, candidates);
  const images = listed.filter((c) => !c.absent);
  const absentPlatforms = platformNames(listed.filter((c) => c.absent));
  const absentNote = absentPlatforms.length ? ` (listed but not included: ${absentPlatforms.join(', ')})` : '';
  if (images.length === 0) {
    // The index does list images (or what were meant to be): say which and what is wrong with them.
    const reasons = [
      ...listed.filter((c) => c.absent).map((c) => `it lacks the blob ${c.descriptor.digest} that ${c.listedAt} lists`),
      ...(options.unusable ?? []),
    ];
    if (reasons.length > 0) {
      const more =
        reasons.length > 1 ? ` (and ${reasons.length - 1} more such ${reasons.length > 2 ? 'entries' : 'entry'})` : '';
      throw new SourceError(`${options.what} holds no image ballast can read: ${reasons[0]}${more}`, {
        code: 'no-readable-image',
        hint: INCOMPLETE_HINT,
      });
    }
    if (options.refName !== undefined) {
      throw new UsageError(`${options.what} has no image named "${options.refName}"`, {
        code: 'ref-not-found',
        // As a docker-archive lists its tags: the names at hand, not a command to run to find them.
        hint: options.names?.length
          ? `it holds ${someOf(options.names)}`
          : 'it names none of its images: read it without a name',
      });
    }
    throw new SourceError(`${options.what} holds no container image (its index lists no image manifest)`, {
      code: 'no-image',
      hint: 'an OCI layout needs an index.json that points at an image manifest',
    });
  }
  const available = someOf(platformNames(images));
  const wanted = options.platform ? parsePlatform(options.platform) : hostPlatform();
  const match = bestPlatformMatch(wanted, images, (c) => c.platform);
  const broken = wantedEntryBroken(images, options, wanted, match);
  if (broken) throw broken;
  if (match) return { candidate: match, listed };
  if (options.platform) {
    throw new UsageError(`${options.what} has no image for platform ${formatPlatform(wanted)}`, {
      code: 'platform-not-found',
      hint: `available platforms: ${available}${absentNote}`,
    });
  }
  const distinct = new Set(images.map((c) => c.descriptor.digest));
  if (distinct.size === 1 || platformNames(images).length === 1) {
    // Named by the index, it is another platform's image, as a registry's would be; a single-image layout often
    // names no platform in index.json, and its config's is then no sign of a choice the user should hear of.
    if (images[0].descriptor.platform)
      options.notice?.(onlyPlatformNote(options.what, wanted, available, absentPlatforms));
    return { candidate: images[0], listed };
  }
  throw new UsageError(`${options.what} has no image for this machine's platform (${formatPlatform(hostPlatform())})`, {
    code: 'platform-not-found',
    hint: `pick one with --platform; available platforms: ${available}${absentNote}`,
  });
}

/**
 * The error for an index whose entry for the wanted platform (--platform, else this machine's) is malformed, when no
 * readable entry is that platform: saying it is absent, quietly taking a lesser variant or (with no --platform)
 * another platform to run under emulation would hide what `docker pull` fails on.
 */
function wantedEntryBroken(
  images: Candidate[],
  options: { platform?: string; what: string; broken?: BrokenEntry[] },
  // The caller that already picked among the images passes what it found.
  wanted = options.platform ? parsePlatform(options.platform) : hostPlatform(),
  match = bestPlatformMatch(wanted, images, (c) => c.platform),
): SourceError | undefined {
  const broken = (options.broken ?? []).find((b) => brokenEntryWanted(wanted, b.platform, match?.platform));
  if (!broken) return undefined;
  return brokenEntryError(options.what, broken.platform, broken.reason, {
    asked: Boolean(options.platform),
    available: someOf(platformNames(images)),
    repair: INCOMPLETE_HINT,
  });
}

/**
 * For an archive read through its manifest.json (a containerd-store `docker save`) that holds an image of another
 * platform than this machine's: the error when its index.json lists this machine's platform in a broken entry (the
 * other platform, taken by default, would run here only under emulation); undefined when it does not, or when the
 * index cannot be read at all (manifest.json is what such an archive is read by).
 */
export async function brokenHostEntry(files: Files, what: string): Promise<SourceError | undefined> {
  if (!(await files.exists('index.json'))) return undefined;
  try {
    const { candidates, broken } = await collectCandidates(files, await readIndex(files), undefined);
    const images = (await listedImages(files, candidates)).filter((c) => !c.absent);
    return wantedEntryBroken(images, { what, broken });
  } catch {
    return undefined;
  }
}

export async function readIndex(files: Files): Promise<IndexManifest> {
  const index = await readJson<IndexManifest | null>(files, 'index.json', 'an OCI image index', {
    bytes: MAX_MANIFEST_BYTES,
    what: 'an image index',
  });
  if (!index || typeof index !== 'object' || (index.manifests !== null && !Array.isArray(index.manifests))) {
    const problem = indexShapeProblem(index) ?? 'it has no "manifests" list';
    throw new SourceError(`index.json in ${files.describe} is not an OCI image index (${problem})`, {
      code: 'bad-index',
      hint: LAYOUT_CORRUPT,
    });
  }
  return { ...index, manifests: index.manifests ?? [] };
}

/** Opens the image a manifest descriptor points at. Shared by OCI layouts and docker-archives with OCI content. */
export async function imageFromManifest(
  files: Files,
  descriptor: Descriptor,
  ref: ImageRef,
  options: { verify: boolean; close?: () => Promise<void> },
): Promise<Image> {
  const rawManifest = await readBlob(files, descriptor, 'the manifest', MANIFEST_LIMIT);
  const manifest = parseDocument<Manifest>(rawManifest, {
    message: `the manifest ${descriptor.digest} in ${files.describe} is not valid JSON`,
    code: 'bad-manifest',
    hint: LAYOUT_CORRUPT,
  });
  const problem = manifestShapeProblem(manifest);
  if (problem) {
    throw new SourceError(
      `the manifest ${descriptor.digest} in ${files.describe} is not an image manifest (${problem})`,
      {
        code: 'bad-manifest',
        hint: 'ballast analyzes container images; if this is one, it is corrupt: copy or save it again',
      },
    );
  }
  const configType = manifest.config.mediaType;
  // An image whose layers are all encrypted is an image still: each layer's error says so, and how to decrypt it.
  const artifactLayers = manifest.layers.filter(
    (l) => !isTarLayerType(l.mediaType) && !isEncryptedLayerType(l.mediaType),
  );
  if (
    !isImageConfigType(configType) ||
    (artifactLayers.length > 0 && artifactLayers.length === manifest.layers.length)
  ) {
    throw new SourceError(
      `${ref.name} is an OCI artifact (config ${configType || 'without a media type'}), not a container image`,
      {
        code: 'artifact',
        hint: 'ballast analyzes container images; artifacts such as Helm charts, signatures and SBOMs have no filesystem',
      },
    );
  }
  const rawConfig = await readBlob(files, manifest.config, 'the image config');
  const layers: LayerCore[] = await Promise.all(
    manifest.layers.map(async (layer, index) => {
      const path = blobPath(layer.digest);
      const present = await files.exists(path);
      // Only a foreign/non-distributable layer may be left out; any other missing blob is a broken image, and
      // reading on would report it as an empty layer.
      if (!present && !isForeignLayerType(layer.mediaType ?? '')) {
        throw new SourceError(`${files.describe} lacks the blob ${layer.digest} of layer ${index}`, {
          code: 'layer-missing',
          hint: 'the image is incomplete; copy or save it again',
        });
      }
      return {
        descriptor: layer,
        open: present ? () => files.stream(path) : undefined,
        storedSize: present ? () => files.size(path) : undefined,
        locate: present ? () => files.locate(path) : undefined,
      };
    }),
  );
  return imageFromCore({
    ref,
    rawConfig,
    rawManifest,
    manifestDigest: descriptor.digest,
    manifestMediaType: descriptor.mediaType ?? manifest.mediaType ?? MediaTypes.ociManifest,
    oci: true,
    layers,
    verify: options.verify,
    close: options.close,
  });
}

/** Opens an image from an OCI layout (directory or archive) exposed as Files. */
export async function image(files: Files, options: LayoutOptions): Promise<Image> {
  const index = await readIndex(files);
  const kind =
    options.source === 'oci-layout'
      ? 'the OCI layout'
      : options.source === 'docker-archive'
        ? 'the docker archive'
        : 'the OCI archive';
  const what = `${kind} ${files.describe}`;
  const problem = options.refName !== undefined ? refNameProblem(index, options.refName, what) : undefined;
  if (problem) throw problem;
  const { candidates, unusable, broken } = await collectCandidates(files, index, options.refName);
  const chosen = await selectCandidate(files, candidates, {
    platform: options.platform,
    refName: options.refName,
    ...(options.refName !== undefined ? { names: layoutNames(index) } : {}),
    what,
    unusable,
    broken,
    notice: options.notice,
  });
  return imageFromManifest(
    files,
    chosen.descriptor,
    {
      source: options.source,
      name: files.describe,
      ...(options.tagOf ? options.tagOf(chosen) : { tag: options.refName ?? chosen.refName }),
      ...(chosen.index ? { index: chosen.index } : {}),
    },
    { verify: options.verify ?? true, close: options.close },
  );
}
