// The explore view on file names that are not valid UTF-8: each byte outside a UTF-8 character shows as `\xHH` (as
// every report shows it), so `a<ff>` and `a<fe>` are told apart; the path filter takes that form, and a finding
// about such a file still jumps to it. Driven through ink's real renderer, as test/ui/explore.test.tsx is.
import type { ExploreResult } from '../../src/services/explore.js';
import { rawTar, writeLayout } from '../helpers/hostile.js';
import { detail, exploreImage, openView, paneLines, treeRows } from '../helpers/explore-view.js';

const name = (...parts: (string | number)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p, 'utf8'))));
const TAR = 'application/vnd.oci.image.layer.v1.tar';

let result: ExploreResult;

beforeAll(async () => {
  const layout = writeLayout({
    layers: [
      rawTar([{ name: 'etc/base', content: 'base\n' }]),
      rawTar([
        { name: 'data/', type: 'dir' },
        { name: name('data/a', 0xff), content: 'x'.repeat(200_000) },
        { name: name('data/a', 0xfe), content: 'y'.repeat(100_000) },
        { name: name('data/café'), content: 'accent\n' },
        { name: name('data/日本語'), content: 'cjk\n' },
        { name: name('data/link'), type: 'symlink', linkname: name('café') },
      ]),
      rawTar([{ name: name('data/.wh.a', 0xff), content: '' }]),
    ],
    layerTypes: [TAR, TAR, TAR],
  });
  result = await exploreImage(layout);
});

const open = () => openView(result, 100, 30);
const KEY = { tab: '\t', enter: '\r', esc: '\u001b' };

