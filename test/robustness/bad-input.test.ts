// Hostile and broken input, end to end: each case builds its malformed image in a temp dir and runs the real CLI
// (dist/, so `npm run build` first) under a heap cap, asserting either exit 2 with ONE stderr line that names the input
// and the problem (never a stack trace), or the correct result where the image is merely odd, within a time bound.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { runCli, type CliResult } from '../helpers/cli.js';
import {
  BLOCK,
  END,
  gnuSparseEntry,
  pax1SparseEntry,
  paxRecord,
  rawTar,
  sha,
  tarEntry,
  tarHeader,
  writeLayout,
  type Layout,
  type RawEntry,
} from '../helpers/hostile.js';
import { buildDockerArchive, layer } from '../helpers/image-builder.js';

/**
 * Every case runs under these bounds; the README quotes them. The time bound is wall time on a shared 2-core machine
 * (a CLI start alone can take 10 s under load there); it catches hangs and whole-file reads, not slowness.
 */
export const TIME_BOUND_MS = 60_000;
jest.setTimeout(4 * TIME_BOUND_MS);
export const HEAP_CAP_MB = 256;
export const RSS_BOUND_MB = 400;

const rssProbe = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ballast-robust-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run extends CliResult {
  ms: number;
  rssMb: number;
}

