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
import { AFTER_ZSTD_STREAM, ZstdFrameScanner } from './zstd-frames.js';

export { AFTER_ZSTD_STREAM };

const require = createRequire(import.meta.url);

type ZlibWithZstd = typeof zlib & { createZstdDecompress?: () => Transform };

/** The part of zstd-napi's documented low-level binding ballast uses: a streaming decompression context. */
interface NativeZstd {
  DCtx: new () => { decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number] };
  dStreamOutSize(): number;
}

let nativeZstd: NativeZstd | null | undefined;

function loadNativeZstd(): NativeZstd | null {
  if (nativeZstd === undefined) {
    try {
      nativeZstd = require('zstd-napi/binding') as NativeZstd;
    } catch {
      nativeZstd = null;
    }
  }
  return nativeZstd;
}

/**
 * Which zstd decoder this runtime uses, for `--version`-style diagnostics and benchmarks. BALLAST_ZSTD_BACKEND=fzstd
 * picks the pure-JS fallback, as an install without the optional zstd-napi gets (tests run the compiled CLI so).
 */
export function zstdBackend(): 'node-zlib' | 'zstd-napi' | 'fzstd' {
  if (process.env.BALLAST_ZSTD_BACKEND === 'fzstd') return 'fzstd';
  if (typeof (zlib as ZlibWithZstd).createZstdDecompress === 'function') return 'node-zlib';
  return loadNativeZstd() ? 'zstd-napi' : 'fzstd';
}

/**
 * The code of a decoder error that means the compressed bytes are bad (as zlib's Z_DATA_ERROR does): the zstd
 * libraries' errors carry it, across the decoder thread too, so that decorateDecompressionError knows them.
 */
export const CORRUPT_DATA = 'ERR_BALLAST_CORRUPT_DATA';

/** An error about bad compressed bytes (see CORRUPT_DATA). */
export function corruptDataError(message: string): Error {
  return Object.assign(new Error(message), { code: CORRUPT_DATA });
}

/** A zstd library's error. */
export function zstdError(error: unknown): Error {
  return corruptDataError(`invalid zstd data: ${(error as Error).message ?? String(error)}`);
}

/**
 * A zstd decoder that decodes a little at a time and stops while its reader has enough waiting, going on when it
 * reads. Both zstd libraries decode a whole input chunk in one call, and 64 KiB of compressed zeros decode to
 * gigabytes: a decompression bomb sat in memory (4 GB for a 145 KB layer) before the walk saw its first entry.
 */
abstract class PacedZstdDecoder extends Transform {
  private pending?: { rest: Buffer; done: TransformCallback };
  private decoding = false;
  /** Output was pushed since the loop last looked: only then may it stop for a full reader (see decode). */
  private pushed = false;

  constructor() {
    super({ readableHighWaterMark: 1024 * 1024 });
  }

  /** Decodes some of `src`, giving the output to `output`: what is left of it, and whether the chunk is finished. */
  protected abstract step(src: Buffer): { rest: Buffer; finished: boolean };

  protected output(data: Buffer): void {
    this.pushed = true;
    this.push(data);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // An empty chunk is nothing to decode. Handed to a step it would ask the context with no input, which at a frame's
    // end answers as from inside the next one (a whole stream called truncated); steps do that only to drain output.
    if (chunk.length === 0) {
      done();
      return;
    }
    this.pending = { rest: chunk, done };
    this.decode();
  }

  override _read(size: number): void {
    if (this.pending) this.decode();
    // A finished chunk's write callback waits here when the reader was full (Transform keeps it for _read): release
    // it, or a _read that finished a chunk without output would leave the stream waiting for a push that never comes.
    if (!this.pending) super._read(size);
  }

