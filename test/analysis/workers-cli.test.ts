// The layer walk on worker threads, end to end through the compiled CLI (dist/, so `npm run build` first): ts-jest runs
// the sources, where the walk has no compiled worker and always runs in-process, so only here do the workers' own
// file reads, decoders and lanes run. `--workers 2` must give what `--workers 0` gives, byte for byte, on every kind
// of image and every kind of broken one; the default starts workers only for 2+ layers, 16 MiB to read and 4 MiB a layer on average; a failing
// layer stops the walk while another worker is still reading; progress and layer order hold on workers too.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync as gunzip, gzipSync } from 'node:zlib';
import { runCli, type CliResult } from '../helpers/cli.js';
import { END, pax1SparseEntry, tarEntry, writeLayout, type Layout } from '../helpers/hostile.js';
import { buildDockerArchive, layer, layerTar, type LayerSpec } from '../helpers/image-builder.js';
import { skopeoCopy, startProxy, startRegistry, type Proxy, type Registry } from '../helpers/registry.js';
import { packTar } from '../helpers/tar.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const zstd = (data: Buffer) => execFileSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 1 << 30 });
const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const PLAIN = 'application/vnd.oci.image.layer.v1.tar';

const work = mkdtempSync(join(tmpdir(), 'ballast-workers-cli-'));
const layouts: Layout[] = [];
afterAll(() => {
  for (const l of layouts) l.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** An OCI layout of these tars, stored as `kinds` say: gzip, zstd or plain, with their true diff_ids. */
function mixedLayout(tars: Buffer[], kinds: ('gzip' | 'zstd' | 'plain')[]): Layout {
  const stored = tars.map((t, i) => (kinds[i] === 'gzip' ? gzipSync(t) : kinds[i] === 'zstd' ? zstd(t) : t));
  const types = kinds.map((k) => (k === 'gzip' ? GZIP : k === 'zstd' ? ZSTD : PLAIN));
  const l = writeLayout({
    layers: stored,
    layerTypes: types,
    config: {
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: tars.map(sha) },
      history: tars.map((_, i) => ({ created_by: `/bin/sh -c step ${i}` })),
    },
  });
  layouts.push(l);
  return l;
}

/** The same layout as an OCI archive (a tar of its files), whose blobs the workers read as members of the tar. */
async function archiveOf(dir: string, name: string): Promise<string> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d, { withFileTypes: true }))
      if (f.isDirectory()) walk(join(d, f.name));
      else files.push(join(d, f.name));
  };
  walk(dir);
  const path = join(work, name);
  writeFileSync(
    path,
    await packTar(files.sort().map((f) => ({ name: relative(dir, f), type: 'file', content: readFileSync(f) }))),
  );
  return path;
}

/** Three layers of a little of everything: files in directories, an overwrite, a whiteout, a symlink, a hardlink. */
const specs: LayerSpec[] = [
  layer({ 'etc/os-release': 'ID=test\n', 'usr/lib/libc.so': 300_000, 'usr/bin/tool': 40_000, 'tmp/cache.bin': 90_000 }),
  layer({
    'usr/bin/tool': 41_000,
    'tmp/.wh.cache.bin': { kind: 'whiteout' },
    'app/link': { kind: 'symlink', target: '/usr/bin/tool' },
  }),
  layer({ 'app/main.js': 'console.log(1)\n'.repeat(2000), 'app/copy': { kind: 'hardlink', target: 'app/main.js' } }),
];
let tars: Buffer[];
beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../../dist/src/analysis/walk-worker.js', import.meta.url))))
    throw new Error('dist/ is missing: run `npm run build` first');
  tars = await Promise.all(specs.map(layerTar));
});

/** `args` with --workers 2 and with --workers 0, at once (with no cache, so neither sees the other's entries). */
async function both(args: string[]): Promise<[CliResult, CliResult]> {
  const run = (workers: string) => runCli([...args, '--no-cache', '--workers', workers], { timeoutMs: 60_000 });
  return Promise.all([run('2'), run('0')]);
}

