// ink's per-frame text caches made to last across frames (src/ui/ink-line-cache.ts). This reaches into ink's
// internals, so it is checked against the installed ink: if an upgrade changes their shape, this fails and the
// keystroke cost of `explore` goes back up (bench/explore-keys.js) without anything else breaking.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { inkOutputGetters, shareInkLineCache } from '../../src/ui/ink-line-cache.js';

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

  it("composes a frame's rows exactly as ink's own Output#get does, and reuses rows across frames", async () => {
    const { Output, original, cached } = await inkOutputGetters();
    const red = (line: string) => `\u001b[31m${line}\u001b[39m`;
    const numbered = (line: string, index: number) => `${index}${line}`;
    // Plain, styled, wide (CJK, emoji), multi-line, off-grid, overlapping, clipped and wholly clipped-out writes.
    const writes = (o: {
      write(x: number, y: number, text: string, options: { transformers: ((l: string, i: number) => string)[] }): void;
      clip(c: object): void;
      unclip(): void;
    }) => {
      o.write(0, 0, 'ballast explore  image.oci', { transformers: [] });
      o.write(2, 1, '┌──────┐\n│ 日本 │\n└──────┘', { transformers: [red] });
      o.write(12, 1, 'a\nb\nc', { transformers: [numbered, red] });
      o.write(5, 2, '\u001b[1mbold\u001b[22m and 🙂 after', { transformers: [] });
      o.write(0, 3, 'x'.repeat(40), { transformers: [] });
      o.write(3, 3, 'over', { transformers: [red] });
      o.write(0, 7, 'off\nthe\ngrid', { transformers: [] });
      o.write(-2, 4, 'left of the screen', { transformers: [] });
      o.clip({ x1: 4, x2: 14, y1: 5, y2: 7 });
      o.write(1, 4, '0123456789abcdefghij\n0123456789abcdefghij\n\u001b[32m0123456789abcdefghij\u001b[39m', {
        transformers: [],
      });
      o.write(30, 5, 'outside the clip', { transformers: [] });
      o.unclip();
      o.write(20, 6, 'wider than the screen by far', { transformers: [] });
      // Styles set before plain ASCII (nested, reset halfway, or with nothing after them), as styled text nodes write.
      o.write(0, 6, '\u001b[1m\u001b[32m+ 1 kB\u001b[39m\u001b[22m', { transformers: [] });
      o.write(8, 6, '\u001b[7mab\u001b[27mcd\u001b[31m', { transformers: [] });
      o.write(14, 6, '\u001b[33m', { transformers: [] });
      o.write(0, 7, '\u001b[1;31mbold red\u001b[0m x', { transformers: [red] });
    };
    const frame = (get: typeof original) => {
      const o = new Output({ width: 30, height: 8 }) as unknown as Parameters<typeof writes>[0];
      writes(o);
      return get.call(o as never);
    };
    const expected = frame(original);
    expect(expected.output).toContain('│ 日');
    expect(expected.output).toContain('3456789abc');
    expect(frame(cached)).toEqual(expected);
    // The second frame takes its rows from the first: the same result again.
    expect(frame(cached)).toEqual(expected);
  });
});
