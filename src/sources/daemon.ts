// Images held by a local Docker Engine or Podman, through the Engine API (Podman's Docker-compatible socket).
// `GET /images/{name}/json` answers "is it there?" cheaply; `GET /images/{name}/get` streams the same
// archive `docker save` writes, which is spooled to a temp file (the archive reader needs to seek) and read
// by the docker-archive source. The temp file goes when the image is closed, or at exit.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readSmallFile } from '../host-path.js';
import { readBounded } from '../read-bounded.js';
import { BallastError, isPermissionDenied, restate, SourceError, UsageError } from '../errors.js';
import { jsonKind, stringListProblem } from '../image/manifest-shape.js';
import { formatPlatform, parsePlatform, platformMatches } from '../image/platform.js';
import type { Image, OpenOptions } from '../image/types.js';
import * as archive from './docker-archive.js';
import { tarFiles } from './files.js';
import * as layout from './oci-layout.js';
import { discardBody, isSlowBody, watchBodyRate } from './slow-body.js';
import { readDockerFile } from './registry/credentials.js';
import { isTempWriteError, spool } from './spool.js';
import { TarIndex } from './tar-index.js';

export type Engine = 'docker' | 'podman';

export interface DaemonOptions extends OpenOptions {
  engine?: Engine;
  /** `unix:///path`, `tcp://host:port`; default from DOCKER_HOST / CONTAINER_HOST, else the usual sockets. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** Per-request idle timeout, milliseconds. Default 30 s. */
  timeoutMs?: number;
  notice?: (message: string) => void;
}

export interface Endpoint {
  /** For messages: `unix:///run/docker.sock`. */
  describe: string;
  socketPath?: string;
  protocol?: 'http:' | 'https:';
  hostname?: string;
  port?: number;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  /** The folder the TLS files came from (DOCKER_CERT_PATH, ~/.docker or the context's), for messages. */
  certDir?: string;
  /** The TLS files that could not be read, when the daemon's certificate is to be verified. */
  unreadableCerts?: string[];
}

/**
 * What each engine's CLI makes of a daemon address, so that ballast reads one as docker or podman would: reading one
 * the CLI refuses would make ballast work where the engine's own CLI fails, and hide the mistake.
 */
const ADDRESSES: Record<
  Engine,
  {
    name: string;
    /** Whether an address has no scheme, as the CLI tells. */
    noScheme: (host: string) => boolean;
    /** What the CLI reads an address without a scheme as: tcp://ADDRESS, or nothing (it refuses it). */
    bare: 'tcp' | 'refused';
    /** The schemes the CLI takes, the two ballast reads first (the refusal says so); undefined: not checked here. */
    schemes?: readonly string[];
    /** Whether the CLI dials unix:/PATH (one slash) as the socket PATH. */
    unixOneSlash: boolean;
  }
> = {
  docker: {
    name: 'Docker',
    // The docker CLI prefixes tcp:// to a value without `://`: `/run/x.sock` becomes the API path of
    // tcp://localhost:2375, never that socket, so a path is refused with the fix; a bare host[:port] is tcp.
    noScheme: (host) => !host.includes('://'),
    bare: 'tcp',
    unixOneSlash: false,
  },
  podman: {
    name: 'Podman',
    // podman --remote refuses a value without a scheme (a path: '"" is not a supported schema'; host:port: 'not a
    // valid url').
    noScheme: (host) => host.startsWith('/') || /^[^/:]+(?::\d*)?$/.test(host),
    bare: 'refused',
    // podman --remote takes unix://, tcp:// and ssh:// only ('"http" is not a supported schema', podman 4.3.1), so
    // http:// is not taken as tcp://; it dials unix:/PATH (one slash) as the socket PATH.
    schemes: ['unix', 'tcp', 'ssh'],
    unixOneSlash: true,
  },
};

/**
 * `from` says where `host` came from (`DOCKER_HOST`, `CONTAINER_HOST`, a Docker context), so a bad one is blamed on
 * the place the user can fix; `socket` is the engine's socket file name, for the example in the hint.
 */