describe('--workers 2 and --workers 0 give the same bytes', () => {
  // Fixtures with 2+ layers, and the formats only found as one-layer fixtures (estargz, zstd, containerd, skopeo ...):
  // an explicit --workers 2 gives a one-layer image one worker (never more workers than layers), so they are read on
  // a worker too.
  const fixtures = [
    'test/fixtures/dive/test-docker-image.tar',
    'test/fixtures/dive/test-kaniko-image.tar',
    'test/fixtures/formats/ggcr/mutate/overwritten_file.tar',
    'test/fixtures/formats/ggcr/mutate/whiteout_dir.tar',
    'test/fixtures/formats/ggcr/mutate/whiteout_image.tar',
    'test/fixtures/formats/ggcr/tarball/test_link.tar:@1',
    'test/fixtures/formats/ggcr/layout/test_index',
    'test/fixtures/dive/test-oci-estargz-image.tar',
    'test/fixtures/dive/test-oci-zstd-image.tar',
    'test/fixtures/snyk/containerd-archives--alpine.tar',
    'test/fixtures/snyk/docker-archives--skopeo-copy--busybox.tar',
    'test/fixtures/snyk/oci-archives--busybox-1.31.1.tar',
  ];
  it.each(fixtures)('analyze --json of %s', async (image) => {
    const [workers, inProcess] = await both(['analyze', image, '--json']);
    expect(workers.code).toBe(0);
    expect(workers.stdout.length).toBeGreaterThan(0);
    expect(workers).toEqual(inProcess);
  });

  it('analyze --json of built images: an OCI layout and an OCI archive of gzip, zstd and plain layers, a docker archive, gzipped too', async () => {
    const mixed = mixedLayout(tars, ['gzip', 'zstd', 'plain']);
    const archive = await archiveOf(mixed.dir, 'mixed-oci.tar');
    const docker = await buildDockerArchive(specs);
    // `docker save | gzip`: the layers are no file's bytes until the archive is inflated.
    const gzipped = join(work, 'docker.tar.gz');
    writeFileSync(gzipped, gzipSync(readFileSync(docker.path)));
    try {
      for (const image of [mixed.dir, archive, docker.path, gzipped]) {
        const [workers, inProcess] = await both(['analyze', image, '--json']);
        expect({ image, code: workers.code }).toEqual({ image, code: 0 });
        expect(workers).toEqual(inProcess);
      }
    } finally {
      docker.cleanup();
    }
  });

  it('diff --json and explore --json', async () => {
    const mixed = mixedLayout(tars, ['zstd', 'gzip', 'gzip']);
    for (const args of [
      ['diff', 'test/fixtures/dive/test-docker-image.tar', 'test/fixtures/dive/test-kaniko-image.tar', '--json'],
      ['explore', mixed.dir, '--json'],
    ]) {
      const [workers, inProcess] = await both(args);
      expect({ args, code: workers.code }).toEqual({ args, code: 0 });
      expect(workers).toEqual(inProcess);
    }
  });
});

