// docker-archive: `docker save` in all its variants (legacy <= 24 with <v1id>/layer.tar and symlinked
// duplicates, Docker >= 25 with an OCI layout inside, containerd-store saves with compressed blobs),
// podman/skopeo archives, crane/kaniko tarballs (`sha256:<hex>` config, `<hex>.tar.gz` layers), and
// archives holding several images. manifest.json is trusted over the embedded OCI manifest (Docker 25.0.x
// wrote wrong sizes there), and every layer's compression is sniffed rather than taken from its name.
import { posix } from 'node:path';
import { SourceError, UsageError, parseDocument } from '../errors.js';
import { isSha256 } from '../image/digest.js';
import { isForeignLayerType, MediaTypes } from '../image/media-types.js';
import { descriptorProblem, stringListProblem } from '../image/manifest-shape.js';
import { imageFromCore, parseConfig, type LayerCore } from '../image/partial.js';
import { formatPlatform, hostPlatform, parsePlatform, platformMatches } from '../image/platform.js';
import type { Descriptor, Image, IndexManifest, Manifest, OpenOptions } from '../image/types.js';
import { MANIFEST_LIMIT, type Files } from './files.js';
import { blobPath, brokenHostEntry, savedIndexOf } from './oci-layout.js';
import { someOf } from '../report/lists.js';

export interface ArchiveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
  Parent?: string;
  LayerSources?: Record<string, Descriptor>;
}

export interface ArchiveOptions extends OpenOptions {
  /** `name:tag` from RepoTags, or `@N` for the N-th image of the archive. */
  selector?: string;
  /** Called with a note for the user (stderr), e.g. which of several images was picked. */
  notice?: (message: string) => void;
  close?: () => Promise<void>;
  source?: string;
}

/** Reads manifest.json; undefined when there is none (an OCI archive or something else). */
export async function readArchiveManifest(files: Files): Promise<ArchiveEntry[] | undefined> {
  if (!(await files.exists('manifest.json'))) return undefined;
  const parsed = parseDocument<unknown>(await files.read('manifest.json'), {
    message: `manifest.json in ${files.describe} is not valid JSON (expected a docker save manifest)`,
    code: 'bad-manifest',
    hint: 'the archive is corrupt; save the image again',
  });
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || parsed.some((e) => !e || typeof e.Config !== 'string' || !Array.isArray(e.Layers))) {
    throw new SourceError(
      `manifest.json in ${files.describe} is not a docker save manifest (expected an array of {Config, RepoTags, Layers})`,
      { code: 'bad-manifest', hint: 'the archive is corrupt, or not from docker save; save the image again' },
    );
  }
  const problem = entryFieldProblem(parsed as Record<string, unknown>[]);
  if (problem) {
    throw new SourceError(`manifest.json in ${files.describe} is not a valid docker save manifest: ${problem}`, {
      code: 'bad-manifest',
      hint: 'the archive is corrupt, or not from docker save; save the image again',
    });
  }
  return parsed as ArchiveEntry[];
}

/**
 * The first tag or layer path of the entries that is not a string, named (`entry 0 RepoTags[0] is a number, not a
 * string`); tags are matched and printed, paths looked up, as text: `"RepoTags": [1e308]` surfaced as a TypeError.
 */
