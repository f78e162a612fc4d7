// The HTML report's markup read as its text: without what only sets where a phone may break a line.

/** `page` without the points where a phone may break a path or a command, nor the boxes of a command's words. */
export function unbroken(page: string): string {
  // A word box holds text and break points only, so its own end is the first `</span>` after it: other spans stay.
  return page.replace(/<span class="word">((?:[^<]|<wbr>)*)<\/span>/g, '$1').replace(/<wbr>/g, '');
}
