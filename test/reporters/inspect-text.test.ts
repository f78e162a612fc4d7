// The text view of `ballast inspect`, for images whose history does not give each layer its instruction.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { renderInspect } from '../../src/reporters/inspect-text.js';
import { columns } from '../../src/report/text.js';
import { inspect } from '../../src/services/inspect.js';
import { buildOciLayout, layer } from '../helpers/image-builder.js';
import { formatBytes } from '../../src/report/figures.js';

/** Rewrites the layout's config with `edit`, fixing the manifest and index digests that point at it. */
function editConfig(dir: string, edit: (config: Record<string, unknown>) => void): void {
  const blobs = join(dir, 'blobs', 'sha256');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const manifestHex = index.manifests[0].digest.slice(7);
  const manifest = JSON.parse(readFileSync(join(blobs, manifestHex), 'utf8'));
  const config = JSON.parse(readFileSync(join(blobs, manifest.config.digest.slice(7)), 'utf8'));
  edit(config);
  const configBytes = Buffer.from(JSON.stringify(config));
  writeFileSync(join(blobs, sha(configBytes)), configBytes);
  manifest.config = { ...manifest.config, digest: `sha256:${sha(configBytes)}`, size: configBytes.length };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  writeFileSync(join(blobs, sha(manifestBytes)), manifestBytes);
  index.manifests[0] = { ...index.manifests[0], digest: `sha256:${sha(manifestBytes)}`, size: manifestBytes.length };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
}

