// The HTML report's markup read as its text: without what only sets where a phone may break a line.

/** `page` without the points where a phone may break a path or a command, nor the boxes of a command's words. */
export function unbroken(page: string): string {
  return page.replace(/<wbr>|<span class="word">|<\/span>/g, '');
}