function parseHost(
  given: string,
  env: NodeJS.ProcessEnv,
  from: { where: string; socket: string; engine: Engine },
  context?: { tlsDir: string; skipVerify: boolean },
): Endpoint {
  const { name, noScheme, bare, schemes, unixOneSlash } = ADDRESSES[from.engine];
  let host = given;
  if (noScheme(host)) {
    const path = host.startsWith('/');
    if (bare === 'refused')
      throw new SourceError(`${from.where} "${host}" has no scheme, and ${name} refuses an address without one`, {
        code: 'bad-daemon-host',
        hint: `write ${path ? `unix://${host}` : `unix:///path/to/${from.socket} or tcp://${host}`} in ${from.where}`,
      });
    if (path)
      throw new SourceError(
        `${from.where} "${host}" has no scheme, so ${name} reads it as tcp://localhost:2375${host}, not as a socket`,
        { code: 'bad-daemon-host', hint: `write unix://${host} in ${from.where}` },
      );
    host = `tcp://${host}`;
  } else {
    if (unixOneSlash && /^unix:\/(?!\/)/.test(host)) return { describe: host, socketPath: host.slice('unix:'.length) };
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(host)?.[1];
    if (schemes && scheme !== undefined && !schemes.includes(scheme)) {
      const authority = /^[^:]+:\/\/([^/]+)/.exec(host)?.[1] ?? 'host:port';
      const taken = schemes.map((s) => `${s}://`);
      throw new SourceError(`${from.where} "${host}" has the scheme ${scheme}://, which ${name} refuses`, {
        code: 'bad-daemon-host',
        hint: `write unix:///path/to/${from.socket} or tcp://${authority} in ${from.where}: ${name} reads ${taken.slice(0, -1).join(', ')} and ${taken.at(-1)}, and ballast the first two`,
      });
    }
  }
  if (host.startsWith('unix://')) return { describe: host, socketPath: host.slice('unix://'.length) };
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(host.replace(/^tcp:/, 'http:'));
    } catch {
      throw unsupportedHost(given, from);
    }
    const contextTls = context !== undefined && existsSync(join(context.tlsDir, 'ca.pem'));
    const verify = contextTls ? !context.skipVerify : Boolean(env.DOCKER_TLS_VERIFY) && env.DOCKER_TLS_VERIFY !== '0';
    const useTls = verify || contextTls || host.startsWith('https://') || url.port === '2376';
    if (!useTls) return { describe: host, protocol: 'http:', hostname: url.hostname, port: Number(url.port || 2375) };
    const certPath = contextTls ? context.tlsDir : env.DOCKER_CERT_PATH || join(dockerConfigDir(env));
    const unreadable: string[] = [];
    // Opened without waiting and read to a bound (readSmallFile): a FIFO in the folder held the run in open() for
    // good, deaf to SIGINT. What is no small regular file is named with those that cannot be read.
    const read = (name: string): Buffer | undefined => {
      try {
        const file = readSmallFile(join(certPath, name), MAX_CERT_FILE_BYTES);
        if ('text' in file) return Buffer.from(file.text); // PEM: text
      } catch {
        // named below
      }
      unreadable.push(name);
      return undefined;
    };
    const tls = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), rejectUnauthorized: verify };
    return {
      describe: host,
      protocol: 'https:',
      hostname: url.hostname,
      port: Number(url.port || 2376),
      tls,
      certDir: certPath,
      // Without verification the files are optional (as for the docker CLI); with it, a missing one is the problem.
      unreadableCerts: verify && unreadable.length > 0 ? unreadable : undefined,
    };
  }
  throw unsupportedHost(given, from);
}

function unsupportedHost(host: string, from: { where: string; socket: string }): SourceError {
  return new SourceError(`unsupported daemon address "${host}" in ${from.where}`, {
    code: 'bad-daemon-host',
    hint: `use unix:///path/to/${from.socket} or tcp://host:port in ${from.where} (ssh:// and npipe:// are not supported)`,
  });
}

const DOCKER_FROM = { where: 'DOCKER_HOST', socket: 'docker.sock', engine: 'docker' } as const;
const PODMAN_FROM = { where: 'CONTAINER_HOST', socket: 'podman.sock', engine: 'podman' } as const;

