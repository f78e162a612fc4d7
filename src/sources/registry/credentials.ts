// Where registry credentials come from, in the order Docker and Podman users expect: explicit flags, then
// ~/.docker/config.json ($DOCKER_CONFIG: credHelpers, credsStore, auths), then Podman's auth.json
// ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json).
// Secrets are returned to the caller only; no message built here ever contains one.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, SourceError } from '../../errors.js';
import { readSmallFile, type SmallFile } from '../../host-path.js';
import { readBounded } from '../../read-bounded.js';
import { DOCKER_HUB } from '../../image/reference.js';

export interface Credentials {
  username?: string;
  password?: string;
  /** A refresh token for the registry's token endpoint (Docker's `identitytoken`). */
  identityToken?: string;
  /** A bearer token used as is (Docker's `registrytoken`). */
  registryToken?: string;
  /** Where these came from, for messages ("~/.docker/config.json", "credential helper pass"). */
  origin: string;
}

/** The origin of credentials passed on the command line. */
export const FLAG_CREDENTIALS = '--username/--password-stdin';

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface AuthFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export interface CredentialOptions {
  username?: string;
  password?: string;
  /** Environment to read paths from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** How long a credential helper may run. */
  helperTimeoutMs?: number;
}

const HUB_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io',
  'https://index.docker.io/v1',
];

