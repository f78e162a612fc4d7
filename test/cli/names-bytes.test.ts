// File names that are not valid UTF-8, in every command's output: each byte that is not part of a UTF-8 character is
// shown as `\xHH`, as `ballast diff` lists them, so `data/a<ff>` and `data/a<fe>` never both read `data/a\ufffd`.
// Valid UTF-8 names (accents, CJK, emoji) show as they are, control characters escaped as before.
import { runCli } from '../helpers/cli.js';
import { rawTar, writeLayout, type Layout } from '../helpers/hostile.js';
import { unbroken } from '../helpers/html-text.js';

const name = (...parts: (string | number)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'utf8'))));
const TAR = 'application/vnd.oci.image.layer.v1.tar';
const BIG = 'x'.repeat(200_000);

/** L0 a base file; L1 the names (a<ff> big); L2 deletes a<ff>, so its bytes are wasted and IM003 names it. */
const layers = (withDelete: boolean) => [
  rawTar([{ name: 'etc/base', content: 'base\n' }]),
  rawTar([
    { name: 'data/', type: 'dir' },
    { name: name('data/a', 0xff), content: BIG },
    { name: name('data/a', 0xfe), content: 'two\n' },
    { name: name('data/café'), content: 'accent\n' },
    { name: name('data/日本語'), content: 'cjk\n' },
    { name: name('data/\u{1f600}'), content: 'emoji\n' },
    { name: name('data/tab\there'), content: 'control\n' },
  ]),
  ...(withDelete ? [rawTar([{ name: name('data/.wh.a', 0xff), content: '' }])] : []),
];

