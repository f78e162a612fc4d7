// Terminal columns as the explore view and the text reports count them to cut, pad and align (ink lays its boxes out by the same count).
import stringWidth from 'string-width';
import { columns, cutPathToColumns, cutToColumns, graphemes, ONE_COLUMN_EACH } from '../../src/report/text.js';
import { labelled, pathOverNote, table, truncate } from '../../src/reporters/width.js';
import { proseWrapper, wrapToColumns } from '../../src/report/wrap.js';

describe('terminal columns of a name', () => {
  it.each([
    ['plain.txt', 9],
    ['日本語.txt', 10],
    ['emoji-🐳.bin', 12],
    ['cafe\u0301', 4], // e + combining acute: one column
    ['👨‍👩‍👧', 2], // one ZWJ family glyph
    ['🇯🇵', 2],
    ['1\u20e3', 2],
    ['한국어', 6],
    ['ｱｲｳ', 3], // halfwidth katakana
    ['→ ▸ … ·', 7], // ambiguous: narrow, as ink counts them
  ])('%s takes %i', (text, width) => {
    expect(columns(text)).toBe(width);
  });

  it('splits text into the characters a user sees: an emoji, a flag, a family, an accent and its letter', () => {
    expect(graphemes('a🐳🇫🇷👨\u200d👩\u200d👧e\u0301日')).toEqual([
      'a',
      '🐳',
      '🇫🇷',
      '👨\u200d👩\u200d👧',
      'e\u0301',
      '日',
    ]);
    expect(graphemes('')).toEqual([]);
  });

  it('cuts whole characters, never half of a wide one or of a surrogate pair, and marks the cut', () => {
    expect(cutToColumns('文件一个很长', 6)).toBe('文件…');
    expect(cutToColumns('文件一个很长', 7)).toBe('文件一…');
    expect(cutToColumns('ab🐳cd', 4)).toBe('ab…');
    expect(cutToColumns('日本', 4)).toBe('日本');
    expect(cutToColumns('abcdef', 4)).toBe('abc…');
    expect(cutToColumns('abc', 0)).toBe('');
  });

  it('cuts a path in its middle, keeping a third of its start and the end that names the file', () => {
    const path = '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages';
    expect(cutPathToColumns(path, 40)).toBe('/var/lib/apt/…main_binary-amd64_Packages');
    expect(columns(cutPathToColumns(path, 40))).toBe(40);
    expect(cutPathToColumns(path, path.length)).toBe(path);
    expect(cutPathToColumns('/日本語/とても長いファイル名.txt', 16)).toBe('/日本…イル名.txt');
    expect(columns(cutPathToColumns('/日本語/とても長いファイル名.txt', 16))).toBeLessThanOrEqual(16);
    expect(cutPathToColumns('/abc', 2)).toBe('/…');
  });

  it('keeps a size on one line with its unit when it wraps prose', () => {
    expect(wrapToColumns('a b 439 MB (17,296 files, 678 MB over all', 25)).toEqual([
      'a b 439 MB (17,296 files,',
      '678 MB over all',
    ]);
    expect(wrapToColumns('left (600 kB, 1 file) in', 10)).toEqual(['left', '(600 kB, 1', 'file) in']);
    expect(wrapToColumns('x86_64 B y', 7)).toEqual(['x86_64', 'B y']);
    expect(wrapToColumns('\x1b[1m239\x1b[22m \x1b[1mMB\x1b[22m x', 6)).toEqual([
      '\x1b[1m239\x1b[22m \x1b[1mMB\x1b[22m',
      'x',
    ]);
  });

  it('lays a summary block out as labels and values wrapped beside them', () => {
    expect(
      labelled(
        [
          ['Files', '8,988 in the final filesystem, 439 MB (17,296 files, 678 MB over all layers)'],
          ['Base share', '164 MB base'],
        ],
        50,
      ).split('\n'),
    ).toEqual([
      'Files       8,988 in the final filesystem, 439 MB',
      '            (17,296 files, 678 MB over all layers)',
      'Base share  164 MB base',
    ]);
  });

  it('counts one column per unit only for characters string-width also counts as one column, alone or together', () => {
    const units: string[] = [];
    for (let c = 0; c <= 0xffff; c++)
      if (ONE_COLUMN_EACH.test(String.fromCharCode(c))) units.push(String.fromCharCode(c));
    expect(units.length).toBeGreaterThan(600);
    expect(units.filter((u) => stringWidth(u) !== 1)).toEqual([]);
    // Side by side, none joins its neighbour into one character (string-width segments the whole run).
    const all = units.join('');
    expect(stringWidth(all)).toBe(all.length);
    expect(stringWidth([...all].reverse().join(''))).toBe(all.length);
    // Outside the set: the soft hyphen (no column), an emoji square (two), a combining mark.
    for (const other of ['\u00ad', '\u25fd', 'e\u0301', '\u231a']) expect(ONE_COLUMN_EACH.test(other)).toBe(false);
  });

  it('cuts a tree line of narrow glyphs as it cuts ASCII', () => {
    expect(cutToColumns('▾ usr/share · 12 MB → …', 10)).toBe('▾ usr/sha…');
    expect(columns('│ ├── ▸ lib ⏎')).toBe(13);
  });
});

