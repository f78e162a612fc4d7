// Packages by size from the package databases in the image; bytes are those of the files as they end up in the
// final filesystem (a file deleted later counts 0).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decodeLayerScan, encodeLayerScan, LAYER_CACHE_VERSION } from '../../src/analysis/layer-cache.js';
import { analyze } from '../../src/services/analyze.js';
import { diffImages } from '../../src/services/diff.js';
import { renderDiffText } from '../../src/reporters/diff-text.js';
import { cacheEntryFiles } from '../helpers/cache-tracking.js';
import { corpusDir, describeWithCorpus } from '../helpers/corpus.js';
import { DIR, WHITEOUT, buildOciLayout, layer } from '../helpers/image-builder.js';

describe('packages', () => {
  it('reads dpkg, apk, Python RECORD and node_modules package.json', async () => {
    const built = await buildOciLayout([
      layer({
        'var/lib/dpkg/status':
          'Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n',
        'var/lib/dpkg/info/curl:amd64.list': '/.\n/usr\n/usr/bin/curl\n/usr/share/doc/curl/copyright\n',
        'usr/bin/curl': 3000,
        'usr/share/doc/curl/copyright': 200,
        'lib/apk/db/installed': 'P:musl\nV:1.2.4\nF:lib\nR:ld-musl.so.1\n\nP:busybox\nV:1.36\nF:bin\nR:busybox\n',
        'lib/ld-musl.so.1': 700,
        'bin/busybox': 900,
        'usr/lib/python3/site-packages/requests-2.31.0.dist-info/RECORD':
          'requests/__init__.py,sha256=x,500\nrequests/api.py,,\nrequests-2.31.0.dist-info/RECORD,,\n',
        'usr/lib/python3/site-packages/requests/__init__.py': 500,
        'usr/lib/python3/site-packages/requests/api.py': 300,
        'app/node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', version: '1.3.0' }),
        'app/node_modules/left-pad/index.js': 400,
        'app/node_modules/@scope/x/package.json': JSON.stringify({ name: '@scope/x', version: '2.0.0' }),
        'app/node_modules/@scope/x/node_modules/y/package.json': JSON.stringify({ name: 'y', version: '0.1.0' }),
        'app/node_modules/@scope/x/node_modules/y/big.js': 10_000,
      }),
      layer({ 'usr/share/doc/curl/.wh.copyright': WHITEOUT }),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0 });
      const by = (name: string) => r.packages.top.find((p) => p.name === name);
      expect(by('curl')).toMatchObject({ manager: 'dpkg', version: '7.88', files: 1, bytes: 3000 });
      expect(by('gone')).toBeUndefined();
      expect(by('busybox')).toMatchObject({ manager: 'apk', bytes: 900 });
      expect(by('musl')).toMatchObject({ manager: 'apk', bytes: 700 });
      const requests = by('requests')!;
      expect(requests).toMatchObject({ manager: 'python', version: '2.31.0', files: 3 });
      expect(requests.bytes).toBe(
        500 +
          300 +
          Buffer.byteLength(
            'requests/__init__.py,sha256=x,500\nrequests/api.py,,\nrequests-2.31.0.dist-info/RECORD,,\n',
          ),
      );
      // nested node_modules are packages of their own: their bytes are not the parent's
      expect(by('y')).toMatchObject({
        manager: 'node',
        bytes: 10_000 + Buffer.byteLength(JSON.stringify({ name: 'y', version: '0.1.0' })),
      });
      expect(by('@scope/x')!.bytes).toBe(Buffer.byteLength(JSON.stringify({ name: '@scope/x', version: '2.0.0' })));
      expect(r.packages.totals.dpkg).toEqual({ packages: 1, bytes: 3000 });
      expect(r.packages.unsupported).toEqual([]);
    } finally {
      built.cleanup();
    }
  });
});

// Debian's python3-* packages and setuptools (and pip before wheels) record a package as NAME-VERSION.egg-info: a
// directory, with pip's installed-files.txt when pip put it there, or one PKG-INFO-format file.
const SITE = 'usr/lib/python3/dist-packages';
const PKG_INFO = 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n';
const APT_PKG_INFO = 'Metadata-Version: 1.1\nName: python-apt\nVersion: 2.6.0\n';
const SIX_INSTALLED =
  '../six.py\n../__pycache__/six.cpython-311.pyc\n./\nPKG-INFO\ntop_level.txt\ninstalled-files.txt\n';