  private decode(): void {
    // push() and done() may call back into _read or _transform from inside the loop: the loop goes on with it.
    if (this.decoding) return;
    this.decoding = true;
    try {
      while (this.pending) {
        const pending = this.pending;
        let result: { rest: Buffer; finished: boolean };
        try {
          result = this.step(pending.rest);
        } catch (error) {
          this.pending = undefined;
          pending.done(zstdError(error));
          return;
        }
        pending.rest = result.rest;
        if (result.finished) {
          this.pending = undefined;
          // The next chunk may arrive inside done() (a buffered write): it becomes this.pending.
          pending.done();
        }
        // The reader has enough: _read resumes when it takes some. Only right after a push: a _read that ends
        // without one leaves the stream marked as reading, and Readable calls _read no more.
        if (this.pushed && this.readableLength >= this.readableHighWaterMark) {
          this.pushed = false;
          return;
        }
        this.pushed = false;
      }
    } finally {
      this.decoding = false;
    }
  }
}

/**
 * zstd-napi's streaming context, one call at a time: for the stream decoder below and the walk workers' in-place
 * decoder (sync-decoder.ts). Only where zstd-napi loads (zstdBackend() is 'zstd-napi').
 */
export class NativeZstdContext {
  private readonly dctx = new (loadNativeZstd()!.DCtx)();
  /** The stream so far ends inside a frame (a blob cut short, if nothing follows). */
  private inFrame = false;

  /** Decodes some of `src` into `out`: the bytes written, what is left of `src`, and whether `src` is done with. */
  step(out: Buffer, src: Buffer): { produced: number; rest: Buffer; finished: boolean } {
    const [ret, produced, consumed] = this.dctx.decompressStream(out, src);
    const rest = src.subarray(consumed);
    // Done with this chunk once it is all read and the context holds no more output for it.
    const finished = rest.length === 0 && (produced < out.length || ret === 0);
    if (finished) this.inFrame = ret !== 0;
    return { produced, rest, finished };
  }

  /** The error for a stream that ended inside a frame, if it did. */
  endError(): Error | undefined {
    return this.inFrame ? corruptDataError('unexpected end of zstd data (the stream ends inside a frame)') : undefined;
  }
}

/** zstd-napi's streaming context, at most one output buffer (128 KiB) per step. */
class NativeZstdTransform extends PacedZstdDecoder {
  private readonly context = new NativeZstdContext();
  private readonly outSize = loadNativeZstd()!.dStreamOutSize();

  protected step(src: Buffer): { rest: Buffer; finished: boolean } {
    const out = Buffer.allocUnsafe(this.outSize);
    const { produced, rest, finished } = this.context.step(out, src);
    if (produced > 0) this.output(out.subarray(0, produced));
    return { rest, finished };
  }

  override _flush(callback: TransformCallback): void {
    callback(this.context.endError());
  }
}

/**
 * fzstd's push API (multiple and skippable frames), fed 1 KiB at a time: it decodes every whole block it is given in
 * one call, and 1 KiB holds at most 256 run-length blocks (32 MiB). It keeps partial blocks itself, so small pieces
 * cost no copying.
 */
class FzstdTransform extends PacedZstdDecoder {
  // A copy of each block: fzstd reads the block again after handing it out (into its window), and a raw block is a
  // view of the input. The decoder thread moves what it is given to the main thread, which would detach fzstd's own
  // buffer. A copy costs little beside fzstd's decoding.
  private readonly decoder = new FzstdDecompress((data) => this.output(Buffer.from(data)));

  protected step(src: Buffer): { rest: Buffer; finished: boolean } {
    this.decoder.push(src.subarray(0, 1024));
    const rest = src.subarray(1024);
    return { rest, finished: rest.length === 0 };
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(zstdError(error));
    }
  }
}

/** A zstd decoder stream; `backend` forces one (tests exercise each fallback). */
export function createZstdDecompressor(backend = zstdBackend()): Transform {
  switch (backend) {
    case 'node-zlib':
      return (zlib as ZlibWithZstd).createZstdDecompress!();
    case 'zstd-napi':
      return new NativeZstdTransform();
    default:
      return new FzstdTransform();
  }
}

/**
 * What follows a blob's gzip stream is held to gzip's own rule (`gzip -d`): zero bytes are padding, anything else is
 * an error. zlib refuses bytes that are not another member right after one ("incorrect header check"), but stops at
 * the first zero byte and drops whatever comes after it unread: another member or garbage behind a zero went
 * unnoticed, while the same bytes without the zero were an error. (zstd has no padding: `zstd -d` and the Go
 * decoders refuse any byte after the last frame, zeros too, and so do all three zstd decoders here.)
 */
