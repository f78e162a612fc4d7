// `ballast inspect`: an image's metadata, read without decompressing any layer.
import { SourceError } from '../errors.js';
import { mapHistory } from '../image/history.js';
import { hostPlatform, normalizePlatform, parsePlatform, platformMatches } from '../image/platform.js';
import type { Image, Platform } from '../image/types.js';
import { openImage, type ResolveOptions } from '../sources/resolve.js';

export interface InspectLayer {
  index: number;
  digest: string;
  diffId: string;
  mediaType: string;
  compressedBytes: number;
  createdBy: string | null;
  /** False for foreign/non-distributable layers whose bytes the image does not carry. */
  included: boolean;
}

export interface InspectHistory {
  created: string | null;
  createdBy: string;
  instruction: string;
  emptyLayer: boolean;
  comment: string | null;
  layerIndex: number | null;
}

export interface InspectResult {
  source: string;
  reference: string;
  tag: string | null;
  /** Manifest digest; null for sources without a real manifest (a legacy docker save). */
  digest: string | null;
  /**
   * The multi-platform index the image was picked from (null for a single-platform image): its digest, which
   * `skopeo inspect` shows as the Digest and a pull by digest names (null when an OCI layout's index.json is itself
   * the index), and the platforms it lists.
   */
  index: { digest: string | null; platforms: string[] } | null;
  /**
   * The manifest's annotations (`org.opencontainers.image.source`, ...), sorted by key; null when the source has no
   * manifest to carry them (a legacy docker save). Not the config's labels, which may hold other values for a key.
   */
  annotations: Record<string, string> | null;
  /** Config digest, the image ID classic Docker shows. */
  imageId: string;
  /** Media type of the manifest; null, like digest, when the source has none (a legacy docker save). */
  mediaType: string | null;
  /** As the config records it (a variant of `v8` included); the text view shows it normalised. */
  platform: { os: string; architecture: string; variant: string | null };
  /**
   * The platform the user would have expected when the image is not for it, else null: the one asked for with
   * --platform when the index held only a compatible other one (arm/v6 for arm/v7), or, when none was asked for,
   * this machine's when the image would run here only under emulation (an arm64-only image on an amd64 host).
   */
  expectedPlatform: { platform: Platform; by: 'flag' | 'host' } | null;
  created: string | null;
  author: string | null;
  config: {
    user: string | null;
    entrypoint: string[] | null;
    cmd: string[] | null;
    workingDir: string | null;
    env: string[];
    exposedPorts: string[];
    volumes: string[];
    labels: Record<string, string>;
    stopSignal: string | null;
    /** HEALTHCHECK: the test command and its timings in nanoseconds, as the config stores them. */
    healthcheck: { test: string[]; interval: number | null; timeout: number | null; retries: number | null } | null;
    /** SHELL, when set: the shell RUN instructions of child images use. */
    shell: string[] | null;
    /** ONBUILD triggers run by images built FROM this one. */
    onBuild: string[];
  };
  layers: InspectLayer[];
  history: InspectHistory[];
  /** False when history and layers do not line up, so createdBy is unknown. */
  historyMatchesLayers: boolean;
  totals: { layers: number; compressedBytes: number };
}

export interface InspectOptions extends ResolveOptions {
  image: string;
}

