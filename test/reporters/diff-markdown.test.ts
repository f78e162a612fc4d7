// The markdown diff tells the same file story as the text one: a path whose kind changed (a symlink replaced by a
// file) says so in both, and so does a config value that is empty rather than missing, from the result of a real
// diff of hand-built images.
import { renderDiffMarkdown } from '../../src/reporters/diff-markdown.js';
import { printableContents, renderDiffText } from '../../src/reporters/diff-text.js';
import { INSTRUCTION_CHARS } from '../../src/reporters/markdown.js';
import { diffImages } from '../../src/services/diff.js';
import { buildOciLayout, file, hardlink, layer, symlink, type BuiltImage } from '../helpers/image-builder.js';
import { printableResult } from '../../src/report/printable.js';

let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  a = await buildOciLayout([layer({ 'etc/passwd': 'root:x:0:0\n', 'etc/link': symlink('/etc/passwd') })]);
  b = await buildOciLayout([layer({ 'etc/passwd': 'root:x:0:0\n', 'etc/link': 'a file now\n' })]);
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

describe('diff reporters', () => {
  it('name a kind change in markdown as in text', async () => {
    const r = await diffImages({ a: a.path, b: b.path, noCache: true });
    // A's link is said, as a removed one's is: where the name pointed before it held a file
    expect(r.files.changed).toMatchObject([
      { path: 'etc/link', kindBefore: 'symlink', kind: 'file', linkBefore: '/etc/passwd' },
    ]);
    expect(renderDiffText(r, { color: false })).toMatch(/\/etc\/link 0 B -> 11 B \(symlink to \/etc\/passwd -> file\)/);
    expect(renderDiffMarkdown(r)).toContain(
      '| changed | +11 B | `/etc/link` | 0 B → 11 B (symlink to `/etc/passwd` → file) |',
    );
  });

  it('write a --filename side as in text, the sha256 alone in its code span', async () => {
    const r = await diffImages({ a: a.path, b: b.path, noCache: true, filenames: ['/etc/link'] });
    const sha = r.files.contents![0].b!.sha256!.slice(0, 12);
    expect(renderDiffText(r, { color: false })).toContain(`B: file, 11 B, sha256 ${sha}, layer 0`);
    // The short hash is put in code (GitHub would link it to a commit), its comma left outside.
    expect(renderDiffMarkdown(r)).toContain(`- B: file, 11 B, sha256 \`${sha}\`, layer 0`);
  });
});

