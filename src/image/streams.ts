// Small stream helpers shared by sources and tests.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { verified } from './digest.js';
import { growth } from './growing.js';
import type { Digest, StoredFile } from './types.js';

/** A stored file's reads: large, since a worker reading a layer this way has a thread to itself. */
const STORED_FILE_READ_BYTES = 1024 * 1024;

/** The stored blob's bytes from its file, held to the check `file.verify` names, as Layer.compressed() holds them. */
export function openStoredFile(file: StoredFile): Readable {
  const raw =
    file.length === 0
      ? Readable.from([])
      : file.growing
        ? Readable.from(growingReads(file.path, file.start, file.growing), { objectMode: false })
        : createReadStream(file.path, {
            start: file.start,
            end: file.length === undefined ? undefined : file.start + file.length - 1,
            highWaterMark: STORED_FILE_READ_BYTES,
          });
  return file.verify ? verified(raw, file.verify) : raw;
}

/** The bytes of a file still being written (StoredFile.growing), from `start`, as they are written, to its end. */
async function* growingReads(path: string, start: number, shared: SharedArrayBuffer): AsyncGenerator<Buffer> {
  // Opened once there are bytes to read: a download makes its file when its first bytes come.
  let file: FileHandle | undefined;
  try {
    for (let position = start; ;) {
      const written = await growth(shared, position + STORED_FILE_READ_BYTES);
      if (written <= position) return;
      file ??= await open(path, 'r');
      const chunk = Buffer.allocUnsafe(Math.min(STORED_FILE_READ_BYTES, written - position));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await file?.close();
  }
}

/**
 * A stream of the first `bytes` bytes of `stream` (all of it, if it is shorter). `stream` is destroyed once they have
 * passed (a file still growing is read no further), or when the reader stops early; its errors pass on. Wired as
 * `verified` is, at once: a download that fails before anything reads this stream has its error listened to.
 */
export function firstBytes(stream: Readable, bytes: number): Readable {
  let left = bytes;
  const head = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const piece = chunk.subarray(0, left);
      left -= piece.length;
      done(null, piece.length ? piece : undefined);
      if (left === 0 && !head.writableEnded) {
        stream.unpipe(head);
        stream.destroy();
        head.end();
      }
    },
  });
  stream.on('error', (error) => head.destroy(error));
  head.on('close', () => {
    if (!stream.destroyed) stream.destroy();
  });
  return stream.pipe(head);
}

/** The first `bytes` bytes of a stream (fewer if it is shorter); the stream is destroyed afterwards. */
export async function readHead(stream: Readable, bytes = 16): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** sha256 and byte count of everything a stream yields. */
export async function digestStream(stream: Readable): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
