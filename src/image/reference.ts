// Image references with Docker's grammar: `[domain/]path[:tag][@digest]`.
// `node` is `docker.io/library/node:latest`; the first path component is a registry host only when it has a
// `.` or a `:`, is `localhost`, or has an uppercase letter. Docker Hub's API lives on registry-1.docker.io.
import { UsageError } from '../errors.js';

export interface Reference {
  /** Registry as named (`docker.io`, `localhost:5000`, `ghcr.io`). */
  registry: string;
  /** Repository path inside the registry (`library/node`). */
  repository: string;
  /** Tag; `latest` when neither a tag nor a digest was given; undefined when a digest was given. */
  tag?: string;
  digest?: string;
  /**
   * The tag written beside a digest (`node:20.11.1@sha256:…`, as Renovate and Dependabot pin): not pulled (the digest
   * decides), but the version and name the user knows the image by.
   */
  writtenTag?: string;
}

export const DOCKER_HUB = 'docker.io';
const MAX_NAME_LENGTH = 255;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HOST =
  /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::\d+)?$/;

function invalid(text: string, why: string): UsageError {
  return new UsageError(`invalid image reference "${text}": ${why}`, {
    code: 'bad-reference',
    hint: 'use [registry/]repository[:tag][@sha256:digest], for example node:20, ghcr.io/org/app:1.2 or localhost:5000/app',
  });
}

function isRegistryComponent(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component !== component.toLowerCase()
  );
}

/**
 * Whether a reference carries `user:password@` before its registry, as a URL would: a digest never holds a '/',
 * and the part before a digest always has one (or is a bare name).
 */
function hasCredentials(text: string): boolean {
  const at = text.indexOf('@');
  return at >= 0 && !text.slice(0, at).includes('/') && text.slice(at + 1).includes('/');
}

/**
 * The `scheme://` that begins a URL or a source-prefixed image argument (`docker://`, `http://`), or '' when there is
 * none: image arguments and --insecure-registry values both drop it the same way.
 */
export function schemePrefix(text: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
}

/**
 * The image argument as messages may show it: a `user:password@` before the registry (and a source prefix such as
 * `docker://`) is replaced by `…@`, so a password typed into a reference is never printed.
 */
export function withoutCredentials(argument: string): string {
  const scheme = schemePrefix(argument);
  const rest = argument.slice(scheme.length);
  return hasCredentials(rest) ? `${scheme}…@${rest.slice(rest.indexOf('@') + 1)}` : argument;
}

/** Parses a reference exactly as Docker does (distribution/reference's ParseNormalizedNamed). */
/** A reference split at the digest it ends with (`host/app@sha256:…`: `host/app` and `sha256:…`); none, the whole. */
export function splitDigest(reference: string): { name: string; digest?: string } {
  const at = reference.lastIndexOf('@');
  const digest = reference.slice(at + 1);
  return at >= 0 && DIGEST.test(digest) ? { name: reference.slice(0, at), digest } : { name: reference };
}

export function parseReference(input: string): Reference {
  const text = input.trim();
  if (text === '') throw invalid(input, 'it is empty');
  if (/^[a-f0-9]{64}$/.test(text)) throw invalid(text, 'a 64-character hex string is an image ID, not a name');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (hasCredentials(rest)) {
    throw new UsageError(
      `invalid image reference "${withoutCredentials(rest)}": it holds a user name or password before the registry`,
      {
        code: 'credentials-in-reference',
        hint: 'leave them out of the reference: log in with `docker login`, or pass --username and --password-stdin',
      },
    );
  }
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(text, `"${digest}" is not a digest (algorithm:hex)`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw invalid(text, 'a sha256 digest has 64 lowercase hex characters');
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(text, `"${tag}" is not a valid tag`);
  }
  if (rest === '') throw invalid(text, 'it has no repository name');
  let registry = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && isRegistryComponent(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    if (!HOST.test(registry)) throw invalid(text, `"${registry}" is not a valid registry host`);
    // The grammar takes any digits as a port; one outside 1-65535 could never be connected to (and fails deep in
    // URL parsing as a bare "Invalid URL").
    const port = /:(\d+)$/.exec(registry)?.[1];
    if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) {
      throw invalid(text, `${port} is not a port (ports are 1 to 65535)`);
    }
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  const components = path.split('/');
  for (const component of components) {
    if (!PATH_COMPONENT.test(component.toLowerCase()))
      throw invalid(text, `"${component}" is not a valid path component`);
  }
  if (path !== path.toLowerCase()) throw invalid(text, 'repository names must be lowercase');
  if (registry === DOCKER_HUB && components.length === 1) path = `library/${path}`;
  if (`${registry}/${path}`.length > MAX_NAME_LENGTH)
    throw invalid(text, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  // With both a tag and a digest, the digest decides what is pulled (Docker drops the tag).
  if (!tag && !digest) tag = 'latest';
  if (digest)
    return tag ? { registry, repository: path, digest, writtenTag: tag } : { registry, repository: path, digest };
  return { registry, repository: path, tag, digest };
}

/** `docker.io/library/node:20`: the fully qualified name. */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `node:20`: the form Docker shows (no `docker.io/`, no `library/`). */
export function familiarName(ref: Reference): string {
  let name = `${ref.registry}/${ref.repository}`;
  if (ref.registry === DOCKER_HUB) {
    name =
      ref.repository.startsWith('library/') && ref.repository.split('/').length === 2
        ? ref.repository.slice(8)
        : ref.repository;
  }
  return `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host that serves the registry API: Docker Hub's is registry-1.docker.io. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** The manifest to ask for: the digest when there is one, else the tag. */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
