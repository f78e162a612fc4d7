// Stored layer bytes -> decompressed (gzip/zstd/plain, sniffed by magic) -> optional diffId check -> tar scan.
// The in-process walk reads every layer this way; a worker thread only a compression with no decoder on its own
// thread (sync-decoder.ts), and scans the rest in place with StoredScan (scan-file.ts), built from the same pieces
// (layerScanner, diffIdHash, checkDiffId) so that both give identical results.
//
// Event-driven on purpose (bench/README.md, "the layer pipeline"): the decoder's output goes into a queue of a few
// MB that this thread works through one chunk per turn of the event loop, so zlib inflates the next chunk on its
// thread pool while this thread hashes and parses the last one. Iterating the decoder with `for await` instead
// kept the two in lockstep (zlib stops once 16 KB wait unread) and copied every chunk again (`read()` concatenates
// what is buffered); it cost 15-20% of the walk's wall time on corpus `big`.
import { createHash, type Hash } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { SourceError } from '../errors.js';
import { createDecompressor } from '../image/compression.js';
import { sniffCompression } from '../image/media-types.js';
import { ImageHoles, type LayerLimits } from './limits.js';
import { LayerScanner, type LayerPick, type LayerScan } from './scan-layer.js';

export interface LayerTask {
  /** "layer 3 of image.tar", for messages. */
  what: string;
  /** Expected sha256 of the uncompressed tar, when it is to be checked. */
  diffId?: string;
  /** Budgets for this layer (default DEFAULT_LIMITS). */
  limits?: LayerLimits;
  /** The stored blob's size, when known (picks the decoder's output piece size). */
  storedBytes?: number;
  /** Files whose bytes to keep (LayerScan.picked); in-process only, `diff --filename` reads a layer again for them. */
  pick?: LayerPick;
  /**
   * The count of sparse holes hashed over the whole image (ImageHoles.shared), shared by every layer one walk reads;
   * default: this layer's own.
   */
  imageHoles?: SharedArrayBuffer;
}

/** Decoded bytes waiting to be parsed: the decoder pauses above the high mark and resumes below the low one. */
const QUEUE_HIGH_BYTES = 4 * 1024 * 1024;
const QUEUE_LOW_BYTES = 1024 * 1024;
/** Stored bytes handed to the decoder at a time, at least (see `feed`). */
const INPUT_BATCH_BYTES = 256 * 1024;
/** The sniffer needs this many bytes to tell gzip, zstd (skippable frames too), bzip2, xz and a plain tar apart. */
export const SNIFF_BYTES = 8;

/** The scanner of one layer's tar. */
export function layerScanner(task: LayerTask): LayerScanner {
  return new LayerScanner(
    task.what,
    task.limits,
    task.pick,
    task.imageHoles ? new ImageHoles(task.imageHoles) : undefined,
  );
}

/** The hash of the uncompressed tar, where the task checks it against a (sha256) diff_id. */
export function diffIdHash(task: LayerTask): Hash | undefined {
  return task.diffId?.startsWith('sha256:') ? createHash('sha256') : undefined;
}

/** Fails when the tar hashed into `hash` is not the task's diff_id. */
export function checkDiffId(task: LayerTask, hash: Hash): void {
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual === task.diffId) return;
  const mismatch = `does not match its diff_id: expected ${task.diffId}, got ${actual}`;
  throw new SourceError(`${task.what} content ${mismatch}`, {
    code: 'digest-mismatch',
    detail: `the content ${mismatch}`,
    hint: 'the image is corrupt or was modified; fetch or save it again (or pass --no-verify to read it anyway)',
  });
}

/**
 * Scans one layer from its stored bytes. `onBytes` sees each stored chunk as it is consumed (progress). On failure
 * the stored stream is left paused and unconsumed, so the caller can read it to its end: a digest mismatch there is
 * usually the root cause, and the error worth showing. `signal` stops the scan (another layer failed): the decoder
 * too, which may hold gigabytes of output in a stored stream read to its end already.
 */