function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/** A JSON file of Docker's; undefined when absent, unreadable or not JSON. `what` names it if refused (a FIFO). */
function readJsonFile<T>(path: string, what: string): T | undefined {
  const text = readDockerFile(path, what);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * The Docker endpoint as the docker CLI picks it: DOCKER_HOST, else the context named by DOCKER_CONTEXT or
 * config.json's currentContext (Docker Desktop, remote engines), else /var/run/docker.sock.
 */
function dockerEndpoint(env: NodeJS.ProcessEnv): Endpoint {
  if (env.DOCKER_HOST) return parseHost(env.DOCKER_HOST, env, DOCKER_FROM);
  const configDir = dockerConfigDir(env);
  const name =
    env.DOCKER_CONTEXT ||
    readJsonFile<{ currentContext?: string }>(join(configDir, 'config.json'), 'the Docker config')?.currentContext;
  if (name && name !== 'default') {
    const id = createHash('sha256').update(name).digest('hex');
    const meta = readJsonFile<{ Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }>(
      join(configDir, 'contexts', 'meta', id, 'meta.json'),
      'the Docker context file',
    );
    const host = meta?.Endpoints?.docker?.Host;
    if (!host) {
      throw new SourceError(`the Docker context "${name}" does not exist or has no Docker endpoint`, {
        code: 'docker-context',
        hint: 'list contexts with `docker context ls`, or set DOCKER_HOST',
      });
    }
    return parseHost(
      host,
      env,
      { where: `the Docker context "${name}"`, socket: 'docker.sock', engine: 'docker' },
      {
        tlsDir: join(configDir, 'contexts', 'tls', id, 'docker'),
        skipVerify: Boolean(meta?.Endpoints?.docker?.SkipTLSVerify),
      },
    );
  }
  return parseHost('unix:///var/run/docker.sock', env, DOCKER_FROM);
}

/** The endpoints to try for an engine, most specific first. */
export function daemonEndpoints(engine: Engine, options: { host?: string; env?: NodeJS.ProcessEnv } = {}): Endpoint[] {
  const env = options.env ?? process.env;
  if (options.host) return [parseHost(options.host, env, engine === 'docker' ? DOCKER_FROM : PODMAN_FROM)];
  if (engine === 'docker') return [dockerEndpoint(env)];
  if (env.CONTAINER_HOST) return [parseHost(env.CONTAINER_HOST, env, PODMAN_FROM)];
  const sockets: string[] = [];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'));
  sockets.push('/run/podman/podman.sock');
  return sockets.map((s) => ({ describe: `unix://${s}`, socketPath: s }));
}

function engineName(engine: Engine): string {
  return engine === 'podman' ? 'Podman' : 'the Docker daemon';
}

function call(endpoint: Endpoint, method: string, path: string, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const lib = endpoint.protocol === 'https:' ? https : http;
    const req = lib.request({
      method,
      path,
      socketPath: endpoint.socketPath,
      hostname: endpoint.socketPath ? 'localhost' : endpoint.hostname,
      port: endpoint.socketPath ? undefined : endpoint.port,
      // Over a unix socket the Host header is a placeholder; over TCP it (and TLS's server name) is the real host.
      headers: endpoint.socketPath ? { host: 'docker', 'user-agent': 'ballast' } : { 'user-agent': 'ballast' },
      ...(endpoint.tls ?? {}),
    });
    let response: IncomingMessage | undefined;
    req.setTimeout(timeoutMs, () => {
      const error = new Error(`no answer within ${timeoutMs / 1000}s`) as NodeJS.ErrnoException & {
        connected?: boolean;
      };
      error.code = 'ETIMEDOUT';
      // Whether the socket was open: a daemon that took the connection and stays silent is there, only stuck.
      error.connected = req.socket !== null && !req.socket.connecting;
      req.destroy(error);
      // A body that stops coming (an export stalled midway) would otherwise end in a bare "aborted": say it timed out.
      response?.destroy(error);
    });
    req.on('response', (res) => {
      response = res;
      res.socket?.setTimeout(timeoutMs);
      // A byte now and then resets the idle timeout: a daemon (or what listens in its place) dripping its answer
      // held the command long past --timeout. Cut as the registry client cuts such a body.
      watchBodyRate(res, timeoutMs);
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A PEM certificate or key is a few KB; a chain of many, tens. */
const MAX_CERT_FILE_BYTES = 1024 * 1024;

/**
 * Most of a daemon's answer read whole (an image's description, an error): they are kilobytes. What listens in a
 * daemon's place and streams without end was read into memory until the heap ran out.
 */
export const MAX_DAEMON_ANSWER_BYTES = 16 * 1024 * 1024;

/** An answer read whole, up to MAX_DAEMON_ANSWER_BYTES (`doing`: "describing app:1", for the message past that). */
async function readText(res: IncomingMessage, daemon: Daemon, doing: string): Promise<string> {
  const answer = await readBounded(res, MAX_DAEMON_ANSWER_BYTES);
  if (!answer)
    throw new SourceError(
      `${daemonName(daemon.engine, daemon.endpoint)} answered over ${MAX_DAEMON_ANSWER_BYTES} bytes ${doing}, more than the Engine API answers`,
      { code: 'daemon-bad-answer', hint: NOT_AN_ENGINE_HINT },
    );
  return answer.toString('utf8');
}

function daemonMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string };
    if (parsed.message) return parsed.message;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 200);
}

/** Image names go into the path as they are (the API accepts `/` and `:` in `{name}`), other characters encoded. */
function namePath(name: string): string {
  return name
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%3A/gi, ':').replace(/%40/g, '@'))
    .join('/');
}

