// Registry faults, each against a real docker-registry behind a fault-injecting proxy on 127.0.0.1:
// 5xx then success, 429 with Retry-After, a connection cut mid-blob (resumed with Range), a corrupted blob,
// an unknown tag, and a DNS failure. None may hang.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { formatError } from '../../src/errors.js';
import type { Image } from '../../src/image/types.js';
import { openImage } from '../../src/sources/resolve.js';
import { skopeoCopy, startProxy, startRegistry, type Proxy, type Registry } from '../helpers/registry.js';

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
  const options = (): Parameters<typeof openImage>[1] => ({ noCache: true, notice: (m: string) => notes.push(m), timeoutMs: 5_000 });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-faults-'));
    registry = await startRegistry();
    await skopeoCopy(`docker-archive:${join(FIXTURES, 'test-docker-image.tar')}`, `docker://${registry.host}/faults/app:1`, { format: 'v2s2' });
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
    const sizes = await Promise.all(layers.map(async (l, index) => ({ index, digest: await l.digest(), size: await l.size() })));
    return sizes.sort((a, b) => b.size - a.size)[0];
  }

  it('retries a 500 and then succeeds', async () => {
    // Given a registry that fails the first manifest request with 500
    proxy.fault = (req, n) => (req.url?.includes('/manifests/') && n === 0 ? { kind: 'status', status: 500 } : undefined);
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
      req.url?.includes('/manifests/') && n === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : undefined;
    const started = Date.now();
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    await image.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/')).map((r) => r.status)).toEqual([429, 200]);
    expect(notes.join('\n')).toMatch(/HTTP 429 .*retrying in 1\.0s/);
  });

  it('gives up after the retries with a one-line error naming the registry', async () => {
    proxy.fault = (req) => (req.url?.includes('/manifests/') ? { kind: 'status', status: 503 } : undefined);
    const error = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options() }).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(new RegExp(`error: ${proxy.host} answered HTTP 503 .* \\(hint: try again later\\)`));
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(5);
  }, 30_000);

  it('resumes a blob whose connection is cut midway, with Range', async () => {
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, options());
    try {
      const big = await biggestLayer(image);
      expect(big.size).toBeGreaterThan(100_000);
      // Given a proxy that cuts the first full download of the biggest layer after 64 KiB
      proxy.fault = (req, n) => (req.url?.endsWith(big.digest) && !req.headers.range && n === 0 ? { kind: 'cut', afterBytes: 65_536 } : undefined);
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
    const image = await openImage(`docker://${proxy.host}/faults/app:1`, { ...options(), timeoutMs: 500 });
    try {
      const big = await biggestLayer(image);
      // Given a server that sends 32 KiB of the blob and then nothing, with the connection open
      proxy.fault = (req, n) => (req.url?.endsWith(big.digest) && !req.headers.range && n === 0 ? { kind: 'stall', afterBytes: 32_768 } : undefined);
      const started = Date.now();
      await drain(await (await image.layers())[big.index].uncompressed());
      // Then the idle timeout cut it and the rest came with Range
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      const gets = proxy.requests.filter((r) => r.path.endsWith(big.digest) && r.range !== 'bytes=0-15');
      expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=32768-']);
    } finally {
      await image.close();
    }
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
    expect(formatError(error)).toMatch(/^error: cannot resolve the registry host registry\.ballast-test\.invalid \(hint: .*\)$/);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('times out on a server that accepts but never answers', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await openImage(`docker://127.0.0.1:${port}/x/y:1`, { ...options(), timeoutMs: 300 }).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(/did not answer within 0\.3s .*--timeout/);
    } finally {
      silent.close();
    }
  }, 30_000);
});