describe('a broken layer fails the same on workers and in-process', () => {
  /** The middle layer of three (layer 1) spoiled: exit 2, one line naming it, the same on both. */
  const blobCases: [string, () => Promise<string> | string, RegExp][] = [
    [
      'a blob that does not match its digest',
      () => spoilBlob((blob) => flip(blob)),
      /^the blob does not match its digest: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/,
    ],
    [
      'a blob cut short',
      () => spoilBlob((blob) => truncateSync(blob, statSync(blob).size - 100)),
      /does not match its digest|is \d+ bytes, but its descriptor says \d+/,
    ],
    ['a gzip blob whose digest is right but whose data is corrupt', () => corrupt('gzip'), /^decompressing the blob: /],
    ['a zstd blob whose digest is right but whose data is corrupt', () => corrupt('zstd'), /^decompressing the blob: /],
    ['a gzip blob whose digest is right but which ends early', () => truncated('gzip'), /^decompressing the blob: /],
    ['a zstd blob whose digest is right but which ends early', () => truncated('zstd'), /^decompressing the blob: /],
    [
      'a layer whose content does not match its diff_id (--verify-diff-ids)',
      () => {
        // Layer 1 stored with one content byte flipped (its headers intact), the config naming the true tar's diff_id.
        const flipped = Buffer.from(tars[1]);
        flipped[512] ^= 1;
        return layoutWithMiddle(gzipSync(flipped), 'gzip');
      },
      /^the content does not match its diff_id: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}$/,
    ],
  ];

  function spoilBlob(spoil: (blob: string) => void): string {
    const l = mixedLayout(tars, ['gzip', 'zstd', 'gzip']);
    spoil(l.blobFile(l.layerDigests[1]));
    return l.dir;
  }
  function flip(path: string): void {
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
  }
  /** Layer 1 stored with bytes in its middle flipped, its digest taken of the spoiled bytes. */
  function corrupt(kind: 'gzip' | 'zstd'): string {
    const stored = kind === 'gzip' ? gzipSync(tars[1]) : zstd(tars[1]);
    for (let i = stored.length >> 2; i < stored.length >> 1; i++) stored[i] ^= 0x5a;
    return layoutWithMiddle(stored, kind);
  }
  /** Layer 1 stored cut short, its digest taken of what is left. */
  function truncated(kind: 'gzip' | 'zstd'): string {
    const stored = kind === 'gzip' ? gzipSync(tars[1]) : zstd(tars[1]);
    return layoutWithMiddle(stored.subarray(0, stored.length >> 1), kind);
  }
  function layoutWithMiddle(middle: Buffer, kind: 'gzip' | 'zstd'): string {
    const l = writeLayout({
      layers: [gzipSync(tars[0]), middle, gzipSync(tars[2])],
      layerTypes: [GZIP, kind === 'gzip' ? GZIP : ZSTD, GZIP],
      diffIds: tars.map(sha),
    });
    layouts.push(l);
    return l.dir;
  }
  it.each(blobCases)('%s', async (what, make, wrong) => {
    const image = await make();
    // A layer named by its manifest's digest is checked by that digest alone, unless its diff_id is asked for too.
    const flags = what.includes('--verify-diff-ids') ? ['--verify-diff-ids'] : [];
    const [workers, inProcess] = await both(['analyze', image, '--json', ...flags]);
    expect(workers).toEqual(inProcess);
    expectOneLine(workers);
    const line = /^error: reading layer 1 \(sha256:[0-9a-f]{64}\) of (\S+): (.*) \(hint: .+\)\n$/.exec(workers.stderr);
    expect({ stderr: workers.stderr, matched: line !== null }).toEqual({ stderr: workers.stderr, matched: true });
    expect(line![1]).toBe(image);
    expect(line![2]).toMatch(wrong);
  });

  it('a missing blob', async () => {
    const l = mixedLayout(tars, ['gzip', 'zstd', 'gzip']);
    rmSync(l.blobFile(l.layerDigests[1]));
    const [workers, inProcess] = await both(['analyze', l.dir, '--json']);
    expect(workers).toEqual(inProcess);
    expectOneLine(workers);
    expect(workers.stderr).toContain(`lacks the blob ${l.layerDigests[1]} of layer 1`);
  });

  it('a docker archive cut short in its last layer', async () => {
    // manifest.json and the config first, so the cut falls in the last layer's member and not in them.
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: tars.map(sha) },
      }),
    );
    const names = tars.map((_, i) => `${i}/layer.tar`);
    const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: ['test:latest'], Layers: names }]);
    const path = join(work, 'cut.tar');
    const archive = await packTar([
      { name: 'manifest.json', type: 'file', content: manifest },
      { name: 'config.json', type: 'file', content: config },
      ...tars.map((tar, i) => ({ name: names[i], type: 'file' as const, content: tar })),
    ]);
    writeFileSync(path, archive.subarray(0, archive.length - 4096));
    const [workers, inProcess] = await both(['analyze', path, '--json']);
    expect(workers).toEqual(inProcess);
    expectOneLine(workers);
  });
});

/** The failure contract: exit 2, nothing on stdout, one `error: ... (hint: ...)` line, no stack trace. */
function expectOneLine(run: CliResult): void {
  expect({ code: run.code, stdout: run.stdout, stack: /\n\s+at /.test(run.stderr) }).toEqual({
    code: 2,
    stdout: '',
    stack: false,
  });
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: .+ \(hint: .+\)$/);
}