/** A connected daemon: its endpoint and the API version prefix it speaks. */
export interface Daemon {
  engine: Engine;
  endpoint: Endpoint;
  prefix: string;
  timeoutMs: number;
}

/**
 * Whether a request failed in the TLS handshake: the daemon's certificate was not trusted (Node's verification codes:
 * DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...)
 * or the daemon refused ours (an OpenSSL alert: EPROTO, ERR_SSL_*). Such a daemon is there: it must not read as
 * "not running".
 */
function isTlsFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  return /CERT|^ERR_SSL|^ERR_TLS|^EPROTO$/.test(code);
}

/** Finds an engine that answers `/_ping`; undefined when none does within the timeout. */
export async function connectDaemon(
  engine: Engine,
  options: DaemonOptions & {
    pingTimeoutMs?: number;
    /** Told of each endpoint whose socket exists but may not be opened by this user (EACCES / EPERM). */
    onDenied?: (where: string) => void;
    /** Told of each TLS endpoint that answered but whose TLS handshake failed (see isTlsFailure). */
    onTlsFailure?: (endpoint: Endpoint, error: Error) => void;
    /** Told of each endpoint that accepted the connection but did not answer the ping in time. */
    onSilent?: (endpoint: Endpoint, timeoutMs: number) => void;
    /** Told of each endpoint that answered the ping with another HTTP status than 200. */
    onNotEngine?: (endpoint: Endpoint, status: number) => void;
  } = {},
): Promise<Daemon | undefined> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
  for (const endpoint of daemonEndpoints(engine, options)) {
    try {
      const res = await call(endpoint, 'GET', '/_ping', pingTimeoutMs);
      discardBody(res);
      if (res.statusCode !== 200) {
        options.onNotEngine?.(endpoint, res.statusCode ?? 0);
        continue;
      }
      const version = String(res.headers['api-version'] ?? '');
      return { engine, endpoint, prefix: /^\d+\.\d+$/.test(version) ? `/v${version}` : '', timeoutMs };
    } catch (error) {
      // Not there (no socket, refused, no answer): try the next endpoint.
      const code = (error as NodeJS.ErrnoException).code;
      if (isPermissionDenied(code)) options.onDenied?.(endpoint.describe);
      if (endpoint.protocol === 'https:' && isTlsFailure(error)) options.onTlsFailure?.(endpoint, error as Error);
      if (code === 'ETIMEDOUT' && (error as { connected?: boolean }).connected)
        options.onSilent?.(endpoint, pingTimeoutMs);
    }
  }
  return undefined;
}

/** A daemon that answered, but not over TLS ballast could trust: which certificate files, and where they belong. */
function tlsFailed(engine: Engine, endpoint: Endpoint, error: Error): SourceError {
  const where = daemonName(engine, endpoint);
  const dir = endpoint.certDir ?? 'DOCKER_CERT_PATH';
  const files = 'ca.pem (the CA that signed the daemon certificate), cert.pem and key.pem (your client certificate)';
  if (endpoint.unreadableCerts) {
    return new SourceError(
      `cannot verify ${where}: ${endpoint.unreadableCerts.join(', ')} cannot be read in ${dir} (${error.message})`,
      {
        code: 'daemon-tls',
        cause: error,
        hint: `point DOCKER_CERT_PATH at the folder holding ${files}`,
      },
    );
  }
  const untrusted = /CERT/.test((error as NodeJS.ErrnoException).code ?? '');
  return new SourceError(
    untrusted
      ? `${where} presented a certificate that is not trusted (${error.message})`
      : `the TLS handshake with ${where} failed (${error.message})`,
    {
      code: 'daemon-tls',
      cause: error,
      hint: `${dir} must hold ${files} for this daemon: point DOCKER_CERT_PATH at the right folder`,
    },
  );
}