function entryFieldProblem(entries: Record<string, unknown>[]): string | undefined {
  for (const [i, entry] of entries.entries()) {
    for (const key of ['RepoTags', 'Layers']) {
      const problem = stringListProblem(entry[key], `entry ${i} ${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** A tag as docker names it: `docker.io/library/alpine:3.14` and `alpine` are `alpine:3.14` and `alpine:latest`. */
export function normalizeTag(tag: string): string {
  let name = tag.startsWith('docker.io/') ? tag.slice('docker.io/'.length) : tag;
  if (name.startsWith('library/')) name = name.slice('library/'.length);
  return name.includes(':', name.lastIndexOf('/') + 1) ? name : `${name}:latest`;
}

export function describeEntries(entries: ArchiveEntry[]): string {
  return someOf(
    entries.map((e, i) => `@${i}${e.RepoTags?.length ? ` ${someOf(e.RepoTags)}` : ''}`),
    '; ',
  );
}

function selectEntry(
  files: Files,
  entries: ArchiveEntry[],
  options: ArchiveOptions,
): { entry: ArchiveEntry; index: number } {
  const { selector } = options;
  if (selector !== undefined && selector !== '') {
    const byIndex = /^@(\d+)$/.exec(selector);
    if (byIndex) {
      const index = Number(byIndex[1]);
      if (index < entries.length) return { entry: entries[index], index };
    } else {
      const wanted = normalizeTag(selector);
      const index = entries.findIndex((e) => (e.RepoTags ?? []).some((t) => normalizeTag(t) === wanted));
      if (index >= 0) return { entry: entries[index], index };
    }
    throw new UsageError(`${files.describe} has no image "${selector}"`, {
      code: 'image-not-in-archive',
      hint: `it holds ${describeEntries(entries)}`,
    });
  }
  if (entries.length > 1) {
    const { source } = options;
    const daemon = source === 'podman' ? 'Podman' : source === 'docker-daemon' ? 'the Docker daemon' : undefined;
    // A daemon's export stands for one reference, which takes no @N; another image is read by its own tag.
    const tags = (e: ArchiveEntry): string => (e.RepoTags?.length ? someOf(e.RepoTags) : 'untagged');
    options.notice?.(
      daemon
        ? `${files.describe}: ${daemon} exported ${entries.length} images for it (${someOf(entries.map(tags), '; ')}); showing ${tags(entries[0])}. Read another by its tag, as ${source}:NAME:TAG.`
        : `${files.describe} holds ${entries.length} images (${describeEntries(entries)}); showing @0. Pick another with PATH:NAME:TAG or PATH@N.`,
    );
  }
  return { entry: entries[0], index: 0 };
}

/** `blobs/sha256/<hex>`, `sha256:<hex>`, `<hex>.tar.gz`: a digest the file name promises (verified on read). */
function digestFromName(path: string): string | undefined {
  const blob = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(path);
  if (blob) return `sha256:${blob[1]}`;
  const base = /^(?:sha256:)?([a-f0-9]{64})(?:\.tar(?:\.gz|\.zst|\.zstd)?|\.tgz)?$/.exec(posix.basename(path));
  return base && !/\/layer\.tar$/.test(path) ? `sha256:${base[1]}` : undefined;
}

/** The real OCI manifest Docker >= 25 and containerd write next to manifest.json, matched by config digest. */
async function embeddedManifest(
  files: Files,
  configDigest: string,
): Promise<{ raw: Buffer; descriptor: Descriptor } | undefined> {
  if (!(await files.exists('index.json'))) return undefined;
  try {
    const index = JSON.parse((await files.read('index.json', MANIFEST_LIMIT)).toString('utf8')) as IndexManifest;
    const queue: Descriptor[] = [...(index?.manifests ?? [])];
    for (let seen = 0; queue.length > 0 && seen < 64; seen++) {
      const descriptor = queue.shift()!;
      const path = blobPath(descriptor.digest);
      if (!(await files.exists(path))) continue;
      const raw = await files.read(path, MANIFEST_LIMIT);
      const body = JSON.parse(raw.toString('utf8')) as Manifest & IndexManifest;
      // One by one, not push(...): a nested index of 300,000 entries is more than a call's arguments can be (the
      // error was taken for a broken index, and the embedded manifest passed over); no more than are looked at.
      if (Array.isArray(body.manifests)) for (const m of body.manifests.slice(0, 64)) queue.push(m);
      else if (body.config?.digest === configDigest) return { raw, descriptor };
    }
  } catch {
    // Advisory only: a broken embedded index does not stop reading manifest.json.
  }
  return undefined;
}

export async function image(files: Files, entries: ArchiveEntry[], options: ArchiveOptions): Promise<Image> {
  const { entry, index } = selectEntry(files, entries, options);
  const rawConfig = await files.read(entry.Config).catch((error: unknown) => {
    if (error instanceof SourceError && error.code !== 'blob-missing') throw error; // there, but unreadable or too large
    throw new SourceError(`${files.describe} lists config ${entry.Config}, which is not in the archive`, {
      code: 'config-missing',
      cause: error,
      hint: 'the archive is incomplete; save the image again',
    });
  });
  // Parsed (and checked) here, not only later in imageFromCore: the platform check and the layer list need it first.
  const config = parseConfig(rawConfig, files.describe);
  if (options.platform) {
    const actual = { os: config.os, architecture: config.architecture, variant: config.variant };
    if (!platformMatches(parsePlatform(options.platform), actual)) {
      throw new UsageError(
        // Both named in full, as the other sources name them (`linux/arm64`, not the `arm64` typed).
        `${files.describe} holds a ${formatPlatform(actual)} image, not ${formatPlatform(parsePlatform(options.platform))}`,
        {
          code: 'platform-not-found',
          hint: `available platforms: ${formatPlatform(actual)}`,
        },
      );
    }
  } else if (entries.length === 1 && !platformMatches(hostPlatform(), config)) {
    // Not this machine's image: in a containerd-store save whose index lists this machine's platform in a broken
    // entry, it is a stand-in for the image asked for by default, as it would be in the same index read as a layout.
    const broken = await brokenHostEntry(files, `the docker archive ${files.describe}`);
    if (broken) throw broken;
  }
  const configDigest = digestFromName(entry.Config) ?? undefined;
  const embedded = configDigest ? await embeddedManifest(files, configDigest) : undefined;
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerCore[] = await Promise.all(
    entry.Layers.map(async (path, i) => {
      const present = path !== '' && (await files.exists(path));
      const source = diffIds[i] ? entry.LayerSources?.[diffIds[i]] : undefined;
      if (!present) {
        if (source && isForeignLayerType(source.mediaType ?? '')) {
          // Its size is all ballast reports of such a layer: it must be a byte count, as in any manifest.
          const problem = descriptorProblem(source);
          if (problem) {
            throw new SourceError(
              `manifest.json in ${files.describe} describes the foreign layer ${i} wrongly: ${problem}`,
              { code: 'bad-manifest', hint: 'the archive is corrupt; save the image again' },
            );
          }
          return { descriptor: source };
        }
        throw new SourceError(`${files.describe} lists layer ${path || '""'}, which is not in the archive`, {
          code: 'layer-missing',
          hint: 'the archive is incomplete; save the image again',
        });
      }
      const hint = digestFromName(path);
      return {
        digestHint: hint && isSha256(hint) ? hint : undefined,
        open: () => files.stream(path),
        storedSize: () => files.size(path),
        locate: () => files.locate(path),
      };
    }),
  );
  const manifestMediaType = embedded ? (embedded.descriptor.mediaType ?? MediaTypes.ociManifest) : undefined;
  const tags = entry.RepoTags ?? [];
  // The tag asked for (PATH:NAME:TAG) names the image; else its first RepoTag. The others are its aliases.
  const wanted = options.selector && !options.selector.startsWith('@') ? normalizeTag(options.selector) : undefined;
  const tag = tags.find((t) => normalizeTag(t) === wanted) ?? tags[0];
  // A containerd-store save keeps the image's multi-platform index: named here as it is when the same archive is read
  // through index.json (with --platform), which showed the index there and `null` here.
  const savedIndex = embedded ? await savedIndexOf(files, embedded.descriptor.digest) : undefined;
  return imageFromCore({
    ref: {
      source: options.source ?? 'docker-archive',
      name: files.describe,
      tag: tag ?? (entries.length > 1 ? `@${index}` : undefined),
      ...(tags.length > 1 ? { aliases: tags.filter((t) => t !== tag) } : {}),
      ...(savedIndex ? { index: savedIndex } : {}),
    },
    rawConfig,
    rawManifest: embedded?.raw,
    manifestDigest: embedded?.descriptor.digest,
    manifestMediaType,
    // The layers are typed as the manifest shown beside them types them: a containerd-store save of a Docker v2 image
    // keeps them under blobs/, but as rootfs.diff layers (they were "oci tar+gzip" under a Docker manifest).
    oci: manifestMediaType
      ? manifestMediaType !== MediaTypes.dockerManifest
      : entry.Layers.some((p) => p.startsWith('blobs/')),
    layers,
    verify: options.verify ?? true,
    close: options.close,
  });
}
