// firstBytes (streams.ts): how an unverified read of a blob stops at the size its descriptor declares.
import { Readable } from 'node:stream';
import { firstBytes } from '../../src/image/streams.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that never ends (a file still being written), counting the chunks it was asked for. */
function endless(): { stream: Readable; reads: () => number } {
  let reads = 0;
  const stream = new Readable({
    read() {
      reads++;
      this.push(Buffer.alloc(1000, reads % 256));
    },
  });
  return { stream, reads: () => reads };
}

describe('firstBytes', () => {
  it('gives the first bytes of a longer stream, and stops reading it there', async () => {
    const source = endless();
    const head = await collect(firstBytes(source.stream, 10_500));
    expect(head.length).toBe(10_500);
    expect(head.subarray(9_999, 10_001)).toEqual(Buffer.from([10, 11]));
    expect(source.stream.destroyed).toBe(true);
    const reads = source.reads();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(source.reads()).toBe(reads);
  });

  it('gives a shorter stream whole, and none of an empty one', async () => {
    const data = Buffer.from('a blob cut short\n'.repeat(100));
    expect(
      (await collect(firstBytes(Readable.from([data.subarray(0, 50), data.subarray(50)]), 10_000))).equals(data),
    ).toBe(true);
    expect((await collect(firstBytes(Readable.from([]), 10))).length).toBe(0);
    const zero = endless();
    expect((await collect(firstBytes(zero.stream, 0))).length).toBe(0);
  });

  it('passes on an error its source has before anything reads it (a download failing at once), and stops the source when its reader stops', async () => {
    const failing = new Readable({ read() {} });
    const head = firstBytes(failing, 100);
    // As Layer.uncompressed() does with what compressed() gives: listened to, not yet read. An error of the source
    // itself with no listener would end the process.
    let held: Error | undefined;
    head.on('error', (error) => (held = error));
    failing.destroy(new Error('connection reset'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(held?.message).toBe('connection reset');

    const source = endless();
    const reader = firstBytes(source.stream, 1_000_000);
    for await (const _chunk of reader) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.stream.destroyed).toBe(true);
  });
});
