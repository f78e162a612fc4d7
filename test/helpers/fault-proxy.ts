// A fault-injecting HTTP proxy for the registry tests: a node http server on 127.0.0.1 (ephemeral port) in
// front of a real docker-registry (test/helpers/registry.ts). It records every request (path, status, Range,
// Authorization) and, per request, can answer with a status (5xx bursts, 429 with Retry-After), drop the
// connection before answering or midway through a body, go silent (before answering or midway through a body), drip
// the body or the headers a few bytes at a time (slow-loris), redirect (to itself for a loop, or to another host), lie
// in Content-Length, flip a byte of the body, or answer with a huge body. Loopback only; stop() closes every
// connection.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  range?: string;
  authorization?: string;
}

/** What the proxy does to one request instead of passing it through. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'cut'; afterBytes: number }
  | { kind: 'stall'; afterBytes: number }
  | { kind: 'reset' }
  /** Takes the request and never answers, with the connection left open. */
  | { kind: 'silent' }
  | { kind: 'corrupt' }
  /** 307 to `location` (absolute, or a path on this proxy). */
  | { kind: 'redirect'; location: string }
  /** Slow-loris: `bytes` every `intervalMs`, of the body (after normal headers) or of the headers themselves. */
  | { kind: 'drip'; bytes: number; intervalMs: number; part: 'body' | 'headers' }
  /** Content-Length off by `delta` bytes: shorter ends the body early, longer sends all and drops the connection. */
  | { kind: 'length'; delta: number }
  /** 200 with `bytes` spaces instead of the registry's answer, with a Content-Length, or chunked without one. */
  | { kind: 'huge'; bytes: number; chunked: boolean };

export interface Proxy {
  host: string;
  requests: RecordedRequest[];
  /** Decides a fault per request; `n` counts earlier requests with the same method and path. */
  fault?: (req: IncomingMessage, n: number) => Fault | undefined;
  /**
   * Serve `tags/list` in pages (`n`, `last`, a `Link: <...>; rel="next"` header) as Docker Hub and distribution v3 do:
   * Debian's distribution 2.8 ignores `n`, so the proxy slices the registry's real, sorted list.
   */
  pageTags?: boolean;
  /** Forgets recorded requests, per-path counts and the fault. */
  reset(): void;
  stop(): Promise<void>;
}