let runs = 0;
async function ballast(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const rssFile = join(work, `rss-${runs++}`);
  const started = Date.now();
  const result = await runCli(args, {
    timeoutMs: TIME_BOUND_MS * 2,
    env: {
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB} --import ${rssProbe}`,
      BALLAST_RSS_FILE: rssFile,
      BALLAST_WORKERS: '0',
      ...extraEnv,
    },
  });
  const ms = Date.now() - started;
  let rssMb = NaN;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    // No file: the process died without running its exit handlers (killed); the checks below report it.
  }
  return { ...result, ms, rssMb };
}

/** The failure contract: exit 2, one `error: ... (hint: ...)` line naming `names`, nothing on stdout, in bounds. */
function expectCleanFailure(run: Run, names: (string | RegExp)[]): void {
  const lines = run.stderr.trimEnd().split('\n');
  expect({ code: run.code, lines: lines.length, stack: /\n\s+at /.test(run.stderr), stdout: run.stdout }).toEqual({
    code: 2,
    lines: 1,
    stack: false,
    stdout: '',
  });
  expect(lines[0]).toMatch(/^error: /);
  for (const name of names) expect(lines[0]).toMatch(name);
  expectBounds(run);
}

function expectBounds(run: Run): void {
  expect(run.ms).toBeLessThan(TIME_BOUND_MS);
  expect(run.rssMb).toBeLessThan(RSS_BOUND_MB);
}

interface Summary {
  summary: { finalFiles: number; finalFileBytes: number; wastedBytes: number };
}

async function analyzeJson(path: string, extra: string[] = []): Promise<{ run: Run; json: Summary }> {
  const run = await ballast(['analyze', path, '--json', ...extra]);
  if (run.code !== 0) throw new Error(`expected exit 0, got ${run.code}: ${run.stderr}`);
  expectBounds(run);
  expect(run.stderr).toBe('');
  return { run, json: JSON.parse(run.stdout) as Summary };
}

const layouts: Layout[] = [];
afterAll(() => layouts.forEach((l) => l.cleanup()));
function layout(...args: Parameters<typeof writeLayout>): Layout {
  const l = writeLayout(...args);
  layouts.push(l);
  return l;
}

const plainTar = rawTar([
  { name: 'etc/', type: 'dir' },
  { name: 'etc/hello.txt', content: 'hello world\n'.repeat(100) },
  { name: 'bin/tool', content: Buffer.alloc(3000, 7) },
]);

/** Concatenated gzip members decode as one stream: a 10 GB-shaped layer fits in a few MB of file. */
function repeatedGzip(head: Buffer, unit: Buffer, times: number, tail: Buffer): Buffer {
  const member = gzipSync(unit, { level: 9 });
  return Buffer.concat([gzipSync(head), ...Array.from({ length: times }, () => member), gzipSync(tail)]);
}

describe('bad input: archives and layer tars', () => {
  it('a truncated layer tar is exit 2 naming the layer', async () => {
    const l = layout({
      layers: [plainTar.subarray(0, BLOCK + 700)],
      layerTypes: ['application/vnd.oci.image.layer.v1.tar'],
    });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /ends in the middle of a tar entry/]);
  });

  it('a truncated gzip layer is exit 2 naming the layer', async () => {
    const gz = gzipSync(plainTar);
    const l = layout({ layers: [gz.subarray(0, Math.floor(gz.length / 2))] });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /truncated or corrupt|unexpected end/i]);
  });

  it('a truncated zstd layer is exit 2 naming the layer', async () => {
    const zst = readFileSync(new URL('../fixtures/formats/ggcr/crane/content.tar.zst', import.meta.url));
    const l = layout({
      layers: [zst.subarray(0, zst.length - 20)],
      layerTypes: ['application/vnd.oci.image.layer.v1.tar+zstd'],
    });
    // The corrupt-layer hint, through the decoder thread (whose errors cross postMessage as plain data).
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /truncated or corrupt/]);
  });

  it('a truncated docker-archive is exit 2 naming the file', async () => {
    const img = await buildDockerArchive([layer({ 'a.txt': 5000 })]);
    const cut = join(work, 'cut.tar');
    writeFileSync(cut, readFileSync(img.path).subarray(0, 3 * BLOCK + 100));
    img.cleanup();
    expectCleanFailure(await ballast(['analyze', cut]), [cut]);
  });

  // A docker save cut before its manifest.json, between two members or inside that member's header, was called "a
  // plain tar (a filesystem, not an image archive) … use `docker import`".
  it('a docker-archive cut before its manifest.json is called truncated, not a plain tar', async () => {
    const img = await buildDockerArchive([layer({ 'a.txt': 5000 })]);
    const whole = readFileSync(img.path);
    img.cleanup();
    // The header offsets of the archive's members, read as an extractor does (name, then the size in octal).
    let at = 0;
    let manifestAt = -1;
    while (at + BLOCK <= whole.length && whole[at] !== 0) {
      if (
        whole
          .subarray(at, at + 100)
          .toString('latin1')
          .replace(/\0.*$/s, '') === 'manifest.json'
      )
        manifestAt = at;
      const size = parseInt(
        whole
          .subarray(at + 124, at + 136)
          .toString('latin1')
          .replace(/\0.*$/s, '')
          .trim(),
        8,
      );
      at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    expect(manifestAt).toBeGreaterThan(0);
    for (const [length, problem] of [
      [manifestAt, new RegExp(`is truncated: the tar ends at byte ${manifestAt} without its end-of-archive blocks`)],
      [manifestAt + 124, new RegExp(`is truncated: the tar ends inside a member's header \\(124 of its 512 bytes`)],
    ] as const) {
      const cut = join(work, `cut-${length}.tar`);
      writeFileSync(cut, whole.subarray(0, length));
      const run = await ballast(['inspect', cut]);
      expectCleanFailure(run, [cut, problem, /hint: the archive was cut short/]);
      expect(run.stderr).not.toContain('plain tar');
    }
  });

  // Regression (bug hunt cache): a temp directory that cannot hold the decompressed copy was blamed on the archive
  // ("could not be decompressed", no hint).
  it('a compressed archive whose temp copy cannot be written blames TMPDIR, not the archive', async () => {
    const img = await buildDockerArchive([layer({ 'a.txt': 50_000 })]);
    const gz = join(work, 'image.tar.gz');
    writeFileSync(gz, gzipSync(readFileSync(img.path)));
    img.cleanup();
    const missing = await ballast(['analyze', gz, '--no-cache'], { TMPDIR: join(work, 'no-such-dir') });
    expectCleanFailure(missing, [/cannot write a temporary copy in .*no-such-dir: ENOENT/, /hint: set TMPDIR/]);
    // A full disk, as a file-size limit gives it (EFBIG: Node ignores SIGXFSZ).
    const full = await runCli(['analyze', gz, '--no-cache'], { wrapper: ['prlimit', '--fsize=16384', '--'] });
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/^error: cannot write a temporary copy in .*: EFBIG.*\(hint: free space in /);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
  });

  // Regression (lint --fix hunt): ShellCheck's scripts go to TMPDIR too, and a TMPDIR that could not hold them gave
  // Node's bare `EACCES: permission denied, mkdtemp ...` with no hint.
  it('lint whose RUN scripts cannot be written for ShellCheck blames TMPDIR with a hint', async () => {
    const dockerfile = join(work, 'Dockerfile.sc');
    writeFileSync(dockerfile, 'FROM debian:12\nRUN echo $1\n');
    const missing = await ballast(['lint', dockerfile], { TMPDIR: join(work, 'no-such-dir') });
    expectCleanFailure(missing, [
      /cannot write the RUN scripts for ShellCheck in .*no-such-dir: ENOENT/,
      /hint: set TMPDIR to a directory this user can write to/,
    ]);
    // Without ShellCheck nothing is written there, and the lint runs (exit 1: the Dockerfile's own findings)
    const without = await ballast(['lint', dockerfile, '--no-shellcheck'], { TMPDIR: join(work, 'no-such-dir') });
    expect({ code: without.code, stderr: without.stderr }).toEqual({ code: 1, stderr: '' });
  });

  it('garbage after the end-of-archive marker is ignored: the files before it are the result', async () => {
    const garbage = Buffer.concat([
      plainTar,
      Buffer.from('this is not a tar header, just junk after the end '.repeat(40)),
    ]);
    const l = layout({ layers: [gzipSync(garbage)] });
    const { json } = await analyzeJson(l.dir);
    expect(json.summary.finalFiles).toBe(2);
    expect(json.summary.finalFileBytes).toBe(1200 + 3000);
  });

  // Bytes after a gzip stream follow gzip's rule (`gzip -d`): zero padding is read past, anything else is exit 2.
  // A compressed docker-archive with zero padding exited 13 with no output (its decoder's end came before its
  // input's, and was waited for after it had passed); garbage behind the padding was read as nothing.
  it('a .tar.gz docker-archive with zero padding is read; garbage behind the padding, or a layer so made, is exit 2', async () => {
    const img = await buildDockerArchive([layer({ 'a.txt': 5000 })]);
    const packed = gzipSync(readFileSync(img.path));
    img.cleanup();
    const padded = join(work, 'padded.tar.gz');
    writeFileSync(padded, Buffer.concat([packed, Buffer.alloc(100_000)]));
    const { json } = await analyzeJson(padded);
    expect(json.summary.finalFiles).toBe(1);
    const behind = join(work, 'behind-padding.tar.gz');
    writeFileSync(behind, Buffer.concat([packed, Buffer.alloc(1000), Buffer.from('garbage')]));
    expectCleanFailure(await ballast(['analyze', behind]), [behind, /goes on after its gzip stream ends/]);
    const l = layout({
      layers: [Buffer.concat([gzipSync(plainTar), Buffer.from('\0'), gzipSync(plainTar)])],
      diffIds: [sha(plainTar)],
    });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /goes on after its gzip stream ends/]);
  });

  it('a header claiming more bytes than follow is exit 2 (the archive ends inside the entry)', async () => {
    const lying = Buffer.concat([
      tarEntry({ name: 'big', content: 'x'.repeat(10), declaredSize: 5000 }).subarray(0, 2 * BLOCK),
      END,
    ]);
    const l = layout({ layers: [gzipSync(lying)] });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /ends in the middle|corrupt/]);
  });

  it('a header claiming fewer bytes than follow is exit 2 (content read as a header)', async () => {
    const content = Buffer.alloc(2000, 0x41);
    const lying = Buffer.concat([tarHeader(Buffer.from('small'), '0', 10), content, Buffer.alloc(48), END]);
    const l = layout({ layers: [gzipSync(lying)] });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /corrupt tar header/]);
  });

  it('an entry declaring 100 GB stops at once on the decompressed-bytes budget, naming the flag', async () => {
    const huge = Buffer.concat([tarHeader(Buffer.from('huge.bin'), '0', 100 * 1024 ** 3), Buffer.alloc(64 * 1024)]);
    const l = layout({ layers: [gzipSync(huge)] });
    expectCleanFailure(await ballast(['analyze', l.dir]), [
      l.dir,
      /layer 0/,
      /107374182400 bytes/,
      /--max-decompressed-bytes/,
    ]);
  });

  it('10 million empty entries stop at the entries budget', async () => {
    // 10,000 identical empty entries per gzip member, the member repeated 1,000 times: 10 M entries, ~5 GB of tar.
    const unit = Buffer.concat(Array.from({ length: 10_000 }, () => tarHeader(Buffer.from('e'), '0', 0)));
    const l = layout({ layers: [repeatedGzip(Buffer.alloc(0), unit, 1000, END)] });
    const run = await ballast(['analyze', l.dir, '--max-entries', '100000']);
    expectCleanFailure(run, [l.dir, /layer 0/, /more than 100000 entries/, /--max-entries/]);
  });

  it('a decompression bomb (1 GB of zeros in ~1 MB of gzip) stops at the byte budget', async () => {
    // 1,024 entries of 1 MB of zeros each: no header alone is over the budget, the stream as a whole is.
    const unit = Buffer.concat([tarHeader(Buffer.from('zeros'), '0', 1024 * 1024), Buffer.alloc(1024 * 1024)]);
    const blob = repeatedGzip(Buffer.alloc(0), unit, 1024, END);
    expect(blob.length).toBeLessThan(2 * 1024 * 1024);
    const l = layout({ layers: [blob] });
    const run = await ballast(['analyze', l.dir, '--max-decompressed-bytes', '64MB']);
    expectCleanFailure(run, [l.dir, /layer 0/, /decompresses to more than 64/, /--max-decompressed-bytes/]);
  });

  it.each([
    ['old GNU (S)', gnuSparseEntry],
    ['PAX 1.0', pax1SparseEntry],
  ])('a sparse bomb (%s: holes in a 2 KB tar expanding to 1.2 GB) stops at the byte budget', async (_, sparse) => {
    // Each entry is under the budget; their holes together are not. The holes are hashed as the zeros a reader sees,
    // so they count against the budget like any other decompressed byte (with the default 16 GiB budget, 20 entries
    // of 15 GiB of holes ran for hours).
    const tar = Buffer.concat([...Array.from({ length: 20 }, (_, i) => sparse(`holes${i}`, 60 * 1024 * 1024)), END]);
    expect(tar.length).toBeLessThan(64 * 1024);
    const l = layout({ layers: [gzipSync(tar)] });
    const run = await ballast(['analyze', l.dir, '--max-decompressed-bytes', '64MB']);
    expectCleanFailure(run, [l.dir, /layer 0/, /sparse/, /more than 64/, /--max-decompressed-bytes/]);
  });

  it.each([
    ['in-process', ['--workers', '0']],
    ['on worker threads', ['--workers', '2']],
    ['with the default workers', []],
  ])(
    'sparse holes count over the whole image (%s): 3 layers of 30 MB of holes, each under a 64 MB budget, are refused',
    async (label, flags) => {
      // Each layer alone is under the per-layer budget; with the default 16 GiB one, 1,000 such 1 KB layers of 15 GiB
      // of holes would hash 15 TB of zeros. The names differ per case so no layer is served from the layer cache.
      const holes = (name: string) => gzipSync(Buffer.concat([gnuSparseEntry(name, 30 * 1024 * 1024), END]));
      const l = layout({ layers: [0, 1, 2].map((i) => holes(`${label}-${i}`)) });
      const run = await ballast(['analyze', l.dir, '--max-decompressed-bytes', '64MB', ...flags], {
        BALLAST_WORKERS: undefined,
      });
      expectCleanFailure(run, [
        l.dir,
        /layer [0-2]/,
        /sparse/,
        /all layers/,
        /more than 64/,
        /--max-decompressed-bytes/,
      ]);
      // Two layers of holes fit the budget together.
      const two = layout({ layers: [0, 1].map((i) => holes(`${label}-fits-${i}`)) });
      const ok = await ballast(['analyze', two.dir, '--max-decompressed-bytes', '64MB', '--json', ...flags], {
        BALLAST_WORKERS: undefined,
      });
      expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
    },
  );

  it('sparse holes of layers served from the layer cache count too: the exit code does not depend on the cache', async () => {
    // Counting only the holes hashed, a run refused after caching two of three layers passed when run again.
    const env = { BALLAST_CACHE_DIR: mkdtempSync(join(work, 'holes-cache-')) };
    const holes = (name: string) => gzipSync(Buffer.concat([gnuSparseEntry(name, 30 * 1024 * 1024), END]));
    const l = layout({ layers: [0, 1, 2].map((i) => holes(`cached-${i}`)) });
    const warm = await ballast(['analyze', l.dir, '--max-decompressed-bytes', '200MB', '--json'], env);
    expect({ code: warm.code, stderr: warm.stderr }).toEqual({ code: 0, stderr: '' });
    const run = await ballast(['analyze', l.dir, '--max-decompressed-bytes', '64MB'], env);
    expectCleanFailure(run, [l.dir, /layer [0-2]/, /all layers/, /more than 64/, /--max-decompressed-bytes/]);
    // One blob listed three times is read once, so its holes count once: cold and warm alike.
    const once = holes('cached-repeated');
    const repeated = layout({ layers: [once, once, once] });
    for (const pass of ['cold', 'warm']) {
      const ok = await ballast(['analyze', repeated.dir, '--max-decompressed-bytes', '64MB', '--json'], env);
      expect({ pass, code: ok.code, stderr: ok.stderr }).toEqual({ pass, code: 0, stderr: '' });
    }
  });

  it('sparse holes of a blob B lists twice and shares with A count once in diff --no-verify, as in analyze B', async () => {
    // B's copy is read again to confirm it (--no-verify reads it as analyze does), once for both listings: the other
    // listing's holes were counted as well, 80 MB where reading B alone hashes 40.
    const once = gzipSync(Buffer.concat([gnuSparseEntry('diff-repeated', 40 * 1024 * 1024), END]));
    const a = layout({ layers: [once] });
    const b = layout({ layers: [once, once] });
    const budget = ['--max-decompressed-bytes', '64MB', '--no-verify', '--no-cache'];
    const alone = await ballast(['analyze', b.dir, '--json', ...budget]);
    expect({ code: alone.code, stderr: alone.stderr }).toEqual({ code: 0, stderr: '' });
    const diff = await ballast(['diff', a.dir, b.dir, '--json', ...budget]);
    expect({ code: diff.code, stderr: diff.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('a small sparse file is read: its holes count in its size, not in the archive', async () => {
    const l = layout({ layers: [gzipSync(Buffer.concat([gnuSparseEntry('s', 1024 * 1024, 'x'), END]))] });
    const { json } = await analyzeJson(l.dir, ['--max-decompressed-bytes', '64MB']);
    expect(json.summary).toMatchObject({ finalFiles: 1, finalFileBytes: 1024 * 1024 });
  });

  it('the .ballast.yaml limits apply when no flag is given, and a flag wins over them', async () => {
    const unit = Buffer.concat(Array.from({ length: 1000 }, () => tarHeader(Buffer.from('e'), '0', 0)));
    const l = layout({ layers: [gzipSync(Buffer.concat([unit, END]))] });
    const cwd = mkdtempSync(join(work, 'cfg-'));
    writeFileSync(join(cwd, '.ballast.yaml'), 'limits:\n  maxEntries: 500\n');
    const byConfig = await runCli(['analyze', l.dir], { cwd });
    expect(byConfig.code).toBe(2);
    expect(byConfig.stderr).toMatch(/more than 500 entries/);
    const byFlag = await runCli(['analyze', l.dir, '--max-entries', '5000', '--json'], { cwd });
    expect(byFlag.code).toBe(0);
    writeFileSync(join(cwd, '.ballast.yaml'), 'limits:\n  maxEntries: lots\n');
    const bad = await runCli(['analyze', l.dir], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/limits\.maxEntries must be a positive whole number/);
    // Rounded, 0.5 was a budget of 1 byte (layer 0 failed) and 0.4 "not a size".
    for (const fraction of ['0.5', '0.4']) {
      const flag = await runCli(['analyze', l.dir, '--max-decompressed-bytes', fraction], { cwd });
      expect(flag.code).toBe(2);
      expect(flag.stderr).toBe(
        `error: --max-decompressed-bytes ${fraction} is not a whole number of bytes (hint: give whole bytes or a size such as 4GB or 500MiB)\n`,
      );
    }
  });

  it('an image of more than 1,000 layers is refused before any is read; 1,000 are read', async () => {
    // 10,000 copies of one empty layer took 30-60 s per command; no runtime stacks more than 127.
    const many = layout({ layers: Array.from({ length: 1001 }, () => END) });
    for (const args of [
      ['analyze', many.dir, '--json'],
      ['ci', many.dir],
      ['explore', many.dir, '--json'],
    ])
      expectCleanFailure(await ballast(args), [many.dir, /has 1001 layers, more than the 1000/, /127 layers/]);
    // --no-cache: a cached scan of plainTar's blob would stand in for the replaced blob of a test below.
    const diff = await ballast(['diff', layout({ layers: [gzipSync(plainTar)] }).dir, many.dir, '--no-cache']);
    expectCleanFailure(diff, [many.dir, /has 1001 layers/]);
    const { json } = await analyzeJson(layout({ layers: Array.from({ length: 1000 }, () => END) }).dir, ['--no-cache']);
    expect(json.summary.finalFiles).toBe(0);
  });

  it('--workers above the core count starts one thread per core, not one per layer asked for', async () => {
    // --workers 1000 on a 1,000-layer image started 1,000 threads: 12 GB and minutes; threads beyond the cores cannot
    // run at once, so they only add memory. 200 distinct one-file layers, all 200 threads asked for.
    const l = layout({
      layers: Array.from({ length: 200 }, (_, i) => gzipSync(rawTar([{ name: `f${i}`, content: `${i}` }]))),
    });
    const { run, json } = await analyzeJson(l.dir, ['--no-cache', '--workers', '200']);
    expect(json.summary.finalFiles).toBe(200);
    expect(run.rssMb).toBeLessThan(RSS_BOUND_MB);
  });

  it('a 2,000-deep path (4,008 characters) is read and counted', async () => {
    const deep = `${'d/'.repeat(2_000)}leaf.txt`;
    const l = layout({ layers: [gzipSync(rawTar([{ name: deep, content: 'deep' }]))] });
    const { json } = await analyzeJson(l.dir, ['--no-cache']);
    expect(json.summary.finalFiles).toBe(1);
    expect(json.summary.finalFileBytes).toBe(4);
  });

  it('a path longer than 4,096 characters is exit 2 naming the layer and the length', async () => {
    // Every directory above a file is kept by its full path, so memory grew with the square of the depth (20,000
    // levels: 905 MB; 32,768 levels hung). Linux cannot create such a path, so no runtime could extract the layer.
    const deep = `${'d/'.repeat(2_100)}leaf.txt`;
    const l = layout({ layers: [gzipSync(plainTar), gzipSync(rawTar([{ name: deep, content: 'deep' }]))] });
    // --no-cache: layer 0 (plainTar) is read before layer 1 fails; cached, it would stand in for a replaced blob below.
    expectCleanFailure(await ballast(['analyze', l.dir, '--json', '--no-cache']), [
      l.dir,
      /reading layer 1 \(sha256:[0-9a-f]{64}\) of [^:]+: the layer has an entry whose/,
      /path is 4208 characters long/,
      /more than the 4096/,
    ]);
  });

  it('a link target longer than 4,096 characters is exit 2 naming the layer and the entry; 4,000 are read', async () => {
    // Each entry kept its target whole: 100 symlinks of 16 MB PAX linkpaths (a 7 MB gzip layer) took 1.7 GB and 22 s,
    // 20 of 10 MB here ran past the heap cap. symlink(2) and link(2) take no target over PATH_MAX.
    const long = Array.from({ length: 20 }, (_, i) => ({
      name: `l${i}`,
      type: 'symlink' as const,
      linkname: `${i}${'t'.repeat(10_000_000)}`,
    }));
    const hard = { name: 'h', type: 'hardlink' as const, linkname: `${'d/'.repeat(2_100)}f` };
    for (const [entries, said] of [
      [long, /entry \(l0\) whose link target is 10000001 characters long, more than the 4096/],
      [[hard], /entry \(h\) whose link target is 4201 characters long/],
    ] as const) {
      const l = layout({ layers: [gzipSync(rawTar([{ name: 'ok', content: 'ok' }, ...entries]))] });
      expectCleanFailure(await ballast(['analyze', l.dir, '--no-cache']), [l.dir, /reading layer 0/, said]);
    }
    const fine = layout({
      layers: [gzipSync(rawTar([{ name: 's', type: 'symlink', linkname: `/${'a/'.repeat(1_999)}b` }]))],
    });
    const { json } = await analyzeJson(fine.dir, ['--no-cache']);
    expect(json.summary.finalFiles).toBe(0);
  });

  it('twenty distinct 2,000-deep paths in one small layer are exit 2 naming the layer', async () => {
    // Each is a legal path, but each brings 2,000 directories of up to 4,000 characters: 20 took 663 MB.
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `t${i}/${'a/'.repeat(2_000)}leaf`, content: 'x' }));
    const l = layout({ layers: [gzipSync(rawTar(entries))] });
    expectCleanFailure(await ballast(['analyze', l.dir, '--json', '--no-cache']), [
      l.dir,
      /reading layer 0 \(sha256:[0-9a-f]{64}\) of [^:]+: the layer names more than/,
      /characters of directories in \d+ entries/,
    ]);
  });

  it('names with .., absolute paths and invalid UTF-8 are odd but readable: counted, never resolved on the host', async () => {
    const l = layout({
      layers: [
        gzipSync(
          rawTar([
            { name: '../../../../etc/evil', content: 'dotdot' },
            { name: 'a/../../b', content: 'dotdot2' },
            { name: '/abs/file', content: 'absolute' },
            { name: Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x74, 0x78, 0x74]), content: 'latin' },
          ]),
        ),
      ],
    });
    const { json } = await analyzeJson(l.dir);
    expect(json.summary.finalFiles).toBe(4);
    // The report is valid JSON whatever the bytes of the names (parsed above) and names no host file.
    expect(JSON.stringify(json)).not.toMatch(/root:x:0:0/);
  });

  it('a PAX size record whose length runs past the header is a corrupt header (exit 2), not skipped', async () => {
    // Given `30 size=99999999999999999999\n`, 29 bytes that claim 30 (found by the hostile-input hunt). Skipping
    // it read the entry by the ustar size; containerd and Python's tarfile refuse the header.
    const record = Buffer.from('30 size=99999999999999999999\n');
    const tar = Buffer.concat([
      tarHeader(Buffer.from('PaxHeader'), 'x', record.length),
      record,
      Buffer.alloc(BLOCK - record.length),
      tarEntry({ name: 'big', content: '0123456789' }),
      END,
    ]);
    const l = layout({ layers: [gzipSync(tar)] });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /corrupt tar header.*PAX record/]);
  });

  // Applied to every later entry, one global header of 100,000 xattr records cost 100,000 copies per entry: with
  // 2,000 entries analyze ran past 2 minutes (100 entries: 28 s, 1.8 GB). Go's archive/tar, which containerd and
  // Docker extract layers and read `docker save` archives with, applies no global record to any entry.
  it('a global PAX header is checked, then ignored as runtimes ignore it: no renaming, no cost per entry', async () => {
    const v = Buffer.from('v');
    const xattrs = Array.from({ length: 100_000 }, (_, i) => paxRecord(`SCHILY.xattr.user.k${i}`, v));
    const body = Buffer.concat([paxRecord('path', Buffer.from('renamed')), ...xattrs]);
    const global = Buffer.concat([
      tarHeader(Buffer.from('pax_global_header'), 'g', body.length),
      body,
      Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK),
    ]);
    const files = Array.from({ length: 2_000 }, (_, i) => ({ name: `f${i}`, content: `${i}` }));
    const l = layout({ layers: [gzipSync(Buffer.concat([global, rawTar(files)]))] });
    expect((await analyzeJson(l.dir)).json.summary.finalFiles).toBe(2_000);

    // The archive index reads it so too: a global path record before manifest.json renames no member.
    const img = await buildDockerArchive([layer({ 'a.txt': 500 })]);
    const archive = join(work, 'global-pax.tar');
    writeFileSync(archive, Buffer.concat([global, readFileSync(img.path)]));
    img.cleanup();
    expect((await analyzeJson(archive)).json.summary.finalFiles).toBe(1);
  });

  // Both read their records with push(...list): 300,000 stanzas or names were more arguments than a call takes, and
  // analyze stopped with "error: Maximum call stack size exceeded".
  it('a dpkg status.d file of 300,000 stanzas and an apk line of 300,000 names are read', async () => {
    const stanzas = Array.from({ length: 300_000 }, (_, i) => `Package: p${i}\nStatus: install ok installed\n\n`);
    const names = Array.from({ length: 300_000 }, (_, i) => `so:lib${i}.so`).join(' ');
    const l = layout({
      layers: [
        gzipSync(
          rawTar([
            { name: 'var/lib/dpkg/status.d/many', content: stanzas.join('') },
            { name: 'lib/apk/db/installed', content: `P:one\nV:1\nD:${names}\np:${names}\n\n` },
          ]),
        ),
      ],
    });
    expect((await analyzeJson(l.dir)).json.summary.finalFiles).toBe(2);
  });

  // diff applies the layers two images share once, then copies that state for each: its waste events were copied
  // with push(...events), and a shared layer deleting 150,000 files made that more arguments than a call takes.
  it('diff of two images sharing a layer that deletes 150,000 files compares them', async () => {
    const many = gzipSync(rawTar(Array.from({ length: 150_000 }, (_, i) => ({ name: `d/f${i}`, content: 'x' }))));
    const gone = gzipSync(rawTar([{ name: '.wh.d' }]));
    const a = layout({ layers: [many, gone, gzipSync(rawTar([{ name: 'a', content: 'a' }]))] });
    const b = layout({ layers: [many, gone, gzipSync(rawTar([{ name: 'b', content: 'b' }]))] });
    const run = await ballast(['diff', a.dir, b.dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectBounds(run);
  });

  // Each entry keeps its xattrs: 20 entries of 400,000 PAX xattr records each (a 20 MB gzip layer) took 1.7 GB.
  it('xattr names or a value over the 64 KiB Linux allows a file are exit 2 naming the layer and the entry', async () => {
    const names = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`SCHILY.xattr.user.k${i}`, 'v']));
    const value = { 'SCHILY.xattr.user.big': 'x'.repeat(70_000), 'SCHILY.xattr.security.capability': 'cap' };
    for (const [pax, said] of [
      [names, /xattrs\.bin\) whose extended attribute names are over the 65536 bytes/],
      [value, /xattrs\.bin\) whose extended attribute value is over the 65536 bytes/],
    ] as const) {
      const l = layout({
        layers: [
          gzipSync(
            rawTar([
              { name: 'ok', content: 'ok' },
              { name: 'xattrs.bin', content: 'x', pax },
            ]),
          ),
        ],
      });
      expectCleanFailure(await ballast(['analyze', l.dir, '--no-cache']), [l.dir, /layer 0/, said]);
    }
  });

  it('a NUL inside a name (a PAX path record) is a corrupt header: no file system can hold that name', async () => {
    const l = layout({
      layers: [
        gzipSync(
          rawTar([
            { name: 'ok.txt', content: 'fine' },
            {
              name: Buffer.concat([Buffer.from('x'.repeat(120)), Buffer.from([0]), Buffer.from('hidden')]),
              content: 'nul in a pax name',
            },
          ]),
        ),
      ],
    });
    const run = await ballast(['analyze', l.dir]);
    expectCleanFailure(run, [l.dir, /layer 0/, /NUL/]);
  });

  it('symlink loops, hardlink loops and hardlinks to missing targets are kept as links, never followed', async () => {
    const l = layout({
      layers: [
        gzipSync(
          rawTar([
            { name: 'loop/a', type: 'symlink', linkname: 'b' },
            { name: 'loop/b', type: 'symlink', linkname: 'a' },
            { name: 'loop/self', type: 'symlink', linkname: 'self' },
            { name: 'escape', type: 'symlink', linkname: '/etc/passwd' },
            { name: 'h1', type: 'hardlink', linkname: 'h2' },
            { name: 'h2', type: 'hardlink', linkname: 'h1' },
            { name: 'dangling', type: 'hardlink', linkname: 'no/such/file' },
            { name: 'real.txt', content: 'real' },
          ]),
        ),
      ],
    });
    const { json } = await analyzeJson(l.dir);
    expect(json.summary.finalFiles).toBe(1);
    expect(json.summary.finalFileBytes).toBe(4);
  });

  it('a whiteout of something that never existed, and duplicate entries in one layer, give the union result', async () => {
    const l = layout({
      layers: [
        gzipSync(rawTar([{ name: 'keep.txt', content: 'one' }])),
        gzipSync(
          rawTar([
            { name: 'ghost/.wh.never-was', content: '' },
            { name: '.wh.nothing', content: '' },
            { name: 'dup.txt', content: 'first version, longer' },
            { name: 'dup.txt', content: 'second' },
          ]),
        ),
      ],
    });
    const { json } = await analyzeJson(l.dir);
    expect(json.summary.finalFiles).toBe(2);
    expect(json.summary.finalFileBytes).toBe(3 + 6);
  });

  it('a bare `.wh.` entry (a whiteout naming the root) removes nothing, and later layers still apply', async () => {
    // It once emptied the union and left no root, so the next file made the walk loop forever.
    const l = layout({
      layers: [
        gzipSync(rawTar([{ name: 'keep.txt', content: 'one' }])),
        gzipSync(rawTar([{ name: '.wh.', content: '' }])),
        gzipSync(rawTar([{ name: 'after.txt', content: 'four' }])),
      ],
    });
    const { json } = await analyzeJson(l.dir);
    expect(json.summary.finalFiles).toBe(2);
    expect(json.summary.wastedBytes).toBe(0);
  });
});

