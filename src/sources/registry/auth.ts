// Registry authentication: parsing `WWW-Authenticate` challenges (RFC 7235/6750 auth-params), and the
// request a Bearer token exchange needs. Tokens are cached per (realm, service, scope) by the client.
import type { Credentials } from './credentials.js';

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
    if (text[j] === '=' ) {
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
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'ballast' });
    if (service) form.set('service', service);
    for (const s of scopes) form.append('scope', s);
    return { url, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
  }
  if (service) url.searchParams.set('service', service);
  for (const s of scopes) url.searchParams.append('scope', s);
  const headers: Record<string, string> = {};
  if (credentials?.username !== undefined && credentials.password !== undefined) headers.authorization = basicHeader(credentials);
  return { url, method: 'GET', headers };
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64')}`;
}

export interface TokenResponse {
  token: string;
  expiresAtMs: number;
}

/** Reads `{token|access_token, expires_in}`; expiry defaults to 60 s as the spec says. */
export function parseTokenResponse(body: string, nowMs = Date.now()): TokenResponse | undefined {
  try {
    const parsed = JSON.parse(body) as { token?: string; access_token?: string; expires_in?: number };
    const token = parsed.token || parsed.access_token;
    if (!token) return undefined;
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 60;
    // Renew a little early so a token never expires between the check and the request.
    return { token, expiresAtMs: nowMs + Math.max(5, seconds - 10) * 1000 };
  } catch {
    return undefined;
  }
}
