// How many walk workers bin/run.js starts before oclif loads, from the command line alone (early-workers.ts). The
// walk taking them, and the count a whole run starts, are tested through the CLI in workers-cli.test.ts.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EARLY_FROM_BYTES, earlyWorkerCount } from '../../src/analysis/early-workers.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `bytes` that takes no disk (sparse): only its size is read. */
function sized(name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  truncateSync(path, bytes);
  return path;
}

/** An OCI layout whose blobs add up to the given sizes. */
function layout(name: string, blobs: number[]): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(root, 'index.json'), '{}');
  blobs.forEach((bytes, i) => sized(join(name, 'blobs', 'sha256', `b${i}`), bytes));
  return root;
}

const big = EARLY_FROM_BYTES;
const env = {};

describe('earlyWorkerCount', () => {
  const archive = sized('big.tar', big);
  const small = sized('small.tar', big - 1);
  const bigLayout = layout('big-layout', [big / 2, big / 2]);
  const smallLayout = layout('small-layout', [big / 2, big / 2 - 1]);

  it.each([
    ['a large archive', [archive], 4],
    ['one byte less', [small], 0],
    ['a layout whose blobs add up to the size', [bigLayout], 4],
    ['one byte less in its blobs', [smallLayout], 0],
    ['an archive with a selector (path:image)', [`${archive}:app:1`], 4],
    ['a large image beside a small one (diff)', [small, archive], 4],
    ['a reference that is no local path (a registry, a daemon)', ['registry.example/app:1'], 4],
    ['a small image and a flag value that is no path', [small, '--format', 'json'], 0],
    ['no argument', [], 0],
    ['help', [archive, '--help'], 0],
    ['--workers 0', [archive, '--workers', '0'], 0],
    ['--workers=0', [archive, '--workers=0'], 0],
    ['--workers 1 on a small image', [small, '--workers', '1'], 1],
    ['--workers 64: one per core at most', [small, '--workers', '64'], 4],
    ['--workers with a value that is no number (oclif reports it)', [archive, '--workers', 'x'], 0],
  ])('%s', (_, args, expected) => {
    expect(earlyWorkerCount(args, env, 4)).toBe(expected);
  });

  it('one core: none by default, as the walk starts none there', () => {
    expect(earlyWorkerCount([archive], env, 1)).toBe(0);
    expect(earlyWorkerCount([archive, '--workers', '2'], env, 1)).toBe(1);
  });

  it('BALLAST_WORKERS stands for the flag; the flag wins over it', () => {
    expect(earlyWorkerCount([archive], { BALLAST_WORKERS: '0' }, 4)).toBe(0);
    expect(earlyWorkerCount([small], { BALLAST_WORKERS: '2' }, 4)).toBe(2);
    expect(earlyWorkerCount([archive, '--workers', '3'], { BALLAST_WORKERS: '0' }, 4)).toBe(3);
  });
});
