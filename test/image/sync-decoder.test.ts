// The walk workers' decoders that run on their own thread (sync-decoder.ts): what they give must be what zlib's
// gunzipSync and the stream decoders give, however the input is cut, and their errors the same.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { AFTER_GZIP_STREAM, AFTER_ZSTD_STREAM, createZstdDecompressor } from '../../src/image/compression.js';
import { createSyncDecoder, type SyncDecoder } from '../../src/image/sync-decoder.js';
import { seededRandom } from '../helpers/seeded.js';
import { nativeZstdInUse } from '../helpers/zstd.js';

const require = createRequire(import.meta.url);
const MiB = 1024 * 1024;
/** The decoder's output piece (sync-decoder.ts PIECE_BYTES). */
const PIECE = 256 * 1024;

/** Bytes that compress unevenly: random runs (barely shrink) between long runs of one byte (shrink a thousandfold). */
function mixedData(bytes: number, seed: number): Buffer {
  const random = seededRandom(seed);
  const data = Buffer.alloc(bytes);
  for (let at = 0; at < bytes;) {
    const run = Math.min(bytes - at, 1 + Math.floor(random() * 64 * 1024));
    if (random() < 0.5) for (let i = 0; i < run; i++) data[at + i] = Math.floor(random() * 256);
    else data.fill(Math.floor(random() * 256), at, at + run);
    at += run;
  }
  return data;
}

/** Cut sizes from 1 byte to 3 MiB, spread over the orders of magnitude. */
function randomCuts(seed: number, max = 3 * MiB): () => number {
  const random = seededRandom(seed);
  return () => Math.max(1, Math.floor(Math.exp(random() * Math.log(max))));
}

/** Everything the decoder gives for `input` cut by `cut`, copied as the contract asks; or the error it throws. */
function decodeAll(decoder: SyncDecoder, input: Buffer, cut: () => number): Buffer {
  const pieces: Buffer[] = [];
  const keep = (piece: Buffer) => {
    // No expect() per piece: byte-by-byte input gives hundreds of thousands of them.
    if (piece.length === 0 || piece.length > PIECE) throw new Error(`a piece of ${piece.length} bytes`);
    pieces.push(Buffer.from(piece));
  };
  try {
    for (let at = 0; at < input.length;) {
      const n = cut();
      decoder.write(input.subarray(at, at + n), keep);
      at += n;
    }
    decoder.end(keep);
  } finally {
    decoder.close();
  }
  return Buffer.concat(pieces);
}

function gunzip(): SyncDecoder {
  const decoder = createSyncDecoder('gzip', WHAT);
  if (!decoder) throw new Error('no sync gzip decoder: the zlib handle failed its probe on this Node');
  return decoder;
}

/** What the decoders are told they read, for their errors. */
const WHAT = 'layer 1 of test.tar';

/** The fields of a decoder's error of these fields, named as the decoders made with WHAT name it. */
function named(error: { message: string; code?: string }): { message: string; code: string } {
  return { message: `decompressing ${WHAT}: ${error.message}`, code: 'corrupt-layer' };
}

/** What `fn` throws, as the fields a caller sees. */
function thrown(fn: () => unknown): { message: string; code?: string } {
  try {
    fn();
  } catch (error) {
    return { message: (error as Error).message, code: (error as { code?: string }).code };
  }
  throw new Error('expected an error');
}

/** The stream decoder's output for `input` written in one piece, or its error. */
async function viaStream(decoder: NodeJS.ReadWriteStream, input: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise<Buffer>((resolve, reject) => {
    decoder.on('error', reject);
    decoder.on('end', () => resolve(Buffer.concat(chunks)));
    decoder.end(input);
  });
}

