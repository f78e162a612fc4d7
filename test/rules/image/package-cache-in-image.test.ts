import { rule } from '../../../rules/image/package-cache-in-image.js';
import { buildOciLayout, layer } from '../../helpers/image-builder.js';
import { analyze } from '../../../src/services/analyze.js';
import { loadImageRules } from '../../../rules/index.js';
import { findingsFor, runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    { name: 'no caches', layers: [layer({ 'usr/lib/python3/x.py': 100 })] },
    // Archives and .jar files an image ships as its app or data.
    { name: 'the app as a .jar and a .zip', layers: [layer({ 'app/app.jar': 5000, 'app/assets/data.zip': 700 })] },
    // Plug'n'Play loads the packages from these zips: the cache is the install.
    {
      name: "a Yarn Plug'n'Play app's project cache",
      layers: [layer({ 'app/.pnp.cjs': 100, 'app/.yarn/cache/semver-npm-7.6.0-x.zip': 5000 })],
    },
    {
      name: "Yarn 4's global cache beside a Plug'n'Play app",
      layers: [layer({ 'app/.pnp.cjs': 100, 'root/.yarn/berry/cache/semver-npm-7.6.0-x.zip': 5000 })],
    },
  ],
  invalid: [
    {
      name: 'apt archives and a pip cache in different layers',
      layers: [layer({ 'var/cache/apt/archives/curl.deb': 5000 }), layer({ 'root/.cache/pip/http/a': 700 })],
      errors: [
        { messageId: 'cache', layerIndex: 0, bytes: 5000, message: '/var/cache/apt' },
        { messageId: 'cache', layerIndex: 1, bytes: 700, message: 'pip' },
      ],
    },
    {
      name: "Yarn 4's global cache of a node-modules app",
      layers: [
        layer({ 'app/node_modules/semver/index.js': 10, 'root/.yarn/berry/cache/semver-npm-7.6.0-x.zip': 5000 }),
      ],
      errors: [{ messageId: 'cache', layerIndex: 0, bytes: 5000, message: '`yarn cache clean --all`' }],
    },
    {
      name: "apt's cache is placed at its directory, not at its largest .deb, which the message names",
      layers: [
        layer({
          'var/cache/apt/archives/gcc-12_12.2.0-14_amd64.deb': 80_000,
          'var/cache/apt/archives/curl.deb': 5000,
          'var/cache/apt/pkgcache.bin': 9000,
          'var/cache/apt/srcpkgcache.bin': 4000,
        }),
      ],
      errors: [
        {
          messageId: 'cache',
          layerIndex: 0,
          path: '/var/cache/apt',
          bytes: 98_000,
          message: 'largest `/var/cache/apt/archives/gcc-12_12.2.0-14_amd64.deb` (80.0 kB)',
        },
      ],
    },
    {
      // Placed at /var/cache/apt/archives, it said "/var/cache/apt (80.1 MB) is left in layer 1"
      name: 'only .debs: the message names the directory the finding is placed at',
      layers: [layer({ 'var/cache/apt/archives/curl.deb': 5000, 'var/cache/apt/archives/gcc.deb': 20 })],
      errors: [
        {
          messageId: 'cache',
          layerIndex: 0,
          path: '/var/cache/apt/archives',
          bytes: 5020,
          message: '/var/cache/apt/archives (5.02 kB) is left in',
        },
      ],
    },
    {
      // Each apt-get install rebuilds pkgcache.bin and srcpkgcache.bin: every layer ships a copy, hidden or not.
      name: "apt's pkgcache.bin rebuilt by every install: the copies later layers hide are cache of their layer too",
      layers: [
        layer({ base: 1 }),
        layer({ 'var/cache/apt/pkgcache.bin': 4000, 'var/cache/apt/archives/gcc.deb': 3000 }),
        layer({ 'var/cache/apt/pkgcache.bin': 5000 }),
        layer({ 'var/cache/apt/pkgcache.bin': 6000 }),
      ],
      errors: [
        {
          messageId: 'cache',
          layerIndex: 1,
          path: '/var/cache/apt',
          bytes: 7000,
          message:
            '/var/cache/apt (7.00 kB) is left in layer 1, 4.00 kB of it hidden by a later layer but still shipped',
        },
        { messageId: 'cache', layerIndex: 3, path: '/var/cache/apt', bytes: 6000 },
        { messageId: 'cache', layerIndex: 2, path: '/var/cache/apt', bytes: 5000, message: '/var/cache/apt (5.00 kB)' },
      ],
    },
    {
      name: 'a ~/.cache: the message names the home it is in',
      layers: [layer({ 'home/app/.cache/thumbnails/a.png': 700 })],
      errors: [
        {
          messageId: 'cache',
          layerIndex: 0,
          path: '/home/app/.cache/thumbnails',
          bytes: 700,
          message: '/home/app/.cache/thumbnails (700 B) is left in',
        },
      ],
    },
    {
      name: 'caches of one class far apart: placed at the directory of the largest file, not at /',
      layers: [layer({ 'root/.npm/_cacache/content-v2/a': 700, 'usr/local/share/.cache/yarn/v6/b': 300 })],
      errors: [{ messageId: 'cache', layerIndex: 0, path: '/root/.npm/_cacache/content-v2', bytes: 1000 }],
    },
    {
      // It advised a cache mount on /root/.cache, which npm's logs are not under; and `npm cache clean` keeps them.
      name: "npm's debug logs beside its cache",
      layers: [
        layer({
          'root/.npm/_cacache/content-v2/sha512/4a/9c/x': 5000,
          'root/.npm/_logs/2026-12-05T22_12_26_324Z-debug-0.log': 600,
        }),
      ],
      errors: [
        { messageId: 'cache', layerIndex: 0, bytes: 5000, message: 'npm cache clean --force' },
        {
          messageId: 'cache',
          layerIndex: 0,
          path: '/root/.npm/_logs',
          bytes: 600,
          message:
            '/root/.npm/_logs (600 B) is left in layer 0, largest `/root/.npm/_logs/2026-12-05T22_12_26_324Z-debug-0.log` (600 B); set `ENV npm_config_logs_max=0` (or pass `--logs-max=0`) so that npm writes none, or run `rm -rf ~/.npm/_logs` at the end of the RUN; `npm cache clean --force` leaves them.',
        },
      ],
    },
    {
      // It said "/root/.npm/_logs (1.0 kB)", the bytes of both homes' logs under one of them.
      name: "npm's debug logs in two homes: both named",
      layers: [
        layer({
          'root/.npm/_logs/2026-12-05T22_12_26_324Z-debug-0.log': 600,
          'home/node/.npm/_logs/2026-12-05T22_12_27_324Z-debug-0.log': 400,
        }),
      ],
      errors: [
        {
          messageId: 'cache',
          layerIndex: 0,
          path: '/root/.npm/_logs',
          bytes: 1000,
          message: '/home/node/.npm/_logs and /root/.npm/_logs (1.00 kB) are left in layer 0, largest',
        },
      ],
    },
    {
      name: 'caches in three homes: counted',
      layers: [layer({ 'root/.cache/a/x': 600, 'home/a/.cache/b/x': 400, 'home/b/.cache/c/x': 300 })],
      errors: [
        { messageId: 'cache', layerIndex: 0, bytes: 1300, message: '~/.cache in 3 directories (1.30 kB) are left' },
      ],
    },
    {
      // It said "go/cargo/maven/gradle caches (...) is left".
      name: 'a class named in the plural takes are',
      layers: [layer({ 'root/go/pkg/mod/cache/download/x/@v/v1.0.0.zip': 3000 })],
      errors: [
        { messageId: 'cache', layerIndex: 0, message: 'go/cargo/maven/gradle caches (3.00 kB) are left in layer 0' },
      ],
    },
    {
      // They were in no class (a .deb outside apt's cache) or only in the junk table (an archive in /tmp).
      name: 'a downloaded archive and a .deb, each left by the RUN that installed from it',
      layers: [
        layer({ base: 1 }),
        layer({ 'tmp/tool-1.0.tar.gz': 12_000, 'opt/tool-1.0/bin/tool': 12_000 }),
        layer({ 'root/hello_1.0_all.deb': 8000, 'opt/hello/data.bin': 8000 }),
      ],
      errors: [
        {
          messageId: 'download',
          layerIndex: 1,
          path: '/tmp/tool-1.0.tar.gz',
          bytes: 12_000,
          message:
            '`/tmp/tool-1.0.tar.gz` (12.0 kB), a downloaded package or archive, is left in layer 1; remove each download (`rm -f`) in the RUN that installs from it',
        },
        { messageId: 'download', layerIndex: 2, path: '/root/hello_1.0_all.deb', bytes: 8000 },
      ],
    },
    {
      name: 'several downloads in one layer: counted, named by the largest',
      layers: [layer({ 'tmp/a.tar.gz': 3000, 'tmp/b.deb': 1000 })],
      errors: [
        {
          messageId: 'download',
          layerIndex: 0,
          path: '/tmp',
          bytes: 4000,
          message: '2 downloaded packages and archives (4.00 kB, largest `/tmp/a.tar.gz` 3.00 kB) are left in layer 0',
        },
      ],
    },
    {
      name: 'one cached file: placed at the directory that holds it',
      layers: [layer({ 'root/.cache/pip/http/a': 700 })],
      errors: [{ messageId: 'cache', layerIndex: 0, path: '/root/.cache/pip/http', bytes: 700 }],
    },
  ],
});

