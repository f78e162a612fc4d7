// Stored layer bytes -> decompressed (gzip/zstd/plain, sniffed) -> diffId check -> tar scan. Shared by the worker
// threads and the in-process fallback, so both give identical results.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SourceError } from '../errors.js';
import { decompressStream } from '../image/compression.js';
import { LayerScanner, type LayerScan } from './scan-layer.js';

export interface LayerTask {
  /** "layer 3 of image.tar", for messages. */
  what: string;
  /** Expected sha256 of the uncompressed tar; undefined when the stored blob was already verified as the tar. */
  diffId?: string;
}

export async function scanStoredLayer(stored: AsyncIterable<Buffer> | Readable, task: LayerTask): Promise<LayerScan> {
  const input = stored instanceof Readable ? stored : Readable.from(stored, { objectMode: false });
  const tar = decompressStream(input, task.what);
  const scanner = new LayerScanner(task.what);
  const hash = task.diffId?.startsWith('sha256:') ? createHash('sha256') : undefined;
  for await (const chunk of tar as AsyncIterable<Buffer>) {
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
