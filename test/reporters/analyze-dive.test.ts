// dive's figures in every analyze format, the same in each (and as `ci` with dive's rules gives them): a dive user
// reads efficiency, wasted bytes, user wasted percent and the inefficient files whichever report they open.
import { resolve } from 'node:path';
import { renderAnalyzeMarkdown } from '../../src/reporters/analyze-markdown.js';
import { renderAnalyzeText } from '../../src/reporters/analyze-text.js';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { ci } from '../../src/services/ci.js';

const FIXTURE = 'test/fixtures/dive/test-docker-image.tar';
// dive's own figures for its fixture (export_test.snap, cli_load_test.snap): 98.44 %, 32025 bytes, 48.35 %, and
// three paths with count 2 and 13 kB, 13 kB, 6.4 kB (dive's SI sizes rounded to two digits; 12.8 kB and 6.41 kB here).
const HEADING =
  "dive's inefficient files: 3 paths, 32.0 kB (dive's wasted bytes: every copy of a path, the kept one too)";
const FIGURES = '98.44% (dive: 32.0 kB inefficient, user wasted 48.35%)';

let result: AnalyzeResult;
beforeAll(async () => {
  result = await analyze({ image: FIXTURE, workers: 0 });
});

describe("dive's figures in analyze's reports", () => {
  it('gives the same exact numbers in --json as dive, with the count of inefficient paths', () => {
    expect(result.dive).toMatchObject({
      efficiencyScore: 0.9844212134184309,
      inefficientBytes: 32025,
      userWastedPercent: 0.4834911001404049,
      fileReferenceCount: 3,
      fileReferences: [
        { file: '/root/saved.txt', count: 2, sizeBytes: 12810 },
        { file: '/root/example/somefile1.txt', count: 2, sizeBytes: 12810 },
        { file: '/root/example/somefile3.txt', count: 2, sizeBytes: 6405 },
      ],
    });
  });

  it("lists dive's inefficient files in the text, as ci does with dive's rules", async () => {
    // The text gave the efficiency line alone: the three paths were in --json only.
    const text = renderAnalyzeText(result, { color: false });
    expect(text).toMatch(new RegExp(`^Efficiency +${FIGURES.replace(/[().%]/g, '\\$&')}$`, 'm'));
    const list = text.slice(text.indexOf(HEADING)).split('\n');
    expect(list.slice(0, 5)).toEqual([
      HEADING,
      "Count  dive's wasted  Path",
      '    2        12.8 kB  /root/saved.txt',
      '    2        12.8 kB  /root/example/somefile1.txt',
      '    2        6.41 kB  /root/example/somefile3.txt',
    ]);
    // The same rows as ci lists under dive's rules
    const gate = await ci({
      image: FIXTURE,
      cwd: 'test/fixtures/dive',
      workers: 0,
      diveConfig: resolve('test/fixtures/dive/dive-ci.yaml'),
    });
    const ciText = renderCiText(gate, { color: false });
    expect(ciText.slice(ciText.indexOf(HEADING)).split('\n').slice(0, 5)).toEqual(list.slice(0, 5));
  });

  it("gives the Markdown the text's dive figures: wasted bytes, user wasted percent and the files", () => {
    // The Markdown's summary gave "Efficiency (dive) | 98.44%" and nothing else of dive's.
    const md = renderAnalyzeMarkdown(result);
    expect(md).toContain(`| Efficiency | ${FIGURES} |`);
    expect(md).toContain(`<details><summary>${HEADING}</summary>`);
    expect(md).toContain("| Count | dive's wasted | Path |");
    expect(md).toContain('| 2 | 12.8 kB | `/root/saved.txt` |');
    expect(md).toContain('| 2 | 12.8 kB | `/root/example/somefile1.txt` |');
    expect(md).toContain('| 2 | 6.41 kB | `/root/example/somefile3.txt` |');
    // All three shown: no "more" line in the section
    const section = md.slice(md.indexOf(HEADING), md.indexOf('</details>', md.indexOf(HEADING)));
    expect(section).not.toContain('…and');
  });

  it('lists the same files in the HTML report', () => {
    const page = renderAnalyzeHtml(result);
    expect(page).toContain(`<p class="note" id="dive-files">${HEADING.replace(/'/g, '&#39;')}</p>`);
    const rows = page.slice(page.indexOf('id="dive-files"'), page.indexOf('<h2 id="junk">')).match(/<tr><td.*<\/tr>/g);
    expect(rows).toHaveLength(3);
    expect(rows![0]).toMatch(/>2<\/td>.*>12\.8 kB<\/td>.*saved/);
  });

  it('says how many paths --top leaves out, in each report', async () => {
    const two = await analyze({ image: FIXTURE, workers: 0, top: 2 });
    expect(two.dive.fileReferences).toHaveLength(2);
    expect(two.dive.fileReferenceCount).toBe(3);
    expect(renderAnalyzeText(two, { color: false, rows: 2 })).toContain(
      `${HEADING}\nCount  dive's wasted  Path\n    2        12.8 kB  /root/saved.txt\n    2        12.8 kB  /root/example/somefile1.txt\n  …and 1 more (--top sets how many)`,
    );
    expect(renderAnalyzeMarkdown(two, { rows: 2 })).toContain('…and 1 more (`--top` sets how many).');
    expect(renderAnalyzeHtml(two, { rows: 2 })).toContain('…and 1 more (<code>--top</code> sets how many).');
  });

  it('lists nothing of the kind for an image dive finds no inefficient file in', async () => {
    const clean = { ...result, dive: { ...result.dive, fileReferences: [], fileReferenceCount: 0 } };
    expect(renderAnalyzeText(clean, { color: false })).not.toContain("dive's inefficient files");
    expect(renderAnalyzeMarkdown(clean)).not.toContain("dive's inefficient files");
    expect(renderAnalyzeHtml(clean)).not.toContain('id="dive-files"');
  });
});