describe('inspect text view', () => {
  it.each([
    [
      'no history at all',
      () => undefined,
      'The image records no history, so the instruction of each layer is unknown.',
    ],
    [
      'more layer-making steps than layers',
      () => [
        { created_by: 'ADD x /' },
        { created_by: 'ENV A=b', empty_layer: true },
        { created_by: 'RUN y' },
        { created_by: 'RUN z' },
      ],
      'The history lists 3 steps that made a layer for 2 layers, so which instruction made each layer is unknown.',
    ],
  ])('says why the layers have no instruction: %s', async (_, history, note) => {
    // It said "History does not line up with the layers" even for an image that records no history.
    const image = await buildOciLayout([layer({ a: 'a' }), layer({ b: 'b' })]);
    try {
      editConfig(image.path, (config) => {
        const h = history();
        if (h) config.history = h;
        else delete config.history;
      });
      const text = renderInspect(await inspect({ image: image.path }), { color: false });
      expect(text.split('\n').at(-1)).toBe(note);
    } finally {
      image.cleanup();
    }
  });

  it('lists the history as docker history does: when, how big a layer, what ran, cut to the width', async () => {
    // Only --json had the history; the text view showed no step that made no layer (ENV, CMD) and no date.
    const result = await inspect({ image: 'test/fixtures/dive/test-docker-image.tar' });
    const text = renderInspect(result, { color: false, width: 80 });
    const section = text.split('\n\n').find((block) => block.startsWith('History'))!;
    const [title, header, ...rows] = section.split('\n');
    expect(title).toBe('History (15 steps, stored uncompressed)');
    expect(header).toMatch(/^Layer +Created +Compressed +Created by$/);
    expect(rows).toHaveLength(15);
    // The base image's CMD made no layer; the RUN after it made layer 2, and shows that layer's size
    expect(rows[1]).toMatch(/^ +2018-12-26T08:20:42Z +0 B +CMD \["sh"\]$/);
    // Cut to the 80 columns: 41 for the first three columns, 39 for the command
    expect(rows[3]).toBe(
      `    2  2018-12-28T16:50:42Z  ${formatBytes(result.layers[2].compressedBytes).padStart(10)}  ` +
        'RUN mkdir -p /root/example/really/nest…',
    );
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    expect(rows[0]).toMatch(/^ +0 .* ADD file:ce026b6\S*…$/);
  });

  it('marks the layer sizes of a docker save as stored uncompressed, as analyze and diff do', async () => {
    // Its layers are plain tars: the "Compressed" size is the tar size, not what a pull downloads, and said nothing.
    const text = renderInspect(await inspect({ image: 'test/fixtures/dive/test-docker-image.tar' }), {
      color: false,
      width: 120,
    });
    const [title, header, ...rows] = text
      .split('\n\n')
      .find((block) => block.startsWith('Layers'))!
      .split('\n');
    // Every layer plain, as in any docker save: said once in the title (not "compressed"), and each row keeps the
    // room of its command (a mark in every cell cut "Created by" to 20 columns at 120).
    expect(title).toMatch(/^Layers \(14, [\d.]+ MB, stored uncompressed\)$/);
    expect(header).toMatch(/^ +# +Compressed +Digest/);
    expect(rows).toHaveLength(14);
    for (const row of rows) {
      expect(row).toMatch(/^ *\d+ +[\d.]+ [kMG]?B +sha256:/);
      expect(row).not.toContain('stored uncompressed');
      expect(row.length).toBeLessThanOrEqual(120);
    }
    expect(rows[0]).toMatch(/ADD file:ce026b6235\S{15,}/);
    // A compressed image's sizes are what a pull downloads: no mark.
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      expect(renderInspect(await inspect({ image: image.path }), { color: false })).not.toContain(
        'stored uncompressed',
      );
    } finally {
      image.cleanup();
    }
  });

  it.each([
    // [image, width, DiffID shown]: the layer table kept 90 columns at any width, so each row wrapped at 80
    ['a docker save', 'docker', 60, false],
    ['a docker save', 'docker', 80, false],
    ['a docker save', 'docker', 100, true],
    ['an OCI layout', 'oci', 60, false],
    ['an OCI layout', 'oci', 80, false],
    ['an OCI layout', 'oci', 120, true],
  ] as const)('fits the layer and history tables of %s (%s) to %i columns', async (_, kind, width, diffId) => {
    const step = 'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates';
    const image = kind === 'oci' ? await buildOciLayout([layer({ a: 'a' }, step), layer({ b: 'b' }, step)]) : undefined;
    try {
      const result = await inspect({ image: image?.path ?? 'test/fixtures/dive/test-docker-image.tar' });
      const blocks = renderInspect(result, { color: false, width }).split('\n\n');
      const layers = blocks.find((block) => block.startsWith('Layers'))!.split('\n');
      const history = blocks.find((block) => block.startsWith('History'))!.split('\n');
      for (const line of [...layers, ...history]) expect(columns(line)).toBeLessThanOrEqual(width);
      // The digest names the layer at any width; its DiffID is the first to go when the command has no room
      expect(layers[1]).toMatch(/^ *# +Compressed +Digest +/);
      expect(layers[1].includes('DiffID')).toBe(diffId);
      expect(layers[2]).toMatch(/ sha256:[0-9a-f]{12} /);
      // The command keeps at least 20 columns
      for (const row of layers.slice(2)) expect(row).toMatch(/ (ADD|RUN|COPY) .{16}/);
    } finally {
      image?.cleanup();
    }
  });

  it('fits a 40-column terminal: commands under their history rows, a media type or time under its label', async () => {
    // Given 40 columns: the history rows ran to 51 with each command cut to 10 (`RUN apt-g…`), and the media type
    // (54 columns) and a creation time with nanoseconds (41) stood beside their labels whatever the width
    const step = 'RUN apt-get install -y curl';
    const image = await buildOciLayout([layer({ a: 'a' }, step)], {
      image: { created: '2026-12-06T16:24:04.09409775Z' },
    });
    try {
      const result = await inspect({ image: image.path });
      const lines = renderInspect(result, { color: false, width: 40 }).split('\n');
      // Then no line is wider, but a whole digest or the image's path on a line of its own
      expect(lines.filter((line) => columns(line) > 40 && !/^ +(sha256:[0-9a-f]{64}|\/\S+)$/.test(line))).toEqual([]);
      const history = lines.slice(lines.findIndex((line) => line.startsWith('History')));
      const row = history.findIndex((line) => /^ +0 +- +[\d.]+ k?B$/.test(line));
      expect(row).toBeGreaterThan(0);
      expect(history[row + 1]).toBe(`    ${step}`);
      const media = lines.indexOf('Media type');
      expect(lines[media + 1]).toMatch(/^ {2}application\/.*….*manifest\.v1\+json$/);
      expect(lines[media + 1]).toHaveLength(40);
      expect(lines.slice(lines.indexOf('Created'), lines.indexOf('Created') + 2)).toEqual([
        'Created',
        '  2026-12-06T16:24:04.09409775Z',
      ]);
      // With room (80 columns), each stays beside its label and each command beside its row
      const wide = renderInspect(result, { color: false, width: 80 });
      expect(wide).toMatch(/^Media type +application\/vnd\.oci\.image\.manifest\.v1\+json$/m);
      expect(wide).toMatch(/^ +0 +- +[\d.]+ k?B +RUN apt-get install -y curl$/m);
    } finally {
      image.cleanup();
    }
  });

  it.each([
    [
      'every layer a plain tar',
      'test/fixtures/dive/test-docker-image.tar',
      /^Layers \(14, [\d.]+ MB, stored uncompressed\)$/,
    ],
    ['compressed layers', undefined, /^Layers \(1, [\d.]+ k?B compressed\)$/],
  ])('titles the layers without brackets in brackets: %s', async (_, path, title) => {
    // It read "Layers (12, 693 MB (stored uncompressed))".
    const image = path ? undefined : await buildOciLayout([layer({ a: 'a' })]);
    try {
      const text = renderInspect(await inspect({ image: path ?? image!.path }), { color: false });
      expect(text.split('\n').find((line) => line.startsWith('Layers'))).toMatch(title);
    } finally {
      image?.cleanup();
    }
  });

  it("marks the history's sizes of a docker save once, in its title, so each row keeps to the width", async () => {
    // The Layers table marked its plain tar sizes; the History table gave the same sizes as "Compressed" unmarked.
    const text = renderInspect(await inspect({ image: 'test/fixtures/dive/test-docker-image.tar' }), {
      color: false,
      width: 80,
    });
    const [title, ...rows] = text
      .split('\n\n')
      .find((block) => block.startsWith('History'))!
      .split('\n');
    expect(title).toBe('History (15 steps, stored uncompressed)');
    for (const row of rows) {
      expect(row).not.toContain('stored uncompressed');
      expect(row.length).toBeLessThanOrEqual(80);
    }
    // A compressed image's history sizes are what a pull downloads: no mark.
    const image = await buildOciLayout([layer({ a: 'a' }), layer({ b: 'b' })]);
    try {
      editConfig(image.path, (config) => {
        config.history = [{ created_by: 'ADD a /' }, { created_by: 'ADD b /' }];
      });
      const oci = renderInspect(await inspect({ image: image.path }), { color: false });
      expect(oci).toMatch(/^History \(2 steps\)$/m);
      expect(oci).not.toContain('stored uncompressed');
    } finally {
      image.cleanup();
    }
  });

  // Regression: the Digest and Image ID lines took 83 columns (a label and sha256: with 64 hex digits) at any width.
  it.each([
    // [width, how the digest shows]: beside its label, else alone on the next line, whole to copy, even where that
    // line is wider than the terminal (it showed docker's 12 digits there, while the README says inspect keeps its
    // whole digests and the annotations' digest stayed whole)
    [120, (label: string, digest: string) => [`${label.padEnd(12)}${digest}`]],
    [80, (label: string, digest: string) => [label, `  ${digest}`]],
    [60, (label: string, digest: string) => [label, `  ${digest}`]],
  ] as const)('fits the digests to %i columns, or gives each a line of its own', async (width, shown) => {
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      const result = await inspect({ image: image.path });
      const lines = renderInspect(result, { color: false, width }).split('\n');
      const head = lines.slice(0, lines.indexOf(''));
      // Over the width only a whole digest on a line of its own.
      expect(head.filter((line) => columns(line) > width && !/^ {2}sha256:[0-9a-f]{64}$/.test(line))).toEqual([]);
      for (const [label, digest] of [
        ['Digest', result.digest!],
        ['Image ID', result.imageId],
      ]) {
        const at = head.findIndex((line) => line.startsWith(label));
        expect(head.slice(at, at + shown(label, digest).length)).toEqual(shown(label, digest));
      }
      expect(head[head.findIndex((line) => line.startsWith('Image ID')) - 1]).toMatch(/^ {2}sha256:|^Digest/);
    } finally {
      image.cleanup();
    }
  });

  // Regression: an annotation's digest was cut (`base.digest=sha256:129febe…`) and could not be copied, though the
  // Digest and Image ID lines keep theirs whole; so was an image reference (`base.name=lo…` at 40 columns) and a URL.
  const baseDigest = `sha256:${'129febe5'.repeat(8)}`;
  const longName = `registry.example.com/${'team/'.repeat(10)}base:latest`;
  const source = `https://git.example.com/${'group/'.repeat(8)}project`;
  const description = `A base image for ${'the team '.repeat(8)}services`;
  it.each([
    // [width, the Annotations lines]: a digest, a reference or a URL beside its key when it fits, else whole on the
    // next line; any other value is cut at the width
    [
      200,
      [
        `  org.opencontainers.image.base.digest=${baseDigest}`,
        `  org.opencontainers.image.base.name=${longName}`,
        `  org.opencontainers.image.source=${source}`,
        `  org.opencontainers.image.description=${description}`,
      ],
    ],
    [
      80,
      [
        '  org.opencontainers.image.base.digest=',
        `    ${baseDigest}`,
        '  org.opencontainers.image.base.name=',
        `    ${longName}`,
        '  org.opencontainers.image.source=',
        `    ${source}`,
        `  org.opencontainers.image.description=${description.slice(0, 40)}…`,
      ],
    ],
    [
      40,
      [
        '  org.opencontainers.image.base.digest=',
        `    ${baseDigest}`,
        '  org.opencontainers.image.base.name=',
        `    ${longName}`,
        '  org.opencontainers.image.source=',
        `    ${source}`,
        '  org.opencontainers.image.description=…',
      ],
    ],
  ] as const)('keeps a digest, a reference and a URL in the annotations whole at %i columns', async (width, shown) => {
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      const result = {
        ...(await inspect({ image: image.path })),
        annotations: {
          'org.opencontainers.image.base.digest': baseDigest,
          'org.opencontainers.image.base.name': longName,
          'org.opencontainers.image.source': source,
          'org.opencontainers.image.description': description,
        },
      };
      const lines = renderInspect(result, { color: false, width }).split('\n');
      const at = lines.indexOf('Annotations');
      expect(lines.slice(at + 1, lines.indexOf('', at))).toEqual(shown);
    } finally {
      image.cleanup();
    }
  });

  it('keeps a label that is an image reference whole, and cuts one that is prose', async () => {
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      const base = await inspect({ image: image.path });
      const result = {
        ...base,
        config: { ...base.config, labels: { 'base.name': longName, about: description } },
      };
      const lines = renderInspect(result, { color: false, width: 40 }).split('\n');
      const at = lines.indexOf('Labels');
      expect(lines.slice(at + 1, lines.indexOf('', at))).toEqual([
        '  base.name=',
        `    ${longName}`,
        `  about=${description.slice(0, 31)}…`,
      ]);
    } finally {
      image.cleanup();
    }
  });

  // Regression: a long path was cut in its middle (/var/tmp/ball…/bloated.docker-classic.tar), so it could not be
  // copied, where analyze's and diff's headers give it a line of its own.
  const long = '/var/tmp/ballast-corpus-0123456789abcdef/docker-engine/bloated.docker-classic.tar';
  it.each([
    // [width, what, path, tag, the Image lines]
    [
      80,
      'a short path and its tag on one line',
      '/tmp/image.tar',
      'test:latest',
      ['Image       /tmp/image.tar (test:latest)'],
    ],
    [
      100,
      'a long path whole beside its label, its tag under it',
      long,
      'localhost/bloated:latest',
      [`Image       ${long}`, '            (localhost/bloated:latest)'],
    ],
    // Too long to stand beside the label (it made a line wider than the terminal where the path alone fits): under
    // it, as a digest, and whole even where it does not fit alone either.
    [
      90,
      'a long path whole under its label, its tag under it',
      long,
      'localhost/bloated:latest',
      ['Image', `  ${long}`, '  (localhost/bloated:latest)'],
    ],
    [80, 'a long path whole under its label, with no tag', long, null, ['Image', `  ${long}`]],
    [
      40,
      'a long path whole under its label, its tag under it',
      long,
      'localhost/bloated:latest',
      ['Image', `  ${long}`, '  (localhost/bloated:latest)'],
    ],
    [
      undefined,
      'a long path and its tag on one line',
      long,
      'localhost/bloated:latest',
      [`Image       ${long} (localhost/bloated:latest)`],
    ],
  ] as const)('at width %s, writes %s', async (width, _, path, tag, shown) => {
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      const result = { ...(await inspect({ image: image.path })), reference: path, tag };
      const lines = renderInspect(result, { color: false, width }).split('\n');
      expect(lines.slice(0, lines.indexOf(lines.find((line) => line.startsWith('Source'))!))).toEqual(shown);
    } finally {
      image.cleanup();
    }
  });

  it('keeps history, layer commands, ONBUILD, env, labels and author whole with no width given (a pipe, a file)', async () => {
    // Piped, each was cut to 120 columns: grep on a saved report missed the end of a long RUN line or value.
    const run = `RUN ${'step && '.repeat(30)}done`;
    const value = 'v'.repeat(200);
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      editConfig(image.path, (config) => {
        config.history = [{ created_by: run }];
        const c = config.config as Record<string, unknown>;
        config.config = { ...c, Env: [`LONG=${value}`], Labels: { long: value }, OnBuild: [run] };
        config.author = `Jane ${value}`;
      });
      const result = await inspect({ image: image.path });
      const piped = renderInspect(result, { color: false });
      expect(piped).not.toContain('…');
      expect(piped.split('\n').filter((line) => line.endsWith(run))).toHaveLength(3);
      expect(piped).toContain(`  LONG=${value}\n`);
      expect(piped).toContain(`  long=${value}\n`);
      expect(piped).toMatch(new RegExp(`^Author +Jane ${value}$`, 'm'));
      // A terminal or COLUMNS still cuts each line to fit, as before.
      for (const line of renderInspect(result, { color: false, width: 100 }).split('\n'))
        expect(line.length).toBeLessThanOrEqual(100);
    } finally {
      image.cleanup();
    }
  });

  it('shows the author, as docker inspect does, and no row when there is none', async () => {
    // Only --json had it: the text view left out who the image says built it.
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      expect(renderInspect(await inspect({ image: image.path }), { color: false })).not.toMatch(/^Author/m);
      editConfig(image.path, (config) => {
        config.author = 'Jane Doe <jane@example.com>';
      });
      const text = renderInspect(await inspect({ image: image.path }), { color: false });
      expect(text).toMatch(/^Created +-\nAuthor +Jane Doe <jane@example.com>\nUser /m);
    } finally {
      image.cleanup();
    }
  });

  it('an image with no layers has no layer whose instruction is unknown', async () => {
    // FROM scratch with only LABEL or CMD makes no layer: inspect said "which instruction made each layer is
    // unknown" (and --json historyMatchesLayers false) of an image with nothing to attribute.
    const image = await buildOciLayout([], { config: { Cmd: ['/app'] } });
    try {
      for (const history of [undefined, [{ created_by: 'LABEL a=b', empty_layer: true }]]) {
        editConfig(image.path, (config) => {
          if (history) config.history = history;
          else delete config.history;
        });
        const result = await inspect({ image: image.path });
        expect(result.historyMatchesLayers).toBe(true);
        expect(renderInspect(result, { color: false })).not.toContain('unknown');
      }
      // A step that says it made a layer the image lacks is still a mismatch
      editConfig(image.path, (config) => {
        config.history = [{ created_by: 'RUN x' }];
      });
      const result = await inspect({ image: image.path });
      expect(result.historyMatchesLayers).toBe(false);
      expect(renderInspect(result, { color: false }).split('\n').at(-1)).toBe(
        'The history lists 1 step that made a layer for 0 layers, so which instruction made each layer is unknown.',
      );
    } finally {
      image.cleanup();
    }
  });

  it('shows `?` for the size of a step whose layer the history does not tell', async () => {
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      editConfig(image.path, (config) => {
        config.history = [
          { created_by: 'ADD x /' },
          { created_by: 'ENV A=b', empty_layer: true },
          { created_by: 'RUN y' },
        ];
      });
      const text = renderInspect(await inspect({ image: image.path }), { color: false });
      const rows = text
        .split('\n\n')
        .find((block) => block.startsWith('History'))!
        .split('\n')
        .slice(2, -1);
      expect(rows.map((r) => r.replace(/ +/g, ' ').trim())).toEqual(['? - ? ADD x /', '- 0 B ENV A=b', '? - ? RUN y']);
    } finally {
      image.cleanup();
    }
  });

  // Found by the hostile-input review: a manifest of 50,000 annotations printed every one, 50 MB of text.
  it('shows the first 30 annotations and counts the rest', async () => {
    const image = await buildOciLayout([layer({ a: 'a' })]);
    try {
      const annotations = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, `v${i}`]));
      const lines = renderInspect({ ...(await inspect({ image: image.path })), annotations }, { color: false }).split(
        '\n',
      );
      const at = lines.indexOf('Annotations');
      expect(lines.slice(at + 1, at + 32)).toEqual([
        ...Array.from({ length: 30 }, (_, i) => `  k${i}=v${i}`),
        '  …and 970 more (--json lists all)',
      ]);
      expect(lines.filter((line) => line.startsWith('  k'))).toHaveLength(30);
    } finally {
      image.cleanup();
    }
  });
});