export const AFTER_GZIP_STREAM = 'the blob goes on after its gzip stream ends, with bytes that are not zero padding';

/** Whether `data` holds a byte other than zero from `from` on. */
export function nonZeroFrom(data: Buffer, from: number): boolean {
  for (let i = from; i < data.length; i++) if (data[i] !== 0) return true;
  return false;
}

/** `gunzip` checking what follows its stream (AFTER_GZIP_STREAM): its input past the stream is never handed to zlib. */
function gunzipToGzipsRule(gunzip: zlib.Gunzip): Transform {
  const transform = gunzip._transform.bind(gunzip);
  let fed = 0;
  let padding = false;
  gunzip._transform = (chunk: Buffer, encoding: BufferEncoding, done: TransformCallback) => {
    if (padding) {
      done(nonZeroFrom(chunk, 0) ? corruptDataError(AFTER_GZIP_STREAM) : undefined);
      return;
    }
    fed += chunk.length;
    transform(chunk, encoding, (error?: Error | null) => {
      if (error) return done(error);
      // zlib leaves input unread only past the stream's end, once the next byte is a zero (Node's gunzip).
      const unread = fed - gunzip.bytesWritten;
      if (unread > 0) {
        padding = true;
        if (nonZeroFrom(chunk, chunk.length - unread)) return done(corruptDataError(AFTER_GZIP_STREAM));
      }
      done();
    });
  };
  return gunzip;
}

/**
 * A zstd decoder whose error about bytes after the blob's last frame says so (AFTER_ZSTD_STREAM), whichever backend
 * decodes: its input is scanned for where the frames end on its way in.
 */
function zstdToFrames(decoder: Transform): Transform {
  const scanner = new ZstdFrameScanner();
  const transform = decoder._transform.bind(decoder);
  decoder._transform = (chunk: Buffer, encoding: BufferEncoding, done: TransformCallback) => {
    scanner.feed(chunk);
    transform(chunk, encoding, done);
  };
  const destroy = decoder._destroy.bind(decoder);
  decoder._destroy = (error, callback) =>
    destroy(error, (failed) => callback(failed && afterZstdStream(failed, scanner)));
  return decoder;
}

/** `error` as AFTER_ZSTD_STREAM when it is about the blob's bytes and the scanner found bytes after its frames. */
export function afterZstdStream(error: Error, scanner: ZstdFrameScanner): Error {
  const code = (error as { code?: string }).code ?? '';
  const aboutBytes = code === CORRUPT_DATA || /^ZSTD_/.test(code);
  return aboutBytes && scanner.goesOnAfterStream ? corruptDataError(AFTER_ZSTD_STREAM) : error;
}

/** Stored layers at least this large are inflated in 1 MiB pieces, smaller ones in 256 KiB pieces. */
const LARGE_LAYER_BYTES = 16 * 1024 * 1024;

/**
 * A decoder for `compression`, whose errors about bad bytes name the blob (decorateDecompressionError: `what`, and
 * `unnamed` in their detail); `storedBytes` (the blob's size, when known) picks the gzip output piece size: a
 * large layer spends its time inflating, and 1 MiB pieces make a quarter of the thread-pool round trips of 256 KiB
 * (about 6% off `analyze` of corpus `big`); a small one (typically many small files) gains nothing from them and
 * peaked 60-100 MB higher over the 1M-file benchmark's 20 layers (bench/README.md, "the layer pipeline").
 */
