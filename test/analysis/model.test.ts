// The layer model's hard cases end to end: hand-built layers written as an OCI layout, `ballast analyze --json`
// run as a user would (compiled dist/, so `npm run build` first), and every total compared with the number the
// construction fixes. Each case also checks the invariant Σ layer file bytes = final file bytes + wasted bytes.
import { runCli } from '../helpers/cli.js';
import {
  DIR,
  OPAQUE,
  WHITEOUT,
  buildOciLayout,
  file,
  hardlink,
  layer,
  type LayerSpec,
} from '../helpers/image-builder.js';

interface Summary {
  fileBytes: number;
  files: number;
  finalFileBytes: number;
  finalFiles: number;
  wastedBytes: number;
  wasted: { deleted: number; overwrittenChanged: number; overwrittenSameContent: number };
  duplicateBytes: number;
}

interface Report {
  summary: Summary;
  layers: { index: number; fileBytes: number; wastedBytes: number }[];
  wastedFiles: { path: string; sizeBytes: number; cause: string; layer: number; byLayer: number; change?: string }[];
  topFiles: { path: string; sizeBytes: number; layer: number }[];
  junk: { id: string; files: number; bytes: number; top: { path: string }[] }[];
  findings: { code: string; message: string; location: { path?: string } }[];
}

