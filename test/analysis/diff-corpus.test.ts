// `diff` on real images: corpus bloated vs slim, debian-base vs the alpine fixture, and the slim Dockerfile built by
// Docker Engine (BuildKit) vs buildah. Each side's numbers must equal layerstats.py's report for that image, the
// deltas their difference, and the file lists a diff of the two final filesystems computed here, independently:
// layer tars read with tar-stream, whiteouts applied the simple way. Skips, loudly, without the corpus.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { diffImages, type DiffResult } from '../../src/services/diff.js';
import type { Image } from '../../src/image/types.js';
import { openImage } from '../../src/sources/resolve.js';
import { corpusArtifacts, describeWithCorpus, referenceSummary, type CorpusReference } from '../helpers/corpus.js';

type Reference = CorpusReference;

const ALPINE = 'test/fixtures/snyk/containerd-archives--alpine.tar';
const alpineReference = (
  JSON.parse(readFileSync('test/fixtures/snyk/containerd-archives--alpine.layerstats.json', 'utf8')) as {
    images: Reference[];
  }
).images[0];

function artifact(name: string): { path: string; ref: Reference } {
  const found = corpusArtifacts().find((a) => a.name === name);
  if (!found) throw new Error(`corpus artifact ${name} is missing from the corpus stats`);
  return { path: found.path, ref: found.images[0] as Reference };
}

function expectAgreesWithReference(r: DiffResult, refA: Reference, refB: Reference): void {
  const a = referenceSummary(refA);
  const b = referenceSummary(refB);
  expect(r.a.summary).toMatchObject(a);
  expect(r.b.summary).toMatchObject(b);
  expect(r.delta).toEqual({
    compressedBytes: b.compressedBytes - a.compressedBytes,
    uncompressedBytes: b.uncompressedBytes - a.uncompressedBytes,
    finalFileBytes: b.finalFileBytes - a.finalFileBytes,
    files: b.finalFiles - a.finalFiles,
    wastedBytes: b.wastedBytes - a.wastedBytes,
  });
  expect(r.files.totals.netBytes).toBe(b.finalFileBytes - a.finalFileBytes);
}

// ---- the independent final filesystem ----------------------------------------------------------------------

interface Entry {
  kind: string;
  size: number;
  sha?: string;
  mode: number;
  uid: number;
  gid: number;
  link?: string;
  xattrs?: string;
}

const clean = (name: string) =>
  name
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
const KINDS: Record<string, string> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
};

async function readLayer(stream: Readable): Promise<[string, Entry | 'whiteout' | 'opaque'][]> {
  const out: [string, Entry | 'whiteout' | 'opaque'][] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.on('entry', (header, body, next) => {
    const path = clean(header.name);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const hash = createHash('sha256');
    body.on('data', (chunk: unknown) => hash.update(chunk as Buffer));
    body.on('end', () => {
      if (base === '.wh..wh..opq') out.push([dir, 'opaque']);
      else if (base.startsWith('.wh.')) out.push([dir ? `${dir}/${base.slice(4)}` : base.slice(4), 'whiteout']);
      else if (path !== '') {
        const kind = KINDS[header.type ?? 'file'] ?? 'other';
        const xattrs = Object.entries(header.pax ?? {})
          .filter(([k]) => k.startsWith('SCHILY.xattr.'))
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join('\n');
        out.push([
          path,
          {
            kind,
            size: kind === 'file' ? (header.size ?? 0) : 0,
            sha: kind === 'file' ? hash.digest('hex') : undefined,
            mode: (header.mode ?? 0) & 0o7777,
            uid: header.uid ?? 0,
            gid: header.gid ?? 0,
            link:
              kind === 'hardlink'
                ? clean(header.linkname ?? '')
                : kind === 'symlink'
                  ? (header.linkname ?? '')
                  : undefined,
            xattrs: xattrs || undefined,
          },
        ]);
      }
      next();
    });
    body.resume();
  });
  stream.pipe(ex);
  await done;
  return out;
}

