// Small stream helpers shared by sources and tests.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Digest } from './types.js';

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
