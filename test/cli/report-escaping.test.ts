// Strings from the image (and the Dockerfile) in every report format, through the real executable (`npm run build`
// first): each format makes them safe in its own syntax, where it writes them (JSON by JSON.stringify, XML by
// escapeXml, HTML by escapeHtml and scriptJson, Markdown by escaping HTML and link syntax, text by printable), and no text pass runs
// over a finished document. Found by the report hunt (notes/s8/report-hunt.md, items 1-6).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, WHITEOUT, type BuiltImage } from '../helpers/image-builder.js';
import { rawTar } from '../helpers/hostile.js';
import { unbroken } from '../helpers/html-text.js';
import { checkXml, parseJunit } from '../helpers/junit.js';
import { sarifValidator } from '../helpers/sarif.js';

const oclif = { BALLAST_NO_FAST_PATH: '1' };

/** The data of an `analyze --format html` page, as the page script reads it. */
function pageData(html: string): unknown {
  const m = /<script type="application\/json" id="ballast-data">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no ballast-data element in the page');
  return JSON.parse(m[1]);
}

/** Every string in a parsed JSON value (keys included). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-report-escaping-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Registers, in the calling describe, a base image and an image on it whose text holds `hostile` content where the
 * Markdown reports show it: an .env file a rule reports, a big file's directory, a file a later layer deletes (waste,
 * so the ci gate fails), both layers' history, the user and a label.
 */
function hostileImages(hostile: {
  envDir: string;
  bigDir: string;
  deleted: string;
  history: string;
  rmHistory: string;
  user: string;
  label: [string, string];
}): { base: BuiltImage; evil: BuiltImage } {
  const images = {} as { base: BuiltImage; evil: BuiltImage };
  beforeAll(async () => {
    images.base = await buildOciLayout([layer({ 'etc/os-release': 100 }, 'COPY rootfs /')]);
    images.evil = await buildOciLayout(
      [
        layer({ 'etc/os-release': 100 }, 'COPY rootfs /'),
        layer(
          {
            [`srv/${hostile.envDir}/.env`]: 'S=1\n',
            [`app/${hostile.bigDir}/big`]: 600_000,
            [`tmp/${hostile.deleted}`]: 800_000,
          },
          hostile.history,
        ),
        layer({ [`tmp/.wh.${hostile.deleted}`]: WHITEOUT }, hostile.rmHistory),
      ],
      { config: { User: hostile.user, Labels: { [hostile.label[0]]: hostile.label[1] } } },
    );
  });
  afterAll(() => {
    images.base?.cleanup();
    images.evil?.cleanup();
  });
  return images;
}

