// Image files this user may not read (EACCES): one line saying permission denied, with a hint, exit 2; never "the
// image is incomplete", which sends the user to export an image that is whole. root reads every file, so under root
// the CLI runs as nobody (as test/robustness/daemon-faults.test.ts does), in a folder of its own nobody may use.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, type CliResult } from '../helpers/cli.js';
import { rawTar, writeLayout, type Layout } from '../helpers/hostile.js';
import { buildDockerArchive, layer, type BuiltImage } from '../helpers/image-builder.js';

const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];

let home: string;
let l: Layout;
let archive: BuiltImage;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ballast-nobody-'));
  chmodSync(home, 0o777);
  l = writeLayout({ layers: [gzipSync(rawTar([{ name: 'etc/hello.txt', content: 'hello\n' }]))] });
  for (const dir of [l.dir, join(l.dir, 'blobs'), join(l.dir, 'blobs', 'sha256')]) chmodSync(dir, 0o755);
  archive = await buildDockerArchive([layer({ 'a.txt': 10 })]);
});

afterAll(() => {
  l?.cleanup();
  archive?.cleanup();
  if (home) rmSync(home, { recursive: true, force: true });
});

const ballast = (args: string[], cwd?: string): Promise<CliResult> =>
  runCli(args, {
    wrapper: asNobody,
    cwd,
    env: { HOME: home, TMPDIR: home, BALLAST_CACHE_DIR: join(home, 'cache'), BALLAST_WORKERS: '0' },
  });

function expectDenied(run: CliResult, name: string): void {
  expect([run.code, run.stdout]).toEqual([2, '']);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: cannot read .+: permission denied \(hint: .+\)$/);
  expect(lines[0]).toContain(name);
  expect(lines[0]).not.toMatch(/incomplete|has no/);
}

