// The one-sentence story of a diff names the directories that explain the change: the deepest ones carrying a
// tenth of the biggest change or more, package folders kept whole, and a directory above them with the rest of its
// change when that rest carries as much.
import { randomBytes } from 'node:crypto';
import type { DirectoryDelta } from '../../src/analysis/compare.js';
import { explainingDirectories } from '../../src/analysis/compare.js';
import { renderDiffMarkdown } from '../../src/reporters/diff-markdown.js';
import { diffStory, renderDiffText } from '../../src/reporters/diff-text.js';
import { columns } from '../../src/report/text.js';
import { diffImages } from '../../src/services/diff.js';
import { buildDockerArchive, buildOciLayout, DIR, layer, WHITEOUT } from '../helpers/image-builder.js';
import { formatBytes } from '../../src/report/figures.js';

const dir = (path: string, deltaBytes: number): DirectoryDelta => ({
  path,
  deltaBytes,
  aBytes: 0,
  bBytes: Math.max(0, deltaBytes),
  aFiles: 0,
  bFiles: 0,
});
const paths = (list: DirectoryDelta[]) => list.map((d) => d.path);

describe('explainingDirectories', () => {
  it('splits a top directory whose change sits in two subtrees', () => {
    const dirs = [
      dir('var', 181e6),
      dir('var/cache', 93.7e6),
      dir('var/cache/apt', 92.9e6),
      dir('var/lib', 87.6e6),
      dir('var/lib/apt', 87.3e6),
      dir('var/lib/apt/lists', 87.3e6),
      dir('var/cache/apt/archives', 12.9e6),
      dir('app', 8.4e6),
    ];
    expect(paths(explainingDirectories(dirs))).toEqual(['var/cache/apt', 'var/lib/apt/lists']);
  });

  it('keeps node_modules whole and ignores changes in the other direction', () => {
    const dirs = [
      dir('usr', 80e3),
      dir('usr/lib', 80e3),
      dir('usr/lib/node_modules', 80e3),
      dir('usr/lib/node_modules/express', 60e3),
      dir('usr/lib/node_modules/debug', 20e3),
      dir('tmp', -30e3),
    ];
    expect(paths(explainingDirectories(dirs))).toEqual(['usr/lib/node_modules']);
  });

  it('names only directories that moved the way the image did, and none too small to explain it', () => {
    // B deletes files in a later layer: the image grew 10 kB while /del and /opt shrank
    const dirs = [dir('del', -3000), dir('opt', -2990), dir('weird', 24)];
    expect(paths(explainingDirectories(dirs, { sign: 1, whole: 10_200 }))).toEqual([]);
    expect(paths(explainingDirectories(dirs, { sign: -1, whole: -10_200 }))).toEqual(['del', 'opt']);
  });

  it('keeps a parent whose own files carry enough beside a child that qualifies, as the rest of it', () => {
    // /usr/lib grew 90 kB: 40 kB in node_modules and 50 kB in its own files
    const dirs = [
      dir('usr', 90e3),
      dir('usr/lib', 90e3),
      dir('usr/lib/node_modules', 40e3),
      dir('usr/lib/node_modules/express', 40e3),
    ];
    const explaining = explainingDirectories(dirs);
    expect(explaining.map((d) => [d.path, d.rest])).toEqual([
      ['usr/lib', { deltaBytes: 50e3, except: ['usr/lib/node_modules'] }],
      ['usr/lib/node_modules', undefined],
    ]);
    // A parent whose own part is small is still left to its children
    expect(paths(explainingDirectories([dir('usr/lib', 42e3), dir('usr/lib/node_modules', 40e3)]))).toEqual([
      'usr/lib/node_modules',
    ]);
  });

  it('counts a kept child left out by the limit back into its parent', () => {
    const dirs = [dir('a', 100), dir('b', 40), dir('c', 30), dir('a/x', 15), dir('a/y', 15)];
    // a's own 70 B, b and c come first; a/x and a/y are cut by the limit of three, so a is named whole
    const explaining = explainingDirectories(dirs);
    expect(explaining.map((d) => [d.path, d.rest])).toEqual([
      ['a', undefined],
      ['b', undefined],
      ['c', undefined],
    ]);
  });

  it('names at most three, biggest first, and nothing when nothing changed', () => {
    const dirs = [dir('a', -100), dir('a/x', -40), dir('a/y', -30), dir('a/z', -20), dir('a/w', -10)];
    expect(paths(explainingDirectories(dirs))).toEqual(['a/x', 'a/y', 'a/z']);
    expect(explainingDirectories([])).toEqual([]);
  });
});

