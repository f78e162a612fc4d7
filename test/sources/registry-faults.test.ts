// Registry faults, each against a real docker-registry behind the fault-injecting proxy (test/helpers/fault-proxy.ts)
// on 127.0.0.1: 5xx bursts, 429 storms with Retry-After, connections reset before or during a blob, slow-loris
// headers and bodies, a redirect loop, wrong Content-Length, a manifest over 4 MiB, a blob whose bytes do not match
// its digest, an unknown tag, and a DNS failure. Each is retried, resumed, or failed in one line, within a time bounded by the timeout
// (a failing request gets one timeout to notice the fault and one more for its retries), and the blob cache never
// keeps a partial or wrong blob. The redirect to another host and the secret scan are in registry-secrets.test.ts.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { formatError } from '../../src/errors.js';
import type { Image } from '../../src/image/types.js';
import { openImage } from '../../src/sources/resolve.js';
import { runCli } from '../helpers/cli.js';
import { skopeoCopy, startProxy, startRegistry, type Fault, type Proxy, type Registry } from '../helpers/registry.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'dive');

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

describe('registry faults', () => {
  let registry: Registry;
  let proxy: Proxy;
  let work: string;
  const notes: string[] = [];
  const options = (): Parameters<typeof openImage>[1] => ({
    noCache: true,
    notice: (m: string) => notes.push(m),
    timeoutMs: 5_000,
  });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-faults-'));
    registry = await startRegistry();
    await skopeoCopy(
      `docker-archive:${join(FIXTURES, 'test-docker-image.tar')}`,
      `docker://${registry.host}/faults/app:1`,
      { format: 'v2s2' },
    );
    proxy = await startProxy(registry.host);
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  beforeEach(() => {
    proxy.reset();
    notes.length = 0;
  });

  async function biggestLayer(image: Image): Promise<{ index: number; digest: string; size: number }> {
    const layers = await image.layers();
    const sizes = await Promise.all(
      layers.map(async (l, index) => ({ index, digest: await l.digest(), size: await l.size() })),
    );
    return sizes.sort((a, b) => b.size - a.size)[0];
  }

  it('retries a 500 and then succeeds', async () => {
    // Given a registry that fails the first manifest request with 500
    proxy.fault = (req, n) =>
      req.url?.includes('/manifests/') && n === 0 ? { kind: 'status', status: 500 } : undefined;
    // When the image is opened
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    await image.close();
    // Then the manifest was asked twice, and the user was told about the retry
    const manifests = proxy.requests.filter((r) => r.path.includes('/manifests/'));
    expect(manifests.map((r) => r.status)).toEqual([500, 200]);
    expect(notes.join('\n')).toMatch(/HTTP 500 .*retrying/);
  });

  it('retries a connection reset before the response', async () => {
    proxy.fault = (req, n) => (req.url?.includes('/manifests/') && n === 0 ? { kind: 'reset' } : undefined);
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    await image.close();
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(2);
    expect(notes.join('\n')).toMatch(/ECONNRESET from .*retrying/);
  });

  it('waits as long as Retry-After asks on a 429', async () => {
    proxy.fault = (req, n) =>
      req.url?.includes('/manifests/') && n === 0
        ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } }
        : undefined;
    const started = Date.now();
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    await image.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/')).map((r) => r.status)).toEqual([429, 200]);
    expect(notes.join('\n')).toMatch(/HTTP 429 .*retrying in 1\.0s/);
  });

  it('rides out a burst of 5xx answers', async () => {
    // Given three failures in a row (502, 503, 504) before the registry answers
    const burst = [502, 503, 504];
    proxy.fault = (req, n) =>
      req.url?.includes('/manifests/') && n < burst.length ? { kind: 'status', status: burst[n] } : undefined;
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    await image.close();
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/')).map((r) => r.status)).toEqual([
      502, 503, 504, 200,
    ]);
    expect(notes.filter((n) => /retrying/.test(n))).toHaveLength(3);
  });

  it('gives up on endless 5xx with a one-line error naming the registry, within twice the timeout', async () => {
    proxy.fault = (req) => (req.url?.includes('/manifests/') ? { kind: 'status', status: 503 } : undefined);
    const started = Date.now();
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 2_000 }).catch(
      (e: unknown) => e,
    );
    expect(formatError(error)).toMatch(
      new RegExp(`^error: ${proxy.host} answered HTTP 503 .* \\(hint: try again later\\)$`),
    );
    // The retries stop where the next wait would pass the budget (backoff 0.5 s, 1 s, ... within 2 s)
    const asked = proxy.requests.filter((r) => r.path.includes('/manifests/')).length;
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(asked).toBeLessThanOrEqual(5);
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 30_000);

  it('tells a trouble that lasts once, and once that it goes on, not every retry of every layer', async () => {
    // Given an image whose registry keeps answering 503 to every layer once the manifest and config are read
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 3_000 });
    try {
      proxy.fault = (req) => (req.url?.includes('/blobs/') ? { kind: 'status', status: 503 } : undefined);
      const layers = await image.layers();
      const started = Date.now();
      // When every layer is pulled
      const results = await Promise.allSettled(layers.map(async (l) => drain(await l.compressed())));
      // Then each fails (within the deadline it always had), after each was retried more than once
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(Date.now() - started).toBeLessThan(6_500);
      expect(proxy.requests.filter((r) => r.status === 503).length).toBeGreaterThan(2 * layers.length);
      // And the user read the trouble, then that it goes on, then why the retries stopped: one line each
      const told = notes.filter((n) => /HTTP 503/.test(n));
      expect(told).toEqual([
        expect.stringMatching(new RegExp(`^HTTP 503 from ${proxy.host}; retrying in \\d+\\.\\ds$`)),
        expect.stringMatching(/^HTTP 503 from .* again; still retrying \(further retries of it are not told\)$/),
        expect.stringMatching(/^HTTP 503 from .*; not retrying: waiting \d+\.\ds more would pass --timeout$/),
      ]);
    } finally {
      await image.close();
    }
  }, 30_000);

  it('fails a 429 storm with Retry-After as rate-limited, within twice the timeout', async () => {
    proxy.fault = (req) =>
      req.url?.includes('/manifests/') ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : undefined;
    const started = Date.now();
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 2_500 }).catch(
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    expect(formatError(error)).toMatch(
      /^error: .* answered HTTP 429 .*\(hint: the registry rate-limits pulls; wait, or log in for a higher limit\)$/,
    );
    // Retry-After was honoured (at least one 1 s wait) and the budget stopped the storm
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5_000);
    expect(notes.join('\n')).toMatch(/HTTP 429 .*retrying in 1\.0s/);
  }, 30_000);

  it('does not wait a Retry-After longer than the timeout allows', async () => {
    proxy.fault = (req) =>
      req.url?.includes('/manifests/') ? { kind: 'status', status: 429, headers: { 'retry-after': '120' } } : undefined;
    const started = Date.now();
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, options()).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(formatError(error)).toMatch(/answered HTTP 429/);
    expect(notes.join('\n')).toMatch(/not retrying: waiting 60\.0s more would pass --timeout/);
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(1);
  });

  it('fails a redirect loop in one line naming the registry path', async () => {
    proxy.fault = (req) => (req.url?.includes('/manifests/') ? { kind: 'redirect', location: req.url } : undefined);
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, options()).catch((e: unknown) => e);
    expect(formatError(error)).toBe(
      `error: docker://${proxy.host}/faults/app:1: too many redirects from ${proxy.host}/v2/faults/app/manifests/1 (hint: the registry (or a proxy in front of it) redirects in a loop; check its configuration)`,
    );
    // The first request and five hops, no more
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(6);
  });

  it('cuts response headers dripped slow-loris style, within twice the timeout', async () => {
    proxy.fault = (req) =>
      req.url?.includes('/manifests/') ? { kind: 'drip', bytes: 8, intervalMs: 50, part: 'headers' } : undefined;
    const started = Date.now();
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    // One timeout to notice, one for the retry, plus a backoff and the proxy's own latency
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(formatError(error)).toMatch(
      new RegExp(
        `^error: docker://${proxy.host}/faults/app:1: ${proxy.host} did not answer within 1s \\(hint: check the network, or raise --timeout\\)$`,
      ),
    );
  }, 30_000);

  it('resumes a blob whose connection is cut midway, with Range', async () => {
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    try {
      const big = await biggestLayer(image);
      expect(big.size).toBeGreaterThan(100_000);
      // Given a proxy that cuts the first full download of the biggest layer after 64 KiB
      proxy.fault = (req, n) =>
        req.url?.endsWith(big.digest) && !req.headers.range && n === 0
          ? { kind: 'cut', afterBytes: 65_536 }
          : undefined;
      // When the layer is read (and verified against its digest and diffId)
      const layer = (await image.layers())[big.index];
      await drain(await layer.uncompressed());
      // Then the download resumed where it stopped
      const gets = proxy.requests.filter((r) => r.path.endsWith(big.digest) && r.range !== 'bytes=0-15');
      expect(gets.length).toBe(2);
      expect(gets[1].range).toMatch(/^bytes=\d+-$/);
      expect(Number(/bytes=(\d+)-/.exec(gets[1].range!)![1])).toBeGreaterThanOrEqual(60_000);
      expect(notes.join('\n')).toMatch(/cut at \d+ bytes; resuming/);
    } finally {
      await image.close();
    }
  });

  it('resumes a blob whose server goes silent midway, after the --timeout', async () => {
    // 2 s rather than less: the retry after the stall gets one more --timeout, and on a loaded machine a shorter
    // one can run out before the resumed request is under way (seen once in CI at 0.5 s).
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 2000 });
    try {
      const big = await biggestLayer(image);
      // Given a server that sends 32 KiB of the blob and then nothing, with the connection open
      proxy.fault = (req, n) =>
        req.url?.endsWith(big.digest) && !req.headers.range && n === 0
          ? { kind: 'stall', afterBytes: 32_768 }
          : undefined;
      const started = Date.now();
      await drain(await (await image.layers())[big.index].uncompressed());
      // Then the idle timeout cut it and the rest came with Range
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      const gets = proxy.requests.filter((r) => r.path.endsWith(big.digest) && r.range !== 'bytes=0-15');
      expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=32768-']);
    } finally {
      await image.close();
    }
  });

  it.each([
    ['the cache', false],
    ['--no-cache', true],
  ])(
    'fails a blob whose server stays silent on every retry with the timeout in one line (through %s)',
    async (_path, noCache) => {
      const cacheDir = join(work, 'cache-silent');
      const image = await openImage(`docker://${proxy.host}/faults/app:1`, {
        ...options(),
        noCache,
        cacheDir,
        timeoutMs: 1_000,
      });
      try {
        const big = await biggestLayer(image);
        // Given a server that sends 32 KiB of the blob, then nothing, on the first request and on every resume
        proxy.fault = (req) =>
          req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15'
            ? { kind: 'stall', afterBytes: 32_768 }
            : undefined;
        const error = await drain(await (await image.layers())[big.index].uncompressed()).catch((e: unknown) => e);
        // Then the error says that --timeout ran out (not "too slow": nothing came at all), with the usual hint
        expect(formatError(error)).toMatch(
          new RegExp(
            `^error: .*downloading layer ${big.index} \\(sha256:[0-9a-f]{12}\\): ${proxy.host} did not answer within 1s \\(hint: check the network, or raise --timeout\\)$`,
          ),
        );
      } finally {
        await image.close();
      }
    },
    30_000,
  );

  it('fails a manifest whose body stops after its first byte as a timeout, not as too slow', async () => {
    // Given a registry that sends a manifest's headers and its first byte, then nothing, on every try
    proxy.fault = (req) => (req.url?.includes('/manifests/') ? { kind: 'stall', afterBytes: 1 } : undefined);
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(formatError(error)).toBe(
      `error: docker://${proxy.host}/faults/app:1: ${proxy.host} did not answer within 1s (hint: check the network, or raise --timeout)`,
    );
  }, 30_000);

  // How a layer's download goes wrong, on the blob requests but the sniff of its first bytes (the config, under 96 KiB,
  // is sent whole by the first two; `layers` are the image's layer digests)
  const downloadFaults: [string, (req: IncomingMessage, layers: string[]) => Fault | undefined][] = [
    // Bytes still arrive after the headers, so it is the idle timeout (not the rate floor) that cuts the download
    ['stops after 96 KiB, on the first request and on every resume', () => ({ kind: 'stall', afterBytes: 98_304 })],
    [
      'is cut after 96 KiB, and never answers the resume',
      (req) => (req.headers.range ? { kind: 'silent' } : { kind: 'cut', afterBytes: 98_304 }),
    ],
    [
      'never answers the first request',
      (req, layers) => (layers.some((digest) => req.url?.endsWith(digest)) ? { kind: 'silent' } : undefined),
    ],
  ];
  describe.each(downloadFaults)('a registry whose layer download %s', (_fault, fault) => {
    it.each([
      ['0 workers, no cache', ['--workers', '0', '--no-cache']],
      ['2 workers, the cache', ['--workers', '2']],
    ])(
      'the CLI tells it in one line, as the timeout that stopped the blob download (%s)',
      async (_how, flags) => {
        const manifest = await fetch(`http://${registry.host}/v2/faults/app/manifests/1`, {
          headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
        });
        const layers = ((await manifest.json()) as { layers: { digest: string }[] }).layers.map((l) => l.digest);
        proxy.fault = (req) =>
          /\/blobs\/sha256:/.test(req.url ?? '') && req.headers.range !== 'bytes=0-15' ? fault(req, layers) : undefined;
        const run = await runCli(['analyze', `docker://${proxy.host}/faults/app:1`, '--timeout', '2', ...flags], {
          env: { BALLAST_CACHE_DIR: join(work, 'cache-cli') },
          timeoutMs: 60_000,
        });
        // Then, after the notes of its retries, it exits 2 with one line naming the layer, what was being done, the
        // timeout and a way past it: a resume that got no answer says it as a body that stopped does
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(
          new RegExp(
            `\\nerror: reading layer \\d+ \\(sha256:[0-9a-f]{64}\\) of ${proxy.host}/faults/app: downloading the blob: ${proxy.host} did not answer within 2s \\(hint: check the network, or raise --timeout\\)\\n$`,
          ),
        );
      },
      60_000,
    );
  });

  it('fails a blob whose bytes do not match its digest, naming the layer', async () => {
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    try {
      const big = await biggestLayer(image);
      proxy.fault = (req) => (req.url?.endsWith(big.digest) && !req.headers.range ? { kind: 'corrupt' } : undefined);
      const layer = (await image.layers())[big.index];
      const error = await drain(await layer.uncompressed()).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(new RegExp(`layer ${big.index} \\(.*\\) blob does not match its digest`));
    } finally {
      await image.close();
    }
  });

  /** Files in a cache dir's blobs and tmp folders (a partial or wrong blob must never stay there). */
  async function cacheFiles(dir: string): Promise<string[]> {
    const list = async (sub: string) =>
      (await readdir(join(dir, sub)).catch(() => [] as string[])).map((f) => `${sub}/${f}`);
    return [...(await list('blobs/sha256')), ...(await list('tmp'))];
  }

  it('resumes a blob body dripped slow-loris style, and fails one that never speeds up', async () => {
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 1_000 });
    try {
      const big = await biggestLayer(image);
      // Given a first download that drips 16 bytes every 50 ms (320 B/s: never idle, far below the floor)
      proxy.fault = (req, n) =>
        req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15' && n === 0
          ? { kind: 'drip', bytes: 16, intervalMs: 50, part: 'body' }
          : undefined;
      const started = Date.now();
      await drain(await (await image.layers())[big.index].uncompressed());
      // Then it was cut after one window and resumed from the bytes it had
      expect(Date.now() - started).toBeLessThan(3_000);
      const gets = proxy.requests.filter((r) => r.path.endsWith(big.digest) && r.range !== 'bytes=0-15');
      expect(gets).toHaveLength(2);
      expect(gets[1].range).toMatch(/^bytes=\d+-$/);
      expect(notes.join('\n')).toMatch(/cut at \d+ bytes; resuming/);

      // Given a server that always drips
      proxy.reset();
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15'
          ? { kind: 'drip', bytes: 16, intervalMs: 50, part: 'body' }
          : undefined;
      const again = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 1_000 });
      const t0 = Date.now();
      const error = await drain(await (await again.layers())[big.index].uncompressed()).catch((e: unknown) => e);
      await again.close();
      // Then it fails in one line naming the layer and the blob, within about twice the timeout
      expect(Date.now() - t0).toBeLessThan(3_500);
      expect(formatError(error)).toMatch(
        new RegExp(
          `^error: .*downloading layer ${big.index} \\(sha256:[0-9a-f]{12}\\): ${proxy.host} is too slow \\(.*bytes/s.*\\) \\(hint: .*\\)$`,
        ),
      );
    } finally {
      await image.close();
    }
  }, 30_000);

  it('fails at once on a blob that ends at its Content-Length, short of its descriptor, and finishes one too long', async () => {
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    try {
      const big = await biggestLayer(image);
      const layer = (await image.layers())[big.index];
      // Too short: the body ends where its Content-Length says, 1000 bytes before the descriptor's size. The registry
      // sent all it meant to; asking it for the rest (Range) could only bring a 416
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15'
          ? { kind: 'length', delta: -1000 }
          : undefined;
      const error = await drain(await layer.uncompressed()).catch((e: unknown) => e);
      let gets = proxy.requests.filter((r) => r.path.endsWith(big.digest) && r.range !== 'bytes=0-15');
      expect(gets.map((r) => r.range)).toEqual([undefined]);
      expect(notes).toEqual([]);
      expect(formatError(error)).toMatch(
        new RegExp(
          `^error: .*the blob sha256:[0-9a-f]{12} \\(layer ${big.index}\\) in ${proxy.host}/faults/app is shorter than the manifest says: ${big.size - 1000} of ${big.size} bytes \\(hint: the image in the registry is inconsistent, and retrying will not help; push it again\\)$`,
        ),
      );
      // Too long: every byte arrives, then the connection drops waiting for the rest; nothing is left to ask for
      proxy.reset();
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && !req.headers.range ? { kind: 'length', delta: 1000 } : undefined;
      await drain(await layer.uncompressed());
      gets = proxy.requests.filter((r) => r.path.endsWith(big.digest) && r.range !== 'bytes=0-15');
      expect(gets.map((r) => r.range)).toEqual([undefined]);
    } finally {
      await image.close();
    }
  });

  // [the request answered 416, its Range, what the error says the registry refused]
  it.each([
    ['the first request for the blob', undefined, 'the request for'],
    ['the request for its first bytes', 'bytes=0-15', 'the range bytes=0-15 of'],
  ])('says a 416 to %s is the registry refusing it, not a reason to try again later', async (_what, range, refused) => {
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    try {
      const big = await biggestLayer(image);
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && req.headers.range === range ? { kind: 'status', status: 416 } : undefined;
      const layer = (await image.layers())[big.index];
      // The raw blob, and the layer as the walk reads it (which sniffs the first bytes): the same error either way. The
      // walk's read failed with an unhandled 'error' event when the blob's first request failed at once, before the
      // stream it was piped into was handed back.
      for (const read of range ? [layer.uncompressed] : [layer.compressed, layer.uncompressed]) {
        // Whether opening the layer fails or reading it does
        const error = await read()
          .then(drain)
          .catch((e: unknown) => e);
        const line = formatError(error);
        expect(line).toMatch(
          new RegExp(
            `^error: .*${proxy.host}/faults/app refused ${refused} blob sha256:[0-9a-f]{12} \\(layer ${big.index}\\) \\(HTTP 416\\) \\(hint: .+\\)$`,
          ),
        );
        expect(line).not.toMatch(/try again later/);
      }
      expect(notes).toEqual([]);
    } finally {
      await image.close();
    }
  });

  it('fails a manifest whose Content-Length cuts it short, naming it', async () => {
    proxy.fault = (req) => (req.url?.includes('/manifests/') ? { kind: 'length', delta: -10 } : undefined);
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, options()).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(
      /^error: the manifest faults\/app:1 from .* does not match the digest the registry announced .*\(hint: .*\)$/,
    );
  });

  it.each([
    ['with a Content-Length, before reading it', false, '5000000 bytes, more than 4194304 bytes'],
    ['without one, as it passes the limit', true, 'over 4194304 bytes'],
  ])('refuses a 5 MB manifest %s, in one line, asking once', async (_, chunked, size) => {
    // Given a registry whose manifest answer is 5 MB: over the 4 MiB a manifest may weigh, under a config's 64 MiB
    proxy.fault = (req) =>
      req.url?.includes('/manifests/') ? { kind: 'huge', bytes: 5_000_000, chunked: chunked as boolean } : undefined;
    // When the image is opened
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, options()).catch((e: unknown) => e);
    // Then it fails with exit 2, naming the answer, its size and the limit
    expect(formatError(error)).toBe(
      `error: docker://${proxy.host}/faults/app:1: the answer to GET ${proxy.host}/v2/faults/app/manifests/1 is ` +
        `${size}, the most ballast reads of a manifest or index (hint: manifests, indexes, configs and tokens are ` +
        'kilobytes: check that this is a container registry, or that no proxy in between answers instead)',
    );
    expect((error as { exitCode?: number }).exitCode).toBe(2);
    // And the manifest was asked once: a refused answer is not retried
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(1);
    expect(notes).toEqual([]);
  });

  it('fails a blob whose connection keeps being reset, leaving nothing in the cache', async () => {
    const cacheDir = join(work, 'cache-reset');
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), noCache: false, cacheDir });
    try {
      const big = await biggestLayer(image);
      const before = await cacheFiles(cacheDir);
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15'
          ? { kind: 'cut', afterBytes: 10_000 }
          : undefined;
      const error = await drain(await (await image.layers())[big.index].uncompressed()).catch((e: unknown) => e);
      const line = formatError(error);
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toMatch(new RegExp(`layer ${big.index} \\(sha256:[0-9a-f]{12}\\)`));
      expect(line).toContain(proxy.host);
      // The manifest and config may be cached; the layer, whole or partial, is not, and no temp file is left
      expect(await cacheFiles(cacheDir)).toEqual(before);
      expect(before.some((f) => f.endsWith(big.digest.slice(7)))).toBe(false);
    } finally {
      await image.close();
    }
  }, 30_000);

  it('never caches a blob whose bytes do not match its digest', async () => {
    const cacheDir = join(work, 'cache-corrupt');
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), noCache: false, cacheDir });
    try {
      const big = await biggestLayer(image);
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15' ? { kind: 'corrupt' } : undefined;
      const error = await drain(await (await image.layers())[big.index].uncompressed()).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(/does not match its digest/);
      const files = await cacheFiles(cacheDir);
      expect(files.some((f) => f.includes(big.digest.slice(7, 19)))).toBe(false);
      expect(files.filter((f) => f.startsWith('tmp/'))).toEqual([]);
      // And a clean second read downloads it again and keeps it
      proxy.reset();
      await drain(await (await image.layers())[big.index].uncompressed());
      expect(await cacheFiles(cacheDir)).toContain(`blobs/sha256/${big.digest.slice(7)}`);
    } finally {
      await image.close();
    }
  }, 30_000);

  it('streams a layer into the reader while it downloads, and keeps no partial blob when the reader stops', async () => {
    const cacheDir = join(work, 'cache-stream');
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, {
      ...options(),
      noCache: false,
      cacheDir,
      timeoutMs: 30_000,
    });
    try {
      const big = await biggestLayer(image);
      // Given a registry that sends the first 64 KiB of the layer and then holds the rest back
      proxy.fault = (req) =>
        req.url?.endsWith(big.digest) && req.headers.range !== 'bytes=0-15'
          ? { kind: 'stall', afterBytes: 65_536 }
          : undefined;
      const stream = await (await image.layers())[big.index].compressed();
      // Then the reader gets bytes before the download is complete (no download-then-read)
      let got = 0;
      for await (const chunk of stream) {
        got += (chunk as Buffer).length;
        if (got >= 32_768) break;
      }
      expect(got).toBeGreaterThanOrEqual(32_768);
      expect(got).toBeLessThanOrEqual(65_536);
      expect(big.size).toBeGreaterThan(65_536);
      // And stopping early leaves neither the blob nor a temp file in the cache
      await new Promise((resolve) => setTimeout(resolve, 200));
      const files = await cacheFiles(cacheDir);
      expect(files.some((f) => f.includes(big.digest.slice(7, 19)))).toBe(false);
      expect(files.filter((f) => f.startsWith('tmp/'))).toEqual([]);
    } finally {
      await image.close();
    }
  }, 30_000);

  it('says how to see the tags when a tag does not exist', async () => {
    const error = await openImage(`docker://${proxy.host}/faults/app:nope`, options()).catch((e: unknown) => e);
    const line = formatError(error);
    expect(line).toContain(`has no tag faults/app:nope; some of its tags: 1`);
    expect(line).toContain(`skopeo list-tags docker://${proxy.host}/faults/app`);
  });

  it('says which repository does not exist', async () => {
    const error = await openImage(`docker://${proxy.host}/faults/missing:1`, options()).catch((e: unknown) => e);
    expect(formatError(error)).toContain(`has no repository faults/missing`);
  });

  it('reports a DNS failure in one line without retrying forever', async () => {
    const started = Date.now();
    const error = await openImage('docker://registry.ballast-test.invalid/x/y:1', options()).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(
      /^error: docker:\/\/registry\.ballast-test\.invalid\/x\/y:1: cannot resolve the registry host registry\.ballast-test\.invalid \(hint: .*\)$/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('times out on a server that accepts but never answers', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await openImage(`docker://127.0.0.1:${port}/x/y:1`, { ...options(), timeoutMs: 300 }).catch(
        (e: unknown) => e,
      );
      expect(formatError(error)).toMatch(/did not answer within 0\.3s .*--timeout/);
    } finally {
      silent.close();
    }
  }, 30_000);
});