function unreachable(engine: Engine, options: DaemonOptions): SourceError {
  const where = daemonEndpoints(engine, options)
    .map((e) => e.describe)
    .join(' or ');
  return new SourceError(`cannot reach ${engineName(engine)} at ${where}`, {
    code: 'daemon-unreachable',
    hint:
      engine === 'podman'
        ? 'start the API socket (`systemctl --user start podman.socket` or `podman system service`), or set CONTAINER_HOST'
        : 'start Docker or set DOCKER_HOST; to read from a registry instead use docker://REF or --source registry',
  });
}

/** `the Docker daemon at unix:///run/docker.sock`: which daemon, for messages. */
function daemonName(engine: Engine, endpoint: Endpoint): string {
  return `${engineName(engine)} at ${endpoint.describe}`;
}

/**
 * A failed exchange with a connected daemon (no answer within the timeout, a dropped connection) as one line naming
 * the daemon and what was being done: the request's own error ("no answer within 3s") names neither.
 */
function daemonFailed(daemon: Daemon, doing: string, error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ETIMEDOUT') {
    return new SourceError(
      isSlowBody(error)
        ? `${daemonName(daemon.engine, daemon.endpoint)} is too slow ${doing} (${(error as Error).message})`
        : `${daemonName(daemon.engine, daemon.endpoint)} did not answer within ${daemon.timeoutMs / 1000}s ${doing}`,
      {
        code: 'daemon-timeout',
        cause: error,
        hint: 'check that the daemon is running and not stuck, or raise --timeout',
      },
    );
  }
  return new SourceError(
    `${daemonName(daemon.engine, daemon.endpoint)} failed ${doing}: ${(error as Error)?.message ?? String(error)}`,
    {
      code: 'daemon-error',
      cause: error,
      hint: 'check that the daemon is running, and try again',
    },
  );
}

/** What to do about an error the daemon itself reported for an image (a 5xx with its message). */
function daemonErrorHint(daemon: Daemon, command: string): string {
  return `that is the daemon's own error: see whether \`${daemon.engine} ${command}\` fails too, and check the daemon's logs`;
}

/** The image's metadata (`/images/{name}/json`), or undefined when the daemon does not hold it. */
export async function inspectDaemonImage(daemon: Daemon, name: string): Promise<Record<string, unknown> | undefined> {
  const doing = `describing ${name}`;
  let res: IncomingMessage;
  let text: string;
  try {
    res = await call(daemon.endpoint, 'GET', `${daemon.prefix}/images/${namePath(name)}/json`, daemon.timeoutMs);
    text = await readText(res, daemon, doing);
  } catch (error) {
    throw daemonFailed(daemon, doing, error);
  }
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) {
    throw new SourceError(
      `${daemonName(daemon.engine, daemon.endpoint)} failed to describe ${name}: ${daemonMessage(text)}`,
      {
        code: 'daemon-error',
        hint: daemonErrorHint(daemon, `image inspect ${name}`),
      },
    );
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    meta = undefined;
  }
  // A 200 that is not a JSON object is no Engine API answer (a proxy's page, another service on the socket).
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new SourceError(
      `${daemonName(daemon.engine, daemon.endpoint)} answered the description of ${name} with something that is not a JSON object: ${JSON.stringify(text.trim().slice(0, 80))}`,
      { code: 'daemon-bad-answer', hint: NOT_AN_ENGINE_HINT },
    );
  }
  const problem = descriptionProblem(meta as Record<string, unknown>);
  if (problem) {
    throw new SourceError(
      `${daemonName(daemon.engine, daemon.endpoint)} answered the description of ${name} with a malformed image description: ${problem}`,
      {
        code: 'daemon-bad-answer',
        hint: `${NOT_AN_ENGINE_HINT}, and whether \`${daemon.engine} image inspect ${name}\` shows the same`,
      },
    );
  }
  return meta as Record<string, unknown>;
}

