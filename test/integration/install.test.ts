// ballast installed the ways users install it, each with its real client, from a clean clone of this checkout
// (uncommitted changes included), offline except for the npm registry (issue 17):
//  - npm: `npm pack` prints only the tarball name, the tarball holds what ballast needs and nothing else,
//    `npm install -g` of it gives a working `ballast` on PATH from any directory, `npx` of the tarball runs;
//  - pre-commit (Debian's package): both hook ids, installed by pre-commit itself from `repo:` + `rev:`, fail a commit
//    on bloated Dockerfiles and pass clean ones; the installed hook starts within the lint cold-start budget.
// Slow (npm installs, one pre-commit environment): everything below shares one clone, one tarball and one install.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { gitEnv, median, repoRoot, run, runOk, snapshotRepo, userEnv } from '../helpers/install.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const tarballName = `${pkg.name}-${pkg.version}.tgz`;

// The optional native zstd addon (zstd-napi) downloads a prebuilt binary from GitHub, which these machines cannot
// reach, and then compiles from source: about 5 minutes per install on a shared 2-core machine. Lint never loads it
// and everything else falls back to fzstd without it, so the installs here skip it where npm lets them: `omit` for
// project installs (pre-commit's `npm install` in its clone), and no install scripts for the global install and npx
// (ballast has none of its own). pre-commit's own `npm install -g` into its hook environment still compiles it.
// Dependencies come from npm's cache where `npm ci` left them (prefer-offline), and a registry fetch that stalls fails
// within a minute and is retried instead of holding the test until its timeout.
const npmEnv = {
  npm_config_omit: 'optional',
  npm_config_prefer_offline: 'true',
  npm_config_fetch_timeout: '60000',
  npm_config_fetch_retries: '4',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};
const noInstallScripts = { npm_config_ignore_scripts: 'true' };
const slow = 25 * 60_000;

// One line each: the bloated ones trip different size rules, so every matched file must show up in the findings.
const bloated: Record<string, string> = {
  Dockerfile:
    'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12\nUSER 1000\n',
  'services/api.Dockerfile': 'FROM python:3.12-slim\nRUN pip install flask==3.0.0\nUSER 1000\n',
  Containerfile: 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\nUSER 1000\n',
};
const clean = 'FROM scratch\nCOPY --chmod=0755 app /app\nUSER 1000\nENTRYPOINT ["/app"]\n';
const matchedFiles = Object.keys(bloated);

