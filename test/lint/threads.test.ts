// Lint on more than one thread (src/lint/lint-threads.ts): a run of many Dockerfiles, linted on the main thread and a
// worker at once, gives the very bytes one thread gives. Needs dist/ (`npm run build`): the worker is the compiled one
// (under ts-jest there is none, and lint runs on one thread).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintThreads } from '../../src/lint/lint-threads.js';
import { runCli } from '../helpers/cli.js';

const FILES = 96;
let dir: string;

/**
 * Dockerfiles of mixed findings in six folders: a .ballast.yaml with its own severities, failOn and pragmas off, a
 * .hadolint.yaml, one whose ignorePaths skips some files, a .dockerignore (fixes that edit it name it from the working
 * directory), inline pragmas (one naming no rule: a note), and a file that is not text (not read: linted again by the
 * main thread after the worker failed it).
 */
function generate(root: string): void {
  const steps = [
    'RUN apt-get update && apt-get install -y curl',
    '# hadolint ignore=DL3008\nRUN apt-get install -y vim',
    '# ballast-ignore DF999 no such rule\nRUN echo hi',
    'RUN pip install flask',
    'COPY . .',
    'ADD app.tar.gz /opt/',
    'RUN npm install',
    'WORKDIR app',
    'RUN cd /src && make',
    'RUN echo $HOME > /x',
  ];
  for (let i = 0; i < FILES; i++) {
    const sub = join(root, `d${i % 6}`);
    mkdirSync(sub, { recursive: true });
    const lines = [`FROM ${i % 3 ? 'debian:12' : 'node:20'}`];
    for (let k = 0; k < 2 + (i % 7); k++) lines.push(steps[(i * 3 + k * 7) % steps.length]);
    lines.push(i % 2 ? 'CMD ["app"]' : 'CMD app');
    writeFileSync(join(sub, `s${String(i).padStart(2, '0')}.Dockerfile`), `${lines.join('\n')}\n`);
  }
  writeFileSync(
    join(root, 'd1', '.ballast.yaml'),
    'failOn: warning\nrules:\n  DF001: error\n  DL3006: { severity: info }\ninlinePragmas: false\n',
  );
  writeFileSync(join(root, 'd2', '.hadolint.yaml'), 'ignored: [DL3008]\nfailure-threshold: error\n');
  writeFileSync(join(root, 'd3', '.ballast.yaml'), 'ignorePaths: ["s0*.Dockerfile"]\n');
  writeFileSync(join(root, 'd4', '.dockerignore'), '.git\n');
  writeFileSync(join(root, 'd5', 's50.Dockerfile'), Buffer.from([0x46, 0x52, 0, 1, 2, 0xff]));
}

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../../dist/src/lint/lint-worker.js', import.meta.url))))
    throw new Error('dist/ is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'ballast-lint-threads-'));
  generate(dir);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-script.mjs`, { force: true });
});

/** `ballast lint . ARGS` on one thread and on two, at once. */
async function both(args: string[]) {
  const run = (threads: string) =>
    runCli(['lint', '.', '--no-shellcheck', ...args], { cwd: dir, env: { BALLAST_LINT_THREADS: threads } });
  return Promise.all([run('1'), run('2')]);
}

/** A lint through dist's service: what the tests compare of its result. */
const RESULT = [
  '  const r = await lint({ files: [dir], cwd: dir, shellcheck: false, keepGoing: true, workersFirst: true });',
  '  const fixable = r.report.targets.flatMap((t) => t.findings).filter(r.canFix).length;',
  '  return { report: r.report, fixable, notices: r.notices, exitCode: r.exitCode, linted: r.linted,',
  '    errors: r.errors.map((e) => e.message), threads: r.threads };',
];
/** The same without keep-going (the service's default, as ci runs it): the error thrown, and the lines logged. */
const FIRST_ERROR = [
  '  const logged = [];',
  '  try {',
  '    await lint({ files: [dir], cwd: dir, shellcheck: false, log: (l) => logged.push(l), workersFirst: true });',
  '    return { logged };',
  '  } catch (e) { return { error: [e.constructor.name, e.code, e.message, e.hint], logged }; }',
];

/** `lint` run by `body` with BALLAST_LINT_THREADS=1, then =2, in a node process of its own (`node ARGS script`). */
// The parsed JSON of two results, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function serviceRuns(body: string[], args: string[] = []): [any, any] {
  const service = new URL('../../dist/src/services/lint.js', import.meta.url).href;
  const script = [
    `const { lint } = await import(${JSON.stringify(service)});`,
    `const dir = ${JSON.stringify(dir)};`,
    'const run = async (threads) => {',
    '  process.env.BALLAST_LINT_THREADS = threads;',
    ...body,
    '};',
    "process.stdout.write(JSON.stringify([await run('1'), await run('2')]));",
  ].join('\n');
  const file = `${dir}-script.mjs`;
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, args.length > 0 ? [...args, script] : [file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout);
}

// One thread unless asked: from the command line a new worker cost more than it saved (bench/README.md, session 56).
it('lints on one thread unless $BALLAST_LINT_THREADS asks for more, and only from 64 files', () => {
  expect(lintThreads(1000, {})).toBe(1);
  expect(lintThreads(1000, { BALLAST_LINT_THREADS: '2' })).toBe(2);
  expect(lintThreads(63, { BALLAST_LINT_THREADS: '2' })).toBe(1);
});

describe('lint on two threads', () => {
  it.each([[[]], [['--json']], [['--format', 'sarif']], [['--format', 'checkstyle', '-V']]])(
    'gives the bytes one thread gives: lint . %j',
    async (args) => {
      const [one, two] = await both(args);
      // Not read: the file that is not text (exit 2, and its line on stderr).
      expect(one.code).toBe(2);
      expect(one.stderr).toContain('s50.Dockerfile');
      expect(one.stdout.length).toBeGreaterThan(10_000);
      expect(two).toEqual(one);
    },
  );

  // The service itself (dist's, whose worker exists): the report, the fixable counts (canFix), the notices and the
  // exit code, on one thread and on two; and that the second run did lint on a worker.
  it('lints on the worker, and the result is the one thread result', () => {
    const [one, two] = serviceRuns(RESULT);
    expect(one.threads).toBeUndefined();
    // 97 files: the 96 and d5/s50 (not read, linted by a thread and failed there), less d3's 2 ignorePaths skips.
    expect(one.linted).toBe(FILES - 2);
    expect(two.threads.threads).toBe(2);
    expect(two.threads.linted[0] + two.threads.linted[1]).toBe(FILES - 1);
    expect(two.threads.linted[1]).toBeGreaterThan(0);
    expect(one.fixable).toBeGreaterThan(0);
    expect(one.notices.length).toBeGreaterThan(0);
    delete two.threads;
    expect(two).toEqual(one);
  });

  // Node passes its options to workers: with `--input-type` (a script given as text) a worker cannot load its module,
  // and the main thread lints every file itself.
  it('lints on the main thread alone when the worker cannot start', () => {
    const [one, two] = serviceRuns(RESULT, ['--input-type=module', '-e']);
    expect(two.threads).toEqual({ threads: 1, linted: [FILES - 1] });
    delete two.threads;
    expect(two).toEqual(one);
  });

  // Without keep-going (the service's default, as ci runs it) the first file not read fails the run: with threads,
  // the same error, and with none of the files after it reported.
  it('fails on the file it cannot read as one thread does', () => {
    const [one, two] = serviceRuns(FIRST_ERROR);
    expect(one.error[2]).toMatch(/s50\.Dockerfile/);
    // Files after it were not even named: the log stops at it.
    expect(one.logged.at(-1)).toMatch(/^linting d5\/s50\.Dockerfile/);
    expect(two).toEqual(one);
  });

  it('says so when $BALLAST_LINT_THREADS is not a number of threads', async () => {
    const run = await runCli(['lint', '.', '--no-shellcheck'], { cwd: dir, env: { BALLAST_LINT_THREADS: 'two' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/\$BALLAST_LINT_THREADS must be a whole number from 1 to 64, not "two"/);
  });
});
