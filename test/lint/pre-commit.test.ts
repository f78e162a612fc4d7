// The pre-commit hook definition: pre-commit users add ballast the way they add hadolint.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { DOCKERFILE_PATH_PATTERN } from '../../src/lint/dockerfile-names.js';
import { findDockerfiles, lint } from '../../src/services/lint.js';

interface Hook {
  id: string;
  entry: string;
  args?: string[];
  language: string;
  files: string;
}

// Names both the hook and `lint DIR` take, and names neither does (documents named after a Dockerfile, leftovers).
const LINTED = [
  'Dockerfile',
  'docker/Dockerfile',
  'Dockerfile.dev',
  'Dockerfile-prod',
  'Dockerfile.dev.arm64',
  'api.Dockerfile',
  'x/web.dockerfile',
  'Containerfile',
  'ci/Containerfile.ci',
];
const NOT_LINTED = [
  'Dockerfile.d/readme.md',
  'docs/dockerfiles.md',
  'src/main.ts',
  'MyDockerfile.txt',
  'docs/Dockerfile.md',
  'Containerfile.txt',
  'Dockerfile.orig',
  'api.Dockerfile.bak',
  'svc/Dockerfile.yaml',
  'Dockerfile.dockerignore',
];

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parseYaml(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Hook[];

  it('defines ballast-lint running `ballast lint` with the files pre-commit passes', () => {
    const hook = hooks.find((h) => h.id === 'ballast-lint')!;
    expect(hook).toMatchObject({ entry: 'ballast lint', language: 'node' });
    // pre-commit matches `files` with Python's re.search; this pattern means the same in JavaScript.
    // Both hooks lint the same files: the system one only differs in where `ballast` comes from.
    expect(hooks.find((h) => h.id === 'ballast-lint-system')).toMatchObject({
      entry: 'ballast lint',
      language: 'system',
      files: hook.files,
    });
    const files = new RegExp(hook.files);
    for (const name of LINTED) expect([name, files.test(name)]).toEqual([name, true]);
    for (const name of NOT_LINTED) expect([name, files.test(name)]).toEqual([name, false]);
  });

  // Regression (lintcfg #2): `lint DIR` linted Dockerfile.md and Containerfile.txt, which the hook leaves out, and
  // failed on their prose. The walk and the hook now share one pattern.
  it('holds the pattern `lint DIR` uses, so a commit and a directory lint take the same files', () => {
    for (const hook of hooks) expect([hook.id, hook.files]).toEqual([hook.id, DOCKERFILE_PATH_PATTERN]);
    // Given every example, as a file in a directory
    const dir = mkdtempSync(join(tmpdir(), 'ballast-hook-names-'));
    for (const name of [...LINTED, ...NOT_LINTED]) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), 'FROM alpine:3.20\n');
    }
    // When the directory is expanded, then exactly the files the hook takes are found (the walk also skips whole
    // directories such as node_modules/ and build/, which pre-commit leaves to the repository's own excludes)
    const found = findDockerfiles(['.'], dir).map((f) => f.slice(dir.length + 1));
    expect(found.sort()).toEqual([...LINTED].sort());
  });

  it('a document named on the command line is still linted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-hook-names-'));
    writeFileSync(join(dir, 'Dockerfile.md'), 'FROM alpine:3.20\n');
    const result = await lint({ files: ['Dockerfile.md'], cwd: dir, shellcheck: false });
    expect(result.report.targets.map((t) => t.target)).toEqual(['Dockerfile.md']);
    // Its directory alone holds no Dockerfile
    await expect(lint({ files: ['.'], cwd: dir, shellcheck: false })).rejects.toThrow(/no Dockerfiles found/);
  });

  it('the example config uses a hook that exists', () => {
    const example = parseYaml(readFileSync('examples/pre-commit-config.yaml', 'utf8')) as {
      repos: { hooks: { id: string }[] }[];
    };
    for (const hook of example.repos.flatMap((r) => r.hooks)) expect(hooks.map((h) => h.id)).toContain(hook.id);
  });
});

