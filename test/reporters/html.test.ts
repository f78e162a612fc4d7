// `ballast analyze IMAGE --format html` (issue 10): one self-contained page, checked as text (escaping, nothing
// fetched, deterministic) and in a real browser (Debian's Chromium through playwright-core): it renders without
// console errors, the treemap draws, clicking a directory zooms into it, and file names from the image, which are
// attacker-controlled, stay text. Screenshots land in test-artifacts/ for people to look at.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { artifactPath, launchChromium, openFile } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { WHITEOUT, buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

// File names an attacker could put in an image to run script in whoever opens the report.
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(2)</script>';
const ATTR = '" onmouseover="alert(3)" x="';
const HISTORY = '/bin/sh -c echo "</script><script>alert(4)</script>" > /app/x';

/** The path of every cell the treemap drew (the tests' tsconfig has no DOM types, hence the cast). */
function cellPaths(page: Page): Promise<(string | null)[]> {
  return page.locator('#treemap .cell').evaluateAll((cells) => cells.map((c) => (c as unknown as { getAttribute(name: string): string | null }).getAttribute('data-path')));
}

let image: BuiltImage;
let result: AnalyzeResult;
let html: string;
let browser: Browser;

beforeAll(async () => {
  image = await buildOciLayout([
    layer({ 'usr/bin/busybox': 900_000, 'usr/lib/libc.so.6': 600_000, 'etc/passwd': 1_000 }, '/bin/sh -c #(nop) ADD file:base in /'),
    layer({ [`app/${IMG}`]: 300_000, [`app/${SCRIPT}`]: 200_000, [`app/${ATTR}`]: 150_000, 'app/main.js': 250_000, 'opt/toolchain/cc': 700_000 }, HISTORY),
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
    expect(html).toContain(`/app/&lt;img src=x onerror=alert(1)&gt;`);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(4)&lt;/script&gt;');
    expect(html).toContain('&quot; onmouseover=&quot;alert(3)&quot; x=&quot;');
  });

  it('shows the layer table, wasted files and findings with their fixes', () => {
    expect(html).toContain('<h2 id="layers">Layers</h2>');
    expect(html).toMatch(/<code>\/opt\/toolchain\/cc<\/code>/);
    expect(html).toMatch(/IM003<br>/);
    expect(html).toContain('Delete files in the step that creates them');
  });
});

describe('analyze --format html in Chromium', () => {
  it('renders without errors, draws the treemap and zooms into a clicked directory', async () => {
    const { page, errors, dialogs, requests } = await openFile(browser, artifactPath('html-report.html'));
    try {
      // Top level: the biggest directories of the image are cells of the treemap.
      const top = await cellPaths(page);
      expect(top).toEqual(expect.arrayContaining(['/usr', '/app', '/opt']));
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/\s+3\.\d+ MB, \d+ files$/);
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

      // Backspace steps back out; switching hidden bytes off removes the deleted toolchain.
      await page.keyboard.press('Backspace');
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/\s/);
      expect(await page.locator('#treemap .cell[data-path="/opt"]').count()).toBe(1);
      await page.locator('#show-hidden').uncheck();
      expect(await page.locator('#treemap .cell[data-path="/opt"]').count()).toBe(0);

      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('ballast analyze --format html (CLI)', () => {
  it('writes the page with -o and keeps --json without the tree', async () => {
    const out = artifactPath('html-cli.html');
    const written = await runCli(['analyze', image.path, '--format', 'html', '-o', out]);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    const page = readFileSync(out, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('id="ballast-data"');
    const json = await runCli(['analyze', image.path, '--format', 'html', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('sizeTree');
  }, 60_000);
});
