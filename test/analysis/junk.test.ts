// The junk classes of hard-linked files, on the counter alone: a file is added once, under the name that holds its
// bytes, and the counter asks for its other live names. Secret classes count it if any name is in the class, under
// that name; the other classes only if every name is.
import { inJunkClass, JUNK_CLASSES, JunkCounter, wastedCacheClasses } from '../../src/analysis/junk.js';

/** The counter after adding one 100-byte file at `holder` whose inode also has the names `others`. */
function counted(holder: string, others: string[]): JunkCounter {
  const junk = new JunkCounter((path) => (path === holder ? others : []));
  junk.add(holder, 100, 0);
  return junk;
}

const paths = (junk: JunkCounter, id: string) => junk.files.get(id)!.map((f) => f.path);
const totals = (junk: JunkCounter, id: string) => junk.result().find((t) => t.id === id)!;

describe('JunkCounter and hard-linked files', () => {
  it.each([
    // [holder, other names, class, paths the class lists]
    ['srv/k', ['root/.ssh/id_rsa'], 'keyFiles', ['root/.ssh/id_rsa']],
    ['data/x', ['app/.env'], 'dotenvFiles', ['app/.env']],
    ['root/.ssh/id_rsa', ['srv/k'], 'keyFiles', ['root/.ssh/id_rsa']],
    // Once per file, however many of its names are in the class.
    ['srv/k', ['root/.ssh/id_rsa', 'home/u/.ssh/id_rsa'], 'keyFiles', ['root/.ssh/id_rsa']],
    ['a/.env', ['b/.env'], 'dotenvFiles', ['a/.env']],
    ['srv/k', [], 'keyFiles', []],
    ['srv/k', ['srv/k2'], 'keyFiles', []],
  ])('secrets: %s linked from %j is in %s as %j', (holder, others, id, expected) => {
    const junk = counted(holder, others);
    expect(paths(junk, id)).toEqual(expected);
    // Each copy is still known by the name that holds it, so that the findings total counts it once.
    expect(junk.files.get(id)!.map((f) => f.holder ?? f.path)).toEqual(expected.map(() => holder));
    expect(totals(junk, id)).toMatchObject({ files: expected.length, bytes: 100 * expected.length });
    expect(totals(junk, id).top.map((t) => t.path)).toEqual(expected);
  });

  it.each([
    // [holder, other names, class, files counted]: a name outside the class keeps the bytes.
    ['var/log/a', ['var/log/b'], 'logs', 1],
    ['var/log/a', ['srv/a'], 'logs', 0],
    ['srv/a', ['var/log/a'], 'logs', 0],
    ['root/.cache/pip/x', ['srv/x'], 'pipCache', 0],
  ])('other classes: %s linked from %j counts %s %i times', (holder, others, id, files) => {
    expect(totals(counted(holder, others), id)).toMatchObject({ files, bytes: 100 * files });
  });
});

