// `ballast analyze IMAGE --format html` (issue 10): one self-contained page, checked as text (escaping, nothing
// fetched, deterministic) and in a real browser (Debian's Chromium through playwright-core): it renders without
// console errors, the treemap draws, clicking a directory zooms into it, and file names from the image, which are
// attacker-controlled, stay text. Screenshots land in test-artifacts/ for people to look at.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { buildSizeTree } from '../../src/analysis/size-tree.js';
import type { FsNode } from '../../src/analysis/union.js';
import { layerColour, renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { artifactPath, launchChromium, openFile, type OpenedPage } from '../helpers/browser.js';
import { unbroken } from '../helpers/html-text.js';
import { runCli, runOnTerminal } from '../helpers/cli.js';
import { WHITEOUT, buildOciLayout, file, layer, type BuiltImage, type LayerSpec } from '../helpers/image-builder.js';
import { layerTreeOf } from '../helpers/layer-tree.js';
import { formatBytes } from '../../src/report/figures.js';

// File names an attacker could put in an image to run script in whoever opens the report.
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(2)</script>';
const ATTR = '" onmouseover="alert(3)" x="';
const HISTORY = '/bin/sh -c echo "</script><script>alert(4)</script>" > /app/x';

/** The path of every cell the treemap drew (the tests' tsconfig has no DOM types, hence the cast). */
function cellPaths(page: Page): Promise<(string | null)[]> {
  return page
    .locator('#treemap .cell')
    .evaluateAll((cells) =>
      cells.map((c) => (c as unknown as { getAttribute(name: string): string | null }).getAttribute('data-path')),
    );
}

/** Opens the report `file` in the browser for `check`; the page is closed after, whether `check` passes or not. */
async function withPage(file: string, check: (opened: OpenedPage) => Promise<void>): Promise<void> {
  const opened = await openFile(browser, file);
  try {
    await check(opened);
  } finally {
    await opened.page.close();
  }
}

/**
 * Builds an image of `layers`, writes its report to test-artifacts/`name` and opens it in the browser for `check`; the
 * page and the image are removed after, whether `check` passes or not.
 */
async function withReport(
  layers: LayerSpec[],
  name: string,
  check: (opened: OpenedPage) => Promise<void>,
): Promise<void> {
  const built = await buildOciLayout(layers);
  try {
    const file = artifactPath(name);
    writeFileSync(file, renderAnalyzeHtml(await analyze({ image: built.path, workers: 0, sizeTree: true })));
    await withPage(file, check);
  } finally {
    built.cleanup();
  }
}

let image: BuiltImage;
let result: AnalyzeResult;
let html: string;
let browser: Browser;

beforeAll(async () => {
  image = await buildOciLayout([
    layer(
      { 'usr/bin/busybox': 900_000, 'usr/lib/libc.so.6': 600_000, 'etc/passwd': 1_000 },
      '/bin/sh -c #(nop) ADD file:base in /',
    ),
    layer(
      {
        [`app/${IMG}`]: 300_000,
        [`app/${SCRIPT}`]: 200_000,
        [`app/${ATTR}`]: 150_000,
        'app/main.js': 250_000,
        'opt/toolchain/cc': 700_000,
      },
      HISTORY,
    ),
    layer({ 'opt/.wh.toolchain': WHITEOUT }, '/bin/sh -c rm -rf /opt/toolchain'),
  ]);
  result = await analyze({ image: image.path, workers: 0, sizeTree: true });
  html = renderAnalyzeHtml(result);
  writeFileSync(artifactPath('html-report.html'), html);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  image?.cleanup();
});

describe('analyze --format html (the page as text)', () => {
  it('is one self-contained, deterministic document', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(renderAnalyzeHtml(result)).toBe(html);
    // Nothing is loaded from anywhere: no external script, stylesheet, image or link target.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    // The three inline scripts are data, d3-hierarchy and the page; nothing from the image closes one early.
    expect(html.match(/<\/script/gi)).toHaveLength(3);
  });

  it('escapes every name and instruction from the image', () => {
    for (const evil of [IMG, SCRIPT, ATTR, '<script>alert(4)']) expect(html).not.toContain(evil);
    expect(unbroken(html)).toContain(`/app/&lt;img src=x onerror=alert(1)&gt;`);
    expect(unbroken(html)).toContain('&lt;/script&gt;&lt;script&gt;alert(4)&lt;/script&gt;');
    expect(unbroken(html)).toContain('&quot; onmouseover=&quot;alert(3)&quot; x=&quot;');
  });

  it('shows the layer table, wasted files and findings with their fixes', () => {
    expect(html).toContain('<h2 id="layers">Layers</h2>');
    expect(unbroken(html)).toMatch(/<code>\/opt\/toolchain\/cc<\/code>/);
    expect(html).toMatch(/IM003<br>/);
    // A finding's place as every report writes one (findingWhere), with the page's layer names, and the points after a
    // / where a phone may wrap the path, in a box that goes whole to the next line when it fits there
    expect(html).toContain(
      '<code class="loc">L1</code> <code><span class="word">/<wbr>opt/<wbr>toolchain/<wbr>cc</span></code>',
    );
    expect(html).toContain('Delete files in the step that creates them');
  });

  it('leaves the Dockerfile line column out of the layer table when no layer has one, as text and Markdown do', async () => {
    // Given an image analysed without a Dockerfile: the layer table had a "Dockerfile line" column, empty in every row
    const layers = html.slice(html.indexOf('<h2 id="layers">'), html.indexOf('<h2 id="wasted">'));
    expect(layers).toMatch(/<th[^>]*>Instruction<\/th>/);
    expect(layers).not.toContain('Dockerfile line');
    expect(layers.match(/<tr><td/g)).toHaveLength(3);
    for (const row of layers.match(/<tr><td.*<\/tr>/g)!) expect(row.match(/<td/g)).toHaveLength(5);
    // and with one, each layer's line is in its own column
    const withLines = renderAnalyzeHtml(
      await analyze({ image: 'examples/demo/demo.tar', dockerfile: 'examples/demo/Dockerfile', workers: 0 }),
    );
    expect(withLines).toMatch(/<th[^>]*>Dockerfile line<\/th><th[^>]*>Instruction<\/th>/);
  });

  it("gives dive's wasted bytes and user-wasted percent, as the text report does beside the efficiency", async () => {
    // Given dive's fixture (dive: 32,025 bytes inefficient, user wasted 48.35%): the page gave "efficiency (dive)"
    // and 98.44% alone, while the text report gave both figures a .dive-ci's rules are read against.
    const page = renderAnalyzeHtml(await analyze({ image: 'test/fixtures/dive/test-docker-image.tar', workers: 0 }));
    expect(page).toContain('<p class="note" id="dive-wasted">dive: 32.0 kB inefficient, user wasted 48.35%. ');
    // Told apart from ballast's wasted bytes, which the fixture's total happens to equal
    expect(page).toContain('dive counts every copy of a path that several layers hold, the kept one too');
    // A one-layer image has no user-wasted percent (dive divides 0 by 0): "-", as in the text report.
    const one = await buildOciLayout([layer({ 'etc/os-release': 100 }, 'ADD rootfs.tar.xz /')]);
    try {
      expect(renderAnalyzeHtml(await analyze({ image: one.path, workers: 0 }))).toContain(
        'id="dive-wasted">dive: 0 B inefficient, user wasted -. ',
      );
    } finally {
      one.cleanup();
    }
  });

  it('says "1 layer" on the card of a one-layer image, not "1 layers"', async () => {
    // Given a base image as Debian ships it, in one layer: its card read "1 layers (1 base)"
    const one = await buildOciLayout([layer({ 'etc/os-release': 100 }, 'ADD rootfs.tar.xz /')]);
    try {
      const page = renderAnalyzeHtml(await analyze({ image: one.path, workers: 0 }));
      expect(page).toMatch(/<b>1<\/b><span>layer \(\d base(, assumed)?\)<\/span>/);
      expect(html).toMatch(/<b>3<\/b><span>layers \(\d base(, assumed)?\)<\/span>/);
    } finally {
      one.cleanup();
    }
  });
});

describe('analyze --format html: the wasted files note and the Wasted column', () => {
  it('says "All N" when every wasted file is listed, "The N largest" when the list was cut', async () => {
    // Given three wasted files, all listed: the note read "The 3 largest", as if there were more
    const built = await buildOciLayout([
      layer({ 'tmp/a.bin': 300_000, 'tmp/b.bin': 200_000, 'tmp/c.bin': 100_000 }, 'RUN make'),
      layer({ 'tmp/.wh.a.bin': WHITEOUT, 'tmp/.wh.b.bin': WHITEOUT, 'tmp/.wh.c.bin': WHITEOUT }, 'RUN rm /tmp/*'),
    ]);
    try {
      const note = (page: string) => /<p class="note">([^;<]*); deleted/.exec(page)?.[1];
      expect(note(renderAnalyzeHtml(await analyze({ image: built.path, workers: 0 })))).toBe('All 3');
      expect(note(renderAnalyzeHtml(await analyze({ image: built.path, workers: 0, top: 2 }), { rows: 2 }))).toBe(
        'The 2 largest',
      );
      // Rendered from a full report with fewer rows, the list is cut too.
      expect(note(renderAnalyzeHtml(await analyze({ image: built.path, workers: 0 }), { rows: 1 }))).toBe(
        'The 1 largest',
      );
      expect(note(html)).toBe('The only one');
    } finally {
      built.cleanup();
    }
  });

  it('writes - for a layer that wastes nothing, which a phone showed as "Wasted:" and nothing after it', async () => {
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      const cells = '#layers + .table td[data-label="Wasted"]';
      await page.setViewportSize({ width: 1280, height: 800 });
      const desktop = await heights(page, '.table tr');
      await page.setViewportSize({ width: 390, height: 800 });
      const shown = await page.locator(cells).allInnerTexts();
      expect(shown).toContain('-');
      for (const text of shown) expect(text.trim()).not.toBe('');
      // The desktop's rows are as tall as with the cells empty, as they were.
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await heights(page, '.table tr')).toEqual(desktop);
      await page.evaluate(
        `document.querySelectorAll('${cells}').forEach((td) => { if (td.textContent === '-') td.textContent = ''; })`,
      );
      await expectDesktopAsBefore(page, '.table tr', desktop, ['td']);
      expect(errors).toEqual([]);
    });
  });
});

describe('analyze --format html: the layers card of an image analysed without a Dockerfile', () => {
  it('says the base is assumed (the first layer), as the text and Markdown reports do', () => {
    // Given the report of an image with no Dockerfile or --base: its card read "3 layers (1 base)", as sure as a
    // Dockerfile makes it, where the text report says "3 (1 base, assumed, 2 yours)"
    expect(result.summary.base.source).toBe('first-layer');
    expect(html).toMatch(/<b>3<\/b><span>layers \(1 base, assumed\)<\/span>/);
    // and one whose base a Dockerfile named says no more than the count
    const known = renderAnalyzeHtml({
      ...result,
      summary: { ...result.summary, base: { ...result.summary.base, source: 'dockerfile' } },
    });
    expect(known).toMatch(/<b>3<\/b><span>layers \(1 base\)<\/span>/);
  });
});