/** The host part of a config key, which may be `host`, `host:port`, or a URL such as `https://host/v1/`. */
function keyHost(key: string): string {
  const stripped = key.replace(/^[a-z]+:\/\//i, '');
  return stripped.split('/')[0].toLowerCase();
}

function matchesRegistry(key: string, registry: string): boolean {
  if (registry === DOCKER_HUB) return HUB_KEYS.includes(key) || HUB_KEYS.includes(keyHost(key));
  return keyHost(key) === registry.toLowerCase();
}

/** The server URL a credential helper is asked about: Docker uses this exact string for Hub. */
function helperServer(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

/**
 * Largest credential file read. `docker login` and `podman login` write a few KB (an entry per registry); a larger file
 * is not one, and was read whole (a 2 GB file took the memory of a pull).
 */
export const MAX_AUTH_FILE_BYTES = 1024 * 1024;

/**
 * The text of a small Docker or Podman file (`what` names it in messages: "the credential file"); undefined for one that
 * cannot be read or is a directory, which Docker passes over. A FIFO, a device or a file over the bound is refused
 * (exit 2, naming it): a FIFO hung the pull after a 401, a 2 GB file took the memory.
 */
export function readDockerFile(path: string, what = 'the credential file'): string | undefined {
  let read: SmallFile;
  try {
    read = readSmallFile(path, MAX_AUTH_FILE_BYTES);
  } catch {
    return undefined;
  }
  if ('text' in read) return read.text;
  if ('special' in read)
    throw new ConfigError(`${what} ${path} is ${read.special}, not a file`, {
      code: 'bad-auth-file',
      hint: 'it should be a JSON file that Docker or Podman writes: replace or remove it',
    });
  if ('tooLarge' in read)
    throw new ConfigError(
      `${what} ${path} is ${read.tooLarge} bytes, too large for one (limit ${MAX_AUTH_FILE_BYTES})`,
      {
        code: 'bad-auth-file',
        hint: 'real ones are a few KB, written by Docker or Podman: replace or remove it',
      },
    );
  return undefined;
}

function readAuthFile(path: string): AuthFile | undefined {
  const text = readDockerFile(path);
  // An empty file is no configuration, as the docker CLI reads it (its decoder's end of input is not an error).
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(text) as AuthFile;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON`, {
      code: 'bad-auth-file',
      cause: error,
      hint: 'fix the file or log in again (`docker login` rewrites it)',
    });
  }
}

function fromEntry(entry: AuthEntry, origin: string): Credentials | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken, origin };
  if (entry.registrytoken) return { registryToken: entry.registrytoken, origin };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new ConfigError(`the "auth" entry in ${origin} is not base64 of user:password`, {
        code: 'bad-auth-entry',
        hint: 'log in again with `docker login`',
      });
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), origin };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password, origin };
  return undefined;
}

function findEntry(
  auths: Record<string, AuthEntry> | undefined,
  registry: string,
  repository?: string,
): AuthEntry | undefined {
  if (!auths) return undefined;
  // A repository-scoped key (`host/org/repo`) beats the registry-wide one, as Podman allows.
  if (repository) {
    for (const key of Object.keys(auths)) {
      const bare = key.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
      if (bare === `${registry}/${repository}`) return auths[key];
    }
  }
  for (const [key, entry] of Object.entries(auths)) if (matchesRegistry(key, registry)) return entry;
  return undefined;
}

/** Most a credential helper may print: its answer is a username and a secret (tokens of a few KB) in JSON. */
export const MAX_HELPER_OUTPUT_BYTES = 1024 * 1024;

/** Runs `docker-credential-<name> get` (the docker-credential-helpers protocol). */
export async function runCredentialHelper(
  name: string,
  registry: string,
  timeoutMs = 20_000,
  env?: NodeJS.ProcessEnv,
): Promise<Credentials | undefined> {
  const program = `docker-credential-${name}`;
  const origin = `credential helper ${program}`;
  const { code, stdout, overflow, timedOut } = await new Promise<{
    code: number | null;
    stdout: string;
    overflow: boolean;
    timedOut: boolean;
  }>((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let overflow = false;
    let timedOut = false;
    // Its pipes closed too, here and below: a program it started (`sleep`, `yes` in a script) outlives the kill and
    // would hold them open, and the lookup with them.
    const stop = () => {
      child.stdout.destroy();
      child.stderr.destroy();
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    // Its answer is one small JSON object; a helper that prints without end (a loop, `yes`) took the memory until the
    // timeout. Past the bound it is stopped, and what it printed dropped. (Its stdout destroyed by a stop ends the
    // read with an error: nothing read then.)
    const output = readBounded(child.stdout, MAX_HELPER_OUTPUT_BYTES).then(
      (bytes) => {
        if (!bytes) {
          overflow = true;
          stop();
        }
        return bytes?.toString('utf8') ?? '';
      },
      () => '',
    );
    child.stderr.resume();
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new SourceError(
          `cannot run ${program} (configured in the Docker config for ${registry}): ${error.code ?? error.message}`,
          {
            code: error.code === 'ENOENT' ? 'credential-helper-missing' : 'credential-helper',
            cause: error,
            hint: `install ${program} on PATH or remove it from credHelpers/credsStore in config.json`,
          },
        ),
      );
    });
    child.on('close', (exit) => {
      clearTimeout(timer);
      void output.then((stdout) => resolve({ code: exit, stdout, overflow, timedOut }));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(helperServer(registry));
  });
  if (overflow) {
    throw new SourceError(
      `${program} printed over ${MAX_HELPER_OUTPUT_BYTES} bytes for ${registry}, more than any credentials; it was stopped`,
      {
        code: 'credential-helper',
        hint: `run \`echo ${helperServer(registry)} | ${program} get\` to see what it prints, or log in again`,
      },
    );
  }
  if (timedOut) {
    throw new SourceError(`${program} did not answer for ${registry} within ${timeoutMs / 1000}s; it was stopped`, {
      code: 'credential-helper',
      hint: `run \`echo ${helperServer(registry)} | ${program} get\` to see why, or log in again`,
    });
  }
  if (code !== 0) {
    if (/credentials not found/i.test(stdout)) return undefined;
    throw new SourceError(`${program} failed for ${registry} (exit ${code ?? 'killed'})`, {
      code: 'credential-helper',
      hint: `run \`echo ${helperServer(registry)} | ${program} get\` to see why, or log in again`,
    });
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(stdout) as { Username?: string; Secret?: string };
  } catch (error) {
    throw new SourceError(`${program} printed something that is not JSON for ${registry}`, {
      code: 'credential-helper',
      cause: error,
      hint: `run \`echo ${helperServer(registry)} | ${program} get\` to see what it prints, or log in again`,
    });
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === '<token>') return { identityToken: parsed.Secret, origin };
  return { username: parsed.Username, password: parsed.Secret, origin };
}