describe('DEL and C1 controls from the image in a document format (report hunt #1)', () => {
  // Given an image whose names hold DEL (U+007F) and CSI (U+009B, a C1 control), one an .env file a rule reports
  // by its path. Inside a JSON string `\x7f` (what the terminal escaping writes) is no escape: the document broke.
  const env = 'srv/x\x7fy\x9bz/.env';
  let image: BuiltImage;
  beforeAll(async () => {
    image = await buildOciLayout([layer({ 'app/a\x7fb.txt': 'hello', [env]: 'S=1\n' }, 'COPY . /')]);
  });
  afterAll(() => image.cleanup());

  it('ci: --format sarif on stdout and every --output document parse, the names exact', async () => {
    const file = (name: string) => join(dir, `ci-del.${name}`);
    const result = await runCli([
      'ci',
      image.path,
      '--no-cache',
      '--format',
      'sarif',
      ...['json', 'codeclimate', 'junit', 'checkstyle'].flatMap((f) => ['-o', `${f}=${file(f)}`]),
    ]);
    expect(result.stderr).not.toMatch(/^error/m);
    const sarif = JSON.parse(result.stdout) as unknown;
    const validate = sarifValidator();
    expect(validate(sarif)).toBe(true);
    for (const doc of [
      sarif,
      JSON.parse(readFileSync(file('json'), 'utf8')),
      JSON.parse(readFileSync(file('codeclimate'), 'utf8')),
    ])
      expect(stringsOf(doc).some((s) => s.includes(`/${env}`))).toBe(true);
    for (const xml of [readFileSync(file('junit'), 'utf8'), readFileSync(file('checkstyle'), 'utf8')]) {
      expect(XMLValidator.validate(xml)).toBe(true);
      // Shown as the text formats show them, not raw (XML discourages them, a dashboard shows them as nothing).
      expect(xml).toContain('srv/x\\x7fy\\x9bz/.env');
      // eslint-disable-next-line no-control-regex -- the point
      expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/);
    }
  });

  it('analyze --format html: the page data parses, the names exact; the tables show them as \\xHH', async () => {
    const out = join(dir, 'del.html');
    const result = await runCli(['analyze', image.path, '--no-cache', '--format', 'html', '-o', out]);
    expect(result.stderr).toBe('');
    const html = readFileSync(out, 'utf8');
    const names = stringsOf(pageData(html));
    expect(names).toEqual(expect.arrayContaining(['a\x7fb.txt', 'x\x7fy\x9bz']));
    // eslint-disable-next-line no-control-regex -- no raw control character in the page (HTML parse errors)
    expect(html).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/);
    expect(unbroken(html)).toContain('/app/a\\x7fb.txt');
  });

  // Given a Dockerfile with DEL in a package name, which the apt rules quote.
  it.each([
    ['json', {}],
    ['sarif', {}],
    ['codeclimate', {}],
    ['json', oclif],
    ['sarif', oclif],
    ['codeclimate', oclif],
  ])('lint --format %s (env %j), on stdout and with -o, parses with the exact name', async (format, envVars) => {
    const dockerfile = join(dir, 'Dockerfile.del');
    writeFileSync(dockerfile, 'FROM debian:12\nRUN apt-get install -y cu\x7frl\n');
    const out = join(dir, `lint-${format}-${Object.keys(envVars).length}.json`);
    const args = ['lint', dockerfile, '--no-shellcheck', '--format', format];
    const [printed, written] = await Promise.all([
      runCli(args, { env: envVars }),
      runCli([...args, '-o', out], { env: envVars }),
    ]);
    expect(printed.code).toBe(1);
    expect(written.code).toBe(1);
    for (const text of [printed.stdout, readFileSync(out, 'utf8')])
      expect(stringsOf(JSON.parse(text)).some((s) => s.includes('cu\x7frl'))).toBe(true);
  });
});

describe('lint --fix - with the report on stderr', () => {
  // Found next to #1: the oclif command wrote the report left after fixing stdin to stderr unescaped.
  it.each([[{}], [oclif]])('shows the Dockerfile control characters as \\xHH (env %j)', async (envVars) => {
    const input = 'FROM alpine:3.20\nRUN apk add cu\x1b[2J\x07rl\n';
    const result = await runCli(['lint', '--fix', '-', '--no-shellcheck'], { input, env: envVars });
    expect(result.stderr).toContain('cu\\x1b[2J\\x07rl');
    // eslint-disable-next-line no-control-regex -- the point
    expect(result.stderr).not.toMatch(/[\x1b\x07]/);
  });
});

