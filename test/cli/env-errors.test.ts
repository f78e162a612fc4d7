// A bad value in a BALLAST_* variable, through the real executable: the one `error:` line names the variable that
// set it, not the flag nobody typed (`--ignore-junk`) nor a config key nobody wrote (`ignore.rules`), keeps its hint,
// and exits 2. A value typed on the command line is still named by its flag, even with the variable set too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';

const IMAGE = resolve('test/fixtures/dive/test-docker-image.tar');
const DOCKERFILE = resolve('examples/demo/Dockerfile');

// A directory with no .ballast.yaml above it, so the config cannot be what names the value.
let cwd: string;
beforeAll(() => (cwd = mkdtempSync(join(tmpdir(), 'ballast-env-errors-'))));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const analyze = ['analyze', IMAGE, '--workers', '0'];
const diff = ['diff', IMAGE, IMAGE, '--workers', '0'];
const ci = ['ci', IMAGE, '--workers', '0'];
const lint = ['lint', DOCKERFILE];

// [variable, junk value, command line, its flag]
const rows: [string, string, string[], string][] = [
  ['BALLAST_FORMAT', 'nope', analyze, 'format'],
  ['BALLAST_FORMAT', 'nope', ['explore', IMAGE, '--workers', '0'], 'format'],
  ['BALLAST_FORMAT', 'nope', diff, 'format'],
  ['BALLAST_FORMAT', 'nope', ['bases', IMAGE], 'format'],
  ['BALLAST_FORMAT', 'nope', ci, 'format'],
  ['BALLAST_FORMAT', 'nope', lint, 'format'],
  ['BALLAST_FAIL_ON', 'nope', analyze, 'fail-on'],
  ['BALLAST_FAIL_ON', 'nope', ci, 'fail-on'],
  ['BALLAST_FAIL_ON', 'nope', lint, 'fail-on'],
  ['BALLAST_TOP', 'nope', analyze, 'top'],
  ['BALLAST_TOP', '0', diff, 'top'],
  ['BALLAST_WORKERS', 'nope', ['analyze', IMAGE], 'workers'],
  ['BALLAST_WORKERS', '-1', ['ci', IMAGE], 'workers'],
  ['BALLAST_WORKERS', 'nope', ['bases', IMAGE, '--deep'], 'workers'],
  ['BALLAST_TIMEOUT', '0', ['inspect', IMAGE], 'timeout'],
  ['BALLAST_SOURCE', 'nope', ['inspect', IMAGE], 'source'],
  ['BALLAST_PASSWORD_STDIN', '1', ['inspect', IMAGE], 'password-stdin'],
  ['BALLAST_INSECURE_REGISTRY', 'me@registry.local', ['inspect', IMAGE], 'insecure-registry'],
  ['BALLAST_MAX_DECOMPRESSED_BYTES', 'nope', analyze, 'max-decompressed-bytes'],
  ['BALLAST_MAX_DECOMPRESSED_BYTES', 'nope', ci, 'max-decompressed-bytes'],
  ['BALLAST_MAX_ENTRIES', '0', analyze, 'max-entries'],
  ['BALLAST_LAYER_CACHE_MAX_BYTES', 'nope', analyze, 'no flag'],
  ['BALLAST_RESULT_CACHE_MAX_BYTES', 'nope', analyze, 'no flag'],
  ['BALLAST_MAX_WASTED_BYTES', 'nope', ci, 'max-wasted-bytes'],
  ['BALLAST_MAX_IMAGE_BYTES', 'nope', ci, 'max-image-bytes'],
  ['BALLAST_IGNORE_RULE', 'nope', ci, 'ignore-rule'],
  ['BALLAST_IGNORE_JUNK', 'nope', ci, 'ignore-junk'],
  ['BALLAST_IGNORE_PATH', '/', ci, 'ignore-path'],
  ['BALLAST_ONLY', 'nope', diff, 'only'],
  ['BALLAST_GROWTH_METRIC', 'nope', diff, 'growth-metric'],
  ['BALLAST_FAIL_ON_GROWTH', 'nope', diff, 'fail-on-growth'],
];

/** The run's stderr as its one line: `error: MESSAGE (hint: HINT)`. */
async function failure(args: string[], env: NodeJS.ProcessEnv) {
  const r = await runCli(args, { cwd, env });
  const lines = r.stderr.trimEnd().split('\n');
  expect({ code: r.code, lines: lines.length }).toEqual({ code: 2, lines: 1 });
  const [, message, hint] = /^error: (.*) \(hint: (.+)\)$/.exec(lines[0]) ?? [];
  expect(hint).toBeTruthy();
  return message;
}

describe('a bad BALLAST_* value is named by its variable', () => {
  it.each(rows)('%s=%s in %j', async (variable, value, args, flag) => {
    const message = await failure(args, { [variable]: value });
    expect(message).toContain(variable);
    expect(message).not.toMatch(new RegExp(`--${flag}(?![\\w-])`));
    expect(message).not.toContain('ignore.rules');
  });
});

