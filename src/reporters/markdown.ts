// Text from the image (or a Dockerfile) in the Markdown reports (analyze, ci and the step summary, diff, bases): file
// names, history, labels and messages quoting them are the image author's, and GitHub renders the raw HTML a
// Markdown document holds (a live <a>, an <img> fetched by whoever opens the PR, a </details> that ends the report's
// own). So no `<` of theirs reaches the document raw: outside code spans it is an entity, and a code span cannot hold
// an entity (it would show `&lt;`), so one with a `<` is written as <code> with its text escaped. Messages keep their
// own code spans (`&& yarn cache clean`, `pkg=<version>`). Links are the other live thing: a `[click me](url)` or an
// `![x](url)` of theirs would show their words over their address, or fetch a tracking image for every reader, and a bare
// `https://...` or `www....` is turned into a link by GitHub's autolinker. So `[` and `]` are escaped (no link text, image,
// reference or footnote can open, nor close one ballast's own text opened), and so are the `:` of `://` and the `.` of
// `www.`, which the autolinker needs unescaped; each still shows as itself. The rest of Markdown in such text
// (*emphasis*, a heading's `#` mid-line) changes how it looks, not where it leads, and is left as it is. An e-mail
// address is autolinked whatever is escaped in it; such a link goes where it reads.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// ASCII punctuation, which a backslash escapes in Markdown (CommonMark 2.4).
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Text for a Markdown line or table cell: on one line, pipes escaped (a table splits its row on them), `&`, `<` and
 * `>` as entities and link syntax escaped outside code spans, and a code span holding a `<` as <code>.
 */
export function cell(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  let out = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '\\' && i + 1 < t.length && PUNCTUATION.test(t[i + 1])) {
      // A backslash escape: the character after it is text, and an escaped backtick opens no code span. Before an
      // entity it would escape the `&`, so it is one too.
      if (ENTITIES[t[i + 1]]) {
        out += '&#92;';
        i++;
      } else {
        out += t.slice(i, i + 2);
        i += 2;
      }
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
        out += content.includes('<') ? htmlCode(content) : `${open}${content.replace(/\|/g, '\\|')}${open}`;
        i = end.index + open.length;
      } else {
        out += open;
        i += open.length;
      }
      continue;
    }
    out += c === '|' || linkSyntax(t, i) ? `\\${c}` : (ENTITIES[c] ?? c);
    i++;
  }
  return out;
}

/** Whether `text[i]` would make a link: a bracket, the `:` of `scheme://`, or the `.` of `www.` (GFM autolinks). */
function linkSyntax(text: string, i: number): boolean {
  const c = text[i];
  if (c === '[' || c === ']') return true;
  if (c === ':') return text.startsWith('//', i + 1);
  return c === '.' && /www$/i.test(text.slice(Math.max(0, i - 3), i));
}

/** Text from the image as a code span, on one line (a backtick in it as `'`, so it cannot end the span early). */
export function code(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.includes('<') ? htmlCode(t) : `\`${t.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/**
 * Text as <code>, which unlike a code span may hold entities: `&`, `<` and `>` as entities and every other ASCII
 * punctuation backslash-escaped, as the text between the tags is still Markdown.
 */
function htmlCode(text: string): string {
  const escaped = text.replace(/[!-/:-@[-`{-~]/g, (c) => ENTITIES[c] ?? `\\${c}`);
  return `<code>${escaped}</code>`;
}
