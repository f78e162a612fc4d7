// `ballast diff` on a B whose copy of a layer A also has is corrupt. diff takes such a layer's scan from A's walk
// instead of reading it again, so without a check of B's own bytes it exited 0 on an image `analyze` rejects.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage, type LayerSpec } from '../helpers/image-builder.js';

const base: LayerSpec = layer({ 'bin/sh': 20000, 'etc/os-release': 'ID=test\n' }, 'ADD rootfs.tar /');
const top = (size: number) => layer({ 'app/main': size }, 'COPY main /app');

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Manifest {
  layers: { digest: string; size: number }[];
}

/** The OCI layout's one manifest, and a way to write it back (index.json follows its new digest). */
function manifestOf(image: BuiltImage) {
  const indexPath = join(image.path, 'index.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8'));
  const blob = (digest: string) => join(image.path, 'blobs', 'sha256', digest.slice(7));
  const manifest: Manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  return {
    manifest,
    blob,
    save() {
      const raw = Buffer.from(JSON.stringify(manifest));
      writeFileSync(blob(sha(raw)), raw);
      index.manifests[0] = { ...index.manifests[0], digest: sha(raw), size: raw.length };
      writeFileSync(indexPath, JSON.stringify(index));
    },
  };
}

/** Flips one byte in the middle of layer 0's blob: its bytes no longer match its digest. */
function flipByte(image: BuiltImage) {
  const { manifest, blob } = manifestOf(image);
  const path = blob(manifest.layers[0].digest);
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 0xff;
  writeFileSync(path, bytes);
}

const oneLineError = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: .+ \(hint: .+\)$/);
};

describe('ballast diff when B holds a corrupt copy of a layer A has', () => {
  const images: BuiltImage[] = [];
  const build = async (...args: Parameters<typeof buildOciLayout>) => {
    const image = await buildOciLayout(...args);
    images.push(image);
    return image;
  };
  afterAll(() => images.forEach((i) => i.cleanup()));

  it('exits 2 when the shared blob (the same digest as A’s) does not match its digest, as analyze does', async () => {
    const a = await build([base, top(100)]);
    const b = await build([base, top(200)]);
    flipByte(b);
    const [diff, analyze] = await Promise.all([
      runCli(['diff', a.path, b.path, '--no-cache']),
      runCli(['analyze', b.path, '--no-cache']),
    ]);
    expect(analyze.code).toBe(2);
    expect(diff.code).toBe(2);
    oneLineError(diff.stderr);
    expect(diff.stderr).toContain('analyzing B');
    expect(diff.stderr).toMatch(/layer 0/);
  });

  it('exits 2 on a corrupt shared layer B stores uncompressed (another blob of the same diffId)', async () => {
    const a = await build([base, top(100)]);
    const b = await build([base, top(200)], { gzip: false });
    flipByte(b);
    const diff = await runCli(['diff', a.path, b.path, '--no-cache', '--workers', '0']);
    expect(diff.code).toBe(2);
    oneLineError(diff.stderr);
  });

  it('exits 2 on a broken gzip whose digest the manifest vouches for (only decompressing finds it)', async () => {
    const a = await build([base, top(100)]);
    const b = await build([base, top(200)]);
    // B's layer 0 recompressed (another blob of the same diffId) and cut short; the manifest names the cut bytes.
    const m = manifestOf(b);
    const whole = gzipSync(gunzipSync(readFileSync(m.blob(m.manifest.layers[0].digest))), { level: 1 });
    const cut = whole.subarray(0, whole.length >> 1);
    writeFileSync(m.blob(sha(cut)), cut);
    m.manifest.layers[0] = { ...m.manifest.layers[0], digest: sha(cut), size: cut.length };
    m.save();
    const [diff, analyze] = await Promise.all([
      runCli(['diff', a.path, b.path, '--no-cache']),
      runCli(['analyze', b.path, '--no-cache']),
    ]);
    expect(analyze.code).toBe(2);
    expect(diff.code).toBe(2);
    oneLineError(diff.stderr);
  });

  // --no-verify skips the digest checks, not the reading: `analyze B --no-verify` still inflates every layer, so a
  // shared layer B stores cut short or not as gzip at all fails it, and diff must fail on it too.
  // (--no-cache: the layer cache is read under --no-verify, and would serve the shared layer's scan by its digest.)
  const cut = (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1);
  const notGzip = (bytes: Buffer) => Buffer.alloc(bytes.length, 0x41);
  it.each([
    { how: 'cut short', spoil: cut, workers: '0' },
    { how: 'not gzip at all', spoil: notGzip, workers: '0' },
    { how: 'cut short', spoil: cut, workers: '1' },
    { how: 'not gzip at all', spoil: notGzip, workers: '1' },
  ])(
    'exits 2 under --no-verify on a shared layer of B $how (--workers $workers), as analyze does',
    async ({ spoil, workers }) => {
      const a = await build([base, top(100)]);
      const b = await build([base, top(200)]);
      const m = manifestOf(b);
      const path = m.blob(m.manifest.layers[0].digest);
      writeFileSync(path, spoil(readFileSync(path)));
      const [diff, analyze] = await Promise.all([
        runCli(['diff', a.path, b.path, '--no-verify', '--no-cache', '--workers', workers]),
        runCli(['analyze', b.path, '--no-verify', '--no-cache', '--workers', workers]),
      ]);
      expect(analyze.code).toBe(2);
      expect(diff.code).toBe(2);
      oneLineError(diff.stderr);
      expect(diff.stderr).toContain(`analyzing B (${b.path})`);
      expect(diff.stderr).toMatch(/layer 0/);
    },
  );

  it('under --no-verify still takes a sound shared layer from A (B’s copy read, its scan not used)', async () => {
    const a = await build([base, top(100)]);
    const b = await build([base, top(200)]);
    const diff = await runCli(['diff', a.path, b.path, '--no-verify', '--no-cache', '--json']);
    expect(diff.code).toBe(0);
    const r = JSON.parse(diff.stdout);
    expect(r.walk).toEqual({ sharedLayers: 1, layersRead: { a: 2, b: 1 } });
    expect(r.b.image.checks).toEqual({ blobDigests: 'skipped', diffIds: 'skipped' });
  });

  it('still takes the shared layer from A when B’s copy is sound, and says what it checked of B’s', async () => {
    const a = await build([base, top(100)]);
    const b = await build([base, top(200)]);
    const diff = await runCli(['diff', a.path, b.path, '--no-cache', '--json']);
    expect(diff.code).toBe(0);
    const r = JSON.parse(diff.stdout);
    expect(r.walk).toEqual({ sharedLayers: 1, layersRead: { a: 2, b: 1 } });
    expect(r.b.image.checks).toEqual({ blobDigests: 'verified', diffIds: 'skipped' });
  });
});
