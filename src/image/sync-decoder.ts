// Decoders that run on the calling thread, for the layer walk's worker threads. A worker that inflates with Node's
// zlib stream hands each piece to libuv's thread pool and waits for it: on two cores the walk spent more CPU on that
// hand-off (zlib's JavaScript glue, the thread it wakes, a fresh 1 MiB buffer per piece for the collector) than on
// tar parsing (bench/README.md, "Session 47"). Decoding in place, into one reused buffer, each worker keeps one core
// busy with the layer's whole pipeline, and the two cores run two layers.
//
// Node's zlib offers a synchronous API only for whole buffers (`gunzipSync`, which holds the output whole). Its stream
// objects do the same work through their native handle's `writeSync`, which `gunzipSync` itself uses; that handle is
// not public API, so it is probed once at load (a tiny gzip inflated and compared) and, should a Node release change
// it, the walk falls back to the stream (createDecompressor) with the same results.
import zlib from 'node:zlib';
import {
  AFTER_GZIP_STREAM,
  afterZstdStream,
  corruptDataError,
  decorateDecompressionError,
  NativeZstdContext,
  nonZeroFrom,
  zstdBackend,
  zstdError,
} from './compression.js';
import type { Compression } from './media-types.js';
import { ZstdFrameScanner } from './zstd-frames.js';

/** Each piece given to `out` is valid only during the call: the decoder writes its next piece over it. */
export type PieceSink = (piece: Buffer) => void;

export interface SyncDecoder {
  /** Decodes `input`, giving the output to `out` piece by piece. Throws the decoder's error on bad data. */
  write(input: Buffer, out: PieceSink): void;
  /** The input has ended: gives the rest and throws if the stream ended early (truncated). */
  end(out: PieceSink): void;
  /** Frees the native state (idempotent). */
  close(): void;
}

/** Output piece size: one buffer per decoder, reused. */
const PIECE_BYTES = 256 * 1024;

/** The part of a zlib stream's native handle the sync path uses (Node 20-24: `writeSync` and `_writeState`). */
interface ZlibInternals {
  _handle?: {
    writeSync(
      flush: number,
      input: Buffer,
      inOff: number,
      inLen: number,
      out: Buffer,
      outOff: number,
      outLen: number,
    ): void;
  };
  _writeState?: Uint32Array;
}

class ZlibSyncDecoder implements SyncDecoder {
  private readonly stream: zlib.Gunzip;
  private readonly handle: NonNullable<ZlibInternals['_handle']>;
  private readonly state: Uint32Array;
  private readonly piece = Buffer.allocUnsafe(PIECE_BYTES);

  constructor() {
    this.stream = zlib.createGunzip();
    // The handle reports an error by destroying the stream (synchronously: `errored` is set when writeSync returns);
    // the 'error' event that follows on the next tick has been dealt with by then.
    this.stream.on('error', () => {});
    const internals = this.stream as unknown as ZlibInternals;
    this.handle = internals._handle!;
    this.state = internals._writeState!;
  }

  /** The stream has ended and zero padding began: every later byte must be a zero too (AFTER_GZIP_STREAM). */
  private padding = false;

  write(input: Buffer, out: PieceSink): void {
    if (this.padding) {
      if (nonZeroFrom(input, 0)) throw corruptDataError(AFTER_GZIP_STREAM);
      return;
    }
    this.run(input, zlib.constants.Z_NO_FLUSH, out);
  }

  end(out: PieceSink): void {
    // Z_FINISH on a stream cut short is zlib's "unexpected end of file", as the stream's end() gives.
    this.run(Buffer.alloc(0), zlib.constants.Z_FINISH, out);
  }

  private closed = false;

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Kept for the thread's next gzip layer unless zlib failed on this one (see gzipDecoder).
    if (this.stream.errored || this.stream.destroyed || spareGzip) this.stream.destroy();
    else keepGzip(this);
  }

  /** Ready for another gzip stream: zlib's documented reset (`inflateReset`, the wrapper kept). */
  reset(): this {
    // (Documented for every zlib stream; @types/node gives it to the deflate and inflate classes only.)
    (this.stream as unknown as { reset(): void }).reset();
    this.closed = false;
    this.padding = false;
    return this;
  }

  private run(input: Buffer, flush: number, out: PieceSink): void {
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      this.handle.writeSync(flush, input, inOff, inLen, this.piece, 0, PIECE_BYTES);
      const errored = this.stream.errored;
      if (errored) throw errored;
      const outLeft = this.state[0];
      const inLeft = this.state[1];
      if (outLeft < PIECE_BYTES) out(this.piece.subarray(0, PIECE_BYTES - outLeft));
      // Room left in the piece: zlib took what it could of the input. What it left is past the stream's end, starting
      // with a zero: it must all be padding.
      if (outLeft !== 0) {
        if (inLeft > 0) {
          this.padding = true;
          if (nonZeroFrom(input.subarray(inOff + inLen - inLeft, inOff + inLen), 0))
            throw corruptDataError(AFTER_GZIP_STREAM);
        }
        return;
      }
      inOff += inLen - inLeft;
      inLen = inLeft;
    }
  }
}