const NOT_AN_ENGINE_HINT = 'check that DOCKER_HOST (or CONTAINER_HOST) points at a Docker or Podman API socket';

/**
 * Why an image description (`/images/{name}/json`) is not one ballast can use, naming the field; undefined when it
 * is. The fields read are checked as an archive's manifest.json is: the Id and tags choose what is exported (a hex
 * name without an Id was exported by that name, which may be another image), the platform is compared and printed
 * (`"Os": 5` printed as `5/amd64`), and `{"toString": 1}` in either surfaced as a TypeError. Every Docker and Podman
 * answer has an Id; Config is read by no one here, but an answer with a wrong one is not an Engine API's.
 */
function descriptionProblem(meta: Record<string, unknown>): string | undefined {
  if (meta.Id === undefined || meta.Id === null || meta.Id === '') return 'it has no Id';
  if (typeof meta.Id !== 'string') return `Id is ${jsonKind(meta.Id)}, not a string`;
  for (const key of ['RepoTags', 'RepoDigests']) {
    const problem = stringListProblem(meta[key], key);
    if (problem) return problem;
  }
  for (const key of ['Os', 'Architecture', 'Variant']) {
    const field = meta[key];
    if (field !== undefined && field !== null && typeof field !== 'string')
      return `${key} is ${jsonKind(field)}, not a string`;
  }
  const config = meta.Config;
  if (config !== undefined && config !== null && (typeof config !== 'object' || Array.isArray(config)))
    return `Config is ${jsonKind(config)}, not an object`;
  return undefined;
}

/**
 * The platform (`linux/amd64`) of an image the daemon holds (its `inspectDaemonImage` metadata) when --platform asks
 * for another one; undefined when it matches, nothing was asked, or the daemon does not say.
 */
export function otherPlatform(meta: Record<string, unknown>, platform: string | undefined): string | undefined {
  if (!platform) return undefined;
  const actual = {
    os: String(meta.Os ?? ''),
    architecture: String(meta.Architecture ?? ''),
    variant: meta.Variant ? String(meta.Variant) : undefined,
  };
  if (!actual.os || !actual.architecture || platformMatches(parsePlatform(platform), actual)) return undefined;
  return formatPlatform(actual);
}

/**
 * An image ID as `docker images` shows it (12 hex characters) up to its full 64, or with its algorithm: what a bare
 * argument must be to be asked of the daemons as an ID.
 */
export const IMAGE_ID = /^(?:[a-f0-9]{12,64}|sha256:[a-f0-9]{64})$/;

/** A full image ID (64 hex characters, bare or `sha256:`): Docker refuses it as a repository name, so no registry has it. */
export const FULL_IMAGE_ID = /^(?:sha256:)?[a-f0-9]{64}$/;

/**
 * A hex word (any length, or after `sha256:`): the daemon reads it as a name first, then as an ID prefix, as
 * `docker image inspect` does, so it is passed as it is rather than given a tag.
 */
const ID_PREFIX = /^(?:sha256:)?[a-f0-9]+$/;

/**
 * The name to ask the daemon for: a repository without a tag or digest is REPO:latest, as `docker run` reads it.
 * Left alone, `/images/REPO/get` would export every tag of the repository, as `docker save REPO` does.
 */
function lookupName(name: string): string {
  const bare = !name.includes('@') && !name.slice(name.lastIndexOf('/') + 1).includes(':');
  return bare && !ID_PREFIX.test(name) ? `${name}:latest` : name;
}

/**
 * The name to export a described image by. A hex word the daemon resolved as an ID is exported by the full ID: as a
 * name without a tag it would export every tag of a repository so named. One it resolved as REPO:latest (a tag of it
 * in RepoTags) is exported by that tag, so the archive names the image.
 */
function exportName(asked: string, meta: Record<string, unknown>): string {
  if (!ID_PREFIX.test(asked) || asked.startsWith('sha256:')) return asked;
  const tags = Array.isArray(meta.RepoTags) ? meta.RepoTags.map(String) : [];
  const latest = `${asked}:latest`;
  if (tags.some((t) => t === latest || t === `docker.io/library/${latest}` || t === `localhost/${latest}`)) {
    return latest;
  }
  return typeof meta.Id === 'string' && meta.Id !== '' ? meta.Id : asked;
}