async function analyzeCli(layers: LayerSpec[]): Promise<Report> {
  const built = await buildOciLayout(layers);
  try {
    const { code, stdout, stderr } = await runCli(['analyze', built.path, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as Report;
    // The invariant, overall and per layer.
    expect(r.summary.fileBytes).toBe(r.summary.finalFileBytes + r.summary.wastedBytes);
    expect(r.layers.reduce((s, l) => s + l.fileBytes, 0)).toBe(r.summary.fileBytes);
    expect(r.layers.reduce((s, l) => s + l.wastedBytes, 0)).toBe(r.summary.wastedBytes);
    return r;
  } finally {
    built.cleanup();
  }
}

const noWaste = { deleted: 0, overwrittenChanged: 0, overwrittenSameContent: 0 };

describe('the layer model (analyze --json on hand-built layers)', () => {
  it('a hardlink keeps the bytes alive after the original name is deleted', async () => {
    const r = await analyzeCli([
      layer({ 'usr/': DIR, 'usr/bin/tool': 4096, 'usr/bin/alias': hardlink('usr/bin/tool') }),
      layer({ 'usr/bin/.wh.tool': WHITEOUT }),
    ]);
    expect(r.summary).toMatchObject({
      fileBytes: 4096,
      files: 1,
      finalFileBytes: 4096,
      finalFiles: 1,
      wastedBytes: 0,
      wasted: noWaste,
      duplicateBytes: 0,
    });
    expect(r.topFiles).toEqual([{ path: 'usr/bin/alias', sizeBytes: 4096, layer: 0 }]);
  });

  it('deleting every name of a hardlinked file wastes its bytes once', async () => {
    const r = await analyzeCli([
      layer({ 'lib/a.so': 3000, 'lib/b.so': hardlink('lib/a.so'), 'lib/c.so': hardlink('lib/a.so'), keep: 7 }),
      layer({ 'lib/.wh.a.so': WHITEOUT, 'lib/.wh.b.so': WHITEOUT, 'lib/.wh.c.so': WHITEOUT }),
    ]);
    expect(r.summary).toMatchObject({
      fileBytes: 3007,
      finalFileBytes: 7,
      finalFiles: 1,
      wastedBytes: 3000,
      wasted: { ...noWaste, deleted: 3000 },
    });
    expect(r.wastedFiles).toHaveLength(1);
    expect(r.wastedFiles[0]).toMatchObject({ sizeBytes: 3000, cause: 'deleted', layer: 0, byLayer: 1 });
    expect(r.layers.map((l) => l.wastedBytes)).toEqual([3000, 0]);
  });

  it('a hardlink to a file in a lower layer keeps that layer’s bytes alive', async () => {
    const r = await analyzeCli([
      layer({ 'opt/data.bin': 2000 }),
      layer({ 'srv/data.bin': hardlink('opt/data.bin') }),
      layer({ '.wh.opt': WHITEOUT }),
    ]);
    expect(r.summary).toMatchObject({ fileBytes: 2000, finalFileBytes: 2000, finalFiles: 1, wastedBytes: 0 });
    expect(r.topFiles).toEqual([{ path: 'srv/data.bin', sizeBytes: 2000, layer: 0 }]);
  });

  it('an xattr-only re-add is a metadata-only copy that says what changed', async () => {
    const capability = {
      'security.capability': '\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00',
    };
    const r = await analyzeCli([
      layer({ 'bin/ping': file('p'.repeat(1500)) }),
      layer({ 'bin/ping': file('p'.repeat(1500), { xattrs: capability }) }),
    ]);
    expect(r.summary).toMatchObject({
      fileBytes: 3000,
      finalFileBytes: 1500,
      wastedBytes: 1500,
      wasted: { ...noWaste, overwrittenSameContent: 1500 },
    });
    expect(r.wastedFiles).toEqual([
      { path: 'bin/ping', sizeBytes: 1500, cause: 'overwrittenSameContent', layer: 0, byLayer: 1, change: 'xattrs' },
    ]);
  });

  it('a file replaced by a directory and back, under an opaque directory', async () => {
    const r = await analyzeCli([
      layer({ 'o/': DIR, 'o/p': 100, 'o/q': 10 }),
      // The opaque marker hides o/p and o/q of layer 0; o/p comes back as a directory.
      layer([
        ['o/.wh..wh..opq', OPAQUE],
        ['o/p/', DIR],
        ['o/p/x', 20],
      ]),
      layer({ 'o/p': 30 }), // a file again: the directory and o/p/x go
    ]);
    expect(r.summary).toMatchObject({
      fileBytes: 160,
      files: 4,
      finalFileBytes: 30,
      finalFiles: 1,
      wastedBytes: 130,
      wasted: { deleted: 110, overwrittenChanged: 20, overwrittenSameContent: 0 },
    });
    expect(r.layers.map((l) => l.wastedBytes)).toEqual([110, 20, 0]);
    expect(r.topFiles).toEqual([{ path: 'o/p', sizeBytes: 30, layer: 2 }]);
  });
});

// pnpm hard-links its store's files into node_modules. The layer's tar lists `/app/.pnpm-store` first, so the store
// name holds the bytes; removing the store would reclaim nothing while node_modules keeps the inode alive.
describe('junk classes and hardlinks (analyze --json)', () => {
  const store = 'app/.pnpm-store/v3/files/aa/x';
  const junkOf = (r: Report, id: string) => r.junk.find((j) => j.id === id)!;

  it('a cache file also linked from outside the cache is not junk of the cache', async () => {
    const r = await analyzeCli([layer({ [store]: 1000, 'app/node_modules/.pnpm/p/x': hardlink(store) })]);
    expect(junkOf(r, 'jsPackageCaches')).toMatchObject({ files: 0, bytes: 0 });
    // Nor of node_modules: removing it would leave the store's name.
    expect(junkOf(r, 'nodeModules')).toMatchObject({ files: 0, bytes: 0 });
    expect(r.findings.filter((f) => f.code === 'IM002')).toEqual([]);
  });

  it('a cache file whose every name is in the cache is junk', async () => {
    const r = await analyzeCli([layer({ [store]: 1000, 'app/.pnpm-store/v3/files/bb/y': hardlink(store) })]);
    expect(junkOf(r, 'jsPackageCaches')).toMatchObject({ files: 1, bytes: 1000 });
    expect(r.findings.filter((f) => f.code === 'IM002')).toHaveLength(1);
  });

  it('a cache file whose other name a later layer deleted is junk', async () => {
    const r = await analyzeCli([
      layer({ [store]: 1000, 'app/node_modules/.pnpm/p/x': hardlink(store) }),
      layer({ 'app/node_modules/.pnpm/p/.wh.x': WHITEOUT }),
    ]);
    expect(junkOf(r, 'jsPackageCaches')).toMatchObject({ files: 1, bytes: 1000 });
  });

  it('a key is reported whatever other names it has: a secret is readable under any of them', async () => {
    const r = await analyzeCli([layer({ 'root/.ssh/id_rsa': 400, 'srv/k': hardlink('root/.ssh/id_rsa') })]);
    expect(junkOf(r, 'keyFiles')).toMatchObject({ files: 1, bytes: 400 });
    expect(r.findings.filter((f) => f.code === 'IM009')).toHaveLength(1);
  });

  it('a key whose bytes sit under an innocent name is reported under the name that makes it a key, once', async () => {
    const r = await analyzeCli([
      layer({ 'srv/k': 400, 'root/.ssh/id_rsa': hardlink('srv/k'), 'home/u/.ssh/id_rsa': hardlink('srv/k') }),
    ]);
    expect(junkOf(r, 'keyFiles')).toMatchObject({ files: 1, bytes: 400 });
    expect(r.findings.filter((f) => f.code === 'IM009').map((f) => f.location.path)).toEqual(['/root/.ssh/id_rsa']);
  });
  it('key files an OS package installed, empty or not, are not counted as secrets; those beside them are', async () => {
    const r = await analyzeCli([
      layer({
        'var/lib/dpkg/status': 'Package: libfoo\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n',
        'var/lib/dpkg/info/libfoo:amd64.list':
          '/.\n/usr\n/usr/lib/foo/test\n/usr/lib/foo/test/keycert.pem\n/usr/lib/foo/test/empty.pem\n',
        'usr/lib/foo/test/keycert.pem': 300,
        'usr/lib/foo/test/empty.pem': 0,
      }),
      layer({ 'usr/lib/foo/test/mine.pem': 40, 'srv/empty.key': 0 }),
    ]);
    expect(junkOf(r, 'keyFiles')).toMatchObject({ files: 2, bytes: 40, top: [{ path: 'usr/lib/foo/test/mine.pem' }] });
    expect(r.findings.filter((f) => f.code === 'IM009').map((f) => f.location.path)).toEqual([
      '/usr/lib/foo/test/mine.pem',
    ]);
  });
});

// Yarn Berry's Plug'n'Play loads the app's packages from the zips of its cache through the project's `.pnp.cjs`:
// removing that cache, as IM002 would advise, breaks the app. Without `.pnp.cjs` the cache is only a copy.
describe("Yarn caches and Plug'n'Play (analyze --json)", () => {
  const zip = 'app/.yarn/cache/semver-npm-7.6.0-x.zip';
  const global = 'root/.yarn/berry/cache/semver-npm-7.6.0-x.zip';
  const pnp = file('#!/usr/bin/env node\n/* generated by Yarn */\n');
  const junkIds = (r: Report) => r.junk.filter((j) => j.files > 0).map((j) => j.id);
  const im002 = (r: Report) => r.findings.filter((f) => f.code === 'IM002');

  it("a Plug'n'Play app's project cache is its install: no junk", async () => {
    const r = await analyzeCli([layer({ 'app/.pnp.cjs': pnp, [zip]: 1000, 'app/package.json': file('{}') })]);
    expect(junkIds(r)).toEqual([]);
    expect(im002(r)).toEqual([]);
  });

  it('the project cache of an app without .pnp.cjs is a cache, to clean with `yarn cache clean --all`', async () => {
    const r = await analyzeCli([layer({ [zip]: 1000, 'app/package.json': file('{}') })]);
    expect(r.junk.find((j) => j.id === 'jsPackageCaches')).toMatchObject({ files: 1, bytes: 1000 });
    expect(im002(r)).toHaveLength(1);
    expect(im002(r)[0].message).toContain('`yarn cache clean --all`');
  });

  it('a .pnp.cjs a later layer deleted does not keep the cache: the final filesystem decides', async () => {
    const r = await analyzeCli([
      layer({ 'app/.pnp.cjs': pnp, [zip]: 1000 }),
      layer({ 'app/.wh..pnp.cjs': WHITEOUT, 'app/node_modules/semver/index.js': 10 }),
    ]);
    expect(r.junk.find((j) => j.id === 'jsPackageCaches')).toMatchObject({ files: 1, bytes: 1000 });
  });

  it("Yarn 4's global cache is junk when no Plug'n'Play app is in the image", async () => {
    const r = await analyzeCli([layer({ [global]: 1000, 'app/node_modules/semver/index.js': 10 })]);
    expect(r.junk.find((j) => j.id === 'jsPackageCaches')).toMatchObject({ files: 1, bytes: 1000 });
    expect(im002(r).map((f) => f.location.path)).toEqual(['/root/.yarn/berry/cache']);
  });

  it("Yarn 4's global cache is kept when a Plug'n'Play app may read it", async () => {
    const r = await analyzeCli([layer({ [global]: 1000, 'app/.pnp.cjs': pnp })]);
    expect(junkIds(r)).toEqual([]);
    expect(im002(r)).toEqual([]);
  });
});

// The package caches of conda/mamba, pacman and Composer, as their tools leave them in a layer: analyze counts each in
// its class, attributes it to the layer that wrote it, and IM002 reports it there. A conda package the environment's
// files are hard links of is kept by them: only the downloaded archive is junk.
describe('conda, pacman and Composer caches (analyze --json)', () => {
  it('counts each cache in its class and IM002 reports it', async () => {
    const r = await analyzeCli([
      layer({ 'etc/os-release': 10 }),
      layer({
        'opt/conda/pkgs/numpy-2.1.0-py312.conda': 5000,
        'opt/conda/pkgs/numpy-2.1.0-py312/lib/x.so': 700,
        'opt/conda/lib/x.so': hardlink('opt/conda/pkgs/numpy-2.1.0-py312/lib/x.so'),
        'root/micromamba/pkgs/zlib-1.3.tar.bz2': 300,
        'var/cache/pacman/pkg/git-2.47.0-1-x86_64.pkg.tar.zst': 4000,
        'root/.composer/cache/files/monolog/monolog/abc.zip': 2000,
        'root/.cache/composer/repo/https---repo.packagist.org/packages.json': 100,
        'tmp/cache/files/psr/log/def.zip': 50,
        'root/.cpanm/work/1733430000.7/Mojolicious-9.38.tar.gz': 900,
        'root/.cpanm/work/1733430000.7/build.log': 20,
      }),
    ]);
    const junkOf = (id: string) => r.junk.find((j) => j.id === id)!;
    expect(junkOf('condaPkgs')).toMatchObject({ files: 2, bytes: 5300 });
    expect(junkOf('pacmanCache')).toMatchObject({ files: 1, bytes: 4000 });
    expect(junkOf('composerCache')).toMatchObject({ files: 3, bytes: 2150 });
    expect(junkOf('cpanmWork')).toMatchObject({ files: 2, bytes: 920 });
    const im002 = r.findings.filter((f) => f.code === 'IM002').map((f) => f.message);
    expect(im002.join('\n')).toMatch(/conda package cache/);
    expect(im002.join('\n')).toMatch(/\/var\/cache\/pacman\/pkg/);
    expect(im002.join('\n')).toMatch(/Composer cache/);
    expect(im002.join('\n')).toMatch(/cpanm work directory/);
  });
});
