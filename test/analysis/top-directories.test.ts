// "Biggest directories" names distinct places, as du and dive users read it: a directory whose subdirectory holds
// (nearly) all of its bytes is that subdirectory's place, not a row of its own. The list read /usr, /usr/lib,
// /usr/lib/x, /usr/lib/x/y, each with the same bytes, and said nothing past the first of them.
import { LEFT_OUT_MAX, leftOutLine } from '../../src/analysis/measure.js';
import { renderAnalyzeMarkdown } from '../../src/reporters/analyze-markdown.js';
import { renderAnalyzeText } from '../../src/reporters/analyze-text.js';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { unbroken } from '../helpers/html-text.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

let image: BuiltImage;
let result: AnalyzeResult;

beforeAll(async () => {
  image = await buildOciLayout([
    layer(
      {
        'usr/lib/x/y/big.bin': 1_000_000,
        'usr/lib/x/y/small.bin': 10_000,
        'usr/lib/other.so': 200_000,
        'app/main.js': 300_000,
        'app/b/data.bin': 200_000,
        'etc/passwd': 1_000,
      },
      'COPY . /',
    ),
  ]);
  result = await analyze({ image: image.path, workers: 0, noCache: true });
}, 60_000);

afterAll(() => image?.cleanup());

describe('biggest directories', () => {
  it('leaves out a directory whose subdirectory holds nearly all of its bytes, in --json', () => {
    expect(result.topDirectories.map((d) => d.path)).toEqual(['usr/lib', 'usr/lib/x/y', 'app', 'app/b', 'etc']);
    // The bytes are still each directory's own (du's), the chain's deepest place standing for it
    expect(result.topDirectories[1]).toEqual({ path: 'usr/lib/x/y', bytes: 1_010_000, files: 2 });
    expect(result.topDirectories[0]).toEqual({ path: 'usr/lib', bytes: 1_210_000, files: 3 });
  });

  it('shows the same list in the text and HTML reports', () => {
    const text = renderAnalyzeText(result, { color: false });
    const section = text.slice(text.indexOf('Biggest directories'), text.indexOf('Biggest files'));
    expect(section.match(/\/\S+$/gm)).toEqual(['/usr/lib', '/usr/lib/x/y', '/app', '/app/b', '/etc']);
    const html = renderAnalyzeHtml(result);
    const start = html.indexOf('id="biggest"');
    const table = unbroken(html.slice(start, html.indexOf('</table>', start)));
    expect(table.match(/<code>\/[^<]*<\/code>/g)).toEqual(
      ['/usr/lib', '/usr/lib/x/y', '/app', '/app/b', '/etc'].map((p) => `<code>${p}</code>`),
    );
  });

  // A user comparing with du looked for /usr: the text and Markdown now say which directories the rule left out.
  it('says in the text and Markdown which directories were left out, and nothing when none was', () => {
    const text = renderAnalyzeText(result, { color: false });
    const section = text.slice(text.indexOf('Biggest directories'), text.indexOf('Biggest files'));
    expect(section).toMatch(
      /^Not listed: \/usr, \/usr\/lib\/x: a subdirectory of each holds 95% or more of its bytes\.$/m,
    );
    const md = renderAnalyzeMarkdown(result);
    expect(md).toContain('| 1.21 MB | 3 | `/usr/lib` |');
    expect(md).toContain('| 1.01 MB | 2 | `/usr/lib/x/y` |');
    expect(md).toContain('Not listed: `/usr`, `/usr/lib/x`: a subdirectory of each holds 95% or more of its bytes.');
    // Without a left-out directory above a listed one, no note.
    const flat: AnalyzeResult = {
      ...result,
      topDirectories: result.topDirectories.filter((d) => d.path === 'etc'),
      leftOutDirectories: [],
    };
    expect(renderAnalyzeText(flat, { color: false })).not.toContain('Not listed');
    expect(renderAnalyzeMarkdown(flat)).not.toContain('Not listed');
  });
});

