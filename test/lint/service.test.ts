// The lint service without oclif: file discovery, ignorePaths, --context, --ignore, fixes and exit codes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDockerfiles, lint } from '../../src/services/lint.js';

const temp = () => mkdtempSync(join(tmpdir(), 'ballast-lint-service-'));
const codesOf = (result: Awaited<ReturnType<typeof lint>>) =>
  result.report.targets.map((t) => [t.target, t.findings.map((f) => f.code)]);

describe('lint service', () => {
  it('finds Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile, skipping node_modules and .git', () => {
    const dir = temp();
    for (const path of [
      'Dockerfile',
      'Containerfile',
      'Dockerfile.dev',
      'svc/api.Dockerfile',
      'svc/x.dockerfile',
      'node_modules/a/Dockerfile',
      '.git/Dockerfile',
      'README.md',
      'Dockerfile.dockerignore',
    ]) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), 'FROM alpine:3.20\n');
    }
    expect(findDockerfiles(['.'], dir).map((f) => f.slice(dir.length + 1))).toEqual([
      'Containerfile',
      'Dockerfile',
      'Dockerfile.dev',
      'svc/api.Dockerfile',
      'svc/x.dockerfile',
    ]);
  });

  it('says so when a directory holds no Dockerfile', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'README.md'), '# nothing here\n');
    await expect(lint({ files: ['.'], cwd: dir })).rejects.toThrow(/no Dockerfiles found in \./);
  });

  it('skips ignorePaths from .ballast.yaml and turns rules off with ignore (code, name or hadolint id)', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'vendor', 'x'), { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:latest\nMAINTAINER me\n');
    writeFileSync(join(dir, 'vendor', 'x', 'Dockerfile'), 'FROM debian\n');
    writeFileSync(join(dir, '.ballast.yaml'), 'ignorePaths: ["vendor/**"]\n');
    const result = await lint({ files: ['.'], cwd: dir, ignore: ['DL3007'] });
    expect(codesOf(result)).toEqual([['Dockerfile', ['DF110']]]);
    await expect(lint({ files: ['.'], cwd: dir, ignore: ['DF999'] })).rejects.toThrow(/--ignore DF999: no such rule/);
  });

  it('looks for .dockerignore in --context instead of the Dockerfile directory', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'docker'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'docker', 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\n');
    writeFileSync(join(dir, 'app', '.dockerignore'), '.git\n');
    const without = await lint({ files: ['docker/Dockerfile'], cwd: dir });
    expect(codesOf(without)).toEqual([['docker/Dockerfile', ['DF025']]]);
    const withContext = await lint({ files: ['docker/Dockerfile'], cwd: dir, context: 'app' });
    expect(codesOf(withContext)).toEqual([['docker/Dockerfile', []]]);
  });

  it('exit code follows failOn; --fix rewrites only safe fixes, --unsafe-fixes the rest', async () => {
    const dir = temp();
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM alpine:3.20\nMAINTAINER me\nRUN apk add curl=8.9.1-r1\n');
    expect((await lint({ files: [file], cwd: dir, failOn: 'error' })).exitCode).toBe(1);
    expect((await lint({ files: [file], cwd: dir, failOn: 'none' })).exitCode).toBe(0);
    const fixed = await lint({ files: [file], cwd: dir, fix: true });
    expect(fixed.fixedCount).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('FROM alpine:3.20\nMAINTAINER me\nRUN apk add --no-cache curl=8.9.1-r1\n');
    await lint({ files: [file], cwd: dir, fix: true, unsafeFixes: true });
    expect(readFileSync(file, 'utf8')).toBe(
      'FROM alpine:3.20\nLABEL maintainer="me"\nRUN apk add --no-cache curl=8.9.1-r1\n',
    );
  });

  it('reads stdin for -, never writing anything', async () => {
    const result = await lint({
      files: ['-'],
      cwd: temp(),
      readStdin: async () => 'FROM alpine\n',
      stdinFilename: 'stdin.Dockerfile',
      fix: true,
    });
    expect(codesOf(result)).toEqual([['stdin.Dockerfile', ['DF022']]]);
  });
});
