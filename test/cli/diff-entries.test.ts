// `ballast diff` on entries whose kind or links change between the images (files becoming symlinks or
// directories, hardlinks, whiteouts, opaque directories, metadata-only and mtime-only changes): the files section
// is checked against the union filesystems worked out by hand from the layers below.
import { runCli } from '../helpers/cli.js';
import {
  buildOciLayout,
  DIR,
  file,
  hardlink,
  layer,
  OPAQUE,
  symlink,
  WHITEOUT,
  type BuiltImage,
  type LayerSpec,
} from '../helpers/image-builder.js';

const base: LayerSpec = layer(
  {
    'etc/conf': 'hello\n',
    'etc/swap': 'was a file\n',
    'etc/tobedir': 'f\n',
    'opt/dir/a': 100,
    'opt/dir/b': 200,
    'srv/wasdir/x': 30,
    'bin/link': symlink('/etc/conf'),
    'data/src': 'x1\n',
    'data/ln': hardlink('data/src'),
    'data/other': 'other\n',
    'data/ln2': hardlink('data/src'),
    'data/mode': file('m\n', { mode: 0o644 }),
    'data/mtime': file('t\n', { mtime: new Date(1_000_000) }),
  },
  'base',
);

// B = base + this layer. By hand, B's final filesystem against A's:
// etc/swap file -> symlink; etc/tobedir file -> directory holding inner; srv/wasdir directory -> file; opt/dir opaque: a and b gone, c new;
// bin/link retargeted; data/src rewritten, and data/ln (a second name of the same file) reads the new bytes;
// data/ln2 now another name of data/other, so other bytes and another target;
// data/mode chmod only; data/mtime touched only (not a change: contents and metadata the same).
const changes: LayerSpec = layer(
  [
    ['etc/.wh.swap', WHITEOUT],
    ['etc/swap', symlink('conf')],
    ['etc/.wh.tobedir', WHITEOUT],
    ['etc/tobedir/', DIR],
    ['etc/tobedir/inner', 'i\n'],
    ['opt/dir/.wh..wh..opq', OPAQUE],
    ['opt/dir/c', 50],
    ['srv/.wh.wasdir', WHITEOUT],
    ['srv/wasdir', 'now\n'],
    ['bin/link', symlink('/etc/other')],
    ['data/src', 'x2 longer\n'],
    ['data/ln', hardlink('data/src')],
    ['data/ln2', hardlink('data/other')],
    ['data/mode', file('m\n', { mode: 0o755 })],
    ['data/mtime', file('t\n', { mtime: new Date(2_000_000_000) })],
  ],
  'changes',
);