// Yarn Berry's default linker, Plug'n'Play, loads the app's packages from the zip files of its cache through the
// project's `.pnp.cjs` (`.pnp.js` with Yarn 2): there the cache is the install, not junk. Yarn 2 and 3 keep it in
// `<project>/.yarn/cache`, Yarn 4 in `~/.yarn/berry/cache` (`$XDG_DATA_HOME/yarn/berry/cache`).
describe('JunkCounter and Yarn caches', () => {
  /** The final filesystem holding `present` (files, relative paths), with the questions it was asked. */
  function finalOf(present: string[]) {
    const asked: string[] = [];
    return {
      asked,
      exists: (path: string) => (asked.push(`exists ${path}`), present.includes(path)),
      anyNamed: (name: string) => (asked.push(`anyNamed ${name}`), present.some((p) => base(p) === name)),
    };
  }
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const zip = 'app/.yarn/cache/semver-npm-7.6.0-x.zip';
  const global = 'root/.yarn/berry/cache/semver-npm-7.6.0-x.zip';

  it.each([
    // [cache file, other files of the final filesystem, files counted by jsPackageCaches and sourceArchives]
    [zip, ['app/.pnp.cjs'], 0],
    [zip, ['app/.pnp.js'], 0],
    [zip, [], 1],
    // Another project's Plug'n'Play does not read this one's cache; a node-modules project's cache is only a copy.
    [zip, ['srv/.pnp.cjs'], 1],
    [zip, ['app/sub/.pnp.cjs'], 1],
    [zip, ['app/node_modules/semver/index.js'], 1],
    ['.yarn/cache/x.zip', ['.pnp.cjs'], 0],
    // The global cache (Yarn 4's, Yarn 3's mirror) is junk unless a Plug'n'Play app anywhere may read it.
    [global, [], 1],
    [global, ['app/.pnp.cjs'], 0],
    [global, ['srv/old/.pnp.js'], 0],
    ['data/yarn/berry/cache/x.zip', [], 1],
    ['data/yarn/berry/cache/x.zip', ['app/.pnp.cjs'], 0],
  ])('%s beside %j counts %i times', (path, present, files) => {
    const junk = new JunkCounter(undefined, finalOf(present));
    junk.add(path, 100, 0);
    expect(totals(junk, 'jsPackageCaches')).toMatchObject({ files, bytes: 100 * files });
    // A zip of a Plug'n'Play cache is no archive left after extraction either: removing it breaks the app.
    expect(totals(junk, 'sourceArchives')).toMatchObject({ files, bytes: 100 * files });
  });

  it('asks the filesystem once per project, and never for a file outside a Yarn cache', () => {
    const final = finalOf(['app/.pnp.cjs']);
    const junk = new JunkCounter(undefined, final);
    for (let i = 0; i < 50; i++) junk.add(`app/.yarn/cache/p${i}.zip`, 100, 0);
    for (let i = 0; i < 50; i++) junk.add(`usr/lib/x${i}.so`, 100, 0);
    junk.add('root/.npm/_cacache/index-v5/a', 100, 0);
    junk.add('dist/bundle.zip', 100, 0);
    expect(final.asked).toEqual(['exists app/.pnp.cjs']);
    expect(totals(junk, 'jsPackageCaches')).toMatchObject({ files: 1 });
  });

  it('tells Yarn Berry users how to clear its cache', () => {
    expect(totals(new JunkCounter(), 'jsPackageCaches').advice).toContain('`yarn cache clean --all`');
  });
});

describe('JunkCounter and files an OS package installed', () => {
  it('takes them out of every count of the secret classes, once however often result is asked', () => {
    const junk = new JunkCounter();
    junk.add('usr/lib/foo/test/keycert.pem', 300, 0);
    junk.add('usr/lib/foo/test/empty.pem', 0, 0);
    junk.add('srv/mine.pem', 40, 1);
    expect(junk.secretNames()).toEqual(['usr/lib/foo/test/keycert.pem', 'usr/lib/foo/test/empty.pem', 'srv/mine.pem']);
    const packaged = new Set(['usr/lib/foo/test/keycert.pem', 'usr/lib/foo/test/empty.pem']);
    for (let i = 0; i < 2; i++) {
      const keys = junk.result(packaged).find((t) => t.id === 'keyFiles')!;
      expect(keys).toMatchObject({ files: 1, bytes: 40, byLayer: { 1: 40 }, filesByLayer: { 1: 1 } });
      expect(keys.byLayer).not.toHaveProperty('0');
      expect(keys.byOrigin).toEqual({ 1: 40 });
      expect(keys.top.map((t) => t.path)).toEqual(['srv/mine.pem']);
      expect(paths(junk, 'keyFiles')).toEqual(['srv/mine.pem']);
    }
  });

  it('names each layer of each class dropped from by a file of that class that stays', () => {
    const junk = new JunkCounter();
    junk.add('usr/lib/foo/test/.env', 10, 0);
    junk.add('usr/lib/foo/test/keycert.pem', 300, 0);
    junk.add('srv/k.pem', 20, 0);
    junk.add('app/.env', 5, 0);
    junk.add('srv/mine.pem', 40, 1);
    const totals = junk.result(new Set(['usr/lib/foo/test/.env', 'usr/lib/foo/test/keycert.pem']));
    expect(totals.find((t) => t.id === 'dotenvFiles')!.pathByLayer).toEqual({ 0: 'app/.env' });
    expect(totals.find((t) => t.id === 'keyFiles')!.pathByLayer).toEqual({ 0: 'srv/k.pem', 1: 'srv/mine.pem' });
  });
});

