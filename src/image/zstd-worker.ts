// Worker-thread side of the threaded zstd decoder (zstd-thread.ts): decodes the chunks it is sent with the
// in-thread decoder and posts the output back, moving its buffers (transferred, not copied).
//
// Flow control is on the output: a few MB of compressed zeros decode to hundreds of MB, so the worker decodes only
// while less than OUT_CREDIT_BYTES of its output waits unconsumed on the main thread. The decoder (paced, see
// compression.ts) stops inside a chunk too when it is paused: one 64 KiB chunk can decode to gigabytes.
import { parentPort } from 'node:worker_threads';
import { createZstdDecompressor } from './compression.js';

export type ToZstdWorker =
  | { type: 'chunk'; data: Uint8Array }
  /** Output bytes the reader has taken: room for more. */
  | { type: 'taken'; bytes: number }
  | { type: 'end' };
export type FromZstdWorker =
  | { type: 'out'; buffers: Uint8Array[] }
  /** Input bytes decoded: room for more. */
  | { type: 'ack'; bytes: number }
  | { type: 'end' }
  | { type: 'error'; message: string; code?: string };

const OUT_CREDIT_BYTES = 4 * 1024 * 1024;

const port = parentPort;
if (port) {
  const post = (message: FromZstdWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const decoder = createZstdDecompressor();
  const input: Buffer[] = [];
  let out: Buffer[] = [];
  let outBytes = 0;
  let unconsumed = 0;
  let busy = false;
  let ending = false;
  let failed = false;

  const flush = () => {
    if (!out.length) return;
    // A buffer sharing its ArrayBuffer (a slice) is copied to one of its own; the decoder's full buffers are moved.
    const buffers = out.map((b) =>
      b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? new Uint8Array(b.buffer) : new Uint8Array(b),
    );
    unconsumed += outBytes;
    out = [];
    outBytes = 0;
    post(
      { type: 'out', buffers },
      buffers.map((b) => b.buffer as ArrayBuffer),
    );
  };
  const pump = () => {
    if (failed || busy) return;
    const chunk = unconsumed < OUT_CREDIT_BYTES ? input.shift() : undefined;
    if (chunk) {
      busy = true;
      decoder.write(chunk, () => {
        busy = false;
        flush();
        post({ type: 'ack', bytes: chunk.length });
        pump();
      });
    } else if (ending && !input.length) {
      ending = false;
      decoder.end();
    }
  };
  decoder.on('data', (chunk: Buffer) => {
    out.push(chunk);
    outBytes += chunk.length;
    // Out of credit: send what there is and stop the decoder until the reader takes some ('taken' resumes it).
    if (unconsumed + outBytes >= OUT_CREDIT_BYTES) {
      flush();
      decoder.pause();
    }
  });
  decoder.on('end', () => {
    flush();
    post({ type: 'end' });
  });
  decoder.on('error', (error: Error) => {
    if (failed) return;
    failed = true;
    post({ type: 'error', message: error.message, code: (error as { code?: string }).code });
  });
  port.on('message', (message: ToZstdWorker) => {
    if (message.type === 'end') ending = true;
    else if (message.type === 'taken') {
      unconsumed -= message.bytes;
      if (unconsumed < OUT_CREDIT_BYTES && decoder.isPaused()) decoder.resume();
    } else input.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
    pump();
  });
}