describe('diff reporters on added symlinks', () => {
  it('say how many of the entries added are files, so the count agrees with the final files row', async () => {
    // Given B adding two files and three symlinks: the Size table says +2 final files
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' })]);
    const after = await buildOciLayout([
      layer({
        'etc/hostname': 'a\n',
        'usr/lib/libx.so.1.0': 'x'.repeat(100),
        'usr/lib/liby.so.1.0': 'y'.repeat(50),
        'usr/lib/libx.so.1': symlink('libx.so.1.0'),
        'usr/lib/libx.so': symlink('libx.so.1'),
        'usr/lib/liby.so': symlink('liby.so.1.0'),
      }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const text = renderDiffText(r, { color: false, width: 120 });
      expect(text).toMatch(/^Final files +1 +3 +\+2 /m);
      // Then the files line counts the five entries as 2 files and 3 symlinks, in text and markdown
      expect(text).toContain('Files: 5 added (2 files, 3 symlinks; 150 B), 0 removed (0 B),');
      expect(renderDiffMarkdown(r)).toContain('5 added (2 files, 3 symlinks; 150 B), 0 removed (0 B),');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff text on long config keys', () => {
  it('cuts a key in its middle at 80 columns, so two labels never read the same', async () => {
    const labels = (v: string) => ({
      'org.opencontainers.image.source': `https://example.com/${v}`,
      'org.opencontainers.image.title': `corpus-${v}`,
      'org.opencontainers.image.description': `the ${v} image`,
    });
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' })], { config: { Labels: labels('slim') } });
    const after = await buildOciLayout([layer({ 'etc/hostname': 'a\n' })], { config: { Labels: labels('fat') } });
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const text = renderDiffText(r, { color: false, width: 80, sections: ['config'] }).split('\n');
      const keys = text.filter((l) => l.startsWith('  labels.')).map((l) => l.trim().split(/\s{2,}/)[0]);
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(3);
      // The distinguishing tail is kept: each key ends as the label does
      for (const tail of ['image.source', 'image.title', 'image.description'])
        expect(keys.filter((k) => k.endsWith(tail))).toHaveLength(1);
      for (const l of text) expect(l.length).toBeLessThanOrEqual(80);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff text header at 80 columns', () => {
  it('puts a long image path whole on a line of its own, its tag note and platform whole under it', async () => {
    const r = await diffImages({ a: a.path, b: b.path, noCache: true });
    const reference = '/var/tmp/ballast-corpus-0123456789abcdef0123456789/images/slim.docker.tar';
    r.b.image = { ...r.b.image, reference, tag: 'localhost/corpus/slim:latest' };
    const lines = renderDiffText(r, { color: false, width: 80 }).split('\n');
    // Cut in its middle, the path could not be copied, and the note lost its tag.
    expect(lines.slice(1, 4)).toEqual([`B  ${reference}`, '   (localhost/corpus/slim:latest)  linux/amd64', '']);
    expect(lines[0]).toMatch(/^A {2}\S.* linux\/amd64$/);
    // Room enough: the whole name and its note, as before
    expect(renderDiffText(r, { color: false, width: 200 }).split('\n')[1]).toBe(
      `B  ${reference} (localhost/corpus/slim:latest)  linux/amd64`,
    );
  });
});

describe('diff reporters on a metadata-only change', () => {
  it('show no size change for it, its size apart from the bytes column, in text and markdown', async () => {
    // Given B with the same 6-byte file, its mode changed only
    const before = await buildOciLayout([layer({ 'etc/debian_version': file('12.5\n\n', { mode: 0o644 }) })]);
    const after = await buildOciLayout([layer({ 'etc/debian_version': file('12.5\n\n', { mode: 0o600 }) })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(r.files.metadata).toMatchObject([{ path: 'etc/debian_version', sizeBytes: 6 }]);
      // Then the bytes column says 0 B (not 6 B, which reads as 6 B added), and the size is told as the file's
      const text = renderDiffText(r, { color: false, width: 120 }).split('\n');
      expect(text.find((l) => l.includes('/etc/debian_version'))).toMatch(
        /^m +0 B +\/etc\/debian_version mode 0644 -> 0600 \(6 B, same content\)$/,
      );
      expect(renderDiffMarkdown(r)).toContain(
        '| metadata | 0 B | `/etc/debian_version` | mode 0644 → 0600 (6 B, same content) |',
      );
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff reporters on config values', () => {
  it('show an empty value as "" and a missing one as (none), in text and markdown', async () => {
    // Given A with a base.name annotation of "" and a label "", B with the annotation set and the label gone.
    const name = 'org.opencontainers.image.base.name';
    const files = [layer({ 'etc/hostname': 'box\n' })];
    const withEmpty = await buildOciLayout(files, { annotations: { [name]: '' }, config: { Labels: { team: '' } } });
    const withName = await buildOciLayout(files, { annotations: { [name]: 'debian:12' } });
    try {
      const r = await diffImages({ a: withEmpty.path, b: withName.path, noCache: true });
      expect(r.config).toEqual([
        { key: 'labels.team', a: '', b: null },
        { key: `annotations.${name}`, a: '', b: 'debian:12' },
      ]);
      const text = renderDiffText(r, { color: false, width: 120 }).split('\n');
      expect(text.find((l) => l.includes('labels.team'))).toMatch(/^ {2}labels\.team +"" +-> +\(none\)$/);
      expect(text.find((l) => l.includes(name))).toMatch(/ "" +-> +debian:12$/);
      const md = renderDiffMarkdown(r);
      expect(md).toContain('| `labels.team` | `""` | *(none)* |');
      expect(md).toContain(`| \`annotations.${name}\` | \`""\` | \`debian:12\` |`);
    } finally {
      withEmpty.cleanup();
      withName.cleanup();
    }
  });
});

describe('diff markdown on junk classes', () => {
  it('keeps the underscores of __pycache__ in the junk table, where Markdown would make them bold', async () => {
    // Given B with Python bytecode A does not have.
    const before = await buildOciLayout([layer({ 'app/main.py': 'print(1)\n' })]);
    const after = await buildOciLayout([
      layer({ 'app/main.py': 'print(1)\n', 'app/__pycache__/main.cpython-311.pyc': 2000 }),
    ]);
    try {
      const md = renderDiffMarkdown(await diffImages({ a: before.path, b: after.path, noCache: true }));
      const row = md.split('\n').find((l) => l.startsWith('| Python bytecode'));
      // Escaped, the underscores show as themselves; the advice's code spans are left as written.
      expect(row).toContain('| Python bytecode (\\_\\_pycache\\_\\_, .pyc) |');
      expect(row).toContain('add \\_\\_pycache\\_\\_ to .dockerignore');
      expect(row).not.toMatch(/(^|[^\\])__pycache/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff markdown and text on a junk class that shrank', () => {
  // A PR that cleaned its apt lists up: the text listed the class with its negative delta, the Markdown (the PR
  // comment) had no row for it, as if junk only ever grew.
  it('lists it in both, with the same classes in the same order', async () => {
    // Given A with apt lists and Python bytecode, and B with the lists gone and more bytecode
    const before = await buildOciLayout([
      layer({ 'var/lib/apt/lists/deb_dists_main': 3000, 'app/__pycache__/a.pyc': 1000 }),
    ]);
    const after = await buildOciLayout([layer({ 'app/__pycache__/a.pyc': 1000, 'app/__pycache__/b.pyc': 2000 })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const md = renderDiffMarkdown(r, { sections: ['waste'] });
      const text = renderDiffText(r, { color: false, sections: ['waste'] });
      const mdRows = md.split('\n').filter((l) => /^\| (apt|Python)/.test(l));
      const textRows = text.split('\n').filter((l) => /^(apt|Python)/.test(l));
      // Then the class that shrank is a row of each, with its negative delta
      expect(mdRows.map((l) => l.split(' | ')[0])).toEqual([
        '| apt package lists',
        '| Python bytecode (\\_\\_pycache\\_\\_, .pyc)',
      ]);
      expect(textRows.map((l) => l.split(/ {2,}/)[0])).toEqual([
        'apt package lists',
        'Python bytecode (__pycache__, .pyc)',
      ]);
      expect(mdRows[0]).toContain('| 3.00 kB | 0 B | -3.00 kB |');
      expect(textRows[0]).toMatch(/3\.00 kB +0 B +-3\.00 kB/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff markdown and text on a junk class that grew', () => {
  // An apt cache of 93 MB that became 225 MB wants the cleanup a new one does: only new classes were advised, and
  // the column saying so had no header.
  it('marks and advises it as a new one, under a header', async () => {
    // Given A with an apt cache, and B with a bigger one, new Python bytecode and fewer apt lists
    const before = await buildOciLayout([
      layer({ 'var/cache/apt/archives/a.deb': 3000, 'var/lib/apt/lists/deb_dists_main': 3000 }),
    ]);
    const after = await buildOciLayout([
      layer({
        'var/cache/apt/archives/a.deb': 3000,
        'var/cache/apt/archives/b.deb': 5000,
        'var/lib/apt/lists/deb_dists_main': 1000,
        'app/__pycache__/a.pyc': 1000,
      }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const md = renderDiffMarkdown(r, { sections: ['waste'] }).split('\n');
      const text = renderDiffText(r, { color: false, sections: ['waste'] }).split('\n');
      // Then the last column has a header in both
      expect(md).toContain('| Junk | A | B | Delta | Note |');
      expect(text.find((l) => l.startsWith('Junk'))?.split(/ {2,}/)).toEqual(['Junk', 'A', 'B', 'Delta', 'Note']);
      // and the grown class is advised as the new one is; the one that shrank is not
      const mdRow = (title: string) => md.find((l) => l.startsWith(`| ${title}`));
      expect(mdRow('apt cache')).toMatch(/ \| \+5\.00 kB \| grew in B: run `apt-get clean` in the same RUN as /);
      expect(mdRow('Python bytecode')).toMatch(/ \| new in B: set PYTHONDONTWRITEBYTECODE=1 /);
      expect(mdRow('apt package lists')).toMatch(/ \| -2\.00 kB \| {2}\|$/);
      const textRow = (title: string) => text.find((l) => l.startsWith(title));
      expect(textRow('apt cache')).toMatch(/\+5\.00 kB {2}grew in B$/);
      expect(textRow('Python bytecode')).toMatch(/\+1\.00 kB {2}new in B$/);
      expect(textRow('apt package lists')).toMatch(/-2\.00 kB$/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff markdown on identical images', () => {
  it('says config and packages are the same rather than leaving the sections out (--only config, --type apt)', async () => {
    // Given one image diffed with itself: a dpkg database, a config.
    const image = await buildOciLayout(
      [
        layer({
          'var/lib/dpkg/status': 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36\n',
          'var/lib/dpkg/info/libc6.list': '/lib/libc.so.6\n',
          'lib/libc.so.6': 2000,
        }),
      ],
      { config: { User: 'app', Env: ['A=1'] } },
    );
    const bare = await buildOciLayout([layer({ 'etc/hostname': 'box\n' })]);
    try {
      const same = await diffImages({ a: image.path, b: image.path, noCache: true });
      expect(renderDiffMarkdown(same, { sections: ['config'] })).toContain('#### Config\n\nNo differences.');
      expect(renderDiffMarkdown(same, { sections: ['packages'] })).toContain('#### Packages\n\nNo package changes.');
      const none = await diffImages({ a: bare.path, b: bare.path, noCache: true });
      expect(renderDiffMarkdown(none, { sections: ['packages'] })).toContain(
        '#### Packages\n\nNo package databases on either side.',
      );
    } finally {
      image.cleanup();
      bare.cleanup();
    }
  });
});

describe('diff reporters on counts in the thousands', () => {
  it('group them as analyze does (1,201 files, not 1201), and say "1 entry"', async () => {
    // Given A with one file and B with 1,200 more in one directory.
    const many = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`data/f${i}`, 'x']));
    const before = await buildOciLayout([layer({ 'etc/hostname': 'box\n' }, 'ADD a.tar /')]);
    const after = await buildOciLayout([layer({ 'etc/hostname': 'box\n', ...many }, 'ADD b.tar /')]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const text = renderDiffText(r, { color: false, width: 120 });
      expect(text).toMatch(/^Final files +1 +1,201 +\+1,200 /m);
      expect(text).toMatch(/0 -> 1,200 +\/data$/m);
      expect(text).toContain('…and 1,190 more');
      expect(text).toContain('(1 entry in A, 1 in B, 0 the same)');
      const md = renderDiffMarkdown(r);
      expect(md).toContain('| Final files | 1 | 1,201 | +1,200 |');
      expect(md).toContain('(1 entry in A, 1 in B, 0 the same)');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff markdown on a layer with a long instruction', () => {
  // A PR comment scrolls: cut at 120 characters, the row hid the part of the RUN that made the layer.
  it('keeps a long instruction whole, and marks one cut at a comment-sized length with an ellipsis', async () => {
    const long = `RUN ${'echo step && '.repeat(12)}head -c 100 /dev/urandom > /opt/tail-of-the-command.bin`;
    const huge = `RUN ${'echo step && '.repeat(60)}head -c 100 /dev/urandom > /opt/huge-tail.bin`;
    const base = layer({ 'etc/hostname': 'a\n' }, 'ADD a.tar /');
    const before = await buildOciLayout([base]);
    const after = await buildOciLayout([
      base,
      layer({ 'opt/tail-of-the-command.bin': 'x' }, long),
      layer({ 'opt/huge-tail.bin': 'x' }, huge),
    ]);
    try {
      const md = renderDiffMarkdown(await diffImages({ a: before.path, b: after.path, noCache: true }));
      const row = (index: number) => md.split('\n').find((l) => l.startsWith(`| only B | L${index} |`));
      expect(row(1)).toContain(`| \`${long}\` |`);
      expect(row(2)).toContain(`| \`${huge.slice(0, INSTRUCTION_CHARS - 1)}…\` |`);
      expect(row(2)).not.toContain('huge-tail');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff text on long paths', () => {
  it('cuts a long path in its middle, keeping its file name, and gives it the width the row leaves', async () => {
    // Given two files under one long directory, added, and a changed one
    const dir = 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64';
    const before = await buildOciLayout([layer({ 'etc/motd': 'hello\n' })]);
    const after = await buildOciLayout([
      layer({ [`${dir}_Packages`]: 'x'.repeat(20), [`${dir}_Translation-en`]: 'y', 'etc/motd': 'hello there\n' }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const text = renderDiffText(r, { color: false, width: 80 }).split('\n');
      const rows = text.filter((l) => /^[+~] /.test(l));
      // Then each keeps its distinct ending (a cut at the end made the two read the same), in 80 columns
      expect(rows.find((l) => l.startsWith('+') && l.endsWith('amd64_Packages'))).toBeDefined();
      expect(rows.find((l) => l.startsWith('+') && l.endsWith('amd64_Translation-en'))).toBeDefined();
      expect(rows.filter((l) => l.includes('…'))).toHaveLength(2);
      for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
      // a row with nothing after its path fills the line (40 columns were held back for every row)
      expect(Math.max(...rows.map((l) => l.length))).toBe(80);
      expect(rows.find((l) => l.startsWith('~'))).toMatch(/^~ +\+6 B +\/etc\/motd 6 B -> 12 B$/);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff text on a file that became a link', () => {
  it('says where each side points when a hard link became a symlink', async () => {
    // Given a second name of a file replaced by a symlink to it: the hard link's target was lost
    const before = await buildOciLayout([layer({ 'data/src': 'x1\n', 'data/ln': hardlink('data/src') })]);
    const after = await buildOciLayout([layer({ 'data/src': 'x1\n', 'data/ln': symlink('src') })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(r.files.changed).toMatchObject([
        { path: 'data/ln', kindBefore: 'hardlink', kind: 'symlink', linkBefore: 'data/src', link: 'src' },
      ]);
      expect(renderDiffText(r, { color: false })).toMatch(
        /\/data\/ln 0 B -> 0 B \(hard link to \/data\/src -> symlink to src\)/,
      );
      expect(renderDiffMarkdown(r)).toContain('(hard link to `/data/src` → symlink to `src`)');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('says where it points, and cuts a long target in its middle under the path at 60 columns', async () => {
    // Given a file replaced by a symlink to a long path
    const target = '/usr/lib/x86_64-linux-gnu/some-vendor/very/long/library/path/libexample.so.1.2.3';
    const before = await buildOciLayout([layer({ 'usr/lib/libexample.so': 'x'.repeat(40) })]);
    const after = await buildOciLayout([layer({ 'usr/lib/libexample.so': symlink(target) })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const wide = renderDiffText(r, { color: false, width: 200 });
      expect(wide).toMatch(/~ +-40 B +\/usr\/lib\/libexample.so 40 B -> 0 B \(file -> symlink to \/usr\/lib\/x86/);
      expect(wide).toContain('libexample.so.1.2.3)');
      // Then at 60 columns the note goes under the path and every line fits, the target cut in its middle
      const text = renderDiffText(r, { color: false, width: 60, sections: ['files'] }).split('\n');
      const at = text.findIndex((l) => l.startsWith('~'));
      expect(text[at + 1]).toMatch(/^ +40 B -> 0 B \(file -> symlink to \/usr\/…\S*\.so\.1\.2\.3\)$/);
      expect(text.filter((line) => line.length > 60)).toEqual([]);
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff reporters on many layers', () => {
  it('cut the layers list to --top rows per group, say how many more, and keep the changed layers in sight', async () => {
    // Given A of 14 layers, and B of the same 12 lowest and 3 of its own
    const shared = Array.from({ length: 12 }, (_, i) => layer({ [`opt/s${i}`]: `shared ${i}\n` }, `RUN shared ${i}`));
    const before = await buildOciLayout([
      ...shared,
      ...[0, 1].map((i) => layer({ [`opt/a${i}`]: `a ${i}\n` }, `RUN only-a ${i}`)),
    ]);
    const after = await buildOciLayout([
      ...shared,
      ...[0, 1, 2].map((i) => layer({ [`opt/b${i}`]: `b ${i}\n` }, `RUN only-b ${i}`)),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect([r.layers.shared.length, r.layers.onlyA.length, r.layers.onlyB.length]).toEqual([12, 2, 3]);
      // Then the text lists 2 shared layers, A's 2 and B's first 2, and says 11 more (10 shared, 1 of B's)
      const text = renderDiffText(r, { color: false, rows: 2, sections: ['layers'] }).split('\n');
      expect(text.filter((l) => /^= /.test(l))).toHaveLength(2);
      expect(text.filter((l) => /RUN only-a [01]$/.test(l))).toHaveLength(2);
      expect(text.filter((l) => /RUN only-b \d$/.test(l))).toHaveLength(2);
      expect(text).toContain('  …and 11 more (--json lists all)');
      // And the markdown, which lists the layers not shared, 2 of B's 3, and says 1 more
      const md = renderDiffMarkdown(r, { rows: 2, sections: ['layers'] }).split('\n');
      expect(md.filter((l) => l.startsWith('| only B |'))).toHaveLength(2);
      expect(md.filter((l) => l.startsWith('| only A |'))).toHaveLength(2);
      expect(md).toContain('…and 1 more (`--json` lists all).');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff --filename on a file whose mode or owner changed', () => {
  it('says changed, same content, and what changed, in JSON, text and markdown; a file with nothing changed stays identical', async () => {
    // Given B with the same script made executable, the same config given to another owner, and an untouched file
    const before = await buildOciLayout([
      layer({
        'app/run.sh': file('#!/bin/sh\n', { mode: 0o644 }),
        'etc/app.conf': file('a=1\n', { uid: 0, gid: 0 }),
        'etc/hostname': 'h\n',
      }),
    ]);
    const after = await buildOciLayout([
      layer({
        'app/run.sh': file('#!/bin/sh\n', { mode: 0o755 }),
        'etc/app.conf': file('a=2\n', { uid: 1000, gid: 1000 }),
        'etc/hostname': 'h\n',
      }),
    ]);
    try {
      const r = await diffImages({
        a: before.path,
        b: after.path,
        noCache: true,
        filenames: ['/app/run.sh', '/etc/app.conf', '/etc/hostname'],
      });
      const [script, conf, hostname] = r.files.contents!;
      // Then the script is changed with the same content, its mode said
      expect(script).toMatchObject({
        status: 'changed',
        note: 'metadata',
        diff: null,
        metadata: { fields: ['mode'], a: { mode: '0644' }, b: { mode: '0755' } },
      });
      // And the config, whose content changed too, keeps its diff and names its new owner
      expect(conf).toMatchObject({ status: 'changed', metadata: { fields: ['owner'] } });
      expect(conf.note).toBeUndefined();
      expect(conf.diff).toContain('+a=2');
      expect(hostname).toMatchObject({ status: 'identical' });
      expect(hostname.metadata).toBeUndefined();
      const text = renderDiffText(r, { color: false });
      expect(text).toContain('File /app/run.sh: changed (same content; mode 0644 -> 0755)');
      expect(text).toContain('File /etc/app.conf: changed (owner 0:0 -> 1000:1000)');
      expect(text).toContain('File /etc/hostname: identical');
      expect(renderDiffMarkdown(r)).toContain('#### File `/app/run.sh`: changed (same content; mode 0644 → 0755)');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff --filename on a name that became a hardlink of the same bytes', () => {
  it('names the link target with its control characters escaped, on one line', async () => {
    // Given B where /etc/conf is a hardlink to a file whose name holds a newline, with the same bytes
    const before = await buildOciLayout([layer({ 'etc/a\nb': 'same\n', 'etc/conf': 'same\n' })]);
    const after = await buildOciLayout([layer({ 'etc/a\nb': 'same\n', 'etc/conf': hardlink('etc/a\nb') })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true, filenames: ['/etc/conf'] });
      expect(r.files.contents![0]).toMatchObject({
        status: 'changed',
        note: 'metadata',
        metadata: { fields: ['link'] },
      });
      // Then the headline, as the command prints it, is one line with the newline escaped
      const shown = { ...r, files: { ...r.files, contents: printableContents(r.files.contents!) } };
      const text = renderDiffText(shown, { color: false, sections: [] });
      expect(text).toContain('File /etc/conf: changed (same content; link - -> /etc/a\\x0ab)');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff markdown on long history and config values', () => {
  it('cuts a long command or label with an ellipsis and counts the history rows past --top', async () => {
    // Given B with three more RUN steps than A, the last one a command of 600 characters, and a 300-character label
    const long = `apt-get install -y ${'pkg '.repeat(145)}&& rm -rf /var/lib/apt/lists/END`;
    const before = await buildOciLayout([layer({ 'a/one': 'x' }, '/bin/sh -c base')]);
    const after = await buildOciLayout(
      [
        layer({ 'a/one': 'x' }, '/bin/sh -c base'),
        layer({ 'a/two': 'y' }, '/bin/sh -c step two'),
        layer({ 'a/three': 'z' }, '/bin/sh -c step three'),
        layer({ 'a/four': 'w' }, `/bin/sh -c ${long}`),
      ],
      { config: { Labels: { script: `${'v'.repeat(300)}TAIL` } } },
    );
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(r.history.added).toHaveLength(3);
      // When the markdown shows one row of each side
      const md = renderDiffMarkdown(r, { rows: 1, sections: ['history', 'config'] });
      // Then the two history rows left out are counted, as in the text report
      expect(md).toContain('…and 2 more (`--json` lists all).');
      // And a cut command or value ends with an ellipsis, never bare in the middle of a word
      const one = renderDiffMarkdown(
        { ...r, history: { ...r.history, added: [r.history.added[2]] } },
        { sections: ['history', 'config'] },
      );
      const cell = one.split('\n').find((l) => l.startsWith('| only B |'))!;
      // (its instruction, as the text shows it)
      expect(cell).toMatch(/^\| only B \| 3 \| `RUN apt-get install -y pkg .* pkg …` \|$/);
      expect(cell).not.toContain('END');
      const label = one.split('\n').find((l) => l.includes('labels.script'))!;
      expect(label).toMatch(/v…` \|$/);
      expect(label).not.toContain('TAIL');
      // The text cuts them to a width given (a terminal, COLUMNS), and keeps them whole without one (a pipe, a file)
      const cut = renderDiffText(r, { color: false, width: 120, sections: ['layers', 'history', 'config'] });
      const whole = renderDiffText(r, { color: false, sections: ['layers', 'history', 'config'] });
      for (const end of ['lists/END', 'vTAIL']) {
        expect(cut).not.toContain(end);
        expect(whole).toContain(end);
      }
      expect(whole.match(/lists\/END$/gm)).toHaveLength(2);
      expect(whole).not.toContain('…');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff markdown cut to --top', () => {
  it('counts the file and package rows it leaves out, as the text report does', async () => {
    // Given B with three Node packages A does not have
    const pkg = (name: string) => JSON.stringify({ name, version: '1.0.0' });
    const before = await buildOciLayout([layer({ 'app/main.js': 'x' })]);
    const after = await buildOciLayout([
      layer({
        'app/main.js': 'x',
        'app/node_modules/left/package.json': pkg('left'),
        'app/node_modules/pad/package.json': pkg('pad'),
        'app/node_modules/right/package.json': pkg('right'),
      }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(r.packages.added).toHaveLength(3);
      expect(r.files.added).toHaveLength(3);
      // When the markdown shows one row per list
      const md = renderDiffMarkdown(r, { rows: 1, sections: ['packages', 'files'] });
      // Then both tables say how many more there are, once each
      const details = md.split('<details>').slice(1);
      expect(details).toHaveLength(2);
      for (const d of details) expect(d).toContain('…and 2 more (`--json` lists all).');
      // And a list shown whole says nothing of the kind
      expect(renderDiffMarkdown(r, { rows: 3, sections: ['packages', 'files'] })).not.toContain('more (`--json`');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

describe('diff config values that differ only in blanks', () => {
  it('shows the blanks a report would fold or trim, in text and markdown', async () => {
    // Given A and B whose env values differ by a trailing space and by a run of two spaces
    const before = await buildOciLayout([layer({ 'a/one': 'x' })], { config: { Env: ['T=end ', 'X=a b'] } });
    const after = await buildOciLayout([layer({ 'a/one': 'x' })], { config: { Env: ['T=end', 'X=a  b'] } });
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(r.config).toEqual([
        { key: 'env.T', a: 'end ', b: 'end' },
        { key: 'env.X', a: 'a b', b: 'a  b' },
      ]);
      // Then the two sides of each row do not read as the same value
      const text = renderDiffText(r, { color: false, width: 120 }).split('\n');
      expect(text.find((l) => l.includes('env.T'))).toMatch(/env\.T +end\\x20 +-> +end$/);
      expect(text.find((l) => l.includes('env.X'))).toMatch(/env\.X +a b +-> +a\\x20\\x20b$/);
      const md = renderDiffMarkdown(r);
      expect(md).toContain('| `env.T` | `end\\x20` | `end` |');
      expect(md).toContain('| `env.X` | `a b` | `a\\x20\\x20b` |');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('shows the blanks of file names a report would fold or trim, in text and markdown', async () => {
    // Given B adds `a/x ` (a trailing space) and `a/p  q` (two spaces) next to A's `a/x` and `a/p q`
    const before = await buildOciLayout([layer({ 'a/x': 'one', 'a/p q': 'two' })]);
    const after = await buildOciLayout([layer({ 'a/x': 'one', 'a/p q': 'two', 'a/x ': 'three', 'a/p  q': 'four' })]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      expect(r.files.added.map((f) => f.path).sort()).toEqual(['a/p  q', 'a/x ']);
      // Then the added names do not read as the files A already had (the paths made printable as `diff` does)
      const shown = printableResult(r);
      const text = renderDiffText(shown, { color: false, width: 120 });
      expect(text).toContain('/a/x\\x20');
      expect(text).toContain('/a/p\\x20\\x20q');
      const md = renderDiffMarkdown(shown);
      expect(md).toContain('`/a/x\\x20`');
      expect(md).toContain('`/a/p\\x20\\x20q`');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});

// The Directories list named each level of one change (/var/lib, /var/lib/apt, /var/lib/apt/lists), and analyze's
// Biggest directories names only distinct places and says which it left out: the diff reports now do both.
describe('diff reporters on a chain of directories holding one change', () => {
  it('list the deepest place of the chain and name the directories left out, in text and markdown', async () => {
    // Given B adding 100 kB deep in /var/lib/apt/lists and 100 kB split over /app and /app/data
    const before = await buildOciLayout([layer({ 'etc/hostname': 'a\n' })]);
    const after = await buildOciLayout([
      layer({
        'etc/hostname': 'a\n',
        'var/lib/apt/lists/big': 100_000,
        'var/lib/x': 1_000,
        'app/data/a': 60_000,
        'app/b': 40_000,
      }),
    ]);
    try {
      const r = await diffImages({ a: before.path, b: after.path, noCache: true });
      const line = 'a subdirectory of each holds 95% or more of its change.';
      const text = renderDiffText(r, { color: false, width: 120, sections: ['directories'] });
      const section = text.slice(text.indexOf('Directories (biggest changes)'));
      expect(section.match(/\/\S+$/gm)).toEqual(['/app', '/var/lib/apt/lists', '/app/data']);
      expect(section).toMatch(
        new RegExp(`^Not listed: /var, /var/lib, /var/lib/apt: ${line.replace(/\./g, '\\.')}$`, 'm'),
      );
      const md = renderDiffMarkdown(r, { sections: ['directories'] });
      expect(md.match(/`\/[^`]*` \|$/gm)).toEqual(['`/app` |', '`/var/lib/apt/lists` |', '`/app/data` |']);
      expect(md).toContain(`Not listed: \`/var\`, \`/var/lib\`, \`/var/lib/apt\`: ${line}`);
      // A list cut above the chain's place still names those that changed more than its last row, as analyze does.
      const each = 'a subdirectory of each holds';
      expect(renderDiffText(r, { color: false, width: 120, rows: 1 })).toContain(`Not listed: /var, /var/lib: ${each}`);
      expect(renderDiffMarkdown(r, { rows: 1 })).toContain(`Not listed: \`/var\`, \`/var/lib\`: ${each}`);
      // And nothing when no directory was left out.
      const flat = await diffImages({ a: a.path, b: b.path, noCache: true });
      expect(renderDiffText(flat, { color: false })).not.toContain('Not listed');
      expect(renderDiffMarkdown(flat)).not.toContain('Not listed');
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });
});
