// An on/off flag given a value, through the real executable: `--deep=false` is off and `--json=true` on, as CI files
// templating `--flag=${{ inputs.x }}` write them (oclif read `--deep=false` as --deep and an argument `false`). Off
// wins over the flag's BALLAST_* variable, as `--no-NAME` does; a value that is neither on nor off is one `error:` line
// naming the flag, exit 2. lint's fast path and its oclif command read them alike.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';

const IMAGE = resolve('test/fixtures/dive/test-docker-image.tar');
const OTHER = resolve('test/fixtures/dive/test-oci-gzip-image.tar');

// A directory with no .ballast.yaml above it, holding a Dockerfile with findings.
let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ballast-switch-values-'));
  writeFileSync(join(cwd, 'Dockerfile'), 'FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n');
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd, env });
// OTHER is an arm64 image whose index entry says so: read on any other machine, it comes with a note.
const host = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
const otherNote =
  host === 'linux/arm64'
    ? ''
    : `note: the OCI archive ${OTHER} has no image for this machine's platform (${host}); ` +
      'using its only one, linux/arm64 (--platform picks another)\n';
const isJson = (text: string) => text.trimStart().startsWith('{');

describe('an on/off flag given a value', () => {
  it.each([[['analyze', IMAGE, '--workers', '0']], [['ci', IMAGE, '--workers', '0']]])(
    '%j: --json=true and =yes print JSON, --json=false and =0 the text report',
    async (...[args]) => {
      // (ci writes its notes to stderr whatever the format: stderr is the plain run's, which has no error)
      const plain = await run(args);
      expect(plain.stderr).not.toMatch(/error/);
      for (const on of ['--json=true', '--json=yes']) {
        const result = await run([...args, on]);
        expect([result.code === 2, result.stderr]).toEqual([false, plain.stderr]);
        expect(isJson(result.stdout)).toBe(true);
      }
      for (const off of ['--json=false', '--json=0']) {
        const result = await run([...args, off]);
        expect(result.stderr).toBe(plain.stderr);
        expect([result.code, isJson(result.stdout)]).toEqual([plain.code, false]);
      }
    },
  );

  it.each([[['analyze', IMAGE, '--workers', '0']], [['inspect', IMAGE]]])(
    '%j: the last spelling of --json wins, --json --json=false is the text report',
    async (...[args]) => {
      const plain = await run(args);
      const off = await run([...args, '--json', '--json=false']);
      expect([off.code, off.stderr, off.stdout]).toEqual([plain.code, '', plain.stdout]);
      const on = await run([...args, '--json=false', '--json']);
      expect(isJson(on.stdout)).toBe(true);
    },
  );

  it('analyze --verify-diff-ids=on and --no-cache=false run as --verify-diff-ids does', async () => {
    const typed = await run(['analyze', IMAGE, '--workers', '0', '--verify-diff-ids', '--json']);
    const valued = await run([
      'analyze',
      IMAGE,
      '--workers',
      '0',
      '--verify-diff-ids=on',
      '--no-cache=false',
      '--json',
    ]);
    expect([valued.code, valued.stderr]).toEqual([0, '']);
    expect(JSON.parse(valued.stdout).image).toEqual(JSON.parse(typed.stdout).image);
  });

  it('bases --deep=false is off even with BALLAST_DEEP=1; --deep=1 is --deep', async () => {
    const args = ['bases', IMAGE, OTHER, '--workers', '0'];
    const shallow = await run(args);
    const deep = await run([...args, '--deep']);
    expect(deep.stdout).not.toBe(shallow.stdout);
    const off = await run([...args, '--deep=false'], { BALLAST_DEEP: '1' });
    expect([off.code, off.stderr, off.stdout]).toEqual([0, otherNote, shallow.stdout]);
    const on = await run([...args, '--deep=1']);
    expect([on.code, on.stderr, on.stdout]).toEqual([0, otherNote, deep.stdout]);
  });

  it('inspect --password-stdin=false wins over BALLAST_PASSWORD_STDIN=1; =true is the flag, named as typed', async () => {
    const off = await run(['inspect', IMAGE, '--password-stdin=false'], { BALLAST_PASSWORD_STDIN: '1' });
    expect([off.code, off.stderr]).toEqual([0, '']);
    const on = await run(['inspect', IMAGE, '--password-stdin=TRUE'], { BALLAST_PASSWORD_STDIN: '0' });
    expect(on.code).toBe(2);
    expect(on.stderr).toMatch(/^error: --password-stdin needs --username/);
  });

  it.each([
    [['analyze', IMAGE, '--no-cache=maybe'], '--no-cache=maybe'],
    [['ci', IMAGE, '--ci=2'], '--ci=2'],
    [['bases', IMAGE, '--no-families='], '--no-families='],
    [['lint', 'Dockerfile', '--fix='], '--fix='],
    [['lint', 'Dockerfile', '-V=loud'], '-V=loud'],
  ])('%j is one error line naming the flag and the values it takes, exit 2', async (args, typed) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: [^\n]*\n$/);
    expect(result.stderr).toContain(`error: ${typed} is neither on nor off`);
    expect(result.stderr).toMatch(/=true or [^ ]+=false/);
  });

  it('ci --json=false with a bad value elsewhere is the error line alone; --json=true the JSON error document', async () => {
    const plain = await run(['ci', IMAGE, '--json=false', '--no-cache=maybe']);
    expect([plain.code, plain.stdout]).toEqual([2, '']);
    expect(plain.stderr).toMatch(/^error: --no-cache=maybe is neither on nor off [^\n]*\n$/);
    const json = await run(['ci', IMAGE, '--json=true', '--no-cache=maybe']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      verdict: 'error',
      error: { message: '--no-cache=maybe is neither on nor off' },
    });
  });

  it('--debug=false is no --debug, --debug=true is --debug (the stack), in every command and on the lint fast path', async () => {
    const missing = join(cwd, 'missing.tar');
    const plain = await run(['analyze', missing]);
    expect(plain.stderr.split('\n')).toHaveLength(2);
    const off = await run(['analyze', missing, '--debug=false'], { BALLAST_DEBUG: '1' });
    expect([off.code, off.stderr]).toEqual([2, plain.stderr]);
    const on = await run(['analyze', missing, '--debug=true']);
    expect(on.code).toBe(2);
    expect(on.stderr.split('\n').length).toBeGreaterThan(2);
    const lint = await run(['lint', 'Dockerfile']);
    for (const env of [{}, { BALLAST_NO_FAST_PATH: '1' }])
      expect(await run(['lint', 'Dockerfile', '--debug=0'], env)).toEqual(lint);
    const bad = await run(['analyze', missing, '--debug=maybe']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/^error: --debug=maybe is neither on nor off [^\n]*\n$/);
  });

  describe('lint, on its fast path and through oclif alike', () => {
    const both = async (args: string[]) => {
      const fast = await run(['lint', ...args]);
      const oclif = await run(['lint', ...args], { BALLAST_NO_FAST_PATH: '1' });
      expect(fast).toEqual(oclif);
      return fast;
    };

    it('--no-fail=true passes, --no-fail=false fails as without it', async () => {
      expect((await both(['Dockerfile'])).code).toBe(1);
      expect((await both(['Dockerfile', '--no-fail=true'])).code).toBe(0);
      expect((await both(['Dockerfile', '--no-fail=false'])).code).toBe(1);
    });

    it('--json=on and -V=off read as --json alone', async () => {
      const json = await both(['Dockerfile', '--json']);
      const valued = await both(['Dockerfile', '--json=on', '-V=off']);
      expect(valued).toEqual(json);
      expect(isJson(valued.stdout)).toBe(true);
      const verbose = await both(['Dockerfile', '-V=yes']);
      expect(verbose.stderr).toContain('linting Dockerfile');
    });

    it('a value that is neither is the same error line', async () => {
      expect((await both(['Dockerfile', '--strict-labels=sometimes'])).code).toBe(2);
    });
  });
});
