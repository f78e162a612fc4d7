// `lint --fix` writes only the Dockerfile it linted, atomically (a temp file renamed over it: a new inode), keeping its
// mode; through a symlink it replaces the target and keeps the link; it leaves no temp file, and where it cannot
// write it says so in one line and leaves the file as it was. Runs the real CLI (dist/).
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const BAD = 'FROM alpine:3.20\nRUN apk add curl\n';
const FIXED = 'FROM alpine:3.20\nRUN apk add --no-cache curl\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-fix-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root` with its size and mtime, to prove nothing else changed. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const info = lstatSync(join(root, name));
    out[name] = `${info.isSymbolicLink() ? 'link' : info.size}:${info.mtimeMs}`;
  }
  return out;
}

describe('lint --fix safety', () => {
  it('replaces the file by rename (new inode), keeps its mode, writes nothing else', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, BAD);
    chmodSync(file, 0o640);
    writeFileSync(join(dir, 'other.txt'), 'untouched');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'Dockerfile'), BAD);
    const before = statSync(file);
    const others = snapshot(dir);
    delete others.Dockerfile;

    const run = await runCli(['lint', '--fix', 'Dockerfile'], { cwd: dir });
    expect(run.stderr).toBe('');

    const after = statSync(file);
    expect(readFileSync(file, 'utf8')).toBe(FIXED);
    expect(after.mode & 0o7777).toBe(0o640);
    expect(after.ino).not.toBe(before.ino); // renamed over, not rewritten in place
    const rest = snapshot(dir);
    delete rest.Dockerfile;
    expect(rest).toEqual(others); // no temp file left, the other Dockerfile not touched
  });

  it('through a symlink, replaces the target and keeps the link', async () => {
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'Dockerfile.app');
    writeFileSync(target, BAD);
    chmodSync(target, 0o755);
    symlinkSync('real/Dockerfile.app', join(dir, 'Dockerfile'));

    await runCli(['lint', '--fix', 'Dockerfile'], { cwd: dir });

    expect(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(FIXED);
    expect(statSync(target).mode & 0o7777).toBe(0o755);
    expect(readdirSync(join(dir, 'real'))).toEqual(['Dockerfile.app']);
  });

  it('in a directory it cannot write to, fails in one line and leaves the file as it was', async () => {
    const sub = join(dir, 'ro');
    mkdirSync(sub);
    const file = join(sub, 'Dockerfile');
    writeFileSync(file, BAD);
    chmodSync(sub, 0o555);
    try {
      // root ignores directory permissions; a non-writable directory is simulated for it by running as nobody.
      const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      if (asNobody.length) chmodSync(dir, 0o755);
      const run = asNobody.length
        ? await import('node:child_process').then(({ spawnSync }) => {
            const r = spawnSync(
              asNobody[0],
              [
                ...asNobody.slice(1),
                process.execPath,
                join(process.cwd(), 'bin', 'run.js'),
                'lint',
                '--fix',
                '--no-shellcheck',
                file,
              ],
              { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
            );
            return { code: r.status, stdout: r.stdout, stderr: r.stderr };
          })
        : await runCli(['lint', '--fix', '--no-shellcheck', file]);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^error: cannot write .*Dockerfile/);
      expect(readFileSync(file, 'utf8')).toBe(BAD);
      expect(readdirSync(sub)).toEqual(['Dockerfile']);
    } finally {
      chmodSync(sub, 0o755);
    }
  });

  // Regression (lintcfg #3): the rename needs only a writable directory, so --fix replaced a 0444 Dockerfile.
  it('leaves a read-only Dockerfile of its own user as it was, in one line', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, BAD);
    chmodSync(file, 0o444);
    // Its own user's file: run as nobody, owning the directory and file (root has its own test below).
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    if (asNobody.length) {
      chmodSync(dir, 0o755);
      chownSync(dir, 65534, 65534);
      chownSync(file, 65534, 65534);
    }
    const before = statSync(file);

    const run = await runCli(['lint', '--fix', '--no-shellcheck', 'Dockerfile'], { cwd: dir, wrapper: asNobody });

    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: cannot write \S*Dockerfile: it is read-only \(hint: .*chmod u\+w/);
    expect(readFileSync(file, 'utf8')).toBe(BAD);
    expect(statSync(file).ino).toBe(before.ino);
    expect(readdirSync(dir)).toEqual(['Dockerfile']);
  });

  // Regression (outsafe #4): access() lets root write any file, so `sudo ballast lint --fix` replaced a 0444 Dockerfile
  // that nobody else could.
  it('leaves a read-only Dockerfile as it was when run as root too', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, BAD);
    chmodSync(file, 0o444);
    const before = statSync(file);

    const run = await runCli(['lint', '--fix', '--no-shellcheck', 'Dockerfile'], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^error: cannot write \S*Dockerfile: it is read-only \(hint: no file was changed; .*chmod u\+w/,
    );
    expect(readFileSync(file, 'utf8')).toBe(BAD);
    expect(statSync(file).ino).toBe(before.ino);
    expect(readdirSync(dir)).toEqual(['Dockerfile']);
  });

  // Regression (fix hunt #1): files were written one by one as they were fixed, so a run that then failed (a later
  // Dockerfile read-only or not a text file, the Dockerfile after its .dockerignore) exited 2 with files changed.
  it('a later Dockerfile that cannot be read fails the run before any file is written', async () => {
    writeFileSync(join(dir, 'a.Dockerfile'), BAD);
    writeFileSync(join(dir, 'b.Dockerfile'), Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0, 0, 0x0a]));
    const before = snapshot(dir);

    const run = await runCli(['lint', '--fix', '--no-shellcheck', 'a.Dockerfile', 'b.Dockerfile'], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: b\.Dockerfile is not a text file/);
    expect(readFileSync(join(dir, 'a.Dockerfile'), 'utf8')).toBe(BAD);
    expect(snapshot(dir)).toEqual(before);
  });

  // The run stops at the path it cannot read, before any report: the line must say the other files were not fixed,
  // or `--fix a.Dockerfile typo` reads as a.Dockerfile fixed and typo missing.
  it('a path that cannot be read says that no file was changed', async () => {
    writeFileSync(join(dir, 'a.Dockerfile'), BAD);
    const before = snapshot(dir);

    const run = await runCli(['lint', '--fix', '--no-shellcheck', 'a.Dockerfile', 'missing.Dockerfile'], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^error: cannot read missing\.Dockerfile: no such file or directory \(hint: no file was changed: --fix writes only when every Dockerfile could be read; pass the path/,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('a read-only Dockerfile leaves the other Dockerfiles and the .dockerignore its fixes would create as they were', async () => {
    writeFileSync(join(dir, 'a.Dockerfile'), BAD);
    writeFileSync(join(dir, 'b.Dockerfile'), `FROM python:3.12-slim\nCOPY . /app\nRUN pip install flask\n`);
    mkdirSync(join(dir, '.git'));
    chmodSync(join(dir, 'b.Dockerfile'), 0o444);
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    if (asNobody.length) {
      chmodSync(dir, 0o755);
      for (const name of ['', 'a.Dockerfile', 'b.Dockerfile', '.git']) chownSync(join(dir, name), 65534, 65534);
    }
    const before = snapshot(dir);

    const run = await runCli(['lint', '--fix', '--unsafe-fixes', '--no-shellcheck', 'a.Dockerfile', 'b.Dockerfile'], {
      cwd: dir,
      wrapper: asNobody,
    });

    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: cannot write \S*b\.Dockerfile: it is read-only/);
    expect(readFileSync(join(dir, 'a.Dockerfile'), 'utf8')).toBe(BAD);
    expect(snapshot(dir)).toEqual(before); // no .dockerignore created
  });

  // Regression (fix hunt #2): a Dockerfile saved by another program while ballast linted it was overwritten with the
  // fix of the text read before, losing the other program's change.
  it('a Dockerfile changed while it was linted is not overwritten', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, BAD);
    // A shellcheck that saves the Dockerfile as an editor would, then checks the scripts: it runs after the fixes
    // are made and before they are written.
    const shellcheck = join(dir, 'shellcheck-editing');
    writeFileSync(shellcheck, `#!/bin/sh\nprintf 'USER 1000\\n' >> '${file}'\nexec shellcheck "$@"\n`);
    chmodSync(shellcheck, 0o755);

    const run = await runCli(['lint', '--fix', '--shellcheck', shellcheck, 'Dockerfile'], { cwd: dir });

    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: cannot write Dockerfile: it changed after ballast read it/);
    expect(readFileSync(file, 'utf8')).toBe(`${BAD}USER 1000\n`);
  });
  // Regression (hostile input review): bytes that are no UTF-8 are read as U+FFFD, and --fix wrote every one of them
  // back as U+FFFD, on lines no fix touched too; the dry run's patch had them in its context lines, so it did not apply.
  it('refuses to fix a Dockerfile that is not valid UTF-8, leaving its bytes as they were', async () => {
    const file = join(dir, 'Dockerfile');
    const bytes = Buffer.concat([
      Buffer.from('FROM alpine:3.20\nRUN apk add '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' curl\nLABEL a='),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    writeFileSync(file, bytes);

    for (const flag of ['--fix', '--fix-dry-run']) {
      const run = await runCli(['lint', flag, '--no-shellcheck', 'Dockerfile'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^error: cannot fix Dockerfile: line 2 is not valid UTF-8 \(hint: .*save it as UTF-8/);
      expect(readFileSync(file)).toEqual(bytes);
    }
    // Linted without --fix, it is reported as before.
    const plain = await runCli(['lint', '--no-shellcheck', 'Dockerfile'], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/DL3019|DF\d+/);
  });
});
