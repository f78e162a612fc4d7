// The HTML report's lists beside the treemap, as a reader at a desk (1280 px) and on a phone (390 px) sees them:
// the duplicate files the text and JSON reports list, the findings card of an image with none, the cue that a wide
// table scrolls sideways, and the way from the find box down into what it found, by keyboard.
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { artifactPath, launchChromium, openFile, seen } from '../helpers/browser.js';
import { buildOciLayout, file, layer, type BuiltImage } from '../helpers/image-builder.js';
import { formatBytes, formatCount } from '../../src/report/figures.js';

// A name an attacker could give a copy, to run script in whoever opens the report.
const IMG = '<img src=x onerror=alert(1)>';
const BLOB = Buffer.alloc(400_000, 7);
const SMALL = Buffer.alloc(30_000, 9);

let image: BuiltImage;
let result: AnalyzeResult;
let browser: Browser;
const page = artifactPath('html-lists.html');

beforeAll(async () => {
  image = await buildOciLayout([
    layer({ 'usr/lib/libc.so.6': 600_000, 'etc/passwd': 1_000 }, '/bin/sh -c #(nop) ADD file:base in /'),
    layer(
      {
        'app/models/a.bin': file(BLOB),
        'app/models/b.bin': file(BLOB),
        [`app/copy/${IMG}.bin`]: file(BLOB),
        'app/static/x.png': file(SMALL),
        'app/static/y.png': file(SMALL),
        // A long name makes the wide tables wider than a phone.
        [`app/${'very-long-directory-name-'.repeat(6)}/main.js`]: 250_000,
      },
      'COPY . /app',
    ),
  ]);
  result = await analyze({ image: image.path, workers: 0, sizeTree: true });
  writeFileSync(page, renderAnalyzeHtml(result));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  image?.cleanup();
});

describe('analyze --format html: duplicate files', () => {
  it('lists each group of identical files with the numbers the JSON has, names escaped', async () => {
    // Given an image with the same 400 kB in three places and the same 30 kB in two
    expect(result.duplicates.top.map((d) => d.copies)).toEqual([3, 2]);
    const { page: p, errors, dialogs } = await openFile(browser, page, { width: 1280, height: 900 });
    try {
      // The section is there, its heading says the total, and each row is a group: its extra bytes, its copies and
      // its paths, as JSON counts them
      const heading = await seen(p, '#duplicates');
      expect(heading).toContain(formatBytes(result.duplicates.bytes));
      const rows = await p
        .locator('#duplicates + .table tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) =>
            [...(tr as unknown as { children: { innerText: string }[] }).children].map((td) => td.innerText),
          ),
        );
      expect(rows).toEqual(
        result.duplicates.top.map((d) => [
          formatBytes(d.extraBytes),
          formatCount(d.copies),
          d.paths.map((path) => `/${path}`).join('\n'),
        ]),
      );
      // The attacker's name is text, not an element
      expect(rows[0][2]).toContain(IMG);
      expect(await p.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await p.screenshot({ path: artifactPath('html-lists-1280.png'), fullPage: true });
    } finally {
      await p.close();
    }
  });

  it('is readable on a phone: the page does not scroll sideways and the paths have room', async () => {
    const { page: p } = await openFile(browser, page, { width: 390, height: 800 });
    try {
      expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      // The paths get room of their own (a path three letters to a line read as nothing), one to a line
      const widths = await p
        .locator('#duplicates + .table td.wide')
        .evaluateAll((cells) => cells.map((c) => (c as unknown as { clientWidth: number }).clientWidth));
      expect(widths.length).toBe(2);
      for (const w of widths) expect(w).toBeGreaterThanOrEqual(168);
      await p.screenshot({ path: artifactPath('html-lists-390.png'), fullPage: true });
    } finally {
      await p.close();
    }
  });
});

describe('analyze --format html: an image without findings', () => {
  it('says "No findings" on its card, as the findings section and the Markdown report say it', async () => {
    // Given an image no rule finds anything in: the card read "0 B reclaimable by 0 findings"
    expect(result.findings).toEqual([]);
    const { page: p } = await openFile(browser, page, { width: 1280, height: 900 });
    try {
      const cards = await seen(p, '.cards');
      expect(cards).toContain('No findings');
      expect(cards).not.toMatch(/0 findings/);
    } finally {
      await p.close();
    }
  });
});

