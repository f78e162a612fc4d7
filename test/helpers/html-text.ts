// The HTML report's markup read as its text: without what only sets where a phone may break a line.

/**
 * `page` without the points where a phone may break a path or a command, nor the boxes of a command's words, and a
 * code span one code element again where a word of it shares a box with the punctuation glued to it.
 */
export function unbroken(page: string): string {
  // A word box holds text, break points and code elements only, so its own end is the first `</span>` after it:
  // other spans stay.
  return page
    .replace(/<span class="word">((?:[^<]|<wbr>|<\/?code>)*)<\/span>/g, '$1')
    .replace(/<wbr>/g, '')
    .replace(/<\/code><code>/g, '');
}
