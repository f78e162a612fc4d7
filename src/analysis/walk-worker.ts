// Worker-thread entry of the layer walk: reads a layer blob from its file itself, or receives its stored bytes from
// the main thread chunk by chunk (a download), and posts back its scan. The worker does the CPU work: the blob
// digest (for a file), decompression, the diffId hash, tar parsing and per-file content hashes.
import { parentPort } from 'node:worker_threads';
import { BallastError } from '../errors.js';
import type { StoredFile } from '../image/types.js';
import { reuseEntryListBuilders, type EntryColumns } from './entry-list.js';
import { scanStoredLayer, SNIFF_BYTES, type LayerTask } from './layer-pipeline.js';
import { StoredScan, scanStoredFile } from './scan-file.js';
import type { LayerScan } from './scan-layer.js';

/** A file read reports progress every this many stored bytes (and at its end). */
const PROGRESS_BYTES = 4 * 1024 * 1024;

export type ToWorker =
  | { type: 'start'; id: number; task: LayerTask }
  | { type: 'file'; id: number; task: LayerTask; file: StoredFile }
  | { type: 'chunk'; id: number; chunk: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

export type FromWorker =
  /** A chunk taken; `buffer`, its memory, handed back to be filled again (a chunk scanned in place, StoredScan). */
  | { type: 'ack'; id: number; bytes: number; buffer?: ArrayBuffer }
  /** Stored bytes a file read has taken since its last report. */
  | { type: 'read'; id: number; bytes: number }
  | {
      type: 'done';
      id: number;
      /** The entry list as its columns, whose buffers are transferred (moved, not copied). */
      scan: Omit<import('./scan-layer.js').LayerScan, 'entries'> & { entries: EntryColumns };
    }
  | { type: 'error'; id: number; error: WorkerError };

/**
 * A failure as it crosses the thread boundary. `system`: not one of ballast's errors but the system's (EACCES opening
 * the blob), which the main thread words as it words one met there (wrapError: the hint for permission denied).
 */
export interface WorkerError {
  message: string;
  code: string;
  hint?: string;
  detail?: string;
  system?: boolean;
}

/** An async queue of chunks fed by messages; acknowledges each chunk once the pipeline takes it. */
class ChunkQueue implements AsyncIterable<Buffer> {
  private chunks: Buffer[] = [];
  ended = false;
  private aborted = false;
  /** After a failure: drop chunks (acknowledged) until the end, then report. */
  private draining: (() => void) | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly onTaken: (bytes: number) => void) {}

  push(chunk: Buffer): void {
    if (this.draining) {
      this.onTaken(chunk.length);
      return;
    }
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
    this.draining?.();
  }

  /**
   * Lets the main thread read the blob to its end before the failure is reported, so a digest mismatch (the
   * root cause of most parse errors) is what the user sees.
   */
  drainThen(report: () => void): void {
    for (const chunk of this.chunks) this.onTaken(chunk.length);
    this.chunks = [];
    if (this.ended) report();
    else this.draining = report;
  }

  abort(): void {
    this.aborted = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      if (this.aborted) throw new Error('aborted');
      const chunk = this.chunks.shift();
      if (chunk) {
        this.onTaken(chunk.length);
        yield chunk;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/**
 * A layer streamed from the main thread (a download, a daemon's stream; its digest is checked there), scanned as its
 * chunks arrive: in place (StoredScan), each chunk's buffer handed back with its ack, so the main thread fills the
 * same few buffers again instead of the collector freeing a MB a chunk; or, for a compression with no decoder on this
 * thread, through a ChunkQueue and the stream pipeline. A failure is reported once the main thread has sent the
 * blob's end, so that a digest mismatch there (the usual root cause) is the error shown; a budget exceeded, at once.
 */
class StreamedLayer {
  private head: Buffer[] | undefined = [];
  private headBytes = 0;
  private scan: StoredScan | undefined;
  private queue: ChunkQueue | undefined;

  constructor(
    private readonly id: number,
    private readonly task: LayerTask,
    private readonly post: (message: FromWorker, transfer?: ArrayBuffer[]) => void,
    private readonly settle: (scan?: LayerScan, error?: unknown) => void,
  ) {}

  chunk(chunk: Buffer): void {
    if (this.head) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes >= SNIFF_BYTES) this.begin();
      return;
    }
    this.take(chunk);
  }

  end(): void {
    if (this.head) this.begin();
    if (this.queue) {
      this.queue.end();
      return;
    }
    const scan = this.scan!;
    this.scan = undefined;
    let result: LayerScan;
    try {
      result = scan.end();
    } catch (error) {
      this.settle(undefined, error);
      return;
    }
    this.settle(result);
  }

  abort(): void {
    this.scan?.close();
    this.queue?.abort();
  }

  private begin(): void {
    const head = this.head!;
    this.head = undefined;
    this.scan = StoredScan.start(head.length === 1 ? head[0] : Buffer.concat(head), this.task);
    if (!this.scan) {
      const queue = new ChunkQueue((bytes) => this.post({ type: 'ack', id: this.id, bytes }));
      this.queue = queue;
      scanStoredLayer(queue, this.task).then(
        (scan) => this.settle(scan),
        // A budget exceeded is the answer itself (see take); any other failure waits for the blob's end.
        (error: unknown) =>
          (error as { code?: string }).code === 'budget'
            ? this.settle(undefined, error)
            : queue.drainThen(() => this.settle(undefined, error)),
      );
    }
    for (const chunk of head) this.take(chunk);
  }

  private take(chunk: Buffer): void {
    if (this.queue) {
      this.queue.push(chunk);
      return;
    }
    const scan = this.scan;
    scan?.write(chunk);
    const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
    const buffer = chunk.buffer as ArrayBuffer;
    this.post({ type: 'ack', id: this.id, bytes: chunk.length, ...(whole ? { buffer } : {}) }, whole ? [buffer] : []);
    // A budget exceeded is the answer itself, as reading a file or in-process: reported now, not once the rest of a
    // download has dripped in (the main thread stops the download on the error; later chunks find no layer here).
    if (scan?.stopped) this.end();
  }
}

const port = parentPort;
if (port) {
  reuseEntryListBuilders();
  const streams = new Map<number, StreamedLayer>();
  const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const postDone = (id: number, scan: import('./scan-layer.js').LayerScan) =>
    post({ type: 'done', id, scan: { ...scan, entries: scan.entries.columns } }, scan.entries.transferables());
  const postError = (id: number, error: unknown) => {
    const e = error as Error & { code?: string };
    post({
      type: 'error',
      id,
      error: {
        message: e.message,
        code: typeof e.code === 'string' ? e.code : 'layer-read',
        hint: error instanceof BallastError ? error.hint : undefined,
        detail: error instanceof BallastError ? error.detail : undefined,
        system: !(error instanceof BallastError) && typeof e.code === 'string',
      },
    });
  };
  let fileWork = Promise.resolve();
  const scanFile = (id: number, task: LayerTask, file: StoredFile): Promise<void> => {
    let unreported = 0;
    const report = () => {
      if (unreported) post({ type: 'read', id, bytes: unreported });
      unreported = 0;
    };
    const onBytes = (bytes: number) => {
      unreported += bytes;
      if (unreported >= PROGRESS_BYTES) report();
    };
    return scanStoredFile(file, task, onBytes).then(
      (scan) => {
        report();
        postDone(id, scan);
      },
      (error: unknown) => postError(id, error),
    );
  };
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'start': {
        const { id, task } = message;
        const settle = (scan?: LayerScan, error?: unknown) => {
          streams.delete(id);
          if (scan) postDone(id, scan);
          else postError(id, error);
        };
        streams.set(id, new StreamedLayer(id, task, post, settle));
        break;
      }
      case 'file': {
        // One file at a time, in the order given: the thread is one core's worth of decoding (sync-decoder.ts).
        const { id, task, file } = message;
        fileWork = fileWork.then(() => scanFile(id, task, file));
        break;
      }
      case 'chunk':
        streams
          .get(message.id)
          ?.chunk(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength));
        break;
      case 'end':
        streams.get(message.id)?.end();
        break;
      case 'abort': {
        streams.get(message.id)?.abort();
        streams.delete(message.id);
        break;
      }
    }
  });
}
