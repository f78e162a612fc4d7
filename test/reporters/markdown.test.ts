// cell and code (src/reporters/markdown.ts): text from the image in the Markdown reports never carries raw HTML,
// whatever backticks and backslashes it holds, and the reports' own code spans read as before (report hunt #3).
import { renderCiError } from '../../src/reporters/ci-error.js';
import { cell, code } from '../../src/reporters/markdown.js';

/** What is left of `markdown` once the <code> elements the escaping writes are taken out: no `<` may remain. */
const withoutOwnTags = (markdown: string) => markdown.replace(/<\/?code>/g, '');

describe('cell', () => {
  it('escapes HTML outside code spans', () => {
    expect(cell('RUN echo <a href="https://evil.example">Sign in</a> </details> & more')).toBe(
      'RUN echo &lt;a href="https\\://evil.example"&gt;Sign in&lt;/a&gt; &lt;/details&gt; &amp; more',
    );
  });

  it("keeps a message's own code spans, and writes one holding a < as <code> with entities", () => {
    expect(cell('add `&& yarn cache clean` after it')).toBe('add `&& yarn cache clean` after it');
    expect(cell('write `curl=<version>`')).toBe('write <code>curl\\=&lt;version&gt;</code>');
    // A code span cannot hold an entity (it would show `&lt;`): that is why such a span becomes <code>.
    expect(cell('`a|b` c|d')).toBe('`a\\|b` c\\|d');
  });

  it.each([
    ['a backtick span around a tag', '/app/`<img src=x>`/f'],
    ['an unterminated span', '/app/`<img src=x>'],
    ['a span of two backticks closed by one', '/app/``<img src=x>`'],
    ['an escaped backtick', '/app/\\`<img src=x>`'],
    ['an escaped <', '/app/\\<img src=x>'],
    ['an autolink running into a span', 'www.evil.example/`<img src=x>`'],
    ['a link destination running into a span', '[a](x`<img src=x>`)'],
    ['an entity', '/app/&lt;img src=x&gt;'],
  ])('leaves no raw < from %s', (_name, text) => {
    expect(withoutOwnTags(cell(text))).not.toContain('<');
    expect(withoutOwnTags(code(text))).not.toContain('<');
  });

  it('keeps a backslash before an escaped character as one: \\< shows as \\<', () => {
    expect(cell('a\\<b')).toBe('a&#92;&lt;b');
    expect(cell('C:\\dir \\x1b[8m')).toBe('C:\\dir \\x1b\\[8m');
  });

  it('escapes what would make a link or an image, and nothing else of it', () => {
    expect(cell('[click me](https://evil.example) ![x](http://evil.example/t.png)')).toBe(
      '\\[click me\\](https\\://evil.example) !\\[x\\](http\\://evil.example/t.png)',
    );
    expect(cell('see WWW.evil.example, www, a.b and a: //c')).toBe('see WWW\\.evil.example, www, a.b and a: //c');
    // Already escaped by the image's author: left as it is, still inert
    expect(cell('\\[a](b)')).toBe('\\[a\\](b)');
    // In a code span it is inert as it is
    expect(cell('run `[a](https://b)`')).toBe('run `[a](https://b)`');
  });

  it('puts the text on one line and escapes pipes', () => {
    expect(cell(' a\n| b\t')).toBe('a \\| b');
  });
});

describe('code', () => {
  it('is a code span, with a backtick as a quote so it cannot end early, or <code> when it holds a <', () => {
    expect(code('/app/a`b|c')).toBe("`/app/a'b\\|c`");
    expect(code('/app/<img src=x>')).toBe('<code>\\/app\\/&lt;img src\\=x&gt;</code>');
  });
});

describe("ci's error report in Markdown", () => {
  it('escapes the image and the error, which may quote what the image holds', () => {
    const markdown = renderCiError('markdown', {
      image: 'oci:<img src=x>',
      message: 'reading config: unknown media type <img src=y>',
      hint: 'check <b>it</b>',
      code: 'source',
      version: '1.0.0',
    });
    expect(withoutOwnTags(markdown)).not.toContain('<');
    expect(markdown).toContain('unknown media type &lt;img src=y&gt;');
  });
});