describe('analyze --format html in Chromium', () => {
  it('renders without errors, draws the treemap and zooms into a clicked directory', async () => {
    await withPage(artifactPath('html-report.html'), async ({ page, errors, dialogs, requests }) => {
      // Top level: the biggest directories of the image are cells of the treemap.
      const top = await cellPaths(page);
      expect(top).toEqual(expect.arrayContaining(['/usr', '/app', '/opt']));
      expect(await page.locator('#crumbs').textContent()).toMatch(
        /^\/\s+3\.\d+ MB, 7 files and 1 hidden copy holding bytes$/,
      );
      await page.screenshot({ path: artifactPath('html-report.png') });

      // Clicking /app (on its header, not on a child) zooms into it: every cell is now inside /app.
      await page.locator('#treemap .cell[data-path="/app"]').click({ position: { x: 6, y: 6 } });
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/app\s+900 kB, 4 files$/);
      const inside = await cellPaths(page);
      expect(inside.length).toBeGreaterThanOrEqual(3);
      for (const p of inside) expect(p!.startsWith('/app/')).toBe(true);
      // The attacker's names are shown as text, and none of them became markup.
      const labels = await page.locator('#treemap .cell .label').allTextContents();
      expect(labels.some((l) => l.startsWith(IMG))).toBe(true);
      expect(labels.some((l) => l.startsWith(ATTR))).toBe(true);
      expect(await page.locator('img').count()).toBe(0);
      await page.locator('#treemap .cell').first().hover();
      await page.screenshot({ path: artifactPath('html-report-app.png') });

      // Picking layer 1 in the legend dims the bytes of the other layers.
      await page.locator('#legend button[data-layer="1"]').click();
      expect(await page.locator('#treemap .cell.dim').count()).toBe(0); // /app is all layer 1
      await page.keyboard.press('Backspace');
      expect(await page.locator('#treemap .cell[data-path="/usr/bin/busybox"].dim').count()).toBe(1);
      expect(await page.locator('#treemap .cell[data-path="/opt/toolchain/cc"]:not(.dim)').count()).toBe(1);
      await page.locator('#legend button[data-layer="1"]').click();
      expect(await page.locator('#treemap .cell.dim').count()).toBe(0);

      // Backspace at the top stays there; switching hidden bytes off removes the deleted toolchain.
      await page.keyboard.press('Backspace');
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/\s/);
      expect(await page.locator('#treemap .cell[data-path="/opt"]').count()).toBe(1);
      expect(await page.locator('#crumbs').textContent()).toMatch(/, 7 files and 1 hidden copy holding bytes$/);
      await page.locator('#show-hidden').uncheck();
      expect(await page.locator('#treemap .cell[data-path="/opt"]').count()).toBe(0);
      // The file count follows the bytes: the final filesystem's files (the toolchain's copy is hidden).
      expect(result.summary.finalFiles).toBe(7);
      expect(await page.locator('#crumbs').textContent()).toMatch(/, 7 files$/);
      // On a phone the page does not scroll sideways: wide tables scroll in their own box.
      await page.setViewportSize({ width: 375, height: 700 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
    });
  }, 60_000);
});

describe("analyze --format html: the file count above the map beside the text report's", () => {
  it('says apart the hidden copies it counts, which leave out empty files deleted later', async () => {
    // Given an empty lock file and a 300 kB file that a later layer deletes: the map counts the final files and the
    // hidden copies holding bytes, the text report every file any layer wrote (the empty lock too); the map's
    // "/ 1.60 MB, 3 files" read beside "4 files over all layers" as one file lost (bloated: 17,286 against 17,296)
    const built = await buildOciLayout([
      layer({ 'srv/keep': 400_000, 'srv/old': 300_000, 'srv/lock': 0, 'etc/big': 900_000 }, 'COPY . /'),
      layer({ 'srv/.wh.old': WHITEOUT, 'srv/.wh.lock': WHITEOUT }, 'RUN rm /srv/old /srv/lock'),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0, sizeTree: true });
      expect([r.summary.files, r.summary.finalFiles]).toEqual([4, 2]);
      const file = artifactPath('html-file-count.html');
      writeFileSync(file, renderAnalyzeHtml(r));
      await withPage(file, async ({ page, errors }) => {
        const crumbs = () => page.locator('#crumbs').textContent();
        // Then the total names the final files as the cards and the text report do, and the hidden copies apart
        expect(await crumbs()).toMatch(/^\/\s+1\.60 MB, 2 files and 1 hidden copy holding bytes$/);
        await page.locator('#treemap .cell[data-path="/srv"]').hover({ position: { x: 6, y: 6 } });
        expect((await page.locator('#tip').textContent())!.split('\n')[1]).toBe(
          '700 kB in 1 file and 1 hidden copy holding bytes',
        );
        // and without hidden bytes, the final files only, as before
        await page.locator('#show-hidden').uncheck();
        expect(await crumbs()).toMatch(/^\/\s+1\.30 MB, 2 files$/);
        expect(errors).toEqual([]);
      });
    } finally {
      built.cleanup();
    }
  });
});

describe('analyze --format html: the tooltip of a directory with hidden bytes switched off', () => {
  it('does not count the hidden bytes it no longer draws as part of the size it shows', async () => {
    // Given /srv with 400 kB that ships and 300 kB deleted later: with hidden bytes off the tip read
    // "400 kB in 1 files / 300 kB of it hidden" (on bloated: 42.0 MB, 171 MB of it hidden)
    await withReport(
      [
        layer({ 'srv/keep': 400_000, 'srv/old': 300_000, 'etc/big': 900_000 }, 'COPY . /'),
        layer({ 'srv/.wh.old': WHITEOUT }, 'RUN rm /srv/old'),
      ],
      'html-hidden-tip.html',
      async ({ page, errors }) => {
        const tip = async () => {
          await page.locator('#treemap .cell[data-path="/srv"]').hover({ position: { x: 6, y: 6 } });
          return (await page.locator('#tip').textContent())!.split('\n');
        };
        expect((await tip()).slice(0, 3)).toEqual([
          '/srv',
          '700 kB in 1 file and 1 hidden copy holding bytes',
          '300 kB of it hidden (deleted or overwritten, still shipped)',
        ]);
        await page.locator('#show-hidden').uncheck();
        expect((await tip()).slice(0, 3)).toEqual([
          '/srv',
          '400 kB',
          'and 300 kB hidden, not drawn (deleted or overwritten, still shipped)',
        ]);
        expect(errors).toEqual([]);
      },
    );
  });
});

describe('analyze --format html: a directory whose bytes are mostly hidden, with hidden bytes switched off', () => {
  it('names it by the layer of the bytes it still shows, and colours and picks it by that layer', async () => {
    // Given /cache holding 600 kB from layer 0 that layer 1 deletes and 300 kB layer 1 adds: with hidden bytes off
    // the map showed 300 kB of layer 1 as "mostly from L0" in layer 0's colour (big's /var/cache/apt: 225 MB of L3
    // drawn as L1's, whose apt cache there is all overwritten)
    await withReport(
      [
        layer({ 'cache/old.bin': 600_000, 'usr/big': 2_000_000 }, 'COPY . /'),
        layer({ 'cache/.wh.old.bin': WHITEOUT, 'cache/new.bin': 300_000 }, 'RUN make cache'),
      ],
      'html-hidden-layer.html',
      async ({ page, errors }) => {
        const tip = async () => {
          await page.locator('#treemap .cell[data-path="/cache"]').hover({ position: { x: 6, y: 6 } });
          return (await page.locator('#tip').textContent())!.split('\n').pop();
        };
        expect(await tip()).toBe('mostly from L0 (base): COPY . /');
        await page.locator('#show-hidden').uncheck();
        expect(await tip()).toBe('mostly from L1: RUN make cache');
        expect(errors).toEqual([]);
      },
    );
  });
});

describe('analyze --format html: a layer picked in the legend, on directories drawn as one block', () => {
  it('lights every block holding any of its bytes, not only the blocks it holds most of', async () => {
    // Given /small, drawn as one block next to 12 MB elsewhere, holding 16 kB of layer 0 and 7 kB of layer 1, some
    // of it in /small/tiny and /small/gone (kept as one leaf each, too small to split: 2 kB of layer 0 and 1 kB of
    // layer 1, deleted by layer 2 in /small/gone): picking layer 1 dimmed all three, as if none of its bytes were
    // there
    await withReport(
      [
        layer(
          {
            'usr/big': 8_000_000,
            'opt/big': 3_000_000,
            'srv/big': 1_000_000,
            'small/a': 12_000,
            'small/tiny/a': 2_000,
            'small/gone/keep': 2_000,
          },
          'COPY . /',
        ),
        layer({ 'small/b': 5_000, 'small/tiny/b': 1_000, 'small/gone/tmp': 1_000 }, 'RUN make'),
        layer({ 'small/gone/.wh.tmp': WHITEOUT }, 'RUN rm /small/gone/tmp'),
      ],
      'html-picked-blocks.html',
      async ({ page, errors }) => {
        // Which of `paths` (drawn as one rectangle each) are lit when `layerIndex` is picked, and not dimmed
        const lit = async (layerIndex: number, paths: string[]) => {
          await page.locator(`#legend button[data-layer="${layerIndex}"]`).click();
          const out: Record<string, boolean> = {};
          for (const path of paths) {
            const cell = page.locator(`#treemap .cell:not(.dir)[data-path="${path}"]`);
            expect(await cell.count()).toBe(1);
            out[path] = await cell.evaluate(
              (e) => !(e as unknown as { classList: { contains(c: string): boolean } }).classList.contains('dim'),
            );
          }
          await page.locator(`#legend button[data-layer="${layerIndex}"]`).click(); // unpicked again
          return out;
        };
        // (at the top, /small is one block, in layer 0's colour)
        expect(await page.locator('#treemap .cell.block[data-path="/small"]').count()).toBe(1);
        expect(await lit(0, ['/small'])).toEqual({ '/small': true });
        expect(await lit(1, ['/small'])).toEqual({ '/small': true });
        expect(await lit(2, ['/small'])).toEqual({ '/small': false });
        // Inside /small, the directories kept as one leaf each
        await page.locator('#treemap .cell[data-path="/small"]').click();
        const kept = ['/small/tiny', '/small/gone'];
        expect(await lit(0, kept)).toEqual({ '/small/tiny': true, '/small/gone': true });
        expect(await lit(1, kept)).toEqual({ '/small/tiny': true, '/small/gone': true });
        expect(await lit(2, kept)).toEqual({ '/small/tiny': false, '/small/gone': false });
        // With hidden bytes switched off, layer 1's bytes in /small/gone are not drawn: it no longer holds any
        await page.locator('#show-hidden').uncheck();
        expect(await lit(1, kept)).toEqual({ '/small/tiny': true, '/small/gone': false });
        expect(await lit(0, kept)).toEqual({ '/small/tiny': true, '/small/gone': true });
        await page.keyboard.press('Backspace');
        expect(await lit(1, ['/small'])).toEqual({ '/small': true });
        expect(errors).toEqual([]);
      },
    );
  });
});