// byLayer and byOrigin give where a class's bytes are: a layer whose files of the class hold none (empty files, or a
// packaged secret dropped beside an empty one) had an entry of 0 bytes in `analyze --json`.
describe('JunkCounter bytes per layer', () => {
  it.each([
    // [files added as [path, bytes, layer], packaged names, class, byLayer, byOrigin, filesByLayer, pathByLayer]
    [[['app/.env', 0, 2]], [], 'dotenvFiles', {}, {}, { 2: 1 }, { 2: 'app/.env' }],
    [
      [
        ['var/log/a.log', 0, 1],
        ['var/log/b.log', 30, 2],
      ],
      [],
      'logs',
      { 2: 30 },
      { 2: 30 },
      { 1: 1, 2: 1 },
      { 1: 'var/log/a.log', 2: 'var/log/b.log' },
    ],
    [
      [
        ['usr/lib/foo/test/keycert.pem', 300, 0],
        ['srv/empty.pem', 0, 0],
      ],
      ['usr/lib/foo/test/keycert.pem'],
      'keyFiles',
      {},
      {},
      { 0: 1 },
      // Named by the file that stays, not the packaged one added first.
      { 0: 'srv/empty.pem' },
    ],
  ] as [[string, number, number][], string[], string, object, object, object, object][])(
    '%j less packaged %j: %s has byLayer %j, byOrigin %j',
    (files, packaged, id, byLayer, byOrigin, filesByLayer, pathByLayer) => {
      const junk = new JunkCounter();
      for (const [path, bytes, layer] of files) junk.add(path, bytes, layer);
      const t = junk.result(new Set(packaged)).find((c) => c.id === id)!;
      expect({
        byLayer: t.byLayer,
        byOrigin: t.byOrigin,
        filesByLayer: t.filesByLayer,
        pathByLayer: t.pathByLayer,
      }).toEqual({ byLayer, byOrigin, filesByLayer, pathByLayer });
      // The totals are the same: only entries of no bytes go.
      expect(t.files).toBe(files.length - packaged.length);
      expect(t.bytes).toBe(files.filter(([p]) => !packaged.includes(p)).reduce((n, [, b]) => n + b, 0));
    },
  );
});

describe('wastedCacheClasses', () => {
  it.each([
    // [path of a copy a later layer hid, the cache class IM002 reports it in, or undefined]
    ['var/cache/apt/pkgcache.bin', 'aptCache'],
    ['var/cache/apk/APKINDEX.abc.tar.gz', 'apkCache'],
    ['var/cache/dnf/repodata.xml', 'rpmCaches'],
    // dnf5's (Fedora 41 and later: dnf and microdnf are dnf5) repository metadata and packages.
    ['var/cache/libdnf5/fedora-1b2c3d/repodata/primary.xml.zst', 'rpmCaches'],
    ['var/cache/libdnf5/updates-4e5f6a/packages/httpd-2.4.62-1.fc41.x86_64.rpm', 'rpmCaches'],
    // In two classes: the first of IM002's order, as IM002 reports it.
    ['root/.cache/pip/http/a/b', 'pipCache'],
    ['root/.cache/other/x', 'homeCaches'],
    ['root/.cache/yarn/v6/x', 'homeCaches'],
    ['root/go/pkg/mod/cache/x', 'buildToolCaches'],
    ['var/cache/pacman/pkg/git-2.47.0-1-x86_64.pkg.tar.zst', 'pacmanCache'],
    ['opt/conda/pkgs/numpy-2.1.0.conda', 'condaPkgs'],
    ['home/mambauser/.local/share/mamba/pkgs/zlib-1.3.tar.bz2', 'condaPkgs'],
    // Composer 2's XDG cache is under ~/.cache too: IM002 names it Composer's.
    ['root/.cache/composer/files/a/b.zip', 'composerCache'],
    ['tmp/cache/repo/https---repo.packagist.org/packages.json', 'composerCache'],
    ['root/.cpanm/work/1733430000.7/Mojolicious-9.38.tar.gz', 'cpanmWork'],
    // npm's debug logs are no cache: not ~/.cache's advice either.
    ['root/.npm/_logs/2026-12-05T22_12_26_324Z-debug-0.log', 'npmLogs'],
    ['home/node/.npm/_logs/2026-12-05T22_12_26_324Z-debug-0.log', 'npmLogs'],
    // A package or archive an install read and left: after every cache, which claims its own files first.
    ['root/hello_1.0_all.deb', 'leftDownloads'],
    ['tmp/tool-1.0.tar.gz', 'leftDownloads'],
    ['tmp/cache/files/vendor/pkg/abc.zip', 'composerCache'],
    // A pkgs directory of no conda root, a Go package directory.
    ['srv/app/pkgs/x.tar.bz2', undefined],
    ['usr/local/go/pkg/tool/x', undefined],
    // A class that asks the final filesystem (npm/yarn/pnpm's, for Yarn's Plug'n'Play cache) cannot judge a copy no
    // longer in it: one under a home directory is ~/.cache's, another is no cache's.
    ['app/.yarn/cache/left-pad.zip', undefined],
    ['var/lib/dpkg/status', undefined],
    ['app/model.bin', undefined],
  ])('classes %s as %s', (path, id) => {
    const classes = wastedCacheClasses([{ path }, { path }]);
    expect(classes.get(path)).toBe(id);
    expect(classes.size).toBe(id === undefined ? 0 : 1);
  });
});

