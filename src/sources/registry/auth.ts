// Registry authentication: parsing `WWW-Authenticate` challenges (RFC 7235/6750 auth-params), the request a
// Bearer token exchange needs, and the per-client session that answers challenges (Bearer token or Basic) and
// keeps the token until it expires. No message built here ever contains a secret.
import type { IncomingMessage } from 'node:http';
import { isPermissionDenied, SourceError } from '../../errors.js';
import {
  FLAG_CREDENTIALS,
  findCredentials,
  unreadableAuthFiles,
  type CredentialOptions,
  type Credentials,
} from './credentials.js';
import type { Retrier } from './retry.js';
import { readBody, type Transport } from './transport.js';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header into challenges. Values may be quoted and contain commas
 * (`scope="repository:a:pull,push"`), and several challenges may share one header.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (!header) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const challenges: Challenge[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(text[i])) i++;
    return text.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < text.length) {
    skipSpace();
    const token = readToken();
    if (!token) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] === ' ') j++;
    if (text[j] === '=') {
      // An auth-param of the current challenge.
      i = j + 1;
      while (i < text.length && text[i] === ' ') i++;
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i++];
        }
        i++;
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',') i++;
        value = text.slice(start, i).trim();
      }
      if (current) current.params[token.toLowerCase()] = value;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

/** The scope a pull needs. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export interface TokenRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** Builds the token request for a Bearer challenge (anonymous, Basic, or refresh-token grant). */
export function tokenRequest(challenge: Challenge, scope: string, credentials: Credentials | undefined): TokenRequest {
  const url = new URL(challenge.params.realm);
  const service = challenge.params.service;
  const scopes = challenge.params.scope ? challenge.params.scope.split(' ') : [scope];
  if (credentials?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: 'ballast',
    });
    if (service) form.set('service', service);
    for (const s of scopes) form.append('scope', s);
    return {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    };
  }
  if (service) url.searchParams.set('service', service);
  for (const s of scopes) url.searchParams.append('scope', s);
  const headers: Record<string, string> = {};
  if (credentials?.username !== undefined && credentials.password !== undefined)
    headers.authorization = basicHeader(credentials);
  return { url, method: 'GET', headers };
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64')}`;
}

export interface TokenResponse {
  token: string;
  expiresAtMs: number;
}

/**
 * Reads `{token|access_token, expires_in}`; expiry defaults to 60 s as the spec says. One parse tells the three
 * answers apart, as the error for each differs: `'not-json'`, `'no-token'` (JSON, `null` included, without a
 * token), or the token.
 */
export function parseTokenResponse(body: string, nowMs = Date.now()): TokenResponse | 'not-json' | 'no-token' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'not-json';
  }
  const fields = (parsed ?? {}) as { token?: string; access_token?: string; expires_in?: number };
  const token = fields.token || fields.access_token;
  if (!token) return 'no-token';
  const seconds = typeof fields.expires_in === 'number' && fields.expires_in > 0 ? fields.expires_in : 60;
  // Renew a little early so a token never expires between the check and the request.
  return { token, expiresAtMs: nowMs + Math.max(5, seconds - 10) * 1000 };
}

/**
 * The first printable characters of a token answer that is not JSON, for the error message. A cut-off token
 * answer (`{"token":"ey...`) holds a secret: quoted values after a colon, unquoted values after `=` (a form-encoded answer) and long token-like
 * runs are elided.
 */