describe('egg-info packages', () => {
  it('reads egg-info directories (with and without installed-files.txt) and egg-info files', async () => {
    const built = await buildOciLayout([
      layer({
        // as dpkg installs it: no installed-files.txt, so the egg-info itself is what is known of the package
        [`${SITE}/gyp-0.1.egg-info`]: DIR,
        [`${SITE}/gyp-0.1.egg-info/PKG-INFO`]: 275,
        [`${SITE}/gyp-0.1.egg-info/top_level.txt`]: 'gyp\n',
        [`${SITE}/gyp/__init__.py`]: 5000,
        // dpkg owns this one too: it stays counted under both managers, as a dist-info would
        'var/lib/dpkg/status':
          'Package: python3-gyp\nStatus: install ok installed\nArchitecture: all\nVersion: 0.1-3\n',
        'var/lib/dpkg/info/python3-gyp.list': `/${SITE}/gyp-0.1.egg-info/PKG-INFO\n/${SITE}/gyp/__init__.py\n`,
        // pip's record of what it installed, relative to the egg-info directory
        'usr/local/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info/PKG-INFO': PKG_INFO,
        'usr/local/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info/top_level.txt': 'six\n',
        'usr/local/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info/installed-files.txt': SIX_INSTALLED,
        'usr/local/lib/python3.11/site-packages/six.py': 34_000,
        'usr/local/lib/python3.11/site-packages/__pycache__/six.cpython-311.pyc': 27_000,
        // one file, no directory; and a develop install's unversioned egg-info
        [`${SITE}/python_apt-2.6.0.egg-info`]: APT_PKG_INFO,
        'src/app/myapp.egg-info/PKG-INFO': 'Metadata-Version: 2.1\nName: myapp\n',
      }),
      layer({ 'usr/local/lib/python3.11/site-packages/__pycache__/.wh.six.cpython-311.pyc': WHITEOUT }),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0, top: 100 });
      const python = r.packages.top.filter((p) => p.manager === 'python');
      const by = (name: string) => python.find((p) => p.name === name);
      expect(by('gyp')).toEqual({
        manager: 'python',
        name: 'gyp',
        version: '0.1',
        files: 2,
        bytes: 275 + 4,
        location: `${SITE}/gyp-0.1.egg-info`,
      });
      expect(r.packages.top.find((p) => p.name === 'python3-gyp')).toMatchObject({ manager: 'dpkg', bytes: 5275 });
      // the deleted .pyc counts nothing; ./ is the directory, not a file
      expect(by('six')).toMatchObject({
        version: '1.16.0',
        files: 4,
        bytes: 34_000 + PKG_INFO.length + 4 + SIX_INSTALLED.length,
        location: 'usr/local/lib/python3.11/site-packages/six-1.16.0-py3.11.egg-info',
      });
      expect(by('python_apt')).toMatchObject({ version: '2.6.0', files: 1, bytes: APT_PKG_INFO.length });
      expect(by('myapp')).toMatchObject({ version: null, files: 1 });
      expect(python).toHaveLength(4);
      expect(r.packages.totals.python.packages).toBe(4);
    } finally {
      built.cleanup();
    }
  });

  it('diff shows an egg-info version change as a changed package, not one removed and one added', async () => {
    const image = (version: string, size: number) =>
      buildOciLayout([
        layer({
          [`${SITE}/six-${version}.egg-info/PKG-INFO`]: `Name: six\nVersion: ${version}\n`,
          [`${SITE}/six-${version}.egg-info/installed-files.txt`]: '../six.py\n',
          [`${SITE}/six.py`]: size,
        }),
      ]);
    const a = await image('1.15.0', 30_000);
    const b = await image('1.16.0', 34_000);
    try {
      const r = await diffImages({ a: a.path, b: b.path });
      expect(r.packages.added).toEqual([]);
      expect(r.packages.removed).toEqual([]);
      expect(r.packages.changed).toEqual([
        expect.objectContaining({
          manager: 'python',
          name: 'six',
          aVersion: '1.15.0',
          bVersion: '1.16.0',
          direction: 'upgrade',
          deltaBytes: 4000,
        }),
      ]);
      expect(renderDiffText(r, { color: false, width: 120 })).toMatch(/six\b.*1\.15\.0.*1\.16\.0/);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
  it('does not serve layers cached before egg-info sizes were captured', async () => {
    // What ballast before egg-info support left in the layer cache (format v2): the same scan, without the
    // installed-files.txt it did not capture. Served, six would count only its egg-info directory.
    const built = await buildOciLayout([
      layer({
        [`${SITE}/six-1.16.0.egg-info/PKG-INFO`]: PKG_INFO,
        [`${SITE}/six-1.16.0.egg-info/installed-files.txt`]: '../six.py\n',
        [`${SITE}/six.py`]: 34_000,
      }),
    ]);
    const cacheDir = mkdtempSync(join(tmpdir(), 'ballast-egg-cache-'));
    try {
      await analyze({ image: built.path, cacheDir, workers: 0 });
      const current = cacheEntryFiles(cacheDir, 'layers', LAYER_CACHE_VERSION);
      expect(current).toHaveLength(1);
      const { meta, scan } = decodeLayerScan(readFileSync(current[0]))!;
      rmSync(join(cacheDir, 'layers'), { recursive: true });
      rmSync(join(cacheDir, 'results'), { recursive: true, force: true });
      const old = encodeLayerScan(meta, {
        ...scan,
        captured: Object.fromEntries(
          Object.entries(scan.captured).filter(([path]) => !path.endsWith('installed-files.txt')),
        ),
      });
      old.writeUInt16LE(2, 'BLSCAN'.length);
      mkdirSync(join(cacheDir, 'layers', 'v2'), { recursive: true });
      writeFileSync(join(cacheDir, 'layers', 'v2', basename(current[0])), old);
      const r = await analyze({ image: built.path, cacheDir, workers: 0 });
      expect(r.packages.top.find((p) => p.name === 'six')).toMatchObject({ files: 1, bytes: 34_000 });
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      built.cleanup();
    }
  });
});

describeWithCorpus('egg-info packages in the corpus', () => {
  it('big: Debian python3-six and python3-gyp record themselves as egg-info directories', async () => {
    const r = await analyze({ image: join(corpusDir, 'big.oci'), top: 10_000 });
    const python = r.packages.top
      .filter((p) => p.manager === 'python')
      .map((p) => [p.name, p.version, p.files, p.bytes, p.location]);
    // the files in each egg-info directory (PKG-INFO, dependency_links.txt, entry_points.txt, top_level.txt)
    expect(python).toEqual([
      ['six', '1.16.0', 3, 1817 + 1 + 4, 'usr/lib/python3/dist-packages/six-1.16.0.egg-info'],
      ['gyp', '0.1', 4, 275 + 1 + 41 + 4, 'usr/lib/python3/dist-packages/gyp-0.1.egg-info'],
    ]);
    expect(r.packages.totals.python).toEqual({ packages: 2, bytes: 1822 + 321 });
  });
});

describe('dist-info packages without RECORD', () => {
  // As an installer that leaves uninstalling to another tool may write them: METADATA and the rest, no RECORD.
  const DIST = 'usr/lib/python3/dist-packages';
  const distInfo = (name: string, version: string) => ({
    [`${DIST}/${name}-${version}.dist-info/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`,
    [`${DIST}/${name}-${version}.dist-info/WHEEL`]: 'Wheel-Version: 1.0\n',
    [`${DIST}/${name}-${version}.dist-info/top_level.txt`]: `${name}\n`,
  });

  it('counts them by their directory, in analyze and in diff', async () => {
    const a = await buildOciLayout([
      layer({
        ...distInfo('attrs', '22.2.0'),
        [`${DIST}/attrs/__init__.py`]: 3000,
        // a pip install beside it, with its RECORD: counted once, by its RECORD
        [`${DIST}/idna-3.4.dist-info/METADATA`]: 'Name: idna\n',
        [`${DIST}/idna-3.4.dist-info/RECORD`]: 'idna/core.py,,\n',
        [`${DIST}/idna/core.py`]: 1000,
        // no METADATA: not an installed package
        [`${DIST}/stray-1.0.dist-info/top_level.txt`]: 'stray\n',
      }),
    ]);
    const b = await buildOciLayout([
      layer({
        ...distInfo('attrs', '23.1.0'),
        [`${DIST}/attrs/__init__.py`]: 3500,
        ...distInfo('certifi', '2022.9.24'),
      }),
    ]);
    try {
      const r = await analyze({ image: a.path, workers: 0, top: 100 });
      const python = r.packages.top.filter((p) => p.manager === 'python');
      const files = distInfo('attrs', '22.2.0');
      expect(python.find((p) => p.name === 'attrs')).toEqual({
        manager: 'python',
        name: 'attrs',
        version: '22.2.0',
        files: 3,
        bytes: Object.values(files).reduce((n, text) => n + text.length, 0),
        location: `${DIST}/attrs-22.2.0.dist-info`,
      });
      expect(python.find((p) => p.name === 'idna')).toMatchObject({ version: '3.4', files: 1, bytes: 1000 });
      expect(python.map((p) => p.name).sort()).toEqual(['attrs', 'idna']);
      const d = await diffImages({ a: a.path, b: b.path, noCache: true });
      expect(d.packages.changed).toEqual([
        expect.objectContaining({ manager: 'python', name: 'attrs', aVersion: '22.2.0', bVersion: '23.1.0' }),
      ]);
      expect(d.packages.added.map((p) => p.name)).toEqual(['certifi']);
      expect(d.packages.removed.map((p) => p.name)).toEqual(['idna']);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});
