// cell and code (src/reporters/markdown.ts): text from the image in the Markdown reports never carries raw HTML,
// whatever backticks and backslashes it holds, and the reports' own code spans read as before (report hunt #3).
import { renderCiError } from '../../src/reporters/ci-error.js';
import { cell, code, line, lineCode } from '../../src/reporters/markdown.js';

/** What is left of `markdown` once the <code> elements the escaping writes are taken out: no `<` may remain. */
const withoutOwnTags = (markdown: string) => markdown.replace(/<\/?code>/g, '');

describe('cell', () => {
  it('escapes HTML outside code spans', () => {
    expect(cell('RUN echo <a href="https://evil.example">Sign in</a> </details> & more')).toBe(
      'RUN echo &lt;a href="https\\://evil.example"&gt;Sign in&lt;/a&gt; &lt;/details&gt; &amp; more',
    );
  });

  it("keeps a message's own code spans, and splits one holding a < there, with &lt; between", () => {
    expect(cell('add `&& yarn cache clean` after it')).toBe('add `&& yarn cache clean` after it');
    expect(cell('write `curl=<version>`')).toBe('write `curl=`&lt;`version>`');
    // A code span cannot hold an entity (it would show `&lt;`): that is why the `<` is written between spans.
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

  it.each([
    ['a mention', 'RUN echo @everyone', 'RUN echo `@everyone`'],
    ['a team mention', 'cc @org/team now', 'cc `@org/team` now'],
    ['an issue', 'fixes #1, see GH-12', 'fixes `#1,` see `GH-12`'],
    ['an e-mail address', 'MAINTAINER a@b.co', 'MAINTAINER `a@b.co`'],
    ['a copyable command', 'RUN npm i -g @angular/cli', 'RUN npm i -g `@angular/cli`'],
    ['a word with backticks', 'echo x`@y', 'echo ``x`@y``'],
    ['a word ending with a backtick', 'echo @y`', 'echo `` @y` ``'],
    ['a pipe in a table cell', 'a|@b c|d', '`a\\|@b` c\\|d'],
    // GitHub's autolinker would link the address in a <code> element.
    ['a < with an address', 'a@b.co<b>', '`a@b.co`&lt;`b>`'],
    // Two code spans side by side would read as one run of backticks: a character stays out, as text.
    ['a mention after a code span', 'run `x`@bob', 'run `x`\\@`bob`'],
    ['an address before a code span', 'a@b.co`x` y', '`a@b.c`o`x` y'],
    ['a short word between two', '`x`@b`y`', '`x`<code>\\@b</code>`y`'],
    ['an issue of another repository', 'see owner/repo#12', 'see `owner/repo#12`'],
    ['a commit hash', 'RUN git checkout 1a2b3c4d && make', 'RUN git checkout `1a2b3c4d` &amp;&amp; make'],
    [
      'a full commit hash',
      'ref=0123456789ABCDEF0123456789abcdef01234567.',
      '`ref=0123456789ABCDEF0123456789abcdef01234567.`',
    ],
  ])('puts %s, which GitHub would link, in a code span', (_name, text, markdown) => {
    expect(cell(text)).toBe(markdown);
  });

  it('leaves other text as it was', () => {
    expect(cell('layer 3 adds /opt/x (1 MB); a # b @ c')).toBe('layer 3 adds /opt/x (1 MB); a # b @ c');
    // Not a whole word of 7 to 40 hex digits: too short, too long (a digest), or part of a longer word
    const other = `six abc123 sha256:${'ab12'.repeat(16)} x1a2b3c4d 1a2b3c4dx 1a2b3c4_d`;
    expect(cell(other)).toBe(other);
    // An @ after a letter mentions no one and, without a dot after it, is no address (a digest reference, a local
    // user); # links only before a digit.
    const names = `registry/lib/app@sha256:${'ab12'.repeat(16)}, root@localhost C# #fff`;
    expect(cell(names)).toBe(names);
  });

  it('puts the text on one line and escapes pipes', () => {
    expect(cell(' a\n| b\t')).toBe('a \\| b');
  });
});

describe('code', () => {
  it('is a code span fenced longer than its backticks, so it copies as itself, split at a <', () => {
    expect(code('/app/a`b|c')).toBe('``/app/a`b\\|c``');
    expect(code('echo ``x`` `y`')).toBe('``` echo ``x`` `y` ```');
    expect(code('/app/<img src=x>')).toBe('`/app/`&lt;`img src=x>`');
    expect(code('<a@b.co>')).toBe('&lt;`a@b.co>`');
  });
});

describe('line and lineCode, for text outside tables', () => {
  it('leave a pipe in a code span as it is, where a table cell escapes it', () => {
    // A hint quoting a command: outside a table, `\\|` in a code span would show the backslash.
    expect(line('run `echo reg | helper get` to see why')).toBe('run `echo reg | helper get` to see why');
    expect(cell('run `echo reg | helper get` to see why')).toBe('run `echo reg \\| helper get` to see why');
    expect(line('a|@b c|d')).toBe('`a|@b` c\\|d');
    expect(lineCode('/app/a|b<c')).toBe('`/app/a|b`&lt;`c`');
    expect(code('/app/a|b<c')).toBe('`/app/a\\|b`&lt;`c`');
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
