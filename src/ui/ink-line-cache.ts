// ink draws every frame from scratch: each line of text is parsed into styled characters (ANSI codes read, one
// object and one width per character) through a cache that lives for that one frame. Between two keystrokes of
// `explore` nearly every line on screen is the same as before, so a cache that outlives the frame saves most of a
// frame's work (the largest part of a keystroke's CPU on the 45k-file corpus image, bench/explore-keys.js).
//
// ink does not export that cache. Its class is reached through an instance of ink's own Output (the module ink
// itself loads, so the very class it uses), and its look-ups, which are pure functions of the text, are wrapped.
// If ink changes shape, nothing is wrapped and ink draws as before, only slower (test/ui/ink-line-cache.test.ts
// tells which).
//
// The second cost is the screen itself: ink lays every frame out as a grid of one object per cell (12,000 at
// 200x60), then turns each grid row back into a string, diffing the styles of neighbouring cells. Most rows are the
// same from one keystroke to the next, and a row's string depends only on the terminal width and the pieces of
// text written into that row (where each starts, after clipping and styling). So `get` is replaced by one that
// collects each row's pieces and lays out only the rows it has not seen before (the same cells, the same
// conversion, so the same bytes: the test compares it with ink's own `get` on the same writes).
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

/** Rows (their composed strings, keyed by width and pieces) kept across frames: a few screens of 60 rows. */
const MAX_ROWS = 1024;

interface StyledChar {
  type: string;
  value: string;
  fullWidth: boolean;
  styles: unknown[];
}

interface Caches {
  getStyledChars(line: string): StyledChar[];
  getStringWidth(text: string): number;
  getWidestLine(text: string): number;
}

interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: ((line: string, index: number) => string)[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  caches: Caches;
}

type Get = (this: InkOutput) => { output: string; height: number };

interface Helpers {
  sliceAnsi: (text: string, from: number, to: number) => string;
  styledCharsToString: (chars: StyledChar[]) => string;
  diffAnsiCodes: (from: unknown[], to: unknown[]) => unknown[];
  ansiCodesToString: (codes: unknown[]) => string;
}

/**
 * `styledCharsToString` of ink's tokenizer, the same string, without asking for the codes between two cells that
 * share their styles (the same array): that diff is always empty, and the tokenizer made three Sets and three arrays
 * to find so, for every cell of the row (at 200x60, a page of new rows made some 30,000 Sets a key, a sixth of what
 * the key allocated). The cells of a simple piece, and the blanks, share theirs.
 */
function cellsToString(chars: StyledChar[], helpers: Helpers): string {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) ret += helpers.ansiCodesToString(char.styles);
    else if (chars[i - 1].styles !== char.styles)
      ret += helpers.ansiCodesToString(helpers.diffAnsiCodes(chars[i - 1].styles, char.styles));
    ret += char.value;
    // The styles still on are reset at the end of the row.
    if (i === chars.length - 1) ret += helpers.ansiCodesToString(helpers.diffAnsiCodes(char.styles, []));
  }
  return ret;
}

/**
 * A piece that is printable ASCII between style codes (what a styled text node of the view is): its characters
 * all carry the styles the leading codes set, and each takes one cell. Anything else (wide or combining
 * characters, codes in the middle) is parsed as ink parses it.
 */