describe('diffStory', () => {
  it('tells the bytes a directory adds beside a named subfolder as the rest of it', async () => {
    // Given B adding a 50 kB library to /usr/lib and a 40 kB Node package below it
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([
      layer(
        {
          'etc/hostname': 'a\n',
          'usr/lib/libbig.so': 50_000,
          'usr/lib/node_modules/express/package.json': '{"name":"express","version":"4.19.2"}',
          'usr/lib/node_modules/express/index.js': 40_000,
        },
        'ADD b.tar /',
      ),
    ]);
    try {
      const story = diffStory(await diffImages({ a: before.path, b: after.path, noCache: true }));
      // Then both halves are told, neither counted twice, the package placed in node_modules only
      expect(story).toMatch(
        /: \+50\.0 kB in the rest of \/usr\/lib, \+40\.0 kB in \/usr\/lib\/node_modules \(1 node package added\)/,
      );
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it("names the manager of the packages it counts in a directory: dpkg's are not placed there, so not counted", async () => {
    // Given B adding a dpkg package (its bytes spread over /usr/share) and a Node one under /usr/share/nodejs:
    // only the Node package has a location there.
    const status = (names: string[]) =>
      names.map((n) => `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n`).join('\n');
    const docs = Array.from({ length: 20 }, (_, i) => `usr/share/libbig${i}/data`);
    const before = await buildOciLayout([layer({ 'var/lib/dpkg/status': status(['base-files']) }, 'ADD a.tar /')]);
    const after = await buildOciLayout([
      layer(
        {
          'var/lib/dpkg/status': status(['base-files', 'libbig']),
          'var/lib/dpkg/info/libbig.list': docs.map((d) => `/${d}\n`).join(''),
          ...Object.fromEntries(docs.map((d) => [d, 5000])),
          'usr/share/nodejs/npm/node_modules/express/package.json': '{"name":"express","version":"4.19.2"}',
          'usr/share/nodejs/npm/node_modules/express/index.js': 8000,
        },
        'ADD b.tar /',
      ),
    ]);
    try {
      const story = diffStory(await diffImages({ a: before.path, b: after.path, noCache: true }));
      // Not "(1 package added)": two were, and the one counted must not read as the dpkg one. Nor "(1 node package
      // added)": its 8 kB are a small share of the 108 kB, which the dpkg package's files make; so its bytes are said.
      expect(story).toMatch(/\+108 kB in \/usr\/share \(8\.04 kB of it in 1 node package added\)/);
      expect(story).toMatch(/packages dpkg: 1 added; node: 1 added$/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('accounts for the wasted bytes too: written by one layer, deleted or replaced by a later one', async () => {
    // Given B growing by 60 kB of files and 300 kB of bytes a later layer deletes or writes again
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([
      layer({ 'etc/hostname': 'a\n', 'usr/lib/libsmall.so': 60_000, 'opt/tool.tar': 250_000 }, 'ADD b.tar /'),
      layer({ 'opt/.wh.tool.tar': WHITEOUT }, 'RUN rm /opt/tool.tar'),
      layer({ 'app/model.bin': 50_000 }, 'RUN gen 1'),
      layer({ 'app/model.bin': 50_001 }, 'RUN gen 2'),
    ]);
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true });
      const story = diffStory(result);
      // Then the story names the waste with its biggest path and layer, besides the directories
      expect(story).toMatch(
        /\+300 kB wasted \(written by one layer, deleted or replaced by a later one: \/opt\/tool\.tar 250 kB in L0; /,
      );
      expect(story).toMatch(/\/app\/model\.bin 50\.0 kB in L2\)/);
      expect(story).toMatch(/\+60\.0 kB in \/usr\/lib/);
      // And --json holds the same numbers
      expect(result.explainingWaste).toEqual({
        deltaBytes: 300_000,
        biggest: [
          { path: 'opt/tool.tar', bytes: 250_000, layers: [0] },
          { path: 'app/model.bin', bytes: 50_000, layers: [2] },
        ],
      });
      // What is left (tar headers) is under a quarter of the growth: not said
      expect(result.unexplainedBytes).toBe(result.growth.bytes - 300_000 - 60_000 - 50_001);
      expect(story).not.toContain('not explained');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('says the rest shrank, not that a negative amount is unexplained, when the named items exceed the growth', async () => {
    // Given B replacing a 100 kB directory with a 130 kB one: the new one alone is more than the growth
    const before = await buildOciLayout([layer({ 'old/data': 100_000 }, 'ADD a.tar /')]);
    const after = await buildOciLayout([layer({ 'new/data': 130_000 }, 'ADD b.tar /')]);
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true });
      const story = diffStory(result);
      expect(result.explaining.map((d) => d.path)).toEqual(['new']);
      expect(result.unexplainedBytes).toBe(result.growth.bytes - 130_000);
      expect(story).toMatch(/: \+130 kB in \/new; -\d+(\.\d+)? kB elsewhere \(what shrank\)$/);
      expect(story).not.toContain('not explained');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('says how much the named items leave unexplained when they cover less than three quarters', async () => {
    // Given B adding eight directories of 20 kB each: only the three biggest are named
    const dirs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`d${i}/data`, 20_000 + i]));
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([layer({ 'etc/hostname': 'a\n', ...dirs }, 'ADD b.tar /')]);
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true });
      const story = diffStory(result);
      expect(result.explaining.map((d) => d.path)).toEqual(['d7', 'd6', 'd5']);
      expect(result.explainingWaste).toBeNull();
      const named = 20_007 + 20_006 + 20_005;
      expect(result.unexplainedBytes).toBe(result.growth.bytes - named);
      expect(story).toMatch(/, \+20\.0 kB in \/d5; \+\d+(\.\d+)? kB in other directories and tar headers$/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('measured in final file bytes, leaves no part of the rest to tar headers, which hold none of them', async () => {
    // Given the same eight directories of 20 kB each, the growth measured on the files alone
    const dirs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`d${i}/data`, 20_000 + i]));
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([layer({ 'etc/hostname': 'a\n', ...dirs }, 'ADD b.tar /')]);
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true, growthMetric: 'files' });
      // Then the rest is the five directories not named, to the byte, and said as such
      const rest = 20_000 + 20_001 + 20_002 + 20_003 + 20_004;
      expect(result.unexplainedBytes).toBe(rest);
      const story = diffStory(result);
      expect(story.endsWith(`, +20.0 kB in /d5; +${formatBytes(rest)} in other directories`)).toBe(true);
      expect(story).not.toContain('tar headers');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('measured compressed, gives the uncompressed change the names are sized against', async () => {
    // Given B adding a directory of random bytes: its files are named by their uncompressed size
    const data = Array.from({ length: 4 }, (_, i) => [`srv/data/${i}.bin`, randomBytes(30_000)]);
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([
      layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /'),
      layer(Object.fromEntries(data), 'COPY data /srv/data'),
    ]);
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true, growthMetric: 'compressed' });
      const story = diffStory(result);
      expect(result.growth.bytes).toBe(result.delta.compressedBytes);
      const uncompressed = `+${formatBytes(result.delta.uncompressedBytes)} uncompressed`;
      // Against a tiny A the change is a multiple of its size (`1,230x`), not a percentage
      expect(story).toContain(`x) compressed (${uncompressed}): +120 kB in /srv/data`);
      // Measured uncompressed, the change itself is the names' measure: nothing more is said.
      const plain = diffStory(await diffImages({ a: before.path, b: after.path, noCache: true }));
      expect(plain).not.toContain('uncompressed)');
      expect(plain).toMatch(/x\) uncompressed: \+120 kB in \/srv\/data/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('claims nothing unexplained when it names nothing (a layer holding only a directory)', async () => {
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([
      layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /'),
      layer({ 'srv/': DIR }, 'RUN mkdir /srv'),
    ]);
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(result.unexplainedBytes).toBe(result.growth.bytes);
      expect(diffStory(result)).toMatch(/^this change grew the image by [\d.]+ kB \(\+[\d.]+%\) uncompressed$/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('says an image compared with itself, or with a copy stored another way, is one image', async () => {
    const spec = [layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')];
    const oci = await buildOciLayout(spec);
    const archive = await buildDockerArchive(spec);
    try {
      const self = await diffImages({ a: oci.path, b: oci.path, noCache: true });
      expect(diffStory(self)).toBe(
        `A and B are the same image (${self.a.image.imageId!.slice(0, 19)}): nothing differs`,
      );
      // The docker-save copy holds the same config and layers, uncompressed: its size there is its tar size, and
      // marked as such, as in the Size table
      const copy = await diffImages({ a: oci.path, b: archive.path, noCache: true });
      expect(diffStory(copy)).toBe(
        `A and B are the same image (${copy.a.image.imageId!.slice(0, 19)}), stored differently: compressed ` +
          `${formatBytes(copy.a.summary.compressedBytes)} -> ${formatBytes(copy.b.summary.compressedBytes)} (stored uncompressed)`,
      );
      // In Markdown the digest is a code span of its own (a hex word GitHub would link), not with the brackets and
      // the comma around it, and the arrow is the report's
      const id = `\`${copy.a.image.imageId!.slice(0, 19)}\``;
      expect(renderDiffMarkdown(self).split('\n')[2]).toBe(`A and B are the same image (${id}): nothing differs.`);
      expect(renderDiffMarkdown(copy).split('\n')[2]).toBe(
        `A and B are the same image (${id}), stored differently: compressed ` +
          `${formatBytes(copy.a.summary.compressedBytes)} → ${formatBytes(copy.b.summary.compressedBytes)} (stored uncompressed).`,
      );
    } finally {
      oci.cleanup();
      archive.cleanup();
    }
  });

  it('names what changed when the size did not: files, packages, config', async () => {
    // Given B rewriting a file with as many bytes, upgrading a package to a version as long, and setting another ENV
    const dpkg = (version: string) =>
      `Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`;
    const before = await buildOciLayout(
      [layer({ 'etc/conf': 'a\n', 'var/lib/dpkg/status': dpkg('2.36-8') }, 'ADD a.tar /')],
      { config: { Env: ['MODE=a'] } },
    );
    const after = await buildOciLayout(
      [layer({ 'etc/conf': 'b\n', 'var/lib/dpkg/status': dpkg('2.36-9') }, 'ADD a.tar /')],
      { config: { Env: ['MODE=b'] } },
    );
    try {
      const result = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(result.growth.bytes).toBe(0);
      expect(diffStory(result)).toBe(
        'this change did not change the image size (uncompressed): files: 2 changed; packages dpkg: 1 changed; config: 1 difference',
      );
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff text report, at the terminal width', () => {
  it.each([60, 80])(
    'keeps every line within %i columns, wrapping the headline and cutting the cells',
    async (width) => {
      const deep = 'app/node_modules/some-long-package-name/lib/deeply/nested/module-file-name.js';
      const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /')], {
        config: { Labels: { 'org.opencontainers.image.description': 'the first image of a pair compared in a test' } },
      });
      const after = await buildOciLayout(
        [
          layer({ 'etc/hostname': 'a\n', 'usr/lib/libsmall.so': 60_000, [deep]: 250_000 }, 'ADD b.tar /'),
          layer(
            { [deep]: 250_001 },
            'RUN python3 tools/generate.py --seed 2 --output app/node_modules/some-long-package',
          ),
        ],
        {
          config: {
            Labels: { 'org.opencontainers.image.description': 'the second image, with a description as long' },
          },
        },
      );
      try {
        const result = await diffImages({ a: before.path, b: after.path, noCache: true });
        const text = renderDiffText(result, { color: false, width });
        // But for a path wider than a line: whole, on a line of its own (broken, it copied as two paths)
        expect(text.split('\n').filter((l) => columns(l) > width && !/^ *\S+$/.test(l))).toEqual([]);
        expect(text).toContain(`/${deep}`);
        // The headline wrapped, not cut: every character of it is there, its further lines indented.
        const solid = (t: string) => t.replace(/\s+/g, '');
        expect(solid(text)).toContain(solid(diffStory(result)));
        // (it follows the first blank line: each side's header takes as many lines as its path needs)
        const lines = text.split('\n');
        expect(lines[lines.indexOf('') + 2]).toMatch(/^ {2}\S/);
        // The wasted copy's path is cut beside its row where 40 columns or more are left for it (80), else it goes
        // under the row (60), cut to the line there
        expect(text).toMatch(
          width === 80
            ? / {2}L0 hidden by L1 {2}\/app\/.*….*name\.js$/m
            : / {2}L0 hidden by L1\n {4}\/app\/.*….*name\.js$/m,
        );
      } finally {
        before.cleanup();
        after.cleanup();
      }
    },
  );
});

// Regression: a changed file's path was cut to no less than 16 columns with what changed beside it, so at 60 a mode
// change (`mode 0644 -> 0600 (6 B, same content)`) made a row of 67.
describe('diff text report, its Files rows at the terminal width', () => {
  it.each([
    // [width, the row, the line under it]
    [
      60,
      /^m {2,}0 B {2}\/etc\/a-rather-long-directory-name\/debian_version$/,
      /^ {2,}mode 0644 -> 0600 \(6 B, same content\)$/,
    ],
    [80, /^m {2,}0 B {2}\/etc\/.*_version mode 0644 -> 0600 \(6 B, same content\)$/, /^$/],
  ] as const)(
    'keeps them within %i columns, what changed under the path when not beside it',
    async (width, row, under) => {
      const path = 'etc/a-rather-long-directory-name/debian_version';
      const before = await buildOciLayout([layer({ [path]: { kind: 'file', content: '12.10\n', mode: 0o644 } })]);
      const after = await buildOciLayout([layer({ [path]: { kind: 'file', content: '12.10\n', mode: 0o600 } })]);
      try {
        const text = renderDiffText(await diffImages({ a: before.path, b: after.path, noCache: true }), {
          color: false,
          width,
          sections: ['files'],
        });
        const lines = text.split('\n');
        expect(lines.filter((line) => columns(line) > width)).toEqual([]);
        const at = lines.findIndex((line) => line.startsWith('m '));
        expect(lines[at]).toMatch(row);
        expect(lines[at + 1] ?? '').toMatch(under);
      } finally {
        before.cleanup();
        after.cleanup();
      }
    },
  );
});

// Regression: the Packages and Junk tables kept their 68-75 columns at any width, so at 60 each of their rows wrapped.
describe('diff text report, its Packages and Junk tables at the terminal width', () => {
  const status = (names: string[]) =>
    names
      .map((n) => `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${VERSIONS[n]}\n`)
      .join('\n');
  const VERSIONS: Record<string, string> = {
    'base-files': '12.4+deb12u9',
    'libsasl2-modules-gssapi-heimdal': '2.1.28+dfsg-10+deb12u1',
    openssl: '3.0.22-1~deb12u2',
  };
  const files = (name: string, path: string, bytes: number) => ({
    [`var/lib/dpkg/info/${name}.list`]: `/${path}\n`,
    [path]: bytes,
  });
  const base = files('base-files', 'usr/share/base-files/data', 1_000_000);

  it.each([
    // [width, the manager table's columns, the package line]: the columns that fit stay as they were
    [
      60,
      ['Manager', 'A', 'B', 'Delta', 'Added', 'Removed'],
      '+  dpkg  +1.00 MB  libsasl2-modu…mdal 2.1.28+dfsg-10+deb12u1',
    ],
    [80, ['Manager', 'A', 'B', 'Delta', 'Added', 'Removed', 'Changed'], ''],
    [100, ['Manager', 'A', 'B', 'Delta', 'Added', 'Removed', 'Changed'], ''],
  ] as const)('keeps them within %i columns', async (width, header, cut) => {
    const before = await buildOciLayout([
      layer(
        { 'var/lib/dpkg/status': status(['base-files']), ...base, 'usr/share/doc/tool/changelog': 1_000_000 },
        'ADD a.tar /',
      ),
    ]);
    const after = await buildOciLayout([
      layer(
        {
          'var/lib/dpkg/status': status(Object.keys(VERSIONS)),
          ...base,
          'usr/share/doc/tool/changelog': 1_500_000,
          ...files('libsasl2-modules-gssapi-heimdal', 'usr/lib/sasl2/libgs2.so', 1_000_000),
          ...files('openssl', 'usr/bin/openssl', 30_000),
          'var/cache/apt/archives/openssl_3.0.22-1~deb12u2_amd64.deb': 2_000_000,
          'usr/lib/python3/dist-packages/__pycache__/module.cpython-311.pyc': 30_000,
        },
        'ADD b.tar /',
      ),
    ]);
    try {
      const text = renderDiffText(await diffImages({ a: before.path, b: after.path, noCache: true }), {
        color: false,
        width,
        sections: ['packages', 'waste'],
      });
      const lines = text.split('\n');
      expect(lines.filter((line) => columns(line) > width)).toEqual([]);
      expect(lines[lines.indexOf('Packages') + 1].split(/\s+/)).toEqual(header);
      // The name keeps its start and the version its end
      expect(lines).toContain(cut || '+  dpkg  +1.00 MB  libsasl2-modules-gssapi-heimdal 2.1.28+dfsg-10+deb12u1');
      // The rows keep their sizes; "new in B" (A's 0 B says as much) goes first, then the end of a title
      expect(text).toMatch(/^apt cache and downloaded \.debs {2,}0 B {2,}2\.00 MB {2,}\+2\.00 MB/m);
      expect(/ {2}new in B$/m.test(text)).toBe(width > 60);
      expect(text).toMatch(
        width > 60 ? /^Python bytecode \(__pycache__, \.pyc\) {2}/m : /^Python bytecode \(__pycache__,[^)]*… {2}/m,
      );
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});
