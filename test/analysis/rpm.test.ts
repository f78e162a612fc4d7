// rpm packages from a real `rpmdb.sqlite`: packages are built with the real rpmbuild from specs written here,
// installed with the real rpm into a temp root, and that root is packed into an image. ballast's names,
// versions, file counts and bytes must match what rpm itself reports for the same root.
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { analyze } from '../../src/services/analyze.js';
import { parseRpmHeader, readRpmDatabase } from '../../src/analysis/rpm.js';
import { WHITEOUT, buildOciLayout, layer, symlink, type EntrySpec } from '../helpers/image-builder.js';
import { runCli } from '../helpers/cli.js';

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const haveRpm = hasTool('rpmbuild') && hasTool('rpm');
if (!haveRpm) console.warn('rpmbuild/rpm not found: rpm database tests SKIPPED (apt-get install -y rpm)');
const maybe = haveRpm ? describe : describe.skip;

interface SpecFile {
  path: string;
  bytes?: number;
  symlinkTo?: string;
}

function specText(name: string, version: string, release: string, files: SpecFile[]): string {
  const install = files.map((f) => {
    const dest = `%{buildroot}${f.path}`;
    const dir = f.path.slice(0, f.path.lastIndexOf('/'));
    const make =
      f.symlinkTo !== undefined ? `ln -s ${f.symlinkTo} ${dest}` : `head -c ${f.bytes} /dev/urandom > ${dest}`;
    return `mkdir -p %{buildroot}${dir}\n${make}`;
  });
  return [
    `Name: ${name}`,
    `Version: ${version}`,
    `Release: ${release}`,
    'Summary: ballast test package',
    'License: MIT',
    'BuildArch: noarch',
    '%description',
    'ballast test package',
    '%install',
    ...install,
    '%files',
    ...files.map((f) => f.path),
    '',
  ].join('\n');
}

const RPM_DEFINES = ['--define', '_db_backend sqlite', '--dbpath', '/var/lib/rpm'];

/** Builds the packages with rpmbuild and installs them into a fresh root; returns the root. */
function installPackages(
  dir: string,
  specs: { name: string; version: string; release: string; files: SpecFile[] }[],
): string {
  const top = join(dir, 'top');
  const root = join(dir, 'root');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  mkdirSync(root);
  const rpms: string[] = [];
  for (const s of specs) {
    const spec = join(top, 'SPECS', `${s.name}.spec`);
    writeFileSync(spec, specText(s.name, s.version, s.release, s.files));
    execFileSync(
      'rpmbuild',
      [
        '-bb',
        '--define',
        `_topdir ${top}`,
        '--define',
        '__os_install_post %{nil}',
        '--define',
        'debug_package %{nil}',
        spec,
      ],
      { stdio: 'ignore' },
    );
    rpms.push(join(top, 'RPMS', 'noarch', `${s.name}-${s.version}-${s.release}.noarch.rpm`));
  }
  execFileSync('rpm', ['--root', root, ...RPM_DEFINES, '--initdb']);
  execFileSync('rpm', ['-i', '--root', root, ...RPM_DEFINES, '--nodeps', '--noscripts', ...rpms], { stdio: 'ignore' });
  return root;
}

function rpmQuery(root: string, args: string[]): string {
  return execFileSync('rpm', ['--root', root, ...RPM_DEFINES, ...args], { encoding: 'utf8' });
}

/** What rpm says: name -> version-release, its regular files and their bytes (sizes taken from the root). */
function rpmTruth(root: string): Map<string, { version: string; files: number; bytes: number }> {
  const out = new Map<string, { version: string; files: number; bytes: number }>();
  for (const line of rpmQuery(root, ['-qa', '--queryformat', '%{NAME} %{VERSION}-%{RELEASE}\\n']).trim().split('\n')) {
    const [name, version] = line.split(' ');
    let files = 0;
    let bytes = 0;
    for (const path of rpmQuery(root, ['-ql', name]).trim().split('\n')) {
      const st = lstatSync(join(root, path));
      if (!st.isFile()) continue;
      files++;
      bytes += st.size;
    }
    out.set(name, { version, files, bytes });
  }
  return out;
}

/** The root as a layer: every file, directory and symlink, read from disk. */
function rootLayer(root: string): Record<string, EntrySpec> {
  const entries: Record<string, EntrySpec> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = relative(root, full);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) entries[rel] = symlink(readlinkSync(full));
      else if (st.isDirectory()) {
        entries[rel] = { kind: 'dir' };
        walk(full);
      } else if (st.isFile()) entries[rel] = readFileSync(full);
    }
  };
  walk(root);
  return entries;
}

