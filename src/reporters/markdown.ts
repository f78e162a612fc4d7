// Text from the image (or a Dockerfile) in the Markdown reports (analyze, ci and the step summary, diff, bases): file
// names, history, labels and messages quoting them are the image author's, and GitHub renders the raw HTML a
// Markdown document holds (a live <a>, an <img> fetched by whoever opens the PR, a </details> that ends the report's
// own). So no `<` of theirs reaches the document raw: outside code spans it is an entity, and a code span cannot hold
// an entity (it would show `&lt;`), so one with a `<` is written as <code> with its text escaped. Messages keep their
// own code spans (`&& yarn cache clean`, `pkg=<version>`). Only HTML is escaped: the other Markdown in such text (a
// [link](url), *emphasis*) is left as it is.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// ASCII punctuation, which a backslash escapes in Markdown (CommonMark 2.4).
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Text for a Markdown line or table cell: on one line, pipes escaped (a table splits its row on them), `&`, `<` and
 * `>` as entities outside code spans, and a code span holding a `<` as <code>.
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
    out += c === '|' ? '\\|' : (ENTITIES[c] ?? c);
    i++;
  }
  return out;
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
