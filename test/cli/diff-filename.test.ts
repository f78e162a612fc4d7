// `ballast diff --filename PATH` end to end through the real executable (compiled dist/: `npm run build` first): one
// file's contents compared between two images built as real archives, resolved in each final filesystem (last
// writer wins, whiteouts and opaque directories delete, symlinks not followed, hardlinks give their file's bytes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoBuildahStore, type BuildahStore } from '../helpers/buildah.js';
import { runCli } from '../helpers/cli.js';
import {
  buildDockerArchive,
  buildOciLayout,
  DIR,
  hardlink,
  layer,
  OPAQUE,
  symlink,
  WHITEOUT,
  type BuiltImage,
  type LayerSpec,
} from '../helpers/image-builder.js';

const OS_A = 'NAME="Demo"\nVERSION_ID=1\nID=demo\nHOME_URL=https://example.com/\nPRETTY_NAME="Demo 1"\n';
const OS_B = 'NAME="Demo"\nVERSION_ID=2\nID=demo\nHOME_URL=https://example.com/\nPRETTY_NAME="Demo 2"\n';
const BIG = 5 * 1024 * 1024;
// Bytes without a NUL that are not UTF-8: a latin-1 config file (é as one byte) and a compressed-looking blob.
const LATIN1_A = Buffer.from('caf\xe9=1\n', 'latin1');
const LATIN1_B = Buffer.from('caf\xe9=2\n', 'latin1');
const packed = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => 0x80 + (i % 0x7f)));
const lines = (prefix: string) => Array.from({ length: 3000 }, (_, i) => `${prefix} ${i}\n`).join('');

const base: LayerSpec = layer(
  {
    etc: DIR,
    'etc/os-release': OS_A,
    'etc/gone.conf': 'deleted later\n',
    'etc/config': 'version: 1\n',
    'etc/localtime': { kind: 'symlink', target: '/usr/share/zoneinfo/UTC' },
    'etc/hostname': 'demo\n',
    'opt/app/settings.ini': '[app]\nmode=a\n',
    'usr/bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0]),
    'usr/share/blob': BIG,
  },
  'ADD rootfs.tar /',
);

let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  a = await buildOciLayout([
    base,
    layer(
      {
        'etc/shadow-copy': 'root:x\n',
        'var/log/app.log': lines('a'),
        'etc/motd': 'welcome\n',
        'usr/bin/only-a': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]),
        'etc/latin1.conf': LATIN1_A,
        'usr/share/packed': packed(64),
        'usr/share/only-a-blob': BIG,
        'var/log/only-a.log': lines('a'),
        'srv/only-a': DIR,
        'srv/only-a/readme.txt': 'a directory B does not have\n',
      },
      'RUN cp',
    ),
  ]);
  b = await buildDockerArchive([
    base,
    layer(
      {
        'etc/os-release': OS_B,
        'etc/config': 'version: 2\n',
        'etc/localtime': symlink('/usr/share/zoneinfo/Europe/Paris'),
        'usr/bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 9, 9, 9, 0, 0, 0]),
        'usr/share/blob': BIG + 1,
        // /etc/hostname becomes a second name of a file written in this layer
        'etc/hosts.real': 'demo-b\n',
        'etc/.wh.hostname': WHITEOUT,
        'etc/hostname': hardlink('etc/hosts.real'),
        'etc/new.conf': 'only in b\n',
        'etc/latin1.conf': LATIN1_B,
        'usr/share/packed': packed(65),
        'etc/latin1-new.conf': LATIN1_B,
        'var/log/app.log': lines('b'),
        'etc/motd': 'welcome\n\x1b[8mhidden\tline\n',
      },
      'RUN update',
    ),
    layer(
      {
        // written again above: the last layer's bytes are the file's
        'etc/config': 'version: 3\n',
        'etc/.wh.gone.conf': WHITEOUT,
        'opt/app/.wh..wh..opq': OPAQUE,
      },
      'RUN cleanup',
    ),
  ]);
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

interface Side {
  kind: string;
  sizeBytes: number;
  sha256: string | null;
  target: string | null;
  layer: number;
  binary: boolean | null;
}

