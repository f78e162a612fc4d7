// XML escaping shared by the checkstyle and junit reporters.
import { hexEscape } from './format.js';

/**
 * Text for an XML attribute value or element: the markup characters as entities, and the control characters shown
 * as `\xHH`, as the text formats show them. XML 1.0 cannot hold C0 controls other than tab, newline and carriage
 * return, even as character references; DEL and the C1 controls it allows but discourages (XML 1.0, 2.2), and a CI
 * dashboard would show them as nothing.
 */
export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // eslint-disable-next-line no-control-regex -- the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, hexEscape)
  );
}