export function createDecompressor(
  compression: Compression,
  what: string,
  storedBytes = 0,
  unnamed?: string,
): Transform {
  switch (compression) {
    case 'none':
      return new PassThrough();
    case 'gzip':
      // Decodes concatenated members (eStargz, pigz) and tolerates trailing zero padding.
      return namingErrors(
        gunzipToGzipsRule(
          zlib.createGunzip({ chunkSize: storedBytes >= LARGE_LAYER_BYTES ? 1024 * 1024 : 256 * 1024 }),
        ),
        what,
        unnamed,
      );
    case 'zstd': {
      // Node's own zstd (>= 22.15) runs on the thread pool like gzip; the others get a thread (zstd-thread.ts).
      const url = zstdBackend() === 'node-zlib' ? undefined : zstdWorkerUrl();
      return namingErrors(
        zstdToFrames(url ? new ThreadedZstdDecompressor(url) : createZstdDecompressor()),
        what,
        unnamed,
      );
    }
    default: {
      const unreadable = (subject: string) => `${subject} is ${compression}-compressed, which ballast cannot read`;
      throw new SourceError(unreadable(what), {
        code: 'unsupported-compression',
        detail: unnamed === undefined ? undefined : unreadable(unnamed),
        hint: 'recompress the layer with gzip or zstd (for example with `skopeo copy --dest-compress-format`)',
      });
    }
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

  constructor(
    private readonly what: string,
    private readonly unnamed?: string,
  ) {
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
    // gzip's decoder ends its output as soon as zero padding follows its last member, before its input ends: by now
    // its 'end' may be past, and waiting for it left the promise of the whole run unsettled (the CLI quit with 13).
    if (this.decoder!.readableEnded) callback();
    else this.decoder!.once('end', () => callback());
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
      this.decoder = createDecompressor(sniffCompression(first), this.what, 0, this.unnamed);
    } catch (error) {
      callback(error as Error);
      return false;
    }
    this.decoder.on('data', (data: Buffer) => {
      if (!this.push(data)) this.decoder!.pause();
    });
    this.decoder.on('error', (error: Error) => this.destroy(error));
    return true;
  }

  private feed(chunk: Buffer, callback: TransformCallback): void {
    if (this.decoder!.write(chunk)) callback();
    else this.decoder!.once('drain', () => callback());
  }
}

/**
 * Decompresses `input` (gzip, zstd or plain tar, sniffed). Errors surface on the returned stream, naming `what`;
 * `unnamed` ("the blob") is what their detail calls it (BallastErrorOptions.detail).
 */
export function decompressStream(input: Readable, what: string, unnamed?: string): Readable {
  const output = new SniffingDecompressor(what, unnamed);
  pipeline(input, output, () => {
    // Errors are already on `output`; pipeline only ties the two lifetimes together.
  });
  return output;
}

/**
 * `decoder`, its errors decorated (decorateDecompressionError) as they are emitted. Every decoder stream reports its
 * error by destroying itself (zlib's handle, a Transform's callback), and the error its _destroy hands back is the one
 * 'error' carries: one hook for the three kinds of decoder, and no stream in between to pass each chunk through.
 */
function namingErrors(decoder: Transform, what: string, unnamed?: string): Transform {
  const destroy = decoder._destroy.bind(decoder);
  decoder._destroy = (error, callback) =>
    destroy(error, (failed) => callback(failed && decorateDecompressionError(failed, what, unnamed)));
  return decoder;
}

/** Turns a decoder's error into a SourceError that names the blob (non-decoder errors pass through). */
export function decorateDecompressionError(error: Error, what: string, unnamed?: string): Error {
  if (error instanceof SourceError) return error;
  const code = (error as { code?: string }).code ?? '';
  // zlib's codes for gzip (and zstd on Node >= 22.15, whose codes are zstd's own ZSTD_error_* names), ours for the
  // zstd libraries. Anything else (a decoder thread that died, say) is not the blob's fault.
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === CORRUPT_DATA || /^ZSTD_/.test(code)) {
    // In gunzip mode (the only zlib mode ballast decodes with) this is a member that does not start as gzip: the
    // first one was sniffed as gzip, so it is bytes after the stream.
    const message = error.message === 'incorrect header check' ? AFTER_GZIP_STREAM : error.message;
    return new SourceError(`decompressing ${what}: ${message}`, {
      code: 'corrupt-layer',
      detail: unnamed === undefined ? undefined : `decompressing ${unnamed}: ${message}`,
      cause: error,
      hint: 'the blob is truncated or corrupt; fetch or save the image again',
    });
  }
  return error;
}
