// An OCI distribution client for pulling: manifests, blobs and tags of one repository.
// Node's http/https with manual redirects (Authorization is dropped when the host changes), Bearer and
// Basic auth from the registry's challenge, retries with backoff on 5xx, 429 (Retry-After) and dropped
// connections, and blob downloads that resume with Range after a cut. HTTPS unless the host is loopback
// or named with --insecure-registry. Nothing here ever puts a secret into a message.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { SourceError } from '../../errors.js';
import { sha256, shortDigest } from '../../image/digest.js';
import { manifestAcceptTypes } from '../../image/media-types.js';
import { registryApiHost } from '../../image/reference.js';
import type { Descriptor } from '../../image/types.js';
import { basicHeader, parseChallenges, parseTokenResponse, pullScope, tokenRequest, type Challenge } from './auth.js';
import type { BlobCache } from './cache.js';
import { findCredentials, type CredentialOptions, type Credentials } from './credentials.js';
import { readHead } from '../../image/streams.js';

export interface ClientOptions extends CredentialOptions {
  /** Hosts (`host[:port]`) that may be reached over plain HTTP or with unverified TLS. */
  insecureRegistries?: string[];
  /** How long a request may wait for the server (connect or idle), in milliseconds. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per request on 5xx, 429 and dropped connections. Default 5. */
  attempts?: number;
  /** First backoff delay; doubles per attempt. Default 500 ms. */
  backoffMs?: number;
  /** Longest wait a Retry-After header may ask for. Default 60 s. */
  maxRetryAfterMs?: number;
  cache?: BlobCache;
  /** Progress / retry notes for the user (stderr). */
  notice?: (message: string) => void;
}

export interface FetchedManifest {
  raw: Buffer;
  mediaType: string;
  digest: string;
}

interface Response {
  res: IncomingMessage;
  url: URL;
}

const USER_AGENT = 'ballast';
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
const MAX_SMALL_BODY = 16 * 1024 * 1024;

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function hostOf(registry: string): string {
  return new URL(`http://${registry}`).hostname;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Waits until a writable drains or closes, leaving no listener behind. */
function drained(stream: PassThrough): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

async function readBody(res: IncomingMessage, limit = MAX_SMALL_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of res) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      res.destroy();
      throw new SourceError(`a response from the registry is larger than ${limit} bytes`, { code: 'response-too-large' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The `mediaType` a manifest declares in its body ('' when it has none). */
function declaredMediaType(raw: Buffer): string {
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : '';
  } catch {
    return '';
  }
}

/** The registry's error codes (`MANIFEST_UNKNOWN`, ...) from a JSON error body. */
function registryErrors(body: Buffer): { code?: string; message?: string }[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    return Array.isArray(parsed.errors) ? parsed.errors : [];
  } catch {
    return [];
  }
}

/**
 * The path and query of the `rel="next"` link of a paginated listing (RFC 8288), as the distribution spec sends
 * it: `</v2/name/tags/list?n=100&last=x>; rel="next"`.
 */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return undefined;
  for (const part of text.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match || !/(^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2])) continue;
    let url: URL;
    try {
      url = new URL(match[1], 'http://registry.invalid');
    } catch {
      return undefined;
    }
    // Only the path is kept: the next page is asked of the same registry, never of a host a header names.
    return url.pathname.startsWith('/v2/') ? `${url.pathname}${url.search}` : undefined;
  }
  return undefined;
}

