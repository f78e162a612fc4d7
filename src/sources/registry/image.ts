// A registry image as the one Image model: the manifest (an index is resolved by platform), the config,
// and layers whose bytes stream from the registry (or the blob cache) only when something reads them.
// So `inspect` fetches the manifest and the config and nothing else: layer sizes come from the manifest.
import { SourceError, UsageError, parseDocument } from '../../errors.js';
import {
  isForeignLayerType,
  isImageConfigType,
  isIndexType,
  isManifestType,
  isSchema1Type,
  isEncryptedLayerType,
  isTarLayerType,
  MediaTypes,
} from '../../image/media-types.js';
import {
  descriptorProblem,
  indexShapeProblem,
  isDescriptor,
  manifestShapeProblem,
  namedPlatform,
  platformFieldProblem,
} from '../../image/manifest-shape.js';
import { imageFromCore, type LayerCore } from '../../image/partial.js';
import {
  formatPlatform,
  hostPlatform,
  isUnknownPlatform,
  parsePlatform,
  platformMatches,
  platformNames,
  bestPlatformMatch,
  brokenEntryError,
  brokenEntryWanted,
  onlyPlatformNote,
} from '../../image/platform.js';
import { manifestReference, type Reference } from '../../image/reference.js';
import type { Descriptor, Image, IndexManifest, Manifest, Platform } from '../../image/types.js';
import { RegistryClient, type ClientOptions, type FetchedManifest } from './client.js';
import { someOf } from '../../report/lists.js';

export interface RegistryImageOptions extends ClientOptions {
  platform?: string;
  verify?: boolean;
}

function parseJson<T>(fetched: FetchedManifest, what: string): T {
  return parseDocument<T>(fetched.raw, {
    message: `${what} (${fetched.digest}) is not valid JSON`,
    code: 'bad-manifest',
    hint: 'the registry holds a broken manifest (or something between you and it altered it): push the image again',
  });
}

/** The kind of a fetched manifest, from Content-Type, else from the body. */
function kindOf(
  fetched: FetchedManifest,
  parsed: { mediaType?: unknown; manifests?: unknown; layers?: unknown; schemaVersion?: unknown } | null,
): 'index' | 'manifest' | 'schema1' | 'other' {
  // Any JSON parses: `null`, a list or a string has none of these fields.
  const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  const type = fetched.mediaType || (typeof body.mediaType === 'string' ? body.mediaType : undefined);
  if (isSchema1Type(type) || body.schemaVersion === 1) return 'schema1';
  if (isIndexType(type)) return 'index';
  if (isManifestType(type)) return 'manifest';
  if (Array.isArray(body.manifests)) return 'index';
  if (Array.isArray(body.layers)) return 'manifest';
  return 'other';
}

/** Whether an index entry is an image of some platform: not an attestation, not another artifact. */
function isImageEntry(d: unknown): d is Descriptor {
  return (
    isDescriptor(d) &&
    (isManifestType(d.mediaType) || isIndexType(d.mediaType) || !d.mediaType) &&
    !isUnknownPlatform(d.platform)
  );
}

/** The entries of an index that are images of some platform. */
function imageEntries(index: IndexManifest): Descriptor[] {
  return (index.manifests ?? []).filter(isImageEntry);
}

/**
 * An index's image entries, with each entry that is an index (an index of indexes) standing once for every platform
 * its own entries name, as `nested` has them: without, one naming no platform matched no --platform and listed its
 * platforms as "unknown", and one naming a platform hid the others it holds, where an OCI layout holding the same
 * indexes is read through. A nested index whose entries name none stands for the platform its entry names.
 */
function platformEntries(index: IndexManifest, nested: Map<string, Platform[]>): Descriptor[] {
  return imageEntries(index).flatMap((d) => {
    const platforms = nested.get(d.digest);
    return platforms?.length ? platforms.map((platform) => ({ ...d, platform })) : [d];
  });
}

/** A malformed index entry that names its platform: `entry` says where it sits from the index read ("entry 1"). */
interface BrokenEntry {
  platform: Platform;
  entry: string;
  problem: string;
}

/** An index's own malformed entries that name their platform. */
function brokenEntries(index: IndexManifest): BrokenEntry[] {
  return ((index.manifests ?? []) as unknown[]).flatMap((d, i) => {
    const problem = descriptorProblem(d);
    const platform = problem ? namedPlatform(d) : undefined;
    return problem && platform ? [{ platform, entry: `entry ${i}`, problem }] : [];
  });
}

