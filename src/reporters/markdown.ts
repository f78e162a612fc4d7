// Text from the image (or a Dockerfile) in the Markdown reports (analyze, ci and the step summary, diff, bases): file
// names, history, labels and messages quoting them are the image author's, and GitHub renders the raw HTML a
// Markdown document holds (a live <a>, an <img> fetched by whoever opens the PR, a </details> that ends the report's
// own). So no `<` of theirs reaches the document raw: outside code spans it is an entity, and a code span cannot hold
// an entity (it would show `&lt;`), so one with a `<` is split there into spans with `&lt;` between. Messages keep their
// own code spans (`&& yarn cache clean`, `pkg=<version>`). Links are the other live thing: a `[click me](url)` or an
// `![x](url)` of theirs would show their words over their address, or fetch a tracking image for every reader, and a bare
// `https://...` or `www....` is turned into a link by GitHub's autolinker. So `[` and `]` are escaped (no link text, image,
// reference or footnote can open, nor close one ballast's own text opened), and so are the `:` of `://` and the `.` of
// `www.`, which the autolinker needs unescaped; each still shows as itself. The rest of Markdown in such text
// (*emphasis*, a heading's `#` mid-line) changes how it looks, not where it leads, and is left as it is. GitHub links
// `@name`, `#123`, e-mail addresses and commit hashes in the rendered page whatever is escaped (pinging people,
// linking issues and commits from an image's history), but never inside code: a word holding one is written as a code
// span, which copies as itself.

import { codeSpan } from '../report/code-span.js';
import { truncate } from './width.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// ASCII punctuation, which a backslash escapes in Markdown (CommonMark 2.4).
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Where text goes: in a table cell a pipe ends the cell even inside a code span, so it is written `\|` there (which
 * the table reads as `|`); on a line outside tables (a heading, a note) a code span shows `\|` as it is, so a pipe
 * stays one. Outside code spans `\|` reads as `|` in both.
 */
type Place = 'cell' | 'line';

/**
 * Text for a table cell: on one line, pipes escaped (a table splits its row on them), `&`, `<` and `>` as entities and
 * link syntax escaped outside code spans, a word GitHub would link to a person, team, issue or address put in a code
 * span, and a code span holding a `<` split there, with `&lt;` between.
 */
export function cell(text: string): string {
  return markdown(text, 'cell');
}

/** Text for a Markdown line outside tables, escaped as {@link cell} escapes it but for pipes in code spans. */
export function line(text: string): string {
  return markdown(text, 'line');
}

function markdown(text: string, place: Place): string {
  const t = text.replace(/\s+/g, ' ').trim();
  let out = '';
  // The text since the last code span, as written: it is escaped word by word when a span (or the end) closes it.
  let plain = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '\\' && i + 1 < t.length && PUNCTUATION.test(t[i + 1])) {
      // A backslash escape: the character after it is text, and an escaped backtick opens no code span.
      plain += t.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') {
      // A code span is a run of backticks up to the next run just as long (CommonMark 6.1); a run with no such
      // closer is text.
      const open = /^`+/.exec(t.slice(i))![0];
      const close = new RegExp(`(?<!\`)${open}(?!\`)`, 'g');
      close.lastIndex = i + open.length;
      const end = close.exec(t);
      if (end) {
        const content = t.slice(i + open.length, end.index);
        out +=
          words(plain, out !== '', true, place) +
          (content.includes('<') ? span(content, place) : `${open}${pipes(content, place)}${open}`);
        plain = '';
        i = end.index + open.length;
      } else {
        plain += open;
        i += open.length;
      }
      continue;
    }
    plain += c;
    i++;
  }
  return out + words(plain, out !== '', false, place);
}

/**
 * What GitHub links in rendered text whatever Markdown escapes it (it looks at the HTML, outside code and links): an
 * `@name` mentions a person or team and notifies them, `#123` and `GH-123` link an issue, `a@b.co` is an e-mail
 * link, and a whole word of 7 to 40 hex digits links the repository's commit it names (`git checkout 1a2b3c4d` in a
 * history step). A word holding one is written as a code span, which GitHub leaves alone and which still copies as
 * itself (`npm i -g @angular/cli`), where a zero-width character would be copied along. Only those: an `@` after a
 * letter is no mention and, without a dot after it, no address (`app@sha256:…`, a digest reference, stays text), and
 * `#` links only before a digit.
 */
const GITHUB_LINKED = /(?:^|\W)@\w|[\w.+-]@[\w-]+\.[\w-]|#\d|\bGH-\d|\b[0-9a-f]{7,40}\b/i;

