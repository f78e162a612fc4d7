// `diff`'s text on a narrow terminal (COLUMNS=40): every table fits the line, and what does not fit beside its row's
// figures goes under the row rather than being cut to nothing. On a real diff of two hand-built images that differ as
// a release does: a thousand docs, a package, the config's time, labels and base digest.
import { renderDiffText } from '../../src/reporters/diff-text.js';
import { columns } from '../../src/report/text.js';
import { diffImages, type DiffResult } from '../../src/services/diff.js';
import { buildOciLayout, DIR, file, filler, layer, special, type BuiltImage } from '../helpers/image-builder.js';

const dpkgStatus = (pkgs: [string, string][]) =>
  pkgs
    .map(
      ([name, version]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`,
    )
    .join('\n');

const docs = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`usr/share/doc/pkg-${i}/copyright`, filler(`d${i}`, 1000)]));

const libc = {
  'usr/lib/libc.so': filler('libc', 1_200_000),
  'var/lib/dpkg/info/libc6.list': '/usr/lib/libc.so\n',
};
// Packages enough for two-digit counts: `12 (1.20 MB)` beside `13 (1.32 MB)` and the delta are wider than 40.
const more = Array.from({ length: 11 }, (_, i): [string, string] => [`lib${i}`, '1.0']);
const digest = (c: string) => `sha256:${c.repeat(64)}`;
let a: BuiltImage;
let b: BuiltImage;
let r: DiffResult;

beforeAll(async () => {
  a = await buildOciLayout(
    [
      layer({
        ...docs(1000),
        ...libc,
        'etc/debian_version': file('12.8\n', { mode: 0o644 }),
        'var/lib/dpkg/status': dpkgStatus([['libc6', '2.36-9+deb12u9'], ...more]),
      }),
    ],
    {
      image: { created: '2026-12-06T16:24:52.332254883Z' },
      config: { Labels: { 'org.opencontainers.image.description': 'the same app, built carefully' } },
      annotations: { 'org.opencontainers.image.base.digest': digest('4') },
    },
  );
  b = await buildOciLayout(
    [
      layer({
        ...docs(1050),
        ...libc,
        'etc/debian_version': file('12.8\n', { mode: 0o600 }),
        'usr/lib/libsasl2.so': filler('sasl', 120_000),
        'var/lib/dpkg/info/krb5-locales.list': '/usr/lib/libsasl2.so\n',
        'var/lib/dpkg/status': dpkgStatus([['libc6', '2.36-9+deb12u9'], ...more, ['krb5-locales', '1.20.1-2+deb12u5']]),
      }),
    ],
    {
      image: { created: '2026-12-06T16:24:04.09409775Z' },
      config: { Labels: { 'org.opencontainers.image.description': 'a wasted-space test fixture' } },
      annotations: { 'org.opencontainers.image.base.digest': digest('9') },
    },
  );
  r = await diffImages({ a: a.path, b: b.path, noCache: true });
});

afterAll(() => {
  a?.cleanup();
  b?.cleanup();
});

const section = (text: string, title: RegExp) => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => title.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start + 2);
  return lines.slice(start, end < 0 ? undefined : end);
};

describe('diff text at 40 columns', () => {
  const text = () => renderDiffText(r, { color: false, width: 40 });

  it('fits every line of the Size, directory, package and config tables', () => {
    // Given tables 42 to 52 columns wide at COLUMNS=40 (the Size table's labels, the directories' file counts, the
    // packages' counts in brackets, the config's three columns)
    const lines = text().split('\n');
    // Then no line is wider, but for a path in prose and a config digest, each keeping a line of its own, whole
    expect(lines.filter((l) => columns(l) > 40 && !/^(?: {4})?[AB] {2}\S+$/.test(l))).toEqual([]);
  });

  it.each([20, 30, 39])('lays out %i columns as 40, the narrowest its tables fit', (width) => {
    // At 20 the tables ran past the line anyway (the Size table's figures are 36 columns), and every path, value and
    // package name was cut to a dozen columns (`/var/…4_Packages`, `noninteracti…`).
    expect(renderDiffText(r, { color: false, width })).toBe(text());
    expect(renderDiffText(r, { color: false, width: 41 })).not.toBe(text());
  });

  it("puts each size's label over its figures, which stay whole", () => {
    const size = section(text(), /^Size$/);
    const row = size.indexOf('Final file bytes');
    expect(row).toBeGreaterThan(0);
    expect(size[row + 1]).toMatch(/^ +[\d.]+ [kM]B +[\d.]+ [kM]B +\+[\d.]+ kB +\+[\d.]+%$/);
    // as the labels and figures are on one line where they fit
    expect(renderDiffText(r, { color: false, width: 80 })).toMatch(/^Final file bytes +[\d.]+ [kM]B +[\d.]+ [kM]B /m);
  });

  it("puts a directory's path and file counts under its sizes", () => {
    const dirs = section(text(), /^Directories/);
    const row = dirs.findIndex((l) => /^ *\+50\.0 kB +1\.00 MB +1\.05 MB$/.test(l));
    expect(row).toBeGreaterThan(0);
    // (the counts after the path, or on a line of their own when the path leaves them too little room)
    expect(dirs.slice(row + 1, row + 3).join(' ')).toMatch(/^ {4}\/usr\S* +\(1,000 -> 1,050 files\)/);
  });

  it("puts a manager's name over its counts and a package's name and version whole under its row", () => {
    const packages = section(text(), /^Packages$/);
    expect(packages).toContain('dpkg');
    expect(packages[packages.indexOf('dpkg') + 1]).toMatch(/^ +12 \(1\.20 MB\) +13 \(1\.32 MB\) +\+120 kB$/);
    const list = text().split('\n');
    const row = list.findIndex((l) => /^\+ +dpkg +\+[\d.]+ kB$/.test(l));
    expect(list[row + 1]).toBe('    krb5-locales 1.20.1-2+deb12u5');
  });

  it('fits a manager row of four-digit counts and GB sizes, each side split over two lines', () => {
    // Given thousands of packages on each side, gigabytes of them (`1,234 (1.23 GB)  5,678 (4.56 GB)  +3.33 GB` under
    // the name is 44 columns, and 12,345 Node packages wider still)
    const big: DiffResult = {
      ...r,
      packages: {
        ...r.packages,
        managers: {
          dpkg: {
            a: { packages: 1234, bytes: 1_234_000_000 },
            b: { packages: 5678, bytes: 4_564_000_000 },
            added: 4444,
            removed: 0,
            changed: 0,
            deltaBytes: 3_330_000_000,
          },
          node: {
            a: { packages: 12_345, bytes: 1_234_000_000 },
            b: { packages: 0, bytes: 0 },
            added: 0,
            removed: 12_345,
            changed: 0,
            deltaBytes: -1_234_000_000,
          },
        },
      },
    };
    const packages = section(renderDiffText(big, { color: false, width: 40 }), /^Packages$/);
    // Then no line is wider than the terminal
    expect(packages.filter((l) => columns(l) > 40)).toEqual([]);
    // and every figure is there, whole: each side's count over its size, the delta beside the sizes
    const dpkg = packages.indexOf('dpkg');
    expect(packages.slice(dpkg + 1, dpkg + 3)).toEqual([
      expect.stringMatching(/^ +1,234 +5,678$/),
      expect.stringMatching(/^ +\(1\.23 GB\) +\(4\.56 GB\) +\+3\.33 GB$/),
    ]);
    const node = packages.indexOf('node');
    expect(packages.slice(node + 1, node + 3)).toEqual([
      expect.stringMatching(/^ +12,345 +0$/),
      expect.stringMatching(/^ +\(1\.23 GB\) +\(0 B\) +-1\.23 GB$/),
    ]);
    // while a row that fits keeps each side on one line
    expect(section(text(), /^Packages$/)).toContain('dpkg');
    expect(section(renderDiffText(big, { color: false, width: 80 }), /^Packages$/).join('\n')).toMatch(
      /^dpkg +1,234 \(1\.23 GB\) +5,678 \(4\.56 GB\) +\+3\.33 GB/m,
    );
  });

  it("puts a config value that does not fit beside its key under it, each side's on a line", () => {
    const config = section(text(), /^Config: /);
    const created = config.indexOf('  created');
    expect(config.slice(created + 1, created + 3)).toEqual([
      '    A  2026-12-06T16:24:52.332254883Z',
      '    B  2026-12-06T16:24:04.09409775Z',
    ]);
    // A digest is copied whole or not at all: each side's on a line of its own, whole, past the line's end if it must
    // (as inspect shows it); it was cut to `sha256:44444444444444444444444444…`
    const base = config.findIndex((l) => l.endsWith('base.digest'));
    expect(config.slice(base + 1, base + 3)).toEqual([`    A  ${digest('4')}`, `    B  ${digest('9')}`]);
    // With READABLE_CELL columns or more for each value (120 columns) the rows stay one line each, a value cut there,
    // but for the digests, which go under their key, whole, rather than be cut beside it (`sha256:4444…`)
    const wide = section(renderDiffText(r, { color: false, width: 120 }), /^Config: /);
    expect(wide).toHaveLength(6);
    expect(wide[3]).toMatch(/^ {2}annotations\.\S*base\.digest$/);
    expect(wide.slice(4)).toEqual([`    A  ${digest('4')}`, `    B  ${digest('9')}`]);
    expect(wide.filter((l) => l.includes('…'))).toEqual([]);
    // Without a width (a pipe, a file) each difference keeps one whole line
    expect(renderDiffText(r, { color: false })).toMatch(
      /^ {2}created +2026-12-06T16:24:52\.332254883Z +-> +2026-12-06T16:24:04\.09409775Z$/m,
    );
  });

  // An image reference with a tag and a URL were cut too (`localhost/corpus/deb…`)
  it('keeps a commit, a reference pinned by digest or tag and a URL whole at 40 columns, and cuts other values', () => {
    const revision = ['0123456789abcdef0123456789abcdef01234567', 'fedcba9876543210fedcba9876543210fedcba98'];
    const pinned = `docker.io/library/debian@${digest('a')}`;
    const tagged = 'registry.example.com:5000/team/base-image:2026.12';
    const source = 'https://git.example.com/platform/images/base';
    const config = section(
      renderDiffText(
        {
          ...r,
          config: [
            { key: 'labels.org.opencontainers.image.revision', a: revision[0], b: revision[1] },
            { key: 'annotations.org.opencontainers.image.base.name', a: tagged, b: pinned },
            { key: 'labels.org.opencontainers.image.source', a: null, b: source },
            { key: 'env.PATH', a: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin', b: '/usr/bin' },
          ],
        },
        { color: false, width: 40 },
      ),
      /^Config: /,
    );
    expect(config).toContain(`    A  ${revision[0]}`);
    expect(config).toContain(`    B  ${revision[1]}`);
    expect(config).toContain(`    A  ${tagged}`);
    expect(config).toContain(`    B  ${pinned}`);
    expect(config).toContain(`    B  ${source}`);
    // A PATH is read, not copied as one token: cut to the line as before
    expect(config).toContainEqual(expect.stringMatching(/^ {4}A {2}\/usr\/local\/sbin:\S+…$/));
  });

  it('wraps each side of a --filename comparison under its text, where on one line it ran past the terminal', () => {
    const side = (layer: number) => ({
      kind: 'file' as const,
      layer,
      sizeBytes: 4_740_000,
      sha256: 'a'.repeat(64),
      target: null,
      binary: null,
      device: null,
    });
    const contents = [
      { path: '/usr/lib/libcrypto.so.3', status: 'identical' as const, a: side(1), b: side(12), diff: null },
    ];
    const withContents = { ...r, files: { ...r.files, contents } };
    const lines = renderDiffText(withContents, { color: false, width: 40, sections: ['size'] }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('  A: '));
    // `sha256` stays with its hex, as a digest is kept whole in diff's other rows: split, they read as two values.
    expect(lines.slice(at)).toEqual([
      '  A: file, 4.74 MB,',
      '     sha256 aaaaaaaaaaaa, layer 1',
      '  B: file, 4.74 MB,',
      '     sha256 aaaaaaaaaaaa, layer 12',
    ]);
    // and without a width (a pipe, a file) each side keeps one line
    expect(renderDiffText(withContents, { color: false, sections: ['size'] })).toContain(
      '\n  A: file, 4.74 MB, sha256 aaaaaaaaaaaa, layer 1\n',
    );
  });

  it("puts each junk class's name over its sizes, whole, and its note beside them", () => {
    // It was cut to the 11 columns beside the sizes: `docs, man a…`.
    const junk = section(text(), /^Junk/);
    expect(junk[0]).toBe('Junk');
    const row = junk.indexOf('docs, man and info pages');
    expect(row).toBeGreaterThan(1);
    expect(junk[row + 1]).toMatch(/^ +[\d.]+ [kM]B +[\d.]+ [kM]B +\+[\d.]+ kB +grew in B$/);
    // as at 80 columns, where the name and the sizes share a line
    expect(section(renderDiffText(r, { color: false, width: 80 }), /^Junk/)[1]).toMatch(
      /^docs, man and info pages +[\d.]+ [kM]B +[\d.]+ [kM]B +\+[\d.]+ kB/,
    );
  });

  it("wraps a metadata row's note under its path, where on one line it ran past the terminal", () => {
    const lines = text().split('\n');
    const row = lines.findIndex((l) => /^m +0 B +\/etc\/debian_version$/.test(l));
    expect(row).toBeGreaterThan(0);
    const note = lines.slice(row + 1, row + 3);
    for (const l of note) expect(l).toMatch(/^ {13}\S/);
    expect(note.map((l) => l.trim()).join(' ')).toBe('mode 0644 -> 0600 (5 B, same content)');
  });
});

describe('diff text: long label keys and paths on a narrow terminal', () => {
  const lists = 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages';
  const data = 'y'.repeat(5000);
  let x: BuiltImage;
  let y: BuiltImage;
  let d: DiffResult;

  beforeAll(async () => {
    // B adds apt's lists (a path of 84 columns) and copies /app/a.txt again with another mode; the title label changed.
    const label = (title: string) => ({ config: { Labels: { 'org.opencontainers.image.title': title } } });
    x = await buildOciLayout([layer({ 'app/a.txt': file(data) })], label('corpus-slim'));
    y = await buildOciLayout(
      [layer({ 'app/a.txt': file(data), [lists]: 3000 }), layer({ 'app/a.txt': file(data, { mode: 0o600 }) })],
      label('corpus-bloated'),
    );
    d = await diffImages({ a: x.path, b: y.path, noCache: true });
  });

  afterAll(() => {
    x?.cleanup();
    y?.cleanup();
  });

  it('at 80 columns puts a key longer than its column over its values, whole, rather than cut beside them', () => {
    // It was `labels.org…ontainers.image.title  corpus-slim  ->  corpus-bloated`.
    const config = section(renderDiffText(d, { color: false, width: 80, sections: ['config'] }), /^Config: /);
    expect(config.slice(1)).toEqual([
      '  labels.org.opencontainers.image.title',
      '    A  corpus-slim',
      '    B  corpus-bloated',
    ]);
  });

  it('at 40 columns breaks a key longer than the line after a dot, and keeps every character of it', () => {
    // (r's description key was cut to `labels.org.o…tainers.image.description`)
    const config = section(renderDiffText(r, { color: false, width: 40, sections: ['config'] }), /^Config: /);
    const at = config.indexOf('  labels.org.opencontainers.image.');
    expect(config.slice(at, at + 3)).toEqual([
      '  labels.org.opencontainers.image.',
      '  description',
      '    A  the same app, built carefully',
    ]);
  });

  it('at 40 columns puts a long path under its size, cut to the line there, and fits the waste rows', () => {
    const text = renderDiffText(d, { color: false, width: 40, sections: ['files', 'waste'] });
    const lines = text.split('\n');
    // (but for the images' temp paths in the header, each whole on a line of its own)
    expect(lines.filter((l) => columns(l) > 40 && !/^[AB] {2}\S+$/.test(l))).toEqual([]);
    // The path had the 26 columns beside `+  +3.00 kB`; under the row it has 36.
    const row = lines.indexOf('+  +3.00 kB');
    expect(row).toBeGreaterThan(0);
    expect(lines[row + 1]).toMatch(/^ {4}\/var\/lib\/\S*…\S*_Packages$/);
    expect(columns(lines[row + 1])).toBe(40);
    // The cause (26 columns) and the path go under the size and layers, each on a line.
    const waste = lines.findIndex((l) => /^5\.00 kB {2}L0 hidden by L1$/.test(l));
    expect(lines.slice(waste + 1, waste + 3)).toEqual(['    copied again, same content', '    /app/a.txt']);
  });

  it('keeps each row on one whole line without a width (a pipe, a file)', () => {
    const text = renderDiffText(d, { color: false, sections: ['files', 'config', 'waste'] });
    expect(text).toMatch(/^ {2}labels\.org\.opencontainers\.image\.title {2}corpus-slim {2}-> {2}corpus-bloated$/m);
    expect(text).toContain(`+  +3.00 kB  /${lists}\n`);
    expect(text).toContain('5.00 kB  copied again, same content  L0 hidden by L1  /app/a.txt');
  });
});

describe('diff text: a config timestamp beside a longer key', () => {
  let x: BuiltImage;
  let y: BuiltImage;
  let d: DiffResult;

  beforeAll(async () => {
    // As corpus slim against bloated: `created` differs, and B sets DEBIAN_FRONTEND, a key 19 columns wide.
    x = await buildOciLayout([layer({ 'app/a.txt': 'a' })], { image: { created: '2026-12-06T16:24:52.332254883Z' } });
    y = await buildOciLayout([layer({ 'app/a.txt': 'a' })], {
      image: { created: '2026-12-06T16:24:04.09409775Z' },
      config: { Env: ['DEBIAN_FRONTEND=noninteractive'] },
    });
    d = await diffImages({ a: x.path, b: y.path, noCache: true });
  });

  afterAll(() => {
    x?.cleanup();
    y?.cleanup();
  });

  it.each([80, 60, 40])('keeps each side of `created` whole at %i columns', (width) => {
    // It was `created  2026-12-06T16:24:52.3322…  ->  2026-12-06T16:24:04.0940…` at 80 columns.
    const config = section(renderDiffText(d, { color: false, width, sections: ['config'] }), /^Config: /);
    expect(config).toContain('    A  2026-12-06T16:24:52.332254883Z');
    expect(config).toContain('    B  2026-12-06T16:24:04.09409775Z');
    expect(config.filter((l) => columns(l) > width)).toEqual([]);
    // The row that fits beside its key stays one line
    expect(config.some((l) => /^ {2}env\.DEBIAN_FRONTEND +\(none\) +-> +noninteractive$/.test(l))).toBe(width >= 60);
  });

  it('keeps the timestamps beside their key where the line holds them whole', () => {
    const config = section(renderDiffText(d, { color: false, width: 100, sections: ['config'] }), /^Config: /);
    expect(config[1]).toMatch(/^ {2}created +2026-12-06T16:24:52\.332254883Z +-> +2026-12-06T16:24:04\.09409775Z$/);
  });
});

describe('diff text: device notes wrapped under their path', () => {
  const chr = (major: number, minor: number) => special('character-device', 0o666, { major, minor });
  const blk = (major: number, minor: number) => special('block-device', 0o660, { major, minor });
  let x: BuiltImage;
  let y: BuiltImage;
  let d: DiffResult;

  beforeAll(async () => {
    // B against A: run/initctl FIFO -> char 0,0; dev/null 1,3 -> 1,5; dev/nvme0n1p12 block 259,12 -> char 259,13.
    x = await buildOciLayout([
      layer({
        'dev/': DIR,
        'dev/null': chr(1, 3),
        'dev/nvme0n1p12': blk(259, 12),
        'run/': DIR,
        'run/initctl': special('fifo', 0o600),
      }),
    ]);
    y = await buildOciLayout([
      layer({
        'dev/': DIR,
        'dev/null': chr(1, 5),
        'dev/nvme0n1p12': chr(259, 13),
        'run/': DIR,
        'run/initctl': chr(0, 0),
      }),
    ]);
    d = await diffImages({ a: x.path, b: y.path, noCache: true });
  });

  afterAll(() => {
    x?.cleanup();
    y?.cleanup();
  });

  /** The lines under a changed row's path, trimmed. */
  const noteOf = (lines: string[], path: string) => {
    const row = lines.findIndex((l) => new RegExp(`^~ +0 B +${path}$`).test(l));
    expect(row).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > row && !/^ {8}\S/.test(l));
    return lines.slice(row + 1, end < 0 ? undefined : end).map((l) => l.trim());
  };

  it('at 40 columns keeps a bracketed device note that fits on a line whole, on a line of its own', () => {
    // It was `0 B -> 0 B (fifo -> char-device` and then `0,0)`, and `(char-device 1,3 ->` then `1,5)`.
    const lines = renderDiffText(d, { color: false, width: 40, sections: ['files'] }).split('\n');
    expect(noteOf(lines, '/run/initctl')).toEqual(['0 B -> 0 B', '(fifo -> char-device 0,0)']);
    expect(noteOf(lines, '/dev/null')).toEqual(['0 B -> 0 B', '(char-device 1,3 -> 1,5)']);
  });

  it.each([40, 42, 44, 46, 48, 50])(
    'at %i columns never parts a kind from its major,minor, nor ends a line on an arrow',
    (width) => {
      const lines = renderDiffText(d, { color: false, width, sections: ['files'] }).split('\n');
      for (const path of ['/run/initctl', '/dev/null', '/dev/nvme0n1p12']) {
        const note = noteOf(lines, path);
        expect(note.join(' ')).toMatch(
          /^0 B -> 0 B \((?:fifo|char-device 1,3|block-device 259,12) -> (?:char-device )?\d+,\d+\)$/,
        );
        for (const l of note) {
          expect(l).not.toMatch(/-device$|->$/);
          expect(l).not.toMatch(/^\d+,\d+/);
          expect(columns(l) + 8).toBeLessThanOrEqual(width);
        }
      }
    },
  );
});
