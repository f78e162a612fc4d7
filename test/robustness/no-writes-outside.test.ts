// ballast never writes outside its cache dir, its temp dir and the paths the user named, and never follows an image's
// symlinks onto the host: analyze, diff, ci and lint --fix run (the real CLI, dist/) on images whose layers hold
// symlinks to absolute host paths and `..` chains (`etc/passwd -> /etc/passwd`, `x -> ../../../../tmp/owned`, links to
// a sentinel folder by absolute path and by `..`), then files written "through" those links in a later layer. HOME,
// TMPDIR and XDG_CACHE_HOME point at temp dirs; afterwards the sentinel folder (listing, sizes, mtimes), /etc/passwd,
// the working folder and the input images are as they were, /tmp/owned does not exist, and TMPDIR holds no leftover.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { buildDockerArchive, buildOciLayout, DIR, layer, symlink, type BuiltImage } from '../helpers/image-builder.js';

let work: string;
let sentinel: string;
let images: BuiltImage[] = [];

/** Every path below `root` (not following symlinks) with its type, size and mtime. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      out[relative(root, path)] = `${info.mode.toString(8)} ${info.size} ${info.mtimeMs}`;
      if (info.isDirectory()) walk(path);
    }
  };
  walk(root);
  return out;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ballast-outside-'));
  sentinel = join(work, 'sentinel');
  mkdirSync(join(sentinel, 'inner'), { recursive: true });
  writeFileSync(join(sentinel, 'keep.txt'), 'sentinel\n');
  writeFileSync(join(sentinel, 'inner', 'deep.txt'), 'deep\n');
  const up = '../'.repeat(12);
  const base = layer({
    'etc/': DIR,
    'etc/passwd': symlink('/etc/passwd'),
    x: symlink('../../../../tmp/owned'),
    host: symlink(sentinel),
    up: symlink(`${up}${sentinel.slice(1)}/inner`),
    'etc/shadow': symlink(`${up}etc/shadow`),
  });
  const through = layer({
    'x/pwn': 'written through x\n',
    'host/planted.txt': 'written through host\n',
    'up/deep.txt': 'overwritten through up\n',
    'etc/passwd': 'root:x:0:0:owned:/:/bin/sh\n',
  });
  const more = layer({ 'host/another.txt': 'b\n', 'x/second': 'c\n' });
  images = [await buildOciLayout([base, through]), await buildDockerArchive([base, through, more])];
  // Gzipped, so ballast spools it to TMPDIR (the temp dir is then really used).
  writeFileSync(join(images[1].path, '..', 'image.tar.gz'), gzipSync(readFileSync(images[1].path)));
}, 120_000);

afterAll(() => {
  for (const image of images) image.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('never writes outside', () => {
  it('analyze, diff, ci and lint --fix on images with host-pointing symlinks write only where they may', async () => {
    const [layout, archive] = images;
    const gz = join(archive.path, '..', 'image.tar.gz');
    const home = mkdtempSync(join(work, 'home-'));
    const tmp = mkdtempSync(join(work, 'tmp-'));
    const xdg = mkdtempSync(join(work, 'xdg-'));
    const cwd = mkdtempSync(join(work, 'cwd-'));
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM alpine:3.20\nRUN apk add curl\n');
    const env = { HOME: home, TMPDIR: tmp, XDG_CACHE_HOME: xdg, BALLAST_CACHE_DIR: '' };
    const before = {
      sentinel: snapshot(sentinel),
      layout: snapshot(layout.path),
      archive: snapshot(join(archive.path, '..')),
      passwd: sha('/etc/passwd'),
      owned: existsSync('/tmp/owned'),
    };
    expect(before.owned).toBe(false);

    const runs: [string[], number[]][] = [
      [['analyze', layout.path, '--json'], [0]],
      [['analyze', `docker-archive:${gz}`, '--format', 'text'], [0]],
      [
        ['diff', layout.path, `docker-archive:${gz}`, '--json'],
        [0, 1],
      ],
      [
        ['ci', layout.path, '-o', 'json=ci-report.json', '-o', 'sarif=ci.sarif'],
        [0, 1],
      ],
      [
        ['lint', '--fix', 'Dockerfile'],
        [0, 1],
      ],
    ];
    for (const [args, codes] of runs) {
      const result = await runCli(args, { env, cwd, timeoutMs: 120_000 });
      expect([args.join(' '), codes.includes(result.code ?? -1), result.stderr]).toEqual([
        args.join(' '),
        true,
        result.stderr,
      ]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }

    // The host and the inputs are untouched; nothing followed the image's links.
    expect(existsSync('/tmp/owned')).toBe(false);
    expect(sha('/etc/passwd')).toBe(before.passwd);
    expect(snapshot(sentinel)).toEqual(before.sentinel);
    expect(snapshot(layout.path)).toEqual(before.layout);
    expect(snapshot(join(archive.path, '..'))).toEqual(before.archive);
    // The working folder holds only what was named: the two reports and the Dockerfile that was fixed.
    expect(readdirSync(cwd).sort()).toEqual(['Dockerfile', 'ci-report.json', 'ci.sarif']);
    expect(readFileSync(join(cwd, 'Dockerfile'), 'utf8')).toBe('FROM alpine:3.20\nRUN apk add --no-cache curl\n');
    // The temp dir is empty again.
    expect(readdirSync(tmp)).toEqual([]);
    const homeFiles = Object.keys(snapshot(home));
    console.log(
      `written under HOME: ${homeFiles.join(', ') || 'nothing'}; under XDG_CACHE_HOME: ${Object.keys(snapshot(xdg)).length} paths`,
    );
    // XDG_CACHE_HOME is set, so the cache goes there and HOME stays empty.
    expect(homeFiles).toEqual([]);
  }, 300_000);
});