/**
 * Text outside code spans, word by word: one GitHub would link as a code span, the others escaped as text. Against
 * one of the text's own code spans (`afterSpan`: it follows one; `beforeSpan`: one follows it) two spans would read as
 * one run of backticks, so the word's first (or last) character stays outside, as text: `@` or `a` alone before code
 * links nothing.
 */
function words(text: string, afterSpan: boolean, beforeSpan: boolean, place: Place): string {
  const parts = text.split(/( )/);
  return parts
    .map((word, n) => {
      if (!GITHUB_LINKED.test(word)) return escapeText(word);
      const head = n === 0 && afterSpan ? word.slice(0, 1) : '';
      const tail = n === parts.length - 1 && beforeSpan ? word.slice(-1) : '';
      const middle = word.slice(head.length, word.length - tail.length);
      // Two characters between two spans (`@a`, `#1`: no address is that short): <code>, which GitHub does not link in.
      if (middle === '') return `<code>${[...word].map(literal).join('')}</code>`;
      return literal(head) + span(middle, place) + (tail ? literal(tail) : '');
    })
    .join('');
}

/** One character as Markdown text: an entity, a backslash-escaped punctuation character, or itself. */
function literal(c: string): string {
  return ENTITIES[c] ?? (PUNCTUATION.test(c) ? `\\${c}` : c);
}

/** Text outside code spans: backslash escapes kept, pipes and link syntax escaped, `&`, `<` and `>` as entities. */
function escapeText(t: string): string {
  let out = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '\\' && i + 1 < t.length && PUNCTUATION.test(t[i + 1])) {
      // Before an entity the backslash would escape the `&`, so it is one too.
      if (ENTITIES[t[i + 1]]) {
        out += '&#92;';
        i++;
      } else {
        out += t.slice(i, i + 2);
        i += 2;
      }
      continue;
    }
    out += c === '|' || linkSyntax(t, i) ? `\\${c}` : (ENTITIES[c] ?? c);
    i++;
  }
  return out;
}

/**
 * `text` exactly, as code spans: each fenced with one backtick more than its longest run of them, with a space inside
 * each fence when it begins or ends with a backtick (CommonMark strips one from each side), so a command with backticks
 * copies as it is; pipes escaped in a table cell (which reads `\|` in a span as `|`). A `<` is written between spans
 * as `&lt;`, so that no `<` of the image's reaches the document raw and the text still copies as itself (a <code>
 * element would do as much, but GitHub's autolinker links an e-mail address in one).
 */
function span(text: string, place: Place): string {
  return text
    .split('<')
    .map((piece) => {
      // Escaping the pipes changes no run of backticks, nor what the piece begins or ends with.
      return piece === '' ? '' : codeSpan(pipes(piece, place));
    })
    .join('&lt;');
}

/** Whether `text[i]` would make a link: a bracket, the `:` of `scheme://`, or the `.` of `www.` (GFM autolinks). */
function linkSyntax(text: string, i: number): boolean {
  const c = text[i];
  if (c === '[' || c === ']') return true;
  if (c === ':') return text.startsWith('//', i + 1);
  return c === '.' && /www$/i.test(text.slice(Math.max(0, i - 3), i));
}

/** The content of a code span, its pipes escaped in a table cell. */
function pipes(content: string, place: Place): string {
  return place === 'cell' ? content.replace(/\|/g, '\\|') : content;
}

/**
 * Text from the image as a code span in a table cell, on one line, its backticks kept (the fence is longer than any
 * run of them).
 */
export function code(text: string): string {
  return span(text.replace(/\s+/g, ' ').trim(), 'cell');
}

/** Text from the image as a code span on a line outside tables (a heading, a note), as {@link code} writes it. */
export function lineCode(text: string): string {
  return span(text.replace(/\s+/g, ' ').trim(), 'line');
}

/**
 * The most characters of a Dockerfile instruction or a history entry a Markdown report shows. A PR comment is read in
 * a window that scrolls, and a report piped or saved keeps its instructions whole (a text report without a width), so
 * a cut at 120 characters hid the part of a long RUN that matters (`&& rm -rf /var/lib/apt/lists/*`). Still cut, with
 * an ellipsis so that it does not read as the whole line, where one heredoc or generated command could fill the comment
 * (GitHub holds 65,536 characters): a hundred layers of this fit.
 */
export const INSTRUCTION_CHARS = 500;

/** An instruction (or a history entry) as a code span in a table cell, on one line, cut at INSTRUCTION_CHARS. */
export function instructionCode(text: string): string {
  return code(truncate(text, INSTRUCTION_CHARS));
}
