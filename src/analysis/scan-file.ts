// A layer read from its file by a worker thread, without streams: one reused read buffer, the blob digest, the
// decoder (sync-decoder.ts) and the tar scan, each piece handed on before the next read overwrites it. A worker owns
// its core, so nothing here needs to wait for another thread; what a stream would add is a fresh buffer per read,
// which the collector frees only under "external memory pressure", tens of MB later (bench/README.md, "Session 47").
//
// The same results and the same errors as reading the stream Layer.compressed() gives (layer-pipeline.ts):
// verification by verifyError, and on a failed scan the blob still read to its end, since a digest mismatch there is
// the root cause worth showing.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { SourceError } from '../errors.js';
import { specialFileKind } from '../host-path.js';
import { checkedAlgorithm, verifyError } from '../image/digest.js';
import { awaitGrowth } from '../image/growing.js';
import { sniffCompression } from '../image/media-types.js';
import { openStoredFile } from '../image/streams.js';
import { createSyncDecoder, type SyncDecoder } from '../image/sync-decoder.js';
import type { StoredFile } from '../image/types.js';
import {
  checkDiffId,
  diffIdHash,
  layerScanner,
  scanToRootCause,
  SNIFF_BYTES,
  type LayerTask,
} from './layer-pipeline.js';
import type { LayerScan } from './scan-layer.js';

const READ_BYTES = 1024 * 1024;

/**
 * A layer's stored bytes scanned as they are pushed, on this thread: the blob digest (when `verify` is given), the
 * decoder, the diff_id hash and the tar scan. Each chunk is done with when `write` returns (the caller may reuse its
 * buffer). Errors wait for `end`, in the order the stream path gives them: after a failure the bytes are still hashed
 * to the end, since a digest mismatch is the root cause worth showing; a budget stop (`stopped`) is the answer itself.
 */
export class StoredScan {
  private readonly scanner;
  private readonly tarHash;
  private readonly blobHash;
  private readonly algorithm;
  private bytes = 0;
  private failure: Error | undefined;
  /** The scanner's errors (a budget exceeded) are its own; only the decoder's are about the compressed bytes. */
  private scanFailure: Error | undefined;

  /**
   * A scan of a blob whose first bytes are `first` (at least SNIFF_BYTES, or the whole blob), or undefined when its
   * compression has no decoder on this thread (read it as a stream then).
   */
  static start(first: Buffer, task: LayerTask, verify?: StoredFile['verify']): StoredScan | undefined {
    const compression = sniffCompression(first.subarray(0, SNIFF_BYTES));
    if (compression === 'none') return new StoredScan(task, undefined, verify);
    const decoder = createSyncDecoder(compression, task.what, 'the blob');
    return decoder && new StoredScan(task, decoder, verify);
  }

  private constructor(
    private readonly task: LayerTask,
    private readonly decoder: SyncDecoder | undefined,
    private readonly verify: StoredFile['verify'],
  ) {
    this.scanner = layerScanner(task);
    this.tarHash = diffIdHash(task);
    this.algorithm = verify ? checkedAlgorithm(verify.expected) : undefined;
    this.blobHash = this.algorithm ? createHash(this.algorithm) : undefined;
  }

  /** A budget was exceeded: nothing more need be read; `end` throws it. */
  get stopped(): boolean {
    return (this.failure as { code?: string } | undefined)?.code === 'budget';
  }

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.blobHash?.update(chunk);
    if (!this.failure) this.decode(chunk);
  }

  /** The scan, or the error reading the blob gives. */
  end(): LayerScan {
    try {
      if (this.stopped) throw this.failure;
      if (!this.failure) this.decode(undefined);
    } finally {
      this.decoder?.close();
    }
    const { verify, blobHash, algorithm } = this;
    const unverified =
      verify && verifyError(verify, this.bytes, blobHash ? () => `${algorithm}:${blobHash.digest('hex')}` : undefined);
    if (unverified) throw unverified;
    if (this.failure) throw this.failure;
    if (this.tarHash) checkDiffId(this.task, this.tarHash);
    return this.scanner.finish();
  }

  /** Frees the decoder (a scan abandoned before `end`). */
  close(): void {
    this.decoder?.close();
  }

  private readonly consume = (piece: Buffer) => {
    try {
      this.tarHash?.update(piece);
      this.scanner.write(piece);
    } catch (error) {
      this.scanFailure = error as Error;
      throw error;
    }
  };

  private decode(input: Buffer | undefined): void {
    try {
      if (!this.decoder) {
        if (input) this.consume(input);
      } else if (input) this.decoder.write(input, this.consume);
      else this.decoder.end(this.consume);
    } catch (error) {
      // The decoder's errors name the blob already (createSyncDecoder); the scan's own pass through it.
      this.failure = this.scanFailure ?? (error as Error);
    }
  }
}

/**
 * Scans the layer stored in `file`. Compressions without a decoder on this thread (sync-decoder.ts) are read as a
 * stream instead (scanToRootCause), with the same results.
 */
export async function scanStoredFile(
  file: StoredFile,
  task: LayerTask,
  onBytes: (bytes: number) => void,
): Promise<LayerScan> {
  // A download's file is made when its first bytes come (its turn among the pull's downloads): not opened before.
  if (file.growing) awaitGrowth(file.growing, file.start + 1);
  // Opened without waiting, then checked: the image's files were regular when it was opened, but one replaced by a
  // FIFO since would hold this thread in open() (or read()) for good, where no abort reaches it.
  const fd = openSync(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  let scan: StoredScan | undefined;
  try {
    const kind = specialFileKind(fstatSync(fd));
    if (kind)
      throw new SourceError(`${file.path} is ${kind}, not a regular file`, {
        code: 'not-a-file',
        hint: 'the image was changed while it was read; read it again once nothing writes to it',
      });
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let position = file.start;
    let left = file.length ?? Infinity;
    const read = (): Buffer => {
      let want = Math.min(READ_BYTES, left);
      // A file still downloading: only what is written, whole reads until its end (as a file's reads are).
      if (file.growing && want > 0) want = Math.min(want, awaitGrowth(file.growing, position + want) - position);
      const n = want > 0 ? readSync(fd, buffer, 0, want, position) : 0;
      position += n;
      left -= n;
      return buffer.subarray(0, n);
    };
    let chunk = read();
    // A first read shorter than the sniffer wants is the whole blob (a read is short only at the end of the file).
    scan = StoredScan.start(chunk, task, file.verify);
    if (!scan) {
      close();
      return await scanToRootCause(openStoredFile(file), task, onBytes);
    }
    // No turn of the event loop between reads: nothing there can stop this one. When another layer fails, the walk
    // terminates the worker threads (walk.ts).
    while (chunk.length) {
      onBytes(chunk.length);
      scan.write(chunk);
      if (scan.stopped) break;
      chunk = read();
    }
    const done = scan;
    scan = undefined;
    return done.end();
  } finally {
    scan?.close();
    close();
  }
}
