// `lint --fix-dry-run` prints a patch: `git apply --check` and `patch -p1 --dry-run` must accept it in the folder the
// command ran in, and applying it must give exactly the files `--fix` writes. It did not: every hunk that reached the end
// of the file had an extra empty context line (`@@ -1,3 +1,3 @@` for a 2-line file), a new .dockerignore was not a
// file creation, and unchanged lines between two edits were removed and added again.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { lint } from '../../src/services/lint.js';
import { unifiedDiff } from '../../src/lint/unified-diff.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-dry-run-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function run(command: string, args: string[], cwd: string, input?: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, input, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The folder's files, name -> text. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)
    .filter((n) => n !== '.git')
    .sort())
    out[name] = readFileSync(join(dir, name), 'latin1');
  return out;
}

/**
 * Given the files, when --fix-dry-run prints its patch, then git and patch accept it in a copy of the folder (a git
 * repository), and applying it gives the files --fix writes in another copy.
 */
async function expectPatchApplies(
  files: Record<string, string>,
  unsafeFixes = false,
  dockerfiles = ['Dockerfile'],
): Promise<string> {
  const dir = folder(files);
  const options = { files: dockerfiles, cwd: dir, unsafeFixes, failOn: 'none' as const, shellcheck: false as const };
  const dry = await lint({ ...options, fixDryRun: true });
  const patch = dry.diffs.join('');
  expect(patch).not.toBe('');
  const repo = mkdtempSync(join(tmpdir(), 'ballast-dry-run-repo-'));
  dirs.push(repo);
  cpSync(dir, repo, { recursive: true });
  expect(run('git', ['init', '-q'], repo).status).toBe(0);
  expect(run('git', ['apply', '--check', '-'], repo, patch)).toEqual({ status: 0, output: '' });
  expect(run('patch', ['-p1', '--dry-run', '--batch'], repo, patch).status).toBe(0);
  expect(run('git', ['apply', '-'], repo, patch)).toEqual({ status: 0, output: '' });
  const fixed = await lint({ ...options, fix: true });
  expect(contents(repo)).toEqual(contents(dir));
  // What it says it would fix is what --fix fixes.
  expect(dry.report.targets.map((t) => t.wouldFix)).toEqual(fixed.report.targets.map((t) => t.fixed));
  return patch;
}

