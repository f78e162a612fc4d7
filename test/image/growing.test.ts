// A file one thread writes and another reads as it grows (image/growing.ts): the reader is given what is written, waits
// for more until the writer says it is done, and stops with GrowthFailed once the writer failed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Growth, GrowthFailed, awaitGrowth, growth } from '../../src/image/growing.js';

/** Whether a promise has settled within a few turns of the event loop. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('Growth', () => {
  it('gives the reader what is written once there is enough of it', async () => {
    const g = new Growth();
    const waiting = growth(g.shared, 100);
    g.written(40);
    expect(await settled(waiting)).toBe(false);
    g.written(150);
    await expect(waiting).resolves.toBe(150);
    expect(awaitGrowth(g.shared, 100)).toBe(150);
  });

  it('gives less than asked only once the file is complete', async () => {
    const g = new Growth();
    g.written(30);
    const waiting = growth(g.shared, 100);
    expect(await settled(waiting)).toBe(false);
    g.complete();
    await expect(waiting).resolves.toBe(30);
    expect(awaitGrowth(g.shared, 100)).toBe(30);
  });

  it('stops the reader once the writer failed, whatever was written', async () => {
    const g = new Growth();
    g.written(500);
    const waiting = growth(g.shared, 1000);
    g.fail();
    await expect(waiting).rejects.toBeInstanceOf(GrowthFailed);
    expect(() => awaitGrowth(g.shared, 10)).toThrow(GrowthFailed);
  });

  it('wakes a reader blocked on another thread', async () => {
    const g = new Growth();
    // awaitGrowth as a walk worker runs it (the compiled module: `npm run build` first), blocked in Atomics.wait
    // until 64 bytes are written.
    const compiled = pathToFileURL(join(process.cwd(), 'dist', 'src', 'image', 'growing.js')).href;
    const code = `import { parentPort, workerData } from 'node:worker_threads';
      import { awaitGrowth } from ${JSON.stringify(compiled)};
      parentPort.postMessage(awaitGrowth(workerData, 64));`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: g.shared });
    try {
      const seen = new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      setTimeout(() => g.written(10), 50);
      setTimeout(() => g.written(80), 150);
      expect(await seen).toBe(80);
    } finally {
      await worker.terminate();
    }
  });

  it('lets a reader blocked on another thread be terminated', async () => {
    const g = new Growth();
    const compiled = pathToFileURL(join(process.cwd(), 'dist', 'src', 'image', 'growing.js')).href;
    const code = `import { parentPort, workerData } from 'node:worker_threads';
      import { awaitGrowth } from ${JSON.stringify(compiled)};
      parentPort.postMessage('waiting');
      awaitGrowth(workerData, 64);`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: g.shared });
    await new Promise((resolve) => worker.once('message', resolve));
    // Nothing is ever written: the walk ends such a worker when another layer fails.
    const started = Date.now();
    await worker.terminate();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