describe('createSyncDecoder: gzip', () => {
  const plain = mixedData(6 * MiB, 1);
  const packed = zlib.gzipSync(plain);

  it('gives what gunzipSync gives, whatever the input is cut into (1 byte to 3 MiB)', () => {
    expect(zlib.gunzipSync(packed).equals(plain)).toBe(true);
    for (const seed of [1, 2, 3, 4]) expect(decodeAll(gunzip(), packed, randomCuts(seed)).equals(plain)).toBe(true);
    expect(decodeAll(gunzip(), packed, () => packed.length).equals(plain)).toBe(true);
    // Byte by byte, on a smaller input: every header and block boundary falls between two writes.
    const small = mixedData(300 * 1024, 5);
    expect(decodeAll(gunzip(), zlib.gzipSync(small), () => 1).equals(small)).toBe(true);
  });

  it('gives output many pieces long from one small input (a bomb-like run of zeros)', () => {
    const zeros = Buffer.alloc(40 * MiB);
    const bomb = zlib.gzipSync(zeros);
    expect(bomb.length).toBeLessThan(PIECE);
    let pieces = 0;
    let bytes = 0;
    const decoder = gunzip();
    const count = (piece: Buffer) => {
      pieces++;
      bytes += piece.length;
      expect(piece.every((b) => b === 0)).toBe(true);
    };
    decoder.write(bomb, count);
    decoder.end(count);
    decoder.close();
    expect(bytes).toBe(zeros.length);
    expect(pieces).toBeGreaterThanOrEqual(zeros.length / PIECE);
  });

  it('reads concatenated members (pigz, eStargz) and ignores trailing zero padding', () => {
    // Many small members: pigz writes one per block, eStargz one per file and a last one for its TOC.
    const random = seededRandom(7);
    const members: Buffer[] = [];
    for (let at = 0; at < plain.length;) {
      const n = Math.floor(random() * 200 * 1024);
      members.push(zlib.gzipSync(plain.subarray(at, at + n)));
      at += n;
    }
    members.push(zlib.gzipSync(Buffer.alloc(0)));
    const multi = Buffer.concat(members);
    expect(zlib.gunzipSync(multi).equals(plain)).toBe(true);
    for (const seed of [11, 12]) expect(decodeAll(gunzip(), multi, randomCuts(seed)).equals(plain)).toBe(true);
    // A member's end and the next member's start fall on a write's edge.
    const two = Buffer.concat([zlib.gzipSync(plain.subarray(0, MiB)), zlib.gzipSync(plain.subarray(MiB))]);
    const first = zlib.gzipSync(plain.subarray(0, MiB)).length;
    const cuts = [first, two.length];
    expect(decodeAll(gunzip(), two, () => cuts.shift() ?? two.length).equals(plain)).toBe(true);
    // Docker's archives pad a blob to a 512-byte block with zeros.
    const padded = Buffer.concat([packed, Buffer.alloc(1000)]);
    expect(zlib.gunzipSync(padded).equals(plain)).toBe(true);
    expect(decodeAll(gunzip(), padded, randomCuts(13)).equals(plain)).toBe(true);
  });

  it('refuses bytes after the zero padding (garbage, another member), as gzip -d does, however the writes are cut', () => {
    // zlib stops at the first zero after a member and drops the rest unread: without the check these decoded as
    // the first member alone, while the same bytes without the zero were an error.
    const member = zlib.gzipSync(Buffer.from('second member'));
    for (const tail of [Buffer.from('\0garbage'), Buffer.concat([Buffer.alloc(600), member])]) {
      const input = Buffer.concat([packed, tail]);
      for (const seed of [31, 32, 33])
        expect(thrown(() => decodeAll(gunzip(), input, randomCuts(seed)))).toEqual(
          named({ message: AFTER_GZIP_STREAM }),
        );
      // The padding begins at a write's edge, and the bytes after it come in a later write.
      const cuts = [packed.length, 1];
      expect(thrown(() => decodeAll(gunzip(), input, () => cuts.shift() ?? input.length))).toEqual(
        named({ message: AFTER_GZIP_STREAM }),
      );
    }
  });

  it("decodes layer after layer with the thread's one zlib stream: after an end, a stop midway, an error, a second close", () => {
    // The decoder a layer closes is reset for the next (sync-decoder.ts, gzipDecoder): no state may carry over.
    const other = mixedData(700_000, 2);
    const otherPacked = zlib.gzipSync(other);
    const cut = randomCuts(3);
    expect(decodeAll(gunzip(), packed, cut)).toEqual(plain);
    // Stopped midway (a scan that failed on its own), closed twice: the next layer starts clean.
    const stopped = gunzip();
    stopped.write(packed.subarray(0, packed.length >> 1), () => {});
    stopped.close();
    stopped.close();
    expect(decodeAll(gunzip(), otherPacked, cut)).toEqual(other);
    // Two layers open at once get two streams.
    const [first, second] = [gunzip(), gunzip()];
    const firstOut: Buffer[] = [];
    const secondOut: Buffer[] = [];
    first.write(packed.subarray(0, 1000), (p) => firstOut.push(Buffer.from(p)));
    second.write(otherPacked, (p) => secondOut.push(Buffer.from(p)));
    second.end((p) => secondOut.push(Buffer.from(p)));
    first.write(packed.subarray(1000), (p) => firstOut.push(Buffer.from(p)));
    first.end((p) => firstOut.push(Buffer.from(p)));
    first.close();
    second.close();
    expect([Buffer.concat(firstOut).equals(plain), Buffer.concat(secondOut).equals(other)]).toEqual([true, true]);
    // After zlib's own error the stream is not kept; the next decoder works.
    const truncated = gunzip();
    truncated.write(otherPacked.subarray(0, otherPacked.length >> 1), () => {});
    expect(thrown(() => truncated.end(() => {})).message).toMatch(/unexpected end of file/);
    truncated.close();
    expect(decodeAll(gunzip(), packed, cut)).toEqual(plain);
  });

  it("fails a truncated stream at its end with zlib's own error", () => {
    for (const cutAt of [5, 11, packed.length >> 1, packed.length - 1]) {
      const truncated = packed.subarray(0, cutAt);
      const expected = thrown(() => zlib.gunzipSync(truncated));
      expect(expected).toEqual({ message: 'unexpected end of file', code: 'Z_BUF_ERROR' });
      const decoder = gunzip();
      const sink = () => {};
      // Everything given is decoded without complaint: only the end says the stream stopped short.
      for (let at = 0; at < truncated.length; at += 100_000) decoder.write(truncated.subarray(at, at + 100_000), sink);
      expect(thrown(() => decoder.end(sink))).toEqual(named(expected));
      decoder.close();
    }
  });

  it("fails corrupt data with zlib's Z_DATA_ERROR, as gunzipSync and the stream decoder do", async () => {
    const corrupt = Buffer.from(packed);
    corrupt.fill(0xff, 20, 40); // inside the first deflate block's header
    const badCheck = Buffer.from(packed);
    badCheck[badCheck.length - 6] ^= 1; // the CRC-32 of the trailer
    const garbage = Buffer.concat([packed, Buffer.from('not a member')]);
    for (const input of [corrupt, badCheck, garbage]) {
      const expected = thrown(() => zlib.gunzipSync(input));
      expect(expected.code).toBe('Z_DATA_ERROR');
      // zlib's "incorrect header check" for bytes after the stream is said as what it is there.
      const message = input === garbage ? AFTER_GZIP_STREAM : expected.message;
      expect(thrown(() => decodeAll(gunzip(), input, randomCuts(21)))).toEqual(named({ message }));
      const streamed = await viaStream(zlib.createGunzip(), input).catch((error: Error & { code?: string }) => error);
      expect(streamed).toMatchObject(expected);
    }
  });

  it('writes every piece into one buffer: a consumer must copy what it keeps', () => {
    // The contract PieceSink states. The scanner copies (test/analysis/scan-file.test.ts checks what it keeps).
    const kept: Buffer[] = [];
    const decoder = gunzip();
    decoder.write(packed, (piece) => kept.push(piece));
    decoder.end((piece) => kept.push(piece));
    decoder.close();
    expect(kept.length).toBeGreaterThan(2);
    expect(new Set(kept.map((piece) => piece.buffer)).size).toBe(1);
    expect(Buffer.concat(kept).equals(plain.subarray(0, Buffer.concat(kept).length))).toBe(false);
  });

  it('is not made when BALLAST_SYNC_DECODE=0, nor for compressions it has no decoder for', () => {
    const saved = process.env.BALLAST_SYNC_DECODE;
    process.env.BALLAST_SYNC_DECODE = '0';
    try {
      expect(createSyncDecoder('gzip', WHAT)).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.BALLAST_SYNC_DECODE;
      else process.env.BALLAST_SYNC_DECODE = saved;
    }
    expect(createSyncDecoder('bzip2', WHAT)).toBeUndefined();
    expect(createSyncDecoder('xz', WHAT)).toBeUndefined();
    expect(createSyncDecoder('none', WHAT)).toBeUndefined();
  });
});