describe('downloaded packages and archives', () => {
  const leftDownloads = JUNK_CLASSES.find((c) => c.id === 'leftDownloads')!;
  it.each([
    // [path, whether it is a download left behind]
    // Directly in root's home, anywhere in /tmp or /var/tmp: where a download is put to be installed.
    ['root/hello-attrib_1.0_all.deb', true],
    ['root/glibc-2.35-r1.apk', true],
    ['root/release.zip', true],
    ['tmp/tool-1.0.tar.gz', true],
    ['var/tmp/build/node-v20.tar.xz', true],
    ['tmp/wheels/numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.whl', true],
    // Packages shipped on purpose: an apt repository's pool, a vendored driver, rpmbuild's output, and packages at
    // the image root or in /usr, /var/cache or a library's own files.
    ['srv/aptly/public/pool/main/a/a_1_amd64.deb', false],
    ['opt/vendor/driver.rpm', false],
    ['app/vendor/tool-1.2-1.x86_64.rpm', false],
    ['root/rpmbuild/RPMS/x86_64/my-1.rpm', false],
    ['tmp/rpmbuild/RPMS/x86_64/my-1.rpm', false],
    ['hello_1.0_amd64.deb', false],
    ['var/cache/apt/archives/curl.deb', false],
    ['usr/share/doc/x/example.deb', false],
    ['app/node_modules/deb-pkg/test/fixture.deb', false],
    // Claimed by another cache class (counted there, not twice): Go's module cache, npm's, Yarn's, Composer's.
    ['root/go/pkg/mod/cache/download/github.com/x/y/@v/v1.0.0.zip', false],
    ['tmp/go/pkg/mod/cache/download/github.com/x/y/@v/v1.0.0.zip', false],
    ['root/.npm/_cacache/x.tgz', false],
    ['root/app/.yarn/cache/left-pad.zip', false],
    ['tmp/cache/files/vendor/pkg/abc.zip', false],
    ['tmp/.cache/pip/wheels/a/numpy.whl', false],
    // In root's subdirectories, or an archive or .apk elsewhere: images ship those as the app or its data.
    ['root/backups/2026.tar.gz', false],
    ['app/assets/data.zip', false],
    ['opt/android/app-release.apk', false],
    ['tmp/app.jar', false],
    ['tmp/notes.txt', false],
  ])('%s: %s', (path, expected) => {
    expect(inJunkClass(leftDownloads, path)).toBe(expected);
  });
});

