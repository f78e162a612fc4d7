// ink's per-frame text caches made to last across frames (src/ui/ink-line-cache.ts). This reaches into ink's
// internals, so it is checked against the installed ink: if an upgrade changes their shape, this fails and the
// keystroke cost of `explore` goes back up (bench/explore-keys.js) without anything else breaking.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { shareInkLineCache } from '../../src/ui/ink-line-cache.js';

type Output = { caches: { getStyledChars(line: string): unknown; getStringWidth(text: string): number } };

async function inkOutput(): Promise<new (options: { width: number; height: number }) => Output> {
  const entry = createRequire(import.meta.url).resolve('ink');
  return (
    (await import(new URL('./output.js', pathToFileURL(entry)).href)) as {
      default: new (options: { width: number; height: number }) => Output;
    }
  ).default;
}

describe('shareInkLineCache', () => {
  it('makes two frames of ink share the parsed lines (the installed ink has the shape it expects)', async () => {
    expect(await shareInkLineCache()).toBe(true);
    expect(await shareInkLineCache()).toBe(true);
    const Output = await inkOutput();
    const first = new Output({ width: 80, height: 24 });
    const second = new Output({ width: 80, height: 24 });
    const line = '\u001b[31m> 12.3 MB W  usr/\u001b[39m';
    const parsed = first.caches.getStyledChars(line);
    // The very same parsed characters, not a second parse: the second frame did no work for this line.
    expect(second.caches.getStyledChars(line)).toBe(parsed);
    expect(parsed).toHaveLength(17);
    expect(second.caches.getStringWidth('日本')).toBe(4);
  });
});