// Regression: a variable's value that is not an integer kept oclif's wording (`Parsing $BALLAST_TOP Expected an
// integer but received: abc`), which the flag's error does not.
describe('a bad BALLAST_* value reads as the same value typed with its flag', () => {
  // [variable, junk value, command line without the flag, its flag]
  it.each([
    ['BALLAST_TOP', 'abc', analyze, 'top'],
    ['BALLAST_TOP', '0', diff, 'top'],
    ['BALLAST_WORKERS', 'nope', ['analyze', IMAGE], 'workers'],
    ['BALLAST_WORKERS', '-1', ['ci', IMAGE], 'workers'],
    ['BALLAST_TIMEOUT', 'abc', ['inspect', IMAGE], 'timeout'],
    ['BALLAST_TIMEOUT', '2147484', ['inspect', IMAGE], 'timeout'],
    ['BALLAST_MAX_ENTRIES', '0', analyze, 'max-entries'],
    ['BALLAST_SOURCE', 'nope', ['inspect', IMAGE], 'source'],
    ['BALLAST_FAIL_ON_GROWTH', 'nope', diff, 'fail-on-growth'],
  ])('%s=%s in %j', async (variable, value, args, flag) => {
    const fromVariable = await failure(args, { [variable]: value });
    const typed = await failure([...args, `--${flag}`, value], {});
    expect(fromVariable).toBe(typed.replace(`--${flag}`, `$${variable}`));
  });
});

describe('a bad value typed on the command line is named by its flag, even with its variable set', () => {
  it.each([
    ['BALLAST_TOP', '5', [...analyze, '--top', 'nope'], 'top'],
    ['BALLAST_FORMAT', 'text', [...analyze, '--format=nope'], 'format'],
    ['BALLAST_FORMAT', 'json', [...lint, '-f', 'nope'], 'format'],
    ['BALLAST_IGNORE_RULE', 'IM001', [...ci, '--ignore-rule', 'nope'], 'ignore-rule'],
    ['BALLAST_IGNORE_JUNK', 'logs', [...ci, '--ignore-junk', 'nope'], 'ignore-junk'],
    ['BALLAST_ONLY', 'size', [...diff, '--only', 'nope'], 'only'],
    [
      'BALLAST_MAX_DECOMPRESSED_BYTES',
      '1GB',
      [...analyze, '--max-decompressed-bytes', 'nope'],
      'max-decompressed-bytes',
    ],
  ])('%s=%s with %j', async (variable, value, args, flag) => {
    const message = await failure(args as string[], { [variable]: value });
    expect(message).toMatch(new RegExp(`--${flag}(?![\\w-])`));
    expect(message).not.toContain(variable);
  });

  it('also when bundled after a switch (-Vf nope), on the fast path and through oclif', async () => {
    for (const oclif of ['', '1']) {
      const message = await failure([...lint, '-Vf', 'nope'], { BALLAST_FORMAT: 'json', BALLAST_NO_FAST_PATH: oclif });
      expect(message).toMatch(/--format(?![\w-])/);
      expect(message).not.toContain('BALLAST_FORMAT');
    }
  });
});

describe('an on/off variable', () => {
  // oclif reads any value but 1/true/yes/y as off: `BALLAST_NO_CACHE=on` would quietly use the cache.
  it.each([
    ['BALLAST_NO_CACHE', analyze],
    ['BALLAST_VERIFY_DIFF_IDS', analyze],
    ['BALLAST_NO_VERIFY', ['inspect', IMAGE]],
    ['BALLAST_PASSWORD_STDIN', ['inspect', IMAGE]],
    ['BALLAST_DEEP', ['bases', IMAGE]],
    ['BALLAST_ANY_VERSION', ['bases', IMAGE]],
    ['BALLAST_FAMILIES', ['bases', IMAGE]],
  ])('%s=maybe in %j is an error naming the variable, not a silent off', async (variable, args) => {
    const message = await failure(args, { [variable]: 'maybe' });
    expect(message).toBe(`$${variable}=maybe is neither on nor off`);
  });

  it('reads on and off as 1 and 0 (BALLAST_PASSWORD_STDIN=on needs --username as =1 does)', async () => {
    const inspect = ['inspect', IMAGE];
    for (const on of ['1', 'on', 'ON', 'yes'])
      expect(await failure(inspect, { BALLAST_PASSWORD_STDIN: on })).toContain(
        '$BALLAST_PASSWORD_STDIN needs --username',
      );
    for (const off of ['0', 'off', 'no', ''])
      expect((await runCli(inspect, { cwd, env: { BALLAST_PASSWORD_STDIN: off } })).code).toBe(0);
  });

  it('is not read when its flag is typed (the flag wins, as for every variable)', async () => {
    // The image records no base, so bases stops there (no network): after the flags were read.
    const r = await runCli(['bases', IMAGE, '--no-families'], { cwd, env: { BALLAST_FAMILIES: 'maybe' } });
    expect(r.stderr).toMatch(/^error: .*does not record its base/);
  });
});

describe('a path set by a BALLAST_* variable that names no file', () => {
  it.each([
    ['BALLAST_CONFIG', ci],
    ['BALLAST_CONFIG', lint],
    ['BALLAST_DOCKERFILE', analyze],
  ])('%s in %j: the hint names the variable, not only a flag nobody typed', async (variable, args) => {
    const r = await runCli(args, { cwd, env: { [variable]: join(cwd, 'nonexistent') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: .*nonexistent.* \\(hint: .*${variable}.*\\)\\n$`));
  });
});
