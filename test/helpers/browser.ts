// A real browser for the HTML report's tests: Debian's Chromium (scripts/setup-tests.sh installs it) driven by
// playwright-core, which brings no browser of its own. Tests that need it fail, with the fix, when it is missing.
// Pages are opened from file:// and every console error, page error, dialog and non-file request is recorded.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.BALLAST_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots and pages the tests leave for people to look at (git-ignored). */
export const artifactsDir = join(process.cwd(), 'test-artifacts');

export function artifactPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: run scripts/setup-tests.sh (apt-get install chromium) or set BALLAST_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** alert/confirm/prompt dialogs the page opened (dismissed). */
  dialogs: string[];
  /** Requests for anything but the file itself. */
  requests: string[];
}

export async function openFile(
  browser: Browser,
  file: string,
  viewport = { width: 1400, height: 900 },
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  const opened: OpenedPage = { page, errors: [], dialogs: [], requests: [] };
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error') opened.errors.push(m.text());
  });
  page.on('pageerror', (e) => opened.errors.push(e.message));
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) opened.requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return opened;
}

/** The text a reader sees of `selector` (innerText: what is not displayed is left out). */
export function seen(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => (el as unknown as { innerText: string }).innerText);
}
