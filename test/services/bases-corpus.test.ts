// `ballast bases` on the real-image corpus: every number it gives agrees with the corpus's independent reference
// numbers (stats/*.json). Side by side with --deep (real Debian images made by mmdebstrap and buildah), and the corpus's
// `bloated` image rebuilt on other bases: the real debian-base and a real Alpine image (the containerd `docker save`
// fixture) pushed by skopeo into a loopback registry as two tags of one repository. Skipped (and counted) without the corpus.
import { join, relative } from 'node:path';
import { bases } from '../../src/services/bases.js';
import { corpusArtifacts, corpusDockerfiles, describeWithCorpus, type CorpusImageStats } from '../helpers/corpus.js';
import { skopeoCopy, startProxy, startRegistry, type Proxy, type Registry } from '../helpers/registry.js';

interface Reference extends CorpusImageStats {
  totals: { compressed_size: number; uncompressed_size: number };
  final_fs: { regular_files: number; regular_bytes: number };
  wasted: { total: number };
}

function artifactPath(name: string): string {
  const artifact = corpusArtifacts().find((a) => a.name === name);
  if (!artifact) throw new Error(`the corpus has no ${name}`);
  return artifact.path;
}

function stats(name: string): Reference {
  const artifact = corpusArtifacts().find((a) => a.name === name);
  if (!artifact) throw new Error(`the corpus has no ${name}`);
  return artifact.images[0] as Reference;
}

