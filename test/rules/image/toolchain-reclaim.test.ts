// IM007 on a real apt install: scripts/corpus/dockerfiles/toolchain.Dockerfile, a runtime stage on the corpus'
// debian-base that installs build-essential from Debian's mirror (buildah, chroot isolation). Removing the toolchain
// gives back the whole install, so IM007's bytes must equal the bytes of every package that install added: the sum
// of their files in that layer, computed here straight from the layer's tar entries (dpkg status before and after,
// the new packages' .list files, symlinked directories of the base followed), within 1%.
//
// The image comes from the corpus (rules/toolchain.oci, built by scripts/corpus/build.sh). A corpus built before
// that image was added to it does not have it: then the test builds it itself into a temp dir, for this run only,
// which takes three to five minutes and needs root, buildah, skopeo and the Debian mirror; without them it fails
// (it is not skipped).
import { execFile } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { analyze } from '../../../src/services/analyze.js';
import { loadImageRules } from '../../../rules/index.js';
import { corpusDir, corpusDockerfiles, describeWithCorpus } from '../../helpers/corpus.js';

const run = promisify(execFile);

interface LayerContent {
  status?: string;
  lists: Map<string, string>;
  /** Regular files: path -> size. */
  files: Map<string, number>;
  symlinks: Map<string, string>;
}

const layerPath = (name: string) => posix.normalize(name.replace(/^\.?\/+/, '')).replace(/\/$/, '');

/** Streams one layer blob (gzip or plain tar) and keeps what the check needs: dpkg's status and lists, file sizes. */
async function readLayer(blob: string): Promise<LayerContent> {
  const out: LayerContent = { lists: new Map(), files: new Map(), symlinks: new Map() };
  const head = Buffer.alloc(2);
  const fd = openSync(blob, 'r');
  readSync(fd, head, 0, 2, 0);
  closeSync(fd);
  const tar = extract();
  const done = new Promise<void>((resolve, reject) => {
    tar.on('finish', resolve);
    tar.on('error', reject);
  });
  tar.on('entry', (header, stream, next) => {
    const path = layerPath(header.name);
    const keep = path === 'var/lib/dpkg/status' || (path.startsWith('var/lib/dpkg/info/') && path.endsWith('.list'));
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => {
      if (keep) chunks.push(c as Buffer);
    });
    stream.on('end', () => {
      if (header.type === 'file') out.files.set(path, header.size ?? 0);
      if (header.type === 'symlink') out.symlinks.set(path, header.linkname ?? '');
      if (keep && path === 'var/lib/dpkg/status') out.status = Buffer.concat(chunks).toString('utf8');
      else if (keep) out.lists.set(path, Buffer.concat(chunks).toString('utf8'));
      next();
    });
    stream.resume();
  });
  const source = createReadStream(blob);
  (head[0] === 0x1f && head[1] === 0x8b ? source.pipe(createGunzip()) : source).pipe(tar);
  await done;
  return out;
}

function ociBlob(layout: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return join(layout, 'blobs', algorithm, hex);
}

/** Installed package name -> architecture, from a dpkg status file. */
function installed(status: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of status.split(/\n\n+/)) {
    const name = /^Package: (\S+)$/m.exec(block)?.[1];
    if (name && /^Status: .* installed$/m.test(block)) out.set(name, /^Architecture: (\S+)$/m.exec(block)?.[1] ?? '');
  }
  return out;
}

/** Follows symlinked directories (`lib` -> `usr/lib` in a merged-/usr Debian) in a path's parents. */
function realPath(path: string, symlinks: Map<string, string>): string {
  const parts = path.split('/');
  for (let hops = 0, i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const target = symlinks.get(prefix);
    if (target === undefined || ++hops > 40) continue;
    const base = target.startsWith('/') ? target.slice(1) : posix.join(posix.dirname(prefix), target);
    return realPath(posix.normalize([base, ...parts.slice(i)].join('/')), symlinks);
  }
  return path;
}