function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

function podmanAuthPaths(env: NodeJS.ProcessEnv): string[] {
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE];
  const paths: string[] = [];
  if (env.XDG_RUNTIME_DIR) paths.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  paths.push(join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'containers', 'auth.json'));
  return paths;
}

/**
 * The credential files that exist but cannot be read, such as a ~/.docker/config.json that `sudo docker login` left
 * owned by root. Like Docker, the lookup passes over them; a registry that then wants a login must say why.
 */
export async function unreadableAuthFiles(options: CredentialOptions = {}): Promise<{ path: string; code: string }[]> {
  const env = options.env ?? process.env;
  const unreadable: { path: string; code: string }[] = [];
  for (const path of new Set([dockerConfigPath(env), ...podmanAuthPaths(env)])) {
    // Opened, not read: whether it can be is the question (files too large or not regular were refused already).
    try {
      const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const directory = await handle.stat().then(
        (info) => info.isDirectory(),
        () => false,
      );
      await handle.close();
      if (directory) unreadable.push({ path, code: 'EISDIR' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push({ path, code: code ?? 'unreadable' });
    }
  }
  return unreadable;
}

/**
 * Finds credentials for a registry; undefined means "anonymous". A Podman auth file named with
 * REGISTRY_AUTH_FILE is consulted before Docker's config, since setting it is an explicit choice.
 */
export async function findCredentials(
  registry: string,
  repository: string | undefined,
  options: CredentialOptions = {},
): Promise<Credentials | undefined> {
  const env = options.env ?? process.env;
  if (options.username !== undefined || options.password !== undefined) {
    if (!options.username || options.password === undefined) {
      throw new ConfigError('--username and --password-stdin go together', {
        code: 'usage',
        hint: 'pass both, e.g. `echo "$TOKEN" | ballast inspect --username me --password-stdin docker://REF`',
      });
    }
    return { username: options.username, password: options.password, origin: FLAG_CREDENTIALS };
  }
  const explicitPodman = env.REGISTRY_AUTH_FILE;
  if (explicitPodman) {
    const file = readAuthFile(explicitPodman);
    const entry = findEntry(file?.auths, registry, repository);
    if (entry) return fromEntry(entry, explicitPodman);
  }
  const dockerPath = dockerConfigPath(env);
  const docker = readAuthFile(dockerPath);
  if (docker) {
    const helperKey = Object.keys(docker.credHelpers ?? {}).find((key) => matchesRegistry(key, registry));
    if (helperKey) return runCredentialHelper(docker.credHelpers![helperKey], registry, options.helperTimeoutMs, env);
    const entry = findEntry(docker.auths, registry, repository);
    if (docker.credsStore) {
      // A credsStore left behind by another setup (Docker Desktop's "desktop" on a server) must not block
      // anonymous pulls: a missing program counts as "no credentials there". A named credHelper still fails.
      const stored = await runCredentialHelper(docker.credsStore, registry, options.helperTimeoutMs, env).catch(
        (error: unknown) => {
          if (error instanceof SourceError && error.code === 'credential-helper-missing') return undefined;
          throw error;
        },
      );
      if (stored) return stored;
    }
    if (entry) {
      const found = fromEntry(entry, dockerPath);
      if (found) return found;
    }
  }
  if (!explicitPodman) {
    for (const path of podmanAuthPaths(env)) {
      const file = readAuthFile(path);
      const entry = findEntry(file?.auths, registry, repository);
      if (entry) return fromEntry(entry, path);
    }
  }
  return undefined;
}
