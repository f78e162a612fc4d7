// Registry answers that are well-formed HTTP but wrong in content, from a small node HTTP server on 127.0.0.1 that
// serves whatever a case sets: manifests of the wrong shape or size, a token endpoint that sends no token, a bad realm.
// Each must be one error line naming what was wrong, with a hint: never a TypeError or a bare message.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '../../src/errors.js';
import { listTags, openImage } from '../../src/sources/resolve.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const CONFIG_DIGEST = `sha256:${'a'.repeat(64)}`;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, host: string) => void;

describe('registry answers of the wrong shape', () => {
  let server: http.Server;
  let host: string;
  let work: string;
  let handler: Handler;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-bad-answers-'));
    server = http.createServer((req, res) => handler(req, res, host));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  /** Answers the API check, and serves `body` with `type` for every manifest request. */
  const manifest =
    (type: string, body: string): Handler =>
    (req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}');
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      res.writeHead(200, { 'content-type': type, 'docker-content-digest': digest }).end(body);
    };

  /** The one-line error opening the image gives (`timeoutMs`: its --timeout). */
  const errorLine = async (timeoutMs?: number): Promise<string> =>
    formatError(
      await openImage(`docker://${host}/slim:latest`, { noCache: true, env: { HOME: work }, timeoutMs }).then(
        () => new Error('opened'),
        (error: unknown) => error,
      ),
    );

  it.each([
    ['null', OCI_MANIFEST, 'null', 'it is null, not an object'],
    [
      'a layer that is null',
      OCI_MANIFEST,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: CONFIG_DIGEST, size: 2 },
        layers: [null],
      }),
      'its layer 0 is not a descriptor',
    ],
    [
      // A negative size was taken as the layer's size and printed by inspect ("-5 B compressed").
      'a layer with a negative size',
      OCI_MANIFEST,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: CONFIG_DIGEST, size: 2 },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: CONFIG_DIGEST, size: -5 }],
      }),
      'its layer 0 descriptor is not usable: its size -5 is not a byte count (a whole number from 0 to 2^53-1)',
    ],
    [
      'a config that is a string',
      OCI_MANIFEST,
      JSON.stringify({ schemaVersion: 2, config: 'x', layers: [] }),
      'it has no config descriptor',
    ],
    [
      'an index whose manifests is an object',
      OCI_INDEX,
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: {} }),
      'its "manifests" is not a list',
    ],
    ['an index that is null', OCI_INDEX, 'null', 'it is null, not an object'],
  ])('a manifest body of %s is "not an image manifest", with a hint', async (_name, type, body, problem) => {
    handler = manifest(type, body);
    expect(await errorLine()).toBe(
      `error: ${host}/slim:latest is not an image manifest (media type ${type}; ${problem}) ` +
        '(hint: ballast analyzes container images; if this is one, the registry holds a broken manifest: push it again)',
    );
  });

  it('an index whose only entry has a negative size names the entry, not "no image manifest"', async () => {
    const entry = { mediaType: OCI_MANIFEST, digest: CONFIG_DIGEST, size: -5 };
    handler = manifest(OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] }));
    expect(await errorLine()).toBe(
      `error: ${host}/slim:latest is an index whose entry 0 is not a usable descriptor: its size -5 is not a byte ` +
        'count (a whole number from 0 to 2^53-1) (hint: the registry holds a broken index: push the image again)',
    );
  });

  it('--platform whose index entry is malformed names that entry, not the platform as absent', async () => {
    // It said "has no image for platform linux/arm64" while the index listed arm64 in an entry with a negative size.
    const entries = [
      { mediaType: OCI_MANIFEST, digest: CONFIG_DIGEST, size: 2, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: OCI_MANIFEST, digest: CONFIG_DIGEST, size: -5, platform: { os: 'linux', architecture: 'arm64' } },
    ];
    handler = manifest(OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }));
    const error = await openImage(`docker://${host}/slim:latest`, {
      noCache: true,
      platform: 'linux/arm64',
      env: { HOME: work },
    }).then(
      () => new Error('opened'),
      (e: unknown) => e,
    );
    expect(formatError(error)).toBe(
      `error: ${host}/slim:latest lists an image for platform linux/arm64, but its entry is broken: entry 1 is not a usable ` +
        'descriptor: its size -5 is not a byte count (a whole number from 0 to 2^53-1) ' +
        '(hint: the registry holds a broken index: push the image again)',
    );
  });

  // It was refused as "an OCI artifact": an image whose layers are all encrypted is an image, each layer of which says
  // it is encrypted and how to decrypt it.
  it('an image whose layers are all encrypted is opened, and its layer says it is encrypted', async () => {
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [CONFIG_DIGEST] },
    });
    const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted', digest: CONFIG_DIGEST, size: 10 }],
    });
    const serveManifest = manifest(OCI_MANIFEST, body);
    handler = (req, res, h) => {
      if (req.url === `/v2/slim/blobs/${configDigest}`) return void res.writeHead(200).end(config);
      serveManifest(req, res, h);
    };
    const image = await openImage(`docker://${host}/slim:latest`, { noCache: true, env: { HOME: work } });
    try {
      const [layer] = await image.layers();
      const error = await layer.isFilesystem().then(
        () => new Error('read as a filesystem'),
        (e: unknown) => e,
      );
      expect(formatError(error)).toMatch(
        /^error: layer 0 \(sha256:a{12}\) of .+ is encrypted \(application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip\+encrypted\); ballast cannot decrypt it \(hint: .*skopeo copy --decryption-key.+\)$/,
      );
    } finally {
      await image.close?.();
    }
  });

  it('a tag list of 200,000 tags on one page is read, cut to the limit and said to be cut', async () => {
    // It stopped with 'Maximum call stack size exceeded': each page's tags were appended with push(...page.tags).
    // One page, no next link: the tags past the limit were dropped without saying so.
    const tags = Array.from({ length: 200_000 }, (_, i) => `t${i}`);
    handler = (req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'slim', tags }));
    };
    const listed = await listTags(`docker://${host}/slim`, { noCache: true, env: { HOME: work } });
    expect(listed).toEqual({ tags: tags.slice(0, 20_000), pages: 1, truncated: true });
  });

  it('a manifest that is not JSON says so, with a hint', async () => {
    handler = manifest(OCI_MANIFEST, '{not json');
    expect(await errorLine()).toMatch(
      new RegExp(
        `^error: the manifest of ${host}/slim:latest \\(sha256:[0-9a-f]{64}\\) is not valid JSON \\(hint: .+\\)$`,
      ),
    );
  });

  it('a manifest over 4 MiB names the request, and says so with a hint', async () => {
    handler = (req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}');
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      // 5 MiB, a chunk at a time and without a Content-Length; ballast stops reading (and hangs up) at 4 MiB.
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < 5 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => {});
      more();
    };
    expect(await errorLine()).toBe(
      `error: docker://${host}/slim:latest: the answer to GET ${host}/v2/slim/manifests/latest is over ${4 * 1024 * 1024} bytes, the most ballast ` +
        'reads of a manifest or index (hint: manifests, indexes, configs and tokens are kilobytes: check that this is a container ' +
        'registry, or that no proxy in between answers instead)',
    );
  });

  /** A registry that sends every client to its own /token, which `token` answers. */
  const tokenHandler =
    (token: (res: http.ServerResponse) => void): Handler =>
    (req, res, self) => {
      if (req.url?.startsWith('/token')) return token(res);
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${self}/token",service="test"` }).end();
    };

  it.each(['{}', '{"token":""}', 'null'])(
    'a token server that answers 200 with JSON %s without a token says it sent no token, with a hint',
    async (body) => {
      handler = tokenHandler((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      expect(await errorLine()).toBe(
        `error: docker://${host}/slim:latest: the token server ${host} for ${host} sent no token (hint: its answer had no "token" or ` +
          `"access_token" field; check that the realm in the registry's WWW-Authenticate is its token service, and ` +
          'try again later)',
      );
    },
  );

  const notJsonHint =
    "(hint: a token service answers JSON: check that the realm in the registry's WWW-Authenticate is its token " +
    'service (not a login page or a proxy), and try again later)';

  it.each([
    [
      'an HTML page',
      'text/html; charset=utf-8',
      '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please log in</body></html>',
      'content-type text/html; charset=utf-8, beginning "<!DOCTYPE html> <html><head><title>Sign"',
    ],
    ['plain text', undefined, 'garbage', 'no content-type, beginning "garbage"'],
    [
      'JSON cut off inside the token',
      'application/json',
      '{"token":"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS1ib3Qi',
      'content-type application/json, beginning "{\\"token\\":\\"…\\""',
    ],
    [
      'a form-encoded answer',
      'application/x-www-form-urlencoded',
      'access_token=s3cr3t-t0k&expires_in=300',
      'content-type application/x-www-form-urlencoded, beginning "access_token=…&expires_in=…"',
    ],
    ['an empty body', 'application/json', '', 'content-type application/json, an empty body'],
  ])('a token server that answers 200 with %s says it is not JSON, without the token', async (_n, type, body, what) => {
    handler = tokenHandler((res) => res.writeHead(200, type ? { 'content-type': type } : {}).end(body));
    const line = await errorLine();
    expect(line).toBe(
      `error: docker://${host}/slim:latest: the token server ${host} for ${host} answered with something that is not JSON (${what}) ${notJsonHint}`,
    );
    expect(line).not.toMatch(/s3cr3t|eyJzdWIi|eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9/);
  });

  it('a token server that never answers is named as the token server, not as the registry', async () => {
    handler = tokenHandler(() => undefined);
    const line = await errorLine(500);
    expect(line).toBe(
      `error: docker://${host}/slim:latest: the token server ${host} for ${host} did not answer within 0.5s ` +
        '(hint: check the network, or raise --timeout)',
    );
  });

  it('a token server that stops midway through its answer is named, with the timeout', async () => {
    // Headers and the start of the JSON, then silence with the connection open
    handler = tokenHandler((res) => void res.writeHead(200, { 'content-type': 'application/json' }).write('{"tok'));
    const line = await errorLine(500);
    expect(line).toBe(
      `error: docker://${host}/slim:latest: the token server ${host} for ${host} did not answer within 0.5s ` +
        '(hint: check the network, or raise --timeout)',
    );
  });

  it('a token server that trickles its answer is named as the one too slow, not the registry', async () => {
    // A space every 50 ms (20 B/s: never idle, far below the floor), never the end
    handler = tokenHandler((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const line = await errorLine(500);
    // The first answer is cut as too slow; its retry gets what is left of the one --timeout, and may be cut before its
    // first byte instead (timing decides which ends the pull). Either way the token server is the one named.
    const said = line.replace(`error: docker://${host}/slim:latest: the token server ${host} for ${host} `, '');
    expect(line.startsWith('error: docker://')).toBe(true);
    expect([
      'is too slow (the server sent less than 1024 bytes/s for 0.5s) (hint: check the network, or raise --timeout)',
      'did not answer within 0.5s (hint: check the network, or raise --timeout)',
    ]).toContain(said);
  });

  it('a token realm that is not a URL says so, with a hint', async () => {
    handler = (_req, res) =>
      void res.writeHead(401, { 'www-authenticate': 'Bearer realm="::nope::",service="test"' }).end();
    expect(await errorLine()).toBe(
      `error: docker://${host}/slim:latest: ${host} sent an invalid token realm "::nope::" (hint: the registry's token configuration is broken ` +
        "(its realm must be an absolute https:// URL); tell the registry's operators)",
    );
  });
});
