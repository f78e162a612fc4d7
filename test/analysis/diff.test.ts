// `diff` on images built in the test: every kind of file change (added, removed, content, mode, owner, link
// target, xattrs), dpkg/apk/node package changes, config changes, layers shared across formats walked once,
// --ignore, waste and the growth gate. Each side's summary must be exactly what `analyze` reports on its own.
import { analyze, analyzeImage } from '../../src/services/analyze.js';
import { renderDiffMarkdown } from '../../src/reporters/diff-markdown.js';
import { moreDirectoriesHint, renderDiffText } from '../../src/reporters/diff-text.js';
import { diffImages, diffOpened } from '../../src/services/diff.js';
import { compareConfigs, ignoreFilter } from '../../src/analysis/compare.js';
import { UsageError } from '../../src/errors.js';
import type { Image } from '../../src/image/types.js';
import { openImage } from '../../src/sources/resolve.js';
import {
  buildDockerArchive,
  buildOciLayout,
  file,
  layer,
  symlink,
  WHITEOUT,
  type BuiltImage,
  type LayerSpec,
} from '../helpers/image-builder.js';

const dpkgStatus = (pkgs: [string, string][]) =>
  pkgs
    .map(
      ([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`,
    )
    .join('\n');

const base: LayerSpec = layer(
  {
    'bin/sh': 1000,
    srv: { kind: 'dir', mode: 0o755 },
    'usr/lib/libfoo.so': 5000,
    'usr/lib/libbar.so': 700,
    'usr/bin/tool': 1200,
    'etc/capfile': 'same bytes',
    'app/run.sh': file('#!/bin/sh\nexec app\n', { mode: 0o755 }),
    'app/data': file('data', { uid: 0, gid: 0 }),
    'app/link': symlink('run.sh'),
    'var/lib/dpkg/status': dpkgStatus([
      ['libfoo', '1.0'],
      ['tool', '2.0'],
    ]),
    'var/lib/dpkg/info/libfoo.list': '/.\n/usr/lib/libfoo.so\n',
    'var/lib/dpkg/info/tool.list': '/usr/bin/tool\n',
  },
  'ADD rootfs.tar /',
);

const onlyA: LayerSpec = layer(
  {
    'app/config.json': '{"v":1}',
    'app/old.txt': 300,
    'usr/lib/node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.0.0"}',
    'usr/lib/node_modules/left-pad/index.js': 100,
  },
  'COPY app /app',
);

const onlyB1: LayerSpec = layer(
  {
    'app/config.json': '{"v":2,"longer":true}',
    srv: { kind: 'dir', mode: 0o700 },
    'app/new.bin': 2000,
    'app/run.sh': file('#!/bin/sh\nexec app\n', { mode: 0o700 }),
    'app/data': file('data', { uid: 1000, gid: 1000 }),
    'app/link': symlink('other.sh'),
    'etc/capfile': file('same bytes', { xattrs: { 'security.capability': 'cap' } }),
    'app/junk.pyc': 50,
    'tmp/big': 4000,
    'usr/lib/libfoo.so': 5100,
    'usr/lib/newpkg.so': 900,
    'var/lib/dpkg/status': dpkgStatus([
      ['libfoo', '1.1'],
      ['newpkg', '0.1'],
    ]),
    'var/lib/dpkg/info/libfoo.list': '/usr/lib/libfoo.so\n',
    'var/lib/dpkg/info/newpkg.list': '/usr/lib/newpkg.so\n',
    'var/lib/dpkg/info/.wh.tool.list': WHITEOUT,
    'usr/bin/.wh.tool': WHITEOUT,
    'usr/lib/node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.3.0"}',
    'usr/lib/node_modules/left-pad/index.js': 150,
  },
  'RUN apt-get install -y newpkg && npm i -g left-pad@1.3.0',
);

const onlyB2: LayerSpec = layer(
  { 'usr/lib/.wh.libbar.so': WHITEOUT, 'tmp/.wh.big': WHITEOUT },
  'RUN rm -rf /usr/lib/libbar.so /tmp/big',
);

const configA = { Env: ['PATH=/usr/bin', 'DEBUG='], User: 'root', Cmd: ['run'], WorkingDir: '/app' };
const configB = {
  Env: ['PATH=/usr/bin', 'NODE_ENV=production'],
  User: 'app',
  Cmd: ['run', '--fast'],
  WorkingDir: '/app',
  ExposedPorts: { '8080/tcp': {} },
  Labels: { version: '2' },
};

let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  // Different formats on purpose: the shared base layer has the same diffId but different blob digests.
  a = await buildDockerArchive([base, onlyA], { config: configA });
  b = await buildOciLayout([base, onlyB1, onlyB2], {
    config: configB,
    annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:12' },
  });
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

/** Records which layers (by diffId) have their blob read. */
async function countReads(image: Image, reads: string[]): Promise<Image> {
  for (const l of await image.layers()) {
    const read = l.compressed.bind(l);
    l.compressed = async () => {
      reads.push(await l.diffId());
      return read();
    };
  }
  return image;
}

describe('diff of two hand-built images', () => {
  it('reads the shared base layer once and each side summary equals analyze', async () => {
    const reads: string[] = [];
    const ia = await countReads(await openImage(a.path), reads);
    const ib = await countReads(await openImage(b.path), reads);
    try {
      const r = await diffOpened(ia, ib, {});
      expect(reads.sort()).toEqual([...a.diffIds, ...b.diffIds.slice(1)].sort());
      expect(r.walk).toEqual({ sharedLayers: 1, layersRead: { a: 2, b: 2 } });
      const [alone, bAlone] = await Promise.all([analyze({ image: a.path }), analyze({ image: b.path })]);
      expect(r.a.summary).toEqual(alone.summary);
      expect(r.b.summary).toEqual(bAlone.summary);
      expect(r.a.image).toEqual(alone.image);
    } finally {
      await ia.close();
      await ib.close();
    }
  });

  it('walks B first when B is built on all of A (its own layers read beside the shared one), with the same result', async () => {
    // A is the base alone: B is walked in full and A only applied (its copy of the base checked); the other way
    // round, and for images that only share a base, A is walked first.
    const onlyBase = await buildDockerArchive([base], { config: configA });
    try {
      const order = async (x: string, y: string) => {
        const sides: string[] = [];
        const r = await diffImages({ a: x, b: y, noCache: true, onProgress: (side) => sides.push(side) });
        return { first: sides[0], last: sides.at(-1), r };
      };
      const up = await order(onlyBase.path, b.path);
      expect({ first: up.first, last: up.last }).toEqual({ first: 'b', last: 'a' });
      expect(up.r.walk).toEqual({ sharedLayers: 1, layersRead: { a: 1, b: 2 } });
      const down = await order(b.path, onlyBase.path);
      expect({ first: down.first, last: down.last }).toEqual({ first: 'a', last: 'b' });
      expect((await order(a.path, b.path)).first).toBe('a');
      const [baseAlone, bAlone] = await Promise.all([
        analyze({ image: onlyBase.path, noCache: true }),
        analyze({ image: b.path, noCache: true }),
      ]);
      expect(up.r.a.summary).toEqual(baseAlone.summary);
      expect(up.r.b.summary).toEqual(bAlone.summary);
      expect(up.r.a.image).toEqual(baseAlone.image);
      // The comparison itself is the one the reverse diff gives, mirrored.
      expect(up.r.delta.uncompressedBytes).toBe(-down.r.delta.uncompressedBytes);
    } finally {
      onlyBase.cleanup();
    }
  });

  it('classifies every file change with its bytes', async () => {
    const r = await diffImages({ a: a.path, b: b.path });
    const paths = (list: { path: string }[]) => list.map((f) => f.path).sort();
    expect(paths(r.files.added)).toEqual([
      'app/junk.pyc',
      'app/new.bin',
      'usr/lib/newpkg.so',
      'var/lib/dpkg/info/newpkg.list',
    ]);
    expect(paths(r.files.removed)).toEqual([
      'app/old.txt',
      'usr/bin/tool',
      'usr/lib/libbar.so',
      'var/lib/dpkg/info/tool.list',
    ]);
    expect(paths(r.files.changed)).toEqual([
      'app/config.json',
      'usr/lib/libfoo.so',
      'usr/lib/node_modules/left-pad/index.js',
      'usr/lib/node_modules/left-pad/package.json',
      'var/lib/dpkg/info/libfoo.list',
      'var/lib/dpkg/status',
    ]);
    expect(r.files.changed.find((f) => f.path === 'usr/lib/libfoo.so')).toEqual({
      path: 'usr/lib/libfoo.so',
      kind: 'file',
      beforeBytes: 5000,
      afterBytes: 5100,
      deltaBytes: 100,
    });
    expect(r.files.added.find((f) => f.path === 'app/new.bin')).toEqual({
      path: 'app/new.bin',
      kind: 'file',
      sizeBytes: 2000,
    });
    expect(r.files.removed.find((f) => f.path === 'usr/lib/libbar.so')?.sizeBytes).toBe(700);
    const meta = Object.fromEntries(r.files.metadata.map((m) => [m.path, m]));
    expect(Object.keys(meta).sort()).toEqual(['app/data', 'app/link', 'app/run.sh', 'etc/capfile', 'srv']);
    expect(meta.srv).toMatchObject({
      kind: 'dir',
      fields: ['mode'],
      a: { mode: '0755' },
      b: { mode: '0700' },
      sizeBytes: 0,
    });
    expect(meta['app/run.sh']).toMatchObject({
      fields: ['mode'],
      a: { mode: '0755' },
      b: { mode: '0700' },
      sizeBytes: 19,
    });
    expect(meta['app/data']).toMatchObject({ fields: ['owner'], a: { uid: 0, gid: 0 }, b: { uid: 1000, gid: 1000 } });
    expect(meta['app/link']).toMatchObject({
      kind: 'symlink',
      fields: ['link'],
      a: { link: 'run.sh' },
      b: { link: 'other.sh' },
    });
    expect(meta['etc/capfile']).toMatchObject({ fields: ['xattrs'], b: { xattrs: ['security.capability'] } });
    expect(meta['etc/capfile'].a.xattrs).toBeUndefined();
    // Nothing ignored: the file-level net equals the final-filesystem delta, and the totals add up.
    expect(r.files.totals.netBytes).toBe(r.delta.finalFileBytes);
    expect(r.files.totals.added).toEqual({ files: 4, bytes: r.files.added.reduce((s, f) => s + f.sizeBytes, 0) });
    expect(r.delta.finalFileBytes).toBe(r.b.summary.finalFileBytes - r.a.summary.finalFileBytes);
    expect(r.delta.files).toBe(r.b.summary.finalFiles - r.a.summary.finalFiles);
  });

  it("reports the mode and owner that changed with a file's content (a new setuid binary is no detail)", async () => {
    const before = await buildOciLayout([layer({ 'usr/bin/sleep': 43_900, 'etc/x': 'x' })]);
    const after = await buildOciLayout([
      layer({
        'usr/bin/sleep': file('#!/bin/sh\nexec evil\n', { mode: 0o4755, uid: 1000, gid: 1000 }),
        'etc/x': 'y',
      }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path });
      const byPath = Object.fromEntries(r.files.changed.map((f) => [f.path, f]));
      expect(byPath['usr/bin/sleep']).toMatchObject({
        beforeBytes: 43_900,
        afterBytes: 20,
        metadata: {
          fields: ['mode', 'owner'],
          a: { mode: '0644', uid: 0, gid: 0 },
          b: { mode: '4755', uid: 1000, gid: 1000 },
        },
      });
      // Content alone: no metadata.
      expect(byPath['etc/x'].metadata).toBeUndefined();
      expect(r.files.metadata).toEqual([]);
      const text = renderDiffText(r, { color: false, width: 120 });
      expect(text).toMatch(/\/usr\/bin\/sleep 43\.9 kB -> 20 B, mode 0644 -> 4755, owner 0:0 -> 1000:1000/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('keeps a long path whole in the files list with no width given (a pipe, a file), and cuts it to a terminal', async () => {
    // Piped, a path was cut to what 120 columns left, where the comment said a pipe keeps paths whole: grep missed it.
    const deep = `usr/lib/python3/dist-packages/${'very-long-package-name/'.repeat(6)}module_with_a_long_name.py`;
    const before = await buildOciLayout([layer({ 'bin/sh': 1000 })]);
    const after = await buildOciLayout([layer({ 'bin/sh': 1000 }), layer({ [deep]: 10_000 })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path });
      expect(renderDiffText(r, { color: false })).toMatch(new RegExp(`^\\+ +\\+10\\.0 kB +/${deep}$`, 'm'));
      const at120 = renderDiffText(r, { color: false, width: 120 }).split('\n');
      expect(at120.filter((l) => l.length > 120)).toEqual([]);
      expect(at120).toContainEqual(expect.stringMatching(/^\+ +\+10\.0 kB +\/usr\/lib\/\S*…\S*_long_name\.py$/));
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('says how many junk classes --top left out of the junk table, in text and Markdown', async () => {
    // The junk table alone was cut to --top with no word of it, where every other list says "…and N more".
    const before = await buildOciLayout([layer({ 'bin/sh': 1000 })]);
    const after = await buildOciLayout([
      layer({ 'bin/sh': 1000 }),
      layer({ 'var/cache/apt/archives/x.deb': 3000, 'app/x.pyc': 2000, 'root/.npm/_cacache/x': 1000 }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path });
      const classes = r.waste.junk.filter((j) => j.deltaBytes > 0).length;
      expect(classes).toBeGreaterThanOrEqual(3);
      const text = renderDiffText(r, { color: false, width: 200, rows: 1 }).split('\n');
      const junk = text.findIndex((l) => /^Junk\s+A\s+B\s+Delta/.test(l));
      expect(text[junk + 2]).toBe(`  …and ${classes - 1} more (--json lists all)`);
      expect(renderDiffMarkdown(r, { rows: 1 })).toMatch(
        new RegExp(
          `^\\| Junk \\|.*\\n.*\\n\\|[^\\n]*\\|\\n\\n…and ${classes - 1} more \\(\`--json\` lists all\\)\\.$`,
          'm',
        ),
      );
      // With room for every class, no such line.
      expect(renderDiffText(r, { color: false, width: 200 })).not.toContain('more (--json');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('aggregates directory deltas over every ancestor', async () => {
    const r = await diffImages({ a: a.path, b: b.path });
    const dir = (p: string) => r.directories.find((d) => d.path === p);
    // config.json +14, new.bin +2000, junk.pyc +50, old.txt -300
    expect(dir('app')).toMatchObject({ deltaBytes: 1764, aFiles: 4, bFiles: 5 });
    // libfoo +100, newpkg +900, libbar -700, left-pad index.js +50 (its package.json keeps its length)
    expect(dir('usr/lib')?.deltaBytes).toBe(350);
    expect(dir('usr/bin')).toMatchObject({ aBytes: 1200, bBytes: 0, deltaBytes: -1200, aFiles: 1, bFiles: 0 });
    // Largest absolute change first.
    const deltas = r.directories.map((d) => Math.abs(d.deltaBytes));
    expect(deltas).toEqual([...deltas].sort((x, y) => y - x));
  });

  it('tells the same one-sentence story whatever --top cuts from the directory list', async () => {
    const before = await buildOciLayout([layer({ 'bin/sh': 1000 })]);
    const after = await buildOciLayout([layer({ 'bin/sh': 1000 }), layer({ 'app/data/x': 10_000, 'app/lib/y': 8000 })]);
    try {
      const story = async (top?: number) => {
        const r = await diffImages({ a: before.path, b: after.path, top });
        return renderDiffText(r, { color: false, width: 200 })
          .split('\n')
          .find((l) => l.startsWith('this change'));
      };
      // With one row, /app alone is left of the directory list; the story still names where in /app it grew.
      const full = await story();
      expect(full).toMatch(/: \+10\.0 kB in \/app\/data, \+8\.00 kB in \/app\/lib$/);
      expect(await story(1)).toBe(full);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('compares packages per manager, with versions and size deltas', async () => {
    const r = await diffImages({ a: a.path, b: b.path });
    expect(r.packages.added.map((p) => [p.manager, p.name, p.version, p.bytes])).toEqual([
      ['dpkg', 'newpkg', '0.1', 900],
    ]);
    expect(r.packages.removed.map((p) => [p.manager, p.name, p.version, p.bytes])).toEqual([
      ['dpkg', 'tool', '2.0', 1200],
    ]);
    const changed = Object.fromEntries(r.packages.changed.map((c) => [c.name, c]));
    expect(changed.libfoo).toMatchObject({
      manager: 'dpkg',
      aVersion: '1.0',
      bVersion: '1.1',
      // Debian's version order (semver cannot read 1.0).
      direction: 'upgrade',
      aBytes: 5000,
      bBytes: 5100,
      deltaBytes: 100,
    });
    expect(changed['left-pad']).toMatchObject({
      manager: 'node',
      aVersion: '1.0.0',
      bVersion: '1.3.0',
      direction: 'upgrade',
      deltaBytes: 50,
    });
    expect(r.packages.managers.dpkg).toEqual({
      a: { packages: 2, bytes: 6200 },
      b: { packages: 2, bytes: 6000 },
      added: 1,
      removed: 1,
      changed: 1,
      deltaBytes: -200,
    });
    expect(r.packages.managers.node).toMatchObject({ added: 0, removed: 0, changed: 1 });
  });

  it('compares configs key by key; annotations only where both sides have a manifest to hold them', async () => {
    // A is a docker archive without a manifest: B's base-image annotation is no difference.
    const r = await diffImages({ a: a.path, b: b.path });
    expect(r.config).toEqual([
      { key: 'user', a: 'root', b: 'app' },
      { key: 'cmd', a: '["run"]', b: '["run","--fast"]' },
      { key: 'env.DEBUG', a: '', b: null },
      { key: 'env.NODE_ENV', a: null, b: 'production' },
      { key: 'exposedPorts.8080/tcp', a: null, b: 'exposed' },
      { key: 'labels.version', a: null, b: '2' },
    ]);
    const c = await buildOciLayout([base, onlyA], {
      config: configA,
      annotations: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:11' },
    });
    try {
      expect(await diffImages({ a: a.path, b: c.path })).toMatchObject({ config: [] });
      const oci = await diffImages({ a: c.path, b: b.path });
      expect(oci.config.filter((x) => x.key.startsWith('annotations.'))).toEqual([
        {
          key: 'annotations.org.opencontainers.image.base.name',
          a: 'docker.io/library/debian:11',
          b: 'docker.io/library/debian:12',
        },
      ]);
    } finally {
      c.cleanup();
    }
  });

  it('lists the one-value config keys in one order, whichever side has them', () => {
    // Given A with a cmd and B with a user and a created time A lacks
    const side = (top: Record<string, unknown>, config: Record<string, unknown>) => ({
      config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, ...top, config },
    });
    const changes = compareConfigs(
      side({}, { Cmd: ['run'] }),
      side({ created: '2026-02-01T00:00:00Z', 'os.features': ['win32k'] }, { User: 'app' }),
    );
    // Then user comes before cmd, as when A has both, and created last
    expect(changes.map((c) => c.key)).toEqual(['osFeatures', 'user', 'cmd', 'created']);
    expect(changes[0]).toEqual({ key: 'osFeatures', a: null, b: '["win32k"]' });
  });

  it('lists shared and own layers with their instructions', async () => {
    const r = await diffImages({ a: a.path, b: b.path });
    expect(r.layers.commonPrefix).toBe(1);
    expect(r.layers.shared.map((l) => [l.aIndex, l.bIndex, l.diffId, l.instruction])).toEqual([
      [0, 0, a.diffIds[0], 'ADD rootfs.tar /'],
    ]);
    // The same tar stored two ways: uncompressed in the archive, gzip in the layout.
    expect(r.layers.shared[0].aCompressedBytes).toBe(r.layers.shared[0].uncompressedBytes);
    expect(r.layers.shared[0].bCompressedBytes).toBeLessThan(r.layers.shared[0].uncompressedBytes);
    expect(r.layers.onlyA.map((l) => [l.index, l.instruction])).toEqual([[1, 'COPY app /app']]);
    expect(r.layers.onlyB.map((l) => [l.index, l.instruction])).toEqual([
      [1, 'RUN apt-get install -y newpkg && npm i -g left-pad@1.3.0'],
      [2, 'RUN rm -rf /usr/lib/libbar.so /tmp/big'],
    ]);
  });

  it('reports new waste and junk classes B has and A lacks', async () => {
    const r = await diffImages({ a: a.path, b: b.path });
    expect(r.waste.deltaBytes).toBe(r.b.summary.wastedBytes - r.a.summary.wastedBytes);
    expect(r.waste.newFiles.find((w) => w.path === 'tmp/big')).toMatchObject({
      sizeBytes: 4000,
      cause: 'deleted',
      layer: 1,
      byLayer: 2,
    });
    // libbar.so sits in the shared base layer; B deletes it, A does not.
    expect(r.waste.newFiles.find((w) => w.path === 'usr/lib/libbar.so')).toMatchObject({
      sizeBytes: 700,
      cause: 'deleted',
      layer: 0,
    });
    expect(r.waste.newTotals.bytes).toBe(r.waste.newFiles.reduce((s, w) => s + w.sizeBytes, 0));
    const pyc = r.waste.junk.find((j) => j.id === 'pythonBytecode');
    expect(pyc).toMatchObject({ new: true, a: { files: 0, bytes: 0 }, b: { files: 1, bytes: 50 }, deltaBytes: 50 });
    // The junk table is set off from the waste list above it by a blank line, as the other headings are.
    const lines = renderDiffText(r, { color: false, width: 120 }).split('\n');
    const junk = lines.findIndex((l) => /^Junk\s+A\s+B\s+Delta/.test(l));
    expect(junk).toBeGreaterThan(0);
    expect(lines[junk - 1]).toBe('');
  });

  it('leaves --ignore globs out of files, directories and new waste', async () => {
    const r = await diffImages({ a: a.path, b: b.path, ignore: ['**/*.pyc', '/tmp', 'usr/lib/node_modules'] });
    const all = [...r.files.added, ...r.files.removed, ...r.files.changed, ...r.files.metadata].map((f) => f.path);
    expect(all).not.toContain('app/junk.pyc');
    expect(all.filter((p) => p.startsWith('usr/lib/node_modules/'))).toEqual([]);
    expect(r.waste.newFiles.map((w) => w.path)).not.toContain('tmp/big');
    expect(r.directories.find((d) => d.path === 'usr/lib/node_modules')).toBeUndefined();
    expect(r.files.totals.ignored).toBe(3);
    // Image-level numbers are not filtered.
    expect(r.b.summary.finalFiles).toBe((await analyze({ image: b.path })).summary.finalFiles);
  });

  it('gates growth by bytes or percent and rejects bad limits before opening anything', async () => {
    const grown = await diffImages({ a: a.path, b: b.path, failOnGrowth: '1B', growthMetric: 'files' });
    expect(grown.delta.finalFileBytes).toBeGreaterThan(800);
    expect(grown.growth).toEqual({
      metric: 'files',
      before: grown.a.summary.finalFileBytes,
      after: grown.b.summary.finalFileBytes,
      bytes: grown.delta.finalFileBytes,
      ratio: grown.delta.finalFileBytes / grown.a.summary.finalFileBytes,
      limit: '1B',
      limitBytes: 1,
      exceeded: true,
    });
    expect(
      (await diffImages({ a: a.path, b: b.path, failOnGrowth: `${grown.delta.finalFileBytes}`, growthMetric: 'files' }))
        .growth.exceeded,
    ).toBe(false);
    expect(
      (await diffImages({ a: b.path, b: a.path, failOnGrowth: '0%', growthMetric: 'files' })).growth.exceeded,
    ).toBe(false);
    const byDefault = await diffImages({ a: a.path, b: b.path, failOnGrowth: '1%' });
    expect(byDefault.growth).toMatchObject({
      metric: 'uncompressed',
      bytes: byDefault.delta.uncompressedBytes,
      limit: '1%',
      limitBytes: null,
    });
    expect(byDefault.growth.exceeded).toBe(
      byDefault.delta.uncompressedBytes / byDefault.a.summary.uncompressedBytes > 0.01,
    );
    expect((await diffImages({ a: a.path, b: b.path, failOnGrowth: '1000%' })).growth.exceeded).toBe(false);
    await expect(diffImages({ a: '/nonexistent/a.tar', b: b.path, failOnGrowth: 'lots' })).rejects.toThrow(UsageError);
  });

  it('diffs an image against itself as empty, reading each layer once', async () => {
    // Without the layer result cache (earlier tests analysed b), so the count is of this diff's own reads.
    const r = await diffImages({ a: b.path, b: b.path, noCache: true });
    expect(r.walk).toEqual({ sharedLayers: 3, layersRead: { a: 3, b: 0 } });
    expect(r.files.totals).toMatchObject({
      added: { files: 0 },
      removed: { files: 0 },
      changed: { files: 0 },
      metadata: { files: 0 },
      netBytes: 0,
    });
    expect(r.delta).toEqual({ compressedBytes: 0, uncompressedBytes: 0, finalFileBytes: 0, files: 0, wastedBytes: 0 });
    expect(r.packages.added.length + r.packages.removed.length + r.packages.changed.length).toBe(0);
    expect(r.config).toEqual([]);
    expect(r.layers.onlyA.length + r.layers.onlyB.length).toBe(0);
    const image = await openImage(b.path);
    try {
      expect(r.b.summary).toEqual((await analyzeImage(image, { image: b.path })).summary);
    } finally {
      await image.close();
    }
  });
});

// The Directories list named every level of one change (/var/lib, /var/lib/apt, /var/lib/apt/lists, each +87 MB), as
// analyze's Biggest directories did before it kept only distinct places: the same rule now applies to the deltas.
describe('diff directories, a chain of one change', () => {
  let before: BuiltImage;
  let after: BuiltImage;

  beforeAll(async () => {
    before = await buildOciLayout([layer({ 'etc/hostname': 'a\n', 'opt/old/x': 50_000, 'srv/sub/x': 1_000 })]);
    after = await buildOciLayout([
      layer({
        'etc/hostname': 'a\n',
        // /var, /var/lib and /var/lib/apt each hold their change in /var/lib/apt/lists (99% and more).
        'var/lib/apt/lists/big': 100_000,
        'var/lib/x': 1_000,
        // /app's change is split 60/40: a place of its own.
        'app/data/a': 60_000,
        'app/b': 40_000,
        // /opt shrinks by 2 kB net: /opt/old -50 kB, /opt/new +48 kB.
        'opt/new/y': 48_000,
        // /srv grows by 1 kB while /srv/sub shrinks by as much: a shrink does not say where a growth went.
        'srv/own': 2_000,
      }),
    ]);
  }, 60_000);

  afterAll(() => {
    before?.cleanup();
    after?.cleanup();
  });

  it('leaves out a directory whose subdirectory holds 95% or more of its change in the same direction', async () => {
    const r = await diffImages({ a: before.path, b: after.path, noCache: true });
    expect(r.directories.map((d) => [d.path, d.deltaBytes])).toEqual([
      ['app', 100_000],
      ['var/lib/apt/lists', 100_000],
      ['app/data', 60_000],
      ['opt/old', -50_000],
      ['opt/new', 48_000],
      ['srv', 1_000],
      ['srv/sub', -1_000],
    ]);
    // As analyze's --json: those left out that sort above the last row, biggest change first.
    expect(r.leftOutDirectories.map((d) => [d.path, d.deltaBytes])).toEqual([
      ['var', 101_000],
      ['var/lib', 101_000],
      ['var/lib/apt', 100_000],
      ['opt', -2_000],
    ]);
  });

  it('names only those above the rows a shorter list shows', async () => {
    const r = await diffImages({ a: before.path, b: after.path, noCache: true, top: 2 });
    expect(r.directories.map((d) => d.path)).toEqual(['app', 'var/lib/apt/lists']);
    expect(r.leftOutDirectories.map((d) => d.path)).toEqual(['var', 'var/lib', 'var/lib/apt']);
  });

  it('counts the directories a list cut to --top leaves out, and the reports say how many', async () => {
    // Given the 7 places above, cut to 2 rows: the list (in --json too) read as every directory that changed.
    const r = await diffImages({ a: before.path, b: after.path, noCache: true, top: 2 });
    expect(r.directoryCount).toBe(7);
    expect((await diffImages({ a: before.path, b: after.path, noCache: true })).directoryCount).toBe(7);
    const text = renderDiffText(r, { color: false, rows: 2, sections: ['directories'] }).split('\n');
    const last = text.findIndex((l) => l.endsWith('/var/lib/apt/lists'));
    expect(text[last + 1]).toBe('  …and 5 more (--top 7 lists all)');
    expect(renderDiffMarkdown(r, { rows: 2, sections: ['directories'] })).toContain(
      '…and 5 more (`--top 7` lists all).',
    );
    // Past a hundred, a --top one would type rather than every one of them (`--top 5563 lists all`: corpus
    // debian-base vs big), and the next step past a --top that asked for more rows already
    const many = { ...r, directoryCount: 5563 };
    expect(renderDiffText(many, { color: false, rows: 2, sections: ['directories'] })).toContain(
      '\n  …and 5,561 more (--top 100 lists the biggest 100)',
    );
    expect(renderDiffMarkdown(many, { rows: 2, sections: ['directories'] })).toContain(
      '…and 5,561 more (`--top 100` lists the biggest 100).',
    );
    // and it fits a narrow terminal, wrapped under its start
    const narrow = renderDiffText(many, { color: false, rows: 2, sections: ['directories'], width: 40 }).split('\n');
    const listed = narrow.slice(narrow.indexOf('Directories (biggest changes)'));
    expect(listed.length).toBeGreaterThan(2);
    expect(listed.filter((l) => l.length > 40)).toEqual([]);
    const hint = listed.findIndex((l) => l.startsWith('  …and'));
    expect(listed.slice(hint, hint + 2)).toEqual(['  …and 5,561 more (--top 100 lists the', '    biggest 100)']);
    expect(moreDirectoriesHint(100, 5563)).toEqual({ top: 1000, lists: 'lists the biggest 1,000' });
    expect(moreDirectoriesHint(1000, 5563)).toEqual({ top: 5563, lists: 'lists all' });
    expect(moreDirectoriesHint(10, 100)).toEqual({ top: 100, lists: 'lists all' });
    // With every one listed, no line
    const all = await diffImages({ a: before.path, b: after.path, noCache: true, top: 7 });
    expect(renderDiffText(all, { color: false, rows: 7, sections: ['directories'] })).not.toContain('…and');
    expect(renderDiffMarkdown(all, { rows: 7, sections: ['directories'] })).not.toContain('…and');
  });
});

describe('diff of the same layer on two bases', () => {
  // The app layer is the same tar on both sides but sits on different bases: it is read once, and applied to
  // each side's own state (its whiteout hides a file only B's base has).
  const app = layer({ 'app/main.js': 3000, 'etc/.wh.motd': WHITEOUT }, 'COPY . /app');
  let x: BuiltImage;
  let y: BuiltImage;
  beforeAll(async () => {
    x = await buildOciLayout([layer({ 'lib/libc.musl.so': 600, 'etc/issue': 'alpine' }, 'ADD alpine.tar /'), app]);
    y = await buildDockerArchive([
      layer({ 'lib/libc.so.6': 2000, 'etc/issue': 'debian', 'etc/motd': 'hello' }, 'ADD debian.tar /'),
      app,
      layer({ 'app/extra': 10 }),
    ]);
  });
  afterAll(() => {
    x?.cleanup();
    y?.cleanup();
  });

  it('reads the shared upper layer once and applies it to each side', async () => {
    const reads: string[] = [];
    const ix = await countReads(await openImage(x.path), reads);
    const iy = await countReads(await openImage(y.path), reads);
    try {
      const r = await diffOpened(ix, iy, {});
      expect(x.diffIds[1]).toBe(y.diffIds[1]);
      expect(reads.sort()).toEqual([x.diffIds[0], x.diffIds[1], y.diffIds[0], y.diffIds[2]].sort());
      expect(r.walk).toEqual({ sharedLayers: 0, layersRead: { a: 2, b: 2 } });
      expect(r.layers.shared.map((l) => [l.aIndex, l.bIndex])).toEqual([[1, 1]]);
      const [ax, ay] = await Promise.all([analyze({ image: x.path }), analyze({ image: y.path })]);
      expect(r.a.summary).toEqual(ax.summary);
      expect(r.b.summary).toEqual(ay.summary);
      expect(r.b.summary.wasted.deleted).toBe(5);
      expect(r.files.added.map((f) => f.path).sort()).toEqual(['app/extra', 'lib/libc.so.6']);
    } finally {
      await ix.close();
      await iy.close();
    }
  });
});

describe('diff of a rebuild: the same waste in layers of other digests', () => {
  // The same Dockerfile built twice without a cache (main against a PR in CI, or two builders): every layer holds
  // the same files, but its tar differs (here by mtime), so no diff_id is shared. A's waste is not new in B.
  const built = (at: string, toolBytes = 6000) => {
    const mtime = new Date(at);
    return [
      layer({ 'bin/sh': file(1000, { mtime }), 'opt/tool.tar': file(toolBytes, { mtime }) }, 'ADD rootfs.tar /'),
      layer({ 'app/out': file(300, { mtime }), 'opt/.wh.tool.tar': WHITEOUT }, 'RUN build && rm /opt/tool.tar'),
      layer({ 'etc/app.conf': file(Buffer.alloc(500, 'a'), { mtime }) }, 'COPY app.conf /etc/'),
      layer({ 'etc/app.conf': file(Buffer.alloc(500, 'b'), { mtime }) }, 'RUN sed -i s/a/b/ /etc/app.conf'),
    ];
  };
  const [first, again] = [built('2024-01-01T00:00:00Z'), built('2024-06-01T00:00:00Z')];
  const images: BuiltImage[] = [];
  const build = async (layers: LayerSpec[]) => {
    const image = await buildOciLayout(layers);
    images.push(image);
    return image;
  };
  afterAll(() => {
    for (const image of images) image.cleanup();
  });

  it.each([
    { name: 'the same image', b: () => first },
    { name: 'a rebuild of it', b: () => again },
    {
      name: 'a rebuild with a layer added below the waste',
      b: () => [again[0], layer({ 'usr/bin/curl': 800 }, 'RUN apt-get install curl'), ...again.slice(1)],
    },
  ])('finds no new waste in $name', async ({ b }) => {
    const [x, y] = [await build(first), await build(b())];
    const r = await diffImages({ a: x.path, b: y.path });
    expect(r.b.summary.wastedBytes).toBe(6500);
    if (b() !== first) expect(y.diffIds.filter((d) => x.diffIds.includes(d))).toEqual([]);
    expect(r.waste.newTotals).toEqual({ files: 0, bytes: 0 });
    expect(r.waste.newFiles).toEqual([]);
  });

  it("still finds a copy B adds of a path A wastes, in B's own layer", async () => {
    // Given a rebuild that overwrites the config once more: A wastes one 500-byte copy of it, B two
    const extra = layer({ 'etc/app.conf': file(Buffer.alloc(500, 'c')) }, 'RUN sed -i s/b/c/ /etc/app.conf');
    const [x, y] = [await build(first), await build([...again, extra])];
    const r = await diffImages({ a: x.path, b: y.path });
    // Then the new one is the copy the added layer hides, not the one at A's place
    expect(r.waste.newFiles).toEqual([
      { path: 'etc/app.conf', sizeBytes: 500, cause: 'overwrittenChanged', layer: 3, byLayer: 4 },
    ]);
    expect(r.waste.newTotals).toEqual({ files: 1, bytes: 500 });
  });

  // A rebuild on another day: the file deleted in both (apt's lists, a download) has another size. Its waste is not
  // new, only its size changed; the change is counted apart, and the story does not give it as where the growth went.
  const grown = built('2024-06-01T00:00:00Z', 66000);
  const resized = {
    path: 'opt/tool.tar',
    cause: 'deleted',
    layer: 0,
    byLayer: 1,
    beforeBytes: 6000,
    afterBytes: 66000,
    deltaBytes: 60000,
  };
  it.each([
    {
      name: 'the same path at another size',
      b: () => grown,
      newFiles: [],
      biggest: [],
    },
    {
      name: 'a copy B adds of that path',
      b: () => [
        ...grown,
        layer({ 'opt/tool.tar': 7000 }, 'ADD tool.tar /opt/'),
        layer({ 'opt/.wh.tool.tar': WHITEOUT }, 'RUN rm /opt/tool.tar'),
      ],
      newFiles: [{ path: 'opt/tool.tar', sizeBytes: 7000, cause: 'deleted', layer: 4, byLayer: 5 }],
      biggest: [{ path: 'opt/tool.tar', bytes: 7000, layers: [4] }],
    },
  ])('counts a wasted path A wastes at another size as resized, not new: $name', async ({ b, newFiles, biggest }) => {
    const [x, y] = [await build(first), await build(b())];
    const r = await diffImages({ a: x.path, b: y.path });
    expect(r.waste.deltaBytes).toBe(r.b.summary.wastedBytes - r.a.summary.wastedBytes);
    expect(r.waste.newFiles).toEqual(newFiles);
    expect(r.waste.resizedFiles).toEqual([resized]);
    expect(r.waste.resizedTotals).toEqual({ files: 1, deltaBytes: 60000 });
    // The waste changed by the resize plus the new copies: the story names the new ones only
    expect(r.waste.deltaBytes).toBe(60000 + r.waste.newTotals.bytes);
    expect(r.explainingWaste).toEqual({ deltaBytes: r.waste.deltaBytes, biggest });
  });
});

describe('diff of junk that A holds only as empty files', () => {
  // A base image ships apt's empty lock file under /var/cache/apt: the class has a file in A but no bytes. The 225 MB
  // of .debs B leaves there are as new as junk gets, and must be told so (with its advice) like any other new class.
  let x: BuiltImage;
  let y: BuiltImage;
  beforeAll(async () => {
    const root = layer({ 'bin/sh': 1000, 'var/cache/apt/archives/lock': '' }, 'ADD rootfs.tar /');
    x = await buildOciLayout([root]);
    y = await buildOciLayout([root, layer({ 'var/cache/apt/archives/curl.deb': 5000 }, 'RUN apt-get install curl')]);
  });
  afterAll(() => {
    x?.cleanup();
    y?.cleanup();
  });

  it('calls a class new in B when A has none of its bytes', async () => {
    const r = await diffImages({ a: x.path, b: y.path });
    expect(r.waste.junk.find((j) => j.id === 'aptCache')).toMatchObject({
      new: true,
      a: { files: 1, bytes: 0 },
      b: { files: 2, bytes: 5000 },
      deltaBytes: 5000,
    });
  });
});

describe('diff of apk images', () => {
  const apk = (pkgs: [string, string, string[]][]) =>
    pkgs
      .map(
        ([name, version, files]) =>
          `P:${name}\nV:${version}\n${files.map((f) => `F:${f.slice(0, f.lastIndexOf('/'))}\nR:${f.slice(f.lastIndexOf('/') + 1)}`).join('\n')}\n`,
      )
      .join('\n');
  let x: BuiltImage;
  let y: BuiltImage;
  beforeAll(async () => {
    const root = layer({
      'lib/ld-musl-x86_64.so.1': 600,
      'bin/busybox': 800,
      'lib/apk/db/installed': apk([
        ['musl', '1.2.4-r2', ['lib/ld-musl-x86_64.so.1']],
        ['busybox', '1.36.1-r5', ['bin/busybox']],
      ]),
    });
    x = await buildOciLayout([root]);
    y = await buildOciLayout([
      root,
      layer({
        'lib/ld-musl-x86_64.so.1': 650,
        'usr/bin/curl': 300,
        'lib/apk/db/installed': apk([
          ['musl', '1.2.5-r0', ['lib/ld-musl-x86_64.so.1']],
          ['busybox', '1.36.1-r5', ['bin/busybox']],
          ['curl', '8.5.0-r0', ['usr/bin/curl']],
        ]),
      }),
    ]);
  });
  afterAll(() => {
    x?.cleanup();
    y?.cleanup();
  });

  it('finds the added and upgraded apk packages', async () => {
    const r = await diffImages({ a: x.path, b: y.path });
    expect(r.packages.added.map((p) => [p.manager, p.name, p.version, p.bytes])).toEqual([
      ['apk', 'curl', '8.5.0-r0', 300],
    ]);
    expect(r.packages.changed.map((c) => [c.manager, c.name, c.aVersion, c.bVersion, c.deltaBytes])).toEqual([
      ['apk', 'musl', '1.2.4-r2', '1.2.5-r0', 50],
    ]);
    expect(r.packages.managers.apk).toEqual({
      a: { packages: 2, bytes: 1400 },
      b: { packages: 3, bytes: 1750 },
      added: 1,
      removed: 0,
      changed: 1,
      deltaBytes: 350,
    });
    expect(r.packages.removed).toEqual([]);
  });
});

describe('ignoreFilter', () => {
  it('leaves out a name holding a newline under an ignored directory', () => {
    // `--ignore /data` (and data/**) kept /data/two\nlines while it left out every other name below /data
    const ignored = ignoreFilter(['/data']);
    expect(ignored('data/two\nlines')).toBe(true);
    expect(ignored('data/plain')).toBe(true);
    expect(ignoredBy('data/**')('data/a\nb/c')).toBe(true);
    expect(ignored('database')).toBe(false);
  });
});

const ignoredBy = (glob: string) => ignoreFilter([glob]);
