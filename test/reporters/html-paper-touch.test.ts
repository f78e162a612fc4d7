// The `analyze --format html` page where there is no mouse: on paper (print media, PDF) and on a touch screen. And
// the hover ring on cells too small for it.
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze } from '../../src/services/analyze.js';
import { artifactPath, launchChromium, openFile, seen } from '../helpers/browser.js';
import { WHITEOUT, buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';
import { pathToFileURL } from 'node:url';

let browser: Browser;
let image: BuiltImage;
let file: string;

// Two directories and some files, one of them deleted by a later layer (hidden bytes, hatched on the map); /many
// holds files small enough to be drawn as cells a few pixels wide.
beforeAll(async () => {
  const many: Record<string, number> = {};
  for (let i = 0; i < 150; i++) many[`many/f${String(i).padStart(3, '0')}`] = 1_200 + i * 20;
  image = await buildOciLayout([
    layer({ 'usr/bin/busybox': 900_000, 'usr/lib/libc.so.6': 600_000, 'etc/passwd': 1_000 }, 'ADD rootfs.tar /'),
    layer({ 'app/main.js': 250_000, 'app/data.bin': 200_000, 'opt/tool/cc': 700_000, ...many }, 'COPY . /'),
    layer({ 'opt/tool/.wh.cc': WHITEOUT }, 'RUN rm /opt/tool/cc'),
  ]);
  file = artifactPath('html-paper-touch.html');
  writeFileSync(file, renderAnalyzeHtml(await analyze({ image: image.path, workers: 0, sizeTree: true })));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  image?.cleanup();
});

describe('analyze --format html printed: the help under the map', () => {
  it('says on paper only what paper can do (area, colour, merging), and keeps the whole help on screen', async () => {
    // Given the page printed: the help spoke of clicking, keys, right-click and the find box, none of which paper has
    const { page, errors } = await openFile(browser, file);
    try {
      const screen = await seen(page, '#treemap-help');
      expect(screen).toMatch(/click a layer below/);
      expect(screen).toMatch(/Click a directory .* press Backspace to zoom out; type in the find box/);
      await page.emulateMedia({ media: 'print' });
      const paper = await seen(page, '#treemap-help');
      // Then the paper keeps what the map means, and not a word of how to work it
      expect(paper).toMatch(/^Area is bytes; colour is the layer that added them \(see the layer table\)\. /);
      expect(paper).toMatch(/Entries under [\d.]+ [kM]?B, but the biggest few of each directory, are merged/);
      expect(paper).not.toMatch(/click|\bkeys?\b|\bTab\b|\bEnter\b|Backspace|find box|\btype\b/i);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html printed: hidden bytes on or off', () => {
  it('says in words whether the map includes the hidden bytes, as it was when printed, not a checkbox', async () => {
    // Given the page printed: "show hidden bytes" came out as a form control with an order to the reader
    const { page, errors } = await openFile(browser, file);
    try {
      const toolbar = () => seen(page, '.toolbar');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#show-hidden').isVisible()).toBe(false);
      expect(await toolbar()).not.toMatch(/show hidden/);
      expect(await toolbar()).toMatch(/The map includes hidden bytes \(.*\), hatched\./);
      // When they are switched off before printing
      await page.emulateMedia({ media: 'screen' });
      await page.locator('#show-hidden').uncheck();
      expect(await toolbar()).toMatch(/^\/.*\s+show hidden bytes/);
      await page.emulateMedia({ media: 'print' });
      // Then the paper says they are left out
      expect(await toolbar()).not.toMatch(/show hidden|includes hidden/);
      expect(await toolbar()).toMatch(/The map leaves out hidden bytes \(.*\)\./);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html printed with a layer picked in the legend', () => {
  it('says in words which layer the map picks out, as it was when printed', async () => {
    // Given layer L1 picked before printing: the map printed with every other layer dimmed, and nothing but a thin
    // outline round "L1" in the legend said why
    const { page, errors } = await openFile(browser, file);
    try {
      const sentence = /The map picks out layer L1: what holds none of its bytes is dimmed\./;
      await page.locator('#legend button[data-layer="1"]').click();
      expect(await seen(page, '.toolbar')).not.toMatch(/picks out/);
      await page.emulateMedia({ media: 'print' });
      expect(await seen(page, '.toolbar')).toMatch(sentence);
      // When it is unpicked, or another one picked, the paper says so
      await page.emulateMedia({ media: 'screen' });
      await page.locator('#legend button[data-layer="1"]').click();
      await page.emulateMedia({ media: 'print' });
      expect(await seen(page, '.toolbar')).not.toMatch(/picks out/);
      await page.emulateMedia({ media: 'screen' });
      await page.locator('#legend button[data-layer="2"]').click();
      await page.emulateMedia({ media: 'print' });
      expect(await seen(page, '.toolbar')).toMatch(/The map picks out layer L2: /);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html printed after a search', () => {
  it('says what was searched for, where the find box it was typed in is left out', async () => {
    // Given a search: printed, the list began "1 path holds busybox:" with no find box, and never said it was a search
    const { page, errors } = await openFile(browser, file);
    try {
      await page.locator('#find').fill('busybox');
      await page.locator('#found li').first().waitFor();
      const screen = await seen(page, '#found');
      expect(screen).toMatch(/^1 path holds busybox/);
      await page.emulateMedia({ media: 'print' });
      expect(await seen(page, '#found')).toMatch(/^Search for “busybox”: 1 path holds it \(.*\):\n/);
      // And one that found nothing
      await page.emulateMedia({ media: 'screen' });
      await page.locator('#find').fill('no such name');
      await page.locator('#found .note', { hasText: 'No path holds no such name' }).waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await seen(page, '#found')).toMatch(/^Search for “no such name”: no path holds it[;.]/);
      // while the screen reads as before
      await page.emulateMedia({ media: 'screen' });
      expect(await seen(page, '#found')).toMatch(/^No path holds no such name[;.]/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('analyze --format html on a touch screen', () => {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('shows the tip of a tapped file, zooms into a tapped directory and hides the tip on a tap elsewhere', async () => {
    // Given a phone: there is no hover, so the size, path and layer of a file were out of reach (a tap zoomed)
    const crumbs = () => page.locator('#crumbs').textContent();
    expect(await crumbs()).toMatch(/^\/\s/);
    const tip = page.locator('#tip');
    // When a file is tapped
    await page.locator('#treemap .cell[data-path="/usr/bin/busybox"]').tap();
    // Then its tip shows, and the map stays where it was
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/^\/usr\/bin\/busybox\n900 kB\nadded by L0/);
    expect(await crumbs()).toMatch(/^\/\s/);
    expect(await page.locator('#treemap .cell.hot').getAttribute('data-path')).toBe('/usr/bin/busybox');
    // When another file is tapped, its tip replaces the first
    await page.locator('#treemap .cell[data-path="/app/main.js"]').tap();
    expect(await tip.textContent()).toMatch(/^\/app\/main\.js\n250 kB/);
    expect(await page.locator('#treemap .cell.hot').count()).toBe(1);
    // When the page outside the map is tapped, the tip goes
    await page.locator('h1').tap();
    expect(await tip.isVisible()).toBe(false);
    expect(await page.locator('#treemap .cell.hot').count()).toBe(0);
    // When a directory is tapped (on its name), the map zooms into it, and no tip is left behind
    await page.locator('#treemap .cell[data-path="/app/main.js"]').tap();
    await page.locator('#treemap .cell[data-path="/many"]').tap({ position: { x: 30, y: 7 } });
    expect(await crumbs()).toMatch(/^\/many\s/);
    expect(await tip.isVisible()).toBe(false);
    // When the tapped file is tapped again, its tip goes
    const file = page.locator('#treemap .cell[data-path="/many/f149"]');
    await file.tap();
    expect(await tip.textContent()).toMatch(/^\/many\/f149\n/);
    await file.tap();
    expect(await tip.isVisible()).toBe(false);
    expect(await crumbs()).toMatch(/^\/many\s/);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('analyze --format html on a touch screen: a resize that changes nothing', () => {
  it("keeps a tapped file's tip when the window reports a resize but the map keeps its size", async () => {
    // Given a phone: it fires resize events as its toolbars come and go (and one came late after the page loaded on a
    // slow machine); each redrew the map, which dropped the tip a tap had just shown and its ring
    const { context, page, errors } = await onPhone();
    try {
      await page.locator('#treemap .cell[data-path="/usr/bin/busybox"]').tap();
      await page.evaluate("window.dispatchEvent(new Event('resize'))");
      // (past the redraw's 100 ms debounce)
      await page.waitForTimeout(400);
      expect(await page.locator('#tip').isVisible()).toBe(true);
      expect(await page.locator('#treemap .cell.hot').getAttribute('data-path')).toBe('/usr/bin/busybox');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

/** A page of the report on a phone of its own (a zoom is kept in the history, so each test starts at the top). */
async function onPhone(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  return { context, page, errors };
}

describe('analyze --format html on a touch screen: a long press', () => {
  it('shows the tip of the cell pressed, and never zooms out', async () => {
    // Given a phone, zoomed into /many: a long press (which asks what a thing is) fires contextmenu, which zoomed out
    const { context, page, errors } = await onPhone();
    try {
      const crumbs = () => page.locator('#crumbs').textContent();
      await page.locator('#treemap .cell[data-path="/many"]').tap({ position: { x: 30, y: 7 } });
      expect(await crumbs()).toMatch(/^\/many\s/);
      // When a file is pressed long (Playwright has none: the events a browser fires for one, here where a finger on
      // the cell's name would be)
      const longPress = (path: string) =>
        page.locator(`#treemap .cell[data-path="${path}"]`).evaluate((cell) => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- no DOM types here
          const [el, g] = [cell, globalThis] as any[];
          const r = el.getBoundingClientRect();
          const at = {
            bubbles: true,
            cancelable: true,
            clientX: r.left + r.width / 2,
            clientY: r.top + Math.min(7, r.height / 2),
          };
          el.dispatchEvent(new g.PointerEvent('pointerdown', { ...at, pointerType: 'touch', isPrimary: true }));
          // (false: the page took it, and the browser's menu is not shown)
          return el.dispatchEvent(new g.MouseEvent('contextmenu', at)) as boolean;
        });
      const menu = await longPress('/many/f149');
      // Then the map stays where it was, and the file's tip shows in place of the browser's menu
      expect(await crumbs()).toMatch(/^\/many\s/);
      expect(await page.locator('#tip').isVisible()).toBe(true);
      expect(await page.locator('#tip').textContent()).toMatch(/^\/many\/f149\n/);
      expect(menu).toBe(false);
      // And at the top, a directory pressed long shows its tip too, and is not zoomed into
      await page.goBack();
      expect(await crumbs()).toMatch(/^\/\s/);
      await longPress('/usr');
      expect(await crumbs()).toMatch(/^\/\s/);
      expect(await page.locator('#tip').textContent()).toMatch(/^\/usr\n1\.50 MB in 2 files\n/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('analyze --format html on a touch screen: a tap on a header', () => {
  it("zooms into the directory whose header was tapped, not the one inside it the browser's tap moved to", async () => {
    // Given a phone: Chromium moves a tap onto a nearby element that can be clicked, the innermost, so a tap on
    // /usr's name (its 16 px header, right above /usr/bin) opened /usr/bin
    const { context, page, errors } = await onPhone();
    try {
      await page.locator('#treemap .cell[data-path="/usr"]').tap({ position: { x: 30, y: 7 } });
      expect(await page.locator('#crumbs').textContent()).toMatch(/^\/usr\s/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('analyze --format html: the hover ring on a tiny cell', () => {
  it('leaves the colour of a cell a few pixels wide visible under the pointer', async () => {
    // Given cells under 12 px: the 2 px ring drawn inside them (with their border) covered the whole cell, so the
    // layer's colour vanished where the pointer was
    const { page, errors } = await openFile(browser, file, { width: 390, height: 844 });
    try {
      const tiny = await page.locator('#treemap .cell.leaf').evaluateAll((cells) =>
        cells
          .map((c) => {
            const el = c as unknown as {
              getAttribute(n: string): string;
              getBoundingClientRect(): { width: number; height: number };
            };
            const r = el.getBoundingClientRect();
            return { path: el.getAttribute('data-path'), side: Math.min(r.width, r.height), r };
          })
          .filter((c) => c.side < 12)
          .sort((a, b) => a.side - b.side),
      );
      expect(tiny.length).toBeGreaterThan(0);
      const cell = page.locator(`#treemap .cell[data-path="${tiny[0].path}"]`);
      const colour = await cell.evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
            .backgroundColor,
      );
      await cell.hover();
      await page.locator('#treemap .cell.hot').waitFor();
      // Then, hovered, the smallest cell still shows its colour inside its border: its screenshot holds as many pixels
      // of it as are inside the 1 px border
      expect(tiny[0].side).toBeLessThanOrEqual(5);
      const png = await cell.screenshot();
      const { width, height } = tiny[0].r;
      expect(await countPixels(png, colour)).toBeGreaterThanOrEqual(Math.floor(width - 2) * Math.floor(height - 2));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

/** How many pixels of `png` are `colour` (an `rgb(r, g, b)`), give or take a little; decoded in the browser. */
async function countPixels(png: Buffer, colour: string): Promise<number> {
  const [r, g, b] = colour.match(/\d+/g)!.map(Number);
  const other = await browser.newPage();
  try {
    return await other.evaluate(
      async ({ src, want }) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- no DOM types here
        const doc = (globalThis as any).document;
        const img = doc.createElement('img');
        img.src = src;
        await img.decode();
        const canvas = doc.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const data: Uint8ClampedArray = ctx.getImageData(0, 0, img.width, img.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
          if (Math.abs(data[i] - want[0]) + Math.abs(data[i + 1] - want[1]) + Math.abs(data[i + 2] - want[2]) < 12) n++;
        return n;
      },
      { src: `data:image/png;base64,${png.toString('base64')}`, want: [r, g, b] },
    );
  } finally {
    await other.close();
  }
}

/** Scrolls the map to the top of the window and lets it settle (a touch screen's points are the window's). */
async function mapInView(page: Page): Promise<void> {
  await page.locator('#treemap').evaluate((el) => (el as unknown as { scrollIntoView(): void }).scrollIntoView());
  await page.waitForFunction(() => (globalThis as unknown as { scrollY: number }).scrollY > 0);
  await page.waitForTimeout(200);
}

/** Where `selector`'s box is in the window. */
async function rect(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not drawn`);
  return box;
}

describe('analyze --format html on a touch screen: where the tip of a tap shows', () => {
  it('places the tip by where the finger touched, not by the click Chromium moved onto the cell', async () => {
    // Given a phone, and a finger just left of the map beside /usr/bin/busybox: Chromium moves the tap's click a few
    // pixels, into the cell, and the tip stood that far off from the finger
    const { context, page, errors } = await onPhone();
    try {
      await mapInView(page);
      const map = await rect(page, '#treemap');
      const file = await rect(page, '#treemap .cell[data-path="/usr/bin/busybox"]');
      const at = { x: map.x - 1, y: file.y + 30 };
      await page.touchscreen.tap(at.x, at.y);
      // Then the file's tip shows, 12 px right of and 14 px below the finger, as it does from a mouse pointer
      const tip = page.locator('#tip');
      expect(await tip.textContent()).toMatch(/^\/usr\/bin\/busybox\n/);
      const shown = await rect(page, '#tip');
      expect(Math.abs(shown.x - (at.x + 12))).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.y - (at.y + 14))).toBeLessThanOrEqual(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('analyze --format html on a touch screen: a finger held', () => {
  it('shows the tip while the finger is held, and the finger lifting does not also zoom', async () => {
    // Given a phone and a finger held on /usr's name: Chromium sends no contextmenu for it (only a phone's browser
    // does) but a click when the finger lifts, so a long press zoomed into /usr like a tap, and showed no tip
    const { context, page, errors } = await onPhone();
    try {
      await mapInView(page);
      const crumbs = () => page.locator('#crumbs').textContent();
      const tip = page.locator('#tip');
      const usr = await rect(page, '#treemap .cell[data-path="/usr"]');
      const cdp = await context.newCDPSession(page);
      const hold = async (x: number, y: number, path: string) => {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
        // Held until the pressed cell's tip shows (the page's long press is 500 ms; a loaded machine may run its timer
        // late), at most 5 s: a page that shows nothing for a finger held fails here
        await page.waitForTimeout(600);
        const shows = async () => (await tip.isVisible()) && (await tip.textContent())?.startsWith(`${path}\n`);
        for (let waited = 0; waited < 5000 && !(await shows()); waited += 100) await page.waitForTimeout(100);
        const during = (await tip.isVisible()) ? await tip.textContent() : null;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        await page.waitForTimeout(200);
        return during;
      };
      // When /usr is held
      const during = await hold(usr.x + 30, usr.y + 7, '/usr');
      // Then its tip shows while the finger is down, and stays after it lifts, with the map where it was
      expect(during).toMatch(/^\/usr\n1\.50 MB in 2 files\n/);
      expect(await crumbs()).toMatch(/^\/\s/);
      expect(await tip.textContent()).toMatch(/^\/usr\n/);
      expect(await tip.isVisible()).toBe(true);
      // And a file held shows its tip too, which the finger lifting does not hide
      const file = await rect(page, '#treemap .cell[data-path="/app/main.js"]');
      expect(await hold(file.x + 20, file.y + 30, '/app/main.js')).toMatch(/^\/app\/main\.js\n/);
      expect(await tip.isVisible()).toBe(true);
      expect(await tip.textContent()).toMatch(/^\/app\/main\.js\n/);
      // And the next tap is a tap again: /usr's name tapped zooms into it
      await page.touchscreen.tap(usr.x + 30, usr.y + 7);
      expect(await crumbs()).toMatch(/^\/usr\s/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('analyze --format html on a touch screen: a finger just beside a small cell', () => {
  let small: BuiltImage;
  let smallFile: string;
  // /srv: one big file and 30 small directories, each drawn as one block a few tens of pixels wide on a phone.
  beforeAll(async () => {
    const dirs: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const d = `srv/d${String(i).padStart(2, '0')}`;
      dirs[`${d}/a.bin`] = 6_000 + i * 100;
      dirs[`${d}/b.bin`] = 5_000;
    }
    small = await buildOciLayout([layer({ 'srv/big.bin': 2_000_000, ...dirs }, 'COPY . /')]);
    smallFile = artifactPath('html-touch-small-dirs.html');
    writeFileSync(smallFile, renderAnalyzeHtml(await analyze({ image: small.path, workers: 0, sizeTree: true })));
  }, 60_000);
  afterAll(() => small?.cleanup());

  it('opens the small directory the finger came down beside, not the directory round it', async () => {
    // Given a phone: a finger touching /srv's padding a pixel or two from a small directory (well within a finger's
    // width) was on /srv, and zoomed into /srv instead
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(pathToFileURL(smallFile).href);
      await mapInView(page);
      const crumbs = () => page.locator('#crumbs').textContent();
      expect(await crumbs()).toMatch(/^\/\s/);
      const srv = await rect(page, '#treemap .cell[data-path="/srv"]');
      // A small directory drawn against /srv's bottom edge (its border and padding, under 4 px)
      const blocks = await page.locator('#treemap .cell.block').evaluateAll((cells) =>
        cells.map((c) => {
          const el = c as unknown as { getAttribute(n: string): string; getBoundingClientRect(): DOMRectLike };
          const r = el.getBoundingClientRect();
          return { path: el.getAttribute('data-path'), left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
      const below = (b: DOMRectLike) => srv.y + srv.height - b.bottom;
      const edge = blocks.find((b) => below(b) >= 1 && below(b) < 4);
      expect(edge).toBeDefined();
      expect(edge!.right - edge!.left).toBeLessThan(40);
      // When the finger comes down 1 px below it, on /srv's edge
      await page.touchscreen.tap((edge!.left + edge!.right) / 2, edge!.bottom + 1);
      // Then the small directory is opened
      expect(await crumbs()).toMatch(new RegExp(`^${edge!.path}\\s`));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

interface DOMRectLike {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