describe('IM002 with IM004 and IM005', () => {
  it('counts the hidden copies of an apt cache once, in IM002 alone', async () => {
    const built = await buildOciLayout([
      layer({ base: 1 }),
      layer({ 'var/cache/apt/pkgcache.bin': 4000 }),
      layer({ 'var/cache/apt/pkgcache.bin': 5000 }),
    ]);
    try {
      const result = await analyze({
        image: built.path,
        workers: 0,
        severities: Object.fromEntries(
          (await loadImageRules())
            .filter((r) => !['IM002', 'IM004', 'IM005'].includes(r.meta.code))
            .map((r) => [r.meta.code, 'off']),
        ),
      });
      expect(result.findings.map((f) => [f.code, f.bytes])).toEqual([
        ['IM002', 5000],
        ['IM002', 4000],
      ]);
      expect(result.summary.findingBytes).toBe(9000);
    } finally {
      built.cleanup();
    }
  });
});

describe('IM002 groups', () => {
  it('name their class, which CI fingerprints keep when the largest file changes', async () => {
    const findings = await findingsFor(rule, {
      name: 'two classes',
      layers: [
        layer({
          'var/cache/apt/archives/curl.deb': 5000,
          'var/cache/apt/archives/gcc.deb': 20,
          'root/.cache/pip/http/a': 700,
        }),
      ],
    });
    expect(findings.map((f) => f.location)).toEqual([
      expect.objectContaining({ layerIndex: 0, path: '/var/cache/apt/archives', group: 'aptCache' }),
      expect.objectContaining({ layerIndex: 0, path: '/root/.cache/pip/http', group: 'pipCache' }),
    ]);
  });
});

// dnf5 (dnf and microdnf on Fedora 41 and later) keeps its metadata and packages in /var/cache/libdnf5.
describe('IM002 on a dnf5 cache', () => {
  it('reports /var/cache/libdnf5 as the yum/dnf/zypper caches', async () => {
    const findings = await findingsFor(rule, {
      name: 'dnf5 cache',
      layers: [
        layer({ 'etc/os-release': 10 }),
        layer({
          'usr/sbin/httpd': 100,
          'var/cache/libdnf5/fedora-1b2c3d/repodata/primary.xml.zst': 4000,
          'var/cache/libdnf5/updates-4e5f6a/packages/httpd-2.4.62-1.fc41.x86_64.rpm': 2000,
        }),
      ],
    });
    expect(findings.map((f) => [f.location, f.bytes, f.message])).toEqual([
      [
        expect.objectContaining({ layerIndex: 1, path: '/var/cache/libdnf5', group: 'rpmCaches' }),
        6000,
        expect.stringContaining('/var/cache/libdnf5'),
      ],
    ]);
  });
});