/** What the indexes nested in an index hold, for choosing among its own entries. */
interface Nested {
  /** The platforms each nested index's entries name, by its digest. */
  platforms: Map<string, Platform[]>;
  /**
   * Their malformed entries that name a platform, which `platforms` leaves out: without them, a platform the index
   * does list looked absent ("has no image for platform") when no readable entry could stand in for it.
   */
  broken: BrokenEntry[];
}

/**
 * The platforms of each entry of `index` that is an index (whether or not its entry names a platform: the entries
 * inside are what can be pulled, as an OCI layout reads them): what its own entries name, down to `levels`
 * nested indexes, and their broken entries. Fetched by digest from the same repository (verified), and shared through
 * `fetch` with the walk that then descends into the chosen one; an entry that cannot be read is left to that walk to
 * report. At most `budget.fetches` are read, so an index listing thousands of such entries costs no more than a few
 * requests.
 */
async function nestedPlatforms(
  index: IndexManifest,
  fetch: (digest: string) => Promise<FetchedManifest>,
  levels: number,
  config: (descriptor: Descriptor) => Promise<Buffer>,
  budget = { fetches: 16 },
): Promise<Nested> {
  const nested: Nested = { platforms: new Map(), broken: [] };
  for (const d of ((index.manifests ?? []) as unknown[]).filter(isImageEntry)) {
    if (d.platform || isIndexType(d.mediaType) || nested.platforms.has(d.digest)) continue;
    if ((budget.fetches -= 2) < 0) break;
    const platform = await configPlatform(d, fetch, config);
    if (platform) nested.platforms.set(d.digest, [platform]);
  }
  if (levels <= 0) return nested;
  for (const [position, d] of ((index.manifests ?? []) as unknown[]).entries()) {
    if (!isImageEntry(d) || !isIndexType(d.mediaType) || nested.platforms.has(d.digest)) continue;
    if (budget.fetches-- <= 0) break;
    try {
      const child = JSON.parse((await fetch(d.digest)).raw.toString('utf8')) as IndexManifest;
      if (indexShapeProblem(child)) continue;
      const deeper = await nestedPlatforms(child, fetch, levels - 1, config, budget);
      nested.platforms.set(
        d.digest,
        platformEntries(child, deeper.platforms).flatMap((e) => (e.platform ? [e.platform] : [])),
      );
      const at = ` of the index at entry ${position}`;
      for (const b of [...brokenEntries(child), ...deeper.broken])
        nested.broken.push({ ...b, entry: `${b.entry}${at}` });
    } catch {
      // Read again when chosen, which says what is wrong with it.
    }
  }
  return nested;
}

/**
 * The platform of an index entry that names none, from its image's config, as containerd and an OCI layout read it:
 * taken for "unknown", an amd64 image under such an entry was "no image for platform linux/amd64". Undefined when the
 * entry is no image or cannot be read (the walk that picks it says why).
 */
