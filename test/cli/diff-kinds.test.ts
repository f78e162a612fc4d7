// `ballast diff --type` with container-diff's analyzer names that are narrower than a ballast section: a package
// manager's name (`pip`, `apt`, `node`, `rpm`) shows that manager's packages only, and `history` compares the configs'
// history entries, empty-layer steps (ENV, LABEL, CMD) included, which the layers section cannot show.
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage, type LayerSpec } from '../helpers/image-builder.js';

const dpkg = (version: string) =>
  `Package: libfoo\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`;
const LEFT_PAD = (version: string) => `{"name":"left-pad","version":"${version}"}`;
const site = 'usr/lib/python3/site-packages';
const python = (version: string): LayerSpec['entries'] => ({
  [`${site}/requests/__init__.py`]: 2000,
  [`${site}/requests-${version}.dist-info/METADATA`]: `Name: requests\nVersion: ${version}\n`,
  [`${site}/requests-${version}.dist-info/RECORD`]: `requests/__init__.py,,2000\nrequests-${version}.dist-info/METADATA,,\n`,
});

describe('ballast diff --type with a package manager or history', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    // A and B: dpkg, Python and Node packages all change; B's history has another ENV and one more LABEL step.
    a = await buildOciLayout(
      [
        layer({ 'var/lib/dpkg/status': dpkg('1.0'), 'usr/lib/libfoo.so': 3000 }, 'ADD rootfs.tar /'),
        layer(
          { ...python('2.31.0'), 'usr/lib/node_modules/left-pad/package.json': LEFT_PAD('1.0.0') },
          'RUN pip install requests',
        ),
      ],
      { emptySteps: [{ before: 1, createdBy: '/bin/sh -c #(nop)  ENV APP_MODE=a' }] },
    );
    b = await buildOciLayout(
      [
        layer({ 'var/lib/dpkg/status': dpkg('1.1'), 'usr/lib/libfoo.so': 3100 }, 'ADD rootfs.tar /'),
        layer(
          { ...python('2.32.3'), 'usr/lib/node_modules/left-pad/package.json': LEFT_PAD('1.3.0') },
          'RUN pip install requests',
        ),
      ],
      {
        emptySteps: [
          { before: 1, createdBy: '/bin/sh -c #(nop)  ENV APP_MODE=b' },
          { before: 1, createdBy: 'LABEL team=web # buildkit' },
        ],
      },
    );
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('shows only pip packages for --type=pip, in text, markdown and JSON', async () => {
    const text = await runCli(['diff', a.path, b.path, '--type=pip']);
    expect(text.code).toBe(0);
    const packages = text.stdout.slice(text.stdout.indexOf('\nPackages'));
    expect(packages).toMatch(/^python\s/m);
    expect(packages).toMatch(/~\s+python\s+.*requests 2\.31\.0 -> 2\.32\.3 \(upgrade\)/);
    expect(packages).not.toMatch(/dpkg|libfoo|node|left-pad/);

    const md = (await runCli(['diff', a.path, b.path, '--type', 'pip', '--format', 'markdown'])).stdout;
    const mdPackages = md.slice(md.indexOf('#### Packages'));
    expect(mdPackages).toContain('| python |');
    expect(mdPackages).not.toMatch(/dpkg|libfoo|left-pad|\| node \|/);

    const json = JSON.parse((await runCli(['diff', a.path, b.path, '--type=pip', '--json'])).stdout);
    expect(Object.keys(json.packages.managers)).toEqual(['python']);
    expect(json.packages.changed.map((p: { name: string }) => p.name)).toEqual(['requests']);
  });

  it('shows the managers named (apt and node), and every manager for packages', async () => {
    const both = JSON.parse((await runCli(['diff', a.path, b.path, '--type=apt', '--type=node', '--json'])).stdout);
    expect(Object.keys(both.packages.managers).sort()).toEqual(['dpkg', 'node']);
    expect(both.packages.changed.map((p: { name: string }) => p.name).sort()).toEqual(['left-pad', 'libfoo']);
    const all = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'packages,pip', '--json'])).stdout);
    expect(Object.keys(all.packages.managers).sort()).toEqual(['dpkg', 'node', 'python']);
    // A manager the images do not have: said so, not every other manager's packages.
    const rpm = await runCli(['diff', a.path, b.path, '--type=rpm']);
    expect(rpm.stdout).toContain('no rpm packages on either side');
    expect(rpm.stdout.slice(rpm.stdout.indexOf('\nPackages'))).not.toMatch(/dpkg|python|node/);
  });

  it("--type=pip opens with pip's packages only, in text and markdown, while the sizes stay the image's", async () => {
    const text = (await runCli(['diff', a.path, b.path, '--type=pip'])).stdout;
    const story = text.split('\n')[3];
    expect(story).toMatch(/^this change grew the image by .*; packages python: 1 changed$/);
    const md = (await runCli(['diff', a.path, b.path, '--type=pip', '--format', 'markdown'])).stdout;
    const mdStory = md.split('\n').find((l) => l.startsWith('This change'));
    expect(mdStory).toMatch(/packages python: 1 changed\.$/);
    expect(mdStory).not.toMatch(/dpkg|node/);
    // Without a manager named, the story has every manager's.
    const all = (await runCli(['diff', a.path, b.path])).stdout.split('\n')[3];
    for (const manager of ['dpkg', 'node', 'python']) expect(all).toContain(`${manager}: 1 changed`);
  });

  it("--only takes ballast's manager names (dpkg, python) as container-diff's (apt, pip)", async () => {
    const dpkg = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'dpkg', '--json'])).stdout);
    expect(Object.keys(dpkg.packages.managers)).toEqual(['dpkg']);
    const python = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'python,size', '--json'])).stdout);
    expect(Object.keys(python.packages.managers)).toEqual(['python']);
    expect(python).not.toHaveProperty('files');
  });

  it.each([
    ['packges', /no such section \(hint: did you mean packages\? pick from size,.*dpkg,python\)$/],
    ['pyhton', /no such section \(hint: did you mean python\?/],
    // container-diff's name is suggested, and the list names it too (it held ballast's names alone)
    ['fil', /no such section \(hint: did you mean file\? pick from .*\(container-diff's file,layer,sizelayer,metadata/],
    // A short form of a section is that section, not the manager a few letters away (`pkgs` suggested dpkg)
    ['pkgs', /no such section \(hint: did you mean packages\?/],
    [
      'aptlayer',
      /no such section \(hint: packages are compared between the final filesystems, not layer by layer: use apt\)$/,
    ],
  ])('--only %s: one error line saying what to write, exit 2', async (name, message) => {
    const r = await runCli(['diff', a.path, b.path, '--only', name]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('shows the history entries each side has alone for --type=history, empty-layer steps included', async () => {
    const json = JSON.parse((await runCli(['diff', a.path, b.path, '--type=history', '--json'])).stdout);
    expect(json.history).toEqual({
      a: 3,
      b: 4,
      same: 2,
      removed: [
        { index: 1, createdBy: '/bin/sh -c #(nop)  ENV APP_MODE=a', instruction: 'ENV APP_MODE=a', emptyLayer: true },
      ],
      added: [
        { index: 1, createdBy: '/bin/sh -c #(nop)  ENV APP_MODE=b', instruction: 'ENV APP_MODE=b', emptyLayer: true },
        { index: 2, createdBy: 'LABEL team=web # buildkit', instruction: 'LABEL team=web', emptyLayer: true },
      ],
    });
    expect(json).not.toHaveProperty('layers');

    const text = (await runCli(['diff', a.path, b.path, '--type=history'])).stdout;
    expect(text).toContain('History: 1 only in A, 2 only in B (3 entries in A, 4 in B, 2 the same)');
    // Each entry as its instruction, whichever builder wrote it, as the layers section shows it
    expect(text).toMatch(/^-\s+A#1\s+ENV APP_MODE=a \(empty layer\)$/m);
    expect(text).toMatch(/^\+\s+B#2\s+LABEL team=web \(empty layer\)$/m);
    expect(text).not.toContain('Layers:');

    const md = (await runCli(['diff', a.path, b.path, '--type=history', '--format', 'markdown'])).stdout;
    expect(md).toContain('#### History');
    expect(md).toContain('| only A | 1 | `ENV APP_MODE=a` (empty layer) |');
    expect(md).toContain('| only B | 2 | `LABEL team=web` (empty layer) |');
  });

  it('shows an ENV-only change in history while the layers are all shared', async () => {
    // The same layers as A, built with another ENV: no layer differs, the history does.
    const layers = [
      layer({ 'var/lib/dpkg/status': dpkg('1.0'), 'usr/lib/libfoo.so': 3000 }, 'ADD rootfs.tar /'),
      layer(
        { ...python('2.31.0'), 'usr/lib/node_modules/left-pad/package.json': LEFT_PAD('1.0.0') },
        'RUN pip install requests',
      ),
    ];
    const c = await buildOciLayout(layers, {
      emptySteps: [{ before: 1, createdBy: '/bin/sh -c #(nop)  ENV APP_MODE=c' }],
    });
    try {
      const text = (await runCli(['diff', a.path, c.path, '--type=history', '--type=layer'])).stdout;
      expect(text).toContain('Layers: 2 shared, 0 only in A, 0 only in B');
      expect(text).toContain('History: 1 only in A, 1 only in B (3 entries in A, 3 in B, 2 the same)');
      expect(text).toMatch(/^\+\s+B#1\s+ENV APP_MODE=c \(empty layer\)$/m);
      const json = JSON.parse((await runCli(['diff', a.path, c.path, '--type=layer', '--json'])).stdout);
      expect(json).not.toHaveProperty('history');
      expect(json.layers.shared).toHaveLength(2);
    } finally {
      c.cleanup();
    }
  });
});

/** `text` matched literally in a RegExp. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('ballast diff --type=history: long created_by lines', () => {
  // The classic builder's `/bin/sh -c #(nop)` before a LABEL, and a RUN line bumping a version at its end: cut at the
  // end of the line, both sides' rows read the same.
  const label = (version: string) =>
    `/bin/sh -c #(nop)  LABEL org.opencontainers.image.description="the web front end of the shop" version=${version}`;
  const run = (version: string) =>
    `/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git gnupg2 openssh-client procps unzip xz-utils zstd libssl3=${version} && rm -rf /var/lib/apt/lists/*`;
  const image = (version: string) =>
    buildOciLayout([layer({ 'bin/sh': 100 }, 'ADD rootfs.tar /'), layer({ 'usr/bin/curl': 200 }, run(version))], {
      emptySteps: [{ before: 1, createdBy: label(version) }],
    });
  let a: BuiltImage;
  let b: BuiltImage;
  beforeAll(async () => {
    [a, b] = await Promise.all([image('3.0.11-1'), image('3.0.13-1')]);
  });
  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('keeps what tells the two sides apart in the text, and every created_by whole in JSON', async () => {
    // On a terminal of 120 columns
    const text = (await runCli(['diff', a.path, b.path, '--only', 'history'], { env: { COLUMNS: '120' } })).stdout;
    const rows = text.split('\n').filter((l) => /^[-+]\s+[AB]#/.test(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(120);
    // The LABEL as its instruction, without the builder's prefix, whole with its version
    expect(rows).toContainEqual(
      expect.stringMatching(/^-\s+A#1\s+LABEL org\.opencontainers.* version=3\.0\.11-1 \(empty layer\)$/),
    );
    expect(rows).toContainEqual(
      expect.stringMatching(/^\+\s+B#1\s+LABEL org\.opencontainers.* version=3\.0\.13-1 \(empty layer\)$/),
    );
    // The RUN line from its start, then from the word where the two differ
    expect(rows).toContainEqual(expect.stringMatching(/^-\s+A#2\s+RUN apt-get [^…]*…libssl3=3\.0\.11-1 /));
    expect(rows).toContainEqual(expect.stringMatching(/^\+\s+B#2\s+RUN apt-get [^…]*…libssl3=3\.0\.13-1 /));

    const json = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'history', '--json'])).stdout);
    expect(json.history.removed.map((x: { createdBy: string }) => x.createdBy)).toEqual([
      label('3.0.11-1'),
      run('3.0.11-1'),
    ]);
    expect(json.history.added.map((x: { createdBy: string }) => x.createdBy)).toEqual([
      label('3.0.13-1'),
      run('3.0.13-1'),
    ]);
  });

  it('keeps what tells layers apart when their instructions are cut alike', async () => {
    // Given B adding two RUN layers that differ only near the end of a long line
    const b2 = await buildOciLayout([
      layer({ 'bin/sh': 100 }, 'ADD rootfs.tar /'),
      layer({ 'usr/bin/curl': 201 }, run('3.0.11-1')),
      layer({ 'usr/bin/curl': 300 }, run('3.0.13-1')),
    ]);
    try {
      // On a terminal of 100 columns, each is its start, then the word where it parts from the other
      const text = (await runCli(['diff', a.path, b2.path, '--only', 'layers'], { env: { COLUMNS: '100' } })).stdout;
      const rows = text.split('\n').filter((l) => /^[-+=] /.test(l));
      for (const row of rows) expect(row.length).toBeLessThanOrEqual(100);
      const added = rows.filter((l) => l.startsWith('+'));
      expect(added).toHaveLength(2);
      expect(added[0]).toMatch(/\s+L1\s+\S+ \S+\s+RUN apt-get [^…]*…libssl3=3\.0\.11-1 /);
      expect(added[1]).toMatch(/\s+L2\s+\S+ \S+\s+RUN apt-get [^…]*…libssl3=3\.0\.13-1 /);
    } finally {
      b2.cleanup();
    }
  });

  it('keeps each history entry and layer instruction whole in a pipe or a file, where no width is given', async () => {
    const text = (await runCli(['diff', a.path, b.path, '--only', 'history,layers'])).stdout;
    const instruction = run('3.0.13-1').replace('/bin/sh -c ', 'RUN ');
    expect(text).toMatch(new RegExp(`^\\+\\s+B#2\\s+${escape(instruction)}$`, 'm'));
    expect(text).toMatch(new RegExp(`^=\\s+L1\\s+L1\\s+\\S+ \\S+\\s+${escape(instruction)}$`, 'm'));
    expect(text).not.toContain('…');
  });
});