let work: string;
let source: string; // the clean clone
let rev: string;
let tarball: string;
let prefix: string; // npm install -g lands here; its bin/ holds `ballast`
const withPrefix = (extra: NodeJS.ProcessEnv = {}) =>
  userEnv({ ...npmEnv, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}`, ...extra });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ballast-install-'));
  source = join(work, 'source');
  rev = await snapshotRepo(source);
  // The clone packs with this checkout's dev dependencies (TypeScript for `prepare`) instead of installing them again.
  await symlink(join(repoRoot, 'node_modules'), join(source, 'node_modules'), 'dir');
  prefix = join(work, 'prefix');
}, slow);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it(
    '`npm pack` builds the package and prints only the tarball name on stdout',
    async () => {
      const dest = join(work, 'pack');
      await mkdir(dest);
      const packed = await run('npm', ['pack', '--pack-destination', dest], {
        cwd: source,
        env: userEnv(npmEnv),
        timeoutMs: slow,
      });
      expect([packed.code, packed.stderr.includes('npm error')]).toEqual([0, false]);
      // pre-commit installs `npm install -g <stdout of npm pack>`: anything else on stdout breaks it.
      expect(packed.stdout).toBe(`${tarballName}\n`);
      tarball = join(dest, tarballName);
      expect(existsSync(tarball)).toBe(true);
    },
    slow,
  );

  it(
    'holds bin, dist, rule docs, schema, README and LICENSE, and nothing else',
    async () => {
      const dry = await runOk('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: source,
        env: userEnv(npmEnv),
      });
      const [report] = JSON.parse(dry.stdout) as {
        size: number;
        unpackedSize: number;
        entryCount: number;
        files: { path: string }[];
      }[];
      const files = report.files.map((f) => f.path);
      const allowed =
        /^(package\.json|oclif\.manifest\.json|README\.md|LICENSE|bin\/run\.js|dist\/(src|rules)\/.+\.js|rules\/(dockerfile|image)\/[a-z0-9-]+\.md|schema\/[a-z.]+\.json)$/;
      expect(files.filter((f) => !allowed.test(f))).toEqual([]);
      for (const needed of [
        'bin/run.js',
        'dist/src/main.js',
        'dist/src/lint/cli.js',
        'dist/src/commands/lint.js',
        'oclif.manifest.json',
        'dist/rules/index.js',
        'schema/ballast.schema.json',
        'README.md',
        'LICENSE',
      ]) {
        expect([needed, files.includes(needed)]).toEqual([needed, true]);
      }
      // Every rule doc page in the checkout ships (`ballast rules CODE` prints it), and no test, fixture or bench file.
      for (const target of ['dockerfile', 'image']) {
        for (const doc of readdirSync(join(source, 'rules', target)).filter((f) => f.endsWith('.md'))) {
          expect(files).toContain(`rules/${target}/${doc}`);
        }
      }
      expect(files.filter((f) => /(^|\/)(test|tests|fixtures|bench|examples)\/|\.ts$|\.map$/.test(f))).toEqual([]);
      // The size README.md states, with room to grow; a budget so a stray directory in `files` fails here (the test
      // fixtures alone are 11 MB). The code and rule pages grow by about 0.1 MB a session: 2.50 MB unpacked at 114
      // rules.
      console.log(
        `npm package: ${report.entryCount} files, ${(report.size / 1000).toFixed(1)} kB packed, ${(report.unpackedSize / 1000).toFixed(1)} kB unpacked`,
      );
      expect(report.size).toBeLessThan(750_000);
      expect(report.unpackedSize).toBeLessThan(3_000_000);
    },
    slow,
  );

  it(
    '`npm install -g` of the tarball gives a working `ballast` on PATH, from any directory',
    async () => {
      await runOk('npm', ['install', '-g', '--prefix', prefix, tarball], {
        env: userEnv({ ...npmEnv, ...noInstallScripts }),
        cwd: work,
        timeoutMs: slow,
      });
      const empty = await mkdtemp(join(work, 'empty-'));
      const version = await run('ballast', ['--version'], { cwd: empty, env: withPrefix() });
      expect(version.stderr).toBe('');
      expect(version.stdout).toMatch(new RegExp(`^${pkg.name}/${pkg.version.replaceAll('.', '\\.')} `));
      expect(version.code).toBe(0);

      await writeFile(join(empty, 'Dockerfile'), bloated.Dockerfile);
      const lint = await run('ballast', ['lint', 'Dockerfile'], { cwd: empty, env: withPrefix() });
      expect([lint.code, lint.stderr]).toEqual([1, '']);
      expect(lint.stdout).toContain('DF001');

      const analyze = await run('ballast', ['analyze', join(repoRoot, 'examples/demo/demo.tar'), '--json'], {
        cwd: empty,
        env: withPrefix(),
      });
      expect([analyze.code, analyze.stderr]).toEqual([0, '']);
      const result = JSON.parse(analyze.stdout) as { image: { source: string }; layers: unknown[] };
      expect([result.image.source, result.layers.length > 0]).toEqual(['docker-archive', true]);

      // The rule docs are read from the installed package.
      const doc = await run('ballast', ['rules', 'DF001'], { cwd: empty, env: withPrefix() });
      expect([doc.code, doc.stderr]).toEqual([0, '']);
      expect(doc.stdout).toMatch(/Why is this bad\?/);
    },
    slow,
  );

  it(
    '`npx` of the tarball runs ballast',
    async () => {
      const empty = await mkdtemp(join(work, 'npx-'));
      // A cache of its own, so npx installs from nothing, like on a fresh machine, and leaves nothing behind.
      const env = userEnv({ ...npmEnv, ...noInstallScripts, npm_config_cache: join(work, 'npx-cache') });
      const version = await run('npx', ['--yes', `--package=${tarball}`, 'ballast', '--version'], {
        cwd: empty,
        env,
        timeoutMs: slow,
      });
      expect(version.stderr).toBe('');
      expect(version.stdout).toMatch(new RegExp(`^${pkg.name}/${pkg.version.replaceAll('.', '\\.')} `));
      expect(version.code).toBe(0);
    },
    slow,
  );
});

describe('the pre-commit hooks', () => {
  let user: string;
  const preCommitHome = () => join(work, 'pre-commit-home');
  const preCommit = (...args: string[]) =>
    run('pre-commit', args, {
      cwd: user,
      env: gitEnv({
        ...npmEnv,
        PRE_COMMIT_HOME: preCommitHome(),
        PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}`,
      }),
      timeoutMs: slow,
    });
  const git = (...args: string[]) =>
    run('git', args, {
      cwd: user,
      env: gitEnv({
        PRE_COMMIT_HOME: preCommitHome(),
        PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}`,
        ...npmEnv,
      }),
      timeoutMs: slow,
    });
  const writeAll = async (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(user, path, '..'), { recursive: true });
      await writeFile(join(user, path), text);
    }
    await runOk('git', ['add', '-A'], { cwd: user, env: gitEnv() });
  };

  beforeAll(async () => {
    expect(existsSync(join(prefix, 'bin', 'ballast'))).toBe(true); // the system hook runs the ballast npm installed above
    user = join(work, 'user');
    await mkdir(user);
    await runOk('git', ['init', '-q'], { cwd: user, env: gitEnv() });
    const config = [
      'repos:',
      `  - repo: ${source}`,
      `    rev: ${rev}`,
      '    hooks:',
      '      - id: ballast-lint',
      '      - id: ballast-lint-system',
      '',
    ].join('\n');
    await writeAll({
      '.pre-commit-config.yaml': config,
      '.dockerignore': '.git\n*.log\n',
      'app/.keep': '',
      // Not a Dockerfile by name: the hooks' `files` pattern must leave it alone even though it would fail lint.
      'docs/Dockerfile.md': bloated.Dockerfile,
      ...bloated,
    });
  }, slow);

  it(
    '`pre-commit run --all-files` installs ballast-lint from the clone and fails on the bloated Dockerfiles',
    async () => {
      const result = await preCommit('run', '--all-files');
      console.log(
        `pre-commit run --all-files (bloated, includes installing the hook): exit ${result.code} in ${(result.ms / 1000).toFixed(0)} s\n${result.stdout}${result.stderr}`,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/ballast lint\.+Failed/);
      expect(result.stdout).toMatch(/ballast lint \(installed ballast\)\.+Failed/);
      for (const id of ['ballast-lint', 'ballast-lint-system']) {
        const section = result.stdout.split(`- hook id: ${id}\n`)[1].split(/\n(?=ballast lint)/)[0];
        expect(section).toContain('- exit code: 1');
        for (const file of matchedFiles)
          expect([id, file, section.split('\n').includes(file)]).toEqual([id, file, true]);
        expect(section).not.toContain('docs/Dockerfile.md');
        expect(section).toMatch(/DF001 apt-lists-not-removed/);
        expect(section).toMatch(/DF\d+ pip-cache/);
        expect(section).toMatch(/DF\d+ apk-add-cache/);
      }
    },
    slow,
  );

  it(
    'stops a commit of bloated Dockerfiles and lets clean ones through',
    async () => {
      await runOk('pre-commit', ['install'], { cwd: user, env: gitEnv({ PRE_COMMIT_HOME: preCommitHome() }) });
      const refused = await git('commit', '-q', '-m', 'bloated');
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toMatch(/ballast lint\.+Failed/);
      expect((await git('rev-parse', '--verify', '-q', 'HEAD')).code).not.toBe(0); // nothing was committed

      await writeAll(Object.fromEntries(matchedFiles.map((f) => [f, clean])));
      const passed = await preCommit('run', '--all-files');
      console.log(
        `pre-commit run --all-files (clean): exit ${passed.code} in ${(passed.ms / 1000).toFixed(1)} s\n${passed.stdout}${passed.stderr}`,
      );
      expect(passed.code).toBe(0);
      expect(passed.stdout).toMatch(/ballast lint\.+Passed/);
      expect(passed.stdout).toMatch(/ballast lint \(installed ballast\)\.+Passed/);
      const committed = await git('commit', '-q', '-m', 'clean');
      expect(committed.code).toBe(0);
      expect((await git('rev-parse', '--verify', '-q', 'HEAD')).code).toBe(0);
    },
    slow,
  );

  it(
    'the installed hook starts within the lint cold-start budget (500 ms over node itself)',
    async () => {
      // The `ballast` pre-commit installed into its node environment, run the way the hook runs it: that environment's
      // bin/ first on PATH (its `node` is a shim to the system node).
      const repos = readdirSync(preCommitHome()).filter((d) => d.startsWith('repo'));
      const hooks = repos.flatMap((r) =>
        readdirSync(join(preCommitHome(), r))
          .filter((d) => d.startsWith('node_env'))
          .map((e) => join(preCommitHome(), r, e, 'bin', 'ballast')),
      );
      expect(hooks.filter((h) => existsSync(h))).toHaveLength(1);
      const env = userEnv({ PATH: `${dirname(hooks[0])}${delimiter}${process.env.PATH}` });
      // CPU seconds (user + sys, from bash's `times`) rather than wall time: the machines these run on are shared, and a
      // loaded machine stretches wall time many-fold while the work a start-up does stays the same.
      const cpu = async (...command: string[]) => {
        // `times` prints the shell's own times, then its children's; not in a pipeline, whose subshell has no children.
        const r = await runOk('bash', ['-c', '"$@" >/dev/null 2>&1; rc=$?; times; echo "$rc"', 'cpu', ...command], {
          cwd: user,
          env,
        });
        const [, times, rc] = r.stdout.trim().split('\n');
        const seconds = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
          (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
          0,
        );
        return { ms: seconds * 1000, wallMs: r.ms, code: Number(rc) };
      };
      const node: { ms: number; wallMs: number }[] = [];
      const hook: { ms: number; wallMs: number }[] = [];
      for (let i = 0; i < 7; i += 1) {
        node.push(await cpu(process.execPath, '-e', ''));
        const lint = await cpu(hooks[0], 'lint', 'Containerfile');
        expect(lint.code).toBe(0);
        hook.push(lint);
      }
      const cpuNode = median(node.map((t) => t.ms));
      const cpuHook = median(hook.map((t) => t.ms));
      console.log(
        `hook start-up, median of 7: CPU node -e '' ${cpuNode.toFixed(0)} ms, ballast lint Containerfile ${cpuHook.toFixed(0)} ms (+${(cpuHook - cpuNode).toFixed(0)} ms); ` +
          `wall ${median(node.map((t) => t.wallMs)).toFixed(0)} ms and ${median(hook.map((t) => t.wallMs)).toFixed(0)} ms`,
      );
      expect(cpuNode).toBeGreaterThan(0); // the measure measures something
      expect(cpuHook - cpuNode).toBeLessThan(500);
    },
    slow,
  );
});