/** zstd-napi's streaming context (NativeZstdContext, the stream decoder's), called in place. */
class NativeZstdSyncDecoder implements SyncDecoder {
  private readonly context = new NativeZstdContext();
  private readonly piece = Buffer.allocUnsafe(PIECE_BYTES);
  // The stream decoders' words for bytes after the last frame (createDecompressor's zstdToFrames).
  private readonly frames = new ZstdFrameScanner();

  write(input: Buffer, out: PieceSink): void {
    // Nothing to decode, and nothing held back (each write gives all its output): asked with no input at a frame's
    // end, the context answers with the next frame header's size, which would mark a stream cut inside a frame.
    if (input.length === 0) return;
    this.frames.feed(input);
    let src = input;
    for (;;) {
      let step: ReturnType<NativeZstdContext['step']>;
      try {
        step = this.context.step(this.piece, src);
      } catch (error) {
        throw afterZstdStream(zstdError(error), this.frames);
      }
      if (step.produced > 0) out(this.piece.subarray(0, step.produced));
      if (step.finished) return;
      src = step.rest;
    }
  }

  end(): void {
    const error = this.context.endError();
    if (error) throw afterZstdStream(error, this.frames);
  }

  close(): void {}
}

/**
 * The gzip decoder the last layer on this thread closed, for the next one. One zlib stream per thread, not one per
 * layer: a worker the walk terminates (another layer failed) while Node's zlib constructor runs is left with a native
 * handle that was never initialised, and freeing it at the thread's exit aborts the whole process ("close before
 * init", node_zlib.cc). Made once, when the thread's first gzip layer starts, there is no such moment after it.
 */
let spareGzip: ZlibSyncDecoder | undefined;

function keepGzip(decoder: ZlibSyncDecoder): void {
  spareGzip = decoder;
}

function gzipDecoder(): ZlibSyncDecoder {
  const decoder = spareGzip?.reset() ?? new ZlibSyncDecoder();
  spareGzip = undefined;
  return decoder;
}

let zlibWorks: boolean | undefined;

/**
 * Whether the zlib handle behaves as this module expects: a small multi-piece gzip, inflated and compared. Asked when
 * the first gzip layer starts, not when the module loads (a worker ended while loading makes no zlib stream).
 */
function probeZlib(): boolean {
  if (zlibWorks !== undefined) return zlibWorks;
  try {
    const plain = Buffer.alloc(PIECE_BYTES * 2 + 1000);
    for (let i = 0; i < plain.length; i++) plain[i] = (i * 7919) % 251;
    const packed = zlib.gzipSync(plain);
    const decoder = gzipDecoder();
    const pieces: Buffer[] = [];
    const keep = (piece: Buffer) => pieces.push(Buffer.from(piece));
    decoder.write(packed.subarray(0, 100), keep);
    decoder.write(packed.subarray(100), keep);
    decoder.end(keep);
    decoder.close();
    zlibWorks = Buffer.concat(pieces).equals(plain);
  } catch {
    zlibWorks = false;
  }
  return zlibWorks;
}

/**
 * A decoder's errors decorated as the stream decoders' are (createDecompressor): the same message on either path.
 * What the sink throws (the scan's own errors) passes through it unchanged, unless it carries a decoder's code.
 */
class NamedSyncDecoder implements SyncDecoder {
  constructor(
    private readonly decoder: SyncDecoder,
    private readonly what: string,
    private readonly unnamed?: string,
  ) {}

  write(input: Buffer, out: PieceSink): void {
    this.named(() => this.decoder.write(input, out));
  }

  end(out: PieceSink): void {
    this.named(() => this.decoder.end(out));
  }

  close(): void {
    this.decoder.close();
  }

  private named(run: () => void): void {
    try {
      run();
    } catch (error) {
      throw decorateDecompressionError(error as Error, this.what, this.unnamed);
    }
  }
}

/**
 * A decoder for `compression` on this thread, or undefined where there is none (the stream decoder is used then):
 * gzip while the zlib handle passes its probe, zstd with zstd-napi. Plain tars need no decoder. Its errors about bad
 * bytes name the blob as createDecompressor's do (`what`, and `unnamed` in their detail).
 */
export function createSyncDecoder(compression: Compression, what: string, unnamed?: string): SyncDecoder | undefined {
  if (process.env.BALLAST_SYNC_DECODE === '0') return undefined;
  let decoder: SyncDecoder | undefined;
  if (compression === 'gzip') decoder = probeZlib() ? gzipDecoder() : undefined;
  else if (compression === 'zstd' && zstdBackend() === 'zstd-napi') decoder = new NativeZstdSyncDecoder();
  return decoder && new NamedSyncDecoder(decoder, what, unnamed);
}