const napi = nativeZstdInUse();

/** A skippable frame (magic 0x184D2A5?, little-endian length), as zstd:chunked writes its TOC. */
function skippable(content: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a5e, 0);
  header.writeUInt32LE(content.length, 4);
  return Buffer.concat([header, content]);
}

function zstd(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 64 * MiB });
}

(napi ? describe : describe.skip)('createSyncDecoder: zstd (zstd-napi)', () => {
  const plain = mixedData(4 * MiB, 31);
  const whole = zstd(plain);
  const unzstd = (): SyncDecoder => createSyncDecoder('zstd', WHAT)!;

  it('gives what the stream decoder gives, whatever the input is cut into', async () => {
    expect((await viaStream(createZstdDecompressor('zstd-napi'), whole)).equals(plain)).toBe(true);
    for (const seed of [32, 33, 34]) expect(decodeAll(unzstd(), whole, randomCuts(seed)).equals(plain)).toBe(true);
    const small = mixedData(200 * 1024, 35);
    expect(decodeAll(unzstd(), zstd(small), () => 1).equals(small)).toBe(true);
    // A frame of zeros decodes to far more than its piece.
    const zeros = Buffer.alloc(20 * MiB);
    expect(decodeAll(unzstd(), zstd(zeros), randomCuts(36)).equals(zeros)).toBe(true);
  });

  it('holds nothing back when a write ends just after a block that overflows the piece', () => {
    // All the input read, the piece full, part of the block still in the context: the decoder must ask for it before
    // it returns, since end() asks for nothing more. A few cuts of this small frame end so; each is tried.
    const { compress } = require('zstd-napi') as { compress(data: Buffer): Buffer };
    const { DCtx } = require('zstd-napi/binding') as {
      DCtx: new () => { decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number] };
    };
    const sparse = Buffer.alloc(1050 * 1024);
    for (let i = 0; i < sparse.length; i += 1000) sparse[i] = i % 251;
    const frame = compress(sparse);
    expect(frame.length).toBeLessThan(2000);
    const room = Buffer.alloc(4 * MiB);
    for (let at = 0; at <= frame.length; at++) {
      // What the first `at` bytes decode to, asked for until the context gives no more.
      const reference = new DCtx();
      let available = 0;
      for (let src = frame.subarray(0, at); ;) {
        const [, produced, consumed] = reference.decompressStream(room, src);
        src = src.subarray(consumed);
        available += produced;
        if (produced === 0 && src.length === 0) break;
      }
      const decoder = unzstd();
      const pieces: Buffer[] = [];
      const keep = (piece: Buffer) => pieces.push(Buffer.from(piece));
      decoder.write(frame.subarray(0, at), keep);
      const given = pieces.reduce((sum, piece) => sum + piece.length, 0);
      if (given !== available) throw new Error(`cut at ${at}: ${given} bytes given of ${available}`);
      decoder.write(frame.subarray(at), keep);
      decoder.end(keep);
      decoder.close();
      if (!Buffer.concat(pieces).equals(sparse)) throw new Error(`cut at ${at}: wrong output`);
    }
  });

  // Regression: zstd-napi's own words ("Unknown frame descriptor") where the stream decoders now say the blob goes on.
  it('says the blob goes on after its zstd stream, as the stream decoders do', () => {
    const frames = Buffer.concat([zstd(plain.subarray(0, MiB)), zstd(plain.subarray(MiB))]);
    for (const tail of [Buffer.from('garbage'), Buffer.alloc(100), Buffer.from('ab')])
      for (const seed of [40, 41])
        expect(thrown(() => decodeAll(unzstd(), Buffer.concat([frames, tail]), randomCuts(seed)))).toEqual(
          named({ message: AFTER_ZSTD_STREAM }),
        );
  });

  it('takes an empty write as nothing, at a frame boundary too', () => {
    const frames = Buffer.concat([zstd(plain.subarray(0, MiB)), zstd(plain.subarray(MiB))]);
    const first = zstd(plain.subarray(0, MiB)).length;
    const cuts = [0, first, 0, frames.length - first];
    const decoded = decodeAll(unzstd(), frames, () => cuts.shift() ?? frames.length);
    expect(decoded.equals(plain)).toBe(true);
    // The last write empty, after the last frame: the stream is whole.
    const decoder = unzstd();
    const pieces: Buffer[] = [];
    const keep = (piece: Buffer) => pieces.push(Buffer.from(piece));
    decoder.write(frames, keep);
    decoder.write(Buffer.alloc(0), keep);
    decoder.end(keep);
    decoder.close();
    expect(Buffer.concat(pieces).equals(plain)).toBe(true);
  });

  it('reads several frames and skips skippable ones (zstd:chunked)', async () => {
    const random = seededRandom(41);
    const frames: Buffer[] = [skippable(Buffer.from('first'))];
    for (let at = 0; at < plain.length;) {
      const n = Math.floor(random() * 300 * 1024);
      frames.push(zstd(plain.subarray(at, at + n)));
      if (random() < 0.3) frames.push(skippable(Buffer.alloc(Math.floor(random() * 70_000), 9)));
      at += n;
    }
    frames.push(skippable(Buffer.from('a table of contents')));
    const chunked = Buffer.concat(frames);
    expect((await viaStream(createZstdDecompressor('zstd-napi'), chunked)).equals(plain)).toBe(true);
    for (const seed of [42, 43]) expect(decodeAll(unzstd(), chunked, randomCuts(seed)).equals(plain)).toBe(true);
    // Cut exactly at the frames' edges.
    const edges = frames.map((frame) => frame.length);
    expect(decodeAll(unzstd(), chunked, () => edges.shift() ?? 1).equals(plain)).toBe(true);
  });

  it('fails a stream that ends inside a frame (or a skippable one) at its end, as the stream decoder does', async () => {
    const withToc = Buffer.concat([whole, skippable(Buffer.alloc(100))]);
    for (const truncated of [whole.subarray(0, 2), whole.subarray(0, whole.length - 3), withToc.subarray(0, -50)]) {
      const streamed = await viaStream(createZstdDecompressor('zstd-napi'), truncated).catch((error: Error) => error);
      expect(streamed).toMatchObject({ code: 'ERR_BALLAST_CORRUPT_DATA' });
      const decoder = unzstd();
      const sink = () => {};
      decoder.write(truncated, sink);
      expect(thrown(() => decoder.end(sink))).toEqual(named(streamed as Error));
      decoder.close();
    }
  });

  it('fails corrupt data as the stream decoder does', async () => {
    const corrupt = Buffer.from(whole);
    corrupt.fill(0xff, 4, 12); // the frame header: reserved bits set
    const streamed = await viaStream(createZstdDecompressor('zstd-napi'), corrupt).catch((error: Error) => error);
    expect(streamed).toMatchObject({ code: 'ERR_BALLAST_CORRUPT_DATA' });
    expect(thrown(() => decodeAll(unzstd(), corrupt, randomCuts(51)))).toEqual(named(streamed as Error));
  });
});
