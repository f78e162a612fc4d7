// The note under the HTML report's "Biggest directories" table: it said a directory whose subdirectory holds 95% of
// its bytes "is left out" on every page, one that left nothing out too, and never which. It now says what the text
// and Markdown reports say (measure.ts leftOutLine), with names from the image escaped as every path on the page is.
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { unbroken } from '../helpers/html-text.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

// A name an attacker could give a directory, to run script in whoever opens the report.
const IMG = '<img src=x onerror=alert(1)>';

let image: BuiltImage;
let result: AnalyzeResult;

beforeAll(async () => {
  image = await buildOciLayout([
    layer(
      {
        // /usr and /usr/IMG are left out: /usr/IMG/x holds all of their bytes.
        [`usr/${IMG}/x/big.bin`]: 1_000_000,
        'app/main.js': 300_000,
        'app/b/data.bin': 200_000,
      },
      'COPY . /',
    ),
  ]);
  result = await analyze({ image: image.path, workers: 0, noCache: true });
}, 60_000);

afterAll(() => image?.cleanup());

/** The page's note under the directories table, if any. */
function directoriesNote(html: string): string | undefined {
  const table = html.indexOf('id="biggest"');
  const next = html.indexOf('<table', html.indexOf('</table>', table));
  return /<p class="note">(.*?)<\/p>/.exec(unbroken(html.slice(table, next)))?.[1];
}

describe('analyze --format html: the note under "Biggest directories"', () => {
  it('names the directories left out, escaped, as the text report does', () => {
    const html = renderAnalyzeHtml(result);
    expect(html).not.toContain(IMG);
    expect(directoriesNote(html)).toBe(
      'Not listed: <code>/usr</code>, <code>/usr/&lt;img src=x onerror=alert(1)&gt;</code>: a subdirectory of each ' +
        'holds 95% or more of its bytes.',
    );
  });

  it('says nothing when nothing was left out', () => {
    const flat: AnalyzeResult = {
      ...result,
      topDirectories: result.topDirectories.filter((d) => d.path === 'app'),
      leftOutDirectories: [],
    };
    expect(directoriesNote(renderAnalyzeHtml(flat))).toBeUndefined();
    expect(renderAnalyzeHtml(flat)).not.toContain('95%');
  });
});
