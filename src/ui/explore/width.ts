// Terminal columns of a line, counted as ink counts them when it lays out a box (and as terminals draw them): a
// CJK character or an emoji takes two columns, a combining accent or a zero-width joiner none. The view cuts and
// pads its lines by these columns; cut by UTF-16 length, a line of wide names overflows its pane and ink wraps it,
// pushing every line below down and breaking the boxes' borders.

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();
/** A grapheme that draws nothing: controls, format characters, nonspacing and enclosing marks alone. */
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Mn}\p{Me}\p{Cs}]*$/u;
const VISIBLE = /[^\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Mn}\p{Me}\p{Cs}]/u;
// Built at run time: the `v` flag (emoji sequences as one class) is newer than the compiler's target.
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/gu;
const KEYCAP = /^[\d#*]\u20e3$/;
/** A regional indicator alone (half a flag) is one column; a pair is an emoji flag. */
const REGIONAL_INDICATOR = /^[\u{1f1e6}-\u{1f1ff}]$/u;

/** Unicode's East Asian Wide and Fullwidth characters that are not emoji (those are `Emoji_Presentation`). */
const WIDE: [number, number][] = [
  [0x1100, 0x115f], // Hangul leading jamo
  [0x2329, 0x232a],
  [0x2630, 0x2637], // trigrams
  [0x268a, 0x268f], // monograms, digrams
  [0x2e80, 0x303e], // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
  [0x3041, 0x3247], // Hiragana, Katakana, Bopomofo, Hangul compatibility jamo, Kanbun, CJK strokes, enclosed
  [0x3250, 0x33ff], // (the circled numbers between are ambiguous: narrow, as ink counts them)
  [0x3400, 0x9fff], // CJK extension A, Yijing hexagrams, CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x16ff0, 0x16ff6],
  [0x17000, 0x18cff], // Tangut, Khitan
  [0x18d00, 0x18d1e],
  [0x18d80, 0x18df2],
  [0x1aff0, 0x1b2fb], // Kana supplement and extensions, Nushu
  [0x1d300, 0x1d356], // Tai Xuan Jing
  [0x1d360, 0x1d376], // counting rods
  [0x1f200, 0x1f202],
  [0x1f210, 0x1f23b],
  [0x1f240, 0x1f248],
  [0x1f250, 0x1f251],
  [0x1f260, 0x1f265],
  [0x20000, 0x2fffd], // CJK extensions B-F
  [0x30000, 0x3fffd], // CJK extensions G-H
];

function wideCodePoint(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[mid][0]) hi = mid - 1;
    else if (cp > WIDE[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

function graphemeWidth(g: string): number {
  if (INVISIBLE.test(g)) return 0;
  if (EMOJI.test(g) || KEYCAP.test(g)) return 2;
  if (REGIONAL_INDICATOR.test(g)) return 1;
  // An emoji sequence joined with ZWJ that is not a recommended one still draws as one wide glyph.
  if (g.includes('\u200d') && (g.match(PICTOGRAPHIC)?.length ?? 0) >= 2) return 2;
  const base = g.slice(g.search(VISIBLE));
  return EMOJI_PRESENTATION.test(base) || wideCodePoint(base.codePointAt(0)!) ? 2 : 1;
}

/** The columns `text` takes on a terminal (one line, no escape sequences). */
export function columns(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** `text` cut to at most `width` columns, whole characters only, with an ellipsis where it was cut. */
export function cutToColumns(text: string, width: number): string {
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  if (columns(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