describe('characters XML cannot hold in the JUnit and checkstyle reports (report hunt #2)', () => {
  // Given an image with U+FFFF in the name of an .env file a rule reports, and a Dockerfile with U+FFFE in a package
  // name: both valid UTF-8, neither a character XML 1.0 allows, even as a character reference.
  let image: BuiltImage;
  beforeAll(async () => {
    image = await buildOciLayout([layer({ 'srv/a\uffffb/.env': 'S=1\n' }, 'COPY . /')]);
  });
  afterAll(() => image.cleanup());

  it('ci --format junit on stdout and -o checkstyle= are well-formed', async () => {
    const checkstyle = join(dir, 'ff.checkstyle.xml');
    const result = await runCli([
      'ci',
      image.path,
      '--no-cache',
      '--format',
      'junit',
      '-o',
      `checkstyle=${checkstyle}`,
    ]);
    expect(result.stderr).not.toMatch(/^error/m);
    expect(() => parseJunit(result.stdout)).not.toThrow();
    expect(result.stdout).toContain('srv/a\\uffffb/.env');
    expect(() => checkXml(readFileSync(checkstyle, 'utf8'))).not.toThrow();
  });

  it.each([
    ['junit', {}],
    ['checkstyle', {}],
    ['junit', oclif],
    ['checkstyle', oclif],
  ])('lint --format %s (env %j) is well-formed', async (format, envVars) => {
    const dockerfile = join(dir, 'Dockerfile.fffe');
    writeFileSync(dockerfile, 'FROM debian:12\nRUN apt-get install -y cu\ufffe\uffffrl\n');
    const result = await runCli(['lint', dockerfile, '--no-shellcheck', '--format', format], { env: envVars });
    expect(result.code).toBe(1);
    expect(() => checkXml(result.stdout)).not.toThrow();
    expect(result.stdout).toContain('cu\\ufffe\\uffffrl');
  });
});