maybe('rpm packages (real rpmdb.sqlite)', () => {
  let dir: string;
  let root: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-rpm-'));
    root = installPackages(dir, [
      {
        name: 'tiny-tool',
        version: '1.2.3',
        release: '4',
        files: [
          { path: '/usr/bin/tiny-tool', bytes: 3000 },
          { path: '/usr/share/tiny-tool/data.bin', bytes: 12_345 },
          { path: '/usr/share/tiny-tool/readme', bytes: 500 },
          { path: '/usr/bin/tt', symlinkTo: 'tiny-tool' },
        ],
      },
      {
        name: 'tiny-lib',
        version: '0.9',
        release: '1.el9',
        files: [
          { path: '/usr/lib/libtiny.so.0', bytes: 40_000 },
          { path: '/etc/tiny.conf', bytes: 77 },
        ],
      },
    ]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the packages, versions, files and bytes rpm reports', async () => {
    const truth = rpmTruth(root);
    expect([...truth.keys()].sort()).toEqual(['tiny-lib', 'tiny-tool']);
    // the test itself must see what it planted (the symlink is not a regular file)
    expect(truth.get('tiny-tool')).toEqual({ version: '1.2.3-4', files: 3, bytes: 3000 + 12_345 + 500 });
    const built = await buildOciLayout([layer(rootLayer(root))]);
    try {
      const r = await analyze({ image: built.path, workers: 0 });
      const rpm = r.packages.top.filter((p) => p.manager === 'rpm');
      expect(rpm.map((p) => p.name).sort()).toEqual([...truth.keys()].sort());
      for (const p of rpm) expect({ version: p.version, files: p.files, bytes: p.bytes }).toEqual(truth.get(p.name));
      expect(r.packages.totals.rpm).toEqual({
        packages: 2,
        bytes: [...truth.values()].reduce((n, t) => n + t.bytes, 0),
      });
      expect(r.packages.unsupported).toEqual([]);
      expect(r.packages.warnings).toEqual([]);
    } finally {
      built.cleanup();
    }
  });

  it('counts files as they end up: a file deleted in a later layer counts nothing', async () => {
    const built = await buildOciLayout([
      layer(rootLayer(root)),
      layer({ 'usr/share/tiny-tool/.wh.data.bin': WHITEOUT }),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0 });
      expect(r.packages.top.find((p) => p.name === 'tiny-tool')).toMatchObject({
        manager: 'rpm',
        files: 2,
        bytes: 3500,
      });
    } finally {
      built.cleanup();
    }
  });

  it('reads the database under usr/lib/sysimage/rpm too, and on worker threads (CLI)', async () => {
    const entries = Object.fromEntries(
      Object.entries(rootLayer(root)).map(([p, e]) => [
        p.startsWith('var/lib/rpm') ? p.replace('var/lib/rpm', 'usr/lib/sysimage/rpm') : p,
        e,
      ]),
    );
    const built = await buildOciLayout([layer(entries)]);
    try {
      const { code, stdout, stderr } = await runCli(['analyze', built.path, '--json', '--workers', '2']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const r = JSON.parse(stdout);
      expect(r.packages.totals.rpm.packages).toBe(2);
      expect(r.packages.top.find((p: { name: string }) => p.name === 'tiny-lib')).toMatchObject({
        version: '0.9-1.el9',
        files: 2,
        bytes: 40_077,
      });
      const text = await runCli(['analyze', built.path, '--workers', '2']);
      expect(text.stdout).toMatch(/rpm +tiny-lib 0\.9-1\.el9/);
    } finally {
      built.cleanup();
    }
  });

  it('a corrupt database or header is a warning, not a crash', async () => {
    const db = readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'));
    const garbage = await readRpmDatabase(Buffer.from('this is not sqlite at all'), 'var/lib/rpm/rpmdb.sqlite');
    expect(garbage.headers).toEqual([]);
    expect(garbage.warnings).toEqual([
      expect.stringMatching(/^var\/lib\/rpm\/rpmdb\.sqlite: not a readable rpm database/),
    ]);
    const truncated = await readRpmDatabase(db.subarray(0, 4096), 'x');
    expect(truncated.warnings.length).toBeGreaterThan(0);
    // header-level: counts that point past the blob are refused, not followed
    expect(() => parseRpmHeader(Buffer.from([0, 0, 0, 200, 0, 0, 0, 10]))).toThrow(/claims 200 entries/);

    const built = await buildOciLayout([
      layer({ 'var/lib/rpm/rpmdb.sqlite': Buffer.from('SQLite format 3\0garbage'), 'usr/bin/x': 10 }),
    ]);
    try {
      const r = await analyze({ image: built.path, workers: 0 });
      expect(r.packages.totals.rpm).toEqual({ packages: 0, bytes: 0 });
      expect(r.packages.warnings).toEqual([expect.stringMatching(/rpmdb\.sqlite: not a readable rpm database/)]);
    } finally {
      built.cleanup();
    }
  });
});