describe('image files this user may not read', () => {
  for (const which of ['index.json', 'manifest', 'config'] as const) {
    it(`an unreadable ${which} of an OCI layout is permission denied, not missing`, async () => {
      const file =
        which === 'index.json'
          ? join(l.dir, 'index.json')
          : l.blobFile(which === 'manifest' ? l.manifestDigest : l.configDigest);
      chmodSync(file, 0o600);
      try {
        expectDenied(
          await ballast(['inspect', `oci:${l.dir}`]),
          which === 'index.json' ? 'index.json' : file.slice(-64),
        );
      } finally {
        chmodSync(file, 0o644);
      }
    });
  }

  it('an OCI layout whose blobs directory may not be searched is permission denied', async () => {
    chmodSync(join(l.dir, 'blobs'), 0o700);
    try {
      expectDenied(await ballast(['inspect', l.dir]), l.manifestDigest.slice(7));
    } finally {
      chmodSync(join(l.dir, 'blobs'), 0o755);
    }
  });

  it('an unreadable layer blob is one line with the same hint', async () => {
    const file = l.blobFile(l.layerDigests[0]);
    chmodSync(file, 0o600);
    try {
      const run = await ballast(['analyze', l.dir, '--no-cache']);
      expect([run.code, run.stdout]).toEqual([2, '']);
      expect(run.stderr).toMatch(
        /^error: reading layer 0 .*EACCES: permission denied.* \(hint: run ballast as a user who may read it[^\n]*\)\n$/,
      );
    } finally {
      chmodSync(file, 0o644);
    }
  });

  it('an unreadable layer blob gives the same line when a worker thread reads it', async () => {
    // The worker passed Node's error on as if it were one of ballast's own, so its hint was lost on the way.
    const file = l.blobFile(l.layerDigests[0]);
    chmodSync(file, 0o600);
    try {
      const inProcess = await ballast(['analyze', l.dir, '--no-cache', '--workers', '0']);
      const onWorker = await ballast(['analyze', l.dir, '--no-cache', '--workers', '2']);
      expect(inProcess.stderr).toMatch(/permission denied.* \(hint: run ballast as a user who may read it/);
      expect([onWorker.code, onWorker.stdout, onWorker.stderr]).toEqual([2, '', inProcess.stderr]);
    } finally {
      chmodSync(file, 0o644);
    }
  });

  it('an unreadable archive is permission denied, by the name it was given', async () => {
    copyFileSync(archive.path, join(home, 'noperm.tar'));
    chmodSync(join(home, 'noperm.tar'), 0o600);
    expectDenied(await ballast(['analyze', 'noperm.tar'], home), 'noperm.tar');
  });

  it('an archive in a folder this user may not open is permission denied on that folder, not missing', async () => {
    // It was "PATH does not exist (hint: check the path)", though `sudo ls` shows it there.
    const locked = join(home, 'locked');
    mkdirSync(locked, { mode: 0o700 });
    copyFileSync(archive.path, join(locked, 'image.tar'));
    const denied = (path: string, folder: string) =>
      `error: cannot read ${path}: permission denied on ${folder} (hint: run ballast as a user who may open ${folder}, or let others in: chmod a+x ${folder})\n`;
    for (const [args, stderr] of [
      [['analyze', 'locked/image.tar'], denied('locked/image.tar', 'locked')],
      [['inspect', `docker-archive:${locked}/image.tar`], denied(`${locked}/image.tar`, locked)],
      [['inspect', `oci:${locked}/layout`], denied(`${locked}/layout`, locked)],
    ] as const) {
      const run = await ballast([...args], home);
      expect({ args, code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        args,
        code: 2,
        stdout: '',
        stderr,
      });
    }
  });

  it('an -o file this user may not write is named as read-only, not its folder as unwritable', async () => {
    // It said "this user may not write in .": the folder, which the user may write in, not the file, which they may not.
    copyFileSync(archive.path, join(home, 'ro-image.tar'));
    chmodSync(join(home, 'ro-image.tar'), 0o644);
    writeFileSync(join(home, 'ro.txt'), 'kept\n');
    chmodSync(join(home, 'ro.txt'), 0o444);
    const run = await ballast(['analyze', 'ro-image.tar', '--no-cache', '-o', 'ro.txt'], home);
    expect([run.code, run.stdout, run.stderr.trimEnd().split('\n')]).toEqual([
      2,
      '',
      [
        expect.stringMatching(
          /^error: cannot write ro\.txt: .*permission denied.* \(hint: ro\.txt is read-only for this user: write somewhere else, or change its permissions\)$/,
        ),
      ],
    ]);
  });

  it('the same files, readable, are read (the permissions above are the only fault)', async () => {
    expect((await ballast(['inspect', l.dir])).code).toBe(0);
    chmodSync(join(home, 'noperm.tar'), 0o644);
    expect((await ballast(['inspect', 'noperm.tar'], home)).code).toBe(0);
  });
});

describe('Dockerfiles this user may not read, in a lint batch', () => {
  // A folder nobody may list (or search) stopped the whole batch with Node's bare "EACCES: permission denied,
  // scandir '/abs/path'" and no hint, and a file below a folder nobody may search was "no such file or directory".
  it.each([
    ['fast path', {}],
    ['oclif', { BALLAST_NO_FAST_PATH: '1' }],
  ])('a folder it may not list is one permission-denied line, the others are linted (%s)', async (_path, env) => {
    const root = mkdtempSync(join(home, 'lint-'));
    chmodSync(root, 0o755);
    for (const dir of ['tree', 'tree/ok', 'tree/locked']) mkdirSync(join(root, dir), { mode: 0o755 });
    for (const file of ['Dockerfile', 'tree/ok/Dockerfile', 'tree/locked/Dockerfile'])
      writeFileSync(join(root, file), 'FROM debian:latest\n', { mode: 0o644 });
    chmodSync(join(root, 'tree', 'locked'), 0o700);
    const lint = (args: string[]) =>
      runCli(['lint', '--no-shellcheck', ...args], {
        wrapper: asNobody,
        cwd: root,
        env: { HOME: home, TMPDIR: home, ...env },
      });
    const denied = /^error: cannot read (the directory )?tree\/locked(\/Dockerfile)?: permission denied \(hint: .+\)$/;
    for (const args of [
      ['Dockerfile', 'tree'],
      ['Dockerfile', 'tree/locked/Dockerfile'],
    ]) {
      const run = await lint(args);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(denied)]);
      expect(run.stdout).toMatch(/^Dockerfile$/m);
      expect(run.stdout).toMatch(/1 path not read$/m);
    }
    expect((await lint(['Dockerfile', 'tree'])).stdout).toMatch(/^tree\/ok\/Dockerfile$/m);
  });
});