describe('bad input: archive member names', () => {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [sha(plainTar)] },
    history: [],
  });
  const manifest = (tag: string) => JSON.stringify([{ Config: 'config.json', RepoTags: [tag], Layers: ['layer.tar'] }]);
  /** A whole docker-archive of `real:1`, then `extra` members (a second image's manifest.json under another name). */
  const dockerArchive = (name: string, extra: RawEntry[]): string => {
    const path = join(work, name);
    writeFileSync(
      path,
      rawTar([
        { name: 'manifest.json', content: manifest('real:1') },
        { name: 'config.json', content: config },
        { name: 'layer.tar', content: plainTar },
        ...extra,
      ]),
    );
    return path;
  };

  it('a second manifest.json under ../, ./../, x/../../, ./ or / is refused, naming it; docker load read it instead', async () => {
    // `../manifest.json` after the real one was read in its place (both normalise to manifest.json): the archive
    // reported `evil:1` at exit 0. docker load 20.10 reads it the same way; skopeo reads the first.
    const whole = await ballast(['inspect', dockerArchive('whole.tar', []), '--json']);
    expect({ code: whole.code, stderr: whole.stderr }).toEqual({ code: 0, stderr: '' });
    for (const [i, name] of [
      '../manifest.json',
      './../manifest.json',
      'x/../../manifest.json',
      'x/../manifest.json',
    ].entries()) {
      const path = dockerArchive(`dotdot-${i}.tar`, [{ name, content: manifest('evil:1') }]);
      const run = await ballast(['inspect', path]);
      expectCleanFailure(run, [path, `member named "${name}"`, /"\.\."/]);
    }
    for (const [i, name] of ['./manifest.json', '/manifest.json', '//./manifest.json'].entries()) {
      const path = dockerArchive(`twice-${i}.tar`, [{ name, content: manifest('evil:1') }]);
      const run = await ballast(['inspect', path]);
      expectCleanFailure(run, [path, `two members named manifest.json (as "manifest.json" and "${name}")`]);
    }
  });

  it('a layer.tar that is a symlink to itself, or in a cycle of links, is named as a symlink loop', async () => {
    // Both read "lists layer layer.tar, which is not in the archive", though `tar tvf` lists it.
    const cases: [string, RawEntry[], RegExp][] = [
      ['self', [{ name: 'a/layer.tar', type: 'symlink', linkname: 'layer.tar' }], /a\/layer\.tar -> a\/layer\.tar\)/],
      [
        'cycle',
        [
          { name: 'a/layer.tar', type: 'symlink', linkname: '../b/layer.tar' },
          { name: 'b/layer.tar', type: 'hardlink', linkname: 'c/layer.tar' },
          { name: 'c/layer.tar', type: 'symlink', linkname: '/a/layer.tar' },
        ],
        /a\/layer\.tar -> b\/layer\.tar -> c\/layer\.tar -> a\/layer\.tar\)/,
      ],
    ];
    for (const [name, links, chain] of cases) {
      const path = join(work, `loop-${name}.tar`);
      writeFileSync(
        path,
        rawTar([
          { name: 'manifest.json', content: JSON.stringify([{ Config: 'config.json', Layers: ['a/layer.tar'] }]) },
          { name: 'config.json', content: config },
          ...links,
        ]),
      );
      const run = await ballast(['inspect', path]);
      expectCleanFailure(run, [path, /a\/layer\.tar in .* is a symlink loop in the archive/, chain]);
      expect(run.stderr).not.toMatch(/not in the archive/);
    }
  });

  it('a NUL in a member name (PAX path) is a corrupt archive, not a second member', async () => {
    const path = dockerArchive('nul.tar', [
      {
        name: Buffer.concat([Buffer.from('manifest.json'), Buffer.from([0]), Buffer.from('x'.repeat(100))]),
        content: manifest('evil:1'),
      },
    ]);
    expectCleanFailure(await ballast(['inspect', path]), [path, /corrupt: a member name holds a NUL byte/]);
  });

  it('an OCI archive holding a blob twice with different bytes is refused; a folder listed twice is fine', async () => {
    const l = layout({ layers: [gzipSync(plainTar)] });
    const blob = `blobs/sha256/${l.layerDigests[0].slice(7)}`;
    const members = (extra: RawEntry[]): RawEntry[] => [
      { name: 'blobs/', type: 'dir' },
      { name: 'blobs/sha256/', type: 'dir' },
      ...['oci-layout', 'index.json'].map((name) => ({ name, content: readFileSync(join(l.dir, name)) })),
      ...[l.configDigest, l.manifestDigest, l.layerDigests[0]].map((d) => ({
        name: `blobs/sha256/${d.slice(7)}`,
        content: readFileSync(l.blobFile(d)),
      })),
      ...extra,
    ];
    const fine = join(work, 'oci-dirs-twice.tar');
    writeFileSync(fine, rawTar(members([{ name: './blobs/', type: 'dir' }])));
    expect((await ballast(['inspect', fine])).code).toBe(0);
    // With the copy first, the good one last, the bad one was never looked at: which one counts was order's chance.
    const twice = join(work, 'oci-blob-twice.tar');
    writeFileSync(twice, rawTar([{ name: `./${blob}`, content: gzipSync(Buffer.alloc(BLOCK * 2)) }, ...members([])]));
    expectCleanFailure(await ballast(['analyze', twice]), [
      twice,
      `two members named ${blob} (as "./${blob}" and "${blob}")`,
    ]);
  });
});

