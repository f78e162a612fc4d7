// `ballast bases` against a real docker-registry on loopback, filled here by skopeo with several tags of one
// repository (versions, variants, aliases of one manifest, a two-platform index) and with family equivalents. A
// counting proxy in front of the registry shows what is fetched: manifests, configs and tag pages only, unless deep.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { formatPlatform, hostPlatform } from '../../src/image/platform.js';
import { formatBytes } from '../../src/report/figures.js';
import { renderBasesMarkdown } from '../../src/reporters/bases-markdown.js';
import { renderBasesText } from '../../src/reporters/bases-text.js';
import { tagsLine } from '../../src/reporters/bases-view.js';
import { bases, type BaseCandidate, type BasesOptions, type BasesResult } from '../../src/services/bases.js';
import { buildOciLayout, layer, type BuildOptions, type LayerSpec } from '../helpers/image-builder.js';
import {
  skopeoCopy,
  startProxy,
  startRegistry,
  writeMultiPlatformLayout,
  type Proxy,
  type Registry,
} from '../helpers/registry.js';

const run = promisify(execFile);
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

// Layers as the official images are shaped: a rootfs whose history names how it was made, then the runtime.
const DEBIAN_ROOTFS = layer(
  { 'etc/debian_version': '12.5\n', 'usr/lib/x86_64-linux-gnu/libc.so.6': 60_000, 'bin/sh': 9_000 },
  "# debian.sh --arch 'amd64' out/ 'bookworm' '@1706745600'",
);
const DEBIAN_FULL_EXTRA = layer(
  { 'usr/bin/gcc': 80_000, 'usr/share/doc/gcc/README': 5_000 },
  'RUN /bin/sh -c apt-get update && apt-get install -y gcc make',
);
const ALPINE_ROOTFS = layer(
  { 'etc/alpine-release': '3.19.1\n', 'lib/ld-musl-x86_64.so.1': 20_000, 'bin/busybox': 15_000 },
  'ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit',
);
const nodeLayer = (version: string, size: number) =>
  layer(
    { 'usr/local/bin/node': size, [`usr/local/include/node/v${version}.h`]: 100 },
    `RUN /bin/sh -c set -ex && curl -fsSLO node-v${version}.tar.xz # buildkit`,
  );
const nodeConfig = (version: string, extra: Record<string, unknown> = {}): BuildOptions => ({
  config: { Env: [`PATH=/usr/local/bin:/usr/bin:/bin`, `NODE_VERSION=${version}`], Cmd: ['node'], ...extra },
});

/** The layer sizes an OCI layout's (first) manifest stores. */
async function layerSizes(layout: string): Promise<number[]> {
  const blob = async (digest: string) => readFile(join(layout, 'blobs', 'sha256', digest.slice(7)), 'utf8');
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(await blob(index.manifests[0].digest));
  return manifest.layers.map((l: { size: number }) => l.size);
}

interface Pushed {
  tag: string;
  layers: LayerSpec[];
  options: BuildOptions;
}

const NODE_TAGS: Pushed[] = [
  {
    tag: '20.11.1',
    layers: [DEBIAN_ROOTFS, DEBIAN_FULL_EXTRA, nodeLayer('20.11.1', 50_000)],
    options: nodeConfig('20.11.1'),
  },
  { tag: '20.11.1-slim', layers: [DEBIAN_ROOTFS, nodeLayer('20.11.1', 50_000)], options: nodeConfig('20.11.1') },
  {
    tag: '20.11-alpine3.19',
    layers: [
      ALPINE_ROOTFS,
      layer({ 'usr/lib/libstdc++.so.6': 8_000 }, 'RUN /bin/sh -c apk add --no-cache libstdc++'),
      nodeLayer('20.11.1', 48_000),
    ],
    options: nodeConfig('20.11.1'),
  },
  {
    tag: '20.12.0-bookworm',
    layers: [
      DEBIAN_ROOTFS,
      DEBIAN_FULL_EXTRA,
      layer({ 'usr/bin/git': 30_000 }, 'RUN /bin/sh -c apt-get install -y git'),
      nodeLayer('20.12.0', 51_000),
    ],
    options: nodeConfig('20.12.0'),
  },
  { tag: '20.10.0-bullseye', layers: [DEBIAN_ROOTFS, nodeLayer('20.10.0', 49_000)], options: nodeConfig('20.10.0') },
  { tag: '18.19.0-slim', layers: [DEBIAN_ROOTFS, nodeLayer('18.19.0', 40_000)], options: nodeConfig('18.19.0') },
  { tag: '18-alpine', layers: [ALPINE_ROOTFS, nodeLayer('18.19.0', 38_000)], options: nodeConfig('18.19.0') },
  { tag: '22.1.0-slim', layers: [DEBIAN_ROOTFS, nodeLayer('22.1.0', 55_000)], options: nodeConfig('22.1.0') },
  {
    tag: 'latest',
    layers: [DEBIAN_ROOTFS, DEBIAN_FULL_EXTRA, nodeLayer('22.1.0', 55_000)],
    options: nodeConfig('22.1.0'),
  },
  { tag: 'bookworm-slim', layers: [DEBIAN_ROOTFS, nodeLayer('22.1.0', 55_000)], options: nodeConfig('22.1.0') },
];
// Tags that name an image already pushed (as `20-slim` and `20.11.1-slim` do on Docker Hub).
const ALIASES: [string, string][] = [
  ['20.11.1-slim', '20.11.1-slim-bookworm'],
  ['20.11.1-slim', '20-slim'],
];

