// Images that live in a registry or a daemon: `docker://REF`, `docker-daemon:REF`, `podman:REF`, and bare
// references, which go to the Docker daemon when one answers and holds the image, else to the registry.
import { BallastError, restate, SourceError } from '../errors.js';
import { isIndexType } from '../image/media-types.js';
import { familiarName, manifestReference, parseReference } from '../image/reference.js';
import type { Image, OpenOptions } from '../image/types.js';
import * as daemon from './daemon.js';
import { BlobCache, cacheMaxBytesFromEnv, defaultCacheDir } from './registry/cache.js';
import { RegistryClient, type ClientOptions } from './registry/client.js';
import { openRegistryImage } from './registry/image.js';

export interface RemoteOptions extends OpenOptions {
  engine?: 'docker' | 'podman';
  /** Registry credentials given on the command line (`--username`, `--password-stdin`). */
  username?: string;
  password?: string;
  /** Registries (`host[:port]`) reachable over plain HTTP or with unverified TLS. */
  insecureRegistries?: string[];
  /** Per-request timeout for registries and daemons, in milliseconds. */
  timeoutMs?: number;
  /** Skip the blob cache. */
  noCache?: boolean;
  /** Blob cache folder; default `$XDG_CACHE_HOME/ballast`. */
  cacheDir?: string;
  cacheMaxBytes?: number;
  /** Daemon address (`unix://…`, `tcp://…`); default DOCKER_HOST / CONTAINER_HOST. */
  daemonHost?: string;
  /** Environment for credential and socket lookup (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  notice?: (message: string) => void;
}

function cacheFor(options: RemoteOptions): BlobCache | undefined {
  if (options.noCache) return undefined;
  const env = options.env ?? process.env;
  const maxBytes = options.cacheMaxBytes ?? cacheMaxBytesFromEnv(env);
  return new BlobCache(options.cacheDir ?? defaultCacheDir(env), maxBytes, options.notice);
}

function clientOptions(options: RemoteOptions): ClientOptions {
  return {
    username: options.username,
    password: options.password,
    insecureRegistries: options.insecureRegistries,
    timeoutMs: options.timeoutMs,
    env: options.env,
    cache: cacheFor(options),
    notice: options.notice,
  };
}

export async function registryImage(reference: string, options: RemoteOptions): Promise<Image> {
  const ref = parseReference(reference.replace(/^\/\//, ''));
  return openRegistryImage(ref, { ...clientOptions(options), platform: options.platform, verify: options.verify });
}

/**
 * The digest `REF` names today (an index's when it is one), from its manifest alone: no config or layer is read, for
 * telling whether two tags are one image.
 */
export async function registryManifestDigest(
  reference: string,
  options: RemoteOptions,
): Promise<{ digest: string; listed: string[] }> {
  const ref = parseReference(reference.replace(/^\/\//, ''));
  const client = new RegistryClient(ref.registry, ref.repository, clientOptions(options));
  const fetched = await client.manifest(manifestReference(ref));
  // An index's manifests too: a tag pushed as an index and another pushed as one of its platform manifests are one
  // image for that platform, though their own digests differ.
  let listed: string[] = [];
  if (isIndexType(fetched.mediaType)) {
    const manifests = (JSON.parse(fetched.raw.toString('utf8')) as { manifests?: { digest?: unknown }[] }).manifests;
    listed = (Array.isArray(manifests) ? manifests : [])
      .map((m) => m?.digest)
      .filter((d): d is string => typeof d === 'string');
  }
  return { digest: fetched.digest, listed };
}

/** Every tag of a registry repository (`REF`'s tag is ignored), page by page. */
export async function registryTags(
  reference: string,
  options: RemoteOptions & { pageSize?: number; limit?: number },
): Promise<{ tags: string[]; pages: number; truncated: boolean }> {
  const ref = parseReference(reference.replace(/^\/\//, ''));
  const client = new RegistryClient(ref.registry, ref.repository, clientOptions(options));
  return client.listTags({ pageSize: options.pageSize, limit: options.limit });
}

function daemonOptions(options: RemoteOptions): daemon.DaemonOptions {
  return {
    platform: options.platform,
    verify: options.verify,
    engine: options.engine,
    host: options.daemonHost,
    env: options.env,
    timeoutMs: options.timeoutMs,
    notice: options.notice,
  };
}

export async function daemonImage(reference: string, options: RemoteOptions): Promise<Image> {
  if (reference.trim() === '') {
    throw new SourceError('no image name after the transport', {
      code: 'usage',
      hint: `for example ${options.engine === 'podman' ? 'podman' : 'docker-daemon'}:node:20`,
    });
  }
  return daemon.image(reference.trim(), daemonOptions(options));
}

/**
 * A bare reference: the local Docker daemon when it answers and holds the image, then Podman's, else the
 * registry. A daemon that does not answer within a moment is skipped, never waited for, and the user is told so
 * (when it is then read from the registry, or that fails, the daemon may well have held it).
 */
export async function referenceImage(reference: string, options: RemoteOptions): Promise<Image> {
  // An image ID (IMAGE ID of `docker images`) is asked of the daemons as it is, not as a Hub name's :latest, as
  // `docker run` and dive take it. The daemons come first for every bare reference already, so a daemon holding the
  // ID wins over a Docker Hub repository spelled with 12 to 63 hex characters, which is possible but far less likely
  // what was meant; only when no daemon has it is such a word looked up as that repository.
  const id = daemon.IMAGE_ID.test(reference.trim()) ? reference.trim() : undefined;
  const name = id ?? familiarName(parseReference(reference)); // validates before any I/O
  const asked: Asked[] = [];
  // A full ID is no name Docker would pull, so no registry is asked for one.
  const toRegistry = !(id && daemon.FULL_IMAGE_ID.test(id));
  for (const engine of ['docker', 'podman'] as const) {
    const engineName = engine === 'docker' ? 'the Docker daemon' : 'Podman';
    let silent: string | undefined;
    const local = await daemon.connectDaemon(engine, {
      ...daemonOptions(options),
      pingTimeoutMs: 2_000,
      onSilent: (endpoint, timeoutMs) => {
        silent ??= `${engineName} (${endpoint.describe})`;
        options.notice?.(
          `${engineName} at ${endpoint.describe} accepted the connection but did not answer within ${timeoutMs / 1000}s; not asking it for ${name}`,
        );
      },
    });
    if (!local) {
      if (silent) asked.push({ engine, what: silent, silent: true });
      continue;
    }
    const what = `${engineName} (${local.endpoint.describe})`;
    // A daemon that answered with what no Engine API sends (a description without an Id, not JSON) is reported as
    // `docker-daemon:NAME` reports it: read as "not held", the name went on to the registry, whose error (or, worse,
    // an image of the same name) hid the broken answer. Other failures (a 5xx, a timeout) still fall through.
    const meta = await daemon.inspectDaemonImage(local, name).catch((error: unknown) => {
      if (error instanceof BallastError && error.code === 'daemon-bad-answer') throw error;
      return undefined;
    });
    // Holding the name for another platform than --platform asks is not holding the image: as `docker run
    // --platform` pulls the platform it lacks, the registry's copy is the one wanted.
    const other = meta && daemon.otherPlatform(meta, options.platform);
    if (meta && !other) {
      options.notice?.(`reading ${name} from ${what}${id ? '' : `; use docker://${name} for the registry's copy`}`);
      return daemon.imageFromDaemon(local, name, { ...daemonOptions(options), engine });
    }
    if (other && toRegistry) options.notice?.(`${what} holds ${name} for ${other} only; reading it from its registry`);
    asked.push({ engine, what, other });
  }
  if (!toRegistry) throw idNotInDaemons(id!, asked);
  try {
    return await registryImage(reference, options);
  } catch (error) {
    throw notInDaemonsEither(error, name, asked);
  }
}

/**
 * A daemon asked for a bare reference: it did not hold it, (`other`) held it only for another platform, or
 * (`silent`) accepted the connection but did not answer.
 */
interface Asked {
  engine: 'docker' | 'podman';
  what: string;
  other?: string;
  silent?: boolean;
}

/** Registry answers that mean "not here" or "not reachable", where the daemons' miss is the rest of the story. */
const ABSENT_CODES = new Set([
  'repository-not-found',
  'manifest-unknown',
  'unauthorized',
  'denied',
  'connection-refused',
  'dns',
  'timeout',
  'platform-not-found',
]);

/**
 * A bare reference that no daemon held and the registry could not give: the registry's error alone reads as if the
 * registry were the only place looked, which misleads about a locally built image whose name is mistyped (and on
 * Docker Hub a missing repository answers "log in"). The line says the daemons were asked too.
 */
function notInDaemonsEither(error: unknown, name: string, asked: Asked[]): unknown {
  if (asked.length === 0 || !(error instanceof BallastError) || !ABSENT_CODES.has(error.code)) return error;
  const missing = missingFrom(asked, name, ' either');
  const lists = howToList(asked, 'images', "the daemon's images", "Podman's images", 'what the daemons hold');
  return restate(error, {
    message: `${error.message}, and ${missing}`,
    hint: error.hint && lists ? `${error.hint}; ${lists}` : (error.hint ?? lists),
  });
}

/** What the daemons asked for `name` answered, as a clause: `the Docker daemon (…) has no image NAME[ either]`. */
function missingFrom(asked: Asked[], name: string, either: string): string {
  return asked.some((a) => a.other || a.silent)
    ? asked
        .map((a) =>
          a.silent
            ? `${a.what} did not answer`
            : a.other
              ? `${a.what} holds ${name} for ${a.other} only`
              : `${a.what} has no image ${name}`,
        )
        .join(', and ')
    : asked.length === 1
      ? `${asked[0]!.what} has no image ${name}${either}`
      : `neither ${asked[0]!.what} nor ${asked[1]!.what} has an image ${name}`;
}

/**
 * How to list what the daemons that answered without the image hold (`docker images` lists the daemon's images).
 * Only a daemon that answered without the name is worth listing: one holding it for another platform had the name
 * right, and a silent one cannot list anything.
 */
function howToList(asked: Asked[], command: string, docker: string, podman: string, both: string): string | undefined {
  const listed = asked.filter((a) => !a.other && !a.silent);
  if (listed.length === 0) return undefined;
  if (listed.length === 1)
    return `\`${listed[0]!.engine} ${command}\` lists ${listed[0]!.engine === 'docker' ? docker : podman}`;
  return `\`docker ${command}\` and \`podman ${command}\` list ${both}`;
}

/** A full image ID that no daemon held: no registry has such a name, so the daemons asked are the whole story. */
function idNotInDaemons(id: string, asked: Asked[]): SourceError {
  const only = 'an image ID is looked up in the local daemons only';
  if (asked.length === 0) {
    return new SourceError(`cannot look up the image ID ${id}: neither the Docker daemon nor Podman answers`, {
      code: 'daemon-unreachable',
      hint: `start Docker or set DOCKER_HOST (for Podman, CONTAINER_HOST); ${only}`,
    });
  }
  const lists = howToList(
    asked,
    'images --no-trunc',
    "the daemon's image IDs",
    "Podman's image IDs",
    'their image IDs',
  );
  return new SourceError(missingFrom(asked, id, ''), {
    code: 'image-not-found',
    hint: lists ? `${only}; ${lists}` : only,
  });
}
