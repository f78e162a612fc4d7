// What a warm cache may claim and serve. A layer blob cut short (or grown) after an analysis filled the caches used to
// be served from them as if it were whole, with exit 0 and `blobDigests: "verified"`, while --no-cache exited 2 on
// it. A hit now checks what is cheap (the stored size, from a stat or the archive member's header, against the
// descriptor's) and fails with the error reading it gives; and a result from the cache says `cached`, not `verified`,
// since no byte of the blob was hashed in this run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

const layers = [
  layer({ 'etc/os-release': 'ID=test\n', 'usr/lib/libc.so': 200_000 }, 'ADD rootfs.tar /'),
  layer({ 'opt/app/run': 50_000 }, 'RUN install'),
];

/** The biggest file in `dir`: in a layout's blobs or an archive's members, a layer, not the config or manifest. */
function biggestFile(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .sort((x, y) => statSync(y).size - statSync(x).size)[0];
}

/** The biggest layer blob of a layout. */
const biggestBlob = (layout: string) => biggestFile(join(layout, 'blobs', 'sha256'));

const shorten = (path: string) => truncateSync(path, statSync(path).size - 1000);
const lengthen = (path: string) => writeFileSync(path, Buffer.alloc(512), { flag: 'a' });

/** An OCI archive (the layout in a tar) of `layout`, written to `path`. */
function tarLayout(layout: string, path: string): void {
  const r = spawnSync('tar', ['-C', layout, '-cf', path, '.']);
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
}

const checksOf = (stdout: string) => {
  const r = JSON.parse(stdout);
  return { image: r.image.checks, layers: r.layers.map((l: { checks: unknown }) => l.checks) };
};

