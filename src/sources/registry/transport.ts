// The HTTP layer of the registry client: one exchange over Node's http/https, redirects followed by hand
// (Authorization is dropped when the host changes), the TLS trust store, the plain-HTTP policy (loopback or
// hosts named with --insecure-registry) and network errors turned into one-line messages.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { SourceError } from '../../errors.js';
import { MAX_DOCUMENT_BYTES, type DocumentLimit } from '../files.js';
import { discardBody, isSlowBody, timeoutError, watchBodyRate } from '../slow-body.js';

export interface TransportOptions {
  /** Hosts (`host[:port]`) that may be reached over plain HTTP or with unverified TLS. */
  insecureRegistries?: string[];
  /**
   * How long a request may wait for the server, in milliseconds (default 30 s): for the response headers in all,
   * for each pause in a body, and the window over which a body must keep up MIN_BYTES_PER_SECOND.
   */
  timeoutMs?: number;
  /** Environment for SSL_CERT_FILE / NODE_EXTRA_CA_CERTS (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface Response {
  res: IncomingMessage;
  url: URL;
}

const USER_AGENT = 'ballast';

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function hostOf(registry: string): string {
  return new URL(`http://${registry}`).hostname;
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What to do about a registry that speaks plain HTTP where ballast expects HTTPS. */
function plainHttpHint(host: string): string {
  return `pass --insecure-registry ${host} if this registry really has no TLS`;
}

/**
 * Whether a failed HTTPS exchange failed in the TLS handshake itself (the server did not speak TLS back), judged
 * on the error's code only: a ballast error (an unreadable SSL_CERT_FILE, say) is never one, whatever its text.
 */
function isTlsProtocolError(error: unknown): boolean {
  if (error instanceof SourceError) return false;
  const code = errorCode(error) ?? '';
  return code === 'EPROTO' || code.startsWith('ERR_SSL');
}

/**
 * Whether the server answered a TLS hello with something that is not TLS at all, as a plain-HTTP server does.
 * OpenSSL's reason ("wrong version number": the first bytes back are no TLS record) is in the message of an EPROTO
 * error, which carries only OpenSSL's text; other EPROTO errors (an unsupported TLS version) are not plain HTTP.
 */
function isPlainHttpAnswer(error: unknown): boolean {
  if (!isTlsProtocolError(error)) return false;
  const code = errorCode(error);
  return (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    (code === 'EPROTO' && /wrong version number/i.test((error as Error).message))
  );
}

/**
 * Reads a small answer (manifest, index, config, tag list, token) whole, up to `limit` bytes: by default the limit
 * every source puts on a JSON document (MAX_DOCUMENT_BYTES, 64 MiB); `limit.what` names the kind of document held to
 * it. An answer whose Content-Length is over the limit is refused before a byte of it is read; one without is cut
 * off as it passes the limit. `what` names the answer in the error.
 */
export async function readBody(
  res: IncomingMessage,
  limit: number | DocumentLimit = MAX_DOCUMENT_BYTES,
  what = 'a response from the registry',
): Promise<Buffer> {
  const { bytes, what: kind } = typeof limit === 'number' ? { bytes: limit, what: 'it' } : limit;
  const tooLarge = (size: string): SourceError => {
    res.destroy();
    return new SourceError(`${what} is ${size}, the most ballast reads of ${kind}`, {
      code: 'response-too-large',
      hint: 'manifests, indexes, configs and tokens are kilobytes: check that this is a container registry, or that no proxy in between answers instead',
    });
  };
  const announced = Number(res.headers['content-length'] ?? NaN);
  if (announced > bytes) throw tooLarge(`${announced} bytes, more than ${bytes} bytes`);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of res) {
    length += (chunk as Buffer).length;
    if (length > bytes) throw tooLarge(`over ${bytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class Transport {
  private scheme: 'https' | 'http' | undefined;
  private readonly httpAllowed: boolean;
  private secureContext: SecureContext | null | undefined;

  constructor(
    readonly host: string,
    private readonly options: TransportOptions = {},
  ) {
    const listed = (options.insecureRegistries ?? []).map((h) => h.toLowerCase());
    this.httpAllowed = isLoopback(hostOf(host)) || listed.includes(host.toLowerCase()) || listed.includes(hostOf(host));
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

  timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  /** Whether the user named this URL's host with --insecure-registry. */
  private listedInsecure(url: URL): boolean {
    const listed = (this.options.insecureRegistries ?? []).map((h) => h.toLowerCase());
    return listed.includes(url.host.toLowerCase()) || listed.includes(url.hostname.toLowerCase());
  }

  /** Whether plain HTTP is allowed for this URL's host. */
  allowsHttp(url: URL): boolean {
    return isLoopback(url.hostname) || this.listedInsecure(url);
  }

  private describe(url: URL): string {
    return `${url.host}${url.pathname}`;
  }

  /**
   * One HTTP exchange, no retries, no redirects. The response headers must arrive within --timeout (or by
   * `deadline`, when a retry budget ends sooner) however slowly the server drips them; the body is then watched
   * for pauses longer than --timeout and for a rate below MIN_BYTES_PER_SECOND. `tlsProbe`: baseUrl's probe.
   */
  exchange(
    method: string,
    url: URL,
    headers: OutgoingHttpHeaders,
    body?: string,
    deadline?: number,
    tlsProbe = false,
  ): Promise<IncomingMessage> {
    if (url.protocol === 'http:' && !this.allowsHttp(url)) {
      return Promise.reject(
        new SourceError(`refusing plain HTTP to ${url.host}`, {
          code: 'insecure-url',
          hint: plainHttpHint(url.host),
        }),
      );
    }
    const lib = url.protocol === 'https:' ? https : http;
    // Loopback may fall back to plain HTTP, but a certificate is only left unchecked for hosts named insecure, and by
    // the probe of baseUrl(), which sends no credentials and keeps nothing of the answer: it only asks whether the
    // server answers in TLS at all, so it neither builds the trust store nor checks the certificate (every real
    // request does both). With SSL_CERT_FILE set, building the store (Node's ~140 roots and the file, parsed) took
    // 0.2-0.3 s before a plain-HTTP loopback registry's first request (bench/README.md, "Session 46").
    let tlsOptions = {};
    try {
      if (url.protocol === 'https:' && tlsProbe) tlsOptions = { rejectUnauthorized: false };
      else if (url.protocol === 'https:') {
        const context = this.tlsContext();
        tlsOptions = { rejectUnauthorized: !this.listedInsecure(url), ...(context ? { secureContext: context } : {}) };
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const timeout = this.timeoutMs();
    const limit = Math.max(1, Math.min(timeout, deadline === undefined ? Infinity : deadline - Date.now()));
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers: { 'user-agent': USER_AGENT, ...headers }, ...tlsOptions });
      let response: IncomingMessage | undefined;
      req.setTimeout(timeout, () => {
        const error = timeoutError(`timed out after ${timeout / 1000}s`);
        // Once the headers are in, it is the body that went silent: destroying only the request would end the
        // response with Node's bare "aborted", and the user would not learn that --timeout cut it.
        if (response && !response.complete) response.destroy(error);
        req.destroy(error);
      });
      const headerTimer = setTimeout(() => req.destroy(timeoutError(`no response within ${limit / 1000}s`)), limit);
      req.on('response', (res) => {
        response = res;
        clearTimeout(headerTimer);
        // The idle timeout also guards the body: a server that stops sending mid-blob is cut and retried.
        res.socket?.setTimeout(timeout);
        watchBodyRate(res, timeout);
        resolve(res);
      });
      req.on('error', (error) => {
        clearTimeout(headerTimer);
        reject(error);
      });
      req.end(body);
    });
  }

  /** Sends a request with redirects followed by hand (Authorization never crosses to another host). */
  async follow(
    method: string,
    url: URL,
    headers: OutgoingHttpHeaders,
    body?: string,
    deadline?: number,
  ): Promise<Response> {
    let current = url;
    let currentHeaders = headers;
    for (let hop = 0; hop <= 5; hop++) {
      const res = await this.exchange(method, current, currentHeaders, body, deadline);
      const status = res.statusCode ?? 0;
      if (![301, 302, 303, 307, 308].includes(status) || !res.headers.location) return { res, url: current };
      discardBody(res);
      const next = new URL(res.headers.location, current);
      if (next.host !== current.host) {
        const { authorization: _dropped, ...rest } = currentHeaders as Record<string, string>;
        currentHeaders = rest;
      }
      current = next;
    }
    throw new SourceError(`too many redirects from ${this.describe(url)}`, {
      code: 'redirect-loop',
      hint: 'the registry (or a proxy in front of it) redirects in a loop; check its configuration',
    });
  }

  /** The scheme to use: https, or http for allowed hosts whose server does not speak TLS. */
  async baseUrl(): Promise<string> {
    if (this.scheme) return `${this.scheme}://${this.host}`;
    if (!this.httpAllowed) {
      this.scheme = 'https';
    } else {
      try {
        const res = await this.exchange('GET', new URL(`https://${this.host}/v2/`), {}, undefined, undefined, true);
        discardBody(res);
        this.scheme = 'https';
      } catch (error) {
        // A plain-HTTP server answers a TLS hello with garbage: fall back to http for allowed hosts only. Decided on
        // the error's code, never its text. A server that does answer TLS is then reached with its certificate
        // checked: an untrusted certificate or an unreadable SSL_CERT_FILE fails that first request, not plain HTTP.
        this.scheme = isTlsProtocolError(error) ? 'http' : 'https';
        if (this.scheme === 'https') throw this.networkError(error, new URL(`https://${this.host}/v2/`));
      }
    }
    return `${this.scheme}://${this.host}`;
  }

  /** `server` names who `url` is when it is not the registry (its token server), so the message does not blame it. */
  networkError(error: unknown, url: URL, server?: string): SourceError {
    if (error instanceof SourceError) return error;
    const code = errorCode(error);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new SourceError(
        server ? `cannot resolve the host of ${server}` : `cannot resolve the registry host ${url.hostname}`,
        {
          code: 'dns',
          cause: error,
          hint: 'check the registry name and your network/DNS settings',
        },
      );
    }
    if (code === 'ETIMEDOUT') {
      const slow = isSlowBody(error);
      return new SourceError(
        slow
          ? `${server ?? url.host} is too slow (${(error as Error).message})`
          : `${server ?? url.host} did not answer within ${this.timeoutMs() / 1000}s`,
        {
          code: 'timeout',
          cause: error,
          hint: 'check the network, or raise --timeout',
        },
      );
    }
    if (code === 'ECONNREFUSED') {
      return new SourceError(`cannot connect to ${server ?? `the registry ${url.host}`} (connection refused)`, {
        code: 'connection-refused',
        cause: error,
        hint: 'check the host and port, and that the registry is running',
      });
    }
    if (url.protocol === 'https:' && isPlainHttpAnswer(error)) {
      return new SourceError(`${url.host} answered plain HTTP, not HTTPS`, {
        code: 'plain-http',
        cause: error,
        hint: plainHttpHint(url.host),
      });
    }
    const text = (error as Error)?.message ?? String(error);
    return new SourceError(`talking to ${server ?? url.host} failed: ${text}`, {
      code: code ? code.toLowerCase() : 'network',
      cause: error,
      hint: /certificate|self.signed|CERT/i.test(text)
        ? 'the registry certificate is not trusted: add its CA with SSL_CERT_FILE or NODE_EXTRA_CA_CERTS, or pass --insecure-registry'
        : 'check the network and try again',
    });
  }
}
