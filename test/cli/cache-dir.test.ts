// A cache folder that cannot be made or written (BALLAST_CACHE_DIR under /proc, a regular file, a path through a
// file, a folder the process may not write) never fails or stalls a command: it runs without the cache, as a full
// disk does, and says so once on stderr. Node's recursive mkdir of /proc/self/x never returned: analyze hung.
// (The tests run as root, which ignores permissions: /proc and a file in the way stand in for read-only folders.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { LayerCache } from '../../src/analysis/layer-cache.js';
import { LayerScanner } from '../../src/analysis/scan-layer.js';
import { BlobCache, makeDirectory } from '../../src/sources/registry/cache.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';
import { runCli } from '../helpers/cli.js';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.js';

const note = (dir: string, code: string): string =>
  `note: cannot write the cache in ${dir} (${code}); running without it ` +
  '(set BALLAST_CACHE_DIR to a writable folder, or pass --no-cache)\n';

describe('an unusable cache folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'ballast-cachedir-'));
  let image: BuiltImage;
  let registry: Registry;
  let plain: string;

  beforeAll(async () => {
    writeFileSync(join(work, 'a-file'), 'not a folder\n');
    image = await buildOciLayout([layer({ 'etc/os-release': 'ID=test\n', 'app/data.bin': 20_000 })]);
    registry = await startRegistry();
    await skopeoCopy(`oci:${image.path}:latest`, `docker://${registry.host}/app:1`);
    const reference = await runCli(['analyze', `oci:${image.path}`, '--no-cache'], { timeoutMs: 30_000 });
    expect(reference).toMatchObject({ code: 0, stderr: '' });
    plain = reference.stdout;
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    image?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const cases: [string, string, string][] = [
    ['a path under /proc that cannot be created', '/proc/self/x', 'ENOENT'],
    ['deeper under /proc', '/proc/self/x/y/z', 'ENOENT'],
    ['an existing folder nobody may write into', '/proc/self', 'ENOENT'],
    ['a regular file', join(work, 'a-file'), 'ENOTDIR'],
    ['a folder below a regular file', join(work, 'a-file', 'cache'), 'ENOTDIR'],
  ];

  it.each(cases)(
    '%s (%s): analyze runs without the cache, with one note',
    async (_what, dir, code) => {
      const run = await runCli(['analyze', `oci:${image.path}`], {
        env: { BALLAST_CACHE_DIR: dir },
        timeoutMs: 20_000,
      });
      expect(run).toEqual({ code: 0, stdout: plain, stderr: note(dir, code) });
    },
    30_000,
  );

  it.each([cases[0], cases[3]])(
    '%s (%s): a registry pull runs without the blob cache, with one note',
    async (_what, dir, code) => {
      const run = await runCli(['analyze', `docker://${registry.host}/app:1`], {
        env: { BALLAST_CACHE_DIR: dir },
        timeoutMs: 20_000,
      });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: note(dir, code) });
      expect(run.stdout).toContain('app/data.bin');
    },
    30_000,
  );

  it('diff runs without the layer cache, with one note', async () => {
    const run = await runCli(['diff', `oci:${image.path}`, `oci:${image.path}`], {
      env: { BALLAST_CACHE_DIR: '/proc/self/x' },
      timeoutMs: 20_000,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: note('/proc/self/x', 'ENOENT') });
  }, 30_000);

  it('--no-cache never touches it, and says nothing', async () => {
    const run = await runCli(['analyze', `oci:${image.path}`, '--no-cache'], {
      env: { BALLAST_CACHE_DIR: '/proc/self/x' },
      timeoutMs: 20_000,
    });
    expect(run).toEqual({ code: 0, stdout: plain, stderr: '' });
  }, 30_000);
});

describe('makeDirectory', () => {
  it('makes every missing level, and accepts one that exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-mkdir-'));
    try {
      await makeDirectory(join(dir, 'a', 'b', 'c'));
      await Promise.all([makeDirectory(join(dir, 'a', 'd', 'e')), makeDirectory(join(dir, 'a', 'd', 'f'))]);
      await makeDirectory(join(dir, 'a', 'b'));
      writeFileSync(join(dir, 'file'), '');
      await expect(makeDirectory(join(dir, 'file'))).rejects.toMatchObject({ code: 'EEXIST' });
      await expect(makeDirectory(join(dir, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a path the kernel will not create, where a recursive mkdir never returns', async () => {
    await expect(makeDirectory('/proc/self/x/y')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('each cache on its own, at a folder that cannot be made', () => {
  it('the blob cache declines to write, and says so once', async () => {
    const notes: string[] = [];
    const cache = new BlobCache('/proc/self/x/blob', undefined, (m) => notes.push(m));
    const data = Buffer.from('config bytes');
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    await cache.put(digest, data);
    await cache.put(digest, data);
    expect(await cache.has(digest)).toBe(false);
    expect(notes).toEqual([note('/proc/self/x/blob', 'ENOENT').slice('note: '.length, -1)]);
  });

  it('the layer cache declines to write, and says so once', async () => {
    const notes: string[] = [];
    const cache = new LayerCache('/proc/self/x/layer', undefined, (m) => notes.push(m));
    const ref = { diffId: `sha256:${'a'.repeat(64)}`, digest: `sha256:${'b'.repeat(64)}`, verifiedDiffId: true };
    const scan = new LayerScanner('empty layer').finish();
    await cache.put(ref, scan);
    await cache.put(ref, scan);
    expect(await cache.get(ref)).toBeUndefined();
    expect(notes).toEqual([note('/proc/self/x/layer', 'ENOENT').slice('note: '.length, -1)]);
  });
});
