// Terminal columns of a line: a CJK character or an emoji takes two columns, a combining accent or a zero-width joiner
// none. Counted by string-width, the package ink itself lays its boxes out with, so the explore view's lines and ink
// agree to the column; the text reports align their tables and cut their lines by the same count. Cut by UTF-16
// length, a line of wide names overflows its pane (ink wraps it, pushing every line below down) or its table column.
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** The columns `text` takes on a terminal (one line; ANSI colour sequences take none). */
export function columns(text: string): number {
  return stringWidth(text);
}

/** `text` cut to at most `width` columns, whole characters only, with an ellipsis where it was cut. */
export function cutToColumns(text: string, width: number): string {
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
