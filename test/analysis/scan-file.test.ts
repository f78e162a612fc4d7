// A walk worker's read of a layer file (scan-file.ts: readSync, the decoders of sync-decoder.ts, the tar scan) must
// give what the stream path gives for the same file (scanToRootCause over openStoredFile): the same LayerScan, and
// the same error, field for field, for every way a blob can be wrong.
import { createCipheriv, createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { scanStoredFile, StoredScan } from '../../src/analysis/scan-file.js';
import { scanToRootCause, SNIFF_BYTES, type LayerTask } from '../../src/analysis/layer-pipeline.js';
import type { LayerScan } from '../../src/analysis/scan-layer.js';
import { openStoredFile } from '../../src/image/streams.js';
import { createSyncDecoder } from '../../src/image/sync-decoder.js';
import type { StoredFile } from '../../src/image/types.js';
import { packTar, type TarEntry } from '../helpers/tar.js';
import { seededRandom } from '../helpers/seeded.js';
import { nativeZstdInUse } from '../helpers/zstd.js';

const require = createRequire(import.meta.url);
const MiB = 1024 * 1024;

/** Incompressible bytes, the same for the same seed (AES-CTR of zeros: fast enough for tens of MB). */
function randomBytes(bytes: number, seed: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32LE(seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(bytes));
}

/** A dpkg status database of `count` packages: captured whole by the scanner (LayerScan.captured). */
function dpkgStatus(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++)
    text += `Package: pkg-${i}\nStatus: install ok installed\nInstalled-Size: ${i * 7}\nVersion: 1.${i}-1\n\n`;
  return text;
}

const status = dpkgStatus(9000); // ~800 KB: spans many decoder pieces and several reads
const manifest = JSON.stringify({ name: 'left-pad', version: '1.3.0', padding: 'x'.repeat(300_000) });
const big = randomBytes(3 * MiB, 2);

const entries: TarEntry[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
  { name: 'var/lib/dpkg/status', content: status },
  { name: 'app/node_modules/left-pad/package.json', content: manifest },
  { name: 'opt/big.bin', content: big },
  { name: 'opt/link', type: 'symlink', linkname: 'big.bin' },
  { name: 'opt/hard', type: 'link', linkname: 'opt/big.bin' },
  { name: 'usr/share/doc/.wh.old', content: '' },
  { name: 'tmp/.wh..wh..opq', content: '' },
  { name: `deep/${'d'.repeat(120)}/${'f'.repeat(90)}.txt`, content: 'a long name (PAX path record)' },
  ...Array.from({ length: 300 }, (_, i) => ({ name: `many/f${i}`, content: randomBytes(i * 37, 100 + i) })),
];

let dir: string;
let tar: Buffer;
let counter = 0;

/** Writes `blob` into a file of its own; `around` puts it inside others' bytes, as an archive member lies. */
async function stored(blob: Buffer, around?: { before: number; after: number }): Promise<StoredFile> {
  const path = join(dir, `blob-${counter++}`);
  if (!around) {
    await writeFile(path, blob);
    return { path, start: 0 };
  }
  await writeFile(
    path,
    Buffer.concat([randomBytes(around.before, counter), blob, randomBytes(around.after, counter + 1)]),
  );
  return { path, start: around.before, length: blob.length };
}

