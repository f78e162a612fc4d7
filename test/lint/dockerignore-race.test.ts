// Two `ballast lint --fix` processes (parallel pre-commit batches) fixing Dockerfiles of one directory both create its
// .dockerignore (DF025): each write keeps the other's entries (compiled CLI: npm run build first).
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

describe('.dockerignore written by two lint --fix processes at once', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-dockerignore-race-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the entries of both, and both runs succeed', async () => {
    // a's .dockerignore keeps node_modules out (npm runs in it) and lets build in (it reads it); b's the reverse.
    writeFileSync(join(dir, 'a.Dockerfile'), 'FROM node:20\nCOPY . /app\nRUN npm ci && ls build\nUSER 1000\n');
    writeFileSync(join(dir, 'b.Dockerfile'), 'FROM debian:12\nCOPY . /app\nUSER 1000\n');
    // Files each batch lints after its Dockerfile (a second or so of work), so that both batches read the directory
    // with no .dockerignore and write it later: the window in which the other process writes it.
    const runs = Array.from({ length: 40 }, (_, j) => `RUN echo ${j} > /f${j}`).join('\n');
    const padding = (name: string): string[] => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, '.dockerignore'), '.git\n');
      return Array.from({ length: 100 }, (_, i) => {
        const file = join(name, `${i}.Dockerfile`);
        writeFileSync(join(dir, file), `FROM debian:12\n${runs}\nUSER 1000\n`);
        return file;
      });
    };
    const args = ['--fix', '--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none'];
    const env = { BALLAST_NO_FAST_PATH: '1' };
    const [a, b] = await Promise.all([
      runCli(['lint', ...args, 'a.Dockerfile', ...padding('pad-a')], { cwd: dir, env }),
      runCli(['lint', ...args, 'b.Dockerfile', ...padding('pad-b')], { cwd: dir, env }),
    ]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
    const lines = readFileSync(join(dir, '.dockerignore'), 'utf8').split('\n');
    expect(lines).toEqual(expect.arrayContaining(['.git', 'node_modules', 'build']));
    // Each entry once.
    expect(lines.filter((l) => l !== '').length).toBe(new Set(lines.filter((l) => l !== '')).size);
  }, 60_000);

  it('replaces a .dockerignore that is a symlink to nothing with the file, as a plain write does', async () => {
    // Given a dangling link: the merge found no file to read and could never create one beside the link ("it kept
    // changing while ballast added its lines", exit 2)
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nCOPY . /app\nUSER 1000\n');
    symlinkSync('gone/.dockerignore', join(dir, '.dockerignore'));
    const result = await runCli(['lint', '--fix', '--unsafe-fixes', '--no-shellcheck', '--fail-on', 'none'], {
      cwd: dir,
      env: { BALLAST_NO_FAST_PATH: '1' },
    });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(lstatSync(join(dir, '.dockerignore')).isFile()).toBe(true);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toContain('.git');
  });
});