async function finalFilesystem(image: Image): Promise<Map<string, Entry>> {
  const fs = new Map<string, Entry>();
  const removeTree = (path: string, keepSelf = false) => {
    if (!keepSelf) fs.delete(path);
    const prefix = path === '' ? '' : `${path}/`;
    for (const key of [...fs.keys()]) if (key.startsWith(prefix) && key !== path) fs.delete(key);
  };
  for (const layer of await image.layers()) {
    const entries = await readLayer(await layer.uncompressed());
    // Whiteouts hide lower layers only, so they go first.
    for (const [path, e] of entries) {
      if (e === 'opaque') removeTree(path, true);
      else if (e === 'whiteout') removeTree(path);
    }
    for (const [path, e] of entries) {
      if (e === 'opaque' || e === 'whiteout') continue;
      // A non-directory on the way to this entry is replaced by a directory.
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (fs.get(path.slice(0, i))?.kind !== undefined && fs.get(path.slice(0, i))!.kind !== 'dir')
          fs.delete(path.slice(0, i));
      }
      const old = fs.get(path);
      if (e.kind !== 'dir' && old?.kind === 'dir') removeTree(path);
      fs.set(path, e);
    }
  }
  return fs;
}

/** The file lists `diff` must produce, from two independent final filesystems. */
function expectedFiles(a: Map<string, Entry>, b: Map<string, Entry>) {
  const files = (m: Map<string, Entry>) => new Map([...m].filter(([, e]) => e.kind !== 'dir'));
  const fa = files(a);
  const fb = files(b);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  const metadata: string[] = [];
  for (const [path, y] of fb) {
    const x = fa.get(path);
    if (!x) added.push(`${path} ${y.kind} ${y.size}`);
    else if (x.kind !== y.kind || x.sha !== y.sha) changed.push(`${path} ${y.kind} ${x.size} ${y.size}`);
    else {
      const fields = [
        x.mode !== y.mode ? 'mode' : '',
        x.uid !== y.uid || x.gid !== y.gid ? 'owner' : '',
        (x.link ?? '') !== (y.link ?? '') ? 'link' : '',
        (x.xattrs ?? '') !== (y.xattrs ?? '') ? 'xattrs' : '',
      ].filter(Boolean);
      if (fields.length) metadata.push(`${path} ${fields.join(',')}`);
    }
  }
  for (const [path, x] of fa) if (!fb.has(path)) removed.push(`${path} ${x.kind} ${x.size}`);
  // Directories on one side only with nothing under them: listed, as nothing else would say they came or went.
  const parents = (m: Map<string, Entry>) =>
    new Set([...m.keys()].map((p) => p.slice(0, Math.max(0, p.lastIndexOf('/')))));
  const [parentsA, parentsB] = [parents(a), parents(b)];
  for (const [path, y] of b)
    if (y.kind === 'dir' && path && !a.has(path) && !parentsB.has(path)) added.push(`${path} dir 0`);
  for (const [path, x] of a)
    if (x.kind === 'dir' && path && !b.has(path) && !parentsA.has(path)) removed.push(`${path} dir 0`);
  // Directories both tars carry: their own metadata.
  for (const [path, y] of b) {
    const x = a.get(path);
    if (y.kind !== 'dir' || x?.kind !== 'dir') continue;
    const fields = [
      x.mode !== y.mode ? 'mode' : '',
      x.uid !== y.uid || x.gid !== y.gid ? 'owner' : '',
      (x.xattrs ?? '') !== (y.xattrs ?? '') ? 'xattrs' : '',
    ].filter(Boolean);
    if (fields.length) metadata.push(`${path} ${fields.join(',')}`);
  }
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort(), metadata: metadata.sort() };
}

function actualFiles(r: DiffResult) {
  return {
    added: r.files.added.map((f) => `${f.path} ${f.kind} ${f.sizeBytes}`).sort(),
    removed: r.files.removed.map((f) => `${f.path} ${f.kind} ${f.sizeBytes}`).sort(),
    changed: r.files.changed.map((f) => `${f.path} ${f.kind} ${f.beforeBytes} ${f.afterBytes}`).sort(),
    metadata: r.files.metadata.map((f) => `${f.path} ${f.fields.join(',')}`).sort(),
  };
}

async function independentDiff(pathA: string, pathB: string) {
  const [ia, ib] = await Promise.all([openImage(pathA), openImage(pathB)]);
  try {
    return expectedFiles(await finalFilesystem(ia), await finalFilesystem(ib));
  } finally {
    await Promise.all([ia.close(), ib.close()]);
  }
}

describe('diff on real fixtures (always runs)', () => {
  it('busybox vs alpine: file lists equal an independent diff; alpine numbers equal layerstats.py', async () => {
    const busybox = 'test/fixtures/snyk/containerd-archives--busybox.amd64.tar';
    const r = await diffImages({ a: busybox, b: ALPINE });
    expect(r.b.summary).toMatchObject(referenceSummary(alpineReference));
    expect(actualFiles(r)).toEqual(await independentDiff(busybox, ALPINE));
    // busybox's applets are hard links to one binary; alpine's are symlinks: kind changes, not metadata.
    expect(r.files.changed.find((f) => f.path === 'bin/arch')).toMatchObject({
      kindBefore: 'hardlink',
      kind: 'symlink',
    });
  });
});