// The line named only the left-out directories above a listed one. /var here holds more than /mid, the last row, but
// its place (/var/c/d) is below the rows shown: the list read as having no /var at all, and the line said nothing.
describe('biggest directories cut to fewer rows than there are places', () => {
  let cut: BuiltImage;
  let short: AnalyzeResult;

  beforeAll(async () => {
    cut = await buildOciLayout([
      layer(
        {
          'big/a.bin': 2_000_000,
          'mid/m.bin': 920_000,
          // /var 960 kB, /var/c 930 kB (97% of it), /var/c/d 900 kB (97% of that): /var/c/d is the place.
          'var/c/d/e.bin': 900_000,
          'var/c/f.bin': 30_000,
          'var/g.bin': 30_000,
        },
        'COPY . /',
      ),
    ]);
    short = await analyze({ image: cut.path, workers: 0, noCache: true, top: 2 });
  }, 60_000);

  afterAll(() => cut?.cleanup());

  it('says "it" for one left-out directory and "each" for several', () => {
    expect(leftOutLine(['/var'])).toBe('Not listed: /var: a subdirectory of it holds 95% or more of its bytes.');
    expect(leftOutLine(['/var', '/usr'])).toBe(
      'Not listed: /var, /usr: a subdirectory of each holds 95% or more of its bytes.',
    );
  });

  it('names the left-out directories bigger than the last row shown, in --json and every report', () => {
    expect(short.topDirectories.map((d) => d.path)).toEqual(['big', 'mid']);
    expect(short.leftOutDirectories).toEqual([
      { path: 'var', bytes: 960_000, files: 3 },
      { path: 'var/c', bytes: 930_000, files: 2 },
    ]);
    const line = 'a subdirectory of each holds 95% or more of its bytes.';
    expect(renderAnalyzeText(short, { color: false, rows: 2 })).toMatch(
      new RegExp(`^Not listed: /var, /var/c: ${line.replace(/\./g, '\\.')}$`, 'm'),
    );
    expect(renderAnalyzeMarkdown(short, { rows: 2 })).toContain(`Not listed: \`/var\`, \`/var/c\`: ${line}`);
    expect(unbroken(renderAnalyzeHtml(short, { rows: 2 }))).toContain(
      `Not listed: <code>/var</code>, <code>/var/c</code>: ${line}`,
    );
    // Cut to the first row, neither is bigger than it: a reader would not look for them there.
    expect(renderAnalyzeText(short, { color: false, rows: 1 })).not.toContain('Not listed');
    expect(renderAnalyzeMarkdown(short, { rows: 1 })).not.toContain('Not listed');
    expect(renderAnalyzeHtml(short, { rows: 1 })).not.toContain('Not listed');
  });
});

// A hostile layer can nest one directory in another down to the longest path a layer may hold (about 2,000 levels),
// each holding all of its bytes: every level was kept in --json and the result cache, one path string each.
describe('biggest directories above a deep chain', () => {
  let deep: BuiltImage;
  let chain: AnalyzeResult;

  beforeAll(async () => {
    deep = await buildOciLayout([layer({ [`${'d/'.repeat(300)}big.bin`]: 100_000, 'small/s.bin': 1_000 }, 'COPY . /')]);
    chain = await analyze({ image: deep.path, workers: 0, noCache: true, top: 2 });
  }, 60_000);

  afterAll(() => deep?.cleanup());

  it('keeps the biggest LEFT_OUT_MAX of the left-out directories, shallowest first in the line', () => {
    expect(chain.topDirectories.map((d) => d.path)).toEqual([`${'d/'.repeat(299)}d`, 'small']);
    expect(chain.leftOutDirectories).toHaveLength(LEFT_OUT_MAX);
    expect(chain.leftOutDirectories[0].path).toBe('d');
    expect(renderAnalyzeText(chain, { color: false, rows: 2 })).toMatch(/^Not listed: \/d, \/d\/d, /m);
  });
});

// The list was sorted on the paths' bytes, and the reports decided which left-out directories are above its last row
// on the paths they show: two directories of equal size can sort one way as UTF-8 bytes and the other as the strings
// shown (U+FF01 `！` is EF BC 81, before U+1F600 `😀`'s F0; as UTF-16 `😀` is D83D DE00, before FF01). /！ was left
// out for /！/c, listed, and the line did not name it.
describe('biggest directories tied in size, ordered differently as bytes and as shown', () => {
  let tied: BuiltImage;
  let ties: AnalyzeResult;

  beforeAll(async () => {
    tied = await buildOciLayout([layer({ '！/c/f.bin': 100_000, '😀/f.bin': 100_000 }, 'COPY . /')]);
    ties = await analyze({ image: tied.path, workers: 0, noCache: true });
  }, 60_000);

  afterAll(() => tied?.cleanup());

  it('names the ancestor of a listed row in every report, and --json keeps it above the row it is left out for', () => {
    expect(ties.topDirectories.map((d) => d.path).sort()).toEqual(['😀', '！/c']);
    expect(ties.leftOutDirectories.map((d) => d.path)).toEqual(['！']);
    const line = 'a subdirectory of it holds 95% or more of its bytes.';
    expect(renderAnalyzeText(ties, { color: false })).toContain(`Not listed: /！: ${line}`);
    expect(renderAnalyzeMarkdown(ties)).toContain(`Not listed: \`/！\`: ${line}`);
    expect(unbroken(renderAnalyzeHtml(ties))).toContain(`Not listed: <code>/！</code>: ${line}`);
  });
});
