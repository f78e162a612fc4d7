// Prose wrapped between words to a number of terminal columns (`columns`): the text reports' headlines and findings,
// their tables' long cells, and the notes every command prints on stderr.
import { columns } from './text.js';

/** The unit of a size as formatBytes writes it, with what may follow it in prose (`)`, `,`, `;`). */
const SIZE_UNIT = /^(?:B|[kMGTPE]B|[KMGTPE]iB)(?:\W|$)/;
const ENDS_WITH_NUMBER = /(?:^|[^\w.])\d[\d.,]*$/;
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

const backticks = (word: string) => (plain(word).match(/`/g) ?? []).length;

/**
 * The words of `text`, a code span (`` `&& rm -rf /var/lib/apt/lists/*` ``) kept as one when it fits on a line of
 * `width`: broken over two lines, the fix a user copies from it is two commands, or one with a newline in it. A span
 * wider than a line is broken between its words as prose is, and a backtick never closed opens no span.
 */
export function spanWords(text: string, width: number): string[] {
  const parts = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (backticks(parts[i]) % 2 === 1) {
      let end = i + 1;
      while (end < parts.length && backticks(parts[end]) % 2 === 0) end++;
      const span = parts.slice(i, end + 1).join(' ');
      if (end < parts.length && columns(span) <= width) {
        out.push(span);
        i = end;
        continue;
      }
    }
    out.push(parts[i]);
  }
  return out;
}

/**
 * `text` on lines of at most `width` columns, broken between words, for prose whose ending matters (a note that
 * ends with what to do). A word wider than a line (a long path) gets a line of its own, whole: broken inside it with
 * no mark, its two halves read and copy as two paths; the terminal folds the one long line instead. A code span that
 * fits on a line is not broken (spanWords). `together` keeps more words on one line with the words before them
 * (given those, as one string, and the word).
 */
export function wrapToColumns(
  text: string,
  width: number,
  together?: (previous: string, word: string) => boolean,
): string[] {
  const words: string[] = [];
  // A size stays on one line with its unit: "678" ending one line and "MB over all layers" starting the next reads
  // as two numbers.
  for (const word of spanWords(text, width)) {
    const previous = words[words.length - 1];
    if (
      previous !== undefined &&
      ((ENDS_WITH_NUMBER.test(plain(previous)) && SIZE_UNIT.test(plain(word))) ||
        together?.(plain(previous), plain(word)))
    )
      words[words.length - 1] = `${previous} ${word}`;
    else words.push(word);
  }
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current && columns(current) + 1 + columns(word) <= width) {
      current += ` ${word}`;
      continue;
    }
    if (current) lines.push(current);
    current = word;
  }
  lines.push(current);
  return lines;
}

/**
 * Prose (a headline, a verdict, a reason) wrapped between words to `width` columns, its further lines indented by
 * `indent` so each reads as one item. Colour may span words: a terminal carries it over the line break. `together` is
 * wrapToColumns'.
 */
export function hanging(
  text: string,
  width: number,
  indent = 2,
  together?: (previous: string, word: string) => boolean,
): string {
  const [first, ...more] = wrapToColumns(text, Math.max(20, width - indent), together);
  return [first, ...more.map((line) => ' '.repeat(indent) + line)].join('\n');
}

/**
 * `hanging` for a report that wraps prose only to a width the terminal or COLUMNS gave: without one (a pipe, a CI log,
 * a report file) each text stays whole on one line.
 */
export function proseWrapper(
  width: number | undefined,
): (text: string, room?: number, indent?: number, together?: (previous: string, word: string) => boolean) => string {
  return (text, room = width ?? 0, indent = 2, together) =>
    width === undefined ? text : hanging(text, room, indent, together);
}
