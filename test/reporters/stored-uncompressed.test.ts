// A `docker save` archive stores its layers as plain tars: its "compressed" size is its tar size, not what a pull
// downloads. Every analyze and diff report marks it where it shows that size, from the count of plain layers the
// result carries (summary.plainLayers), on real analyses of one hand-built image stored both ways.
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { renderAnalyzeMarkdown } from '../../src/reporters/analyze-markdown.js';
import { renderAnalyzeText } from '../../src/reporters/analyze-text.js';
import { renderDiffMarkdown } from '../../src/reporters/diff-markdown.js';
import { renderDiffText } from '../../src/reporters/diff-text.js';
import { columns } from '../../src/report/text.js';
import { analyze } from '../../src/services/analyze.js';
import { diffImages } from '../../src/services/diff.js';
import { buildDockerArchive, buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

const layers = () => [layer({ 'etc/hostname': 'box\n' }), layer({ 'app/data': 'x'.repeat(4000) })];
let pushed: BuiltImage;
let saved: BuiltImage;

beforeAll(async () => {
  pushed = await buildOciLayout(layers());
  saved = await buildDockerArchive(layers());
});

afterAll(() => {
  pushed?.cleanup();
  saved?.cleanup();
});

describe('analyze reports of an image stored as plain tars', () => {
  it('mark its compressed size as stored uncompressed in text, Markdown and HTML', async () => {
    const r = await analyze({ image: saved.path, noCache: true });
    expect(r.summary.plainLayers).toBe(2);
    expect(renderAnalyzeText(r, { color: false })).toMatch(/^Compressed +[\d.]+ kB \(stored uncompressed\)$/m);
    expect(renderAnalyzeMarkdown(r)).toMatch(
      /^\| Compressed \/ uncompressed \| [\d.]+ kB \(stored uncompressed\) \/ /m,
    );
    expect(renderAnalyzeHtml(r)).toContain('compressed (stored uncompressed)<');
  });

  it('leave a compressed image unmarked', async () => {
    const r = await analyze({ image: pushed.path, noCache: true });
    expect(r.summary.plainLayers).toBe(0);
    expect(renderAnalyzeText(r, { color: false })).not.toContain('stored uncompressed');
    expect(renderAnalyzeMarkdown(r)).not.toContain('stored uncompressed');
    expect(renderAnalyzeHtml(r)).not.toContain('stored uncompressed');
  });
});

describe('diff reports with a side stored as plain tars', () => {
  it("mark that side's compressed size in the Size table, text and Markdown, with no delta", async () => {
    const r = await diffImages({ a: pushed.path, b: saved.path, noCache: true });
    expect([r.a.summary.plainLayers, r.b.summary.plainLayers]).toEqual([0, 2]);
    const text = renderDiffText(r, { color: false }).split('\n');
    const row = text.find((l) => l.startsWith('Compressed '));
    // A tar size minus a compressed size is no growth: the delta and % are `-`, as for a figure not known.
    expect(row).toMatch(/^Compressed +[\d.]+ k?B +[\d.]+ kB \(stored uncompressed\) +- +-$/);
    const md = renderDiffMarkdown(r).split('\n');
    expect(md.find((l) => l.startsWith('| Compressed |'))).toMatch(
      /^\| Compressed \| [\d.]+ k?B \| [\d.]+ kB \(stored uncompressed\) \| - \| - \|$/,
    );
    // JSON keeps the figures as measured, for a reader that knows how each side is stored.
    expect(r.delta.compressedBytes).toBe(r.b.summary.compressedBytes - r.a.summary.compressedBytes);
    expect(r.delta.compressedBytes).not.toBe(0);
    // The other rows compare like with like and keep theirs.
    expect(text.find((l) => l.startsWith('Uncompressed '))).toMatch(/ {2}0 B +0\.00%$/);
    // The story (one image stored two ways) marks it too; no other size row, which does not depend on how the layers
    // are stored.
    expect(text.filter((l) => l.includes('stored uncompressed'))).toEqual([
      expect.stringMatching(
        /^A and B are the same image .*: compressed [\d.]+ k?B -> [\d.]+ kB \(stored uncompressed\)$/,
      ),
      row,
    ]);
  });

  // Regression: the mark took 22 columns in each marked cell, so at 60 columns the Size table was 73-94 wide and
  // every row wrapped.
  it.each([
    // [sides, the Compressed row's cells, the note under the table]
    ['B stored as plain tars', () => [pushed, saved], /^[\d.]+ k?B [\d.]+ kB\* - -$/, '* stored uncompressed'],
    ['both stored as plain tars', () => [saved, saved], /^[\d.]+ kB\* [\d.]+ kB\* - -$/, '* stored uncompressed'],
  ])('with %s, mark it with a * and a note under the Size table on a narrow line', async (_, sides, cells, note) => {
    const [a, b] = sides();
    const r = await diffImages({ a: a.path, b: b.path, noCache: true });
    const size = (width: number) => {
      const text = renderDiffText(r, { color: false, width, sections: ['size'] }).split('\n');
      return text.slice(text.indexOf('Size') + 1);
    };
    const narrow = size(60);
    expect(narrow.filter((line) => columns(line) > 60)).toEqual([]);
    expect(
      narrow[1]
        .replace(/^Compressed +/, '')
        .split(/ {2,}/)
        .join(' '),
    ).toMatch(cells);
    expect(narrow[6]).toBe(note);
    // The digits of a marked column line up: the other rows' sizes end where a marked size's digits do.
    const ends = (line: string) => [...line.matchAll(/\d B|[kMG]B/g)].map((m) => m.index + m[0].length);
    for (const row of [narrow[2], narrow[3], narrow[5]])
      expect(ends(row).slice(0, 2)).toEqual(ends(narrow[1]).slice(0, 2));
    // Where the mark fits, it stays in its cell, and no note
    const wide = size(120);
    expect(wide[1]).toMatch(/\(stored uncompressed\) +- +-$/);
    expect(wide).toHaveLength(6);
  });
});