describe('ballast diff on kind, link and metadata changes', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    a = await buildOciLayout([base]);
    b = await buildOciLayout([base, changes]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('lists what the union filesystems say changed, in --json', async () => {
    const r = await runCli(['diff', a.path, b.path, '--only', 'files', '--json']);
    expect(r.code).toBe(0);
    const { files } = JSON.parse(r.stdout);
    expect(files.added).toEqual([
      { path: 'opt/dir/c', kind: 'file', sizeBytes: 50 },
      { path: 'srv/wasdir', kind: 'file', kindBefore: 'dir', sizeBytes: 4 },
      { path: 'etc/tobedir/inner', kind: 'file', sizeBytes: 2 },
    ]);
    expect(files.removed).toEqual([
      { path: 'opt/dir/b', kind: 'file', sizeBytes: 200 },
      { path: 'opt/dir/a', kind: 'file', sizeBytes: 100 },
      { path: 'srv/wasdir/x', kind: 'file', sizeBytes: 30 },
      // Still a name in B, as a directory: said, or it reads as gone
      { path: 'etc/tobedir', kind: 'file', kindAfter: 'dir', sizeBytes: 2 },
    ]);
    expect(files.changed).toEqual([
      // Where it points now, or `file -> symlink` would not say to what
      {
        path: 'etc/swap',
        kind: 'symlink',
        kindBefore: 'file',
        link: 'conf',
        beforeBytes: 11,
        afterBytes: 0,
        deltaBytes: -11,
      },
      { path: 'data/src', kind: 'file', beforeBytes: 3, afterBytes: 10, deltaBytes: 7 },
      // The link holds no bytes of its own (they are counted once, at data/src), but it reads other bytes now.
      { path: 'data/ln', kind: 'hardlink', beforeBytes: 0, afterBytes: 0, deltaBytes: 0 },
      {
        path: 'data/ln2',
        kind: 'hardlink',
        beforeBytes: 0,
        afterBytes: 0,
        deltaBytes: 0,
        metadata: {
          fields: ['link'],
          a: { mode: '0644', uid: 0, gid: 0, link: 'data/src' },
          b: { mode: '0644', uid: 0, gid: 0, link: 'data/other' },
        },
      },
    ]);
    expect(files.metadata.map((m: { path: string; fields: string[] }) => [m.path, m.fields])).toEqual([
      ['data/mode', ['mode']],
      ['bin/link', ['link']],
    ]);
    expect(files.totals.netBytes).toBe(50 + 4 + 2 - 300 - 30 - 2 - 11 + 7);
  });

  it('says in text and markdown that a hardlink reads other bytes', async () => {
    const text = (await runCli(['diff', a.path, b.path, '--only', 'files'])).stdout;
    expect(text).toMatch(/^~\s+0 B\s+\/data\/ln 0 B -> 0 B \(hardlink: its content changed\)$/m);
    expect(text).toMatch(
      /^~\s+0 B\s+\/data\/ln2 0 B -> 0 B \(hardlink: its content changed\), link \/data\/src -> \/data\/other$/m,
    );
    expect(text).toMatch(/^~\s+-11 B\s+\/etc\/swap 11 B -> 0 B \(file -> symlink to conf\)$/m);
    expect(text).not.toContain('/data/mtime');
    expect(text).toMatch(/^-\s+-2 B\s+\/etc\/tobedir \(file -> dir\)$/m);
    expect(text).toMatch(/^\+\s+\+4 B\s+\/srv\/wasdir \(dir -> file\)$/m);
    const md = (await runCli(['diff', a.path, b.path, '--only', 'files', '--format', 'markdown'])).stdout;
    expect(md).toContain('| changed | 0 B | `/data/ln` | 0 B → 0 B (hardlink: its content changed) |');
    expect(md).toContain('| removed | -2 B | `/etc/tobedir` | file → dir |');
  });

  it('writes every before and after with one arrow: -> in text, → in markdown', async () => {
    const args = ['diff', a.path, b.path, '--filename', '/bin/link'];
    const md = (await runCli([...args, '--format', 'markdown'])).stdout;
    expect(md).not.toMatch(/->|-&gt;/);
    expect(md).toContain('| metadata | 0 B | `/data/mode` | mode 0644 → 0755 (2 B, same content) |');
    expect(md).toContain('| metadata | 0 B | `/bin/link` | link /etc/conf → /etc/other |');
    expect(md).toContain('(hardlink: its content changed), link /data/src → /data/other |');
    expect(md).toContain('- A: symlink → /etc/conf, layer 0');
    const text = (await runCli(args)).stdout;
    expect(text).not.toContain('→');
    expect(text).toMatch(/^m\s+0 B\s+\/data\/mode mode 0644 -> 0755 \(2 B, same content\)$/m);
    expect(text).toContain('  A: symlink -> /etc/conf, layer 0');
  });
});

// A: data/f with a second name data/h, and two separate copies data/x and data/y of the same bytes.
// B = A + a layer writing data/f again with the same bytes (a new inode: data/h keeps the old one and is now its only
// name, holding its 3 bytes) and making data/y a hardlink of data/x (its own 4 bytes are gone).
// By hand: final file bytes 3 + 4 + 4 = 11 in A, 3 + 3 + 4 = 10 in B; no name reads other bytes.
// (Files and links are all 0644: a tar gives every name of an inode its mode, so only the links change.)
const x = file('wxyz');
const linked = layer({
  'data/f': file('abc'),
  'data/h': hardlink('data/f'),
  'data/x': x,
  'data/y': x,
});
const relinked = layer([
  ['data/f', file('abc')],
  ['data/y', hardlink('data/x')],
]);