/** Opens an image held by the daemon, through its `docker save` export. */
export async function image(name: string, options: DaemonOptions = {}): Promise<Image> {
  const engine = options.engine ?? 'docker';
  const at = /^(.*)@(\d+)$/.exec(name);
  if (at) {
    // An archive's selector: the daemon would answer only "invalid reference format".
    const prefix = engine === 'podman' ? 'podman' : 'docker-daemon';
    // A reference with its tag or digest already names the image: `REF:TAG` of it would be a reference no daemon takes.
    const named = at[1].includes('@') || at[1].includes(':', at[1].lastIndexOf('/') + 1);
    throw new UsageError("@N numbers the images of an archive; a daemon's image is named by its tag, digest or ID", {
      code: 'bad-reference',
      hint: named
        ? `drop the @${at[2]}: ${prefix}:${at[1]}`
        : `name one, e.g. ${prefix}:${at[1]}:TAG; \`${engine} images ${at[1]}\` lists its tags`,
    });
  }
  const denied: string[] = [];
  let tlsFailure: { endpoint: Endpoint; error: Error } | undefined;
  let silent: { endpoint: Endpoint; timeoutMs: number } | undefined;
  let notEngine: { endpoint: Endpoint; status: number } | undefined;
  const daemon = await connectDaemon(engine, {
    ...options,
    onNotEngine: (endpoint, status) => (notEngine ??= { endpoint, status }),
    onDenied: (where) => denied.push(where),
    onTlsFailure: (endpoint, error) => (tlsFailure ??= { endpoint, error }),
    onSilent: (endpoint, timeoutMs) => (silent ??= { endpoint, timeoutMs }),
  });
  if (!daemon && denied.length > 0) {
    // Not "is it running?": it is there, and this user may not talk to it (not in the docker group, say).
    throw new SourceError(`permission denied opening ${denied.join(' and ')}, the socket of ${engineName(engine)}`, {
      code: 'daemon-denied',
      hint:
        engine === 'podman'
          ? 'use your own rootless socket (CONTAINER_HOST), or run as a user allowed on this one'
          : 'add your user to the docker group (then log in again), or point DOCKER_HOST at a daemon you may use',
    });
  }
  if (!daemon && tlsFailure) throw tlsFailed(engine, tlsFailure.endpoint, tlsFailure.error);
  if (!daemon && silent) {
    // Not "cannot reach ... start Docker": something listens there, it just does not speak (a stuck or starting
    // daemon, or an address that is not an Engine API socket).
    throw new SourceError(
      `${daemonName(engine, silent.endpoint)} accepted the connection but did not answer within ${silent.timeoutMs / 1000}s`,
      {
        code: 'daemon-silent',
        hint: `the daemon may be starting or stuck: check it (\`${engine} info\`, its logs) and try again, or check that ${engine === 'podman' ? 'CONTAINER_HOST' : 'DOCKER_HOST'} points at its API socket`,
      },
    );
  }
  if (!daemon && notEngine) {
    // Not "cannot reach ... start Docker": something answered HTTP there. A 5xx is a daemon failing its own health
    // check; anything else (a web server's 404, a registry) is no Engine API, so the address is what to fix.
    const variable = engine === 'podman' ? 'CONTAINER_HOST' : 'DOCKER_HOST';
    const failing = notEngine.status >= 500;
    throw new SourceError(
      `${daemonName(engine, notEngine.endpoint)} answered /_ping with HTTP ${notEngine.status}${failing ? '' : ', as no Docker or Podman API does'}`,
      {
        code: 'daemon-bad-answer',
        hint: failing
          ? `the daemon reports itself unhealthy: check it (\`${engine} info\`, its logs) and try again`
          : `check that ${variable} points at the API socket of ${engine === 'podman' ? 'Podman' : 'Docker'}`,
      },
    );
  }
  if (!daemon) throw unreachable(engine, options);
  return imageFromDaemon(daemon, name, options);
}

