// Issue 10 "must show": the HTML report of the corpus `bloated` image, opened in Chromium, has a treemap in which
// /app, /var/lib/apt/lists and /usr are among the biggest areas, and the page names the deleted toolchain and the
// apt lists. The screenshot is left in test-artifacts/html-bloated.png. Skips loudly without the corpus.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderAnalyzeHtml } from '../../src/reporters/html.js';
import { analyze, type AnalyzeResult } from '../../src/services/analyze.js';
import { artifactPath, launchChromium, openFile, type OpenedPage } from '../helpers/browser.js';
import { corpusDir, corpusDockerfiles, describeWithCorpus } from '../helpers/corpus.js';

const artifact = join(corpusDir, 'bloated.oci');

interface Cell {
  path: string;
  area: number;
}

/** Every drawn cell with its on-screen area (the tests' tsconfig has no DOM types, hence the cast). */
function cells(page: Page): Promise<Cell[]> {
  return page.locator('#treemap .cell').evaluateAll((els) =>
    els.map((e) => {
      const el = e as unknown as {
        getAttribute(n: string): string;
        getBoundingClientRect(): { width: number; height: number };
      };
      const r = el.getBoundingClientRect();
      return { path: el.getAttribute('data-path'), area: r.width * r.height };
    }),
  );
}