export function scanStoredLayer(
  stored: Readable | AsyncIterable<Buffer>,
  task: LayerTask,
  onBytes?: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<LayerScan> {
  const owned = !(stored instanceof Readable);
  const input: Readable = stored instanceof Readable ? stored : Readable.from(stored, { objectMode: false });
  return new Promise<LayerScan>((resolve, reject) => {
    const scanner = layerScanner(task);
    const hash = diffIdHash(task);
    let head: Buffer[] | undefined = [];
    let headBytes = 0;
    let decoder: Transform | undefined;
    const queue: Buffer[] = [];
    let queued = 0;
    let paused = false;
    let scheduled = false;
    let decodedAll = false;
    let settled = false;

    // What the queue throttles: the decoder, or the stored stream itself for a plain tar.
    const source = () => decoder ?? input;

    const onAbort = () => fail(new Error('aborted'));
    const cleanup = () => {
      signal?.removeEventListener('abort', onAbort);
      input.off('data', onInput);
      input.off('end', onInputEnd);
      input.off('error', fail);
      if (owned) input.destroy();
      else input.pause();
      if (decoder) {
        decoder.removeAllListeners('data');
        decoder.removeAllListeners('end');
        decoder.destroy();
      }
    };
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      cleanup();
      reject(error);
    }

    const finish = () => {
      settled = true;
      cleanup();
      try {
        if (hash) checkDiffId(task, hash);
        resolve(scanner.finish());
      } catch (error) {
        reject(error as Error);
      }
    };

    // One chunk per turn, so decoder callbacks (and its next chunk) interleave with the parsing.
    const work = () => {
      scheduled = false;
      if (settled) return;
      const chunk = queue.shift();
      if (chunk) {
        queued -= chunk.length;
        try {
          hash?.update(chunk);
          scanner.write(chunk);
        } catch (error) {
          fail(error as Error);
          return;
        }
      }
      if (paused && queued < QUEUE_LOW_BYTES) {
        paused = false;
        source().resume();
      }
      if (queue.length) schedule();
      else if (decodedAll) finish();
    };
    const schedule = () => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(work);
    };
    const enqueue = (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued > QUEUE_HIGH_BYTES && !paused) {
        paused = true;
        source().pause();
      }
      schedule();
    };
    const decodedEnd = () => {
      decodedAll = true;
      schedule();
    };

    /** Picks the decoder from the first bytes; false when that failed (the walk has been failed). */
    const start = (first: Buffer): boolean => {
      const compression = sniffCompression(first);
      if (compression === 'none') return true;
      try {
        decoder = createDecompressor(compression, task.what, task.storedBytes, 'the blob');
      } catch (error) {
        fail(error as Error);
        return false;
      }
      decoder.on('data', enqueue);
      decoder.on('end', decodedEnd);
      // Its errors name the blob already (createDecompressor).
      decoder.on('error', fail);
      decoder.on('drain', () => {
        if (!settled) input.resume();
      });
      return true;
    };
    // Small stored chunks (a download arrives in 64 KiB pieces) are gathered to INPUT_BATCH_BYTES before they go
    // to the decoder: each write is a round trip to zlib's thread pool, and four times as many of them cost the
    // registry walk more than the copy (bench/README.md, "registry").
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const write = (chunk: Buffer) => {
      if (!decoder!.write(chunk)) input.pause();
    };
    const flushPending = () => {
      if (!pendingBytes) return;
      const batch = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      write(batch);
    };
    const feed = (chunk: Buffer) => {
      if (!decoder) enqueue(chunk);
      else if (!pendingBytes && chunk.length >= INPUT_BATCH_BYTES) write(chunk);
      else {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= INPUT_BATCH_BYTES) flushPending();
      }
    };

    function onInput(chunk: Buffer): void {
      onBytes?.(chunk.length);
      if (head) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) return;
        chunk = head.length === 1 ? head[0] : Buffer.concat(head);
        head = undefined;
        if (!start(chunk)) return;
      }
      feed(chunk);
    }
    function onInputEnd(): void {
      if (settled) return;
      if (head) {
        // Fewer bytes than the sniffer wants in the whole blob: still decode (a tiny gzip member) or scan them.
        const first = Buffer.concat(head);
        head = undefined;
        if (!start(first)) return;
        if (first.length) feed(first);
        if (settled) return;
      }
      if (decoder) {
        flushPending();
        decoder.end();
      } else decodedEnd();
    }

    input.on('data', onInput);
    input.on('end', onInputEnd);
    input.on('error', fail);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    input.resume();
  });
}

/**
 * scanStoredLayer, and on failure the stored stream read to its end first: a digest mismatch (the usual root cause of
 * a tar or zlib error) surfaces there, and is the error worth showing. A budget stop is the answer itself: no reading
 * on; nor after `signal` stopped the scan.
 */
export async function scanToRootCause(
  stored: Readable,
  task: LayerTask,
  onBytes?: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<LayerScan> {
  try {
    return await scanStoredLayer(stored, task, onBytes, signal);
  } catch (error) {
    if ((error as { code?: string }).code === 'budget' || signal?.aborted) stored.destroy();
    else if (!stored.destroyed) for await (const _chunk of stored) void _chunk;
    throw error;
  }
}