describe('explore on names that are not UTF-8', () => {
  it('shows their bytes as \\xHH in the tree, the detail line, the wasted list and the findings', async () => {
    const s = await open();
    expect(s.frame()).toMatch(/200 kB IM003 \/data\/a\\xff L1 →/);
    await s.press(KEY.tab, KEY.enter);
    expect(treeRows(s.frame())).toEqual([
      '> 100 kB w ▾ data/',
      '- 200 kB W a\\xff',
      '100 kB a\\xfe',
      '7 B café',
      '4 B 日本語',
      '0 B link → café',
      '5 B ▸ etc/',
    ]);
    await s.press('j');
    expect(detail(s.frame())).toMatch(/^\/data\/a\\xff {2}200 kB {2}removed in L2; deleted by L2$/);
    await s.press('w');
    expect(treeRows(s.frame())).toEqual(['> - 200 kB W L1→L2 /data/a\\xff']);
    expect(s.frame()).not.toContain('\ufffd');
    s.unmount();
  });

  it('filters by the name as shown (\\xff) or by its ASCII part', async () => {
    const s = await open();
    await s.press(KEY.tab, '/', '\\', 'x', 'f', 'f', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> 100 kB w ▾ data/', '- 200 kB W a\\xff']);
    // Upper-case hex digits are the same byte (the filter ignores case).
    await s.press(KEY.esc, '/', '\\', 'X', 'F', 'E', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> 100 kB w ▾ data/', '100 kB a\\xfe']);
    await s.press(KEY.esc, '/', 'd', 'a', 't', 'a', '/', 'a', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> 100 kB w ▾ data/', '- 200 kB W a\\xff', '100 kB a\\xfe']);
    // The escape in an expression stands for the byte as well.
    await s.press(KEY.esc, '/', ...'^data/a\\xfe$', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> 100 kB w ▾ data/', '100 kB a\\xfe']);
    s.unmount();
  });

  it('names such a file as shown when Enter takes a wasted copy to its layer', async () => {
    const s = await open();
    await s.press('w', KEY.enter);
    expect(detail(s.frame())).toBe('/data/a\\xff in L1');
    expect(treeRows(s.frame())).toContain('> + 200 kB W a\\xff');
    s.unmount();
  });

  it('jumps from a finding about such a file to the file', async () => {
    const s = await open();
    await s.press('k', 'f');
    expect(paneLines(s.frame()).join('\n').replace(/ +/g, ' ')).toMatch(/200 kB IM003 \/data\/a\\xff/);
    await s.press(KEY.enter);
    expect(detail(s.frame())).toBe('IM003 /data/a\\xff');
    expect(treeRows(s.frame())).toContain('> + 200 kB W a\\xff');
    s.unmount();
  });
});

describe('explore filter on names with a bidirectional control', () => {
  it('filters by a bidirectional control as shown (\\u202e)', async () => {
    // The view shows U+202E as `\u202e` (it would reverse what follows it on screen): typed that way, it finds the name.
    const layout = writeLayout({
      layers: [
        rawTar([
          { name: 'data/', type: 'dir' },
          { name: name('data/report\u202etxt.exe'), content: 'evil\n' },
          { name: 'data/report.txt', content: 'plain\n' },
        ]),
      ],
      layerTypes: [TAR],
    });
    const own = await exploreImage(layout);
    const s = await openView(own, 100, 30);
    await s.press(KEY.tab, '/', ...'\\u202e', KEY.enter);
    expect(treeRows(s.frame())).toEqual(['> + 11 B ▾ data/', '+ 5 B report\\u202etxt.exe']);
    s.unmount();
  });
});

describe('explore filter on names beyond the BMP', () => {
  it('Backspace takes back a whole emoji, not half of it', async () => {
    // An emoji is two UTF-16 units: deleting one would leave half a character in the filter, which no path matches.
    const layout = writeLayout({
      layers: [
        rawTar([
          { name: 'data/', type: 'dir' },
          { name: name('data/🐳whale'), content: 'whale\n' },
          { name: 'data/cat', content: 'cat\n' },
        ]),
      ],
      layerTypes: [TAR],
    });
    const own = await exploreImage(layout);
    const s = await openView(own, 100, 30);
    await s.press(KEY.tab, '/', '🐳');
    expect(treeRows(s.frame())).toEqual(['> + 10 B ▾ data/', '+ 6 B 🐳whale']);
    await s.press('\u007f', 'c', 'a', 't', KEY.enter);
    expect(s.frame()).toContain('filter /cat');
    expect(treeRows(s.frame())).toEqual(['> + 10 B ▾ data/', '+ 4 B cat']);
    s.unmount();
  });
});

describe('explore filter as a regular expression, as in dive', () => {
  let own: ExploreResult;
  beforeAll(async () => {
    const layout = writeLayout({
      layers: [
        rawTar([
          { name: 'usr/', type: 'dir' },
          { name: 'usr/lib/', type: 'dir' },
          { name: 'usr/lib/libz.so', content: 'z\n' },
          { name: 'usr/lib/libz.so.1', content: 'z1\n' },
          { name: 'usr/lib/libc.a', content: 'c\n' },
          { name: 'opt/', type: 'dir' },
          { name: 'opt/usr/', type: 'dir' },
          { name: 'opt/usr/lib/', type: 'dir' },
          { name: 'opt/usr/lib/x.so', content: 'x\n' },
          { name: 'srv/', type: 'dir' },
          { name: 'srv/c++/', type: 'dir' },
          { name: 'srv/c++/hdr', content: 'h\n' },
          { name: 'srv/a(b', content: 'p\n' },
        ]),
      ],
      layerTypes: [TAR],
    });
    own = await exploreImage(layout);
  });

  const filtered = async (typed: string) => {
    const s = await openView(own, 100, 30);
    await s.press(KEY.tab, '/', ...typed, KEY.enter);
    const rows = treeRows(s.frame()).map((r) => r.replace(/^> /, ''));
    s.unmount();
    return rows;
  };

  it('matches each path against the typed expression, case-insensitively, `$` at its end', async () => {
    // Not libz.so.1, and not by a substring of the text as typed.
    expect(await filtered('\\.SO$')).toEqual([
      '+ 7 B ▾ usr/',
      '+ 7 B ▾ lib/',
      '+ 2 B libz.so',
      '+ 2 B ▾ opt/',
      '+ 2 B ▾ usr/',
      '+ 2 B ▾ lib/',
      '+ 2 B x.so',
    ]);
  });

  it("anchors `^` at the path's start, with or without the leading slash the view shows", async () => {
    const usrLib = ['+ 7 B ▾ usr/', '+ 7 B ▾ lib/', '+ 3 B libz.so.1', '+ 2 B J libc.a', '+ 2 B libz.so'];
    expect(await filtered('^/usr/lib/')).toEqual(usrLib);
    expect(await filtered('^usr/lib/')).toEqual(usrLib);
    expect(await filtered('^/usr/lib/.*\\.a$')).toEqual(['+ 7 B ▾ usr/', '+ 7 B ▾ lib/', '+ 2 B J libc.a']);
  });

  it('still finds a plain text as a substring, and a text that is no expression (c++, a() as one', async () => {
    expect(await filtered('libz')).toEqual(['+ 7 B ▾ usr/', '+ 7 B ▾ lib/', '+ 3 B libz.so.1', '+ 2 B libz.so']);
    expect(await filtered('c++')).toEqual(['+ 4 B ▾ srv/', '+ 2 B ▾ c++/', '+ 2 B hdr']);
    expect(await filtered('/a(')).toEqual(['+ 4 B ▾ srv/', '+ 2 B a(b']);
    // A bare slash matches every path: all 13 shown, their directories open.
    expect(await filtered('/')).toHaveLength(13);
  });
});

describe('explore filter as a regular expression on names beyond ASCII', () => {
  // Names are held as their UTF-8 bytes, lower-cased byte by byte: `É` is not `é` there, so the expression has to
  // name both cases of such a letter itself, as the `i` flag would (the plain text filter already finds `CAFÉ`).
  let own: ExploreResult;
  beforeAll(async () => {
    own = await exploreImage(
      writeLayout({
        layers: [
          rawTar([
            { name: 'srv/', type: 'dir' },
            { name: name('srv/café-ñ.txt'), content: 'c\n' },
            { name: name('srv/ÉTÉ.md'), content: 'e\n' },
            { name: 'srv/cafe.txt', content: 'p\n' },
            { name: name('srv/日本.txt'), content: 'j\n' },
          ]),
        ],
        layerTypes: [TAR],
      }),
    );
  });

  const filtered = async (typed: string) => {
    const s = await openView(own, 100, 30);
    await s.press(KEY.tab, '/', ...typed, KEY.enter);
    const rows = treeRows(s.frame()).map((r) => r.replace(/^> /, '').split(' ').pop());
    s.unmount();
    return rows;
  };

  it('matches a letter beyond ASCII in either case, typed or escaped', async () => {
    expect(await filtered('CAFÉ-Ñ\\.TXT$')).toEqual(['srv/', 'café-ñ.txt']);
    expect(await filtered('^/srv/été\\.')).toEqual(['srv/', 'ÉTÉ.md']);
    expect(await filtered('\\u00e9t')).toEqual(['srv/', 'ÉTÉ.md']);
    expect(await filtered('\\xC9-')).toEqual(['srv/', 'café-ñ.txt']);
  });

  it('finds such a letter in either case in a plain text too (`été` finds ÉTÉ.md)', async () => {
    expect(await filtered('été')).toEqual(['srv/', 'ÉTÉ.md']);
    expect(await filtered('/srv/Café-')).toEqual(['srv/', 'café-ñ.txt']);
  });

  it('reads `.` as one character, however many bytes it takes (as dive does)', async () => {
    expect(await filtered('^/srv/caf.-.\\.')).toEqual(['srv/', 'café-ñ.txt']);
    expect(await filtered('caf.\\.')).toEqual(['srv/', 'cafe.txt']);
    expect(await filtered('^/srv/.t.\\.md$')).toEqual(['srv/', 'ÉTÉ.md']);
    expect(await filtered('caf..-')).not.toContain('café-ñ.txt');
  });

  it('reads a class holding such a letter as one character of it (`caf[éè]` finds café, not cafe)', async () => {
    expect(await filtered('caf[éè]-')).toEqual(['srv/', 'café-ñ.txt']);
    expect(await filtered('^/srv/[a-dÉ]t')).toEqual(['srv/', 'ÉTÉ.md']);
    expect(await filtered('caf[eé]\\.')).toEqual(['srv/', 'cafe.txt']);
    expect(await filtered('caf[EÉ]')).toEqual(['srv/', 'cafe.txt', 'café-ñ.txt']);
  });

  it('reads a negated class as one character not in it, however many bytes (`caf[^e]-` finds café-ñ)', async () => {
    // As in dive: `[^e]` is any one character but e, `é` included. Over the bytes it took one byte of two, and
    // `caf[^e]-` found nothing.
    expect(await filtered('caf[^e]-')).toEqual(['srv/', 'café-ñ.txt']);
    expect(await filtered('^/srv/[^a-z]t[^a-z]\\.')).toEqual(['srv/', 'ÉTÉ.md']);
    expect(await filtered('caf[^.]\\.')).toEqual(['srv/', 'cafe.txt']);
    // A class that takes the letters beyond ASCII (\W does) keeps them out: nothing matches.
    expect(await filtered('caf[^\\W]-')).toEqual(['/caf[^\\W]-']);
  });

  it('reads \\S, \\W and \\D as one character, however many bytes (`caf\\S-` finds café-ñ, `^/srv/\\W\\W\\.` 日本)', async () => {
    // Over the bytes each took one byte of `é` (two) or `日` (three), and these found nothing.
    expect(await filtered('caf\\S-\\S\\.')).toEqual(['srv/', 'café-ñ.txt']);
    expect(await filtered('^/srv/\\W\\W\\.')).toEqual(['srv/', '日本.txt']);
    expect(await filtered('^/srv/\\D{2}\\.txt$')).toEqual(['srv/', '日本.txt']);
    // One character, not more: `\S` does not take both of 日本, and a space or digit is still none.
    expect(await filtered('^/srv/\\S\\.')).toEqual(['/^/srv/\\S\\.']);
    expect(await filtered('caf\\W\\.')).toEqual(['/caf\\W\\.']);
    // Before `+` or `*` it is left to the engine, and takes whole characters as what follows starts one.
    expect(await filtered('^/srv/\\W+\\.txt$')).toEqual(['srv/', '日本.txt']);
  });
});