describeWithCorpus('HTML report of the corpus bloated image', () => {
  let result: AnalyzeResult;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    result = await analyze({
      image: artifact,
      dockerfile: join(corpusDockerfiles, 'bloated.Dockerfile'),
      sizeTree: true,
    });
    writeFileSync(artifactPath('html-bloated.html'), renderAnalyzeHtml(result));
    browser = await launchChromium();
    opened = await openFile(browser, artifactPath('html-bloated.html'), { width: 1400, height: 1000 });
    await opened.page.screenshot({ path: artifactPath('html-bloated.png') });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws /usr, /app and /var/lib/apt/lists among the biggest areas of the treemap', async () => {
    const drawn = await cells(opened.page);
    const map = drawn.filter((c) => c.path.split('/').length === 2).sort((a, b) => b.area - a.area);
    // The four biggest top-level areas: the base and apt in /usr, the checkout and models in /app, apt in /var,
    // and the deleted (still shipped) toolchain in /opt.
    expect(
      map
        .slice(0, 4)
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/app', '/opt', '/usr', '/var']);
    const total = map.reduce((s, c) => s + c.area, 0);
    // /var/lib/apt/lists is drawn, as big as its bytes make it (less the room headers and padding take): about
    // an eighth of the whole map, more than /usr/share or /usr/bin.
    const lists = drawn.find((c) => c.path === '/var/lib/apt/lists');
    expect(lists).toBeDefined();
    const listsBytes = result.junk.find((j) => j.id === 'aptLists')!.bytes;
    expect(lists!.area / total).toBeGreaterThan((0.7 * listsBytes) / result.sizeTree!.root.bytes);
    expect(lists!.area / total).toBeGreaterThan(0.08);
    const usr = drawn
      .filter((c) => c.path.startsWith('/usr/') && c.path.split('/').length === 3 && c.path !== '/usr/lib')
      .sort((a, b) => b.area - a.area);
    expect(lists!.area).toBeGreaterThan(usr[0].area);
  });

  it('names the deleted toolchain and the apt lists', async () => {
    const text = await opened.page.locator('body').innerText();
    // The message's code span is a code element: the path reads without the backticks that fence it
    expect(text).toMatch(/adds 2 files under \/opt\/toolchain \(67\.1 MB\) that layer 5 \(line \d+\) deletes/);
    expect(
      await opened.page.locator('#findings + .table td:nth-child(5) code', { hasText: /^\/opt\/toolchain$/ }).count(),
    ).toBe(1);
    expect(text).toContain('apt package lists');
    expect(text).toMatch(/\/var\/lib\/apt\/lists/);
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });
  it('says in the find list what the Wasted files table says of a copy that changed mode or owner', async () => {
    // The chmod and chown copies of the model read "copied again unchanged" in the find list, while the table beside
    // it said "copied again, same content (mode changed)": the metadata did change.
    const p = opened.page;
    await p.locator('#find').fill('model.bin');
    await p.locator('#found button').first().waitFor();
    const found = (await p.locator('#found button').allTextContents()).filter((t) => t.includes(' by L'));
    const table = await p.locator('#wasted + .table tbody tr').allInnerTexts();
    const causes = table.filter((row) => row.includes('/app/data/model.bin')).map((row) => row.split('\t')[1]);
    expect(causes).toEqual(
      expect.arrayContaining([
        'copied again, same content (mode changed)',
        'copied again, same content (owner changed)',
      ]),
    );
    for (const cause of ['copied again, same content (mode changed)', 'copied again, same content (owner changed)'])
      expect(found.some((t) => t.includes(`, ${cause} by L`))).toBe(true);
    expect(found.join('\n')).not.toContain('unchanged');
    await p.locator('#find').fill('');
  });
  it('is readable at 400 px: table rows stack, no row scrolls sideways, the title and paths break at /, . or : not mid-word, and 1280 px keeps its layout', async () => {
    // At 400 px the Where and Path columns were off screen and the cells beside them wrapped a word a line: rows
    // 100-150 px tall with the path out of view; the Dockerfile path and the title broke mid-word.
    const { page: p } = await openFile(browser, artifactPath('html-bloated.html'), { width: 400, height: 900 });
    try {
      expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
      for (const section of ['#findings', '#layers', '#wasted']) {
        const rows = await p.locator(`${section} + .table tbody tr`).evaluateAll((trs) =>
          trs.map((tr) => {
            const row = tr as unknown as {
              scrollWidth: number;
              clientWidth: number;
              getBoundingClientRect(): { height: number; right: number };
              querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { right: number } }>;
            };
            const codes = [...Array.from(row.querySelectorAll('code'))].map((c) => c.getBoundingClientRect().right);
            return {
              overflow: row.scrollWidth - row.clientWidth,
              height: row.getBoundingClientRect().height,
              right: Math.max(row.getBoundingClientRect().right, ...codes),
            };
          }),
        );
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) {
          expect(r.overflow).toBeLessThanOrEqual(0);
          // the path and where are in view
          expect(r.right).toBeLessThanOrEqual(400);
          expect(r.height).toBeLessThan(section === '#findings' ? 260 : 200);
        }
      }
      // The title breaks at a space, after a / or before a ., never inside a word; so do the Dockerfile paths of the
      // Where cells and the Layers table, and the Wasted files paths (a Where cell read "bloated.Dockerfi" / "le:19"),
      // which may also break before the : of a line number.
      const breaks = (selector: string): Promise<string[]> =>
        p.evaluate(`(() => {
          const out = [];
          for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            const chars = [];
            for (let n = walker.nextNode(); n; n = walker.nextNode())
              for (let i = 0; i < n.length; i++) {
                const r = document.createRange();
                r.setStart(n, i);
                r.setEnd(n, i + 1);
                const rect = r.getClientRects()[0];
                if (rect) chars.push([n.data[i], Math.round(rect.top)]);
              }
            for (let i = 1; i < chars.length; i++)
              if (chars[i][1] > chars[i - 1][1] + 4) out.push(chars[i - 1][0] + '|' + chars[i][0]);
          }
          return out;
        })()`);
      const title = await breaks('h1');
      expect(title.length).toBeGreaterThan(0);
      // (a hyphen, as in a checkout at /tmp/wt-x or in /usr/share/locale/pt-br, is the browser's ordinary break)
      for (const b of title) expect(b).toMatch(/^(\/\||.\|\.| \||.\| |-\|)/s);
      const where = await breaks('#findings + .table td[data-label="Where"] code');
      expect(where.length).toBeGreaterThan(0);
      const paths = [
        ...where,
        ...(await breaks('#layers + .table td[data-label="Dockerfile line"] code')),
        ...(await breaks('#wasted + .table td[data-label="Path"] code')),
      ];
      for (const b of paths) expect(b).toMatch(/^(\/\||.\|[.:]| \||.\| |-\|)/s);
      await p.screenshot({ path: artifactPath('html-bloated-400.png'), fullPage: true });
    } finally {
      await p.close();
    }
    // On a desktop those break points are not there: breaking paths at 1400 px changed the tables' layout. Every row
    // stands as tall as it does with the points taken out of the page.
    const { page: desk } = await openFile(browser, artifactPath('html-bloated.html'), { width: 1280, height: 900 });
    try {
      const heights = (): Promise<number[]> =>
        desk.evaluate(`[...document.querySelectorAll('.table tr')].map((tr) => tr.getBoundingClientRect().height)`);
      expect(await desk.locator('td wbr').count()).toBeGreaterThan(0);
      const shown = await heights();
      await desk.evaluate(`document.querySelectorAll('td wbr').forEach((w) => w.remove())`);
      expect(await heights()).toEqual(shown);
    } finally {
      await desk.close();
    }
  });
  it('breaks a path in the tables only where it is wider than its line', async () => {
    // At the end of a line "/app/.env" read "/ap" and, on the next, "p/.env" (and /var/lib/apt/lists, /opt/toolchain
    // and a dozen more in the findings), though the next line had room for each whole.
    const split = await opened.page.locator('td code').evaluateAll((codes) =>
      codes.flatMap((c) => {
        const code = c as unknown as {
          textContent: string;
          ownerDocument: {
            createRange(): { selectNodeContents(n: unknown): void; getClientRects(): { top: number }[] };
          };
          closest(s: string): { clientWidth: number };
          getBoundingClientRect(): { width: number };
          style: { whiteSpace: string };
        };
        // Paths only: a break after a hyphen ("--chown/--chmod") is the browser's ordinary one.
        if (!/^\/\S+$/.test(code.textContent)) return [];
        const range = code.ownerDocument.createRange();
        range.selectNodeContents(code);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        if (lines < 2) return [];
        code.style.whiteSpace = 'nowrap';
        const whole = code.getBoundingClientRect().width;
        code.style.whiteSpace = '';
        // (16px: the cell's padding)
        return whole <= code.closest('td').clientWidth - 16 ? [code.textContent] : [];
      }),
    );
    expect(split).toEqual([]);
  });
});
