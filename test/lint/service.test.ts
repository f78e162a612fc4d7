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

// Regression (lintcfg #1): every Dockerfile was linted with the config of the first one, so a later directory's
// .ballast.yaml was ignored and its failOn could hide another directory's findings.
describe('lint service: each Dockerfile gets the config found upward from its own directory', () => {
  const pipDockerfile = 'FROM debian:12-slim\nRUN pip install flask==3.0.0\n';

  it("--fix leaves a file alone whose own directory's config turns the rule off", async () => {
    // Given two services with the same Dockerfile, and DF006 off in svc-b's config only
    const dir = temp();
    for (const svc of ['svc-a', 'svc-b']) {
      mkdirSync(join(dir, svc));
      writeFileSync(join(dir, svc, 'Dockerfile'), pipDockerfile);
    }
    writeFileSync(join(dir, 'svc-b', '.ballast.yaml'), 'rules:\n  DF006: off\n');
    // When the whole tree is fixed
    const result = await lint({ files: ['.'], cwd: dir, fix: true, shellcheck: false });
    // Then only svc-a is rewritten
    expect(readFileSync(join(dir, 'svc-a', 'Dockerfile'), 'utf8')).toBe(
      'FROM debian:12-slim\nRUN pip install --no-cache-dir flask==3.0.0\n',
    );
    expect(readFileSync(join(dir, 'svc-b', 'Dockerfile'), 'utf8')).toBe(pipDockerfile);
    expect(result.configFile).toBeUndefined();
  });

  it("judges each file by its own config's failOn, whichever file comes first", async () => {
    // Given b/ whose config never fails, and a/ with findings and no config
    const dir = temp();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'Dockerfile'), 'FROM debian\n');
    writeFileSync(join(dir, 'b', 'Dockerfile'), 'FROM debian\n');
    writeFileSync(join(dir, 'b', '.ballast.yaml'), 'failOn: none\n');
    for (const order of [
      ['b/Dockerfile', 'a/Dockerfile'],
      ['a/Dockerfile', 'b/Dockerfile'],
    ]) {
      // When both are linted
      const result = await lint({ files: order, cwd: dir, shellcheck: false });
      // Then a/'s findings fail the run, and each target says which failOn judged it
      expect(result.exitCode).toBe(1);
      expect(result.failOn).toBeUndefined();
      expect(result.report.failOn).toBeUndefined();
      expect(Object.fromEntries(result.report.targets.map((t) => [t.target, t.failOn]))).toEqual({
        'a/Dockerfile': 'info',
        'b/Dockerfile': 'none',
      });
    }
    // And b/ alone passes, as its config says
    expect((await lint({ files: ['b/Dockerfile'], cwd: dir, shellcheck: false })).exitCode).toBe(0);
    // And --fail-on applies to every file, said once in the report
    const flag = await lint({ files: ['b', 'a'], cwd: dir, failOn: 'none', shellcheck: false });
    expect(flag.exitCode).toBe(0);
    expect(flag.report.failOn).toBe('none');
    expect(flag.report.targets.every((t) => t.failOn === undefined)).toBe(true);
  });

  it('uses --config for every file, and the working directory for stdin', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'Dockerfile'), 'FROM debian\n');
    writeFileSync(join(dir, 'a', '.ballast.yaml'), 'rules:\n  DF022: off\n');
    writeFileSync(join(dir, 'all.ballast.yaml'), 'rules:\n  DF024: off\n');
    writeFileSync(join(dir, '.ballast.yaml'), 'rules:\n  DF024: off\n  DF022: off\n');
    // --config wins over a/'s own config
    const configured = await lint({ files: ['a'], cwd: dir, config: 'all.ballast.yaml', shellcheck: false });
    expect(codesOf(configured)).toEqual([['a/Dockerfile', ['DF022']]]);
    expect(configured.configFile).toBe(join(dir, 'all.ballast.yaml'));
    // stdin next to a file: stdin takes the cwd's config, the file its own directory's
    const mixed = await lint({
      files: ['-', 'a/Dockerfile'],
      cwd: dir,
      readStdin: async () => 'FROM debian\n',
      shellcheck: false,
    });
    expect(codesOf(mixed)).toEqual([
      ['-', []],
      ['a/Dockerfile', ['DF024']],
    ]);
  });

  it('reads every config before writing anything, so a broken one in a later directory fixes nothing', async () => {
    const dir = temp();
    for (const svc of ['a', 'b']) {
      mkdirSync(join(dir, svc));
      writeFileSync(join(dir, svc, 'Dockerfile'), pipDockerfile);
    }
    writeFileSync(join(dir, 'b', '.ballast.yaml'), 'failon: error\n');
    await expect(lint({ files: ['.'], cwd: dir, fix: true, shellcheck: false })).rejects.toThrow(
      /failon is not a known key/,
    );
    expect(readFileSync(join(dir, 'a', 'Dockerfile'), 'utf8')).toBe(pipDockerfile);
  });
});
