import { rule } from '../../../rules/image/package-cache-in-image.js';
import { layer } from '../../helpers/image-builder.js';
import { findingsFor, runImageRuleTests } from './tester.js';

runImageRuleTests(rule, {
  valid: [
    { name: 'no caches', layers: [layer({ 'usr/lib/python3/x.py': 100 })] },
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
      name: 'one cached file: placed at the directory that holds it',
      layers: [layer({ 'root/.cache/pip/http/a': 700 })],
      errors: [{ messageId: 'cache', layerIndex: 0, path: '/root/.cache/pip/http', bytes: 700 }],
    },
  ],
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