export function preview(text: string): string {
  const printable = text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return printable
    .replace(/:\s*"[^"]*("|$)/g, ':"…"')
    .replace(/=[^\s&"'<>]+/g, '=…')
    .replace(/[A-Za-z0-9._~+/=-]{16,}/g, '…')
    .slice(0, 40)
    .trimEnd();
}

/** The credentials and token of one client: which Authorization header to send, and what to do on a 401. */
export class AuthSession {
  private credentials: Promise<Credentials | undefined> | undefined;
  private bearer: TokenResponse | undefined;
  private useBasic = false;

  constructor(
    private readonly registry: string,
    private readonly repository: string,
    private readonly transport: Transport,
    private readonly retrier: Retrier,
    private readonly options: CredentialOptions,
  ) {}

  private creds(): Promise<Credentials | undefined> {
    return (this.credentials ??= findCredentials(this.registry, this.repository, this.options));
  }

  async headers(): Promise<Record<string, string>> {
    if (this.bearer && this.bearer.expiresAtMs > Date.now()) return { authorization: `Bearer ${this.bearer.token}` };
    if (this.useBasic) {
      const creds = await this.creds();
      if (creds?.username !== undefined) return { authorization: basicHeader(creds) };
    }
    const creds = await this.creds();
    if (creds?.registryToken) return { authorization: `Bearer ${creds.registryToken}` };
    return {};
  }

  loginHint(): string {
    const name = this.registry;
    return `log in with \`docker login ${name}\` (or \`podman login ${name}\`), or pass --username and --password-stdin`;
  }

  async rejected(): Promise<SourceError> {
    const creds = await this.creds();
    if (!creds) {
      const unreadable = await unreadableAuthFiles(this.options);
      if (unreadable.length > 0) {
        const files = unreadable.map((u) => `${u.path} (${u.code})`).join(' or ');
        const { path, code } = unreadable[0];
        const owner = isPermissionDenied(code)
          ? ` (after \`sudo docker login\` it belongs to root: \`sudo chown "$USER" ${path}\`)`
          : '';
        return new SourceError(
          `${this.registry} requires authentication to pull ${this.repository}, and ballast cannot read ${files}`,
          {
            code: 'unauthorized',
            hint: `make ${path} a file you can read${owner}, or pass --username and --password-stdin`,
          },
        );
      }
      return new SourceError(`${this.registry} requires authentication to pull ${this.repository}`, {
        code: 'unauthorized',
        hint: this.loginHint(),
      });
    }
    const who = creds.username ? ` for user "${creds.username}"` : '';
    return new SourceError(
      `${this.registry} rejected the credentials${who} from ${creds.origin} (pulling ${this.repository})`,
      {
        code: 'unauthorized',
        // Passed on the command line, they are what to check: "pass --username" read as if none had been given.
        hint:
          creds.origin === FLAG_CREDENTIALS
            ? `check the user name and the password given with --username and --password-stdin, or leave them out to use those of \`docker login ${this.registry}\``
            : creds.origin === (this.options.env ?? process.env).REGISTRY_AUTH_FILE
              ? // Read before the Docker config: `docker login` would leave the rejected entry in front of its own.
                `REGISTRY_AUTH_FILE names ${creds.origin}, which is read before the Docker config: log in again into it with \`podman login ${this.registry}\` (or \`skopeo login ${this.registry}\`), remove its entry for ${this.registry}, or pass --username and --password-stdin`
              : this.loginHint(),
      },
    );
  }

  /** Answers a 401 challenge: gets a Bearer token, or switches to Basic. Returns false when nothing can help. */
  async answer(res: IncomingMessage): Promise<boolean> {
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

  private async fetchToken(challenge: Challenge, creds: Credentials | undefined): Promise<TokenResponse> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch (error) {
      throw new SourceError(
        `${this.registry} sent an invalid token realm ${JSON.stringify(String(challenge.params.realm ?? ''))}`,
        {
          code: 'bad-challenge',
          cause: error,
          // The realm is the registry's configuration (its auth.token.realm), not something the user can fix here.
          hint: `the registry's token configuration is broken (its realm must be an absolute https:// URL); tell the registry's operators`,
        },
      );
    }
    // A registry must not send us (and our credentials) to plain HTTP or another scheme.
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.transport.allowsHttp(realm))) {
      throw new SourceError(
        `${this.registry} asks for a token from ${realm.protocol}//${realm.host}, which is not HTTPS`,
        {
          code: 'insecure-realm',
          hint: `pass --insecure-registry ${realm.host} if you trust it`,
        },
      );
    }
    const request = tokenRequest(challenge, pullScope(this.repository), creds);
    const server = `the token server ${realm.host} for ${this.registry}`;
    const read = async (response: { res: IncomingMessage }) => ({
      status: response.res.statusCode ?? 0,
      type: response.res.headers['content-type'],
      body: await readBody(response.res, 1024 * 1024, `the token answer from ${realm.host}`),
    });
    let { status, type, body } = await this.retrier.run(
      (deadline) => this.transport.follow(request.method, request.url, request.headers, request.body, deadline),
      request.url,
      read,
      server,
    );
    // Some token servers do not implement the refresh-token POST: fall back to GET (anonymous).
    if (request.method === 'POST' && (status === 404 || status === 405)) {
      const fallback = tokenRequest(challenge, pullScope(this.repository), undefined);
      ({ status, type, body } = await this.retrier.run(
        (deadline) => this.transport.follow('GET', fallback.url, fallback.headers, undefined, deadline),
        fallback.url,
        read,
        server,
      ));
    }
    if (status === 401 || status === 403) throw await this.rejected();
    if (status !== 200) {
      throw new SourceError(`${server} answered HTTP ${status}`, {
        code: 'token',
        hint: 'try again later; if it persists, check the credentials',
      });
    }
    const text = body.toString('utf8');
    const token = parseTokenResponse(text);
    if (token === 'not-json') {
      throw new SourceError(
        `${server} answered with something that is not JSON (${type ? `content-type ${type}` : 'no content-type'}, ` +
          `${text.trim() ? `beginning ${JSON.stringify(preview(text))}` : 'an empty body'})`,
        {
          code: 'token',
          hint: "a token service answers JSON: check that the realm in the registry's WWW-Authenticate is its token service (not a login page or a proxy), and try again later",
        },
      );
    }
    if (token === 'no-token') {
      throw new SourceError(`${server} sent no token`, {
        code: 'token',
        hint: 'its answer had no "token" or "access_token" field; check that the realm in the registry\'s WWW-Authenticate is its token service, and try again later',
      });
    }
    return token;
  }
}