describeWithCorpus('ballast bases on the real-image corpus', () => {
  let registry: Registry;
  let proxy: Proxy;
  const ALPINE = join('test', 'fixtures', 'snyk', 'containerd-archives--alpine.tar');

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.host);
    await skopeoCopy(`oci:${artifactPath('debian-base.oci')}:latest`, `docker://${registry.host}/corpus/base:12`);
    await skopeoCopy(`docker-archive:${ALPINE}`, `docker://${registry.host}/corpus/base:12-alpine`, { format: 'v2s2' });
  }, 240_000);

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('compares debian-base, slim and bloated side by side with --deep: the reference numbers', async () => {
    const names = ['debian-base.oci', 'slim.oci', 'bloated.oci'];
    const paths = names.map(artifactPath);
    const result = await bases({ images: paths, deep: true });
    expect(result.mode).toBe('compare');
    names.forEach((name, i) => {
      const ref = stats(name);
      const c = result.candidates.find((x) => x.reference === paths[i])!;
      expect({
        name,
        compressed: c.compressedBytes,
        layers: c.layers,
        uncompressed: c.deep!.uncompressedBytes,
        files: c.deep!.finalFiles,
        fileBytes: c.deep!.finalFileBytes,
        wasted: c.deep!.wastedBytes,
      }).toEqual({
        name,
        compressed: ref.totals.compressed_size,
        layers: ref.layer_count,
        uncompressed: ref.totals.uncompressed_size,
        files: ref.final_fs.regular_files,
        fileBytes: ref.final_fs.regular_bytes,
        wasted: ref.wasted.total,
      });
      // A Debian rootfs: with --deep, apt-get and /bin/sh are found on its final filesystem
      expect(c.packageManager).toEqual({ value: 'apt', source: 'files' });
      expect(c.deep!.packages.dpkg).toBeGreaterThan(50);
      expect(c.shell?.value).toBe(true);
    });
    const sizes = result.candidates.map((c) => c.deep!.uncompressedBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('says side by side which layers each image shares with the others: the reference diffIds and sizes', async () => {
    // Given slim and bloated, both built on debian-base, and debian-base itself
    const names = ['debian-base.oci', 'slim.oci', 'bloated.oci'];
    const paths = names.map(artifactPath);
    const result = await bases({ images: paths });
    // Then each row names every other image it shares leading layers with, counted from the reference's diffIds
    names.forEach((name, i) => {
      const own = stats(name).layers;
      const expected = names.flatMap((other, j) => {
        if (j === i) return [];
        const theirs = stats(other).layers;
        let n = 0;
        while (n < own.length && n < theirs.length && own[n].diff_id === theirs[n].diff_id) n++;
        const bytes = own.slice(0, n).reduce((sum, l) => sum + l.compressed_size, 0);
        return n ? [{ reference: paths[j], layers: n, compressedBytes: bytes }] : [];
      });
      const c = result.candidates.find((x) => x.reference === paths[i])!;
      expect(c.sharedLayers).toEqual(expect.arrayContaining(expected));
      expect(c.sharedLayers).toHaveLength(expected.length);
      // (debian-base is the base of both: each shares its one layer with the other two)
      expect(expected).toHaveLength(2);
    });
  });

  it('names the candidate an image starts with when the --base given shares none of its layers', async () => {
    // Given slim, built on debian-base, compared with --base the Alpine tag by mistake
    const path = artifactPath('slim.oci');
    const result = await bases({
      images: [path],
      base: `docker://${proxy.host}/corpus/base:12-alpine`,
      builtinFamilies: false,
      noCache: true,
    });
    // Then nothing is counted as the base's, and the warning names the tag whose one layer slim starts with
    expect(result.image).toMatchObject({ ownLayers: 3, sharedLayers: 0 });
    expect(result.warnings).toEqual([
      `${path} shares no layer with ${proxy.host}/corpus/base:12-alpine (1 layer): the tag has moved to a rebuild ` +
        `of every layer, or the image is built on another base; all its layers count as its own (--dockerfile ` +
        `tells the old base's apart); ${path} starts with the 1 layer of ${proxy.host}/corpus/base:12, which may be ` +
        `its base (--base ${proxy.host}/corpus/base:12)`,
    ]);
  });

  it('estimates bloated rebuilt on Alpine from manifests alone, naming the apt-get lines of its Dockerfile', async () => {
    const ref = stats('bloated.oci');
    proxy.reset();
    const result = await bases({
      images: [artifactPath('bloated.oci')],
      base: `docker://${proxy.host}/corpus/base:12`,
      dockerfile: relative(process.cwd(), join(corpusDockerfiles, 'bloated.Dockerfile')),
      builtinFamilies: false,
      noCache: true,
    });
    // bloated shares its first layer (debian-base's) by diffId: the rest is its own
    const own = ref.layers.slice(1).reduce((s, l) => s + l.compressed_size, 0);
    expect(result.image).toMatchObject({
      layers: ref.layer_count,
      ownLayers: ref.layer_count - 1,
      ownCompressedBytes: own,
      compressedBytes: ref.totals.compressed_size,
    });
    expect(result.warnings).toEqual([]);
    // buildah recorded the digest of debian-base as its local storage held it, which the registry does not have:
    // the layers were matched against the tag, and the result says so
    expect(result.recordedDigest).toMatchObject({
      used: 'tag',
      reference: expect.stringMatching(/\/corpus\/base@sha256:[0-9a-f]{64}$/),
      reason: expect.stringMatching(/has no manifest corpus\/base@sha256:/),
    });
    const [alpine, debian] = [
      result.candidates.find((c) => c.tag === '12-alpine')!,
      result.candidates.find((c) => c.current)!,
    ];
    expect(debian.compressedBytes).toBe(stats('debian-base.oci').totals.compressed_size);
    expect(debian.estimate).toEqual({
      compressedBytes: ref.totals.compressed_size,
      deltaBytes: 0,
      uncompressedBytes: null,
    });
    expect(alpine.estimate!.compressedBytes).toBe(alpine.compressedBytes + own);
    expect(alpine.estimate!.deltaBytes).toBeLessThan(0);
    expect(result.candidates.map((c) => c.tag)).toEqual(['12-alpine', '12']);
    // The Alpine image says little about itself: its OS is guessed from the tag, and the caveats follow from it
    expect(alpine.os).toEqual({ value: 'alpine', source: 'name' });
    const pm = alpine.caveats.find((c) => c.kind === 'package-manager')!;
    // (debian-base's own metadata does not name its package manager, so the caveat rests on the Dockerfile's line)
    expect(pm.message).toMatch(
      /^apk: 1 RUN line calls apt and will not work \(scripts\/corpus\/dockerfiles\/bloated\.Dockerfile:11\)$/,
    );
    expect(pm.lines).toEqual([
      expect.objectContaining({ line: 11, text: 'RUN apt-get update && apt-get install -y curl python3' }),
    ]);
    expect(alpine.caveats.find((c) => c.kind === 'unknown')!.message).toMatch(
      /^probably musl \(from its name\), and the current base's libc family is not in its metadata/,
    );
    // And not one layer blob was downloaded from the registry
    expect(proxy.requests.filter((r) => r.path.includes('/blobs/')).length).toBe(2);
  });
});