describe('a warm cache and a blob changed in size since it was filled', () => {
  let image: BuiltImage;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    image = await buildOciLayout(layers);
  });
  afterAll(() => image?.cleanup());
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'ballast-cache-trust-'));
    env = { BALLAST_CACHE_DIR: join(work, 'cache') };
    spawnSync('cp', ['-r', image.path, join(work, 'layout')]);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  // [what, the image as analysed, how the blob changes, what the size error says, whether --no-verify reads it]
  const cases: [string, 'layout' | 'archive', (path: string) => void, RegExp, boolean][] = [
    ['an OCI layout, its blob cut short', 'layout', shorten, /blob is \d+ bytes, but its descriptor says \d+/, false],
    [
      'an OCI layout, bytes added to its blob',
      'layout',
      lengthen,
      /blob is \d+ bytes, but its descriptor says \d+/,
      true,
    ],
    [
      'an OCI archive, its member cut short',
      'archive',
      shorten,
      /blob is \d+ bytes, but its descriptor says \d+/,
      false,
    ],
  ];

  it.each(cases)(
    '%s: exits 2 with the error --no-cache gives, warm or not',
    async (_what, kind, spoil, message, reads) => {
      const layout = join(work, 'layout');
      const target = kind === 'layout' ? layout : join(work, 'image.tar');
      if (kind === 'archive') tarLayout(layout, target);
      const cold = await runCli(['analyze', target, '--json'], { env });
      expect(cold.code).toBe(0);
      expect(checksOf(cold.stdout).image).toEqual({ blobDigests: 'verified', diffIds: 'skipped' });
      spoil(biggestBlob(layout));
      if (kind === 'archive') tarLayout(layout, target);
      const uncached = await runCli(['analyze', target, '--no-cache'], { env });
      expect(uncached.code).toBe(2);
      expect(uncached.stderr).toMatch(message);
      // The whole result is cached, then only the layers: each is checked before it is served.
      const warm = await runCli(['analyze', target], { env });
      rmSync(join(work, 'cache', 'results'), { recursive: true, force: true });
      const layersOnly = await runCli(['analyze', target], { env });
      // --no-verify still reads the layer cache: a blob that cannot be the one cached is not served there either. One
      // longer than its descriptor is read only as far as the descriptor counts, the bytes cached: served, as read.
      const unverified = await runCli(['analyze', target, '--no-verify', '--json'], { env });
      for (const run of reads ? [warm, layersOnly] : [warm, layersOnly, unverified]) {
        expect(run).toEqual({ code: 2, stdout: '', stderr: uncached.stderr });
      }
      if (reads) {
        const read = await runCli(['analyze', target, '--no-verify', '--no-cache', '--json'], { env });
        expect(read.code).toBe(0);
        expect(unverified).toEqual(read);
      }
      expect(uncached.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('a blob of another size is refused with a hint that does not offer --no-verify, which cannot read it', async () => {
    const layout = join(work, 'layout');
    shorten(biggestBlob(layout));
    const uncached = await runCli(['analyze', layout, '--no-cache'], { env });
    expect(uncached.code).toBe(2);
    expect(uncached.stderr).toMatch(/blob is \d+ bytes, but its descriptor says \d+ \(hint: .+\)\n$/);
    expect(uncached.stderr).not.toContain('--no-verify');
    // What the hint would have offered: --no-verify reads the short blob and fails all the same.
    const unverified = await runCli(['analyze', layout, '--no-cache', '--no-verify'], { env });
    expect(unverified.code).toBe(2);
  });

  it('a result served from the cache says its blob digests are cached, not verified in this run', async () => {
    const layout = join(work, 'layout');
    const cold = await runCli(['analyze', layout, '--json'], { env });
    const warm = await runCli(['analyze', layout, '--json'], { env });
    rmSync(join(work, 'cache', 'results'), { recursive: true, force: true });
    const layersOnly = await runCli(['analyze', layout, '--json'], { env });
    // Entries read without the diff_id check cannot vouch for it: asked for now, the layers are read and checked.
    const diffIdsAsked = await runCli(['analyze', layout, '--json', '--verify-diff-ids'], { env });
    rmSync(join(work, 'cache'), { recursive: true, force: true });
    await runCli(['analyze', layout, '--json', '--verify-diff-ids'], { env });
    const diffIdsCached = await runCli(['analyze', layout, '--json', '--verify-diff-ids'], { env });
    expect(checksOf(cold.stdout)).toEqual({
      image: { blobDigests: 'verified', diffIds: 'skipped' },
      layers: [
        { blobDigest: 'verified', diffId: 'skipped' },
        { blobDigest: 'verified', diffId: 'skipped' },
      ],
    });
    const cached = {
      image: { blobDigests: 'cached', diffIds: 'skipped' },
      layers: [
        { blobDigest: 'cached', diffId: 'skipped' },
        { blobDigest: 'cached', diffId: 'skipped' },
      ],
    };
    expect(checksOf(warm.stdout)).toEqual(cached);
    expect(checksOf(layersOnly.stdout)).toEqual(cached);
    expect(checksOf(diffIdsAsked.stdout).image).toEqual({ blobDigests: 'verified', diffIds: 'verified' });
    // Entries that were checked against their diff_ids when cached say so, as `cached` too.
    expect(checksOf(diffIdsCached.stdout).image).toEqual({ blobDigests: 'cached', diffIds: 'cached' });
    // All else is the same answer.
    const strip = (stdout: string) => {
      const r = JSON.parse(stdout);
      delete r.image.checks;
      r.layers.forEach((l: { checks?: unknown }) => delete l.checks);
      return r;
    };
    expect(strip(warm.stdout)).toEqual(strip(cold.stdout));
    expect(strip(layersOnly.stdout)).toEqual(strip(cold.stdout));
    // --no-cache reads and verifies every byte again.
    const again = await runCli(['analyze', layout, '--json', '--no-cache'], { env });
    expect(checksOf(again.stdout)).toEqual(checksOf(cold.stdout));
  });
});

// crane's and kaniko's `docker save` format (test/fixtures/dive/PROVENANCE.md): gzip layers named `<hex>.tar.gz` by
// their digest, and a legacy manifest.json with no descriptor, so no size to hold a blob to but the one it was cached
// with.
const kaniko = 'test/fixtures/dive/test-kaniko-image.tar';

/** The members of `dir` packed into the archive `path`, in `names`' order, as the fixture lists them. */
function packArchive(dir: string, names: string[], path: string): void {
  const r = spawnSync('tar', ['-C', dir, '-cf', path, '--', ...names]);
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
}

describe('a warm cache and a docker save archive whose layer member changed in size, with no descriptor size', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  let names: string[];

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'ballast-cache-trust-'));
    env = { BALLAST_CACHE_DIR: join(work, 'cache') };
    mkdirSync(join(work, 'members'));
    const r = spawnSync('tar', ['-C', join(work, 'members'), '-xf', kaniko]);
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
    names = spawnSync('tar', ['-tf', kaniko]).stdout.toString().trim().split('\n');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  // [what, how the biggest layer member changes]
  const cases: [string, (path: string) => void][] = [
    ['its member cut short', shorten],
    ['bytes added to its member', lengthen],
  ];

  it.each(cases)('%s: exits 2 with a one-line size error on a warm cache', async (_what, spoil) => {
    const members = join(work, 'members');
    const target = join(work, 'image.tar');
    packArchive(members, names, target);
    const cold = await runCli(['analyze', target, '--json'], { env });
    expect(cold.code).toBe(0);
    expect(checksOf(cold.stdout).image).toEqual({ blobDigests: 'verified', diffIds: 'skipped' });
    spoil(biggestFile(members));
    packArchive(members, names, target);
    // Read, the blob fails its digest (or its gzip stream ends early): exit 2 too, with that error.
    const uncached = await runCli(['analyze', target, '--no-cache'], { env });
    expect(uncached.code).toBe(2);
    // The whole result is cached, then only the layers: each is held to the size it was cached with.
    const warm = await runCli(['analyze', target], { env });
    rmSync(join(work, 'cache', 'results'), { recursive: true, force: true });
    const layersOnly = await runCli(['analyze', target], { env });
    const unverified = await runCli(['analyze', target, '--no-verify'], { env });
    for (const run of [warm, layersOnly, unverified]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      // The layer named once, by the blob digest its member is named by, as the archive's other read errors name it:
      // it was named again by its diff_id, a second digest for the user to match against the archive.
      expect(run.stderr).toMatch(
        /^error: reading layer 0 \(sha256:[0-9a-f]{64}\) of \S+: the blob is \d+ bytes, but it was \d+ when it was cached \(hint: the blob (was cut short|has bytes it did not have when it was cached).+; fetch or save the image again\)\n$/,
      );
      expect(run.stderr.match(/layer \d/g)).toHaveLength(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
