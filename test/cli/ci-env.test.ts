// Every command as a CI job runs it, through the real executable (the compiled dist/: `npm run build` first): CI=true,
// nothing on stdin, stdout and stderr to pipes, and GitHub's or GitLab's variables set. Each run gets an environment
// built here, never the test runner's own: the runner may itself be a CI job (CI=true, GITHUB_ACTIONS=true), and the
// plain run must not be one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnTerminal } from '../helpers/cli.js';

const DEMO = 'examples/demo/demo.tar';
const DOCKERFILE = 'examples/demo/Dockerfile';
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
// eslint-disable-next-line no-control-regex -- the point: no escape sequence at all (colour, progress bar, cursor)
const ESC = /\x1b/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Only what a CI job's shell would have, plus `extra`: no variable of the runner's leaks in. */
function jobEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: tmpdir(),
    BALLAST_CACHE_DIR: process.env.BALLAST_CACHE_DIR,
    ...extra,
  };
}

/** Runs the CLI with stdin on /dev/null, as a job step without input has it. */
function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: jobEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A command that waits for input or a terminal fails here instead of stalling the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ballast-ci-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-o FILE', () => {
  it.each([
    ['analyze', [DEMO]],
    ['inspect', [DEMO]],
    ['diff', [DEMO, DEMO]],
  ])('%s writes no colour into the file, even where stdout would be coloured', async (command, args) => {
    const forced = { FORCE_COLOR: '1' };
    const file = join(dir, `${command}.txt`);
    const [printed, written] = await Promise.all([
      run([command, ...args], forced),
      run([command, ...args, '-o', file], forced),
    ]);
    // Colour is on for stdout here, so the file's lack of it is the -o decision, not an environment without colour.
    expect(printed.stdout).toMatch(ESC);
    expect(written).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(file, 'utf8')).not.toMatch(ESC);
  });
});

// util-linux's `script` gives the command a terminal of a chosen width, as a person's shell has.
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript)
  console.warn(
    'script (util-linux) not found: the -o FILE from a terminal tests are SKIPPED (bash scripts/setup-tests.sh installs it)',
  );

/** Runs the CLI on a 60-column terminal (stdout a TTY), in the same explicit environment as `run`. */
function onTerminal(args: string[]): { code: number | null } {
  return runOnTerminal(args, { cwd: root, env: jobEnv({ TERM: 'xterm' }), columns: 60 });
}

(hasScript ? describe : describe.skip)('-o FILE from a terminal', () => {
  it.each([
    ['analyze', [DEMO]],
    ['inspect', [DEMO]],
    ['diff', [DEMO, DEMO]],
    ['ci', [DEMO, '--dockerfile', DOCKERFILE]],
  ])('%s writes the file `> FILE` would get: no colour, not cut to the terminal width', async (command, args) => {
    const file = join(dir, `${command}-terminal.txt`);
    const [redirected, terminal] = await Promise.all([
      run([command, ...args], {}),
      onTerminal([command, ...args, '-o', file]),
    ]);
    expect(terminal.code).toBe(redirected.code);
    expect(readFileSync(file, 'utf8')).toBe(redirected.stdout);
  });
});

describe('in a CI job', () => {
  const commands: [string, string[], Record<string, string>][] = [
    ['analyze', ['analyze', DEMO, '--dockerfile', DOCKERFILE], {}],
    ['analyze --json', ['analyze', DEMO, '--json'], {}],
    ['inspect', ['inspect', DEMO], {}],
    ['diff', ['diff', DEMO, DEMO], {}],
    ['ci', ['ci', DEMO, '--dockerfile', DOCKERFILE], {}],
    ['ci (gate failed)', ['ci', DEMO, '--max-image-bytes', '1MB'], {}],
    ['lint', ['lint', DOCKERFILE, '--no-shellcheck'], {}],
    ['lint (oclif)', ['lint', DOCKERFILE, '--no-shellcheck'], { BALLAST_NO_FAST_PATH: '1' }],
    ['rules', ['rules'], {}],
    ['rules DF001', ['rules', 'DF001'], {}],
    ['explore --json', ['explore', DEMO, '--json'], {}],
    ['explore', ['explore', DEMO], {}],
  ];

  it.each(commands)(
    '%s prints what it prints outside CI, with the same exit code and no escape sequence',
    async (name, args, extra) => {
      const summary = join(dir, `${name.replace(/\W+/g, '-')}.md`);
      const [plain, github, gitlab] = await Promise.all([
        run(args, extra),
        run(args, {
          ...extra,
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_STEP_SUMMARY: summary,
          GITHUB_WORKSPACE: root,
        }),
        run(args, { ...extra, CI: 'true', GITLAB_CI: 'true', CI_PROJECT_DIR: root }),
      ]);
      for (const job of [github, gitlab]) {
        expect(job.code).toBe(plain.code);
        expect(job.stdout).toBe(plain.stdout);
        expect(job.stdout + job.stderr).not.toMatch(ESC);
      }
      // explore's one error line adds, in CI only, where dive's CI mode went (`CI=true dive` is dive's gate).
      const stderrInCi =
        name === 'explore'
          ? plain.stderr.replace(/\)\n$/, `; in CI, \`ballast ci ${DEMO}\` is the gate (what \`CI=true dive\` runs))\n`)
          : plain.stderr;
      expect(gitlab.stderr).toBe(stderrInCi);
      if (name.startsWith('ci')) {
        // ci alone promises GitHub anything: the job summary, and each finding as an annotation on stderr.
        expect(readFileSync(summary, 'utf8')).toMatch(/^### ballast ci: (passed|failed) for /);
        expect(github.stderr).toMatch(/^::(warning|error) /m);
        expect(github.stderr.split('\n').filter((line) => line && !line.startsWith('::'))).toEqual(
          plain.stderr.split('\n').filter(Boolean),
        );
      } else {
        expect(existsSync(summary)).toBe(false);
        expect(github.stderr).toBe(stderrInCi);
      }
    },
  );
});