describe('bad input: blobs', () => {
  const good = () => layout({ layers: [gzipSync(plainTar)] });

  it('a missing layer blob is exit 2 naming the blob', async () => {
    const l = good();
    unlinkSync(l.blobFile(l.layerDigests[0]));
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, l.layerDigests[0]]);
  });

  it('a layer blob that is a FIFO or a link to a device is named as such, not missing', async () => {
    // It said "lacks the blob ... the image is incomplete", sending the user to copy an image that is all there.
    for (const [make, kind] of [
      [(file: string) => execFileSync('mkfifo', [file]), /is a FIFO \(a pipe\), not a regular file/],
      [(file: string) => symlinkSync('/dev/zero', file), /is a character device, not a regular file/],
    ] as const) {
      const l = good();
      const file = l.blobFile(l.layerDigests[0]);
      unlinkSync(file);
      make(file);
      const run = await ballast(['analyze', l.dir]);
      expectCleanFailure(run, [l.dir, l.layerDigests[0].slice(7), kind]);
      expect(run.stderr).not.toMatch(/lacks|incomplete/);
    }
  });

  it('a blob or index.json that is a symlink loop, a dangling link or a folder is named as such', async () => {
    // A looped blob was "ELOOP: too many symbolic links ... (hint: the disk or file system failed to read it)";
    // index.json as a dangling link or a folder was "a directory but not an OCI image layout (it has no index.json)".
    const loop = good();
    const blob = loop.blobFile(loop.layerDigests[0]);
    unlinkSync(blob);
    symlinkSync(blob, blob);
    const looped = await ballast(['inspect', loop.dir]);
    expectCleanFailure(looped, [loop.dir, loop.layerDigests[0].slice(7), /is a symlink loop \(ELOOP\)/]);
    expect(looped.stderr).not.toMatch(/disk|too many symbolic links/);
    const dangling = good();
    unlinkSync(join(dangling.dir, 'index.json'));
    symlinkSync(join(work, 'gone.json'), join(dangling.dir, 'index.json'));
    const gone = await ballast(['inspect', dangling.dir]);
    expectCleanFailure(gone, [dangling.dir, /index\.json .* is a symlink to a missing target, .*gone\.json/]);
    expect(gone.stderr).not.toMatch(/no index\.json/);
    const folder = good();
    unlinkSync(join(folder.dir, 'index.json'));
    mkdirSync(join(folder.dir, 'index.json'));
    const dir = await ballast(['inspect', folder.dir]);
    expectCleanFailure(dir, [folder.dir, /index\.json .* is a directory, not a file/]);
    expect(dir.stderr).not.toMatch(/no index\.json/);
  });

  it('a docker-archive whose config is not in it names the archive and the config', async () => {
    // It was "the archive has no member "config.json"": no archive named, and not what was missing.
    const path = join(work, 'no-config.tar');
    writeFileSync(
      path,
      rawTar([
        { name: 'manifest.json', content: JSON.stringify([{ Config: 'config.json', Layers: ['layer.tar'] }]) },
        { name: 'layer.tar', content: plainTar },
      ]),
    );
    expectCleanFailure(await ballast(['inspect', path]), [
      path,
      /lists config config\.json, which is not in the archive/,
    ]);
  });

  it('a docker-archive whose layer is a directory entry is refused, not read as an empty layer', async () => {
    // It was a 0 B layer in inspect, a diff_id mismatch in analyze, and with --no-verify an empty layer.
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha(plainTar)] },
      history: [],
    });
    const path = join(work, 'layer-dir.tar');
    writeFileSync(
      path,
      rawTar([
        { name: 'manifest.json', content: JSON.stringify([{ Config: 'config.json', Layers: ['layer.tar'] }]) },
        { name: 'config.json', content: config },
        { name: 'layer.tar', type: 'dir' },
      ]),
    );
    for (const args of [
      ['inspect', path],
      ['analyze', path, '--no-verify'],
    ]) {
      expectCleanFailure(await ballast(args), [path, /layer\.tar in .* is a directory in the archive, not a file/]);
    }
  });

  it('a missing config blob is exit 2 naming the blob', async () => {
    const l = good();
    unlinkSync(l.blobFile(l.configDigest));
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, l.configDigest.slice(7)]);
  });

  it('a replaced layer blob (same name and size, other bytes) is exit 2: digest mismatch', async () => {
    const l = good();
    const file = l.blobFile(l.layerDigests[0]);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/, /digest/]);
  });

  it('a blob of the right digest but the wrong media type (the config as a layer) is exit 2', async () => {
    const l = layout({
      layers: [gzipSync(plainTar)],
      manifest: (m) => ({
        ...m,
        layers: [{ ...(m.config as object), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }],
      }),
    });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /layer 0/]);
  });

  it('a gzip of an empty stream is an empty layer, and a zstd skippable frame before the data is skipped', async () => {
    const zst = readFileSync(new URL('../fixtures/formats/ggcr/crane/content.tar.zst', import.meta.url));
    const skippable = Buffer.alloc(8 + 16);
    skippable.writeUInt32LE(0x184d2a50, 0); // a skippable frame's magic, then its length: 16 bytes of anything
    skippable.writeUInt32LE(16, 4);
    const zstd = 'application/vnd.oci.image.layer.v1.tar+zstd';
    const plain = await analyzeJson(layout({ layers: [zst], layerTypes: [zstd] }).dir);
    const gzip = 'application/vnd.oci.image.layer.v1.tar+gzip';
    const both = layout({
      layers: [gzipSync(Buffer.alloc(0)), Buffer.concat([skippable, zst])],
      layerTypes: [gzip, zstd],
    });
    const skipped = await analyzeJson(both.dir);
    expect(plain.json.summary.finalFiles).toBeGreaterThan(0);
    expect(skipped.json.summary).toMatchObject({
      finalFiles: plain.json.summary.finalFiles,
      finalFileBytes: plain.json.summary.finalFileBytes,
    });
  });

  it('a gzip layer labelled zstd is read by its content (media types do not pick the decoder)', async () => {
    const l = layout({ layers: [gzipSync(plainTar)], layerTypes: ['application/vnd.oci.image.layer.v1.tar+zstd'] });
    const { json } = await analyzeJson(l.dir);
    expect(json.summary.finalFiles).toBe(2);
  });
});

