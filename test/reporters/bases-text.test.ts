// The side-by-side table of `ballast bases` explains its marks only when a cell carries one.
import { renderBasesMarkdown } from '../../src/reporters/bases-markdown.js';
import { renderBasesText } from '../../src/reporters/bases-text.js';
import { bases } from '../../src/services/bases.js';
import { buildDockerArchive, buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

const DEBIAN = layer(
  { 'etc/debian_version': '12.5\n', 'lib/libc.so.6': 40_000, 'bin/sh': 1000 },
  "# debian.sh --arch 'amd64' out/ 'bookworm' '@1706745600'",
);

let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  a = await buildOciLayout([DEBIAN], { config: { User: 'app', Cmd: ['/bin/sh'] } });
  b = await buildOciLayout([DEBIAN, layer({ 'app/main': 5000 }, 'RUN apt-get install -y curl')], {
    config: { User: 'app', Cmd: ['/bin/sh'] },
  });
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

describe('bases reporters', () => {
  it('leave out the "?" legend when no cell is guessed', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    const text = renderBasesText(r, { color: false });
    expect(text).not.toMatch(/\?/);
    expect(renderBasesMarkdown(r)).not.toContain('guessed from the name');
  });

  it('explain it when one is: after a value, guessed from the name; alone, unknown', async () => {
    // Given an image whose metadata and name tell nothing, and one whose OS only its name tells.
    const bare = await buildDockerArchive([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], { repoTags: ['app:1'] });
    const named = await buildDockerArchive([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      repoTags: ['debian:12'],
    });
    try {
      const unknown = await bases({ images: [a.path, bare.path], noCache: true });
      // (the legend's line, under the table: a docker save's row has a note below it)
      expect(renderBasesText(unknown, { color: false })).toMatch(/^\? alone: unknown$/m);
      expect(renderBasesMarkdown(unknown)).not.toContain('guessed from the name');
      const guessed = await bases({ images: [a.path, `${named.path}:debian:12`], noCache: true });
      const text = renderBasesText(guessed, { color: false });
      expect(text).toMatch(/ debian\? /);
      // And the legend says it was not read, and how to read it
      expect(text).toMatch(/^\? guessed from the name, not read from the image \(--deep reads the files\)/m);
      expect(renderBasesMarkdown(guessed)).toContain(
        '`?`: guessed from the name, not read from the image (`--deep` reads the files).',
      );
    } finally {
      bare.cleanup();
      named.cleanup();
    }
  });

  // The legend said "guessed from the name" of an image named app:1 whose OS came from the base image it records.
  it('say the guess came from the recorded base image when it did', async () => {
    const labelled = await buildDockerArchive([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      repoTags: ['app:1'],
      config: { Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:12' } },
    });
    try {
      const r = await bases({ images: [a.path, labelled.path], noCache: true });
      const text = renderBasesText(r, { color: false });
      expect(text).toMatch(/ debian\? /);
      expect(text).toMatch(
        /^\? guessed from the base image's name it records \(org\.opencontainers\.image\.base\.name\), not read from the image/m,
      );
      expect(renderBasesMarkdown(r)).toContain(
        "`?`: guessed from the base image's name it records (`org.opencontainers.image.base.name`), not read from the image",
      );
    } finally {
      labelled.cleanup();
    }
  });

  // An app titled api-slim was shown as Debian, certain: `slim` in a label says nothing of the OS; a base image's
  // name that says Debian still does, as a guess. And the legend under the table fits the terminal's width.
  it('read no OS from `slim` in a title, a guess from a recorded base debian:bookworm-slim, the legend wrapped', async () => {
    const titled = await buildDockerArchive([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      repoTags: ['app:1'],
      config: { Labels: { 'org.opencontainers.image.title': 'api-slim' } },
    });
    const based = await buildDockerArchive([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      repoTags: ['app:2'],
      config: {
        Labels: {
          'org.opencontainers.image.title': 'api-slim',
          'org.opencontainers.image.base.name': 'docker.io/library/debian:bookworm-slim',
        },
      },
    });
    try {
      const r = await bases({ images: [titled.path, based.path], noCache: true });
      const os = (path: string) => r.candidates.find((c) => c.reference.startsWith(path))?.os;
      expect(os(titled.path)).toBeNull();
      expect(os(based.path)).toEqual({ value: 'debian', source: 'base-name' });
      const text = renderBasesText(r, { color: false, width: 200 });
      expect(text).not.toMatch(/ debian /);
      expect(text).toMatch(/ debian\? /);
      const narrow = renderBasesText(r, { color: false, width: 80 }).split('\n');
      for (const line of narrow) expect(line.length).toBeLessThanOrEqual(80);
      const at = narrow.findIndex((l) => l.startsWith('? guessed from'));
      const legend = [narrow[at]];
      for (let i = at + 1; narrow[i]?.startsWith('  '); i++) legend.push(narrow[i]);
      expect(legend.length).toBeGreaterThan(1);
      expect(legend.map((l) => l.trim()).join(' ')).toBe(
        "? guessed from the base image's name it records (org.opencontainers.image.base.name), not read from the image (--deep reads the files) · ? alone: unknown",
      );
    } finally {
      titled.cleanup();
      based.cleanup();
    }
  });

  // An Alpine image titled debian-tools was shown as Debian, certain. A word in a title is a guess, said as one; the
  // image's history, and with --deep its /etc/os-release, beat it.
  it('take a word in a title for a guess, after the history and the os-release', async () => {
    const Labels = { 'org.opencontainers.image.title': 'debian-tools' };
    const titled = await buildDockerArchive([layer({ 'bin/sh': 1000 }, 'ADD rootfs.tar /')], {
      repoTags: ['app:1'],
      config: { Labels },
    });
    const alpine = await buildDockerArchive(
      [
        layer(
          { 'bin/sh': 1000, 'etc/os-release': 'ID=alpine\n', 'lib/ld-musl-x86_64.so.1': 1000 },
          'ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit',
        ),
      ],
      { repoTags: ['app:2'], config: { Labels } },
    );
    const released = await buildDockerArchive(
      [layer({ 'bin/sh': 1000, 'etc/os-release': 'ID=alpine\n' }, 'ADD rootfs.tar /')],
      { repoTags: ['app:3'], config: { Labels } },
    );
    try {
      const r = await bases({ images: [titled.path, alpine.path], noCache: true });
      const os = (path: string) => r.candidates.find((c) => c.reference.startsWith(path))?.os;
      expect(os(titled.path)).toEqual({ value: 'debian', source: 'label-text' });
      expect(os(alpine.path)).toEqual({ value: 'alpine', source: 'history' });
      const text = renderBasesText(r, { color: false, width: 200 });
      expect(text).toMatch(/ debian\? /);
      expect(text).toMatch(/^\? guessed from a word in a label \(a title, a description\), not read from the image/m);
      expect(renderBasesMarkdown(r)).toContain(
        '`?`: guessed from a word in a label (a title, a description), not read from the image',
      );
      const deep = await bases({ images: [titled.path, released.path], noCache: true, deep: true });
      expect(deep.candidates.find((c) => c.reference.startsWith(released.path))?.os).toEqual({
        value: 'alpine',
        source: 'files',
      });
    } finally {
      titled.cleanup();
      alpine.cleanup();
      released.cleanup();
    }
  });

  it('group the counts of --deep by thousands, as analyze does', async () => {
    const many = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`data/f${i}`, 'x']));
    const big = await buildOciLayout([DEBIAN, layer(many, 'COPY data /data')], { config: { User: 'app' } });
    try {
      const r = await bases({ images: [a.path, big.path], noCache: true, deep: true });
      expect(renderBasesText(r, { color: false })).toMatch(/ 1,203 /);
      expect(renderBasesMarkdown(r)).toContain('| 1,203 |');
    } finally {
      big.cleanup();
    }
  });

  it('wrap a long note onto lines indented under it, its ending kept', async () => {
    // Cut to the terminal, a libc note lost what it means for the user: `rebuild them`
    const r = await bases({ images: [a.path, b.path], noCache: true });
    const message =
      'musl (going by its name) instead of glibc: native modules and prebuilt binaries built against glibc would not load; rebuild them (--deep reads the libc from the files)';
    r.candidates[1].caveats = [{ kind: 'libc', message }];
    const lines = renderBasesText(r, { color: false, width: 60 }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('    ! musl'));
    const note = [lines[at]];
    for (let i = at + 1; lines[i]?.startsWith('      ') && !lines[i].startsWith('       '); i++) note.push(lines[i]);
    expect(note.length).toBeGreaterThan(1);
    expect(note.every((l) => l.length <= 60)).toBe(true);
    expect(note.map((l) => l.trim().replace(/^! /, '')).join(' ')).toBe(message);
  });

  // Regression: the aliases of a candidate given under several paths stood on one line, 113 columns at 60.
  it.each([60, 80])('wrap the other paths of one image to %i columns, each path whole', async (width) => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    const long = '/tmp/a-rather-long-directory-name-for-images/nested-one-more/bloated.docker-classic.tar';
    r.candidates[1].aliases = [long, '/tmp/images/bloated.tar'];
    const lines = renderBasesText(r, { color: false, width }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('    same image as'));
    // But for a path wider than a line: whole, on a line of its own (broken, it copied as two paths)
    expect(lines.filter((l) => l.length > width && !/^ *\S+$/.test(l))).toEqual([]);
    expect(lines.slice(at, at + 3)).toEqual(['    same image as', `      ${long},`, '      /tmp/images/bloated.tar']);
  });

  it('name an image left out under several tags once, the other tags as the same image', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    r.skipped = [
      {
        reference: 'reg/node:20-slim',
        reason: 'reg/node:20-slim is a single-platform linux/amd64 image, not linux/arm64',
        aliases: ['reg/node:20-slim-bookworm'],
      },
      { reference: 'reg/node:20-alpine', reason: 'no such tag' },
    ];
    const text = renderBasesText(r, { color: false });
    expect(text).toContain(
      '  reg/node:20-slim is a single-platform linux/amd64 image, not linux/arm64\n    same image as reg/node:20-slim-bookworm\n  reg/node:20-alpine: no such tag',
    );
    expect(renderBasesMarkdown(r)).toContain(
      '\n  - same image as `reg/node:20-slim-bookworm`\n- `reg/node:20-alpine`:',
    );
  });

  // At 60 columns the "same image as" line of a tag not compared was cut at its end, its last tag lost.
  it('wrap the tags of an image not compared that are the same image, under their label, each whole', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    const tags = ['registry.example.com/team/node:20.11.1-bookworm-slim', 'registry.example.com/team/node:20-slim'];
    r.skipped = [{ reference: 'reg/node:20-slim', reason: 'no such tag', aliases: tags }];
    const lines = renderBasesText(r, { color: false, width: 60 }).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    const at = lines.indexOf('  reg/node:20-slim: no such tag');
    expect(lines.slice(at + 1, at + 4)).toEqual(['    same image as', `      ${tags[0]},`, `      ${tags[1]}`]);
  });

  // At 60 columns an image named by a path of 58 columns stood 3 columns past the edge, indented under the mark column,
  // in its block and in the notes; a warning was one line of 100.
  it('fit the name of a block to the width when it fits alone, its mark kept, and wrap a warning', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    const long = '/tmp/a-rather-long-directory-name/images/slim.buildkit.tar';
    const longer = `${long}x`;
    expect([long.length, longer.length]).toEqual([58, 59]);
    r.candidates[0].reference = long;
    r.candidates[1].reference = longer;
    r.candidates[1].current = true;
    r.candidates[1].caveats = [{ kind: 'note', message: 'stores 4 of 4 layers uncompressed' }];
    // (the layers they share would name the paths they no longer have)
    for (const c of r.candidates) c.sharedLayers = [];
    r.warnings = ['--any-version chooses the candidates for one image; the images given are compared as they are'];
    const lines = renderBasesText(r, { color: false, width: 60 }).split('\n');
    expect(lines.filter((l) => l.length > 60)).toEqual([]);
    // Indented as far as it fits; the mark, with no room beside the name, at the head of the values under it
    const at = lines.indexOf(`  ${long}`);
    expect(lines[at + 1]).toMatch(/^ {5}Compressed /);
    const current = lines.indexOf(` ${longer}`);
    expect(lines[current + 1]).toMatch(/^\* {4}Compressed /);
    expect(lines.slice(lines.indexOf('Notes') + 1, lines.indexOf('Notes') + 3)).toEqual([
      ` ${longer}`,
      '    ! stores 4 of 4 layers uncompressed',
    ]);
    expect(lines.slice(-2)).toEqual([
      'warning: --any-version chooses the candidates for one',
      '  image; the images given are compared as they are',
    ]);
    // Room for the mark and one space: it stays beside the name
    r.candidates[1].reference = long;
    r.candidates[1].caveats = [];
    expect(renderBasesText(r, { color: false, width: 60 }).split('\n')).toContain(`* ${long}`);
    // Without a width (a pipe, a file), lines stay as they are
    const piped = renderBasesText(r, { color: false }).split('\n');
    expect(piped).toContain(`warning: ${r.warnings[0]}`);
  });

  // At 60 and 40 columns the reason an image was not compared, the other tags of a variant and a Dockerfile line under
  // a note were cut at their end: the reason's ending, a tag, the rest of the RUN line lost.
  it.each([60, 40])(
    'wrap a reason, the other tags and a Dockerfile line to %i columns, each tag whole',
    async (width) => {
      const r = await bases({ images: [a.path, b.path], noCache: true });
      const reason = 'reg/node:20-slim is a single-platform linux/amd64 image, not linux/arm64 as --platform asked';
      r.skipped = [{ reference: 'reg/node:20-slim', reason }];
      const tags = ['registry.example.com/team/node:20.11.1-bookworm-slim', 'node:20-bookworm-slim', 'node:20-slim'];
      r.candidates[1].alsoMatching = tags;
      r.candidates[1].alsoUnread = [tags[2]];
      const run = 'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates';
      const file = 'services/api/docker/Dockerfile.production';
      r.candidates[1].caveats = [{ kind: 'shell', message: 'no shell', lines: [{ file, line: 12, text: run }] }];
      const lines = renderBasesText(r, { color: false, width }).split('\n');
      // But for a tag or a path wider than a line: whole, on a line of its own
      expect(lines.filter((l) => l.length > width && !/^ *\S+$/.test(l))).toEqual([]);
      expect(lines.some((l) => l.includes('…'))).toBe(false);
      const block = (start: number, indent: string) => {
        const out = [lines[start]];
        for (let i = start + 1; lines[i]?.startsWith(indent); i++) out.push(lines[i]);
        return out.map((l) => l.trim()).join(' ');
      };
      expect(
        block(
          lines.findIndex((l) => l.startsWith('  reg/node:20-slim')),
          '    ',
        ),
      ).toBe(reason);
      expect(
        block(
          lines.findIndex((l) => l.startsWith('    other tags')),
          '      ',
        ),
      ).toBe(`other tags of this variant, other images: ${tags[0]}, ${tags[1]}; not read: ${tags[2]}`);
      expect(
        block(
          lines.findIndex((l) => l.trim().startsWith(file)),
          '        ',
        ),
      ).toBe(`${file}:12 ${run}`);
      // Piped, each stays one line, whole
      const piped = renderBasesText(r, { color: false }).split('\n');
      expect(piped).toContain(`  ${reason}`);
      expect(piped).toContain(`      ${file}:12  ${run}`);
    },
  );

  // At 40 columns a --deep block's `Packages 572 dpkg, 2 python, 66 node`, wider than a line alone, was cut to `66 no…`.
  it('wrap a value wider than the line between its items, under it', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true, deep: true });
    r.candidates[0].reference = 'reg/app:1';
    r.candidates[1].reference = 'reg/app:2';
    r.candidates[0].deep!.packages = { dpkg: 572, python: 2, node: 66 };
    r.candidates[0].sharedLayers[0].reference = 'reg/app:2';
    r.candidates[1].sharedLayers[0].reference = 'reg/app:1';
    const lines = renderBasesText(r, { color: false, width: 40 }).split('\n');
    expect(lines.filter((l) => l.length > 40)).toEqual([]);
    expect(lines.some((l) => l.includes('…'))).toBe(false);
    const at = lines.findIndex((l) => l.trim().startsWith('Packages 572'));
    expect(lines.slice(at, at + 2)).toEqual(['     Packages 572 dpkg, 2 python,', '       66 node']);
  });

  // With --deep the rows are ordered and compared by uncompressed size, but the rebuild's estimates stayed compressed:
  // the uncompressed one the JSON holds was in no table.
  it('size the rebuild estimates uncompressed with --deep, as the rows are ordered, in text and markdown', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true, deep: true });
    r.mode = 'rebuild';
    r.base = 'reg/base:1';
    r.image = {
      reference: 'app.oci',
      layers: 2,
      compressedBytes: 3_000_000,
      ownLayers: 1,
      ownCompressedBytes: 1_000_000,
      ownUncompressedBytes: 4_000_000,
      sharedLayers: 1,
      sharedCompressedBytes: 2_000_000,
      baseMoved: null,
    };
    const [small, current] = r.candidates;
    current.current = true;
    small.estimate = { compressedBytes: 1_500_000, deltaBytes: -1_500_000, uncompressedBytes: 5_000_000 };
    current.estimate = { compressedBytes: 3_000_000, deltaBytes: 0, uncompressedBytes: 9_000_000 };
    const text = renderBasesText(r, { color: false });
    const row = text.split('\n').find((l) => l.includes(small.reference))!;
    expect(row).toMatch(/ 5\.00 MB {2}-4\.00 MB \(-44\.44%\) /);
    expect(text.split('\n').find((l) => l.includes(current.reference))).toMatch(/ 9\.00 MB {2,}\d/);
    expect(text).toContain('Estimates (uncompressed, as --deep compares) keep your layers');
    const md = renderBasesMarkdown(r);
    expect(md).toMatch(/\| 5\.00 MB \| -4\.00 MB \(-44\.44%\) \|/);
    expect(md).toContain('Estimates (uncompressed, as --deep compares) keep your layers');
    // Without --deep, compressed as before
    r.deep = false;
    expect(renderBasesText(r, { color: false })).toMatch(/ 1\.50 MB {2}-1\.50 MB \(-50\.00%\) /);
  });

  it('say what bounds the tags offered, and not "unless --any-version" when it was given', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    const tags = { repository: 'reg/node', listed: 9, pages: 1, truncated: false, tag: '20.11.1', versioned: true };
    r.tags = { ...tags, anyVersion: false };
    expect(renderBasesText(r, { color: false })).toContain(
      '9 tags of reg/node read (1 page); one per variant, none older or of another major unless --any-version.',
    );
    r.tags = { ...tags, anyVersion: true };
    expect(renderBasesText(r, { color: false })).toContain(
      '9 tags of reg/node read (1 page); one per variant, any version (--any-version).',
    );
    expect(renderBasesMarkdown(r)).toContain('one per variant, any version (--any-version).');
  });
  it('lay the table out as one block of lines per candidate when the terminal is narrower than the table', async () => {
    const r = await bases({ images: [a.path, b.path], noCache: true });
    r.candidates[0].reference = 'reg/debian:12';
    r.candidates[1].reference = 'reg/debian:12-slim';
    // Wide enough: the table, one line per candidate under one header
    const wide = renderBasesText(r, { color: false, width: 200 }).split('\n');
    expect(wide.find((l) => l.includes('Image'))).toMatch(
      /^ +Image +Compressed +Layers +OS +libc +Shell +Pkg mgr +User$/,
    );
    expect(wide.find((l) => l.includes('reg/debian:12 '))).toMatch(/^ +reg\/debian:12 +\S+ \S+ +1 +debian +glibc +yes/);
    // At 60 columns: no header, each candidate named on a line of its own with its values under it, every line fitting
    const narrow = renderBasesText(r, { color: false, width: 60 }).split('\n');
    expect(narrow.some((l) => l.includes('Pkg mgr  User'))).toBe(false);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(60);
    const at = narrow.indexOf('   reg/debian:12');
    expect(at).toBeGreaterThan(0);
    const block = narrow.slice(at + 1, narrow.indexOf('   reg/debian:12-slim'));
    expect(block.every((l) => l.startsWith('     '))).toBe(true);
    const pairs = block.flatMap((l) => l.trim().split(' · '));
    expect(pairs.map((p) => p.replace(/ [\d.]+ [kMG]?B$/, ' N'))).toEqual([
      'Compressed N',
      'Layers 1',
      'OS debian',
      'libc glibc',
      'Shell yes',
      expect.stringMatching(/^Pkg mgr /),
      'User app',
    ]);
    expect(block.length).toBeGreaterThan(1);
  });
});
