// XML escaping shared by the checkstyle and junit reporters.
import { hexEscape } from '../report/printable.js';

/**
 * Text for an XML attribute value or element: the markup characters as entities, and the characters XML 1.0 cannot
 * hold shown as `\xHH` or `\uHHHH`, as the text formats show control characters. XML 1.0's Char production leaves
 * out the C0 controls but tab, newline and carriage return, U+FFFE, U+FFFF and surrogate code points (a JS string
 * holds an unpaired one when the image's JSON escapes one), even as character references: the parser refuses the
 * whole report. DEL and the C1 controls it allows but discourages (XML 1.0, 2.2), and a CI dashboard would show them
 * as nothing.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(
      // eslint-disable-next-line no-control-regex -- the point
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      hexEscape,
    );
}