describe('ballast bases against a real registry', () => {
  let registry: Registry;
  let proxy: Proxy;
  let work: string;
  let repo: string;
  const layouts = new Map<string, string>();

  const familyConfig = (): BasesOptions['families'] => [
    {
      repositories: [`${proxy.host}/lib/node`],
      candidates: [
        {
          family: 'distroless',
          image: `${proxy.host}/distroless/nodejs{major}-debian12:nonroot`,
          os: 'debian',
          libc: 'glibc',
          shell: false,
          packageManager: null,
        },
        {
          family: 'chainguard',
          image: `${proxy.host}/chainguard/node:latest`,
          os: 'wolfi',
          libc: 'glibc',
          shell: false,
          packageManager: null,
        },
        {
          family: 'ubi-minimal',
          image: `${proxy.host}/ubi9/nodejs-{major}-minimal`,
          os: 'rhel',
          libc: 'glibc',
          shell: true,
          packageManager: 'microdnf',
        },
      ],
    },
  ];
  const options = (extra: Partial<BasesOptions> = {}): BasesOptions => ({
    images: [`docker://${repo}:20.11.1`],
    noCache: true,
    families: familyConfig(),
    builtinFamilies: false,
    configPath: undefined,
    cwd: work,
    tagPageSize: 4,
    ...extra,
  });

  async function pushLayout(
    layers: LayerSpec[],
    buildOptions: BuildOptions,
    destination: string,
    keepAs?: string,
  ): Promise<void> {
    const built = await buildOciLayout(layers, buildOptions);
    await skopeoCopy(`oci:${built.path}:latest`, `docker://${registry.host}/${destination}`);
    if (keepAs) layouts.set(keepAs, built.path);
    else built.cleanup();
  }

  /** The manifest for linux/amd64 as the registry serves it, read with skopeo (not with ballast). */
  async function manifestOf(
    tag: string,
    platform = 'amd64',
    repository = 'lib/node',
  ): Promise<{ digest: string; config: { digest: string }; layers: { digest: string; size: number }[] }> {
    const inspect = async (ref: string) => {
      const { stdout } = await run(
        'skopeo',
        ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/${ref}`],
        { encoding: 'buffer' },
      );
      return stdout as Buffer;
    };
    let raw = await inspect(`${repository}:${tag}`);
    let body = JSON.parse(raw.toString('utf8'));
    if (body.manifests) {
      const chosen = body.manifests.find(
        (m: { platform: { architecture: string } }) => m.platform.architecture === platform,
      );
      raw = await inspect(`${repository}@${chosen.digest}`);
      body = JSON.parse(raw.toString('utf8'));
    }
    return { digest: sha(raw), config: body.config, layers: body.layers };
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ballast-bases-test-'));
    registry = await startRegistry();
    proxy = await startProxy(registry.host);
    proxy.pageTags = true;
    repo = `${proxy.host}/lib/node`;
    for (const pushed of NODE_TAGS)
      await pushLayout(
        pushed.layers,
        pushed.options,
        `lib/node:${pushed.tag}`,
        pushed.tag === '20.11.1' ? 'base' : undefined,
      );
    for (const [from, to] of ALIASES) {
      await run('skopeo', [
        'copy',
        '-q',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        '--preserve-digests',
        `docker://${registry.host}/lib/node:${from}`,
        `docker://${registry.host}/lib/node:${to}`,
      ]);
    }
    // The two-platform index: one tag, an amd64 and an arm64 image.
    const multi = join(work, 'multi');
    await writeMultiPlatformLayout(multi, ['linux/amd64', 'linux/arm64']);
    await skopeoCopy(`oci:${multi}:latest`, `docker://${registry.host}/lib/node:20.11.1-alpine`, { all: true });
    // Family equivalents: a distroless image (no shell, non-root) and a chainguard image of another major.
    await pushLayout(
      [
        layer(
          { 'etc/os-release': 'PRETTY_NAME="Distroless"\n', 'lib/x86_64-linux-gnu/libc.so.6': 60_000 },
          'bazel build //base:base_nonroot',
        ),
        nodeLayer('20.11.1', 50_000),
      ],
      { config: { User: '65532', Entrypoint: ['/nodejs/bin/node'], Env: ['NODE_VERSION=20.11.1'] } },
      'distroless/nodejs20-debian12:nonroot',
    );
    await pushLayout(
      [layer({ 'usr/bin/node': 52_000 }, 'apko')],
      { config: { User: '65532', Env: ['NODE_VERSION=22.2.0'] } },
      'chainguard/node:latest',
    );
  }, 240_000);

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    for (const dir of layouts.values()) await rm(dir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  let result: BasesResult;

  it('offers one tag per variant of the same version, by semver, never another major, reading tags page by page', async () => {
    // Given the registry's tag list read 4 tags per page
    proxy.reset();
    // When ballast looks for bases of node:20.11.1
    result = await bases(options());
    // Then the variants of 20.11.1 are found: the exact version, its line (20.11-alpine3.19), and the newer 20.12.0 for bookworm
    const byTag: Record<string, BaseCandidate> = Object.fromEntries(result.candidates.map((c) => [c.tag, c]));
    expect(Object.keys(byTag).sort()).toEqual([
      '20.11-alpine3.19',
      '20.11.1',
      '20.11.1-alpine',
      '20.11.1-slim',
      '20.12.0-bookworm',
      'nonroot',
    ]);
    expect(byTag['20.11.1']).toMatchObject({ current: true, origin: 'current', match: 'exact' });
    expect(byTag['20.11-alpine3.19']).toMatchObject({ origin: 'variant', match: 'line', variant: 'alpine3.19' });
    expect(byTag['20.12.0-bookworm']).toMatchObject({ match: 'newer' });
    // Tags of one manifest are one candidate, the others named as its aliases: 20-slim, which also matched, is read
    // and found to be the same manifest, so it is an alias, not another tag
    expect(byTag['20.11.1-slim'].alsoMatching).toEqual([]);
    expect(byTag['20.11.1-slim'].aliases).toEqual([`${repo}:20.11.1-slim-bookworm`, `${repo}:20-slim`]);
    // And no older version or other major is offered anywhere, nor an unversioned tag
    const offered = result.candidates.flatMap((c) => [
      c.reference,
      ...c.aliases,
      ...c.alsoMatching.map((t) => `${repo}:${t}`),
    ]);
    for (const tag of ['18.19.0-slim', '18-alpine', '22.1.0-slim', 'latest', 'bookworm-slim', '20.10.0-bullseye'])
      expect(offered).not.toContain(`${repo}:${tag}`);
    // And the tag list was read through every page, following the registry's Link header
    const pages = proxy.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/lib/node/tags/list'));
    expect(result.tags).toMatchObject({
      repository: repo,
      listed: NODE_TAGS.length + ALIASES.length + 1,
      truncated: false,
    });
    expect(pages.length).toBe(result.tags!.pages);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.slice(1).every((p) => /[?&]last=/.test(p.path))).toBe(true);
  });

  it('says what bounds the offer: the major for a versioned tag, the release for bookworm-slim, which has none', async () => {
    // Given the result for node:20.11.1 above, its tags line bounds the offer by its major
    expect(tagsLine(result)).toMatch(/; one per variant, none older or of another major unless --any-version\.$/);
    // When ballast looks for bases of node:bookworm-slim, whose tag has no major
    const unversioned = await bases(options({ images: [`docker://${repo}:bookworm-slim`] }));
    // Then the line says so, and what is offered instead, not "same major"
    expect(unversioned.tags).toMatchObject({ tag: 'bookworm-slim', versioned: false });
    expect(tagsLine(unversioned)).toMatch(
      /; one per variant, bookworm-slim has no version, so only unversioned tags not naming another release unless --any-version\.$/,
    );
    // As offered: latest (no release named), never a versioned tag
    expect(
      unversioned.candidates
        .filter((c) => c.origin !== 'family')
        .map((c) => c.tag)
        .sort(),
    ).toEqual(['bookworm-slim', 'latest']);
  });

  it('gives sizes equal to the manifests, ordered by size, the family equivalents of the same major only', async () => {
    for (const c of result.candidates.filter((c) => c.origin !== 'family')) {
      const manifest = await manifestOf(c.tag!);
      expect(c.digest).toBe(manifest.digest);
      expect(c.compressedBytes).toBe(manifest.layers.reduce((s, l) => s + l.size, 0));
      expect(c.layers).toBe(manifest.layers.length);
    }
    // The index resolved to this machine's platform (amd64), not arm64
    expect(result.candidates.find((c) => c.tag === '20.11.1-alpine')!.platform).toBe('linux/amd64');
    const sizes = result.candidates.map((c) => c.compressedBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    // chainguard's config says NODE_VERSION=22.2.0: another major, ruled out; ubi's image does not exist: reported
    expect(result.skipped.find((s) => s.reference.includes('chainguard'))!.reason).toMatch(/22\.2\.0.*another major/);
    expect(result.skipped.find((s) => s.reference.includes('ubi9'))!.reason).toMatch(/no (tag|repository)/);
  });

  it('tells OS, libc, shell, package manager and user from metadata, and states the caveats', () => {
    const byTag: Record<string, BaseCandidate> = Object.fromEntries(result.candidates.map((c) => [c.tag, c]));
    expect(byTag['20.11.1']).toMatchObject({
      os: { value: 'debian', source: 'history' },
      libc: { value: 'glibc' },
      packageManager: { value: 'apt', source: 'history' },
      shell: { value: true },
      user: '',
    });
    expect(byTag['20.11.1'].runtimeVersion).toEqual({ value: '20.11.1', from: 'NODE_VERSION' });
    expect(byTag['20.11-alpine3.19']).toMatchObject({
      os: { value: 'alpine', source: 'history' },
      libc: { value: 'musl' },
      packageManager: { value: 'apk', source: 'history' },
    });
    // The index's images carry no history that names their OS: guessed from the tag, and marked so
    expect(byTag['20.11.1-alpine'].os).toEqual({ value: 'alpine', source: 'name' });
    expect(byTag.nonroot).toMatchObject({
      family: 'distroless',
      user: '65532',
      shell: { value: false, source: 'family' },
      packageManager: { value: null },
    });
    const kinds = (tag: string) => byTag[tag].caveats.map((c) => c.kind);
    expect(kinds('20.11-alpine3.19')).toEqual(expect.arrayContaining(['libc', 'package-manager']));
    expect(byTag['20.11-alpine3.19'].caveats.find((c) => c.kind === 'libc')!.message).toMatch(/^musl instead of glibc/);
    expect(kinds('nonroot')).toEqual(expect.arrayContaining(['shell', 'package-manager', 'user']));
    expect(kinds('20.11.1')).toEqual([]);
    expect(byTag['20.12.0-bookworm'].caveats).toEqual([
      { kind: 'version', message: 'runtime 20.12.0 instead of 20.11.1' },
    ]);
  });

  it('downloads no layer blob: manifests, configs and tag lists only', async () => {
    // Every manifest in the registry, read with skopeo: which blobs are configs, which are layers
    const refs: [string, string][] = [
      ...NODE_TAGS.map((t) => ['lib/node', t.tag] as [string, string]),
      ['lib/node', '20.11.1-alpine'],
      ['distroless/nodejs20-debian12', 'nonroot'],
      ['chainguard/node', 'latest'],
    ];
    const manifests = await Promise.all(refs.map(([repository, tag]) => manifestOf(tag, 'amd64', repository)));
    const configs = new Set(manifests.map((m) => m.config.digest));
    const layers = new Set(manifests.flatMap((m) => m.layers.map((l) => l.digest)));
    const blobGets = proxy.requests
      .filter((r) => r.method === 'GET' && r.path.includes('/blobs/'))
      .map((r) => r.path.split('/blobs/')[1]);
    expect(blobGets.length).toBeGreaterThan(0);
    expect(blobGets.filter((d) => layers.has(d))).toEqual([]);
    expect(blobGets.every((d) => configs.has(d))).toBe(true);
  });

  it('walks the layers with deep: uncompressed sizes equal the layer tars, and only then GETs layer blobs', async () => {
    proxy.reset();
    const deep = await bases(options({ deep: true, images: [`docker://${repo}:20.11.1-slim`] }));
    const layerGets = proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
    for (const c of deep.candidates.filter((c) => c.origin !== 'family')) {
      const manifest = await manifestOf(c.tag!);
      for (const l of manifest.layers) expect(layerGets.some((r) => r.path.endsWith(l.digest))).toBe(true);
      // The uncompressed size is the sum of the layer tars, gunzipped here from the blobs skopeo reads
      let tarBytes = 0;
      for (const l of manifest.layers) {
        const { stdout } = await run('curl', ['-sf', `http://${registry.host}/v2/lib/node/blobs/${l.digest}`], {
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        });
        tarBytes += gunzipSync(stdout as Buffer).length;
      }
      expect(c.deep!.uncompressedBytes).toBe(tarBytes);
      expect(c.deep!.finalFiles).toBeGreaterThan(0);
    }
    const sizes = deep.candidates.map((c) => c.deep!.uncompressedBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('estimates the user image rebuilt on each candidate, naming the Dockerfile lines that would break', async () => {
    // Given an app image built on node:20.11.1 (kept as a local OCI layout) and its Dockerfile
    const base = NODE_TAGS[0];
    const app = await buildOciLayout(
      [
        ...base.layers,
        layer({ 'app/server.js': 30_000 }, 'COPY . /app # buildkit'),
        layer({ 'usr/bin/python3': 20_000 }, 'RUN /bin/sh -c apt-get update && apt-get install -y python3 # buildkit'),
      ],
      base.options,
    );
    const dockerfile = join(work, 'Dockerfile');
    await writeFile(
      dockerfile,
      `ARG NODE=20.11.1\nFROM ${repo}:\${NODE}\nCOPY . /app\nRUN apt-get update && apt-get install -y python3\nRUN ["node", "--version"]\n`,
    );
    try {
      proxy.reset();
      const rebuilt = await bases(options({ images: [app.path], dockerfile }));
      // Then the Dockerfile's final FROM (ARG default resolved) is the current base
      expect(rebuilt).toMatchObject({
        mode: 'rebuild',
        base: `${repo}:20.11.1`,
        dockerfile: { from: `${repo}:20.11.1`, fromLine: 2 },
      });
      // And each estimate is the candidate's layers plus the app's own two layers
      const appManifest = JSON.parse(
        await readFile(
          join(
            app.path,
            'blobs',
            'sha256',
            JSON.parse(await readFile(join(app.path, 'index.json'), 'utf8')).manifests[0].digest.slice(7),
          ),
          'utf8',
        ),
      );
      const own = appManifest.layers.slice(3).reduce((s: number, l: { size: number }) => s + l.size, 0);
      const total = appManifest.layers.reduce((s: number, l: { size: number }) => s + l.size, 0);
      expect(rebuilt.image).toMatchObject({ layers: 5, ownLayers: 2, ownCompressedBytes: own, compressedBytes: total });
      // (the app's base layers are the registry's blobs, so on the current base the estimate is the image itself)
      for (const c of rebuilt.candidates)
        expect(c.estimate).toMatchObject({
          compressedBytes: c.compressedBytes + own,
          deltaBytes: c.compressedBytes + own - total,
        });
      expect(rebuilt.candidates.find((c) => c.current)!.estimate!.compressedBytes).toBe(total);
      expect(rebuilt.candidates.find((c) => c.current)!.estimate!.deltaBytes).toBe(0);
      // And alpine names the apt-get line; distroless names the shell-form RUN line but not the exec-form one
      const alpine = rebuilt.candidates.find((c) => c.tag === '20.11-alpine3.19')!;
      expect(alpine.caveats.find((c) => c.kind === 'package-manager')).toMatchObject({
        lines: [{ file: dockerfile, line: 4 }],
      });
      expect(alpine.caveats.find((c) => c.kind === 'package-manager')!.message).toMatch(
        /apk instead of apt: 1 RUN line calls apt/,
      );
      const distroless = rebuilt.candidates.find((c) => c.family === 'distroless')!;
      expect(distroless.caveats.find((c) => c.kind === 'shell')).toMatchObject({ lines: [{ line: 4 }] });
      expect(rebuilt.warnings).toEqual([]);
      // And still no layer blob was fetched from the registry
      const configs = proxy.requests.filter((r) => r.path.includes('/blobs/'));
      const layerDigests = new Set(
        (
          await Promise.all(rebuilt.candidates.filter((c) => c.origin !== 'family').map((c) => manifestOf(c.tag!)))
        ).flatMap((m) => m.layers.map((l) => l.digest)),
      );
      expect(configs.filter((r) => layerDigests.has(r.path.split('/blobs/')[1]))).toEqual([]);
    } finally {
      app.cleanup();
    }
  });

  it('takes the base a local image records (org.opencontainers.image.base.name) when given no --base', async () => {
    const base = NODE_TAGS[1];
    const app = await buildOciLayout([...base.layers, layer({ 'app/main.js': 1_000 }, 'COPY . /app')], {
      config: { ...base.options.config, Labels: { 'org.opencontainers.image.base.name': `${repo}:20.11.1-slim` } },
    });
    try {
      const notes: string[] = [];
      const result = await bases(options({ images: [app.path], notice: (m) => notes.push(m) }));
      expect(result).toMatchObject({
        mode: 'rebuild',
        base: `${repo}:20.11.1-slim`,
        image: { ownLayers: 1 },
        warnings: [],
      });
      expect(result.candidates.find((c) => c.current)!.estimate!.deltaBytes).toBe(0);
      expect(notes).toEqual([
        `${app.path} records its base as ${repo}:20.11.1-slim (org.opencontainers.image.base.name)`,
      ]);
    } finally {
      app.cleanup();
    }
  });

  describe('an image that records its base digest (org.opencontainers.image.base.digest)', () => {
    const stem = 'moved/node';
    let asBuilt: string;
    let app: { path: string; cleanup(): void } | undefined;
    const appWith = async (digest: string) => {
      app?.cleanup();
      app = await buildOciLayout([DEBIAN_ROOTFS, nodeLayer('20.11.1', 50_000), layer({ 'app/main.js': 1_000 })], {
        ...nodeConfig('20.11.1'),
        annotations: {
          'org.opencontainers.image.base.name': `${proxy.host}/${stem}:20.11.1`,
          'org.opencontainers.image.base.digest': digest,
        },
      });
      return app.path;
    };

    beforeAll(async () => {
      // Given an image built on moved/node:20.11.1, then the tag moved on to a rebuild with one more layer (a
      // security update): the manifest the image was built on is still in the registry, by digest only
      await pushLayout([DEBIAN_ROOTFS, nodeLayer('20.11.1', 50_000)], nodeConfig('20.11.1'), `${stem}:20.11.1`);
      asBuilt = (await manifestOf('20.11.1', 'amd64', stem)).digest;
      await pushLayout(
        [
          DEBIAN_ROOTFS,
          layer({ 'usr/lib/libssl.so.3': 7_000 }, 'RUN /bin/sh -c apt-get upgrade -y'),
          nodeLayer('20.11.1', 50_000),
        ],
        nodeConfig('20.11.1'),
        `${stem}:20.11.1`,
      );
      expect((await manifestOf('20.11.1', 'amd64', stem)).digest).not.toBe(asBuilt);
    }, 120_000);

    afterAll(() => app?.cleanup());

    it('tells its own layers apart on the exact base the digest names, though the tag has moved', async () => {
      proxy.reset();
      const result = await bases(options({ images: [await appWith(asBuilt)] }));
      // Then the base's two layers are the base's, the app's one layer its own, and nothing is guessed
      expect(result.image).toMatchObject({ layers: 3, ownLayers: 1 });
      expect(result.warnings).toEqual([]);
      expect(result.recordedDigest).toEqual({
        digest: asBuilt,
        reference: `${proxy.host}/${stem}@${asBuilt}`,
        used: 'digest',
        reason: null,
      });
      // (read from the registry by that digest)
      expect(proxy.requests.some((r) => r.path === `/v2/${stem}/manifests/${asBuilt}` && r.status === 200)).toBe(true);
      // And the candidates are still the tags as they are today
      expect(result.candidates.find((c) => c.current)).toMatchObject({
        reference: `${proxy.host}/${stem}:20.11.1`,
        layers: 3,
      });
    });

    it("falls back to the tag as it is today when the registry has no such digest (as for buildah's)", async () => {
      const missing = sha(Buffer.from('a manifest only in local storage'));
      const result = await bases(options({ images: [await appWith(missing)] }));
      expect(result.recordedDigest).toEqual({
        digest: missing,
        reference: `${proxy.host}/${stem}@${missing}`,
        used: 'tag',
        reason: expect.stringContaining(`has no manifest ${stem}@${missing}`),
      });
      // The tag moved: only the layer still shared counts as the base's (counting as many as the base has now, 3,
      // took the app's own layer for the base's and left it none), and the warning says the base has moved
      const path = app!.path;
      const sizes = await layerSizes(path);
      expect(result.image).toMatchObject({
        layers: 3,
        ownLayers: 2,
        ownCompressedBytes: sizes[1] + sizes[2],
        sharedLayers: 1,
        sharedCompressedBytes: sizes[0],
        baseMoved: { reference: `${proxy.host}/${stem}:20.11.1`, layers: 3, fromOldBase: 1, fromDockerfile: false },
      });
      const warning =
        `the base has moved since the build: ${proxy.host}/${stem}:20.11.1 now has 3 layers, of which ${path} shares ` +
        `only its first 1 (${formatBytes(sizes[0])}); only that layer counts as the base's, so any more layers of ` +
        `the old base count as ${path}'s own (--dockerfile tells them apart)`;
      expect(result.warnings).toEqual([warning]);
      // And the current base's row says the same figures, in text and markdown alike
      const current = result.candidates.find((c) => c.current)!;
      expect(current.sharedLayers).toEqual([{ reference: path, layers: 1, compressedBytes: sizes[0] }]);
      const shares = `shares 1 of 3 layers (${formatBytes(sizes[0])}) with`;
      expect(renderBasesText(result, { color: false })).toContain(`    ${shares} ${path}\n`);
      expect(renderBasesText(result, { color: false })).toContain(`warning: ${warning}`);
      expect(renderBasesMarkdown(result)).toContain(`  - ${shares} \`${path}\``);
      expect(renderBasesMarkdown(result)).toContain(`> **Warning:** ${warning}`);
    });
  });

  it('names the first image in argument order that cannot be read on the platform asked for, every time', async () => {
    // Given a registry image whose index arrives slowly, then a local one: the local one fails first in time
    const local = await buildOciLayout([ALPINE_ROOTFS]);
    try {
      for (let i = 0; i < 2; i++) {
        proxy.reset();
        proxy.fault = (req) =>
          req.url?.includes('/manifests/20.11.1-alpine') && req.method === 'GET'
            ? { kind: 'drip', bytes: 64, intervalMs: 40, part: 'body' }
            : undefined;
        await expect(
          bases(options({ images: [`docker://${repo}:20.11.1-alpine`, local.path], platform: 'linux/s390x' })),
        ).rejects.toThrow(new RegExp(`^reading ${repo.replace(/[.]/g, '\\.')}:20\\.11\\.1-alpine: `));
      }
    } finally {
      proxy.reset();
      local.cleanup();
    }
  });

  it('compares on the platform asked for: the index gives its arm64 image, single-platform amd64 tags are left out with the reason', async () => {
    const arm = await bases(options({ images: [`docker://${repo}:20.11.1-alpine`], platform: 'linux/arm64' }));
    const manifest = await manifestOf('20.11.1-alpine', 'arm64');
    expect(arm.platform).toBe('linux/arm64');
    expect(arm.candidates).toHaveLength(1);
    expect(arm.candidates[0]).toMatchObject({
      current: true,
      platform: 'linux/arm64',
      digest: manifest.digest,
      compressedBytes: manifest.layers.reduce((s, l) => s + l.size, 0),
    });
    expect(arm.skipped.find((s) => s.reference === `${repo}:20.11.1-slim`)!.reason).toMatch(
      /single-platform linux\/amd64 image, not linux\/arm64/,
    );
    // Two tags of one manifest are one image left out, named once with its alias, as the table names them
    expect(arm.skipped.find((s) => s.reference === `${repo}:20.11.1-slim`)!.aliases).toEqual([
      `${repo}:20.11.1-slim-bookworm`,
    ]);
    expect(arm.skipped.map((s) => s.reference)).not.toContain(`${repo}:20.11.1-slim-bookworm`);
    expect(arm.skipped.filter((s) => s.aliases === undefined).length).toBe(arm.skipped.length - 1);
  });

  it('lists the candidates it could not compare in one order, whichever answers last', async () => {
    // Given the tags left out on arm64 (single-platform amd64 images), each in turn answering slowly
    const armOptions = () => options({ images: [`docker://${repo}:20.11.1-alpine`], platform: 'linux/arm64' });
    const left = (await bases(armOptions())).skipped.map((s) => s.reference);
    expect(left.length).toBeGreaterThanOrEqual(2);
    const orders: string[][] = [];
    try {
      for (const slow of left.slice(0, 2)) {
        const tag = slow.slice(slow.lastIndexOf(':') + 1);
        proxy.reset();
        proxy.fault = (req) =>
          req.url?.endsWith(`/manifests/${tag}`) && req.method === 'GET'
            ? { kind: 'drip', bytes: 64, intervalMs: 40, part: 'body' }
            : undefined;
        orders.push((await bases(armOptions())).skipped.map((s) => s.reference));
      }
    } finally {
      proxy.reset();
    }
    // Then "Not compared" reads the same both times: a report does not change with the registry's timing
    expect(orders[0]).toEqual(orders[1]);
    expect([...orders[0]].sort()).toEqual([...left].sort());
  });

  it('names the platform in full when --platform gives an architecture alone, as the candidates name theirs', async () => {
    // Given --platform arm64, which reads as linux/arm64
    const arm = await bases(options({ images: [`docker://${repo}:20.11.1-alpine`], platform: 'arm64' }));
    // Then the heading and the JSON say linux/arm64, the same string as the candidate read for it
    expect(arm.platform).toBe('linux/arm64');
    expect(arm.candidates.map((c) => c.platform)).toEqual(['linux/arm64']);
  });

  it("reads the base for the platform of the Dockerfile's FROM --platform, and for this machine's with $BUILDPLATFORM", async () => {
    // Given Dockerfiles whose final stage pulls the two-platform base for arm64, through an ARG, and for the builder
    const arm = join(work, 'Dockerfile.arm');
    await writeFile(
      arm,
      `ARG ARCH=arm64\nFROM --platform=linux/\${ARCH} ${repo}:20.11.1-alpine AS build\nFROM build\nRUN echo hi\n`,
    );
    const builder = join(work, 'Dockerfile.builder');
    await writeFile(builder, `FROM --platform=$BUILDPLATFORM ${repo}:20.11.1-alpine\n`);
    // When ballast bases reads them with no image and no --platform
    const fromArm = await bases(options({ images: [], dockerfile: arm }));
    const fromBuilder = await bases(options({ images: [], dockerfile: builder }));
    // Then the first is compared on arm64, its current base being the index's arm64 image
    expect(fromArm.platform).toBe('linux/arm64');
    expect(fromArm.candidates.find((c) => c.current)).toMatchObject({
      platform: 'linux/arm64',
      digest: (await manifestOf('20.11.1-alpine', 'arm64')).digest,
    });
    // And the second on this machine's platform, as the builder's own would be
    expect(fromBuilder.platform).toBe(formatPlatform(hostPlatform()));
  });

  it('with deep, tells a missing bash from the files, not only from the OS', async () => {
    // Given a Debian-based repository whose slim variant has no bash, and a Dockerfile running its RUN lines with bash
    const stem = `${proxy.host}/bashy/app`;
    await pushLayout(
      [DEBIAN_ROOTFS, layer({ 'bin/bash': 1_000 }, 'RUN /bin/sh -c apt-get install -y bash')],
      {},
      'bashy/app:1.0',
    );
    await pushLayout([DEBIAN_ROOTFS], {}, 'bashy/app:1.0-slim');
    const dockerfile = join(work, 'Dockerfile.bash');
    await writeFile(dockerfile, `FROM ${stem}:1.0\nSHELL ["/bin/bash", "-c"]\nRUN echo hi\n`);
    const shellCaveat = (result: Awaited<ReturnType<typeof bases>>) =>
      result.candidates.find((c) => c.reference === `${stem}:1.0-slim`)!.caveats.find((c) => c.kind === 'shell');
    // When ballast bases reads the metadata only, Debian says nothing about bash
    expect(shellCaveat(await bases(options({ images: [], dockerfile })))).toBeUndefined();
    // Then with deep the walk finds no /bin/bash in the slim variant, and names the line that would not start
    const deep = await bases(options({ images: [], dockerfile, deep: true }));
    expect(deep.candidates.find((c) => c.current)!.deep!.bash).toBe(true);
    expect(shellCaveat(deep)).toMatchObject({
      message: expect.stringMatching(
        /^no bash in this image unless it is installed first: 1 RUN line runs with \/bin\/bash/,
      ),
      lines: [{ line: 3 }],
    });
  });

  it('says a libc or OS guessed from the tag name is a guess, and nothing of the libc when the files (deep) say otherwise', async () => {
    // Given a repository whose `-alpine` tag holds a Debian image with no metadata naming its OS, beside a slim
    // Debian one whose rootfs step names Debian
    const stem = `${proxy.host}/misnamed/python`;
    const debianFiles = { 'lib64/ld-linux-x86-64.so.2': 2_000, 'usr/lib/x86_64-linux-gnu/libc.so.6': 60_000 };
    await pushLayout([DEBIAN_ROOTFS, layer(debianFiles, 'COPY python / # buildkit')], {}, 'misnamed/python:3.12-slim');
    await pushLayout([layer(debianFiles, 'COPY rootfs / # buildkit')], {}, 'misnamed/python:3.12-alpine');
    const libcNote = (result: BasesResult, tag: string) =>
      result.candidates.find((c) => c.reference === `${stem}:${tag}`)!.caveats.find((c) => c.kind === 'libc');
    // When ballast bases reads the metadata only, the alpine tag's musl is a guess from its name, and said to be one
    const slim = await bases(options({ images: [`docker://${stem}:3.12-slim`] }));
    expect(libcNote(slim, '3.12-alpine')?.message).toMatch(/^probably musl \(from its name\) instead of glibc: /);
    // And so when the guessed one is the current base's (as with --base REG/python:3.12-alpine)
    const alpine = await bases(options({ images: [`docker://${stem}:3.12-alpine`] }));
    expect(libcNote(alpine, '3.12-slim')?.message).toMatch(/^glibc instead of probably musl \(from its name\): /);
    // And the bash a SHELL line needs is missing from the alpine tag going by its name only, and said so
    const dockerfile = join(work, 'Dockerfile.misnamed');
    await writeFile(dockerfile, `FROM ${stem}:3.12-slim\nSHELL ["/bin/bash", "-c"]\nRUN echo hi\n`);
    const withShell = await bases(options({ images: [`docker://${stem}:3.12-slim`], dockerfile }));
    const shellNote = withShell.candidates
      .find((c) => c.reference === `${stem}:3.12-alpine`)!
      .caveats.find((c) => c.kind === 'shell');
    expect(shellNote?.message).toMatch(/^no bash in alpine \(going by its name\) unless it is installed first: /);
    // Then with deep the loader in its files says glibc, and no libc caveat is left
    const deep = await bases(options({ images: [`docker://${stem}:3.12-slim`], deep: true }));
    expect(deep.candidates.find((c) => c.reference === `${stem}:3.12-alpine`)!.libc).toEqual({
      value: 'glibc',
      source: 'files',
    });
    expect(libcNote(deep, '3.12-alpine')).toBeUndefined();
  });

  it("says a trait guessed from the repository's name came from the name, not from the tag", async () => {
    // Given an ubuntu repository whose images have no metadata naming their OS but the slim one's rootfs step
    const stem = `${proxy.host}/unlabelled/ubuntu`;
    await pushLayout([layer({ 'bin/sh': 9_000 }, 'COPY rootfs / # buildkit')], {}, 'unlabelled/ubuntu:24.04');
    await pushLayout([DEBIAN_ROOTFS], {}, 'unlabelled/ubuntu:24.04-slim');
    const result = await bases(options({ images: [`docker://${stem}:24.04`] }));
    const osNote = result.candidates
      .find((c) => c.reference === `${stem}:24.04-slim`)!
      .caveats.find((c) => c.kind === 'os');
    // The tag 24.04 names no OS: ubuntu comes from the repository's name
    expect(osNote?.message).toMatch(/^debian instead of probably ubuntu \(from its name\): /);
  });

  it('reads a single-platform base of another architecture on its own platform when none is asked for', async () => {
    // Given a base built for the other architecture only (an amd64-only internal base seen from an arm64 laptop),
    // with a variant of the same architecture and one of this machine's
    const host = formatPlatform(hostPlatform());
    const other = host === 'linux/arm64' ? 'linux/amd64' : 'linux/arm64';
    const stem = 'single/node';
    await pushLayout(
      [DEBIAN_ROOTFS, nodeLayer('20.11.1', 50_000)],
      { ...nodeConfig('20.11.1'), platform: other },
      `${stem}:20.11.1`,
    );
    await pushLayout(
      [ALPINE_ROOTFS, nodeLayer('20.11.1', 30_000)],
      { ...nodeConfig('20.11.1'), platform: other },
      `${stem}:20.11.1-alpine`,
    );
    await pushLayout(
      [DEBIAN_ROOTFS, nodeLayer('20.11.1', 20_000)],
      { ...nodeConfig('20.11.1'), platform: host },
      `${stem}:20.11.1-slim`,
    );
    // When ballast bases is asked about it without --platform
    const result = await bases(options({ images: [`docker://${proxy.host}/${stem}:20.11.1`] }));
    // Then the base is read as inspect reads it, and the candidates are compared on its platform
    expect(result.platform).toBe(other);
    expect(result.candidates.map((c) => [c.reference, c.platform, c.current])).toEqual([
      [`${proxy.host}/${stem}:20.11.1-alpine`, other, false],
      [`${proxy.host}/${stem}:20.11.1`, other, true],
    ]);
    expect(result.skipped).toEqual([
      {
        reference: `${proxy.host}/${stem}:20.11.1-slim`,
        reason: expect.stringContaining(`single-platform ${host} image, not ${other}`),
      },
    ]);
  });

  it('names the platforms of images compared side by side, and warns when they differ', async () => {
    const host = formatPlatform(hostPlatform());
    const other = host === 'linux/arm64' ? 'linux/amd64' : 'linux/arm64';
    const foreign = await buildOciLayout([DEBIAN_ROOTFS], { platform: other });
    const foreign2 = await buildOciLayout([ALPINE_ROOTFS], { platform: other });
    const native = await buildOciLayout([ALPINE_ROOTFS], { platform: host });
    try {
      // Two images of the other architecture: the heading's platform is theirs, not this machine's
      const same = await bases(options({ images: [foreign.path, foreign2.path] }));
      expect(same.platform).toBe(other);
      expect(same.warnings).toEqual([]);
      // One of each: both named, and a warning that the sizes are not like for like
      const mixed = await bases(options({ images: [foreign.path, native.path] }));
      expect(mixed.platform).toBe(`${other}, ${host}`);
      expect(mixed.warnings).toEqual([expect.stringMatching(/^the images are of different platforms/)]);
    } finally {
      foreign.cleanup();
      foreign2.cleanup();
      native.cleanup();
    }
  });

  it('fails one unknown repository with one clear error', async () => {
    await expect(bases(options({ images: [`docker://${proxy.host}/lib/nothing:1.0`] }))).rejects.toThrow(
      /listing the tags of .*lib\/nothing: .*has no repository lib\/nothing/,
    );
  });
});
