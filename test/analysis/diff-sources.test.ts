// `diff` across sources: A from a docker-archive on disk, B from a real docker-registry on loopback (pushed by
// skopeo), behind a recording proxy. The base layer both share is recognised by diffId although it is stored
// differently (plain tar vs gzip blob), so B's copy of it is never downloaded; the result equals the diff of the
// two local copies.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffImages } from '../../src/services/diff.js';
import { openImage } from '../../src/sources/resolve.js';
import {
  buildDockerArchive,
  buildOciLayout,
  layer,
  WHITEOUT,
  type BuiltImage,
  type LayerSpec,
} from '../helpers/image-builder.js';
import { skopeoCopy, startProxy, startRegistry, type Proxy, type Registry } from '../helpers/registry.js';

const base: LayerSpec = layer(
  { 'bin/sh': 30_000, 'usr/lib/libc.so': 200_000, 'etc/os-release': 'ID=test\n' },
  'ADD rootfs.tar /',
);
const top = (n: number): LayerSpec =>
  layer({ [`app/v${n}.bin`]: 10_000 * n, 'app/config': `version ${n}\n` }, `COPY app${n} /app`);

describe('diff: archive vs registry', () => {
  let registry: Registry;
  let proxy: Proxy;
  let work: string;
  let a: BuiltImage;
  let bArchive: BuiltImage;
  let bLayout: BuiltImage;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-diff-sources-'));
    registry = await startRegistry();
    proxy = await startProxy(registry.host);
    const bLayers = [base, top(2), layer({ 'app/.wh.config': WHITEOUT }, 'RUN rm /app/config')];
    [a, bArchive, bLayout] = await Promise.all([
      buildDockerArchive([base, top(1)]),
      buildDockerArchive(bLayers),
      buildOciLayout(bLayers),
    ]);
    await skopeoCopy(`oci:${bLayout.path}:latest`, `docker://${registry.host}/diff/b:2`);
  }, 180_000);

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    for (const image of [a, bArchive, bLayout]) image?.cleanup();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reads the shared base once, never fetching B`s copy, and agrees with the local diff', async () => {
    proxy.reset();
    const remote = await diffImages({ a: a.path, b: `docker://${proxy.host}/diff/b:2`, noCache: true });
    const blobGets = proxy.requests
      .filter((r) => r.method === 'GET' && r.path.includes('/blobs/'))
      .map((r) => r.path.slice(r.path.lastIndexOf('/') + 1));
    // Config + the two layers above the shared base; the base layer's blob is not among them.
    expect(remote.walk).toEqual({ sharedLayers: 1, layersRead: { a: 2, b: 2 } });
    expect(remote.b.image.source).toBe('registry');
    // B's copy of the base was not read, and its checks do not claim otherwise (they were A's, not-available).
    expect(remote.b.image.checks).toEqual({ blobDigests: 'skipped', diffIds: 'skipped' });
    const layersB = remote.b.summary.layers;
    expect(layersB).toBe(3);
    expect(remote.layers.shared).toHaveLength(1);
    const baseBlob = remote.layers.shared[0];
    expect(baseBlob.aCompressedBytes).toBe(baseBlob.uncompressedBytes);
    expect(baseBlob.bCompressedBytes).toBeLessThan(baseBlob.uncompressedBytes);
    const layout = await openImage(bLayout.path);
    try {
      const digests = await Promise.all((await layout.layers()).map((l) => l.digest()));
      const hex = (d: string) => d.slice(d.indexOf(':') + 1);
      expect(blobGets.map((d) => hex(d)).sort()).toEqual(
        [await layout.configDigest(), digests[1], digests[2]].map(hex).sort(),
      );
    } finally {
      await layout.close();
    }

    const local = await diffImages({ a: a.path, b: bArchive.path });
    expect(remote.files).toEqual(local.files);
    expect(remote.directories).toEqual(local.directories);
    expect(remote.waste).toEqual(local.waste);
    expect(remote.config).toEqual(local.config);
    // Same tars, different storage: only the compressed sizes differ.
    expect({ ...remote.delta, compressedBytes: 0 }).toEqual({ ...local.delta, compressedBytes: 0 });
    expect(remote.files.added.map((f) => f.path)).toEqual(['app/v2.bin']);
    expect(remote.files.removed.map((f) => f.path).sort()).toEqual(['app/config', 'app/v1.bin']);
  });
});
