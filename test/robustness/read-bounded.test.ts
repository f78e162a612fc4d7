// readBounded, behind --password-stdin, a daemon's answers and a credential helper's output: a stream is read whole
// up to its bound and no further (each caller's own message is tested with it: test/sources).
import { Readable } from 'node:stream';
import { readBounded } from '../../src/read-bounded.js';

const chunks = (...sizes: number[]) => Readable.from(sizes.map((n) => Buffer.alloc(n, 0x61)));

describe('readBounded', () => {
  it('reads a stream of exactly the bound, and refuses one byte more', async () => {
    expect((await readBounded(chunks(3, 4, 3), 10))?.toString()).toBe('a'.repeat(10));
    expect(await readBounded(chunks(3, 4, 4), 10)).toBeUndefined();
    expect((await readBounded(chunks(), 10))?.length).toBe(0);
  });

  it('stops reading an endless stream at the bound, and destroys it', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024));
      },
    });
    expect(await readBounded(endless, 64 * 1024)).toBeUndefined();
    expect(endless.destroyed).toBe(true);
    expect(pulled).toBeLessThan(200);
  });
});
