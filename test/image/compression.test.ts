// Decompression by magic bytes, with every zstd backend this runtime has (node zlib, zstd-napi, fzstd).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  AFTER_GZIP_STREAM,
  AFTER_ZSTD_STREAM,
  createZstdDecompressor,
  decompressStream,
  decorateDecompressionError,
  zstdBackend,
} from '../../src/image/compression.js';
import { digestStream } from '../../src/image/streams.js';
import { sha256 } from '../../src/image/digest.js';

const require = createRequire(import.meta.url);
const payload = Buffer.from(
  Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join(''),
);

function zstd(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c'], { input: data });
}

/** A skippable frame (magic 0x184D2A5?, little-endian length), as zstd:chunked writes its TOC. */
function skippable(content: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a5e, 0);
  header.writeUInt32LE(content.length, 4);
  return Buffer.concat([header, content]);
}

async function decode(data: Buffer, chunkSize = 4096): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  return (await digestStream(decompressStream(Readable.from(chunks), 'test blob'))).digest;
}

/** What `backend`'s decoder gives for `writes`, written one by one and ended. */
async function decodeWritten(backend: string, writes: Buffer[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const decoder = createZstdDecompressor(backend as 'fzstd');
  decoder.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    decoder.on('end', resolve);
    decoder.on('error', reject);
  });
  for (const write of writes) decoder.write(write);
  decoder.end();
  await done;
  return Buffer.concat(chunks);
}

const backends = ['fzstd', 'zstd-napi', 'node-zlib'].filter((b) => {
  if (b === 'fzstd') return true;
  if (b === 'zstd-napi') {
    try {
      require('zstd-napi');
      return true;
    } catch {
      return false;
    }
  }
  return zstdBackend() === 'node-zlib';
});

