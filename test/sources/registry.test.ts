// The registry source against a real docker-registry (Debian's CNCF distribution) on 127.0.0.1, with images
// pushed by skopeo from the committed fixtures and from a multi-platform layout built here.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Image } from '../../src/image/types.js';
import { formatPlatform, hostPlatform } from '../../src/image/platform.js';
import { inspect } from '../../src/services/inspect.js';
import { BallastError } from '../../src/errors.js';
import { MAX_PASSWORD_BYTES } from '../../src/commands/flags.js';
import { PARALLEL_DOWNLOADS } from '../../src/sources/registry/blobs.js';
import { openImage, readAsHubRepository } from '../../src/sources/resolve.js';
import { runCli, startCli } from '../helpers/cli.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';
import { rawTar, sha, writeLayout } from '../helpers/hostile.js';
import {
  skopeoCopy,
  startProxy,
  startRegistry,
  writeMultiPlatformLayout,
  type BuiltImage,
  type Fault,
  type Proxy,
  type Registry,
} from '../helpers/registry.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'dive');

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

async function layerFacts(image: Image): Promise<{ digests: string[]; diffIds: string[]; mediaTypes: string[] }> {
  const layers = await image.layers();
  return {
    digests: await Promise.all(layers.map((l) => l.digest())),
    diffIds: await Promise.all(layers.map((l) => l.diffId())),
    mediaTypes: await Promise.all(layers.map((l) => l.mediaType())),
  };
}

async function withImage<T>(
  argument: string,
  options: Parameters<typeof openImage>[1],
  use: (image: Image) => Promise<T>,
): Promise<T> {
  const image = await openImage(argument, options);
  try {
    return await use(image);
  } finally {
    await image.close();
  }
}

