// The `analyze --format html` map with a layer picked in the legend, zoomed into a directory that layer added nothing
// to: every cell dims, and the page must say why rather than show a grey map.
import { writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze } from '../../src/services/analyze.js';
import { artifactPath, launchChromium, openFile, seen } from '../helpers/browser.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

let browser: Browser;
let image: BuiltImage;
let file: string;

beforeAll(async () => {
  image = await buildOciLayout([
    layer({ 'usr/bin/busybox': 900_000, 'etc/passwd': 1_000 }, 'ADD rootfs.tar /'),
    layer({ 'app/main.js': 250_000, 'app/data.bin': 200_000 }, 'COPY . /app'),
    layer({ 'opt/tool/cc': 700_000 }, 'RUN fetch tool'),
  ]);
  file = artifactPath('html-picked-layer.html');
  writeFileSync(file, renderAnalyzeHtml(await analyze({ image: image.path, workers: 0, sizeTree: true })));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  image?.cleanup();
});

describe('analyze --format html with a layer picked that added nothing where the map is zoomed', () => {
  it('says on screen that the layer added nothing here, and stops saying it where the layer has bytes', async () => {
    const { page, errors } = await openFile(browser, file);
    try {
      // Given the map zoomed into /app (L1's) and L2 picked: every cell of /app dimmed, nothing said why
      await page
        .locator('[data-path="/app"]')
        .first()
        .click({ position: { x: 6, y: 6 } });
      expect(await seen(page, '#crumbs')).toMatch(/^\/app/);
      await page.locator('#legend button[data-layer="2"]').click();
      expect(await seen(page, '.toolbar')).toMatch(/L2 added nothing under \/app/);
      // When the layer picked has bytes here, or none is picked, the sentence goes
      await page.locator('#legend button[data-layer="1"]').click();
      expect(await seen(page, '.toolbar')).not.toMatch(/added nothing/);
      await page.locator('#legend button[data-layer="2"]').click();
      await page.locator('#legend button[data-layer="2"]').click();
      expect(await seen(page, '.toolbar')).not.toMatch(/added nothing/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