describe('text report tables and cut lines with wide names', () => {
  it('pads each column by terminal columns, so the column after a CJK or emoji name lines up', () => {
    // Padded by UTF-16 length, `日本語.txt` (10 columns, 7 units) pushed its row's size three columns right
    const lines = table(
      [
        ['日本語.txt', '1.20 kB'],
        ['emoji-🐳.bin', '22.0 kB'],
        ['plain.txt', '300 kB'],
      ],
      ['l', 'r'],
    ).split('\n');
    expect(lines.map(columns)).toEqual([21, 21, 21]);
  });

  it('cuts a long line at the columns it may take', () => {
    const cut = truncate('/usr/share/文件/一个很长的名字.txt', 16);
    expect(columns(cut)).toBeLessThanOrEqual(16);
    expect(cut).toBe('/usr/share/文件…');
  });
});

describe('wrapping a long line', () => {
  it('breaks between words, every word kept', () => {
    expect(wrapToColumns('musl instead of glibc: native modules will not load; rebuild them', 24)).toEqual([
      'musl instead of glibc:',
      'native modules will not',
      'load; rebuild them',
    ]);
  });

  const aptList =
    '/var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages';
  it.each([
    // A word was cut where the line ended, its rest on the next line with no mark: copied, the path was two.
    [
      'a path wider than the line',
      'see /usr/share/文件/一个很长的名字.txt now',
      12,
      ['see', '/usr/share/文件/一个很长的名字.txt', 'now'],
    ],
    ['the apt list ci named', `largest: ${aptList} 2.58 MB`, 73, ['largest:', aptList, '2.58 MB']],
    ['a word as wide as the line', 'ab abcdef g', 6, ['ab', 'abcdef', 'g']],
  ])('puts a word wider than the line on a line of its own, whole: %s', (_, text, width, lines) => {
    expect(wrapToColumns(text, width)).toEqual(lines);
  });

  // ci's "Fix first" at 120 columns broke `&& rm -rf /var/lib/apt/lists/*` after `-rf`: copied, the fix was two lines.
  it('breaks outside a code span when the span fits on a line, inside it only when it does not', () => {
    const fix = 'are left in layer 1 (line 8); add `&& rm -rf /var/lib/apt/lists/*` to the same RUN';
    expect(wrapToColumns(fix, 50)).toEqual([
      'are left in layer 1 (line 8); add',
      '`&& rm -rf /var/lib/apt/lists/*` to the same RUN',
    ]);
    // Coloured, as a dim or bold span prints
    expect(wrapToColumns('add \x1b[2m`rm -rf /x`\x1b[22m now', 12)).toEqual([
      'add',
      '\x1b[2m`rm -rf /x`\x1b[22m',
      'now',
    ]);
    // Wider than the line: broken between its words, as prose
    expect(wrapToColumns('add `rm -rf /var/lib/apt/lists/*` now', 20)).toEqual([
      'add `rm -rf',
      '/var/lib/apt/lists/*`',
      'now',
    ]);
    // A backtick never closed opens no span
    expect(wrapToColumns('a `b c d e', 5)).toEqual(['a `b', 'c d e']);
  });

  it('keeps a short line as it is, and an empty one as one line', () => {
    expect(wrapToColumns('short  one', 40)).toEqual(['short one']);
    expect(wrapToColumns('', 40)).toEqual(['']);
  });

  it('wraps prose under a hanging indent only for a width the terminal gave', () => {
    const text = 'musl instead of glibc: native modules will not load; rebuild them';
    expect(proseWrapper(undefined)(text)).toBe(text);
    expect(proseWrapper(26)(text)).toBe('musl instead of glibc:\n  native modules will not\n  load; rebuild them');
    expect(proseWrapper(120)(text, 27, 3)).toBe(
      'musl instead of glibc:\n   native modules will not\n   load; rebuild them',
    );
  });
});

describe("an image's header: its path, its note and its platform", () => {
  const path = '/var/tmp/ballast-corpus/docker-engine/bloated.docker-classic.tar';
  const note = 'localhost/corpus/bloated:docker-classic';
  it.each([
    ['all fit on one line', 120, [`${path} (${note})  linux/amd64`]],
    // Cut in its middle, the path could not be copied; the note lost its tag.
    ['the path whole on a line of its own, the rest under it', 80, [path, `(${note})  linux/amd64`]],
    ['the platform under a note that fills the line', 42, [path, `(${note})`, 'linux/amd64']],
    [
      'the note cut at its end only when wider than a line',
      30,
      [path, '(localhost/corpus/bloated:do…)', 'linux/amd64'],
    ],
  ])('%s', (_, width, lines) => {
    expect(pathOverNote(path, note, 'linux/amd64', width)).toEqual(lines);
  });

  it('puts the platform under a long path that has no note', () => {
    expect(pathOverNote(path, '', 'linux/amd64', 60)).toEqual([path, 'linux/amd64']);
    expect(pathOverNote('/a.tar', '', 'linux/amd64', 60)).toEqual(['/a.tar  linux/amd64']);
  });
});