describe('decompressStream', () => {
  it('passes a plain tar through and inflates multi-member gzip', async () => {
    expect(await decode(payload)).toBe(sha256(payload));
    const half = payload.length / 2;
    const twoMembers = Buffer.concat([gzipSync(payload.subarray(0, half)), gzipSync(payload.subarray(half))]);
    expect(await decode(twoMembers)).toBe(sha256(payload));
  });

  it('fails a truncated gzip stream with a SourceError', async () => {
    const gz = gzipSync(payload);
    await expect(decode(gz.subarray(0, gz.length - 100))).rejects.toMatchObject({ code: 'corrupt-layer' });
  });

  it('ends a gzip stream followed by zero padding: it waited for an end that had passed (the CLI quit with 13)', async () => {
    // The decoder ends its output when padding follows its last member, before its input ends.
    const padded = Buffer.concat([gzipSync(payload), Buffer.alloc(100_000)]);
    const within = (ms: number) =>
      new Promise((_, reject) => setTimeout(() => reject(new Error('no end')), ms).unref());
    expect(await Promise.race([decode(padded), within(10_000)])).toBe(sha256(payload));
  });

  it('refuses what follows a stream other than gzip zero padding, as gzip -d and zstd -d do', async () => {
    const gz = gzipSync(payload);
    const after = { code: 'corrupt-layer', message: `decompressing test blob: ${AFTER_GZIP_STREAM}` };
    // Garbage right after the stream, and behind a zero (which zlib took as the start of padding and read no further).
    await expect(decode(Buffer.concat([gz, Buffer.from('garbage')]))).rejects.toMatchObject(after);
    for (const chunkSize of [4096, gz.length, 1 << 20]) {
      await expect(decode(Buffer.concat([gz, Buffer.from('\0garbage')]), chunkSize)).rejects.toMatchObject(after);
      await expect(decode(Buffer.concat([gz, Buffer.alloc(5000), gz]), chunkSize)).rejects.toMatchObject(after);
    }
    // zstd has no padding: zeros after its last frame are as wrong as any other byte (skippable frames carry extras).
    const zst = zstd(payload);
    for (const tail of [Buffer.alloc(1000), Buffer.from('garbage')])
      await expect(decode(Buffer.concat([zst, tail]))).rejects.toMatchObject({ code: 'corrupt-layer' });
  });

  // Regression: each backend said something of its own ("Unknown frame descriptor", "invalid zstd data"), which read as
  // a corrupt frame rather than as a blob that goes on after its stream, as gzip's trailing bytes are told.
  it.each(backends.filter((b) => b !== 'node-zlib'))(
    'says a zstd blob goes on after its stream, as for gzip, using %s',
    async (backend) => {
      const before = process.env.BALLAST_ZSTD_BACKEND;
      if (backend === 'fzstd') process.env.BALLAST_ZSTD_BACKEND = 'fzstd';
      try {
        const after = { code: 'corrupt-layer', message: `decompressing test blob: ${AFTER_ZSTD_STREAM}` };
        const frames = Buffer.concat([zstd(payload.subarray(0, 1000)), skippable(Buffer.from('toc')), zstd(payload)]);
        for (const tail of [Buffer.from('garbage'), Buffer.alloc(1000), Buffer.from('ab')])
          for (const chunkSize of [1000, 4096, 1 << 20])
            await expect(decode(Buffer.concat([frames, tail]), chunkSize)).rejects.toMatchObject(after);
        // The frames alone decode, and a frame corrupt in itself keeps its decoder's words.
        expect(await decode(frames)).toBe(sha256(Buffer.concat([payload.subarray(0, 1000), payload])));
        const corrupt = zstd(payload);
        corrupt.fill(0xff, 4, 12);
        const failed = await decode(corrupt).catch((error: Error) => error);
        expect(failed).toMatchObject({ code: 'corrupt-layer' });
        expect((failed as Error).message).not.toContain(AFTER_ZSTD_STREAM);
      } finally {
        if (before === undefined) delete process.env.BALLAST_ZSTD_BACKEND;
        else process.env.BALLAST_ZSTD_BACKEND = before;
      }
    },
  );

  it.each(backends)('calls truncated and corrupt zstd a corrupt layer using %s, and nothing else', async (backend) => {
    const failure = async (data: Buffer) => {
      const decoder = createZstdDecompressor(backend as 'fzstd');
      const failed = new Promise<Error>((resolve) => decoder.on('error', resolve));
      decoder.resume();
      decoder.end(data);
      return decorateDecompressionError(await failed, 'layer 0 of x');
    };
    const whole = zstd(payload);
    const corrupt = Buffer.from(whole);
    corrupt.fill(0xff, 4, 12); // the frame header: reserved bits set
    for (const data of [whole.subarray(0, whole.length - 20), corrupt])
      expect(await failure(data)).toMatchObject({ code: 'corrupt-layer', hint: expect.stringMatching(/corrupt/) });
    // A failure that is not about the bytes (the decoder thread exiting) keeps its own message, without the hint.
    const died = new Error('the zstd decoder thread exited with code 1');
    expect(decorateDecompressionError(died, 'layer 0 of x')).toBe(died);
  });

  it.each(backends)('takes an empty chunk at a frame boundary as nothing using %s', async (backend) => {
    const frame = zstd(payload);
    // Asked with no input after a whole frame, a zstd context answers as from inside the next one.
    const out = await decodeWritten(backend, [frame, Buffer.alloc(0)]);
    expect(sha256(out)).toBe(sha256(payload));
  });

  it.each(backends)('decodes multi-frame zstd with skippable frames using %s', async (backend) => {
    const half = payload.length / 2;
    const data = Buffer.concat([
      skippable(Buffer.from('leading metadata')),
      zstd(payload.subarray(0, half)),
      zstd(payload.subarray(half)),
      skippable(Buffer.from('trailing TOC')),
    ]);
    const pieces: Buffer[] = [];
    for (let i = 0; i < data.length; i += 1000) pieces.push(data.subarray(i, i + 1000));
    expect(sha256(await decodeWritten(backend, pieces))).toBe(sha256(payload));
    // And through the sniffing path (which starts with the skippable frame's magic).
    expect(await decode(data)).toBe(sha256(payload));
  });
});
