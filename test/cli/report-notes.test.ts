// The notes on stderr that tell a user the report is not what they likely meant, through the real executable (the
// compiled dist/: `npm run build` first): `-o report.html` with no --format wrote the text report into report.html
// without a word, and `bases a.oci a.oci` compared one image with no word that it was given twice.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

const DEMO = 'examples/demo/demo.tar';
// No format from the job's environment, and no CI: the notes are the only thing on stderr.
const env = { BALLAST_FORMAT: '', BALLAST_CONTENT_TYPE: '', GITHUB_ACTIONS: '', GITLAB_CI: '' };

let dir: string;
let a: BuiltImage;
let b: BuiltImage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-report-notes-'));
  a = await buildOciLayout([layer({ 'app/a.txt': 100 }, 'COPY a /app')]);
  b = await buildOciLayout([layer({ 'app/a.txt': 100, 'app/b.txt': 2000 }, 'COPY a /app')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  a?.cleanup();
  b?.cleanup();
});

describe('-o FILE whose extension names another format than the one written', () => {
  it.each([
    ['analyze', 'r.html', () => [DEMO], 'pass --format html for the web page'],
    ['analyze', 'r.HTM', () => [DEMO], 'pass --format html for the web page'],
    ['analyze', 'r.json', () => [DEMO], 'pass --format json (or --json) for JSON'],
    ['diff', 'd.md', () => [a.path, b.path], 'pass --format markdown for Markdown'],
    ['bases', 'b.json', () => [a.path, b.path, '--no-cache'], 'pass --format json (or --json) for JSON'],
    ['ci', 'x.sarif', () => [DEMO], 'write it as -o sarif=PATH for SARIF'],
    // ci has both XML formats: JUnit, what CI systems read for test results, first, and how to ask for Checkstyle's.
    ['ci', 'x.xml', () => [DEMO], 'write it as -o junit=PATH for JUnit XML, or -o checkstyle=PATH for Checkstyle XML'],
    // ci has no web page: the note says whose it is (it said nothing, and report.html held the text report)
    [
      'ci',
      'r.html',
      () => [DEMO],
      "ci has no HTML report: the web page is analyze's (ballast analyze IMAGE --format html -o report.html, with the same --dockerfile)",
    ],
  ])('%s -o %s writes the text report, as before, and says so on stderr', async (command, name, args, hint) => {
    const file = join(dir, `${command}-${name}`);
    const result = await runCli([command, ...args(), '-o', file], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`note: writing the text report to ${file}; ${hint}\n`);
    expect(result.stderr.match(/writing the text report/g)).toHaveLength(1);
    // The format written is still the default: scripts rely on it.
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*[{<]/);
  });

  it.each([
    ['a --format typed', ['analyze', DEMO, '--format', 'text'], 'r.html', {}],
    ['$BALLAST_FORMAT matching the extension', ['analyze', DEMO], 'r.html', { BALLAST_FORMAT: 'html' }],
    ['$BALLAST_CONTENT_TYPE matching the extension', ['analyze', DEMO], 'r.json', { BALLAST_CONTENT_TYPE: 'json' }],
    ['$BALLAST_FORMAT, the other XML', ['ci', DEMO], 'x.xml', { BALLAST_FORMAT: 'checkstyle' }],
    ['$BALLAST_FORMAT, a JSON format', ['ci', DEMO], 'gl-code-quality-report.json', { BALLAST_FORMAT: 'codeclimate' }],
    [
      'a --format typed over $BALLAST_FORMAT',
      ['analyze', DEMO, '--format', 'text'],
      'r.html',
      { BALLAST_FORMAT: 'markdown' },
    ],
    ['--json', ['analyze', DEMO, '--json'], 'r.json', {}],
    ['--format json', ['diff', DEMO, DEMO, '--format', 'json'], 'r.json', {}],
    ['an extension of the text report', ['analyze', DEMO], 'r.txt', {}],
    ['no extension', ['analyze', DEMO], 'report', {}],
    ['an extension of a format the command lacks', ['diff', DEMO, DEMO], 'r.html', {}],
    ['ci --format text', ['ci', DEMO, '--format', 'text'], 'x.sarif', {}],
    ['FORMAT=PATH', ['ci', DEMO], 'sarif=x.json', {}],
  ])('no note with %s', async (_name, args, name, extra) => {
    // `sarif=x.json`: the format, then the path.
    const [format, path] = name.includes('=') ? name.split('=') : [undefined, name];
    const file = join(dir, `quiet-${path}`);
    const result = await runCli([...args, '-o', format ? `${format}=${file}` : file], { env: { ...env, ...extra } });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('note: writing');
  });

  // A $BALLAST_FORMAT set for the whole job (even to text) silenced the note, though nobody chose it for this file.
  it.each([
    ['analyze', [DEMO], 'r.html', { BALLAST_FORMAT: 'text' }, 'the text report', 'pass --format html for the web page'],
    ['analyze', [DEMO], 'r.html', { BALLAST_FORMAT: 'markdown' }, 'the Markdown report', 'pass --format html'],
    ['analyze', [DEMO], 'r.md', { BALLAST_FORMAT: 'json' }, 'the JSON report', 'pass --format markdown'],
    ['analyze', [DEMO], 'r.html', { BALLAST_CONTENT_TYPE: 'json' }, 'the JSON report', 'pass --format html'],
    ['diff', [DEMO, DEMO], 'd.json', { BALLAST_FORMAT: 'markdown' }, 'the Markdown report', 'pass --format json'],
    ['ci', [DEMO], 'x.xml', { BALLAST_FORMAT: 'sarif' }, 'the SARIF report', 'write it as -o junit=PATH'],
  ])(
    '%s %j -o %s with %j says which format the variable wrote there',
    async (command, args, name, extra, what, hint) => {
      const file = join(dir, `env-${command}-${name}`);
      const result = await runCli([command, ...args, '-o', file], { env: { ...env, ...extra } });
      expect(result.code).toBe(0);
      const [variable, value] = Object.entries(extra)[0];
      expect(result.stderr).toContain(`note: writing ${what} to ${file} ($${variable}=${value}); ${hint}`);
      expect(result.stderr.match(/note: writing /g)).toHaveLength(1);
    },
  );

  it('no note for -o -, the report on stdout', async () => {
    const result = await runCli(['analyze', DEMO, '-o', '-'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toBe('');
    expect(result.stderr).toBe('');
  });
});

// `lint -o report.xml` wrote the stylish report there with no word, though lint writes JUnit and Checkstyle XML.
describe('lint -o FILE whose extension names another format (fast path and oclif)', () => {
  const lint = ['lint', 'examples/demo/Dockerfile', '--no-shellcheck', '--fail-on', 'none'];
  // Empty variables are unset (the note named `$HADOLINT_FORMAT=` for an empty one).
  const lintEnv = { ...env, HADOLINT_FORMAT: '' };
  const both = 'pass --format junit for JUnit XML, or --format checkstyle for Checkstyle XML';
  it.each([{}, { BALLAST_NO_FAST_PATH: '1' }])('names what was written and both XML formats (env %j)', async (path) => {
    const cases: [Record<string, string>, string, string | undefined][] = [
      [{}, 'r.xml', `the stylish report to FILE; ${both}`],
      [{ BALLAST_FORMAT: 'sarif' }, 'r.xml', `the SARIF report to FILE ($BALLAST_FORMAT=sarif); ${both}`],
      [{ HADOLINT_FORMAT: 'json' }, 'r.xml', `the JSON report to FILE ($HADOLINT_FORMAT=json); ${both}`],
      [{}, 'r.sarif', 'the stylish report to FILE; pass --format sarif for SARIF'],
      [{ BALLAST_FORMAT: 'checkstyle' }, 'r.xml', undefined],
      [{ BALLAST_FORMAT: 'codeclimate' }, 'gl-code-quality-report.json', undefined],
      [{}, 'r.txt', undefined],
    ];
    for (const [extra, name, note] of cases) {
      const file = join(dir, `lint-${Object.keys(path).length}-${Object.values(extra).join('')}-${name}`);
      const result = await runCli([...lint, '-o', file], { env: { ...lintEnv, ...path, ...extra } });
      expect([extra, name, result.code]).toEqual([extra, name, 0]);
      expect([extra, name, result.stderr]).toEqual([
        extra,
        name,
        note ? `note: writing ${note.replace('FILE', file)}\n` : '',
      ]);
    }
    // A format typed is what the user meant.
    const typed = await runCli([...lint, '--format', 'stylish', '-o', join(dir, 'typed.xml')], {
      env: { ...lintEnv, ...path },
    });
    expect([typed.code, typed.stderr]).toEqual([0, '']);
  });
});

describe('bases given one image twice', () => {
  it('compares it once and names the duplicate on stderr', async () => {
    const result = await runCli(['bases', a.path, b.path, a.path, '--no-cache'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2 images side by side/);
    expect(result.stderr).toBe(`note: ${a.path} was given twice: compared once\n`);
    const thrice = await runCli(['bases', a.path, a.path, b.path, a.path, '--no-cache'], { env });
    expect(thrice.stdout).toMatch(/^2 images side by side/);
    expect(thrice.stderr).toBe(`note: ${a.path} was given 3 times: compared once\n`);
  });

  it('says nothing of two different images', async () => {
    const result = await runCli(['bases', a.path, b.path, '--no-cache'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