interface Content {
  path: string;
  status: string;
  note?: string;
  diff: string | null;
  a: Side | null;
  b: Side | null;
}

async function contents(...paths: string[]): Promise<Content[]> {
  const args = ['diff', a.path, b.path, '--json', ...paths.flatMap((p) => ['--filename', p])];
  const { code, stdout, stderr } = await runCli(args);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout).files.contents;
}

describe('ballast diff --filename', () => {
  it('shows a text file change as a unified diff', async () => {
    const [c] = await contents('/etc/os-release');
    expect(c).toMatchObject({ path: '/etc/os-release', status: 'changed', a: { kind: 'file', layer: 0 } });
    expect(c.b).toMatchObject({ kind: 'file', layer: 1, sizeBytes: OS_B.length });
    expect(c.diff).toBe(
      [
        '--- a/etc/os-release',
        '+++ b/etc/os-release',
        '@@ -1,5 +1,5 @@',
        ' NAME="Demo"',
        '-VERSION_ID=1',
        '+VERSION_ID=2',
        ' ID=demo',
        ' HOME_URL=https://example.com/',
        '-PRETTY_NAME="Demo 1"',
        '+PRETTY_NAME="Demo 2"',
        '',
      ].join('\n'),
    );
  });

  it('takes the last layer that writes the file', async () => {
    const [c] = await contents('/etc/config');
    expect(c.b?.layer).toBe(2);
    expect(c.diff).toContain('-version: 1\n+version: 3\n');
  });

  it('reports files deleted by a whiteout or an opaque directory in a later layer as removed, and new ones as added', async () => {
    const r = await contents('/etc/gone.conf', '/opt/app/settings.ini', '/etc/new.conf', '/etc/nowhere');
    expect(r.map((c) => [c.path, c.status, c.a?.kind ?? null, c.b?.kind ?? null])).toEqual([
      ['/etc/gone.conf', 'removed', 'file', null],
      ['/opt/app/settings.ini', 'removed', 'file', null],
      ['/etc/new.conf', 'added', null, 'file'],
      ['/etc/nowhere', 'missing', null, null],
    ]);
    // A text on one side only is its whole text, from or to /dev/null.
    expect(r.map((c) => c.diff)).toEqual([
      '--- a/etc/gone.conf\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-deleted later\n',
      '--- a/opt/app/settings.ini\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-[app]\n-mode=a\n',
      '--- /dev/null\n+++ b/etc/new.conf\n@@ -0,0 +1,1 @@\n+only in b\n',
      null,
    ]);
  });

  it('says a directory on one side only was removed, or added, as for a file', async () => {
    // "directory (not compared)" over "B: absent" read as if both images had it.
    const [c] = await contents('/srv/only-a');
    expect(c).toMatchObject({ status: 'removed', note: 'directory', a: { kind: 'directory' }, b: null, diff: null });
    const headline = async (x: BuiltImage, y: BuiltImage) =>
      (await runCli(['diff', x.path, y.path, '--only', 'size', '--filename', '/srv/only-a'])).stdout
        .split('\n')
        .find((line) => line.startsWith('File '));
    expect(await headline(a, b)).toBe('File /srv/only-a: removed (only in A; a directory: see the files section)');
    expect(await headline(b, a)).toBe('File /srv/only-a: added (only in B; a directory: see the files section)');
  });

  it('gives no diff for a binary file on one side only', async () => {
    const r = await contents('/usr/bin/only-a');
    expect(r).toMatchObject([{ status: 'removed', a: { kind: 'file', binary: true }, b: null, diff: null }]);
  });

  it('gives a file on one side only the note a changed file of its kind gets (binary, too-large, too-many-changes)', async () => {
    // `diff: null` without a note left a reader to guess why a removed file had no text shown.
    const r = await contents('/usr/bin/only-a', '/usr/share/only-a-blob', '/var/log/only-a.log', '/etc/new.conf');
    expect(r).toMatchObject([
      { status: 'removed', note: 'binary', diff: null },
      { status: 'removed', note: 'too-large', diff: null, a: { sizeBytes: BIG, binary: null } },
      { status: 'removed', note: 'too-many-changes', diff: null, a: { binary: false } },
      { status: 'added', diff: expect.stringContaining('+only in b') },
    ]);
    expect(r[3].note).toBeUndefined();
    const text = await runCli(['diff', a.path, b.path, '--only', 'size', '--filename', '/usr/share/only-a-blob']);
    expect(text.stdout).toContain(
      'File /usr/share/only-a-blob: removed (only in A; shown by size and sha256 only: above the 4 MiB content limit)\n',
    );
  });

  it('says binary files differ, with their sizes and sha256, and compares big files by hash only', async () => {
    const [tool, blob] = await contents('/usr/bin/tool', '/usr/share/blob');
    expect(tool).toMatchObject({ status: 'changed', note: 'binary', diff: null });
    expect(tool.a).toMatchObject({ sizeBytes: 10, binary: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(tool.b).toMatchObject({ sizeBytes: 11, binary: true });
    expect(blob).toMatchObject({ status: 'changed', note: 'too-large', diff: null });
    expect([blob.a?.sizeBytes, blob.b?.sizeBytes]).toEqual([BIG, BIG + 1]);
  });

  it('treats bytes that are not UTF-8 as binary, though they hold no NUL', async () => {
    const [latin1, blob, added] = await contents('/etc/latin1.conf', '/usr/share/packed', '/etc/latin1-new.conf');
    expect(latin1).toMatchObject({ status: 'changed', note: 'binary', diff: null });
    expect(latin1.a).toMatchObject({ sizeBytes: LATIN1_A.length, binary: true });
    expect(latin1.b).toMatchObject({ sizeBytes: LATIN1_B.length, binary: true });
    expect(blob).toMatchObject({
      status: 'changed',
      note: 'binary',
      diff: null,
      a: { binary: true },
      b: { binary: true },
    });
    expect(added).toMatchObject({ status: 'added', a: null, b: { binary: true }, diff: null });
    const text = await runCli(['diff', a.path, b.path, '--only', 'size', '--filename', '/etc/latin1.conf']);
    expect(text.stdout).toContain('File /etc/latin1.conf: changed (binary files differ)\n');
    expect(text.stdout).toMatch(/^ {2}A: binary file, 7 B, sha256 [0-9a-f]{12}, layer 1$/m);
    expect(text.stdout).not.toContain('\ufffd');
  });

  it('gives no diff for two texts with thousands of changed lines, rather than a search that grows as their square', async () => {
    const [c] = await contents('/var/log/app.log');
    expect(c).toMatchObject({ status: 'changed', note: 'too-many-changes', diff: null });
  });

  it('reports a symlink with its target instead of following it', async () => {
    const [c] = await contents('/etc/localtime');
    expect(c).toMatchObject({ status: 'changed', note: 'target', diff: null });
    expect(c.a).toMatchObject({ kind: 'symlink', target: '/usr/share/zoneinfo/UTC' });
    expect(c.b).toMatchObject({ kind: 'symlink', target: '/usr/share/zoneinfo/Europe/Paris' });
  });

  it('gives a hardlink the content of the file it links to', async () => {
    const [c] = await contents('/etc/hostname');
    expect(c.b).toMatchObject({ kind: 'file', layer: 1 });
    expect(c.diff).toContain('-demo\n+demo-b\n');
  });

  it('reports identical files and directories without a diff', async () => {
    const r = await contents('/etc/hostname/../os-release/../../usr/bin/../../etc', '/opt/app/../../etc/os-release');
    expect(r.map((c) => [c.path, c.status])).toEqual([
      ['/etc', 'directory'],
      ['/etc/os-release', 'changed'],
    ]);
    const same = await runCli(['diff', a.path, a.path, '--json', '--filename', '/etc/os-release']);
    expect(JSON.parse(same.stdout).files.contents).toEqual([
      expect.objectContaining({ path: '/etc/os-release', status: 'identical', diff: null }),
    ]);
  });

  it('gives each side every field the README lists, for every status, null where it is not known', async () => {
    // An identical file had no `binary`, a symlink no `sha256`, a file no `target`: keys came and went by status.
    const fields = ['binary', 'device', 'kind', 'layer', 'sha256', 'sizeBytes', 'target'];
    const same = await runCli(['diff', a.path, a.path, '--json', '--filename', '/etc/os-release']);
    const [identical] = JSON.parse(same.stdout).files.contents as Content[];
    const r = await contents('/etc/os-release', '/etc/new.conf', '/etc/shadow-copy', '/etc/localtime', '/etc');
    const all = [identical, ...r];
    expect(all.map((c) => c.status)).toEqual(['identical', 'changed', 'added', 'removed', 'changed', 'directory']);
    for (const c of all)
      for (const x of [c.a, c.b].filter((x) => x !== null)) expect(Object.keys(x!).sort()).toEqual(fields);
    expect(identical.a).toMatchObject({ kind: 'file', binary: null, target: null, device: null });
    expect(r[1].b).toMatchObject({ binary: false, target: null });
    expect(r[3].a).toMatchObject({ kind: 'symlink', sha256: null, binary: null });
    expect(r[4].a).toMatchObject({ kind: 'directory', sha256: null, target: null, binary: null });
  });

  it('prints the diff in text and markdown, and keeps it with --only', async () => {
    const text = await runCli(['diff', a.path, b.path, '--only', 'size', '--filename', '/etc/os-release']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('File /etc/os-release: changed\n');
    expect(text.stdout).toContain('\n-VERSION_ID=1\n+VERSION_ID=2\n');
    expect(text.stdout).not.toContain('Files:');
    const md = await runCli(['diff', a.path, b.path, '--format', 'markdown', '--filename', '/usr/bin/tool']);
    expect(md.stdout).toContain('#### File `/usr/bin/tool`: changed (binary files differ)');
    const json = await runCli(['diff', a.path, b.path, '--json', '--only', 'size', '--filename', '/etc/os-release']);
    expect(Object.keys(JSON.parse(json.stdout).files)).toEqual(['contents']);
  });

  it("escapes control characters of a file's lines in text, keeping one line per diff line and the tabs", async () => {
    const { stdout } = await runCli(['diff', a.path, b.path, '--only', 'size', '--filename', '/etc/motd']);
    expect(stdout).not.toContain('\x1b');
    expect(stdout).toContain('\n+\\x1b[8mhidden\tline\n');
  });

  it('rejects a relative path with a one-line error and exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['diff', a.path, b.path, '--filename', 'etc/os-release']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: --filename etc\/os-release: not an absolute path \(hint: .+\)$/),
    ]);
  });
});