describe('names that are not UTF-8 in every command', () => {
  let wasteful: Layout;
  let plain: Layout;

  beforeAll(() => {
    wasteful = writeLayout({ layers: layers(true), layerTypes: [TAR, TAR, TAR] });
    plain = writeLayout({ layers: layers(false), layerTypes: [TAR, TAR] });
  });

  afterAll(() => {
    wasteful?.cleanup();
    plain?.cleanup();
  });

  it('analyze --json: wasted files, top files, findings', async () => {
    const r = await runCli(['analyze', plain.dir, '--json']);
    expect(r.code).toBe(0);
    const top = JSON.parse(r.stdout).topFiles.map((f: { path: string }) => f.path);
    expect(top).toEqual(
      expect.arrayContaining([
        'data/a\\xff',
        'data/a\\xfe',
        'data/café',
        'data/日本語',
        'data/\u{1f600}',
        // JSON escapes it itself
        'data/tab\there',
      ]),
    );
    const w = JSON.parse((await runCli(['analyze', wasteful.dir, '--json'])).stdout);
    expect(w.wastedFiles.map((f: { path: string }) => f.path)).toEqual(['data/a\\xff']);
    const im003 = w.findings.find((f: { code: string }) => f.code === 'IM003');
    expect(im003.location.path).toBe('/data/a\\xff');
    expect(im003.message).toContain('`/data/a\\xff`');
  });

  it('analyze text and markdown', async () => {
    const text = await runCli(['analyze', wasteful.dir]);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/warning IM003 200 kB layer 1 adds `\/data\/a\\xff` \(200 kB\)/);
    expect(text.stdout).toMatch(/^200 kB {2}deleted {2}L1 {10}L2 {9}\/data\/a\\xff$/m);
    expect(text.stdout).toMatch(/^ {1}4 B {2}L1 {5}\/data\/a\\xfe$/m);
    for (const shown of ['/data/café', '/data/日本語', '/data/\u{1f600}', '/data/tab\\x09here'])
      expect(text.stdout).toContain(`  ${shown}\n`);
    expect(text.stdout).not.toContain('\ufffd');
    const md = await runCli(['analyze', wasteful.dir, '--format', 'markdown']);
    expect(md.stdout).toContain('layer 1 adds `/data/a\\xff` (200 kB)');
    expect(md.stdout).not.toContain('\ufffd');
  });

  it('analyze --format html: the treemap names and the page', async () => {
    const r = await runCli(['analyze', wasteful.dir, '--format', 'html']);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\ufffd');
    expect(unbroken(r.stdout)).toContain('<code>/data/a\\xff</code>');
    const json = /<script type="application\/json" id="ballast-data">([\s\S]*?)<\/script>/.exec(r.stdout)![1];
    const data = JSON.parse(json);
    const names: string[] = [];
    (function walk(node: { n: string; c?: unknown[] }) {
      names.push(node.n);
      for (const c of (node.c ?? []) as { n: string }[]) walk(c);
    })(data.tree);
    expect(names).toEqual(expect.arrayContaining(['a\\xff', 'a\\xfe', 'café', '日本語', '\u{1f600}']));
  });

  it('ci: the finding names the file with its bytes escaped', async () => {
    const r = await runCli(['ci', wasteful.dir, '--json']);
    // stderr holds the gate's notes alone (no config here), never the report
    expect(r.stderr).not.toMatch(/^(?!note: )./m);
    const paths = JSON.parse(r.stdout).fixFirst.map((f: { location: { path?: string } }) => f.location.path);
    expect(paths).toContain('/data/a\\xff');
    const text = await runCli(['ci', wasteful.dir]);
    expect(text.stdout).toContain('data/a\\xff');
    expect(text.stdout).not.toContain('\ufffd');
  });

  it("diff: the waste new in B, as diff's own file list shows the name", async () => {
    const r = await runCli(['diff', plain.dir, wasteful.dir, '--json']);
    expect(r.stderr).toBe('');
    const diff = JSON.parse(r.stdout);
    expect(diff.files.removed.map((f: { path: string }) => f.path)).toEqual(['data/a\\xff']);
    expect(diff.waste.newFiles.map((f: { path: string }) => f.path)).toEqual(['data/a\\xff']);
    const text = (await runCli(['diff', plain.dir, wasteful.dir])).stdout;
    expect(text).toMatch(/^200 kB {2}deleted {2}L1 hidden by L2 {2}\/data\/a\\xff$/m);
    expect(text).not.toContain('\ufffd');
  });

  it.each([
    ['not UTF-8', name('app', 0xe9), '/app\\xe9/node_modules'],
    ['UTF-8 but not ASCII', name('café'), '/café/node_modules'],
  ])('analyze: a package under a directory named %s is placed in the layer that wrote it', async (_, dir, shown) => {
    // The rule looks the package's files up by the path the reports show; the image holds the bytes.
    const layout = writeLayout({
      layers: [
        rawTar([{ name: 'etc/base', content: 'base\n' }]),
        rawTar([
          {
            name: Buffer.concat([dir, name('/node_modules/jest/package.json')]),
            content: '{"name":"jest","version":"29.0.0"}',
          },
          { name: Buffer.concat([dir, name('/node_modules/jest/index.js')]), content: 'x'.repeat(5000) },
        ]),
      ],
      layerTypes: [TAR, TAR],
    });
    try {
      const r = await runCli(['analyze', layout.dir, '--json']);
      expect(r.stderr).toBe('');
      const im = JSON.parse(r.stdout).findings.find((f: { rule: string }) => f.rule === 'dev-dependencies-shipped');
      expect(im.location).toMatchObject({ path: shown, layerIndex: 1 });
      expect(im.message).toContain('ship in layer 1;');
    } finally {
      layout.cleanup();
    }
  });

  it('explore --json: the changes of each layer', async () => {
    const r = await runCli(['explore', plain.dir, '--json']);
    expect(r.stderr).toBe('');
    const paths = JSON.parse(r.stdout).layers[1].changes.map((c: { path: string }) => c.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/data/a\\xff', '/data/a\\xfe', '/data/café', '/data/日本語', '/data/tab\there']),
    );
  });
});