describe('bad input: manifests, configs and indexes', () => {
  const layers = [gzipSync(plainTar)];

  it('a manifest that is not JSON is exit 2 naming it', async () => {
    const l = layout({ layers, manifest: Buffer.from('<html>not json</html>') });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /manifest/, /not valid JSON/]);
  });

  it('a config that is not JSON is exit 2 naming it', async () => {
    const l = layout({ layers, config: Buffer.from('{"architecture": "amd64", ') });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /config/, /JSON/]);
  });

  it('an index.json that is not JSON is exit 2 naming it', async () => {
    const l = layout({ layers, index: Buffer.from('\x00\x01\x02') });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /index\.json/, /not valid JSON/]);
  });

  // Regression: held to the 64 MiB any document may weigh, a 50 MB manifest (a giant annotation, its digest right) was
  // read and parsed whole, 517 MB of memory for an `inspect` whose output is cut. Manifests and indexes are held to the
  // 4 MiB the distribution registry accepts; one just under it still reads.
  it('a 50 MB manifest is refused by its size, naming it and the 4 MiB limit; a 3 MB one reads', async () => {
    const annotated = (bytes: number) => (m: object) => ({ ...m, annotations: { junk: 'x'.repeat(bytes) } });
    const big = layout({ layers, manifest: annotated(50_000_000) });
    expectCleanFailure(await ballast(['inspect', big.dir]), [
      big.dir,
      /blobs\/sha256\/[0-9a-f]{64} in \S+ is 500\d{5} bytes, too large for a manifest or index \(limit 4194304\)/,
    ]);
    const small = layout({ layers, manifest: annotated(3_000_000) });
    const read = await ballast(['inspect', small.dir]);
    expect([read.code, read.stderr]).toEqual([0, '']);
  });

  for (const which of ['index.json', 'manifest', 'config'] as const) {
    it(`a 1 GB ${which} is refused by its size, without reading it`, async () => {
      const l = layout({ layers });
      const file =
        which === 'index.json'
          ? join(l.dir, 'index.json')
          : l.blobFile(which === 'manifest' ? l.manifestDigest : l.configDigest);
      // A sparse file: 1 GB to the reader, nothing on disk. The JSON head is kept so only its size is wrong.
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.from(' '), 0, 1, 1024 ** 3 - 1);
      closeSync(fd);
      expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /1073741824 bytes, too large/]);
    });
  }

  it('a manifest with wrong types (layers is a string) is exit 2', async () => {
    const l = layout({ layers, manifest: (m) => ({ ...m, layers: 'sha256:abc' }) });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /manifest/]);
  });

  it('a manifest that is JSON null, or lists a null layer, is exit 2 saying it is not an image manifest', async () => {
    const nothing = layout({ layers, manifest: Buffer.from('null') });
    expectCleanFailure(await ballast(['analyze', nothing.dir]), [
      nothing.dir,
      /is not an image manifest \(it is null, not an object\)/,
      /\(hint: .+\)$/,
    ]);
    const nullLayer = layout({ layers, manifest: (m) => ({ ...m, layers: [null] }) });
    expectCleanFailure(await ballast(['analyze', nullLayer.dir]), [
      nullLayer.dir,
      /is not an image manifest \(its layer 0 is not a descriptor\)/,
      /\(hint: .+\)$/,
    ]);
  });

  it('a manifest without a config is exit 2', async () => {
    const l = layout({ layers, manifest: (m) => ({ ...m, config: undefined }) });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /manifest/, /config/]);
  });

  it('a config with wrong types (diff_ids a number, Env a string, history an object) is exit 2 or read sanely', async () => {
    const l = layout({
      layers,
      config: {
        architecture: 'amd64',
        os: 'linux',
        config: { Env: 'PATH=/bin', Cmd: 7 },
        rootfs: { type: 'layers', diff_ids: 42 },
        history: { nope: true },
      },
    });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /config/, /diff_ids/]);
  });

  // inspect's table widths were Math.max(...rows): past about 100,000 rows, more arguments than a call takes, and
  // "error: Maximum call stack size exceeded" was all it said.
  it('a config of 300,000 history steps and ONBUILD triggers is inspected, not a call stack overflow', async () => {
    const steps = Array.from({ length: 300_000 }, (_, i) => i);
    const l = layout({
      layers,
      config: {
        architecture: 'amd64',
        os: 'linux',
        config: { OnBuild: steps.map((i) => `RUN echo ${i}`) },
        rootfs: { type: 'layers', diff_ids: [sha(plainTar)] },
        history: [...steps.map((i) => ({ created_by: `RUN step ${i}`, empty_layer: true })), { created_by: 'COPY' }],
      },
    });
    const run = await ballast(['inspect', l.dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('History (300001 steps');
    expect(run.stdout).toContain('RUN echo 299999');
    expectBounds(run);
  });

  it('a config without rootfs is exit 2', async () => {
    const l = layout({ layers, config: { architecture: 'amd64', os: 'linux' } });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /config/, /rootfs|diff_ids/]);
  });

  it('a config whose diff_ids count differs from the layers is exit 2', async () => {
    const l = layout({
      layers: [gzipSync(plainTar), gzipSync(rawTar([{ name: 'two', content: '2' }]))],
      diffIds: [sha(plainTar)],
    });
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /diff_ids/, /2 layers|layers/]);
  });

  it('an index that points at itself is exit 2', async () => {
    const l = layout({ layers });
    // Content addressing makes a true self-reference impossible, so the loop needs a blob stored under a digest
    // that is not its own: blob D lists D. The reader must stop (digest check or nesting limit), not spin.
    const self = 'sha256:' + 'ab'.repeat(32);
    writeFileSync(
      l.blobFile(self),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: self, size: 200 }],
      }),
    );
    writeFileSync(
      join(l.dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: self, size: 200 }],
      }),
    );
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /digest|nesting/]);
  });

  it('an index nested 1,000 deep is exit 2 (nesting limit)', async () => {
    const l = layout({ layers });
    let child = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: l.manifestDigest, size: 1 };
    for (let i = 0; i < 1000; i++) {
      const blob = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [child] }));
      child = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: l.put(blob), size: blob.length };
    }
    writeFileSync(join(l.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [child] }));
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /nesting/]);
  });

  // The nested index's broken entries were added with push(...entries), more arguments than a call takes: the error
  // was "Maximum call stack size exceeded", naming nothing.
  it('a nested index of 300,000 entries without a digest is exit 2 naming the entry', async () => {
    const l = layout({ layers });
    const nested = Buffer.from(
      JSON.stringify({ schemaVersion: 2, manifests: Array.from({ length: 300_000 }, () => ({})) }),
    );
    const entry = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: l.put(nested), size: nested.length };
    writeFileSync(join(l.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [entry] }));
    expectCleanFailure(await ballast(['analyze', l.dir]), [l.dir, /entry 0 of the index/, /digest is missing/]);
  });

  it('a docker-archive whose manifest.json is not JSON is exit 2 naming it', async () => {
    const img = await buildDockerArchive([layer({ 'a.txt': 10 })]);
    const bytes = readFileSync(img.path);
    const at = bytes.indexOf(Buffer.from('[{"Config"'));
    bytes.write('{{{{', at, 'latin1');
    const path = join(work, 'badmanifest.tar');
    writeFileSync(path, bytes);
    img.cleanup();
    expectCleanFailure(await ballast(['analyze', path]), [path, /manifest\.json/, /JSON/]);
  });

  it('a docker-archive listing 10,000 images names 20 of them, not all, in its notice and its hints', async () => {
    // The list of images went whole into one stderr line: 218 KB for 10,000 (found by the amplification sweep).
    const tarBytes = rawTar([{ name: 'a.txt', content: 'a' }]);
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha(tarBytes)] },
      history: [],
    });
    const manifest = Array.from({ length: 10_000 }, (_, i) => ({
      Config: 'config.json',
      RepoTags: [`img${i}:latest`],
      Layers: ['layer.tar'],
    }));
    const path = join(work, 'many-images.tar');
    writeFileSync(
      path,
      rawTar([
        { name: 'manifest.json', content: JSON.stringify(manifest) },
        { name: 'config.json', content: config },
        { name: 'layer.tar', content: tarBytes },
      ]),
    );
    const run = await ballast(['analyze', path, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/holds 10000 images \(@0 img0:latest; .*@19 img19:latest; and 9980 more\); showing @0/);
    expect(run.stderr.length).toBeLessThan(2000);
    const missing = await ballast(['analyze', `${path}:nothing:here`]);
    expectCleanFailure(missing, [path, /has no image "nothing:here"/, /and 9980 more/]);
    expect(missing.stderr.length).toBeLessThan(2000);
  });

  it('an empty file and a missing path are exit 2', async () => {
    const empty = join(work, 'empty.tar');
    writeFileSync(empty, '');
    truncateSync(empty, 0);
    expectCleanFailure(await ballast(['analyze', empty]), [empty, /empty/]);
    expectCleanFailure(await ballast(['analyze', join(work, 'nope.tar')]), [/nope\.tar/]);
  });
});

describe('bad input: the daemon socket', () => {
  const ref = 'docker-daemon:app:1';
  it('a missing socket is exit 2 naming it', async () => {
    const socket = join(work, 'no-such.sock');
    expectCleanFailure(await ballast(['analyze', ref], { DOCKER_HOST: `unix://${socket}` }), [
      socket,
      /cannot reach the Docker daemon/,
    ]);
  });

  it('a socket path that is a regular file is exit 2 naming it', async () => {
    const socket = join(work, 'plain-file.sock');
    writeFileSync(socket, '');
    expectCleanFailure(await ballast(['analyze', ref], { DOCKER_HOST: `unix://${socket}` }), [socket]);
  });

  it('a socket whose server hangs up on every connection (a daemon dying) is exit 2, not a hang', async () => {
    const { createServer } = await import('node:net');
    const socket = join(work, 'hangup.sock');
    const server = createServer((connection) => connection.destroy());
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expectCleanFailure(await ballast(['analyze', ref], { DOCKER_HOST: `unix://${socket}` }), [socket]);
    } finally {
      server.close();
    }
  });
});
