// Stored layer bytes -> decompressed (gzip/zstd/plain, sniffed by magic) -> optional diffId check -> tar scan.
// Shared by the worker threads and the in-process fallback, so both give identical results.
//
// The decoder is driven directly (pull from the stored bytes, pipe through zlib/zstd, iterate the output) rather
// than through a generic sniffing Transform: one stream stage less per chunk, and a plain tar is not copied at all.
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { SourceError } from '../errors.js';
import { createDecompressor, decorateDecompressionError } from '../image/compression.js';
import { sniffCompression } from '../image/media-types.js';
import type { LayerLimits } from './limits.js';
import { LayerScanner, type LayerScan } from './scan-layer.js';

export interface LayerTask {
  /** "layer 3 of image.tar", for messages. */
  what: string;
  /** Expected sha256 of the uncompressed tar, when it is to be checked. */
  diffId?: string;
  /** Budgets for this layer (default DEFAULT_LIMITS). */
  limits?: LayerLimits;
}

/** Yields the decompressed tar, whatever the stored compression. */
async function* decompressed(stored: AsyncIterable<Buffer>, what: string): AsyncGenerator<Buffer> {
  const it = stored[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 8) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = Buffer.concat(head);
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const compression = sniffCompression(first);
  if (compression === 'none') {
    yield* rest();
    return;
  }
  const decoder = createDecompressor(compression, what);
  pipeline(Readable.from(rest(), { objectMode: false }), decoder, () => {
    // Errors surface on `decoder` (pipeline destroys it with the cause), where the loop below sees them.
  });
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    throw decorateDecompressionError(error as Error, what);
  }
}

export async function scanStoredLayer(stored: AsyncIterable<Buffer> | Readable, task: LayerTask): Promise<LayerScan> {
  const scanner = new LayerScanner(task.what, task.limits);
  const hash = task.diffId?.startsWith('sha256:') ? createHash('sha256') : undefined;
  for await (const chunk of decompressed(stored as AsyncIterable<Buffer>, task.what)) {
    hash?.update(chunk);
    scanner.write(chunk);
  }
  if (hash) {
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== task.diffId) {
      throw new SourceError(`${task.what} content does not match its diff_id: expected ${task.diffId}, got ${actual}`, {
        code: 'digest-mismatch',
        hint: 'the image is corrupt or was modified; fetch or save it again (or pass --no-verify to read it anyway)',
      });
    }
  }
  return scanner.finish();
}
