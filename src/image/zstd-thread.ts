// zstd decoding on a worker thread, for runtimes whose zstd decoder runs on the calling thread (zstd-napi and fzstd,
// on Node < 22.15). gzip layers are inflated on libuv's thread pool while the walk hashes and parses on the main
// thread; a synchronous zstd decoder put all three on one thread. Here each stream's decoder gets a thread:
// compressed chunks are copied to it (the caller may still hold them, e.g. the registry's tee into the blob cache)
// and its output comes back transferred, not copied. Measured in bench/README.md ("zstd").
import { existsSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import type { FromZstdWorker, ToZstdWorker } from './zstd-worker.js';

/** Compressed bytes posted and not yet decoded. */
const IN_FLIGHT_BYTES = 1024 * 1024;

let workerUrl: URL | null | undefined;

/**
 * The compiled worker, when this runs as compiled JavaScript on the main thread: ts-jest runs the sources (no
 * worker file), and a layer-walk worker is a thread of its own already. BALLAST_ZSTD_THREAD=0 turns it off.
 */
export function zstdWorkerUrl(): URL | undefined {
  if (workerUrl === undefined) {
    const url = new URL('./zstd-worker.js', import.meta.url);
    workerUrl = isMainThread && process.env.BALLAST_ZSTD_THREAD !== '0' && existsSync(fileURLToPath(url)) ? url : null;
  }
  return workerUrl ?? undefined;
}

export class ThreadedZstdDecompressor extends Transform {
  private readonly worker: Worker;
  private inFlight = 0;
  /** Output pushed past the reader's high-water mark: reported as taken once the reader asks for more. */
  private heldBack = 0;
  private waiting: TransformCallback | undefined;
  private flushed: TransformCallback | undefined;
  /** The worker finished its stream or was stopped: its exit is expected from then on. */
  private over = false;

  constructor(url: URL) {
    super();
    // A small young generation: the worker holds a few chunks at a time.
    this.worker = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    this.worker.unref();
    this.worker.on('message', (message: FromZstdWorker) => this.onMessage(message));
    this.worker.on('error', (error) => this.destroy(error));
    this.worker.on('exit', (code) => {
      if (!this.over) this.destroy(new Error(`the zstd decoder thread exited with code ${code}`));
    });
  }

  private post(message: ToZstdWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(message: FromZstdWorker): void {
    if (this.over) return;
    switch (message.type) {
      case 'out': {
        let bytes = 0;
        let full = false;
        for (const b of message.buffers) {
          bytes += b.byteLength;
          if (!this.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength))) full = true;
        }
        if (full) this.heldBack += bytes;
        else this.post({ type: 'taken', bytes });
        break;
      }
      case 'ack': {
        this.inFlight -= message.bytes;
        const waiting = this.waiting;
        if (waiting && this.inFlight < IN_FLIGHT_BYTES) {
          this.waiting = undefined;
          waiting();
        }
        break;
      }
      case 'end': {
        const flushed = this.flushed;
        this.flushed = undefined;
        this.over = true;
        void this.worker.terminate();
        flushed?.();
        break;
      }
      case 'error':
        this.destroy(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
        break;
    }
  }

  override _read(size: number): void {
    if (this.heldBack) {
      this.post({ type: 'taken', bytes: this.heldBack });
      this.heldBack = 0;
    }
    super._read(size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inFlight += chunk.length;
    const copy = new Uint8Array(chunk);
    this.post({ type: 'chunk', data: copy }, [copy.buffer]);
    if (this.inFlight < IN_FLIGHT_BYTES) callback();
    else this.waiting = callback;
  }

  override _flush(callback: TransformCallback): void {
    this.flushed = callback;
    this.post({ type: 'end' });
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.flushed = undefined;
    this.over = true;
    void this.worker.terminate();
    callback(error);
  }
}
