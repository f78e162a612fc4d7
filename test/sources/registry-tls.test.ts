// Transport rules against real servers on 127.0.0.1: a docker-registry serving TLS with a self-signed
// certificate (trusted only through SSL_CERT_FILE or --insecure-registry), and blob redirects to another
// host ("a CDN") that must never receive the registry's Authorization header.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lookup } from 'node:dns/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import { openImage } from '../../src/sources/resolve.js';
import {
  makeCertificate,
  skopeoCopy,
  startProxy,
  startRegistry,
  type Proxy,
  type Registry,
} from '../helpers/registry.js';

const HELLO = join(process.cwd(), 'test', 'fixtures', 'snyk', 'docker-archives--docker-save--hello-world.tar');
const DIVE = join(process.cwd(), 'test', 'fixtures', 'dive', 'test-docker-image.tar');

describe('registry transport', () => {
  let work: string;
  let tlsRegistry: Registry;
  let certPath: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-tls-'));
    const cert = await makeCertificate(work);
    certPath = cert.certPath;
    tlsRegistry = await startRegistry(undefined, cert);
    await skopeoCopy(`docker-archive:${HELLO}`, `docker://${tlsRegistry.host}/tls/hello:1`, { format: 'v2s2' });
  }, 120_000);

  afterAll(async () => {
    await tlsRegistry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const open = (options: Parameters<typeof openImage>[1]) =>
    openImage(`docker://${tlsRegistry.host}/tls/hello:1`, { noCache: true, ...options });

  it('speaks HTTPS to a TLS registry and refuses a certificate it cannot verify', async () => {
    const line = formatError(await open({ env: { HOME: work } }).catch((e: unknown) => e));
    expect(line).toMatch(
      new RegExp(
        `^error: docker://${tlsRegistry.host}/tls/hello:1: talking to ${tlsRegistry.host} failed: .*certificate.* \\(hint: the registry certificate is not trusted: add its CA with SSL_CERT_FILE`,
      ),
    );
  });

  it('trusts the CA named by SSL_CERT_FILE', async () => {
    const image = await open({ env: { HOME: work, SSL_CERT_FILE: certPath } });
    expect(await image.layers()).toHaveLength(1);
    await image.close();
  });

  it('skips certificate checks only for a host named with --insecure-registry', async () => {
    const image = await open({ env: { HOME: work }, insecureRegistries: [tlsRegistry.host] });
    expect(await image.layers()).toHaveLength(1);
    await image.close();
  });

  it('reports an unreadable SSL_CERT_FILE for a loopback registry instead of falling back to plain HTTP', async () => {
    // Loopback hosts may fall back to HTTP when the server does not speak TLS; the text of this error
    // ("SSL_CERT_FILE") once passed for a TLS failure and sent the request over HTTP to the TLS registry.
    const line = formatError(
      await open({ env: { HOME: work, SSL_CERT_FILE: join(work, 'no-such.pem') } }).catch((e: unknown) => e),
    );
    expect(line).toBe(
      `error: cannot read the CA certificates in SSL_CERT_FILE (${join(work, 'no-such.pem')}) (hint: point SSL_CERT_FILE at a readable PEM file, or unset it)`,
    );
  });

  it('asks a plain-HTTP loopback registry for the image without reading SSL_CERT_FILE', async () => {
    // Whether a loopback server speaks TLS is asked without the trust store: building it from SSL_CERT_FILE took
    // 0.2-0.3 s before every pull from such a registry, which never uses it.
    const paths: string[] = [];
    const plain = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(plain.address() as AddressInfo).port}`;
    try {
      const line = formatError(
        await openImage(`docker://${host}/plain/app:1`, {
          noCache: true,
          env: { HOME: work, SSL_CERT_FILE: join(work, 'no-such.pem') },
        }).catch((e: unknown) => e),
      );
      expect(line).not.toContain('SSL_CERT_FILE');
      expect(paths).toContain('/v2/plain/app/manifests/1');
    } finally {
      plain.close();
    }
  });

  it('says a registry answered plain HTTP when its host is not loopback and not --insecure-registry', async () => {
    // The machine's own name resolves to this machine (Debian maps it to 127.0.1.1 in /etc/hosts), but ballast does
    // not treat the name as loopback. The server listens on that loopback address only.
    const { address } = await lookup(hostname(), { family: 4 });
    expect(address).toMatch(/^127\./);
    const plain = http.createServer((_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, address, resolve));
    const host = `${hostname()}:${(plain.address() as AddressInfo).port}`;
    try {
      const line = formatError(
        await openImage(`docker://${host}/ok:latest`, { noCache: true, env: { HOME: work } }).catch((e: unknown) => e),
      );
      expect(line).toBe(
        `error: docker://${host}/ok:latest: ${host} answered plain HTTP, not HTTPS (hint: pass --insecure-registry ${host} if this registry really has no TLS)`,
      );
    } finally {
      plain.close();
    }
  });

  describe('redirects and realms', () => {
    let registry: Registry;
    let front: Proxy;
    let cdn: http.Server;
    const cdnSeen: { path: string; authorization?: string }[] = [];
    const USER = 'redirect-user';
    const PASSWORD = 'redirect-Secret-42';

    beforeAll(async () => {
      registry = await startRegistry({ kind: 'htpasswd', username: USER, password: PASSWORD });
      await skopeoCopy(`docker-archive:${DIVE}`, `docker://${registry.host}/cdn/app:1`, {
        creds: `${USER}:${PASSWORD}`,
        format: 'v2s2',
      });
      front = await startProxy(registry.host);
      // The "CDN": another host (localhost, not 127.0.0.1) that serves blobs with its own access to the registry.
      cdn = http.createServer((req, res) => {
        cdnSeen.push({ path: req.url ?? '', authorization: req.headers.authorization });
        const upstream = http.get(
          {
            host: '127.0.0.1',
            port: Number(registry.host.split(':')[1]),
            path: req.url,
            headers: {
              authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
              ...(req.headers.range ? { range: req.headers.range } : {}),
            },
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
      });
      await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', () => resolve()));
    }, 120_000);

    afterAll(async () => {
      cdn?.closeAllConnections();
      await new Promise<void>((resolve) => (cdn ? cdn.close(() => resolve()) : resolve()));
      await front?.stop();
      await registry?.stop();
    });

    it('follows a blob redirect to another host without sending it the Authorization header', async () => {
      const cdnHost = `localhost:${(cdn.address() as AddressInfo).port}`;
      front.fault = (req) =>
        req.url?.includes('/blobs/') && req.headers.authorization
          ? { kind: 'status', status: 307, headers: { location: `http://${cdnHost}${req.url}` } }
          : undefined;
      const image = await openImage(`docker://${front.host}/cdn/app:1`, {
        noCache: true,
        username: USER,
        password: PASSWORD,
        env: { HOME: work },
      });
      try {
        const layers = await image.layers();
        for await (const _chunk of await layers[0].uncompressed());
      } finally {
        await image.close();
      }
      // The registry got credentials; the CDN served the config and the layer without ever seeing them.
      expect(
        front.requests.filter((r) => r.path.includes('/blobs/') && r.status === 307).length,
      ).toBeGreaterThanOrEqual(2);
      expect(cdnSeen.length).toBeGreaterThanOrEqual(2);
      expect(cdnSeen.every((r) => r.authorization === undefined)).toBe(true);
    });

    it('will not send credentials to a plain-HTTP token realm on another host', async () => {
      front.reset();
      front.fault = () => ({
        kind: 'status',
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="http://issuer.ballast-test.invalid/token",service="x"' },
      });
      const line = formatError(
        await openImage(`docker://${front.host}/cdn/app:1`, {
          noCache: true,
          username: USER,
          password: PASSWORD,
          env: { HOME: work },
        }).catch((e: unknown) => e),
      );
      expect(line).toContain(`asks for a token from http://issuer.ballast-test.invalid, which is not HTTPS`);
      expect(line).toContain('--insecure-registry issuer.ballast-test.invalid');
      expect(line).not.toContain(PASSWORD);
    });
  });
});