export async function imageFromDaemon(daemon: Daemon, typed: string, options: DaemonOptions = {}): Promise<Image> {
  // Named as typed, so that the report's reference reads the same image again.
  const describe = `${daemon.engine === 'podman' ? 'podman' : 'docker-daemon'}:${typed}`;
  const name = lookupName(typed);
  const meta = await inspectDaemonImage(daemon, name);
  if (!meta) {
    throw new SourceError(`${engineName(daemon.engine)} (${daemon.endpoint.describe}) has no image ${name}`, {
      code: 'image-not-found',
      hint: `pull it first (\`${daemon.engine} pull ${name}\`), or read it from its registry with docker://${name}`,
    });
  }
  // Checked on the metadata, before exporting what may be gigabytes.
  const actual = otherPlatform(meta, options.platform);
  if (actual) {
    // Named in full, as the image's platform is (`linux/arm64`, not the `arm64` typed).
    const wanted = formatPlatform(parsePlatform(options.platform!));
    throw new UsageError(`${engineName(daemon.engine)} holds ${name} for ${actual}, not ${wanted}`, {
      code: 'platform-not-found',
      hint: `pull that platform first (\`${daemon.engine} pull --platform ${wanted} ${name}\`), or read it from its registry with docker://${name}`,
    });
  }
  // Exported by the name asked for, so the archive's RepoTags carry the tag the user asked for.
  const exported = exportName(name, meta);
  const exporting = `exporting ${name}`;
  const res = await call(
    daemon.endpoint,
    'GET',
    `${daemon.prefix}/images/${namePath(exported)}/get`,
    daemon.timeoutMs,
  ).catch((error: unknown) => {
    throw daemonFailed(daemon, exporting, error);
  });
  if (res.statusCode !== 200) {
    const text = await readText(res, daemon, exporting).catch((error: unknown) => {
      throw daemonFailed(daemon, exporting, error);
    });
    if (res.statusCode === 404) {
      // It was there a moment ago when described: removed or re-tagged since (a prune, a CI cleanup), not a daemon fault.
      throw new SourceError(
        `${daemonName(daemon.engine, daemon.endpoint)} no longer holds ${name}: it was removed while being read (${daemonMessage(text)})`,
        {
          code: 'image-not-found',
          hint: `check that nothing removes or re-tags ${name} meanwhile (\`${daemon.engine} image prune\`, a cleanup job), then try again`,
        },
      );
    }
    throw new SourceError(
      `${daemonName(daemon.engine, daemon.endpoint)} failed to export ${name}: ${daemonMessage(text)}`,
      {
        code: 'daemon-error',
        hint: daemonErrorHint(daemon, `save ${name}`),
      },
    );
  }
  const spooled = await spool(res, 'image.tar').catch((error: unknown) => {
    if (isTempWriteError(error)) throw error;
    if ((error as NodeJS.ErrnoException | null)?.code === 'ETIMEDOUT') throw daemonFailed(daemon, exporting, error);
    throw new SourceError(`exporting ${name} from ${engineName(daemon.engine)} failed: ${(error as Error).message}`, {
      code: 'daemon-export',
      cause: error,
      // A connection that ends early is the daemon going away; anything else is most likely the temp disk.
      hint: /aborted|ECONNRESET|socket hang up|premature/i.test((error as Error).message)
        ? `${engineName(daemon.engine)} stopped answering mid-export; check that it is running and try again`
        : 'check free space in the temp directory (TMPDIR) and try again',
    });
  });
  try {
    const index = await TarIndex.build(spooled.path, describe);
    const files = tarFiles(index, describe);
    const entries = await archive.readArchiveManifest(files);
    if (entries?.length === 0) {
      throw new SourceError(
        `${daemonName(daemon.engine, daemon.endpoint)} exported ${name} as an archive of no image`,
        {
          code: 'bad-manifest',
        },
      );
    }
    // Named by the daemon whatever the archive's format, as the reference (`docker-daemon:NAME`) is.
    const source = daemon.engine === 'podman' ? 'podman' : 'docker-daemon';
    if (entries) return await archive.image(files, entries, { ...options, source, close: spooled.remove });
    // No manifest.json: an OCI archive. Docker and Podman both answer this (compat) export with a docker-archive,
    // Podman even when asked `format=oci-archive` (only its libpod API gives one), so no daemon known sends this.
    return await layout.image(files, { ...options, source, close: spooled.remove });
  } catch (error) {
    await spooled.remove();
    // The archive's own hint ("save the image again") is for a file the user saved; this one the daemon just wrote.
    if (error instanceof BallastError && error.code === 'bad-manifest') {
      throw restate(error, {
        hint: `Docker and Podman export no such archive: see whether \`${daemon.engine} save ${name}\` writes the same, and ${NOT_AN_ENGINE_HINT}`,
      });
    }
    throw error;
  }
}