describe('--no-verify reads a blob only as far as its descriptor says', () => {
  // A blob longer than its descriptor (a file still being written, or listed with a wrong size) is not checked under
  // --no-verify; what follows the bytes the manifest names is no part of the layer, and is not read, on either path.
  it('bytes after a gzip, a zstd and a plain blob, in an OCI layout and an OCI archive', async () => {
    const l = mixedLayout(tars, ['gzip', 'zstd', 'plain']);
    const archive = join(work, 'grown-oci.tar');
    writeFileSync(archive, readFileSync(await archiveOf(l.dir, 'whole-oci.tar')));
    const args = (image: string) => ['analyze', image, '--json', '--no-verify'];
    const [layoutBefore] = await both(args(l.dir));
    const [archiveBefore] = await both(args(archive));
    expect([layoutBefore.code, archiveBefore.code]).toEqual([0, 0]);
    // Not gzip padding (zeros), which the decoder would pass over: bytes a decoder or the tar scan would take.
    for (const digest of l.layerDigests) appendFileSync(l.blobFile(digest), randomBytes(3000));
    writeFileSync(archive, readFileSync(await archiveOf(l.dir, 'grown.tar')));
    for (const [image, before] of [
      [l.dir, layoutBefore],
      [archive, archiveBefore],
    ] as const) {
      const [workers, inProcess] = await both(args(image));
      expect({ image, workers, inProcess }).toEqual({ image, workers: before, inProcess: before });
    }
  });
});

