// A layer read from its file by a worker thread, without streams: one reused read buffer, the blob digest, the
// decoder (sync-decoder.ts) and the tar scan, each piece handed on before the next read overwrites it. A worker owns
// its core, so nothing here needs to wait for another thread; what a stream would add is a fresh buffer per read,
// which the collector frees only under "external memory pressure", tens of MB later (bench/README.md, "Session 47").
//
// The same results and the same errors as reading the stream Layer.compressed() gives (layer-pipeline.ts):
// verification by verifyError, and on a failed scan the blob still read to its end, since a digest mismatch there is
// the root cause worth showing.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { setImmediate as turn } from 'node:timers/promises';
import { decorateDecompressionError } from '../image/compression.js';
import { checkedAlgorithm, verifyError } from '../image/digest.js';
import { sniffCompression } from '../image/media-types.js';
import { openStoredFile } from '../image/streams.js';
import { createSyncDecoder, type SyncDecoder } from '../image/sync-decoder.js';
import type { StoredFile } from '../image/types.js';
import { checkDiffId, diffIdHash, layerScanner, scanToRootCause, type LayerTask } from './layer-pipeline.js';
import type { LayerScan } from './scan-layer.js';

const READ_BYTES = 1024 * 1024;
/** Bytes read between turns of the event loop, where an abort (another layer failed) can arrive. */
const TURN_BYTES = 16 * 1024 * 1024;
/** The sniffer needs this many bytes (layer-pipeline.ts). */
const SNIFF_BYTES = 8;

/** Set by the caller to stop a read at its next turn (another layer failed). */
export interface ScanControl {
  aborted?: boolean;
}

/**
 * Scans the layer stored in `file`. Compressions without a decoder on this thread (sync-decoder.ts) are read as a
 * stream instead (scanToRootCause), with the same results.
 */
export async function scanStoredFile(
  file: StoredFile,
  task: LayerTask,
  onBytes: (bytes: number) => void,
  control: ScanControl = {},
): Promise<LayerScan> {
  const fd = openSync(file.path, 'r');
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let position = file.start;
    let left = file.length ?? Infinity;
    const read = (): Buffer => {
      const n = left > 0 ? readSync(fd, buffer, 0, Math.min(READ_BYTES, left), position) : 0;
      position += n;
      left -= n;
      return buffer.subarray(0, n);
    };
    let chunk = read();
    // A first read shorter than the sniffer wants is the whole blob (a read is short only at the end of the file).
    const compression = sniffCompression(chunk.subarray(0, SNIFF_BYTES));
    let decoder: SyncDecoder | undefined;
    if (compression !== 'none') {
      decoder = createSyncDecoder(compression);
      if (!decoder) {
        close();
        return await scanToRootCause(openStoredFile(file), task, onBytes);
      }
    }
    const algorithm = file.verify ? checkedAlgorithm(file.verify.expected) : undefined;
    const blobHash = algorithm ? createHash(algorithm) : undefined;
    const scanner = layerScanner(task);
    const tarHash = diffIdHash(task);
    // The scanner's errors (a budget exceeded) are its own; only the decoder's are about the compressed bytes.
    let scanFailure: Error | undefined;
    const consume = (piece: Buffer) => {
      try {
        tarHash?.update(piece);
        scanner.write(piece);
      } catch (error) {
        scanFailure = error as Error;
        throw error;
      }
    };
    let failure: Error | undefined;
    const decode = (input: Buffer | undefined) => {
      try {
        if (!decoder) {
          if (input) consume(input);
        } else if (input) decoder.write(input, consume);
        else decoder.end(consume);
      } catch (error) {
        failure = scanFailure ?? decorateDecompressionError(error as Error, task.what, 'the blob');
      }
    };
    let bytes = 0;
    let sinceTurn = 0;
    try {
      while (chunk.length) {
        bytes += chunk.length;
        blobHash?.update(chunk);
        onBytes(chunk.length);
        if (!failure) decode(chunk);
        // A budget stop is the answer itself: nothing more is read.
        if ((failure as { code?: string } | undefined)?.code === 'budget') throw failure;
        sinceTurn += chunk.length;
        if (sinceTurn >= TURN_BYTES) {
          sinceTurn = 0;
          await turn();
          if (control.aborted) throw new Error('aborted');
        }
        chunk = read();
      }
      if (!failure) decode(undefined);
    } finally {
      decoder?.close();
    }
    const unverified =
      file.verify &&
      verifyError(file.verify, bytes, blobHash ? () => `${algorithm}:${blobHash.digest('hex')}` : undefined);
    if (unverified) throw unverified;
    if (failure) throw failure;
    if (tarHash) checkDiffId(task, tarHash);
    return scanner.finish();
  } finally {
    close();
  }
}