describe('lint --fix-dry-run prints a patch that applies', () => {
  it('a hunk that reaches the end of the file has no extra line (2-line file: @@ -1,2 +1,2 @@)', async () => {
    const patch = await expectPatchApplies({ Dockerfile: 'FROM debian:12-slim\nRUN pip install flask==1.0\n' });
    expect(patch).toBe(
      [
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,2 +1,2 @@',
        ' FROM debian:12-slim',
        '-RUN pip install flask==1.0',
        '+RUN pip install --no-cache-dir flask==1.0',
        '',
      ].join('\n'),
    );
  });

  it('a file without a final newline: `\\ No newline at end of file`', async () => {
    const patch = await expectPatchApplies({ Dockerfile: 'FROM debian:12-slim\nRUN pip install flask==1.0' });
    expect(patch).toContain('-RUN pip install flask==1.0\n\\ No newline at end of file\n');
    expect(patch).toContain('+RUN pip install --no-cache-dir flask==1.0\n\\ No newline at end of file\n');
  });

  it('unchanged lines between two edits are context; edits far apart get a hunk each', async () => {
    const middle = Array.from({ length: 3 }, (_, i) => `ENV A${i}=${i}`);
    const far = Array.from({ length: 12 }, (_, i) => `ENV B${i}=${i}`);
    const text = [
      'FROM debian:12-slim',
      'RUN pip install flask==1.0',
      ...middle,
      'RUN pip install requests==2.32.3',
      ...far,
      'RUN pip install jinja2==3.1.4',
      'CMD ["flask", "run"]',
      '',
    ].join('\n');
    const patch = await expectPatchApplies({ Dockerfile: text });
    for (const line of [...middle, ...far]) expect(patch).not.toMatch(new RegExp(`^[-+]${line}$`, 'm'));
    expect(patch.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,9 +1,9 @@', '@@ -16,5 +16,5 @@']);
  });

  it('a .dockerignore the fix creates is a new file (--- /dev/null, @@ -0,0 +1,N @@)', async () => {
    const patch = await expectPatchApplies(
      { Dockerfile: 'FROM node:20-slim\nCOPY . /app\nRUN npm ci --omit=dev\n', 'package.json': '{}' },
      true,
    );
    expect(patch).toMatch(/^--- \/dev\/null\n\+\+\+ b\/\.dockerignore\n@@ -0,0 \+1,\d+ @@\n\+\.git\n/);
  });

  // Each Dockerfile's dry run read the context as it is on disk: two of one folder both created .dockerignore, a patch
  // git refused, and the report counted DF025 twice where --fix fixes it once.
  it('two Dockerfiles of one build context: the .dockerignore the first creates is what the second reads', async () => {
    const dockerfile = 'FROM node:20-slim\nCOPY . /app\n';
    const patch = await expectPatchApplies(
      { Dockerfile: dockerfile, 'b.Dockerfile': dockerfile, 'package.json': '{}' },
      true,
      ['Dockerfile', 'b.Dockerfile'],
    );
    expect(patch.match(/^\+\+\+ b\/\.dockerignore$/gm)).toHaveLength(1);
  });

  // Review s45 item 6: a Dockerfile named by its absolute path gave `a//tmp/x/Dockerfile`, and the .dockerignore its fix
  // creates `b/../x/.dockerignore` (from the working directory, unlike the Dockerfile beside it).
  it('a Dockerfile outside the working directory: headers as git prints them, the .dockerignore named like it', async () => {
    const dir = folder({
      Dockerfile: 'FROM node:20-slim\nCOPY . /app\nRUN pip install flask==1.0\n',
      'package.json': '{}',
    });
    const cwd = folder({});
    const options = { cwd, unsafeFixes: true, failOn: 'none' as const, shellcheck: false as const, fixDryRun: true };
    const absolute = await lint({ ...options, files: [join(dir, 'Dockerfile')] });
    const headers = (diffs: string[]) => diffs.join('').match(/^(---|\+\+\+) .*$/gm);
    const bare = dir.replace(/^\/+/, '');
    expect(headers(absolute.diffs)).toEqual([
      '--- /dev/null',
      `+++ b/${bare}/.dockerignore`,
      `--- a/${bare}/Dockerfile`,
      `+++ b/${bare}/Dockerfile`,
    ]);
    // Applied from the root, the patch reaches the files it names.
    expect(run('patch', ['-p1', '--dry-run', '--batch', '-d', '/'], cwd, absolute.diffs.join('')).status).toBe(0);
    const named = relative(cwd, dir);
    const relativeRun = await lint({ ...options, files: [join(named, 'Dockerfile')] });
    expect(headers(relativeRun.diffs)).toEqual([
      '--- /dev/null',
      `+++ b/${named}/.dockerignore`,
      `--- a/${named}/Dockerfile`,
      `+++ b/${named}/Dockerfile`,
    ]);
  });

  it('an existing .dockerignore without a final newline, extended', async () => {
    const patch = await expectPatchApplies(
      { Dockerfile: 'FROM node:20-slim\nCOPY . /app\n', 'package.json': '{}', '.dockerignore': 'dist' },
      true,
    );
    expect(patch).toContain('--- a/.dockerignore\n+++ b/.dockerignore\n@@ -1,1 +1,');
  });

  it('CRLF line endings and a byte order mark are in the patch as in the file', async () => {
    await expectPatchApplies({ Dockerfile: 'FROM debian:12-slim\r\nRUN pip install flask==1.0\r\nUSER 1000\r\n' });
    await expectPatchApplies({ Dockerfile: '\uFEFFFROM debian:12-slim\nRUN pip install flask==1.0\n' });
  });

  // The comments DF016 moves above the joined RUN keep their CRLF, and the patch shows them moved, not left inside it.
  it('a RUN joined across comments in a CRLF file: the comments above it in the patch, CRLF kept', async () => {
    const patch = await expectPatchApplies(
      { Dockerfile: 'FROM debian:12-slim\r\nRUN mkdir /a\r\n\r\n# then b\r\nRUN touch /a/b\r\nUSER 1000\r\n' },
      true,
    );
    expect(patch).toBe(
      [
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,6 +1,5 @@',
        ' FROM debian:12-slim\r',
        '-RUN mkdir /a\r',
        '-\r',
        ' # then b\r',
        '-RUN touch /a/b\r',
        '+RUN mkdir /a \\\r',
        '+ && touch /a/b\r',
        ' USER 1000\r',
        '',
      ].join('\n'),
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts, and creates a file from nothing', () => {
    expect(unifiedDiff('f', 'a\n', 'a\n')).toBe('');
    expect(unifiedDiff('f', undefined, 'a\nb\n')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('adding a final newline changes only the last line', () => {
    expect(unifiedDiff('f', 'a\nb', 'a\nb\n')).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });

  it('an insertion at the top and a deletion at the end: hunk starts count from the line before an empty side', () => {
    const before = Array.from({ length: 10 }, (_, i) => `l${i}`).join('\n') + '\n';
    const after = `new\n${before.replace('l9\n', '')}`;
    expect(unifiedDiff('f', before, after)).toBe(
      [
        '--- a/f',
        '+++ b/f',
        '@@ -1,3 +1,4 @@',
        '+new',
        ' l0',
        ' l1',
        ' l2',
        '@@ -7,4 +8,3 @@',
        ' l6',
        ' l7',
        ' l8',
        '-l9',
        '',
      ].join('\n'),
    );
  });
});