describe('ballast diff on names that hold the same bytes through other links', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    a = await buildOciLayout([linked]);
    b = await buildOciLayout([linked, relinked]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('lists them as metadata, not content changes, with the bytes that moved in the net', async () => {
    const r = await runCli(['diff', a.path, b.path, '--only', 'size,files', '--json']);
    expect(r.code).toBe(0);
    const { files, delta } = JSON.parse(r.stdout);
    expect(files.changed).toEqual([]);
    expect(files.metadata).toEqual([
      {
        path: 'data/h',
        kind: 'file',
        kindBefore: 'hardlink',
        sizeBytes: 3,
        deltaBytes: 3,
        fields: ['link'],
        a: { mode: '0644', uid: 0, gid: 0, link: 'data/f' },
        b: { mode: '0644', uid: 0, gid: 0 },
      },
      {
        path: 'data/y',
        kind: 'hardlink',
        kindBefore: 'file',
        sizeBytes: 0,
        deltaBytes: -4,
        fields: ['link'],
        a: { mode: '0644', uid: 0, gid: 0 },
        b: { mode: '0644', uid: 0, gid: 0, link: 'data/x' },
      },
    ]);
    expect(files.totals.metadata).toEqual({ files: 2, bytes: 3, deltaBytes: -1 });
    expect(delta.finalFileBytes).toBe(10 - 11);
    expect(files.totals.netBytes).toBe(delta.finalFileBytes);
  });

  it('says so in text and markdown', async () => {
    const text = (await runCli(['diff', a.path, b.path, '--only', 'files'])).stdout;
    expect(text).toContain('0 changed (0 B), 2 metadata only (-1 B); net -1 B');
    expect(text).toMatch(
      /^m\s+\+3 B\s+\/data\/h hardlink -> file, same content \(0 B -> 3 B counted here\), link \/data\/f -> -$/m,
    );
    expect(text).toMatch(
      /^m\s+-4 B\s+\/data\/y file -> hardlink, same content \(4 B -> 0 B counted here\), link - -> \/data\/x$/m,
    );
    const md = (await runCli(['diff', a.path, b.path, '--only', 'files', '--format', 'markdown'])).stdout;
    expect(md).toContain('2 metadata only (-1 B); net -1 B.');
    expect(md).toMatch(
      /^\| metadata \| \+3 B \| `\/data\/h` \| hardlink → file, same content \(0 B → 3 B counted here\), link \/data\/f → -/m,
    );
  });
});

// A chmod of a file with two names: the tar writes both names again, each with the new mode (0644 -> 0600). The
// link's mode is the one the layer gives it, so diff lists both names as mode changes, at the link's too.
describe('ballast diff on a chmod of a hardlinked file', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    a = await buildOciLayout([layer({ 'etc/shadow': file('s\n'), 'etc/shadow-': hardlink('etc/shadow') })]);
    b = await buildOciLayout([
      layer({ 'etc/shadow': file('s\n'), 'etc/shadow-': hardlink('etc/shadow') }),
      layer({ 'etc/shadow': file('s\n', { mode: 0o600 }), 'etc/shadow-': hardlink('etc/shadow', { mode: 0o600 }) }),
    ]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('lists the mode change of both names', async () => {
    const r = await runCli(['diff', a.path, b.path, '--only', 'files', '--json']);
    expect(r.code).toBe(0);
    const { files } = JSON.parse(r.stdout);
    expect(files.changed).toEqual([]);
    expect(
      files.metadata.map((m: { path: string; fields: string[]; a: { mode: string }; b: { mode: string } }) => [
        m.path,
        m.fields,
        m.a.mode,
        m.b.mode,
      ]),
    ).toEqual([
      ['etc/shadow', ['mode'], '0644', '0600'],
      ['etc/shadow-', ['mode'], '0644', '0600'],
    ]);
  });
});

// A: data/keep with a second name data/old-name, data/gone with a second name data/gone-2, a symlink usr/bin/old.
// B = A + a layer removing all but data/keep, and adding opt/blob-a (its first name, so it holds the bytes) with a
// second name opt/blob-b, symlinks to it and elsewhere; + a layer removing p/first, the first of three names of one
// file: p/second holds the bytes now, and p/third, whose tar entry names p/first, is a second name of p/second.
const LONG_TARGET = '/opt/a-rather-long-directory-name-for-the-data/and-a-long-file-name.bin';
const named = layer({
  'data/keep': 'k\n',
  'data/old-name': hardlink('data/keep'),
  'data/gone': 'g\n',
  'data/gone-2': hardlink('data/gone'),
  'usr/bin/old': symlink('tool-1'),
});
const linking = layer([
  ['data/.wh.old-name', WHITEOUT],
  ['data/.wh.gone', WHITEOUT],
  ['data/.wh.gone-2', WHITEOUT],
  ['usr/bin/.wh.old', WHITEOUT],
  ['opt/blob-a', 'blob\n'],
  ['opt/blob-b', hardlink('opt/blob-a')],
  ['usr/local/bin/blob', symlink('../../../opt/blob-a')],
  ['usr/local/bin/long', symlink(LONG_TARGET)],
  ['bin/odd', symlink('/tmp/a\nb')],
  ['p/first', 'pp\n'],
  ['p/second', hardlink('p/first')],
  ['p/third', hardlink('p/first')],
]);
const unlinking = layer([['p/.wh.first', WHITEOUT]]);

