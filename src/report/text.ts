// Terminal columns of text, shared by what makes report data (rule messages cut a giant value to a number of columns)
// and by what presents it (the text reports, the explore view): a CJK character or an emoji takes two columns, a
// combining accent or a zero-width joiner none. Counted by string-width, the package ink itself lays its boxes out
// with, so the explore view's lines and ink agree to the column; the text reports align their tables and cut their
// lines by the same count. Cut by UTF-16 length, a line of wide names overflows its pane (ink wraps it, pushing every
// line below down) or its table column.
//
// string-width is loaded on first need: importing it costs ~25 ms (a grapheme segmenter and its tables), a tenth of
// `ballast lint`'s start-up, and the stylish table of an all-ASCII lint report never needs it. Node >= 20.19 can
// require() an ES module synchronously; an older runtime loads it up front, as before.
import { createRequire } from 'node:module';

type StringWidth = (text: string) => number;
let loaded: StringWidth | undefined =
  (process.features as { require_module?: boolean }).require_module === true
    ? undefined
    : (await import('string-width')).default;

function stringWidth(text: string): number {
  loaded ??= (createRequire(import.meta.url)('string-width') as { default: StringWidth }).default;
  return loaded(text);
}

/**
 * Text whose every UTF-16 unit is one character of one column, so its width is its length: printable ASCII and the
 * narrow symbols the views draw with (Latin-1 but the soft hyphen, punctuation such as … and ·, arrows, box drawing
 * and geometric shapes but the two emoji squares at U+25FD-U+25FE, and ⏎). None of them joins its neighbour into one
 * character. string-width's own shortcut covers ASCII only, so every tree line of `explore` (its glyphs are in this
 * set) went through its grapheme segmenter: the largest part of a keystroke's CPU at 200x60. The test checks every
 * code point here against string-width.
 */
export const ONE_COLUMN_EACH =
  /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u23ce\u2500-\u25fc\u25ff]*$/;
let segmenter: Intl.Segmenter | undefined;

/**
 * `text` as the characters a user sees (grapheme clusters): an emoji, a flag, a family joined by ZWJs, a letter and
 * its accent are one each. Whatever cuts or deletes text by characters goes through this one segmenter.
 */
export function graphemes(text: string): string[] {
  return Array.from((segmenter ??= new Intl.Segmenter()).segment(text), (g) => g.segment);
}

/** The columns `text` takes on a terminal (one line; ANSI colour sequences take none). */
export function columns(text: string): number {
  return ONE_COLUMN_EACH.test(text) ? text.length : stringWidth(text);
}

/** `text` cut to at most `width` columns, whole characters only, with an ellipsis where it was cut. */
export function cutToColumns(text: string, width: number): string {
  if (width <= 0) return '';
  if (ONE_COLUMN_EACH.test(text)) return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  if (stringWidth(text) <= width) return text;
  return `${fitGraphemes(graphemes(text), width - 1)}…`;
}

/** The most whole characters of `parts` (from its start, or its end) that fit in `width` columns. */
export function fitGraphemes(parts: string[], width: number, fromEnd = false): string {
  let out = '';
  let used = 0;
  for (let i = 0; i < parts.length; i++) {
    const segment = parts[fromEnd ? parts.length - 1 - i : i];
    const w = stringWidth(segment);
    if (used + w > width) break;
    out = fromEnd ? segment + out : out + segment;
    used += w;
  }
  return out;
}

/**
 * A path cut to at most `width` columns with the ellipsis inside it: its start (a third) and its end (the rest),
 * since the end names the file. Two paths under one long directory cut at the end read the same.
 */
export function cutPathToColumns(text: string, width: number): string {
  if (columns(text) <= width) return text;
  if (width <= 2) return cutToColumns(text, width);
  const head = Math.floor((width - 1) / 3);
  const tail = width - 1 - head;
  if (ONE_COLUMN_EACH.test(text)) return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
  const parts = graphemes(text);
  return `${fitGraphemes(parts, head)}…${fitGraphemes(parts, tail, true)}`;
}

const HEX_ID = /[0-9a-f]{32,}|[0-9A-F]{32,}/;
// An image reference with a repository path and a tag or digest (`localhost/corpus/debian-base:latest`,
// `docker.io/library/debian@sha256:…`); `usr/local/bin` (no tag) and `/usr/bin` (a path) are not.
const IMAGE_REFERENCE = /^[a-z0-9][\w.-]*(?::\d+)?(?:\/[a-z0-9][\w.-]*)+(?::\w[\w.-]{0,127}|@[a-z0-9]+:[0-9a-f]{32,})$/;
const URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/**
 * A value a reader copies whole or not at all, so that a report never cuts it (it goes on a line of its own, past the
 * end if it must, as a path in prose): a word holding 32 or more hex digits (a digest, a reference pinned by one, a
 * commit), an image reference with a tag or digest, or a URL. Cut, `localhost/corpus/debian-base:lat…` named no image
 * and `sha256:ad851d645e13…` no blob.
 */
export function copiedWhole(value: string): boolean {
  if (/\s/.test(value)) return false;
  return HEX_ID.test(value) || IMAGE_REFERENCE.test(value) || URL.test(value);
}