// Real pre-commit in a temporary repository, running the hook as .pre-commit-hooks.yaml defines ballast-lint-system
// (its entry, args and files), with a `ballast` on PATH that runs this checkout and notes each run.
describe('pre-commit running the hook', () => {
  const hooks = parseYaml(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Hook[];
  const hook = hooks.find((h) => h.id === 'ballast-lint-system')!;
  const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

  const run = (files: Record<string, string>, args?: string[]) => {
    const repo = mkdtempSync(join(tmpdir(), 'ballast-pre-commit-'));
    const path = join(repo, '.bin');
    mkdirSync(path);
    const runs = join(repo, '.runs');
    writeFileSync(
      join(path, 'ballast'),
      `#!/bin/sh\necho run >> ${JSON.stringify(runs)}\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"\n`,
    );
    chmodSync(join(path, 'ballast'), 0o755);
    const local = { ...hook, args: args ?? hook.args, name: 'ballast lint' };
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      JSON.stringify({ repos: [{ repo: 'local', hooks: [local] }] }),
    );
    for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, name), text);
    const env = {
      ...process.env,
      PATH: `${path}:${process.env.PATH}`,
      PRE_COMMIT_HOME: join(repo, '.cache'),
      NO_COLOR: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
      // pre-commit splits the files into a batch per core; with TRAVIS set it makes two, whatever the machine.
      TRAVIS: '1',
    };
    for (const git of [
      ['init', '-q'],
      ['add', '--', '.'],
    ])
      spawnSync('git', git, { cwd: repo, env });
    const result = spawnSync('pre-commit', ['run', '--all-files'], { cwd: repo, env, encoding: 'utf8' });
    const batches = readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
    // What the hook printed: pre-commit's header lines off.
    const output = result.stdout.split('\n- exit code: ')[1]?.split('\n').slice(2).join('\n') ?? result.stdout;
    return { code: result.status, output, batches };
  };

  const unpinned = (name: string) => `FROM debian:bookworm-slim\nRUN apt-get install -y ${name}\n`;
  const many = Object.fromEntries(
    Array.from({ length: 9 }, (_, i) => [`a${i}.Dockerfile`, unpinned(`tool${i}`)] as [string, string]),
  );

  // Regression (lint-gaps #3): pre-commit passed `-x.Dockerfile` after the entry and its batch stopped with
  // "Nonexistent flag: -x.Dockerfile", exit 2, linting none of its files.
  it('lints a Dockerfile whose name starts with -', () => {
    const result = run({ ...many, '-x.Dockerfile': unpinned('dash') });
    expect(result.output).not.toMatch(/error:/);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^-x\.Dockerfile\n( {2}.*\n)* {2}2:1 +warning +`apt-get install dash`/m);
    // With a config's own args, ended with `--` as the README says.
    const own = run({ ...many, '-x.Dockerfile': unpinned('dash') }, ['--fail-on', 'warning', '--']);
    expect([own.code, own.output]).toEqual([1, result.output]);
    const unended = run({ '-x.Dockerfile': unpinned('dash') }, ['--fail-on', 'error']);
    expect(unended.code).toBe(1);
    expect(unended.output).toMatch(/end the hook's `args:` in \.pre-commit-config\.yaml with --/);
  });

  // Regression (lint-gaps #2): each batch ended with its own totals, `✖ 10 problems (...)`, and the next batch's
  // first file followed on the next line: two partial counts, neither the commit's, in one run-together list.
  it("prints several batches as one list: a blank line between files, no batch's partial totals", () => {
    const result = run({ ...many, 'clean.Dockerfile': 'FROM scratch\nUSER 1000\n' });
    expect(result.batches).toBeGreaterThan(1);
    expect(result.code).toBe(1);
    const blocks = result.output.trim().split('\n\n');
    expect(blocks.map((b) => b.split('\n')[0]).sort()).toEqual(Object.keys(many).sort());
    for (const block of blocks) expect(block).toMatch(/^a\d\.Dockerfile(\n {2}\d+:\d+ +(info|warning) +.+)+$/);
  });

  // A hook with `args: [--fix, --]` printed nothing of what it fixed: under pre-commit the line `✔ fixed 1 problem:
  // DF005` went with the totals, and the hook showed only pre-commit's "files were modified by this hook".
  it('says what --fix changed in each file, in every batch', () => {
    const apk = 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\nUSER 1000\n';
    const result = run({ ...many, 'apk.Dockerfile': apk, 'apk2.Dockerfile': apk }, ['--fix', '--']);
    expect(result.batches).toBeGreaterThan(1);
    expect(result.code).toBe(1);
    const fixed = result.output.split('\n').filter((line) => line.startsWith('✔'));
    expect(fixed.sort()).toEqual([
      '✔ fixed 1 problem in apk.Dockerfile: DF005',
      '✔ fixed 1 problem in apk2.Dockerfile: DF005',
    ]);
    // Still no batch's totals
    expect(result.output).not.toMatch(/✖|problems? \(/);
  });
});