async function configPlatform(
  entry: Descriptor,
  fetch: (digest: string) => Promise<FetchedManifest>,
  config: (descriptor: Descriptor) => Promise<Buffer>,
): Promise<Platform | undefined> {
  try {
    const manifest = JSON.parse((await fetch(entry.digest)).raw.toString('utf8')) as Manifest;
    if (manifestShapeProblem(manifest) || !isImageConfigType(manifest.config.mediaType)) return undefined;
    const body = JSON.parse((await config(manifest.config)).toString('utf8')) as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || platformFieldProblem(body, '')) return undefined;
    const { os, architecture, variant } = body as unknown as Platform;
    return os || architecture ? { os, architecture, ...(variant ? { variant } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Picks the platform's manifest from an index: the best match, the first listed among equals. `at` says where a
 * nested index sits (` of the index at entry 1`), so that a broken entry is named as a user counts from the top.
 */
function selectFromIndex(
  index: IndexManifest,
  platform: string | undefined,
  what: string,
  nested: Nested = { platforms: new Map(), broken: [] },
  at = '',
  notice?: (message: string) => void,
): Descriptor {
  const images = platformEntries(index, nested.platforms);
  if (images.length === 0) {
    // An entry dropped for a malformed descriptor is the likely reason: name it, not "no image manifest".
    const manifests: unknown[] = index.manifests ?? [];
    const broken = manifests.findIndex((d) => d !== null && typeof d === 'object' && descriptorProblem(d));
    if (broken >= 0) {
      throw new SourceError(
        `${what} is an index whose entry ${broken}${at} is not a usable descriptor: ${descriptorProblem(manifests[broken])}`,
        { code: 'bad-index', hint: 'the registry holds a broken index: push the image again' },
      );
    }
    throw new SourceError(`${what} is an index with no image manifest in it`, {
      code: 'no-image',
      hint: 'this is not a container image',
    });
  }
  const available = someOf(platformNames(images));
  const wanted = platform ? parsePlatform(platform) : hostPlatform();
  const match = bestPlatformMatch(wanted, images, (d) => d.platform);
  // The wanted platform's own entry is malformed: it is not absent, a lesser variant is not what was asked for, and
  // with no --platform another platform (to run under emulation) is not what `docker pull` would give either.
  // The entries of nested indexes count as this index's own: a readable platform elsewhere is the same stand-in.
  const broken = [...brokenEntries(index), ...nested.broken].find((b) =>
    brokenEntryWanted(wanted, b.platform, match?.platform),
  );
  if (broken) {
    throw brokenEntryError(
      what,
      broken.platform,
      `${broken.entry}${at} is not a usable descriptor: ${broken.problem}`,
      { asked: Boolean(platform), available, repair: 'the registry holds a broken index: push the image again' },
    );
  }
  if (match) return match;
  if (!platform && images.length === 1) {
    // Taken as `docker pull` takes it, but it is not what this machine runs natively: the user should know.
    notice?.(onlyPlatformNote(what, wanted, available));
    return images[0];
  }
  throw new UsageError(
    `${what} has no image for platform ${formatPlatform(wanted)}${platform ? '' : " (this machine's)"}`,
    {
      code: 'platform-not-found',
      hint: `pick one with --platform; available platforms: ${available}`,
    },
  );
}

/** A single-platform image asked for with --platform must be of that platform. */
function checkPlatform(rawConfig: Buffer, platform: string, display: string): void {
  let config: { os?: string; architecture?: string; variant?: string };
  try {
    config = JSON.parse(rawConfig.toString('utf8')) as typeof config;
  } catch {
    return; // parseConfig reports a broken config with a better message
  }
  // As it does a platform field of the wrong type (`"os": 5`), which cannot be compared.
  if (!config || typeof config !== 'object' || platformFieldProblem(config as Record<string, unknown>, '')) return;
  const actual = { os: config.os ?? '', architecture: config.architecture ?? '', variant: config.variant };
  if (!platformMatches(parsePlatform(platform), actual)) {
    // Named as the image's platform is (`linux/arm64`, not the `arm64` typed), so the two read alike.
    throw new UsageError(
      `${display} is a single-platform ${formatPlatform(actual)} image, not ${formatPlatform(parsePlatform(platform))}`,
      {
        code: 'platform-not-found',
        hint: `available platforms: ${formatPlatform(actual)}`,
      },
    );
  }
}

/** A body that is not the image manifest or index its kind says, for the one message every such body gets. */
function notAnImageManifest(display: string, fetched: FetchedManifest, problem?: string): SourceError {
  const type = `media type ${fetched.mediaType || 'unknown'}`;
  return new SourceError(`${display} is not an image manifest (${problem ? `${type}; ${problem}` : type})`, {
    code: 'bad-manifest',
    hint: 'ballast analyzes container images; if this is one, the registry holds a broken manifest: push it again',
  });
}

/** The digest of the manifest a reference named, for failures that came after it was fetched. */
const failedManifests = new WeakMap<object, string>();

/**
 * The manifest (or index) digest a failed open had fetched before failing (an image of another platform only), so
 * tags of one manifest left out for one reason can be told to be one image; undefined when none was fetched.
 */
export function failedManifestDigest(error: unknown): string | undefined {
  return error !== null && typeof error === 'object' ? failedManifests.get(error) : undefined;
}

/** Opens `registry/repository[:tag|@digest]` from its registry. */
export async function openRegistryImage(ref: Reference, options: RegistryImageOptions): Promise<Image> {
  let fetchedDigest: string | undefined;
  try {
    return await openFetched(ref, options, (digest) => (fetchedDigest = digest));
  } catch (error) {
    if (fetchedDigest && error !== null && typeof error === 'object') failedManifests.set(error, fetchedDigest);
    throw error;
  }
}

async function openFetched(ref: Reference, options: RegistryImageOptions, fetchedAs: (digest: string) => void) {
  const client = new RegistryClient(ref.registry, ref.repository, options);
  const name = `${ref.registry}/${ref.repository}`;
  const display = ref.digest ? `${name}@${ref.digest}` : `${name}:${ref.tag}`;
  let fetched = await client.manifest(manifestReference(ref));
  fetchedAs(fetched.digest);
  const byDigest = new Map<string, Promise<FetchedManifest>>();
  const fetchByDigest = (digest: string): Promise<FetchedManifest> => {
    let answer = byDigest.get(digest);
    if (!answer) byDigest.set(digest, (answer = client.manifest(digest)));
    return answer;
  };
  let body = parseJson<Manifest & IndexManifest>(fetched, `the manifest of ${display}`);
  // Indexes may nest (an index of indexes); follow a few levels at most.
  let fromIndex = false;
  let index: { digest: string; platforms: string[] } | undefined;
  let at = '';
  for (let depth = 0; kindOf(fetched, body) === 'index'; depth++) {
    fromIndex = true;
    if (depth >= 4)
      throw new SourceError(`${display} nests indexes more than 4 deep`, {
        code: 'index-depth',
        hint: 'real images nest one or two indexes; name one of its platform manifests by digest instead',
      });
    const problem = indexShapeProblem(body);
    if (problem) throw notAnImageManifest(display, fetched, problem);
    const nested = await nestedPlatforms(body, fetchByDigest, 4 - depth - 1, (d) =>
      client.smallBlob(d, `the config of ${display}`),
    );
    const chosen = selectFromIndex(body, options.platform, display, nested, at, options.notice);
    at = ` of the index at entry ${(body.manifests as unknown[]).findIndex((d) => isDescriptor(d) && d.digest === chosen.digest)}${at}`;
    // The top index's digest is the one users pin, and its platforms (nested indexes read through) are the image's:
    // those of the nested index the choice ended in would change with --platform, where an OCI layout of the same
    // indexes lists them all whichever is picked.
    index ??= { digest: fetched.digest, platforms: platformNames(platformEntries(body, nested.platforms)) };
    fetched = await fetchByDigest(chosen.digest);
    body = parseJson<Manifest & IndexManifest>(fetched, `the manifest of ${display}`);
  }
  const kind = kindOf(fetched, body);
  if (kind === 'schema1') {
    throw new SourceError(`${display} has a Docker schema 1 manifest, which is obsolete and not supported`, {
      code: 'schema1',
      hint: 'push the image again with a current Docker, buildah or skopeo (they write schema 2 / OCI manifests)',
    });
  }
  if (kind !== 'manifest') throw notAnImageManifest(display, fetched);
  const problem = manifestShapeProblem(body);
  if (problem) throw notAnImageManifest(display, fetched, problem);
  const manifest = body as Manifest;
  // An image whose layers are all encrypted is an image still: each layer's error says so, and how to decrypt it.
  const artifactLayers = manifest.layers.filter(
    (l) => !isTarLayerType(l.mediaType) && !isEncryptedLayerType(l.mediaType),
  );
  if (
    !isImageConfigType(manifest.config.mediaType) ||
    (artifactLayers.length > 0 && artifactLayers.length === manifest.layers.length)
  ) {
    throw new SourceError(
      `${display} is an OCI artifact (config ${manifest.config.mediaType || 'without a media type'}), not a container image`,
      {
        code: 'artifact',
        hint: 'ballast analyzes container images; artifacts such as Helm charts, signatures and SBOMs have no filesystem',
      },
    );
  }
  const rawConfig = await client.smallBlob(manifest.config, `the config of ${display}`);
  if (options.platform && !fromIndex) checkPlatform(rawConfig, options.platform, display);
  const layers: LayerCore[] = manifest.layers.map((descriptor, i) => ({
    descriptor,
    // Foreign layers live at their URLs, not in the registry: reported, never read.
    open:
      descriptor.urls?.length && isForeignLayerType(descriptor.mediaType)
        ? undefined
        : () => client.openBlob(descriptor, `layer ${i}`),
    head: () => client.blobHead(descriptor, 16, `layer ${i}`),
    download: () => client.downloadBlob(descriptor, `layer ${i}`),
  }));
  return imageFromCore({
    // Pinned, the reference keeps its digest (it opens this image again), and `tag` is only ever a tag: the one
    // written beside the digest (`node:20@sha256:…`), not pulled but what the user knows the image by.
    ref: {
      source: 'registry',
      name: ref.digest ? display : name,
      ...(ref.tag || ref.writtenTag ? { tag: ref.tag ?? ref.writtenTag } : {}),
      ...(index ? { index } : {}),
    },
    rawConfig,
    rawManifest: fetched.raw,
    manifestDigest: fetched.digest,
    manifestMediaType: fetched.mediaType || manifest.mediaType || MediaTypes.ociManifest,
    oci: (fetched.mediaType || manifest.mediaType || '').includes('oci'),
    layers,
    verify: options.verify ?? true,
  });
}