/** A counting, fault-injecting HTTP proxy in front of a registry (loopback only). */
export async function startProxy(target: string): Promise<Proxy> {
  const seen = new Map<string, number>();
  const proxy: Proxy = {
    host: '',
    requests: [],
    reset: () => {
      proxy.requests.length = 0;
      proxy.fault = undefined;
      seen.clear();
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = `${req.method} ${req.url}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: 0,
      range: req.headers.range,
      authorization: req.headers.authorization,
    };
    proxy.requests.push(record);
    const fault = proxy.fault?.(req, n);
    if (fault?.kind === 'status') {
      record.status = fault.status;
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected by the test proxy' }] }));
      return;
    }
    const tagList = /^\/v2\/(.+)\/tags\/list(\?.*)?$/.exec(req.url ?? '');
    if (proxy.pageTags && req.method === 'GET' && tagList) {
      pageTagList(target, tagList[1], new URLSearchParams(tagList[2] ?? ''), req, res, record);
      return;
    }
    if (fault?.kind === 'redirect') {
      record.status = 307;
      req.resume();
      res.writeHead(307, { location: fault.location, 'content-length': '0' });
      res.end();
      return;
    }
    if (fault?.kind === 'drip' && fault.part === 'headers') {
      // Never finishes the header block: one header line after another, a few bytes at a time.
      record.status = 200;
      req.resume();
      const text = Buffer.from(`HTTP/1.1 200 OK\r\n${'X-Slow: ballast-test\r\n'.repeat(100_000)}`);
      drip(res, text, fault.bytes, fault.intervalMs, true);
      return;
    }
    if (fault?.kind === 'huge') {
      record.status = 200;
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.manifest.v1+json' };
      if (!fault.chunked) headers['content-length'] = String(fault.bytes);
      res.writeHead(200, headers);
      // A MiB at a time, as the client takes it: a client that hangs up stops it.
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < fault.bytes && !res.destroyed) {
          const part = chunk.subarray(0, Math.min(chunk.length, fault.bytes - sent));
          sent += part.length;
          if (!res.write(part)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => {});
      more();
      return;
    }
    if (fault?.kind === 'silent') {
      req.resume();
      return;
    }
    if (fault?.kind === 'reset') {
      // Drop the connection before any response, as a flaky load balancer does.
      req.socket.destroy();
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: Number(target.split(':')[1]),
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target },
      },
      (up) => {
        record.status = up.statusCode ?? 0;
        if (fault?.kind === 'length' || fault?.kind === 'drip') {
          const chunks: Buffer[] = [];
          up.on('data', (chunk: Buffer) => chunks.push(chunk));
          up.on('end', () => {
            const body = Buffer.concat(chunks);
            if (fault.kind === 'drip') {
              res.writeHead(up.statusCode ?? 502, up.headers);
              drip(res, body, fault.bytes, fault.intervalMs, false);
              return;
            }
            const length = Math.max(0, body.length + fault.delta);
            res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(length) });
            if (fault.delta < 0) {
              res.end(body.subarray(0, length));
              return;
            }
            // The promised bytes never come: what there is, then the connection drops.
            res.write(body);
            setTimeout(() => res.socket?.destroy(), 50);
          });
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (fault?.kind === 'stall' || fault?.kind === 'cut') {
          // Send the first bytes; then a stall goes silent with the connection left open, a cut drops it mid-body.
          let sent = 0;
          up.on('data', (chunk: Buffer) => {
            if (sent >= fault.afterBytes) return;
            const part = chunk.subarray(0, fault.afterBytes - sent);
            sent += part.length;
            res.write(part);
            if (fault.kind === 'cut' && sent >= fault.afterBytes) {
              up.destroy();
              // Flush what was written, then drop the connection.
              setTimeout(() => res.socket?.destroy(), 50);
            }
          });
          // A body shorter than the cut point is sent whole and ended, or the keep-alive socket would hang.
          up.on('end', () => sent < fault.afterBytes && res.end());
          return;
        }
        if (fault?.kind === 'corrupt') {
          let first = true;
          up.on('data', (chunk: Buffer) => {
            if (first && chunk.length > 0) {
              first = false;
              const copy = Buffer.from(chunk);
              copy[copy.length - 1] ^= 0xff;
              res.write(copy);
            } else res.write(chunk);
          });
          up.on('end', () => res.end());
          return;
        }
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** Answers a tag-list request with one page of the registry's full list, in lexical order as the spec asks. */
function pageTagList(
  target: string,
  name: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
): void {
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port: Number(target.split(':')[1]),
      method: 'GET',
      path: `/v2/${name}/tags/list`,
      headers: { ...req.headers, host: target },
    },
    (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (chunk: Buffer) => chunks.push(chunk));
      up.on('end', () => {
        record.status = up.statusCode ?? 0;
        if (up.statusCode !== 200) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(Buffer.concat(chunks));
          return;
        }
        const all = ((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { tags?: string[] }).tags ?? []).sort();
        const n = Number(query.get('n') ?? all.length) || all.length;
        const last = query.get('last');
        const start = last === null ? 0 : all.findIndex((t) => t > last);
        const page = start < 0 ? [] : all.slice(start, start + n);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (start >= 0 && start + n < all.length)
          headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
        res.writeHead(200, headers);
        res.end(JSON.stringify({ name, tags: page }));
      });
    },
  );
  upstream.on('error', () => res.destroy());
  upstream.end();
}

/** Writes `data` a few bytes at a time until it is all sent (then ends, for a body) or the client goes away. */
function drip(res: ServerResponse, data: Buffer, bytes: number, intervalMs: number, raw: boolean): void {
  let offset = 0;
  // A body is written through `res`: an answer queued behind another on a keep-alive connection has no socket until
  // that one ends (it buffers meanwhile), and each ends with its last bytes, so the client's next request on the
  // connection is not held up (it hung, with the dripped body's last tick finding no socket).
  const socket = res.socket;
  const timer = setInterval(() => {
    if (raw ? !socket || socket.destroyed : res.destroyed) return void clearInterval(timer);
    const part = data.subarray(offset, offset + bytes);
    offset += part.length;
    if (raw) socket!.write(part);
    else if (offset >= data.length) res.end(part);
    else res.write(part);
    if (offset >= data.length) clearInterval(timer);
  }, intervalMs);
  (raw ? socket : res)?.once('close', () => clearInterval(timer));
}
