// escapeXml, which the JUnit and checkstyle reports (and ci's error report) put every string through.
import { escapeXml } from '../../src/reporters/xml.js';
import { checkXml } from '../helpers/junit.js';

describe('escapeXml', () => {
  it('escapes the markup characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });

  it('shows what XML 1.0 cannot hold, so the document stays well-formed (report hunt #2)', () => {
    // Given C0 controls, the non-characters U+FFFE and U+FFFF and unpaired surrogates (an image's JSON may escape one)
    const text = 'a\x01b\x1bc\ufffed\uffffe\ud800f\udc00g\udbff';
    // Then each is shown as an escape, and the document that holds the text is well-formed
    expect(escapeXml(text)).toBe('a\\x01b\\x1bc\\ufffed\\uffffe\\ud800f\\udc00g\\udbff');
    expect(() => checkXml(`<?xml version="1.0"?><r a="${escapeXml(text)}">${escapeXml(text)}</r>`)).not.toThrow();
    // DEL and C1 are allowed but discouraged (and invisible): shown too
    expect(escapeXml('a\x7fb\x9bc')).toBe('a\\x7fb\\x9bc');
  });

  it('keeps tab, newline, other text and surrogate pairs as they are', () => {
    expect(escapeXml('a\tb\nc\rd ünï 日本 😀 \ud83d\ude00 \ufffd')).toBe('a\tb\nc\rd ünï 日本 😀 \ud83d\ude00 \ufffd');
  });
});