describe('ballast diff on added and removed links', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    a = await buildOciLayout([named]);
    b = await buildOciLayout([named, linking, unlinking]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('gives in --json what each points to: a symlink its target as written, a hardlink the name holding its bytes', async () => {
    const r = await runCli(['diff', a.path, b.path, '--only', 'files', '--json']);
    expect(r.code).toBe(0);
    const { files } = JSON.parse(r.stdout);
    expect(files.added).toEqual([
      { path: 'opt/blob-a', kind: 'file', sizeBytes: 5 },
      { path: 'p/second', kind: 'file', sizeBytes: 3 },
      { path: 'bin/odd', kind: 'symlink', link: '/tmp/a\nb', sizeBytes: 0 },
      { path: 'opt/blob-b', kind: 'hardlink', link: 'opt/blob-a', sizeBytes: 0 },
      // Its tar entry names p/first, gone: the bytes it reads are at p/second now
      { path: 'p/third', kind: 'hardlink', link: 'p/second', sizeBytes: 0 },
      { path: 'usr/local/bin/blob', kind: 'symlink', link: '../../../opt/blob-a', sizeBytes: 0 },
      { path: 'usr/local/bin/long', kind: 'symlink', link: LONG_TARGET, sizeBytes: 0 },
    ]);
    expect(files.removed).toEqual([
      { path: 'data/gone', kind: 'file', sizeBytes: 2 },
      { path: 'data/gone-2', kind: 'hardlink', link: 'data/gone', sizeBytes: 0 },
      { path: 'data/old-name', kind: 'hardlink', link: 'data/keep', sizeBytes: 0 },
      { path: 'usr/bin/old', kind: 'symlink', link: 'tool-1', sizeBytes: 0 },
    ]);
  });

  it('says in text and markdown what each added or removed link points to', async () => {
    const text = (await runCli(['diff', a.path, b.path, '--only', 'files'])).stdout;
    expect(text).toMatch(/^\+\s+\+5 B\s+\/opt\/blob-a$/m);
    expect(text).toMatch(/^\+\s+0 B\s+\/opt\/blob-b \(hard link to \/opt\/blob-a\)$/m);
    expect(text).toMatch(/^\+\s+0 B\s+\/p\/third \(hard link to \/p\/second\)$/m);
    expect(text).toMatch(/^\+\s+0 B\s+\/usr\/local\/bin\/blob \(symlink -> \.\.\/\.\.\/\.\.\/opt\/blob-a\)$/m);
    expect(text).toContain(` /usr/local/bin/long (symlink -> ${LONG_TARGET})\n`);
    // Escaped as a path is: a newline in a target would start a line of its own
    expect(text).toMatch(/^\+\s+0 B\s+\/bin\/odd \(symlink -> \/tmp\/a\\x0ab\)$/m);
    expect(text).toMatch(/^-\s+0 B\s+\/data\/gone-2 \(hard link to \/data\/gone\)$/m);
    expect(text).toMatch(/^-\s+0 B\s+\/data\/old-name \(hard link to \/data\/keep\)$/m);
    expect(text).toMatch(/^-\s+0 B\s+\/usr\/bin\/old \(symlink -> tool-1\)$/m);
    const md = (await runCli(['diff', a.path, b.path, '--only', 'files', '--format', 'markdown'])).stdout;
    expect(md).toContain('| added | +5 B | `/opt/blob-a` | |');
    expect(md).toContain('| added | 0 B | `/opt/blob-b` | hard link to `/opt/blob-a` |');
    expect(md).toContain('| added | 0 B | `/usr/local/bin/blob` | symlink → `../../../opt/blob-a` |');
    expect(md).toContain('| added | 0 B | `/bin/odd` | symlink → `/tmp/a\\x0ab` |');
    expect(md).toContain('| removed | 0 B | `/data/old-name` | hard link to `/data/keep` |');
  });

  it('puts what a link points to under its path on a narrow line, cut to fit', async () => {
    for (const columns of [60, 80]) {
      const text = (await runCli(['diff', a.path, b.path, '--only', 'files'], { env: { COLUMNS: String(columns) } }))
        .stdout;
      for (const row of text.split('\n')) expect([row, row.length <= columns]).toEqual([row, true]);
      expect(text).toMatch(/^\+\s+0 B\s+\/usr\/local\/bin\/long\n\s+\(symlink -> \/opt\/a-.*….*-file-name\.bin\)$/m);
      expect(text).toMatch(/^\+\s+0 B\s+\/opt\/blob-b \(hard link to \/opt\/blob-a\)$/m);
    }
  });
});