export async function describeImage(image: Image, asked?: string): Promise<InspectResult> {
  const [config, layers, digest, mediaType, imageId, manifest] = await Promise.all([
    image.configFile(),
    image.layers(),
    image.digest(),
    image.mediaType(),
    image.configDigest(),
    image.manifest(),
  ]);
  const history = mapHistory(config, layers.length);
  const layerRows: InspectLayer[] = await Promise.all(
    layers.map(async (layer, index) => {
      // A blob of a type that is not a layer's is still in the image: listed with its type, not as absent.
      const included = await layer.isFilesystem().catch((error: unknown) => {
        if (error instanceof SourceError && error.code === 'not-a-layer') return true;
        throw error;
      });
      return {
        index,
        digest: await layer.digest(),
        diffId: await layer.diffId(),
        mediaType: await layer.mediaType(),
        compressedBytes: await layer.size(),
        createdBy: history.layerSteps[index]?.instruction ?? null,
        included,
      };
    }),
  );
  const c = config.config ?? {};
  return {
    source: image.ref.source,
    reference: image.ref.name,
    tag: image.ref.tag ?? null,
    digest: digest ?? null,
    index: image.ref.index ?? null,
    // Without a manifest the source's reader stands one in, which carries none of the image's.
    annotations: digest ? sortedByKey(stringEntries(manifest.annotations)) : null,
    imageId,
    // Without a manifest the source's reader stands one in, whose media type ballast chose, not the image's author.
    mediaType: digest ? mediaType : null,
    platform: {
      os: config.os ?? 'unknown',
      architecture: config.architecture ?? 'unknown',
      variant: config.variant ?? null,
    },
    expectedPlatform: expectedPlatform(config, asked),
    created: config.created ?? null,
    author: config.author ?? null,
    config: {
      user: c.User || null,
      entrypoint: c.Entrypoint ?? null,
      cmd: c.Cmd ?? null,
      workingDir: c.WorkingDir || null,
      env: c.Env ?? [],
      // Sets stored as maps, listed as Go writes a map (docker inspect, skopeo inspect): by key, not the config's order.
      exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(byCodeUnit),
      volumes: Object.keys(c.Volumes ?? {}).sort(byCodeUnit),
      labels: sortedByKey(c.Labels ?? {}),
      stopSignal: c.StopSignal ?? null,
      healthcheck: c.Healthcheck?.Test
        ? {
            test: c.Healthcheck.Test,
            interval: c.Healthcheck.Interval ?? null,
            timeout: c.Healthcheck.Timeout ?? null,
            retries: c.Healthcheck.Retries ?? null,
          }
        : null,
      shell: c.Shell ?? null,
      onBuild: c.OnBuild ?? [],
    },
    layers: layerRows,
    history: history.steps.map((s) => ({
      created: s.created ?? null,
      createdBy: s.createdBy,
      instruction: s.instruction,
      emptyLayer: s.emptyLayer,
      comment: s.comment ?? null,
      layerIndex: s.layerIndex ?? null,
    })),
    // An image with no layers (FROM scratch, then only LABEL or CMD) has none to attribute, unless its history
    // claims steps that made some.
    historyMatchesLayers: history.known || (layers.length === 0 && history.steps.every((s) => s.emptyLayer)),
    totals: { layers: layerRows.length, compressedBytes: layerRows.reduce((sum, l) => sum + l.compressedBytes, 0) },
  };
}

/**
 * Labels by key, as `docker inspect` and `skopeo inspect` show them (Go writes a map's keys sorted): a config lists
 * them in whatever order its builder did, which differs between two builds of the same Dockerfile. Sorted by code
 * unit, as Go compares strings, not by locale.
 */
function sortedByKey(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => byCodeUnit(a, b)));
}

/** Strings in the order Go compares them (by UTF-16 code unit here, the same for the ASCII keys images use). */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The string-valued entries of a manifest's annotations: the JSON is the registry's or the file's, unchecked. */
function stringEntries(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function expectedPlatform(
  config: { os?: string; architecture?: string; variant?: string },
  asked: string | undefined,
): InspectResult['expectedPlatform'] {
  if (!config.os && !config.architecture) return null;
  const actual = normalizePlatform({
    os: config.os ?? '',
    architecture: config.architecture ?? '',
    variant: config.variant,
  });
  if (asked !== undefined) {
    // Selection already refused an image that does not run on the asked platform; only an inexact match is left.
    const wanted = parsePlatform(asked);
    const exact =
      wanted.os === actual.os && wanted.architecture === actual.architecture && wanted.variant === actual.variant;
    return exact || !wanted.variant ? null : { platform: wanted, by: 'flag' };
  }
  const host = hostPlatform();
  // Docker Desktop runs Linux containers on macOS and Windows in a VM of the machine's architecture: only the
  // architecture tells whether such an image needs emulation there.
  // (hostPlatform says linux on every OS, so the real one is asked here.)
  const runs = platformMatches(process.platform === 'linux' ? host : { ...host, os: actual.os }, actual);
  return runs ? null : { platform: host, by: 'host' };
}

export async function inspect(options: InspectOptions): Promise<InspectResult> {
  const image = await openImage(options.image, options);
  try {
    return await describeImage(image, options.platform);
  } finally {
    await image.close();
  }
}
