// Config files and baselines that are not regular files, named by a flag or found by the upward search: one `error:`
// line with a hint and exit 2, at once. A FIFO nobody writes hung the run, deaf to SIGINT and SIGTERM, and /dev/zero
// ran the heap out (std::bad_alloc), since only a regular file's size was checked before the whole read (found by the
// hostile-input review).
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jest } from '@jest/globals';
import { boundedRun, expectRefused, type CliResult } from '../helpers/cli.js';

jest.setTimeout(120_000);

const DEMO = resolve('examples/demo/demo.tar');
const DOCKERFILE = resolve('examples/demo/Dockerfile');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ballast-config-input-'));
  execFileSync('mkfifo', [join(work, 'fifo')]);
  execFileSync('mkfifo', [join(work, 'fifo.json')]);
  symlinkSync('/dev/zero', join(work, 'zero.yaml'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const ballast = (args: string[], cwd = work): Promise<CliResult> => boundedRun(args, cwd);

describe('a config that is not a regular file', () => {
  it('named by --config or --ci-config, is refused by what it is, for every command that reads one', async () => {
    for (const [args, flag] of [
      [['ci', DEMO, '-c', 'fifo'], '--config'],
      [['ci', DEMO, '--ci-config', 'fifo'], '--ci-config'],
      [['lint', DOCKERFILE, '-c', 'fifo'], '--config'],
      [['bases', DOCKERFILE, '-c', 'fifo'], '--config'],
    ] as const) {
      expectRefused(
        await ballast([...args]),
        new RegExp(`fifo is a FIFO \\(a pipe\\), not a config file.*give ${flag}`),
      );
    }
    expectRefused(await ballast(['ci', DEMO, '-c', 'zero.yaml']), /zero\.yaml is a character device, not a config/);
  });

  it('found by the upward search (.ballast.yaml, .hadolint.yaml, .dive-ci), is refused and named', async () => {
    for (const [name, args] of [
      ['.ballast.yaml', ['lint', 'Dockerfile']],
      ['.hadolint.yaml', ['lint', 'Dockerfile']],
      ['.ballast.yaml', ['ci', DEMO]],
      ['.dive-ci', ['ci', DEMO]],
    ] as const) {
      const dir = mkdtempSync(join(work, 'up-'));
      mkdirSync(join(dir, 'sub'));
      copyFileSync(DOCKERFILE, join(dir, 'sub', 'Dockerfile'));
      execFileSync('mkfifo', [join(dir, name)]);
      // .dive-ci is looked for in the working directory only.
      const cwd = name === '.dive-ci' ? dir : join(dir, 'sub');
      expectRefused(
        await ballast([...args], cwd),
        new RegExp(`${name.replace('.', '\\.')} is a FIFO.*remove that one`),
      );
    }
  });

  it('/dev/null is still an empty config', async () => {
    const run = await ballast(['lint', DOCKERFILE, '-c', '/dev/null']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
  });
});

it('a --baseline FILE.json that is a FIFO is refused, not waited on', async () => {
  expectRefused(await ballast(['ci', DEMO, '--baseline', 'fifo.json']), /the baseline \S*fifo\.json is a FIFO/);
});

it('a --baseline FILE.json that is a directory or a device says so, with the hint', async () => {
  // A directory said "cannot read the baseline ...: EISDIR: illegal operation on a directory, read".
  mkdirSync(join(work, 'dir.json'));
  symlinkSync('/dev/zero', join(work, 'zero.json'));
  expectRefused(
    await ballast(['ci', DEMO, '--baseline', 'dir.json']),
    /the baseline \S*dir\.json is a directory, not a file.*hint: save the baseline to a file/,
  );
  expectRefused(
    await ballast(['ci', DEMO, '--baseline', 'zero.json']),
    /the baseline \S*zero\.json is a character device, not a file/,
  );
});

it('a --baseline FILE.json of 1 GiB is refused by its size, not read', async () => {
  // A sparse file: no disk space. Read whole, it took 640 MB and failed with "Invalid string length".
  const big = join(work, 'big.json');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 1024 ** 3);
  closeSync(fd);
  expectRefused(
    await ballast(['ci', DEMO, '--baseline', big]),
    /the baseline \S*big\.json is 1073741824 bytes, too large/,
  );
});