describe('ci --format github on GitHub Actions', () => {
  const github = (summary: string) => ({ CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
  const annotations = (text: string) => text.split('\n').filter((line) => line.startsWith('::'));

  it('annotates each finding once when the annotations are the report on stdout', async () => {
    const result = await run(['ci', DEMO, '--format', 'github'], github(join(dir, 'github-stdout.md')));
    expect(result.code).toBe(0);
    expect(annotations(result.stdout).length).toBeGreaterThan(0);
    expect(annotations(result.stderr)).toEqual([]);
  });

  it.each([
    ['-o FILE', (file: string) => ['-o', file]],
    ['--output FILE', (file: string) => ['--output', file]],
  ])('still annotates on stderr when %s takes the report off stdout', async (name, where) => {
    const file = join(dir, `github-${name.replace(/\W+/g, '')}.txt`);
    const result = await run(['ci', DEMO, '--format', 'github', ...where(file)], github(join(dir, 'github-file.md')));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const written = annotations(readFileSync(file, 'utf8'));
    expect(written.length).toBeGreaterThan(0);
    // The runner reads only the step's output, not the file: without them there, the job page showed no finding.
    expect(annotations(result.stderr)).toEqual(written);
  });
});

describe('COLUMNS', () => {
  // A log viewer or a pager of a known width: `COLUMNS=60 ballast analyze img | less`, as GNU tools read it.
  it('lays a piped text report out to COLUMNS when it is a width, and ignores it otherwise', async () => {
    const args = ['analyze', DEMO, '--dockerfile', DOCKERFILE];
    const [plain, narrow, odd] = await Promise.all([
      run(args, {}),
      run(args, { COLUMNS: '60' }),
      run(args, { COLUMNS: 'x' }),
    ]);
    // The layers table gives the instruction what the width leaves, 60 columns here; piped with no COLUMNS it is whole
    // (the RUN's three lines joined), for grep on a saved report.
    const layerOne = (text: string) => text.split('\n').find((line) => /^1 .*Dockerfile:8 RUN/.test(line)) ?? '';
    expect(layerOne(plain.stdout)).toMatch(
      / RUN mkdir -p .* && head -c 250000 \/dev\/urandom > \/var\/cache\/apt\/archives\/tool_1\.0_amd64\.deb$/,
    );
    expect(layerOne(narrow.stdout)).toMatch(/…$/);
    // (the instruction keeps 30 columns however narrow)
    expect(layerOne(narrow.stdout).length).toBeLessThanOrEqual(63);
    expect(narrow.code).toBe(plain.code);
    expect(odd.stdout).toBe(plain.stdout);
  });

  it("wraps the notes on stderr to COLUMNS, as the report's, and keeps each on one line without it", async () => {
    const bundle = 'test/fixtures/formats/ggcr/tarball/test_bundle.tar';
    const note = `note: ${bundle} holds 2 images (@0 test_image_2; @1 test_image_1); showing @0. Pick another with PATH:NAME:TAG or PATH@N.`;
    const [plain, narrow] = await Promise.all([
      run(['inspect', bundle], {}),
      run(['inspect', bundle], { COLUMNS: '60' }),
    ]);
    expect(plain.stderr).toBe(`${note}\n`);
    const lines = narrow.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.filter((l) => l.length > 60)).toEqual([]);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {2}\S/);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(note);
  });
});
