// Dockerfiles that are not regular files, or far too large to be one, given to `lint` and to `--dockerfile`: one
// `error:` line with a hint and exit 2, at once. Reading /dev/zero ran the heap out (a crash with a V8 trace), and a
// FIFO nobody writes blocked in open() forever, deaf to SIGTERM (found by the hostile-input hunt).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { boundedRun, expectRefused, type CliResult } from '../helpers/cli.js';
import { rawTar, writeLayout, type Layout } from '../helpers/hostile.js';

jest.setTimeout(120_000);

let work: string;
let image: Layout;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ballast-dockerfile-input-'));
  execFileSync('mkfifo', [join(work, 'fifo')]);
  // 1 GiB to stat, nothing on disk.
  writeFileSync(join(work, 'Dockerfile.huge'), 'FROM debian:12\n');
  truncateSync(join(work, 'Dockerfile.huge'), 1024 ** 3);
  image = writeLayout({ layers: [gzipSync(rawTar([{ name: 'a.txt', content: 'a' }]))] });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  image?.cleanup();
});

const ballast = (args: string[]): Promise<CliResult> => boundedRun(args, work);

describe('a Dockerfile that is not a regular file, or too large', () => {
  it('lint of /dev/zero and of a FIFO says what they are', async () => {
    expectRefused(await ballast(['lint', '/dev/zero']), /\/dev\/zero is a character device, not a Dockerfile/);
    expectRefused(await ballast(['lint', 'fifo']), /fifo is a FIFO \(a pipe\), not a Dockerfile.*hint: .*lint -/);
  });

  it('lint of a Dockerfile whose .dockerignore is 1 GiB, /dev/zero, a FIFO or a directory refuses it, naming it', async () => {
    // A million patterns (24 MB) took 44 s and 1 GB of RSS; one 50 MB pattern printed itself as the error.
    const cases: [string, (path: string) => void, RegExp][] = [
      ['huge', (p) => truncateSync((writeFileSync(p, '.git\n'), p), 1024 ** 3), /too large for an ignore file/],
      ['zero', (p) => symlinkSync('/dev/zero', p), /not a regular file/],
      ['fifo', (p) => execFileSync('mkfifo', [p]), /is a FIFO \(a pipe\), not a regular file/],
      // Read as absent: DF025 said there is no .dockerignore, and its fix failed to write one (EISDIR).
      ['dir', (p) => mkdirSync(p), /is a directory, not an ignore file.*hint: docker build fails to read it/],
    ];
    for (const [label, make, pattern] of cases) {
      const dir = join(work, `ignore-${label}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nCOPY . /app\n');
      make(join(dir, '.dockerignore'));
      const run = await ballast(['lint', join(dir, 'Dockerfile')]);
      expectRefused(run, pattern);
      expect(run.stderr).toContain('.dockerignore');
    }
  });

  it('lint of a Dockerfile whose lockfile is a FIFO or 1 GiB lints it: the fix needs to know it is there, not to read it', async () => {
    // DF013's fix names the manifests to copy first; it read each whole to learn that it exists.
    const dir = join(work, 'lockfile');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nCOPY . .\nRUN npm ci\n');
    writeFileSync(join(dir, '.dockerignore'), 'node_modules\n');
    writeFileSync(join(dir, 'package.json'), '{}');
    truncateSync((writeFileSync(join(dir, 'package-lock.json'), '{'), join(dir, 'package-lock.json')), 1024 ** 3);
    execFileSync('mkfifo', [join(dir, '.npmrc')]);
    const run = await ballast(['lint', '--format', 'json', '--unsafe-fixes', '--fix-dry-run', join(dir, 'Dockerfile')]);
    // The JSON report on stdout, the diff on stderr (in front of the report it would not parse).
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('DF013');
    expect(run.stdout).toContain('COPY package.json package-lock.json ./');
    expect(run.stderr).toContain('+COPY package.json package-lock.json ./');
    expect(run.stderr).not.toMatch(/error|warning/);
  });

  it('lint of a Dockerfile whose .dockerignore links to /dev/null reads it as empty, as docker build does', async () => {
    // `ln -s /dev/null .dockerignore` says "no patterns": a character device, but one that ends at once.
    const dir = join(work, 'ignore-null');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nCOPY . /app\n');
    symlinkSync('/dev/null', join(dir, '.dockerignore'));
    const run = await ballast(['lint', '--format', 'json', join(dir, 'Dockerfile')]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/does not exclude `\.git`/);
  });

  it('lint of a 1 GiB file refuses it by its size', async () => {
    expectRefused(await ballast(['lint', 'Dockerfile.huge']), /Dockerfile\.huge is 1073741824 bytes, too large/);
  });

  it('analyze --dockerfile of /dev/zero, a FIFO or a 1 GiB file refuses it before reading the image', async () => {
    for (const [file, pattern] of [
      ['/dev/zero', /the Dockerfile \/dev\/zero is a character device/],
      ['fifo', /the Dockerfile fifo is a FIFO/],
      ['Dockerfile.huge', /the Dockerfile Dockerfile\.huge is 1073741824 bytes, too large/],
    ] as const) {
      expectRefused(await ballast(['analyze', image.dir, '--dockerfile', file, '--no-cache']), pattern);
    }
  });

  it('analyze and bases --dockerfile of a UTF-16 or a binary file say so, as lint does (history was matched against garbage)', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('FROM debian:12\nRUN true\n', 'utf16le')]);
    writeFileSync(join(work, 'Dockerfile.utf16'), utf16);
    writeFileSync(join(work, 'Dockerfile.bin'), gzipSync(Buffer.alloc(4096, 1)));
    const utf16Message = /the Dockerfile Dockerfile\.utf16 is UTF-16 text .*hint: save it as UTF-8/;
    expectRefused(
      await ballast(['analyze', image.dir, '--dockerfile', 'Dockerfile.utf16', '--no-cache']),
      utf16Message,
    );
    expectRefused(await ballast(['bases', '--dockerfile', 'Dockerfile.utf16']), utf16Message);
    expectRefused(
      await ballast(['analyze', image.dir, '--dockerfile', 'Dockerfile.bin', '--no-cache']),
      /the Dockerfile Dockerfile\.bin is not a text file \(hint: pass the Dockerfile the image was built from/,
    );
    // A UTF-8 byte order mark is read past: the file is the one the builder read.
    writeFileSync(join(work, 'Dockerfile.bom'), '\uFEFFFROM debian:12\nRUN true\n');
    const bom = await ballast(['analyze', image.dir, '--dockerfile', 'Dockerfile.bom', '--no-cache', '--json']);
    expect(bom.code).toBe(0);
  });

  it('bases --dockerfile of a FIFO is refused the same way', async () => {
    expectRefused(await ballast(['bases', '--dockerfile', 'fifo']), /the Dockerfile fifo is a FIFO/);
  });
});