export class RegistryClient {
  readonly host: string;
  private scheme: 'https' | 'http' | undefined;
  private readonly httpAllowed: boolean;
  private credentials: Promise<Credentials | undefined> | undefined;
  private bearer: { token: string; expiresAtMs: number } | undefined;
  private useBasic = false;
  private secureContext: SecureContext | null | undefined;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly options: ClientOptions = {},
  ) {
    this.host = registryApiHost(registry);
    const listed = (options.insecureRegistries ?? []).map((h) => h.toLowerCase());
    this.httpAllowed = isLoopback(hostOf(this.host)) || listed.includes(this.host.toLowerCase()) || listed.includes(hostOf(this.host));
  }

  /**
   * The TLS context, built once per client: Node's roots plus SSL_CERT_FILE (honoured as OpenSSL-based tools
   * do) and NODE_EXTRA_CA_CERTS (which Node itself stops adding once a CA list is given). Null: Node's defaults.
   */
  private tlsContext(): SecureContext | null {
    if (this.secureContext !== undefined) return this.secureContext;
    const env = this.options.env ?? process.env;
    const certFile = env.SSL_CERT_FILE;
    if (!certFile) return (this.secureContext = null);
    const read = (path: string, variable: string): string => {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        throw new SourceError(`cannot read the CA certificates in ${variable} (${path})`, {
          code: 'ca-file',
          cause: error,
          hint: `point ${variable} at a readable PEM file, or unset it`,
        });
      }
    };
    const ca = [...rootCertificates, read(certFile, 'SSL_CERT_FILE')];
    if (env.NODE_EXTRA_CA_CERTS) ca.push(read(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS'));
    return (this.secureContext = createSecureContext({ ca }));
  }

  private timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  private creds(): Promise<Credentials | undefined> {
    return (this.credentials ??= findCredentials(this.registry, this.repository, this.options));
  }

  /** Whether the user named this URL's host with --insecure-registry. */
  private listedInsecure(url: URL): boolean {
    const listed = (this.options.insecureRegistries ?? []).map((h) => h.toLowerCase());
    return listed.includes(url.host.toLowerCase()) || listed.includes(url.hostname.toLowerCase());
  }

  /** Whether plain HTTP is allowed for this URL's host. */
  private allowsHttp(url: URL): boolean {
    return isLoopback(url.hostname) || this.listedInsecure(url);
  }

  private describe(url: URL): string {
    return `${url.host}${url.pathname}`;
  }

  /** One HTTP exchange, no retries, no redirects. */
  private exchange(method: string, url: URL, headers: OutgoingHttpHeaders, body?: string): Promise<IncomingMessage> {
    if (url.protocol === 'http:' && !this.allowsHttp(url)) {
      return Promise.reject(
        new SourceError(`refusing plain HTTP to ${url.host}`, {
          code: 'insecure-url',
          hint: `pass --insecure-registry ${url.host} if this registry really has no TLS`,
        }),
      );
    }
    const lib = url.protocol === 'https:' ? https : http;
    // Loopback may fall back to plain HTTP, but a certificate is only left unchecked for hosts named insecure.
    let tlsOptions = {};
    try {
      const context = url.protocol === 'https:' ? this.tlsContext() : null;
      if (url.protocol === 'https:') tlsOptions = { rejectUnauthorized: !this.listedInsecure(url), ...(context ? { secureContext: context } : {}) };
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers: { 'user-agent': USER_AGENT, ...headers }, ...tlsOptions });
      req.setTimeout(this.timeoutMs(), () => {
        const error = new Error(`timed out after ${this.timeoutMs() / 1000}s`) as NodeJS.ErrnoException;
        error.code = 'ETIMEDOUT';
        req.destroy(error);
      });
      req.on('response', (res) => {
        // The idle timeout also guards the body: a server that stops sending mid-blob is cut and retried.
        res.socket?.setTimeout(this.timeoutMs());
        resolve(res);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends a request with redirects followed by hand (Authorization never crosses to another host). */
  private async follow(method: string, url: URL, headers: OutgoingHttpHeaders, body?: string): Promise<Response> {
    let current = url;
    let currentHeaders = headers;
    for (let hop = 0; hop <= 5; hop++) {
      const res = await this.exchange(method, current, currentHeaders, body);
      const status = res.statusCode ?? 0;
      if (![301, 302, 303, 307, 308].includes(status) || !res.headers.location) return { res, url: current };
      res.resume();
      const next = new URL(res.headers.location, current);
      if (next.host !== current.host) {
        const { authorization: _dropped, ...rest } = currentHeaders as Record<string, string>;
        currentHeaders = rest;
      }
      current = next;
    }
    throw new SourceError(`too many redirects from ${this.describe(url)}`, { code: 'redirect-loop' });
  }

  /** The scheme to use: https, or http for allowed hosts whose server does not speak TLS. */
  private async baseUrl(): Promise<string> {
    if (this.scheme) return `${this.scheme}://${this.host}`;
    if (!this.httpAllowed) {
      this.scheme = 'https';
    } else {
      try {
        const res = await this.exchange('GET', new URL(`https://${this.host}/v2/`), {});
        res.resume();
        this.scheme = 'https';
      } catch (error) {
        const code = errorCode(error) ?? '';
        const message = (error as Error).message ?? '';
        // A plain-HTTP server answers a TLS hello with garbage: fall back to http for allowed hosts only.
        this.scheme = code === 'EPROTO' || code.startsWith('ERR_SSL') || /wrong version number|ssl/i.test(message) ? 'http' : 'https';
        if (this.scheme === 'https') throw this.networkError(error, new URL(`https://${this.host}/v2/`));
      }
    }
    return `${this.scheme}://${this.host}`;
  }

  private networkError(error: unknown, url: URL): SourceError {
    if (error instanceof SourceError) return error;
    const code = errorCode(error);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new SourceError(`cannot resolve the registry host ${url.hostname}`, {
        code: 'dns',
        cause: error,
        hint: 'check the registry name and your network/DNS settings',
      });
    }
    if (code === 'ETIMEDOUT') {
      return new SourceError(`${url.host} did not answer within ${this.timeoutMs() / 1000}s`, {
        code: 'timeout',
        cause: error,
        hint: 'check the network, or raise --timeout',
      });
    }
    if (code === 'ECONNREFUSED') {
      return new SourceError(`cannot connect to the registry ${url.host} (connection refused)`, {
        code: 'connection-refused',
        cause: error,
        hint: 'check the host and port, and that the registry is running',
      });
    }
    const text = (error as Error)?.message ?? String(error);
    return new SourceError(`talking to ${url.host} failed: ${text}`, {
      code: code ? code.toLowerCase() : 'network',
      cause: error,
      hint: /certificate|self.signed|CERT/i.test(text)
        ? 'the registry certificate is not trusted: add its CA with SSL_CERT_FILE or NODE_EXTRA_CA_CERTS, or pass --insecure-registry'
        : 'check the network and try again',
    });
  }

  private async authHeaders(): Promise<Record<string, string>> {
    if (this.bearer && this.bearer.expiresAtMs > Date.now()) return { authorization: `Bearer ${this.bearer.token}` };
    if (this.useBasic) {
      const creds = await this.creds();
      if (creds?.username !== undefined) return { authorization: basicHeader(creds) };
    }
    const creds = await this.creds();
    if (creds?.registryToken) return { authorization: `Bearer ${creds.registryToken}` };
    return {};
  }

  private loginHint(): string {
    const name = this.registry;
    return `log in with \`docker login ${name}\` (or \`podman login ${name}\`), or pass --username and --password-stdin`;
  }

  private async credentialsRejected(): Promise<SourceError> {
    const creds = await this.creds();
    if (!creds) {
      return new SourceError(`${this.registry} requires authentication to pull ${this.repository}`, {
        code: 'unauthorized',
        hint: this.loginHint(),
      });
    }
    const who = creds.username ? ` for user "${creds.username}"` : '';
    return new SourceError(`${this.registry} rejected the credentials${who} from ${creds.origin} (pulling ${this.repository})`, {
      code: 'unauthorized',
      hint: this.loginHint(),
    });
  }

  /** Answers a 401 challenge: gets a Bearer token, or switches to Basic. Returns false when nothing can help. */
  private async answerChallenge(res: IncomingMessage): Promise<boolean> {
    const challenges = parseChallenges(res.headers['www-authenticate']);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const creds = await this.creds();
    if (bearer) {
      // A rejected token is replaced (it may have expired early, or lack a scope); the caller bounds the rounds.
      this.bearer = await this.fetchToken(bearer, creds);
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (this.useBasic || creds?.username === undefined) return false;
      this.useBasic = true;
      return true;
    }
    return false;
  }

  private async fetchToken(challenge: Challenge, creds: Credentials | undefined): Promise<{ token: string; expiresAtMs: number }> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch (error) {
      throw new SourceError(`${this.registry} sent an invalid token realm`, { code: 'bad-challenge', cause: error });
    }
    // A registry must not send us (and our credentials) to plain HTTP or another scheme.
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.allowsHttp(realm))) {
      throw new SourceError(`${this.registry} asks for a token from ${realm.protocol}//${realm.host}, which is not HTTPS`, {
        code: 'insecure-realm',
        hint: `pass --insecure-registry ${realm.host} if you trust it`,
      });
    }
    const request = tokenRequest(challenge, pullScope(this.repository), creds);
    let response = await this.withRetries(() => this.follow(request.method, request.url, request.headers, request.body), request.url);
    // Some token servers do not implement the refresh-token POST: fall back to GET (anonymous).
    if (request.method === 'POST' && (response.res.statusCode === 404 || response.res.statusCode === 405)) {
      response.res.resume();
      const fallback = tokenRequest(challenge, pullScope(this.repository), undefined);
      response = await this.withRetries(() => this.follow('GET', fallback.url, fallback.headers), fallback.url);
    }
    const body = await readBody(response.res, 1024 * 1024);
    const status = response.res.statusCode ?? 0;
    if (status === 401 || status === 403) throw await this.credentialsRejected();
    if (status !== 200) {
      throw new SourceError(`the token server ${realm.host} for ${this.registry} answered HTTP ${status}`, {
        code: 'token',
        hint: 'try again later; if it persists, check the credentials',
      });
    }
    const token = parseTokenResponse(body.toString('utf8'));
    if (!token) throw new SourceError(`the token server ${realm.host} for ${this.registry} sent no token`, { code: 'token' });
    return token;
  }

  /** Runs one request with retries on 5xx/429 and dropped connections; returns the final response. */
  private async withRetries(send: () => Promise<Response>, url: URL): Promise<Response> {
    const attempts = this.options.attempts ?? 5;
    let last: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: Response;
      try {
        response = await send();
      } catch (error) {
        last = error;
        const code = errorCode(error);
        if (error instanceof SourceError || !code || !RETRY_ERRORS.has(code) || attempt === attempts) throw this.networkError(error, url);
        await this.backoff(attempt, undefined, `${code} from ${url.host}`);
        continue;
      }
      const status = response.res.statusCode ?? 0;
      if (!RETRY_STATUS.has(status) || attempt === attempts) return response;
      response.res.resume();
      await this.backoff(attempt, retryAfterMs(response.res.headers['retry-after'] as string | undefined), `HTTP ${status} from ${url.host}`);
    }
    throw this.networkError(last, url);
  }

  private async backoff(attempt: number, retryAfter: number | undefined, why: string): Promise<void> {
    const base = this.options.backoffMs ?? 500;
    const computed = Math.min(base * 2 ** (attempt - 1), 10_000) * (0.8 + Math.random() * 0.4);
    const wait = retryAfter !== undefined ? Math.min(retryAfter, this.options.maxRetryAfterMs ?? 60_000) : computed;
    this.options.notice?.(`${why}; retrying in ${(wait / 1000).toFixed(1)}s`);
    await sleep(wait);
  }

  /** GET/HEAD a registry path with auth, retries and redirects. The caller reads or drains the body. */
  async request(method: 'GET' | 'HEAD', path: string, headers: OutgoingHttpHeaders = {}): Promise<Response> {
    const url = new URL(`${await this.baseUrl()}${path}`);
    for (let round = 0; round < 3; round++) {
      const auth = await this.authHeaders();
      const response = await this.withRetries(() => this.follow(method, url, { ...headers, ...auth }), url);
      if (response.res.statusCode !== 401) return response;
      response.res.resume();
      if (!(await this.answerChallenge(response.res))) throw await this.credentialsRejected();
    }
    throw await this.credentialsRejected();
  }

  private unexpected(status: number, body: Buffer, what: string): SourceError {
    const errors = registryErrors(body);
    const detail = errors.map((e) => e.code ?? e.message).filter(Boolean).join(', ');
    if (status === 403) {
      return new SourceError(`${this.registry} denied access to ${this.repository} (${detail || 'HTTP 403'})`, {
        code: 'denied',
        hint: this.loginHint(),
      });
    }
    return new SourceError(`${this.registry} answered HTTP ${status}${detail ? ` (${detail})` : ''} for ${what}`, {
      code: status === 429 ? 'rate-limited' : status >= 500 ? 'registry-error' : 'registry-http',
      hint: status === 429 ? 'the registry rate-limits pulls; wait, or log in for a higher limit' : 'try again later',
    });
  }

  /** Fetches a manifest (any of the four kinds) by tag or digest and verifies its digest. */
  async manifest(reference: string): Promise<FetchedManifest> {
    // A manifest named by digest never changes: the cache answers it (verified) without a request.
    if (reference.startsWith('sha256:')) {
      const cached = await this.options.cache?.read(reference);
      if (cached) return { raw: cached, mediaType: declaredMediaType(cached), digest: reference };
    }
    const { res } = await this.request('GET', `/v2/${this.repository}/manifests/${reference}`, {
      accept: manifestAcceptTypes.join(', '),
    });
    const body = await readBody(res);
    const status = res.statusCode ?? 0;
    const byDigest = reference.includes(':');
    if (status === 404) {
      const codes = registryErrors(body).map((e) => e.code);
      if (codes.includes('NAME_UNKNOWN')) throw this.repositoryMissing();
      throw await this.manifestNotFound(reference, byDigest);
    }
    if (status !== 200) throw this.unexpected(status, body, `the manifest ${reference} of ${this.repository}`);
    const computed = sha256(body);
    const header = res.headers['docker-content-digest'];
    if (byDigest && reference.startsWith('sha256:') && computed !== reference) {
      throw new SourceError(`the manifest ${reference} from ${this.registry}/${this.repository} does not match its digest (got ${computed})`, {
        code: 'digest-mismatch',
        hint: 'the registry or something between you and it altered the manifest; try again',
      });
    }
    if (!byDigest && typeof header === 'string' && header.startsWith('sha256:') && header !== computed) {
      throw new SourceError(`the manifest ${this.repository}:${reference} from ${this.registry} does not match the digest the registry announced (${header})`, {
        code: 'digest-mismatch',
        hint: 'something between you and the registry altered the manifest; try again',
      });
    }
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0].trim() || declaredMediaType(body);
    await this.options.cache?.put(computed, body).catch(() => {});
    return { raw: body, mediaType, digest: computed };
  }

  private repositoryMissing(): SourceError {
    return new SourceError(`${this.registry} has no repository ${this.repository}`, {
      code: 'repository-not-found',
      hint: 'check the name (and that you are logged in, since private repositories can look absent)',
    });
  }

  private async manifestNotFound(reference: string, byDigest: boolean): Promise<SourceError> {
    const what = byDigest ? `${this.repository}@${reference}` : `${this.repository}:${reference}`;
    let sample = '';
    if (!byDigest) {
      try {
        const tags = await this.tags(20);
        if (tags.length > 0) sample = `; some of its tags: ${tags.slice(0, 10).join(', ')}`;
      } catch (error) {
        // The tag list is only a courtesy in the message, unless it shows the whole repository is missing.
        if (error instanceof SourceError && error.code === 'repository-not-found') return error;
      }
    }
    return new SourceError(`${this.registry} has no ${byDigest ? 'manifest' : 'tag'} ${what}${sample}`, {
      code: 'manifest-unknown',
      hint: `list the tags with \`skopeo list-tags docker://${this.registry}/${this.repository}\` (or GET /v2/${this.repository}/tags/list)`,
    });
  }

  /** The first `n` tags of the repository (one page; a courtesy for messages, so a failure gives none). */
  async tags(n = 100): Promise<string[]> {
    const page = await this.tagPage(`/v2/${this.repository}/tags/list?n=${n}`, false);
    return page.tags;
  }

  /**
   * Every tag of the repository, following the `Link: <...>; rel="next"` header page by page (`n` per page),
   * up to `limit` tags. Unlike `tags()`, a registry that will not list tags is an error here.
   */
  async listTags(options: { pageSize?: number; limit?: number } = {}): Promise<{ tags: string[]; pages: number; truncated: boolean }> {
    const limit = options.limit ?? 20_000;
    const tags: string[] = [];
    let path: string | undefined = `/v2/${this.repository}/tags/list?n=${options.pageSize ?? 1000}`;
    let pages = 0;
    const seen = new Set<string>();
    while (path && tags.length < limit) {
      // A registry that sends the same next link twice would otherwise loop forever.
      if (seen.has(path)) break;
      seen.add(path);
      const page = await this.tagPage(path, true);
      pages++;
      tags.push(...page.tags);
      path = page.next;
    }
    return { tags: tags.slice(0, limit), pages, truncated: path !== undefined && tags.length >= limit };
  }

  private async tagPage(path: string, strict: boolean): Promise<{ tags: string[]; next?: string }> {
    const { res } = await this.request('GET', path);
    const body = await readBody(res, 4 * 1024 * 1024);
    const status = res.statusCode ?? 0;
    if (status === 404 && registryErrors(body).some((e) => e.code === 'NAME_UNKNOWN')) throw this.repositoryMissing();
    if (status !== 200) {
      if (!strict) return { tags: [] };
      throw this.unexpected(status, body, `the tag list of ${this.repository}`);
    }
    let parsed: { tags?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { tags?: unknown };
    } catch (error) {
      if (!strict) return { tags: [] };
      throw new SourceError(`${this.registry} sent a tag list for ${this.repository} that is not JSON`, { code: 'bad-tag-list', cause: error });
    }
    const tags = Array.isArray(parsed.tags) ? parsed.tags.filter((t): t is string => typeof t === 'string') : [];
    return { tags, next: nextLink(res.headers.link) };
  }

  /** A small blob (a config), from the cache or the registry, verified against its descriptor. */
  async smallBlob(descriptor: Descriptor, what: string): Promise<Buffer> {
    const cached = await this.options.cache?.read(descriptor.digest);
    if (cached) return cached;
    const { res } = await this.request('GET', `/v2/${this.repository}/blobs/${descriptor.digest}`);
    const body = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      if (status === 404) throw this.blobMissing(descriptor, what);
      throw this.unexpected(status, body, what);
    }
    if (descriptor.digest.startsWith('sha256:') && sha256(body) !== descriptor.digest) {
      throw new SourceError(`${what} from ${this.registry}/${this.repository} does not match its digest ${descriptor.digest}`, {
        code: 'digest-mismatch',
        hint: 'the registry or something between you and it altered the blob; try again',
      });
    }
    await this.options.cache?.put(descriptor.digest, body).catch(() => {});
    return body;
  }

  private blobMissing(descriptor: Descriptor, what: string): SourceError {
    return new SourceError(`${this.registry}/${this.repository} has no blob ${shortDigest(descriptor.digest)} (${what})`, {
      code: 'blob-unknown',
      hint: 'the image in the registry is incomplete; push it again',
    });
  }

  /** The first bytes of a blob, for sniffing compression: from the cache, else one ranged request. */
  async blobHead(descriptor: Descriptor, bytes = 16): Promise<Buffer> {
    if (await this.options.cache?.has(descriptor.digest, descriptor.size)) return readHead(this.options.cache!.open(descriptor.digest, 0), bytes);
    const { res } = await this.request('GET', `/v2/${this.repository}/blobs/${descriptor.digest}`, { range: `bytes=0-${bytes - 1}` });
    // An error page's first bytes are not the blob's: sniffing them would call a layer uncompressed.
    const status = res.statusCode ?? 0;
    if (status !== 200 && status !== 206) {
      const body = await readBody(res).catch(() => Buffer.alloc(0));
      if (status === 404) throw this.blobMissing(descriptor, `the head of layer blob ${shortDigest(descriptor.digest)}`);
      throw this.unexpected(status, body, `the head of blob ${shortDigest(descriptor.digest)}`);
    }
    return readHead(res, bytes);
  }

  /**
   * Streams a blob straight into the caller (no temp file), teeing it into the cache. A connection cut
   * mid-blob is resumed with `Range` from the byte where it stopped; a server that ignores Range (200)
   * is skipped forward. Digest checking is left to the image model, which names the layer.
   */
  openBlob(descriptor: Descriptor, what: string): Readable {
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    const cache = this.options.cache;
    let current: IncomingMessage | undefined;
    let closed = false;
    out.on('close', () => {
      closed = true;
      current?.destroy();
    });
    const run = async (): Promise<void> => {
      if (cache && (await cache.has(descriptor.digest, descriptor.size))) {
        const cached = cache.open(descriptor.digest);
        cached.on('error', (error) => out.destroy(error));
        cached.pipe(out);
        return;
      }
      const writer = await cache?.writer(descriptor.digest);
      const path = `/v2/${this.repository}/blobs/${descriptor.digest}`;
      const attempts = this.options.attempts ?? 5;
      let received = 0;
      let failures = 0;
      let committed = false;
      try {
        for (;;) {
          const headers = received > 0 ? { range: `bytes=${received}-` } : {};
          const { res } = await this.request('GET', path, headers);
          current = res;
          const status = res.statusCode ?? 0;
          if (status !== 200 && status !== 206) {
            const body = await readBody(res).catch(() => Buffer.alloc(0));
            if (status === 404) throw this.blobMissing(descriptor, what);
            throw this.unexpected(status, body, what);
          }
          let skip = status === 200 ? received : 0;
          try {
            for await (const raw of res) {
              if (closed) return;
              let chunk = raw as Buffer;
              if (skip > 0) {
                const drop = Math.min(skip, chunk.length);
                chunk = chunk.subarray(drop);
                skip -= drop;
                if (chunk.length === 0) continue;
              }
              received += chunk.length;
              if (Number.isFinite(descriptor.size) && received > descriptor.size) {
                // Never store or pass on more than the manifest promised: a registry cannot fill the disk.
                throw new SourceError(`${what} from ${this.registry} is larger than the ${descriptor.size} bytes its descriptor says`, {
                  code: 'size-mismatch',
                  hint: 'the registry serves a different blob than the manifest describes; push the image again',
                });
              }
              await writer?.write(chunk);
              if (!out.write(chunk)) await drained(out);
            }
          } catch (error) {
            if (closed || error instanceof SourceError) throw error;
            const code = errorCode(error);
            failures++;
            if (failures >= attempts || (code && !RETRY_ERRORS.has(code) && code !== 'ERR_STREAM_PREMATURE_CLOSE')) {
              throw this.networkError(error, new URL(`http://${this.host}${path}`));
            }
            await this.backoff(failures, undefined, `the download of ${what} was cut at ${received} bytes; resuming`);
            continue;
          }
          if (closed) return;
          if (Number.isFinite(descriptor.size) && received < descriptor.size) {
            failures++;
            if (failures >= attempts) {
              throw new SourceError(`the download of ${what} from ${this.registry} stopped at ${received} of ${descriptor.size} bytes`, {
                code: 'truncated',
                hint: 'the connection keeps dropping; try again later',
              });
            }
            await this.backoff(failures, undefined, `the download of ${what} ended early at ${received} bytes; resuming`);
            continue;
          }
          break;
        }
        if (writer) await writer.commit();
        committed = true;
      } finally {
        // A download that failed, or that the reader stopped early, leaves no temp file behind.
        if (!committed) await writer?.abort();
      }
      out.end();
    };
    run().catch((error: unknown) => {
      if (!closed) out.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    return out;
  }
}