/**
 * The mean brightness (0 to 255) of a strip 8 px wide inside the left or right edge of table box `at`, with the table
 * itself hidden (it keeps its room, so the box still scrolls): what the box draws there of its own.
 */
async function edge(p: Page, at: number, side: 'left' | 'right'): Promise<number> {
  const box = p.locator('.table').nth(at);
  const r = (await box.boundingBox())!;
  const png = await p.screenshot({
    clip: {
      x: side === 'left' ? r.x + 1 : r.x + r.width - 9,
      y: r.y + 2,
      width: 8,
      height: Math.min(r.height - 4, 200),
    },
  });
  // (a string: the tests' tsconfig has no DOM types)
  return p.evaluate(`(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, img.width, img.height).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += (px[i] + px[i + 1] + px[i + 2]) / 3;
    return sum / (px.length / 4);
  })()`);
}

describe('analyze --format html: a table wider than the screen', () => {
  it('stacks its rows on a phone, where none scrolls sideways, and shades no edge of a table that fits at 1280 px', async () => {
    // On a phone the rows are cards (the wide tables' path columns were off screen, a sideways scroll away)
    const phone = await openFile(browser, page, { width: 390, height: 800 });
    try {
      const widths = await phone.page
        .locator('.table')
        .evaluateAll((boxes) =>
          boxes.map(
            (b) =>
              (b as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth -
              (b as unknown as { clientWidth: number }).clientWidth,
          ),
        );
      expect(widths.length).toBeGreaterThan(0);
      for (const w of widths) expect(w).toBeLessThanOrEqual(0);
    } finally {
      await phone.page.close();
    }
    // At a desk every table fits, and none has a shaded edge
    const desk = await openFile(browser, page, { width: 1280, height: 900 });
    try {
      const p = desk.page;
      const boxes = await p.locator('.table').count();
      await p.addStyleTag({ content: '.table table { visibility: hidden; }' });
      await p.locator('.table').nth(0).scrollIntoViewIfNeeded();
      const plain = await edge(p, 0, 'left');
      for (let at = 0; at < boxes; at++) {
        await p.locator('.table').nth(at).scrollIntoViewIfNeeded();
        expect(Math.abs((await edge(p, at, 'right')) - plain)).toBeLessThan(3);
        expect(Math.abs((await edge(p, at, 'left')) - plain)).toBeLessThan(3);
      }
    } finally {
      await desk.page.close();
    }
  });
});

describe('analyze --format html: from the find box by keyboard', () => {
  it('goes down into the paths found with ArrowDown, through them, and back up to the box', async () => {
    const { page: p, errors } = await openFile(browser, page, { width: 1280, height: 900 });
    const active = () =>
      p.evaluate(
        "document.activeElement.id || document.activeElement.getAttribute('data-path') || document.activeElement.tagName + ':' + document.activeElement.textContent",
      );
    try {
      // Given "models" typed in the find box: two files and their directory are found
      await p.locator('#find').fill('models');
      await p.locator('#found button').first().waitFor();
      const found = await p.locator('#found button').allTextContents();
      expect(found.length).toBe(3);
      // ArrowDown moves into the list (it did nothing: the caret stayed in the box), on through it, and stops at
      // its end; ArrowUp goes back, and from the first path to the box, where typing goes on
      await p.keyboard.press('ArrowDown');
      expect(await active()).toBe(`BUTTON:${found[0]}`);
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowDown');
      expect(await active()).toBe(`BUTTON:${found[2]}`);
      await p.keyboard.press('ArrowUp');
      await p.keyboard.press('ArrowUp');
      expect(await active()).toBe(`BUTTON:${found[0]}`);
      await p.keyboard.press('ArrowUp');
      expect(await active()).toBe('find');
      // With nothing found, ArrowDown goes to the map, where the arrows go on through its directories
      await p.locator('#find').fill('');
      await p.keyboard.press('ArrowDown');
      expect(await active()).toBe('/app');
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