const LONG = 15 * 60_000;
describeWithCorpus('diff on the real-image corpus', () => {
  it(
    'bloated vs slim: numbers equal layerstats.py on each side, files equal an independent diff',
    async () => {
      const a = artifact('bloated.oci');
      const b = artifact('slim.oci');
      const r = await diffImages({ a: a.path, b: b.path, top: 50 });
      expectAgreesWithReference(r, a.ref, b.ref);
      // The debian-base layer is shared, and read once.
      expect(r.walk.sharedLayers).toBe(1);
      expect(r.walk.layersRead).toEqual({ a: a.ref.layer_count, b: b.ref.layer_count - 1 });
      expect(r.layers.shared.map((l) => l.diffId)).toEqual([a.ref.layers[0].diff_id]);
      expect(actualFiles(r)).toEqual(await independentDiff(a.path, b.path));
      // The slim build drops what bloated left behind.
      const junk = Object.fromEntries(r.waste.junk.map((j) => [j.id, j]));
      expect(junk.gitDirs?.b.bytes).toBe(0);
      expect(junk.aptLists?.deltaBytes).toBeLessThan(0);
      expect(r.waste.deltaBytes).toBe(b.ref.wasted.total - a.ref.wasted.total);
    },
    LONG,
  );

  it(
    'debian-base vs the alpine fixture: libc6 for musl, dpkg for apk, sizes per layerstats.py',
    async () => {
      const a = artifact('debian-base.oci');
      const r = await diffImages({ a: a.path, b: ALPINE });
      expectAgreesWithReference(r, a.ref, alpineReference);
      expect(r.walk.sharedLayers).toBe(0);
      expect(r.layers.shared).toEqual([]);
      expect(r.packages.removed.find((p) => p.name === 'libc6')).toMatchObject({ manager: 'dpkg' });
      expect(r.packages.added.find((p) => p.name === 'musl')).toMatchObject({ manager: 'apk' });
      expect(r.packages.managers.dpkg).toMatchObject({ b: { packages: 0, bytes: 0 }, added: 0, changed: 0 });
      expect(r.packages.managers.dpkg!.removed).toBe(r.packages.managers.dpkg!.a.packages);
      expect(r.packages.managers.apk).toMatchObject({ a: { packages: 0, bytes: 0 }, removed: 0 });
      expect(r.packages.managers.apk!.added).toBe(r.packages.managers.apk!.b.packages);
      expect(r.config.find((c) => c.key === 'cmd')).toBeDefined();
      expect(actualFiles(r)).toEqual(await independentDiff(a.path, ALPINE));
    },
    LONG,
  );

  it(
    'the same Dockerfile built by Docker Engine (BuildKit) and by buildah',
    async () => {
      const a = artifact('docker-engine/slim.docker-buildkit.tar');
      const b = artifact('slim.oci');
      const r = await diffImages({ a: a.path, b: b.path });
      expectAgreesWithReference(r, a.ref, b.ref);
      expect(r.layers.onlyA.length + r.layers.shared.length).toBe(a.ref.layer_count);
      expect(r.layers.onlyB.length + r.layers.shared.length).toBe(b.ref.layer_count);
      expect(actualFiles(r)).toEqual(await independentDiff(a.path, b.path));
      // Same Dockerfile, same packages.
      expect(r.packages.added).toEqual([]);
      expect(r.packages.removed).toEqual([]);
    },
    LONG,
  );

  it(
    'the bloated Dockerfile built by buildah and by the classic builder: its waste, in layers of other digests, is not new',
    async () => {
      const a = artifact('bloated.oci');
      const b = artifact('docker-engine/bloated.docker-classic.tar');
      const r = await diffImages({ a: a.path, b: b.path });
      // Only the base layer is shared: the layers holding the waste (toolchain.tar in L2, ...) differ by digest.
      expect(r.layers.shared.map((l) => [l.aIndex, l.bIndex])).toEqual([[0, 0]]);
      expect(r.waste.b.wastedBytes).toBe(b.ref.wasted.total);
      expect(r.waste.newTotals).toEqual({ files: 0, bytes: 0 });
    },
    LONG,
  );
});
