// The content-addressed blob cache on a real temp dir: atomic writes, verification on read, the size cap.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobCache, defaultCacheDir } from '../../src/sources/registry/cache.js';

const digestOf = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('BlobCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-cache-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const blobFile = (digest: string): string => join(dir, 'blobs', 'sha256', digest.slice(7));

  it('stores by digest and reads back verified', async () => {
    const cache = new BlobCache(dir);
    const data = Buffer.from('config bytes');
    await cache.put(digestOf(data), data);
    expect(await cache.has(digestOf(data), data.length)).toBe(true);
    expect(await cache.has(digestOf(data), data.length + 1)).toBe(false);
    expect(await cache.read(digestOf(data))).toEqual(data);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('never commits bytes that do not match the digest', async () => {
    const cache = new BlobCache(dir);
    const writer = await cache.writer(digestOf(Buffer.from('expected')));
    await writer!.write(Buffer.from('something else'));
    expect(await writer!.commit()).toBe(false);
    expect(await cache.has(digestOf(Buffer.from('expected')))).toBe(false);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  // Regression (bug hunt cache): a blob whose write failed after the stream's buffer was full (ENOSPC on a full
  // disk; here EFBIG under a file-size limit, which Node reports instead of dying of SIGXFSZ) waited for a 'drain'
  // that never came: a registry pull exited 13 with no output.
  // The same for a download's 64 KiB chunks, written one by one as they arrive.
  // And a blob that fits in the writer's 4 MiB buffer, written only as it is ended: end's callback hears of the
  // failed write before 'error' is emitted, and the cut file was renamed into place under the blob's digest.
  it.each([
    ['one write', 6, 'await cache.put(digest, data);'],
    [
      '64 KiB chunks',
      6,
      'const w = await cache.writer(digest); for (let i = 0; i < data.length; i += 65536) ' +
        'await w.write(data.subarray(i, i + 65536)); await w.commit();',
    ],
    ['one write of a blob the buffer holds', 2, 'await cache.put(digest, data);'],
  ])('a write that fails once the buffer is full ends the put, and nothing is cached (%s)', async (_name, mib, put) => {
    const module = new URL('../../dist/src/sources/registry/cache.js', import.meta.url).href;
    const script = [
      `const { BlobCache } = await import(${JSON.stringify(module)});`,
      `const { createHash, randomBytes } = await import('node:crypto');`,
      `const data = randomBytes(${mib} * 1024 * 1024);`,
      "const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;",
      `const cache = new BlobCache(${JSON.stringify(dir)});`,
      put,
      'process.stdout.write(`put returned, cached: ${await cache.has(digest)}`);',
    ].join('\n');
    const run = spawnSync('prlimit', ['--fsize=1048576', '--', process.execPath, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'put returned, cached: false' });
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('drops a corrupt entry when it is read whole', async () => {
    const cache = new BlobCache(dir);
    const data = Buffer.from('original');
    await cache.put(digestOf(data), data);
    await writeFile(blobFile(digestOf(data)), 'tampered');
    expect(await cache.read(digestOf(data))).toBeUndefined();
    expect(await cache.has(digestOf(data))).toBe(false);
  });

  it('fails a stream from a corrupt entry and removes it', async () => {
    const cache = new BlobCache(dir);
    const data = Buffer.alloc(300_000, 7);
    await cache.put(digestOf(data), data);
    await writeFile(blobFile(digestOf(data)), Buffer.alloc(300_000, 8));
    const consume = async (): Promise<void> => {
      for await (const _chunk of cache.open(digestOf(data)));
    };
    await expect(consume()).rejects.toMatchObject({
      code: 'cache-corrupt',
      message: expect.stringContaining('is corrupt'),
    });
    expect(await cache.has(digestOf(data))).toBe(false);
  });

  it('keeps under its size cap by removing the least recently used blobs', async () => {
    const cache = new BlobCache(dir, 250);
    const blobs = [Buffer.alloc(100, 1), Buffer.alloc(100, 2)];
    for (const [i, blob] of blobs.entries()) {
      await cache.put(digestOf(blob), blob);
      const when = new Date(Date.now() - (10 - i) * 60_000);
      await utimes(blobFile(digestOf(blob)), when, when);
    }
    const third = Buffer.alloc(100, 3);
    await cache.put(digestOf(third), third);
    expect(await cache.has(digestOf(blobs[0]))).toBe(false);
    expect(await cache.has(digestOf(blobs[1]))).toBe(true);
    expect(await cache.has(digestOf(third))).toBe(true);
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/ballast');
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/ballast');
    expect(defaultCacheDir({ BALLAST_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
  });
});