describe('class names at the root, mid-path and as the file itself', () => {
  // The classes' tests are written to make no string per file; these are the edges of "a directory named X on the path".
  const classesOf = (path: string) => JUNK_CLASSES.filter((c) => c.match(path)).map((c) => c.id);
  it.each([
    ['.git/config', ['gitDirs']],
    ['srv/app/.git/HEAD', ['gitDirs']],
    ['srv/app/.gitx/HEAD', []],
    ['srv/app/x.git/HEAD', []],
    ['srv/.git', []],
    ['node_modules', ['nodeModules']],
    ['app/node_modules', ['nodeModules']],
    ['node_modules/x/index.js', ['nodeModules']],
    ['app/my_node_modules/x.js', []],
    ['app/node_modules_old', []],
    ['__pycache__/m.cpython-311.pyc', ['pythonBytecode']],
    ['app/__pycache__/m', ['pythonBytecode']],
    ['app/x__pycache__/m', []],
    ['.env', ['dotenvFiles']],
    ['app/.env', ['dotenvFiles']],
    ['app/x.env', []],
    ['core', ['coreDumps']],
    ['app/core.1234', ['coreDumps']],
    ['app/score', []],
    ['app/core.x', []],
    ['id_rsa', ['keyFiles']],
    ['root/.ssh/id_rsa', ['keyFiles']],
    ['root/.ssh/my_id_rsa', []],
    ['var/cache/apk/APKINDEX.tar.gz', ['apkCache']],
    ['tmp/x.tar.gz', ['tmpDirs', 'leftDownloads', 'sourceArchives']],
    ['tmp/go/pkg/mod/cache/download/x.zip', ['tmpDirs', 'buildToolCaches', 'sourceArchives']],
  ])('%s: %j', (path, classes) => {
    expect(classesOf(path)).toEqual(classes);
  });
});

describe('dirOnly classes, asked once per directory', () => {
  const dirs = [
    '',
    'var/cache/apt/archives',
    'var/cache/apk',
    'var/cache',
    'var/lib/apt/lists',
    'usr/share/doc/x',
    'tmp',
    'var/tmp/build',
    'root/.cache/pip',
    'home/u/.cache/yarn/v6',
    'srv/app/.git/objects',
    'app/node_modules/.pnpm-store/v3',
    'opt/conda/pkgs',
    'tmp/cache/repo',
    'root/.cpanm/work',
    'root/.npm/_logs',
    'go/pkg/mod/x',
    'app/tests/unit',
    'usr/share/tests',
    'var/log/apt',
  ];
  const names = ['f', 'x.tar.gz', 'node_modules', '.git', '.env', 'core', 'id_rsa', 'a.pyc', 'lib.a', 'pkgs', 'cache'];
  const files = dirs.flatMap((d) => names.map((n) => (d ? `${d}/${n}` : n)));

  it.each(JUNK_CLASSES.filter((c) => c.dirOnly).map((c) => [c.id, c] as const))(
    '%s: the same for every file of a directory',
    (_, c) => {
      for (const d of dirs) {
        const answers = new Set(names.map((n) => c.match(d ? `${d}/${n}` : n)));
        expect({ dir: d, answers: [...answers] }).toEqual({ dir: d, answers: [...answers].slice(0, 1) });
      }
    },
  );

  it('counts files of directories met again and in turn as it counts each file alone', () => {
    // Directories in turn (a, b, a), a file at the root between them: the per-directory answer must follow the file.
    const order = [...files, ...files.slice().reverse(), ...files.filter((_, i) => i % 3 === 0)];
    const together = new JunkCounter();
    order.forEach((p, i) => together.add(p, i + 1, 0));
    const alone = JUNK_CLASSES.map((c) => ({ id: c.id, files: 0, bytes: 0 }));
    order.forEach((p, i) => {
      const one = new JunkCounter();
      one.add(p, i + 1, 0);
      one.result().forEach((t, k) => {
        alone[k].files += t.files;
        alone[k].bytes += t.bytes;
      });
    });
    expect(together.result().map((t) => ({ id: t.id, files: t.files, bytes: t.bytes }))).toEqual(alone);
    expect(alone.filter((t) => t.files > 0).length).toBeGreaterThan(15);
  });
});
