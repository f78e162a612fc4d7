// `ballast diff` end to end through the real executable (compiled dist/: `npm run build` first): text, --json,
// markdown, --only, --ignore, --fail-on-growth, -o, worker threads, and one-line errors with exit 2 on bad input.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeMultiPlatformLayout } from '../helpers/registry.js';
import {
  buildDockerArchive,
  buildOciLayout,
  DIR,
  file,
  layer,
  symlink,
  WHITEOUT,
  type BuiltImage,
  type LayerSpec,
} from '../helpers/image-builder.js';

const base: LayerSpec = layer(
  {
    'bin/sh': 1000,
    'usr/lib/libold.so': 3000,
    'app/run.sh': file('run', { mode: 0o755 }),
    'var/lib/dpkg/status': 'Package: libold\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n',
    'var/lib/dpkg/info/libold.list': '/usr/lib/libold.so\n',
  },
  'ADD rootfs.tar /',
);

let a: BuiltImage;
let b: BuiltImage;
let dir: string;

beforeAll(async () => {
  a = await buildOciLayout([base, layer({ 'app/main.py': 400 }, 'COPY . /app')], {
    config: { User: 'root', Cmd: ['python3', 'main.py'] },
  });
  b = await buildDockerArchive(
    [
      base,
      layer(
        {
          'app/main.py': 450,
          'app/cache.pyc': 120,
          'usr/lib/node_modules/express/package.json': '{"name":"express","version":"4.19.2"}',
          'usr/lib/node_modules/express/index.js': 60000,
          'usr/lib/node_modules/debug/package.json': '{"name":"debug","version":"4.3.4"}',
          'usr/lib/node_modules/debug/index.js': 20000,
          'app/run.sh': file('run', { mode: 0o700 }),
          'tmp/download.tgz': 5000,
        },
        'RUN npm i -g express && chmod 700 /app/run.sh',
      ),
      layer({ 'tmp/.wh.download.tgz': WHITEOUT }, 'RUN rm /tmp/download.tgz'),
    ],
    { config: { User: 'app', Cmd: ['node', 'main.js'], Env: ['NODE_ENV=production'] } },
  );
  dir = mkdtempSync(join(tmpdir(), 'ballast-diff-cli-'));
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const oneLineError = (stderr: string, hint = true) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(hint ? /^error: .+ \(hint: .+\)$/ : /^error: .+$/);
};

describe('ballast diff (CLI)', () => {
  it('prints the documented JSON; each summary is what analyze --json prints', async () => {
    const [diff, analyzeA, analyzeB] = await Promise.all([
      // --no-cache: the analyze runs beside it fill the layer result cache, and the layer counts below are this diff's own reads.
      runCli(['diff', a.path, b.path, '--json', '--no-cache']),
      // (--no-cache here too: a layer served from the cache says its checks are `cached`, the diff's say `verified`.)
      runCli(['analyze', a.path, '--json', '--no-cache']),
      runCli(['analyze', b.path, '--json', '--no-cache']),
    ]);
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    const r = JSON.parse(diff.stdout);
    for (const key of ['a', 'b', 'delta', 'layers', 'files', 'directories', 'packages', 'config', 'waste'])
      expect(r).toHaveProperty(key);
    expect(Object.keys(r.delta).sort()).toEqual([
      'compressedBytes',
      'files',
      'finalFileBytes',
      'uncompressedBytes',
      'wastedBytes',
    ]);
    expect(Object.keys(r.layers).sort()).toEqual(['commonPrefix', 'onlyA', 'onlyB', 'shared']);
    expect(Object.keys(r.files).sort()).toEqual(['added', 'changed', 'metadata', 'removed', 'totals']);
    expect(r.a.summary).toEqual(JSON.parse(analyzeA.stdout).summary);
    expect(r.b.summary).toEqual(JSON.parse(analyzeB.stdout).summary);
    expect(r.a.image).toEqual(JSON.parse(analyzeA.stdout).image);
    expect(r.delta.uncompressedBytes).toBe(r.b.summary.uncompressedBytes - r.a.summary.uncompressedBytes);
    // B is a docker archive of plain tars: its compressedBytes is its tar size, which the count says.
    expect([r.a.summary.plainLayers, r.b.summary.plainLayers]).toEqual([0, 3]);
    expect(r.walk).toEqual({ sharedLayers: 1, layersRead: { a: 2, b: 2 } });
    expect(r.packages.added.map((p: { name: string }) => p.name).sort()).toEqual(['debug', 'express']);
    expect(r.config.map((c: { key: string }) => c.key)).toEqual(['user', 'cmd', 'env.NODE_ENV']);
  });

  it('gives the same result on worker threads and in-process', async () => {
    // No cache: the two run at once, and one finding layers the other has just cached would say `cached`, not
    // `verified`, in its checks, a difference of timing and not of the walk.
    const [workers, inProcess] = await Promise.all([
      runCli(['diff', a.path, b.path, '--json', '--workers', '2', '--no-cache']),
      runCli(['diff', a.path, b.path, '--json', '--workers', '0', '--no-cache']),
    ]);
    expect(workers.code).toBe(0);
    expect(JSON.parse(workers.stdout)).toEqual(JSON.parse(inProcess.stdout));
  });

  it('prints text for people, every section by default', async () => {
    const { code, stdout, stderr } = await runCli(['diff', a.path, b.path]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^this change grew the image by .+ uncompressed: \+8\d\.\d kB in \/usr\/lib\/node_modules \(2 node packages added\)/m,
    );
    for (const heading of [
      'Size',
      'Layers: 1 shared, 1 only in A, 2 only in B',
      'Files: 5 added',
      'Directories',
      'Packages',
      'Config: 3 differences',
      'Waste:',
    ])
      expect(stdout).toContain(heading);
    expect(stdout).toMatch(/\+\s+\+60\.0 kB\s+\/usr\/lib\/node_modules\/express\/index\.js/);
    expect(stdout).toMatch(/m\s+0 B\s+\/app\/run\.sh mode 0755 -> 0700 \(3 B, same content\)/);
    expect(stdout).toMatch(/5\.00 kB\s+deleted\s+L1 hidden by L2\s+\/tmp\/download\.tgz/);
    // A layer's tar size, not analyze's (and dive's) sum of its file bytes: the column says which.
    expect(stdout).toMatch(/^ +A +B +Tar size +Instruction$/m);
    // B's layers are plain tars: its compressed size is its tar size, and said so (A's, gzip, is not marked), with no
    // delta or %: a tar size less a compressed one is no growth.
    expect(stdout).toMatch(/^Compressed +[\d.]+ kB +[\d.]+ kB \(stored uncompressed\) +- +-$/m);
    expect(stdout).not.toContain('\u001b[');
  });

  it('prints as many rows as --top asks in text too (10 when not given, as before)', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`data/f${String(i).padStart(2, '0')}`, 100 + i]),
    );
    const wide = await buildOciLayout([base, layer(many, 'COPY data /data')]);
    try {
      const added = (stdout: string) => stdout.split('\n').filter((l) => /^\+\s+\+\d+ B\s+\/data\/f\d\d$/.test(l));
      const asked = await runCli(['diff', a.path, wide.path, '--only', 'files', '--top', '25']);
      expect(asked.code).toBe(0);
      expect(added(asked.stdout)).toHaveLength(25);
      expect(asked.stdout).toContain('…and 5 more');
      const unasked = await runCli(['diff', a.path, wide.path, '--only', 'files']);
      expect(added(unasked.stdout)).toHaveLength(10);
    } finally {
      wide.cleanup();
    }
  });

  it('writes a markdown PR comment with -o', async () => {
    const out = join(dir, 'comment.md');
    const { code, stdout } = await runCli(['diff', a.path, b.path, '--format', 'markdown', '-o', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('| | # | Tar size | Instruction |');
    expect(md).toMatch(
      /^### ballast diff: `.+` → `.+`\n\nThis change grew the image by .+: \+8\d\.\d kB in \/usr\/lib\/node_modules \(2 node packages added\)/,
    );
    expect(md).toContain('| Compressed |');
    // The packages table has the sizes the text's has, not only the counts
    expect(md).toContain('| node | 0 (0 B) | 2 (80.1 kB) | +80.1 kB | 2 | 0 | 0 |');
    const text = (await runCli(['diff', a.path, b.path, '--only', 'packages'])).stdout;
    expect(text).toMatch(/^node +0 \(0 B\) +2 \(80\.1 kB\) +\+80\.1 kB +2 +0 +0$/m);
    expect(md).toContain('| `user` | `root` | `app` |');
  });

  it('shows only the sections asked for, in text and JSON', async () => {
    const text = await runCli(['diff', a.path, b.path, '--only', 'size,packages']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Size');
    expect(text.stdout).toContain('Packages');
    for (const hidden of ['Files:', 'Config:', 'Waste:', 'Layers:', 'Directories'])
      expect(text.stdout).not.toContain(hidden);
    const json = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'files', '--json'])).stdout);
    expect(Object.keys(json).sort()).toEqual([
      'a',
      'b',
      'delta',
      'explaining',
      'explainingWaste',
      'files',
      'growth',
      'ignore',
      'percent',
      'sameImage',
      'schemaVersion',
      'unexplainedBytes',
      'walk',
    ]);
  });

  it("takes container-diff's --type names for the sections (--type=file --type=node, --type metadata)", async () => {
    const json = JSON.parse(
      (await runCli(['diff', a.path, b.path, '--type=file', '--type=node', '--type', 'metadata', '--json'])).stdout,
    );
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['files', 'packages', 'config']));
    expect(Object.keys(json)).not.toContain('layers');
    // container-diff's per-layer size analyzer: the layers section, which has each layer's size.
    const sizelayer = await runCli(['diff', a.path, b.path, '--type', 'sizelayer', '--type', 'size', '--json']);
    expect(sizelayer.code).toBe(0);
    expect(Object.keys(JSON.parse(sizelayer.stdout))).toContain('layers');
    expect(Object.keys(JSON.parse(sizelayer.stdout))).not.toContain('files');
    // An empty value (an unset shell variable) names no section: an error, not a report without any.
    const empty = await runCli(['diff', a.path, b.path, '--only', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^error: --only: no section named \(hint: pick from size,layers,/);
    expect(empty.stderr.trim().split('\n')).toHaveLength(1);
    // The error names the flag as typed, the one holding the wrong name: a container-diff command line (`-t nope`)
    // was told of an `--only nope` it never typed
    const [wrong, short, both] = await Promise.all([
      runCli(['diff', a.path, b.path, '--type=nope']),
      runCli(['diff', a.path, b.path, '-t', 'apt', '-t', 'nope']),
      runCli(['diff', a.path, b.path, '--only', 'nope', '-t', 'apt']),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^error: --type nope: no such section/);
    expect([short.code, short.stderr]).toEqual([2, expect.stringMatching(/^error: -t nope: no such section/)]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/^error: --only nope: no such section/)]);
  });

  it('leaves --ignore globs out of the file lists', async () => {
    const r = JSON.parse(
      (await runCli(['diff', a.path, b.path, '--ignore', '**/*.pyc', '--ignore', 'usr/lib/node_modules', '--json']))
        .stdout,
    );
    expect(r.files.added.map((f: { path: string }) => f.path)).toEqual([]);
    expect(r.files.totals.ignored).toBe(5);
    expect(r.ignore).toEqual(['**/*.pyc', 'usr/lib/node_modules']);
  });

  it('says when a pattern without a slash matches nothing at the root but would below it', async () => {
    // `--ignore '*.pyc'` is anchored at the root: it left out nothing here, and said nothing.
    const args = ['diff', a.path, b.path, '--json', '--only', 'size'];
    const ignoring = async (...globs: string[]) =>
      (await runCli([...args, ...globs.flatMap((g) => ['--ignore', g])])).stderr.trim().split('\n').filter(Boolean);
    expect(await ignoring('*.pyc', '*.so', 'app', 'nothing', '*.js')).toEqual([
      "note: --ignore '*.pyc' matched nothing at the root; '**/*.pyc' would leave out 1 file",
      // (in both images: one path)
      "note: --ignore '*.so' matched nothing at the root; '**/*.so' would leave out 1 file",
      "note: --ignore '*.js' matched nothing at the root; '**/*.js' would leave out 2 files",
    ]);
    expect(await ignoring('**/*.pyc', 'usr/*.so', 'bin')).toEqual([]);
  });

  it("counts in that note every entry '**/PATTERN' would leave out, directories and symlinks too", async () => {
    // The count was of regular files only, and a pattern naming a symlink or an empty directory at the root was said
    // to match nothing there: `lib` on a merged /usr (a symlink to usr/lib) got "would leave out 1 file".
    const image = await buildOciLayout([
      layer({
        lib: symlink('usr/lib'),
        'usr/lib/x.so': 10,
        'var/cache': DIR,
        'srv/web/cache/one': 5,
        'srv/web/cache/two': 5,
        'srv/web/cache/latest': symlink('one'),
      }),
    ]);
    try {
      const notes = async (glob: string) =>
        (await runCli(['diff', image.path, image.path, '--json', '--only', 'size', '--ignore', glob])).stderr
          .trim()
          .split('\n')
          .filter(Boolean);
      expect(await notes('cache')).toEqual([
        "note: --ignore 'cache' matched nothing at the root; '**/cache' would leave out 2 directories, 2 files and 1 symlink",
      ]);
      expect(await notes('x.so')).toEqual([
        "note: --ignore 'x.so' matched nothing at the root; '**/x.so' would leave out 1 file",
      ]);
      expect(await notes('lib')).toEqual([]);
    } finally {
      image.cleanup();
    }
  });

  it('counts as ignored the changes --ignore leaves out, not the unchanged files under the glob', async () => {
    // No layer in common, so the unchanged files are read from each image (not one shared node) and compared.
    const before = await buildOciLayout([
      layer({ 'usr/share/doc/tool/README': 'same text', 'usr/bin/tool': 100, 'usr/bin/old': 10 }),
    ]);
    const after = await buildOciLayout([
      layer({ 'usr/share/doc/tool/README': 'same text', 'usr/bin/tool': 200, 'usr/bin/new': 20 }),
    ]);
    try {
      const ignored = async (glob: string) =>
        JSON.parse((await runCli(['diff', before.path, after.path, '--ignore', glob, '--json'])).stdout).files.totals
          .ignored;
      expect(await ignored('usr/share')).toBe(0);
      expect(await ignored('usr')).toBe(3);
      expect(await ignored('usr/bin/new')).toBe(1);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('exits 1 when growth is over --fail-on-growth, 0 when within', async () => {
    const over = await runCli(['diff', a.path, b.path, '--fail-on-growth', '50kB', '--growth-metric', 'files']);
    expect(over.code).toBe(1);
    // The limit in the growth's own units (`50kB` beside `+8x.x kB` made the reader compare two spellings)
    expect(over.stdout).toMatch(/growth \+8\d\.\d kB final file bytes is over the limit 50\.0 kB$/m);
    const within = await runCli(['diff', a.path, b.path, '--fail-on-growth', '1000%']);
    expect(within.code).toBe(0);
    expect(within.stdout).toContain('is within the limit 1000%');
    // A limit without a unit is bytes, and says so (`the limit 10` read as 10%).
    const bare = await runCli(['diff', a.path, b.path, '--fail-on-growth', '10']);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain('is over the limit 10 B');
    const shrink = await runCli(['diff', b.path, a.path, '--fail-on-growth', '0']);
    expect(shrink.code).toBe(0);
    expect(shrink.stdout).toMatch(/^growth -\S+ kB uncompressed is within the limit 0 B$/m);
    // --json keeps the limit as given, and its exact bytes
    const json = await runCli(['diff', b.path, a.path, '--fail-on-growth', '100MB', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).growth).toMatchObject({ limit: '100MB', limitBytes: 100_000_000, exceeded: false });
    const text = await runCli(['diff', b.path, a.path, '--fail-on-growth', '100MB']);
    expect(text.stdout).toMatch(/ is within the limit 100 MB$/m);
  });

  it('says in --help that --growth-metric files measures final file bytes, not a count of files', async () => {
    const help = await runCli(['diff', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--growth-metric=<option> .*files: final file bytes/);
  });

  it('gives the growth as a percentage in the verdict when the limit is one', async () => {
    // "+8.9 kB is over the limit 1%" set bytes against a percentage: the log reader could not check it.
    const over = await runCli(['diff', a.path, b.path, '--fail-on-growth', '1%', '--growth-metric', 'files']);
    expect(over.code).toBe(1);
    // The change as the size table gives it (a multiple past ten times A's size)
    const percent = over.stdout.match(/^Final file bytes +\S+ kB +\S+ kB +\S+ kB +(\S+)$/m)![1];
    expect(over.stdout).toMatch(/^growth \+\S+ kB \(\S+\) final file bytes is over the limit 1%$/m);
    expect(over.stdout).toContain(`(${percent}) final file bytes is over the limit 1%\n`);
    const md = await runCli([
      'diff',
      a.path,
      b.path,
      '--fail-on-growth',
      '1%',
      '--growth-metric',
      'files',
      '--format',
      'markdown',
    ]);
    expect(md.stdout).toContain(`(${percent}) final file bytes is over the limit 1%.`);
    // A limit in bytes is set against bytes, as before
    const bytes = await runCli(['diff', a.path, b.path, '--fail-on-growth', '1kB', '--growth-metric', 'files']);
    expect(bytes.stdout).toMatch(/^growth \+\S+ kB final file bytes is over the limit 1\.00 kB$/m);
  });

  // Regression: the text said "A and B are the same image" where --json had nothing to tell it by.
  it('says in --json whether A and B are one image (sameImage), whatever --only picks', async () => {
    const saved = await buildDockerArchive([base, layer({ 'app/main.py': 400 }, 'COPY . /app')], {
      config: { User: 'root', Cmd: ['python3', 'main.py'] },
    });
    try {
      const same = async (args: string[]) => {
        const run = await runCli(['diff', '--json', ...args]);
        expect([run.code, run.stderr]).toEqual([0, '']);
        return (JSON.parse(run.stdout) as { sameImage?: boolean }).sameImage;
      };
      expect(await same([a.path, a.path])).toBe(true);
      // The docker-save copy of A: one config, stored another way.
      expect(await same([a.path, saved.path])).toBe(true);
      expect(await same([a.path, saved.path, '--only', 'files'])).toBe(true);
      expect(await same([a.path, b.path])).toBe(false);
    } finally {
      saved.cleanup();
    }
  });

  it('refuses compressed growth for an image stored uncompressed, rather than gating on its tar size', async () => {
    // Given one image as pushed (gzip layers) and the same image from `docker save` (plain tars)
    const pushed = await buildOciLayout([base]);
    const saved = await buildDockerArchive([base]);
    try {
      // When the gate measures compressed growth between them
      const gate = await runCli([
        'diff',
        pushed.path,
        saved.path,
        '--growth-metric',
        'compressed',
        '--fail-on-growth',
        '10%',
      ]);
      // Then it is an error naming the side and what to give instead, not a failed gate on the same image
      expect(gate.code).toBe(2);
      expect(gate.stdout).toBe('');
      oneLineError(gate.stderr);
      expect(gate.stderr).toMatch(
        /^error: --growth-metric compressed: B \(.*image\.tar\) stores 1 of 1 layers uncompressed \(as docker save writes them\)/,
      );
      expect(gate.stderr).toContain('--growth-metric uncompressed');
      // The other metrics measure it as before, and the same image did not grow
      const plain = await runCli(['diff', pushed.path, saved.path, '--fail-on-growth', '10%']);
      expect(plain.code).toBe(0);
    } finally {
      pushed.cleanup();
      saved.cleanup();
    }
  });

  it('fails with one line and exit 2 on bad input', async () => {
    for (const args of [
      ['diff', join(dir, 'missing.tar'), b.path],
      ['diff', a.path, join(dir, 'missing.tar')],
      ['diff', a.path, b.path, '--only', 'sizes'],
      ['diff', a.path, b.path, '--fail-on-growth', 'lots'],
      // A fraction of a byte: rounded, 0.4 was a limit of 0 bytes.
      ['diff', a.path, b.path, '--fail-on-growth', '0.4'],
      // An empty glob (or "/", emptied by dropping its slash) was picomatch's own words, with no hint.
      ['diff', a.path, b.path, '--ignore', ''],
      ['diff', a.path, b.path, '--ignore', '/'],
    ]) {
      const { code, stdout, stderr } = await runCli(args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stdout).toBe('');
      oneLineError(stderr);
    }
    // A missing argument, found by oclif's parser, is said the same way: one line with a hint.
    const missing = await runCli(['diff', a.path]);
    expect(missing.code).toBe(2);
    oneLineError(missing.stderr);
    expect(missing.stderr).toMatch(/^error: missing B \(hint: run `ballast diff --help`/);
  });
  it('a later layer that deletes files grows the image: the headline says the files shrank, not which dirs did', async () => {
    // Given B: A's base plus a layer that deletes the library (its bytes still ship in the base layer)
    const deleting = await buildOciLayout([
      base,
      layer({ 'usr/lib/.wh.libold.so': WHITEOUT }, 'RUN rm /usr/lib/libold.so'),
    ]);
    const only = await buildOciLayout([base]);
    try {
      const grew = await runCli(['diff', only.path, deleting.path, '--only', 'size']);
      expect(grew.code).toBe(0);
      const story = grew.stdout.split('\n').find((l) => l.startsWith('this change'))!;
      // Then it grew, and the shrinking /usr is not given as the reason
      expect(story).toMatch(/^this change grew the image by /);
      expect(story).not.toContain('in /usr');
      expect(story).toMatch(/the files changed by -3\.00 kB while wasted bytes changed by \+3\.00 kB/);
      // And the other way round it shrank, while the files grew by what the deleting layer had hidden
      const shrank = await runCli(['diff', deleting.path, only.path, '--only', 'size']);
      expect(shrank.stdout).toMatch(/^this change shrank the image by .*the files changed by \+3\.00 kB/m);
    } finally {
      deleting.cleanup();
      only.cleanup();
    }
  });
  it('waste A already has is not new in B when only its cause changed (overwritten in A, a chmod copy in B)', async () => {
    // Given a shared base with a 5,000-byte file that A rewrites and B only chmods: its base copy is wasted in both
    const conf = Buffer.alloc(5000, 'a');
    const shared = layer({ 'etc/big.conf': file(conf) }, 'ADD rootfs.tar /');
    const rewrites = await buildOciLayout([shared, layer({ 'etc/big.conf': file(Buffer.alloc(5000, 'b')) }, 'RUN x')]);
    const chmods = await buildOciLayout([shared, layer({ 'etc/big.conf': file(conf, { mode: 0o600 }) }, 'RUN y')]);
    try {
      const r = await runCli(['diff', rewrites.path, chmods.path, '--only', 'waste', '--json']);
      expect(r.code).toBe(0);
      const waste = JSON.parse(r.stdout).waste;
      // Then B's waste is the same bytes of the same layer: nothing new
      expect(waste.b.wastedBytes).toBe(5000);
      expect(waste.newTotals).toEqual({ files: 0, bytes: 0 });
      // And a copy in a layer of B's own is new, though path and size are the same
      const again = await buildOciLayout([
        shared,
        layer({ 'etc/big.conf': file(Buffer.alloc(5000, 'c')) }, 'RUN z'),
        layer({ 'etc/big.conf': file(Buffer.alloc(5000, 'd')) }, 'RUN w'),
      ]);
      try {
        const n = JSON.parse((await runCli(['diff', rewrites.path, again.path, '--only', 'waste', '--json'])).stdout);
        expect(n.waste.newTotals).toEqual({ files: 1, bytes: 5000 });
        // And the text and markdown reports count it in the singular (they said "1 files")
        const text = (await runCli(['diff', rewrites.path, again.path, '--only', 'waste'])).stdout;
        expect(text).toMatch(/new in B: 1 file, /);
        const markdown = (await runCli(['diff', rewrites.path, again.path, '--only', 'waste', '--format', 'markdown']))
          .stdout;
        expect(markdown).toMatch(/new in B: 1 file, /);
      } finally {
        again.cleanup();
      }
    } finally {
      rewrites.cleanup();
      chmods.cleanup();
    }
  });
});

describe("ballast diff: yesterday's image against today's rebuild", () => {
  // The same Dockerfile built a day apart: apt's lists, written by one layer and deleted by a later one, are wasted in
  // both and bigger today (curl a little bigger too). That waste is not new, only its size changed: counted as such
  // in every format, and not given by the story as where the growth went.
  const lists = 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages';
  const rebuild = (listBytes: number, curlBytes: number) =>
    buildOciLayout([
      base,
      layer({ [lists]: listBytes, 'usr/bin/curl': curlBytes }, 'RUN apt-get update && apt-get install -y curl'),
      layer({ [lists.replace(/[^/]+$/, (n) => `.wh.${n}`)]: WHITEOUT }, 'RUN rm -rf /var/lib/apt/lists/*'),
    ]);
  let yesterday: BuiltImage;
  let today: BuiltImage;
  beforeAll(async () => {
    [yesterday, today] = await Promise.all([rebuild(40000, 800), rebuild(52000, 900)]);
  });
  afterAll(() => {
    yesterday?.cleanup();
    today?.cleanup();
  });

  it('counts the bigger apt lists as waste that changed size, not as new waste', async () => {
    const json = await runCli(['diff', yesterday.path, today.path, '--json']);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.waste.deltaBytes).toBe(12000);
    expect(r.waste.newTotals).toEqual({ files: 0, bytes: 0 });
    expect(r.waste.newFiles).toEqual([]);
    expect(r.waste.resizedTotals).toEqual({ files: 1, deltaBytes: 12000 });
    expect(r.waste.resizedFiles).toEqual([
      { path: lists, cause: 'deleted', layer: 1, byLayer: 2, beforeBytes: 40000, afterBytes: 52000, deltaBytes: 12000 },
    ]);
    expect(r.explainingWaste).toEqual({ deltaBytes: 12000, biggest: [] });
    const text = (await runCli(['diff', yesterday.path, today.path])).stdout;
    expect(text).toMatch(/new in B: 0 files, 0 B; 1 wasted path also in A changed size: \+12\.0 kB/);
    // The text lists the path too, with both sizes, as the JSON does
    expect(text).toContain(`\n+12.0 kB  40.0 kB -> 52.0 kB  deleted  L1 hidden by L2  /${lists}\n`);
    const story = text.split('\n').find((l) => l.startsWith('this change'))!;
    expect(story).toContain(': +12.0 kB wasted (written by one layer, deleted or replaced by a later one)');
    expect(story).not.toContain('apt/lists');
    const markdown = (await runCli(['diff', yesterday.path, today.path, '--format', 'markdown'])).stdout;
    expect(markdown).toMatch(/new in B: 0 files, 0 B; 1 wasted path also in A changed size: \+12\.0 kB\./);
    // Its story does not name the lists either; its waste section lists them as the text does
    expect(markdown.split('\n').find((l) => l.startsWith('This change'))).not.toContain('apt/lists');
    expect(markdown).toContain('<summary>Also wasted in A, at another size</summary>');
    expect(markdown).not.toContain('New wasted files in B');
  });

  it('lists the biggest changes of size first in the text, up to --top, and counts the rest', async () => {
    // Given a rebuild whose apt cache, deleted with the lists, came out smaller
    const cache = 'var/cache/apt/pkgcache.bin';
    const withCache = (listBytes: number, cacheBytes: number) =>
      buildOciLayout([
        base,
        layer({ [lists]: listBytes, [cache]: cacheBytes }, 'RUN apt-get update && apt-get install -y curl'),
        layer(
          { [lists.replace(/[^/]+$/, (n) => `.wh.${n}`)]: WHITEOUT, 'var/cache/apt/.wh.pkgcache.bin': WHITEOUT },
          'RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin',
        ),
      ]);
    const [a, b] = await Promise.all([withCache(40000, 9000), withCache(52000, 8000)]);
    try {
      const all = (await runCli(['diff', a.path, b.path, '--only', 'waste'])).stdout;
      expect(all).toContain(
        [
          'Also wasted in A, at another size:',
          `+12.0 kB  40.0 kB -> 52.0 kB  deleted  L1 hidden by L2  /${lists}`,
          `-1.00 kB  9.00 kB -> 8.00 kB  deleted  L1 hidden by L2  /${cache}`,
        ].join('\n'),
      );
      expect(all).not.toContain('more (--json lists all)');
      const top = (await runCli(['diff', a.path, b.path, '--only', 'waste', '--top', '1'])).stdout;
      expect(top).toContain(`/${lists}\n  …and 1 more (--json lists all)`);
      expect(top).not.toContain(cache);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('lists the largest new and resized wasted paths in text and Markdown, and every one in --json', async () => {
    // Given a rebuild whose apt lists and cache, deleted later, changed size, and which leaves two new downloads
    const cache = 'var/cache/apt/pkgcache.bin';
    const image = (listBytes: number, cacheBytes: number, downloads: Record<string, number>) =>
      buildOciLayout([
        base,
        layer(
          { [lists]: listBytes, [cache]: cacheBytes, ...downloads },
          'RUN apt-get update && apt-get install -y curl',
        ),
        layer(
          {
            [lists.replace(/[^/]+$/, (n) => `.wh.${n}`)]: WHITEOUT,
            'var/cache/apt/.wh.pkgcache.bin': WHITEOUT,
            ...Object.fromEntries(
              Object.keys(downloads).map((p) => [p.replace(/[^/]+$/, (n) => `.wh.${n}`), WHITEOUT]),
            ),
          },
          'RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /tmp/*',
        ),
      ]);
    const [a, b] = await Promise.all([
      image(40000, 9000, {}),
      image(52000, 8000, { 'tmp/one.tar': 3000, 'tmp/two.tar': 2000 }),
    ]);
    try {
      // When the text shows one row of each list
      const text = (await runCli(['diff', a.path, b.path, '--only', 'waste', '--top', '1'])).stdout;
      expect(text.match(/…and 1 more \(--json lists all\)/g)).toHaveLength(2);
      // Then --json with the same --top lists all of them, as it lists every file, as they say
      const json = await runCli(['diff', a.path, b.path, '--only', 'waste', '--top', '1', '--json']);
      const { waste } = JSON.parse(json.stdout);
      expect(waste.newFiles.map((w: { path: string }) => w.path)).toEqual(['tmp/one.tar', 'tmp/two.tar']);
      expect(waste.newTotals).toEqual({ files: 2, bytes: 5000 });
      expect(waste.resizedFiles.map((w: { path: string }) => w.path)).toEqual([lists, cache]);
      expect(waste.resizedTotals).toEqual({ files: 2, deltaBytes: 11000 });
      // And the Markdown (a PR comment) lists the paths as the text does, the largest first, and counts the rest
      const markdown = (await runCli(['diff', a.path, b.path, '--only', 'waste', '--top', '1', '--format', 'markdown']))
        .stdout;
      expect(markdown).toContain(
        '| 3.00 kB | deleted | L1 hidden by L2 | `/tmp/one.tar` |\n\n…and 1 more (`--json` lists all).',
      );
      expect(markdown).toContain(
        `| +12.0 kB | 40.0 kB → 52.0 kB | deleted | L1 hidden by L2 | \`/${lists}\` |\n\n…and 1 more (\`--json\` lists all).`,
      );
      expect(markdown).not.toContain('two.tar');
      expect(markdown).not.toContain(cache);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe('ballast diff: config values holding control characters', () => {
  it('shows a newline in a label or env value escaped, so it does not read as a space', async () => {
    // Given A and B differing only by a newline against a space in a label and an env value
    const withConfig = (sep: string) =>
      buildOciLayout([base], {
        config: { Env: [`GREETING=hello${sep}world`], Labels: { description: `line one${sep}line two` } },
      });
    const a = await withConfig(' ');
    const b = await withConfig('\n');
    try {
      const text = (await runCli(['diff', a.path, b.path, '--only', 'config'])).stdout;
      // Then text and markdown show the newline as an escape, and the two values differ on screen too
      expect(text).toMatch(/env\.GREETING +hello world +-> +hello\\x0aworld/);
      expect(text).toMatch(/labels\.description +line one line two +-> +line one\\x0aline two/);
      const md = (await runCli(['diff', a.path, b.path, '--only', 'config', '--format', 'markdown'])).stdout;
      expect(md).toContain('| `env.GREETING` | `hello world` | `hello\\x0aworld` |');
      expect(md).toContain('| `labels.description` | `line one line two` | `line one\\x0aline two` |');
      // And --json keeps the raw values
      const json = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'config', '--json'])).stdout);
      expect(json.config).toEqual([
        { key: 'env.GREETING', a: 'hello world', b: 'hello\nworld' },
        { key: 'labels.description', a: 'line one line two', b: 'line one\nline two' },
      ]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe('ballast diff: configs that differ only in who built them, when, or for which OS build', () => {
  it('names created, author and os.version as config differences, not "0 differences"', async () => {
    // Given the same layers and container config, built at another time, by another author, for another OS build
    const a = await buildDockerArchive([base], { image: { created: '2026-01-01T00:00:00Z' } });
    const b = await buildDockerArchive([base], {
      image: { created: '2026-02-01T00:00:00Z', author: 'ci@example.com', 'os.version': '10.0.20348.2113' },
    });
    try {
      const text = (await runCli(['diff', a.path, b.path])).stdout;
      // Then the first line and the config section say what differs
      expect(text).toMatch(/^this change did not change the image size \(uncompressed\): config: 3 differences$/m);
      expect(text).toContain('Config: 3 differences');
      expect(text).toMatch(/^ +osVersion +\(none\) +-> +10\.0\.20348\.2113$/m);
      expect(text).toMatch(/^ +author +\(none\) +-> +ci@example\.com$/m);
      expect(text).toMatch(/^ +created +2026-01-01T00:00:00Z +-> +2026-02-01T00:00:00Z$/m);
      const md = (await runCli(['diff', a.path, b.path, '--only', 'config', '--format', 'markdown'])).stdout;
      expect(md).toContain('| `created` | `2026-01-01T00:00:00Z` | `2026-02-01T00:00:00Z` |');
      // And --json lists them, as it lists every key that differs
      const json = JSON.parse((await runCli(['diff', a.path, b.path, '--json'])).stdout);
      expect(json.sameImage).toBe(false);
      expect(json.config).toEqual([
        { key: 'osVersion', a: null, b: '10.0.20348.2113' },
        { key: 'author', a: null, b: 'ci@example.com' },
        { key: 'created', a: '2026-01-01T00:00:00Z', b: '2026-02-01T00:00:00Z' },
      ]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe("ballast diff: configs that differ only in the container config's other fields", () => {
  it('names ArgsEscaped, StopTimeout and the rest, and not a field at its zero value on one side only', async () => {
    // Given one config from Docker's builder (ArgsEscaped, Image, Tty: false written out) and one from buildah
    const a = await buildDockerArchive([base], {
      config: { Cmd: ['sh'], ArgsEscaped: true, Image: 'sha256:1234', Tty: false, Hostname: '' },
    });
    const b = await buildDockerArchive([base], { config: { Cmd: ['sh'], StopTimeout: 30 } });
    try {
      const json = JSON.parse((await runCli(['diff', a.path, b.path, '--json'])).stdout);
      // Then each field set on either side differs, by its name; Tty false and an empty Hostname are as absent
      expect(json.sameImage).toBe(false);
      expect(json.config).toEqual([
        { key: 'containerConfig.ArgsEscaped', a: 'true', b: null },
        { key: 'containerConfig.Image', a: 'sha256:1234', b: null },
        { key: 'containerConfig.StopTimeout', a: null, b: '30' },
      ]);
      const text = (await runCli(['diff', a.path, b.path, '--only', 'config'])).stdout;
      expect(text).toContain('Config: 3 differences');
      expect(text).toMatch(/^ +containerConfig\.ArgsEscaped +true +-> +\(none\)$/m);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe('ballast diff: two platforms of one multi-platform image', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-diff-platforms-'));
    await writeMultiPlatformLayout(dir, ['linux/amd64', 'linux/arm64']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("takes --platform twice as A's and then B's", async () => {
    const result = await runCli(['diff', dir, dir, '--platform', 'linux/amd64', '--platform', 'arm64', '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const json = JSON.parse(result.stdout);
    expect([json.a.image.platform, json.b.image.platform]).toEqual(['linux/amd64', 'linux/arm64']);
    expect(json.files.added.map((f: { path: string }) => f.path)).toEqual(['opt/arm64/payload.txt']);
    expect(json.files.removed.map((f: { path: string }) => f.path)).toEqual(['opt/amd64/payload.txt']);
    // The text header says which platform each side is
    const text = (await runCli(['diff', dir, dir, '--platform', 'amd64', '--platform', 'arm64', '--only', 'size']))
      .stdout;
    expect(text).toMatch(/^A .* linux\/amd64\nB .* linux\/arm64$/m);
  });

  it('applies one --platform to both sides, and refuses a third', async () => {
    const one = JSON.parse((await runCli(['diff', dir, dir, '--platform', 'linux/arm64', '--json'])).stdout);
    expect([one.a.image.platform, one.b.image.platform]).toEqual(['linux/arm64', 'linux/arm64']);
    const three = await runCli(['diff', dir, dir, '--platform', 'amd64', '--platform', 'arm64', '--platform', 'arm']);
    expect(three.code).toBe(2);
    expect(three.stderr).toMatch(
      /^error: --platform given 3 times: once for both images, or twice \(A's, then B's\) \(hint: /,
    );
  });
});