describe('the default: workers for 2 or more layers, 16 MiB of stored bytes to read and 4 MiB a layer', () => {
  // Node's `worker` event, counted by a preload: the walk starts no other threads on these plain-tar images.
  const probe = fileURLToPath(new URL('../helpers/worker-count.mjs', import.meta.url));
  const MiB = 1024 * 1024;
  const cores = availableParallelism();
  let counted = 0;

  /** A plain-tar layer of exactly `bytes` (a multiple of 512): one file of random bytes, a header, the end blocks. */
  const plainLayer = (name: string, bytes: number) =>
    Buffer.concat([tarEntry({ name, content: randomBytes(bytes - 512 - END.length) }), END]);

  /** A layout of plain-tar layers (a plain tar's diff_id is its blob digest: writeLayout's default). */
  const plainLayout = (layers: Buffer[]) => {
    const l = writeLayout({ layers, layerTypes: layers.map(() => PLAIN) });
    layouts.push(l);
    return l.dir;
  };

  async function workersStarted(layers: Buffer[], flags: string[] = []): Promise<number> {
    return threadsStarted(['analyze', plainLayout(layers), ...flags]);
  }

  async function threadsStarted(args: string[]): Promise<number> {
    const file = join(work, `workers-${++counted}`);
    const r = await runCli([...args, '--json', '--no-cache'], {
      env: { NODE_OPTIONS: `--import ${probe}`, BALLAST_WORKER_COUNT_FILE: file, BALLAST_WORKERS: undefined },
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    return Number(readFileSync(file, 'utf8'));
  }

  it('two layers of 16 MiB together: a worker per core, one per layer at most (none on one core)', async () => {
    const started = await workersStarted([plainLayer('a', 8 * MiB), plainLayer('b', 8 * MiB)]);
    expect(started).toBe(cores >= 2 ? Math.min(cores, 2) : 0);
  });

  it('512 bytes less: in-process; --workers 2 there starts two (one on one core)', async () => {
    const layers = [plainLayer('a', 8 * MiB), plainLayer('b', 8 * MiB - 512)];
    expect(await workersStarted(layers)).toBe(0);
    // The probe counts what the walk starts: the same image with workers asked for.
    expect(await workersStarted(layers, ['--workers', '2'])).toBe(Math.min(cores, 2));
  });

  it('one layer of 32 MiB: in-process', async () => {
    expect(await workersStarted([plainLayer('a', 32 * MiB)])).toBe(0);
  });

  it('diff of two images on one base, each with a layer of its own: B reads its one own layer in-process', async () => {
    const base = plainLayer('base', 8 * MiB);
    const app = plainLayout([base, plainLayer('own', 24 * MiB)]);
    // A (its 8 MiB base and a small layer) is read in-process; B's copy of the shared base is only hashed (on the main
    // thread), and one layer to scan is no work for workers.
    const sibling = plainLayout([base, plainLayer('other', 1 * MiB)]);
    expect(await threadsStarted(['diff', sibling, app])).toBe(0);
    // B built on all of A (`diff base app`) is walked first and in full, as `analyze app` is: its two layers, 32 MiB,
    // on workers; A is only checked.
    const a = plainLayout([base]);
    expect(await threadsStarted(['diff', a, app])).toBe(cores >= 2 ? Math.min(cores, 2) : 0);
    expect(await threadsStarted(['analyze', app])).toBe(cores >= 2 ? Math.min(cores, 2) : 0);
  });

  it('a local image of 64 MiB or more: its workers start while oclif loads, and the walk takes them (none more)', async () => {
    // Two started in all: started early and taken, the walk starts none of its own.
    const two = [plainLayer('a', 33 * MiB), plainLayer('b', 33 * MiB)];
    expect(await workersStarted(two)).toBe(cores >= 2 ? Math.min(cores, 2) : 0);
    // One layer is read in-process: the early ones started for nothing, and the run does not wait for them to end.
    expect(await workersStarted([plainLayer('one', 66 * MiB)])).toBe(cores >= 2 ? cores : 0);
    expect(await workersStarted(two, ['--workers', '0'])).toBe(0);
  });

  it('many small layers (18 MiB in 6, 3 MiB a layer, under 4 MiB on average): in-process; 4 MiB each: workers', async () => {
    expect(await workersStarted(Array.from({ length: 6 }, (_, i) => plainLayer(`s${i}`, 3 * MiB)))).toBe(0);
    const started = await workersStarted(Array.from({ length: 6 }, (_, i) => plainLayer(`m${i}`, 4 * MiB)));
    expect(started).toBe(cores >= 2 ? Math.min(cores, 6) : 0);
  });
});

describe('a layer failing while another worker is still reading', () => {
  it('exits 2 with one line naming the failing layer, without waiting for the other', async () => {
    // Layer 0 reads for many minutes: 1 TB of sparse holes, hashed as the zeros a reader sees, in a blob of a few
    // hundred bytes. Layer 1, on the other worker, is a gzip blob (its digest right) that does not inflate. A walk
    // that waited for layer 0 would be killed at the time bound (code null), not exit 2.
    const holes = gzipSync(Buffer.concat([pax1SparseEntry('holes', 1e12), END]));
    const bad = gzipSync(tars[1]);
    for (let i = bad.length >> 2; i < bad.length >> 1; i++) bad[i] ^= 0x5a;
    const l = writeLayout({ layers: [holes, bad], diffIds: [sha(gunzip(holes)), sha(tars[1])] });
    layouts.push(l);
    const r = await runCli(['analyze', l.dir, '--workers', '2', '--no-cache', '--max-decompressed-bytes', '2TB'], {
      timeoutMs: 30_000,
    });
    expectOneLine(r);
    expect(r.stderr).toMatch(/^error: reading layer 1 \(sha256:[0-9a-f]{64}\) of \S+: decompressing the blob: /);
  });
});

describe('the walk on workers, through the compiled modules', () => {
  it('reports progress of every layer, applies layers in index order, and reads each lane in index order', async () => {
    // Six gzip layers of random (incompressible) content and of different sizes, walked on two workers: each layer is
    // dealt before the walk starts, largest first, to the less loaded worker, and each worker reads its share in index
    // order, one layer after another (the walk's static lanes), while the layers are applied in index order.
    const MiB = 1024 * 1024;
    const sizes = [1, 6, 2, 5, 3, 4].map((n) => n * MiB + 100_000);
    const layerTars = sizes.map((n, i) => Buffer.concat([tarEntry({ name: `f${i}`, content: randomBytes(n) }), END]));
    const l = writeLayout({ layers: layerTars.map((t) => gzipSync(t, { level: 1 })), diffIds: layerTars.map(sha) });
    layouts.push(l);
    const walk = fileURLToPath(new URL('../../dist/src/analysis/walk.js', import.meta.url));
    const resolve = fileURLToPath(new URL('../../dist/src/sources/resolve.js', import.meta.url));
    const script = join(work, 'walk.mjs');
    writeFileSync(
      script,
      `const { walkLayers } = await import(${JSON.stringify(walk)});
      const { openImage } = await import(${JSON.stringify(resolve)});
      const image = await openImage(${JSON.stringify(l.dir)});
      const applied = [];
      const progress = [];
      const early = [];
      const reading = [];
      await walkLayers(image, {
        workers: 2,
        onReading: () => reading.push({ applied: applied.length, progress: progress.length }),
        onLayer: (layer) => applied.push(layer.index),
        onEarly: (layer) => early.push({ index: layer.index, applied: applied.length, entries: layer.scan.entries.length }),
        onProgress: (p) => progress.push(p),
      });
      await image.close();
      process.stdout.write(JSON.stringify({ applied, progress, early, reading }));`,
    );
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const { applied, progress, early, reading } = JSON.parse(r.stdout) as {
      applied: number[];
      progress: { layer: number; layerBytes: number; layerTotalBytes: number; doneBytes: number; totalBytes: number }[];
      early: { index: number; applied: number; entries: number }[];
      reading: { applied: number; progress: number }[];
    };
    // Told once, as soon as every share is posted: before any layer came back.
    expect(reading).toEqual([{ applied: 0, progress: 0 }]);
    expect(applied).toEqual([0, 1, 2, 3, 4, 5]);
    // A layer handed over early (read while one below it is not): once at most, with its entries, before the layer
    // below it was applied. Which ones come early depends on timing.
    for (const e of early) expect(e).toEqual({ index: e.index, applied: expect.any(Number), entries: 1 });
    for (const e of early) expect(e.applied).toBeLessThan(e.index);
    expect(new Set(early.map((e) => e.index)).size).toBe(early.length);
    const stored = l.layerDigests.map((d) => statSync(l.blobFile(d)).size);
    const total = stored.reduce((a, b) => a + b, 0);
    // Every layer read to its end, counted once, in a sum that only grows to the total.
    for (const [index, size] of stored.entries()) {
      const last = progress.filter((p) => p.layer === index).at(-1);
      expect({ index, last }).toEqual({
        index,
        last: expect.objectContaining({ layerBytes: size, layerTotalBytes: size }),
      });
    }
    expect(progress.map((p) => p.doneBytes)).toEqual([...progress.map((p) => p.doneBytes)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ doneBytes: total, totalBytes: total });
    // The lanes: largest first to the least loaded of the two workers, then each in index order.
    const loads = [0, 0];
    const lanes: number[][] = [[], []];
    for (const index of stored.map((_, i) => i).sort((a, b) => stored[b] - stored[a])) {
      const lane = loads.indexOf(Math.min(...loads));
      lanes[lane].push(index);
      loads[lane] += stored[index];
    }
    for (const lane of lanes) {
      lane.sort((a, b) => a - b);
      // The layers of one lane, as their progress came: one after another, each to its end before the next starts.
      const seen = progress.filter((p) => lane.includes(p.layer)).map((p) => p.layer);
      expect(seen.filter((layer, i) => i === 0 || seen[i - 1] !== layer)).toEqual(lane);
    }
  });
});

describe('from a registry', () => {
  let registry: Registry | undefined;
  let proxy: Proxy | undefined;
  let pushed: Layout;
  beforeAll(async () => {
    // Three layers, one of 3 MiB of random bytes: streamed to the workers in 1 MiB buffers, gzip and zstd.
    const big = Buffer.concat([tarEntry({ name: 'opt/blob.bin', content: randomBytes(3 * 1024 * 1024) }), END]);
    pushed = mixedLayout([big, tars[1], tars[2]], ['gzip', 'zstd', 'gzip']);
    registry = await startRegistry();
    await skopeoCopy(`oci:${pushed.dir}`, `docker://${registry.host}/workers/app:1`);
    proxy = await startProxy(registry.host);
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('analyze --workers 2 equals --workers 0, with a cold cache and with --no-cache', async () => {
    const ref = `${registry!.host}/workers/app:1`;
    const run = (workers: string, flags: string[], env: NodeJS.ProcessEnv = {}) =>
      runCli(['analyze', ref, '--json', '--workers', workers, ...flags], { env, timeoutMs: 60_000 });
    // Cold: a new cache folder for each, so both download every blob and neither sees the other's entries.
    const cold = (workers: string) => run(workers, [], { BALLAST_CACHE_DIR: mkdtempSync(join(work, 'cache-')) });
    const [coldWorkers, coldInProcess] = await Promise.all([cold('2'), cold('0')]);
    expect({ code: coldWorkers.code, stderr: coldWorkers.stderr }).toEqual({ code: 0, stderr: '' });
    expect(coldWorkers).toEqual(coldInProcess);
    // On workers the layers were downloaded into the cache's files and read from them as they grew: every one is
    // kept, under its digest, and no temp file is left.
    const cacheDir = mkdtempSync(join(work, 'cache-'));
    expect(await run('2', [], { BALLAST_CACHE_DIR: cacheDir })).toEqual(coldWorkers);
    const blobs = readdirSync(join(cacheDir, 'blobs', 'sha256'));
    for (const digest of pushed.layerDigests) expect(blobs).toContain(digest.slice(7));
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
    const [workers, inProcess] = await Promise.all([run('2', ['--no-cache']), run('0', ['--no-cache'])]);
    expect({ code: workers.code, stderr: workers.stderr }).toEqual({ code: 0, stderr: '' });
    expect(workers).toEqual(inProcess);
    expect(JSON.parse(workers.stdout).summary.layers).toBe(3);
  });

  it.each([
    ['in-process', '0'],
    ['on workers, downloading into the cache files', '2'],
  ])(
    'a cache that fills up mid-download does not fail the pull: same report as --no-cache, told once (%s)',
    async (_where, workers) => {
      // A full disk, as a file-size limit of 1 MiB gives it (EFBIG: Node ignores SIGXFSZ): layer 0's 3 MiB cannot be
      // written into the cache, the others can. A cache never fails a command; the workers' read of the cache file
      // that stopped growing is read again from the registry.
      const ref = `${registry!.host}/workers/app:1`;
      const expected = await runCli(['analyze', ref, '--json', '--workers', workers, '--no-cache'], {
        timeoutMs: 60_000,
      });
      const cacheDir = mkdtempSync(join(work, 'cache-'));
      const r = await runCli(['analyze', ref, '--json', '--workers', workers], {
        wrapper: ['prlimit', '--fsize=1048576', '--'],
        timeoutMs: 60_000,
        env: { BALLAST_CACHE_DIR: cacheDir },
      });
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: expected.stdout });
      expect(r.stderr).toMatch(
        /^note: cannot write the cache in \S+ \(EFBIG\); running without it \(set BALLAST_CACHE_DIR [^\n]*\)\n$/,
      );
      // Nothing of the layer that did not fit is kept, and no temp file is left.
      const [first] = pushed.layerDigests;
      expect(cacheFiles(cacheDir).filter((f) => f.endsWith(first.slice(7)) || f.startsWith('tmp/'))).toEqual([]);
    },
    120_000,
  );

  it.each([
    ['in-process', '0', {}, false],
    ['on workers', '1', {}, false],
    // No decoder on the worker's thread (as for bzip2 and xz): its chunks go through the stream pipeline instead.
    ['on workers, through the stream pipeline', '1', { BALLAST_SYNC_DECODE: '0' }, false],
    // With a cache the worker reads the cache's file as it downloads (and stops the download when it stops).
    ['on workers, from the cache file', '1', {}, true],
    ['on workers, from the cache file, through the stream pipeline', '1', { BALLAST_SYNC_DECODE: '0' }, true],
  ])(
    'a layer over a budget ends the command without waiting for the rest of its download (%s)',
    async (_where, workers, env, cached) => {
      // One layer of 12 MiB of random bytes dripping in at 128 KiB each 200 ms (some 19 s): the first 1 MiB is over
      // --max-decompressed-bytes, which is the answer itself. A walk that waited for the whole blob would be killed at
      // the time bound (code null), not exit 2.
      const big = Buffer.concat([tarEntry({ name: 'opt/big.bin', content: randomBytes(12 * 1024 * 1024) }), END]);
      const one = mixedLayout([big], ['gzip']);
      await skopeoCopy(`oci:${one.dir}`, `docker://${registry!.host}/workers/budget:1`);
      proxy!.fault = (req) =>
        req.method === 'GET' && req.url?.endsWith(one.layerDigests[0])
          ? { kind: 'drip', bytes: 128 * 1024, intervalMs: 200, part: 'body' }
          : undefined;
      const cacheDir = mkdtempSync(join(work, 'cache-'));
      const r = await runCli(
        [
          'analyze',
          `${proxy!.host}/workers/budget:1`,
          ...(cached ? [] : ['--no-cache']),
          '--workers',
          workers,
          '--max-decompressed-bytes',
          '512KiB',
        ],
        { timeoutMs: 12_000, env: { ...env, BALLAST_CACHE_DIR: cacheDir } },
      );
      expectOneLine(r);
      expect(r.stderr).toMatch(
        /^error: reading layer 0 \(sha256:[0-9a-f]{64}\) of \S+: .*budget --max-decompressed-bytes/,
      );
      // Nothing of the layer is kept, whole or partial.
      expect(
        cacheFiles(cacheDir).filter((f) => f.includes(one.layerDigests[0].slice(7, 19)) || f.startsWith('tmp/')),
      ).toEqual([]);
    },
    60_000,
  );

  it.each([
    ['in-process', '0', false],
    ['on workers', '2', false],
    ['on workers, from the cache files', '2', true],
  ])(
    'a layer failing while another is still downloading ends the command at once (%s)',
    async (_where, workers, cached) => {
      // Layer 0's 3 MiB drip in at 1 KiB each 50 ms (some 150 s); layer 1 arrives corrupt. A walk that read on after
      // the failure would be killed at the time bound (code null), not exit 2.
      const [slow, corrupt] = pushed.layerDigests;
      proxy!.fault = (req) =>
        req.method !== 'GET'
          ? undefined
          : req.url?.endsWith(slow)
            ? { kind: 'drip', bytes: 1024, intervalMs: 50, part: 'body' }
            : req.url?.endsWith(corrupt)
              ? { kind: 'corrupt' }
              : undefined;
      const cacheDir = mkdtempSync(join(work, 'cache-'));
      const r = await runCli(
        ['analyze', `${proxy!.host}/workers/app:1`, ...(cached ? [] : ['--no-cache']), '--workers', workers],
        { timeoutMs: 30_000, env: { BALLAST_CACHE_DIR: cacheDir } },
      );
      expectOneLine(r);
      expect(r.stderr).toMatch(
        /^error: reading layer 1 \(sha256:[0-9a-f]{64}\) of \S+: the blob does not match its digest/,
      );
      // Neither the corrupt blob nor the one cut short is kept (layer 2 may be: read whole and checked), and no temp
      // file is left.
      const layers = cacheFiles(cacheDir).filter((f) => [slow, corrupt].some((d) => f.endsWith(d.slice(7))));
      expect({ layers, temps: cacheFiles(cacheDir).filter((f) => f.startsWith('tmp/')) }).toEqual({
        layers: [],
        temps: [],
      });
    },
  );

  it('downloads the layers into the cache in parallel, three at a time, while the workers read them', async () => {
    // Two workers, three layers of random bytes: the largest (0) is one worker's; 1 and 2 are the other's, which reads
    // 1 first, and layer 1 drips in over some 2 s. Downloads into the cache do not wait for their reader: layer 2 is
    // asked for at the start, not once layer 1 is read (as a download streamed through this thread to its worker is).
    const tar = (name: string, bytes: number) => Buffer.concat([tarEntry({ name, content: randomBytes(bytes) }), END]);
    const three = mixedLayout(
      [tar('opt/a.bin', 3 * 1024 * 1024), tar('opt/b.bin', 256 * 1024), tar('opt/c.bin', 128 * 1024)],
      ['gzip', 'gzip', 'gzip'],
    );
    await skopeoCopy(`oci:${three.dir}`, `docker://${registry!.host}/workers/parallel:1`);
    const [, slow, last] = three.layerDigests;
    const asked = new Map<string, number>();
    proxy!.fault = (req) => {
      if (req.method !== 'GET') return undefined;
      for (const digest of [slow, last])
        if (req.url?.endsWith(digest) && !req.headers.range) asked.set(digest, Date.now());
      return req.url?.endsWith(slow) ? { kind: 'drip', bytes: 16 * 1024, intervalMs: 125, part: 'body' } : undefined;
    };
    const r = await runCli(['analyze', `${proxy!.host}/workers/parallel:1`, '--json', '--workers', '2'], {
      timeoutMs: 60_000,
      env: { BALLAST_CACHE_DIR: mkdtempSync(join(work, 'cache-')) },
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout).summary.layers).toBe(3);
    expect(Math.abs(asked.get(last)! - asked.get(slow)!)).toBeLessThan(1000);
  }, 60_000);
});

/** The files in a cache folder's blobs and tmp folders. */
function cacheFiles(dir: string): string[] {
  const list = (sub: string) =>
    existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).map((f) => `${sub}/${f}`) : [];
  return [...list('blobs/sha256'), ...list('tmp')];
}
