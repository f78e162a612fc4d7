// `ballast diff` on file names that are not valid UTF-8: each byte that is not part of a UTF-8 character is shown as
// `\xHH`, so two such names stay apart in the output, and `--filename` takes that escaped form back.
import { runCli } from '../helpers/cli.js';
import { rawTar, writeLayout, type Layout } from '../helpers/hostile.js';

const name = (...parts: (string | number)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'utf8'))));
const TAR = 'application/vnd.oci.image.layer.v1.tar';
const image = (ff: string, fe: string) =>
  writeLayout({
    layers: [
      rawTar([
        { name: name('data/a', 0xff), content: ff },
        { name: name('data/a', 0xfe), content: fe },
        { name: name('data/caf\u00e9'), content: 'utf-8 name\n' },
      ]),
    ],
    layerTypes: [TAR],
  });

describe('ballast diff on names that are not UTF-8', () => {
  let a: Layout;
  let b: Layout;

  beforeAll(() => {
    a = image('one\n', 'two\n');
    b = image('ONE\n', 'two\n');
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('shows the bytes that are not UTF-8 as \\xHH, in JSON and text', async () => {
    const r = await runCli(['diff', a.dir, b.dir, '--only', 'files', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files.changed.map((f: { path: string }) => f.path)).toEqual(['data/a\\xff']);
    const text = (await runCli(['diff', a.dir, b.dir, '--only', 'files'])).stdout;
    expect(text).toMatch(/^~\s+0 B\s+\/data\/a\\xff 4 B -> 4 B$/m);
    expect(text).not.toContain('\ufffd');
  });

  it('takes that form in --filename', async () => {
    const r = await runCli([
      'diff',
      a.dir,
      b.dir,
      '--json',
      '--only',
      'size',
      '--filename',
      '/data/a\\xff',
      '--filename',
      '/data/a\\xfe',
      '--filename',
      '/data/café',
    ]);
    expect(r.stderr).toBe('');
    const [ff, fe, utf8] = JSON.parse(r.stdout).files.contents;
    expect(ff).toMatchObject({ path: '/data/a\\xff', status: 'changed' });
    expect(ff.diff).toContain('\n-one\n+ONE\n');
    expect(fe).toMatchObject({ path: '/data/a\\xfe', status: 'identical' });
    expect(utf8).toMatchObject({ path: '/data/café', status: 'identical' });
  });
});

describe('ballast diff --filename on a name holding a newline', () => {
  let a: Layout;
  let b: Layout;

  beforeAll(() => {
    const one = (content: string) =>
      writeLayout({ layers: [rawTar([{ name: name('data/two\nlines'), content }])], layerTypes: [TAR] });
    a = one('old\n');
    b = one('new\n');
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('keeps the unified diff headers one line each, typed raw or as \\x0a', async () => {
    // The raw name made `--- a/data/two` and `lines` two lines: no longer a unified diff, and a name could write
    // lines of its own into the report.
    for (const typed of ['/data/two\nlines', '/data/two\\x0alines']) {
      const r = await runCli(['diff', a.dir, b.dir, '--only', 'size', '--filename', typed]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('\n--- a/data/two\\x0alines\n+++ b/data/two\\x0alines\n@@ -1,1 +1,1 @@\n-old\n+new\n');
    }
  });
});

describe('ballast diff --filename on a name with blanks, typed as the text report shows it', () => {
  let a: Layout;
  let b: Layout;

  beforeAll(() => {
    const one = (content: string) =>
      writeLayout({
        layers: [
          rawTar([
            { name: name('data/a '), content },
            { name: name('data/a  b'), content: 'same\n' },
          ]),
        ],
        layerTypes: [TAR],
      });
    a = one('old\n');
    b = one('new\n');
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it("gives the image's path in --json, not the \\x20 typed", async () => {
    // The text report writes a trailing blank or a run of them as \x20 (a reader could not see them); --json is
    // read by programs, which would look for a file literally named `a\x20` that the image does not have.
    const r = await runCli([
      'diff',
      a.dir,
      b.dir,
      '--json',
      '--only',
      'size',
      '--filename',
      '/data/a\\x20',
      '--filename',
      '/data/a\\x20\\x20b',
    ]);
    expect(r.stderr).toBe('');
    const [trailing, run] = JSON.parse(r.stdout).files.contents;
    expect(trailing).toMatchObject({ path: '/data/a ', status: 'changed' });
    expect(run).toMatchObject({ path: '/data/a  b', status: 'identical' });
    // The text report still shows them escaped, as its file lists do.
    const text = (await runCli(['diff', a.dir, b.dir, '--only', 'size', '--filename', '/data/a\\x20'])).stdout;
    expect(text).toContain('--- a/data/a\\x20\n');
  });
});