// eslint-disable-next-line no-control-regex -- matching ANSI style codes is the point
const SIMPLE = /^((?:\u001b\[[0-9;]*m)*)([\x20-\x7e]*)((?:\u001b\[[0-9;]*m)*)$/;

/**
 * The cells of a simple piece's characters, one shared object per (leading codes, character): a new line on
 * screen (a page of rows) then costs no per-character parsing or objects. The styles are ink's own parse of the
 * codes; cells are only read, never changed, so sharing them is safe.
 */
class SimpleCells {
  private readonly byCodes = new Map<string, StyledChar[]>();

  cells(codes: string, caches: Caches): StyledChar[] {
    let cells = this.byCodes.get(codes);
    if (!cells) {
      const styles = codes ? caches.getStyledChars(`${codes} `)[0].styles : [];
      cells = [];
      for (let c = 0x20; c <= 0x7e; c++)
        cells[c] = { type: 'char', value: String.fromCharCode(c), fullWidth: false, styles };
      if (this.byCodes.size >= 256) this.byCodes.clear();
      this.byCodes.set(codes, cells);
    }
    return cells;
  }
}

/** One row of the screen: the cells ink would make for these pieces (x, line, x, line...), as ink's string. */
function composeRow(
  caches: Caches,
  simple: SimpleCells,
  width: number,
  pieces: (number | string)[],
  helpers: Helpers,
): string {
  const blank: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };
  const cells: (StyledChar | undefined)[] = new Array<StyledChar>(width).fill(blank);
  for (let i = 0; i < pieces.length; i += 2) {
    let x = pieces[i] as number;
    const line = pieces[i + 1] as string;
    const plain = SIMPLE.exec(line);
    if (plain) {
      const table = simple.cells(plain[1], caches);
      const body = plain[2];
      for (let k = 0; k < body.length; k++) cells[x++] = table[body.charCodeAt(k)];
      continue;
    }
    for (const ch of caches.getStyledChars(line)) {
      cells[x] = ch;
      const w = Math.max(1, caches.getStringWidth(ch.value));
      // A wide character covers the next cells (with empty ones, so the row keeps its width).
      for (let k = 1; k < w; k++) cells[x + k] = { type: 'char', value: '', fullWidth: false, styles: ch.styles };
      x += w;
    }
  }
  // Writes past a gap leave holes in the array: those cells are dropped, as ink drops them.
  return cellsToString(
    cells.filter((c): c is StyledChar => c !== undefined),
    helpers,
  ).trimEnd();
}

/** ink's Output#get with rows composed once and then reused while their pieces stay the same. */
function rowCachedGet(helpers: Helpers): Get {
  const rows = new Map<string, string>();
  const simple = new SimpleCells();
  return function (this: InkOutput) {
    const { width, height, caches } = this;
    const pieces: (number | string)[][] = Array.from({ length: height }, () => []);
    const clips: Clip[] = [];
    for (const op of this.operations) {
      if (op.type === 'clip') clips.push(op.clip);
      else if (op.type === 'unclip') clips.pop();
      if (op.type !== 'write' || !op.text) continue;
      let { x, y } = op;
      let lines = op.text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const horizontal = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const vertical = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        // Wholly outside the clip: nothing is drawn.
        if (horizontal && (x + caches.getWidestLine(op.text) < clip.x1! || x > clip.x2!)) continue;
        if (vertical && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
        if (horizontal) {
          const from = x < clip.x1! ? clip.x1! - x : 0;
          lines = lines.map((line) => {
            const w = caches.getStringWidth(line);
            return helpers.sliceAnsi(line, from, x + w > clip.x2! ? clip.x2! - x : w);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (vertical) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          lines = lines.slice(from, y + lines.length > clip.y2! ? clip.y2! - y : lines.length);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      // A line whose row is off the grid is skipped without moving down (so are the ones after it), as in ink.
      let offsetY = 0;
      lines.forEach((text, index) => {
        const row = pieces[y + offsetY];
        if (!row) return;
        let line = text;
        for (const transform of op.transformers) line = transform(line, index);
        row.push(x, line);
        offsetY++;
      });
    }
    const out: string[] = [];
    for (const row of pieces) {
      // Unambiguous: each piece is its position and its length, then its text.
      let key = String(width);
      for (let i = 0; i < row.length; i += 2) key += `|${row[i]}:${(row[i + 1] as string).length}:${row[i + 1]}`;
      let text = rows.get(key);
      if (text === undefined) {
        text = composeRow(caches, simple, width, row, helpers);
        if (rows.size >= MAX_ROWS) rows.clear();
        rows.set(key, text);
      }
      out.push(text);
    }
    return { output: out.join('\n'), height: pieces.length };
  };
}

/** ink's Output class and the two text helpers it uses, from the copies ink itself loads. */
async function inkParts(): Promise<
  { Output: new (options: { width: number; height: number }) => InkOutput } & Helpers
> {
  const entry = createRequire(import.meta.url).resolve('ink');
  const fromInk = createRequire(entry);
  const { default: Output } = (await import(new URL('./output.js', pathToFileURL(entry)).href)) as {
    default: new (options: { width: number; height: number }) => InkOutput;
  };
  const { default: sliceAnsi } = (await import(pathToFileURL(fromInk.resolve('slice-ansi')).href)) as {
    default: Helpers['sliceAnsi'];
  };
  const tokenize = fromInk.resolve('@alcalzone/ansi-tokenize/package.json');
  const { styledCharsToString, diffAnsiCodes, ansiCodesToString } = (await import(
    new URL('./build/index.js', pathToFileURL(tokenize)).href
  )) as Pick<Helpers, 'styledCharsToString' | 'diffAnsiCodes' | 'ansiCodesToString'>;
  return { Output, sliceAnsi, styledCharsToString, diffAnsiCodes, ansiCodesToString };
}

/** The styles of ink's `<Text>` that the views use, as functions of a text (chalk's). */
export type InkStyles = Record<'dim' | 'bold' | 'inverse', (text: string) => string> &
  Partial<Record<string, (text: string) => string>>;

/**
 * The chalk ink itself colours `<Text>` with (the copy ink loads, so the same colour level and the same codes): text
 * styled with it is the text ink's `<Text color bold...>` would make of it.
 */
export async function inkChalk(): Promise<InkStyles> {
  const entry = createRequire(import.meta.url).resolve('ink');
  const chalk = createRequire(entry).resolve('chalk');
  return ((await import(pathToFileURL(chalk).href)) as { default: InkStyles }).default;
}

/** The width ink gives a text node's text (its own copy of widest-line: the columns of the widest line). */
export async function inkWidestLine(): Promise<(text: string) => number> {
  const entry = createRequire(import.meta.url).resolve('ink');
  const widestLine = createRequire(entry).resolve('widest-line');
  return ((await import(pathToFileURL(widestLine).href)) as { default: (text: string) => number }).default;
}

/** For the test: ink's own `get` and the row-cached one, to compare on the same writes. */
export async function inkOutputGetters(): Promise<{
  Output: new (options: { width: number; height: number }) => InkOutput;
  original: Get;
  cached: Get;
}> {
  const parts = await inkParts();
  const proto = parts.Output.prototype as unknown as Record<string | symbol, unknown>;
  const original = (proto[ORIGINAL_GET] ?? proto.get) as Get;
  return { Output: parts.Output, original, cached: rowCachedGet(parts) };
}

const ORIGINAL_GET = Symbol.for('ballast.inkOriginalGet');

let installed: Promise<boolean> | undefined;

/** Makes ink's per-frame text caches and its rows last across frames; true when they do. Safe to call more than once. */
export function shareInkLineCache(): Promise<boolean> {
  installed ??= (async () => {
    try {
      const parts = await inkParts();
      const sample = new parts.Output({ width: 1, height: 1 });
      const proto = Object.getPrototypeOf(sample.caches ?? {}) as Record<string | symbol, unknown>;
      if (proto[SHARED]) return true;
      const names = ['getStyledChars', 'getStringWidth', 'getWidestLine'];
      if (!names.every((name) => typeof proto[name] === 'function')) return false;
      const outputProto = parts.Output.prototype as unknown as Record<string | symbol, unknown>;
      if (typeof outputProto.get !== 'function' || !Array.isArray(sample.operations)) return false;
      for (const name of names.slice(0, 2)) proto[name] = shared(proto[name] as Lookup);
      outputProto[ORIGINAL_GET] = outputProto.get;
      outputProto.get = rowCachedGet(parts);
      proto[SHARED] = true;
      return true;
    } catch {
      return false;
    }
  })();
  return installed;
}