describe('analyze --format html: the legend as toggle buttons', () => {
  it('says which layer is picked to a screen reader, not only with an outline', async () => {
    const { page, errors } = await openFile(browser, artifactPath('html-report.html'));
    try {
      const pressed = () =>
        page
          .locator('#legend button')
          .evaluateAll((buttons) =>
            buttons.map((b) =>
              (b as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-pressed'),
            ),
          );
      expect(await pressed()).toEqual(['false', 'false', 'false']);
      await page.locator('#legend button[data-layer="1"]').focus();
      await page.keyboard.press('Enter');
      expect(await pressed()).toEqual(['false', 'true', 'false']);
      expect(await page.getByRole('button', { pressed: true }).count()).toBe(1);
      await page.keyboard.press('Enter');
      expect(await pressed()).toEqual(['false', 'false', 'false']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('analyze --format html: the tooltip in a narrow window (report hunt w2 #1)', () => {
  it('stays inside the window, at the left edge, the right edge and the bottom', async () => {
    // Given the page on a phone (375 px): the tip was placed at innerWidth - 540 px, 165 px off the left edge
    const { page, errors } = await openFile(browser, artifactPath('html-report.html'), { width: 375, height: 700 });
    try {
      const inside = async () => {
        const r = (await page.locator('#tip').boundingBox())!;
        const size = page.viewportSize()!;
        return r.x >= 0 && r.y >= 0 && r.x + r.width <= size.width && r.y + r.height <= size.height;
      };
      const box = (await page.locator('#treemap').boundingBox())!;
      // When the pointer rests near the left edge of the map, then near its right edge
      await page.mouse.move(box.x + 20, box.y + 40);
      expect(await page.locator('#tip').isVisible()).toBe(true);
      expect(await inside()).toBe(true);
      await page.mouse.move(box.x + box.width - 4, box.y + 40);
      expect(await inside()).toBe(true);
      // And near the bottom of the window (the map scrolled to its foot): the tip opens above the pointer
      await page.evaluate("document.getElementById('treemap').scrollIntoView({ block: 'end' })");
      const low = (await page.locator('#treemap').boundingBox())!;
      await page.mouse.move(low.x + 20, low.y + low.height - 6);
      expect(await page.locator('#tip').textContent()).toMatch(/^\//);
      expect(await inside()).toBe(true);
      // And in a wide window the tip still follows the pointer, to its lower right
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.evaluate('window.scrollTo(0, 0)');
      const wide = (await page.locator('#treemap').boundingBox())!;
      await page.mouse.move(wide.x + 30, wide.y + 40);
      const tip = (await page.locator('#tip').boundingBox())!;
      expect([tip.x, tip.y]).toEqual([wide.x + 42, wide.y + 54]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html with the keyboard only (report hunt w2 #2)', () => {
  it('reaches the map with one Tab, moves between its directories with the arrows, zooms with Enter and out with Backspace, and uses the path', async () => {
    // Given the page, and nothing but a keyboard: the cells were plain divs and the path links had no href, so
    // Tab went from the checkbox straight to the legend and no directory could be opened; then every directory
    // was a Tab stop of its own, so reaching the legend past a big image's map took hundreds of Tabs
    const { page, errors } = await openFile(browser, artifactPath('html-report.html'));
    const active = () =>
      page.evaluate(
        "document.activeElement.getAttribute('data-path') || document.activeElement.tagName + ':' + document.activeElement.textContent",
      );
    try {
      await page.locator('#find').focus();
      // When Tab is pressed after the toolbar (its last control, the find box): a top-level directory of the map has
      // the focus, and its tip shows
      await page.keyboard.press('Tab');
      const first = await active();
      expect(['/usr', '/app', '/opt']).toContain(first);
      expect(await page.locator('#tip').isVisible()).toBe(true);
      expect(await page.locator('#tip').textContent()).toContain(`${first}\n`);
      // The map is one Tab stop: the next Tab leaves it for the legend, Shift+Tab comes back to the same directory
      await page.keyboard.press('Tab');
      expect(await active()).toMatch(/^BUTTON:L0/);
      await page.keyboard.press('Shift+Tab');
      expect(await active()).toBe(first);
      expect(await page.locator('#treemap .cell[tabindex="0"]').count()).toBe(1);
      // The arrows go through the directories in the order they are drawn (each directory, then the directories
      // drawn inside it, then the next), and stop at the ends
      const reached = [first];
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('ArrowRight');
        reached.push(await active());
      }
      expect(reached).toEqual(expect.arrayContaining(['/usr', '/usr/lib', '/app', '/opt', '/opt/toolchain']));
      expect(reached.every((p) => String(p).startsWith('/'))).toBe(true);
      const order = reached.slice(0, reached.indexOf(reached[reached.length - 1]) + 1);
      expect(new Set(order).size).toBe(order.length);
      await page.keyboard.press('ArrowDown');
      expect(await active()).toBe(order[order.length - 1]);
      await page.keyboard.press('Home');
      expect(await active()).toBe(first);
      await page.keyboard.press('ArrowDown');
      expect(await active()).toBe(order[1]);
      await page.keyboard.press('ArrowUp');
      expect(await active()).toBe(first);
      await page.keyboard.press('End');
      expect(await active()).toBe(order[order.length - 1]);
      await page.keyboard.press('ArrowLeft');
      expect(await active()).toBe(order[order.length - 2]);
      expect(await page.evaluate('window.scrollY')).toBe(0); // the arrows did not scroll the page
      // When Enter is pressed on /app: the map zooms into it and the focus stays in the map
      while ((await active()) !== '/app') await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Enter');
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/app\s+900 kB, 4 files$/);
      expect(await page.evaluate("document.getElementById('treemap').contains(document.activeElement)")).toBe(true);
      // When Backspace is pressed: back at the top, with the focus on /app again, and Tab from the find box comes
      // back to it too
      await page.keyboard.press('Backspace');
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/\s/);
      expect(await active()).toBe('/app');
      await page.locator('#find').focus();
      await page.keyboard.press('Tab');
      expect(await active()).toBe('/app');
      expect(await page.locator('#treemap .cell[tabindex="0"]').count()).toBe(1);
      // When Space opens /opt/toolchain (a directory inside a directory) and the path above goes back up
      while ((await active()) !== '/opt') await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await active()).toBe('/opt/toolchain');
      await page.keyboard.press(' ');
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/opt\/toolchain\s/);
      expect(await page.evaluate('window.scrollY')).toBe(0); // Space did not scroll the page
      // /opt/toolchain holds one file, no directory to stop at: Tab from the find box still reaches the map itself
      await page.locator('#find').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.id')).toBe('treemap');
      await page.locator('#show-hidden').focus();
      await page.keyboard.press('Shift+Tab');
      expect(await active()).toBe('BUTTON:opt');
      await page.keyboard.press('Enter');
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/opt\s/);
      expect(await active()).toBe('/opt/toolchain');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html with JavaScript off (report hunt w2 #3)', () => {
  it('hides the map and its controls, says why, and keeps every number readable', async () => {
    // Given a browser that runs no script: the page showed a 560 px empty box under a checkbox, a path and a legend
    // that did nothing, and told the reader to click directories in it
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, javaScriptEnabled: false });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(pathToFileURL(artifactPath('html-report.html')).href);
      for (const part of ['#treemap', '.toolbar', '#treemap-help', '#legend'])
        expect(await page.locator(part).isVisible()).toBe(false);
      expect(await page.locator('#no-script').isVisible()).toBe(true);
      expect(await page.locator('#no-script').textContent()).toContain('The treemap needs JavaScript');
      // The key numbers need no script
      const text = await page.locator('body').innerText();
      expect(text).toContain(`${formatBytes(result.summary.uncompressedBytes)}\nuncompressed`);
      expect(text).toContain(`${formatBytes(result.summary.wastedBytes)}\nwasted`);
      expect(await page.locator('#biggest + .table td code').first().textContent()).toBe(
        `/${result.topDirectories[0].path}`,
      );
      expect(requests).toHaveLength(1); // the file itself
    } finally {
      await page.close();
    }
    // With JavaScript on, the note is not shown and the map is
    const { page: scripted, errors } = await openFile(browser, artifactPath('html-report.html'));
    try {
      expect(await scripted.locator('#no-script').count()).toBe(0);
      expect(await scripted.locator('#treemap').isVisible()).toBe(true);
      expect(await scripted.locator('#legend').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await scripted.close();
    }
  }, 60_000);
});

describe('analyze --format html printed (report hunt w2 #4)', () => {
  it("prints the treemap and the layer swatches in their colours with the browser's default settings", async () => {
    // Given the page saved as PDF as a browser prints by default (no background graphics): the cells' colours are
    // backgrounds, so the map printed as white boxes with white directory names, and the swatches vanished
    const { page, errors } = await openFile(browser, artifactPath('html-report.html'));
    try {
      const pdf = await page.pdf({ pageRanges: '1' });
      // The colours the PDF fills with (its content streams are deflated; `r g b rg` sets the fill colour)
      const fills = new Set<string>();
      const raw = pdf.toString('latin1');
      for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
        let text: string;
        try {
          text = inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
        } catch {
          continue; // an image or font stream
        }
        for (const c of text.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) rg\b/g))
          fills.add(
            [c[1], c[2], c[3]]
              .map((v) =>
                Math.round(Number(v) * 255)
                  .toString(16)
                  .padStart(2, '0'),
              )
              .join(''),
          );
      }
      // Then the colours of the three layers are among them, and the map's dark ground
      for (const index of [0, 1, 2]) expect(fills).toContain(layerColour(index).slice(1));
      expect(fills).toContain('3a3a36');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html on paper narrower than the window', () => {
  it('keeps every cell inside the map when its box narrows without a redraw, as printing lays it out', async () => {
    // Given the map drawn at 1400 px: printing lays the page out again at the paper's width (A4: ~720 px) after
    // the scripts ran, and the map, laid out in pixels for the screen, was cut off at the box's right edge
    const { page, errors } = await openFile(browser, artifactPath('html-report.html'));
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.waitForTimeout(300); // the resize redraw (100 ms debounce)
      const overflow = () =>
        page.evaluate(() => {
          const g = globalThis as unknown as {
            document: {
              querySelector(s: string): { getBoundingClientRect(): { right: number } };
              querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { right: number; width: number } }>;
            };
          };
          const right = g.document.querySelector('#treemap').getBoundingClientRect().right;
          const cells = Array.from(g.document.querySelectorAll('#treemap .cell'));
          return {
            cells: cells.length,
            past: cells.filter((c) => c.getBoundingClientRect().right > right + 0.5).length,
          };
        });
      expect((await overflow()).past).toBe(0);
      // When the box becomes half as wide with no resize event (no redraw)
      await page.evaluate(() => {
        const g = globalThis as unknown as { document: { querySelector(s: string): { style: { width: string } } } };
        g.document.querySelector('#treemap').style.width = '50%';
      });
      // Then no cell reaches past its right edge: the map narrows with it
      const narrow = await overflow();
      expect(narrow.cells).toBeGreaterThan(3);
      expect(narrow.past).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html printed on A4, with a Dockerfile at a CI path', () => {
  it('fits every table on the paper: nothing is cut off at its right edge', async () => {
    // Given the demo image analysed with its Dockerfile checked out where a CI runner puts it: the findings' and the
    // layers' file:line never wrapped, so on A4 the findings table was wider than the paper, and a table box only
    // scrolls on a screen: printed (or saved as PDF), its Fix column was cut off mid-word
    const dir = mkdtempSync(join(tmpdir(), 'ballast-print-'));
    try {
      const dockerfile = join(dir, 'builds/acme-platform/checkout-service/checkout-service/deploy/docker/Dockerfile');
      mkdirSync(dirname(dockerfile), { recursive: true });
      copyFileSync('examples/demo/Dockerfile', dockerfile);
      const file = artifactPath('html-print-a4.html');
      const r = await analyze({ image: 'examples/demo/demo.tar', dockerfile, workers: 0, sizeTree: true });
      expect(r.findings.length).toBeGreaterThan(0);
      writeFileSync(file, renderAnalyzeHtml(r));
      await withPage(file, async ({ page, errors }) => {
        // When it is laid out for print at A4's width (210 mm less the default margins: 718 CSS px)
        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({ width: 718, height: 1000 });
        // Then no table is wider than its box (what is past the box's edge is not printed)
        const cut = await page.locator('div.table').evaluateAll((boxes) =>
          boxes
            .map((b) => b as unknown as { scrollWidth: number; clientWidth: number })
            .filter((b) => b.scrollWidth > b.clientWidth + 1)
            .map((b) => `${b.scrollWidth} > ${b.clientWidth}`),
        );
        expect(cut).toEqual([]);
        expect(errors).toEqual([]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('analyze --format html with bidirectional controls in names (report hunt #5)', () => {
  it('shows them escaped, isolates each name from its size, and keeps them exact in the data', async () => {
    // Given a file whose name holds a right-to-left override: drawn as it is, its label read "report.txt  Bk 218"
    const name = 'report\u202e.txt';
    const bidi = await buildOciLayout([layer({ [`app/${name}`]: 812_000, 'app/other': 400_000 }, 'COPY . /app')]);
    try {
      const file = artifactPath('html-bidi.html');
      const page = renderAnalyzeHtml(await analyze({ image: bidi.path, workers: 0, sizeTree: true }));
      writeFileSync(file, page);
      // Nowhere raw in the page: the tables show it escaped, the data holds it as a JSON escape
      expect(page).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(unbroken(page)).toContain('/app/report\\u202e.txt');
      const data = /<script type="application\/json" id="ballast-data">(.*?)<\/script>/s.exec(page)![1];
      const names: string[] = [];
      JSON.parse(data, (key, value: unknown) => (key === 'n' && names.push(value as string), value));
      expect(names).toContain(name);
      const opened = await openFile(browser, file);
      try {
        await opened.page.locator('#treemap .cell[data-path="/app"]').click({ position: { x: 6, y: 6 } });
        const label = opened.page.locator(`#treemap .cell[data-path="/app/${name}"] .label`);
        expect(await label.textContent()).toBe('report\\u202e.txt  812 kB');
        // Every name is isolated from its size (the tests' tsconfig has no DOM types: the script is given as text)
        const bidiOfNames = await opened.page.evaluate(
          "[...document.querySelectorAll('#treemap .label .name')].map((el) => getComputedStyle(el).unicodeBidi)",
        );
        expect(bidiOfNames).toEqual(['isolate', 'isolate']);
        expect(await opened.page.locator('#crumbs').textContent()).toMatch(/^\/app\s/);
        expect(opened.errors).toEqual([]);
      } finally {
        await opened.page.close();
      }
    } finally {
      bidi.cleanup();
    }
  }, 60_000);
});

describe('analyze --format html with tabs and newlines in names', () => {
  it('shows them as \\x09 and \\x0a in the tables, as the treemap does, not as a space that names another file', async () => {
    // Given files named `new<LF>line` (deleted later) and `tab<TAB>here` (overwritten later), and a file really
    // named `new line` beside them: the wasted table read `/app/new line`, the treemap `new\x0aline`
    await withReport(
      [
        layer({ 'app/new\nline': 300_000, 'app/tab\there': 200_000, 'app/new line': 100_000 }, 'COPY . /app'),
        layer({ 'app/.wh.new\nline': WHITEOUT, 'app/tab\there': 10 }, 'RUN rm /app/new*'),
      ],
      'html-newline.html',
      async (opened) => {
        const { page } = opened;
        const wasted = await page.locator('#wasted + .table tbody td:last-child').allTextContents();
        expect(wasted).toEqual(['/app/new\\x0aline', '/app/tab\\x09here']);
        const biggest = await page.locator('#biggest ~ .table tbody td:last-child code').allTextContents();
        expect(biggest).toEqual(expect.arrayContaining(['/app/new line', '/app/tab\\x09here']));
        expect(biggest).not.toContain('/app/tab here');
        const where = await page.locator('#findings + .table tbody td:nth-child(4)').allTextContents();
        expect(where.join(' ')).toContain('/app/tab\\x09here');
        // The treemap names the same files the same way
        await page.locator('#treemap .cell[data-path="/app"]').click({ position: { x: 6, y: 6 } });
        const labels = await page.locator('#treemap .cell .label .name').allTextContents();
        expect(labels).toEqual(expect.arrayContaining(['new\\x0aline', 'tab\\x09here', 'new line']));
        expect(opened.errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html with blanks at the ends of names, runs of them and other blanks', () => {
  it('shows them as \\x20, \\xa0 and \\u2028, as the text report does, not as one name twice', async () => {
    // Given `a` and `a ` (a trailing space), `a b` and `a  b`, a no-break space and a line separator, two of them
    // overwritten later: the page showed `/app/a` twice and `a b` for `/srv/a  b`, where the text report says
    // `/app/a\x20` and `/srv/a\x20\x20b`, and the browser drew U+2028 as a line break (and the map wrote U+061C
    // `\u61c`, the tables `\u061c`)
    await withReport(
      [
        layer(
          { 'app/a': 500_000, 'app/a ': 400_000, 'srv/a  b': 300_000, 'app/a b': 200_000, 'app/\u00a0x': 150_000 },
          'COPY . /app',
        ),
        layer({ 'app/x\u2028y': 120_000, 'app/m\u061c': 110_000, 'app/a ': 10, 'srv/a  b': 10 }, 'COPY y /app'),
      ],
      'html-blanks.html',
      async (opened) => {
        const { page } = opened;
        const wasted = await page.locator('#wasted + .table tbody td:last-child').allTextContents();
        expect(wasted).toEqual(['/app/a\\x20', '/srv/a\\x20\\x20b']);
        const biggest = await page.locator('#biggest ~ .table tbody td:last-child code').allTextContents();
        expect(biggest).toEqual(
          expect.arrayContaining(['/app/a', '/app/a\\x20', '/srv/a\\x20\\x20b', '/app/a b', '/app/\\xa0x']),
        );
        expect(biggest).toContain('/app/x\\u2028y');
        const where = await page.locator('#findings + .table tbody td:nth-child(4)').allTextContents();
        expect(where.join(' ')).toContain('/srv/a\\x20\\x20b');
        const problems = await page.locator('#findings + .table tbody td:nth-child(5) code').allTextContents();
        expect(problems).toEqual(expect.arrayContaining(['/app/a\\x20', '/srv/a\\x20\\x20b']));
        // The treemap, its path and the find list name them the same way
        await page.locator('#treemap .cell[data-path="/app"]').click({ position: { x: 6, y: 6 } });
        const labels = await page.locator('#treemap .cell .label .name').allTextContents();
        expect(labels).toEqual(expect.arrayContaining(['a', 'a\\x20', 'a b', '\\xa0x', 'x\\u2028y', 'm\\u061c']));
        await page.locator('#find').fill('a\\x20');
        await page.waitForSelector('#found li');
        expect(await page.locator('#found li').allTextContents()).toEqual([
          '/app/a\\x20  400 kB  (L0, overwritten by L1)',
          '/srv/a\\x20\\x20b  300 kB  (L0, overwritten by L1)',
          '/app/a\\x20  10 B',
          '/srv/a\\x20\\x20b  10 B',
        ]);
        expect(opened.errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: the code spans of messages and advice', () => {
  it('shows them as code, without the backticks that fence them, even round a name holding backticks', async () => {
    // Given a file whose name holds a backtick, overwritten later (IM004 fences it in a double backtick), and apt
    // lists left behind (the junk advice quotes a command): the cells read ``/app/we`ird`` and `rm -rf ...`
    await withReport(
      [
        layer({ 'app/we`ird': 300_000, 'var/lib/apt/lists/deb_Packages': 200_000 }, 'COPY . /app'),
        layer({ 'app/we`ird': 100_000 }, 'RUN touch /app/we`ird'),
      ],
      'html-code-spans.html',
      async (opened) => {
        const { page } = opened;
        const problem = page.locator('#findings + .table tbody tr', { hasText: 'IM004' }).locator('td:nth-child(5)');
        expect(await problem.locator('code').allTextContents()).toEqual(['/app/we`ird']);
        expect(await problem.textContent()).toMatch(/^layer 1 overwrites \/app\/we`ird \(/);
        const advice = page.locator('#junk + .table tbody td:nth-child(4)');
        expect(await advice.first().locator('code').count()).toBeGreaterThan(0);
        // No fence is left as text anywhere in the findings and junk tables
        const text = [
          ...(await page.locator('#findings + .table td').allTextContents()),
          ...(await page.locator('#junk + .table td').allTextContents()),
        ].join('\n');
        expect(text).not.toContain('``');
        expect(text.replaceAll('/app/we`ird', '')).not.toContain('`');
        expect(opened.errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html of an image with more layers than the palette has colours', () => {
  it('gives every layer a colour of its own, in the legend and in the map', async () => {
    // Given 14 layers (a runtime image often has more): layer 12 was drawn in the base layer's blue, layer 13 in
    // layer 1's orange, so the map said their bytes were the base's
    const layers = Array.from({ length: 14 }, (_, i) =>
      layer({ [`l${i}/data`]: 100_000 + i * 10_000 }, `RUN make layer ${i}`),
    );
    await withReport(layers, 'html-many-layers.html', async (opened) => {
      const { page } = opened;
      const background = (selector: string) =>
        page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
      const legend: unknown[] = [];
      for (let i = 0; i < 14; i++) legend.push(await background(`#legend button[data-layer="${i}"] .swatch`));
      expect(new Set(legend).size).toBe(14);
      // Each layer's file is drawn in its layer's swatch colour, so no two layers' files share one
      const cells: unknown[] = [];
      for (let i = 0; i < 14; i++) cells.push(await background(`#treemap .cell[data-path="/l${i}/data"]`));
      expect(cells).toEqual(legend);
      expect(opened.errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html of an image without files', () => {
  it('renders an empty treemap without errors', async () => {
    await withReport([layer({ 'etc/': { kind: 'dir' } })], 'html-empty.html', async ({ page, errors }) => {
      expect(await page.locator('#treemap .cell').count()).toBe(0);
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/\s+0 B, 0 files$/);
      expect(errors).toEqual([]);
    });
  });
});

describe('analyze --format html with 50k files', () => {
  it('stays responsive: the page draws and zooms without laying out every file', async () => {
    // Given the tree of a 50,000-file filesystem (the real tree builder over a synthetic final filesystem: building
    // and walking a 50k-file image is size-tree.test.ts's job) in the result of the small image above
    const nodes = new Map<string, FsNode>();
    for (let i = 0; i < 50_000; i++) {
      nodes.set(`usr/lib/pkg${i % 700}/mod${i % 13}/file${i}.py`, {
        kind: 'file',
        size: 200 + ((i * 7919) % 40_000),
        layer: i % 3,
        mode: 0o644,
        uid: 0,
        gid: 0,
      });
    }
    const tree = buildSizeTree(layerTreeOf(nodes, 3));
    const big = artifactPath('html-50k.html');
    writeFileSync(big, renderAnalyzeHtml({ ...result, sizeTree: tree }));
    const { page, errors } = await openFile(browser, big);
    try {
      // When it is opened, and the biggest package directory is clicked
      const firstDraw = await page.evaluate(() => {
        const g = globalThis as unknown as { performance: { getEntriesByType(t: string): { loadEventEnd: number }[] } };
        return g.performance.getEntriesByType('navigation')[0].loadEventEnd;
      });
      // (timed in the page: from the click to the redrawn map, the biggest redraw there is)
      const zoomMs = await page.evaluate(() => {
        const g = globalThis as unknown as {
          performance: { now(): number };
          document: { querySelector(s: string): { click(): void } };
        };
        const start = g.performance.now();
        g.document.querySelector('#treemap .cell[data-path="/usr"]').click();
        return g.performance.now() - start;
      });
      await page.locator('#treemap .cell[data-path="/usr/lib"]').click({ position: { x: 6, y: 6 } });
      await page
        .locator('#treemap .cell.dir')
        .first()
        .click({ position: { x: 6, y: 6 } });
      // Then it loads (parse, layout, first draw) and zooms fast, and draws a bounded number of elements. The time
      // bounds are loose (CI and dev machines are shared and often overloaded; on an idle core these are tens of
      // ms): they catch a page that lays out or draws every file, not a slow machine. The numbers are printed.
      // And a path is looked for in the whole tree (120 ms of it the wait for typing to pause)
      const findStart = Date.now();
      await page.locator('#find').fill('pkg69');
      await page.locator('#found li').first().waitFor();
      const findMs = Date.now() - findStart;
      console.log(
        `html 50k files: ${tree.nodes} tree nodes, page loaded in ${firstDraw.toFixed(0)} ms, zoom redraw ${zoomMs.toFixed(0)} ms, find ${findMs} ms`,
      );
      expect(await page.locator('#found .note').textContent()).toMatch(
        /^\d+ paths hold pkg69 \(most entries under [\d.]+ kB are merged, and not searched by name\); the 20 biggest:$/,
      );
      expect(await page.locator('#found li').count()).toBe(20);
      expect(await page.locator('#found li').first().textContent()).toMatch(/^\/usr\/lib\/pkg69\d?\//);
      expect(findMs).toBeLessThan(3_000);
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/usr\/lib\/pkg\d+\s/);
      expect(await page.locator('#treemap .cell').count()).toBeGreaterThan(10);
      expect(firstDraw).toBeLessThan(15_000);
      expect(zoomMs).toBeLessThan(3_000);
      expect(await page.locator('#treemap .cell').count()).toBeLessThan(5_000);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('ballast analyze --format html (CLI)', () => {
  it('writes the page with -o and keeps --json (over $BALLAST_FORMAT=html) without the tree', async () => {
    const out = artifactPath('html-cli.html');
    const written = await runCli(['analyze', image.path, '--format', 'html', '-o', out]);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    const page = readFileSync(out, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('id="ballast-data"');
    // (typed beside --json, --format html is refused: see test/cli/usage.test.ts)
    const json = await runCli(['analyze', image.path, '--json'], { env: { BALLAST_FORMAT: 'html' } });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('sizeTree');
  }, 60_000);
});

describe('ballast analyze --format html without -o', () => {
  it('refuses a terminal, before reading the image, and says to give -o; piped, it writes the page', async () => {
    // The page is a few hundred kB of inlined script: on a terminal it scrolled past as noise, after the whole walk.
    const terminal = runOnTerminal(['analyze', image.path, '--format', 'html']);
    expect(terminal.code).toBe(2);
    expect(terminal.output).not.toContain('<!DOCTYPE');
    expect(terminal.output).toMatch(/^error: .*terminal.*\(hint: .*-o report\.html/m);
    // A name that does not exist shows the check comes first: no "not found" after a walk.
    const first = runOnTerminal(['analyze', 'no-such-image.oci', '--format', 'html']);
    expect(first.code).toBe(2);
    expect(first.output).toContain('terminal');
    const piped = await runCli(['analyze', image.path, '--format', 'html']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
  }, 60_000);

  it('names $BALLAST_FORMAT, not a --format nobody typed, when the variable asked for the page', () => {
    const env = { ...process.env, NO_COLOR: '1', TERM: 'xterm', BALLAST_FORMAT: 'html' };
    const terminal = runOnTerminal(['analyze', image.path], { env });
    expect(terminal.code).toBe(2);
    expect(terminal.output).toMatch(
      /^error: \$BALLAST_FORMAT=html writes a web page, not text for a terminal \(hint: .*-o report\.html.*unset BALLAST_FORMAT/m,
    );
    expect(terminal.output).not.toContain('--format');
    // Typed, it is the flag that is named, whatever the variable says
    const typed = runOnTerminal(['analyze', image.path, '--format', 'html'], {
      env: { ...env, BALLAST_FORMAT: 'text' },
    });
    expect(typed.code).toBe(2);
    expect(typed.output).toMatch(/^error: --format html writes a web page/m);
    expect(typed.output).not.toContain('BALLAST_FORMAT');
  }, 60_000);
});

describe('analyze --format html: finding a path', () => {
  it('lists the biggest paths holding what is typed, and zooms to the one picked', async () => {
    // Given libfoo in two places, a directory named like it, and a name an attacker chose
    await withReport(
      [
        layer(
          {
            'usr/lib/x86_64/libfoo.so.1': 2_000_000,
            'opt/app/LIBFOO.txt': 500_000,
            'srv/libfoo-data/blob': 300_000,
            'usr/share/doc/readme': 900_000,
            [`tmp/libfoo${IMG}`]: 100_000,
          },
          'COPY . /',
        ),
      ],
      'html-find.html',
      async ({ page, errors }) => {
        const find = page.locator('#find');
        const rows = () => page.locator('#found li').allTextContents();
        await find.fill('libfoo');
        await page.waitForSelector('#found li');
        // Biggest first, case ignored, directories marked with a slash; the attacker's name stays text
        expect(await rows()).toEqual([
          '/usr/lib/x86_64/libfoo.so.1  2.00 MB',
          '/opt/app/LIBFOO.txt  500 kB',
          '/srv/libfoo-data/  300 kB',
          '/srv/libfoo-data/blob  300 kB',
          `/tmp/libfoo${IMG}  100 kB`,
        ]);
        expect(await page.locator('#found img').count()).toBe(0);
        expect(await page.locator('#found .note').textContent()).toBe('5 paths hold libfoo:');
        // Typing Backspace in the box edits it, it does not zoom out
        await page.locator('#found button').first().click();
        expect(await page.locator('#crumbs').textContent()).toMatch(/^\/usr\/lib\/x86_64\s/);
        expect(await page.locator('#treemap .cell.found').getAttribute('data-path')).toBe(
          '/usr/lib/x86_64/libfoo.so.1',
        );
        await find.focus();
        await page.keyboard.press('End');
        await page.keyboard.press('Backspace');
        expect(await find.inputValue()).toBe('libfo');
        expect(await page.locator('#crumbs').textContent()).toMatch(/^\/usr\/lib\/x86_64\s/);
        // Enter picks the biggest found; a directory found is zoomed into, and its name in the path is outlined (no
        // cell of the map is: the map is what is in it)
        await find.fill('DATA');
        await page.keyboard.press('Enter');
        expect(await page.locator('#crumbs').textContent()).toMatch(/^\/srv\/libfoo-data\s/);
        expect(await page.locator('#crumbs .found').textContent()).toBe('libfoo-data');
        expect(await page.evaluate("getComputedStyle(document.querySelector('#crumbs .found')).outlineStyle")).toBe(
          'solid',
        );
        expect(await page.locator('#treemap .cell.found').count()).toBe(0);
        await find.fill('no such name');
        await page.locator('#found .note', { hasText: 'No path holds no such name.' }).waitFor();
        expect(await page.locator('#found li').count()).toBe(0);
        // Escape empties the box and the list
        await find.focus();
        await page.keyboard.press('Escape');
        expect(await find.inputValue()).toBe('');
        expect(await page.locator('#found').textContent()).toBe('');
        expect(await page.locator('#crumbs .found').count()).toBe(0);
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: the find box emptied by deleting its text', () => {
  it('takes the outline off what was found, as Escape does', async () => {
    // Given busybox found and picked: Escape took its outline off, deleting the text left it round the cell for good
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      const find = page.locator('#find');
      await find.fill('busybox');
      await page.waitForSelector('#found li');
      await page.locator('#found button').first().click();
      expect(await page.locator('#treemap .cell.found').getAttribute('data-path')).toBe('/usr/bin/busybox');
      // When the text is deleted a character at a time, to nothing
      await find.focus();
      await page.keyboard.press('End');
      for (let i = 0; i < 'busybox'.length; i++) await page.keyboard.press('Backspace');
      expect(await find.inputValue()).toBe('');
      await page.locator('#found li').first().waitFor({ state: 'detached' });
      // Then nothing is outlined, on the map or in the path above it; the zoom stays
      expect(await page.locator('#treemap .cell.found').count()).toBe(0);
      expect(await page.locator('#crumbs .found').count()).toBe(0);
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/usr\/bin\s/);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: Escape in the list of paths found', () => {
  it("is the find box's Escape, and goes back to the box, rather than zooming the map out", async () => {
    // Given busybox found, and the down arrow gone into the list: Escape there did nothing; after Enter picked the
    // path, each Escape zoomed the map out a step, the list and the outline staying
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      const find = page.locator('#find');
      const crumbs = () => page.locator('#crumbs').textContent();
      await find.fill('busybox');
      await page.waitForSelector('#found li');
      await find.press('ArrowDown');
      await page.keyboard.press('Escape');
      expect(await find.inputValue()).toBe('');
      expect(await page.locator('#found li').count()).toBe(0);
      expect(await page.evaluate('document.activeElement.id')).toBe('find');
      // When one is picked from the list with the keyboard, then Escape pressed there
      await find.fill('busybox');
      await page.waitForSelector('#found li');
      await find.press('ArrowDown');
      await page.keyboard.press('Enter');
      expect(await page.locator('#treemap .cell.found').getAttribute('data-path')).toBe('/usr/bin/busybox');
      const zoomed = await crumbs();
      await page.keyboard.press('Escape');
      // Then the box, the list and the outline are emptied, the zoom stays, and typing goes on in the box
      expect(await find.inputValue()).toBe('');
      expect(await page.locator('#found li').count()).toBe(0);
      expect(await page.locator('#treemap .cell.found').count()).toBe(0);
      expect(await crumbs()).toBe(zoomed);
      expect(zoomed).toMatch(/^\/usr\/bin\s/);
      expect(await page.evaluate('document.activeElement.id')).toBe('find');
      // A second Escape, in the empty box, leaves the map as it is
      await page.keyboard.press('Escape');
      expect(await crumbs()).toBe(zoomed);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: finding a path that later layers overwrote or deleted', () => {
  it('tells the copies apart: each hidden one says which layer ships it and which hid it', async () => {
    // Given an apt cache written by three layers (the first two copies hidden, still shipped) and a tarball deleted
    // later: the find list read `/var/cache/apt/pkgcache.bin  4.00 MB` three times, with no way to pick the copy
    // that a later layer hid from the one in the final filesystem
    await withReport(
      [
        layer({ 'var/cache/apt/pkgcache.bin': 4_000_000, 'tmp/pkgcache.tar': 1_000_000 }, 'RUN apt-get update'),
        layer({ 'var/cache/apt/pkgcache.bin': 4_000_001 }, 'RUN apt-get install -y curl'),
        layer(
          { 'var/cache/apt/pkgcache.bin': 4_000_002, 'tmp/.wh.pkgcache.tar': WHITEOUT },
          'RUN apt-get install -y git',
        ),
      ],
      'html-find-hidden.html',
      async ({ page, errors }) => {
        await page.locator('#find').fill('pkgcache');
        await page.waitForSelector('#found li');
        // Then the copy in the final filesystem reads as before, and each hidden copy names its layers
        expect(await page.locator('#found li').allTextContents()).toEqual([
          '/var/cache/apt/pkgcache.bin  4.00 MB',
          '/var/cache/apt/pkgcache.bin  4.00 MB  (L1, overwritten by L2)',
          '/var/cache/apt/pkgcache.bin  4.00 MB  (L0, overwritten by L1)',
          '/tmp/pkgcache.tar  1.00 MB  (L0, deleted by L2)',
        ]);
        // And picking one outlines that copy, hatched as hidden
        await page.locator('#found button').nth(2).click();
        const found = page.locator('#treemap .cell.found');
        expect(await found.count()).toBe(1);
        expect(await found.getAttribute('class')).toContain('hidden');
        await found.hover();
        expect(await page.locator('#tip').textContent()).toContain('hidden: overwritten by L1');
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe("analyze --format html and the browser's back button", () => {
  it('steps back out of a zoom, and forward into it again, without leaving the page', async () => {
    // Given the report zoomed into /app: Back left the report (here for the blank page it was opened from), as it
    // would leave for the CI run that linked it, where a user of any zoomable page expects it to undo the zoom
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      const url = page.url();
      const crumbs = () => page.locator('#crumbs').textContent();
      await page.locator('#treemap .cell[data-path="/app"]').click({ position: { x: 6, y: 6 } });
      expect(await crumbs()).toMatch(/^\/app\s/);
      // When Back is pressed, the map is at the top again and the page is still the report
      await page.goBack();
      expect(page.url()).toBe(url);
      expect(await crumbs()).toMatch(/^\/\s/);
      expect(await page.locator('#treemap .cell[data-path="/app"]').count()).toBe(1);
      // And Forward zooms into /app again
      await page.goForward();
      expect(page.url()).toBe(url);
      expect(await crumbs()).toMatch(/^\/app\s/);
      // Zooming out (the path) is a step too; Back from it returns to /app
      await page.locator('#crumbs button').first().click();
      expect(await crumbs()).toMatch(/^\/\s/);
      await page.goBack();
      expect(await crumbs()).toMatch(/^\/app\s/);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html reloaded', () => {
  it('keeps hidden bytes switched off, as it keeps the zoom', async () => {
    // Given the report zoomed into /usr with hidden bytes switched off: a reload kept the zoom, but the box came back
    // ticked and the map drew the deleted toolchain again
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      const crumbs = () => page.locator('#crumbs').textContent();
      await page.locator('#treemap .cell[data-path="/usr"]').click({ position: { x: 6, y: 6 } });
      await page.locator('#show-hidden').uncheck();
      await page.reload();
      expect(await crumbs()).toMatch(/^\/usr\s/);
      expect(await page.locator('#show-hidden').isChecked()).toBe(false);
      await page.locator('#crumbs button').first().click();
      expect(await crumbs()).toMatch(/^\/\s.*, 7 files$/);
      expect(await page.locator('#treemap .cell[data-path="/opt"]').count()).toBe(0);
      // Switched on again, a reload keeps that too; Back still steps out of the zoom, the box as it is
      await page.locator('#show-hidden').check();
      await page.reload();
      expect(await page.locator('#show-hidden').isChecked()).toBe(true);
      expect(await page.locator('#treemap .cell[data-path="/opt"]').count()).toBe(1);
      await page.goBack();
      expect(await crumbs()).toMatch(/^\/usr\s/);
      expect(await page.locator('#show-hidden').isChecked()).toBe(true);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html printed with the find list open', () => {
  it('keeps the treemap whole on one page rather than cut across two', async () => {
    // Given 20 paths listed by the find box above the map: printed on A4, the map started low on page 1 and went on
    // at the top of page 2, each half unreadable without the other
    const files: Record<string, number> = {};
    for (let i = 0; i < 20; i++) files[`srv/data/part-${String(i).padStart(2, '0')}.bin`] = 100_000 + i * 10_000;
    await withReport([layer(files, 'COPY data /srv/data')], 'html-print-found.html', async ({ page, errors }) => {
      await page.locator('#find').fill('part-');
      await page.waitForSelector('#found li >> nth=19');
      // The pages the map's dark ground is filled on (each PDF page printed alone; its streams are deflated)
      const ground = async (range: string) => {
        const raw = (
          await page.pdf({ format: 'A4', margin: { top: '1cm', bottom: '1cm' }, pageRanges: range })
        ).toString('latin1');
        for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
          let text: string;
          try {
            text = inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
          } catch {
            continue; // an image or font stream
          }
          for (const c of text.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) rg\b/g))
            if ([c[1], c[2], c[3]].map((v) => Math.round(Number(v) * 255)).join() === '58,58,54') return true;
        }
        return false;
      };
      // Then it is on one page only
      expect([await ground('1'), await ground('2')].filter(Boolean)).toHaveLength(1);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: file counts in the path and the tip', () => {
  it('says "1 file" of one file, and groups thousands as the rest of the report does', async () => {
    // Given a directory of one file and one of 1,200: the path read "487 kB, 1 files" and "1200 files" where the
    // cards above it say "1,200 final files"
    const many: Record<string, number> = { 'one/only.bin': 500_000 };
    for (let i = 0; i < 1200; i++) many[`many/f${i}`] = 100;
    await withReport([layer(many, 'COPY . /')], 'html-counts.html', async ({ page, errors }) => {
      const crumbs = () => page.locator('#crumbs').textContent();
      expect(await crumbs()).toMatch(/, 1,201 files$/);
      await page.locator('#treemap .cell[data-path="/many"]').hover({ position: { x: 6, y: 6 } });
      expect(await page.locator('#tip').textContent()).toContain(' in 1,200 files');
      await page.locator('#treemap .cell[data-path="/one"]').click({ position: { x: 6, y: 6 } });
      expect(await crumbs()).toMatch(/^\/one\s+500 kB, 1 file$/);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: the find list on a phone', () => {
  it('numbers each path on its first line and keeps its size in one piece', async () => {
    // Given paths longer than a phone is wide: each row's number sat on its last line, beside the start of the next
    // path, and "26.2 MB" broke into "26.2" and "MB" across two lines
    const files: Record<string, number> = {};
    // (names of every length up to 20 more characters: some row ends where its size has to wrap)
    for (let i = 0; i < 20; i++)
      files[`usr/lib/python3.11/test/__pycache__/deep/module_number_${'x'.repeat(i)}.cpython-311.pyc`] = 2_000_000 + i;
    await withReport([layer(files, 'COPY . /')], 'html-found-phone.html', async ({ page, errors }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#find').fill('module_number');
      await page.waitForSelector('#found li >> nth=19');
      const rows = await page.locator('#found li').evaluateAll((items) =>
        items.map((item) => {
          const li = item as unknown as {
            ownerDocument: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- no DOM types here
            querySelector(s: string): any; // eslint-disable-line @typescript-eslint/no-explicit-any
            insertBefore(a: unknown, b: unknown): void;
            removeChild(a: unknown): void;
          };
          const button = li.querySelector('button');
          // Where the list's number goes: the line box the row starts with (a zero-width probe sits on it)
          const probe = li.ownerDocument.createElement('span');
          li.insertBefore(probe, button);
          const mark = probe.getBoundingClientRect();
          li.removeChild(probe);
          const path = li.querySelector('code').getClientRects();
          // The size: the text after the path
          const range = li.ownerDocument.createRange();
          let size = button.lastChild;
          if (size.firstChild) size = size.firstChild;
          const at = size.textContent.search(/\d/);
          range.setStart(size, at);
          range.setEnd(size, at + '2.00 MB'.length);
          return {
            lines: path.length,
            onFirst: mark.bottom <= path[0].bottom + 1,
            sizeLines: range.getClientRects().length,
          };
        }),
      );
      // Then the paths do wrap, each row's number is on its first line, and the size is on one line
      for (const row of rows) expect(row).toEqual({ lines: expect.any(Number), onFirst: true, sizeLines: 1 });
      expect(rows.some((r) => r.lines > 1)).toBe(true);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: finding a file merged with the small files of its directory', () => {
  it('does not say that no path holds it: it says small entries are merged and not found by name', async () => {
    // Given /etc/passwd, far under the size the map merges entries below: "No path holds passwd." read as if the
    // image had no passwd at all
    await withReport(
      [layer({ 'usr/bin/big': 3_000_000, 'etc/passwd': 100, 'etc/group': 100 }, 'COPY . /')],
      'html-find-merged.html',
      async ({ page, errors }) => {
        await page.locator('#find').fill('passwd');
        await page.locator('#found .note').waitFor();
        expect(await page.locator('#found .note').textContent()).toBe(
          'No path holds passwd; most entries under 1.00 kB are merged per directory and layer, and not found by their own names.',
        );
        // The directory they are merged into is found by its path
        await page.locator('#find').fill('etc');
        await page.locator('#found li').first().waitFor();
        expect(await page.locator('#found li').allTextContents()).toEqual(['/etc/  200 B']);
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html printed after a search', () => {
  it('leaves out the find box, which paper cannot type in, and keeps the paths found', async () => {
    // Given a search typed in the find box: printed, the box came out as an empty-looking input with a clear button
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      await page.locator('#find').fill('main');
      await page.locator('#found li').first().waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#find').isVisible()).toBe(false);
      expect(await page.locator('#found li').first().isVisible()).toBe(true);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html tables on a phone', () => {
  it('gives the paths room to be read, not a column three letters wide', async () => {
    // Given the wasted files and the biggest files of an image, on a phone: paths break anywhere, so the table gave
    // their column what was left, and /opt/toolchain/toolchain.tar read "/op", "t/to", "olch", "ain/" down the cell
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      const widths = await page
        .locator('td:has(> code:not(.loc))')
        .evaluateAll((cells) => cells.map((c) => Math.round((c as unknown as { clientWidth: number }).clientWidth)));
      expect(widths.length).toBeGreaterThan(5);
      // Then each cell of a path is wide enough for some twenty characters of it
      for (const w of widths) expect(w).toBeGreaterThanOrEqual(160);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: the layer swatches on a phone', () => {
  it('keeps each swatch on the line of the layer it colours', async () => {
    // Given the layer table on a phone: its first column is squeezed, and each swatch sat alone on a line above its
    // "L1", as if it were a row of its own
    await withPage(artifactPath('html-report.html'), async ({ page }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      const gaps = await page.locator('#layers + * td:first-child .swatch').evaluateAll((swatches) =>
        swatches.map((s) => {
          const swatch = s as unknown as {
            nextSibling: unknown;
            ownerDocument: {
              createRange(): {
                selectNodeContents(n: unknown): void;
                getClientRects(): { top: number; bottom: number }[];
              };
            };
            getBoundingClientRect(): { top: number; bottom: number };
          };
          const range = swatch.ownerDocument.createRange();
          range.selectNodeContents(swatch.nextSibling);
          const label = range.getClientRects()[0];
          // Then the swatch is inside the line box of the label after it
          const box = swatch.getBoundingClientRect();
          return box.top >= label.top - 2 && box.bottom <= label.bottom + 2;
        }),
      );
      expect(gaps.length).toBe(3);
      expect(gaps).toEqual([true, true, true]);
    });
  }, 60_000);
});

describe('analyze --format html: the Dockerfile line of each layer on a phone', () => {
  it('gives it room to be read, as a path is given', async () => {
    // Given the demo image analysed with its Dockerfile, on a phone: the layer table's Dockerfile line column was
    // some ten characters wide, and examples/demo/Dockerfile:5 read down the cell three letters at a time
    const file = artifactPath('html-layers-phone.html');
    const r = await analyze({
      image: 'examples/demo/demo.tar',
      dockerfile: 'examples/demo/Dockerfile',
      workers: 0,
      sizeTree: true,
    });
    writeFileSync(file, renderAnalyzeHtml(r));
    await withPage(file, async ({ page, errors }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      const widths = await page
        .locator('#layers + * td:nth-child(5)')
        .evaluateAll((cells) => cells.map((c) => (c as unknown as { clientWidth: number }).clientWidth));
      expect(widths.length).toBe(r.layers.length);
      // Then each is as wide as a path's cell (page.css td.wide)
      for (const w of widths) expect(w).toBeGreaterThanOrEqual(160);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

/**
 * The breaks a phone made in `within` of `page` (by default the code of the Instruction, Problem, Fix and What to do
 * cells) that it need not have made: inside a word (a run without spaces or line breaks) that fits on a line, or, in
 * a word wider than its line, between two letters where the line had a `/`, a `-`, a `.`, a `:` or a shell operator to
 * break at. Each is given with what stands round it.
 */
function needlessBreaks(
  page: Page,
  within = ['Instruction', 'Problem', 'Fix', 'What to do'].map((l) => `td[data-label="${l}"] code`).join(),
): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    for (const code of document.querySelectorAll(${JSON.stringify(within)})) {
      const td = code.closest('td, p');
      const style = getComputedStyle(td);
      const line = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const chars = [];
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (n.nodeName === 'BR') chars.push({ c: '\\n', top: null, width: 0 });
        else if (n.nodeType === Node.TEXT_NODE) for (let i = 0; i < n.length; i++) {
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + 1);
          const rect = range.getClientRects()[0];
          chars.push({ c: n.data[i], top: rect && rect.width > 0 ? Math.round(rect.top) : null, width: rect ? rect.width : 0 });
        }
      const text = chars.map((x) => x.c).join('');
      let lineStart = 0;
      let last = null;
      for (let k = 0; k < chars.length; k++) {
        if (chars[k].top === null) continue;
        if (last !== null && chars[k].top > chars[last].top + 4) {
          const at = text.slice(0, k).replace(/\\s+$/, '').length;
          if (at === k) {
            const start = text.slice(0, k).search(/\\S*$/);
            const end = k + text.slice(k).search(/\\s|$/);
            const word = chars.slice(start, end).reduce((w, x) => w + x.width, 0);
            const shown = text.slice(Math.max(start, k - 16), k) + '|' + text.slice(k, Math.min(end, k + 16));
            const opening = /[-/&|;]$/.test(text.slice(0, k)) || /^[.:]/.test(text.slice(k));
            if (word <= line) out.push(shown + ' (fits a line)');
            else if (!opening && /[-/&|;.:]/.test(text.slice(Math.max(start, lineStart) + 1, k))) out.push(shown);
          }
          lineStart = k;
        }
        last = k;
      }
    }
    return out;
  })()`);
}

/** The height of every table row of `page`. */
/** The height of every element of `page` that `selector` matches (table rows, and notes). */
function heights(page: Page, selector: string): Promise<number[]> {
  return page.evaluate(`[...document.querySelectorAll('${selector}')].map((e) => e.getBoundingClientRect().height)`);
}

/**
 * At 1280 px the elements `selector` matches are as tall as `desktop`, and as tall again without the word boxes and
 * break points inside `scopes`: what serves a phone changes nothing on a desktop.
 */
async function expectDesktopAsBefore(page: Page, selector: string, desktop: number[], scopes: string[]): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await heights(page, selector)).toEqual(desktop);
  const within = (what: string) => scopes.map((scope) => `${scope} ${what}`).join(', ');
  await page.evaluate(`document.querySelectorAll('${within('wbr')}').forEach((w) => w.remove());
    document.querySelectorAll('${within('.word')}').forEach((w) => w.replaceWith(...w.childNodes))`);
  expect(await heights(page, selector)).toEqual(desktop);
}

describe('analyze --format html: commands and code spans on a phone', () => {
  it('breaks a word only where it is wider than its line, at a / or . where it has one, and keeps the desktop layout', async () => {
    // Given the demo's RUN lines and an instruction of long options: on a phone the Instruction cell broke
    // "tool_1.0_amd64.d" / "eb" and "deb.debian.org_debian" / "_dists_..." though the path had a / to break at, and
    // "uname -" / "m", "--home-" / "dir" though the next line had room for the word, and commands joined without
    // spaces (`a&&b;c|d`) anywhere but at their operators
    const demo = artifactPath('html-code-phone-demo.html');
    writeFileSync(
      demo,
      renderAnalyzeHtml(
        await analyze({
          image: 'examples/demo/demo.tar',
          dockerfile: 'examples/demo/Dockerfile',
          workers: 0,
          sizeTree: true,
        }),
      ),
    );
    const built = await buildOciLayout([
      layer(
        { 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages': 300_000 },
        '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates && useradd --system ' +
          '--home-dir /app --shell /usr/sbin/nologin app && uname -m > /etc/arch;echo done|tee /srv/build-info-text && ' +
          'make_all_the_things_now&&install_the_things_here;report_what_was_done|tee_the_log',
      ),
    ]);
    const options = artifactPath('html-code-phone-options.html');
    try {
      writeFileSync(options, renderAnalyzeHtml(await analyze({ image: built.path, workers: 0, sizeTree: true })));
    } finally {
      built.cleanup();
    }
    for (const file of [demo, options])
      await withPage(file, async ({ page, errors }) => {
        // The desktop's rows, as tall as they were without the words' boxes and break points
        await page.setViewportSize({ width: 1280, height: 800 });
        const desktop = await heights(page, '.table tr');
        // Then on a phone, no break a line had no need of, and nothing wider than the screen
        for (const width of [390, 360]) {
          await page.setViewportSize({ width, height: 740 });
          expect(await page.locator('td[data-label="Instruction"]').count()).toBeGreaterThan(0);
          expect(await needlessBreaks(page)).toEqual([]);
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        }
        await page.screenshot({ path: file.replace(/\.html$/, '-360.png'), fullPage: true });
        await expectDesktopAsBefore(page, '.table tr', desktop, ['td']);
        expect(errors).toEqual([]);
      });
  }, 60_000);
});

describe('analyze --format html: paths, notes and rule summaries on a phone', () => {
  it('breaks a path only where it is wider than its line, in every table and note, and a summary between its words', async () => {
    // Given long paths in the Largest, Directory, File and Paths columns and in the note of the directories left out,
    // and the demo's findings, whose IM005 summary names options in plain words: on a phone the File column broke
    // "deb.debian.org_debian" / "_dists...", the note "/usr/lib/x86_64-linux-" / "gnu/perl", and the IM005 fix
    // "(COPY --chmod/--" / "chown)", each with room for the word, or for the path after a /, on the next line
    const perl = 'usr/lib/x86_64-linux-gnu/perl/5.36.0/auto/Encode';
    const doc = 'usr/share/doc/libgssapi-krb5-2-and-more';
    const built = await buildOciLayout([
      layer({
        [`${perl}/JP/JP.so`]: 900_000,
        [`${perl}/KR/KR.so`]: 800_000,
        'usr/lib/x86_64-linux-gnu/perl-base/unicore/To/NameAlias.pl': 100_000,
        'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages': 300_000,
        [`${doc}/changelog.Debian.gz`]: file(Buffer.alloc(400_000, 7)),
        [`${doc}-again/changelog.Debian.gz`]: file(Buffer.alloc(400_000, 7)),
      }),
    ]);
    const paths = artifactPath('html-paths-phone.html');
    try {
      writeFileSync(paths, renderAnalyzeHtml(await analyze({ image: built.path, workers: 0, sizeTree: true })));
    } finally {
      built.cleanup();
    }
    const demo = artifactPath('html-summaries-phone-demo.html');
    writeFileSync(
      demo,
      renderAnalyzeHtml(
        await analyze({
          image: 'examples/demo/demo.tar',
          dockerfile: 'examples/demo/Dockerfile',
          workers: 0,
          sizeTree: true,
        }),
      ),
    );
    const columns = ['Largest', 'Directory', 'File', 'Paths', 'Path', 'Where'];
    const pathsShown = [...columns.map((l) => `td[data-label="${l}"] code`), 'p.note code'].join();
    for (const file of [paths, demo])
      await withPage(file, async ({ page, errors }) => {
        await page.setViewportSize({ width: 1280, height: 800 });
        const desktop = await heights(page, '.table tr, p.note');
        for (const width of [390, 360]) {
          await page.setViewportSize({ width, height: 740 });
          if (file === paths) {
            for (const label of ['Largest', 'Directory', 'File', 'Paths'])
              expect(await page.locator(`td[data-label="${label}"] code`).count()).toBeGreaterThan(0);
            expect(await page.locator('p.note', { hasText: 'Not listed' }).locator('code').count()).toBeGreaterThan(0);
          } else
            expect(await page.locator('td[data-label="Fix"]', { hasText: '(COPY --chmod/--chown)' }).count()).toBe(1);
          expect(await needlessBreaks(page, pathsShown)).toEqual([]);
          expect(await needlessBreaks(page, 'td[data-label="Fix"] .fix')).toEqual([]);
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        }
        await page.screenshot({ path: file.replace(/\.html$/, '-360.png'), fullPage: true });
        // Then the desktop's rows and notes are as tall as they were, and as without the boxes and break points
        await expectDesktopAsBefore(page, '.table tr, p.note', desktop, ['td', '.note']);
        expect(errors).toEqual([]);
      });
  }, 60_000);
});

/**
 * The breaks `page` made between a code span (in a table cell or a note) and punctuation glued to it: the character
 * right after the span when it is not a blank, or an opening bracket or quote right before it, on another line than
 * the span's own end (or start). Each is given with the span's text and the character.
 */
function gluedBreaks(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    const top = (node, i) => {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      return rect ? Math.round(rect.top) : null;
    };
    // The text node and offset of the character next to the code element in its cell or note, on the side given
    const next = (code, after) => {
      const texts = [];
      const walker = document.createTreeWalker(code.closest('td, p'), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.length) texts.push(n);
      const inside = texts.map((n) => code.contains(n));
      const at = after ? inside.lastIndexOf(true) + 1 : inside.indexOf(true) - 1;
      const node = inside.includes(true) ? texts[at] : undefined;
      return node ? [node, after ? 0 : node.length - 1] : null;
    };
    // The line of the code element's last (or first) character
    const ends = (code, after) => {
      const texts = [];
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.length) texts.push(n);
      const node = after ? texts[texts.length - 1] : texts[0];
      return node ? top(node, after ? node.length - 1 : 0) : null;
    };
    for (const code of document.querySelectorAll('td code, p.note code')) {
      for (const after of [true, false]) {
        const at = next(code, after);
        if (!at) continue;
        const [node, i] = at;
        const c = node.data[i];
        if (!c || (after ? /\\s/.test(c) : !/[(\\[{"']/.test(c))) continue;
        const there = top(node, i);
        const edge = ends(code, after);
        if (there !== null && edge !== null && Math.abs(there - edge) > 4)
          out.push((after ? code.textContent.slice(-24) + '|' + c : c + '|' + code.textContent.slice(0, 24)));
      }
    }
    return out;
  })()`);
}

describe('analyze --format html: punctuation glued to a code span on a phone', () => {
  it('keeps a comma, a colon or a bracket on the line of the code span it follows or opens, and the desktop layout', async () => {
    // Given the demo's findings (IM005: use `COPY --chown`/`--chmod`, or ...) and a note naming directories left out
    // (`/var/lib/apt`, `/var/cache/apt`: ...): on a phone the span's words were boxes of their own, and a line broke
    // between `--chmod` and its comma, which began the next line
    const demo = artifactPath('html-glued-phone-demo.html');
    writeFileSync(
      demo,
      renderAnalyzeHtml(
        await analyze({
          image: 'examples/demo/demo.tar',
          dockerfile: 'examples/demo/Dockerfile',
          workers: 0,
          sizeTree: true,
        }),
      ),
    );
    await withPage(demo, async ({ page, errors }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      const desktop = await heights(page, '.table tr, p.note');
      expect(await page.locator('td', { hasText: 'COPY --chown/--chmod, or set' }).count()).toBe(1);
      expect(await page.locator('p.note', { hasText: 'Not listed' }).locator('code').count()).toBeGreaterThan(1);
      // Then at no phone width does a line break there (where one falls depends on the fonts: every width is tried)
      const found = new Set<string>();
      for (let width = 300; width <= 440; width += 4) {
        await page.setViewportSize({ width, height: 740 });
        for (const b of await gluedBreaks(page)) found.add(`${b} at ${width} px`);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      }
      expect([...found]).toEqual([]);
      // And a desktop shows the rows and notes as before
      await expectDesktopAsBefore(page, '.table tr, p.note', desktop, ['td', '.note']);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: picking a found file too small to draw', () => {
  it('says it is too small to draw there, instead of zooming to a map with nothing marked', async () => {
    // Given a 20 kB file beside a 100 MB one: picked in the find list, the map zoomed to their directory, where the
    // file is a fraction of a pixel, and nothing said where it was or why nothing was marked
    await withReport(
      [layer({ 'data/huge.bin': 100_000_000, 'data/tiny.txt': 20_000, 'data/mid.bin': 5_000_000 }, 'COPY . /')],
      'html-find-tiny.html',
      async ({ page, errors }) => {
        await page.locator('#find').fill('tiny');
        await page.locator('#found li').first().waitFor();
        await page.locator('#found button').first().click();
        expect(await page.locator('#crumbs').textContent()).toMatch(/^\/data\s/);
        expect(await page.locator('#treemap .cell.found').count()).toBe(0);
        expect(await page.locator('#found .unseen').textContent()).toBe(
          '/data/tiny.txt (20.0 kB) is too small to draw in /data.',
        );
        // A file drawn is marked, and the note goes
        await page.locator('#find').fill('mid');
        await page.locator('#found li', { hasText: 'mid.bin' }).waitFor();
        await page.locator('#found button').first().click();
        expect(await page.locator('#treemap .cell.found').getAttribute('data-path')).toBe('/data/mid.bin');
        expect(await page.locator('#found .unseen').count()).toBe(0);
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: the tables of sizes and paths in a wide window', () => {
  it('keeps each size beside its path, not half a screen away', async () => {
    // Given the biggest directories and files at 1280 px: the size and count columns shared the width with the path,
    // so "1.98 MB" stood some 500 px left of "/bin", too far to read along a row without losing it
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      const gaps = await page.locator('#biggest ~ .table tbody tr').evaluateAll((rows) =>
        rows.map((row) => {
          const cells = (row as unknown as { cells: { getBoundingClientRect(): { left: number; right: number } }[] })
            .cells;
          // From the end of the size (right-aligned) to the start of the path (the last cell)
          return Math.round(
            cells[cells.length - 1].getBoundingClientRect().left - cells[0].getBoundingClientRect().right,
          );
        }),
      );
      expect(gaps.length).toBeGreaterThan(5);
      for (const gap of gaps) expect(gap).toBeLessThan(120);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: the found mark across a redraw', () => {
  it('stays on the file found when the window is resized or a layer is picked', async () => {
    // Given a file picked in the find list: turning a phone (a resize) or picking a layer in the legend redraws the
    // map, and the outline of the file found was gone
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      const found = () => page.locator('#treemap .cell.found').getAttribute('data-path', { timeout: 2000 });
      await page.locator('#find').fill('main.js');
      await page.locator('#found li').first().waitFor();
      await page.locator('#found button').first().click();
      expect(await found()).toBe('/app/main.js');
      await page.setViewportSize({ width: 900, height: 700 });
      await page.waitForFunction('document.getElementById("treemap").clientWidth < 900');
      await page.waitForTimeout(300); // the redraw waits for the resizing to stop
      expect(await found()).toBe('/app/main.js');
      await page.locator('#legend button[data-layer="1"]').click();
      expect(await found()).toBe('/app/main.js');
      // Emptying the find box takes the mark away
      await page.locator('#find').focus();
      await page.keyboard.press('Escape');
      expect(await page.locator('#treemap .cell.found').count()).toBe(0);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: right-click on the map at the top', () => {
  it("leaves the browser's menu alone where there is nothing to step out of", async () => {
    // Given the map at its top: a right-click there did nothing, and took the browser's menu away too
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      // Whether the page took the menu away (a right-click's event, cancelled)
      const prevented = () =>
        page.evaluate(
          "!document.querySelector('#treemap .cell').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }))",
        );
      expect(await prevented()).toBe(false);
      // Zoomed in, it steps out (and the menu is not shown)
      await page.locator('#treemap .cell[data-path="/app"]').click({ position: { x: 6, y: 6 } });
      expect(await prevented()).toBe(true);
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/\s/);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: a long path above the map on a phone', () => {
  it('wraps a long directory name from the left, and keeps the size and count in one piece', async () => {
    // Given a directory name wider than a phone: its second line was centred under the first, like another crumb,
    // and "1.50 MB, 1 file" broke after "1.50"
    const long = 'a very long directory name that goes on and on and on';
    await withReport(
      [layer({ [`srv/${long}/and another level with a long name/file.tar.gz`]: 1_500_000 }, 'COPY . /')],
      'html-crumbs-phone.html',
      async ({ page, errors }) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.locator('#find').fill('file.tar');
        await page.locator('#found li').first().waitFor();
        await page.locator('#found button').first().click();
        const lines = await page.locator('#crumbs').evaluate((crumbs) => {
          const el = crumbs as unknown as {
            ownerDocument: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- no DOM types here
            querySelectorAll(s: string): any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
            lastChild: any; // eslint-disable-line @typescript-eslint/no-explicit-any
          };
          const rectsOf = (node: unknown) => {
            const range = el.ownerDocument.createRange();
            range.selectNodeContents(node);
            return [...range.getClientRects()] as { left: number }[];
          };
          const button = [...el.querySelectorAll('button')].find((b) => b.textContent.startsWith('a very'));
          return {
            wrapped: rectsOf(button).length,
            indent: Math.round(rectsOf(button)[1].left - button.getBoundingClientRect().left),
            total: rectsOf(el.lastChild).length,
          };
        });
        expect(lines).toEqual({ wrapped: 2, indent: 0, total: 1 });
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: the found mark under the pointer', () => {
  it('keeps the red outline of the path found while it is hovered, beside the hover mark', async () => {
    // Given a file picked in the find list: hovering it put the yellow hover outline in place of the red one, so the
    // path found was no longer marked where the pointer was
    await withPage(artifactPath('html-report.html'), async ({ page, errors }) => {
      await page.locator('#find').fill('main.js');
      await page.locator('#found li').first().waitFor();
      await page.locator('#found button').first().click();
      const cell = page.locator('#treemap .cell.found');
      expect(await cell.getAttribute('data-path')).toBe('/app/main.js');
      await cell.hover();
      await page.locator('#treemap .cell.found.hot').waitFor();
      const style = await cell.evaluate((el) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- no DOM types here
        const s = (globalThis as any).getComputedStyle(el);
        return { outline: s.outlineColor as string, shadow: s.boxShadow as string };
      });
      expect(style.outline).toBe('rgb(221, 0, 0)');
      // The hover still shows, inside the red
      expect(style.shadow).toContain('rgb(255, 212, 0)');
      expect(errors).toEqual([]);
    });
  }, 60_000);
});

describe('analyze --format html: finding words of the label of merged entries', () => {
  it('finds real paths only, not "5 small files" where small entries were merged', async () => {
    // Given small files merged into one leaf labelled "5 small files": typing `small` or `files` listed every such
    // leaf of the image (261 of them in a big one), none of which is a path in it
    await withReport(
      [
        layer(
          {
            'usr/bin/big': 3_000_000,
            'srv/small/data.bin': 200_000,
            'etc/big.conf': 500_000,
            // more than a directory keeps by name however small they are
            ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`etc/x${i}`, 100])),
          },
          'COPY . /',
        ),
      ],
      'html-find-merged-label.html',
      async ({ page, errors }) => {
        await page.locator('#find').fill('small');
        await page.locator('#found li').first().waitFor();
        expect(await page.locator('#found li').allTextContents()).toEqual([
          '/srv/small/  200 kB',
          '/srv/small/data.bin  200 kB',
        ]);
        await page.locator('#find').fill('files');
        await page.locator('#found .note', { hasText: 'No path holds files' }).waitFor();
        expect(await page.locator('#found li').count()).toBe(0);
        // Nor by the path of its directory: that finds the directory itself, and the files in it kept by name
        await page.locator('#find').fill('etc');
        await page.locator('#found li').first().waitFor();
        const rows = await page.locator('#found li').allTextContents();
        expect(rows.slice(0, 2)).toEqual(['/etc/  501 kB', '/etc/big.conf  500 kB']);
        expect(rows.filter((row) => row.includes('small'))).toEqual([]);
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: paths found where small entries were merged', () => {
  it('says beside the count that entries under the merge size are not searched by name', async () => {
    // Given small files merged per directory: when something else matched, nothing said that the small ones were
    // not searched, and the list read as every path holding what was typed
    await withReport(
      [
        layer(
          {
            'usr/bin/big': 3_000_000,
            'etc/big.conf': 500_000,
            ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`etc/x${i}.conf`, 100])),
          },
          'COPY . /',
        ),
      ],
      'html-find-merged-count.html',
      async ({ page, errors }) => {
        await page.locator('#find').fill('.conf');
        await page.locator('#found li').first().waitFor();
        expect(await page.locator('#found .note').textContent()).toBe(
          '8 paths hold .conf (most entries under 1.17 kB are merged, and not searched by name):',
        );
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: the page scrolled after a path is picked in the find list', () => {
  it('shows the path above the map and the top of the map, not the map alone', async () => {
    // Given a list of found paths pushing the map below the window: picking one scrolled the map's bottom into view,
    // and the path above the map, which says where the map zoomed, went off the top of the window
    await withReport(
      [
        layer(
          Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`usr/lib/d${i % 5}/libfoo${i}.so`, 100_000 + i])),
          'COPY . /',
        ),
      ],
      'html-find-scroll.html',
      async ({ page, errors }) => {
        await page.setViewportSize({ width: 1000, height: 700 });
        await page.locator('#find').fill('libfoo');
        await page.locator('#found li').first().waitFor();
        await page.locator('#found button').first().click();
        expect(await page.locator('#crumbs').textContent()).toMatch(/^\/usr\/lib\/d4\s/);
        const seen = await page.evaluate(() => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- no DOM types here
          const doc = (globalThis as any).document;
          return {
            crumbs: Math.round(doc.getElementById('crumbs').getBoundingClientRect().top),
            map: Math.round(doc.getElementById('treemap').getBoundingClientRect().top),
            height: (globalThis as unknown as { innerHeight: number }).innerHeight,
            scrolled: (globalThis as unknown as { scrollY: number }).scrollY,
          };
        });
        // The page did scroll, to the path above the map, and the map starts inside the window
        expect(seen.scrolled).toBeGreaterThan(0);
        expect(seen.crumbs).toBeGreaterThanOrEqual(0);
        expect(seen.map).toBeLessThan(seen.height - 100);
        expect(errors).toEqual([]);
      },
    );
  }, 60_000);
});

describe('analyze --format html: sorting a table by a column', () => {
  /** The first cell of each row of the table under `heading` (its `#`: the layers' names). */
  const firstCells = (page: Page, heading: string) =>
    page
      .locator(`h2#${heading} + .table tbody tr td:first-child`)
      .evaluateAll((cells) => cells.map((c) => (c as unknown as { textContent: string }).textContent.trim()));

  it('sorts by the value a size writes when a header is clicked, then reversed, and by the keyboard', async () => {
    // Given the demo image's report, its layers in image order: 1.98 MB, 850 kB, 1.00 MB, 405 kB, 405 kB, 0 B
    const file = artifactPath('html-sort.html');
    writeFileSync(
      file,
      renderAnalyzeHtml(
        await analyze({ image: 'examples/demo/demo.tar', dockerfile: 'examples/demo/Dockerfile', workers: 0 }),
      ),
    );
    await withPage(file, async ({ page, errors }) => {
      expect(await firstCells(page, 'layers')).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5']);
      const size = page.locator('h2#layers + .table thead th', { hasText: 'Size' });
      // When its Size header is clicked: the biggest first, 1.00 MB above 850 kB, equal sizes in image order
      await size.getByRole('button').click();
      expect(await firstCells(page, 'layers')).toEqual(['L0', 'L2', 'L1', 'L3', 'L4', 'L5']);
      expect(await size.getAttribute('aria-sort')).toBe('descending');
      // and clicked again: the smallest first
      await size.getByRole('button').click();
      expect(await firstCells(page, 'layers')).toEqual(['L5', 'L3', 'L4', 'L1', 'L2', 'L0']);
      expect(await size.getAttribute('aria-sort')).toBe('ascending');
      // A header reached with the keyboard sorts with Enter: back to image order by `#`, the other header unmarked
      const index = page.locator('h2#layers + .table thead th', { hasText: '#' });
      await index.getByRole('button').focus();
      await page.keyboard.press('Enter');
      expect(await firstCells(page, 'layers')).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5']);
      expect(await index.getAttribute('aria-sort')).toBe('ascending');
      expect(await size.getAttribute('aria-sort')).toBeNull();
      // and with Space, by a column of words: the findings' severities, then their rules
      const rule = page.locator('h2#findings + .table thead th', { hasText: 'Rule' });
      await rule.getByRole('button').focus();
      await page.keyboard.press(' ');
      const rules = await page
        .locator('h2#findings + .table tbody tr td:nth-child(2)')
        .evaluateAll((cells) => cells.map((c) => (c as unknown as { textContent: string }).textContent.slice(0, 5)));
      expect(rules).toEqual(['IM001', 'IM002', 'IM003', 'IM005']);
      expect(errors).toEqual([]);
    });
  });
});

describe('analyze --format html: sorting the packages by version', () => {
  it("orders the Version column as the package's manager does, dpkg's epoch first", async () => {
    // Given dpkg packages whose versions sort one way as text and another as dpkg orders them: an epoch (`1:3.8-4`)
    // is newer than any version without one, `-10` newer than `-2`, and `2.0~rc1` older than `2.0`
    const versions = ['2.0', '1:3.8-4', '1.0-10', '2.0~rc1', '1.0-2'];
    const names = versions.map((_, i) => `pkg${i}`);
    const status = versions
      .map((v, i) => `Package: ${names[i]}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n`)
      .join('\n');
    const files: LayerSpec['entries'] = { 'var/lib/dpkg/status': status };
    // Each its own size, so the report lists them biggest first, in neither order
    versions.forEach((_, i) => {
      files[`usr/lib/${names[i]}.so`] = 1000 * (versions.length - i);
      files[`var/lib/dpkg/info/${names[i]}.list`] = `/usr/lib/${names[i]}.so\n`;
    });
    await withReport([layer(files)], 'html-sort-versions.html', async ({ page, errors }) => {
      const shown = () =>
        page
          .locator('h2#packages + .table tbody tr td:nth-child(5)')
          .evaluateAll((cells) => cells.map((c) => (c as unknown as { textContent: string }).textContent.trim()));
      expect(await shown()).toEqual(versions);
      const header = page.locator('h2#packages + .table thead th', { hasText: 'Version' });
      // When the Version header is clicked: the oldest first, as dpkg orders them
      await header.getByRole('button').click();
      expect(await shown()).toEqual(['1.0-2', '1.0-10', '2.0~rc1', '2.0', '1:3.8-4']);
      // and clicked again: the newest first
      await header.getByRole('button').click();
      expect(await shown()).toEqual(['1:3.8-4', '2.0', '2.0~rc1', '1.0-10', '1.0-2']);
      expect(errors).toEqual([]);
    });
  }, 60_000);
});