describe('HTML from the image in the Markdown reports (report hunt #3)', () => {
  // Given an image whose file names, directory names, history and config hold HTML: GitHub renders the raw HTML of
  // a PR comment or step summary (a live link, an image fetched by every reader, a </details> closing the report's).
  const history =
    'RUN echo <a href="https://evil.example/login">Sign in</a> <img src="https://evil.example/t.png"></details>';
  const images = hostileImages({
    envDir: '<img src=x>',
    bigDir: '<b>d</b>',
    deleted: '<a href=y>t</a>',
    history,
    rmHistory: 'RUN rm </details>',
    user: '<img src=u>',
    label: ['<b>l</b>', '<i>v</i>'],
  });

  /** No `<` but the report's own tags, and every table row with as many cells as its header. */
  function expectNoImageHtml(markdown: string): void {
    expect(markdown.replace(/<\/?(details|summary|code)>|<br>/g, '')).not.toContain('<');
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    let header: number | undefined;
    for (const line of markdown.split('\n')) {
      if (!line.startsWith('|')) header = undefined;
      else if (header === undefined) header = cells(line);
      else expect([line, cells(line)]).toEqual([line, header]);
    }
  }

  it('analyze --format markdown', async () => {
    const result = await runCli(['analyze', images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expectNoImageHtml(result.stdout);
    // The report's own <details> are whole, and the image's text is there, escaped
    // (layers, biggest directories, and duplicates when there are any), each closed before the next opens
    const details = result.stdout.match(/<\/?details>/g) ?? [];
    expect(details.length).toBeGreaterThanOrEqual(4);
    expect(details).toEqual(details.map((_, i) => (i % 2 ? '</details>' : '<details>')));
    // (a layer's instruction is a code span, split at each < as a rule message's is: a span cannot hold an entity)
    expect(result.stdout).toContain('`RUN echo `&lt;`a href="https://evil.example/login">Sign in`&lt;`/a> `');
    // A rule message quotes the path in a code span, split at the < (a span cannot hold an entity)
    expect(result.stdout).toContain('`/srv/`&lt;`img src=x>/.env`');
  });

  it('ci --format markdown and the step summary', async () => {
    const summary = join(dir, 'summary.md');
    const result = await runCli(
      ['ci', images.evil.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'markdown'],
      {
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      },
    );
    expect(result.code).toBe(1);
    for (const markdown of [result.stdout, readFileSync(summary, 'utf8')]) {
      expectNoImageHtml(markdown);
      expect(markdown).toContain('`/srv/`&lt;`img src=x>/.env`');
    }
  });

  it('diff --format markdown', async () => {
    const result = await runCli(['diff', images.base.path, images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expectNoImageHtml(result.stdout);
    expect(result.stdout).toContain('/app/&lt;b&gt;d&lt;/b&gt;');
  });

  it('bases --format markdown', async () => {
    const result = await runCli(['bases', images.base.path, images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expectNoImageHtml(result.stdout);
    expect(result.stdout).toContain('&lt;img src=u&gt;');
  });
});

describe('Markdown links from the image in the Markdown reports', () => {
  // Given an image whose file names, directory names, history and config hold Markdown links and images: GitHub
  // renders them in a PR comment or step summary as a live link showing the image author's words over their address,
  // or an image every reader's browser fetches. Rendered by cmark-gfm, GitHub's renderer, with its extensions.
  const link = '[click me](https://evil.example/login)';
  const image = '![x](https://evil.example/t.png)';
  const images = hostileImages({
    envDir: '[a](https:evil.example)',
    bigDir: '![i](https:evil.example)',
    deleted: '[t](https:evil.example)',
    history: `RUN echo ${link} ${image} see www.evil.example and https://evil.example/x`,
    rmHistory: `RUN rm ${link}`,
    user: `${link}${image}`,
    label: [link, image],
  });

  /** The HTML GitHub would show for `markdown`: no link and no image, whatever the image's text held. */
  function expectInert(markdown: string): string {
    const html = execFileSync(
      'cmark-gfm',
      ['--unsafe', ...['table', 'autolink', 'strikethrough', 'tagfilter', 'tasklist'].flatMap((e) => ['-e', e])],
      {
        input: markdown,
        encoding: 'utf8',
      },
    );
    expect(html).not.toMatch(/<a\b|<img\b|<input\b/);
    return html;
  }

  it('analyze --format markdown', async () => {
    const result = await runCli(['analyze', images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    const html = expectInert(result.stdout);
    // The text still reads as the image has it (the layer table keeps the history whole, in a code span)
    expect(html).toContain(`<code>RUN echo ${link} ${image} see www.evil.example and https://evil.example/x</code>`);
    expect(html).toContain('/srv/[a](https:evil.example)/.env');
  });

  it('ci --format markdown and the step summary', async () => {
    const summary = join(dir, 'summary-links.md');
    const result = await runCli(
      ['ci', images.evil.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'markdown'],
      {
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      },
    );
    expect(result.code).toBe(1);
    for (const markdown of [result.stdout, readFileSync(summary, 'utf8')])
      expect(expectInert(markdown)).toContain('[a](https:evil.example)');
  });

  it('diff --format markdown', async () => {
    const result = await runCli(['diff', images.base.path, images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(expectInert(result.stdout)).toContain('![i](https:evil.example)');
  });

  it('bases --format markdown', async () => {
    const result = await runCli(['bases', images.base.path, images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(expectInert(result.stdout)).toContain(`${link}${image}`);
  });
});

describe('GitHub mentions, issue links and e-mail addresses from the image in the Markdown reports', () => {
  // Given an image whose names and history hold `@name`, `#1`, an e-mail address and a commit hash: GitHub links them in the rendered
  // page (notifying people, linking issues) whatever Markdown escapes them, but never inside code. Backticks and
  // pipes in the same words must neither end a code span early nor split a table row.
  const images = hostileImages({
    envDir: '@everyone',
    bigDir: 'x|#1',
    deleted: 'a@b.co`t`',
    history: 'RUN npm i -g @angular/cli && echo #12 GH-3 ops@example.com ``x`` @o/team && git checkout 1a2b3c4d',
    rmHistory: 'RUN rm -f @here',
    user: '@root',
    label: ['maintainer', 'me@example.com'],
  });

  /** The HTML GitHub would show: nothing it would link outside <code>, and every table row as wide as its header. */
  function expectUnlinked(markdown: string): string {
    const html = execFileSync('cmark-gfm', ['--unsafe', ...['table', 'autolink'].flatMap((e) => ['-e', e])], {
      input: markdown,
      encoding: 'utf8',
    });
    const outsideCode = html.replace(/<code>[\s\S]*?<\/code>/g, '');
    expect(outsideCode).not.toMatch(/@\w|#\d|\bGH-\d|<a\b|\b[0-9a-f]{7,40}\b/i);
    for (const table of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
      const widths = (table.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).map((row) => (row.match(/<t[dh]\b/g) ?? []).length);
      expect(new Set(widths).size).toBe(1);
    }
    return html;
  }

  it('analyze --format markdown', async () => {
    const result = await runCli(['analyze', images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    const html = expectUnlinked(result.stdout);
    // Copied from the page, the command reads as the image has it (a code span of its own in the layer table).
    expect(html).toContain(
      '<code>RUN npm i -g @angular/cli &amp;&amp; echo #12 GH-3 ops@example.com ``x`` @o/team &amp;&amp; git checkout 1a2b3c4d</code>',
    );
    expect(html).toContain('/srv/@everyone/.env');
  });

  it('ci --format markdown and the step summary', async () => {
    const summary = join(dir, 'summary-mentions.md');
    const result = await runCli(
      ['ci', images.evil.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'markdown'],
      { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } },
    );
    expect(result.code).toBe(1);
    for (const markdown of [result.stdout, readFileSync(summary, 'utf8')]) {
      const html = expectUnlinked(markdown);
      expect(html).toContain('<code>/srv/@everyone/.env</code>');
      // The rule message quotes the deleted file whole: its backticks neither end the span nor open another.
      expect(html).toContain('adds <code>/tmp/a@b.co`t`</code> (');
    }
  });

  it('diff --format markdown', async () => {
    const result = await runCli(['diff', images.base.path, images.evil.path, '--no-cache', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expectUnlinked(result.stdout);
  });
});

describe('pipes in the Markdown reports, in and out of tables', () => {
  // Given an image read through a path with a pipe: in a table cell a code span must write it `\\|` (the table would
  // split the row on it), but the heading and the baseline line are no table, where a code span shows `\\|` as it is.
  let image: BuiltImage;
  let named: string;
  beforeAll(async () => {
    image = await buildOciLayout([layer({ 'etc/os-release': 100 }, 'COPY rootfs /')]);
    named = join(dir, 'app|v1.oci');
    symlinkSync(image.path, named);
  });
  afterAll(() => image.cleanup());

  const render = (markdown: string) =>
    execFileSync('cmark-gfm', ['-e', 'table'], { input: markdown, encoding: 'utf8' });

  it('ci --format markdown: the heading and the baseline line show the path as it is', async () => {
    const summary = join(dir, 'summary-pipes.md');
    const result = await runCli(['ci', named, '--no-cache', '--baseline', named, '--format', 'markdown'], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.code).toBe(0);
    for (const markdown of [result.stdout, readFileSync(summary, 'utf8')]) {
      const html = render(markdown);
      expect(html).toContain(`<h3>ballast ci: passed for <code>${named}:latest</code>, linux/amd64</h3>`);
      expect(html).toMatch(new RegExp(`<strong>Baseline</strong> <code>[^<]*app\\|v1\\.oci[^<]*</code>`));
      expect(html).not.toContain('\\|');
    }
  });
});

describe('workflow commands from the image in a text report (report hunt #4)', () => {
  // Given labels and env entries whose keys are GitHub workflow commands, one behind a no-break space (the runner
  // trims leading whitespace, Unicode's included, before it looks for `::`)
  let image: BuiltImage;
  beforeAll(async () => {
    image = await buildOciLayout([layer({ 'etc/os-release': 100 }, 'COPY rootfs /')], {
      config: {
        Labels: { '::warning file=Dockerfile,line=1::pwned': 'x', '\u00a0::add-mask::secret': 'y' },
        Env: ['::stop-commands::token=1'],
      },
    });
  });
  afterAll(() => image.cleanup());

  it('inspect shows them with the first : escaped, so no line is a command', async () => {
    const result = await runCli(['inspect', image.path]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^\s*::/m);
    expect(result.stdout).toContain('\\x3a:warning file=Dockerfile,line=1::pwned=x');
    expect(result.stdout).toContain('\\x3a:stop-commands::token=1');
  });
});

describe('Azure Pipelines logging commands from the image in a text report', () => {
  // Given labels, env entries and file names that are Azure Pipelines commands: the agent obeys `##vso[` anywhere in a
  // line of output (set a variable, prepend to PATH for later steps), and shows a line starting `##[` as a command
  let image: BuiltImage;
  beforeAll(async () => {
    image = await buildOciLayout(
      [
        layer({ 'etc/os-release': 100 }, 'COPY rootfs /'),
        layer({ 'tmp/##vso[task.prependpath]evil': 900_000 }, 'RUN make ##vso[task.setvariable variable=B]1'),
        layer({ 'tmp/.wh.##vso[task.prependpath]evil': WHITEOUT }, 'RUN rm'),
      ],
      {
        config: {
          Labels: { '##vso[task.setvariable variable=A]1': 'x', ' ##[error]forged': 'y' },
          Env: ['##[group]hidden=1', '##VSO[task.complete result=Succeeded]x=1'],
        },
      },
    );
  });
  afterAll(() => image.cleanup());

  it.each([
    ['inspect', () => ['inspect', image.path]],
    ['analyze', () => ['analyze', image.path, '--no-cache']],
    ['ci', () => ['ci', image.path, '--no-cache', '--max-wasted-bytes', '1']],
    ['ci github', () => ['ci', image.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'github']],
  ])('%s shows them with a # escaped, so no line is a command', async (_name, args) => {
    const result = await runCli(args());
    expect(result.stderr).not.toMatch(/^error/m);
    const out = result.stdout + result.stderr;
    expect(out).toContain('\\x23#vso[task.');
    expect(out).not.toMatch(/##vso\[/i);
    expect(out).not.toMatch(/^\s*##\[/m);
  });

  it('an error line quoting the argument shows it with a # escaped too', async () => {
    // Given a path argument holding a command: the error line quotes it, and the agent reads stderr as well
    const result = await runCli(['analyze', join(tmpdir(), 'x ##vso[task.setvariable variable=X]1.tar')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('\\x23#vso[task.setvariable variable=X]1.tar');
    expect(result.stderr).not.toMatch(/##vso\[/i);
  });

  it('inspect: the text still reads as the image has it', async () => {
    const result = await runCli(['inspect', image.path]);
    expect(result.stdout).toContain('\\x23#vso[task.setvariable variable=A]1=x');
    expect(result.stdout).toContain('\\x23#[error]forged=y');
    expect(result.stdout).toContain('\\x23#[group]hidden=1');
    expect(result.stdout).toContain('\\x23#VSO[task.complete result=Succeeded]x=1');
  });
});

describe('bidirectional controls from the image in a text report (report hunt #5)', () => {
  // Given names and a label with a right-to-left override and an isolate: shown as they are, the text after them
  // (a size, the next column) reads backwards.
  let image: BuiltImage;
  beforeAll(async () => {
    image = await buildOciLayout(
      [
        layer({ 'etc/os-release': 100 }, 'COPY rootfs /'),
        layer({ 'app/report\u202e.txt': 812_000, 'tmp/t\u2066mp': 900_000 }, 'RUN make \u202e'),
        layer({ 'tmp/.wh.t\u2066mp': WHITEOUT }, 'RUN rm'),
      ],
      { config: { Labels: { 'l\u202e': 'v\u2067' } } },
    );
  });
  afterAll(() => image.cleanup());

  it.each([
    ['analyze', () => ['analyze', image.path, '--no-cache']],
    ['inspect', () => ['inspect', image.path]],
    ['ci', () => ['ci', image.path, '--no-cache', '--max-wasted-bytes', '1']],
    ['ci github', () => ['ci', image.path, '--no-cache', '--max-wasted-bytes', '1', '--format', 'github']],
  ])('%s shows them as \\uHHHH', async (_name, args) => {
    const result = await runCli(args());
    expect(result.stderr).not.toMatch(/^error/m);
    for (const text of [result.stdout, result.stderr])
      expect(text).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toMatch(/\\u202e|\\u2066/);
  });
});

describe('tabs and newlines in file names in the text and Markdown reports', () => {
  // Given /app/new<LF>line (overwritten by a later layer) beside /app/new line and /app/tab<TAB>x: made a space, the
  // first would print as the second, another file. The paths show \x0a and \x09, as in the HTML report; the history
  // (prose) still reads its newline as a space.
  let before: BuiltImage;
  let after: BuiltImage;
  beforeAll(async () => {
    const base = layer({ 'etc/os-release': 100 }, 'COPY rootfs /');
    before = await buildOciLayout([base]);
    after = await buildOciLayout([
      base,
      layer({ 'app/new\nline': 5_000, 'app/new line': 4_000, 'app/tab\tx': 3_000 }, 'COPY app /app'),
      layer({ 'app/new\nline': 6_000 }, 'RUN make \\\n\tall'),
    ]);
  });
  afterAll(() => {
    before.cleanup();
    after.cleanup();
  });

  const shown = (stdout: string) => {
    expect(stdout).toContain('/app/new\\x0aline');
    expect(stdout).toContain('/app/new line');
    expect(stdout).toContain('/app/tab\\x09x');
    expect(stdout).not.toMatch(/new\nline|tab\tx/);
  };

  it.each([
    ['analyze', () => ['analyze', after.path, '--no-cache'], true],
    // The Markdown report lists no files: the finding quotes the path.
    ['analyze markdown', () => ['analyze', after.path, '--no-cache', '--format', 'markdown'], false],
  ])('%s: in the lists and in the finding that quotes the path', async (_name, args, lists) => {
    const { stdout, stderr } = await runCli(args());
    expect(stderr).not.toMatch(/^error/m);
    if (lists) shown(stdout);
    expect(stdout).toContain('overwrites `/app/new\\x0aline`');
    expect(stdout).toContain('RUN make \\ all');
  });

  it.each([
    ['diff', () => ['diff', before.path, after.path, '--no-cache']],
    ['diff markdown', () => ['diff', before.path, after.path, '--no-cache', '--format', 'markdown']],
  ])('%s: in the file and waste lists', async (_name, args) => {
    const { stdout, stderr } = await runCli(args());
    expect(stderr).toBe('');
    shown(stdout);
  });
});

describe('SARIF locations of image findings without --dockerfile (report hunt #6)', () => {
  // Given an image with an .env file a rule reports, in a temp dir of its own
  let image: BuiltImage;
  beforeAll(async () => {
    image = await buildOciLayout([layer({ 'srv/.env': 'S=1\n' }, 'COPY . /')]);
  });
  afterAll(() => image.cleanup());

  const uris = (sarif: string) =>
    (
      JSON.parse(sarif) as {
        runs: { results: { locations: { physicalLocation: { artifactLocation: unknown } }[] }[] }[];
      }
    ).runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation);

  it('point at the image as a file: URI when it is outside the working directory', async () => {
    const result = await runCli(['ci', image.path, '--no-cache', '--format', 'sarif'], { cwd: dir });
    expect(sarifValidator()(JSON.parse(result.stdout))).toBe(true);
    expect(new Set(uris(result.stdout).map((u) => JSON.stringify(u)))).toEqual(
      new Set([JSON.stringify({ uri: pathToFileURL(image.path).href })]),
    );
  });

  it('point at the image relative to %SRCROOT% when it is inside, however it was named', async () => {
    const result = await runCli(['ci', image.path, '--no-cache', '--format', 'sarif'], { cwd: join(image.path, '..') });
    expect(new Set(uris(result.stdout).map((u) => JSON.stringify(u)))).toEqual(
      new Set([JSON.stringify({ uri: basename(image.path), uriBaseId: '%SRCROOT%' })]),
    );
  });
});

describe('an error that quotes the image', () => {
  // Found next to #1: a docker-archive whose manifest lists a layer path with terminal escapes. The error line on
  // stderr and ci's error reports (written where the reports of a finished run go) passed them to the terminal.
  const archive = () => {
    const file = join(dir, 'bad-layer.tar');
    const config = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}';
    const manifest = JSON.stringify([
      { Config: 'c.json', RepoTags: ['x:1'], Layers: ['a\x1b]0;PWNED\x07\n::add-mask::b/layer.tar'] },
    ]);
    writeFileSync(
      file,
      rawTar([
        { name: 'manifest.json', content: manifest },
        { name: 'c.json', content: config },
      ]),
    );
    return file;
  };

  it('shows its control characters, on the error line and in the text and Markdown reports', async () => {
    const file = archive();
    const text = join(dir, 'bad-layer.txt');
    const summary = join(dir, 'bad-layer-summary.md');
    const [analyzed, gated] = await Promise.all([
      runCli(['analyze', file]),
      runCli(['ci', file, '--format', 'markdown', '-o', `text=${text}`], {
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      }),
    ]);
    expect(analyzed.code).toBe(2);
    expect(gated.code).toBe(2);
    expect(analyzed.stderr).toContain('a\\x1b]0;PWNED\\x07 ::add-mask::b/layer.tar');
    for (const out of [
      analyzed.stderr,
      gated.stderr,
      gated.stdout,
      readFileSync(text, 'utf8'),
      readFileSync(summary, 'utf8'),
    ]) {
      // eslint-disable-next-line no-control-regex -- the point
      expect(out).not.toMatch(/[\x1b\x07]/);
      // No workflow command but the gate's own annotation, whose message has the line break escaped
      expect(out.replace(/^::error title=ballast ci::the gate could not run for .*\n/, '')).not.toMatch(/^\s*::/m);
    }
    expect(gated.stderr).toMatch(/^::error title=ballast ci::[^\n]*PWNED\\x07%0A::add-mask::b/);
  });
});

describe('lint: a Dockerfile name or line with control characters in the line formats', () => {
  // hadolint's tty format printed the Dockerfile's text raw (an OSC sequence retitled the terminal), and stylish, gnu
  // and tty printed a file name's newline and colour sequences as they are: `a\nb.Dockerfile` read as a finding in
  // `b.Dockerfile` to an editor's quickfix, and `ESC[8m` in a name concealed the rest of the report.
  it.each([
    ['fast path', {}],
    ['oclif', oclif],
  ])('stylish, gnu and tty show them as \\xHH (%s)', async (_path, env) => {
    const work = mkdtempSync(join(dir, 'lint-names-'));
    const named = 'a\nb\x1b[8m.Dockerfile';
    writeFileSync(join(work, named), 'FROM debian:12\n');
    writeFileSync(join(work, 'osc.Dockerfile'), 'FROM debian:12\nRUN apt-get install -y "\x1b]0;pwned\x07"\n');
    for (const format of ['stylish', 'gnu', 'tty']) {
      const run = await runCli(['lint', '--no-shellcheck', '--format', format, named, 'osc.Dockerfile'], {
        cwd: work,
        env,
      });
      expect([format, run.code, run.stderr]).toEqual([format, 1, '']);
      expect(run.stdout).not.toContain('\x1b');
      expect(run.stdout).not.toContain('\x07');
      expect(run.stdout).toContain('a\\x0ab\\x1b[8m.Dockerfile');
      expect(run.stdout).toContain('\\x1b]0;pwned\\x07');
      expect(run.stdout.split('\n').filter((l) => /^b/.test(l))).toEqual([]);
    }
  });
});
