// Streaming decompression chosen by magic bytes (never by file name or media type).
// zstd: Node's own zlib when the runtime has it (>= 22.15), else the optional native zstd-napi
// (about 5x faster than pure JS), else the pure-JS fzstd that always installs.
import { createRequire } from 'node:module';
import { PassThrough, Transform, pipeline, type TransformCallback, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Decompress as FzstdDecompress } from 'fzstd';
import { SourceError } from '../errors.js';
import { sniffCompression, type Compression } from './media-types.js';
import { ThreadedZstdDecompressor, zstdWorkerUrl } from './zstd-thread.js';

const require = createRequire(import.meta.url);

type ZlibWithZstd = typeof zlib & { createZstdDecompress?: () => Transform };

let nativeZstd: { DecompressStream: new () => Transform } | null | undefined;

function loadNativeZstd(): { DecompressStream: new () => Transform } | null {
  if (nativeZstd === undefined) {
    try {
      nativeZstd = require('zstd-napi') as { DecompressStream: new () => Transform };
    } catch {
      nativeZstd = null;
    }
  }
  return nativeZstd;
}

/** Which zstd decoder this runtime uses, for `--version`-style diagnostics and benchmarks. */
export function zstdBackend(): 'node-zlib' | 'zstd-napi' | 'fzstd' {
  if (typeof (zlib as ZlibWithZstd).createZstdDecompress === 'function') return 'node-zlib';
  return loadNativeZstd() ? 'zstd-napi' : 'fzstd';
}

/** Wraps fzstd's push API as a Transform; it handles multiple frames and skippable frames. */
class FzstdTransform extends Transform {
  private readonly decoder = new FzstdDecompress((data) => {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/** A zstd decoder stream; `backend` forces one (tests exercise each fallback). */
export function createZstdDecompressor(backend = zstdBackend()): Transform {
  switch (backend) {
    case 'node-zlib':
      return (zlib as ZlibWithZstd).createZstdDecompress!();
    case 'zstd-napi':
      return new (loadNativeZstd()!.DecompressStream)();
    default:
      return new FzstdTransform();
  }
}

/** Stored layers at least this large are inflated in 1 MiB pieces, smaller ones in 256 KiB pieces. */
const LARGE_LAYER_BYTES = 16 * 1024 * 1024;

/**
 * A decoder for `compression`; `storedBytes` (the blob's size, when known) picks the gzip output piece size: a
 * large layer spends its time inflating, and 1 MiB pieces make a quarter of the thread-pool round trips of 256 KiB
 * (about 6% off `analyze` of corpus `big`); a small one (typically many small files) gains nothing from them and
 * peaked 60-100 MB higher over the 1M-file benchmark's 20 layers (bench/README.md, "the layer pipeline").
 */
export function createDecompressor(compression: Compression, what: string, storedBytes = 0): Transform {
  switch (compression) {
    case 'none':
      return new PassThrough();
    case 'gzip':
      // Decodes concatenated members (eStargz, pigz) and tolerates trailing zero padding.
      return zlib.createGunzip({ chunkSize: storedBytes >= LARGE_LAYER_BYTES ? 1024 * 1024 : 256 * 1024 });
    case 'zstd': {
      // Node's own zstd (>= 22.15) runs on the thread pool like gzip; the others get a thread (zstd-thread.ts).
      const url = zstdBackend() === 'node-zlib' ? undefined : zstdWorkerUrl();
      return url ? new ThreadedZstdDecompressor(url) : createZstdDecompressor();
    }
    default:
      throw new SourceError(`${what} is ${compression}-compressed, which ballast cannot read`, {
        code: 'unsupported-compression',
        hint: 'recompress the layer with gzip or zstd (for example with `skopeo copy --dest-compress-format`)',
      });
  }
}

/**
 * A Transform that looks at the first bytes, picks the decoder by magic and feeds it everything after.
 * Backpressure is kept: the decoder pauses while this stream's reader is full.
 */
class SniffingDecompressor extends Transform {
  private decoder?: Transform;
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly what: string) {
    super({ readableHighWaterMark: 256 * 1024 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.decoder) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < 8) {
        callback();
        return;
      }
      chunk = Buffer.concat(this.head);
      this.head = [];
      if (!this.startDecoder(chunk, callback)) return;
    }
    this.feed(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.decoder) {
      const rest = Buffer.concat(this.head);
      this.head = [];
      if (rest.length === 0) {
        callback();
        return;
      }
      if (!this.startDecoder(rest, callback)) return;
      this.decoder!.write(rest);
    }
    this.decoder!.once('end', () => callback());
    this.decoder!.end();
  }

  override _read(size: number): void {
    this.decoder?.resume();
    super._read(size);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.decoder?.destroy();
    callback(error);
  }

  private startDecoder(first: Buffer, callback: TransformCallback): boolean {
    try {
      this.decoder = createDecompressor(sniffCompression(first), this.what);
    } catch (error) {
      callback(error as Error);
      return false;
    }
    this.decoder.on('data', (data: Buffer) => {
      if (!this.push(data)) this.decoder!.pause();
    });
    this.decoder.on('error', (error: Error) => this.destroy(decorateDecompressionError(error, this.what)));
    return true;
  }

  private feed(chunk: Buffer, callback: TransformCallback): void {
    if (this.decoder!.write(chunk)) callback();
    else this.decoder!.once('drain', () => callback());
  }
}

/** Decompresses `input` (gzip, zstd or plain tar, sniffed). Errors surface on the returned stream. */
export function decompressStream(input: Readable, what: string): Readable {
  const output = new SniffingDecompressor(what);
  pipeline(input, output, () => {
    // Errors are already on `output`; pipeline only ties the two lifetimes together.
  });
  return output;
}

/** Turns a decoder's error into a SourceError that names the blob (non-decoder errors pass through). */
export function decorateDecompressionError(error: Error, what: string): Error {
  if (error instanceof SourceError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || /zstd|invalid|unexpected end/i.test(error.message)) {
    return new SourceError(`decompressing ${what}: ${error.message}`, {
      code: 'corrupt-layer',
      cause: error,
      hint: 'the blob is truncated or corrupt; fetch or save the image again',
    });
  }
  return error;
}