describe('registry source (real docker-registry, skopeo pushes)', () => {
  let registry: Registry;
  let work: string;
  let multi: BuiltImage[];
  let multiIndex: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-registry-test-'));
    registry = await startRegistry();
    const layoutDir = join(work, 'multi');
    const built = await writeMultiPlatformLayout(layoutDir, [
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v6',
      'linux/arm/v7',
    ]);
    multi = built.images;
    multiIndex = built.indexDigest;
    // The gzip and zstd images share their config blob: two pushes of one blob into one repository at once race in
    // the registry's storage (a HEAD on the half-written link answered 500 in a CI run), so those two go in turn.
    const ociPushes = async () => {
      await skopeoCopy(
        `oci-archive:${join(FIXTURES, 'test-oci-gzip-image.tar')}`,
        `docker://${registry.host}/test/oci:gzip`,
      );
      await skopeoCopy(
        `oci-archive:${join(FIXTURES, 'test-oci-zstd-image.tar')}`,
        `docker://${registry.host}/test/oci:zstd`,
      );
    };
    await Promise.all([
      ociPushes(),
      skopeoCopy(
        `docker-archive:${join(FIXTURES, 'test-docker-image.tar')}`,
        `docker://${registry.host}/test/docker:v2`,
        { format: 'v2s2' },
      ),
      skopeoCopy(`oci:${layoutDir}:latest`, `docker://${registry.host}/test/multi:latest`, { all: true }),
    ]);
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const options = (): Parameters<typeof openImage>[1] => ({ cacheDir: join(work, 'cache'), noCache: true });

  it.each([
    ['gzip', 'test-oci-gzip-image.tar', 'application/vnd.oci.image.layer.v1.tar+gzip'],
    ['zstd', 'test-oci-zstd-image.tar', 'application/vnd.oci.image.layer.v1.tar+zstd'],
  ])(
    'reads an OCI image with %s layers: the same digests as the layout it came from',
    async (tag, fixture, layerType) => {
      // Given the image pushed by skopeo with --preserve-digests, and the OCI archive it came from
      const local = await withImage(`oci-archive:${join(FIXTURES, fixture)}`, {}, async (image) => ({
        manifest: await image.digest(),
        ...(await layerFacts(image)),
      }));
      // When ballast reads it from the registry
      await withImage(`docker://${registry.host}/test/oci:${tag}`, options(), async (image) => {
        // Then manifest and layer digests, diffIds and media types agree, and the layer streams to its diffId
        expect(await image.digest()).toBe(local.manifest);
        const remote = await layerFacts(image);
        expect(remote.digests).toEqual(local.digests);
        expect(remote.diffIds).toEqual(local.diffIds);
        expect(remote.mediaTypes).toEqual([layerType]);
        const [layer] = await image.layers();
        expect(await drain(await layer.uncompressed())).toBeGreaterThan(11189);
        expect(image.ref).toMatchObject({ source: 'registry', name: `${registry.host}/test/oci`, tag });
      });
    },
  );

  it("remote://REF, container-diff's spelling, reads the registry as docker://REF does", async () => {
    const viaDocker = await withImage(`docker://${registry.host}/test/docker:v2`, options(), layerFacts);
    await withImage(`remote://${registry.host}/test/docker:v2`, options(), async (image) => {
      expect(await layerFacts(image)).toEqual(viaDocker);
      expect(image.ref).toMatchObject({ source: 'registry', name: `${registry.host}/test/docker`, tag: 'v2' });
    });
  });

  it('a failed Docker Hub lookup of a name whose first component was meant as a host says how to name a host', async () => {
    // `docker://typo-host/x` went to Docker Hub (the grammar's host has a dot, a colon or is localhost) and failed
    // with "cannot resolve the registry host registry-1.docker.io" and nothing on why. Tests do not reach Docker
    // Hub, so a real failed lookup on loopback stands in for its answer.
    const failed = await openImage(`docker://${registry.host}/typo-host/x`, options()).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(BallastError);
    const hinted = readAsHubRepository(failed, 'typo-host/x:1');
    expect(hinted).toMatchObject({
      message: (failed as BallastError).message,
      code: (failed as BallastError).code,
      hint: expect.stringMatching(
        /^typo-host\/x:1 is read as Docker Hub's docker\.io\/typo-host\/x: a registry host has a dot or a port \(typo-host:5000\/x:1\) or is localhost \(localhost:5000\/x:1\)/,
      ),
    });
    expect((hinted as BallastError).hint).toContain((failed as BallastError).hint ?? '');
    // Host-like words and names no Docker ID can be (4 to 30 lowercase letters and digits) get it too.
    for (const name of ['myregistry/app', 'build_host/app', 'ab/app']) {
      expect(readAsHubRepository(failed, name)).not.toBe(failed);
    }
    // Names that are Docker Hub's as written, or name their host, are left as they were.
    for (const name of ['bitnami/redis', 'node', 'docker.io/typo-host/x', 'localhost:5000/x', 'Typo-Host/x']) {
      expect(readAsHubRepository(failed, name)).toBe(failed);
    }
  });

  it('reads a Docker v2 schema 2 image: the same diffIds as the docker save it came from', async () => {
    const local = await withImage(join(FIXTURES, 'test-docker-image.tar'), {}, async (image) => layerFacts(image));
    await withImage(`docker://${registry.host}/test/docker:v2`, options(), async (image) => {
      expect(await image.mediaType()).toBe('application/vnd.docker.distribution.manifest.v2+json');
      const remote = await layerFacts(image);
      expect(remote.diffIds).toEqual(local.diffIds);
      expect(new Set(remote.mediaTypes)).toEqual(new Set(['application/vnd.docker.image.rootfs.diff.tar.gzip']));
      // Every layer decompresses to exactly its diffId (verified while streaming).
      for (const layer of await image.layers()) await drain(await layer.uncompressed());
    });
  });

  it.each([
    ['linux/arm64', 'arm64'],
    ['linux/amd64', 'amd64'],
    // arm/v7 is listed after arm/v6, which v7 can run too: the best fit must win, not the first compatible entry.
    ['linux/arm/v7', 'arm'],
    ['linux/arm/v6', 'arm'],
  ])('picks %s from a multi-platform index', async (platform, architecture) => {
    await withImage(`docker://${registry.host}/test/multi:latest`, { ...options(), platform }, async (image) => {
      const built = multi.find((m) => m.platform === platform)!;
      expect(await image.digest()).toBe(built.manifestDigest);
      expect((await image.configFile()).architecture).toBe(architecture);
      expect((await layerFacts(image)).digests).toEqual(built.layerDigests);
    });
  });

  it('names the platform asked for in full, when --platform gives an architecture alone, for every source', async () => {
    // A single-platform image of a registry, a docker save and an OCI layout, asked for an architecture none holds
    const refs = [
      `docker://${registry.host}/test/oci:gzip`,
      'docker-archive:test/fixtures/formats/ggcr/tarball/hello-world-v25.tar',
      'oci:test/fixtures/formats/ggcr/layout/test_index_one_image',
    ];
    for (const ref of refs) {
      const error = await openImage(ref, { ...options(), platform: 's390x' }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      // The message names linux/s390x, as the platforms it lists are named, never "s390x" alone
      expect([ref, error?.message]).toEqual([ref, expect.stringMatching(/linux\/s390x/)]);
      expect([ref, error?.message]).not.toEqual([ref, expect.stringMatching(/(?<!linux\/)s390x/)]);
    }
  });

  it('names the available platforms when the index has none for the one asked for', async () => {
    await expect(
      openImage(`docker://${registry.host}/test/multi:latest`, { ...options(), platform: 'linux/s390x' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('no image for platform linux/s390x'),
      hint: expect.stringContaining('linux/amd64, linux/arm64, linux/arm/v6, linux/arm/v7'),
    });
  });

  it('reads the platform of an index entry that names none from its config, as an OCI layout does', async () => {
    // An index whose entries carry no platform (crane index append writes such) gave "no image for platform
    // linux/amd64 (available platforms: unknown)" for an amd64 image, which the same index in a layout gives.
    const type = 'application/vnd.oci.image.index.v1+json';
    const url = `http://${registry.host}/v2/test/multi/manifests/no-platforms`;
    const index = (await (
      await fetch(`http://${registry.host}/v2/test/multi/manifests/latest`, { headers: { accept: type } })
    ).json()) as { manifests: { platform?: { architecture: string } }[] };
    const manifests = index.manifests
      .filter((m) => m.platform?.architecture !== 'arm')
      .map(({ platform: _platform, ...entry }) => entry);
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': type },
      body: JSON.stringify({ ...index, manifests }),
    });
    expect(put.status).toBe(201);
    const ref = `docker://${registry.host}/test/multi:no-platforms`;
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      await withImage(ref, { ...options(), platform }, async (image) => {
        expect(await image.digest()).toBe(multi.find((m) => m.platform === platform)!.manifestDigest);
        expect(image.ref.index?.platforms).toEqual(['linux/amd64', 'linux/arm64']);
      });
    }
    const host = formatPlatform(hostPlatform());
    await withImage(ref, options(), async (image) => {
      expect(await image.digest()).toBe(multi.find((m) => m.platform === host)!.manifestDigest);
    });
  });

  it("with no --platform, refuses an index whose entry for this machine's platform is broken", async () => {
    // It took the index's only other readable platform, to run under emulation, where `docker pull` fails on this
    // machine's entry. The same index with another platform's entry broken still gives this machine's image.
    const host = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
    const type = 'application/vnd.oci.image.index.v1+json';
    const url = (tag: string) => `http://${registry.host}/v2/test/multi/manifests/${tag}`;
    const index = (await (await fetch(url('latest'), { headers: { accept: type } })).json()) as {
      manifests: { size: number; platform: { architecture: string; variant?: string } }[];
    };
    const push = async (tag: string, broken: (platform: string) => boolean): Promise<void> => {
      const manifests = index.manifests
        .filter((m) => m.platform.architecture !== 'arm')
        .map((m) => (broken(`linux/${m.platform.architecture}`) ? { ...m, size: -1 } : m));
      const put = await fetch(url(tag), {
        method: 'PUT',
        headers: { 'content-type': type },
        body: JSON.stringify({ ...index, manifests }),
      });
      expect(put.status).toBe(201);
    };
    await push('broken-host', (platform) => platform === host);
    await push('broken-other', (platform) => platform !== host);
    const other = host === 'linux/amd64' ? 'linux/arm64' : 'linux/amd64';
    const hostAt = index.manifests
      .filter((m) => m.platform.architecture !== 'arm')
      .findIndex((m) => `linux/${m.platform.architecture}` === host);
    await expect(openImage(`docker://${registry.host}/test/multi:broken-host`, options())).rejects.toMatchObject({
      message:
        `${registry.host}/test/multi:broken-host lists an image for platform ${host} (this machine's), but its entry is broken: ` +
        `entry ${hostAt} is not a usable descriptor: its size -1 is not a byte count (a whole number from 0 to 2^53-1)`,
      hint: `to read another platform, name it with --platform (available platforms: ${other}); else the registry holds a broken index: push the image again`,
    });
    await withImage(
      `docker://${registry.host}/test/multi:broken-host`,
      { ...options(), platform: other },
      async (image) => {
        expect(await image.digest()).toBe(multi.find((m) => m.platform === other)!.manifestDigest);
      },
    );
    await withImage(`docker://${registry.host}/test/multi:broken-other`, options(), async (image) => {
      expect(await image.digest()).toBe(multi.find((m) => m.platform === host)!.manifestDigest);
    });
  });

  it('picks --platform from an index that nests the platform index in an entry naming no platform', async () => {
    // The nested index's entry names no platform of its own: --platform matched nothing and the hint listed the
    // available platforms as "unknown", where an OCI layout holding the same indexes gave the image.
    const type = 'application/vnd.oci.image.index.v1+json';
    const url = (tag: string) => `http://${registry.host}/v2/test/multi/manifests/${tag}`;
    const inner = await fetch(url('latest'), { headers: { accept: type } });
    const size = (await inner.arrayBuffer()).byteLength;
    const entry = { mediaType: type, digest: inner.headers.get('docker-content-digest'), size };
    const top = JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: [entry] });
    const put = await fetch(url('nested'), { method: 'PUT', headers: { 'content-type': type }, body: top });
    expect(put.status).toBe(201);
    for (const platform of ['linux/arm64', 'linux/arm/v7', 'linux/amd64']) {
      await withImage(`docker://${registry.host}/test/multi:nested`, { ...options(), platform }, async (image) => {
        expect(await image.digest()).toBe(multi.find((m) => m.platform === platform)!.manifestDigest);
        expect(image.ref.index?.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v6', 'linux/arm/v7']);
      });
    }
    await expect(
      openImage(`docker://${registry.host}/test/multi:nested`, { ...options(), platform: 'linux/s390x' }),
    ).rejects.toMatchObject({
      hint: 'pick one with --platform; available platforms: linux/amd64, linux/arm64, linux/arm/v6, linux/arm/v7',
    });
  });

  it('pulls by digest and verifies it', async () => {
    const arm = multi.find((m) => m.platform === 'linux/arm64')!;
    await withImage(`docker://${registry.host}/test/multi@${arm.manifestDigest}`, options(), async (image) => {
      expect(await image.configDigest()).toBe(arm.configDigest);
    });
  });

  describe('through the CLI (dist/, as a user runs it)', () => {
    const env = (): NodeJS.ProcessEnv => ({
      XDG_CACHE_HOME: join(work, 'cli-cache'),
      HOME: work,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });

    /**
     * test/multi:latest's index entries by platform, and a PUT of a manifest (an index) to test/multi by tag or
     * digest, for the nested-index tests to build their own indexes over the same images.
     */
    async function multiIndexEntries() {
      const type = 'application/vnd.oci.image.index.v1+json';
      const url = (ref: string) => `http://${registry.host}/v2/test/multi/manifests/${ref}`;
      const entries = (
        (await (await fetch(url('latest'), { headers: { accept: type } })).json()) as {
          manifests: { digest: string; size: number; platform: { architecture: string; variant?: string } }[];
        }
      ).manifests;
      const of = (platform: string) =>
        entries.find(
          (m) => ['linux', m.platform.architecture, m.platform.variant].filter(Boolean).join('/') === platform,
        )!;
      const put = async (ref: string, body: string) => {
        const answer = await fetch(url(ref), { method: 'PUT', headers: { 'content-type': type }, body });
        expect(answer.status).toBe(201);
        return answer.headers.get('docker-content-digest')!;
      };
      return { type, of, put };
    }

    it('inspect docker://REF --json prints the registry image and exits 0', async () => {
      const result = await runCli(
        ['inspect', `docker://${registry.host}/test/multi:latest`, '--platform', 'linux/arm64', '--json'],
        { env: env() },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout) as {
        source: string;
        digest: string;
        platform: { architecture: string };
      };
      expect(parsed).toMatchObject({
        source: 'registry',
        digest: multi.find((m) => m.platform === 'linux/arm64')!.manifestDigest,
        // The index's digest too (what skopeo inspect shows, what a pull by digest names) and its platforms.
        index: { digest: multiIndex, platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v6', 'linux/arm/v7'] },
      });
      expect(parsed.platform.architecture).toBe('arm64');
    });

    it.each([
      // It said "entry 1", which counted within the nested index: from the top, entry 1 is that index itself.
      [
        'beside a lesser variant that could stand in',
        'linux/arm/v6',
        'nested-broken',
        'entry 1 of the index at entry 1',
      ],
      // The top index dropped the nested broken entry when it read the nested platforms, and said "has no image for
      // platform linux/arm/v7 (available platforms: linux/amd64, linux/arm64)".
      ['with nothing readable to stand in', 'linux/arm64', 'nested-broken-alone', 'entry 1 of the index at entry 1'],
      // The same, one index further down: the tag names an index that holds the pair.
      [
        'two indexes down',
        'linux/arm64',
        'nested-broken-deep',
        'entry 1 of the index at entry 1 of the index at entry 0',
      ],
    ])(
      'inspect names a broken entry of a nested index by where it sits, counted from the top, %s',
      async (_, beside, tag, where) => {
        const { type, of, put } = await multiIndexEntries();
        // The top index: amd64, then an index naming no platform that holds `beside` and a broken arm/v7.
        const inner = JSON.stringify({
          schemaVersion: 2,
          mediaType: type,
          manifests: [of(beside), { ...of('linux/arm/v7'), size: -1 }],
        });
        const byDigest = async (body: string) => ({
          mediaType: type,
          digest: await put(`sha256:${createHash('sha256').update(body).digest('hex')}`, body),
          size: Buffer.byteLength(body),
        });
        let top = [of('linux/amd64'), await byDigest(inner)];
        if (tag.endsWith('-deep'))
          top = [await byDigest(JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: top }))];
        await put(tag, JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: top }));
        const ref = `${registry.host}/test/multi:${tag}`;
        const result = await runCli(['inspect', `docker://${ref}`, '--platform', 'linux/arm/v7'], { env: env() });
        expect([result.code, result.stdout]).toEqual([2, '']);
        expect(result.stderr).toBe(
          `error: ${ref} lists an image for platform linux/arm/v7, but its entry is broken: ` +
            `${where} is not a usable descriptor: its size -1 is not a byte count ` +
            '(a whole number from 0 to 2^53-1) (hint: the registry holds a broken index: push the image again)\n',
        );
      },
    );

    it('inspect looks inside a nested index whose entry names a platform of its own, as an OCI layout does', async () => {
      // The top index: amd64, then an index entry saying linux/arm64 that holds arm64 and arm/v7. Its own platform
      // was taken at its word: arm/v7 was "no image for platform", and the platforms listed only amd64 and arm64.
      const { type, of, put } = await multiIndexEntries();
      const inner = JSON.stringify({
        schemaVersion: 2,
        mediaType: type,
        manifests: [of('linux/arm64'), of('linux/arm/v7')],
      });
      const nested = {
        mediaType: type,
        digest: await put(`sha256:${createHash('sha256').update(inner).digest('hex')}`, inner),
        size: Buffer.byteLength(inner),
        platform: { os: 'linux', architecture: 'arm64' },
      };
      await put(
        'nested-named',
        JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: [of('linux/amd64'), nested] }),
      );
      const ref = `docker://${registry.host}/test/multi:nested-named`;
      const inspectAs = (platform: string) =>
        runCli(['inspect', ref, '--platform', platform, '--json'], { env: env() });
      const [amd, v7] = await Promise.all([inspectAs('linux/amd64'), inspectAs('linux/arm/v7')]);
      expect([amd.code, amd.stderr]).toEqual([0, '']);
      expect(JSON.parse(amd.stdout).index.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
      expect([v7.code, v7.stderr]).toEqual([0, '']);
      expect(JSON.parse(v7.stdout).digest).toBe(of('linux/arm/v7').digest);
      // The platforms are the image's, whichever one was picked (an OCI layout of the same indexes says the same):
      // picking arm/v7, inside the nested index, listed only that index's two and lost amd64.
      expect(JSON.parse(v7.stdout).index).toEqual(JSON.parse(amd.stdout).index);
      const s390x = await inspectAs('linux/s390x');
      expect(s390x.code).toBe(2);
      expect(s390x.stderr).toContain('available platforms: linux/amd64, linux/arm64, linux/arm/v7');
    });

    it('a bare reference with no daemon goes to the registry', async () => {
      const result = await runCli(['inspect', `${registry.host}/test/oci:gzip`, '--json'], { env: env() });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ source: 'registry', tag: 'gzip' });
    });

    it("an index without this machine's platform says which platform it took, when --platform did not pick it", async () => {
      const { type, of, put } = await multiIndexEntries();
      const host = hostPlatform();
      const other = ['linux/arm/v7', 'linux/arm64'].find((p) => p !== formatPlatform(host))!;
      await put('other-only', JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: [of(other)] }));
      const ref = `${registry.host}/test/multi:other-only`;
      const result = await runCli(['inspect', ref, '--json'], { env: env() });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ digest: of(other).digest });
      expect(result.stderr).toBe(
        `note: ${ref} has no image for this machine's platform (${formatPlatform(host)}); using its only one, ${other} (--platform picks another)\n`,
      );
      // Asked for by --platform, or this machine's own: nothing to tell.
      const asked = await runCli(['inspect', ref, '--json', '--platform', other], { env: env() });
      expect([asked.code, asked.stderr]).toEqual([0, '']);
      const own = await runCli(['inspect', `${registry.host}/test/multi:latest`, '--json'], { env: env() });
      expect([own.code, own.stderr]).toEqual([0, '']);
    });

    it('a reference by digest names the digest as the reference has it, and a tag only when one was written', async () => {
      const arm = multi.find((m) => m.platform === 'linux/arm64')!;
      const pinned = `${registry.host}/test/multi@${arm.manifestDigest}`;
      const cases = [
        // A digest alone: no tag (it was "@sha256:…"), the reference keeps the digest the user pinned.
        [pinned, { reference: pinned, tag: null, digest: arm.manifestDigest }],
        // A tag beside the digest (as Renovate pins): the tag is kept (it was dropped), the digest still decides.
        [`${registry.host}/test/multi:latest@${arm.manifestDigest}`, { reference: pinned, tag: 'latest' }],
        // The index's digest: the platform's manifest is `digest`, the index the one pinned.
        [
          `${registry.host}/test/multi@${multiIndex}`,
          { reference: `${registry.host}/test/multi@${multiIndex}`, tag: null, index: { digest: multiIndex } },
        ],
      ] as const;
      for (const [argument, expected] of cases) {
        const json = await runCli(['inspect', argument, '--json', '--platform', 'linux/arm64'], { env: env() });
        expect([json.code, json.stderr]).toEqual([0, '']);
        expect(JSON.parse(json.stdout)).toMatchObject({ source: 'registry', ...expected });
        // The text names the image as the reference opens it again, without an "(@sha256:…)" after it.
        const text = await runCli(['inspect', argument, '--platform', 'linux/arm64'], { env: env() });
        const line = text.stdout.split('\n').find((l) => l.startsWith('Image'));
        expect(line).toMatch(new RegExp(`^Image\\s+${argument.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      }
    });

    it('titles a registry image by its reference as typed, its tag in it, not after it in brackets', async () => {
      // They read `host/test/multi (latest)` and `host/test/multi@sha256:… (latest)`, as an archive's name with the
      // tag chosen inside it.
      const arm = multi.find((m) => m.platform === 'linux/arm64')!;
      for (const argument of [
        `${registry.host}/test/multi:latest`,
        `${registry.host}/test/multi:latest@${arm.manifestDigest}`,
      ]) {
        const run = async (args: string[]) => {
          const result = await runCli([...args, '--platform', 'linux/arm64'], { env: env() });
          expect([args, result.code, result.stderr]).toEqual([args, 0, '']);
          return result.stdout.split('\n');
        };
        expect((await run(['analyze', argument]))[0]).toBe(`${argument}  linux/arm64`);
        expect((await run(['inspect', argument])).find((l) => l.startsWith('Image'))).toMatch(
          new RegExp(`^Image\\s+${argument.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
        );
        expect((await run(['diff', argument, argument])).slice(0, 2)).toEqual([
          `A  ${argument}  linux/arm64`,
          `B  ${argument}  linux/arm64`,
        ]);
        const html = (await run(['analyze', argument, '--format', 'html'])).join('\n');
        expect(html).toContain(`<title>ballast: ${argument.replace(/&/g, '&amp;')}</title>`);
      }
    });

    it('an unknown tag is one line on stderr and exit code 2', async () => {
      const result = await runCli(['inspect', `docker://${registry.host}/test/oci:nope`], { env: env() });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^error: .* has no tag test\/oci:nope; some of its tags: .*gzip.* \(hint: list the tags with/,
      );
    });

    it('an image whose config has an os that is not a string, asked for with --platform, names that field', async () => {
      // The platform check compared it before the config was checked: `(platform.os ?? "").toLowerCase is not a
      // function`.
      const plain = rawTar([{ name: 'a.txt', content: 'a' }]);
      const bad = writeLayout({
        layers: [plain],
        layerTypes: ['application/vnd.oci.image.layer.v1.tar'],
        config: { os: 5, architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [sha(plain)] } },
      });
      try {
        await skopeoCopy(`oci:${bad.dir}`, `docker://${registry.host}/test/bad-os:1`);
      } finally {
        bad.cleanup();
      }
      const result = await runCli(['inspect', `docker://${registry.host}/test/bad-os:1`, '--platform', 'linux/amd64'], {
        env: env(),
      });
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^error: the config in .* is not a valid image config: os is a number, not a string/,
      );
    });

    it('an empty --password-stdin (an unset variable piped in) is a usage error, not rejected credentials', async () => {
      for (const input of ['', '\n', '\r\n']) {
        const result = await runCli(
          ['inspect', `docker://${registry.host}/test/oci:gzip`, '--username', 'alice', '--password-stdin'],
          { env: env(), input },
        );
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^error: --password-stdin read an empty password from standard input \(hint: /);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
    });

    it('a --password-stdin over 1 MiB is a usage error, not read whole', async () => {
      // Read whole with no bound: `< /dev/zero` ran the heap out, and a file piped in was sent as a password.
      const result = await runCli(
        ['inspect', `docker://${registry.host}/test/oci:gzip`, '--username', 'alice', '--password-stdin'],
        // One byte over: it stops reading there, and a longer input would fail the writing here with EPIPE.
        { env: env(), input: 'x'.repeat(MAX_PASSWORD_BYTES + 1) },
      );
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe(
        `error: --password-stdin read over ${MAX_PASSWORD_BYTES} bytes from standard input, too many for a password ` +
          '(hint: pipe in the password or token alone, e.g. `echo "$TOKEN" | ballast ...`)',
      );
    });

    it('--insecure-registry takes the registry written as a URL, and refuses what can be no host', async () => {
      // 0.0.0.0 reaches this machine's registry, but is not a loopback name: plain HTTP needs the flag.
      const ref = `docker://0.0.0.0:${registry.host.split(':')[1]}/test/oci:gzip`;
      for (const value of [`http://0.0.0.0:${registry.host.split(':')[1]}/`, `https://0.0.0.0`]) {
        const result = await runCli(['inspect', ref, '--json', '--insecure-registry', value], { env: env() });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
      }
      for (const [value, message] of [
        ['registry local', /^error: --insecure-registry "registry local" is not a registry host\[:port\] \(hint: /],
        ['0.0.0.0/v2/test', /^error: --insecure-registry "0\.0\.0\.0\/v2\/test" is not a registry host\[:port\]/],
        ['alice:Pa55-w0rd@0.0.0.0', /^error: --insecure-registry takes a registry host\[:port\], not a user name/],
      ] as const) {
        const result = await runCli(['inspect', ref, '--insecure-registry', value], { env: env() });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).not.toMatch(/Pa55-w0rd/);
      }
    });

    it('a password typed into a reference is refused without being printed, by every command that names it', async () => {
      const withPassword = `docker://alice:Pa55-w0rd@${registry.host}/test/oci:gzip`;
      for (const args of [
        ['inspect', withPassword],
        ['diff', `docker://${registry.host}/test/oci:gzip`, withPassword],
        ['analyze', `docker://${registry.host}/test/oci:gzip`, '--base', withPassword],
      ]) {
        const result = await runCli(args, { env: env() });
        expect(result.code).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/"…@127\.0\.0\.1:\d+\/test\/oci:gzip": it holds a user name or password/);
        expect(`${result.stdout}${result.stderr}`).not.toMatch(/Pa55-w0rd|alice/);
      }
    });
  });

  describe('through a counting proxy', () => {
    let proxy: Proxy;
    beforeAll(async () => {
      proxy = await startProxy(registry.host);
    });
    afterAll(async () => proxy?.stop());
    beforeEach(() => {
      proxy.requests.length = 0;
      proxy.fault = undefined;
    });

    it('an index of many indexes naming no platform costs a bounded number of manifest requests', async () => {
      // Each such entry is read for the platforms it holds: 40 of them must not mean 40 requests.
      const type = 'application/vnd.oci.image.index.v1+json';
      const url = (tag: string) => `http://${registry.host}/v2/test/multi/manifests/${tag}`;
      const inner = (await (await fetch(url('latest'), { headers: { accept: type } })).json()) as object;
      const entries = [];
      for (let i = 0; i < 40; i++) {
        const body = JSON.stringify({ ...inner, annotations: { copy: String(i) } });
        const put = await fetch(url(`copy-${i}`), { method: 'PUT', headers: { 'content-type': type }, body });
        expect(put.status).toBe(201);
        entries.push({
          mediaType: type,
          digest: put.headers.get('docker-content-digest'),
          size: Buffer.byteLength(body),
        });
      }
      const top = JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: entries });
      expect((await fetch(url('many'), { method: 'PUT', headers: { 'content-type': type }, body: top })).status).toBe(
        201,
      );
      const result = await inspect({
        image: `docker://${proxy.host}/test/multi:many`,
        platform: 'linux/arm64',
        noCache: true,
      });
      expect(result.digest).toBe(multi.find((m) => m.platform === 'linux/arm64')!.manifestDigest);
      const manifestGets = proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('/manifests/'));
      expect(manifestGets.length).toBeLessThanOrEqual(20);
    });

    it('inspect downloads only the manifest and the config', async () => {
      // Given a 14-layer image
      const result = await inspect({ image: `docker://${proxy.host}/test/docker:v2`, noCache: true });
      // Then the proxy saw manifest and config requests only, and sizes come from the manifest
      const blobGets = proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
      expect(blobGets.map((r) => r.path)).toEqual([`/v2/test/docker/blobs/${result.imageId}`]);
      expect(proxy.requests.filter((r) => r.path.includes('/manifests/')).map((r) => r.path)).toEqual([
        '/v2/test/docker/manifests/v2',
      ]);
      expect(result.layers).toHaveLength(14);
      expect(result.totals.compressedBytes).toBeGreaterThan(0);
      expect(result.source).toBe('registry');
    });

    it('a second run with the blob cache downloads nothing it already has', async () => {
      const cacheDir = join(work, 'shared-cache');
      const read = async (): Promise<void> =>
        withImage(`docker://${proxy.host}/test/docker:v2`, { cacheDir }, async (image) => {
          for (const layer of await image.layers()) await drain(await layer.uncompressed());
        });
      await read();
      const firstBlobs = proxy.requests.filter((r) => r.path.includes('/blobs/') && !r.range).length;
      expect(firstBlobs).toBe(15); // config + 14 layers
      // The config, 14 layers, and the manifest (content-addressed like any blob).
      expect((await readdir(join(cacheDir, 'blobs', 'sha256'))).length).toBe(16);
      proxy.requests.length = 0;
      await read();
      // Only the tag is asked again (it may have moved); no blob is downloaded.
      expect(proxy.requests.filter((r) => r.path.includes('/blobs/'))).toEqual([]);
      expect(proxy.requests.map((r) => r.path)).toEqual(['/v2/test/docker/manifests/v2']);
    });

    it('a multi-platform image read again asks only for its tag: the platform manifest and config come from the cache', async () => {
      const cacheDir = join(work, 'multi-cache');
      const open = async (): Promise<string | undefined> =>
        withImage(`docker://${proxy.host}/test/multi:latest`, { cacheDir, platform: 'linux/arm64' }, async (image) =>
          image.digest(),
        );
      const first = await open();
      expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(2);
      proxy.reset();
      expect(await open()).toBe(first);
      expect(proxy.requests.map((r) => r.path)).toEqual(['/v2/test/multi/manifests/latest']);
    });

    describe('an image of 12 small layers, sent slowly', () => {
      // 800 bytes each that do not compress, whose blobs the registry sends in about 0.3 s each
      const noise = (seed: string): Buffer =>
        Buffer.concat(Array.from({ length: 25 }, (_, k) => createHash('sha256').update(`${seed} ${k}`).digest()));
      beforeAll(async () => {
        const built = await buildOciLayout(
          Array.from({ length: 12 }, (_, i) => layer({ [`data/${i}.bin`]: noise(`layer ${i}`) })),
        );
        try {
          await skopeoCopy(`oci:${built.path}:latest`, `docker://${registry.host}/test/many:1`);
        } finally {
          built.cleanup();
        }
      }, 60_000);
      const slowly = (req: IncomingMessage): Fault | undefined =>
        req.url?.includes('/blobs/') && !req.headers.range
          ? { kind: 'drip', bytes: 64, intervalMs: 20, part: 'body' }
          : undefined;
      /** The files in `dir` process `pid` holds open, for writing (or in any mode), by name. */
      const openFileNames = (pid: number | string, dir: string, writing = true): string[] => {
        let fds: string[];
        try {
          fds = readdirSync(`/proc/${pid}/fd`);
        } catch {
          return []; // the process ended
        }
        const names: string[] = [];
        for (const fd of fds) {
          try {
            const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
            if (!target.startsWith(`${dir}/`)) continue;
            const flags = /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
            if (!writing || (flags && (parseInt(flags[1], 8) & 3) !== 0)) names.push(target.slice(dir.length + 1));
          } catch {
            // closed meanwhile
          }
        }
        return names;
      };
      const openFiles = (pid: number | string, dir: string, writing = true): number =>
        openFileNames(pid, dir, writing).length;

      it('a pull into the cache holds a file open only for the downloads under way, and leaves none behind', async () => {
        proxy.fault = slowly;
        const cacheDir = join(work, 'many-cache');
        // When it is analyzed with the cache on and the layers read on worker threads, which read the downloads' files
        const { child, done } = startCli(['analyze', `docker://${proxy.host}/test/many:1`, '--workers', '2'], {
          env: { BALLAST_CACHE_DIR: cacheDir },
          timeoutMs: 60_000,
        });
        // Then at no time are more of the cache's temp files open for writing than downloads run at once (the
        // workers' reads of them are open read-only, and not counted)
        const samples: string[][] = [];
        let running = true;
        void done.then(() => (running = false));
        while (running) {
          samples.push(openFileNames(child.pid!, join(cacheDir, 'tmp')));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const run = await done;
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        // (counting the layers' downloads, named by their digest: the same temp folder takes the config and, as each
        // layer's walk ends, its layer-cache entry, each written at once, which a loaded machine caught beside three
        // downloads)
        const layerDigests = await withImage(
          `docker://${registry.host}/test/many:1`,
          { noCache: true },
          async (image) => Promise.all((await image.layers()).map((l) => l.digest())),
        );
        const prefixes = layerDigests.map((d) => d.slice('sha256:'.length, 'sha256:'.length + 12));
        const downloads = samples.map((names) => names.filter((n) => prefixes.some((p) => n.startsWith(p))).length);
        expect(Math.max(...downloads)).toBeGreaterThan(0);
        expect(Math.max(...downloads)).toBeLessThanOrEqual(PARALLEL_DOWNLOADS);
        // And every layer was kept, with no temp file left
        expect(await readdir(join(cacheDir, 'tmp'))).toEqual([]);
        expect((await readdir(join(cacheDir, 'blobs', 'sha256'))).length).toBeGreaterThanOrEqual(12);
      }, 90_000);

      it('downloads abandoned, some still waiting their turn, when one fails leave no file open or behind', async () => {
        const cacheDir = join(work, 'many-abandoned');
        await withImage(`docker://${proxy.host}/test/many:1`, { cacheDir }, async (image) => {
          const layers = await image.layers();
          const first = await layers[0].digest();
          // Given a registry that refuses the first layer and sends the others slowly
          proxy.fault = (req) => (req.url?.endsWith(first) ? { kind: 'status', status: 404 } : slowly(req));
          // When every layer's download is started, as the walk starts them, and all are stopped once the first failed
          const downloads = [];
          for (const layer of layers) downloads.push((await layer.download())!);
          // (and the downloads under way have a file open)
          const tmp = join(cacheDir, 'tmp');
          while (!downloads[0].failure() || openFiles(process.pid, tmp) === 0)
            await new Promise((resolve) => setTimeout(resolve, 5));
          expect(openFiles(process.pid, tmp)).toBeLessThanOrEqual(PARALLEL_DOWNLOADS);
          await Promise.all(downloads.map((d) => d.settle(false)));
          // Then no file of the cache's is open, and none is left
          expect(openFiles(process.pid, tmp, false)).toBe(0);
          expect(await readdir(tmp)).toEqual([]);
          expect(proxy.requests.filter((r) => r.path.includes('/blobs/') && !r.range).length).toBeLessThan(12);
        });
      }, 60_000);
    });
  });
});