describe('ballast diff --filename on an image buildah derived from the demo image', () => {
  let store: BuildahStore;
  let derived: string;
  const demo = resolve('examples/demo/demo.tar');

  beforeAll(() => {
    store = demoBuildahStore('diff-filename');
    const ctx = join(store.dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(
      join(ctx, 'run.sh'),
      '#!/bin/sh\n# The demo app: prints a greeting.\necho "hello from the new demo"\n',
    );
    writeFileSync(
      join(ctx, 'Dockerfile'),
      'FROM localhost/ballast-demo:latest\nUSER root\nCOPY run.sh /app/run.sh\nRUN rm /app/static/bundle.js && ln -s /bin/busybox /app/sh\n',
    );
    store.build(join(ctx, 'Dockerfile'), ctx, 'localhost/derived:1', ['--layers']);
    derived = join(store.dir, 'derived.tar');
    store.push('localhost/derived:1', derived, 'derived:1');
  }, 120_000);

  afterAll(() => store?.cleanup());

  it('diffs a copied-over script, sees a RUN rm as removed and a new symlink as added', async () => {
    const args = ['diff', demo, derived, '--json'];
    for (const p of ['/app/run.sh', '/app/static/bundle.js', '/app/sh', '/bin/busybox']) args.push('--filename', p);
    const { code, stdout, stderr } = await runCli(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r: Content[] = JSON.parse(stdout).files.contents;
    expect(r.map((c) => [c.path, c.status])).toEqual([
      ['/app/run.sh', 'changed'],
      ['/app/static/bundle.js', 'removed'],
      ['/app/sh', 'added'],
      ['/bin/busybox', 'identical'],
    ]);
    expect(r[0].diff).toContain('-echo "hello from the ballast demo"\n+echo "hello from the new demo"\n');
    expect(r[2].b).toMatchObject({ kind: 'symlink', target: '/bin/busybox' });
  });
});