function digest(blob: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(blob).digest('hex')}`;
}

/** The check Layer.storedFile asks for: the descriptor's digest and size. */
function verify(expected: string, expectedSize?: number): NonNullable<StoredFile['verify']> {
  return { expected, expectedSize, what: 'layer 1 of test-image blob', unnamed: 'the blob', digestName: 'digest' };
}

const task = (extra: Partial<LayerTask> = {}): LayerTask => ({ what: 'layer 1 of test-image', ...extra });

/** A LayerScan in plain values jest compares (picked files by their bytes' digest). */
type ScanValues = Omit<LayerScan, 'entries' | 'picked'> & { entries: unknown[]; picked?: Record<string, string> };
type Outcome = { scan: ScanValues; bytes: number } | { error: Record<string, unknown>; bytes: number };

/** A scan's result in plain values, or its error's fields; with the stored bytes it reported reading. */
async function outcome(run: (onBytes: (n: number) => void) => Promise<LayerScan>): Promise<Outcome> {
  let bytes = 0;
  try {
    const { entries, picked, ...rest } = await run((n) => (bytes += n));
    // Jest compares a Buffer byte by byte, seconds for a few MB: picked files are compared by digest.
    const pickedDigests = picked && Object.fromEntries(Object.entries(picked).map(([k, v]) => [k, digest(v)]));
    return { scan: { ...rest, entries: [...entries], ...(pickedDigests ? { picked: pickedDigests } : {}) }, bytes };
  } catch (error) {
    const e = error as Error & { code?: string; detail?: string; hint?: string };
    const fields = { type: e.constructor.name, message: e.message, code: e.code, detail: e.detail, hint: e.hint };
    return { error: fields, bytes };
  }
}

/**
 * The worker's read of the file, and the stream path's (as the in-process walk reads it, zlib's stream decoder), of
 * the same file. (A worker fed a stream scans it in place with StoredScan, whose own tests are below.)
 */
async function bothPaths(file: StoredFile, layerTask: LayerTask): Promise<{ sync: Outcome; stream: Outcome }> {
  const sync = await outcome((onBytes) => scanStoredFile(file, layerTask, onBytes));
  const stream = await outcome((onBytes) => scanToRootCause(openStoredFile(file), layerTask, onBytes));
  return { sync, stream };
}

/** Both paths scan `file` to the same LayerScan, reading every byte of it; the scan is returned. */
async function sameScan(file: StoredFile, layerTask = task()): Promise<{ scan: ScanValues; bytes: number }> {
  const { sync, stream } = await bothPaths(file, layerTask);
  expect(sync).toEqual(stream);
  if (!('scan' in sync)) throw new Error(`expected a scan, got ${JSON.stringify(sync.error)}`);
  return sync;
}

/** Both paths fail `file` with the same error (type, message, code, detail, hint); the sync path's is returned. */
async function sameError(
  file: StoredFile,
  layerTask = task(),
): Promise<{ error: Record<string, unknown>; bytes: number }> {
  const { sync, stream } = await bothPaths(file, layerTask);
  if (!('error' in sync) || !('error' in stream)) throw new Error('expected both paths to fail');
  expect(sync.error).toEqual(stream.error);
  return sync;
}

const napi = nativeZstdInUse();

const has = (tool: string) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ballast-scan-file-'));
  tar = await packTar(entries);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scanStoredFile: the same LayerScan as the stream path', () => {
  it('decodes gzip on its own thread here (the zlib handle passed its probe)', () => {
    // Without it the comparisons below would compare the stream path with itself.
    expect(createSyncDecoder('gzip', 'a layer')).toBeDefined();
  });

  it('for a gzip blob, keeping the package files and picked files whole', async () => {
    const blob = zlib.gzipSync(tar);
    const bigSha = createHash('sha256').update(big).digest('binary');
    const picking = task({ pick: { files: { [bigSha]: big.length }, maxBytes: 4 * MiB }, diffId: digest(tar) });
    const result = await sameScan({ ...(await stored(blob)), verify: verify(digest(blob), blob.length) }, picking);
    expect(result.bytes).toBe(blob.length);
    expect(result.scan.uncompressedBytes).toBe(tar.length);
    expect(result.scan.captured['var/lib/dpkg/status']).toBe(status);
    expect(result.scan.captured['app/node_modules/left-pad/package.json']).toBe(manifest);
    expect(result.scan.picked?.[bigSha]).toBe(digest(big));
    expect(result.scan.counts).toMatchObject({ files: 305, symlinks: 1, hardlinks: 1, whiteouts: 1 });
    expect(result.scan.counts.opaqueWhiteouts).toBe(1);
  });

  it('for a plain tar, and for gzip in many small members (pigz, eStargz) with zero padding', async () => {
    const plain = await sameScan(await stored(tar));
    expect(plain.scan.captured['var/lib/dpkg/status']).toBe(status);
    const random = seededRandom(3);
    const members: Buffer[] = [];
    for (let at = 0; at < tar.length;) {
      const n = 1 + Math.floor(random() * 20_000);
      members.push(zlib.gzipSync(tar.subarray(at, at + n)));
      at += n;
    }
    const multi = Buffer.concat([...members, Buffer.alloc(1000)]);
    const result = await sameScan(await stored(multi), task({ diffId: digest(tar) }));
    expect(result.scan).toEqual(plain.scan);
  });

  (napi ? it : it.skip)(
    'for zstd in tiny frames, between skippable ones: every piece a few hundred bytes',
    async () => {
      const { compress } = require('zstd-napi') as { compress(data: Buffer): Buffer };
      const header = Buffer.alloc(8);
      header.writeUInt32LE(0x184d2a50, 0);
      header.writeUInt32LE(3, 4);
      const frames: Buffer[] = [Buffer.concat([header, Buffer.from('toc')])];
      // Each frame gives its own piece, all of them written into the decoder's one buffer: a scanner that kept a
      // piece instead of copying it would capture the last frames' bytes in place of the first's.
      for (let at = 0; at < tar.length; at += 700) frames.push(compress(tar.subarray(at, at + 700)));
      const blob = Buffer.concat(frames);
      const result = await sameScan(
        { ...(await stored(blob)), verify: verify(digest(blob), blob.length) },
        task({ diffId: digest(tar) }),
      );
      expect(result.scan.captured['var/lib/dpkg/status']).toBe(status);
      expect(result.scan.captured['app/node_modules/left-pad/package.json']).toBe(manifest);
      expect(result.scan.uncompressedBytes).toBe(tar.length);
    },
  );

  it('for a blob inside an archive (start past 0, a length short of the file end)', async () => {
    const blob = zlib.gzipSync(tar);
    const file = await stored(blob, { before: 3 * MiB + 123, after: 777 });
    const result = await sameScan({ ...file, verify: verify(digest(blob), blob.length) });
    expect(result.bytes).toBe(blob.length);
    expect(result.scan.captured['var/lib/dpkg/status']).toBe(status);
    const plainMember = await stored(tar, { before: 512, after: 1024 });
    expect((await sameScan(plainMember)).scan.uncompressedBytes).toBe(tar.length);
  });

  it('for an empty blob, and for blobs shorter than the sniffer reads', async () => {
    const empty = await sameScan({ ...(await stored(Buffer.alloc(0))), verify: verify(digest(Buffer.alloc(0)), 0) });
    expect(empty.scan.counts.entries).toBe(0);
    await sameScan({ ...(await stored(tar, { before: 100, after: 100 })), length: 0 });
    // Five bytes of a tar, five of a gzip member: what each path says of them, the other says too.
    const short = await bothPaths(await stored(tar.subarray(0, 5)), task());
    expect(short.sync).toEqual(short.stream);
    const shortGzip = await bothPaths(await stored(zlib.gzipSync(tar).subarray(0, 5)), task());
    expect(shortGzip.sync).toEqual(shortGzip.stream);
    expect(shortGzip.sync).toMatchObject({ error: { code: 'corrupt-layer' } });
  });

  it.each([
    ['bzip2', ['-c']],
    ['xz', ['-c', '-0']],
  ])('refuses %s as the stream path does', async (tool, args) => {
    if (!has(tool)) return;
    const blob = execFileSync(tool, args, { input: tar, maxBuffer: 64 * MiB });
    const failed = await sameError(await stored(blob));
    expect(failed.error).toMatchObject({ type: 'SourceError', code: 'unsupported-compression' });
  });
});

describe('scanStoredFile: the same errors as the stream path', () => {
  let blob: Buffer;
  let corrupt: Buffer;
  beforeAll(() => {
    blob = zlib.gzipSync(tar);
    corrupt = Buffer.from(blob);
    corrupt.fill(0xff, 20, 40); // the first deflate block's header: zlib's Z_DATA_ERROR
  });

  it('a digest mismatch, read to the end', async () => {
    const wrong = digest(Buffer.from('another blob'));
    const failed = await sameError({ ...(await stored(blob)), verify: verify(wrong, blob.length) });
    expect(failed.error).toMatchObject({ code: 'digest-mismatch', detail: expect.stringMatching(/^the blob does/) });
    expect(failed.bytes).toBe(blob.length);
  });

  it('a size mismatch, the blob longer or shorter than its descriptor says', async () => {
    const file = await stored(blob);
    for (const size of [blob.length + 1, blob.length - 1]) {
      const failed = await sameError({ ...file, verify: verify(digest(blob), size) });
      expect(failed.error).toMatchObject({ code: 'size-mismatch' });
    }
  });

  it('a corrupt gzip whose digest also mismatches: the digest mismatch, the root cause', async () => {
    const failed = await sameError({ ...(await stored(corrupt)), verify: verify(digest(blob), blob.length) });
    expect(failed.error).toMatchObject({ code: 'digest-mismatch' });
    expect(failed.bytes).toBe(corrupt.length);
  });

  it('a corrupt gzip with a right digest: a corrupt layer', async () => {
    const failed = await sameError({ ...(await stored(corrupt)), verify: verify(digest(corrupt), corrupt.length) });
    expect(failed.error).toMatchObject({ code: 'corrupt-layer', hint: expect.stringMatching(/truncated or corrupt/) });
    const truncated = blob.subarray(0, blob.length - 10);
    const cut = await sameError({ ...(await stored(truncated)), verify: verify(digest(truncated)) });
    expect(cut.error).toMatchObject({ code: 'corrupt-layer', message: expect.stringMatching(/unexpected end/) });
  });

  it('a tar that is not one inside good gzip, with a wrong digest: the digest mismatch', async () => {
    const notTar = zlib.gzipSync(randomBytes(2 * MiB, 9));
    const wrong = await sameError({ ...(await stored(notTar)), verify: verify(digest(blob)) });
    expect(wrong.error).toMatchObject({ code: 'digest-mismatch' });
    expect(wrong.bytes).toBe(notTar.length);
    const right = await sameError({ ...(await stored(notTar)), verify: verify(digest(notTar)) });
    expect(right.error.code).not.toBe('digest-mismatch');
  });

  it('a budget stop, without reading the blob to its end', async () => {
    const noise = randomBytes(12 * MiB, 4);
    const heavy = zlib.gzipSync(await packTar([{ name: 'noise.bin', content: noise }]));
    const file = { ...(await stored(heavy)), verify: verify(digest(heavy), heavy.length) };
    const limited = task({ limits: { maxDecompressedBytes: 2 * MiB, maxEntries: 1000 } });
    const { sync, stream } = await bothPaths(file, limited);
    if (!('error' in sync) || !('error' in stream)) throw new Error('expected both paths to fail');
    expect(sync.error).toEqual(stream.error);
    expect(sync.error).toMatchObject({ code: 'budget' });
    expect(sync.bytes).toBeLessThan(heavy.length / 2);
    // Over the entry budget too, with a digest that would mismatch: the budget is the answer, nothing is read on.
    const wrong = { ...file, verify: verify(digest(blob), heavy.length) };
    const entriesOver = await sameError(wrong, task({ limits: { maxDecompressedBytes: 1e12, maxEntries: 0 } }));
    expect(entriesOver.error).toMatchObject({ code: 'budget' });
  });

  it('a diff_id mismatch, and none when it matches', async () => {
    const file = { ...(await stored(blob)), verify: verify(digest(blob), blob.length) };
    const failed = await sameError(file, task({ diffId: digest(blob) }));
    expect(failed.error).toMatchObject({ code: 'digest-mismatch', detail: expect.stringMatching(/diff_id/) });
    await sameScan(file, task({ diffId: digest(tar) }));
  });

  it('sha512 digests are checked; an unknown algorithm is not', async () => {
    const file = await stored(blob);
    await sameScan({ ...file, verify: verify(digest(blob, 'sha512'), blob.length) });
    const failed = await sameError({ ...file, verify: verify(digest(tar, 'sha512'), blob.length) });
    expect(failed.error).toMatchObject({ code: 'digest-mismatch', message: expect.stringMatching(/got sha512:/) });
    await sameScan({ ...file, verify: verify(`blake3:${'0'.repeat(64)}`, blob.length) });
  });
});

describe('StoredScan: a streamed layer scanned in place', () => {
  /**
   * Pushes `blob` through a StoredScan in random-size chunks, all copied into one buffer that is overwritten with
   * garbage once `write` returns, as a walk worker hands each chunk's memory back to be filled again.
   */
  function pushThroughOneBuffer(blob: Buffer, layerTask: LayerTask, seed: number): LayerScan {
    const random = seededRandom(seed);
    const reused = Buffer.alloc(2 * MiB);
    let scan: StoredScan | undefined;
    for (let at = 0; at < blob.length;) {
      const n = Math.min(blob.length - at, Math.max(SNIFF_BYTES, Math.floor(Math.exp(random() * Math.log(2 * MiB)))));
      const chunk = reused.subarray(0, n);
      blob.copy(chunk, 0, at, at + n);
      scan ??= StoredScan.start(chunk, layerTask);
      if (!scan) throw new Error('no decoder on this thread');
      scan.write(chunk);
      reused.fill(0xaa);
      at += n;
    }
    return (scan ?? StoredScan.start(Buffer.alloc(0), layerTask)!).end();
  }

  it('gives what reading the file gives, though each chunk is overwritten once written', async () => {
    const blobs = [tar, zlib.gzipSync(tar)];
    if (napi) {
      const { compress } = require('zstd-napi') as { compress(data: Buffer): Buffer };
      const frames: Buffer[] = [];
      for (let at = 0; at < tar.length; at += 100_000) frames.push(compress(tar.subarray(at, at + 100_000)));
      blobs.push(Buffer.concat(frames));
    }
    for (const [i, blob] of blobs.entries()) {
      const layerTask = task({ diffId: digest(tar) });
      const fromFile = await outcome(async (onBytes) => scanStoredFile(await stored(blob), layerTask, onBytes));
      const pushed = await outcome(async (onBytes) => {
        onBytes(blob.length);
        return pushThroughOneBuffer(blob, layerTask, 60 + i);
      });
      expect(pushed).toEqual(fromFile);
      expect(pushed).toMatchObject({ scan: { captured: { 'var/lib/dpkg/status': status } } });
    }
  });
});

describe('the compiled reader, in a child process', () => {
  // What it meets at the path is only known when it opens it, and a blocking open or read there would hold the worker
  // thread for good: run compiled (`npm run build` first) in a child, which is killed, a hang fails the test rather
  // than stall it.
  const compiled = fileURLToPath(new URL('../../dist/src/analysis/scan-file.js', import.meta.url));
  const scanInChild = (path: string): { status: number | null; out: string } => {
    const script = `
      import { scanStoredFile } from ${JSON.stringify(compiled)};
      scanStoredFile({ path: ${JSON.stringify(path)}, start: 0 }, { what: 'layer 0 of test' }, () => {}).then(
        (scan) => { console.log(scan.counts.files); process.exit(0); },
        (error) => { console.log(error.message); process.exit(2); },
      );`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: child.status, out: child.stdout.trim() };
  };

  it('reads a layer file (the child works)', async () => {
    const file = join(dir, 'child-layer.tar.gz');
    await writeFile(file, zlib.gzipSync(await packTar([{ name: 'a.txt', content: 'a' }])));
    expect(scanInChild(file)).toEqual({ status: 0, out: '1' });
  });

  it('fails on a FIFO at the path instead of waiting for a writer', () => {
    // The image's files are checked to be regular when it is opened; one replaced by a FIFO before the worker got to
    // it held the walk in open() until killed.
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(scanInChild(fifo)).toEqual({ status: 2, out: `${fifo} is a FIFO (a pipe), not a regular file` });
  });
});
