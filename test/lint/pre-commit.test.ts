// The pre-commit hook definition: pre-commit users add ballast the way they add hadolint.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DOCKERFILE_PATH_PATTERN } from '../../src/lint/dockerfile-names.js';
import { findDockerfiles, lint } from '../../src/services/lint.js';

interface Hook {
  id: string;
  entry: string;
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