// A: bin/ping with the capability cap_net_raw=ep, bin/tool with user.a and user.b. B: ping's capability set again
// to another value (setcap), tool with user.a changed and user.b gone. The attribute names alone of ping read the same
// on both sides, so each report says which values changed.
describe('ballast diff on extended attributes whose values change', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    const ping = (cap: string) => file('ping', { xattrs: { 'security.capability': cap } });
    a = await buildOciLayout([
      layer({
        'bin/ping': ping('cap_net_raw=ep'),
        'bin/tool': file('t', { xattrs: { 'user.a': '1', 'user.b': '1' } }),
      }),
    ]);
    b = await buildOciLayout([
      layer({ 'bin/ping': ping('cap_sys_admin=ep'), 'bin/tool': file('t', { xattrs: { 'user.a': '2' } }) }),
    ]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('names the attributes whose values changed, in text, markdown, JSON and --filename', async () => {
    const text = (await runCli(['diff', a.path, b.path, '--only', 'files', '--filename', '/bin/ping'])).stdout;
    expect(text).toMatch(/^m\s+0 B\s+\/bin\/ping xattrs security\.capability value changed \(4 B, same content\)$/m);
    expect(text).toMatch(/^m\s+0 B\s+\/bin\/tool xattrs user\.a,user\.b -> user\.a \(user\.a value changed\) /m);
    expect(text).toContain('File /bin/ping: changed (same content; xattrs security.capability value changed)');
    const md = (await runCli(['diff', a.path, b.path, '--only', 'files', '--format', 'markdown'])).stdout;
    expect(md).toContain('| `/bin/ping` | xattrs security.capability value changed (4 B, same content) |');
    const json = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'files', '--json'])).stdout);
    expect(
      json.files.metadata.map((m: { path: string; xattrsChanged?: string[] }) => [m.path, m.xattrsChanged]),
    ).toEqual([
      ['bin/ping', ['security.capability']],
      ['bin/tool', ['user.a']],
    ]);
  });
});

// A: srv/f, old/empty (an empty directory, under old), var/spool/job. B: srv/f, data/cache (an empty directory, made
// for later), opt/full/f (a new directory with a file), and var/spool/job deleted by a later layer (var/spool stays,
// empty now, but it was in A too). Only the empty directories on one side are listed: what is under any other
// directory is listed on its own.
describe('ballast diff on empty directories added or removed', () => {
  let a: BuiltImage;
  let b: BuiltImage;

  beforeAll(async () => {
    a = await buildOciLayout([
      layer({ 'srv/f': 'f', old: DIR, 'old/empty': DIR, 'var/spool': DIR, 'var/spool/job': 'job' }),
    ]);
    b = await buildOciLayout([
      layer({
        'srv/f': 'f',
        data: DIR,
        'data/cache': DIR,
        'opt/full/f': 'x',
        'var/spool': DIR,
        'var/spool/job': 'job',
      }),
      layer({ 'var/spool/.wh.job': WHITEOUT }),
    ]);
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
  });

  it('lists them in text, markdown and JSON', async () => {
    const json = JSON.parse((await runCli(['diff', a.path, b.path, '--only', 'files', '--json'])).stdout);
    const rows = (list: { path: string; kind: string }[]) => list.map((f) => `${f.path} ${f.kind}`).sort();
    expect(rows(json.files.added)).toEqual(['data/cache dir', 'opt/full/f file']);
    expect(rows(json.files.removed)).toEqual(['old/empty dir', 'var/spool/job file']);
    const text = (await runCli(['diff', a.path, b.path, '--only', 'files'])).stdout;
    expect(text).toContain('Files: 2 added (1 directory, 1 file; 1 B), 2 removed (1 directory, 1 file; 3 B)');
    expect(text).toMatch(/^\+\s+0 B\s+\/data\/cache \(empty directory\)$/m);
    expect(text).toMatch(/^-\s+0 B\s+\/old\/empty \(empty directory\)$/m);
    const md = (await runCli(['diff', a.path, b.path, '--only', 'files', '--format', 'markdown'])).stdout;
    expect(md).toContain('| added | 0 B | `/data/cache` | empty directory |');
    // Left out by --ignore like any other entry.
    const ignored = JSON.parse(
      (await runCli(['diff', a.path, b.path, '--only', 'files', '--json', '--ignore', 'data'])).stdout,
    );
    expect(rows(ignored.files.added)).toEqual(['opt/full/f file']);
  });
});