/** Builds toolchain.Dockerfile as build.sh does, into `dir`; returns the OCI layout. */
async function buildToolchain(dir: string): Promise<string> {
  for (const tool of ['buildah', 'skopeo']) {
    await run(tool, ['--version']).catch(() => {
      throw new Error(
        `${tool} is not installed (bash scripts/setup-tests.sh installs it); without the corpus' rules/toolchain.oci this test builds the image with it`,
      );
    });
  }
  const storage = ['--root', join(dir, 'storage'), '--runroot', join(dir, 'run'), '--storage-driver', 'overlay'];
  const store = `containers-storage:[overlay@${join(dir, 'storage')}+${join(dir, 'run')}]`;
  mkdirSync(join(dir, 'ctx'));
  await run('skopeo', [
    'copy',
    '-q',
    `oci:${join(corpusDir, 'debian-base.oci')}:latest`,
    `${store}localhost/corpus/debian-base:latest`,
  ]);
  await run(
    'buildah',
    [
      ...storage,
      'bud',
      '--pull=never',
      '--layers',
      '--isolation',
      'chroot',
      '-f',
      join(corpusDockerfiles, 'toolchain.Dockerfile'),
      '-t',
      'localhost/corpus/toolchain:latest',
      join(dir, 'ctx'),
    ],
    { maxBuffer: 64 << 20, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
  const layout = join(dir, 'toolchain.oci');
  await run('skopeo', ['copy', '-q', `${store}localhost/corpus/toolchain:latest`, `oci:${layout}:latest`]);
  await run('buildah', [...storage, 'rmi', '--all', '--force']).catch(() => {});
  return layout;
}

/** Removes a build dir: buildah leaves its storage bind-mounted, so what is mounted under it goes first. */
async function removeBuildDir(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m) => m && m.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const m of mounts) await run('umount', [m]).catch(() => run('umount', ['-l', m]).catch(() => {}));
  rmSync(dir, { recursive: true, force: true });
}

describeWithCorpus('IM007 on build-essential installed by apt (toolchain.Dockerfile)', () => {
  let dir: string | undefined;
  let layout: string;

  beforeAll(async () => {
    layout = join(corpusDir, 'rules', 'toolchain.oci');
    if (existsSync(layout)) return;
    dir = mkdtempSync(join(tmpdir(), 'ballast-reclaim-'));
    layout = await buildToolchain(dir);
  }, 15 * 60_000);

  afterAll(async () => {
    if (dir) await removeBuildDir(dir);
  }, 120_000);

  it("IM007's bytes are the bytes of every package the install added, within 1%", async () => {
    // Independently of the analysis: the two layers' tar entries.
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const manifest = JSON.parse(readFileSync(ociBlob(layout, index.manifests[0].digest), 'utf8')) as {
      layers: { digest: string }[];
    };
    expect(manifest.layers).toHaveLength(2);
    const [base, install] = await Promise.all(manifest.layers.map((l) => readLayer(ociBlob(layout, l.digest))));
    const before = installed(base.status!);
    const after = installed(install.status!);
    const added = [...after.keys()].filter((name) => !before.has(name));
    const symlinks = new Map([...base.symlinks, ...install.symlinks]);
    const counted = new Set<string>();
    let expectedBytes = 0;
    for (const name of added) {
      const list =
        install.lists.get(`var/lib/dpkg/info/${name}:${after.get(name)}.list`) ??
        install.lists.get(`var/lib/dpkg/info/${name}.list`);
      expect({ name, list: list !== undefined }).toEqual({ name, list: true });
      for (const line of list!.split('\n')) {
        const path = realPath(layerPath(line), symlinks);
        const size = install.files.get(path);
        if (size === undefined || counted.has(path)) continue;
        counted.add(path);
        expectedBytes += size;
      }
    }
    // build-essential brings gcc, g++, binutils, libc6-dev and their libraries: dozens of packages, >100 MB.
    expect(added).toEqual(expect.arrayContaining(['build-essential', 'gcc-12', 'g++-12', 'libc6-dev', 'make']));
    expect(added.length).toBeGreaterThan(30);
    expect(expectedBytes).toBeGreaterThan(100e6);

    const severities: Record<string, 'off'> = {};
    for (const r of await loadImageRules()) if (r.meta.code !== 'IM007') severities[r.meta.code] = 'off';
    const result = await analyze({ image: layout, workers: 0, severities });
    const findings = result.findings.filter((f) => f.code === 'IM007');
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    console.log(
      `IM007: ${finding.bytes} bytes; independent sum over ${added.length} added packages: ${expectedBytes} bytes\n${finding.message}`,
    );
    expect(Math.abs(finding.bytes! - expectedBytes) / expectedBytes).toBeLessThan(0.01);
    expect(finding.message).toContain(`gives back ${added.length} packages`);
    expect((finding.location as { layerIndex?: number }).layerIndex).toBe(1);
  });
});
