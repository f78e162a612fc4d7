// ink draws every frame from scratch: each line of text is parsed into styled characters (ANSI codes read, one
// object and one width per character) through a cache that lives for that one frame. Between two keystrokes of
// `explore` nearly every line on screen is the same as before, so a cache that outlives the frame saves most of a
// frame's work (the largest part of a keystroke's CPU on the 45k-file corpus image, bench/explore-keys.js).
//
// ink does not export that cache. Its class is reached through an instance of ink's own Output (the module ink
// itself loads, so the very class it uses), and its look-ups, which are pure functions of the text, are wrapped.
// If ink changes shape, nothing is wrapped and ink draws as before, only slower (test/ui/ink-line-cache.test.ts
// tells which).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Distinct lines (about 20 screens of 24; each line is some 80 small objects) kept across frames, then the cache starts over. */
const MAX_ENTRIES = 512;
const SHARED = Symbol.for('ballast.inkLineCache');

type Lookup = (this: unknown, text: string) => unknown;

function shared(original: Lookup): Lookup {
  const kept = new Map<string, unknown>();
  return function (this: unknown, text: string) {
    let value = kept.get(text);
    if (value === undefined) {
      value = original.call(this, text);
      if (kept.size >= MAX_ENTRIES) kept.clear();
      kept.set(text, value);
    }
    return value;
  };
}

let installed: Promise<boolean> | undefined;

/** Makes ink's per-frame text caches last across frames; true when they do. Safe to call more than once. */
export function shareInkLineCache(): Promise<boolean> {
  installed ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve('ink');
      const { default: Output } = (await import(new URL('./output.js', pathToFileURL(entry)).href)) as {
        default: new (options: { width: number; height: number }) => { caches?: object };
      };
      const proto = Object.getPrototypeOf(new Output({ width: 1, height: 1 }).caches ?? {}) as Record<
        string | symbol,
        unknown
      >;
      if (proto[SHARED]) return true;
      const names = ['getStyledChars', 'getStringWidth'];
      if (!names.every((name) => typeof proto[name] === 'function')) return false;
      for (const name of names) proto[name] = shared(proto[name] as Lookup);
      proto[SHARED] = true;
      return true;
    } catch {
      return false;
    }
  })();
  return installed;
}
